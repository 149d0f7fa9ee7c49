//! Backups by hand (to the folder beside the database or a USB stick) and the daily one.

use super::{App, ADMIN};
use crate::audit::Entry;
use crate::backup::{self, BackupInfo, BackupKind};
use crate::db;
use crate::error::{Error, ErrorKind, Result};
use crate::keyring::{self, Keyring};
use chrono::{DateTime, Duration, Utc};
use std::path::Path;

impl App {
    /// A manual backup beside the database (the Cadangan screen's button).
    pub fn backup_now(&mut self) -> Result<BackupInfo> {
        let dir = backup::dir_for(&self.db_path);
        self.backup_to(&dir)
    }

    /// A manual backup into a folder of the admin's choosing (a USB stick).
    pub fn backup_to(&mut self, dir: &Path) -> Result<BackupInfo> {
        self.guard(ADMIN)?;
        let info = self.make_backup(dir, BackupKind::Manual)?;
        self.tx(|tx, at, actor| {
            App::log(
                tx,
                at,
                actor,
                Entry::new("backup.create", "backup", &info.file_name).after(&info),
            )?;
            Ok(())
        })?;
        Ok(info)
    }

    pub fn backups(&mut self) -> Result<Vec<BackupInfo>> {
        self.guard(ADMIN)?;
        Ok(backup::list(&backup::dir_for(&self.db_path)))
    }

    fn make_backup(&self, dir: &Path, kind: BackupKind) -> Result<BackupInfo> {
        let ring = Keyring::load(&keyring::path_for(&self.db_path))?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotInitialized,
                "Berkas kunci basis data tidak ada; cadangan tidak dibuat.",
                "The database's key file is missing; no backup was made.",
            )
        })?;
        let version = db::user_version(&self.conn)?;
        if kind == BackupKind::Daily && db::checked_only_by_backup(&self.db_path) {
            db::pages_check(&self.conn)?;
        }
        backup::create(
            dir,
            self.clock.now(),
            kind,
            version,
            &ring.to_bytes()?,
            &ring.facility_label,
            |dest| db::copy_to(&self.conn, dest, &self.key),
        )
    }

    /// Takes the daily backup when the newest one is a day old (or there is none). A failure here
    /// must not stop anyone from working; the home screen shows the age of the last backup. The
    /// one exception is a damaged store: the backup reads every page, so it is where damage in a
    /// store too large to check in full at every open (`db::FULL_CHECK_AT_OPEN`) is found, and
    /// the session is refused as a damaged store is at open.
    pub(super) fn daily_backup_if_due(&mut self) -> Result<()> {
        let dir = backup::dir_for(&self.db_path);
        let now = self.clock.now();
        let due = backup::list(&dir)
            .iter()
            .find(|b| b.kind == BackupKind::Daily)
            .and_then(|b| DateTime::parse_from_rfc3339(&b.created_at).ok())
            .is_none_or(|t| now - t.with_timezone(&Utc) >= Duration::hours(24));
        if due {
            match self.make_backup(&dir, BackupKind::Daily) {
                Ok(_) => backup::rotate(&dir),
                Err(e) if e.kind == ErrorKind::Corrupt => return Err(e),
                Err(_) => {}
            }
        }
        Ok(())
    }
}

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
        let logged = self.tx(|tx, at, actor| {
            App::log(
                tx,
                at,
                actor,
                Entry::new("backup.create", "backup", &info.file_name).after(&info),
            )?;
            Ok(())
        });
        // A copy that cannot be logged does not stay: the account may have been deactivated while
        // it was written (its old password would still open the copy's key file), or the log
        // refused it. No backup leaves without its line in the audit log.
        if let Err(e) = logged {
            let _ = std::fs::remove_file(dir.join(&info.file_name));
            return Err(e);
        }
        Ok(info)
    }

    pub fn backups(&mut self) -> Result<Vec<BackupInfo>> {
        self.guard(ADMIN)?;
        Ok(backup::list(&backup::dir_for(&self.db_path)))
    }

    fn make_backup(&self, dir: &Path, kind: BackupKind) -> Result<BackupInfo> {
        take_backup(
            &self.conn,
            &self.db_path,
            &self.key,
            self.clock.now(),
            dir,
            kind,
        )
    }

    /// Whether the daily backup is due: the newest is a day old, or there is none. One dated
    /// after now (taken while the PC's clock was years ahead, since corrected) does not count:
    /// it stopped the daily backups until that date.
    fn daily_due(&self) -> bool {
        let now = self.clock.now();
        backup::list(&backup::dir_for(&self.db_path))
            .iter()
            .filter(|b| b.kind == BackupKind::Daily)
            .filter_map(|b| DateTime::parse_from_rfc3339(&b.created_at).ok())
            .map(|t| t.with_timezone(&Utc))
            .filter(|t| *t <= now)
            .max()
            .is_none_or(|t| now - t >= Duration::hours(24))
    }

    /// The daily backup if it is due, to be taken away from this session
    /// ([`DailyBackup::run`], on another thread): the window's sign-in does not wait for it.
    pub(super) fn daily_backup_job(&self) -> Result<Option<DailyBackup>> {
        if !self.daily_due() {
            return Ok(None);
        }
        Ok(Some(DailyBackup {
            db_path: self.db_path.clone(),
            key: self.key.clone(),
            clock: self.clock.clone(),
            _session_lock: super::session_lock(&self.db_path)?,
        }))
    }

    /// Takes the daily backup when the newest one is a day old (or there is none). A failure here
    /// must not stop anyone from working; the home screen shows the age of the last backup. The
    /// one exception is a damaged store: the backup reads every page, so it is where damage in a
    /// store too large to check in full at every open (`db::FULL_CHECK_AT_OPEN`) is found, and
    /// the session is refused as a damaged store is at open.
    pub(super) fn daily_backup_if_due(&mut self) -> Result<()> {
        let dir = backup::dir_for(&self.db_path);
        if self.daily_due() {
            match self.make_backup(&dir, BackupKind::Daily) {
                Ok(_) => backup::rotate(&dir),
                Err(e) if e.kind == ErrorKind::Corrupt => return Err(e),
                Err(_) => {}
            }
        }
        Ok(())
    }
}

/// A daily backup taken on its own connection, away from the session that found it due (at the
/// ten-year data set's 1.2 GB it takes about 20 s: every page checked, then copied). It holds the
/// store as a session does, so no restore swaps the file under it; the session meanwhile goes on
/// (WAL: the copy reads the store as it was when it began).
pub struct DailyBackup {
    db_path: std::path::PathBuf,
    key: crate::keyring::DataKey,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    _session_lock: std::fs::File,
}

impl DailyBackup {
    /// Takes the backup and rotates the old ones. A damaged store is an error of kind
    /// [`ErrorKind::Corrupt`] (the window then says so, and how to restore); any other failure
    /// is returned too, for the caller to show, and changes nothing.
    pub fn run(self) -> Result<BackupInfo> {
        let conn = db::open(&self.db_path, &self.key, |_, _| {
            Err(Error::internal("the store's schema changed under a backup"))
        })?;
        let dir = backup::dir_for(&self.db_path);
        let info = take_backup(
            &conn,
            &self.db_path,
            &self.key,
            self.clock.now(),
            &dir,
            BackupKind::Daily,
        )?;
        backup::rotate(&dir);
        Ok(info)
    }
}

/// A backup of the store at `db_path`, read through `conn`, into `dir`.
fn take_backup(
    conn: &crate::db::Db,
    db_path: &Path,
    key: &crate::keyring::DataKey,
    now: DateTime<Utc>,
    dir: &Path,
    kind: BackupKind,
) -> Result<BackupInfo> {
    let ring = Keyring::load(&keyring::path_for(db_path))?.ok_or_else(|| {
        Error::new(
            ErrorKind::NotInitialized,
            "Berkas kunci basis data tidak ada; cadangan tidak dibuat.",
            "The database's key file is missing; no backup was made.",
        )
    })?;
    let version = db::user_version(conn)?;
    if kind == BackupKind::Daily && db::checked_only_by_backup(db_path) {
        db::pages_check(conn)?;
    }
    backup::create(
        dir,
        now,
        kind,
        version,
        &ring.to_bytes()?,
        &ring.facility_label,
        |dest| db::copy_to(conn, dest, key),
    )
}

//! Restoring a backup in place of the database, so that an interruption at any point (a kill, a
//! power cut) leaves the old database or the new one usable, never none.
//!
//! The backup is unpacked and checked whole first, beside the database, with nobody signed in
//! (the session lock held alone). Then a journal is written naming the moves; the current files
//! are moved aside (kept, never deleted) and the backup's put in place; the journal is removed.
//! A restore interrupted after its journal was written is finished by the next program that
//! opens the folder: every step can be done again without harm. One interrupted before leaves
//! the old files where they were, and its unpacked copy is removed by the next restore.

use super::session::count_failure;
use super::{locked, open_lock_file, stamp, with_suffix, App, Credentials, RestoreReport};
use crate::audit::Entry;
use crate::backup;
use crate::clock::Clock;
use crate::db;
use crate::error::{Error, ErrorKind, Result};
use crate::keyring::{self, Keyring};
use crate::staff::{self, Role};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a restore in progress is doing: written before the first file moves.
#[derive(Serialize, Deserialize)]
struct Journal {
    /// Appended to each current file's name when it is moved aside.
    suffix: String,
    /// Which of the current files (database, WAL, shared memory, key file) were there to move:
    /// after the backup's database is in place, the one at the database's name is not to move.
    present: [bool; 4],
}

fn journal_path(db_path: &Path) -> PathBuf {
    with_suffix(db_path, ".restore-journal")
}

/// The backup's database, unpacked and checked, waiting to be put in place.
fn staged_db(db_path: &Path) -> PathBuf {
    with_suffix(db_path, ".restore-tmp")
}

/// The backup's key file, waiting to be put in place.
fn staged_keys(db_path: &Path) -> PathBuf {
    with_suffix(&keyring::path_for(db_path), ".restore-tmp")
}

/// Removes what an undecided restore unpacked: the backup's database (with any WAL or shared
/// memory an interrupted write into it left) and its key file.
fn remove_staged(db_path: &Path) {
    let staged = staged_db(db_path);
    for p in [
        with_suffix(&staged, "-wal"),
        with_suffix(&staged, "-shm"),
        staged,
        staged_keys(db_path),
    ] {
        let _ = std::fs::remove_file(p);
    }
}

/// The current files, in the order they are moved aside.
fn current_files(db_path: &Path) -> [PathBuf; 4] {
    [
        db_path.to_owned(),
        with_suffix(db_path, "-wal"),
        with_suffix(db_path, "-shm"),
        keyring::path_for(db_path),
    ]
}

/// Stops the program at a named step of a restore, in debug builds only and only when
/// `BANSOS_TEST_INTERRUPT_RESTORE` names that step: the fault tests interrupt a restore at every
/// step and check that the old or the new database opens. A release build has no such point.
fn interruption_point(step: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("BANSOS_TEST_INTERRUPT_RESTORE").is_ok_and(|s| s == step) {
        std::process::exit(86);
    }
    #[cfg(not(debug_assertions))]
    let _ = step;
}

/// Whether a restore was interrupted after its journal was written (the folder holds a facility
/// even if its database is, for the moment, aside).
pub(super) fn interrupted(db_path: &Path) -> bool {
    journal_path(db_path).exists()
}

/// Finishes a restore that was interrupted after its journal was written, if no other program is
/// inside the folder. Called before anything opens the database.
pub(super) fn finish_interrupted(db_path: &Path) -> Result<()> {
    let staged = staged_db(db_path);
    let stale = [
        staged_keys(db_path),
        with_suffix(&staged, "-wal"),
        with_suffix(&staged, "-shm"),
        staged,
    ]
    .iter()
    .any(|p| p.exists());
    if !interrupted(db_path) && !stale {
        return Ok(());
    }
    let lock = open_lock_file(db_path)?;
    if lock.try_lock().is_err() {
        // A restore is running now (it finishes its own work), or someone is signed in.
        return Ok(());
    }
    if interrupted(db_path) {
        return roll_forward(db_path);
    }
    // A restore stopped before it was decided: what it unpacked is of no use.
    remove_staged(db_path);
    Ok(())
}

/// Does what the journal says, each step only if it is still to do, then removes the journal.
/// The caller holds the session lock alone.
fn roll_forward(db_path: &Path) -> Result<()> {
    let jp = journal_path(db_path);
    let bytes = crate::files::read_bounded(&jp, 64 * 1024)?;
    let journal: Journal = serde_json::from_slice(&bytes).map_err(|_| {
        Error::new(
            ErrorKind::Corrupt,
            format!(
                "Catatan pemulihan {} tidak terbaca; basis data sebelumnya ada di samping dengan akhiran .before-restore. Hubungi Admin.",
                jp.display()
            ),
            format!(
                "The restore record {} is unreadable; the previous database lies beside it with the ending .before-restore. Ask an admin.",
                jp.display()
            ),
        )
    })?;
    keyring::with_lock(&keyring::path_for(db_path), || {
        let files = current_files(db_path);
        for (i, (p, present)) in files.iter().zip(journal.present).enumerate() {
            let aside = with_suffix(p, &journal.suffix);
            if present && p.exists() && !aside.exists() {
                std::fs::rename(p, &aside).map_err(|e| Error::io(p, e))?;
                interruption_point(&format!("aside-{i}"));
            }
        }
        let staged = staged_db(db_path);
        if staged.exists() {
            std::fs::rename(&staged, db_path).map_err(|e| Error::io(db_path, e))?;
            interruption_point("database");
        }
        let staged_keys = staged_keys(db_path);
        if staged_keys.exists() {
            let keys = keyring::path_for(db_path);
            std::fs::rename(&staged_keys, &keys).map_err(|e| Error::io(&keys, e))?;
            interruption_point("keys");
        }
        crate::files::sync_dir(db_path);
        Ok(())
    })?;
    std::fs::remove_file(&jp).map_err(|e| Error::io(&jp, e))?;
    crate::files::sync_dir(&jp);
    interruption_point("journal-removed");
    Ok(())
}

/// A suffix no earlier restore used: two restores in the same second keep both databases.
fn free_suffix(db_path: &Path, now: chrono::DateTime<chrono::Utc>) -> String {
    let base = format!(".before-restore-{}", now.format("%Y%m%dT%H%M%SZ"));
    let mut suffix = base.clone();
    let mut n = 2;
    while current_files(db_path)
        .iter()
        .any(|p| with_suffix(p, &suffix).exists())
    {
        suffix = format!("{base}-{n}");
        n += 1;
    }
    suffix
}

impl App {
    /// Restores a backup in place of the database at `db_path`. The backup is checked whole
    /// first (sizes, manifest hashes, key, integrity, schema version) and the credentials must be
    /// those of an active admin in the backup; a wrong password counts toward the account's
    /// lock-out as at sign-in. Only then is the current database moved aside (kept, never
    /// deleted) and the backup put in its place.
    pub fn restore(
        db_path: &Path,
        backup_file: &Path,
        clock: Arc<dyn Clock>,
        creds: &Credentials,
    ) -> Result<RestoreReport> {
        let now = clock.now();
        if let Some(dir) = db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::create_private_dir(dir)?;
        }
        // Nobody may be signed in while the files are swapped: a session would go on writing to
        // the database that was moved aside. Held from here to the end.
        let exclusive = open_lock_file(db_path)?;
        if exclusive.try_lock().is_err() {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Bansos masih terbuka (di jendela atau perintah lain). Tutup dulu, lalu ulangi pemulihan. Tidak ada yang diubah.",
                "Bansos is still open (a window or another command). Close it, then restore again. Nothing was changed.",
            ));
        }
        if interrupted(db_path) {
            roll_forward(db_path)?;
        }
        let staged = staged_db(db_path);
        let staged_keys = staged_keys(db_path);
        remove_staged(db_path);
        let checked = Self::check_backup(db_path, backup_file, now, creds, &staged);
        let (unpacked, key) = match checked {
            Ok(v) => v,
            Err(e) => {
                remove_staged(db_path);
                return Err(e);
            }
        };
        interruption_point("checked");
        let suffix = free_suffix(db_path, now);
        let previous = db_path
            .exists()
            .then(|| with_suffix(db_path, &suffix).display().to_string());
        let staged_ok = (|| -> Result<()> {
            // The restore is recorded in the restored history, and the hold set, before the swap:
            // a restore finished by the next program after an interruption is held as well.
            Self::record_restore(&staged, &key, now, creds, backup_file, &unpacked, &previous)?;
            let mut f = crate::files::create_private(&staged_keys)?;
            std::io::Write::write_all(&mut f, &unpacked.keyring_bytes)
                .map_err(|e| Error::io(&staged_keys, e))?;
            f.sync_all().map_err(|e| Error::io(&staged_keys, e))?;
            let journal = serde_json::to_vec(&Journal {
                suffix: suffix.clone(),
                present: current_files(db_path).map(|p| p.exists()),
            })
            .map_err(Error::internal)?;
            crate::files::write_atomic(&journal_path(db_path), &journal)
        })();
        if let Err(e) = staged_ok {
            remove_staged(db_path);
            return Err(e);
        }
        // From here on the restore is decided: if this program stops, the next one finishes it.
        interruption_point("journal");
        roll_forward(db_path)?;
        drop(exclusive);
        Ok(RestoreReport {
            backup_created_at: unpacked.manifest.created_at,
            schema_version: unpacked.manifest.schema_version,
            previous_kept_as: previous,
        })
    }

    /// Writes the restore's audit entry and the bundle hold into the backup's database, unpacked
    /// and checked at `staged`, and closes it whole (its WAL folded in), so that what is put in
    /// place is one file that already says it was restored.
    fn record_restore(
        staged: &Path,
        key: &crate::keyring::DataKey,
        now: chrono::DateTime<chrono::Utc>,
        creds: &Credentials,
        backup_file: &Path,
        unpacked: &backup::Unpacked,
        previous: &Option<String>,
    ) -> Result<()> {
        let mut conn = db::open(staged, key, |_, _| Ok(()))?;
        let at = stamp(now);
        let detail = serde_json::json!({
            "backup_file": backup_file.display().to_string(),
            "backup_created_at": unpacked.manifest.created_at,
            "previous_kept_as": previous,
        });
        let user = creds.username.trim().to_ascii_lowercase();
        db::with_tx(&mut conn, |tx| {
            App::log(
                tx,
                &at,
                &user,
                Entry::new("backup.restore", "database", "-").after(&detail),
            )?;
            // A restored database may be behind the Kanwil's chain: no new bundle until an
            // answer from the Kanwil says where the chain stands.
            crate::outbox::db::set_meta(tx, crate::outbox::HOLD_KEY, Some(&at))?;
            Ok(())
        })?;
        db::close(conn)?;
        // The last connection's close folds the WAL into the file; one left over (a full disk)
        // would not follow the file's rename.
        if with_suffix(staged, "-wal").exists() {
            return Err(Error::new(
                ErrorKind::DiskFull,
                "Pemulihan tidak dapat diselesaikan: catatan pemulihan tidak dapat ditulis ke basis data cadangan (ruang disk?). Tidak ada yang diubah.",
                "The restore cannot be finished: its record could not be written into the backup's database (disk space?). Nothing was changed.",
            ));
        }
        interruption_point("recorded");
        Ok(())
    }

    /// Unpacks the backup to `staged` and checks it: its parts, the password (counted against
    /// the current key file's account, as at sign-in), the database inside, an active admin.
    fn check_backup(
        db_path: &Path,
        backup_file: &Path,
        now: chrono::DateTime<chrono::Utc>,
        creds: &Credentials,
        staged: &Path,
    ) -> Result<(backup::Unpacked, crate::keyring::DataKey)> {
        let unpacked = backup::unpack(backup_file, staged)?;
        let bad = |id: &str, en: &str| {
            Error::new(
                ErrorKind::BackupInvalid,
                format!(
                    "Cadangan {} tidak dapat dipakai: {id}. Tidak ada yang diubah.",
                    backup_file.display()
                ),
                format!(
                    "The backup {} cannot be used: {en}. Nothing was changed.",
                    backup_file.display()
                ),
            )
        };
        let ring = Keyring::parse(&unpacked.keyring_bytes)
            .map_err(|_| bad("berkas kunci di dalamnya rusak", "its key file is damaged"))?;
        let username = creds.username.trim().to_ascii_lowercase();
        let wrong = || {
            Error::new(
                ErrorKind::WrongCredentials,
                "Nama pengguna atau kata sandi tidak membuka cadangan ini (dipakai akun yang berlaku saat cadangan dibuat). Tidak ada yang diubah.",
                "The user name or password does not open this backup (it takes an account valid when the backup was made). Nothing was changed.",
            )
        };
        let try_backup = || -> Result<Option<crate::keyring::DataKey>> {
            match ring.accounts.get(&username) {
                // Damage in the backup's key file is the backup's, not the current file's.
                Some(acc) => acc.unwrap(&username, &creds.password).map_err(|e| {
                    if e.kind == ErrorKind::Corrupt {
                        bad("berkas kunci di dalamnya rusak", "its key file is damaged")
                    } else {
                        e
                    }
                }),
                None => Ok(None),
            }
        };
        // A wrong password counts against the same account in the current key file, under its
        // lock, as a wrong password at sign-in does: a restore is not a way round the lock-out.
        let keys_path = keyring::path_for(db_path);
        let current = if keys_path.exists() {
            keyring::update(&keys_path, |current| {
                let account = current.accounts.get_mut(&username);
                if let Some(a) = &account {
                    if let Some(until) = a.locked_until.filter(|_| a.is_locked(now)) {
                        return Ok(Err(locked(until, None)));
                    }
                }
                match try_backup()? {
                    Some(key) => Ok(Ok(key)),
                    None => Ok(Err(match account {
                        Some(a) => match count_failure(a, now) {
                            e if e.kind == ErrorKind::AccountLocked => e,
                            _ => wrong(),
                        },
                        None => wrong(),
                    })),
                }
            })
        } else {
            Err(keyring::missing_keyfile(&keys_path))
        };
        let key = match current {
            Ok(key) => key?,
            // No current key file, or a damaged one (the very reason to restore): nothing to
            // count a wrong password against; the backup's own file decides, and the damaged
            // one is set aside with the old database.
            Err(e) if matches!(e.kind, ErrorKind::Corrupt | ErrorKind::NotInitialized) => {
                try_backup()?.ok_or_else(wrong)?
            }
            Err(e) => return Err(e),
        };
        let conn = db::open_for_check(staged, &key).map_err(|e| match e.kind {
            ErrorKind::TooNew | ErrorKind::DiskFull | ErrorKind::Io => e,
            _ => bad(
                "basis data di dalamnya rusak",
                "the database inside is damaged",
            ),
        })?;
        let who = staff::db::by_username(&conn, &username)?;
        if !who.is_some_and(|s| s.active && s.role == Role::Admin) {
            return Err(Error::forbidden("Admin"));
        }
        drop(conn);
        Ok((unpacked, key))
    }
}

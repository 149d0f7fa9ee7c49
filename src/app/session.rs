//! Before anyone is signed in: what a database path holds, the first-run setup, signing in
//! (the password tried and failures counted under the key file's lock) and restoring a backup
//! (`restore.rs`).

use super::backup::DailyBackup;
use super::{locked, session_lock, stamp, wrong_credentials, App, Credentials, StoreStatus};
use crate::audit::Entry;
use crate::backup;
use crate::clock::Clock;
use crate::db;
use crate::error::{Error, ErrorKind, Result};
use crate::facility::{self, keys, FacilitySetup};
use crate::keyring::{self, Account, Keyring};
use crate::staff::{self, NewStaff, Role};
use chrono::Duration;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A wrong password counted against `account` (the caller holds the key file's lock): the fifth
/// in a row locks it for a while. The refusal to give.
pub(super) fn count_failure(account: &mut Account, now: chrono::DateTime<chrono::Utc>) -> Error {
    account.failures = account.failures.saturating_add(1);
    account.failures_since_success = account.failures_since_success.saturating_add(1);
    if account.failures >= staff::MAX_FAILED_SIGN_INS {
        account.failures = 0;
        let until = now + Duration::minutes(staff::LOCKOUT_MINUTES);
        account.locked_until = Some(until);
        return locked(until, None);
    }
    wrong_credentials()
}

fn not_initialized(db_path: &Path) -> Error {
    Error::new(
        ErrorKind::NotInitialized,
        format!(
            "Belum ada UPT yang disiapkan di {}. Jalankan penyiapan awal.",
            db_path.display()
        ),
        format!(
            "No facility is set up at {} yet. Run the first-run setup.",
            db_path.display()
        ),
    )
}

impl App {
    /// What can be known before signing in.
    pub fn status(db_path: &Path) -> Result<StoreStatus> {
        super::restore::finish_interrupted(db_path)?;
        // A damaged key file still means a facility was set up here: sign-in names the damage
        // and the restore is the way back (it never reads the damaged file's accounts).
        let k = match Keyring::load(&keyring::path_for(db_path)) {
            Err(e) if e.kind == ErrorKind::Corrupt => None,
            k => k?,
        };
        let keys_there = keyring::path_for(db_path).exists();
        Ok(StoreStatus {
            // A database file (even a damaged one) or a key file means a facility was set up
            // here: the window asks for a sign-in, whose refusal says what is wrong, and never
            // offers the first-run setup over lost data.
            initialized: keys_there || db_path.exists() || super::restore::interrupted(db_path),
            facility_label: k.map(|k| k.facility_label),
            version: env!("CARGO_PKG_VERSION").into(),
            db_path: db_path.display().to_string(),
        })
    }

    /// First-run setup: creates the encrypted database, the facility with its key pair, the
    /// regional keys and the first admin, and signs that admin in. All or nothing.
    pub fn init(
        db_path: &Path,
        clock: Arc<dyn Clock>,
        setup: &FacilitySetup,
        admin: &NewStaff,
    ) -> Result<App> {
        let profile = setup.profile.validated()?;
        let pattern = setup.receipt_pattern.trim().to_owned();
        facility::validate_receipt_pattern_for(&pattern, &profile.code)?;
        let logo = setup
            .logo_base64
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(facility::decode_logo)
            .transpose()?;
        let regional: Vec<(String, [u8; 32])> = setup
            .regional_keys
            .iter()
            .map(super::facility_admin::validate_regional_key)
            .collect::<Result<_>>()?;
        let admin = NewStaff {
            role: Role::Admin,
            ..admin.validated()?
        };
        let keys_path = keyring::path_for(db_path);
        super::restore::finish_interrupted(db_path)?;
        if keys_path.exists() || db_path.exists() || super::restore::interrupted(db_path) {
            return Err(Error::new(
                ErrorKind::AlreadyInitialized,
                format!("UPT sudah disiapkan di {}.", db_path.display()),
                format!("A facility is already set up at {}.", db_path.display()),
            ));
        }
        if let Some(dir) = db_path.parent() {
            crate::files::create_private_dir(dir)?;
        }
        let lock = session_lock(db_path)?;
        let key = keyring::new_data_key()?;
        let mut ring = Keyring::new(&profile.name);
        ring.accounts.insert(
            admin.username.clone(),
            Account::wrap(&admin.username, &admin.password, &key)?,
        );
        let mut conn = db::create(db_path, &key)?;
        let now = clock.now();
        let at = stamp(now);
        let created = db::with_tx(&mut conn, |tx| {
            let (public, sealed) = keys::generate(&key)?;
            facility::db::insert(
                tx,
                &profile,
                &pattern,
                facility::DEFAULT_IDLE_MINUTES,
                logo.as_deref(),
                &public,
                &sealed,
                &at,
            )?;
            for (label, pk) in &regional {
                facility::db::add_regional_key(tx, label, pk, &at)?;
            }
            if profile.kind == facility::FacilityKind::Kanwil {
                super::kanwil::set_up(tx, &key, &profile, now, &at)?;
            }
            let id = staff::db::insert(tx, &admin, &at)?;
            let stored = facility::db::load(tx)?;
            App::log(
                tx,
                &at,
                &admin.username,
                Entry::new("facility.setup", "facility", &profile.code).after(&stored.facility),
            )?;
            let me = staff::db::by_id(tx, id)?;
            App::log(
                tx,
                &at,
                &admin.username,
                Entry::new("staff.add", "staff", id).after(&me),
            )?;
            App::log(
                tx,
                &at,
                &admin.username,
                Entry::new("auth.sign_in", "staff", id),
            )?;
            Ok(me)
        });
        let me = match created.and_then(|me| ring.create(&keys_path).map(|_| me)) {
            Ok(me) => me,
            Err(e) => {
                // Setup is all or nothing: leave no half-made database behind.
                drop(conn);
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = db_path.as_os_str().to_owned();
                    p.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(p));
                }
                let _ = std::fs::remove_file(&keys_path);
                return Err(e);
            }
        };
        let mut app = App {
            conn,
            db_path: db_path.to_owned(),
            clock,
            key,
            me,
            last_active: now,
            idle_minutes: facility::DEFAULT_IDLE_MINUTES,
            unattended: false,
            allowed: super::ANYONE,
            failed_since_last: 0,
            credentials_gen: 0,
            _session_lock: lock,
            search: None,
            progress: None,
        };
        app.daily_backup_if_due()?;
        Ok(app)
    }

    /// Signs in: unwraps the data key with the password, opens and checks the database, and
    /// records the sign-in. Failed attempts count toward the lock-out.
    pub fn open(db_path: &Path, clock: Arc<dyn Clock>, creds: &Credentials) -> Result<App> {
        Ok(App::open_with(db_path, clock, creds, false)?.0)
    }

    /// Signs in as [`App::open`] does, but leaves a due daily backup to the caller, to run on
    /// another thread ([`DailyBackup::run`]): the window's sign-in on a large store does not
    /// wait for it.
    pub fn open_deferring_backup(
        db_path: &Path,
        clock: Arc<dyn Clock>,
        creds: &Credentials,
    ) -> Result<(App, Option<DailyBackup>)> {
        App::open_with(db_path, clock, creds, true)
    }

    fn open_with(
        db_path: &Path,
        clock: Arc<dyn Clock>,
        creds: &Credentials,
        defer_backup: bool,
    ) -> Result<(App, Option<DailyBackup>)> {
        let username = creds.username.trim().to_ascii_lowercase();
        let now = clock.now();
        let keys_path = keyring::path_for(db_path);
        super::restore::finish_interrupted(db_path)?;
        if !keys_path.exists() {
            // A database without its key file is not a new install: say what is missing.
            return Err(if db_path.exists() {
                keyring::missing_keyfile(&keys_path)
            } else {
                not_initialized(db_path)
            });
        }
        // The password is tried and a failure counted under the key file's lock: parallel wrong
        // passwords are counted one by one, and the sixth waits for the fifth's lock-out.
        let tried = keyring::update(&keys_path, |ring| {
            let Some(account) = ring.accounts.get_mut(&username) else {
                return Ok(Err(wrong_credentials()));
            };
            if let Some(until) = account.locked_until.filter(|_| account.is_locked(now)) {
                return Ok(Err(locked(until, None)));
            }
            match account.unwrap(&username, &creds.password)? {
                Some(key) => {
                    // The right password: the count starts again here, in the same locked
                    // change, so a wrong password tried by another session meanwhile still counts.
                    let before = account.failures_since_success;
                    account.failures = 0;
                    account.failures_since_success = 0;
                    account.locked_until = None;
                    Ok(Ok((key, before, ring.facility_label.clone())))
                }
                None => Ok(Err(count_failure(account, now))),
            }
        })?;
        let (key, failed_since_last, label) = tried?;

        let lock = session_lock(db_path)?;
        let pre_key = key.clone();
        let conn = db::open(db_path, &key, |conn, old_version| {
            let ring_bytes = Keyring::load(&keys_path)?
                .ok_or_else(|| not_initialized(db_path))?
                .to_bytes()?;
            backup::create(
                &backup::dir_for(db_path),
                now,
                crate::backup::BackupKind::PreMigration,
                old_version,
                &ring_bytes,
                &label,
                |dest| db::copy_to(conn, dest, &pre_key),
            )
            .map(|_| ())
        })?;
        let me = staff::db::by_username(&conn, &username)?.ok_or_else(wrong_credentials)?;
        if !me.active {
            return Err(Error::new(
                ErrorKind::AccountInactive,
                "Akun ini sudah dinonaktifkan. Hubungi Admin.",
                "This account has been deactivated. Ask an admin.",
            ));
        }
        let fac = facility::db::load(&conn)?.facility;
        let mut app = App {
            conn,
            db_path: db_path.to_owned(),
            clock,
            key,
            me,
            last_active: now,
            idle_minutes: fac.idle_minutes,
            unattended: false,
            allowed: super::ANYONE,
            failed_since_last,
            credentials_gen: 0,
            _session_lock: lock,
            search: None,
            progress: None,
        };
        app.credentials_gen = staff::db::credentials_gen(&app.conn, app.me.id)?;
        let at = stamp(now);
        let (actor, id) = (app.me.username.clone(), app.me.id.to_string());
        let recorded = db::with_tx(&mut app.conn, |tx| {
            let mut e = Entry::new("auth.sign_in", "staff", id);
            if failed_since_last > 0 {
                e = e.after(&serde_json::json!({ "failed_attempts_before": failed_since_last }));
            }
            App::log(tx, &at, &actor, e)?;
            Ok(())
        });
        let mut job = None;
        match recorded {
            Ok(()) if defer_backup => job = app.daily_backup_job()?,
            Ok(()) => app.daily_backup_if_due()?,
            // On a full disk the session still opens, to read: every change it tries is refused
            // as the disk being full, so an unrecorded sign-in can change nothing.
            Err(e) if e.kind == ErrorKind::DiskFull => {}
            Err(e) => return Err(e),
        }
        Ok((app, job))
    }
}

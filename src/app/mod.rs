//! `App`: the façade. One method per use case; each checks the signed-in role, runs in one
//! transaction, and writes its audit entry inside that transaction. An `App` exists only while
//! someone is signed in: it holds the open database and its key, and dropping it locks both away.

use crate::audit::{self, AuditEntry, AuditReport};
use crate::backup;
use crate::clock::Clock;
use crate::db;
use crate::error::{Error, ErrorKind, Result};
use crate::facility::{self, keys, Facility, FacilityProfile, FacilitySetup, RegionalKeyInput};
use crate::keyring::{self, Account, DataKey, Keyring};
use crate::locale::TimeZone;
use crate::locale::{self, Lang};
use crate::staff::{self, NewStaff, Role, Staff};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ts_rs::TS;
use zeroize::Zeroizing;

mod distribution;
mod family;
mod handover;
mod stock;
pub use family::{ImportPreview, ImportResult, PreviewRow, RowStatus, Saved};
pub use handover::{OnRecord, ReceiptCheck};
pub use stock::card_xlsx;

/// What can be told about a database path before anyone signs in.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StoreStatus {
    pub initialized: bool,
    /// The facility's name, kept readable beside the encrypted database for the sign-in screen.
    pub facility_label: Option<String>,
    pub version: String,
    pub db_path: String,
}

/// Who is signed in, and the few facility facts every screen needs.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionInfo {
    pub staff: Staff,
    pub facility_name: String,
    pub facility_code: String,
    pub time_zone: TimeZone,
    pub idle_minutes: u32,
    /// Failed sign-ins on this account since its last successful one (shown once as a warning).
    pub failed_attempts_since_last: u32,
}

/// The editable facility settings (Pengaturan).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FacilitySettings {
    pub profile: FacilityProfile,
    pub receipt_pattern: String,
    pub idle_minutes: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupKind {
    /// Made automatically once a day.
    Daily,
    /// Made automatically before a schema migration.
    PreMigration,
    /// Made by hand (Cadangan screen or `bansos backup`).
    Manual,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    pub file_name: String,
    pub path: String,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub size_bytes: u64,
    pub kind: BackupKind,
}

/// The home screen (Beranda) of this stage: the facility, its people and the state of its data.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Overview {
    pub facility: Facility,
    pub staff_total: i64,
    pub staff_active: i64,
    pub audit_entries: i64,
    /// The last entry is the recorded head (a constant-time check; the Audit screen verifies all).
    pub audit_ok: bool,
    pub last_backup: Option<BackupInfo>,
    pub db_path: String,
    pub schema_version: i64,
}

/// A user name and password, the password wiped from memory when dropped.
pub struct Credentials {
    pub username: String,
    pub password: Zeroizing<String>,
}

impl Credentials {
    pub fn new(username: &str, password: &str) -> Self {
        Credentials {
            username: username.trim().to_ascii_lowercase(),
            password: Zeroizing::new(password.to_owned()),
        }
    }
}

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    pub backup_created_at: String,
    pub schema_version: i64,
    /// Where the database that was replaced now lies, if there was one.
    pub previous_kept_as: Option<String>,
}

pub struct App {
    conn: Connection,
    db_path: PathBuf,
    clock: Arc<dyn Clock>,
    key: DataKey,
    me: Staff,
    last_active: DateTime<Utc>,
    idle_minutes: u32,
    failed_since_last: u32,
    /// Held (shared) while signed in, so a restore cannot swap the file under an open session.
    _session_lock: std::fs::File,
    /// The name-search index, built on the first search (see `family::search`).
    search: Option<crate::family::search::Index>,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn json<T: Serialize>(v: &T) -> Option<String> {
    serde_json::to_string(v).ok()
}

const AUDITORS: &[Role] = &[Role::Admin, Role::KepalaUpt, Role::Verifikator];
const ADMIN: &[Role] = &[Role::Admin];
const ANYONE: &[Role] = &[];

fn wrong_credentials() -> Error {
    Error::new(
        ErrorKind::WrongCredentials,
        "Nama pengguna atau kata sandi salah.",
        "Wrong user name or password.",
    )
}

fn locked(until: DateTime<Utc>, tz: Option<locale::TimeZone>) -> Error {
    let tz = tz.unwrap_or_default();
    Error::new(
        ErrorKind::AccountLocked,
        format!(
            "Akun dikunci karena {} kali salah kata sandi, sampai {}. Admin dapat membukanya lebih awal.",
            staff::MAX_FAILED_SIGN_INS,
            locale::date_time(until, tz, Lang::Id)
        ),
        format!(
            "The account is locked after {} wrong passwords, until {}. An admin can unlock it sooner.",
            staff::MAX_FAILED_SIGN_INS,
            locale::date_time(until, tz, Lang::En)
        ),
    )
}

/// `<db>.lock`, created if missing; its content is never used, only its file lock.
fn open_lock_file(db_path: &Path) -> Result<std::fs::File> {
    let p = with_suffix(db_path, ".lock");
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&p)
        .map_err(|e| Error::io(&p, e))
}

/// A shared lock on `<db>.lock` for as long as a session lives. Windows and command lines may
/// share the database (WAL); only a restore needs it alone.
fn session_lock(db_path: &Path) -> Result<std::fs::File> {
    let f = open_lock_file(db_path)?;
    f.try_lock_shared().map_err(|_| {
        Error::new(
            ErrorKind::Conflict,
            "Basis data sedang dipulihkan dari cadangan. Tunggu sampai selesai, lalu masuk lagi.",
            "The database is being restored from a backup. Wait until it is done, then sign in again.",
        )
    })?;
    Ok(f)
}

/// Saves a changed key file; a use case calls this after its transaction committed.
fn save_keyring(db_path: &Path, k: &Keyring) -> Result<()> {
    k.save(&keyring::path_for(db_path))
}

fn load_keyring(db_path: &Path) -> Result<Keyring> {
    Keyring::load(&keyring::path_for(db_path))?.ok_or_else(|| {
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
    })
}

impl App {
    /// What can be known before signing in.
    pub fn status(db_path: &Path) -> Result<StoreStatus> {
        let k = Keyring::load(&keyring::path_for(db_path))?;
        Ok(StoreStatus {
            initialized: k.is_some(),
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
        facility::validate_receipt_pattern(&pattern)?;
        let logo = setup
            .logo_base64
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(facility::decode_logo)
            .transpose()?;
        let regional: Vec<(String, [u8; 32])> = setup
            .regional_keys
            .iter()
            .map(validate_regional_key)
            .collect::<Result<_>>()?;
        let admin = NewStaff {
            role: Role::Admin,
            ..admin.validated()?
        };
        let keys_path = keyring::path_for(db_path);
        if keys_path.exists() {
            return Err(Error::new(
                ErrorKind::AlreadyInitialized,
                format!("UPT sudah disiapkan di {}.", db_path.display()),
                format!("A facility is already set up at {}.", db_path.display()),
            ));
        }
        if let Some(dir) = db_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
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
            let id = staff::db::insert(tx, &admin, &at)?;
            let stored = facility::db::load(tx)?;
            audit::db::append(
                tx,
                &at,
                &admin.username,
                "facility.setup",
                "facility",
                &profile.code,
                None,
                json(&stored.facility).as_deref(),
            )?;
            let me = staff::db::by_id(tx, id)?;
            audit::db::append(
                tx,
                &at,
                &admin.username,
                "staff.add",
                "staff",
                &id.to_string(),
                None,
                json(&me).as_deref(),
            )?;
            audit::db::append(
                tx,
                &at,
                &admin.username,
                "auth.sign_in",
                "staff",
                &id.to_string(),
                None,
                None,
            )?;
            Ok(me)
        });
        let me = match created.and_then(|me| save_keyring(db_path, &ring).map(|_| me)) {
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
            failed_since_last: 0,
            _session_lock: lock,
            search: None,
        };
        app.daily_backup_if_due();
        Ok(app)
    }

    /// Signs in: unwraps the data key with the password, opens and checks the database, and
    /// records the sign-in. Failed attempts count toward the lock-out.
    pub fn open(db_path: &Path, clock: Arc<dyn Clock>, creds: &Credentials) -> Result<App> {
        let mut ring = load_keyring(db_path)?;
        let username = creds.username.trim().to_ascii_lowercase();
        let now = clock.now();
        let Some(account) = ring.accounts.get_mut(&username) else {
            return Err(wrong_credentials());
        };
        if let Some(until) = account.locked_until.filter(|_| account.is_locked(now)) {
            return Err(locked(until, None));
        }
        let Some(key) = account.unwrap(&username, &creds.password)? else {
            account.failures += 1;
            account.failures_since_success += 1;
            let lock = account.failures >= staff::MAX_FAILED_SIGN_INS;
            if lock {
                account.failures = 0;
                account.locked_until = Some(now + Duration::minutes(staff::LOCKOUT_MINUTES));
            }
            let until = account.locked_until;
            save_keyring(db_path, &ring)?;
            return Err(match until {
                Some(u) if lock => locked(u, None),
                _ => wrong_credentials(),
            });
        };
        let failed_since_last = account.failures_since_success;
        let lock = session_lock(db_path)?;
        let pre_key = key.clone();
        let label = ring.facility_label.clone();
        let ring_bytes = ring.to_bytes()?;
        let conn = db::open(db_path, &key, |conn, old_version| {
            backup::create(
                &backup::dir_for(db_path),
                now,
                BackupKind::PreMigration,
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
            failed_since_last,
            _session_lock: lock,
            search: None,
        };
        let at = stamp(now);
        let (actor, id) = (app.me.username.clone(), app.me.id.to_string());
        db::with_tx(&mut app.conn, |tx| {
            let detail = (failed_since_last > 0)
                .then(|| format!("{{\"failed_attempts_before\":{failed_since_last}}}"));
            audit::db::append(
                tx,
                &at,
                &actor,
                "auth.sign_in",
                "staff",
                &id,
                None,
                detail.as_deref(),
            )?;
            Ok(())
        })?;
        if let Some(acc) = ring.accounts.get_mut(&username) {
            acc.failures = 0;
            acc.failures_since_success = 0;
            acc.locked_until = None;
        }
        save_keyring(db_path, &ring)?;
        app.daily_backup_if_due();
        Ok(app)
    }

    /// Restores a backup in place of the database at `db_path`. The backup is checked whole
    /// first (manifest hashes, key, integrity, schema version) and the credentials must be those
    /// of an active admin in the backup; only then is the current database moved aside (kept,
    /// never deleted) and the backup put in its place.
    pub fn restore(
        db_path: &Path,
        backup_file: &Path,
        clock: Arc<dyn Clock>,
        creds: &Credentials,
    ) -> Result<RestoreReport> {
        let now = clock.now();
        let mut tmp = db_path.as_os_str().to_owned();
        tmp.push(".restore-tmp");
        let tmp = PathBuf::from(tmp);
        if let Some(dir) = db_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let _ = std::fs::remove_file(&tmp);
        let checked = (|| {
            let unpacked = backup::unpack(backup_file, &tmp)?;
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
            let key = match ring.accounts.get(&username) {
                Some(acc) => acc.unwrap(&username, &creds.password)?,
                None => None,
            }
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::WrongCredentials,
                    "Nama pengguna atau kata sandi tidak membuka cadangan ini (dipakai akun yang berlaku saat cadangan dibuat). Tidak ada yang diubah.",
                    "The user name or password does not open this backup (it takes an account valid when the backup was made). Nothing was changed.",
                )
            })?;
            let conn = db::open_for_check(&tmp, &key).map_err(|e| match e.kind {
                ErrorKind::TooNew => e,
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
        })();
        let (unpacked, key) = match checked {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        // Nobody may be signed in while the file is swapped: a session would go on writing to
        // the database that was moved aside.
        let exclusive = match open_lock_file(db_path) {
            Ok(f) => f,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        if exclusive.try_lock().is_err() {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::new(
                ErrorKind::Conflict,
                "Bansos masih terbuka (di jendela atau perintah lain). Tutup dulu, lalu ulangi pemulihan. Tidak ada yang diubah.",
                "Bansos is still open (a window or another command). Close it, then restore again. Nothing was changed.",
            ));
        }
        // Move the current database (and its WAL, and key file) aside, together.
        let mut previous = None;
        let suffix = format!(".before-restore-{}", now.format("%Y%m%dT%H%M%SZ"));
        let keys_path = keyring::path_for(db_path);
        for p in [
            db_path.to_owned(),
            with_suffix(db_path, "-wal"),
            with_suffix(db_path, "-shm"),
            keys_path.clone(),
        ] {
            if p.exists() {
                let to = with_suffix(&p, &suffix);
                std::fs::rename(&p, &to).map_err(|e| Error::io(&p, e))?;
                if p == db_path {
                    previous = Some(to.display().to_string());
                }
            }
        }
        std::fs::rename(&tmp, db_path).map_err(|e| Error::io(db_path, e))?;
        keyring::write_atomic(&keys_path, &unpacked.keyring_bytes)?;
        // Record the restore in the restored history itself; the lock is released after.
        let mut conn = db::open(db_path, &key, |_, _| Ok(()))?;
        let at = stamp(now);
        let detail = serde_json::json!({
            "backup_file": backup_file.display().to_string(),
            "backup_created_at": unpacked.manifest.created_at,
            "previous_kept_as": previous,
        })
        .to_string();
        let user = creds.username.trim().to_ascii_lowercase();
        db::with_tx(&mut conn, |tx| {
            audit::db::append(
                tx,
                &at,
                &user,
                "backup.restore",
                "database",
                "-",
                None,
                Some(&detail),
            )?;
            Ok(())
        })?;
        Ok(RestoreReport {
            backup_created_at: unpacked.manifest.created_at,
            schema_version: unpacked.manifest.schema_version,
            previous_kept_as: previous,
        })
    }

    // ----- session -------------------------------------------------------------------------

    /// Checks that the session is still alive and the role may act; every use case starts here.
    fn guard(&mut self, allowed: &[Role]) -> Result<()> {
        let now = self.clock.now();
        if self.is_idle_expired() {
            return Err(Error::new(
                ErrorKind::SessionExpired,
                format!("Anda telah keluar otomatis karena tidak aktif selama {} menit. Silakan masuk lagi.", self.idle_minutes),
                format!("You were signed out after {} minutes of inactivity. Please sign in again.", self.idle_minutes),
            ));
        }
        self.last_active = now;
        if !allowed.is_empty() && !allowed.contains(&self.me.role) {
            let names: Vec<&str> = allowed.iter().map(|r| r.label()).collect();
            return Err(Error::forbidden(&names.join(" / ")));
        }
        Ok(())
    }

    /// True once the signed-in person has been idle longer than the facility's setting.
    pub fn is_idle_expired(&self) -> bool {
        self.clock.now() - self.last_active > Duration::minutes(i64::from(self.idle_minutes))
    }

    pub fn me(&self) -> &Staff {
        &self.me
    }

    pub fn session_info(&mut self) -> Result<SessionInfo> {
        self.guard(ANYONE)?;
        let f = facility::db::load(&self.conn)?.facility;
        Ok(SessionInfo {
            staff: self.me.clone(),
            facility_name: f.profile.name,
            facility_code: f.profile.code,
            time_zone: f.profile.time_zone,
            idle_minutes: f.idle_minutes,
            failed_attempts_since_last: self.failed_since_last,
        })
    }

    /// Signs out, recording it. The database closes when the `App` is dropped.
    pub fn sign_out(mut self) -> Result<()> {
        let (at, actor, id) = (
            stamp(self.clock.now()),
            self.me.username.clone(),
            self.me.id.to_string(),
        );
        db::with_tx(&mut self.conn, |tx| {
            audit::db::append(tx, &at, &actor, "auth.sign_out", "staff", &id, None, None)?;
            Ok(())
        })
    }

    /// Marks the person as active (the window calls this while they use it without saving).
    pub fn touch(&mut self) -> Result<()> {
        self.guard(ANYONE)
    }

    /// Ends a session that went idle, recording that it was the program that signed them out.
    pub fn end_idle(mut self) -> Result<()> {
        let (at, actor, id) = (
            stamp(self.clock.now()),
            self.me.username.clone(),
            self.me.id.to_string(),
        );
        db::with_tx(&mut self.conn, |tx| {
            audit::db::append(
                tx,
                &at,
                &actor,
                "auth.idle_sign_out",
                "staff",
                &id,
                None,
                None,
            )?;
            Ok(())
        })
    }

    /// Runs `f` in one transaction with the current time and the signed-in user name.
    fn tx<T>(&mut self, f: impl FnOnce(&Transaction, &str, &str) -> Result<T>) -> Result<T> {
        let at = stamp(self.clock.now());
        let actor = self.me.username.clone();
        db::with_tx(&mut self.conn, |tx| f(tx, &at, &actor))
    }

    // ----- facility ------------------------------------------------------------------------

    pub fn facility(&mut self) -> Result<Facility> {
        self.guard(ANYONE)?;
        Ok(facility::db::load(&self.conn)?.facility)
    }

    pub fn update_facility(&mut self, s: &FacilitySettings) -> Result<Facility> {
        self.guard(ADMIN)?;
        let profile = s.profile.validated()?;
        let pattern = s.receipt_pattern.trim().to_owned();
        facility::validate_receipt_pattern(&pattern)?;
        if !(1..=240).contains(&s.idle_minutes) {
            return Err(Error::invalid(
                "idle_minutes",
                "Batas tidak aktif harus antara 1 dan 240 menit.",
                "The idle limit must be between 1 and 240 minutes.",
            ));
        }
        let f = self.tx(|tx, at, actor| {
            let old = facility::db::load(tx)?.facility;
            facility::db::update(tx, &profile, &pattern, s.idle_minutes)?;
            let new = facility::db::load(tx)?.facility;
            audit::db::append(
                tx,
                at,
                actor,
                "facility.update",
                "facility",
                &new.profile.code,
                json(&old).as_deref(),
                json(&new).as_deref(),
            )?;
            Ok(new)
        })?;
        self.idle_minutes = f.idle_minutes;
        let mut ring = load_keyring(&self.db_path)?;
        if ring.facility_label != f.profile.name {
            ring.facility_label = f.profile.name.clone();
            save_keyring(&self.db_path, &ring)?;
        }
        Ok(f)
    }

    pub fn set_logo(&mut self, logo_base64: Option<&str>) -> Result<Facility> {
        self.guard(ADMIN)?;
        let logo = logo_base64
            .filter(|s| !s.trim().is_empty())
            .map(facility::decode_logo)
            .transpose()?;
        self.tx(|tx, at, actor| {
            let had = facility::db::logo(tx)?.map(|l| l.len());
            facility::db::set_logo(tx, logo.as_deref())?;
            let old = had.map(|n| format!("{{\"logo_bytes\":{n}}}"));
            let new = logo
                .as_ref()
                .map(|l| format!("{{\"logo_bytes\":{}}}", l.len()));
            audit::db::append(
                tx,
                at,
                actor,
                "facility.logo",
                "facility",
                "logo",
                old.as_deref(),
                new.as_deref(),
            )?;
            Ok(facility::db::load(tx)?.facility)
        })
    }

    /// The facility logo bytes (PNG or JPEG), for letterheads.
    pub fn logo(&mut self) -> Result<Option<Vec<u8>>> {
        self.guard(ANYONE)?;
        facility::db::logo(&self.conn)
    }

    pub fn add_regional_key(&mut self, k: &RegionalKeyInput) -> Result<Facility> {
        self.guard(ADMIN)?;
        let (label, pk) = validate_regional_key(k)?;
        self.tx(|tx, at, actor| {
            let id = facility::db::add_regional_key(tx, &label, &pk, at)?;
            let new = serde_json::json!({"label": label, "public_key": hex::encode(pk), "fingerprint": keys::fingerprint(&pk)});
            audit::db::append(tx, at, actor, "regional_key.add", "regional_key", &id.to_string(), None, Some(&new.to_string()))?;
            Ok(facility::db::load(tx)?.facility)
        })
    }

    pub fn remove_regional_key(&mut self, id: i64) -> Result<Facility> {
        self.guard(ADMIN)?;
        self.tx(|tx, at, actor| {
            let old = facility::db::remove_regional_key(tx, id, at)?;
            audit::db::append(
                tx,
                at,
                actor,
                "regional_key.remove",
                "regional_key",
                &id.to_string(),
                json(&old).as_deref(),
                None,
            )?;
            Ok(facility::db::load(tx)?.facility)
        })
    }

    // ----- staff ---------------------------------------------------------------------------

    pub fn staff_list(&mut self) -> Result<Vec<Staff>> {
        self.guard(ADMIN)?;
        let ring = load_keyring(&self.db_path)?;
        let now = self.clock.now();
        let mut list = staff::db::list(&self.conn)?;
        for s in &mut list {
            s.locked_until = ring
                .accounts
                .get(&s.username)
                .filter(|a| a.is_locked(now))
                .and_then(|a| a.locked_until)
                .map(stamp);
        }
        Ok(list)
    }

    pub fn add_staff(&mut self, n: &NewStaff) -> Result<Staff> {
        self.guard(ADMIN)?;
        let n = n.validated()?;
        let mut ring = load_keyring(&self.db_path)?;
        ring.accounts.insert(
            n.username.clone(),
            Account::wrap(&n.username, &n.password, &self.key)?,
        );
        let s = self.tx(|tx, at, actor| {
            let id = staff::db::insert(tx, &n, at)?;
            let s = staff::db::by_id(tx, id)?;
            audit::db::append(
                tx,
                at,
                actor,
                "staff.add",
                "staff",
                &id.to_string(),
                None,
                json(&s).as_deref(),
            )?;
            Ok(s)
        })?;
        save_keyring(&self.db_path, &ring)?;
        Ok(s)
    }

    /// Deactivating removes the account's copy of the data key, so the password no longer opens
    /// the database even outside the program. Activating again therefore needs a new password.
    pub fn set_staff_active(
        &mut self,
        id: i64,
        active: bool,
        reason: &str,
        new_password: Option<&str>,
    ) -> Result<Staff> {
        self.guard(ADMIN)?;
        let reason = reason.trim();
        let target = staff::db::by_id(&self.conn, id)?;
        let mut ring = load_keyring(&self.db_path)?;
        if active {
            let pw = new_password.unwrap_or("");
            staff::validate_password(&target.username, pw)?;
            ring.accounts.insert(
                target.username.clone(),
                Account::wrap(&target.username, pw, &self.key)?,
            );
        } else {
            if reason.is_empty() {
                return Err(Error::invalid(
                    "reason",
                    "Alasan penonaktifan wajib diisi.",
                    "A reason for deactivation is required.",
                ));
            }
            if target.id == self.me.id {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "Anda tidak dapat menonaktifkan akun sendiri.",
                    "You cannot deactivate your own account.",
                ));
            }
            if target.role == Role::Admin
                && target.active
                && staff::db::count_active_admins(&self.conn)? <= 1
            {
                return Err(last_admin());
            }
            ring.accounts.remove(&target.username);
        }
        let s = self.tx(|tx, at, actor| {
            staff::db::set_active(tx, id, active, (!active).then_some(reason))?;
            let new = staff::db::by_id(tx, id)?;
            let action = if active {
                "staff.activate"
            } else {
                "staff.deactivate"
            };
            let detail = serde_json::json!({"active": active, "reason": reason}).to_string();
            audit::db::append(
                tx,
                at,
                actor,
                action,
                "staff",
                &id.to_string(),
                json(&target).as_deref(),
                Some(&detail),
            )?;
            Ok(new)
        })?;
        save_keyring(&self.db_path, &ring)?;
        Ok(s)
    }

    pub fn set_staff_role(&mut self, id: i64, role: Role) -> Result<Staff> {
        self.guard(ADMIN)?;
        let target = staff::db::by_id(&self.conn, id)?;
        if target.role == Role::Admin
            && role != Role::Admin
            && target.active
            && staff::db::count_active_admins(&self.conn)? <= 1
        {
            return Err(last_admin());
        }
        let s = self.tx(|tx, at, actor| {
            staff::db::set_role(tx, id, role)?;
            let new = staff::db::by_id(tx, id)?;
            audit::db::append(
                tx,
                at,
                actor,
                "staff.role",
                "staff",
                &id.to_string(),
                json(&target.role).as_deref(),
                json(&role).as_deref(),
            )?;
            Ok(new)
        })?;
        if id == self.me.id {
            self.me = s.clone();
        }
        Ok(s)
    }

    pub fn unlock_staff(&mut self, id: i64) -> Result<Staff> {
        self.guard(ADMIN)?;
        let target = staff::db::by_id(&self.conn, id)?;
        let mut ring = load_keyring(&self.db_path)?;
        let was = ring
            .accounts
            .get(&target.username)
            .and_then(|a| a.locked_until);
        if let Some(acc) = ring.accounts.get_mut(&target.username) {
            acc.locked_until = None;
            acc.failures = 0;
        }
        self.tx(|tx, at, actor| {
            let old = was.map(|t| format!("{{\"locked_until\":\"{}\"}}", stamp(t)));
            audit::db::append(
                tx,
                at,
                actor,
                "staff.unlock",
                "staff",
                &id.to_string(),
                old.as_deref(),
                None,
            )?;
            Ok(())
        })?;
        save_keyring(&self.db_path, &ring)?;
        Ok(target)
    }

    pub fn reset_password(&mut self, id: i64, password: &str) -> Result<()> {
        self.guard(ADMIN)?;
        let target = staff::db::by_id(&self.conn, id)?;
        if !target.active {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Akun ini nonaktif; aktifkan dulu (dengan kata sandi baru).",
                "This account is inactive; activate it (with a new password) instead.",
            ));
        }
        staff::validate_password(&target.username, password)?;
        let mut ring = load_keyring(&self.db_path)?;
        ring.accounts.insert(
            target.username.clone(),
            Account::wrap(&target.username, password, &self.key)?,
        );
        self.tx(|tx, at, actor| {
            audit::db::append(
                tx,
                at,
                actor,
                "staff.reset_password",
                "staff",
                &id.to_string(),
                None,
                None,
            )?;
            Ok(())
        })?;
        save_keyring(&self.db_path, &ring)
    }

    pub fn change_password(&mut self, old: &str, new: &str) -> Result<()> {
        self.guard(ANYONE)?;
        let mut ring = load_keyring(&self.db_path)?;
        let me = self.me.username.clone();
        let ok = match ring.accounts.get(&me) {
            Some(acc) => acc.unwrap(&me, old)?.is_some(),
            None => false,
        };
        if !ok {
            return Err(Error::invalid(
                "old",
                "Kata sandi lama salah.",
                "The current password is wrong.",
            ));
        }
        staff::validate_password(&me, new).map_err(|e| e.with_field("new"))?;
        ring.accounts
            .insert(me.clone(), Account::wrap(&me, new, &self.key)?);
        let id = self.me.id.to_string();
        self.tx(|tx, at, actor| {
            audit::db::append(
                tx,
                at,
                actor,
                "staff.change_password",
                "staff",
                &id,
                None,
                None,
            )?;
            Ok(())
        })?;
        save_keyring(&self.db_path, &ring)
    }

    // ----- audit ---------------------------------------------------------------------------

    pub fn audit_list(&mut self, before_seq: Option<i64>, limit: u32) -> Result<Vec<AuditEntry>> {
        self.guard(AUDITORS)?;
        audit::db::list(&self.conn, before_seq, limit.clamp(1, 500))
    }

    pub fn audit_verify(&mut self) -> Result<AuditReport> {
        self.guard(AUDITORS)?;
        audit::db::verify(&self.conn)
    }

    // ----- backups -------------------------------------------------------------------------

    /// A manual backup beside the database (the Cadangan screen's button).
    pub fn backup_now(&mut self) -> Result<BackupInfo> {
        let dir = backup::dir_for(&self.db_path);
        self.backup_to(&dir)
    }

    /// A manual backup into a folder of the admin's choosing (a USB stick).
    pub fn backup_to(&mut self, dir: &Path) -> Result<BackupInfo> {
        self.guard(ADMIN)?;
        let info = self.make_backup(dir, BackupKind::Manual)?;
        let detail = json(&info);
        self.tx(|tx, at, actor| {
            audit::db::append(
                tx,
                at,
                actor,
                "backup.create",
                "backup",
                &info.file_name,
                None,
                detail.as_deref(),
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
        let ring = load_keyring(&self.db_path)?;
        let version = db::user_version(&self.conn)?;
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
    /// must not stop anyone from working; the home screen shows the age of the last backup.
    fn daily_backup_if_due(&mut self) {
        let dir = backup::dir_for(&self.db_path);
        let now = self.clock.now();
        let due = backup::list(&dir)
            .iter()
            .find(|b| b.kind == BackupKind::Daily)
            .and_then(|b| DateTime::parse_from_rfc3339(&b.created_at).ok())
            .is_none_or(|t| now - t.with_timezone(&Utc) >= Duration::hours(24));
        if due && self.make_backup(&dir, BackupKind::Daily).is_ok() {
            backup::rotate(&dir);
        }
    }

    // ----- home ----------------------------------------------------------------------------

    pub fn overview(&mut self) -> Result<Overview> {
        self.guard(ANYONE)?;
        let facility = facility::db::load(&self.conn)?.facility;
        let (staff_total, staff_active) = staff::db::counts(&self.conn)?;
        Ok(Overview {
            facility,
            staff_total,
            staff_active,
            audit_entries: audit::db::count(&self.conn)?,
            audit_ok: audit::db::head_matches(&self.conn)?,
            last_backup: backup::list(&backup::dir_for(&self.db_path))
                .into_iter()
                .next(),
            db_path: self.db_path.display().to_string(),
            schema_version: db::user_version(&self.conn)?,
        })
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }
}

fn last_admin() -> Error {
    Error::new(
        ErrorKind::Conflict,
        "Harus tetap ada minimal satu Admin aktif.",
        "There must remain at least one active admin.",
    )
}

fn validate_regional_key(k: &RegionalKeyInput) -> Result<(String, [u8; 32])> {
    let label = k.label.trim().to_owned();
    if label.is_empty() {
        return Err(Error::invalid(
            "label",
            "Nama Kanwil untuk kunci ini wajib diisi.",
            "A label for this regional key is required.",
        ));
    }
    Ok((label, keys::parse_public_key(&k.public_key)?))
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

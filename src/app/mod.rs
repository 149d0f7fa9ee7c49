//! `App`: the façade. One method per use case, and each reads the same way: a guard (the
//! session is alive, the role may act) → pure validation in the domain → one transaction of
//! domain `db.rs` calls and audit entries, in which everything another session could have
//! changed is read again → the result. No SQL lives here (`tests/tidy.rs` checks it).
//!
//! An `App` exists only while someone is signed in: it holds the open database and its key, and
//! dropping it locks both away.

use crate::audit::{self, Entry};
use crate::backup::BackupInfo;
use crate::clock::Clock;
use crate::db;
use crate::db::{Db as Connection, Tx as Transaction};
use crate::error::{Error, ErrorKind, Result};
use crate::facility::{self, Facility, FacilityProfile, Settings};
use crate::keyring::{self, DataKey, Keyring};
use crate::locale::{self, Lang, TimeZone};
use crate::staff::{self, Role, Staff};
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ts_rs::TS;
use zeroize::Zeroizing;

mod attachment;
mod backup;
mod byname;
mod dashboard;
mod distribution;
mod exchange;
mod exchange_files;
mod exports;
mod facility_admin;
mod family;
mod handover;
mod inbox;
mod kanwil;
mod month;
mod restore;
mod rotation;
mod session;
mod staff_admin;
mod stock;
mod upload;
pub use crate::backup::BackupKind;
pub use crate::stock::export::card_xlsx;
pub use backup::DailyBackup;
pub use byname::{ByNameMade, ByNameOpened};
pub use exchange::{verify_with_key, AnswerOutcome, BundleCheck, EnrollmentInfo};
pub use exchange_files::{bundles_read_in_turn, files_in, FileOutcome, ImportReport, Unreadable};
pub use exports::{Export, FileFormat, SavedFile};
pub use family::{
    ImportPreview, ImportResult, PreviewRow, RowStatus, Saved, SearchIndex, SearchIndexJob,
};
pub use handover::{OnRecord, ReceiptCheck};
pub use kanwil::{MemberFacility, Registered};
pub use month::{SummaryFiles, SummaryRow, SummarySection, SummaryWords};
pub use rotation::{KeyRotated, RotationApplied};
pub use upload::{next_try, parse_inbox_url, Due, UploadPlan};

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
    /// A regional office's database (regional mode): the window shows the Kanwil's screens.
    pub regional: bool,
}

/// The editable facility settings (Pengaturan).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FacilitySettings {
    pub profile: FacilityProfile,
    pub receipt_pattern: String,
    pub idle_minutes: u32,
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
    /// Set while the program acts on its own (the window's background upload rounds): the
    /// session is checked as always, but that work is not the person's activity and does not
    /// keep the session from timing out.
    unattended: bool,
    /// The roles the use case under way allows (its `guard`'s), checked again inside each of its
    /// write transactions (`tx`).
    allowed: &'static [Role],
    failed_since_last: u32,
    /// The generation of this account's credentials the session signed in under (migration
    /// 0024): a password changed or reset, or the account deactivated (and activated again),
    /// since then ends the session.
    credentials_gen: i64,
    /// Held (shared) while signed in, so a restore cannot swap the file under an open session.
    _session_lock: std::fs::File,
    /// The name-search index, built on the first search (see `family::search`).
    search: Option<crate::family::search::Index>,
    /// Where long work reports how far it has come (the window's bar), if anywhere.
    progress: Option<crate::progress::Sink>,
}

fn deactivated() -> Error {
    Error::new(
        ErrorKind::SessionExpired,
        "Akun ini sudah dinonaktifkan Admin; sesi ini berakhir.",
        "This account has been deactivated by an admin; this session has ended.",
    )
}

fn credentials_changed() -> Error {
    Error::new(
        ErrorKind::SessionExpired,
        "Kata sandi akun ini diganti atau akunnya dinonaktifkan sejak Anda masuk; sesi ini berakhir. Silakan masuk lagi.",
        "This account's password was changed, or the account deactivated, since you signed in; this session has ended. Please sign in again.",
    )
}

fn not_allowed(allowed: &[Role]) -> Error {
    let names: Vec<&str> = allowed.iter().map(|r| r.label()).collect();
    Error::forbidden(&names.join(" / "))
}

/// The key file's changes of one use case ([`App::tx_keyed`]), kept until its commit.
pub(crate) struct KeyfileChange {
    path: std::path::PathBuf,
    written: Vec<keyring::Written>,
}

impl KeyfileChange {
    /// Changes the key file (read, changed, written whole, under its lock).
    pub(crate) fn update<T>(&mut self, f: impl FnOnce(&mut Keyring) -> Result<T>) -> Result<T> {
        let (out, w) = keyring::update_held(&self.path, f)?;
        self.written.push(w);
        Ok(out)
    }
}

/// TEST ONLY: a commit that fails, on demand, in debug builds, for this thread's next use case
/// that changes the key file (a full disk cannot be timed to fall between the file and the
/// commit).
#[doc(hidden)]
pub mod testing {
    use crate::error::{Error, Result};
    use std::cell::Cell;

    thread_local! {
        static FAIL_NEXT_COMMIT: Cell<bool> = const { Cell::new(false) };
    }

    /// This thread's next use case that changes the key file fails at its commit.
    pub fn fail_next_commit() {
        FAIL_NEXT_COMMIT.with(|f| f.set(cfg!(debug_assertions)));
    }

    pub(super) fn commit_fails() -> Result<()> {
        if FAIL_NEXT_COMMIT.with(|f| f.replace(false)) {
            return Err(Error::disk_full());
        }
        Ok(())
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
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
    let mut o = std::fs::OpenOptions::new();
    o.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(&p).map_err(|e| Error::io(&p, e))
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

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

impl App {
    /// Checks that the session is still alive and the role may act; every use case starts here.
    fn guard(&mut self, allowed: &'static [Role]) -> Result<()> {
        let now = self.clock.now();
        if self.is_idle_expired() {
            return Err(Error::new(
                ErrorKind::SessionExpired,
                format!("Anda telah keluar otomatis karena tidak aktif selama {} menit. Silakan masuk lagi.", self.idle_minutes),
                format!("You were signed out after {} minutes of inactivity. Please sign in again.", self.idle_minutes),
            ));
        }
        if !self.unattended {
            self.last_active = now;
        }
        // The role and the account as they are now: an admin may have changed or deactivated
        // this account since the session began.
        let fresh = staff::db::by_id(&self.conn, self.me.id)?;
        if !fresh.active {
            return Err(deactivated());
        }
        if staff::db::credentials_gen(&self.conn, self.me.id)? != self.credentials_gen {
            return Err(credentials_changed());
        }
        self.me = fresh;
        self.allowed = allowed;
        if !allowed.is_empty() && !allowed.contains(&self.me.role) {
            return Err(not_allowed(allowed));
        }
        Ok(())
    }

    /// The person acting, read again inside the transaction that writes: an admin may have
    /// deactivated the account, or changed its role, since the use case's `guard` read it (a
    /// removed admin must not reset another's password in that moment). A role changed but still
    /// allowed is refused too, once: the use case may have acted on the old one.
    fn still_allowed(
        tx: &Transaction,
        id: i64,
        role: Role,
        allowed: &[Role],
        credentials_gen: i64,
    ) -> Result<()> {
        let now = staff::db::by_id(tx, id)?;
        if !now.active {
            return Err(deactivated());
        }
        if staff::db::credentials_gen(tx, id)? != credentials_gen {
            return Err(credentials_changed());
        }
        if !allowed.is_empty() && !allowed.contains(&now.role) {
            return Err(not_allowed(allowed));
        }
        if now.role != role {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "Peran akun ini baru saja diubah Admin (sekarang {}); tidak ada yang disimpan. Coba lagi.",
                    now.role.label()
                ),
                format!(
                    "An admin has just changed this account's role (now {}); nothing was saved. Try again.",
                    now.role.label()
                ),
            ));
        }
        Ok(())
    }

    /// True once the signed-in person has been idle longer than the facility's setting.
    /// Marks what follows as the program's own work, not the person's (`true`), or the
    /// person's again (`false`): checked as always, but not counted as activity, so a background
    /// task never keeps an idle session alive.
    pub fn set_unattended(&mut self, on: bool) {
        self.unattended = on;
    }

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
            regional: f.profile.kind == facility::FacilityKind::Kanwil,
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
            Self::log(tx, &at, &actor, Entry::new("auth.sign_out", "staff", id))?;
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
            Self::log(
                tx,
                &at,
                &actor,
                Entry::new("auth.idle_sign_out", "staff", id),
            )?;
            Ok(())
        })
    }

    /// Runs `f` in one transaction with the current time and the signed-in user name.
    /// Long work (a sheet's import, an event's receipts, a closing, bundles) reports its
    /// progress to `sink` from now on; `None` stops it.
    pub fn set_progress(&mut self, sink: Option<crate::progress::Sink>) {
        self.progress = sink;
    }

    fn reporter(&self, work: crate::progress::Work, total: u64) -> crate::progress::Reporter {
        crate::progress::Reporter::new(self.progress.clone(), work, total)
    }

    /// Runs `f` in one write transaction, once the person acting is still allowed to
    /// (`still_allowed`, read inside it).
    fn tx<T>(&mut self, f: impl FnOnce(&Transaction, &str, &str) -> Result<T>) -> Result<T> {
        let at = stamp(self.clock.now());
        let actor = self.me.username.clone();
        let (id, role, allowed, gen) =
            (self.me.id, self.me.role, self.allowed, self.credentials_gen);
        db::with_tx(&mut self.conn, |tx| {
            Self::still_allowed(tx, id, role, allowed, gen)?;
            f(tx, &at, &actor)
        })
    }

    /// [`App::tx`] for a use case that also changes the key file (`keys.update`): the file is
    /// written inside the transaction, under its lock, which is kept until the commit; if the
    /// transaction does not commit (a refusal after the write, a full disk at the commit), the
    /// file is put back as it was. Only a crash between the two leaves them apart.
    fn tx_keyed<T>(
        &mut self,
        f: impl FnOnce(&Transaction, &str, &str, &mut KeyfileChange) -> Result<T>,
    ) -> Result<T> {
        let mut keys = KeyfileChange {
            path: keyring::path_for(&self.db_path),
            written: Vec::new(),
        };
        let out = self.tx(|tx, at, actor| {
            let out = f(tx, at, actor, &mut keys)?;
            testing::commit_fails()?;
            Ok(out)
        });
        if out.is_err() {
            for w in keys.written.drain(..).rev() {
                // Best effort: the refusal said is the transaction's.
                let _ = w.undo();
            }
        }
        out
    }

    /// The settings every use case reads (time zone, period rule, expiry alert, NIK key), read
    /// from `conn` — the transaction's, inside one.
    fn settings_in(conn: &Connection) -> Result<Settings> {
        facility::db::settings(conn)
    }

    /// Today in the facility's time zone.
    pub(crate) fn today_local(&self) -> Result<NaiveDate> {
        Ok(Self::settings_in(&self.conn)?.today(self.clock.now()))
    }

    /// The facility's signing key, unsealed for the length of one use case.
    fn signer(&self) -> Result<ed25519_dalek::SigningKey> {
        Self::signer_in(&self.conn, &self.key)
    }

    /// The signing key as stored in `conn` — the transaction's, inside one: a key changed at
    /// another desk (`rotate_key`) is seen by whatever signs in the same transaction.
    fn signer_in(conn: &Connection, key: &DataKey) -> Result<ed25519_dalek::SigningKey> {
        facility::keys::unseal(key, &facility::db::load(conn)?.secret_key_sealed)
    }

    /// Bench data only (`bansos bench`, on its own throw-away database): runs `f` in one
    /// transaction, as the signed-in person.
    #[doc(hidden)]
    pub(crate) fn bench_tx<T>(
        &mut self,
        f: impl FnOnce(&Transaction, &str, &str) -> Result<T>,
    ) -> Result<T> {
        self.tx(f)
    }

    /// Writes one audit entry inside a use case's transaction.
    fn log(tx: &Transaction, at: &str, actor: &str, e: Entry) -> Result<i64> {
        audit::db::record(tx, at, actor, &e)
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }
}

//! Fixtures shared by the suite: a facility set up in a temporary folder with a fixed clock.

use bansos::app::App;
use bansos::clock::FixedClock;
use bansos::facility::{FacilityKind, FacilityProfile, FacilitySetup, DEFAULT_RECEIPT_PATTERN};
use bansos::keyring::Keyring;
use bansos::locale::TimeZone;
use bansos::staff::{NewStaff, Role};
use bansos::Credentials;
use chrono::{TimeZone as _, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const ADMIN: &str = "admin";
pub const ADMIN_PW: &str = "kopi-tubruk-2024";

pub fn profile() -> FacilityProfile {
    FacilityProfile {
        name: "Rutan Kelas IIB Blora".into(),
        kind: FacilityKind::Rutan,
        class: "IIB".into(),
        code: "RUTAN-BLORA".into(),
        province: "Jawa Tengah".into(),
        kanwil: "Kanwil Ditjenpas Jawa Tengah".into(),
        address: "Jl. Pemuda No. 1, Blora".into(),
        time_zone: TimeZone::Wib,
        head_name: "Budi Hardiono".into(),
        head_nip: "197001012000031001".into(),
    }
}

pub fn setup() -> FacilitySetup {
    FacilitySetup {
        profile: profile(),
        receipt_pattern: DEFAULT_RECEIPT_PATTERN.into(),
        logo_base64: None,
        regional_keys: vec![],
    }
}

pub fn new_staff(username: &str, role: Role, password: &str) -> NewStaff {
    NewStaff {
        username: username.into(),
        full_name: format!("Staf {}", spelled(username)),
        nip: String::new(),
        position: "Staf Pelayanan Tahanan".into(),
        role,
        password: password.into(),
    }
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub clock: Arc<FixedClock>,
}

impl Fixture {
    /// A facility set up on 16 November 2024, 10.00 WIB, signed in as its first admin.
    pub fn new() -> (Fixture, App) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("data").join("bansos.db");
        let clock = Arc::new(FixedClock::new(
            Utc.with_ymd_and_hms(2024, 11, 16, 3, 0, 0).unwrap(),
        ));
        let app = App::init(
            &db,
            clock.clone(),
            &setup(),
            &new_staff(ADMIN, Role::Admin, ADMIN_PW),
        )
        .expect("setup");
        (Fixture { dir, db, clock }, app)
    }

    pub fn sign_in(&self, user: &str, pw: &str) -> bansos::Result<App> {
        App::open(&self.db, self.clock.clone(), &Credentials::new(user, pw))
    }

    pub fn admin(&self) -> App {
        self.sign_in(ADMIN, ADMIN_PW).expect("admin signs in")
    }

    /// A raw connection to the encrypted file, as someone holding the admin's password could get
    /// outside the program.
    pub fn raw(&self) -> rusqlite::Connection {
        raw_open(&self.db, ADMIN, ADMIN_PW)
    }

    /// `bansos` with this fixture's database and the admin's credentials in its environment.
    pub fn cli(&self) -> std::process::Command {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_bansos"));
        c.env("BANSOS_DB", &self.db)
            .env("BANSOS_USER", ADMIN)
            .env("BANSOS_PASSWORD", ADMIN_PW)
            .env("BANSOS_LANG", "id")
            .env_remove("BANSOS_NEW_PASSWORD");
        c
    }
}

pub fn raw_open(db: &Path, user: &str, pw: &str) -> rusqlite::Connection {
    let ring = Keyring::load(&bansos::keyring::path_for(db))
        .expect("key file")
        .expect("key file exists");
    let key = ring.accounts[user]
        .unwrap(user, pw)
        .expect("unwrap")
        .expect("right password");
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex_of(&key[..])))
        .expect("key");
    conn
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn file_bytes(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).expect("open");
    let mut v = Vec::new();
    f.read_to_end(&mut v).expect("read");
    v
}

/// A user name as a person's name: digits spelled as letters ("admin2" → "admin C"), since a
/// name holds letters only.
pub fn spelled(username: &str) -> String {
    let mut out = String::new();
    for c in username.chars() {
        match c {
            '0'..='9' => {
                out.push(' ');
                out.push((b'A' + (c as u8 - b'0')) as char);
            }
            c if c.is_alphabetic() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Copies a database with its key file and WAL, as a copy of the PC would hold it (its sessions
/// closed first).
pub fn copy_db(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    for suffix in ["", ".keys", "-wal", "-shm"] {
        let mut a = from.as_os_str().to_owned();
        a.push(suffix);
        let mut b = to.as_os_str().to_owned();
        b.push(suffix);
        if Path::new(&a).exists() {
            std::fs::copy(&a, &b).unwrap();
        }
    }
}

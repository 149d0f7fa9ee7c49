//! Staff accounts and roles: who may sign in and what each role may do. Passwords never reach
//! the database: an account's password only unwraps its copy of the database key (see
//! `crate::keyring`). SQL in `db.rs`.

pub mod db;

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The four roles of SPEC §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    /// Registers families, receives stock, records hand-overs, prints receipts.
    Petugas,
    /// Verifies families, approves events, adjustments and stock-takes.
    Verifikator,
    /// Karutan / Kalapas: approves the monthly closing; the facility's signature is theirs.
    KepalaUpt,
    /// Staff accounts, facility settings, keys, backups.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Petugas,
        Role::Verifikator,
        Role::KepalaUpt,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Petugas => "petugas",
            Role::Verifikator => "verifikator",
            Role::KepalaUpt => "kepala_upt",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s.trim().to_ascii_lowercase().replace('-', "_"))
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Petugas => "Petugas",
            Role::Verifikator => "Verifikator",
            Role::KepalaUpt => "Kepala UPT",
            Role::Admin => "Admin",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub nip: String,
    /// Jabatan, printed under the signature, e.g. "Kasubsi Pelayanan Tahanan".
    pub position: String,
    pub role: Role,
    pub active: bool,
    pub created_at: String,
    /// Until when the account is locked out after failed sign-ins (UTC, RFC 3339), else null.
    pub locked_until: Option<String>,
}

/// A new account as entered by an admin (or in the first-run wizard for the first admin).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewStaff {
    pub username: String,
    pub full_name: String,
    pub nip: String,
    pub position: String,
    pub role: Role,
    pub password: String,
}

/// Lock-out rule: this many consecutive failures lock the account for `LOCKOUT_MINUTES`.
pub const MAX_FAILED_SIGN_INS: u32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;
pub const MIN_PASSWORD_LEN: usize = 10;
/// A pass phrase fits; a longer text is not a password anyone typed.
pub const MAX_PASSWORD_LEN: usize = 256;

pub fn validate_username(u: &str) -> Result<String> {
    let u = u.trim().to_ascii_lowercase();
    if u.len() < 3
        || u.len() > 32
        || !u
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
    {
        return Err(Error::invalid(
            "username",
            "Nama pengguna 3–32 karakter: huruf, angka, titik, garis bawah atau minus.",
            "A user name has 3–32 characters: letters, digits, '.', '_' or '-'.",
        ));
    }
    Ok(u)
}

/// A password must be long enough to resist guessing at the office PC; length is what matters.
pub fn validate_password(username: &str, password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::invalid(
            "password",
            format!("Kata sandi paling sedikit {MIN_PASSWORD_LEN} karakter."),
            format!("A password has at least {MIN_PASSWORD_LEN} characters."),
        ));
    }
    if password.chars().count() > MAX_PASSWORD_LEN {
        return Err(Error::invalid(
            "password",
            format!("Kata sandi paling banyak {MAX_PASSWORD_LEN} karakter."),
            format!("A password has at most {MAX_PASSWORD_LEN} characters."),
        ));
    }
    if password
        .to_ascii_lowercase()
        .contains(&username.to_ascii_lowercase())
    {
        return Err(Error::invalid(
            "password",
            "Kata sandi tidak boleh memuat nama pengguna.",
            "The password must not contain the user name.",
        ));
    }
    Ok(())
}

impl NewStaff {
    pub fn validated(&self) -> Result<NewStaff> {
        let username = validate_username(&self.username)?;
        let full_name = crate::family::model::valid_name(
            "full_name",
            &self.full_name,
            "Nama lengkap",
            "The full name",
        )?;
        let position = crate::family::model::tidy(&self.position);
        crate::limits::check_text(
            "position",
            &position,
            crate::limits::LABEL,
            ("Jabatan", "The position"),
        )?;
        let nip: String = self.nip.chars().filter(|c| !c.is_whitespace()).collect();
        crate::facility::validate_nip("nip", &nip)?;
        validate_password(&username, &self.password)?;
        Ok(NewStaff {
            username,
            full_name,
            nip,
            position,
            role: self.role,
            password: self.password.clone(),
        })
    }
}

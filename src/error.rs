//! The core's one error type. A caller branches on [`ErrorKind`]; the two messages are for people,
//! one in Bahasa Indonesia and one in English, and always say what was wrong and where.

use crate::locale::Lang;
use serde::Serialize;
use ts_rs::TS;

/// What went wrong, for code to branch on. The UI reads it as a string code; never match on text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No facility has been set up at this path yet.
    NotInitialized,
    /// A facility is already set up at this path.
    AlreadyInitialized,
    /// Unknown user name or wrong password (deliberately not told apart).
    WrongCredentials,
    /// Too many failed sign-ins; the account waits or an admin unlocks it.
    AccountLocked,
    /// The account was deactivated by an admin.
    AccountInactive,
    /// Signed out because of inactivity.
    SessionExpired,
    /// The signed-in role may not do this.
    Forbidden,
    /// A value given by the user is not acceptable; `field` names it.
    Invalid,
    /// The thing asked for does not exist.
    NotFound,
    /// The change conflicts with what is stored (a duplicate, a state that does not allow it).
    Conflict,
    /// The database file is damaged or is not a Bansos database.
    Corrupt,
    /// The database was written by a newer Bansos; it is left untouched.
    TooNew,
    /// A backup file is damaged, incomplete or does not open with the given credentials.
    BackupInvalid,
    /// The file system refused (missing folder, no permission, disk full).
    Io,
    /// Another session (a window or a command) held the database longer than the wait allows;
    /// nothing was changed and the same action can be tried again.
    Busy,
    /// A defect in the program; the message carries the detail.
    Internal,
}

/// An error with a kind, the field it concerns (for forms), and a message in both languages.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{en}")]
pub struct Error {
    pub kind: ErrorKind,
    pub field: Option<String>,
    id: String,
    en: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, id: impl Into<String>, en: impl Into<String>) -> Self {
        Error {
            kind,
            field: None,
            id: id.into(),
            en: en.into(),
        }
    }

    /// A form value that is not acceptable: `field` is the form's field name.
    pub fn invalid(field: &str, id: impl Into<String>, en: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Invalid,
            field: Some(field.to_owned()),
            id: id.into(),
            en: en.into(),
        }
    }

    /// The same error, attached to a form field.
    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let d = detail.to_string();
        Error::new(
            ErrorKind::Internal,
            format!("Kesalahan program: {d}"),
            format!("Program error: {d}"),
        )
    }

    pub fn io(what: &std::path::Path, e: std::io::Error) -> Self {
        let p = what.display();
        Error::new(
            ErrorKind::Io,
            format!("Berkas {p} tidak dapat diakses: {e}"),
            format!("Cannot access {p}: {e}"),
        )
    }

    /// Another session holds the database: said in the user's words, never SQLite's.
    pub fn busy() -> Self {
        Error::new(
            ErrorKind::Busy,
            "Basis data sedang dipakai sesi lain (jendela atau perintah lain) dan belum selesai. Tidak ada yang diubah; coba lagi sebentar lagi.",
            "The database is in use by another session (a window or another command) that has not finished. Nothing was changed; try again in a moment.",
        )
    }

    pub fn forbidden(needs: &str) -> Self {
        Error::new(
            ErrorKind::Forbidden,
            format!("Peran Anda tidak berwenang untuk ini (perlu: {needs})."),
            format!("Your role may not do this (needs: {needs})."),
        )
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message for a person, in their language.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
        }
    }
}

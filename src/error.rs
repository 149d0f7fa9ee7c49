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
    /// The file system refused (missing folder, no permission, a read-only disk).
    Io,
    /// The disk is full: nothing was saved; what is stored can still be read.
    DiskFull,
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

    /// A file the system refused, said in the user's words (never the OS's text): what, and
    /// why when the reason is one a person can act on.
    pub fn io(what: &std::path::Path, e: std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        let p = what.display();
        match e.kind() {
            K::StorageFull | K::QuotaExceeded | K::FileTooLarge => return Error::disk_full(),
            K::ReadOnlyFilesystem => {
                return Error::read_only_disk(what.parent().unwrap_or(what));
            }
            _ => {}
        }
        let (id, en) = match e.kind() {
            K::NotFound => ("tidak ada", "does not exist"),
            K::PermissionDenied => (
                "tidak diizinkan untuk akun ini",
                "is not permitted for this account",
            ),
            K::ReadOnlyFilesystem => (
                "berada di disk yang hanya dapat dibaca",
                "is on a read-only disk",
            ),
            K::AlreadyExists => ("sudah ada", "already exists"),
            K::IsADirectory => ("adalah folder, bukan berkas", "is a folder, not a file"),
            K::NotADirectory => ("bukan folder", "is not a folder"),
            K::DirectoryNotEmpty => ("masih berisi berkas", "still holds files"),
            K::InvalidFilename => ("bernama tidak sah", "has a name that is not allowed"),
            K::UnexpectedEof => ("terpotong", "is cut short"),
            K::BrokenPipe => ("tertutup oleh penerimanya", "was closed by its reader"),
            _ => ("tidak dapat diakses", "cannot be accessed"),
        };
        Error::new(
            ErrorKind::Io,
            format!("Berkas atau folder {p} {id}."),
            format!("The file or folder {p} {en}."),
        )
    }

    /// The disk is full: nothing was saved, and what is stored can still be read.
    pub fn disk_full() -> Self {
        Error::new(
            ErrorKind::DiskFull,
            "Disk penuh: perubahan tidak disimpan. Data yang sudah tersimpan tetap dapat dibaca; kosongkan ruang disk lalu coba lagi.",
            "The disk is full: the change was not saved. What is stored can still be read; free some disk space and try again.",
        )
    }

    /// The disk (or the folder) can only be read: nothing can be saved there.
    pub fn read_only_disk(dir: &std::path::Path) -> Self {
        Error::new(
            ErrorKind::Io,
            format!(
                "Folder {} hanya dapat dibaca (disk terkunci tulis atau dipasang hanya-baca): Bansos tidak dapat menyimpan apa pun di sana. Data tidak rusak.",
                dir.display()
            ),
            format!(
                "The folder {} can only be read (a write-protected or read-only disk): Bansos cannot save anything there. The data is not damaged.",
                dir.display()
            ),
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

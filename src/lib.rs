//! Bansos: the records of a correctional facility's monthly social aid (*bantuan sosial*) to poor
//! families of its inmates and its neighbours.
//!
//! This crate is the whole core: the encrypted store, the domain rules and the use cases, with no
//! user interface. [`app::App`] is the façade: open it with credentials, call one method per use
//! case. The `bansos` command line and the desktop shell (`src-tauri`) are thin layers over it.

pub mod app;
pub mod attachment;
pub mod audit;
pub mod backup;
pub mod bench;
pub mod bundle;
pub mod clock;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod distribution;
pub mod error;
pub mod facility;
pub mod family;
pub mod files;
pub mod handover;
pub mod inbox;
pub mod kanwil;
pub mod keyring;
pub mod limits;
pub mod locale;
pub mod month;
pub mod outbox;
pub mod pdf;
pub mod progress;
pub mod receipt;
pub mod region;
pub mod sign;
pub mod staff;
pub mod stock;

pub use app::{App, Credentials};
pub use error::{Error, ErrorKind, Result};

/// Where the database lives unless `BANSOS_DB` says otherwise: the user's data folder
/// (`~/.local/share/bansos/bansos.db` on Linux). The window and the command line agree on it.
pub fn default_db_path() -> std::path::PathBuf {
    if let Some(p) = std::env::var_os("BANSOS_DB").filter(|p| !p.is_empty()) {
        return p.into();
    }
    dirs::data_dir()
        .unwrap_or_else(|| std::path::PathBuf::from("."))
        .join("bansos")
        .join("bansos.db")
}

/// Bytes sent by the window as base64 (file contents). A bad string is the caller's error.
pub fn decode_base64(field: &str, s: &str) -> Result<Vec<u8>> {
    use base64::Engine;
    let s = s.trim();
    let s = s.split_once(";base64,").map_or(s, |(_, d)| d);
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|_| {
            Error::invalid(
                field,
                "Isi berkas tidak terbaca (bukan base64).",
                "The file's content could not be read (not base64).",
            )
        })
}

/// A file's contents sent by the window as base64, of at most `limit` bytes: a longer text is
/// refused by its length before it is decoded (4 characters carry 3 bytes), in the words
/// `files::read_bounded` uses for a file on disk. `name` is the file's name, or empty.
pub fn decode_file_base64(field: &str, name: &str, s: &str, limit: usize) -> Result<Vec<u8>> {
    let text = s.trim();
    let text = text.split_once(";base64,").map_or(text, |(_, d)| d);
    let at_most = text.len() / 4 * 3;
    // A file of exactly `limit` bytes is at most two bytes longer here (its padding).
    if at_most > limit + 2 {
        return Err(files::too_large(field, name, at_most as u64, limit));
    }
    let bytes = decode_base64(field, text)?;
    if bytes.len() > limit {
        return Err(files::too_large(field, name, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

pub fn encode_base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Bytes as unpadded base64url (signatures in QR codes).
pub fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Unpadded base64url back to bytes, `None` when it is not.
pub fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .ok()
}

/// The folder the window's save dialog first opens in, before it remembers one: Documents (or
/// the home folder).
pub fn default_save_dir() -> std::path::PathBuf {
    dirs::document_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| std::path::PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Lang;

    /// A file from the window within its limit is decoded; one past it is refused by the text's
    /// length, naming the file and both sizes, before any of it is decoded.
    #[test]
    fn a_file_from_the_window_is_refused_past_its_limit_before_it_is_decoded() {
        let thirty = encode_base64(&[7u8; 30]);
        assert_eq!(
            decode_file_base64("file", "a.csv", &thirty, 30)
                .unwrap()
                .len(),
            30
        );
        let data_url = format!("data:text/csv;base64,{thirty}");
        assert_eq!(
            decode_file_base64("file", "a.csv", &data_url, 30)
                .unwrap()
                .len(),
            30
        );
        let e = decode_file_base64("file", "a.csv", &encode_base64(&[7u8; 31]), 30).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("file"));
        // Two megabytes of text that is not even base64: refused by its length, not as unreadable.
        let big = "!".repeat(2 * 1024 * 1024);
        let e = decode_file_base64("image", "", &big, 1024 * 1024).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("image"));
        assert_eq!(
            e.message(Lang::Id),
            "Berkas terlalu besar (1,5 MB; paling besar 1 MB)."
        );
        assert_eq!(
            e.message(Lang::En),
            "The file is too large (1.5 MB; at most 1 MB)."
        );
        let e = decode_file_base64("file", "bnba.xlsx", &big, 1024 * 1024).unwrap_err();
        assert!(
            e.message(Lang::Id)
                .starts_with("Berkas bnba.xlsx terlalu besar"),
            "{e:?}"
        );
        // Within the limit but not base64: unreadable, as before.
        let e = decode_file_base64("file", "a.csv", "!!!!", 30).unwrap_err();
        assert!(e.message(Lang::En).contains("not base64"), "{e:?}");
    }
}

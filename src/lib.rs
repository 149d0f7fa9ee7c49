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

//! Bansos: the records of a correctional facility's monthly social aid (*bantuan sosial*) to poor
//! families of its inmates and its neighbours.
//!
//! This crate is the whole core: the encrypted store, the domain rules and the use cases, with no
//! user interface. [`app::App`] is the façade: open it with credentials, call one method per use
//! case. The `bansos` command line and the desktop shell (`src-tauri`) are thin layers over it.

pub mod app;
pub mod audit;
pub mod backup;
pub mod clock;
pub mod db;
pub mod error;
pub mod facility;
pub mod family;
pub mod keyring;
pub mod locale;
pub mod region;
pub mod staff;

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

//! Where a file the window saves goes: the name the core suggests, the folder the save dialog
//! first opens in, and — for the window test only — a folder that stands in for the dialog.
//! Mirrors `ui/src/ipc/save.ts`; the dialog itself is the dialog plugin's (`dialog:allow-save`).

use crate::{Res, Shell};
use bansos::app::{Export, FileFormat};
use serde::Serialize;
use std::path::Path;
use tauri::State;

/// TEST ONLY. When set, no save dialog opens: every file is saved as `<this folder>/<suggested
/// name>`. WebDriver cannot drive the system's native dialog, so the window test
/// (`tests/window/window.rs`) sets it; nobody else should.
pub const TEST_SAVE_DIR: &str = "BANSOS_TEST_SAVE_DIR";

/// What the save dialog starts from. Mirrored by hand in `ui/src/ipc/save.ts`.
#[derive(Debug, Serialize)]
pub struct SaveTarget {
    /// The suggested file name (`laporan-bulanan-2024-11-20241203-091500.pdf`) in the folder the
    /// dialog opens in.
    pub default_path: String,
    /// Set only under [`TEST_SAVE_DIR`]: the path to save to without asking.
    pub test_path: Option<String>,
}

/// The dialog opens in the folder of `last` (the file saved last, as the window remembers it)
/// while that folder is still there — a USB stick may be gone — else in Documents.
#[tauri::command(async)]
pub fn save_target(
    s: State<'_, Shell>,
    what: Export,
    format: FileFormat,
    last: Option<String>,
) -> Res<SaveTarget> {
    let name = s.with_app(|a| a.export_name(&what, format))?;
    let folder = last
        .as_deref()
        .and_then(|l| Path::new(l).parent())
        .filter(|d| d.is_absolute() && d.is_dir())
        .map(Path::to_path_buf)
        .unwrap_or_else(bansos::default_save_dir);
    Ok(SaveTarget {
        default_path: folder.join(&name).display().to_string(),
        test_path: s
            .test_save_dir
            .as_ref()
            .map(|d| d.join(&name).display().to_string()),
    })
}

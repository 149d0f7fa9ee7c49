//! Where a file the window saves goes: the name the core suggests, the folder the save dialog
//! first opens in, and — for the window test only — a folder that stands in for the dialog; and,
//! the same way, a folder that stands in for the open dialog (files the window reads by path: a
//! bundle, an answer, a registration or enrollment file). Mirrors `ui/src/ipc/save.ts`; the
//! dialogs themselves are the dialog plugin's (`dialog:allow-save`, `dialog:allow-open`).

use crate::{Res, Shell};
use bansos::app::{Export, FileFormat};
use bansos::{Error, ErrorKind};
use serde::Serialize;
use std::path::Path;
use tauri::State;

/// TEST ONLY. When set, no save dialog opens: every file is saved as `<this folder>/<suggested
/// name>`. WebDriver cannot drive the system's native dialog, so the window test
/// (`tests/window/window.rs`) sets it; nobody else should.
pub const TEST_SAVE_DIR: &str = "BANSOS_TEST_SAVE_DIR";

/// TEST ONLY. When set, no open dialog opens: a choice of files answers this folder's files with
/// the asked ending (sorted), a choice of folder answers the folder itself. WebDriver cannot drive
/// the system's native dialog, so the window test (`tests/window/window.rs`) sets it; nobody
/// else should.
pub const TEST_OPEN_DIR: &str = "BANSOS_TEST_OPEN_DIR";

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

/// The same for a file whose name the core gave with its data (a bundle's `file_name`, a
/// registration's `enrollment_file`) or that the window names (`rekap-…`): `name` is taken as a
/// file name only, never as a path.
#[tauri::command(async)]
pub fn save_target_named(
    s: State<'_, Shell>,
    name: String,
    last: Option<String>,
) -> Res<SaveTarget> {
    s.with_app(|_| Ok(()))?;
    let plain = Path::new(&name)
        .file_name()
        .filter(|n| n.to_str() == Some(name.as_str()))
        .is_some();
    if !plain || name.starts_with('.') {
        return Err(s.err(Error::new(
            ErrorKind::Invalid,
            format!("{name} bukan nama berkas."),
            format!("{name} is not a file name."),
        )));
    }
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

/// TEST ONLY ([`TEST_OPEN_DIR`]): what the open dialog would have answered, or null when the
/// dialog is to be shown. `folder`: the folder itself; else its files ending in `.<ending>`.
#[tauri::command(async)]
pub fn open_test_paths(
    s: State<'_, Shell>,
    ending: String,
    folder: bool,
) -> Res<Option<Vec<String>>> {
    let Some(dir) = s.test_open_dir.as_ref() else {
        return Ok(None);
    };
    if folder {
        return Ok(Some(vec![dir.display().to_string()]));
    }
    let suffix = format!(".{ending}");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| s.err(Error::io(dir, e)))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(&suffix))
        .map(|p| p.display().to_string())
        .collect();
    found.sort();
    Ok(Some(found))
}

//! The beneficiary registry: regions, families, duplicates, import and export. Mirrors
//! `ui/src/ipc/family.ts`.

use crate::{Res, Shell};
use bansos::app::{ImportPreview, ImportResult, Saved, SavedFile};
use bansos::family::import::ImportField;
use bansos::family::view::{DuplicatePair, DuplicateStatus, Resolution};
use bansos::family::{Category, FamilyCheck, FamilyDetail, FamilyFilter, FamilyInput, FamilyPage};
use bansos::region::Region;
use tauri::State;

#[tauri::command(async)]
pub fn region_children(s: State<'_, Shell>, parent: String) -> Res<Vec<Region>> {
    s.with_app(|a| a.regions(&parent))
}

#[tauri::command(async)]
pub fn family_list(
    s: State<'_, Shell>,
    filter: FamilyFilter,
    limit: u32,
    offset: u32,
) -> Res<FamilyPage> {
    s.with_app(|a| a.family_list(&filter, limit, offset))
}

#[tauri::command(async)]
pub fn family_get(s: State<'_, Shell>, id: i64) -> Res<FamilyDetail> {
    s.with_app(|a| a.family_get(id))
}

#[tauri::command(async)]
pub fn family_check(
    s: State<'_, Shell>,
    input: FamilyInput,
    editing: Option<i64>,
) -> Res<FamilyCheck> {
    let lang = s.lang();
    s.with_app(|a| a.family_check(&input, editing, lang))
}

#[tauri::command(async)]
pub fn family_add(s: State<'_, Shell>, input: FamilyInput) -> Res<Saved> {
    s.with_app(|a| a.family_add(&input))
}

#[tauri::command(async)]
pub fn family_update(s: State<'_, Shell>, id: i64, input: FamilyInput) -> Res<Saved> {
    s.with_app(|a| a.family_update(id, &input))
}

#[tauri::command(async)]
pub fn family_verify(s: State<'_, Shell>, id: i64, evidence: String) -> Res<FamilyDetail> {
    s.with_app(|a| a.family_verify(id, &evidence))
}

#[tauri::command(async)]
pub fn family_set_active(
    s: State<'_, Shell>,
    id: i64,
    active: bool,
    reason: String,
) -> Res<FamilyDetail> {
    s.with_app(|a| a.family_set_active(id, active, &reason))
}

#[tauri::command(async)]
pub fn duplicate_list(
    s: State<'_, Shell>,
    status: Option<DuplicateStatus>,
) -> Res<Vec<DuplicatePair>> {
    s.with_app(|a| a.duplicates(status))
}

#[tauri::command(async)]
pub fn duplicate_resolve(s: State<'_, Shell>, id: i64, resolution: Resolution) -> Res<()> {
    s.with_app(|a| a.resolve_duplicate(id, &resolution))
}

/// A sheet sent by the window: refused past the import's limit before it is decoded.
fn sheet_bytes(file_name: &str, data: &str) -> bansos::Result<Vec<u8>> {
    bansos::decode_file_base64("file", file_name, data, bansos::limits::IMPORT_FILE_BYTES)
}

#[tauri::command(async)]
pub fn import_preview(
    s: State<'_, Shell>,
    file_name: String,
    data: String,
    mapping: Option<Vec<Option<ImportField>>>,
    category: Category,
) -> Res<ImportPreview> {
    let lang = s.lang();
    s.with_app(|a| {
        let bytes = sheet_bytes(&file_name, &data)?;
        a.import_preview(&file_name, &bytes, mapping.as_deref(), category, lang)
    })
}

#[tauri::command(async)]
pub fn import_commit(
    s: State<'_, Shell>,
    file_name: String,
    data: String,
    mapping: Option<Vec<Option<ImportField>>>,
    category: Category,
) -> Res<ImportResult> {
    s.with_app(|a| {
        let bytes = sheet_bytes(&file_name, &data)?;
        a.import_commit(&file_name, &bytes, mapping.as_deref(), category)
    })
}

#[tauri::command(async)]
pub fn family_export(s: State<'_, Shell>, path: String) -> Res<SavedFile> {
    s.with_app(|a| a.save_registry_export(std::path::Path::new(&path)))
}

//! The facility's profile, logo, numbering and the regional office's keys. Mirrors
//! `ui/src/ipc/facility.ts`.

use crate::{Res, Shell};
use bansos::app::FacilitySettings;
use bansos::facility::{Facility, RegionalKeyInput};
use bansos::locale::TimeZone;
use bansos::App;
use tauri::State;

/// The live preview under the numbering-pattern field; needs no session (the wizard uses it).
#[tauri::command(async)]
pub fn receipt_number_preview(
    s: State<'_, Shell>,
    pattern: String,
    code: String,
    time_zone: TimeZone,
) -> Res<String> {
    App::preview_receipt_number(&pattern, &code, time_zone).map_err(|e| s.err(e))
}

#[tauri::command(async)]
pub fn facility_get(s: State<'_, Shell>) -> Res<Facility> {
    s.with_app(|a| a.facility())
}

#[tauri::command(async)]
pub fn facility_update(s: State<'_, Shell>, settings: FacilitySettings) -> Res<Facility> {
    s.with_app(|a| a.update_facility(&settings))
}

#[tauri::command(async)]
pub fn facility_set_logo(s: State<'_, Shell>, logo_base64: Option<String>) -> Res<Facility> {
    s.with_app(|a| a.set_logo(logo_base64.as_deref()))
}

#[tauri::command(async)]
pub fn regional_key_add(s: State<'_, Shell>, key: RegionalKeyInput) -> Res<Facility> {
    s.with_app(|a| a.add_regional_key(&key))
}

#[tauri::command(async)]
pub fn regional_key_remove(s: State<'_, Shell>, id: i64) -> Res<Facility> {
    s.with_app(|a| a.remove_regional_key(id))
}

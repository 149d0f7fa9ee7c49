//! Beranda: the facility's month at a glance, or the Kanwil's province month. Mirrors
//! `ui/src/ipc/dashboard.ts`.

use crate::{Res, Shell};
use bansos::dashboard::{Dashboard, RegionalDashboard};
use tauri::State;

#[tauri::command(async)]
pub fn dashboard(s: State<'_, Shell>) -> Res<Dashboard> {
    s.with_app(|a| a.dashboard())
}

#[tauri::command(async)]
pub fn regional_dashboard(s: State<'_, Shell>) -> Res<RegionalDashboard> {
    s.with_app(|a| a.regional_dashboard())
}

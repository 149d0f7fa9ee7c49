//! Staff accounts and one's own password. Mirrors `ui/src/ipc/staff.ts`.

use crate::{Res, Shell};
use bansos::staff::{NewStaff, Role, Staff};
use tauri::State;

#[tauri::command(async)]
pub fn staff_list(s: State<'_, Shell>) -> Res<Vec<Staff>> {
    s.with_app(|a| a.staff_list())
}

#[tauri::command(async)]
pub fn staff_add(s: State<'_, Shell>, staff: NewStaff) -> Res<Staff> {
    s.with_app(|a| a.add_staff(&staff))
}

#[tauri::command(async)]
pub fn staff_set_active(
    s: State<'_, Shell>,
    id: i64,
    active: bool,
    reason: String,
    password: Option<String>,
) -> Res<Staff> {
    s.with_app(|a| a.set_staff_active(id, active, &reason, password.as_deref()))
}

#[tauri::command(async)]
pub fn staff_set_role(s: State<'_, Shell>, id: i64, role: Role) -> Res<Staff> {
    s.with_app(|a| a.set_staff_role(id, role))
}

#[tauri::command(async)]
pub fn staff_unlock(s: State<'_, Shell>, id: i64) -> Res<Staff> {
    s.with_app(|a| a.unlock_staff(id))
}

#[tauri::command(async)]
pub fn staff_reset_password(s: State<'_, Shell>, id: i64, password: String) -> Res<()> {
    s.with_app(|a| a.reset_password(id, &password))
}

#[tauri::command(async)]
pub fn password_change(s: State<'_, Shell>, old: String, new: String) -> Res<()> {
    s.with_app(|a| a.change_password(&old, &new))
}

//! Backups by hand. Mirrors `ui/src/ipc/backup.ts`.

use crate::{Res, Shell};
use bansos::backup::BackupInfo;
use tauri::State;

#[tauri::command(async)]
pub fn backup_now(s: State<'_, Shell>) -> Res<BackupInfo> {
    s.with_app(|a| a.backup_now())
}

#[tauri::command(async)]
pub fn backup_list(s: State<'_, Shell>) -> Res<Vec<BackupInfo>> {
    s.with_app(|a| a.backups())
}

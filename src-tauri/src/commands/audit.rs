//! The audit log. Mirrors `ui/src/ipc/audit.ts`.

use crate::{Res, Shell};
use bansos::audit::{AuditEntry, AuditReport};
use tauri::State;

#[tauri::command(async)]
pub fn audit_list(
    s: State<'_, Shell>,
    before_seq: Option<i64>,
    limit: u32,
) -> Res<Vec<AuditEntry>> {
    s.with_app(|a| a.audit_list(before_seq, limit))
}

#[tauri::command(async)]
pub fn audit_verify(s: State<'_, Shell>) -> Res<AuditReport> {
    s.with_app(|a| a.audit_verify())
}

//! Monthly closing (*tutup buku*): the months and their state, a month's checklist, closing and
//! reopening (the Kepala UPT), the stored report and its files saved into the export folder.
//! Mirrors `ui/src/ipc/month.ts` (and the command line's `month`).

use crate::{Res, Shell};
use bansos::app::SavedFile;
use bansos::month::{Checklist, Closing, MonthLine, MonthlyReport};
use tauri::State;

#[tauri::command(async)]
pub fn month_list(s: State<'_, Shell>) -> Res<Vec<MonthLine>> {
    s.with_app(|a| a.months())
}

#[tauri::command(async)]
pub fn month_checklist(s: State<'_, Shell>, period: String) -> Res<Checklist> {
    s.with_app(|a| a.month_checklist(&period))
}

#[tauri::command(async)]
pub fn month_close(s: State<'_, Shell>, period: String) -> Res<Closing> {
    s.with_app(|a| a.close_month(&period))
}

#[tauri::command(async)]
pub fn month_reopen(s: State<'_, Shell>, period: String, reason: String) -> Res<Closing> {
    s.with_app(|a| a.reopen_month(&period, &reason))
}

#[tauri::command(async)]
pub fn month_report(
    s: State<'_, Shell>,
    period: String,
    revision: Option<u32>,
) -> Res<MonthlyReport> {
    s.with_app(|a| a.month_report(&period, revision))
}

/// The stored PDF (`format` "pdf") or XLSX of a closed month's report, saved as it was stored.
#[tauri::command(async)]
pub fn month_report_save(
    s: State<'_, Shell>,
    period: String,
    revision: Option<u32>,
    format: String,
) -> Res<SavedFile> {
    let pdf = format == "pdf";
    s.with_app(|a| a.save_month_report(&period, revision, pdf))
}

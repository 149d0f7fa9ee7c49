//! Monthly closing (*tutup buku*): the months and their state, a month's checklist, closing and
//! reopening (the Kepala UPT), the stored report and its files, the public summary (its words
//! for the preview, its signed files), each saved at the path chosen in the save dialog.
//! Mirrors `ui/src/ipc/month.ts` (and the command line's `month`).

use crate::{Res, Shell};
use bansos::app::{SavedFile, SummaryWords};
use bansos::month::{Checklist, Closing, MonthLine, MonthOverview, MonthlyReport};
use std::path::Path;
use tauri::State;

#[tauri::command(async)]
pub fn month_list(s: State<'_, Shell>) -> Res<Vec<MonthLine>> {
    s.with_app(|a| a.months())
}

#[tauri::command(async)]
pub fn month_overview(s: State<'_, Shell>) -> Res<MonthOverview> {
    s.with_app(|a| a.month_overview())
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
    path: String,
) -> Res<SavedFile> {
    let pdf = format == "pdf";
    s.with_app(|a| a.save_month_report(&period, revision, pdf, Path::new(&path)))
}

/// A closed month's public summary in the words its files print, for the preview.
#[tauri::command(async)]
pub fn month_summary(s: State<'_, Shell>, period: String) -> Res<SummaryWords> {
    s.with_app(|a| a.public_summary_month_words(&period))
}

/// A closed month's public summary, signed, as PDF (`format` "pdf") or HTML.
#[tauri::command(async)]
pub fn month_summary_save(
    s: State<'_, Shell>,
    period: String,
    format: String,
    path: String,
) -> Res<SavedFile> {
    let html = format == "html";
    s.with_app(|a| a.save_month_summary(&period, html, Path::new(&path)))
}

/// A completed event's public summary, signed, as PDF (`format` "pdf") or HTML.
#[tauri::command(async)]
pub fn event_summary_save(
    s: State<'_, Shell>,
    event_id: i64,
    format: String,
    path: String,
) -> Res<SavedFile> {
    let html = format == "html";
    s.with_app(|a| a.save_event_summary(event_id, html, Path::new(&path)))
}

//! The exchange with the regional office, both sides: at a facility the registration, the
//! enrollment, the outbox (each bundle saved where the save dialog says) and the Kanwil's
//! answers; at a Kanwil (regional mode) registering facilities, importing bundles, the recap,
//! completeness and cross-facility pairs. Mirrors `ui/src/ipc/exchange.ts` (and the command
//! line's `bundle`, `outbox`, `facility registration|enroll`, `regional`).

use crate::{Res, Shell};
use bansos::app::{
    AnswerOutcome, EnrollmentInfo, FileOutcome, ImportReport, MemberFacility, Registered, SavedFile,
};
use bansos::kanwil::{CompletenessRow, CrossPair, Recap};
use bansos::outbox::OutboxState;
use std::path::{Path, PathBuf};
use tauri::State;

#[tauri::command(async)]
pub fn registration_save(s: State<'_, Shell>, path: String) -> Res<SavedFile> {
    s.with_app(|a| a.save_registration(Path::new(&path)))
}

#[tauri::command(async)]
pub fn enrollment_import(
    s: State<'_, Shell>,
    path: String,
    fingerprint: Option<String>,
) -> Res<EnrollmentInfo> {
    s.with_app(|a| a.import_enrollment_file(Path::new(&path), fingerprint.as_deref()))
}

#[tauri::command(async)]
pub fn outbox_state(s: State<'_, Shell>) -> Res<OutboxState> {
    s.with_app(|a| a.outbox())
}

#[tauri::command(async)]
pub fn bundle_save(s: State<'_, Shell>, seq: u64, path: String) -> Res<SavedFile> {
    s.with_app(|a| a.save_bundle(seq, Path::new(&path)))
}

#[tauri::command(async)]
pub fn answers_import(
    s: State<'_, Shell>,
    paths: Vec<String>,
) -> Res<Vec<FileOutcome<AnswerOutcome>>> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    s.with_app(|a| a.import_answer_files(&paths))
}

#[tauri::command(async)]
pub fn registration_read(s: State<'_, Shell>, path: String) -> Res<Registered> {
    s.with_app(|a| a.read_registration_file(Path::new(&path)))
}

#[tauri::command(async)]
pub fn facility_register(
    s: State<'_, Shell>,
    path: String,
    fingerprint: String,
    enrollment: String,
) -> Res<SavedFile> {
    s.with_app(|a| a.register_facility_file(Path::new(&path), &fingerprint, Path::new(&enrollment)))
}

#[tauri::command(async)]
pub fn members(s: State<'_, Shell>) -> Res<Vec<MemberFacility>> {
    s.with_app(|a| a.members())
}

#[tauri::command(async)]
pub fn member_revoke(s: State<'_, Shell>, code: String, reason: String) -> Res<()> {
    s.with_app(|a| a.revoke_facility(&code, &reason))
}

#[tauri::command(async)]
pub fn head_answer_save(s: State<'_, Shell>, code: String, path: String) -> Res<SavedFile> {
    s.with_app(|a| a.save_head_answer(&code, Path::new(&path)))
}

#[tauri::command(async)]
pub fn bundles_import(
    s: State<'_, Shell>,
    paths: Vec<String>,
    answers: String,
) -> Res<ImportReport> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    s.with_app(|a| a.import_bundle_files(&paths, Path::new(&answers)))
}

#[tauri::command(async)]
pub fn regional_recap(s: State<'_, Shell>, period: String) -> Res<Recap> {
    s.with_app(|a| a.regional_recap(&period))
}

/// The recap as PDF (`format` "pdf") or XLSX at `path`.
#[tauri::command(async)]
pub fn regional_recap_save(
    s: State<'_, Shell>,
    period: String,
    format: String,
    path: String,
) -> Res<SavedFile> {
    let pdf = format == "pdf";
    s.with_app(|a| a.save_recap(&period, pdf, Path::new(&path)))
}

#[tauri::command(async)]
pub fn regional_completeness(s: State<'_, Shell>, period: String) -> Res<Vec<CompletenessRow>> {
    s.with_app(|a| a.regional_completeness(&period))
}

#[tauri::command(async)]
pub fn regional_duplicates(s: State<'_, Shell>, period: String) -> Res<Vec<CrossPair>> {
    s.with_app(|a| a.regional_duplicates(&period))
}

#[tauri::command(async)]
pub fn due_day_set(s: State<'_, Shell>, day: u32) -> Res<()> {
    s.with_app(|a| a.set_due_day(day))
}

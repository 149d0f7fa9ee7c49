//! The exchange with the regional office, both sides: at a facility the registration, the
//! enrollment, the outbox (each bundle saved where the save dialog says, or sent to the Kanwil's
//! inbox: its address, and "Kirim sekarang" through `upload.rs`), the Kanwil's answers,
//! a change of the signing key (its statement for the Kanwil) and a by-name list the Kanwil
//! asked for; at a Kanwil (regional mode) registering facilities, importing bundles (with the
//! key rotation statements among them), the recap, completeness, cross-facility pairs and
//! opening a by-name list. Mirrors `ui/src/ipc/exchange.ts` (and the command line's `bundle`,
//! `outbox` (`config --url`, `send`), `facility registration|enroll|rotate-key|rotation|byname`,
//! `regional`).

use crate::{Res, Shell};
use bansos::app::{
    AnswerOutcome, ByNameMade, ByNameOpened, EnrollmentInfo, FileOutcome, ImportReport, KeyRotated,
    MemberFacility, Registered, SavedFile,
};
use bansos::inbox::upload::SendReport;
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

/// Sets the Kanwil's inbox address (`https://…`); an empty one clears it, and bundles then go by
/// file only. Kepala UPT or Admin. Answers the address as stored.
#[tauri::command(async)]
pub fn inbox_url_set(s: State<'_, Shell>, url: String) -> Res<Option<String>> {
    let url = url.trim();
    s.with_app(|a| a.set_inbox_url((!url.is_empty()).then_some(url)))
}

/// Sends every bundle not yet answered for good to the inbox now, those stopped or waiting
/// their next try too; off the window's thread, the database held only between network calls.
#[tauri::command(async)]
pub fn outbox_send_now(s: State<'_, Shell>) -> Res<SendReport> {
    s.send_now()
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

/// Changes the facility's signing key. The statement for the Kanwil is stored with the change;
/// the window saves it next, where the save dialog says ([`rotation_save`]).
#[tauri::command(async)]
pub fn key_rotate(s: State<'_, Shell>, reason: String) -> Res<KeyRotated> {
    s.with_app(|a| a.rotate_key(&reason).map(|(r, _)| r))
}

/// The name of the latest key rotation statement's file.
#[tauri::command(async)]
pub fn rotation_name(s: State<'_, Shell>) -> Res<String> {
    s.with_app(|a| a.rotation_file().map(|(name, _)| name))
}

/// The latest key rotation statement, saved at `path` (again, as often as needed).
#[tauri::command(async)]
pub fn rotation_save(s: State<'_, Shell>, path: String) -> Res<SavedFile> {
    s.with_app(|a| a.save_rotation(Path::new(&path)))
}

/// The by-name list of a closed `period` for the Kanwil's request `reference`, saved at `path`.
#[tauri::command(async)]
pub fn byname_save(
    s: State<'_, Shell>,
    period: String,
    reference: String,
    path: String,
) -> Res<(ByNameMade, SavedFile)> {
    s.with_app(|a| a.save_byname(&period, &reference, Path::new(&path)))
}

/// Opens a facility's by-name list at `path` (at the Kanwil).
#[tauri::command(async)]
pub fn byname_open(s: State<'_, Shell>, path: String) -> Res<ByNameOpened> {
    s.with_app(|a| a.open_byname_file(Path::new(&path)))
}

/// The by-name list at `source`, opened again and saved as XLSX at `path`: the sheet is made from
/// the file as checked and decrypted now, never from what the window holds (and this opening is
/// written in the audit log too).
#[tauri::command(async)]
pub fn byname_xlsx_save(s: State<'_, Shell>, source: String, path: String) -> Res<SavedFile> {
    s.with_app(|a| a.save_byname_xlsx(Path::new(&source), Path::new(&path)))
}

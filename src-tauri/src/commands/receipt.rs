//! The BAST: its paper on screen, prints, PDFs, an event's papers, and checking a scanned code
//! or a public summary file. Mirrors `ui/src/ipc/receipt.ts` (and the command line's
//! `receipt.rs`). A PDF is saved at the path the person chose in the save dialog.

use crate::{IpcError, Res, Shell};
use bansos::app::{ReceiptCheck, SavedFile};
use bansos::month::summary::SummaryCheck;
use bansos::receipt::bast::BastPaper;
use bansos::ErrorKind;
use std::path::Path;
use tauri::State;

#[tauri::command(async)]
pub fn bast_paper(s: State<'_, Shell>, id: i64) -> Res<BastPaper> {
    s.with_app(|a| a.bast_paper(id))
}

/// Marks receipts as printed (original, then SALINAN) and returns what the print shows; the
/// window then opens the system print dialog.
#[tauri::command(async)]
pub fn receipt_print(s: State<'_, Shell>, ids: Vec<i64>) -> Res<Vec<BastPaper>> {
    s.with_app(|a| a.print_receipts(&ids))
}

/// Opens the system print dialog for what the window shows (WebKitGTK's own print operation:
/// `window.print()` alone does not reach it from a Tauri window).
#[tauri::command(async)]
pub fn print_page(s: State<'_, Shell>, window: tauri::WebviewWindow) -> Res<()> {
    window.print().map_err(|_| IpcError {
        code: ErrorKind::Internal,
        message: match s.lang() {
            bansos::locale::Lang::Id => "Dialog cetak tidak dapat dibuka.".into(),
            bansos::locale::Lang::En => "The print dialog could not be opened.".into(),
        },
        field: None,
    })
}

#[tauri::command(async)]
pub fn letterhead_logo(s: State<'_, Shell>) -> Res<Option<String>> {
    s.with_app(|a| Ok(a.letterhead_logo()?.map(|b| bansos::encode_base64(&b))))
}

#[tauri::command(async)]
pub fn receipt_pdf_save(s: State<'_, Shell>, id: i64, path: String) -> Res<SavedFile> {
    s.with_app(|a| a.save_receipt_pdf(id, Path::new(&path)))
}

#[tauri::command(async)]
pub fn event_receipts_save(s: State<'_, Shell>, event_id: i64, path: String) -> Res<SavedFile> {
    s.with_app(|a| a.save_event_receipts(event_id, Path::new(&path)))
}

#[tauri::command(async)]
pub fn attendance_save(s: State<'_, Shell>, event_id: i64, path: String) -> Res<SavedFile> {
    s.with_app(|a| a.save_attendance(event_id, Path::new(&path)))
}

#[tauri::command(async)]
pub fn receipt_verify(
    s: State<'_, Shell>,
    payload: String,
    nik: Option<String>,
) -> Res<ReceiptCheck> {
    s.with_app(|a| a.verify_receipt(&payload, nik.as_deref()))
}

#[tauri::command(async)]
pub fn receipt_verify_image(
    s: State<'_, Shell>,
    data: String,
    nik: Option<String>,
) -> Res<ReceiptCheck> {
    s.with_app(|a| {
        let bytes =
            bansos::decode_file_base64("image", "", &data, bansos::limits::PICTURE_FILE_BYTES)?;
        a.verify_receipt_image(&bytes, nik.as_deref())
    })
}

/// Checks a public summary file (PDF or HTML, as base64): refused past
/// `limits::SUMMARY_FILE_BYTES` before it is decoded whole.
#[tauri::command(async)]
pub fn summary_verify(s: State<'_, Shell>, data: String) -> Res<SummaryCheck> {
    s.with_app(|a| {
        let limit = bansos::limits::SUMMARY_FILE_BYTES;
        // base64 carries 3 bytes in 4 characters.
        if data.len() / 4 * 3 > limit + 3 {
            return Err(bansos::Error::invalid(
                "file",
                format!(
                    "Berkas ringkasan terlalu besar (paling besar {} MB).",
                    limit / 1_048_576
                ),
                format!(
                    "The summary file is too large (at most {} MB).",
                    limit / 1_048_576
                ),
            ));
        }
        let bytes = bansos::decode_base64("file", &data)?;
        a.verify_summary(&bytes)
    })
}

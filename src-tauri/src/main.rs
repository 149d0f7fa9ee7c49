//! The desktop shell: a Tauri window over the `bansos` core. Each command is a few lines that
//! call one `App` method; no SQL and no business rules live here. Commands run off the main
//! thread (`async`), so database and file work never freezes the window.
//!
//! The signed-in `App` sits in a mutex. Signing out, or going idle, drops it, which closes the
//! database and wipes its key from memory.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use bansos::app::ReceiptCheck;
use bansos::app::{BackupInfo, FacilitySettings, Overview, SessionInfo, StoreStatus};
use bansos::app::{ImportPreview, ImportResult, Saved};
use bansos::audit::{AuditEntry, AuditReport};
use bansos::clock::SystemClock;
use bansos::distribution::{
    Eligibility, Event, EventInput, Handover, Proxy, ShortageReport, Template, TemplateInput,
};
use bansos::facility::{Facility, FacilitySetup, RegionalKeyInput};
use bansos::family::import::ImportField;
use bansos::family::view::{AttachmentInfo, DuplicatePair, DuplicateStatus, Resolution};
use bansos::family::{Category, FamilyCheck, FamilyDetail, FamilyFilter, FamilyInput, FamilyPage};
use bansos::locale::{Lang, TimeZone};
use bansos::pdf::bast::BastPaper;
use bansos::region::Region;
use bansos::staff::{NewStaff, Role, Staff};
use bansos::stock::{
    Adjustment, AdjustmentInput, AdjustmentStatus, Donor, Item, NewItem, Opname, ReceiptInput,
    ReceiptSaved, StockCard, StockOverview,
};
use bansos::{App, Credentials, Error, ErrorKind};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tauri::State;

/// What crosses to the window when a command fails: a code to branch on, a message in the
/// window's language, and the form field it concerns.
#[derive(Debug, Serialize)]
struct IpcError {
    code: ErrorKind,
    message: String,
    field: Option<String>,
}

struct Shell {
    db: PathBuf,
    lang: Mutex<Lang>,
    app: Mutex<Option<App>>,
}

type Res<T> = Result<T, IpcError>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic inside a command must not brick the window: take the data as it is.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shell {
    fn lang(&self) -> Lang {
        *lock(&self.lang)
    }

    fn err(&self, e: Error) -> IpcError {
        IpcError {
            code: e.kind,
            message: e.message(self.lang()).to_owned(),
            field: e.field.clone(),
        }
    }

    /// Runs `f` on the signed-in `App`. An idle session is ended here, and says so.
    fn with_app<T>(&self, f: impl FnOnce(&mut App) -> bansos::Result<T>) -> Res<T> {
        let mut slot = lock(&self.app);
        let Some(app) = slot.as_mut() else {
            return Err(self.err(Error::new(
                ErrorKind::SessionExpired,
                "Anda belum masuk atau sesi sudah berakhir. Silakan masuk.",
                "You are not signed in or the session has ended. Please sign in.",
            )));
        };
        match f(app) {
            Ok(v) => Ok(v),
            Err(e) => {
                if e.kind == ErrorKind::SessionExpired {
                    if let Some(app) = slot.take() {
                        let _ = app.end_idle();
                    }
                }
                Err(self.err(e))
            }
        }
    }
}

#[tauri::command(async)]
fn app_status(s: State<'_, Shell>) -> Res<StoreStatus> {
    App::status(&s.db).map_err(|e| s.err(e))
}

#[tauri::command(async)]
fn set_language(s: State<'_, Shell>, lang: Lang) {
    *lock(&s.lang) = lang;
}

#[tauri::command(async)]
fn setup(s: State<'_, Shell>, setup: FacilitySetup, admin: NewStaff) -> Res<SessionInfo> {
    let mut app = App::init(&s.db, Arc::new(SystemClock), &setup, &admin).map_err(|e| s.err(e))?;
    let info = app.session_info().map_err(|e| s.err(e))?;
    *lock(&s.app) = Some(app);
    Ok(info)
}

#[tauri::command(async)]
fn sign_in(
    handle: tauri::AppHandle,
    s: State<'_, Shell>,
    username: String,
    password: String,
) -> Res<SessionInfo> {
    let creds = Credentials::new(&username, &password);
    let mut app = App::open(&s.db, Arc::new(SystemClock), &creds).map_err(|e| s.err(e))?;
    let info = app.session_info().map_err(|e| s.err(e))?;
    *lock(&s.app) = Some(app);
    // The name-search index (about half a second at 100,000 families) is built now, off the
    // command, rather than on the first keystroke in the Keluarga screen.
    std::thread::spawn(move || {
        use tauri::Manager;
        let shell = handle.state::<Shell>();
        let mut slot = lock(&shell.app);
        if let Some(app) = slot.as_mut() {
            let _ = app.warm_search_index();
        }
    });
    Ok(info)
}

#[tauri::command(async)]
fn sign_out(s: State<'_, Shell>) -> Res<()> {
    match lock(&s.app).take() {
        Some(app) => app.sign_out().map_err(|e| s.err(e)),
        None => Ok(()),
    }
}

#[tauri::command(async)]
fn session(s: State<'_, Shell>) -> Res<Option<SessionInfo>> {
    if lock(&s.app).is_none() {
        return Ok(None);
    }
    s.with_app(|a| a.session_info()).map(Some)
}

#[tauri::command(async)]
fn session_touch(s: State<'_, Shell>) -> Res<()> {
    s.with_app(|a| a.touch())
}

/// The live preview under the numbering-pattern field; needs no session (the wizard uses it).
#[tauri::command(async)]
fn receipt_number_preview(
    s: State<'_, Shell>,
    pattern: String,
    code: String,
    time_zone: TimeZone,
) -> Res<String> {
    let today = time_zone.today(chrono::Utc::now());
    bansos::facility::preview_receipt_number(&pattern, &code, today).map_err(|e| s.err(e))
}

#[tauri::command(async)]
fn overview(s: State<'_, Shell>) -> Res<Overview> {
    s.with_app(|a| a.overview())
}

#[tauri::command(async)]
fn facility_get(s: State<'_, Shell>) -> Res<Facility> {
    s.with_app(|a| a.facility())
}

#[tauri::command(async)]
fn facility_update(s: State<'_, Shell>, settings: FacilitySettings) -> Res<Facility> {
    s.with_app(|a| a.update_facility(&settings))
}

#[tauri::command(async)]
fn facility_set_logo(s: State<'_, Shell>, logo_base64: Option<String>) -> Res<Facility> {
    s.with_app(|a| a.set_logo(logo_base64.as_deref()))
}

#[tauri::command(async)]
fn regional_key_add(s: State<'_, Shell>, key: RegionalKeyInput) -> Res<Facility> {
    s.with_app(|a| a.add_regional_key(&key))
}

#[tauri::command(async)]
fn regional_key_remove(s: State<'_, Shell>, id: i64) -> Res<Facility> {
    s.with_app(|a| a.remove_regional_key(id))
}

#[tauri::command(async)]
fn staff_list(s: State<'_, Shell>) -> Res<Vec<Staff>> {
    s.with_app(|a| a.staff_list())
}

#[tauri::command(async)]
fn staff_add(s: State<'_, Shell>, staff: NewStaff) -> Res<Staff> {
    s.with_app(|a| a.add_staff(&staff))
}

#[tauri::command(async)]
fn staff_set_active(
    s: State<'_, Shell>,
    id: i64,
    active: bool,
    reason: String,
    password: Option<String>,
) -> Res<Staff> {
    s.with_app(|a| a.set_staff_active(id, active, &reason, password.as_deref()))
}

#[tauri::command(async)]
fn staff_set_role(s: State<'_, Shell>, id: i64, role: Role) -> Res<Staff> {
    s.with_app(|a| a.set_staff_role(id, role))
}

#[tauri::command(async)]
fn staff_unlock(s: State<'_, Shell>, id: i64) -> Res<Staff> {
    s.with_app(|a| a.unlock_staff(id))
}

#[tauri::command(async)]
fn staff_reset_password(s: State<'_, Shell>, id: i64, password: String) -> Res<()> {
    s.with_app(|a| a.reset_password(id, &password))
}

#[tauri::command(async)]
fn password_change(s: State<'_, Shell>, old: String, new: String) -> Res<()> {
    s.with_app(|a| a.change_password(&old, &new))
}

#[tauri::command(async)]
fn audit_list(s: State<'_, Shell>, before_seq: Option<i64>, limit: u32) -> Res<Vec<AuditEntry>> {
    s.with_app(|a| a.audit_list(before_seq, limit))
}

#[tauri::command(async)]
fn audit_verify(s: State<'_, Shell>) -> Res<AuditReport> {
    s.with_app(|a| a.audit_verify())
}

#[tauri::command(async)]
fn backup_now(s: State<'_, Shell>) -> Res<BackupInfo> {
    s.with_app(|a| a.backup_now())
}

#[tauri::command(async)]
fn backup_list(s: State<'_, Shell>) -> Res<Vec<BackupInfo>> {
    s.with_app(|a| a.backups())
}

// ----- registry ------------------------------------------------------------------------------

#[tauri::command(async)]
fn region_children(s: State<'_, Shell>, parent: String) -> Res<Vec<Region>> {
    s.with_app(|a| a.regions(&parent))
}

#[tauri::command(async)]
fn family_list(
    s: State<'_, Shell>,
    filter: FamilyFilter,
    limit: u32,
    offset: u32,
) -> Res<FamilyPage> {
    s.with_app(|a| a.family_list(&filter, limit, offset))
}

#[tauri::command(async)]
fn family_get(s: State<'_, Shell>, id: i64) -> Res<FamilyDetail> {
    s.with_app(|a| a.family_get(id))
}

#[tauri::command(async)]
fn family_check(s: State<'_, Shell>, input: FamilyInput, editing: Option<i64>) -> Res<FamilyCheck> {
    let lang = s.lang();
    s.with_app(|a| a.family_check(&input, editing, lang))
}

#[tauri::command(async)]
fn family_add(s: State<'_, Shell>, input: FamilyInput) -> Res<Saved> {
    s.with_app(|a| a.family_add(&input))
}

#[tauri::command(async)]
fn family_update(s: State<'_, Shell>, id: i64, input: FamilyInput) -> Res<Saved> {
    s.with_app(|a| a.family_update(id, &input))
}

#[tauri::command(async)]
fn family_verify(s: State<'_, Shell>, id: i64, evidence: String) -> Res<FamilyDetail> {
    s.with_app(|a| a.family_verify(id, &evidence))
}

#[tauri::command(async)]
fn family_set_active(
    s: State<'_, Shell>,
    id: i64,
    active: bool,
    reason: String,
) -> Res<FamilyDetail> {
    s.with_app(|a| a.family_set_active(id, active, &reason))
}

#[tauri::command(async)]
fn family_attach(
    s: State<'_, Shell>,
    id: i64,
    file_name: String,
    data: String,
    note: String,
) -> Res<AttachmentInfo> {
    s.with_app(|a| {
        a.family_attach(
            id,
            &file_name,
            &bansos::decode_base64("file", &data)?,
            &note,
        )
    })
}

#[derive(Serialize)]
struct AttachmentData {
    info: AttachmentInfo,
    /// base64
    data: String,
}

#[tauri::command(async)]
fn attachment_get(s: State<'_, Shell>, id: i64) -> Res<AttachmentData> {
    s.with_app(|a| {
        let (info, bytes) = a.attachment(id)?;
        Ok(AttachmentData {
            info,
            data: bansos::encode_base64(&bytes),
        })
    })
}

#[tauri::command(async)]
fn duplicate_list(s: State<'_, Shell>, status: Option<DuplicateStatus>) -> Res<Vec<DuplicatePair>> {
    s.with_app(|a| a.duplicates(status))
}

#[tauri::command(async)]
fn duplicate_resolve(s: State<'_, Shell>, id: i64, resolution: Resolution) -> Res<()> {
    s.with_app(|a| a.resolve_duplicate(id, &resolution))
}

#[tauri::command(async)]
fn import_preview(
    s: State<'_, Shell>,
    file_name: String,
    data: String,
    mapping: Option<Vec<Option<ImportField>>>,
    category: Category,
) -> Res<ImportPreview> {
    let lang = s.lang();
    s.with_app(|a| {
        let bytes = bansos::decode_base64("file", &data)?;
        a.import_preview(&file_name, &bytes, mapping.as_deref(), category, lang)
    })
}

#[tauri::command(async)]
fn import_commit(
    s: State<'_, Shell>,
    file_name: String,
    data: String,
    mapping: Option<Vec<Option<ImportField>>>,
    category: Category,
) -> Res<ImportResult> {
    s.with_app(|a| {
        let bytes = bansos::decode_base64("file", &data)?;
        a.import_commit(&file_name, &bytes, mapping.as_deref(), category)
    })
}

#[derive(Serialize)]
struct ExportDone {
    path: String,
    families: usize,
}

#[tauri::command(async)]
fn family_export(s: State<'_, Shell>) -> Res<ExportDone> {
    s.with_app(|a| {
        let dir = bansos::export_dir();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let name = format!(
            "keluarga-{}.xlsx",
            chrono::Local::now().format("%Y%m%d-%H%M%S")
        );
        let path = dir.join(name);
        let families = a.export_to(&path)?;
        Ok(ExportDone {
            path: path.display().to_string(),
            families,
        })
    })
}

// ----- packages, events, hand-overs, receipts -------------------------------------------------

#[tauri::command(async)]
fn template_list(s: State<'_, Shell>, include_retired: bool) -> Res<Vec<Template>> {
    s.with_app(|a| a.templates(include_retired))
}

#[tauri::command(async)]
fn template_create(s: State<'_, Shell>, input: TemplateInput) -> Res<Template> {
    let lang = s.lang();
    s.with_app(|a| a.create_template(&input, lang))
}

#[tauri::command(async)]
fn template_update(s: State<'_, Shell>, id: i64, input: TemplateInput) -> Res<Template> {
    let lang = s.lang();
    s.with_app(|a| a.update_template(id, &input, lang))
}

#[tauri::command(async)]
fn event_list(s: State<'_, Shell>) -> Res<Vec<Event>> {
    s.with_app(|a| a.events())
}

#[tauri::command(async)]
fn event_get(s: State<'_, Shell>, id: i64) -> Res<Event> {
    s.with_app(|a| a.event(id))
}

#[tauri::command(async)]
fn event_create(s: State<'_, Shell>, input: EventInput) -> Res<Event> {
    s.with_app(|a| a.create_event(&input))
}

#[tauri::command(async)]
fn event_add_recipient(s: State<'_, Shell>, event_id: i64, family_id: i64) -> Res<Event> {
    s.with_app(|a| a.add_recipient(event_id, family_id))
}

#[tauri::command(async)]
fn event_remove_recipient(s: State<'_, Shell>, event_id: i64, family_id: i64) -> Res<Event> {
    s.with_app(|a| a.remove_recipient(event_id, family_id))
}

#[tauri::command(async)]
fn event_eligibility(s: State<'_, Shell>, event_id: i64, ids: Vec<i64>) -> Res<Vec<Eligibility>> {
    let lang = s.lang();
    s.with_app(|a| a.eligibility(event_id, &ids, lang))
}

#[tauri::command(async)]
fn event_shortage(s: State<'_, Shell>, event_id: i64) -> Res<ShortageReport> {
    s.with_app(|a| a.shortage_report(event_id))
}

#[tauri::command(async)]
fn event_approve(s: State<'_, Shell>, id: i64) -> Res<Event> {
    s.with_app(|a| a.approve_event(id))
}

#[tauri::command(async)]
fn event_cancel(s: State<'_, Shell>, id: i64, reason: String) -> Res<Event> {
    s.with_app(|a| a.cancel_event(id, &reason))
}

#[tauri::command(async)]
fn event_complete(s: State<'_, Shell>, id: i64) -> Res<Event> {
    s.with_app(|a| a.complete_event(id))
}

#[tauri::command(async)]
fn handover_create(
    s: State<'_, Shell>,
    event_id: i64,
    family_id: i64,
    proxy: Option<Proxy>,
) -> Res<Handover> {
    s.with_app(|a| a.hand_over(event_id, family_id, proxy.as_ref()))
}

#[tauri::command(async)]
fn handover_get(s: State<'_, Shell>, id: i64) -> Res<Handover> {
    s.with_app(|a| a.handover(id))
}

#[tauri::command(async)]
fn handover_list(s: State<'_, Shell>, event_id: i64) -> Res<Vec<Handover>> {
    s.with_app(|a| a.handovers_of_event(event_id))
}

#[tauri::command(async)]
fn handover_void(s: State<'_, Shell>, id: i64, reason: String) -> Res<Handover> {
    s.with_app(|a| a.void_handover(id, &reason))
}

#[tauri::command(async)]
fn bast_paper(s: State<'_, Shell>, id: i64) -> Res<BastPaper> {
    s.with_app(|a| a.bast_paper(id))
}

/// Marks receipts as printed (original, then SALINAN) and returns what the print shows; the
/// window then opens the system print dialog.
#[tauri::command(async)]
fn receipt_print(s: State<'_, Shell>, ids: Vec<i64>) -> Res<Vec<BastPaper>> {
    s.with_app(|a| a.print_receipts(&ids))
}

/// Opens the system print dialog for what the window shows (WebKitGTK's own print operation:
/// `window.print()` alone does not reach it from a Tauri window).
#[tauri::command(async)]
fn print_page(window: tauri::WebviewWindow) -> Res<()> {
    window.print().map_err(|e| IpcError {
        code: ErrorKind::Internal,
        message: format!("Dialog cetak tidak dapat dibuka: {e}"),
        field: None,
    })
}

#[tauri::command(async)]
fn letterhead_logo(s: State<'_, Shell>) -> Res<Option<String>> {
    s.with_app(|a| Ok(a.letterhead_logo()?.map(|b| bansos::encode_base64(&b))))
}

/// Writes a file into the export folder as `<name>-<time>.<ext>` and returns its path.
fn save_export(name: &str, ext: &str, bytes: &[u8]) -> Result<String, Error> {
    let dir = bansos::export_dir();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join(format!(
        "{name}-{}.{ext}",
        chrono::Local::now().format("%Y%m%d-%H%M%S")
    ));
    bansos::keyring::write_atomic(&path, bytes)?;
    Ok(path.display().to_string())
}

#[derive(Serialize)]
struct SavedFile {
    path: String,
}

#[tauri::command(async)]
fn receipt_pdf_save(s: State<'_, Shell>, id: i64) -> Res<SavedFile> {
    s.with_app(|a| {
        let pdf = a.receipt_pdf(id)?;
        let no = a.handover(id)?.bast_no;
        Ok(SavedFile {
            path: save_export(&format!("BAST-{}", no.replace('/', "-")), "pdf", &pdf)?,
        })
    })
}

#[tauri::command(async)]
fn event_receipts_save(s: State<'_, Shell>, event_id: i64) -> Res<SavedFile> {
    s.with_app(|a| {
        let pdf = a.event_receipts_pdf(event_id)?;
        Ok(SavedFile {
            path: save_export(&format!("BAST-kegiatan-{event_id}"), "pdf", &pdf)?,
        })
    })
}

#[tauri::command(async)]
fn attendance_save(s: State<'_, Shell>, event_id: i64) -> Res<SavedFile> {
    s.with_app(|a| {
        let pdf = a.attendance_pdf(event_id)?;
        Ok(SavedFile {
            path: save_export(&format!("daftar-hadir-kegiatan-{event_id}"), "pdf", &pdf)?,
        })
    })
}

#[tauri::command(async)]
fn receipt_verify(s: State<'_, Shell>, payload: String, nik: Option<String>) -> Res<ReceiptCheck> {
    s.with_app(|a| a.verify_receipt(&payload, nik.as_deref()))
}

#[tauri::command(async)]
fn receipt_verify_image(
    s: State<'_, Shell>,
    data: String,
    nik: Option<String>,
) -> Res<ReceiptCheck> {
    s.with_app(|a| {
        let bytes = bansos::decode_base64("image", &data)?;
        a.verify_receipt_image(&bytes, nik.as_deref())
    })
}

#[tauri::command(async)]
fn handover_attach(
    s: State<'_, Shell>,
    id: i64,
    file_name: String,
    data: String,
    note: String,
) -> Res<AttachmentInfo> {
    s.with_app(|a| {
        a.handover_attach(
            id,
            &file_name,
            &bansos::decode_base64("file", &data)?,
            &note,
        )
    })
}

#[tauri::command(async)]
fn event_attach(
    s: State<'_, Shell>,
    id: i64,
    file_name: String,
    data: String,
    note: String,
) -> Res<AttachmentInfo> {
    s.with_app(|a| {
        a.event_attach(
            id,
            &file_name,
            &bansos::decode_base64("file", &data)?,
            &note,
        )
    })
}

#[tauri::command(async)]
fn attachments_of(s: State<'_, Shell>, kind: String, id: i64) -> Res<Vec<AttachmentInfo>> {
    s.with_app(|a| a.attachments_of(&kind, id))
}

// ----- stock ---------------------------------------------------------------------------------

#[tauri::command(async)]
fn stock_items(s: State<'_, Shell>, include_retired: bool) -> Res<Vec<Item>> {
    s.with_app(|a| a.items(include_retired))
}

#[tauri::command(async)]
fn stock_item_add(s: State<'_, Shell>, item: NewItem) -> Res<Item> {
    let lang = s.lang();
    s.with_app(|a| a.add_item(&item, lang))
}

#[tauri::command(async)]
fn stock_item_minimum(s: State<'_, Shell>, id: i64, minimum: String) -> Res<Item> {
    let lang = s.lang();
    s.with_app(|a| a.set_item_minimum(id, &minimum, lang))
}

#[tauri::command(async)]
fn stock_item_retire(s: State<'_, Shell>, id: i64) -> Res<Item> {
    s.with_app(|a| a.retire_item(id))
}

#[tauri::command(async)]
fn stock_donors(s: State<'_, Shell>) -> Res<Vec<Donor>> {
    s.with_app(|a| a.donors())
}

#[tauri::command(async)]
fn stock_receive(s: State<'_, Shell>, receipt: ReceiptInput) -> Res<ReceiptSaved> {
    let lang = s.lang();
    s.with_app(|a| a.receive(&receipt, lang))
}

#[tauri::command(async)]
fn stock_overview(s: State<'_, Shell>, as_of: Option<String>) -> Res<StockOverview> {
    s.with_app(|a| a.stock_overview(as_of.as_deref()))
}

#[tauri::command(async)]
fn stock_card(
    s: State<'_, Shell>,
    item_id: i64,
    from: Option<String>,
    to: Option<String>,
) -> Res<StockCard> {
    s.with_app(|a| a.stock_card(item_id, from.as_deref(), to.as_deref()))
}

#[tauri::command(async)]
fn stock_card_export(
    s: State<'_, Shell>,
    item_id: i64,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
) -> Res<ExportDone> {
    s.with_app(|a| {
        let pdf = format.as_deref() == Some("pdf");
        let bytes = if pdf {
            a.stock_card_pdf(item_id, from.as_deref(), to.as_deref())?
        } else {
            a.stock_card_xlsx(item_id, from.as_deref(), to.as_deref())?
        };
        let ext = if pdf { "pdf" } else { "xlsx" };
        Ok(ExportDone {
            path: save_export(&format!("kartu-stok-{item_id}"), ext, &bytes)?,
            families: 0,
        })
    })
}

#[tauri::command(async)]
fn stock_adjust_request(s: State<'_, Shell>, adjustment: AdjustmentInput) -> Res<Adjustment> {
    let lang = s.lang();
    s.with_app(|a| a.request_adjustment(&adjustment, lang))
}

#[tauri::command(async)]
fn stock_adjustments(
    s: State<'_, Shell>,
    status: Option<AdjustmentStatus>,
) -> Res<Vec<Adjustment>> {
    s.with_app(|a| a.adjustments(status))
}

#[tauri::command(async)]
fn stock_adjust_decide(
    s: State<'_, Shell>,
    id: i64,
    approve: bool,
    note: String,
) -> Res<Adjustment> {
    s.with_app(|a| a.decide_adjustment(id, approve, &note))
}

#[tauri::command(async)]
fn stock_reverse(s: State<'_, Shell>, movement_id: i64, reason: String) -> Res<i64> {
    s.with_app(|a| a.reverse_movement(movement_id, &reason))
}

#[derive(Serialize)]
struct OpnameSummary {
    id: i64,
    status: bansos::stock::OpnameStatus,
    date: String,
}

#[tauri::command(async)]
fn opname_list(s: State<'_, Shell>) -> Res<Vec<OpnameSummary>> {
    s.with_app(|a| {
        Ok(a.opname_list()?
            .into_iter()
            .map(|(id, status, date)| OpnameSummary { id, status, date })
            .collect())
    })
}

#[tauri::command(async)]
fn opname_start(s: State<'_, Shell>) -> Res<Opname> {
    s.with_app(|a| a.opname_start())
}

#[tauri::command(async)]
fn opname_get(s: State<'_, Shell>, id: i64) -> Res<Opname> {
    s.with_app(|a| a.opname_get(id))
}

#[tauri::command(async)]
fn opname_count(s: State<'_, Shell>, id: i64, lot_id: i64, counted: String) -> Res<Opname> {
    let lang = s.lang();
    s.with_app(|a| a.opname_count(id, lot_id, &counted, lang))
}

#[tauri::command(async)]
fn opname_approve(s: State<'_, Shell>, id: i64) -> Res<Opname> {
    s.with_app(|a| a.opname_approve(id))
}

#[tauri::command(async)]
fn opname_cancel(s: State<'_, Shell>, id: i64) -> Res<Opname> {
    s.with_app(|a| a.opname_cancel(id))
}

#[tauri::command(async)]
fn stock_expiry_alert_days(s: State<'_, Shell>, days: u32) -> Res<()> {
    s.with_app(|a| a.set_expiry_alert_days(days))
}

fn main() {
    // WebKitGTK's DMA-BUF renderer costs about 90 MB more here for no gain in a form-based window
    // (measured with scripts/bench-window.sh: 303 → 217 MB); a user may still turn it back on.
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    let lang = std::env::var("BANSOS_LANG")
        .ok()
        .and_then(|l| Lang::from_code(&l))
        .unwrap_or_default();
    tauri::Builder::default()
        .manage(Shell {
            db: bansos::default_db_path(),
            lang: Mutex::new(lang),
            app: Mutex::new(None),
        })
        .setup(|app| {
            // Lock the data away when a session goes idle even if the window has stopped asking
            // (minimised, or its script stalled): the key must not outlive the idle limit.
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(Duration::from_secs(20));
                let shell = tauri::Manager::state::<Shell>(&handle);
                let mut slot = lock(&shell.app);
                if slot.as_ref().is_some_and(|a| a.is_idle_expired()) {
                    if let Some(a) = slot.take() {
                        let _ = a.end_idle();
                    }
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app_status,
            set_language,
            setup,
            sign_in,
            sign_out,
            session,
            session_touch,
            receipt_number_preview,
            overview,
            facility_get,
            facility_update,
            facility_set_logo,
            regional_key_add,
            regional_key_remove,
            staff_list,
            staff_add,
            staff_set_active,
            staff_set_role,
            staff_unlock,
            staff_reset_password,
            password_change,
            audit_list,
            audit_verify,
            backup_now,
            backup_list,
            region_children,
            family_list,
            family_get,
            family_check,
            family_add,
            family_update,
            family_verify,
            family_set_active,
            family_attach,
            attachment_get,
            duplicate_list,
            duplicate_resolve,
            import_preview,
            import_commit,
            family_export,
            stock_items,
            stock_item_add,
            stock_item_minimum,
            stock_item_retire,
            stock_donors,
            stock_receive,
            stock_overview,
            stock_card,
            stock_card_export,
            stock_adjust_request,
            stock_adjustments,
            stock_adjust_decide,
            stock_reverse,
            opname_list,
            opname_start,
            opname_get,
            opname_count,
            opname_approve,
            opname_cancel,
            stock_expiry_alert_days,
            template_list,
            template_create,
            template_update,
            event_list,
            event_get,
            event_create,
            event_add_recipient,
            event_remove_recipient,
            event_eligibility,
            event_shortage,
            event_approve,
            event_cancel,
            event_complete,
            handover_create,
            handover_get,
            handover_list,
            handover_void,
            bast_paper,
            receipt_print,
            print_page,
            letterhead_logo,
            receipt_pdf_save,
            event_receipts_save,
            attendance_save,
            receipt_verify,
            receipt_verify_image,
            handover_attach,
            event_attach,
            attachments_of
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Bansos tidak dapat dibuka: {e}");
            std::process::exit(1);
        });
}

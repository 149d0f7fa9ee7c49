//! The desktop shell: a Tauri window over the `bansos` core. The commands (`commands/<domain>.rs`,
//! mirroring `ui/src/ipc/`) are a few lines each that call one `App` method; no SQL, no rule and
//! no clock live here.
//!
//! The signed-in `App` sits in a mutex. Signing out, or going idle, drops it, which closes the
//! database and wipes its key from memory. `upload.rs` sends the outbox to the Kanwil's inbox,
//! holding that mutex one step at a time. Long work (a sheet's import, an event's receipts, a
//! month's closing, the Kanwil's bundles) reports its progress to the window as `progress` events.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use bansos::locale::Lang;
use bansos::{App, Error, ErrorKind};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tauri::{AppHandle, Emitter};

mod commands;
mod upload;
use commands::{
    app, attachment, audit, backup, dashboard, distribution, exchange, facility, family, month,
    receipt, save, staff, stock,
};

/// What crosses to the window when a command fails: a code to branch on, a message in the
/// window's language, and the form field it concerns.
#[derive(Debug, Serialize)]
pub struct IpcError {
    pub code: ErrorKind,
    pub message: String,
    pub field: Option<String>,
}

pub struct Shell {
    pub db: PathBuf,
    pub lang: Mutex<Lang>,
    pub app: Mutex<Option<App>>,
    /// The signed-in session is a Kanwil's (regional mode): it has no outbox to send.
    pub regional: AtomicBool,
    /// Counts the sessions put in place (changed only under `app`'s lock): a round that spans
    /// several steps goes on only in the session it began in.
    pub session_no: AtomicU64,
    /// Held for a round of sending to the inbox, so a person's and the background's never overlap.
    pub round: Mutex<()>,
    /// Held while a name index is built after a sign-in: one build at a time, and none for a
    /// session that has ended meanwhile (sign-ins in quick succession piled up 40 MB builds).
    pub index_build: Mutex<()>,
    /// TEST ONLY (`BANSOS_TEST_SAVE_DIR`, see `commands/save.rs`): saves go here without the
    /// save dialog, which WebDriver cannot drive.
    pub test_save_dir: Option<PathBuf>,
    /// TEST ONLY (`BANSOS_TEST_OPEN_DIR`, see `commands/save.rs`): files to read are chosen from
    /// here without the open dialog.
    pub test_open_dir: Option<PathBuf>,
}

pub type Res<T> = Result<T, IpcError>;

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic inside a command must not brick the window: take the data as it is.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shell {
    pub fn lang(&self) -> Lang {
        *lock(&self.lang)
    }

    pub fn err(&self, e: Error) -> IpcError {
        IpcError {
            code: e.kind,
            message: e.message(self.lang()).to_owned(),
            field: e.field.clone(),
        }
    }

    /// Runs `f` on the signed-in `App`. An idle session is ended here, and says so.
    pub fn with_app<T>(&self, f: impl FnOnce(&mut App) -> bansos::Result<T>) -> Res<T> {
        blocking(|| self.with_app_here(f))
    }

    fn with_app_here<T>(&self, f: impl FnOnce(&mut App) -> bansos::Result<T>) -> Res<T> {
        let mut slot = lock(&self.app);
        let Some(app) = slot.as_mut() else {
            return Err(self.err(Error::new(
                ErrorKind::SessionExpired,
                "Anda belum masuk atau sesi sudah berakhir. Silakan masuk.",
                "You are not signed in or the session has ended. Please sign in.",
            )));
        };
        match unpanicked(|| f(app)) {
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

    /// Puts a session just opened in place, with its mode and a new session number; its long
    /// work reports progress to the window.
    pub fn signed_in(&self, handle: &AppHandle, mut app: App, regional: bool) {
        app.set_progress(Some(progress_sink(handle.clone())));
        let mut slot = lock(&self.app);
        self.regional.store(regional, Ordering::SeqCst);
        self.session_no.fetch_add(1, Ordering::SeqCst);
        *slot = Some(app);
    }
}

/// Runs `f`, which may wait on the `App`'s lock or on the store, without holding up the async
/// runtime's workers: the commands are `async` so that the window's thread never waits, but they
/// run on tokio's workers, one per core. On two cores a long import and one command waiting
/// behind it took both, and every other command (and the progress the import sent) stood still
/// until the import ended. Tokio hands a worker's other tasks to a new thread while `f` runs.
/// Outside the runtime (the upload thread, the idle watch) `f` simply runs.
pub fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// Runs a use case so that a panic — a defect — answers the window with an error in the
/// person's words instead of leaving its request unanswered (the form would wait forever). What
/// the use case had begun is not kept: its transaction rolled back as the panic unwound it.
fn unpanicked<T>(f: impl FnOnce() -> bansos::Result<T>) -> bansos::Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::new(
            ErrorKind::Internal,
            "Terjadi kesalahan program; tidak ada yang disimpan. Coba lagi, dan laporkan kepada pengelola aplikasi bila terulang.",
            "A program error occurred; nothing was saved. Try again, and tell whoever looks after the program if it happens again.",
        ))
    })
}

/// The event the window hears when the daily backup, run after sign-in, finds the store
/// damaged (`ui/src/ipc/app.ts`): the session has been ended; the message in both languages.
pub const STORE_DAMAGED: &str = "store-damaged";

/// Ends the session (the store it reads is damaged) and tells the window, in both languages.
pub fn store_damaged(handle: &AppHandle, e: &bansos::Error) {
    use tauri::Manager;
    let shell = handle.state::<Shell>();
    if let Some(app) = lock(&shell.app).take() {
        let _ = app.sign_out();
    }
    let _ = handle.emit(
        STORE_DAMAGED,
        serde_json::json!({ "id": e.message(Lang::Id), "en": e.message(Lang::En) }),
    );
}

/// The event the window hears while long work goes on (`ui/src/ipc/progress.ts`), carrying a
/// `bansos::progress::Progress`.
pub const PROGRESS: &str = "progress";

/// Hands each report of long work to the window. It is called on the working thread, which holds
/// the `App`'s lock: it only emits (never takes that lock), and a window that is gone is ignored.
fn progress_sink(handle: AppHandle) -> bansos::progress::Sink {
    Arc::new(move |p: &bansos::progress::Progress| {
        let _ = handle.emit(PROGRESS, p);
    })
}

/// A folder a test-only variable names, honoured in debug builds only (the window test drives
/// the debug binary; a release build ignores the variable).
fn test_dir(var: &str) -> Option<PathBuf> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var_os(var)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

fn main() {
    // `--version` answers without opening a window (the package check, an office's support desk).
    if let Some(a) = std::env::args().nth(1) {
        if a == "--version" || a == "-V" {
            println!("bansos-desktop {}", env!("CARGO_PKG_VERSION"));
            return;
        }
    }
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
            regional: AtomicBool::new(false),
            session_no: AtomicU64::new(0),
            round: Mutex::new(()),
            index_build: Mutex::new(()),
            // The window test's stand-ins for the save and open dialogs, in debug builds only:
            // an installed program always asks the person where.
            test_save_dir: test_dir(save::TEST_SAVE_DIR),
            test_open_dir: test_dir(save::TEST_OPEN_DIR),
        })
        // The system's save dialog: every file the window writes goes where the person chose; its
        // open dialog: the files and folders the exchange reads by path.
        .plugin(tauri_plugin_dialog::init())
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
            // The outbox goes to the Kanwil's inbox by itself; these rounds are the program's
            // own work and keep no idle session open (`send_due` marks them unattended).
            upload::start_background(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app::app_status,
            app::set_language,
            app::setup,
            app::sign_in,
            app::sign_out,
            app::session,
            app::session_touch,
            app::overview,
            dashboard::dashboard,
            dashboard::regional_dashboard,
            facility::receipt_number_preview,
            facility::facility_get,
            facility::facility_update,
            facility::facility_set_logo,
            facility::regional_key_add,
            facility::regional_key_remove,
            staff::staff_list,
            staff::staff_add,
            staff::staff_set_active,
            staff::staff_set_role,
            staff::staff_unlock,
            staff::staff_reset_password,
            staff::password_change,
            audit::audit_list,
            audit::audit_verify,
            backup::backup_now,
            backup::backup_list,
            family::region_children,
            family::family_list,
            family::family_get,
            family::family_check,
            family::family_add,
            family::family_update,
            family::family_verify,
            family::family_set_active,
            family::duplicate_list,
            family::duplicate_resolve,
            family::import_preview,
            family::import_commit,
            family::family_export,
            attachment::attachment_add,
            attachment::attachments_of,
            attachment::attachment_get,
            stock::stock_items,
            stock::stock_item_add,
            stock::stock_item_minimum,
            stock::stock_item_retire,
            stock::stock_donors,
            stock::stock_receive,
            stock::stock_overview,
            stock::stock_card,
            stock::stock_card_export,
            stock::stock_adjust_request,
            stock::stock_adjustments,
            stock::stock_adjust_decide,
            stock::stock_reverse,
            stock::opname_list,
            stock::opname_start,
            stock::opname_get,
            stock::opname_count,
            stock::opname_approve,
            stock::opname_cancel,
            stock::stock_expiry_alert_days,
            distribution::template_list,
            distribution::template_create,
            distribution::template_update,
            distribution::event_list,
            distribution::event_get,
            distribution::event_create,
            distribution::event_add_recipient,
            distribution::event_remove_recipient,
            distribution::event_eligibility,
            distribution::event_shortage,
            distribution::event_approve,
            distribution::event_cancel,
            distribution::event_complete,
            distribution::handover_preview,
            distribution::handover_create,
            distribution::handover_get,
            distribution::handover_list,
            distribution::handover_void,
            receipt::bast_paper,
            receipt::receipt_print,
            receipt::print_page,
            receipt::letterhead_logo,
            receipt::receipt_pdf_save,
            receipt::event_receipts_save,
            receipt::attendance_save,
            receipt::receipt_verify,
            receipt::receipt_verify_image,
            receipt::summary_verify,
            save::save_target,
            save::save_target_named,
            save::open_test_paths,
            exchange::registration_save,
            exchange::enrollment_import,
            exchange::outbox_state,
            exchange::inbox_url_set,
            exchange::outbox_send_now,
            exchange::bundle_save,
            exchange::answers_import,
            exchange::registration_read,
            exchange::facility_register,
            exchange::members,
            exchange::member_revoke,
            exchange::head_answer_save,
            exchange::bundles_import,
            exchange::regional_recap,
            exchange::regional_recap_save,
            exchange::regional_completeness,
            exchange::regional_duplicates,
            exchange::due_day_set,
            exchange::key_rotate,
            exchange::rotation_name,
            exchange::rotation_save,
            exchange::byname_save,
            exchange::byname_open,
            exchange::byname_xlsx_save,
            month::month_list,
            month::month_overview,
            month::month_checklist,
            month::month_close,
            month::month_reopen,
            month::month_report,
            month::month_report_save,
            month::month_summary,
            month::month_summary_save,
            month::event_summary_save
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Bansos tidak dapat dibuka: {e}");
            std::process::exit(1);
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One worker, as a single-core PC has: a command waiting behind a long one must not stop
    /// the runtime from answering another command meanwhile.
    #[test]
    fn a_command_that_waits_leaves_the_workers_free() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_time()
            .build()
            .unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let (started_tx, started) = std::sync::mpsc::channel::<()>();
        rt.block_on(async move {
            // The long command: waits (as on the App's lock) until the other one has answered.
            let long = tokio::spawn(async move {
                blocking(|| {
                    started_tx.send(()).unwrap();
                    rx.recv_timeout(Duration::from_secs(10)).is_ok()
                })
            });
            started.recv().unwrap();
            let other = tokio::spawn(async move {
                tx.send(()).unwrap();
            });
            other.await.unwrap();
            assert!(
                long.await.unwrap(),
                "the other command ran while the first one waited"
            );
        });
        assert_eq!(blocking(|| 5), 5, "outside the runtime it simply runs");
    }

    #[test]
    fn a_panic_in_a_use_case_is_an_error_in_the_persons_words() {
        let e = unpanicked::<()>(|| panic!("a defect")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Internal);
        assert!(e.message(Lang::Id).starts_with("Terjadi kesalahan program"));
        assert!(!e.message(Lang::En).contains("a defect"), "no panic text");
        assert_eq!(unpanicked(|| Ok(7)).unwrap(), 7);
    }
}

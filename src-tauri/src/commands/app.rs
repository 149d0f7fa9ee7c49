//! Before and around a session: what the database path holds, first-run setup, signing in and
//! out, the idle clock, the home screen. Mirrors `ui/src/ipc/app.ts`.

use crate::{lock, Res, Shell};
use bansos::app::{Overview, SessionInfo, StoreStatus};
use bansos::clock::SystemClock;
use bansos::facility::FacilitySetup;
use bansos::locale::Lang;
use bansos::staff::NewStaff;
use bansos::{App, Credentials};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tauri::State;

#[tauri::command(async)]
pub fn app_status(s: State<'_, Shell>) -> Res<StoreStatus> {
    crate::blocking(|| App::status(&s.db)).map_err(|e| s.err(e))
}

/// The window's language, told at start and on every switch: the core's messages, and the page's
/// own (see `page_language`).
#[tauri::command(async)]
pub fn set_language(window: tauri::WebviewWindow, s: State<'_, Shell>, lang: Lang) {
    *lock(&s.lang) = lang;
    page_language(&window, lang);
}

/// WebKit's preferred language for the page: it orders a date field's day, month and year (and
/// sets `navigator.language` and `Intl`'s default). Left alone, WebKit reads the process locale,
/// which on an office PC is often "C", read as American English: 2 December 2026 showed as
/// 12/02/2026. Indonesian is `id-ID` (02/12/2026); English is British English, which keeps the
/// day first, as the office writes it.
fn page_language(window: &tauri::WebviewWindow, lang: Lang) {
    #[cfg(target_os = "linux")]
    {
        let tag = match lang {
            Lang::Id => "id-ID",
            Lang::En => "en-GB",
        };
        // Runs on the window's own thread; a window already closing is left alone.
        let _ = window.with_webview(move |webview| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_preferred_languages(&[tag]);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (window, lang);
}

#[tauri::command(async)]
pub fn setup(
    handle: tauri::AppHandle,
    s: State<'_, Shell>,
    setup: FacilitySetup,
    admin: NewStaff,
) -> Res<SessionInfo> {
    let (app, info) = crate::blocking(|| {
        crate::unpanicked(|| {
            let mut app = App::init(&s.db, Arc::new(SystemClock), &setup, &admin)?;
            let info = app.session_info()?;
            Ok((app, info))
        })
    })
    .map_err(|e| s.err(e))?;
    crate::blocking(|| s.signed_in(&handle, app, info.regional));
    Ok(info)
}

#[tauri::command(async)]
pub fn sign_in(
    handle: tauri::AppHandle,
    s: State<'_, Shell>,
    username: String,
    password: String,
) -> Res<SessionInfo> {
    let creds = Credentials::new(&username, &password);
    // Argon2 (about 0.1 s) and the store's opening, off the runtime's workers.
    let (app, daily, info) = crate::blocking(|| {
        crate::unpanicked(|| {
            let (mut app, daily) =
                App::open_deferring_backup(&s.db, Arc::new(SystemClock), &creds)?;
            let info = app.session_info()?;
            Ok((app, daily, info))
        })
    })
    .map_err(|e| s.err(e))?;
    crate::blocking(|| s.signed_in(&handle, app, info.regional));
    // The daily backup (about 20 s on a ten-year store) on its own thread and connection, so the
    // person is not kept waiting. A store it finds damaged ends the session and says so.
    if let Some(job) = daily {
        let h = handle.clone();
        std::thread::spawn(move || {
            if let Err(e) = job.run() {
                if e.kind == bansos::ErrorKind::Corrupt {
                    crate::store_damaged(&h, &e);
                }
            }
        });
    }
    // The name-search index (about 0.6 s at 100,000 families) is built on its own thread and
    // connection, so neither the first keystroke in Keluarga nor any screen opened meanwhile
    // waits for it; the session is held only to hand it over, and only if it is still this one.
    if let Some((job, no)) = crate::blocking(|| index_job(&s)) {
        std::thread::spawn(move || {
            use tauri::Manager;
            let shell = handle.state::<Shell>();
            let _one = lock(&shell.index_build);
            if shell.session_no.load(Ordering::SeqCst) != no {
                return;
            }
            let Ok(built) = job.run() else { return };
            let mut slot = lock(&shell.app);
            if shell.session_no.load(Ordering::SeqCst) == no {
                if let Some(app) = slot.as_mut() {
                    let _ = app.install_search_index(built);
                }
            }
        });
    }
    Ok(info)
}

/// The name-index job of the session just opened, with its number (none if it is gone
/// already, or a restore holds the store: then the first search builds the index).
fn index_job(s: &Shell) -> Option<(bansos::app::SearchIndexJob, u64)> {
    let slot = lock(&s.app);
    let job = slot.as_ref()?.search_index_job().ok()?;
    Some((job, s.session_no.load(Ordering::SeqCst)))
}

#[tauri::command(async)]
pub fn sign_out(s: State<'_, Shell>) -> Res<()> {
    crate::blocking(|| match lock(&s.app).take() {
        Some(app) => app.sign_out().map_err(|e| s.err(e)),
        None => Ok(()),
    })
}

#[tauri::command(async)]
pub fn session(s: State<'_, Shell>) -> Res<Option<SessionInfo>> {
    if crate::blocking(|| lock(&s.app).is_none()) {
        return Ok(None);
    }
    s.with_app(|a| a.session_info()).map(Some)
}

#[tauri::command(async)]
pub fn session_touch(s: State<'_, Shell>) -> Res<()> {
    s.with_app(|a| a.touch())
}

#[tauri::command(async)]
pub fn overview(s: State<'_, Shell>) -> Res<Overview> {
    s.with_app(|a| a.overview())
}

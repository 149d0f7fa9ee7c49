//! Sending the outbox to the Kanwil's inbox from the window: a person's "Kirim sekarang" and the
//! rounds in the background. The core's driver (`bansos::inbox::upload::send_due`) takes the
//! signed-in `App` one step at a time through [`Step`], so the database, and every command of
//! the window, waits for a step, never for the network. One round runs at a time.

use crate::{lock, Res, Shell};
use bansos::inbox::upload::{send_due, Http, SendReport};
use bansos::{App, Error, ErrorKind};
use std::ops::{Deref, DerefMut};
use std::sync::atomic::Ordering;
use std::sync::{MutexGuard, TryLockError};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};

/// The event the window hears after a background round changed the outbox (`ipc/exchange.ts`).
pub const OUTBOX_CHANGED: &str = "outbox-changed";

/// How often the background looks for bundles due (each one still waits its own backoff).
const EVERY: Duration = Duration::from_secs(30);

/// The signed-in `App`, held for one step of a round.
pub struct Step<'a>(MutexGuard<'a, Option<App>>);

impl Deref for Step<'_> {
    type Target = App;
    fn deref(&self) -> &App {
        match self.0.as_ref() {
            Some(app) => app,
            // `Shell::step` makes a Step only over a slot that holds an App, and keeps it locked.
            None => unreachable!("a step holds a signed-in App"),
        }
    }
}

impl DerefMut for Step<'_> {
    fn deref_mut(&mut self) -> &mut App {
        match self.0.as_mut() {
            Some(app) => app,
            None => unreachable!("a step holds a signed-in App"),
        }
    }
}

fn not_signed_in() -> Error {
    Error::new(
        ErrorKind::SessionExpired,
        "Anda belum masuk atau sesi sudah berakhir. Silakan masuk.",
        "You are not signed in or the session has ended. Please sign in.",
    )
}

impl Shell {
    /// The App for the next step of a round begun in session `no`: a round never goes on in
    /// another session (signed out, or someone else signed in, between two steps).
    fn step(&self, no: u64) -> bansos::Result<Step<'_>> {
        let slot = lock(&self.app);
        if slot.is_some() && self.session_no.load(Ordering::SeqCst) == no {
            Ok(Step(slot))
        } else {
            Err(not_signed_in())
        }
    }

    /// A person pressed "Kirim sekarang": every bundle not yet answered for good goes, stopped
    /// and waiting ones too. Waits for a background round under way to end first. A session the
    /// core found idle (or whose account was deactivated) is ended, as `with_app` does.
    pub fn send_now(&self) -> Res<SendReport> {
        crate::blocking(|| self.send_now_here())
    }

    fn send_now_here(&self) -> Res<SendReport> {
        let _one = lock(&self.round);
        let no = self.session_no.load(Ordering::SeqCst);
        match crate::unpanicked(|| send_due(&|| self.step(no), &Http::default(), true)) {
            Ok(report) => Ok(report),
            Err(e) => {
                if e.kind == ErrorKind::SessionExpired {
                    let mut slot = lock(&self.app);
                    if self.session_no.load(Ordering::SeqCst) == no {
                        if let Some(app) = slot.take() {
                            let _ = app.end_idle();
                        }
                    }
                }
                Err(self.err(e))
            }
        }
    }

    /// One background round, for a facility's session that is signed in and not idle, and
    /// never beside a person's round. True when the outbox may have changed.
    fn background_round(&self) -> bool {
        let _one = match self.round.try_lock() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return false,
        };
        let no = {
            let slot = lock(&self.app);
            match slot.as_ref() {
                Some(app) if !app.is_idle_expired() && !self.regional.load(Ordering::SeqCst) => {
                    self.session_no.load(Ordering::SeqCst)
                }
                _ => return false,
            }
        };
        match send_due(&|| self.step(no), &Http::default(), false) {
            Ok(report) => report.head_imported || !report.lines.is_empty(),
            // Ending a session is the idle watch's business, never a round's; anything else (the
            // database busy, a disk full) is tried again next round, and the screen reloads.
            Err(e) => e.kind != ErrorKind::SessionExpired,
        }
    }
}

/// Starts the background rounds: every [`EVERY`], one round, and the window told when it
/// changed something. A panic inside a round ends that round only.
pub fn start_background(handle: AppHandle) {
    std::thread::spawn(move || loop {
        std::thread::sleep(EVERY);
        let shell = handle.state::<Shell>();
        let round = std::panic::AssertUnwindSafe(|| shell.background_round());
        if std::panic::catch_unwind(round).unwrap_or(true) {
            let _ = handle.emit(OUTBOX_CHANGED, ());
        }
    });
}

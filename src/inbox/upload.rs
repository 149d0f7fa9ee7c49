//! Sending the outbox to the Kanwil's inbox over HTTP(S): the bundles due, in seq order, each
//! answered with the Kanwil's signed answer, which is imported (and so verified) before the
//! bundle counts as acknowledged. The database is held only between network calls, never during
//! one. A failure waits its backoff (`app::next_try`) and stops the round, so the order holds; a
//! refusal of the bundle itself stops that bundle until a person sends again. Whatever happens
//! between two steps, sending again is harmless: the inbox answers a bundle it has with the
//! answer it gave, and an answer imported twice changes nothing.

use crate::app::App;
use crate::error::Result;
use crate::inbox::api::{Reply, Status};
use crate::locale::Lang;
use serde::{Deserialize, Serialize};
use std::ops::DerefMut;
use std::time::Duration;
use ts_rs::TS;

/// A reply's body, at most (a signed answer is a few kilobytes).
const REPLY_BYTES: u64 = 1024 * 1024;

/// What became of one bundle in a round.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SentLine {
    pub seq: u64,
    pub period: String,
    /// `acknowledged`, `refused`, `held`, `fork`, `failed` (tried again later) or `stopped`
    /// (the server refused the bundle itself; sent again only when a person asks).
    pub outcome: String,
    pub message_id: String,
    pub message_en: String,
    /// When it is tried again (UTC), after a failure.
    pub next_try_at: Option<String>,
}

/// One round of sending.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SendReport {
    /// No inbox address is set (or the facility is not enrolled): nothing was tried.
    pub no_inbox: bool,
    /// The chain's head was asked for first (after a restore), and imported.
    pub head_imported: bool,
    pub lines: Vec<SentLine>,
}

/// How the round reaches the inbox: HTTP in the program, anything in a test.
pub trait Transport {
    /// POSTs a bundle; `Err` is a sentence naming what went wrong on the way.
    fn post_bundle(&self, url: &str, bytes: &[u8]) -> std::result::Result<Reply, String>;
    /// GETs a facility's head.
    fn get_head(&self, url: &str, code: &str) -> std::result::Result<Reply, String>;
}

/// The real transport: ureq over rustls, with a connect timeout and an overall one.
pub struct Http {
    agent: ureq::Agent,
}

impl Default for Http {
    fn default() -> Http {
        Http::new(Duration::from_secs(10), Duration::from_secs(600))
    }
}

impl Http {
    pub fn new(connect: Duration, overall: Duration) -> Http {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(connect))
            .timeout_global(Some(overall))
            .http_status_as_error(false)
            .user_agent(concat!("bansos/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Http { agent }
    }

    fn read(
        res: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> std::result::Result<Reply, String> {
        let mut res = res.map_err(|e| words(&e))?;
        let status = res.status().as_u16();
        let body = res
            .body_mut()
            .with_config()
            .limit(REPLY_BYTES)
            .read_to_vec()
            .map_err(|e| words(&e))?;
        let reply: Reply = serde_json::from_slice(&body).map_err(|_| {
            format!("alamat itu menjawab HTTP {status}, bukan sebagai kotak masuk Kanwil (periksa alamatnya)|that address answered HTTP {status}, not as a Kanwil inbox (check the address)")
        })?;
        if reply.status.http() != status {
            return Err(format!("jawaban server tidak konsisten (HTTP {status})|the server's answer is inconsistent (HTTP {status})"));
        }
        Ok(reply)
    }
}

/// A transport error as a sentence in both languages, `id|en`: no library text reaches a person.
fn words(e: &ureq::Error) -> String {
    use ureq::Error as E;
    match e {
        E::Timeout(_) => "server Kanwil tidak menjawab pada waktunya|the Kanwil's server did not answer in time".into(),
        E::HostNotFound => "nama server Kanwil tidak ditemukan (DNS)|the Kanwil's server name was not found (DNS)".into(),
        E::ConnectionFailed => "tidak dapat terhubung ke server Kanwil|cannot connect to the Kanwil's server".into(),
        E::Tls(_) | E::Rustls(_) => "sambungan aman (TLS) ke server Kanwil gagal|the secure (TLS) connection to the Kanwil's server failed".into(),
        E::BodyExceedsLimit(_) => "jawaban server terlalu besar|the server's answer is too large".into(),
        E::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "server Kanwil menolak sambungan (belum berjalan?)|the Kanwil's server refused the connection (not running?)".into(),
            std::io::ErrorKind::TimedOut => "server Kanwil tidak menjawab pada waktunya|the Kanwil's server did not answer in time".into(),
            _ => "sambungan ke server Kanwil terputus|the connection to the Kanwil's server broke".into(),
        },
        _ => "pengiriman ke server Kanwil gagal|sending to the Kanwil's server failed".into(),
    }
}

impl Transport for Http {
    fn post_bundle(&self, url: &str, bytes: &[u8]) -> std::result::Result<Reply, String> {
        Http::read(
            self.agent
                .post(&format!("{url}/v1/bundles"))
                .header("Content-Type", "application/vnd.bansos.bundle")
                .send(bytes),
        )
    }

    fn get_head(&self, url: &str, code: &str) -> std::result::Result<Reply, String> {
        Http::read(
            self.agent
                .get(&format!("{url}/v1/facilities/{code}/head"))
                .call(),
        )
    }
}

fn split(s: &str) -> (String, String) {
    match s.split_once('|') {
        Some((id, en)) => (id.to_owned(), en.to_owned()),
        None => (s.to_owned(), s.to_owned()),
    }
}

/// Test-only: end the process abruptly at a step of the round (`BANSOS_TEST_UPLOAD_CRASH`), as
/// a power cut or a killed program would. Not in release builds.
fn crash_point(step: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("BANSOS_TEST_UPLOAD_CRASH").is_ok_and(|s| s == step) {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = step;
}

/// The session for one step; a background round's steps are marked unattended, so they never
/// count as the person's activity (the session still times out), and unmarked again after.
struct Step<G: DerefMut<Target = App>> {
    g: G,
    unattended: bool,
}

impl<G: DerefMut<Target = App>> std::ops::Deref for Step<G> {
    type Target = App;
    fn deref(&self) -> &App {
        &self.g
    }
}

impl<G: DerefMut<Target = App>> DerefMut for Step<G> {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.g
    }
}

impl<G: DerefMut<Target = App>> Drop for Step<G> {
    fn drop(&mut self) {
        if self.unattended {
            self.g.set_unattended(false);
        }
    }
}

/// One round: the head first after a restore, then every bundle due, in seq order. `lock`
/// gives the database session for one step at a time (a `Mutex` guard in the window, a
/// `RefCell` borrow on the command line). `now_too`: a person asked, so stopped and waiting
/// bundles go too, and the round is their activity; without it (the window's background
/// rounds) the round is the program's own and keeps no session alive.
pub fn send_due<G: DerefMut<Target = App>>(
    lock: &dyn Fn() -> Result<G>,
    net: &dyn Transport,
    now_too: bool,
) -> Result<SendReport> {
    let lock = || -> Result<Step<G>> {
        let mut g = lock()?;
        if !now_too {
            g.set_unattended(true);
        }
        Ok(Step {
            g,
            unattended: !now_too,
        })
    };
    let mut report = SendReport::default();
    let Some(mut plan) = lock()?.upload_plan(now_too)? else {
        report.no_inbox = true;
        return Ok(report);
    };
    if plan.head_first {
        match net.get_head(&plan.url, &plan.code) {
            Ok(r) if r.status == Status::Head => {
                if let Some(a) = r.answer.as_ref().and_then(|a| a.bytes()) {
                    lock()?.import_answer(&a)?;
                    report.head_imported = true;
                }
            }
            Ok(r) => {
                report.lines.push(SentLine {
                    seq: 0,
                    period: String::new(),
                    outcome: "failed".into(),
                    message_id: r.message_id,
                    message_en: r.message_en,
                    next_try_at: None,
                });
                return Ok(report);
            }
            Err(e) => {
                let (id, en) = split(&e);
                report.lines.push(SentLine {
                    seq: 0,
                    period: String::new(),
                    outcome: "failed".into(),
                    message_id: id,
                    message_en: en,
                    next_try_at: None,
                });
                return Ok(report);
            }
        }
        match lock()?.upload_plan(now_too)? {
            Some(p) => plan = p,
            None => return Ok(report),
        }
    }
    for due in plan.due {
        crash_point("before_send");
        let sent = net.post_bundle(&plan.url, &due.bytes);
        crash_point("after_send");
        let line = |outcome: &str, id: String, en: String, next: Option<String>| SentLine {
            seq: due.seq,
            period: due.period.clone(),
            outcome: outcome.to_owned(),
            message_id: id,
            message_en: en,
            next_try_at: next,
        };
        let reply = match sent {
            Ok(r) => r,
            Err(e) => {
                let next = lock()?.upload_failed(due.seq, &e, None, false)?;
                let (id, en) = split(&e);
                report.lines.push(line("failed", id, en, Some(next)));
                break;
            }
        };
        if reply.status.retry_later() {
            let next = lock()?.upload_failed(
                due.seq,
                &format!("{}|{}", reply.message_id, reply.message_en),
                reply.retry_after,
                false,
            )?;
            report.lines.push(line(
                "failed",
                reply.message_id,
                reply.message_en,
                Some(next),
            ));
            break;
        }
        let Some(answer) = reply.answer.as_ref().and_then(|a| a.bytes()) else {
            // Refused before the Kanwil could verify it (its key, its form, its size): no
            // signed answer; this bundle waits for a person, the next ones go on.
            let stop = matches!(reply.status, Status::Refused | Status::TooLarge);
            let (id, en) = match &reply.reason {
                Some(r) => (r.text(Lang::Id).to_owned(), r.text(Lang::En).to_owned()),
                None => (reply.message_id.clone(), reply.message_en.clone()),
            };
            let next = lock()?.upload_failed(due.seq, &format!("{id}|{en}"), None, stop)?;
            let outcome = if stop { "stopped" } else { "failed" };
            report.lines.push(line(outcome, id, en, Some(next)));
            if !stop {
                break;
            }
            continue;
        };
        lock()?.upload_succeeded(due.seq, &plan.url)?;
        crash_point("after_answer");
        // The session is let go before the answer is looked at: the refusal below takes it again
        // (a guard held in the `match` would still hold it then: a deadlock in the window).
        let imported = lock()?.import_answer(&answer);
        match imported {
            Ok(o) => {
                let outcome = match o.verdict.as_str() {
                    _ if o.resend_at.is_some() => "failed",
                    "accepted" | "revision" => "acknowledged",
                    "held_gap" => "held",
                    "fork" => "fork",
                    _ => "refused",
                };
                report.lines.push(line(
                    outcome,
                    reply.message_id.clone(),
                    reply.message_en.clone(),
                    o.resend_at.clone(),
                ));
                if o.resend_at.is_some() {
                    // It goes again after its wait, and those after it wait with it.
                    break;
                }
            }
            Err(e) => {
                // The answer's signature did not hold (or it is not about this bundle): the
                // bundle does not count as acknowledged; it goes again later.
                let (id, en) = (
                    e.message(Lang::Id).to_owned(),
                    e.message(Lang::En).to_owned(),
                );
                let next = lock()?.upload_failed(due.seq, &format!("{id}|{en}"), None, false)?;
                report.lines.push(line("failed", id, en, Some(next)));
                break;
            }
        }
        // Bundles this one took out of the Kanwil's quarantine: their answers too.
        for r in &reply.released {
            if let Some(a) = r.answer.as_ref().and_then(|a| a.bytes()) {
                lock()?.import_answer(&a)?;
            }
        }
    }
    Ok(report)
}

//! The facility's side of the upload to its Kanwil's inbox: where the inbox is, which bundles are
//! due to go (in seq order), and what became of each try. The network itself is not here: the
//! driver (`inbox::upload::send_due`) asks for the plan, sends without holding the database, and
//! reports back; the Kanwil's signed answer is imported like one from a stick, so a bundle counts
//! as acknowledged only once that answer's signature holds.

use super::{App, ANYONE};
use crate::audit::Entry;
use crate::error::{Error, Result};
use crate::outbox::{self, db as odb};
use crate::staff::Role;
use chrono::{DateTime, Duration, SecondsFormat, Utc};

const KEY_HOLDERS: &[Role] = &[Role::KepalaUpt, Role::Admin];
/// The first retry after a failure; it doubles with every try, up to `MAX_BACKOFF`.
const FIRST_BACKOFF_SECS: i64 = 30;
const MAX_BACKOFF_SECS: i64 = 6 * 60 * 60;

/// One bundle due to be uploaded.
#[derive(Debug, Clone)]
pub struct Due {
    pub seq: u64,
    pub period: String,
    pub bytes: Vec<u8>,
}

/// What to send now.
#[derive(Debug, Clone)]
pub struct UploadPlan {
    /// The inbox's base address, without a trailing slash.
    pub url: String,
    pub code: String,
    /// Restored from a backup: ask the inbox for the chain's head before anything else.
    pub head_first: bool,
    pub due: Vec<Due>,
}

/// Checks an inbox address as typed: http or https, a host, at most 200 characters, no query.
pub fn parse_inbox_url(url: &str) -> Result<String> {
    let t = url.trim().trim_end_matches('/');
    let bad = || {
        Error::invalid(
            "url",
            "Alamat kotak masuk Kanwil tidak sah: tulis seperti https://bansos.kanwil.example.go.id",
            "Not a valid inbox address: write it like https://bansos.kanwil.example.go.id",
        )
    };
    if t.is_empty() || t.chars().count() > 200 || t.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let uri: axum::http::Uri = t.parse().map_err(|_| bad())?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let host_ok = uri.host().is_some_and(|h| !h.is_empty());
    if !scheme_ok || !host_ok || uri.query().is_some() || t.contains('#') {
        return Err(bad());
    }
    Ok(t.to_owned())
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// When to try again after `tries` failed tries: doubling from 30 s up to 6 h, each spread by
/// ±20 % so that the facilities of a province do not all come back at the same second; never
/// sooner than the server's `retry_after`.
pub fn next_try(now: DateTime<Utc>, tries: u32, retry_after: Option<u64>) -> DateTime<Utc> {
    let base = FIRST_BACKOFF_SECS
        .saturating_mul(1_i64 << tries.min(12))
        .min(MAX_BACKOFF_SECS);
    let mut b = [0u8; 2];
    let spread = if getrandom::getrandom(&mut b).is_ok() {
        f64::from(u16::from_le_bytes(b)) / f64::from(u16::MAX)
    } else {
        0.5
    };
    let secs = (base as f64 * (0.8 + 0.4 * spread)) as i64;
    // A server's wish is heeded up to the longest wait of our own: an answer asking for years
    // (a broken or hostile server) must neither stall the facility nor overflow the clock.
    let floor = retry_after.map_or(1, |r| {
        i64::try_from(r)
            .unwrap_or(i64::MAX)
            .clamp(1, MAX_BACKOFF_SECS)
    });
    now + Duration::seconds(secs.max(floor))
}

impl App {
    /// Sets (or, with `None`, clears) the Kanwil's inbox address. Kepala UPT or Admin.
    pub fn set_inbox_url(&mut self, url: Option<&str>) -> Result<Option<String>> {
        self.guard(KEY_HOLDERS)?;
        self.facility_mode()?;
        let url = url.map(parse_inbox_url).transpose()?;
        self.tx(|tx, at, actor| {
            let before = odb::meta(tx, outbox::INBOX_URL_KEY)?;
            odb::set_meta(tx, outbox::INBOX_URL_KEY, url.as_deref())?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("exchange.inbox_url", "facility", "inbox_url")
                    .before(&serde_json::json!({ "url": before }))
                    .after(&serde_json::json!({ "url": url })),
            )?;
            Ok(url.clone())
        })
    }

    /// The bundles to upload now, in seq order: every one the Kanwil has not answered for good,
    /// not held at the Kanwil for a gap, not stopped by a refusal, up to the first that waits
    /// its backoff.
    /// `now_too` (a person pressed Kirim) lifts the stops and the waits first. `None` when no
    /// inbox address is set or the facility is not enrolled.
    pub fn upload_plan(&mut self, now_too: bool) -> Result<Option<UploadPlan>> {
        self.guard(ANYONE)?;
        self.facility_mode()?;
        let now = self.clock.now();
        self.tx(|tx, _, _| {
            let Some(url) = odb::meta(tx, outbox::INBOX_URL_KEY)? else {
                return Ok(None);
            };
            if outbox::enrollment(tx)?.is_none() {
                return Ok(None);
            }
            if now_too {
                odb::release_uploads(tx)?;
            }
            let code = crate::facility::db::load(tx)?.facility.profile.code;
            let now_s = stamp(now);
            let mut due = Vec::new();
            for b in odb::bundles(tx)? {
                let open = !matches!(b.state.as_str(), "acknowledged" | "refused");
                let waiting = b.state == "held" && !now_too;
                let later = b.next_try_at.as_deref().is_some_and(|t| t > now_s.as_str());
                if open && !waiting && !b.upload_stopped && later {
                    // It waits its backoff, and those after it wait with it: seq order holds.
                    break;
                }
                if open && !waiting && !b.upload_stopped {
                    let bytes = odb::bytes_of(tx, b.seq)?
                        .ok_or_else(|| Error::internal("a stored bundle has no bytes"))?;
                    due.push(Due {
                        seq: b.seq,
                        period: b.period,
                        bytes,
                    });
                }
            }
            Ok(Some(UploadPlan {
                url,
                code,
                head_first: odb::meta(tx, outbox::HOLD_KEY)?.is_some(),
                due,
            }))
        })
    }

    /// The bundle reached the inbox and its answer came back (it is imported next).
    pub fn upload_succeeded(&mut self, seq: u64, url: &str) -> Result<()> {
        self.guard(ANYONE)?;
        self.facility_mode()?;
        self.tx(|tx, at, _| odb::record_uploaded(tx, seq, at, url))
    }

    /// The bundle did not get a verdict: when it is tried again (UTC), and why. `stopped` when
    /// the server refused the bundle itself: it waits for a person.
    pub fn upload_failed(
        &mut self,
        seq: u64,
        error: &str,
        retry_after: Option<u64>,
        stopped: bool,
    ) -> Result<String> {
        self.guard(ANYONE)?;
        self.facility_mode()?;
        let now = self.clock.now();
        self.tx(|tx, _, _| {
            let tries = odb::bundles(tx)?
                .into_iter()
                .find(|b| b.seq == seq)
                .map_or(0, |b| b.upload_tries);
            let next = stamp(next_try(now, tries, retry_after));
            odb::record_upload_failure(tx, seq, &next, error, stopped)?;
            Ok(next)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbox_addresses_are_checked() {
        for good in [
            "https://bansos.kanwil-jateng.go.id",
            "http://127.0.0.1:8443/",
            "https://kanwil.example:8443/bansos",
        ] {
            assert!(parse_inbox_url(good).is_ok(), "{good}");
        }
        assert_eq!(
            parse_inbox_url("http://127.0.0.1:8443/").unwrap(),
            "http://127.0.0.1:8443"
        );
        for bad in [
            "",
            "kanwil",
            "ftp://kanwil.example",
            "https://",
            "https://a b",
            "https://kanwil.example/?x=1",
            &format!("https://{}.id", "a".repeat(200)),
        ] {
            let e = parse_inbox_url(bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("url"), "{bad}");
        }
    }

    #[test]
    fn the_backoff_doubles_with_a_spread_and_a_ceiling() {
        let now = Utc::now();
        let secs = |tries, after| (next_try(now, tries, after) - now).num_seconds();
        for _ in 0..50 {
            assert!((24..=36).contains(&secs(0, None)));
            assert!((48..=72).contains(&secs(1, None)));
            assert!((17_280..=25_920).contains(&secs(40, None)), "ceiling 6 h");
            assert!(secs(0, Some(600)) >= 600, "the server's wait is kept");
            // A wait of centuries (u64::MAX once overflowed the clock) is cut to the ceiling.
            for huge in [u64::MAX, i64::MAX as u64, 10_000_000_000_000] {
                assert!((21_600..=25_920).contains(&secs(0, Some(huge))), "{huge}");
            }
        }
    }
}

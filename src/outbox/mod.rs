//! The facility's side of the exchange with its Kanwil: the bundles it makes from its closed
//! months (the outbox), its enrollment and the province key. A bundle is built once, inside the
//! transaction that closes the month (or, for months closed before enrollment, the one that
//! imports it), and stored: every export is the same bytes.

pub mod byname;
pub mod db;

use crate::bundle::format::{self as f, Manifest};
use crate::bundle::wire::{self, SigLine};
use crate::bundle::{sha256_hex, VERSION};
use crate::db::Db as Connection;
use crate::error::{Error, ErrorKind, Result};
use crate::facility::FacilityProfile;
use crate::month::report::MonthlyReport;
use crate::stock::{from_milli, FundingSource};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Meta key: set by a restore; no bundle is made until an answer from the Kanwil is imported.
pub const HOLD_KEY: &str = "bundle_hold";
/// Meta key: the Kanwil's head for this facility, from the latest answer (JSON `Head`).
pub const HEAD_KEY: &str = "kanwil_head";
/// Meta key: the Kanwil's inbox address (`https://…`), set in Pengaturan or `outbox config`.
pub const INBOX_URL_KEY: &str = "inbox_url";

/// One line of the outbox screen and `bansos outbox list`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxLine {
    pub seq: u64,
    pub period: String,
    pub revision: u32,
    /// `monthly`, `nihil` or `revision`.
    pub kind: String,
    pub sha256: String,
    pub file_name: String,
    pub size: u64,
    pub made_at: String,
    /// `created`, `sent`, `acknowledged`, `refused` or `held` (a gap the Kanwil waits on).
    pub state: String,
    pub sent_at: Option<String>,
    pub sent_to: Option<String>,
    pub answered_at: Option<String>,
    pub verdict: Option<String>,
    pub reason: Option<crate::bundle::Reason>,
    /// Uploads to the Kanwil's inbox tried, the next try (UTC), the last error, whether the
    /// server refused it (not tried again until a person asks), when it last got through.
    pub upload_tries: u32,
    pub next_try_at: Option<String>,
    pub last_error: Option<String>,
    pub upload_stopped: bool,
    pub uploaded_at: Option<String>,
}

/// Where the facility stands with its Kanwil.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxState {
    pub enrolled: bool,
    pub kanwil_code: Option<String>,
    pub kanwil_name: Option<String>,
    pub due_day: Option<u32>,
    /// After a restore: waiting for an answer before any new bundle is made.
    pub held_after_restore: bool,
    /// Closed months still without a bundle (before enrollment, or held).
    pub waiting: Vec<String>,
    /// Months closed again on a database restored from a backup older than their first
    /// closing, before the Kanwil's latest month: its chain has gone past them (their bundles
    /// went with the lost part of the database). No bundle is made for them — it could only be
    /// refused as out of order.
    pub held_by_kanwil: Vec<String>,
    /// The Kanwil's latest month closed again here, after such a restore, at a revision not
    /// above the Kanwil's: no bundle yet (`Pending::at_head`).
    pub held_at_head: Option<HeldAtHead>,
    /// The Kanwil's inbox address, when bundles go by upload too.
    pub inbox_url: Option<String>,
    pub bundles: Vec<OutboxLine>,
}

/// A refusal a new copy of the same bytes can cure (docs/bundle-format.md §8: refused at steps
/// 6–8, not the facility's fault): a copy damaged on the way (`altered_part`, `bad_entry`), the
/// Kanwil's clock behind the facility's (`future_period`), a Kanwil not yet updated
/// (`newer_version`). Such a bundle goes again; any other refusal waits for a person.
pub fn resendable(code: &str) -> bool {
    matches!(
        code,
        "altered_part" | "bad_entry" | "future_period" | "newer_version"
    )
}

/// Whether an answer's head can be where a chain stands: a seq from 1 to 2³² (a bundle a month
/// would take 350 million years to reach it; a larger one would overflow the next seq), a
/// period that is a month, a revision from 1, a SHA-256. The answer is signed by the Kanwil,
/// so this only keeps a broken or compromised Kanwil from stopping the outbox with arithmetic.
pub fn head_is_sane(h: &f::Head) -> bool {
    (1..=u64::from(u32::MAX)).contains(&h.seq)
        && crate::month::Month::parse(&h.period).is_some_and(|m| m.key() == h.period)
        && (1..u32::MAX).contains(&h.revision)
        && h.bundle_sha256.len() == 64
        && h.bundle_sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The Kanwil's head for this facility, as the latest answer named it.
pub fn kanwil_head(conn: &Connection) -> Result<Option<f::Head>> {
    Ok(db::meta(conn, HEAD_KEY)?
        .and_then(|h| serde_json::from_str(&h).ok())
        .filter(head_is_sane))
}

/// A closing: its period (`2024-11`) and revision.
pub type Closing = (String, u32);

/// Closings still without a bundle, as the outbox sorts them after a restore.
#[derive(Debug, Default)]
pub struct Pending {
    /// Those a bundle is made for; a revision of the Kanwil's head month that this PC has no
    /// bundle of carries what it supersedes (the head), else the outbox's own latest is used.
    pub to_make: Vec<(Closing, Option<f::Superseded>)>,
    /// Months before the Kanwil's head month that this PC has no bundle of: the Kanwil's chain
    /// has gone past them (their bundles went with the lost part of the database), so a bundle
    /// made now could only be refused as out of order, taking a seq. None is made.
    pub passed: Vec<Closing>,
    /// The Kanwil's head month closed here without a bundle of it, at a revision not above the
    /// head's: held. Closed again at a higher revision it goes as a revision of the head.
    pub at_head: Vec<Closing>,
    pub head: Option<f::Head>,
}

/// Sorts the closings still without a bundle (`Pending`). A facility that was never restored
/// always has the bundles of the months its Kanwil's chain holds, so only `to_make` is filled;
/// after a restore the Kanwil's head (the latest answer's, checked and signed) tells which
/// months the chain has reached.
pub fn pending_closings(conn: &Connection) -> Result<Pending> {
    let head = kanwil_head(conn)?;
    let head_month = head
        .as_ref()
        .and_then(|h| crate::month::Month::parse(&h.period));
    let mut p = Pending::default();
    for (period, revision) in db::closings_without_bundle(conn)? {
        let reached = match (&head, head_month, crate::month::Month::parse(&period)) {
            (Some(h), Some(hm), Some(m)) if m <= hm => Some((h, m == hm)),
            _ => None,
        };
        let Some((h, at_head)) = reached else {
            p.to_make.push(((period, revision), None));
            continue;
        };
        if let Some(latest) = db::latest_of_period(conn, &period)? {
            // Its own bundles are here: a revision supersedes the latest of them, as ever; a
            // closing held at the head and since overtaken by a higher revision sent is done.
            if revision > latest.revision {
                p.to_make.push(((period, revision), None));
            }
        } else if !at_head {
            p.passed.push((period, revision));
        } else if revision > h.revision {
            let over = f::Superseded {
                seq: h.seq,
                revision: h.revision,
                bundle_sha256: h.bundle_sha256.clone(),
            };
            p.to_make.push(((period, revision), Some(over)));
        } else {
            p.at_head.push((period, revision));
        }
    }
    p.head = head;
    Ok(p)
}

/// "2024-11", or "2024-11 r2" for a revision.
pub fn closing_label((period, revision): &Closing) -> String {
    if *revision > 1 {
        format!("{period} r{revision}")
    } else {
        period.clone()
    }
}

/// The Kanwil's latest month, closed again after a restore without a bundle.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HeldAtHead {
    /// Its closings held ("2024-11", "2024-11 r2").
    pub closings: Vec<String>,
    pub period: String,
    /// The Kanwil's last bundle, which it would supersede.
    pub head_seq: u64,
    /// The revision a closing of that month must reach to be sent (as a revision of the head).
    pub revision_to_send: u32,
}

impl Pending {
    pub fn held_at_head(&self) -> Option<HeldAtHead> {
        let h = self.head.as_ref()?;
        (!self.at_head.is_empty()).then(|| HeldAtHead {
            closings: self.at_head.iter().map(closing_label).collect(),
            period: h.period.clone(),
            head_seq: h.seq,
            revision_to_send: h.revision + 1,
        })
    }
}

/// The enrollment in force, parsed from its stored (verified) body.
pub fn enrollment(conn: &Connection) -> Result<Option<(u32, f::Enrollment)>> {
    let Some((update, body)) = db::enrollment(conn)? else {
        return Ok(None);
    };
    let e: f::Enrollment =
        f::parse(&body).ok_or_else(|| Error::internal("the stored enrollment does not parse"))?;
    Ok(Some((update, e)))
}

/// What a bundle is made of besides the database.
pub struct Keys<'a> {
    pub signer: &'a SigningKey,
    pub province_key: &'a [u8; 32],
    pub province_key_id: &'a str,
}

/// Where a new bundle sits in the chain.
pub struct Place {
    pub seq: u64,
    pub previous: Option<f::ChainLink>,
    pub last_ack: Option<f::AckRef>,
    /// For a revision: the bundle it supersedes when that is not the outbox's own latest of the
    /// period (the Kanwil's head, after a restore lost it).
    pub supersedes: Option<f::Superseded>,
}

/// Builds the bundle of one closing, reading the stored report and the month's records from
/// `conn` (the transaction's). Returns (bundle hash, bytes).
#[allow(clippy::too_many_arguments)]
pub fn build(
    conn: &Connection,
    profile: &FacilityProfile,
    enrollment: &f::Enrollment,
    keys: &Keys,
    place: &Place,
    period: &str,
    revision: u32,
    made_at: &str,
) -> Result<(String, Vec<u8>)> {
    let stored = crate::month::db::stored(conn, period, Some(revision))?
        .ok_or_else(|| Error::internal("the closing to bundle is missing"))?;
    let report = MonthlyReport::from_bytes(&stored.report)?;
    let (closed_at, closed_by, audit_head) = db::closing_meta(conn, period, revision)?
        .ok_or_else(|| Error::internal("the closing to bundle is missing"))?;
    let m = crate::month::Month::parse(period)
        .ok_or_else(|| Error::internal("a stored period does not parse"))?;
    let (first, last) = (m.first().to_string(), m.last().to_string());

    // Records under pseudonyms.
    let pk = keys.province_key;
    // The records as they stood when the month was closed: a bundle made later (at enrollment,
    // after a restore's hold, or of a revision since superseded) leaves out what was written
    // after its closing, as its report does.
    let hs = db::handovers(conn, &first, &last, &closed_at)?;
    let mut handovers = Vec::with_capacity(hs.len());
    for h in hs {
        let nik = |p: &(Option<String>, bool, i64)| {
            p.0.as_ref()
                .filter(|_| !p.1)
                .map(|n| f::pseudonym(pk, "bansos-nik-v1:", n))
        };
        // The head is the first person (position 0), then the members.
        let (head, members) = match h.people.split_first() {
            Some((first, rest)) => (nik(first), rest.iter().filter_map(nik).collect()),
            None => (None, Vec::new()),
        };
        handovers.push(f::RecHandover {
            bast_no: h.bast_no,
            date: h.date,
            event: h.event,
            category: h.category,
            family: f::pseudonym(
                pk,
                "bansos-family-v1:",
                &format!("{}:{}", profile.code, h.family_id),
            ),
            household_size: h.people.len() as i64,
            district: h
                .region
                .map(|r| r.chars().filter(char::is_ascii_digit).take(6).collect())
                .filter(|d: &String| d.len() == 6),
            head,
            members,
            kk: h.kk.map(|k| f::pseudonym(pk, "bansos-kk-v1:", &k)),
            to_proxy: h.to_proxy,
            proxy_relation: h.proxy_relation,
            live: h
                .voided_at
                .as_deref()
                .is_none_or(|v| v > closed_at.as_str()),
            items: h
                .items
                .into_iter()
                .map(|(code, q)| f::ItemTotal {
                    code,
                    handed_over: from_milli(q),
                })
                .collect(),
        });
    }
    let movements = db::movements(conn, &first, &last, &closed_at)?
        .into_iter()
        .map(|mv| f::RecMovement {
            id: mv.id,
            date: mv.date,
            kind: mv.kind,
            item: mv.item,
            lot: mv.lot,
            quantity: from_milli(mv.qty_milli),
            source: crate::family::model::from_code(&mv.source).unwrap_or(FundingSource::Lainnya),
            document: mv.document,
            note: mv.note,
            reference: mv.reference,
        })
        .collect::<Vec<_>>();
    let records = f::Records {
        format: "bansos-records".into(),
        version: VERSION,
        facility: profile.code.clone(),
        period: period.to_owned(),
        revision,
        pseudonym_key: keys.province_key_id.to_owned(),
        report: f::ReportHashes {
            json_sha256: sha256_hex(&stored.report),
            pdf_sha256: sha256_hex(&stored.pdf),
            xlsx_sha256: sha256_hex(&stored.xlsx),
        },
        events: report.events.clone(),
        handovers,
        voids: report.voided.clone(),
        movements,
    };

    let sources: Vec<f::SourceTotal> = report
        .sources
        .iter()
        .map(|s| f::SourceTotal {
            source: s.source,
            received_value: s.received_value,
            issued_value: s.issued_value,
        })
        .collect();
    let aggregates = f::Aggregates {
        format: "bansos-aggregates".into(),
        version: VERSION,
        facility: f::AggFacility {
            code: profile.code.clone(),
            name: profile.name.clone(),
            kind: profile.kind.code().into(),
            class: profile.class.clone(),
            province: profile.province.clone(),
            kanwil: profile.kanwil.clone(),
            time_zone: profile.time_zone.code().into(),
        },
        period: period.to_owned(),
        revision,
        nihil: report.nihil,
        served: report.served.clone(),
        events: report
            .events
            .iter()
            .map(|e| f::AggEvent {
                date: e.date.clone(),
                kind: serde_json::to_value(e.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                served: e.served,
            })
            .collect(),
        items: report
            .items
            .iter()
            .map(|i| f::AggItem {
                code: i.code.clone(),
                name: i.name.clone(),
                unit: i.unit.clone(),
                opening: i.opening,
                received: i.received.clone(),
                handed_over: i.handed_over,
                from_harvest: i.from_harvest,
                out: i.out,
                adjustments: i.adjustments,
                closing: i.closing,
            })
            .collect(),
        sources: sources.clone(),
        issued_value: report.issued_value,
        harvest_value: report.harvest_value,
    };
    let kind_name = profile.kind.long_name();
    let summary = crate::month::summary::of_month(&report, kind_name).to_bytes()?;

    let recipients = enrollment.kanwil.recipients.clone();
    let agg_bytes = f::to_bytes(&aggregates)?;
    let records_age = wire::encrypt(&recipients, &f::to_bytes(&records)?)?;
    let report_age = wire::encrypt(&recipients, &stored.report)?;
    let pdf_age = wire::encrypt(&recipients, &stored.pdf)?;
    let xlsx_age = wire::encrypt(&recipients, &stored.xlsx)?;
    let parts: Vec<(&str, &[u8])> = vec![
        ("aggregates.json", &agg_bytes),
        ("summary.json", &summary),
        ("records.json.age", &records_age),
        ("report.json.age", &report_age),
        ("report.pdf.age", &pdf_age),
        ("report.xlsx.age", &xlsx_age),
    ];
    let supersedes = if revision > 1 && place.supersedes.is_some() {
        place.supersedes.clone()
    } else if revision > 1 {
        db::latest_of_period(conn, period)?.map(|b| f::Superseded {
            seq: b.seq,
            revision: b.revision,
            bundle_sha256: b.sha256,
        })
    } else {
        None
    };
    let previous_closing = report
        .items
        .iter()
        .map(|i| (i.code.clone(), i.opening))
        .collect::<Vec<_>>();
    let closing = report
        .items
        .iter()
        .map(|i| (i.code.clone(), i.closing))
        .collect::<Vec<_>>();
    let kind = if revision > 1 {
        "revision"
    } else if report.nihil {
        "nihil"
    } else {
        "monthly"
    };
    let manifest = Manifest {
        format: "bansos-bundle".into(),
        version: VERSION,
        kind: kind.into(),
        nihil: report.nihil,
        facility: f::ManifestFacility {
            code: profile.code.clone(),
            name: profile.name.clone(),
            key_fingerprint: crate::facility::keys::fingerprint(
                &keys.signer.verifying_key().to_bytes(),
            ),
        },
        kanwil: f::ManifestKanwil {
            code: enrollment.kanwil.code.clone(),
            recipients,
        },
        period: period.to_owned(),
        revision,
        supersedes,
        seq: place.seq,
        previous: place.previous.clone(),
        last_ack: place.last_ack.clone(),
        software: f::Software {
            version: env!("CARGO_PKG_VERSION").into(),
            schema_version: db::schema_version(conn)?,
        },
        closed: f::Closed {
            at: closed_at,
            by: closed_by,
            role: "kepala_upt".into(),
        },
        made_at: made_at.to_owned(),
        audit_head,
        stock: f::StockHashes {
            opening_sha256: f::stock_sha256(&previous_closing),
            closing_sha256: f::stock_sha256(&closing),
        },
        pseudonym_key: keys.province_key_id.to_owned(),
        totals: f::Totals {
            families: report.served.families,
            keluarga_wbp: report.served.keluarga_wbp,
            masyarakat_sekitar: report.served.masyarakat_sekitar,
            packages: report.served.packages,
            to_proxy: report.served.to_proxy,
            basts: records.handovers.len() as i64,
            voids: report.voided.len() as i64,
            events: report.events.len() as i64,
            movements: records.movements.len() as i64,
            items: report
                .items
                .iter()
                .map(|i| f::ItemTotal {
                    code: i.code.clone(),
                    handed_over: i.handed_over,
                })
                .collect(),
            sources,
        },
        parts: parts
            .iter()
            .map(|(n, b)| f::Part {
                name: (*n).to_owned(),
                encrypted: n.ends_with(".age"),
                size: b.len() as u64,
                sha256: sha256_hex(b),
            })
            .collect(),
    };
    let manifest_bytes = f::to_bytes(&manifest)?;
    let sig = SigLine::make(
        &profile.code,
        keys.signer,
        crate::sign::Kind::Bundle,
        &manifest_bytes,
    );
    let mut entries: Vec<(&str, &[u8])> =
        vec![("manifest.json", &manifest_bytes), ("manifest.sig", &sig)];
    entries.extend(parts);
    let bytes = wire::zip(&entries)?;
    Ok((sha256_hex(&manifest_bytes), bytes))
}

pub fn not_enrolled() -> Error {
    Error::new(
        ErrorKind::Conflict,
        "UPT ini belum terdaftar di Kanwil: buat berkas pendaftaran (Kirim ke Kanwil → Pendaftaran), kirim ke Kanwil, lalu impor berkas pengesahan yang dikirim balik.",
        "This facility is not enrolled with its regional office yet: make the registration file (Send to Kanwil → Registration), send it to the Kanwil, then import the enrollment file it sends back.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_out_of_range_is_not_sane() {
        let good = f::Head {
            seq: 3,
            bundle_sha256: "ab".repeat(32),
            period: "2024-11".into(),
            revision: 1,
        };
        assert!(head_is_sane(&good));
        let bad = |change: fn(&mut f::Head)| {
            let mut h = good.clone();
            change(&mut h);
            head_is_sane(&h)
        };
        assert!(!bad(|h| h.seq = 0));
        assert!(!bad(|h| h.seq = u64::MAX));
        assert!(bad(|h| h.seq = u64::from(u32::MAX)));
        assert!(!bad(|h| h.period = "2024-9".into()));
        assert!(!bad(|h| h.period = "2024-13".into()));
        assert!(!bad(|h| h.revision = 0));
        assert!(!bad(|h| h.revision = u32::MAX));
        assert!(!bad(|h| h.bundle_sha256 = "AB".repeat(32)));
        assert!(!bad(|h| h.bundle_sha256 = "ab".repeat(31)));
    }
}

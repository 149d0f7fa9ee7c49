//! The regional office (Kanwil) in regional mode: its member facilities, the import of their
//! bundles with one named verdict each (format §8–9), the answers it signs, and what it sums
//! from what it accepted — the province's recap, who has reported, and people served by two
//! facilities in one month, found by pseudonym only.

pub mod byname;
pub mod db;
pub mod served;
pub mod xlsx;

use crate::bundle::check::{self, Opened};
use crate::bundle::format::{self as f, Answer};
use crate::bundle::wire::{self, SigLine};
use crate::bundle::{sha256_hex, Reason, VERSION};
use crate::db::Tx as Transaction;
use crate::error::{Error, Result};
use crate::month::Month;
use ed25519_dalek::SigningKey;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use ts_rs::TS;

/// A month's records at most (format §11): hand-overs and stock movements.
const RECORD_HANDOVERS: usize = 200_000;
const RECORD_MOVEMENTS: usize = 1_000_000;
/// The largest quantity or rupiah figure a bundle may carry, in either sign: far beyond a real
/// facility-month (one line is at most `limits::QUANTITY` or `limits::RUPIAH`), and far enough
/// from `Decimal`'s range that every sum the Kanwil makes of them (a month's records, a
/// province's recap over years) stays exact and never overflows.
const AMOUNT_MAX: i64 = 1_000_000_000_000_000_000;
/// The largest count (families, packages, BASTs…) a bundle may state.
const COUNT_MAX: i64 = 1_000_000_000;

/// Every figure of the bundle within [`AMOUNT_MAX`] and [`COUNT_MAX`]: checked before any is added
/// up, so a signed bundle with absurd numbers is refused with a reason instead of overflowing.
fn amounts_in_range(m: &f::Manifest, agg: &f::Aggregates, records: &f::Records) -> bool {
    let max = Decimal::from(AMOUNT_MAX);
    // Quantities are kept in thousandths, rupiah in hundredths: no real figure has more places.
    let ok = |d: &Decimal| d.abs() <= max && d.scale() <= 3;
    let count = |n: i64| (0..=COUNT_MAX).contains(&n);
    let t = &m.totals;
    let s = &agg.served;
    [
        t.families,
        t.keluarga_wbp,
        t.masyarakat_sekitar,
        t.packages,
        t.to_proxy,
        t.basts,
        t.voids,
        t.events,
        t.movements,
        s.families,
        s.keluarga_wbp,
        s.masyarakat_sekitar,
        s.packages,
        s.to_proxy,
    ]
    .into_iter()
    .all(count)
        && agg.events.iter().all(|e| count(e.served))
        && t.items.iter().all(|i| ok(&i.handed_over))
        && t.sources
            .iter()
            .chain(&agg.sources)
            .all(|s| ok(&s.received_value) && ok(&s.issued_value))
        && ok(&agg.issued_value)
        && ok(&agg.harvest_value)
        && agg.items.iter().all(|i| {
            [
                i.opening,
                i.handed_over,
                i.from_harvest,
                i.out,
                i.adjustments,
                i.closing,
            ]
            .iter()
            .chain(i.received.iter().map(|r| &r.quantity))
            .all(ok)
        })
        && records
            .handovers
            .iter()
            .all(|h| h.items.iter().all(|i| ok(&i.handed_over)))
        && records.movements.iter().all(|mv| ok(&mv.quantity))
}

/// Who is importing: the Kanwil's code, keys and clock.
pub struct Ctx<'a> {
    pub code: &'a str,
    pub signer: &'a SigningKey,
    /// Its X25519 identity (`AGE-SECRET-KEY-1…`) and recipient.
    pub identity: &'a str,
    pub recipient: &'a str,
    pub now: chrono::DateTime<chrono::Utc>,
    pub at: &'a str,
}

/// One bundle's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "BundleVerdict")]
pub struct Verdict {
    pub file_name: String,
    /// `accepted`, `revision`, `already_received`, `held_gap`, `fork`, `refused`.
    pub verdict: String,
    pub facility: Option<String>,
    pub period: Option<String>,
    pub revision: Option<u32>,
    pub seq: Option<u64>,
    pub reason: Option<Reason>,
    /// The seqs a held bundle waits for.
    pub missing: Vec<u64>,
    /// The signed answer to send back (none for a file that is not verifiably a facility's).
    #[serde(skip)]
    #[ts(skip)]
    pub answer: Option<(String, Vec<u8>)>,
    /// Held bundles this one let through (their gap filled), each with its own verdict.
    pub released: Vec<Verdict>,
}

impl Verdict {
    /// The verdict in words: "diterima", "ditolak: …".
    pub fn words(&self, lang: crate::locale::Lang) -> String {
        use crate::locale::Lang::*;
        let base = match (self.verdict.as_str(), lang) {
            ("accepted", Id) => "diterima".to_owned(),
            ("accepted", En) => "accepted".to_owned(),
            ("revision", Id) => "revisi diterima (menggantikan yang lama)".to_owned(),
            ("revision", En) => "revision accepted (supersedes the earlier one)".to_owned(),
            ("already_received", Id) => "sudah diterima sebelumnya (tidak ada yang berubah)".to_owned(),
            ("already_received", En) => "already received (nothing changed)".to_owned(),
            ("held_gap", Id) => format!("menunggu bundel yang hilang: nomor urut {}", join(&self.missing)),
            ("held_gap", En) => format!("held: waiting for the missing seq {}", join(&self.missing)),
            ("fork", Id) => "cabang: dua bundel berbeda dengan nomor urut yang sama (keduanya disimpan sebagai bukti)".to_owned(),
            ("fork", En) => "fork: two different bundles with one seq (both kept as evidence)".to_owned(),
            (_, Id) => "ditolak".to_owned(),
            (_, En) => "refused".to_owned(),
        };
        match &self.reason {
            Some(r) => format!("{base}: {}", r.text(lang)),
            None => base,
        }
    }
}

fn join(v: &[u64]) -> String {
    v.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
}

fn refused(file_name: &str, facility: Option<String>, reason: Reason) -> Verdict {
    Verdict {
        file_name: file_name.to_owned(),
        verdict: "refused".into(),
        facility,
        period: None,
        revision: None,
        seq: None,
        reason: Some(reason),
        missing: vec![],
        answer: None,
        released: vec![],
    }
}

/// The key a registered facility signs with, by its code and the fingerprint on a signature
/// line: refused by name when the facility or the key is unknown here, or revoked. (A key
/// retired by a rotation is still returned: whether it may sign that bundle is the chain's
/// check.)
pub fn member_key(
    tx: &crate::db::Db,
    code: &str,
    fp: &str,
) -> std::result::Result<[u8; 32], Reason> {
    let Some(m) = db::member(tx, code).map_err(|_| check::unknown_facility(code))? else {
        return Err(check::unknown_facility(code));
    };
    let Some((key, revoked)) =
        db::key(tx, &m.code, fp).map_err(|_| check::unknown_key(code, fp))?
    else {
        return Err(check::unknown_key(code, fp));
    };
    if revoked || m.revoked_at.is_some() {
        return Err(Reason::new(
            "revoked_key",
            None,
            format!("Kunci {fp} UPT {code} sudah dicabut Kanwil."),
            format!("Key {fp} of facility {code} has been revoked by the regional office."),
        ));
    }
    key.try_into().map_err(|_| check::unknown_key(code, fp))
}

/// The key a registered facility signs with now, for what is not a bundle (a by-name list): as
/// `member_key`, and refused when a rotation retired it — a retired key keeps only the bundles
/// it signed before its statement's seq, nothing made after.
pub fn current_member_key(
    tx: &crate::db::Db,
    code: &str,
    fp: &str,
) -> std::result::Result<[u8; 32], Reason> {
    let key = member_key(tx, code, fp)?;
    match db::key_retirement(tx, code, fp) {
        Ok(None) => Ok(key),
        Ok(Some(_)) => Err(Reason::new(
            "retired_key",
            None,
            format!("Kunci {fp} UPT {code} sudah diganti; daftar nama harus ditandatangani dengan kunci yang berlaku. Minta UPT membuatnya lagi."),
            format!("Key {fp} of facility {code} has been replaced; a by-name list must be signed with the current key. Ask the facility to make it again."),
        )),
        Err(_) => Err(check::unknown_key(code, fp)),
    }
}

/// A member's key as looked up for a signature line: (code, fingerprint) and the answer.
type KeyLookup = (String, String, std::result::Result<[u8; 32], Reason>);

/// What a batch of imports may work from before each bundle's own transaction: every
/// registered key's answer, and the Kanwil's identity, as they were when the batch began.
pub struct Snapshot {
    keys: std::collections::HashMap<(String, String), std::result::Result<[u8; 32], Reason>>,
    identity: Option<zeroize::Zeroizing<String>>,
}

impl Snapshot {
    /// Reads every member's keys (as [`member_key`] answers for them) from `conn`; `identity` is
    /// the Kanwil's X25519 secret when it has one already.
    pub fn read(
        conn: &crate::db::Db,
        identity: Option<zeroize::Zeroizing<String>>,
    ) -> Result<Snapshot> {
        let mut keys = std::collections::HashMap::new();
        for m in db::members(conn)? {
            for fp in db::fingerprints(conn, &m.code)? {
                let k = member_key(conn, &m.code, &fp);
                keys.insert((m.code.clone(), fp), k);
            }
        }
        Ok(Snapshot { keys, identity })
    }
}

/// One bundle file as far as it can be taken without the database: opened and verified with
/// the keys of a [`Snapshot`], and its content decrypted and counted with the snapshot's
/// identity. Made off the writer's thread while the bundle before it is written; its
/// transaction ([`import_prepared`]) looks the key and the identity up again and uses this only
/// when they are still the same, and otherwise does all of it again itself.
pub struct Prepared {
    name: String,
    bytes: Vec<u8>,
    key: Option<KeyLookup>,
    opened: std::result::Result<Opened, check::Refusal>,
    /// The content's checks that need no database (`None`: left to the transaction), and the
    /// identity they were made with.
    content: Option<(
        std::result::Result<Checked, Reason>,
        zeroize::Zeroizing<String>,
    )>,
}

/// Opens `bytes` with `key_for`, noting which key it asked for.
fn open_noting(
    bytes: &[u8],
    key_for: impl FnOnce(&str, &str) -> std::result::Result<[u8; 32], Reason>,
) -> (
    Option<KeyLookup>,
    std::result::Result<Opened, check::Refusal>,
) {
    let mut asked = None;
    let opened = check::open_bundle_full(bytes, |code, fp| {
        let k = key_for(code, fp);
        asked = Some((code.to_owned(), fp.to_owned(), k.clone()));
        k
    });
    (asked, opened)
}

/// Takes a file as far as `snap` allows (see [`Prepared`]). Needs no database: runs on any
/// thread.
pub fn prepare(snap: &Snapshot, name: String, bytes: Vec<u8>) -> Prepared {
    let (key, opened) = open_noting(&bytes, |code, fp| {
        snap.keys
            .get(&(code.to_owned(), fp.to_owned()))
            .cloned()
            .unwrap_or_else(|| Err(check::unknown_key(code, fp)))
    });
    let content = match (&opened, &snap.identity) {
        (Ok(o), Some(id)) => Some((checked_content(id, o), id.clone())),
        _ => None,
    };
    Prepared {
        name,
        bytes,
        key,
        opened,
        content,
    }
}

/// Imports one file: every check in order, the verdict stored with its answer, and held bundles
/// that this one unblocks checked again. Runs inside the caller's transaction.
pub fn import(tx: &Transaction, ctx: &Ctx, file_name: &str, bytes: &[u8]) -> Result<Verdict> {
    let (key, opened) = open_noting(bytes, |code, fp| member_key(tx, code, fp));
    import_opened(tx, ctx, file_name, bytes, key, opened, None)
}

/// As [`import`], from a file [`prepare`]d before the transaction: what it found is used only
/// where the key it was verified with, and the identity it was decrypted with, are still this
/// transaction's.
pub fn import_prepared(tx: &Transaction, ctx: &Ctx, p: Prepared) -> Result<Verdict> {
    let same_key = match &p.key {
        Some((code, fp, k)) => member_key(tx, code, fp) == *k,
        // Refused before any key was asked for: the bytes alone decided.
        None => true,
    };
    if !same_key {
        return import(tx, ctx, &p.name, &p.bytes);
    }
    let content = p
        .content
        .filter(|(_, id)| id.as_str() == ctx.identity)
        .map(|(c, _)| c);
    import_opened(tx, ctx, &p.name, &p.bytes, p.key, p.opened, content)
}

fn import_opened(
    tx: &Transaction,
    ctx: &Ctx,
    file_name: &str,
    bytes: &[u8],
    key: Option<KeyLookup>,
    opened: std::result::Result<Opened, check::Refusal>,
    content: Option<std::result::Result<Checked, Reason>>,
) -> Result<Verdict> {
    let signer_code = key.map(|(code, _, _)| code);
    let opened = match opened {
        Ok(o) => o,
        Err((reason, verified)) => {
            let r = serde_json::to_vec(&reason).map_err(Error::internal)?;
            db::insert_refusal(
                tx,
                ctx.at,
                &sha256_hex(bytes),
                signer_code.as_deref(),
                file_name,
                &r,
            )?;
            let mut v = refused(file_name, signer_code, reason);
            // Its manifest was verified (a part was altered on the way): answer about it.
            if let Some((sha, m)) = verified.map(|b| *b) {
                let answer =
                    answer_file(tx, ctx, &m, &sha, "refused", v.reason.as_ref(), &[], ctx.at)?;
                v.period = Some(m.period.clone());
                v.seq = Some(m.seq);
                v.revision = Some(m.revision);
                v.answer = Some((answer_name(&m), answer));
            }
            return Ok(v);
        }
    };
    // Already here, byte for byte: the answer given then.
    if let Some(r) = db::received_by_sha(tx, &opened.sha256)? {
        let answer = db::answer_of(tx, r.id)?;
        let m = &opened.manifest;
        return Ok(Verdict {
            file_name: file_name.to_owned(),
            verdict: "already_received".into(),
            facility: Some(m.facility.code.clone()),
            period: Some(m.period.clone()),
            revision: Some(m.revision),
            seq: Some(m.seq),
            reason: None,
            missing: vec![],
            answer: answer.map(|a| (answer_name(m), a)),
            released: vec![],
        });
    }
    if let Some(reason) = for_this_kanwil(tx, ctx, &opened)? {
        let r = serde_json::to_vec(&reason).map_err(Error::internal)?;
        db::insert_refusal(
            tx,
            ctx.at,
            &sha256_hex(bytes),
            Some(&opened.manifest.facility.code),
            file_name,
            &r,
        )?;
        let answer = answer_file(
            tx,
            ctx,
            &opened.manifest,
            &opened.sha256,
            "refused",
            Some(&reason),
            &[],
            ctx.at,
        )?;
        let mut v = refused(
            file_name,
            Some(opened.manifest.facility.code.clone()),
            reason,
        );
        v.period = Some(opened.manifest.period.clone());
        v.seq = Some(opened.manifest.seq);
        v.revision = Some(opened.manifest.revision);
        v.answer = Some((answer_name(&opened.manifest), answer));
        return Ok(v);
    }
    let m = &opened.manifest;
    let id = db::insert_received(
        tx,
        &db::NewReceived {
            member: &m.facility.code,
            seq: m.seq,
            period: &m.period,
            revision: m.revision,
            kind: &m.kind,
            nihil: m.nihil,
            sha256: &opened.sha256,
            previous: m.previous.as_ref().map(|p| p.bundle_sha256.as_str()),
            bytes,
            received_at: ctx.at,
        },
        "held",
    )?;
    let mut v = decide(tx, ctx, id, &opened, ctx.at, content)?;
    v.file_name = file_name.to_owned();
    // Held bundles this one may have unblocked, in seq order.
    if matches!(v.verdict.as_str(), "accepted" | "revision") || v.reason.is_some() {
        loop {
            let code = &m.facility.code;
            let chain = db::chain(tx, code)?;
            let head = chain.last().map_or(0, |r| r.seq);
            let held = db::held(tx, code)?;
            let Some(next) = held.into_iter().find(|h| h.seq == head + 1) else {
                break;
            };
            let b = db::bytes_of(tx, next.id)?;
            let Ok(o) = check::open_bundle(&b, |code, fp| {
                db::key(tx, code, fp)
                    .ok()
                    .flatten()
                    .and_then(|(k, _)| k.try_into().ok())
                    .ok_or_else(|| check::unknown_key(code, fp))
            }) else {
                break;
            };
            let mut r = decide(tx, ctx, next.id, &o, &next.received_at, None)?;
            r.file_name = crate::bundle::bundle_file_name(
                code,
                &o.manifest.period,
                o.manifest.revision,
                o.manifest.seq,
            );
            v.released.push(r);
        }
    }
    Ok(v)
}

fn answer_name(m: &f::Manifest) -> String {
    crate::bundle::answer_file_name(&m.facility.code, &m.period, m.revision, m.seq)
}

/// Step 6's checks that need the Kanwil: its code, its recipients, its province key, the clock.
fn for_this_kanwil(tx: &Transaction, ctx: &Ctx, o: &Opened) -> Result<Option<Reason>> {
    let m = &o.manifest;
    if m.kanwil.code != ctx.code || m.kanwil.recipients.iter().any(|r| r != ctx.recipient) {
        return Ok(Some(Reason::new(
            "wrong_kanwil",
            Some("manifest.json"),
            format!(
                "Bundel ini ditujukan ke {}, bukan ke Kanwil ini.",
                m.kanwil.code
            ),
            format!(
                "This bundle is meant for {}, not for this regional office.",
                m.kanwil.code
            ),
        )));
    }
    if crate::outbox::db::province_key_by_id(tx, &m.pseudonym_key)?.is_none() {
        return Ok(Some(Reason::new(
            "wrong_kanwil",
            Some("manifest.json"),
            format!(
                "Kunci pseudonim {} tidak diterbitkan Kanwil ini.",
                m.pseudonym_key
            ),
            format!(
                "Pseudonym key {} was not issued by this regional office.",
                m.pseudonym_key
            ),
        )));
    }
    if let Some((retired_at, last)) = db::key_retirement(tx, &m.facility.code, &o.sig.fingerprint)?
    {
        if m.seq > last.unwrap_or(0) {
            let tz = db::member(tx, &m.facility.code)?
                .and_then(|mb| crate::locale::TimeZone::parse(&mb.time_zone))
                .unwrap_or_default();
            let when = |lang| {
                chrono::DateTime::parse_from_rfc3339(&retired_at)
                    .map(|t| crate::locale::date_time(t.with_timezone(&chrono::Utc), tz, lang))
                    .unwrap_or_else(|_| retired_at.clone())
            };
            let allowed = match last {
                Some(l) if l > 0 => (
                    format!("hanya sampai nomor urut {l}"),
                    format!("only up to seq {l}"),
                ),
                _ => ("tidak satu pun".to_owned(), "none at all".to_owned()),
            };
            return Ok(Some(Reason::new(
                "retired_key",
                Some("manifest.sig"),
                format!(
                    "Kunci {} UPT {} sudah diganti ({}); kunci itu boleh menandatangani bundel {}, bukan nomor urut {}.",
                    o.sig.fingerprint, m.facility.code, when(crate::locale::Lang::Id), allowed.0, m.seq
                ),
                format!(
                    "Key {} of facility {} was replaced ({}); it may sign {} bundles, not seq {}.",
                    o.sig.fingerprint, m.facility.code, when(crate::locale::Lang::En), allowed.1, m.seq
                ),
            )));
        }
    }
    let tz = db::member(tx, &m.facility.code)?
        .and_then(|mb| crate::locale::TimeZone::parse(&mb.time_zone))
        .unwrap_or_default();
    let today = tz.today(ctx.now);
    if let Some(p) = Month::parse(&m.period) {
        if p >= Month::of(today) {
            return Ok(Some(Reason::new(
                "future_period",
                Some("manifest.json"),
                format!(
                    "Periode {} belum berakhir.",
                    p.words(crate::locale::Lang::Id)
                ),
                format!(
                    "The period {} has not ended yet.",
                    p.words(crate::locale::Lang::En)
                ),
            )));
        }
    }
    Ok(None)
}

/// Step 9 on (the chain) and 10 (the content) for a received bundle `id`; stores the verdict
/// and its answer.
/// `pre` is the content's checks made before the transaction, if any (see [`Prepared`]).
fn decide(
    tx: &Transaction,
    ctx: &Ctx,
    id: i64,
    o: &Opened,
    received_at: &str,
    pre: Option<std::result::Result<Checked, Reason>>,
) -> Result<Verdict> {
    let m = &o.manifest;
    let code = &m.facility.code;
    let chain = db::chain(tx, code)?;
    let head = chain.last();
    let head_seq = head.map_or(0, |r| r.seq);
    let mut v = Verdict {
        file_name: String::new(),
        verdict: String::new(),
        facility: Some(code.clone()),
        period: Some(m.period.clone()),
        revision: Some(m.revision),
        seq: Some(m.seq),
        reason: None,
        missing: vec![],
        answer: None,
        released: vec![],
    };
    let prev_ok = match (&m.previous, head) {
        (None, None) => true,
        (Some(p), Some(h)) => p.seq == h.seq && p.bundle_sha256 == h.sha256,
        _ => false,
    };
    // A seq a bundle held for a gap already took (one that came before this one) is a fork too:
    // the first keeps its place, and this one is not left held for ever once the gap fills.
    let held_twin = m.seq > head_seq
        && db::held(tx, code)?
            .iter()
            .any(|h| h.seq == m.seq && h.id < id && h.sha256 != o.sha256);
    if m.seq <= head_seq || (m.seq == head_seq + 1 && !prev_ok) || held_twin {
        let reason = Reason::new(
            "fork",
            None,
            format!(
                "Nomor urut {} sudah dipakai bundel lain dari UPT {code} (atau bundel sebelumnya berbeda). Keduanya disimpan sebagai bukti; hubungi UPT.",
                m.seq
            ),
            format!(
                "Seq {} is already taken by another bundle of facility {code} (or its previous bundle differs). Both are kept as evidence; contact the facility.",
                m.seq
            ),
        );
        let answer = answer_file(
            tx,
            ctx,
            m,
            &o.sha256,
            "fork",
            Some(&reason),
            &[],
            received_at,
        )?;
        let r = serde_json::to_vec(&reason).map_err(Error::internal)?;
        db::decide(tx, id, "fork", Some(&r), None, None, ctx.at, &answer)?;
        v.verdict = "fork".into();
        v.reason = Some(reason);
        v.answer = Some((answer_name(m), answer));
        return Ok(v);
    }
    if m.seq > head_seq + 1 {
        let held: BTreeSet<u64> = db::held(tx, code)?.iter().map(|h| h.seq).collect();
        v.missing = (head_seq + 1..m.seq)
            .filter(|s| !held.contains(s))
            .take(100)
            .collect();
        if v.missing.is_empty() {
            v.missing = vec![head_seq + 1];
        }
        let answer = answer_file(
            tx,
            ctx,
            m,
            &o.sha256,
            "held_gap",
            None,
            &v.missing,
            received_at,
        )?;
        db::decide(tx, id, "held", None, None, None, ctx.at, &answer)?;
        v.verdict = "held_gap".into();
        v.answer = Some((answer_name(m), answer));
        return Ok(v);
    }
    // Next in the chain: its period in order, then its content.
    let outcome = period_in_order(&chain, m).and_then(|superseded| {
        content(tx, ctx, o, pre).map(|(agg, served)| (superseded, agg, served))
    });
    match outcome {
        Ok((superseded, agg, served)) => {
            if let Some(s) = superseded {
                db::set_status(tx, s, "superseded")?;
            }
            let verdict = if m.kind == "revision" {
                "revision"
            } else {
                "accepted"
            };
            // The answer names the new head, which is this bundle.
            let answer = answer_file_with_head(
                ctx,
                m,
                &o.sha256,
                verdict,
                None,
                &[],
                received_at,
                this_head(m, &o.sha256),
            )?;
            db::decide(
                tx,
                id,
                "accepted",
                None,
                Some(&agg),
                Some((&m.stock.opening_sha256, &m.stock.closing_sha256)),
                ctx.at,
                &answer,
            )?;
            if !served.1.is_empty() {
                db::insert_served(tx, id, &served.0, &served.1)?;
            }
            if m.kind == "revision" {
                db::supersede_accepted(tx, &m.facility.code, &m.period, id)?;
            }
            v.verdict = verdict.into();
            v.answer = Some((answer_name(m), answer));
        }
        Err(reason) => {
            // Genuinely the facility's and in its place: its seq stays taken, the period is not
            // reported, and the facility answers with a revision.
            let answer = answer_file_with_head(
                ctx,
                m,
                &o.sha256,
                "refused",
                Some(&reason),
                &[],
                received_at,
                this_head(m, &o.sha256),
            )?;
            let r = serde_json::to_vec(&reason).map_err(Error::internal)?;
            db::decide(tx, id, "rejected", Some(&r), None, None, ctx.at, &answer)?;
            v.verdict = "refused".into();
            v.reason = Some(reason);
            v.answer = Some((answer_name(m), answer));
        }
    }
    Ok(v)
}

/// The answer's head when this bundle took its place in the chain: the bundle itself.
fn this_head(m: &f::Manifest, sha: &str) -> Option<f::Head> {
    Some(f::Head {
        seq: m.seq,
        bundle_sha256: sha.to_owned(),
        period: m.period.clone(),
        revision: m.revision,
    })
}

/// A monthly or nihil bundle is for the month after the last one; a revision is of the latest
/// period and supersedes its latest bundle. Returns the inbox id a revision supersedes.
fn period_in_order(
    chain: &[db::Received],
    m: &f::Manifest,
) -> std::result::Result<Option<i64>, Reason> {
    let last_period = chain.iter().map(|r| r.period.as_str()).max();
    let out = |id: &str, en: &str| {
        Err(Reason::new(
            "period_out_of_order",
            Some("manifest.json"),
            format!("Periode {} {id}.", m.period),
            format!("Period {} {en}.", m.period),
        ))
    };
    if m.kind == "revision" {
        if last_period != Some(m.period.as_str()) {
            return out(
                "bukan periode terakhir yang dilaporkan, jadi tidak dapat direvisi",
                "is not the latest period reported, so it cannot be revised",
            );
        }
        let latest = chain
            .iter()
            .filter(|r| r.period == m.period && r.status != "superseded")
            .max_by_key(|r| r.seq);
        match (latest, &m.supersedes) {
            (Some(l), Some(s)) if l.sha256 == s.bundle_sha256 && l.seq == s.seq => Ok(Some(l.id)),
            _ => out(
                "menggantikan bundel yang bukan bundel terakhirnya di Kanwil",
                "supersedes a bundle that is not its latest at the regional office",
            ),
        }
    } else {
        match last_period.and_then(Month::parse) {
            None => Ok(None),
            Some(last) if Month::parse(&m.period) == Some(last.next()) => Ok(None),
            Some(last) => out(
                &format!(
                    "bukan bulan sesudah {} (periode terakhir yang dilaporkan)",
                    last.key()
                ),
                &format!(
                    "is not the month after {} (the latest period reported)",
                    last.key()
                ),
            ),
        }
    }
}

/// The most hand-overs of one month that may name one person (by NIK or KK pseudonym).
pub const SAME_PERSON_IN_A_MONTH: usize = 12;

/// A person is in one family and a family is served once a month: a pseudonym named more often
/// than a move between families explains is not a month's work, and the province's pairs grow
/// with its square (200,000 times one name: 4 × 10¹⁰ pairs). `served`: (BAST, by, pseudonym).
fn served_too_often(served: &[(&str, &str, &str)]) -> bool {
    let mut seen: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    served.iter().any(|&(_, by, p)| {
        let n = seen.entry((by, p)).or_default();
        *n += 1;
        *n > SAME_PERSON_IN_A_MONTH
    })
}

/// Who a bundle served, as the Kanwil keeps it: its BAST numbers and people (`served::encode`).
type Served = (Vec<u8>, Vec<u8>);

/// What step 10 finds without the database: the aggregates' bytes, and the people served
/// (or why a pseudonym is not valid, which is told only after the stock's continuity).
pub struct Checked {
    agg: Vec<u8>,
    served: std::result::Result<Served, Reason>,
}

/// Step 10: decrypts the records and the report, and recomputes what the manifest and the
/// aggregates claim (from `pre` when that was done before the transaction). Returns the
/// aggregates' bytes and the people served.
fn content(
    tx: &Transaction,
    ctx: &Ctx,
    o: &Opened,
    pre: Option<std::result::Result<Checked, Reason>>,
) -> std::result::Result<(Vec<u8>, Served), Reason> {
    let c = match pre {
        Some(c) => c,
        None => checked_content(ctx.identity, o),
    }?;
    let m = &o.manifest;
    // The month opens where the last accepted one closed.
    if let Some(prev) = Month::parse(&m.period).map(|p| p.prev().key()) {
        if let Some(last) = db::closing_stock(tx, &m.facility.code, &prev)
            .ok()
            .flatten()
        {
            if last != m.stock.opening_sha256 {
                return Err(Reason::new(
                    "stock_discontinuity",
                    Some("aggregates.json"),
                    format!(
                        "Stok awal {} tidak sama dengan stok akhir {} yang diterima.",
                        m.period, prev
                    ),
                    format!(
                        "The opening stock of {} differs from the accepted closing stock of {}.",
                        m.period, prev
                    ),
                ));
            }
        }
    }
    Ok((c.agg, c.served?))
}

/// Step 10's checks that need only the bundle and the Kanwil's `identity`.
fn checked_content(identity: &str, o: &Opened) -> std::result::Result<Checked, Reason> {
    let m = &o.manifest;
    let part = |n: &str| o.part(n).unwrap_or_default();
    let open = |n: &str| {
        wire::decrypt(identity, part(n)).ok_or_else(|| {
            Reason::new(
                "cannot_decrypt",
                Some(n),
                format!("Bagian {n} tidak dapat dibuka dengan kunci Kanwil ini."),
                format!("Entry {n} does not open with this regional office's key."),
            )
        })
    };
    let bad = |n: &str, id: &str, en: &str| {
        Reason::new(
            "bad_records",
            Some(n),
            format!("Bagian {n} tidak sah: {id}."),
            format!("Entry {n} is not valid: {en}."),
        )
    };
    let differ = |what: &str, what_en: &str| {
        Reason::new(
            "totals_differ",
            None,
            format!("Jumlah kendali tidak cocok dengan catatan: {what}."),
            format!("The control totals do not match the records: {what_en}."),
        )
    };
    let records_plain = open("records.json.age")?;
    let records: f::Records = f::parse(&records_plain).ok_or_else(|| {
        bad(
            "records.json.age",
            "bentuknya tidak dikenal",
            "its form is not known",
        )
    })?;
    if records.format != "bansos-records"
        || records.version != VERSION
        || records.facility != m.facility.code
        || records.period != m.period
        || records.revision != m.revision
        || records.pseudonym_key != m.pseudonym_key
    {
        return Err(bad(
            "records.json.age",
            "UPT, periode, revisi atau kunci pseudonim berbeda dari manifes",
            "the facility, period, revision or pseudonym key differs from the manifest",
        ));
    }
    for (n, want) in [
        ("report.json.age", &records.report.json_sha256),
        ("report.pdf.age", &records.report.pdf_sha256),
        ("report.xlsx.age", &records.report.xlsx_sha256),
    ] {
        if sha256_hex(&open(n)?) != *want {
            return Err(bad(
                n,
                "isinya berbeda dari yang dicatat",
                "its content differs from what is recorded",
            ));
        }
    }
    let agg_bytes = part("aggregates.json").to_vec();
    let agg: f::Aggregates = f::parse(&agg_bytes).ok_or_else(|| {
        bad(
            "aggregates.json",
            "bentuknya tidak dikenal",
            "its form is not known",
        )
    })?;
    if agg.format != "bansos-aggregates"
        || agg.version != VERSION
        || agg.facility.code != m.facility.code
        || agg.period != m.period
        || agg.revision != m.revision
        || agg.nihil != m.nihil
    {
        return Err(bad(
            "aggregates.json",
            "format, UPT, periode atau revisi berbeda dari manifes",
            "the format, facility, period or revision differs from the manifest",
        ));
    }
    // Within the format's limits before anything is counted or stored.
    let too_many = records.handovers.len() > RECORD_HANDOVERS
        || records.movements.len() > RECORD_MOVEMENTS
        || records.handovers.iter().any(|h| {
            h.items.len() > crate::limits::PACKAGE_ITEMS
                || h.members.len() > 100
                || h.bast_no.is_empty()
                || h.bast_no.chars().count() > crate::limits::LABEL
        });
    if too_many {
        return Err(bad(
            "records.json.age",
            "melampaui batas format (jumlah serah terima, mutasi, barang, anggota, atau panjang nomor BAST)",
            "it exceeds the format's limits (hand-overs, movements, items, members, or a BAST number's length)",
        ));
    }
    if !amounts_in_range(m, &agg, &records) {
        return Err(Reason::new(
            "bad_records",
            None,
            "Bundel memuat angka jumlah, rupiah atau hitungan di luar batas yang mungkin.",
            "The bundle holds a quantity, rupiah figure or count beyond any possible one.",
        ));
    }
    // Recount from the records.
    let live: Vec<&f::RecHandover> = records.handovers.iter().filter(|h| h.live).collect();
    let mut families = BTreeSet::new();
    let (mut wbp, mut sekitar) = (BTreeSet::new(), BTreeSet::new());
    let mut items: BTreeMap<&str, Decimal> = BTreeMap::new();
    for h in &live {
        families.insert(h.family.as_str());
        if h.category == "keluarga_wbp" {
            wbp.insert(h.family.as_str());
        } else {
            sekitar.insert(h.family.as_str());
        }
        for i in &h.items {
            *items.entry(i.code.as_str()).or_default() += i.handed_over;
        }
    }
    let t = &m.totals;
    let counts = [
        (
            "keluarga",
            "families",
            families.len() as i64,
            t.families,
            agg.served.families,
        ),
        (
            "keluarga WBP",
            "inmates' families",
            wbp.len() as i64,
            t.keluarga_wbp,
            agg.served.keluarga_wbp,
        ),
        (
            "masyarakat sekitar",
            "neighbours",
            sekitar.len() as i64,
            t.masyarakat_sekitar,
            agg.served.masyarakat_sekitar,
        ),
        (
            "paket",
            "packages",
            live.len() as i64,
            t.packages,
            agg.served.packages,
        ),
        (
            "kepada wakil",
            "to a proxy",
            live.iter().filter(|h| h.to_proxy).count() as i64,
            t.to_proxy,
            agg.served.to_proxy,
        ),
        (
            "BAST",
            "BASTs",
            records.handovers.len() as i64,
            t.basts,
            t.basts,
        ),
        (
            "pembatalan",
            "voids",
            records.voids.len() as i64,
            t.voids,
            t.voids,
        ),
        (
            "kegiatan",
            "events",
            records.events.len() as i64,
            t.events,
            agg.events.len() as i64,
        ),
        (
            "mutasi stok",
            "stock movements",
            records.movements.len() as i64,
            t.movements,
            t.movements,
        ),
    ];
    for (id, en, counted, claimed, aggregated) in counts {
        if counted != claimed || counted != aggregated {
            return Err(differ(
                &format!("{id}: {counted} di catatan, {claimed} di manifes"),
                &format!("{en}: {counted} in the records, {claimed} in the manifest"),
            ));
        }
    }
    let claimed: BTreeMap<&str, Decimal> = t
        .items
        .iter()
        .map(|i| (i.code.as_str(), i.handed_over))
        .collect();
    let aggregated: BTreeMap<&str, Decimal> = agg
        .items
        .iter()
        .map(|i| (i.code.as_str(), i.handed_over))
        .collect();
    let codes: BTreeSet<&str> = claimed
        .keys()
        .chain(items.keys())
        .chain(aggregated.keys())
        .copied()
        .collect();
    for c in codes {
        let (a, b, g) = (
            items.get(c).copied().unwrap_or_default(),
            claimed.get(c).copied().unwrap_or_default(),
            aggregated.get(c).copied().unwrap_or_default(),
        );
        if a != b || a != g {
            return Err(differ(
                &format!("barang {c}: {a} di catatan, {b} di manifes"),
                &format!("item {c}: {a} in the records, {b} in the manifest"),
            ));
        }
    }
    if agg.sources != t.sources {
        return Err(differ(
            "rupiah per sumber dana",
            "rupiah per funding source",
        ));
    }
    // Stock: the hashes agree with the figures, and the month opens where the last closed.
    let opening: Vec<(String, Decimal)> = agg
        .items
        .iter()
        .map(|i| (i.code.clone(), i.opening))
        .collect();
    let closing: Vec<(String, Decimal)> = agg
        .items
        .iter()
        .map(|i| (i.code.clone(), i.closing))
        .collect();
    let discontinuity = |id: String, en: String| {
        Reason::new("stock_discontinuity", Some("aggregates.json"), id, en)
    };
    if f::stock_sha256(&opening) != m.stock.opening_sha256
        || f::stock_sha256(&closing) != m.stock.closing_sha256
    {
        return Err(discontinuity(
            "Sidik stok awal atau akhir tidak sesuai angka barangnya.".into(),
            "The opening or closing stock hash does not match the item figures.".into(),
        ));
    }
    for i in &agg.items {
        let received: Decimal = i.received.iter().map(|r| r.quantity).sum();
        if i.opening + received - i.out + i.adjustments != i.closing {
            return Err(discontinuity(
                format!(
                    "Barang {}: awal + masuk − keluar + penyesuaian ≠ akhir.",
                    i.code
                ),
                format!(
                    "Item {}: opening + in − out + adjustments ≠ closing.",
                    i.code
                ),
            ));
        }
    }
    let mut served = Vec::new();
    for h in &live {
        for p in h.head.iter().chain(h.members.iter()) {
            served.push((h.bast_no.as_str(), "nik", p.as_str()));
        }
        if let Some(k) = &h.kk {
            served.push((h.bast_no.as_str(), "kk", k.as_str()));
        }
    }
    if served_too_often(&served) {
        return Err(bad(
            "records.json.age",
            &format!("satu orang tercatat menerima lebih dari {SAME_PERSON_IN_A_MONTH} kali dalam sebulan"),
            &format!("one person is recorded as served more than {SAME_PERSON_IN_A_MONTH} times in a month"),
        ));
    }
    // Encoded here, off the writer's thread when a folder is imported.
    let served = served::encode(&served).ok_or_else(|| {
        bad(
            "records.json.age",
            "pseudonim tidak sah",
            "a pseudonym is not valid",
        )
    });
    Ok(Checked {
        agg: agg_bytes,
        served,
    })
}

#[allow(clippy::too_many_arguments)]
fn answer_file(
    tx: &Transaction,
    ctx: &Ctx,
    m: &f::Manifest,
    sha: &str,
    verdict: &str,
    reason: Option<&Reason>,
    missing: &[u64],
    received_at: &str,
) -> Result<Vec<u8>> {
    let head = db::chain(tx, &m.facility.code)?.last().map(|r| f::Head {
        seq: r.seq,
        bundle_sha256: r.sha256.clone(),
        period: r.period.clone(),
        revision: r.revision,
    });
    answer_file_with_head(ctx, m, sha, verdict, reason, missing, received_at, head)
}

#[allow(clippy::too_many_arguments)]
fn answer_file_with_head(
    ctx: &Ctx,
    m: &f::Manifest,
    sha: &str,
    verdict: &str,
    reason: Option<&Reason>,
    missing: &[u64],
    received_at: &str,
    head: Option<f::Head>,
) -> Result<Vec<u8>> {
    let a = Answer {
        format: "bansos-answer".into(),
        version: VERSION,
        kanwil: f::AnswerKanwil {
            code: ctx.code.to_owned(),
            key_fingerprint: crate::facility::keys::fingerprint(
                &ctx.signer.verifying_key().to_bytes(),
            ),
        },
        facility: m.facility.code.clone(),
        bundle: f::AnswerBundle {
            period: m.period.clone(),
            revision: m.revision,
            seq: m.seq,
            sha256: sha.to_owned(),
        },
        verdict: verdict.to_owned(),
        reason: reason.cloned(),
        missing: missing.to_vec(),
        received_at: received_at.to_owned(),
        answered_at: ctx.at.to_owned(),
        head,
    };
    signed_answer(ctx, &a)
}

/// An answer as its file: the body and the Kanwil's signature line over it.
fn signed_answer(ctx: &Ctx, a: &Answer) -> Result<Vec<u8>> {
    let body = f::to_bytes(a)?;
    let sig = SigLine::make(
        ctx.code,
        ctx.signer,
        crate::sign::Kind::Acknowledgment,
        &body,
    );
    wire::zip(&[("answer.json", &body), ("answer.sig", &sig)])
}

/// A fresh signed answer naming a member's head (its last bundle in the chain), for a facility
/// restored from a backup to continue from: the file form of the inbox's `head`.
pub fn head_answer(tx: &Transaction, ctx: &Ctx, code: &str) -> Result<Option<(String, Vec<u8>)>> {
    let Some(h) = db::chain(tx, code)?.pop() else {
        return Ok(None);
    };
    let a = Answer {
        format: "bansos-answer".into(),
        version: VERSION,
        kanwil: f::AnswerKanwil {
            code: ctx.code.to_owned(),
            key_fingerprint: crate::facility::keys::fingerprint(
                &ctx.signer.verifying_key().to_bytes(),
            ),
        },
        facility: code.to_owned(),
        bundle: f::AnswerBundle {
            period: h.period.clone(),
            revision: h.revision,
            seq: h.seq,
            sha256: h.sha256.clone(),
        },
        verdict: match h.status.as_str() {
            "rejected" => "refused".into(),
            _ if h.kind == "revision" => "revision".into(),
            _ => "accepted".into(),
        },
        reason: h
            .reason
            .as_deref()
            .and_then(|r| serde_json::from_slice(r).ok()),
        missing: vec![],
        received_at: h.received_at.clone(),
        answered_at: ctx.at.to_owned(),
        head: Some(f::Head {
            seq: h.seq,
            bundle_sha256: h.sha256.clone(),
            period: h.period.clone(),
            revision: h.revision,
        }),
    };
    let name = format!("{code}_head_seq{:06}.{}", h.seq, crate::bundle::ANSWER_EXT);
    Ok(Some((name, signed_answer(ctx, &a)?)))
}

// ---- what the Kanwil sums --------------------------------------------------------------------

/// One facility's month in the recap, or the province's total (`code` = the Kanwil's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecapRow {
    pub code: String,
    pub name: String,
    pub nihil: bool,
    pub families: i64,
    pub keluarga_wbp: i64,
    pub masyarakat_sekitar: i64,
    pub packages: i64,
    pub to_proxy: i64,
    #[ts(type = "string")]
    pub issued_value: Decimal,
    #[ts(type = "string")]
    pub harvest_value: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecapItem {
    pub code: String,
    pub name: String,
    pub unit: String,
    #[ts(type = "string")]
    pub handed_over: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recap {
    pub period: String,
    pub kanwil: String,
    pub facilities: Vec<RecapRow>,
    pub total: RecapRow,
    pub items: Vec<RecapItem>,
    pub sources: Vec<f::SourceTotal>,
    /// Percentage of the rupiah issued that came from the facilities' own harvest.
    #[ts(type = "string")]
    pub harvest_share: Decimal,
    /// Facilities registered that have no accepted bundle for the period.
    pub not_reported: Vec<String>,
}

pub fn recap(tx: &crate::db::Db, period: &str, kanwil: &str) -> Result<Recap> {
    let mut rows = Vec::new();
    let mut total = RecapRow {
        code: kanwil.to_owned(),
        name: "Provinsi".into(),
        ..RecapRow::default()
    };
    let mut items: BTreeMap<(String, String), RecapItem> = BTreeMap::new();
    let mut sources: BTreeMap<crate::stock::FundingSource, (Decimal, Decimal)> = BTreeMap::new();
    let reported: BTreeSet<String> = db::accepted_aggregates(tx, period)?
        .into_iter()
        .map(|(member, nihil, bytes, _)| -> Result<String> {
            let a: f::Aggregates = f::parse(&bytes)
                .ok_or_else(|| Error::internal("stored aggregates do not parse"))?;
            let r = RecapRow {
                code: member.clone(),
                name: a.facility.name.clone(),
                nihil,
                families: a.served.families,
                keluarga_wbp: a.served.keluarga_wbp,
                masyarakat_sekitar: a.served.masyarakat_sekitar,
                packages: a.served.packages,
                to_proxy: a.served.to_proxy,
                issued_value: a.issued_value,
                harvest_value: a.harvest_value,
            };
            total.families += r.families;
            total.keluarga_wbp += r.keluarga_wbp;
            total.masyarakat_sekitar += r.masyarakat_sekitar;
            total.packages += r.packages;
            total.to_proxy += r.to_proxy;
            total.issued_value += r.issued_value;
            total.harvest_value += r.harvest_value;
            rows.push(r);
            // An item is its code in its unit: one facility's kangkung in ikat and another's in
            // kg are two rows, not one sum.
            for i in &a.items {
                let e = items
                    .entry((i.code.clone(), i.unit.clone()))
                    .or_insert_with(|| RecapItem {
                        code: i.code.clone(),
                        name: i.name.clone(),
                        unit: i.unit.clone(),
                        handed_over: Decimal::ZERO,
                    });
                e.handed_over += i.handed_over;
            }
            for s in &a.sources {
                let e = sources.entry(s.source).or_default();
                e.0 += s.received_value;
                e.1 += s.issued_value;
            }
            Ok(member)
        })
        .collect::<Result<_>>()?;
    // Not reported: active facilities whose reporting has begun by this month.
    let not_reported = db::members(tx)?
        .into_iter()
        .filter(|m| m.revoked_at.is_none() && !reported.contains(&m.code))
        .filter(|m| m.first_period.as_deref().is_none_or(|f| f <= period))
        .map(|m| m.code)
        .collect();
    Ok(Recap {
        period: period.to_owned(),
        kanwil: kanwil.to_owned(),
        harvest_share: crate::month::report::MonthlyReport::percent(
            total.harvest_value,
            total.issued_value,
        ),
        facilities: rows,
        total,
        items: items
            .into_values()
            .filter(|i| !i.handed_over.is_zero())
            .collect(),
        sources: sources
            .into_iter()
            .map(|(source, (r, i))| f::SourceTotal {
                source,
                received_value: r,
                issued_value: i,
            })
            .collect(),
        not_reported,
    })
}

/// Where one facility stands for one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CompletenessRow {
    pub code: String,
    pub name: String,
    /// `accepted`, `nihil`, `refused`, `held_gap`, `fork`, `missing`, `not_expected`.
    pub state: String,
    pub revision: Option<u32>,
    /// When the Kanwil accepted it (its acknowledgment's time).
    pub accepted_at: Option<String>,
    /// Days after the due date (0 = on time); for a missing report, days overdue so far.
    pub days_late: i64,
    pub due: String,
}

pub fn completeness(
    tx: &crate::db::Db,
    period: &str,
    due_day: u32,
    now: chrono::DateTime<chrono::Utc>,
    tz: crate::locale::TimeZone,
) -> Result<Vec<CompletenessRow>> {
    let p = Month::parse_or_refuse(period)?;
    let n = p.next();
    let due = chrono::NaiveDate::from_ymd_opt(n.year, n.month, due_day.clamp(1, 28))
        .ok_or_else(|| Error::internal("a due date does not exist"))?;
    let received = db::received_of_period(tx, period)?;
    let today = tz.today(now);
    let mut out = Vec::new();
    for m in db::members(tx)? {
        let mine: Vec<&db::Received> = received.iter().filter(|r| r.member == m.code).collect();
        // The first bundle the Kanwil took: a refused one later superseded is not a report.
        let first_accepted = mine
            .iter()
            .filter(|r| r.status == "accepted" || (r.status == "superseded" && r.reason.is_none()))
            .filter_map(|r| r.decided_at.clone())
            .min();
        let current = mine.iter().find(|r| r.status == "accepted");
        let state = if let Some(c) = current {
            if c.nihil {
                "nihil"
            } else {
                "accepted"
            }
        } else if mine.iter().any(|r| r.status == "fork") {
            "fork"
        } else if mine.iter().any(|r| r.status == "held") {
            "held_gap"
        } else if mine.iter().any(|r| r.status == "rejected") {
            "refused"
        } else if m.first_period.as_deref().is_some_and(|f| f > period) || m.revoked_at.is_some() {
            // Not begun yet, or revoked (a lost PC): nothing is expected of it until it
            // registers a new key, as the recap leaves it out of the ones not reported.
            "not_expected"
        } else {
            "missing"
        };
        let on = first_accepted
            .as_deref()
            .and_then(|a| chrono::DateTime::parse_from_rfc3339(a).ok())
            .map(|a| tz.today(a.with_timezone(&chrono::Utc)));
        let days_late = match (on, state) {
            (Some(d), _) => (d - due).num_days().max(0),
            (None, "not_expected") => 0,
            (None, _) => (today - due).num_days().max(0),
        };
        out.push(CompletenessRow {
            code: m.code.clone(),
            name: m.name.clone(),
            state: state.into(),
            revision: current.map(|c| c.revision),
            accepted_at: first_accepted,
            days_late,
            due: due.to_string(),
        });
    }
    Ok(out)
}

/// Two BASTs of two facilities that served one person (NIK) — or one No. KK, which only warns —
/// in one month. No NIK is shown: each facility looks its own BAST up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CrossPair {
    /// `nik` or `kk` (a warning: KK numbers change).
    pub by: String,
    pub facility_a: String,
    pub bast_a: String,
    pub facility_b: String,
    pub bast_b: String,
}

pub fn duplicates(tx: &crate::db::Db, period: &str) -> Result<Vec<CrossPair>> {
    served::pairs(db::served_in(tx, period)?)
}

/// A key rotation statement, checked: signed by the old key (which `old_key_for` must know, by
/// the facility code and fingerprint on its signature line) and by the new key it names, every
/// field in its form. Returns the statement and the new key.
pub fn open_rotation(
    bytes: &[u8],
    old_key_for: impl FnOnce(&str, &str) -> std::result::Result<[u8; 32], Reason>,
) -> std::result::Result<(f::KeyRotation, [u8; 32]), Reason> {
    use crate::facility::keys;
    let bad = |id: &str, en: &str| {
        Reason::new(
            "bad_manifest",
            Some("rotation.json"),
            format!("Pernyataan ganti kunci tidak sah: {id}."),
            format!("The key rotation statement is not valid: {en}."),
        )
    };
    let (sig, body, rest) = check::open_signed(
        bytes,
        crate::bundle::ROTATION_ENTRIES,
        crate::sign::Kind::KeyRotation,
        ("pernyataan ganti kunci", "key rotation statement"),
        |sig, _| old_key_for(&sig.code, &sig.fingerprint),
    )?;
    let r: f::KeyRotation =
        f::parse(&body).ok_or_else(|| bad("bentuknya tidak dikenal", "its form is not known"))?;
    if r.format != "bansos-key-rotation" || r.version != VERSION {
        return Err(bad(
            "format atau versinya lain",
            "its format or version differs",
        ));
    }
    let old = keys::parse_public_key(&r.old_key)
        .map_err(|_| bad("kunci lama tidak sah", "the old key is not valid"))?;
    let new = keys::parse_public_key(&r.new_key)
        .map_err(|_| bad("kunci baru tidak sah", "the new key is not valid"))?;
    if r.facility != sig.code
        || r.old_fingerprint != sig.fingerprint
        || keys::fingerprint(&old) != r.old_fingerprint
        || keys::fingerprint(&new) != r.new_fingerprint
        || old == new
        || r.reason.chars().count() > crate::limits::NOTE
        || r.old_key_last_seq.is_some_and(|s| s > u64::from(u32::MAX))
    {
        return Err(bad(
            "kode, kunci atau sidik jarinya tidak saling cocok",
            "its code, keys or fingerprints do not agree",
        ));
    }
    let new_sig = rest
        .iter()
        .find(|(n, _)| n == "rotation.new.sig")
        .and_then(|(_, b)| wire::SigLine::parse(b))
        .ok_or_else(|| check::bad_signature_file("rotation.new.sig"))?;
    if new_sig.code != r.facility
        || new_sig.fingerprint != r.new_fingerprint
        || !new_sig.verifies(&new, crate::sign::Kind::KeyRotation, &body)
    {
        return Err(check::bad_signature("rotation.new.sig"));
    }
    Ok((r, new))
}

/// The registration file's body, checked: self-signed by the key it carries, every field in its
/// form. Returns the parsed body and the key.
pub fn open_registration(bytes: &[u8]) -> std::result::Result<(f::Registration, [u8; 32]), Reason> {
    let bad = |id: &str, en: &str| {
        Reason::new(
            "bad_manifest",
            Some("registration.json"),
            format!("Berkas pendaftaran tidak sah: {id}."),
            format!("The registration file is not valid: {en}."),
        )
    };
    let mut parsed = None;
    check::open_signed(
        bytes,
        crate::bundle::REGISTRATION_ENTRIES,
        crate::sign::Kind::Registration,
        ("berkas pendaftaran", "registration file"),
        |sig, body| {
            let r: f::Registration = f::parse(body)
                .ok_or_else(|| bad("bentuknya tidak dikenal", "its form is not known"))?;
            let key = crate::facility::keys::parse_public_key(&r.signing_key).map_err(|_| {
                bad(
                    "kunci penanda tangan tidak sah",
                    "the signing key is not valid",
                )
            })?;
            if r.profile.code != sig.code
                || r.key_fingerprint != sig.fingerprint
                || r.format != "bansos-registration"
                || r.version != VERSION
            {
                return Err(bad(
                    "kode atau sidik jari berbeda dari tanda tangannya",
                    "the code or fingerprint differs from its signature's",
                ));
            }
            if !wire::valid_recipient(&r.age_recipient) {
                return Err(bad(
                    "penerima enkripsi tidak sah",
                    "the encryption recipient is not valid",
                ));
            }
            // The months it names drive the completeness view: each a real month, written
            // as the program writes it.
            let month_ok = |p: &Option<String>| {
                p.as_deref()
                    .is_none_or(|p| crate::month::Month::parse(p).is_some_and(|m| m.key() == p))
            };
            if !month_ok(&r.first_period) || !month_ok(&r.closed_through) {
                return Err(bad(
                    "bulan pertama atau bulan terakhir yang ditutup tidak sah",
                    "its first month or last closed month is not valid",
                ));
            }
            parsed = Some((r, key));
            Ok(key)
        },
    )?;
    parsed.ok_or_else(|| bad("kosong", "empty"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The golden registration with `field` set to `value`, signed again by a key of its own.
    fn registration_with(field: &str, value: &str) -> Vec<u8> {
        let golden = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/enrollment/v1/RUTAN-BLORA.bansos-registration"
        ))
        .unwrap();
        let e = wire::unzip(&golden, crate::bundle::REGISTRATION_ENTRIES, ("r", "r")).unwrap();
        let mut r: serde_json::Value = serde_json::from_slice(&e[0].1).unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
        let public = key.verifying_key().to_bytes();
        r["signing_key"] = hex::encode(public).into();
        r["key_fingerprint"] = crate::facility::keys::fingerprint(&public).into();
        r[field] = value.into();
        let body = serde_json::to_vec(&r).unwrap();
        let sig = wire::SigLine::make("RUTAN-BLORA", &key, crate::sign::Kind::Registration, &body);
        wire::zip(&[("registration.json", &body), ("registration.sig", &sig)]).unwrap()
    }

    #[test]
    fn a_registration_names_real_months() {
        assert!(open_registration(&registration_with("first_period", "2026-08")).is_ok());
        for (field, value) in [
            ("first_period", "2026-13"),
            ("first_period", "2026-8"),
            ("closed_through", "9999-99"),
            ("closed_through", "kemarin"),
        ] {
            let r = open_registration(&registration_with(field, value)).unwrap_err();
            assert_eq!(r.code, "bad_manifest", "{field} {value}");
            assert!(r.en.contains("month"), "{field} {value}: {}", r.en);
        }
    }

    fn golden() -> (f::Manifest, f::Aggregates) {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/bundles/v1/monthly-seq1.bansos-bundle"
        ))
        .unwrap();
        let parts =
            crate::bundle::wire::unzip(&bytes, crate::bundle::BUNDLE_ENTRIES, ("bundel", "bundle"))
                .unwrap();
        let part = |n: &str| &parts.iter().find(|(name, _)| name == n).unwrap().1;
        (
            f::parse(part("manifest.json")).unwrap(),
            f::parse(part("aggregates.json")).unwrap(),
        )
    }

    fn records(handed_over: &str, moved: &str) -> f::Records {
        serde_json::from_value(serde_json::json!({
            "format": "bansos-records", "version": 1, "facility": "RUTAN-BLORA",
            "period": "2024-11", "revision": 1, "pseudonym_key": "k",
            "report": { "json_sha256": "", "pdf_sha256": "", "xlsx_sha256": "" },
            "events": [], "voids": [],
            "handovers": [{
                "bast_no": "001/BAST/2024", "date": "2024-11-16", "event": 1,
                "category": "keluarga_wbp", "family": "f", "household_size": 1,
                "district": null, "head": null, "members": [], "kk": null,
                "to_proxy": false, "proxy_relation": "", "live": true,
                "items": [{ "code": "BERAS", "handed_over": handed_over }]
            }],
            "movements": [{
                "id": 1, "date": "2024-11-01", "kind": "receipt", "item": "BERAS", "lot": 1,
                "quantity": moved, "source": "csr", "document": "", "note": "", "reference": null
            }]
        }))
        .unwrap()
    }

    #[test]
    fn one_person_named_past_any_real_month_is_refused() {
        let bast: Vec<String> = (0..20).map(|i| format!("{i:03}/BAST/2024")).collect();
        let same = |n: usize, by: &'static str| -> Vec<(&str, &str, &str)> {
            bast[..n].iter().map(|b| (b.as_str(), by, "p")).collect()
        };
        assert!(!served_too_often(&same(SAME_PERSON_IN_A_MONTH, "nik")));
        assert!(served_too_often(&same(SAME_PERSON_IN_A_MONTH + 1, "nik")));
        // A NIK and a KK alike in their text are two names.
        let mut both = same(SAME_PERSON_IN_A_MONTH, "nik");
        both.extend(same(SAME_PERSON_IN_A_MONTH, "kk"));
        assert!(!served_too_often(&both));
    }

    /// A bundle signed by a registered key may still carry absurd figures (a broken or
    /// compromised facility): they are refused before the Kanwil adds any of them up, where
    /// `Decimal` or `i64` would overflow (the inbox once answered such a bundle "busy" for ever).
    #[test]
    fn figures_beyond_any_real_month_are_refused_before_they_are_added_up() {
        let (m, agg) = golden();
        let max = "79228162514264337593543950335";
        assert!(amounts_in_range(&m, &agg, &records("10", "-500.5")));
        assert!(!amounts_in_range(&m, &agg, &records(max, "1")));
        assert!(!amounts_in_range(
            &m,
            &agg,
            &records("10", &format!("-{max}"))
        ));
        assert!(
            !amounts_in_range(&m, &agg, &records("0.000000001", "1")),
            "more places than any real figure"
        );
        assert!(amounts_in_range(&m, &agg, &records("0.125", "1.5")));
        let mut a = agg.clone();
        a.issued_value = Decimal::MAX;
        assert!(!amounts_in_range(&m, &a, &records("10", "1")));
        let mut a = agg.clone();
        a.items[0].adjustments = Decimal::MIN;
        assert!(!amounts_in_range(&m, &a, &records("10", "1")));
        let mut a = agg.clone();
        a.served.packages = i64::MAX;
        assert!(!amounts_in_range(&m, &a, &records("10", "1")));
        let mut mm = m.clone();
        mm.totals.voids = -1;
        assert!(!amounts_in_range(&mm, &agg, &records("10", "1")));
        // The largest figure a real line may carry, many times over, is still fine.
        let big = Decimal::from(crate::limits::RUPIAH) * Decimal::from(1_000_000);
        let mut a = agg.clone();
        a.issued_value = big;
        assert!(amounts_in_range(&m, &a, &records("1000000", "-1000000")));
    }
}

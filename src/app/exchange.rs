//! The facility's exchange with its Kanwil: registration, enrollment, the outbox of bundles
//! (made inside the closing), sending them to a folder or stick, and the Kanwil's answers.

use super::{App, ANYONE};
use crate::audit::Entry;
use crate::bundle::format::{self as f};
use crate::bundle::{check, wire, Reason};
use crate::db::Tx as Transaction;
use crate::error::{Error, ErrorKind, Result};
use crate::facility::{self, keys, FacilityKind};
use crate::keyring::DataKey;
use crate::outbox::{self, db as odb, OutboxLine, OutboxState};
use crate::staff::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(super) const EXCHANGE_INFO: &[u8] = b"bansos exchange identity v1";
pub(super) const PROVINCE_INFO: &[u8] = b"bansos province key v1";
const KEY_HOLDERS: &[Role] = &[Role::KepalaUpt, Role::Admin];

/// What importing an enrollment did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EnrollmentInfo {
    pub kanwil_code: String,
    pub kanwil_name: String,
    pub kanwil_fingerprint: String,
    pub update: u32,
    pub due_day: u32,
    pub pseudonym_key: String,
    /// Bundles made now for months closed before (their seqs).
    pub bundles_made: Vec<u64>,
}

/// What importing one answer did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AnswerOutcome {
    pub seq: u64,
    pub period: String,
    pub verdict: String,
    pub reason: Option<Reason>,
    pub missing: Vec<u64>,
    /// False when this very answer had been imported before, or when it is older than the
    /// acknowledgment already here: nothing changed.
    pub changed: bool,
    pub bundles_made: Vec<u64>,
    /// A refusal a new copy cures (`outbox::resendable`): the bundle goes again at this time
    /// (UTC), as after a failed upload.
    pub resend_at: Option<String>,
}

/// A bundle file checked without importing it (`bansos bundle verify`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BundleCheck {
    pub genuine: bool,
    pub facility: Option<String>,
    pub period: Option<String>,
    pub revision: Option<u32>,
    pub seq: Option<u64>,
    pub kind: Option<String>,
    pub sha256: Option<String>,
    pub reason: Option<Reason>,
}

impl BundleCheck {
    pub fn of(r: std::result::Result<check::Opened, Reason>) -> BundleCheck {
        match r {
            Ok(o) => BundleCheck {
                genuine: true,
                facility: Some(o.manifest.facility.code.clone()),
                period: Some(o.manifest.period.clone()),
                revision: Some(o.manifest.revision),
                seq: Some(o.manifest.seq),
                kind: Some(o.manifest.kind.clone()),
                sha256: Some(o.sha256),
                reason: None,
            },
            Err(reason) => BundleCheck {
                genuine: false,
                facility: None,
                period: None,
                revision: None,
                seq: None,
                kind: None,
                sha256: None,
                reason: Some(reason),
            },
        }
    }
}

fn regional_only() -> Error {
    Error::new(
        ErrorKind::Conflict,
        "Ini hanya untuk basis data UPT; basis data ini milik Kanwil (mode regional).",
        "This is for a facility's database; this one belongs to a regional office (regional mode).",
    )
}

/// The exchange identity of this database, if it has one yet: (recipient, secret).
pub(super) fn stored_identity(
    conn: &crate::db::Db,
    key: &DataKey,
) -> Result<Option<(String, zeroize::Zeroizing<String>)>> {
    let Some((recipient, sealed)) = odb::identity(conn)? else {
        return Ok(None);
    };
    let secret = keys::unseal_secret(key, EXCHANGE_INFO, &sealed)?;
    let s = String::from_utf8(secret.to_vec())
        .map_err(|_| Error::internal("the stored identity is not text"))?;
    Ok(Some((recipient, zeroize::Zeroizing::new(s))))
}

/// The exchange identity of this database (created on first need): (recipient, secret).
pub(super) fn identity(
    tx: &Transaction,
    key: &DataKey,
    at: &str,
) -> Result<(String, zeroize::Zeroizing<String>)> {
    if let Some(found) = stored_identity(tx, key)? {
        return Ok(found);
    }
    let (recipient, secret) = wire::new_identity();
    let sealed = keys::seal_secret(key, EXCHANGE_INFO, secret.as_bytes())?;
    odb::insert_identity(tx, &recipient, &sealed, at)?;
    Ok((recipient, secret))
}

fn file_refused(what: (&str, &str), reason: &Reason) -> Error {
    Error::new(
        ErrorKind::Invalid,
        format!("{} ditolak: {}", what.0, reason.id),
        format!("The {} was refused: {}", what.1, reason.en),
    )
}

impl App {
    fn is_regional(conn: &crate::db::Db) -> Result<bool> {
        Ok(facility::db::load(conn)?.facility.profile.kind == FacilityKind::Kanwil)
    }

    pub(super) fn facility_mode(&self) -> Result<()> {
        if Self::is_regional(&self.conn)? {
            return Err(regional_only());
        }
        Ok(())
    }

    /// The registration file this facility sends its Kanwil: its profile and public keys, signed
    /// by its own key. Kepala UPT or Admin.
    pub fn registration_file(&mut self) -> Result<(String, Vec<u8>)> {
        self.guard(KEY_HOLDERS)?;
        self.facility_mode()?;
        let key = self.key.clone();
        self.tx(|tx, at, actor| {
            let signer = App::signer_in(tx, &key)?;
            let (recipient, _) = identity(tx, &key, at)?;
            let fac = facility::db::load(tx)?.facility;
            let p = &fac.profile;
            let lines = crate::month::db::latest_closings(tx)?;
            let body = f::Registration {
                format: "bansos-registration".into(),
                version: crate::bundle::VERSION,
                profile: f::RegProfile {
                    code: p.code.clone(),
                    name: p.name.clone(),
                    kind: p.kind.code().into(),
                    class: p.class.clone(),
                    province: p.province.clone(),
                    kanwil: p.kanwil.clone(),
                    address: p.address.clone(),
                    time_zone: p.time_zone.code().into(),
                    head_name: p.head_name.clone(),
                    head_nip: p.head_nip.clone(),
                },
                signing_key: fac.public_key_hex.clone(),
                key_fingerprint: fac.fingerprint.clone(),
                age_recipient: recipient,
                first_period: crate::month::db::first_month(tx)?,
                closed_through: lines.last().map(|c| c.period.clone()),
                software: env!("CARGO_PKG_VERSION").into(),
                made_at: at.to_owned(),
            };
            let bytes = f::to_bytes(&body)?;
            let sig =
                wire::SigLine::make(&p.code, &signer, crate::sign::Kind::Registration, &bytes);
            let file = wire::zip(&[("registration.json", &bytes), ("registration.sig", &sig)])?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("exchange.registration", "facility", &p.code)
                    .after(&serde_json::json!({ "fingerprint": fac.fingerprint })),
            )?;
            Ok((
                format!("{}.{}", p.code, crate::bundle::REGISTRATION_EXT),
                file,
            ))
        })
    }

    /// Imports the Kanwil's enrollment file. Its signing key must be one already known (entered
    /// at setup or in Pengaturan) or have the fingerprint read out by the Kanwil on the telephone
    /// (`expected_fingerprint`). Months already closed get their bundles now, in order.
    pub fn import_enrollment(
        &mut self,
        bytes: &[u8],
        expected_fingerprint: Option<&str>,
    ) -> Result<EnrollmentInfo> {
        self.guard(KEY_HOLDERS)?;
        self.facility_mode()?;
        let key = self.key.clone();
        let what = ("Berkas pengesahan", "enrollment file");
        self.tx(|tx, at, actor| {
            let known = facility::db::regional_keys(tx)?;
            let mut body_parsed: Option<f::Enrollment> = None;
            let mut new_key = None;
            let (sig, body, rest) = check::open_signed(
                bytes,
                crate::bundle::ENROLLMENT_ENTRIES,
                crate::sign::Kind::Enrollment,
                ("berkas pengesahan", "enrollment file"),
                |sig, body| {
                    let e: f::Enrollment = f::parse(body).ok_or_else(|| {
                        Reason::new(
                            "bad_manifest",
                            Some("enrollment.json"),
                            "Berkas pengesahan tidak sah: bentuknya tidak dikenal.",
                            "The enrollment file is not valid: its form is not known.",
                        )
                    })?;
                    let k = e
                        .kanwil
                        .signing_keys
                        .iter()
                        .find(|k| k.fingerprint == sig.fingerprint)
                        .and_then(|k| keys::parse_public_key(&k.key).ok())
                        .ok_or_else(|| check::unknown_key(&sig.code, &sig.fingerprint))?;
                    body_parsed = Some(e);
                    new_key = Some(k);
                    Ok(k)
                },
            )
            .map_err(|r| file_refused(what, &r))?;
            let e = body_parsed.ok_or_else(|| Error::internal("enrollment body missing"))?;
            let kanwil_key = new_key.ok_or_else(|| Error::internal("enrollment key missing"))?;
            let trusted = known.iter().any(|k| k.fingerprint == sig.fingerprint)
                || expected_fingerprint
                    .map(|f| f.trim().to_ascii_uppercase())
                    .is_some_and(|f| f == sig.fingerprint);
            if !trusted {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "Kunci Kanwil {} dengan sidik jari {} belum dikenal di UPT ini. Bandingkan sidik jari itu dengan Kanwil lewat telepon, lalu impor lagi dengan sidik jari itu. Tidak ada yang diubah.",
                        sig.code, sig.fingerprint
                    ),
                    format!(
                        "The key of {} with fingerprint {} is not known here yet. Compare that fingerprint with the regional office by telephone, then import again giving it. Nothing was changed.",
                        sig.code, sig.fingerprint
                    ),
                )
                .with_field("fingerprint"));
            }
            let fac = facility::db::load(tx)?.facility;
            let (recipient, secret) = identity(tx, &key, at)?;
            let bad = |id: &str, en: &str| {
                Error::new(
                    ErrorKind::Invalid,
                    format!("Berkas pengesahan ditolak: {id}. Tidak ada yang diubah."),
                    format!("The enrollment file was refused: {en}. Nothing was changed."),
                )
            };
            if e.format != "bansos-enrollment" || e.version != crate::bundle::VERSION {
                return Err(bad("bukan format pengesahan versi 1", "not enrollment format version 1"));
            }
            if e.facility.code != fac.profile.code
                || e.facility.key_fingerprint != fac.fingerprint
                || e.facility.age_recipient != recipient
            {
                return Err(bad(
                    &format!("berkas ini untuk {} (kunci {}), bukan untuk UPT ini", e.facility.code, e.facility.key_fingerprint),
                    &format!("this file is for {} (key {}), not for this facility", e.facility.code, e.facility.key_fingerprint),
                ));
            }
            if e.kanwil.code != sig.code
                || e.kanwil.recipients.is_empty()
                || !e.kanwil.recipients.iter().all(|r| wire::valid_recipient(r))
                || !(1..=28).contains(&e.due_day)
                || !e.bundle_versions.contains(&crate::bundle::VERSION)
            {
                return Err(bad("isinya tidak sah", "its content is not valid"));
            }
            if let Some((update, _)) = odb::enrollment(tx)? {
                if e.update <= update {
                    return Err(bad(
                        &format!("pengesahan nomor {} sudah diganti nomor {} yang sudah diimpor", e.update, update),
                        &format!("update {} is older than update {}, already imported", e.update, update),
                    ));
                }
            }
            let sealed_file = rest
                .iter()
                .find(|(n, _)| n == "province-key.age")
                .map(|(_, b)| b.as_slice())
                .ok_or_else(|| bad("kunci provinsi tidak ada", "the province key is missing"))?;
            if crate::bundle::sha256_hex(sealed_file) != e.pseudonym_key.sha256 {
                return Err(bad("kunci provinsi berubah", "the province key was altered"));
            }
            let plain = wire::decrypt(&secret, sealed_file)
                .ok_or_else(|| bad("kunci provinsi tidak terbuka dengan kunci UPT ini", "the province key does not open with this facility's key"))?;
            let pk: f::ProvinceKey = f::parse(&plain)
                .ok_or_else(|| bad("kunci provinsi tidak sah", "the province key is not valid"))?;
            let raw = hex::decode(&pk.key).ok().filter(|k| k.len() == 32);
            let (Some(raw), true) = (raw, pk.id == e.pseudonym_key.id) else {
                return Err(bad("kunci provinsi tidak sah", "the province key is not valid"));
            };
            let sealed = keys::seal_secret(&key, PROVINCE_INFO, &raw)?;
            odb::insert_province_key(tx, &pk.id, &pk.from_period, &sealed, at)?;
            odb::insert_enrollment(tx, e.update, &e.kanwil.code, &body, bytes, at, actor)?;
            if !known.iter().any(|k| k.fingerprint == sig.fingerprint) {
                facility::db::add_regional_key(tx, &e.kanwil.code, &kanwil_key, at)?;
            }
            App::log(
                tx,
                at,
                actor,
                Entry::new("exchange.enrollment", "kanwil", &e.kanwil.code).after(&serde_json::json!({
                    "update": e.update,
                    "fingerprint": sig.fingerprint,
                    "pseudonym_key": e.pseudonym_key.id,
                    "due_day": e.due_day,
                })),
            )?;
            let made = Self::make_pending_bundles(tx, &key, at, actor)?;
            Ok(EnrollmentInfo {
                kanwil_code: e.kanwil.code.clone(),
                kanwil_name: e.kanwil.name.clone(),
                kanwil_fingerprint: sig.fingerprint.clone(),
                update: e.update,
                due_day: e.due_day,
                pseudonym_key: e.pseudonym_key.id.clone(),
                bundles_made: made,
            })
        })
    }

    /// Makes the bundles of closings that have none yet, in the order they were closed: inside
    /// the closing's transaction, or the enrollment's, or the answer's that lifts a hold.
    pub(super) fn make_pending_bundles(
        tx: &Transaction,
        key: &DataKey,
        at: &str,
        actor: &str,
    ) -> Result<Vec<u64>> {
        if odb::meta(tx, outbox::HOLD_KEY)?.is_some() {
            return Ok(vec![]);
        }
        let signer = &App::signer_in(tx, key)?;
        let Some((_, enrollment)) = outbox::enrollment(tx)? else {
            return Ok(vec![]);
        };
        let Some((pk_id, _, sealed)) = odb::province_key(tx)? else {
            return Ok(vec![]);
        };
        let raw = keys::unseal_secret(key, PROVINCE_INFO, &sealed)?;
        let pk: [u8; 32] = raw
            .as_slice()
            .try_into()
            .map_err(|_| Error::internal("a stored province key has a wrong length"))?;
        let pk = zeroize::Zeroizing::new(pk);
        let profile = facility::db::load(tx)?.facility.profile;
        let mut made = Vec::new();
        // Months the Kanwil's chain has reached before a restore get none, or go as a revision
        // of its head (`pending_closings`).
        for ((period, revision), supersedes) in outbox::pending_closings(tx)?.to_make {
            let last = odb::last_bundle(tx)?;
            let head = outbox::kanwil_head(tx)?;
            let local = last.as_ref().map_or(0, |b| b.seq);
            let (seq, previous) = match &head {
                Some(h) if h.seq > local => (
                    h.seq + 1,
                    Some(f::ChainLink {
                        seq: h.seq,
                        bundle_sha256: h.bundle_sha256.clone(),
                    }),
                ),
                _ => (
                    local + 1,
                    last.as_ref().map(|b| f::ChainLink {
                        seq: b.seq,
                        bundle_sha256: b.sha256.clone(),
                    }),
                ),
            };
            let last_ack = odb::last_answer(tx)?.map(|(s, b, a)| f::AckRef {
                seq: s,
                bundle_sha256: b,
                answer_sha256: a,
            });
            let (sha, bytes) = outbox::build(
                tx,
                &profile,
                &enrollment,
                &outbox::Keys {
                    signer,
                    province_key: &pk,
                    province_key_id: &pk_id,
                },
                &outbox::Place {
                    seq,
                    previous,
                    last_ack,
                    supersedes,
                },
                &period,
                revision,
                at,
            )?;
            let kind = if revision > 1 {
                "revision"
            } else if crate::month::db::latest_closing(tx, &period)?.is_some_and(|c| c.nihil) {
                "nihil"
            } else {
                "monthly"
            };
            odb::insert_bundle(
                tx,
                &odb::NewBundle {
                    seq,
                    period: &period,
                    revision,
                    kind,
                    sha256: &sha,
                    bytes: &bytes,
                    made_at: at,
                },
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("exchange.bundle", "bundle", seq).after(&serde_json::json!({
                    "period": period, "revision": revision, "kind": kind, "sha256": sha,
                    "size": bytes.len(),
                })),
            )?;
            made.push(seq);
        }
        Ok(made)
    }

    /// The outbox: the enrollment, closed months waiting for a bundle, and every bundle's state.
    pub fn outbox(&mut self) -> Result<OutboxState> {
        self.guard(ANYONE)?;
        self.facility_mode()?;
        let conn = &self.conn;
        let enrollment = outbox::enrollment(conn)?;
        let code = facility::db::load(conn)?.facility.profile.code;
        let mut bundles = Vec::new();
        for b in odb::bundles(conn)? {
            let size = odb::size_of(conn, b.seq)?.unwrap_or(0);
            bundles.push(OutboxLine {
                file_name: crate::bundle::bundle_file_name(&code, &b.period, b.revision, b.seq),
                size,
                seq: b.seq,
                period: b.period,
                revision: b.revision,
                kind: b.kind,
                sha256: b.sha256,
                made_at: b.made_at,
                state: b.state,
                sent_at: b.sent_at,
                sent_to: b.sent_to,
                answered_at: b.answered_at,
                verdict: b.answer_verdict,
                reason: b
                    .answer_reason
                    .and_then(|r| serde_json::from_slice(&r).ok()),
                upload_tries: b.upload_tries,
                next_try_at: b.next_try_at,
                last_error: b.last_error,
                upload_stopped: b.upload_stopped,
                uploaded_at: b.uploaded_at,
            });
        }
        let pending = outbox::pending_closings(conn)?;
        Ok(OutboxState {
            enrolled: enrollment.is_some(),
            kanwil_code: enrollment.as_ref().map(|(_, e)| e.kanwil.code.clone()),
            kanwil_name: enrollment.as_ref().map(|(_, e)| e.kanwil.name.clone()),
            due_day: enrollment.as_ref().map(|(_, e)| e.due_day),
            held_after_restore: odb::meta(conn, outbox::HOLD_KEY)?.is_some(),
            waiting: pending
                .to_make
                .iter()
                .map(|(c, _)| outbox::closing_label(c))
                .collect(),
            held_by_kanwil: pending.passed.iter().map(outbox::closing_label).collect(),
            held_at_head: pending.held_at_head(),
            inbox_url: odb::meta(conn, outbox::INBOX_URL_KEY)?,
            bundles,
        })
    }

    /// A stored bundle's file name and bytes, the same every time: by seq, or the latest of a
    /// period.
    pub fn bundle_file(
        &mut self,
        seq: Option<u64>,
        period: Option<&str>,
    ) -> Result<(u64, String, Vec<u8>)> {
        self.guard(ANYONE)?;
        self.facility_mode()?;
        let b = match (seq, period) {
            (Some(s), _) => odb::bundles(&self.conn)?.into_iter().find(|b| b.seq == s),
            (None, Some(p)) => {
                let m = crate::month::Month::parse_or_refuse(p)?;
                odb::latest_of_period(&self.conn, &m.key())?
            }
            (None, None) => odb::last_bundle(&self.conn)?,
        };
        let Some(b) = b else {
            if outbox::enrollment(&self.conn)?.is_none() {
                return Err(outbox::not_enrolled());
            }
            return Err(Error::new(
                ErrorKind::NotFound,
                format!(
                    "Belum ada bundel{}. Bundel dibuat saat bulan ditutup.",
                    period.map(|p| format!(" untuk {p}")).unwrap_or_default()
                ),
                format!(
                    "There is no bundle{} yet. A bundle is made when the month is closed.",
                    period.map(|p| format!(" for {p}")).unwrap_or_default()
                ),
            ));
        };
        let code = facility::db::load(&self.conn)?.facility.profile.code;
        let bytes = odb::bytes_of(&self.conn, b.seq)?
            .ok_or_else(|| Error::internal("a bundle's bytes are missing"))?;
        Ok((
            b.seq,
            crate::bundle::bundle_file_name(&code, &b.period, b.revision, b.seq),
            bytes,
        ))
    }

    /// Records that a copy of bundle `seq` left the PC (to a folder, a stick): created → sent.
    pub fn bundle_sent(&mut self, seq: u64, to: &str) -> Result<()> {
        self.guard(ANYONE)?;
        self.facility_mode()?;
        let to: String = to.chars().take(1000).collect();
        self.tx(|tx, at, actor| {
            if odb::bytes_of(tx, seq)?.is_none() {
                return Err(Error::new(
                    ErrorKind::NotFound,
                    format!("Bundel nomor urut {seq} tidak ada."),
                    format!("There is no bundle with seq {seq}."),
                ));
            }
            odb::mark_sent(tx, seq, at, &to)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("exchange.sent", "bundle", seq).after(&serde_json::json!({ "to": to })),
            )?;
            Ok(())
        })
    }

    /// Imports one answer file from the Kanwil: checked against the Kanwil's key, about one of
    /// this facility's bundles; the bundle becomes acknowledged, refused or held. The same
    /// answer twice changes nothing. After a restore, the first answer lifts the hold on new
    /// bundles and sets where the chain goes on.
    pub fn import_answer(&mut self, bytes: &[u8]) -> Result<AnswerOutcome> {
        self.guard(ANYONE)?;
        self.facility_mode()?;
        let key = self.key.clone();
        let what = ("Berkas jawaban Kanwil", "regional office's answer file");
        let now = self.clock.now();
        self.tx(|tx, at, actor| {
            let enrollment = outbox::enrollment(tx)?.ok_or_else(outbox::not_enrolled)?.1;
            let known = facility::db::regional_keys(tx)?;
            let (sig, body, _) = check::open_signed(
                bytes,
                crate::bundle::ANSWER_ENTRIES,
                crate::sign::Kind::Acknowledgment,
                ("berkas jawaban", "answer file"),
                |sig, _| {
                    if sig.code != enrollment.kanwil.code {
                        return Err(check::unknown_facility(&sig.code));
                    }
                    known
                        .iter()
                        .find(|k| k.fingerprint == sig.fingerprint)
                        .and_then(|k| keys::parse_public_key(&k.public_key_hex).ok())
                        .ok_or_else(|| check::unknown_key(&sig.code, &sig.fingerprint))
                },
            )
            .map_err(|r| file_refused(what, &r))?;
            let a: f::Answer = f::parse(&body).ok_or_else(|| {
                file_refused(
                    what,
                    &Reason::new("bad_manifest", Some("answer.json"), "bentuknya tidak dikenal", "its form is not known"),
                )
            })?;
            if a.format != "bansos-answer" || a.version != crate::bundle::VERSION {
                return Err(file_refused(
                    what,
                    &Reason::new("bad_manifest", Some("answer.json"), "format atau versinya lain", "its format or version differs"),
                ));
            }
            if a.head.as_ref().is_some_and(|h| !outbox::head_is_sane(h)) {
                return Err(file_refused(
                    what,
                    &Reason::new("bad_manifest", Some("answer.json"), "letak rantai di dalamnya tidak sah", "the chain position in it is not valid"),
                ));
            }
            let me = facility::db::load(tx)?.facility.profile.code;
            if a.facility != me || a.kanwil.code != sig.code || a.kanwil.key_fingerprint != sig.fingerprint {
                return Err(Error::new(
                    ErrorKind::Invalid,
                    format!("Berkas jawaban ini untuk {}, bukan untuk UPT ini. Tidak ada yang diubah.", a.facility),
                    format!("This answer is for {}, not for this facility. Nothing was changed.", a.facility),
                ));
            }
            let hold = odb::meta(tx, outbox::HOLD_KEY)?;
            // After a restore only an answer given since then says where the chain stands now.
            let lifts = |a: &f::Answer| hold.as_deref().is_some_and(|h| a.head.is_some() && a.answered_at.as_str() >= h);
            let Some(b) = odb::by_sha(tx, &a.bundle.sha256)? else {
                if lifts(&a) {
                    // About a bundle made after the backup: the outbox lost it, the Kanwil has it.
                    let j = serde_json::to_string(&a.head).map_err(Error::internal)?;
                    odb::set_meta(tx, outbox::HEAD_KEY, Some(&j))?;
                    odb::set_meta(tx, outbox::HOLD_KEY, None)?;
                    App::log(
                        tx,
                        at,
                        actor,
                        Entry::new("exchange.head", "kanwil", &sig.code).after(&a.head),
                    )?;
                    return Ok(AnswerOutcome {
                        seq: a.bundle.seq,
                        period: a.bundle.period.clone(),
                        verdict: a.verdict.clone(),
                        reason: a.reason.clone(),
                        missing: a.missing.clone(),
                        changed: true,
                        bundles_made: Self::make_pending_bundles(tx, &key, at, actor)?,
                        resend_at: None,
                    });
                }
                return Err(Error::new(
                    ErrorKind::NotFound,
                    format!(
                        "Jawaban ini tentang bundel {} nomor urut {} ({}…) yang tidak ada di kotak keluar UPT ini. Tidak ada yang diubah.",
                        a.bundle.period, a.bundle.seq, a.bundle.sha256.chars().take(12).collect::<String>()
                    ),
                    format!(
                        "This answer is about bundle {} seq {} ({}…), which is not in this facility's outbox. Nothing was changed.",
                        a.bundle.period, a.bundle.seq, a.bundle.sha256.chars().take(12).collect::<String>()
                    ),
                ));
            };
            let answer_sha = crate::bundle::sha256_hex(bytes);
            let mut outcome = AnswerOutcome {
                seq: b.seq,
                period: b.period.clone(),
                verdict: a.verdict.clone(),
                reason: a.reason.clone(),
                missing: a.missing.clone(),
                changed: false,
                bundles_made: vec![],
                resend_at: None,
            };
            let resend = a.verdict == "refused"
                && a.reason.as_ref().is_some_and(|r| outbox::resendable(&r.code));
            let state = match a.verdict.as_str() {
                "refused" if resend => "sent",
                "accepted" | "revision" => "acknowledged",
                "refused" | "fork" => "refused",
                "held_gap" => "held",
                _ => {
                    return Err(file_refused(
                        what,
                        &Reason::new("bad_manifest", Some("answer.json"), "putusannya tidak dikenal", "its verdict is not known"),
                    ))
                }
            };
            let settled = matches!(b.state.as_str(), "acknowledged" | "refused");
            if b.answer_sha256.as_deref() == Some(answer_sha.as_str()) || (settled && state == "held") {
                return Ok(outcome);
            }
            // An acknowledgment is final: an older answer imported again (the refusal of a copy
            // damaged on the way, a gap since filled) does not take it back.
            if b.state == "acknowledged" && state != "acknowledged" {
                return Ok(outcome);
            }
            let reason = a.reason.as_ref().map(serde_json::to_vec).transpose().map_err(Error::internal)?;
            odb::record_answer(tx, b.seq, state, bytes, &answer_sha, &a.verdict, reason.as_deref(), at)?;
            if let (true, Some(r)) = (resend, &a.reason) {
                let next = super::upload::next_try(now, b.upload_tries, None)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                odb::record_upload_failure(tx, b.seq, &next, &format!("{}|{}", r.id, r.en), false)?;
                outcome.resend_at = Some(next);
            }
            if let Some(h) = &a.head {
                let current: Option<f::Head> = odb::meta(tx, outbox::HEAD_KEY)?
                    .and_then(|h| serde_json::from_str(&h).ok());
                if current.as_ref().is_none_or(|c| h.seq > c.seq) {
                    let j = serde_json::to_string(h).map_err(Error::internal)?;
                    odb::set_meta(tx, outbox::HEAD_KEY, Some(&j))?;
                }
            }
            if lifts(&a) {
                odb::set_meta(tx, outbox::HOLD_KEY, None)?;
            }
            App::log(
                tx,
                at,
                actor,
                Entry::new("exchange.answer", "bundle", b.seq).after(&serde_json::json!({
                    "verdict": a.verdict, "answer_sha256": answer_sha,
                    "reason": a.reason.as_ref().map(|r| r.code.clone()),
                })),
            )?;
            outcome.changed = true;
            outcome.bundles_made = Self::make_pending_bundles(tx, &key, at, actor)?;
            Ok(outcome)
        })
    }

    /// Checks a bundle file without importing it: at a facility against its own key, at a Kanwil
    /// against its registered facilities' keys.
    pub fn verify_bundle(&mut self, bytes: &[u8]) -> Result<BundleCheck> {
        self.guard(ANYONE)?;
        let conn = &self.conn;
        let regional = Self::is_regional(conn)?;
        let me = facility::db::load(conn)?.facility;
        let r = check::open_bundle(bytes, |code, fp| {
            if regional {
                // A revoked key is named as such, as the import names it: never "genuine".
                crate::kanwil::member_key(conn, code, fp)
            } else if code == me.profile.code && fp == me.fingerprint {
                keys::parse_public_key(&me.public_key_hex).map_err(|_| check::unknown_key(code, fp))
            } else if let Some(k) = me
                .retired_keys
                .iter()
                .find(|k| code == me.profile.code && k.fingerprint == fp)
            {
                keys::parse_public_key(&k.public_key_hex).map_err(|_| check::unknown_key(code, fp))
            } else {
                Err(check::unknown_key(code, fp))
            }
        });
        Ok(BundleCheck::of(r))
    }
}

/// Checks a bundle file offline against a public key given by hand (`--key CODE=HEX`).
pub fn verify_with_key(bytes: &[u8], code: &str, key: &[u8; 32]) -> BundleCheck {
    BundleCheck::of(check::open_bundle(bytes, |c, fp| {
        if c == code && keys::fingerprint(key) == fp {
            Ok(*key)
        } else {
            Err(check::unknown_key(c, fp))
        }
    }))
}

//! The regional office's use cases (regional mode): registering facilities and giving back
//! their enrollment, revoking a key, importing bundles from files or a folder, and the recap,
//! completeness and cross-facility views.

use super::exchange::{identity, stored_identity, PROVINCE_INFO};
use super::{App, ANYONE};
use crate::audit::Entry;
use crate::bundle::format::{self as f};
use crate::bundle::{wire, Reason};
use crate::db::Tx as Transaction;
use crate::error::{Error, ErrorKind, Result};
use crate::facility::{self, keys, FacilityKind, FacilityProfile};
use crate::kanwil::{self, db as kdb, CompletenessRow, CrossPair, Recap, Verdict};
use crate::keyring::DataKey;
use crate::month::Month;
use crate::staff::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const KEY_HOLDERS: &[Role] = &[Role::KepalaUpt, Role::Admin];
const DEFAULT_DUE_DAY: u32 = 5;

/// A registered facility as the Kanwil's screens list it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberFacility {
    pub code: String,
    pub name: String,
    pub time_zone: String,
    pub fingerprints: Vec<String>,
    pub first_period: Option<String>,
    pub enrollment_update: u32,
    pub registered_at: String,
    pub revoked_at: Option<String>,
    pub revoke_reason: String,
    /// The last accepted seq and period.
    pub head_seq: Option<u64>,
    pub head_period: Option<String>,
}

/// A registration read before it is registered: what to compare by telephone.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Registered {
    pub code: String,
    pub name: String,
    pub fingerprint: String,
    pub first_period: Option<String>,
    pub closed_through: Option<String>,
    /// The enrollment file to send back (its name; the bytes go with it).
    pub enrollment_file: String,
}

/// Sets up a new Kanwil database (inside the setup's transaction): its exchange identity, the
/// first province key, the default due day.
pub(super) fn set_up(
    tx: &Transaction,
    key: &DataKey,
    profile: &FacilityProfile,
    now: chrono::DateTime<chrono::Utc>,
    at: &str,
) -> Result<()> {
    identity(tx, key, at)?;
    let raw = zeroize::Zeroizing::new(crate::keyring::random_bytes::<32>()?);
    let sealed = keys::seal_secret(key, PROVINCE_INFO, &raw[..])?;
    let from = Month::of(profile.time_zone.today(now)).key();
    crate::outbox::db::insert_province_key(tx, &format!("{}/1", profile.code), &from, &sealed, at)?;
    kdb::insert_setting(tx, DEFAULT_DUE_DAY)?;
    Ok(())
}

fn facility_only() -> Error {
    Error::new(
        ErrorKind::Conflict,
        "Ini hanya untuk Kanwil (mode regional); basis data ini milik UPT.",
        "This is for a regional office (regional mode); this database belongs to a facility.",
    )
}

/// A facility code as typed: upper case, letters, digits and '-'.
fn member_code(code: &str) -> Result<String> {
    let c = code.trim().to_ascii_uppercase();
    if c.is_empty() || c.len() > 40 || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
    {
        return Err(Error::invalid(
            "code",
            "Kode UPT hanya huruf, angka dan '-', paling banyak 40.",
            "A facility code holds only letters, digits and '-', at most 40.",
        ));
    }
    Ok(c)
}

/// Runs `f` as the Kanwil `code` inside `tx`: its signing key, and its exchange identity read
/// (or made) in that transaction.
fn in_ctx<T>(
    tx: &Transaction,
    code: &str,
    signer: &ed25519_dalek::SigningKey,
    key: &DataKey,
    now: chrono::DateTime<chrono::Utc>,
    at: &str,
    f: impl FnOnce(&kanwil::Ctx) -> Result<T>,
) -> Result<T> {
    let (recipient, secret) = identity(tx, key, at)?;
    f(&kanwil::Ctx {
        code,
        signer,
        identity: &secret,
        recipient: &recipient,
        now,
        at,
    })
}

fn unknown_member(code: &str) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("UPT {code} belum terdaftar di Kanwil ini."),
        format!("Facility {code} is not registered with this regional office."),
    )
}

impl App {
    pub(super) fn regional_mode(&self) -> Result<FacilityProfile> {
        let p = facility::db::load(&self.conn)?.facility.profile;
        if p.kind != FacilityKind::Kanwil {
            return Err(facility_only());
        }
        Ok(p)
    }

    /// Reads a registration file and says what to compare by telephone, without registering.
    pub fn read_registration(&mut self, bytes: &[u8]) -> Result<Registered> {
        self.guard(KEY_HOLDERS)?;
        self.regional_mode()?;
        let (r, _) = kanwil::open_registration(bytes).map_err(|r| r.into_error())?;
        Ok(Registered {
            enrollment_file: format!("{}.{}", r.profile.code, crate::bundle::ENROLLMENT_EXT),
            code: r.profile.code,
            name: r.profile.name,
            fingerprint: r.key_fingerprint,
            first_period: r.first_period,
            closed_through: r.closed_through,
        })
    }

    /// Registers a facility from its registration file, once the fingerprint read out on the
    /// telephone matches (`confirmed_fingerprint`), and gives back its enrollment file.
    pub fn register_facility(
        &mut self,
        bytes: &[u8],
        confirmed_fingerprint: &str,
    ) -> Result<(Registered, Vec<u8>)> {
        self.guard(KEY_HOLDERS)?;
        let me = self.regional_mode()?;
        let (r, signing) = kanwil::open_registration(bytes).map_err(|r| r.into_error())?;
        if confirmed_fingerprint.trim().to_ascii_uppercase() != r.key_fingerprint {
            return Err(Error::invalid(
                "fingerprint",
                format!(
                    "Sidik jari yang dikonfirmasi tidak sama dengan sidik jari kunci {} ({}). Bandingkan lagi lewat telepon. Tidak ada yang didaftarkan.",
                    r.profile.code, r.key_fingerprint
                ),
                format!(
                    "The confirmed fingerprint differs from the key of {} ({}). Compare again by telephone. Nothing was registered.",
                    r.profile.code, r.key_fingerprint
                ),
            ));
        }
        let code = member_code(&r.profile.code)?;
        let tz = crate::locale::TimeZone::parse(&r.profile.time_zone).unwrap_or_default();
        let key = self.key.clone();
        let signer = self.signer()?;
        let name: String = r.profile.name.chars().take(100).collect();
        self.tx(|tx, at, actor| {
            // A key revoked (a stolen PC) or retired by a rotation never registers again: its
            // registration would have the province's key encrypted to whoever holds it.
            let revoked = matches!(kdb::key(tx, &code, &r.key_fingerprint)?, Some((_, true)));
            if revoked || kdb::key_retirement(tx, &code, &r.key_fingerprint)?.is_some() {
                let fp = &r.key_fingerprint;
                let (id, en) = if revoked {
                    ("sudah dicabut", "was revoked")
                } else {
                    ("sudah diganti", "was replaced")
                };
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("Kunci {fp} milik UPT {code} {id}; pendaftaran dengan kunci itu ditolak. UPT perlu membuat kunci baru (Ganti kunci) lalu mengirim berkas pendaftaran yang baru. Tidak ada yang didaftarkan."),
                    format!("Key {fp} of facility {code} {en}; a registration with that key is refused. The facility needs to make a new key (Change key) and send a new registration file. Nothing was registered."),
                ));
            }
            match kdb::member(tx, &code)? {
                Some(m) if m.revoked_at.is_some() => {
                    // A revoked facility comes back with a new key: its chain goes on, under its
                    // new identity (never the lost PC's).
                    kdb::reinstate(tx, &code, &name, &r.age_recipient, bytes)?;
                }
                Some(_) => {
                    if kdb::key(tx, &code, &r.key_fingerprint)?.is_none() {
                        return Err(Error::new(
                            ErrorKind::Conflict,
                            format!("UPT {code} sudah terdaftar dengan kunci lain. Cabut kunci lamanya dulu bila PC-nya hilang atau diganti."),
                            format!("Facility {code} is already registered with another key. Revoke the old key first if its PC was lost or replaced."),
                        ));
                    }
                }
                None => kdb::insert_member(
                    tx,
                    &code,
                    &name,
                    tz.code(),
                    &r.age_recipient,
                    bytes,
                    r.first_period.as_deref(),
                    at,
                    actor,
                )?,
            }
            if kdb::key(tx, &code, &r.key_fingerprint)?.is_none() {
                kdb::insert_key(tx, &code, &signing, &r.key_fingerprint, at)?;
            }
            let file = enrollment_file(tx, &key, &signer, &me, &code, &r.age_recipient, &r.key_fingerprint, r.first_period.clone(), at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("kanwil.register", "member", &code).after(&serde_json::json!({
                    "name": name, "fingerprint": r.key_fingerprint, "first_period": r.first_period,
                })),
            )?;
            Ok((
                Registered {
                    enrollment_file: format!("{code}.{}", crate::bundle::ENROLLMENT_EXT),
                    code: code.clone(),
                    name: name.clone(),
                    fingerprint: r.key_fingerprint.clone(),
                    first_period: r.first_period.clone(),
                    closed_through: r.closed_through.clone(),
                },
                file,
            ))
        })
    }

    /// Revokes a facility's keys (a lost or stolen PC): its bundles not already received are
    /// refused from now on, until it registers a new key.
    pub fn revoke_facility(&mut self, code: &str, reason: &str) -> Result<()> {
        self.guard(KEY_HOLDERS)?;
        self.regional_mode()?;
        let code = member_code(code)?;
        let reason = crate::family::model::tidy(reason);
        crate::limits::check_text(
            "reason",
            &reason,
            crate::limits::NOTE,
            ("Alasan", "The reason"),
        )?;
        if reason.chars().filter(|c| c.is_alphabetic()).count() < 5 {
            return Err(Error::invalid(
                "reason",
                "Tulis alasan pencabutan (paling sedikit 5 huruf).",
                "Write the reason for revoking (at least 5 letters).",
            ));
        }
        self.tx(|tx, at, actor| {
            if kdb::member(tx, &code)?.is_none() {
                return Err(unknown_member(&code));
            }
            if !kdb::revoke(tx, &code, at, actor, &reason)? {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("Kunci UPT {code} sudah dicabut."),
                    format!("The keys of facility {code} are already revoked."),
                ));
            }
            App::log(
                tx,
                at,
                actor,
                Entry::new("kanwil.revoke", "member", &code)
                    .after(&serde_json::json!({ "reason": reason })),
            )?;
            Ok(())
        })
    }

    /// Issues a new province key, used for pseudonyms from `from_period` on (yearly, and at once
    /// when a facility's PC was lost: the stolen PC held the old key sealed). Every facility gets
    /// it with its next enrollment file ([`App::reissue_enrollment`]).
    pub fn renew_province_key(&mut self, from_period: &str) -> Result<String> {
        self.guard(KEY_HOLDERS)?;
        let me = self.regional_mode()?;
        let from = Month::parse_or_refuse(from_period)?.key();
        let key = self.key.clone();
        self.tx(|tx, at, actor| {
            let n = kdb::province_keys(tx)? + 1;
            let id = format!("{}/{n}", me.code);
            let raw = zeroize::Zeroizing::new(crate::keyring::random_bytes::<32>()?);
            let sealed = keys::seal_secret(&key, PROVINCE_INFO, &raw[..])?;
            crate::outbox::db::insert_province_key(tx, &id, &from, &sealed, at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("kanwil.province_key", "kanwil", &id)
                    .after(&serde_json::json!({ "from_period": from })),
            )?;
            Ok(id)
        })
    }

    /// A registered facility's next enrollment file: the Kanwil's keys and the province key in
    /// force, encrypted to that facility again (after a new province key or due day).
    pub fn reissue_enrollment(&mut self, code: &str) -> Result<(String, Vec<u8>)> {
        self.guard(KEY_HOLDERS)?;
        let me = self.regional_mode()?;
        let code = member_code(code)?;
        let key = self.key.clone();
        let signer = self.signer()?;
        self.tx(|tx, at, actor| {
            let m = kdb::member(tx, &code)?.ok_or_else(|| unknown_member(&code))?;
            let fp = kdb::current_fingerprint(tx, &code)?.ok_or_else(|| {
                Error::new(
                    ErrorKind::Conflict,
                    format!("UPT {code} tidak punya kunci yang berlaku (dicabut): daftarkan kunci barunya dulu."),
                    format!("Facility {code} has no key in force (revoked): register its new key first."),
                )
            })?;
            let file = enrollment_file(tx, &key, &signer, &me, &code, &m.recipient, &fp, m.first_period.clone(), at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("kanwil.enrollment", "member", &code)
                    .after(&serde_json::json!({ "update": m.enrollment_update + 1 })),
            )?;
            Ok((format!("{code}.{}", crate::bundle::ENROLLMENT_EXT), file))
        })
    }

    /// The facilities registered with this Kanwil.
    pub fn members(&mut self) -> Result<Vec<MemberFacility>> {
        self.guard(ANYONE)?;
        self.regional_mode()?;
        let conn = &self.conn;
        let mut out = Vec::new();
        for m in kdb::members(conn)? {
            let chain = kdb::chain(conn, &m.code)?;
            let head = chain.last();
            let fps = crate::kanwil::db::fingerprints(conn, &m.code)?;
            out.push(MemberFacility {
                head_seq: head.map(|h| h.seq),
                head_period: head.map(|h| h.period.clone()),
                code: m.code,
                name: m.name,
                time_zone: m.time_zone,
                fingerprints: fps,
                first_period: m.first_period,
                enrollment_update: m.enrollment_update,
                registered_at: m.registered_at,
                revoked_at: m.revoked_at,
                revoke_reason: m.revoke_reason,
            });
        }
        Ok(out)
    }

    /// The page cache (MiB) while bundles are imported: a large facility's month writes 36,000
    /// rows into indexes of millions (see `db::with_cache`).
    const IMPORT_CACHE_MIB: u32 = 32;

    /// Imports bundle files, each in its own transaction, in the order given (held ones are taken
    /// up as their gaps fill). Returns one verdict per file, each with its signed answer.
    pub fn import_bundles(&mut self, files: Vec<(String, Vec<u8>)>) -> Result<Vec<Verdict>> {
        let total = files.len() as u64;
        self.import_bundle_stream(total, files.into_iter())
    }

    /// As [`App::import_bundles`], from files given one after another (`total` of them, for the
    /// progress), so that a folder of a province's year is never held in memory at once.
    ///
    /// Two threads: while one bundle's transaction writes, the next is read, opened, verified
    /// and decrypted on the other ([`kanwil::prepare`], against the members' keys and the
    /// Kanwil's identity as they were when the import began). Each transaction looks both up
    /// again and uses that work only if they are unchanged (see [`kanwil::import_prepared`]).
    pub fn import_bundle_stream(
        &mut self,
        total: u64,
        files: impl Iterator<Item = (String, Vec<u8>)> + Send,
    ) -> Result<Vec<Verdict>> {
        self.guard(ANYONE)?;
        let me = self.regional_mode()?;
        let signer = self.signer()?;
        let key = self.key.clone();
        let now = self.clock.now();
        let progress = self.reporter(crate::progress::Work::ImportBundles, total);
        progress.step(0);
        let clock = self.clock.clone();
        let actor = self.me.username.clone();
        let (me_id, me_role, me_gen) = (self.me.id, self.me.role, self.credentials_gen);
        let snapshot = kanwil::Snapshot::read(
            &self.conn,
            stored_identity(&self.conn, &key)?.map(|(_, secret)| secret),
        )?;
        std::thread::scope(|scope| {
            // One prepared bundle waits while the next is being prepared: at most three in memory.
            let (ready, prepared) = std::sync::mpsc::sync_channel::<kanwil::Prepared>(1);
            let snapshot = &snapshot;
            let worker = scope.spawn(move || {
                for (name, bytes) in files {
                    if ready.send(kanwil::prepare(snapshot, name, bytes)).is_err() {
                        // The writer stopped (a database error): nothing more is wanted.
                        break;
                    }
                }
            });
            // One larger cache for the whole run: the indexes' pages stay from one bundle to the next.
            let out = crate::db::with_cache(&mut self.conn, Self::IMPORT_CACHE_MIB, |conn| {
                let mut out = Vec::new();
                for p in prepared {
                    let at = super::stamp(clock.now());
                    let v = crate::db::with_tx(conn, |tx| {
                        // A run may take minutes: an account deactivated meanwhile stops it
                        // here, as every other write is stopped (`App::tx`).
                        App::still_allowed(tx, me_id, me_role, ANYONE, me_gen)?;
                        let v = in_ctx(tx, &me.code, &signer, &key, now, &at, |ctx| {
                            kanwil::import_prepared(tx, ctx, p)
                        })?;
                        App::log(
                            tx,
                            &at,
                            &actor,
                            Entry::new(
                                "kanwil.import",
                                "bundle",
                                v.facility.clone().unwrap_or_else(|| "-".into()),
                            )
                            .after(&serde_json::json!({
                                "file": v.file_name, "verdict": v.verdict, "period": v.period,
                                "seq": v.seq, "reason": v.reason.as_ref().map(|r| r.code.clone()),
                            })),
                        )?;
                        Ok(v)
                    })?;
                    out.push(v);
                    progress.step(out.len() as u64);
                }
                Ok(out)
            });
            worker
                .join()
                .map_err(|_| Error::internal("the bundle reader stopped unexpectedly"))?;
            let out = out?;
            progress.step(total);
            Ok(out)
        })
    }

    /// A fresh signed answer naming where a facility's chain stands, for a facility restored from
    /// a backup (it makes no new bundle until it has imported one).
    pub fn head_answer(&mut self, code: &str) -> Result<(String, Vec<u8>)> {
        self.head_answer_with(code, true)
    }

    /// The same answer for the inbox server, which anyone on the network may ask: not written in
    /// the audit log (which would grow by a row a request), the server's log line records it.
    pub fn head_answer_for_inbox(&mut self, code: &str) -> Result<(String, Vec<u8>)> {
        self.head_answer_with(code, false)
    }

    fn head_answer_with(&mut self, code: &str, logged: bool) -> Result<(String, Vec<u8>)> {
        self.guard(ANYONE)?;
        let me = self.regional_mode()?;
        let code = member_code(code)?;
        let signer = self.signer()?;
        let key = self.key.clone();
        let now = self.clock.now();
        self.tx(|tx, at, actor| {
            if kdb::member(tx, &code)?.is_none() {
                return Err(unknown_member(&code));
            }
            let a = in_ctx(tx, &me.code, &signer, &key, now, at, |ctx| {
                kanwil::head_answer(tx, ctx, &code)
            })?
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("Belum ada bundel UPT {code} yang diterima."),
                    format!("No bundle of facility {code} has been received yet."),
                )
            })?;
            if logged {
                App::log(
                    tx,
                    at,
                    actor,
                    Entry::new("kanwil.head_answer", "member", &code),
                )?;
            }
            Ok(a)
        })
    }

    /// The province's recap of a month, from the bundles accepted.
    pub fn regional_recap(&mut self, period: &str) -> Result<Recap> {
        self.guard(ANYONE)?;
        let me = self.regional_mode()?;
        let m = Month::parse_or_refuse(period)?;
        kanwil::recap(&self.conn, &m.key(), &me.code)
    }

    /// Who has reported a month, on time or how late.
    pub fn regional_completeness(&mut self, period: &str) -> Result<Vec<CompletenessRow>> {
        self.guard(ANYONE)?;
        let me = self.regional_mode()?;
        let m = Month::parse_or_refuse(period)?;
        let due = kdb::due_day(&self.conn)?.unwrap_or(DEFAULT_DUE_DAY);
        kanwil::completeness(&self.conn, &m.key(), due, self.clock.now(), me.time_zone)
    }

    /// People served by two facilities in one month, as pairs of BAST numbers.
    pub fn regional_duplicates(&mut self, period: &str) -> Result<Vec<CrossPair>> {
        self.guard(ANYONE)?;
        self.regional_mode()?;
        let m = Month::parse_or_refuse(period)?;
        kanwil::duplicates(&self.conn, &m.key())
    }

    /// Sets the day of the following month by which reports are due (1–28).
    pub fn set_due_day(&mut self, day: u32) -> Result<()> {
        self.guard(KEY_HOLDERS)?;
        self.regional_mode()?;
        if !(1..=28).contains(&day) {
            return Err(Error::invalid(
                "due_day",
                "Batas laporan harus tanggal 1 sampai 28 bulan berikutnya.",
                "The due day must be the 1st to the 28th of the following month.",
            ));
        }
        self.tx(|tx, at, actor| {
            kdb::insert_setting(tx, day)?;
            App::log(tx, at, actor, Entry::new("kanwil.due_day", "kanwil", day))?;
            Ok(())
        })
    }

    /// The bundles received (latest first) and the files refused.
    #[allow(clippy::type_complexity)]
    pub fn inbox_list(
        &mut self,
    ) -> Result<(
        Vec<kdb::Received>,
        Vec<(String, String, Option<String>, Reason)>,
    )> {
        self.guard(ANYONE)?;
        self.regional_mode()?;
        let received = kdb::all_received(&self.conn, 5000)?;
        let refused = kdb::refusals(&self.conn, 500)?
            .into_iter()
            .filter_map(|(at, name, m, r)| Some((at, name, m, serde_json::from_slice(&r).ok()?)))
            .collect();
        Ok((received, refused))
    }
}

/// The enrollment file of a member: the Kanwil's keys, the province key encrypted to the
/// facility, the due day; signed by the Kanwil.
#[allow(clippy::too_many_arguments)]
fn enrollment_file(
    tx: &Transaction,
    key: &DataKey,
    signer: &ed25519_dalek::SigningKey,
    me: &FacilityProfile,
    code: &str,
    recipient: &str,
    fingerprint: &str,
    first_period: Option<String>,
    at: &str,
) -> Result<Vec<u8>> {
    let (own_recipient, _) = identity(tx, key, at)?;
    let (pk_id, from, sealed) = crate::outbox::db::province_key(tx)?
        .ok_or_else(|| Error::internal("the province key is missing"))?;
    let raw = keys::unseal_secret(key, PROVINCE_INFO, &sealed)?;
    let plain = f::to_bytes(&f::ProvinceKey {
        id: pk_id.clone(),
        key: hex::encode(&raw[..]),
        from_period: from.clone(),
    })?;
    let sealed_file = wire::encrypt(&[recipient.to_owned()], &plain)?;
    let update = kdb::member(tx, code)?.map_or(0, |m| m.enrollment_update) + 1;
    let public = signer.verifying_key().to_bytes();
    let body = f::Enrollment {
        format: "bansos-enrollment".into(),
        version: crate::bundle::VERSION,
        update,
        kanwil: f::EnrollKanwil {
            code: me.code.clone(),
            name: me.name.clone(),
            province: me.province.clone(),
            signing_keys: vec![f::PublicKeyRef {
                key: hex::encode(public),
                fingerprint: keys::fingerprint(&public),
            }],
            recipients: vec![own_recipient],
        },
        facility: f::EnrollFacility {
            code: code.to_owned(),
            key_fingerprint: fingerprint.to_owned(),
            age_recipient: recipient.to_owned(),
        },
        pseudonym_key: f::PseudonymKeyRef {
            id: pk_id,
            from_period: from,
            sha256: crate::bundle::sha256_hex(&sealed_file),
        },
        due_day: kdb::due_day(tx)?.unwrap_or(DEFAULT_DUE_DAY),
        report_from: first_period,
        bundle_versions: vec![crate::bundle::VERSION],
        issued_at: at.to_owned(),
    };
    let bytes = f::to_bytes(&body)?;
    let sig = wire::SigLine::make(&me.code, signer, crate::sign::Kind::Enrollment, &bytes);
    kdb::set_enrollment_update(tx, code, update)?;
    wire::zip(&[
        ("enrollment.json", &bytes),
        ("enrollment.sig", &sig),
        ("province-key.age", &sealed_file),
    ])
}

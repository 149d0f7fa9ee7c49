//! Use cases of the beneficiary registry (SPEC §2 item 3).
//!
//! Who may do what: Petugas and Verifikator register and edit families and import sheets; only a
//! Verifikator verifies and settles duplicates; everyone signed in may read the list. NIKs are
//! masked in lists except for the Verifikator, and in a family's full record except for the
//! Petugas and Verifikator; every opening of a full record is written to the audit log.

use super::{App, ANYONE};
use crate::audit::{self, Entry};
use crate::error::{Error, ErrorKind, Result};
use crate::family::db as fdb;
use crate::family::import::{self, ImportField};
pub use crate::family::import::{ImportPreview, ImportResult, PreviewRow, RowStatus};
use crate::family::model::{
    self, field_errors, first_error, mask_nik, Category, FamilyCheck, FamilyInput, Problem,
    ValidFamily, Verification,
};
use crate::family::search::{EntryKind, Index};
use crate::family::view::{
    family_code, DuplicatePair, DuplicateStatus, FamilyDetail, FamilyFilter, FamilyPage, MatchKind,
    Matched, Member, Resolution,
};
use crate::locale::Lang;
use crate::progress::{Reporter, Work};
use crate::region::{Region, Regions};
use crate::staff::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const REGISTRARS: &[Role] = &[Role::Petugas, Role::Verifikator];
const VERIFIERS: &[Role] = &[Role::Verifikator];
/// Who reads the registry: not the Admin, who keeps accounts, settings, keys and backups
/// (SPEC §1), never the families.
pub(super) const REGISTRY_READERS: &[Role] = &[Role::Petugas, Role::Verifikator, Role::KepalaUpt];

/// What a save did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Saved {
    pub id: i64,
    pub code: String,
    /// Duplicate pairs recorded for the verifikator's review.
    pub pairs_recorded: u32,
}

/// The form's rules and the registry's (a NIK taken, the same KK, a similar person) as `conn`
/// sees them: refusals, and warnings that become pairs for the duplicates review.
#[allow(clippy::type_complexity)]
fn validate_in(
    conn: &crate::db::Db,
    input: &FamilyInput,
    today: chrono::NaiveDate,
    except: Option<i64>,
    strict: bool,
) -> Result<(Option<ValidFamily>, Vec<Error>, Vec<Problem>)> {
    let (v, mut errors, mut warnings) = model::validate(input, today, Regions::shipped(), strict);
    if let Some(v) = &v {
        let (e, w) = fdb::registry_problems(conn, v, except)?;
        errors.extend(e);
        warnings.extend(w);
    }
    let v = if errors.is_empty() { v } else { None };
    Ok((v, errors, warnings))
}

fn problems_to_notices(p: &[Problem], lang: Lang) -> Vec<model::Notice> {
    p.iter().map(|w| w.notice(lang)).collect()
}

/// The name-search index being built on its own connection ([`App::search_index_job`]). It
/// holds the store's session lock, as a session does, so the store is not restored under it.
pub struct SearchIndexJob {
    db_path: std::path::PathBuf,
    key: crate::keyring::DataKey,
    _session_lock: std::fs::File,
}

/// A name-search index built by a [`SearchIndexJob`], for [`App::install_search_index`].
pub struct SearchIndex(Index);

impl SearchIndexJob {
    /// Reads every name once and builds the index. Changes nothing in the store.
    pub fn run(self) -> Result<SearchIndex> {
        let conn = crate::db::open(&self.db_path, &self.key, |_, _| {
            Err(Error::internal(
                "the store's schema changed under the name index",
            ))
        })?;
        Ok(SearchIndex(Index::build(&conn)?))
    }
}

impl App {
    fn today(&self) -> Result<NaiveDate> {
        self.today_local()
    }

    /// NIKs in lists, exports and previews: in full only for the Verifikator.
    pub fn sees_nik_in_lists(&self) -> bool {
        self.me.role == Role::Verifikator
    }

    /// NIKs in a family's full record: the Petugas and Verifikator, who register and verify.
    pub fn sees_nik_in_record(&self) -> bool {
        matches!(self.me.role, Role::Petugas | Role::Verifikator)
    }

    /// The regions one level below `parent` ("" = provinces), for the address picker.
    pub fn regions(&mut self, parent: &str) -> Result<Vec<Region>> {
        self.guard(ANYONE)?;
        Ok(Regions::shipped().children(&model::region_digits(parent)))
    }

    fn validate_full(
        &self,
        input: &FamilyInput,
        except: Option<i64>,
        strict: bool,
    ) -> Result<(Option<ValidFamily>, Vec<Error>, Vec<Problem>)> {
        validate_in(&self.conn, input, self.today()?, except, strict)
    }

    /// Everything the form would refuse or warn about, without saving (as the person types).
    pub fn family_check(
        &mut self,
        input: &FamilyInput,
        editing: Option<i64>,
        lang: Lang,
    ) -> Result<FamilyCheck> {
        self.guard(REGISTRARS)?;
        let (_, errors, warnings) = self.validate_full(input, editing, true)?;
        Ok(FamilyCheck {
            errors: field_errors(&errors, lang),
            warnings: problems_to_notices(&warnings, lang),
        })
    }

    fn index_refresh(&mut self, family_id: i64, rev: i64) -> Result<()> {
        if let Some(ix) = self.search.as_mut() {
            if ix.rev + 1 == rev {
                ix.refresh_family(&self.conn, family_id)?;
                ix.rev = rev;
            } else {
                self.search = None; // another process changed the registry too: rebuild later
            }
        }
        Ok(())
    }

    /// Registers a family. Refused with the first problem if anything is wrong; warnings (the
    /// same KK, a similar person) do not stop it but become pairs for the duplicates review.
    pub fn family_add(&mut self, input: &FamilyInput) -> Result<Saved> {
        self.guard(REGISTRARS)?;
        let today = self.today()?;
        // Refused early (nothing is locked while the person reads the message)…
        let (v, errors, _) = self.validate_full(input, None, true)?;
        if v.is_none() {
            return Err(first_error(errors));
        }
        let (id, rev, pairs) = self.tx(|tx, at, actor| {
            // …and checked again, warnings too, inside the transaction: another window may have
            // saved the same NIK, or a near-duplicate, meanwhile.
            let (v, errors, warnings) = validate_in(tx, input, today, None, true)?;
            let Some(v) = v else {
                return Err(first_error(errors));
            };
            let id = fdb::insert(tx, &v, at, actor, "form")?;
            fdb::record_pairs(tx, id, &warnings, at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("family.create", "family", family_code(id)).after(&v),
            )?;
            let rev = fdb::bump_rev(tx)?;
            Ok((id, rev, count_pairs(&warnings)))
        })?;
        self.index_refresh(id, rev)?;
        Ok(Saved {
            id,
            code: family_code(id),
            pairs_recorded: pairs,
        })
    }

    /// Saves an edited family. A Petugas's edit sends a verified family back to draft: the
    /// verifikator looks at it again.
    pub fn family_update(&mut self, id: i64, input: &FamilyInput) -> Result<Saved> {
        self.guard(REGISTRARS)?;
        let today = self.today()?;
        let (v, errors, _) = self.validate_full(input, Some(id), true)?;
        if v.is_none() {
            return Err(first_error(errors));
        }
        let typed_kk: String = input.kk.chars().filter(|c| c.is_ascii_digit()).collect();
        let petugas = self.me.role == Role::Petugas;
        let (rev, pairs) = self.tx(|tx, at, actor| {
            // Checked again, warnings too, inside the transaction: another window may have
            // saved meanwhile.
            let (v, errors, warnings) = validate_in(tx, input, today, Some(id), true)?;
            let Some(v) = v else {
                return Err(first_error(errors));
            };
            let before = fdb::load(tx, id)?;
            if before.merged_into.is_some() {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "Keluarga {} sudah digabung ke keluarga lain dan tidak dapat diubah.",
                        family_code(id)
                    ),
                    format!(
                        "Family {} was merged into another and cannot be changed.",
                        family_code(id)
                    ),
                ));
            }
            if before.kk.is_some()
                && before.kk != v.kk
                && input.kk_change_reason.is_none()
                && !typed_kk.is_empty()
            {
                return Err(Error::invalid(
                    "kk_change_reason",
                    "No. KK berubah: pilih alasannya (pindah, kematian, pisah KK, perubahan data, lainnya).",
                    "The family card number changed: choose why (move, death, split, data correction, other).",
                ));
            }
            fdb::update(tx, id, &v, &before.kk, at, actor)?;
            if petugas && before.verification == Verification::Verified {
                fdb::back_to_draft(tx, id)?;
            }
            fdb::record_pairs(tx, id, &warnings, at)?;
            let after = fdb::load(tx, id)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("family.update", "family", family_code(id))
                    .before(&record_json(&before))
                    .after(&record_json(&after)),
            )?;
            Ok((fdb::bump_rev(tx)?, count_pairs(&warnings)))
        })?;
        self.index_refresh(id, rev)?;
        Ok(Saved {
            id,
            code: family_code(id),
            pairs_recorded: pairs,
        })
    }

    /// A family's full record. Opening it is logged (who viewed whose record).
    pub fn family_get(&mut self, id: i64) -> Result<FamilyDetail> {
        self.guard(REGISTRY_READERS)?;
        let full = self.sees_nik_in_record();
        let s = fdb::load(&self.conn, id)?;
        self.tx(|tx, at, actor| {
            App::log(
                tx,
                at,
                actor,
                Entry::new("family.view", "family", family_code(id))
                    .after(&serde_json::json!({ "nik_full": full })),
            )?;
            Ok(())
        })?;
        let regions = Regions::shipped();
        let show = |n: Option<String>| if full { n } else { n.map(|n| mask_nik(&n)) };
        let mut kk_history = fdb::kk_history(&self.conn, id)?;
        for h in &mut kk_history {
            h.kk = show(h.kk.take());
        }
        Ok(FamilyDetail {
            id,
            code: family_code(id),
            category: s.category,
            kk: show(s.kk.clone()),
            kk_history,
            address: s.address.clone(),
            rt: s.rt.clone(),
            rw: s.rw.clone(),
            region: s.region_code.as_deref().and_then(|c| regions.path(c)),
            region_code: s.region_code.clone(),
            region_table: s.region_table.clone(),
            phone: s.phone.clone(),
            wbp_name: s.wbp_name.clone(),
            wbp_reg_no: s.wbp_reg_no.clone(),
            wbp_status: s.wbp_status.as_deref().and_then(model::from_code),
            wbp_relation: s.wbp_relation.clone(),
            reasons: serde_json::from_str(&s.reasons).unwrap_or_default(),
            reason_note: s.reason_note.clone(),
            dtks_decile: s.dtks_decile,
            consent_date: s.consent_date.clone(),
            verification: s.verification,
            verified_by: s.verified_by.clone(),
            verified_at: s.verified_at.clone(),
            evidence_note: s.evidence_note.clone(),
            active: s.active,
            inactive_reason: s.inactive_reason.clone(),
            merged_into: s.merged_into,
            created_at: s.created_at.clone(),
            created_by: s.created_by.clone(),
            updated_at: s.updated_at.clone(),
            members: s
                .members
                .iter()
                .map(|m| Member {
                    nik: show(m.nik.clone()),
                    ..m.clone()
                })
                .collect(),
            attachments: crate::attachment::db::list(
                &self.conn,
                crate::attachment::Owner::Family(id),
            )?,
            history: audit::db::list_for(&self.conn, "family", &family_code(id), 200)?
                .into_iter()
                .map(|e| if full { e } else { e.masked() })
                .collect(),
            nik_full: full,
            open_duplicates: fdb::open_pairs_of(&self.conn, id)?,
        })
    }

    /// The family list: filtered, or searched by name (typo-tolerant), NIK, No. KK or WBP
    /// registration number, best match first.
    pub fn family_list(&mut self, f: &FamilyFilter, limit: u32, offset: u32) -> Result<FamilyPage> {
        self.guard(REGISTRY_READERS)?;
        let limit = limit.clamp(1, 500);
        let regions = Regions::shipped();
        let q = f.query.trim();
        if q.chars().nth(crate::limits::SEARCH_CHARS).is_some() {
            return Err(Error::invalid(
                "query",
                format!(
                    "Kata pencarian terlalu panjang: paling banyak {} karakter.",
                    crate::limits::SEARCH_CHARS
                ),
                format!(
                    "The search is too long: at most {} characters.",
                    crate::limits::SEARCH_CHARS
                ),
            ));
        }
        if q.chars().any(char::is_alphabetic) {
            self.ensure_index()?;
        }
        // By the first digits only for those who see NIKs in a record: for anyone else a
        // prefix search, a digit at a time, would spell out a masked NIK. They find a family
        // by its whole NIK or No. KK.
        let by_prefix = self.sees_nik_in_record();
        let search = self.search.as_ref();
        let (mut rows, total) = crate::db::with_read(&self.conn, |conn| {
            if q.is_empty() {
                return fdb::rows(conn, f, None, limit, offset, regions);
            }
            let mut found: Vec<(i64, Option<Matched>)> = Vec::new();
            let digits: String = q.chars().filter(|c| !c.is_whitespace()).collect();
            let whole = digits.len() == 16;
            if digits.len() >= 4
                && digits.chars().all(|c| c.is_ascii_digit())
                && (whole || by_prefix)
            {
                found = fdb::by_number_prefix(conn, &digits, limit * 2)?;
            }
            if let Some(id) = crate::family::view::parse_family_code(q)
                .filter(|_| q.to_ascii_uppercase().starts_with("KLG"))
            {
                found.insert(0, (id, None));
            }
            // Registration numbers have digits: a name alone is not looked for among them.
            if q.chars().any(|c| c.is_ascii_digit()) {
                for id in fdb::by_reg_prefix(conn, &fdb::reg_key(q), limit)? {
                    if !found.iter().any(|(f, _)| *f == id) {
                        found.push((id, Some(Matched::new(MatchKind::WbpRegNo, None))));
                    }
                }
            }
            if let Some(ix) = search.filter(|_| q.chars().any(char::is_alphabetic)) {
                for h in ix.search(q, (limit * 2) as usize) {
                    if found.iter().any(|(f, _)| *f == h.family_id) {
                        continue;
                    }
                    let note = match h.kind {
                        EntryKind::Head => None,
                        EntryKind::Member => Some(Matched::new(MatchKind::Member, Some(&h.name))),
                        EntryKind::Wbp => Some(Matched::new(MatchKind::Wbp, Some(&h.name))),
                    };
                    found.push((h.family_id, note));
                }
            }
            let ids: Vec<i64> = found.iter().map(|(i, _)| *i).collect();
            let (mut rows, total) = fdb::rows(conn, f, Some(&ids), limit, 0, regions)?;
            for r in &mut rows {
                r.matched = found
                    .iter()
                    .find(|(i, _)| *i == r.id)
                    .and_then(|(_, n)| n.clone());
            }
            rows.truncate(limit as usize);
            Ok((rows, total))
        })?;
        let masked = !self.sees_nik_in_lists();
        if masked {
            for r in &mut rows {
                r.head_nik = r.head_nik.take().map(|n| mask_nik(&n));
                r.kk = r.kk.take().map(|n| mask_nik(&n));
            }
        }
        Ok(FamilyPage {
            rows,
            total,
            masked,
        })
    }

    /// Builds the name-search index ahead of the first search, in this session (`bansos bench`
    /// times it). Not a user action: the idle clock is untouched.
    pub fn warm_search_index(&mut self) -> Result<()> {
        self.ensure_index()
    }

    /// The name-search index to build away from this session, on another thread and its own
    /// connection ([`SearchIndexJob::run`]), then hand back with [`App::install_search_index`]:
    /// the window does this right after sign-in, so the first keystroke does not wait and no
    /// screen waits for the build (0.6 s at 100,000 families) either.
    pub fn search_index_job(&self) -> Result<SearchIndexJob> {
        Ok(SearchIndexJob {
            db_path: self.db_path.clone(),
            key: self.key.clone(),
            _session_lock: super::session_lock(&self.db_path)?,
        })
    }

    /// Takes an index a job built, unless this session has one already or the registry changed
    /// after the job read it (another desk, or this one, registered or edited a family): then
    /// the next search builds its own, as it would have without a job. Says whether it was taken.
    pub fn install_search_index(&mut self, built: SearchIndex) -> Result<bool> {
        if self.search.is_some() || fdb::rev(&self.conn)? != built.0.rev {
            return Ok(false);
        }
        self.search = Some(built.0);
        Ok(true)
    }

    /// The heap the name index holds, in bytes; 0 before it is built (`bansos bench` reports it).
    pub fn search_index_bytes(&self) -> usize {
        self.search.as_ref().map_or(0, Index::heap_bytes)
    }

    fn ensure_index(&mut self) -> Result<()> {
        let rev = fdb::rev(&self.conn)?;
        if self.search.as_ref().is_none_or(|ix| ix.rev != rev) {
            self.search = Some(Index::build(&self.conn)?);
        }
        Ok(())
    }

    /// Marks a family verified, with the evidence seen. It needs a No. KK, consent, a reason why
    /// the family qualifies, a non-temporary head NIK, and for a WBP family the inmate's name.
    pub fn family_verify(&mut self, id: i64, evidence_note: &str) -> Result<FamilyDetail> {
        self.guard(VERIFIERS)?;
        let note = evidence_note.trim().to_owned();
        self.tx(|tx, at, actor| {
            let s = fdb::load(tx, id)?;
            model::can_verify(&s, &note)?;
            fdb::set_verified(tx, id, actor, at, &note)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("family.verify", "family", family_code(id))
                    .before(&serde_json::json!({ "verification": s.verification }))
                    .after(
                        &serde_json::json!({ "verification": "verified", "evidence_note": note }),
                    ),
            )?;
            Ok(())
        })?;
        self.family_get(id)
    }

    /// Deactivates a family (with a reason) or activates it again.
    pub fn family_set_active(
        &mut self,
        id: i64,
        active: bool,
        reason: &str,
    ) -> Result<FamilyDetail> {
        self.guard(REGISTRARS)?;
        let reason = model::tidy(reason);
        crate::limits::check_text(
            "reason",
            &reason,
            crate::limits::NOTE,
            ("Alasan penonaktifan", "The reason for deactivating"),
        )?;
        if !active && reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "Tulis alasan penonaktifan (mis. pindah domisili, sudah mampu, meninggal).",
                "Write why the family is deactivated (e.g. moved away, no longer poor, died).",
            ));
        }
        self.tx(|tx, at, actor| {
            let s = fdb::load(tx, id)?;
            if s.active == active {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    if active {
                        "Keluarga ini sudah aktif."
                    } else {
                        "Keluarga ini sudah nonaktif."
                    },
                    if active {
                        "This family is already active."
                    } else {
                        "This family is already inactive."
                    },
                ));
            }
            if active && s.merged_into.is_some() {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "Keluarga yang sudah digabung tidak dapat diaktifkan lagi.",
                    "A merged family cannot be activated again.",
                ));
            }
            fdb::set_active(tx, id, active, &reason, at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new(
                    if active {
                        "family.activate"
                    } else {
                        "family.deactivate"
                    },
                    "family",
                    family_code(id),
                )
                .before(&serde_json::json!({ "active": s.active, "inactive_reason": s.inactive_reason }))
                .after(&serde_json::json!({ "active": active, "inactive_reason": reason })),
            )?;
            Ok(())
        })?;
        self.family_get(id)
    }

    /// Duplicate pairs (open ones first). NIKs as in lists.
    pub fn duplicates(&mut self, status: Option<DuplicateStatus>) -> Result<Vec<DuplicatePair>> {
        self.guard(REGISTRY_READERS)?;
        let mut v = fdb::pairs(&self.conn, status, Regions::shipped())?;
        if !self.sees_nik_in_lists() {
            for p in &mut v {
                for s in [&mut p.a, &mut p.b] {
                    s.head_nik = s.head_nik.take().map(|n| mask_nik(&n));
                    s.kk = s.kk.take().map(|n| mask_nik(&n));
                }
            }
        }
        Ok(v)
    }

    /// Settles a pair: two different families, or one family recorded twice (merge: the other
    /// record is retired, pointing to the one kept; its history stays).
    pub fn resolve_duplicate(&mut self, pair_id: i64, r: &Resolution) -> Result<()> {
        self.guard(VERIFIERS)?;
        let (new_status, keep, note) = match r {
            Resolution::Distinct { note } => (DuplicateStatus::Distinct, None, model::tidy(note)),
            Resolution::Merge { keep, note } => {
                (DuplicateStatus::Merged, Some(*keep), model::tidy(note))
            }
        };
        crate::limits::check_text("note", &note, crate::limits::NOTE, ("Catatan", "The note"))?;
        if note.is_empty() {
            return Err(Error::invalid(
                "note",
                "Tulis catatan alasan keputusan ini.",
                "Write a note on why.",
            ));
        }
        let rev = self.tx(|tx, at, actor| {
            let pair = fdb::pair_head(tx, pair_id)?.ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("Pasangan duplikat #{pair_id} tidak ada."),
                    format!("There is no duplicate pair #{pair_id}."),
                )
            })?;
            let (a, b) = (pair.family_a, pair.family_b);
            if keep.is_some_and(|k| k != a && k != b) {
                return Err(Error::invalid(
                    "keep",
                    "Pilih salah satu dari dua keluarga pasangan ini untuk dipertahankan.",
                    "Choose one of the pair's two families to keep.",
                ));
            }
            if pair.status != DuplicateStatus::Open
                || !fdb::resolve_pair(tx, pair_id, new_status, actor, at, &note)?
            {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "Pasangan ini sudah diselesaikan.",
                    "This pair was already resolved.",
                ));
            }
            if let Some(keep) = keep {
                let drop = if keep == a { b } else { a };
                // Both as they are now: another pair's merge may have retired either since this
                // pair was listed (the store backs it, 0021).
                for id in [keep, drop] {
                    let f = fdb::load(tx, id)?;
                    if !f.active {
                        let code = family_code(id);
                        return Err(Error::new(
                            ErrorKind::Conflict,
                            format!(
                                "{code} sudah nonaktif ({}); pasangan ini tidak dapat digabung. Tandai sebagai dua keluarga berbeda, atau aktifkan {code} lagi dulu.",
                                f.inactive_reason
                            ),
                            format!(
                                "{code} is inactive ({}); this pair cannot be merged. Mark it as two different families, or make {code} active again first.",
                                f.inactive_reason
                            ),
                        )
                        .with_field("keep"));
                    }
                }
                fdb::merge(tx, drop, keep, pair_id, actor, at, &note)?;
                App::log(
                    tx,
                    at,
                    actor,
                    Entry::new("family.merge", "family", family_code(drop))
                        .before(&serde_json::json!({ "active": true }))
                        .after(&serde_json::json!({
                            "active": false, "merged_into": family_code(keep), "note": note,
                        })),
                )?;
            }
            App::log(
                tx,
                at,
                actor,
                Entry::new("duplicate.resolve", "duplicate_pair", pair_id)
                    .before(&serde_json::json!({ "status": "open" }))
                    .after(&serde_json::json!({
                        "status": new_status, "keep": keep.map(family_code), "note": note,
                        "families": [family_code(a), family_code(b)],
                    })),
            )?;
            fdb::bump_rev(tx)
        })?;
        if let Some(ix) = self.search.as_mut() {
            ix.rev = rev; // names did not change
        }
        Ok(())
    }

    // ----- import / export -----------------------------------------------------------------

    /// Reads a sheet and says, row by row, what an import would do. Changes nothing.
    pub fn import_preview(
        &mut self,
        file_name: &str,
        bytes: &[u8],
        mapping: Option<&[Option<ImportField>]>,
        category: Category,
        lang: Lang,
    ) -> Result<ImportPreview> {
        self.guard(REGISTRARS)?;
        let (preview, _) = import::plan(
            &self.conn,
            self.today()?,
            self.sees_nik_in_lists(),
            file_name,
            bytes,
            mapping,
            category,
            lang,
        )?;
        Ok(preview)
    }

    /// Imports the valid rows of a sheet in one transaction (all of them or, if anything fails
    /// while writing, none), as draft families; remembers the column mapping for next time.
    pub fn import_commit(
        &mut self,
        file_name: &str,
        bytes: &[u8],
        mapping: Option<&[Option<ImportField>]>,
        category: Category,
    ) -> Result<ImportResult> {
        self.guard(REGISTRARS)?;
        // The sheet is named by its file's name, not the folders it came from.
        let file_name: String = std::path::Path::new(file_name)
            .file_name()
            .map(|n| n.to_string_lossy().chars().take(255).collect())
            .unwrap_or_default();
        let file_name = file_name.as_str();
        let today = self.today()?;
        let show_full = self.sees_nik_in_lists();
        let sink = self.progress.clone();
        // Planned and written in the same transaction, so the registry cannot change between.
        let r = self.tx(|tx, at, actor| {
            let (preview, valid) = import::plan(
                tx,
                today,
                show_full,
                file_name,
                bytes,
                mapping,
                category,
                Lang::Id,
            )?;
            if preview.mapping_problem.is_some() {
                return Err(import::unmapped());
            }
            if valid.is_empty() {
                return Err(Error::invalid(
                    "file",
                    "Tidak ada baris yang dapat diimpor; perbaiki kesalahan di pratinjau dulu.",
                    "There are no rows that can be imported; fix the errors in the preview first.",
                ));
            }
            let source = format!(
                "import:{}",
                std::path::Path::new(file_name)
                    .file_name()
                    .map(|n| n.to_string_lossy().chars().take(255).collect::<String>())
                    .unwrap_or_default()
            );
            let mut ids = Vec::new();
            let mut pairs = 0;
            let progress = Reporter::new(sink, Work::ImportRows, valid.len() as u64);
            progress.step(0);
            for (_, v, warnings) in &valid {
                // Registry warnings against rows written just above (same KK, similar person).
                let (_, w) = fdb::registry_problems(tx, v, None)?;
                let id = fdb::insert(tx, v, at, actor, &source)?;
                let mut all = warnings.clone();
                all.extend(w);
                fdb::record_pairs(tx, id, &all, at)?;
                pairs += count_pairs(&all);
                App::log(
                    tx,
                    at,
                    actor,
                    Entry::new("family.create", "family", family_code(id)).after(v),
                )?;
                ids.push(id);
                progress.step(ids.len() as u64);
            }
            fdb::remember_mapping(
                tx,
                &import::header_key(&preview.headers),
                &serde_json::to_string(&preview.mapping).map_err(Error::internal)?,
                at,
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("family.import", "import", file_name).after(&serde_json::json!({
                    "file": file_name, "imported": ids.len(), "skipped_errors": preview.errors,
                    "skipped_empty": preview.empty, "first": ids.first().map(|i| family_code(*i)),
                    "last": ids.last().map(|i| family_code(*i)),
                })),
            )?;
            fdb::bump_rev(tx)?;
            Ok(ImportResult {
                imported: ids.len() as u32,
                skipped_errors: preview.errors,
                skipped_empty: preview.empty,
                pairs_recorded: pairs,
                first_code: ids.first().map(|i| family_code(*i)),
                last_code: ids.last().map(|i| family_code(*i)),
            })
        })?;
        self.search = None;
        Ok(r)
    }

    /// The registry as XLSX bytes; NIKs in full only for the Verifikator. Logged.
    pub fn export_xlsx(&mut self) -> Result<(Vec<u8>, usize)> {
        self.guard(REGISTRY_READERS)?;
        let full = self.sees_nik_in_lists();
        let (bytes, n) = crate::family::export::workbook(&self.conn, full, Regions::shipped())?;
        self.tx(|tx, at, actor| {
            App::log(
                tx,
                at,
                actor,
                Entry::new("family.export", "registry", "xlsx")
                    .after(&serde_json::json!({ "families": n, "nik_full": full })),
            )?;
            Ok(())
        })?;
        Ok((bytes, n))
    }

    /// Writes the export to `path`.
    pub fn export_to(&mut self, path: &std::path::Path) -> Result<usize> {
        let (bytes, n) = self.export_xlsx()?;
        crate::files::write_atomic(path, &bytes)?;
        Ok(n)
    }
}

fn count_pairs(w: &[Problem]) -> u32 {
    w.iter().filter(|p| p.family_id.is_some()).count() as u32
}

/// The stored record as audit JSON (before / after an edit).
fn record_json(s: &fdb::Stored) -> serde_json::Value {
    serde_json::json!({
        "category": s.category, "kk": s.kk, "address": s.address, "rt": s.rt, "rw": s.rw,
        "region_code": s.region_code, "phone": s.phone, "wbp_name": s.wbp_name,
        "wbp_reg_no": s.wbp_reg_no, "wbp_status": s.wbp_status, "wbp_relation": s.wbp_relation,
        "reasons": serde_json::from_str::<serde_json::Value>(&s.reasons).unwrap_or_default(),
        "reason_note": s.reason_note, "dtks_decile": s.dtks_decile, "consent_date": s.consent_date,
        "verification": s.verification,
        "members": s.members,
    })
}

//! Use cases of the beneficiary registry (SPEC §2 item 3).
//!
//! Who may do what: Petugas and Verifikator register and edit families and import sheets; only a
//! Verifikator verifies and settles duplicates; everyone signed in may read the list. NIKs are
//! masked in lists except for the Verifikator, and in a family's full record except for the
//! Petugas and Verifikator; every opening of a full record is written to the audit log.

use super::{json, App, ANYONE};
use crate::audit;
use crate::error::{Error, ErrorKind, Result};
use crate::family::db as fdb;
use crate::family::import::{self, ImportField, Sheet};
use crate::family::model::{
    self, field_errors, first_error, mask_nik, Category, FamilyCheck, FamilyInput, Problem,
    ValidFamily, Verification,
};
use crate::family::search::{EntryKind, Index};
use crate::family::view::{
    family_code, AttachmentInfo, DuplicatePair, DuplicateStatus, FamilyDetail, FamilyFilter,
    FamilyPage, Member, Resolution,
};
use crate::locale::{Lang, TimeZone};
use crate::region::{Region, Regions};
use crate::staff::Role;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use ts_rs::TS;

const REGISTRARS: &[Role] = &[Role::Petugas, Role::Verifikator];
const VERIFIERS: &[Role] = &[Role::Verifikator];

/// Largest scan or photo kept with a family.
pub const MAX_ATTACHMENT_BYTES: usize = 8 * 1024 * 1024;
/// Largest sheet accepted for import.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

/// What a save did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Saved {
    pub id: i64,
    pub code: String,
    /// Duplicate pairs recorded for the verifikator's review.
    pub pairs_recorded: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RowStatus {
    Ok,
    Error,
    Empty,
}

/// One row of an import preview: fine, wrong (one clear reason), or empty and skipped.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    pub line: u32,
    pub status: RowStatus,
    pub name: String,
    /// Masked unless the role sees NIKs in lists.
    pub nik: String,
    /// The column header the problem is in.
    pub column: Option<String>,
    pub message: Option<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub file_name: String,
    /// How the file was read: "XLSX", "UTF-8", "UTF-16LE", "windows-1252".
    pub encoding: String,
    pub headers: Vec<String>,
    pub mapping: Vec<Option<ImportField>>,
    /// The mapping came from an earlier import of a sheet with the same headers.
    pub mapping_remembered: bool,
    /// Why the rows could not be checked yet (no NIK or NAMA column mapped); `rows` is then empty.
    pub mapping_problem: Option<String>,
    pub rows: Vec<PreviewRow>,
    pub ok: u32,
    pub errors: u32,
    pub empty: u32,
    pub warnings: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportResult {
    pub imported: u32,
    pub skipped_errors: u32,
    pub skipped_empty: u32,
    pub pairs_recorded: u32,
    pub first_code: Option<String>,
    pub last_code: Option<String>,
}

fn problems_to_notices(p: &[Problem], lang: Lang) -> Vec<model::Notice> {
    p.iter().map(|w| w.notice(lang)).collect()
}

fn today_in(conn: &Connection, now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    let tz: Option<String> = conn
        .query_row("SELECT time_zone FROM facility WHERE id = 1", [], |r| {
            r.get(0)
        })
        .ok();
    tz.as_deref()
        .and_then(TimeZone::parse)
        .unwrap_or_default()
        .today(now)
}

impl App {
    fn today(&self) -> NaiveDate {
        today_in(&self.conn, self.clock.now())
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
        let (v, mut errors, mut warnings) =
            model::validate(input, self.today(), Regions::shipped(), strict);
        if let Some(v) = &v {
            let (e, w) = fdb::registry_problems(&self.conn, v, except)?;
            errors.extend(e);
            warnings.extend(w);
        }
        let v = if errors.is_empty() { v } else { None };
        Ok((v, errors, warnings))
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
        let (v, errors, warnings) = self.validate_full(input, None, true)?;
        let Some(v) = v else {
            return Err(first_error(errors));
        };
        let (id, rev, pairs) = self.tx(|tx, at, actor| {
            // Checked again inside the transaction: another window may have saved meanwhile.
            let (errors, _) = fdb::registry_problems(tx, &v, None)?;
            if !errors.is_empty() {
                return Err(first_error(errors));
            }
            let id = fdb::insert(tx, &v, at, actor, "form")?;
            fdb::record_pairs(tx, id, &warnings, at)?;
            audit::db::append(
                tx,
                at,
                actor,
                "family.create",
                "family",
                &family_code(id),
                None,
                json(&v).as_deref(),
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
        let old = fdb::load(&self.conn, id)?;
        if old.merged_into.is_some() {
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
        let (v, errors, warnings) = self.validate_full(input, Some(id), true)?;
        let Some(v) = v else {
            return Err(first_error(errors));
        };
        let digits: String = input.kk.chars().filter(|c| c.is_ascii_digit()).collect();
        if old.kk.is_some()
            && old.kk != v.kk
            && input.kk_change_reason.is_none()
            && !digits.is_empty()
        {
            return Err(Error::invalid(
                "kk_change_reason",
                "No. KK berubah: pilih alasannya (pindah, kematian, pisah KK, perubahan data, lainnya).",
                "The family card number changed: choose why (move, death, split, data correction, other).",
            ));
        }
        let back_to_draft =
            self.me.role == Role::Petugas && old.verification == Verification::Verified;
        let rev = self.tx(|tx, at, actor| {
            let (errors, _) = fdb::registry_problems(tx, &v, Some(id))?;
            if !errors.is_empty() {
                return Err(first_error(errors));
            }
            let before = fdb::load(tx, id)?;
            fdb::update(tx, id, &v, &old.kk, at, actor)?;
            if back_to_draft {
                tx.execute(
                    "UPDATE family SET verification = 'draft', verified_by = NULL, verified_at = NULL WHERE id = ?1",
                    [id],
                )?;
            }
            fdb::record_pairs(tx, id, &warnings, at)?;
            let after = fdb::load(tx, id)?;
            audit::db::append(
                tx,
                at,
                actor,
                "family.update",
                "family",
                &family_code(id),
                json(&record_json(&before)).as_deref(),
                json(&record_json(&after)).as_deref(),
            )?;
            fdb::bump_rev(tx)
        })?;
        self.index_refresh(id, rev)?;
        Ok(Saved {
            id,
            code: family_code(id),
            pairs_recorded: count_pairs(&warnings),
        })
    }

    /// A family's full record. Opening it is logged (who viewed whose record).
    pub fn family_get(&mut self, id: i64) -> Result<FamilyDetail> {
        self.guard(ANYONE)?;
        let full = self.sees_nik_in_record();
        let s = fdb::load(&self.conn, id)?;
        self.tx(|tx, at, actor| {
            audit::db::append(
                tx,
                at,
                actor,
                "family.view",
                "family",
                &family_code(id),
                None,
                Some(&format!("{{\"nik_full\":{full}}}")),
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
            attachments: fdb::attachments(&self.conn, "family", id)?,
            history: audit::db::list_for(&self.conn, "family", &family_code(id), 200)?,
            nik_full: full,
            open_duplicates: fdb::open_pairs_of(&self.conn, id)?,
        })
    }

    /// The family list: filtered, or searched by name (typo-tolerant), NIK, No. KK or WBP
    /// registration number, best match first.
    pub fn family_list(&mut self, f: &FamilyFilter, limit: u32, offset: u32) -> Result<FamilyPage> {
        self.guard(ANYONE)?;
        let limit = limit.clamp(1, 500);
        let regions = Regions::shipped();
        let q = f.query.trim();
        let (mut rows, total) = if q.is_empty() {
            fdb::rows(&self.conn, f, None, limit, offset, regions)?
        } else {
            let mut found: Vec<(i64, Option<String>)> = Vec::new();
            let digits: String = q.chars().filter(|c| !c.is_whitespace()).collect();
            if digits.len() >= 4 && digits.chars().all(|c| c.is_ascii_digit()) {
                found = fdb::by_number_prefix(&self.conn, &digits, limit * 2)?;
            }
            if let Some(id) = crate::family::view::parse_family_code(q)
                .filter(|_| q.to_ascii_uppercase().starts_with("KLG"))
            {
                found.insert(0, (id, None));
            }
            for id in fdb::by_reg_prefix(&self.conn, &fdb::reg_key(q), limit)? {
                if q.chars().any(|c| c.is_ascii_digit()) && !found.iter().any(|(f, _)| *f == id) {
                    found.push((id, Some("No. registrasi WBP".into())));
                }
            }
            if q.chars().any(char::is_alphabetic) {
                self.ensure_index()?;
                if let Some(ix) = &self.search {
                    for h in ix.search(q, (limit * 2) as usize) {
                        if found.iter().any(|(f, _)| *f == h.family_id) {
                            continue;
                        }
                        let note = match h.kind {
                            EntryKind::Head => None,
                            EntryKind::Member => Some(format!("Anggota: {}", h.name)),
                            EntryKind::Wbp => Some(format!("WBP: {}", h.name)),
                        };
                        found.push((h.family_id, note));
                    }
                }
            }
            let ids: Vec<i64> = found.iter().map(|(i, _)| *i).collect();
            let (mut rows, total) = fdb::rows(&self.conn, f, Some(&ids), limit, 0, regions)?;
            for r in &mut rows {
                r.matched = found
                    .iter()
                    .find(|(i, _)| *i == r.id)
                    .and_then(|(_, n)| n.clone());
            }
            rows.truncate(limit as usize);
            (rows, total)
        };
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

    /// Builds the name-search index ahead of the first search (the window does this right after
    /// sign-in, so the first keystroke does not wait). Not a user action: the idle clock is untouched.
    pub fn warm_search_index(&mut self) -> Result<()> {
        self.ensure_index()
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
        let s = fdb::load(&self.conn, id)?;
        let note = evidence_note.trim();
        let missing = |id_: &str, en: &str, field: &str| {
            Err(Error::invalid(
                field,
                format!("Belum dapat diverifikasi: {id_}"),
                format!("Cannot be verified yet: {en}"),
            ))
        };
        if !s.active {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Keluarga nonaktif tidak dapat diverifikasi.",
                "An inactive family cannot be verified.",
            ));
        }
        if s.verification == Verification::Verified {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Keluarga ini sudah terverifikasi.",
                "This family is already verified.",
            ));
        }
        if note.is_empty() {
            return missing(
                "tulis bukti yang diperiksa (mis. KTP, KK, surat keterangan tidak mampu).",
                "write what evidence was checked (e.g. ID card, family card, certificate of need).",
                "evidence_note",
            )?;
        }
        if s.kk.is_none() {
            return missing(
                "No. KK belum diisi.",
                "the family card number is missing.",
                "kk",
            )?;
        }
        if s.consent_date.is_none() {
            return missing(
                "persetujuan keluarga belum dicatat.",
                "the family's consent is not recorded.",
                "consent_date",
            )?;
        }
        if s.reasons == "[]" {
            return missing(
                "pilih paling sedikit satu alasan kurang mampu.",
                "choose at least one reason the family is poor.",
                "reasons",
            )?;
        }
        if s.members
            .first()
            .is_none_or(|h| h.nik_temporary || h.nik.is_none())
        {
            return missing(
                "NIK kepala keluarga masih sementara.",
                "the head's NIK is still temporary.",
                "member.0.nik",
            )?;
        }
        if s.category == Category::KeluargaWbp && s.wbp_name.is_empty() {
            return missing(
                "nama WBP belum diisi.",
                "the inmate's name is missing.",
                "wbp_name",
            )?;
        }
        let note = note.to_owned();
        self.tx(|tx, at, actor| {
            tx.execute(
                "UPDATE family SET verification = 'verified', verified_by = ?2, verified_at = ?3,
                        evidence_note = ?4, updated_at = ?3 WHERE id = ?1",
                params![id, actor, at, note],
            )?;
            audit::db::append(
                tx,
                at,
                actor,
                "family.verify",
                "family",
                &family_code(id),
                Some("{\"verification\":\"draft\"}"),
                json(&serde_json::json!({"verification": "verified", "evidence_note": note}))
                    .as_deref(),
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
        let s = fdb::load(&self.conn, id)?;
        let reason = reason.trim().to_owned();
        if !active && reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "Tulis alasan penonaktifan (mis. pindah domisili, sudah mampu, meninggal).",
                "Write why the family is deactivated (e.g. moved away, no longer poor, died).",
            ));
        }
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
        self.tx(|tx, at, actor| {
            tx.execute(
                "UPDATE family SET active = ?2, inactive_reason = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, active, if active { String::new() } else { reason.clone() }, at],
            )?;
            audit::db::append(tx, at, actor, if active { "family.activate" } else { "family.deactivate" }, "family", &family_code(id),
                json(&serde_json::json!({"active": s.active, "inactive_reason": s.inactive_reason})).as_deref(),
                json(&serde_json::json!({"active": active, "inactive_reason": reason})).as_deref())?;
            Ok(())
        })?;
        self.family_get(id)
    }

    /// Keeps a scan (KTP, KK, SKTM, a photo) with a family: PDF, PNG or JPEG, up to 8 MB.
    pub fn family_attach(
        &mut self,
        id: i64,
        file_name: &str,
        bytes: &[u8],
        note: &str,
    ) -> Result<AttachmentInfo> {
        self.guard(REGISTRARS)?;
        fdb::load(&self.conn, id)?;
        self.attach_file("family", id, &family_code(id), file_name, bytes, note)
    }

    /// Keeps a file (PDF, PNG or JPEG, up to 8 MB) with a family, hand-over or event, audited
    /// under `entity_id`. The caller has checked the role and that the owner exists.
    pub(super) fn attach_file(
        &mut self,
        kind: &str,
        id: i64,
        entity_id: &str,
        file_name: &str,
        bytes: &[u8],
        note: &str,
    ) -> Result<AttachmentInfo> {
        let mime = if bytes.starts_with(b"%PDF-") {
            "application/pdf"
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            "image/jpeg"
        } else {
            return Err(Error::invalid(
                "file",
                format!("{file_name} bukan PDF, PNG atau JPEG."),
                format!("{file_name} is not a PDF, PNG or JPEG."),
            ));
        };
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(Error::invalid(
                "file",
                format!(
                    "{file_name} terlalu besar ({} MB; paling besar 8 MB).",
                    bytes.len() / 1_048_576
                ),
                format!(
                    "{file_name} is too large ({} MB; at most 8 MB).",
                    bytes.len() / 1_048_576
                ),
            ));
        }
        let name: String = std::path::Path::new(file_name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scan".into());
        let sha = hex::encode(sha2::Sha256::digest(bytes));
        let note = note.trim().to_owned();
        let aid = self.tx(|tx, at, actor| {
            tx.execute(
                "INSERT INTO attachment (owner_kind, owner_id, file_name, mime, size_bytes, sha256, note, data, added_at, added_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![kind, id, name, mime, bytes.len() as i64, sha, note, bytes, at, actor],
            )?;
            let aid = tx.last_insert_rowid();
            audit::db::append(tx, at, actor, &format!("{kind}.attach"), kind, entity_id, None,
                json(&serde_json::json!({"attachment": aid, "file_name": name, "sha256": sha, "note": note})).as_deref())?;
            Ok(aid)
        })?;
        fdb::attachments(&self.conn, kind, id)?
            .into_iter()
            .find(|a| a.id == aid)
            .ok_or_else(|| Error::internal("attachment not found after insert"))
    }

    /// An attachment's bytes (opening one is logged like opening the record).
    pub fn attachment(&mut self, id: i64) -> Result<(AttachmentInfo, Vec<u8>)> {
        self.guard(ANYONE)?;
        let row: Option<(String, i64, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT owner_kind, owner_id, data FROM attachment WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .ok();
        let Some((kind, owner, data)) = row else {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("Lampiran #{id} tidak ada."),
                format!("There is no attachment #{id}."),
            ));
        };
        let info = fdb::attachments(&self.conn, &kind, owner)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| Error::internal("attachment vanished"))?;
        let entity = match kind.as_str() {
            "family" => family_code(owner),
            "handover" => self
                .conn
                .query_row("SELECT bast_no FROM handover WHERE id = ?1", [owner], |r| {
                    r.get(0)
                })
                .unwrap_or_else(|_| owner.to_string()),
            _ => owner.to_string(),
        };
        self.tx(|tx, at, actor| {
            audit::db::append(
                tx,
                at,
                actor,
                &format!("{kind}.view_attachment"),
                &kind,
                &entity,
                None,
                Some(&format!("{{\"attachment\":{id}}}")),
            )?;
            Ok(())
        })?;
        Ok((info, data))
    }

    /// Duplicate pairs (open ones first). NIKs as in lists.
    pub fn duplicates(&mut self, status: Option<DuplicateStatus>) -> Result<Vec<DuplicatePair>> {
        self.guard(ANYONE)?;
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
        let pair: Option<(i64, i64, String)> = self
            .conn
            .query_row(
                "SELECT family_a, family_b, status FROM duplicate_pair WHERE id = ?1",
                [pair_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .ok();
        let Some((a, b, status)) = pair else {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("Pasangan duplikat #{pair_id} tidak ada."),
                format!("There is no duplicate pair #{pair_id}."),
            ));
        };
        if status != "open" {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Pasangan ini sudah diselesaikan.",
                "This pair was already resolved.",
            ));
        }
        let (new_status, keep, note) = match r {
            Resolution::Distinct { note } => ("distinct", None, note.trim().to_owned()),
            Resolution::Merge { keep, note } => {
                if *keep != a && *keep != b {
                    return Err(Error::invalid(
                        "keep",
                        "Pilih salah satu dari dua keluarga pasangan ini untuk dipertahankan.",
                        "Choose one of the pair's two families to keep.",
                    ));
                }
                ("merged", Some(*keep), note.trim().to_owned())
            }
        };
        if note.is_empty() {
            return Err(Error::invalid(
                "note",
                "Tulis catatan alasan keputusan ini.",
                "Write a note on why.",
            ));
        }
        let rev = self.tx(|tx, at, actor| {
            tx.execute(
                "UPDATE duplicate_pair SET status = ?2, resolved_by = ?3, resolved_at = ?4, note = ?5 WHERE id = ?1",
                params![pair_id, new_status, actor, at, note],
            )?;
            if let Some(keep) = keep {
                let drop = if keep == a { b } else { a };
                tx.execute(
                    "UPDATE family SET active = 0, merged_into = ?2, inactive_reason = ?3, updated_at = ?4 WHERE id = ?1",
                    params![drop, keep, format!("Digabung ke {}: {note}", family_code(keep)), at],
                )?;
                // Other open pairs of the retired record are settled by the merge too.
                tx.execute(
                    "UPDATE duplicate_pair SET status = 'merged', resolved_by = ?2, resolved_at = ?3,
                            note = 'Ikut diselesaikan oleh penggabungan pasangan #' || ?4
                     WHERE status = 'open' AND family_a = ?1 AND family_b = ?5 OR
                           status = 'open' AND family_b = ?1 AND family_a = ?5",
                    params![drop, actor, at, pair_id, keep],
                )?;
                audit::db::append(tx, at, actor, "family.merge", "family", &family_code(drop),
                    Some("{\"active\":true}"),
                    json(&serde_json::json!({"active": false, "merged_into": family_code(keep), "note": note})).as_deref())?;
            }
            audit::db::append(tx, at, actor, "duplicate.resolve", "duplicate_pair", &pair_id.to_string(),
                Some("{\"status\":\"open\"}"),
                json(&serde_json::json!({"status": new_status, "keep": keep.map(family_code), "note": note, "families": [family_code(a), family_code(b)]})).as_deref())?;
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
        let (preview, _) = plan_import(
            &self.conn,
            self.clock.now(),
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
        let now = self.clock.now();
        let at = super::stamp(now);
        let actor = self.me.username.clone();
        let show_full = self.sees_nik_in_lists();
        // Planned and written in the same transaction, so the registry cannot change between.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let result = (|| -> Result<ImportResult> {
            let (preview, valid) = plan_import(
                &tx,
                now,
                show_full,
                file_name,
                bytes,
                mapping,
                category,
                Lang::Id,
            )?;
            if preview.mapping_problem.is_some() {
                return Err(unmapped());
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
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            );
            let mut ids = Vec::new();
            let mut pairs = 0;
            for (_, v, warnings) in &valid {
                // Registry warnings against rows written just above (same KK, similar person).
                let (_, w) = fdb::registry_problems(&tx, v, None)?;
                let id = fdb::insert(&tx, v, &at, &actor, &source)?;
                let mut all = warnings.clone();
                all.extend(w);
                fdb::record_pairs(&tx, id, &all, &at)?;
                pairs += count_pairs(&all);
                audit::db::append(
                    &tx,
                    &at,
                    &actor,
                    "family.create",
                    "family",
                    &family_code(id),
                    None,
                    json(v).as_deref(),
                )?;
                ids.push(id);
            }
            tx.execute(
                "INSERT INTO import_mapping (header_key, mapping, used_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (header_key) DO UPDATE SET mapping = excluded.mapping, used_at = excluded.used_at",
                params![import::header_key(&preview.headers), serde_json::to_string(&preview.mapping).unwrap_or_default(), at],
            )?;
            let summary = serde_json::json!({
                "file": file_name, "imported": ids.len(), "skipped_errors": preview.errors,
                "skipped_empty": preview.empty, "first": ids.first().map(|i| family_code(*i)),
                "last": ids.last().map(|i| family_code(*i)),
            });
            audit::db::append(
                &tx,
                &at,
                &actor,
                "family.import",
                "import",
                file_name,
                None,
                json(&summary).as_deref(),
            )?;
            fdb::bump_rev(&tx)?;
            Ok(ImportResult {
                imported: ids.len() as u32,
                skipped_errors: preview.errors,
                skipped_empty: preview.empty,
                pairs_recorded: pairs,
                first_code: ids.first().map(|i| family_code(*i)),
                last_code: ids.last().map(|i| family_code(*i)),
            })
        })();
        match result {
            Ok(r) => {
                tx.commit()?;
                self.search = None;
                Ok(r)
            }
            Err(e) => {
                let _ = tx.rollback();
                Err(e)
            }
        }
    }

    /// The registry as XLSX bytes; NIKs in full only for the Verifikator. Logged.
    pub fn export_xlsx(&mut self) -> Result<(Vec<u8>, usize)> {
        self.guard(&[Role::Petugas, Role::Verifikator, Role::KepalaUpt])?;
        let full = self.sees_nik_in_lists();
        let (bytes, n) = crate::family::export::workbook(&self.conn, full, Regions::shipped())?;
        self.tx(|tx, at, actor| {
            audit::db::append(
                tx,
                at,
                actor,
                "family.export",
                "registry",
                "xlsx",
                None,
                json(&serde_json::json!({"families": n, "nik_full": full})).as_deref(),
            )?;
            Ok(())
        })?;
        Ok((bytes, n))
    }

    /// Writes the export to `path`.
    pub fn export_to(&mut self, path: &std::path::Path) -> Result<usize> {
        let (bytes, n) = self.export_xlsx()?;
        crate::keyring::write_atomic(path, &bytes)?;
        Ok(n)
    }
}

fn mapping_for(
    conn: &Connection,
    sheet: &Sheet,
    given: Option<&[Option<ImportField>]>,
) -> Result<(Vec<Option<ImportField>>, bool)> {
    if let Some(m) = given {
        if m.len() != sheet.headers.len() {
            return Err(Error::invalid(
                "mapping",
                "Pemetaan kolom tidak sesuai dengan jumlah kolom berkas.",
                "The column mapping does not match the file's columns.",
            ));
        }
        let mut seen = Vec::new();
        for f in m.iter().flatten() {
            if seen.contains(f) {
                return Err(Error::invalid(
                    "mapping",
                    format!("Kolom '{}' dipetakan dua kali.", f.label_id()),
                    format!("'{}' is mapped to two columns.", f.label_id()),
                ));
            }
            seen.push(*f);
        }
        return Ok((m.to_vec(), false));
    }
    let key = import::header_key(&sheet.headers);
    let remembered: Option<String> = conn
        .query_row(
            "SELECT mapping FROM import_mapping WHERE header_key = ?1",
            [&key],
            |r| r.get(0),
        )
        .ok();
    if let Some(m) =
        remembered.and_then(|s| serde_json::from_str::<Vec<Option<ImportField>>>(&s).ok())
    {
        if m.len() == sheet.headers.len() {
            return Ok((m, true));
        }
    }
    Ok((import::guess_mapping(&sheet.headers), false))
}

/// Validates every row against the rules and against the registry as `conn` sees it, and
/// against the rows above it in the same sheet.
#[allow(clippy::type_complexity)]
fn plan_import(
    conn: &Connection,
    now: chrono::DateTime<chrono::Utc>,
    show_full: bool,
    file_name: &str,
    bytes: &[u8],
    mapping: Option<&[Option<ImportField>]>,
    category: Category,
    lang: Lang,
) -> Result<(ImportPreview, Vec<(u32, ValidFamily, Vec<Problem>)>)> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(Error::invalid(
            "file",
            "Berkas lebih dari 20 MB; bagi menjadi beberapa berkas.",
            "The file is over 20 MB; split it into several files.",
        ));
    }
    let sheet = import::read(file_name, bytes)?;
    let (mapping, remembered) = mapping_for(conn, &sheet, mapping)?;
    if !mapping.contains(&Some(ImportField::Nama)) || !mapping.contains(&Some(ImportField::Nik)) {
        // Not an error yet: the person sees the headers and maps the columns.
        let e = unmapped();
        return Ok((
            ImportPreview {
                file_name: file_name.to_owned(),
                encoding: sheet.encoding,
                headers: sheet.headers,
                mapping,
                mapping_remembered: remembered,
                mapping_problem: Some(e.message(lang).to_owned()),
                rows: Vec::new(),
                ok: 0,
                errors: 0,
                empty: 0,
                warnings: 0,
            },
            Vec::new(),
        ));
    }
    let today = today_in(conn, now);
    let regions = Regions::shipped();
    let header_of = |field: &str| -> Option<String> {
        mapping
            .iter()
            .position(|m| m.is_some_and(|f| f.form_field() == field))
            .map(|i| sheet.headers[i].clone())
    };
    let mut rows = Vec::new();
    let mut valid = Vec::new();
    let mut seen_nik: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut seen_kk: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let (mut ok, mut bad, mut empty, mut warned) = (0, 0, 0, 0);
    for r in &sheet.rows {
        if import::row_is_empty(&mapping, r) {
            empty += 1;
            rows.push(PreviewRow {
                line: r.line,
                status: RowStatus::Empty,
                name: String::new(),
                nik: String::new(),
                column: None,
                message: None,
                warnings: Vec::new(),
            });
            continue;
        }
        let mut row = PreviewRow {
            line: r.line,
            status: RowStatus::Error,
            name: String::new(),
            nik: String::new(),
            column: None,
            message: None,
            warnings: Vec::new(),
        };
        let input = match import::row_to_input(&mapping, r, category) {
            Ok(i) => i,
            Err(p) => {
                row.column = header_of(p.field.form_field());
                row.message = Some(if lang == Lang::Id { p.id } else { p.en });
                bad += 1;
                rows.push(row);
                continue;
            }
        };
        let head = &input.members[0];
        row.name = model::tidy(&head.name);
        row.nik = if show_full {
            head.nik.clone()
        } else {
            mask_nik(head.nik.trim())
        };
        let (v, mut errors, warnings) = model::validate(&input, today, regions, false);
        if let Some(v) = &v {
            let nik = v.members[0].nik.clone().unwrap_or_default();
            if let Some(first) = seen_nik.get(&nik) {
                errors.push(Error::invalid(
                    "member.0.nik",
                    format!("NIK ini sama dengan baris {first} di berkas ini."),
                    format!("This NIK is the same as row {first} of this file."),
                ));
            } else {
                let (e, w) = fdb::registry_problems(conn, v, None)?;
                errors.extend(e);
                row.warnings
                    .extend(w.iter().map(|p| p.notice(lang).message));
            }
            if let Some(kk) = &v.kk {
                if let Some(first) = seen_kk.get(kk) {
                    row.warnings.push(if lang == Lang::Id {
                        format!("No. KK sama dengan baris {first} di berkas ini.")
                    } else {
                        format!("Same family card number as row {first} of this file.")
                    });
                }
            }
        }
        row.warnings.extend(
            warnings
                .iter()
                .filter(|w| w.kind != model::NoticeKind::NikTemporary)
                .map(|p| p.notice(lang).message),
        );
        if let Some(e) = errors.first() {
            row.column = e.field.as_deref().and_then(header_of);
            row.message = Some(e.message(lang).to_owned());
            bad += 1;
        } else if let Some(v) = v {
            let nik = v.members[0].nik.clone().unwrap_or_default();
            seen_nik.insert(nik, r.line);
            if let Some(kk) = &v.kk {
                seen_kk.entry(kk.clone()).or_insert(r.line);
            }
            row.status = RowStatus::Ok;
            ok += 1;
            if !row.warnings.is_empty() {
                warned += 1;
            }
            valid.push((r.line, v, warnings));
        }
        rows.push(row);
    }
    Ok((
        ImportPreview {
            file_name: file_name.to_owned(),
            encoding: sheet.encoding,
            headers: sheet.headers,
            mapping,
            mapping_remembered: remembered,
            mapping_problem: None,
            rows,
            ok,
            errors: bad,
            empty,
            warnings: warned,
        },
        valid,
    ))
}

impl App {
    /// Benchmark data only (`bansos bench`, on its own throw-away database): inserts generated
    /// families in one transaction, without audit entries. `gen(i, add)` calls
    /// `add(kk, village, [(name, nik)…])` for family `i`; the first person is the head.
    #[doc(hidden)]
    #[allow(clippy::type_complexity)]
    pub(crate) fn seed_families(
        &mut self,
        n: usize,
        mut gen: impl FnMut(usize, &mut dyn FnMut(String, String, Vec<(String, String)>)),
    ) -> Result<()> {
        use crate::family::model::{name_key, PoorReason, Relationship, ValidMember, WbpStatus};
        let today = self.today();
        self.tx(|tx, at, actor| {
            for i in 0..n {
                let mut result: Result<()> = Ok(());
                gen(i, &mut |kk, village, people| {
                    let members = people
                        .into_iter()
                        .enumerate()
                        .map(|(k, (name, nik))| {
                            let info = crate::family::nik::check_nik(
                                &nik,
                                None,
                                None,
                                today,
                                Regions::shipped(),
                            )
                            .ok();
                            ValidMember {
                                id: None,
                                name_key: name_key(&name),
                                name,
                                nik: Some(nik),
                                nik_temporary: false,
                                sex: info.as_ref().map(|i| i.sex),
                                birth_date: info.and_then(|i| model::parse_date(&i.birth_date)),
                                relationship: if k == 0 {
                                    Relationship::KepalaKeluarga
                                } else {
                                    Relationship::Anak
                                },
                            }
                        })
                        .collect();
                    let v = ValidFamily {
                        category: if i % 3 == 0 {
                            Category::MasyarakatSekitar
                        } else {
                            Category::KeluargaWbp
                        },
                        kk: Some(kk),
                        kk_change_reason: None,
                        address: "Dukuh Krajan".into(),
                        rt: "001".into(),
                        rw: "002".into(),
                        region_code: Some(village),
                        phone: String::new(),
                        wbp_name: if i % 3 == 0 {
                            String::new()
                        } else {
                            "Slamet".into()
                        },
                        wbp_reg_no: if i % 3 == 0 {
                            String::new()
                        } else {
                            format!("BI.{i}/2024")
                        },
                        wbp_status: (i % 3 != 0).then_some(WbpStatus::Ditahan),
                        wbp_relation: String::new(),
                        reasons: vec![PoorReason::PenghasilanTidakTetap],
                        reason_note: String::new(),
                        dtks_decile: None,
                        consent_date: None,
                        members,
                    };
                    result = fdb::insert(tx, &v, at, actor, "bench").map(|_| ());
                });
                result?;
            }
            fdb::bump_rev(tx)?;
            Ok(())
        })
    }

    /// Benchmark data only: marks the first `n` families verified with consent.
    #[doc(hidden)]
    pub(crate) fn bench_verify_families(&mut self, n: usize) -> Result<()> {
        self.tx(|tx, at, actor| {
            tx.execute(
                "UPDATE family SET verification = 'verified', verified_by = ?2, verified_at = ?3, consent_date = '2024-01-01', evidence_note = 'bench' WHERE id <= ?1",
                params![n as i64, actor, at],
            )?;
            Ok(())
        })
    }

    #[doc(hidden)]
    pub(crate) fn count_persons(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM person", [], |r| r.get(0))?)
    }
}

fn unmapped() -> Error {
    Error::invalid(
        "mapping",
        "Tentukan kolom NIK dan kolom NAMA (paling sedikit dua kolom itu).",
        "Choose the NIK column and the NAMA column (at least those two).",
    )
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

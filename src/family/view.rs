//! What the registry shows: list rows, the full record, duplicate pairs. NIKs in these types
//! are already masked or not, as the reader's role allows (see `App`).

use super::model::{
    Category, FamilyInput, KkChangeReason, MemberInput, PoorReason, Relationship, Verification,
    WbpStatus,
};
use super::nik::Sex;
use crate::audit::AuditEntry;
use crate::region::RegionPath;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The family number people say and write: KLG-000123.
pub fn family_code(id: i64) -> String {
    format!("KLG-{id:06}")
}

/// Parses "KLG-000123", "klg123" or "123".
pub fn parse_family_code(s: &str) -> Option<i64> {
    let t = s.trim().to_ascii_uppercase();
    let t = t.strip_prefix("KLG").unwrap_or(&t).trim_start_matches('-');
    t.parse().ok().filter(|n| *n > 0)
}

/// Filters of the family list. `None` = any.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FamilyFilter {
    pub query: String,
    pub category: Option<Category>,
    pub verification: Option<Verification>,
    pub active: Option<bool>,
}

/// One line of the family list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FamilyRow {
    pub id: i64,
    pub code: String,
    pub head_name: String,
    /// Masked unless the reader's role sees NIKs in lists.
    pub head_nik: Option<String>,
    pub head_nik_temporary: bool,
    pub kk: Option<String>,
    pub category: Category,
    pub verification: Verification,
    pub active: bool,
    pub village: Option<String>,
    pub wbp_name: String,
    pub wbp_reg_no: String,
    pub members: i64,
    /// What the search matched when it was not the head's name, e.g. a member or the WBP.
    pub matched: Option<Matched>,
}

/// What a registry search matched besides the head's name; each reader words it in its own
/// language (the window's dictionaries, the command line's `--lang`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Matched {
    pub kind: MatchKind,
    /// The member or inmate whose name or NIK matched (none for a No. KK or registration number).
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// A member's name.
    Member,
    /// The linked inmate's name.
    Wbp,
    /// A member's NIK.
    MemberNik,
    /// The No. KK.
    Kk,
    /// The inmate's registration number.
    WbpRegNo,
}

impl Matched {
    pub fn new(kind: MatchKind, name: Option<&str>) -> Matched {
        Matched {
            kind,
            name: name.map(str::to_owned),
        }
    }

    /// In words, e.g. "Anggota: Siti Rahayu" / "Member: Siti Rahayu".
    pub fn text(&self, lang: crate::locale::Lang) -> String {
        let en = lang == crate::locale::Lang::En;
        let label = match (self.kind, en) {
            (MatchKind::Member, false) => "Anggota",
            (MatchKind::Member, true) => "Member",
            (MatchKind::Wbp, false) => "WBP",
            (MatchKind::Wbp, true) => "Inmate",
            (MatchKind::MemberNik, false) => "NIK anggota",
            (MatchKind::MemberNik, true) => "Member's NIK",
            (MatchKind::Kk, false) => "No. KK",
            (MatchKind::Kk, true) => "Family card (KK) number",
            (MatchKind::WbpRegNo, false) => "No. registrasi WBP",
            (MatchKind::WbpRegNo, true) => "Inmate's registration number",
        };
        match &self.name {
            Some(n) => format!("{label}: {n}"),
            None => label.to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FamilyPage {
    pub rows: Vec<FamilyRow>,
    /// All families the filter matches (a search returns its best matches only).
    pub total: i64,
    /// The NIKs in `rows` are masked.
    pub masked: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub nik: Option<String>,
    pub nik_temporary: bool,
    pub sex: Option<Sex>,
    pub birth_date: Option<String>,
    pub relationship: Relationship,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KkHistoryEntry {
    pub kk: Option<String>,
    /// `None` for the number the family was registered with.
    pub reason: Option<KkChangeReason>,
    pub at: String,
    pub by_user: String,
}

pub use crate::attachment::AttachmentInfo;

/// A family's whole record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FamilyDetail {
    pub id: i64,
    pub code: String,
    pub category: Category,
    pub kk: Option<String>,
    pub kk_history: Vec<KkHistoryEntry>,
    pub address: String,
    pub rt: String,
    pub rw: String,
    pub region_code: Option<String>,
    pub region: Option<RegionPath>,
    pub region_table: Option<String>,
    pub phone: String,
    pub wbp_name: String,
    pub wbp_reg_no: String,
    pub wbp_status: Option<WbpStatus>,
    pub wbp_relation: String,
    pub reasons: Vec<PoorReason>,
    pub reason_note: String,
    pub dtks_decile: Option<u8>,
    pub consent_date: Option<String>,
    pub verification: Verification,
    pub verified_by: Option<String>,
    pub verified_at: Option<String>,
    pub evidence_note: String,
    pub active: bool,
    pub inactive_reason: String,
    pub merged_into: Option<i64>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub members: Vec<Member>,
    pub attachments: Vec<AttachmentInfo>,
    /// This family's audit entries, newest first.
    pub history: Vec<AuditEntry>,
    /// NIKs and No. KK shown in full (the reader's role needs them); else masked.
    pub nik_full: bool,
    /// Open duplicate pairs this family is in.
    pub open_duplicates: i64,
}

impl FamilyDetail {
    /// The form of this record, as the window's form is filled to edit it. Its NIKs and No. KK
    /// are the record's own only when `nik_full` (a reader who sees them masked cannot edit).
    pub fn as_input(&self) -> FamilyInput {
        FamilyInput {
            category: self.category,
            kk: self.kk.clone().unwrap_or_default(),
            kk_change_reason: None,
            address: self.address.clone(),
            rt: self.rt.clone(),
            rw: self.rw.clone(),
            region_code: self.region_code.clone().unwrap_or_default(),
            phone: self.phone.clone(),
            wbp_name: self.wbp_name.clone(),
            wbp_reg_no: self.wbp_reg_no.clone(),
            wbp_status: self.wbp_status,
            wbp_relation: self.wbp_relation.clone(),
            reasons: self.reasons.clone(),
            reason_note: self.reason_note.clone(),
            dtks_decile: self.dtks_decile,
            consent_date: self.consent_date.clone(),
            members: self
                .members
                .iter()
                .map(|m| MemberInput {
                    id: Some(m.id),
                    name: m.name.clone(),
                    nik: m.nik.clone().unwrap_or_default(),
                    nik_temporary: m.nik_temporary,
                    sex: m.sex,
                    birth_date: m.birth_date.clone(),
                    relationship: m.relationship,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateKind {
    SameKk,
    SimilarPerson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateStatus {
    Open,
    Merged,
    Distinct,
}

/// One side of a duplicate pair.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PairSide {
    pub family_id: i64,
    pub code: String,
    pub head_name: String,
    pub head_nik: Option<String>,
    pub kk: Option<String>,
    pub village: Option<String>,
    pub address: String,
    pub active: bool,
    pub verification: Verification,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicatePair {
    pub id: i64,
    pub kind: DuplicateKind,
    pub score: u8,
    /// What was found, in Indonesian: "Mirip (92%) dengan Siti Rahayu, lahir 07/08/1990, …".
    pub detail: String,
    /// The same in English (Indonesian for pairs found before the program kept both).
    pub detail_en: String,
    pub status: DuplicateStatus,
    pub found_at: String,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
    pub note: String,
    pub a: PairSide,
    pub b: PairSide,
}

/// How a verifikator settles a pair.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Resolution {
    /// Two different families; the pair is closed.
    Distinct { note: String },
    /// The same family: `keep` stays, the other is retired (inactive, pointing to `keep`).
    Merge { keep: i64, note: String },
}

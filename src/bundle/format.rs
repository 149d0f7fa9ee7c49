//! The JSON parts of format v1, field for field as `docs/bundle-format.md` lists them. Every
//! struct refuses an unknown field; every field is present (`null` where optional). Written once
//! compact; hashed and signed as written; never re-serialized to check anything.

use crate::error::{Error, Result};
use crate::stock::FundingSource;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub fn to_bytes<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(Error::internal)
}

/// Strict parse: `None` for anything that is not exactly this struct.
pub fn parse<T: DeserializeOwned>(b: &[u8]) -> Option<T> {
    serde_json::from_slice(b).ok()
}

// ---- the bundle ------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// `monthly`, `nihil` or `revision`.
    pub kind: String,
    pub nihil: bool,
    pub facility: ManifestFacility,
    pub kanwil: ManifestKanwil,
    pub period: String,
    pub revision: u32,
    pub supersedes: Option<Superseded>,
    pub seq: u64,
    pub previous: Option<ChainLink>,
    pub last_ack: Option<AckRef>,
    pub software: Software,
    pub closed: Closed,
    pub made_at: String,
    pub audit_head: String,
    pub stock: StockHashes,
    pub pseudonym_key: String,
    pub totals: Totals,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFacility {
    pub code: String,
    pub name: String,
    pub key_fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestKanwil {
    pub code: String,
    pub recipients: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Superseded {
    pub seq: u64,
    pub revision: u32,
    pub bundle_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainLink {
    pub seq: u64,
    pub bundle_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AckRef {
    pub seq: u64,
    pub bundle_sha256: String,
    pub answer_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Software {
    pub version: String,
    pub schema_version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closed {
    pub at: String,
    pub by: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockHashes {
    pub opening_sha256: String,
    pub closing_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    pub families: i64,
    pub keluarga_wbp: i64,
    pub masyarakat_sekitar: i64,
    pub packages: i64,
    pub to_proxy: i64,
    /// BASTs dated in the period, voided later or not.
    pub basts: i64,
    /// Voids recorded in the period (of any month's BAST).
    pub voids: i64,
    pub events: i64,
    pub movements: i64,
    pub items: Vec<ItemTotal>,
    pub sources: Vec<SourceTotal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ItemTotal {
    pub code: String,
    #[ts(type = "string")]
    pub handed_over: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct SourceTotal {
    pub source: FundingSource,
    #[ts(type = "string")]
    pub received_value: Decimal,
    #[ts(type = "string")]
    pub issued_value: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub name: String,
    pub encrypted: bool,
    pub size: u64,
    pub sha256: String,
}

/// `aggregates.json`: the month's figures, no person and no free text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregates {
    pub format: String,
    pub version: u32,
    pub facility: AggFacility,
    pub period: String,
    pub revision: u32,
    pub nihil: bool,
    pub served: crate::month::report::Served,
    pub events: Vec<AggEvent>,
    pub items: Vec<AggItem>,
    pub sources: Vec<SourceTotal>,
    pub issued_value: Decimal,
    pub harvest_value: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggFacility {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub class: String,
    pub province: String,
    pub kanwil: String,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggEvent {
    pub date: String,
    pub kind: String,
    pub served: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggItem {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub opening: Decimal,
    pub received: Vec<crate::month::report::SourceQty>,
    pub handed_over: Decimal,
    pub from_harvest: Decimal,
    pub out: Decimal,
    pub adjustments: Decimal,
    pub closing: Decimal,
}

/// `records.json` (inside `records.json.age`): the month's records under pseudonyms, with every
/// free text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Records {
    pub format: String,
    pub version: u32,
    pub facility: String,
    pub period: String,
    pub revision: u32,
    pub pseudonym_key: String,
    pub report: ReportHashes,
    pub events: Vec<crate::month::report::EventLine>,
    pub handovers: Vec<RecHandover>,
    pub voids: Vec<crate::month::report::VoidLine>,
    pub movements: Vec<RecMovement>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportHashes {
    pub json_sha256: String,
    pub pdf_sha256: String,
    pub xlsx_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecHandover {
    pub bast_no: String,
    pub date: String,
    pub event: i64,
    pub category: String,
    /// The household, under a keyed hash: the same within the facility, never its code.
    pub family: String,
    pub household_size: i64,
    /// The kecamatan's Kepmendagri code only (never the village or street).
    pub district: Option<String>,
    pub head: Option<String>,
    pub members: Vec<String>,
    pub kk: Option<String>,
    pub to_proxy: bool,
    pub proxy_relation: String,
    /// False when it had been voided by the closing: not counted.
    pub live: bool,
    pub items: Vec<ItemTotal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecMovement {
    pub id: i64,
    pub date: String,
    pub kind: String,
    pub item: String,
    pub lot: i64,
    pub quantity: Decimal,
    pub source: FundingSource,
    pub document: String,
    pub note: String,
    pub reference: Option<String>,
}

// ---- answers, registration, enrollment --------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub format: String,
    pub version: u32,
    pub kanwil: AnswerKanwil,
    pub facility: String,
    pub bundle: AnswerBundle,
    /// `accepted`, `revision`, `held_gap`, `fork` or `refused`.
    pub verdict: String,
    pub reason: Option<super::Reason>,
    pub missing: Vec<u64>,
    pub received_at: String,
    pub answered_at: String,
    pub head: Option<Head>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct AnswerKanwil {
    pub code: String,
    pub key_fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct AnswerBundle {
    pub period: String,
    pub revision: u32,
    pub seq: u64,
    pub sha256: String,
}

/// The facility's last bundle in the Kanwil's chain, after a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Head {
    pub seq: u64,
    pub bundle_sha256: String,
    pub period: String,
    pub revision: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub format: String,
    pub version: u32,
    pub profile: RegProfile,
    pub signing_key: String,
    pub key_fingerprint: String,
    pub age_recipient: String,
    pub first_period: Option<String>,
    pub closed_through: Option<String>,
    pub software: String,
    pub made_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct RegProfile {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub class: String,
    pub province: String,
    pub kanwil: String,
    pub address: String,
    pub time_zone: String,
    pub head_name: String,
    pub head_nip: String,
}

/// A by-name list's header, in clear and signed (`byname.json`): who, for which Kanwil and
/// period, at whose request, and the one encrypted part it covers. No person is named here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByName {
    pub format: String,
    pub version: u32,
    pub facility: String,
    pub kanwil: String,
    pub recipients: Vec<String>,
    pub period: String,
    /// The Kanwil's request it answers (a letter's number), as typed at the facility.
    pub reference: String,
    /// The period's bundle in force when it was made, if there is one.
    pub bundle_sha256: Option<String>,
    pub rows: u64,
    pub part: Part,
    pub made_at: String,
    pub made_by: String,
}

/// The list itself (`byname.json.age`): one row per hand-over of the period, voided ones too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByNameList {
    pub version: u32,
    pub rows: Vec<ByNameRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ByNameRow {
    pub bast_no: String,
    pub date: String,
    pub voided: bool,
    pub category: String,
    pub head_name: String,
    /// The head's NIK (absent for a temporary one).
    pub head_nik: Option<String>,
    pub kk: Option<String>,
    pub address: String,
    pub rt: String,
    pub rw: String,
    pub region_code: Option<String>,
    /// Who signed for it: the head, or a proxy (by name and relation; a proxy's NIK stays).
    pub received_by: String,
    pub proxy_relation: String,
    pub items: Vec<ByNameItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ByNameItem {
    pub code: String,
    #[ts(type = "string")]
    pub quantity: Decimal,
}

/// A facility's change of signing key: signed by the old key (`rotation.sig`) and by the new
/// (`rotation.new.sig`, proof that the facility holds it). The old key signs no bundle after
/// `old_key_last_seq` (none at all when it is null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct KeyRotation {
    pub format: String,
    pub version: u32,
    pub facility: String,
    pub old_key: String,
    pub old_fingerprint: String,
    pub new_key: String,
    pub new_fingerprint: String,
    pub old_key_last_seq: Option<u64>,
    pub reason: String,
    pub made_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Enrollment {
    pub format: String,
    pub version: u32,
    pub update: u32,
    pub kanwil: EnrollKanwil,
    pub facility: EnrollFacility,
    pub pseudonym_key: PseudonymKeyRef,
    pub due_day: u32,
    pub report_from: Option<String>,
    pub bundle_versions: Vec<u32>,
    pub issued_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct EnrollKanwil {
    pub code: String,
    pub name: String,
    pub province: String,
    pub signing_keys: Vec<PublicKeyRef>,
    pub recipients: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct PublicKeyRef {
    pub key: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct EnrollFacility {
    pub code: String,
    pub key_fingerprint: String,
    pub age_recipient: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct PseudonymKeyRef {
    pub id: String,
    pub from_period: String,
    pub sha256: String,
}

/// Inside `province-key.age`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvinceKey {
    pub id: String,
    pub key: String,
    pub from_period: String,
}

/// `[["<item code>","<closing>"],…]` of the items with a non-zero figure, sorted by code, hashed:
/// what a month's stock closed (or opened) with, comparable across bundles.
pub fn stock_sha256(lines: &[(String, Decimal)]) -> String {
    let mut v: Vec<(String, String)> = lines
        .iter()
        .filter(|(_, q)| !q.is_zero())
        .map(|(c, q)| (c.clone(), q.normalize().to_string()))
        .collect();
    v.sort();
    super::sha256_hex(&serde_json::to_vec(&v).unwrap_or_default())
}

/// The pseudonym of a NIK (or, with `kk`, of a No. KK) under a province key.
pub fn pseudonym(key: &[u8; 32], prefix: &str, number: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("any key length");
    m.update(prefix.as_bytes());
    m.update(number.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

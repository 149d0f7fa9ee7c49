//! Package templates and distribution events (SPEC §2 item 5): what a family receives, when and
//! where it is handed over, who may receive it, and whether the store holds enough.

use crate::stock::FundingSource;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventKind {
    RutinBulanan,
    SerentakNasional,
    HariBesar,
    KunjunganRumah,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventStatus {
    Draft,
    Approved,
    Completed,
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateLineInput {
    pub item_id: i64,
    /// As typed ("5", "0,5"): per family, or per person when the template scales.
    pub quantity: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateInput {
    pub name: String,
    /// Quantities are per person, multiplied by the household size…
    pub per_person: bool,
    /// …counting at most this many people.
    pub cap_members: Option<u32>,
    pub lines: Vec<TemplateLineInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateLine {
    pub item_id: i64,
    pub item: String,
    pub unit: String,
    #[ts(type = "string")]
    pub quantity: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Template {
    pub id: i64,
    /// All versions of one template share the id of its first version.
    pub lineage: i64,
    pub version: i64,
    pub name: String,
    pub per_person: bool,
    pub cap_members: Option<u32>,
    pub retired: bool,
    /// Used by an event that is not cancelled: a change makes a new version.
    pub in_use: bool,
    pub lines: Vec<TemplateLine>,
    pub created_at: String,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Official {
    pub name: String,
    pub position: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventInput {
    /// ISO date of the hand-over.
    pub date: String,
    pub place: String,
    pub kind: EventKind,
    /// Stock of this funding source only; `None` = any.
    pub source: Option<FundingSource>,
    pub template_id: i64,
    pub officials: Vec<Official>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recipient {
    pub family_id: i64,
    pub code: String,
    pub head_name: String,
    pub members: i64,
    pub added_by: String,
    /// People the template counts for this household (1 for a per-family template).
    pub people_counted: i64,
    /// What this family receives: the template's lines scaled to the household.
    pub package: Vec<TemplateLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Event {
    pub id: i64,
    pub date: String,
    pub place: String,
    pub kind: EventKind,
    pub source: Option<FundingSource>,
    pub template: Template,
    pub officials: Vec<Official>,
    pub note: String,
    pub status: EventStatus,
    pub created_by: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub cancel_reason: String,
    pub recipients: Vec<Recipient>,
}

/// Why a family may not be added to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IneligibleReason {
    NotVerified,
    Inactive,
    NoConsent,
    AlreadyPlanned,
    AlreadyServed,
}

/// Whether one family may be planned for an event, and if not, why (in the reader's language).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Eligibility {
    pub family_id: i64,
    pub reason: Option<IneligibleReason>,
    pub message: Option<String>,
}

/// One item of the shortage report: what the planned list needs against what the store holds.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShortageLine {
    pub item_id: i64,
    pub item: String,
    pub unit: String,
    #[ts(type = "string")]
    pub needed: Decimal,
    #[ts(type = "string")]
    pub available: Decimal,
    /// needed − available when positive, else zero.
    #[ts(type = "string")]
    pub short: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShortageReport {
    pub event_id: i64,
    pub recipients: i64,
    pub lines: Vec<ShortageLine>,
    /// Some item is short.
    pub short: bool,
}

/// How many people a template counts for a household: one for a per-family template, else the
/// members (at least one) up to the cap.
pub fn people_counted(per_person: bool, cap: Option<u32>, members: i64) -> i64 {
    if !per_person {
        return 1;
    }
    members.max(1).min(i64::from(cap.unwrap_or(u32::MAX)))
}

/// What one family receives from a template: per family, or per person up to the cap.
pub fn family_quantity(qty_milli: i64, per_person: bool, cap: Option<u32>, members: i64) -> i64 {
    qty_milli * people_counted(per_person, cap, members)
}

impl Template {
    /// The template's lines as one household of `members` people receives them.
    pub fn for_household(&self, members: i64) -> Vec<TemplateLine> {
        let people = Decimal::from(people_counted(self.per_person, self.cap_members, members));
        self.lines
            .iter()
            .map(|l| TemplateLine {
                quantity: l.quantity * people,
                ..l.clone()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn scaling_by_household_is_capped() {
        assert_eq!(super::family_quantity(2500, false, None, 7), 2500);
        assert_eq!(super::family_quantity(2500, true, Some(5), 7), 12500);
        assert_eq!(super::family_quantity(2500, true, Some(5), 3), 7500);
        assert_eq!(super::family_quantity(2500, true, None, 0), 2500);
    }

    #[test]
    fn a_household_gets_the_lines_scaled_exactly() {
        use rust_decimal::Decimal;
        use std::str::FromStr;
        let t = super::Template {
            id: 1,
            lineage: 1,
            version: 1,
            name: "Paket".into(),
            per_person: true,
            cap_members: Some(4),
            retired: false,
            in_use: false,
            lines: vec![super::TemplateLine {
                item_id: 1,
                item: "Beras".into(),
                unit: "kg".into(),
                quantity: Decimal::from_str("2.5").unwrap(),
            }],
            created_at: String::new(),
            created_by: String::new(),
        };
        assert_eq!(
            t.for_household(3)[0].quantity,
            Decimal::from_str("7.5").unwrap()
        );
        assert_eq!(t.for_household(9)[0].quantity, Decimal::from(10));
        let per_family = super::Template {
            per_person: false,
            ..t
        };
        assert_eq!(
            per_family.for_household(9)[0].quantity,
            Decimal::from_str("2.5").unwrap()
        );
    }
}

/// Who took the package on the family's behalf.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Proxy {
    pub name: String,
    pub nik: String,
    /// e.g. "anak", "tetangga", "ketua RT"
    pub relation: String,
}

/// One item handed over, with the lots it came from.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HandedItem {
    pub item_id: i64,
    pub item: String,
    pub unit: String,
    #[ts(type = "string")]
    pub quantity: Decimal,
    /// Funding sources of the lots used, e.g. ["csr"].
    pub sources: Vec<FundingSource>,
    /// (lot id, quantity) taken, earliest expiry first.
    #[ts(type = "Array<[number, string]>")]
    pub lots: Vec<(i64, Decimal)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Handover {
    pub id: i64,
    pub event_id: i64,
    pub family_id: i64,
    pub family_code: String,
    pub bast_no: String,
    pub date: String,
    pub at: String,
    pub officer: String,
    pub officer_name: String,
    pub officer_nip: String,
    pub officer_position: String,
    pub to_proxy: bool,
    pub recipient_name: String,
    /// Masked unless the reader's role sees NIKs.
    pub recipient_nik: Option<String>,
    pub proxy_relation: String,
    pub items: Vec<HandedItem>,
    pub voided: bool,
    pub void_reason: String,
    /// Copies printed after the first (each marked SALINAN).
    pub reprints: i64,
    /// The first print has been made.
    pub printed: bool,
    /// The recipient's address and WBP relation as they were on the day.
    pub recipient_address: String,
    pub wbp_line: String,
    /// The signed text in the QR code (see `receipt`).
    pub qr_payload: String,
}

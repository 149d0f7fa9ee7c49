//! The stock ledger (SPEC §2 item 4): items, donors, receipts by funding source, lots with expiry,
//! append-only movements, adjustments awaiting approval, stock opname, the stock card.
//!
//! Quantities are exact decimals with at most three places (kilogram to the gram, litre to the
//! millilitre), kept as integer thousandths; rupiah with at most two places, kept as hundredths.
//! A balance is always derived from movements; it is never negative.

pub mod db;
pub mod export;

use crate::error::{Error, Result};
use crate::locale::{self, Lang};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemCategory {
    Sembako,
    HasilPanen,
    Lainnya,
}

/// Where stock came from (SPEC §1): third-party CSR, the profits of food management and canteen,
/// the cooperative, the facility's own harvest, other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FundingSource {
    Csr,
    BamaKantin,
    Koperasi,
    HasilPanen,
    Lainnya,
}

impl FundingSource {
    pub fn label_id(self) -> &'static str {
        match self {
            FundingSource::Csr => "CSR pihak ketiga",
            FundingSource::BamaKantin => "Keuntungan bama/kantin",
            FundingSource::Koperasi => "Koperasi",
            FundingSource::HasilPanen => "Hasil panen UPT",
            FundingSource::Lainnya => "Lainnya",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MovementKind {
    Receipt,
    Issue,
    Adjustment,
    Reversal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AdjustmentReason {
    Rusak,
    Kedaluwarsa,
    Hilang,
    Koreksi,
    Opname,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AdjustmentStatus {
    Pending,
    Approved,
    Rejected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OpnameStatus {
    Counting,
    Approved,
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Item {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub category: ItemCategory,
    /// Alert below this quantity (decimal text, e.g. "50" or "2.5").
    #[ts(type = "string")]
    pub min_stock: Decimal,
    pub retired: bool,
    /// Has movements: can be retired, never deleted.
    pub used: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewItem {
    pub name: String,
    pub unit: String,
    pub category: ItemCategory,
    /// As typed ("50", "2,5"); empty = no minimum.
    pub min_stock: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Donor {
    pub id: i64,
    pub name: String,
    pub contact: String,
    pub receipts: i64,
    /// Sum of the rupiah value of everything received from this donor.
    #[ts(type = "string")]
    pub total_value: Decimal,
}

/// One lot on a receipt, as typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptLineInput {
    pub item_id: i64,
    pub quantity: String,
    /// The lot's value in rupiah, as typed ("1.500.000").
    pub value: String,
    pub lot_code: String,
    /// ISO date; `None` for goods that do not expire.
    pub expiry: Option<String>,
}

/// A receiving (penerimaan) as typed in the form or on the command line.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptInput {
    /// ISO date of receiving; not after today.
    pub date: String,
    pub source: FundingSource,
    /// Required for CSR: the donor (found by name, or added).
    pub donor_name: String,
    /// For "lainnya": what it was.
    pub source_note: String,
    /// Delivery note, letter or BA number.
    pub doc_ref: String,
    /// The officer who took the goods in.
    pub received_by: String,
    pub note: String,
    pub lines: Vec<ReceiptLineInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptSaved {
    pub id: i64,
    pub lot_ids: Vec<i64>,
}

/// A lot's balance.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LotBalance {
    pub lot_id: i64,
    pub item_id: i64,
    pub lot_code: String,
    pub expiry: Option<String>,
    pub source: FundingSource,
    pub donor: Option<String>,
    pub received_date: String,
    #[ts(type = "string")]
    pub quantity: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceBalance {
    pub source: FundingSource,
    #[ts(type = "string")]
    pub quantity: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemBalance {
    pub item: Item,
    #[ts(type = "string")]
    pub quantity: Decimal,
    pub below_minimum: bool,
    /// Lots with stock, earliest expiry first (the order issues take them).
    pub lots: Vec<LotBalance>,
    pub by_source: Vec<SourceBalance>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum StockAlert {
    BelowMinimum {
        item_id: i64,
        item: String,
        unit: String,
        #[ts(type = "string")]
        quantity: Decimal,
        #[ts(type = "string")]
        minimum: Decimal,
    },
    Expiring {
        item_id: i64,
        item: String,
        unit: String,
        lot_code: String,
        expiry: String,
        days_left: i64,
        #[ts(type = "string")]
        quantity: Decimal,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StockOverview {
    /// ISO date the balances are as of.
    pub as_of: String,
    pub items: Vec<ItemBalance>,
    pub alerts: Vec<StockAlert>,
    pub expiry_alert_days: u32,
}

/// One line of a stock card (kartu stok).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CardRow {
    pub movement_id: i64,
    pub date: String,
    pub doc_ref: String,
    pub kind: MovementKind,
    pub lot_code: String,
    #[ts(type = "string | null")]
    pub qty_in: Option<Decimal>,
    #[ts(type = "string | null")]
    pub qty_out: Option<Decimal>,
    #[ts(type = "string")]
    pub balance: Decimal,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StockCard {
    pub item: Item,
    pub from: String,
    pub to: String,
    #[ts(type = "string")]
    pub opening: Decimal,
    pub rows: Vec<CardRow>,
    #[ts(type = "string")]
    pub closing: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdjustmentInput {
    pub lot_id: i64,
    /// Signed, as typed: "-2" removes two units, "1,5" adds one and a half.
    pub quantity: String,
    pub reason: AdjustmentReason,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Adjustment {
    pub id: i64,
    pub item_id: i64,
    pub item: String,
    pub unit: String,
    pub lot_id: i64,
    pub lot_code: String,
    #[ts(type = "string")]
    pub quantity: Decimal,
    pub reason: AdjustmentReason,
    pub note: String,
    pub status: AdjustmentStatus,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: String,
    pub opname_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpnameLine {
    pub lot_id: i64,
    pub item_id: i64,
    pub item: String,
    pub unit: String,
    pub lot_code: String,
    pub expiry: Option<String>,
    /// The ledger's balance when the opname started, or when the lot was counted (the count is
    /// compared with it); `None` on the counting sheet (the count is blind).
    #[ts(type = "string | null")]
    pub recorded: Option<Decimal>,
    #[ts(type = "string | null")]
    pub counted: Option<Decimal>,
    /// counted − recorded, once counted and when the recorded figure may be shown.
    #[ts(type = "string | null")]
    pub variance: Option<Decimal>,
    pub counted_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Opname {
    pub id: i64,
    pub status: OpnameStatus,
    pub date: String,
    pub started_by: String,
    pub started_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// The recorded figures are hidden (counting sheet for the counter).
    pub blind: bool,
    pub lines: Vec<OpnameLine>,
}

/// Thousandths of a unit from a decimal; more than three places is refused, not rounded.
pub fn to_milli(q: Decimal, field: &str) -> Result<i64> {
    // A number near the decimal type's own limit (about 7.9 × 10²⁸) would overflow here: refused
    // as too large, like any other beyond the limit, never a panic.
    let Some(m) = q.checked_mul(Decimal::from(1000)) else {
        return Err(quantity_too_large(field));
    };
    if m.fract() != Decimal::ZERO {
        return Err(Error::invalid(
            field,
            "Jumlah paling banyak 3 angka di belakang koma.",
            "A quantity has at most 3 decimal places.",
        ));
    }
    let m = i64::try_from(m.trunc()).map_err(|_| quantity_too_large(field))?;
    if m.abs() > crate::limits::QUANTITY * 1000 {
        return Err(quantity_too_large(field));
    }
    Ok(m)
}

/// The refusal of a quantity beyond `limits::QUANTITY`.
fn quantity_too_large(field: &str) -> Error {
    Error::invalid(
        field,
        format!(
            "Jumlah terlalu besar (paling banyak {}).",
            crate::limits::count(crate::limits::QUANTITY as u64)
        ),
        format!(
            "The quantity is too large (at most {}).",
            crate::limits::QUANTITY
        ),
    )
}

pub fn from_milli(m: i64) -> Decimal {
    Decimal::new(m, 3).normalize()
}

pub fn to_cents(v: Decimal, field: &str) -> Result<i64> {
    // As in `to_milli`: an overflow is a value too large, never a panic.
    let Some(c) = v.checked_mul(Decimal::from(100)) else {
        return Err(rupiah_too_large(field));
    };
    if c.fract() != Decimal::ZERO {
        return Err(Error::invalid(
            field,
            "Nilai rupiah paling banyak 2 angka di belakang koma.",
            "A rupiah value has at most 2 decimal places.",
        ));
    }
    let c = i64::try_from(c.trunc()).map_err(|_| rupiah_too_large(field))?;
    if c.abs() > crate::limits::RUPIAH * 100 {
        return Err(rupiah_too_large(field));
    }
    Ok(c)
}

/// The refusal of a rupiah value beyond `limits::RUPIAH`.
fn rupiah_too_large(field: &str) -> Error {
    Error::invalid(
        field,
        format!(
            "Nilai terlalu besar (paling banyak {}).",
            crate::locale::rupiah(Decimal::from(crate::limits::RUPIAH))
        ),
        format!(
            "The value is too large (at most Rp{}).",
            crate::limits::RUPIAH
        ),
    )
}

pub fn from_cents(c: i64) -> Decimal {
    Decimal::new(c, 2).normalize()
}

/// Reads a typed quantity ("12,5", "1.000", "-2") in the person's language.
pub fn parse_qty(s: &str, field: &str, lang: Lang) -> Result<Decimal> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Error::invalid(
            field,
            "Jumlah wajib diisi.",
            "The quantity is required.",
        ));
    }
    locale::parse_decimal(t, lang).ok_or_else(|| {
        Error::invalid(
            field,
            format!("'{t}' bukan angka (tulis seperti 12,5 atau 1.000)."),
            format!("'{t}' is not a number (write it like 12.5 or 1,000)."),
        )
    })
}

/// Reads a typed rupiah amount ("Rp1.500.000", "1500000", "12.500,50").
pub fn parse_rupiah(s: &str, field: &str, lang: Lang) -> Result<Decimal> {
    let t: String = s
        .trim()
        .trim_start_matches("Rp")
        .trim_start_matches("rp")
        .trim()
        .to_owned();
    if t.is_empty() {
        return Ok(Decimal::ZERO);
    }
    locale::parse_decimal(&t, lang).ok_or_else(|| {
        Error::invalid(
            field,
            format!(
                "'{}' bukan nilai rupiah (tulis seperti 1.500.000).",
                s.trim()
            ),
            format!(
                "'{}' is not a rupiah amount (write it like 1,500,000).",
                s.trim()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_exact_thousandths() {
        let q = parse_qty("12,345", "q", Lang::Id).unwrap();
        assert_eq!(to_milli(q, "q").unwrap(), 12345);
        assert_eq!(from_milli(12345).to_string(), "12.345");
        assert!(to_milli(parse_qty("0,0001", "q", Lang::Id).unwrap(), "q").is_err());
        assert_eq!(
            to_cents(parse_rupiah("Rp1.500.000", "v", Lang::Id).unwrap(), "v").unwrap(),
            150_000_000
        );
        assert!(parse_qty("dua", "q", Lang::Id).is_err());
    }

    /// A number near the decimal type's own limit (7.9 × 10²⁸), typed or sent, is refused as too
    /// large, naming the field; it once overflowed the multiplication and panicked.
    #[test]
    fn numbers_at_the_decimal_types_limit_are_refused_as_too_large() {
        for typed in [
            "100000000000000000000000000",
            "79.228.162.514.264.337.593.543.950.335",
            "-79228162514264337593543950335",
            "7922816251426433759354395033,5",
        ] {
            let q = parse_qty(typed, "jumlah", Lang::Id).unwrap();
            let e = to_milli(q, "jumlah").unwrap_err();
            assert_eq!(e.field.as_deref(), Some("jumlah"), "{typed}");
            assert!(
                e.message(Lang::Id).contains("terlalu besar"),
                "{typed}: {e:?}"
            );
            let e = to_cents(q, "nilai").unwrap_err();
            assert_eq!(e.field.as_deref(), Some("nilai"), "{typed}");
            assert!(e.message(Lang::En).contains("too large"), "{typed}: {e:?}");
        }
        assert_eq!(
            to_milli(Decimal::MAX, "q").unwrap_err().field.as_deref(),
            Some("q")
        );
        assert_eq!(
            to_cents(Decimal::MIN, "v").unwrap_err().field.as_deref(),
            Some("v")
        );
    }
}

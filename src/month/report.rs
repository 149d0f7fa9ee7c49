//! The monthly report (*laporan bulanan*): computed from a closed month inside the closing
//! transaction and stored as canonical data (this struct as JSON), from which its PDF and XLSX
//! are made once. Quantities are exact decimals of the item's unit, rupiah exact to the sen.

use super::db;
use super::Month;
use crate::distribution::Official;
use crate::error::{Error, Result};
use crate::stock::{from_cents, from_milli, FundingSource};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use ts_rs::TS;

/// The format of the stored report data; a later version reads every earlier one.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportFacility {
    pub name: String,
    /// "Rumah Tahanan Negara" …
    pub kind: String,
    pub class: String,
    pub code: String,
    pub province: String,
    pub kanwil: String,
    pub address: String,
    pub head_name: String,
    pub head_nip: String,
    /// WIB, WITA or WIT.
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Served {
    /// Families served (each once, however many packages).
    pub families: i64,
    pub keluarga_wbp: i64,
    pub masyarakat_sekitar: i64,
    /// Packages handed over (live BASTs of the month).
    pub packages: i64,
    /// Of which to a proxy.
    pub to_proxy: i64,
}

impl Served {
    /// Counts live hand-overs: each family once (by its category), every package.
    pub fn of(rows: &[db::ServedRow]) -> Served {
        let mut families = BTreeSet::new();
        let (mut wbp, mut sekitar) = (BTreeSet::new(), BTreeSet::new());
        for r in rows {
            families.insert(r.family_id);
            if r.wbp {
                wbp.insert(r.family_id);
            } else {
                sekitar.insert(r.family_id);
            }
        }
        Served {
            families: families.len() as i64,
            keluarga_wbp: wbp.len() as i64,
            masyarakat_sekitar: sekitar.len() as i64,
            packages: rows.len() as i64,
            to_proxy: rows.iter().filter(|r| r.to_proxy).count() as i64,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceQty {
    pub source: FundingSource,
    #[ts(type = "string")]
    pub quantity: Decimal,
}

/// One item's month: what the packages took, and the stock from opening to closing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemLine {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// Quantity in the month's live hand-overs.
    #[ts(type = "string")]
    pub handed_over: Decimal,
    /// Of which from the facility's own harvest.
    #[ts(type = "string")]
    pub from_harvest: Decimal,
    #[ts(type = "string")]
    pub opening: Decimal,
    /// Received in the month by funding source (a receipt's reversal counted against it).
    pub received: Vec<SourceQty>,
    #[ts(type = "string")]
    pub received_total: Decimal,
    /// Out: issued, less what voids returned in the month.
    #[ts(type = "string")]
    pub out: Decimal,
    /// Approved adjustments and stock-opname differences (signed).
    #[ts(type = "string")]
    pub adjustments: Decimal,
    #[ts(type = "string")]
    pub closing: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DonorLine {
    pub name: String,
    #[ts(type = "string")]
    pub received_value: Decimal,
    #[ts(type = "string")]
    pub issued_value: Decimal,
}

/// A funding source's rupiah: as received in the month, and as issued (each lot's value
/// pro-rated by quantity, rounded to the rupiah, the remainder on the issue that empties it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceLine {
    pub source: FundingSource,
    #[ts(type = "string")]
    pub received_value: Decimal,
    #[ts(type = "string")]
    pub issued_value: Decimal,
    pub donors: Vec<DonorLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventLine {
    pub id: i64,
    pub date: String,
    pub place: String,
    pub kind: crate::distribution::EventKind,
    pub status: crate::distribution::EventStatus,
    pub officials: Vec<Official>,
    pub served: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoidLine {
    pub bast_no: String,
    /// The day of the hand-over that was voided (possibly in an earlier month).
    pub handover_date: String,
    /// When it was voided (UTC, RFC 3339).
    pub voided_at: String,
    pub voided_by: String,
    pub reason: String,
}

/// Sums a later reader can check the report against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ControlTotals {
    pub packages: i64,
    pub families: i64,
    pub events: i64,
    pub voids: i64,
    pub movements: i64,
    /// Sum over items of the quantity handed over (thousandths of each unit, added as numbers).
    pub handed_over_milli: i64,
    #[ts(type = "string")]
    pub received_value: Decimal,
    #[ts(type = "string")]
    pub issued_value: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MonthlyReport {
    pub format: u32,
    pub facility: ReportFacility,
    /// `2024-11`.
    pub period: String,
    pub revision: u32,
    /// No hand-over in the month: closed as nihil.
    pub nihil: bool,
    /// UTC, RFC 3339.
    pub closed_at: String,
    pub closed_by_name: String,
    pub served: Served,
    pub items: Vec<ItemLine>,
    pub sources: Vec<SourceLine>,
    /// Rupiah issued in the month, and of it from the facility's own harvest.
    #[ts(type = "string")]
    pub issued_value: Decimal,
    #[ts(type = "string")]
    pub harvest_value: Decimal,
    pub events: Vec<EventLine>,
    pub voided: Vec<VoidLine>,
    pub totals: ControlTotals,
}

impl MonthlyReport {
    /// The canonical bytes stored and hashed (and carried by the bundle).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(Error::internal)
    }

    pub fn from_bytes(b: &[u8]) -> Result<MonthlyReport> {
        serde_json::from_slice(b).map_err(|_| {
            Error::new(
                crate::ErrorKind::Corrupt,
                "Data laporan bulanan yang tersimpan rusak.",
                "The stored monthly report data is damaged.",
            )
        })
    }

    /// Share of `part` in `whole` as a percentage with one decimal ("12,5"), "0" for nothing.
    pub fn percent(part: Decimal, whole: Decimal) -> Decimal {
        if whole.is_zero() {
            return Decimal::ZERO;
        }
        // Checked: a Kanwil sums figures other programs wrote, and `Decimal` panics on overflow.
        part.checked_mul(Decimal::from(100))
            .and_then(|x| x.checked_div(whole))
            .map_or(Decimal::ZERO, |d| d.round_dp(1))
    }
}

fn source(s: &str) -> FundingSource {
    crate::family::model::from_code(s).unwrap_or(FundingSource::Lainnya)
}

/// The value of a lot taken out up to `c` thousandths of `q` received: pro-rated and rounded to
/// the rupiah, all of it once the lot is empty.
pub fn value_at(value_cents: i64, received_milli: i64, c: i64) -> i64 {
    if c <= 0 || received_milli <= 0 {
        return 0;
    }
    if c >= received_milli {
        return value_cents;
    }
    let exact = i128::from(value_cents) * i128::from(c);
    let q = i128::from(received_milli);
    // Rounded half up to whole rupiah (100 sen).
    let rupiah = (exact + q * 50) / (q * 100);
    i64::try_from(rupiah * 100).unwrap_or(value_cents)
}

/// Computes the report of month `m` as the database holds it now.
pub fn compute(
    conn: &crate::db::Db,
    m: Month,
    facility: ReportFacility,
    revision: u32,
    closed_at: &str,
    closed_by_name: &str,
    voids_window: (&str, &str),
) -> Result<MonthlyReport> {
    let served = Served::of(&db::served(conn, m)?);

    // Stock per item.
    let mut handed: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (item, src, q) in db::handed_over(conn, m)? {
        let e = handed.entry(item).or_default();
        e.0 += q;
        if source(&src) == FundingSource::HasilPanen {
            e.1 += q;
        }
    }
    let mut items = Vec::new();
    let mut handed_over_milli = 0i64;
    for it in db::items_with_opening(conn, m)? {
        let mut received: BTreeMap<FundingSource, i64> = BTreeMap::new();
        let (mut out, mut adjustments) = (0i64, 0i64);
        for (kind, reversed, src, q) in db::item_flows(conn, it.id, m)? {
            let k = if kind == "reversal" { reversed } else { kind };
            match k.as_str() {
                "receipt" => *received.entry(source(&src)).or_default() += q,
                "issue" => out -= q,
                _ => adjustments += q,
            }
        }
        let received_total: i64 = received.values().sum();
        let closing = it.opening_milli + received_total - out + adjustments;
        let (h, harvest) = handed.get(&it.id).copied().unwrap_or_default();
        handed_over_milli += h;
        let quiet = it.opening_milli == 0 && received_total == 0 && out == 0 && adjustments == 0;
        if quiet && h == 0 {
            continue;
        }
        items.push(ItemLine {
            code: it.code,
            name: it.name,
            unit: it.unit,
            handed_over: from_milli(h),
            from_harvest: from_milli(harvest),
            opening: from_milli(it.opening_milli),
            received: received
                .into_iter()
                .filter(|(_, q)| *q != 0)
                .map(|(source, q)| SourceQty {
                    source,
                    quantity: from_milli(q),
                })
                .collect(),
            received_total: from_milli(received_total),
            out: from_milli(out),
            adjustments: from_milli(adjustments),
            closing: from_milli(closing),
        });
    }

    // Rupiah by source and donor, received and issued.
    #[derive(Default)]
    struct Sums {
        received: i64,
        issued: i64,
        donors: BTreeMap<String, (i64, i64)>,
    }
    let mut by_source: BTreeMap<FundingSource, Sums> = BTreeMap::new();
    for l in db::lots_received(conn, m)? {
        let s = by_source.entry(source(&l.source)).or_default();
        s.received += l.value_cents;
        if let Some(d) = l.donor {
            s.donors.entry(d).or_default().0 += l.value_cents;
        }
    }
    for l in db::lots_issued(conn, m)? {
        let mut c = 0i64;
        let mut issued = 0i64;
        for (in_month, is_issue, q) in &l.moves {
            let before = value_at(l.value_cents, l.received_milli, c);
            c -= q;
            let after = value_at(l.value_cents, l.received_milli, c);
            if *in_month && *is_issue {
                issued += after - before;
            }
        }
        let s = by_source.entry(source(&l.source)).or_default();
        s.issued += issued;
        if let Some(d) = l.donor {
            s.donors.entry(d).or_default().1 += issued;
        }
    }
    let issued_value: i64 = by_source.values().map(|s| s.issued).sum();
    let received_value: i64 = by_source.values().map(|s| s.received).sum();
    let harvest_value = by_source
        .get(&FundingSource::HasilPanen)
        .map_or(0, |s| s.issued);
    let sources = by_source
        .into_iter()
        .map(|(source, s)| SourceLine {
            source,
            received_value: from_cents(s.received),
            issued_value: from_cents(s.issued),
            donors: s
                .donors
                .into_iter()
                .map(|(name, (r, i))| DonorLine {
                    name,
                    received_value: from_cents(r),
                    issued_value: from_cents(i),
                })
                .collect(),
        })
        .collect();

    let events: Vec<EventLine> = db::events(conn, m)?
        .into_iter()
        .map(|e| EventLine {
            id: e.id,
            date: e.date,
            place: e.place,
            kind: crate::family::model::from_code(&e.kind)
                .unwrap_or(crate::distribution::EventKind::RutinBulanan),
            status: crate::family::model::from_code(&e.status)
                .unwrap_or(crate::distribution::EventStatus::Completed),
            officials: serde_json::from_str(&e.officials).unwrap_or_default(),
            served: e.served,
        })
        .collect();
    let voided = db::voided(conn, voids_window.0, voids_window.1)?;
    let totals = ControlTotals {
        packages: served.packages,
        families: served.families,
        events: events.len() as i64,
        voids: voided.len() as i64,
        movements: db::movement_count(conn, m)?,
        handed_over_milli,
        received_value: from_cents(received_value),
        issued_value: from_cents(issued_value),
    };
    Ok(MonthlyReport {
        format: FORMAT,
        facility,
        period: m.key(),
        revision,
        nihil: served.packages == 0,
        closed_at: closed_at.to_owned(),
        closed_by_name: closed_by_name.to_owned(),
        served,
        items,
        sources,
        issued_value: from_cents(issued_value),
        harvest_value: from_cents(harvest_value),
        events,
        voided,
        totals,
    })
}

#[cfg(test)]
mod tests {
    use super::value_at;

    /// A share of figures another program wrote (a facility's bundle, at the Kanwil) that no
    /// `Decimal` can hold reads 0 rather than stopping the recap with a panic.
    #[test]
    fn a_share_too_large_to_compute_reads_zero() {
        use super::{Decimal, MonthlyReport};
        let huge = Decimal::from(1_000_000_000_000_000_000_i64);
        let tiny = Decimal::new(1, 9);
        assert_eq!(MonthlyReport::percent(huge, tiny), Decimal::ZERO);
        assert_eq!(
            MonthlyReport::percent(Decimal::from(1), Decimal::from(8)),
            Decimal::new(125, 1)
        );
    }

    #[test]
    fn a_lot_value_is_pro_rated_to_the_rupiah_and_the_last_issue_takes_the_rest() {
        // Rp100.000,50 for 3 kg: a third is Rp33.334 (rounded), two thirds Rp66.667, all of it
        // exactly the value.
        let (v, q) = (10_000_050, 3000);
        assert_eq!(value_at(v, q, 1000), 3_333_400);
        assert_eq!(value_at(v, q, 2000), 6_666_700);
        assert_eq!(value_at(v, q, 3000), v);
        assert_eq!(value_at(v, q, 0), 0);
        assert_eq!(value_at(v, q, -5), 0);
        assert_eq!(value_at(v, q, 4000), v);
    }
}

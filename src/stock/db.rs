//! SQL for the stock ledger. Writers run inside the use case's transaction.

use super::{
    from_cents, from_milli, Adjustment, AdjustmentReason, AdjustmentStatus, CardRow, Donor,
    FundingSource, Item, ItemCategory, LotBalance, MovementKind,
};
use crate::error::{Error, ErrorKind, Result};
use crate::family::model::{code_of, from_code, name_key};
use crate::locale::{self, Lang};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

fn item_row(r: &Row) -> rusqlite::Result<Item> {
    Ok(Item {
        id: r.get("id")?,
        code: r.get("code")?,
        name: r.get("name")?,
        unit: r.get("unit")?,
        category: from_code(&r.get::<_, String>("category")?).unwrap_or(ItemCategory::Lainnya),
        min_stock: from_milli(r.get("min_milli")?),
        retired: r.get::<_, Option<String>>("retired_at")?.is_some(),
        used: r.get("used")?,
    })
}

const ITEM_SELECT: &str =
    "SELECT i.*, EXISTS (SELECT 1 FROM movement m WHERE m.item_id = i.id) AS used FROM item i";

pub fn items(conn: &Connection, include_retired: bool) -> Result<Vec<Item>> {
    let mut st = conn.prepare_cached(&format!(
        "{ITEM_SELECT} WHERE ?1 OR i.retired_at IS NULL ORDER BY i.category <> 'sembako', i.category, i.id"
    ))?;
    let v = st
        .query_map([include_retired], item_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn item(conn: &Connection, id: i64) -> Result<Item> {
    let mut st = conn.prepare_cached(&format!("{ITEM_SELECT} WHERE i.id = ?1"))?;
    st.query_row([id], item_row).optional()?.ok_or_else(|| {
        Error::new(
            ErrorKind::NotFound,
            format!("Barang #{id} tidak ada."),
            format!("There is no item #{id}."),
        )
        .with_field("item_id")
    })
}

/// The donor with this name (compared folded), created if new.
pub fn donor_id(tx: &Transaction, name: &str, at: &str) -> Result<i64> {
    let key = name_key(name);
    if let Some(id) = tx
        .query_row("SELECT id FROM donor WHERE name_key = ?1", [&key], |r| {
            r.get(0)
        })
        .optional()?
    {
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO donor (name, name_key, created_at) VALUES (?1, ?2, ?3)",
        params![name, key, at],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn donors(conn: &Connection) -> Result<Vec<Donor>> {
    let mut st = conn.prepare(
        "SELECT d.id, d.name, d.contact, count(DISTINCT r.id), coalesce(sum(l.value_cents), 0)
         FROM donor d LEFT JOIN receipt r ON r.donor_id = d.id LEFT JOIN lot l ON l.receipt_id = r.id
         GROUP BY d.id ORDER BY d.name",
    )?;
    let v = st
        .query_map([], |r| {
            Ok(Donor {
                id: r.get(0)?,
                name: r.get(1)?,
                contact: r.get(2)?,
                receipts: r.get(3)?,
                total_value: from_cents(r.get(4)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A lot's current balance (thousandths), as kept beside the lot.
pub fn lot_balance(conn: &Connection, lot_id: i64) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT balance_milli FROM lot WHERE id = ?1",
            [lot_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// Lots whose kept balance differs from the sum of their movements: (lot, kept, summed).
/// Empty on a sound ledger.
pub fn verify_balances(conn: &Connection) -> Result<Vec<(i64, i64, i64)>> {
    // A lot is wrong when its kept balance or its monthly totals differ from its movements.
    let mut st = conn.prepare(
        "SELECT l.id, l.balance_milli, coalesce((SELECT sum(qty_milli) FROM movement m WHERE m.lot_id = l.id), 0) AS s
         FROM lot l
         WHERE l.balance_milli <> s
            OR EXISTS (SELECT 1 FROM (SELECT substr(date, 1, 7) AS mo, sum(qty_milli) AS q FROM movement m
                                      WHERE m.lot_id = l.id GROUP BY mo) x
                       LEFT JOIN lot_month lm ON lm.lot_id = l.id AND lm.month = x.mo
                       WHERE lm.net_milli IS NOT x.q)
            OR EXISTS (SELECT 1 FROM lot_month lm WHERE lm.lot_id = l.id AND lm.net_milli <> 0
                       AND NOT EXISTS (SELECT 1 FROM movement m WHERE m.lot_id = l.id
                                       AND substr(m.date, 1, 7) = lm.month))",
    )?;
    let v = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub struct LotInfo {
    pub item_id: i64,
    pub item: String,
    pub unit: String,
    pub lot_code: String,
}

pub fn lot_info(conn: &Connection, lot_id: i64) -> Result<LotInfo> {
    conn.query_row(
        "SELECT l.item_id, i.name, i.unit, l.lot_code FROM lot l JOIN item i ON i.id = l.item_id WHERE l.id = ?1",
        [lot_id],
        |r| Ok(LotInfo { item_id: r.get(0)?, item: r.get(1)?, unit: r.get(2)?, lot_code: r.get(3)? }),
    )
    .optional()?
    .ok_or_else(|| {
        Error::new(ErrorKind::NotFound, format!("Lot #{lot_id} tidak ada."), format!("There is no lot #{lot_id}."))
            .with_field("lot_id")
    })
}

/// The refusal of a movement that would take a lot below zero: names the item, the lot and the
/// shortfall.
pub fn shortfall(item: &str, unit: &str, lot: &str, have: i64, want: i64) -> Error {
    let short = from_milli(want - have);
    Error::new(
        ErrorKind::Conflict,
        format!(
            "Stok {item} lot {lot} tidak cukup: tersedia {} {unit}, diminta {} {unit}, kurang {} {unit}.",
            locale::decimal(from_milli(have), Lang::Id),
            locale::decimal(from_milli(want), Lang::Id),
            locale::decimal(short, Lang::Id)
        ),
        format!(
            "Not enough {item} in lot {lot}: {} {unit} on hand, {} {unit} asked, {} {unit} short.",
            locale::decimal(from_milli(have), Lang::En),
            locale::decimal(from_milli(want), Lang::En),
            locale::decimal(short, Lang::En)
        ),
    )
    .with_field("quantity")
}

/// The fields of one movement.
pub struct Move<'a> {
    pub date: &'a str,
    pub at: &'a str,
    pub lot_id: i64,
    pub kind: MovementKind,
    pub qty_milli: i64,
    pub doc_ref: &'a str,
    pub note: &'a str,
    pub actor: &'a str,
    pub reverses: Option<i64>,
    pub reference: Option<(&'a str, i64)>,
}

/// Appends a movement, refusing one that would make its lot negative.
pub fn append(tx: &Transaction, m: &Move) -> Result<i64> {
    let info = lot_info(tx, m.lot_id)?;
    if m.qty_milli < 0 {
        let have = lot_balance(tx, m.lot_id)?;
        if have + m.qty_milli < 0 {
            return Err(shortfall(
                &info.item,
                &info.unit,
                &info.lot_code,
                have,
                -m.qty_milli,
            ));
        }
    }
    tx.execute(
        "INSERT INTO movement (date, at, item_id, lot_id, kind, qty_milli, doc_ref, note, actor, reverses, ref_kind, ref_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            m.date,
            m.at,
            info.item_id,
            m.lot_id,
            code_of(&m.kind),
            m.qty_milli,
            m.doc_ref,
            m.note,
            m.actor,
            m.reverses,
            m.reference.map(|r| r.0),
            m.reference.map(|r| r.1)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Issues `qty_milli` of an item earliest-expiry first (no expiry last, then oldest receipt).
/// Returns (lot, thousandths) per lot used. Refused whole, naming the shortfall, if the item's
/// lots together do not hold enough.
#[allow(clippy::too_many_arguments)]
pub fn issue_fefo(
    tx: &Transaction,
    item_id: i64,
    qty_milli: i64,
    date: &str,
    at: &str,
    actor: &str,
    doc_ref: &str,
    note: &str,
    reference: Option<(&str, i64)>,
) -> Result<Vec<(i64, i64)>> {
    issue_fefo_from(
        tx, item_id, None, qty_milli, date, at, actor, doc_ref, note, reference,
    )
}

/// As [`issue_fefo`], from lots of one funding source only when `source` is given.
#[allow(clippy::too_many_arguments)]
pub fn issue_fefo_from(
    tx: &Transaction,
    item_id: i64,
    source: Option<&str>,
    qty_milli: i64,
    date: &str,
    at: &str,
    actor: &str,
    doc_ref: &str,
    note: &str,
    reference: Option<(&str, i64)>,
) -> Result<Vec<(i64, i64)>> {
    let lots: Vec<(i64, i64)> = match source {
        None => lots_with_stock(tx, Some(item_id), None)?,
        Some(src) => {
            let mut st = tx.prepare_cached(
                "SELECT l.id, l.balance_milli FROM lot l JOIN receipt r ON r.id = l.receipt_id
                 WHERE l.item_id = ?1 AND l.balance_milli > 0 AND r.source = ?2
                 ORDER BY l.expiry IS NULL, l.expiry, r.date, l.id",
            )?;
            let v = st
                .query_map(params![item_id, src], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            v
        }
    };
    let total: i64 = lots.iter().map(|l| l.1).sum();
    if total < qty_milli {
        let it = item(tx, item_id)?;
        let short = from_milli(qty_milli - total);
        return Err(Error::new(
            ErrorKind::Conflict,
            format!(
                "Stok {} tidak cukup: tersedia {} {u}, diperlukan {} {u}, kurang {} {u}.",
                it.name,
                locale::decimal(from_milli(total), Lang::Id),
                locale::decimal(from_milli(qty_milli), Lang::Id),
                locale::decimal(short, Lang::Id),
                u = it.unit
            ),
            format!(
                "Not enough {}: {} {u} on hand, {} {u} needed, {} {u} short.",
                it.name,
                locale::decimal(from_milli(total), Lang::En),
                locale::decimal(from_milli(qty_milli), Lang::En),
                locale::decimal(short, Lang::En),
                u = it.unit
            ),
        )
        .with_field("quantity"));
    }
    let mut left = qty_milli;
    let mut used = Vec::new();
    for (lot_id, have) in lots {
        if left == 0 {
            break;
        }
        let take = have.min(left);
        append(
            tx,
            &Move {
                date,
                at,
                lot_id,
                kind: MovementKind::Issue,
                qty_milli: -take,
                doc_ref,
                note,
                actor,
                reverses: None,
                reference,
            },
        )?;
        used.push((lot_id, take));
        left -= take;
    }
    Ok(used)
}

/// (lot, balance) of lots with stock, in FEFO order, optionally as of a date.
pub fn lots_with_stock(
    conn: &Connection,
    item_id: Option<i64>,
    as_of: Option<&str>,
) -> Result<Vec<(i64, i64)>> {
    if as_of.is_none() {
        // Now: the kept balances, through the partial index of lots in stock.
        let mut st = conn.prepare_cached(
            "SELECT l.id, l.balance_milli FROM lot l JOIN receipt r ON r.id = l.receipt_id
             WHERE (?1 IS NULL OR l.item_id = ?1) AND l.balance_milli > 0
             ORDER BY l.expiry IS NULL, l.expiry, r.date, l.id",
        )?;
        let v = st
            .query_map(params![item_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        return Ok(v);
    }
    let mut st = conn.prepare_cached(
        "SELECT l.id, sum(m.qty_milli) AS bal
         FROM lot l JOIN movement m ON m.lot_id = l.id JOIN receipt r ON r.id = l.receipt_id
         WHERE (?1 IS NULL OR l.item_id = ?1) AND (?2 IS NULL OR m.date <= ?2)
         GROUP BY l.id HAVING bal > 0
         ORDER BY l.expiry IS NULL, l.expiry, r.date, l.id",
    )?;
    let v = st
        .query_map(params![item_id, as_of], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Lot balances with their details, FEFO order, as of a date (None = now).
pub fn lot_balances(
    conn: &Connection,
    item_id: Option<i64>,
    as_of: Option<&str>,
) -> Result<Vec<LotBalance>> {
    // Now: the kept balances. As of a past date: the whole months before it from `lot_month`
    // plus that month's movements up to the day, for the lots received by then.
    let sql = if as_of.is_none() {
        "SELECT l.id, l.item_id, l.lot_code, l.expiry, r.source, d.name, r.date, l.balance_milli AS bal
         FROM lot l JOIN receipt r ON r.id = l.receipt_id LEFT JOIN donor d ON d.id = r.donor_id
         WHERE (?1 IS NULL OR l.item_id = ?1) AND ?2 IS NULL AND l.balance_milli > 0
         ORDER BY l.item_id, l.expiry IS NULL, l.expiry, r.date, l.id"
    } else {
        "SELECT * FROM (
           SELECT l.id, l.item_id, l.lot_code, l.expiry, r.source, d.name, r.date,
                  (SELECT coalesce(sum(lm.net_milli), 0) FROM lot_month lm
                    WHERE lm.lot_id = l.id AND lm.month < substr(?2, 1, 7))
                + (SELECT coalesce(sum(m.qty_milli), 0) FROM movement m
                    WHERE m.lot_id = l.id AND m.date >= substr(?2, 1, 7) AND m.date <= ?2) AS bal
           FROM lot l JOIN receipt r ON r.id = l.receipt_id LEFT JOIN donor d ON d.id = r.donor_id
           WHERE (?1 IS NULL OR l.item_id = ?1) AND r.date <= ?2)
         WHERE bal <> 0
         ORDER BY item_id, expiry IS NULL, expiry, date, id"
    };
    let mut st = conn.prepare_cached(sql)?;
    let v = st
        .query_map(params![item_id, as_of], |r| {
            Ok(LotBalance {
                lot_id: r.get(0)?,
                item_id: r.get(1)?,
                lot_code: r.get(2)?,
                expiry: r.get(3)?,
                source: from_code(&r.get::<_, String>(4)?).unwrap_or(FundingSource::Lainnya),
                donor: r.get(5)?,
                received_date: r.get(6)?,
                quantity: from_milli(r.get(7)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The item's movements from `from` to `to` (inclusive) with the running balance, and the
/// opening balance before `from`.
pub fn card(
    conn: &Connection,
    item_id: i64,
    from: &str,
    to: &str,
) -> Result<(i64, Vec<CardRow>, i64)> {
    // Whole months before `from` from `lot_month`, then that month's days before it.
    let opening: i64 = conn.query_row(
        "SELECT (SELECT coalesce(sum(net_milli), 0) FROM lot_month WHERE item_id = ?1 AND month < substr(?2, 1, 7))
              + (SELECT coalesce(sum(qty_milli), 0) FROM movement
                  WHERE item_id = ?1 AND date >= substr(?2, 1, 7) AND date < ?2)",
        params![item_id, from],
        |r| r.get(0),
    )?;
    let mut st = conn.prepare_cached(
        "SELECT m.id, m.date, m.doc_ref, m.kind, l.lot_code, m.qty_milli, m.note
         FROM movement m JOIN lot l ON l.id = m.lot_id
         WHERE m.item_id = ?1 AND m.date >= ?2 AND m.date <= ?3 ORDER BY m.date, m.id",
    )?;
    let mut bal = opening;
    let rows = st
        .query_map(params![item_id, from, to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(id, date, doc, kind, lot, q, note)| {
            bal += q;
            CardRow {
                movement_id: id,
                date,
                doc_ref: doc,
                kind: from_code(&kind).unwrap_or(MovementKind::Adjustment),
                lot_code: lot,
                qty_in: (q > 0).then(|| from_milli(q)),
                qty_out: (q < 0).then(|| from_milli(-q)),
                balance: from_milli(bal),
                note,
            }
        })
        .collect();
    Ok((opening, rows, bal))
}

pub fn adjustments(conn: &Connection, status: Option<AdjustmentStatus>) -> Result<Vec<Adjustment>> {
    let mut st = conn.prepare(
        "SELECT a.*, i.name AS item_name, i.unit, l.lot_code FROM adjustment a
         JOIN item i ON i.id = a.item_id JOIN lot l ON l.id = a.lot_id
         WHERE ?1 IS NULL OR a.status = ?1 ORDER BY a.status = 'pending' DESC, a.id DESC LIMIT 500",
    )?;
    let v = st
        .query_map([status.map(|s| code_of(&s))], |r| {
            Ok(Adjustment {
                id: r.get("id")?,
                item_id: r.get("item_id")?,
                item: r.get("item_name")?,
                unit: r.get("unit")?,
                lot_id: r.get("lot_id")?,
                lot_code: r.get("lot_code")?,
                quantity: from_milli(r.get("qty_milli")?),
                reason: from_code(&r.get::<_, String>("reason")?)
                    .unwrap_or(AdjustmentReason::Koreksi),
                note: r.get("note")?,
                status: from_code(&r.get::<_, String>("status")?)
                    .unwrap_or(AdjustmentStatus::Pending),
                requested_by: r.get("requested_by")?,
                requested_at: r.get("requested_at")?,
                decided_by: r.get("decided_by")?,
                decided_at: r.get("decided_at")?,
                decision_note: r.get("decision_note")?,
                opname_id: r.get("opname_id")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

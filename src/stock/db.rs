//! SQL for the stock ledger. Writers run inside the use case's transaction.

use super::{
    from_cents, from_milli, Adjustment, AdjustmentReason, AdjustmentStatus, CardRow, Donor,
    FundingSource, Item, ItemCategory, LotBalance, MovementKind, OpnameLine, OpnameStatus,
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
        "SELECT d.id, d.name, d.contact, count(DISTINCT r.id) AS receipts,
                coalesce(sum(l.value_cents), 0) AS value_cents
         FROM donor d LEFT JOIN receipt r ON r.donor_id = d.id LEFT JOIN lot l ON l.receipt_id = r.id
         GROUP BY d.id ORDER BY d.name",
    )?;
    let v = st
        .query_map([], |r| {
            Ok(Donor {
                id: r.get("id")?,
                name: r.get("name")?,
                contact: r.get("contact")?,
                receipts: r.get("receipts")?,
                total_value: from_cents(r.get("value_cents")?),
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
        .query_map([], |r| {
            Ok((r.get("id")?, r.get("balance_milli")?, r.get("s")?))
        })?
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
        |r| Ok(LotInfo { item_id: r.get("item_id")?, item: r.get("name")?, unit: r.get("unit")?, lot_code: r.get("lot_code")? }),
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

/// A lot that can be issued on a date, and how much of it.
#[derive(Debug, Clone)]
pub struct UsableLot {
    pub lot_id: i64,
    pub lot_code: String,
    pub expiry: Option<String>,
    /// Thousandths that can be taken on the date without the lot going below zero on that date
    /// or on any later one.
    pub usable: i64,
}

/// The lots of an item (of one funding source when given) that can be issued on `date`, in
/// issue order: earliest expiry first, no expiry last, then the oldest receipt. A lot received
/// after `date` or past its expiry on `date` is never among them. A late entry (`date` before
/// today) takes at most what the lot held on that day and kept on every later day, so the stock
/// card never shows it below zero.
pub fn usable_lots(
    conn: &Connection,
    item_id: i64,
    source: Option<&str>,
    date: &str,
) -> Result<Vec<UsableLot>> {
    let lots = conn
        .prepare_cached(
            "SELECT l.id, l.lot_code, l.expiry, l.balance_milli FROM lot l JOIN receipt r ON r.id = l.receipt_id
             WHERE l.item_id = ?1 AND l.balance_milli > 0 AND (?2 IS NULL OR r.source = ?2)
               AND r.date <= ?3 AND (l.expiry IS NULL OR l.expiry >= ?3)
             ORDER BY l.expiry IS NULL, l.expiry, r.date, l.id",
        )?
        .query_map(params![item_id, source, date], |r| {
            Ok(UsableLot {
                lot_id: r.get("id")?,
                lot_code: r.get("lot_code")?,
                expiry: r.get("expiry")?,
                usable: r.get("balance_milli")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut later = conn.prepare_cached(
        "SELECT qty_milli FROM movement WHERE lot_id = ?1 AND date > ?2 ORDER BY date, id",
    )?;
    let mut out = Vec::with_capacity(lots.len());
    for mut l in lots {
        let after: Vec<i64> = later
            .query_map(params![l.lot_id, date], |r| r.get("qty_milli"))?
            .collect::<rusqlite::Result<_>>()?;
        if !after.is_empty() {
            // The balance at the end of `date`, then the lowest it goes afterwards.
            let mut bal = l.usable - after.iter().sum::<i64>();
            let mut low = bal;
            for q in after {
                bal += q;
                low = low.min(bal);
            }
            l.usable = low.min(l.usable);
        }
        if l.usable > 0 {
            out.push(l);
        }
    }
    Ok(out)
}

/// Stock of an item (and source) in lots that will be past their expiry on `date`.
pub fn expired_on(
    conn: &Connection,
    item_id: i64,
    source: Option<&str>,
    date: &str,
) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(l.balance_milli), 0) FROM lot l JOIN receipt r ON r.id = l.receipt_id
             WHERE l.item_id = ?1 AND l.balance_milli > 0 AND (?2 IS NULL OR r.source = ?2)
               AND r.date <= ?3 AND l.expiry < ?3",
        )?
        .query_row(params![item_id, source, date], |r| r.get(0))?)
}

/// Which lots an issue of `qty_milli` on `date` would take, and how much of each: earliest
/// expiry first, never an expired lot. Refused whole, naming the shortfall (and any stock left
/// out because it is expired), when the usable lots do not hold enough.
pub fn plan_issue(
    conn: &Connection,
    item_id: i64,
    source: Option<&str>,
    qty_milli: i64,
    date: &str,
) -> Result<Vec<(UsableLot, i64)>> {
    let lots = usable_lots(conn, item_id, source, date)?;
    let total: i64 = lots.iter().map(|l| l.usable).sum();
    if total < qty_milli {
        let it = item(conn, item_id)?;
        let expired = expired_on(conn, item_id, source, date)?;
        let short = from_milli(qty_milli - total);
        let (ex_id, ex_en) = if expired > 0 {
            (
                format!(
                    " ({} {u} lagi sudah kedaluwarsa dan tidak diberikan)",
                    locale::decimal(from_milli(expired), Lang::Id),
                    u = it.unit
                ),
                format!(
                    " ({} {u} more is expired and never handed out)",
                    locale::decimal(from_milli(expired), Lang::En),
                    u = it.unit
                ),
            )
        } else {
            (String::new(), String::new())
        };
        return Err(Error::new(
            ErrorKind::Conflict,
            format!(
                "Stok {} tidak cukup: tersedia {} {u}{ex_id}, diperlukan {} {u}, kurang {} {u}.",
                it.name,
                locale::decimal(from_milli(total), Lang::Id),
                locale::decimal(from_milli(qty_milli), Lang::Id),
                locale::decimal(short, Lang::Id),
                u = it.unit
            ),
            format!(
                "Not enough {}: {} {u} on hand{ex_en}, {} {u} needed, {} {u} short.",
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
    let mut plan = Vec::new();
    for l in lots {
        if left == 0 {
            break;
        }
        let take = l.usable.min(left);
        left -= take;
        plan.push((l, take));
    }
    Ok(plan)
}

/// What an issue is, besides its lots.
pub struct Issue<'a> {
    pub item_id: i64,
    /// Only lots of this funding source, when given.
    pub source: Option<&'a str>,
    pub qty_milli: i64,
    pub date: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    pub doc_ref: &'a str,
    pub note: &'a str,
    pub reference: Option<(&'a str, i64)>,
}

/// Issues stock as [`plan_issue`] plans it, one movement per lot. Returns (lot, thousandths).
pub fn issue(tx: &Transaction, i: &Issue) -> Result<Vec<(i64, i64)>> {
    let plan = plan_issue(tx, i.item_id, i.source, i.qty_milli, i.date)?;
    let mut used = Vec::with_capacity(plan.len());
    for (lot, take) in plan {
        append(
            tx,
            &Move {
                date: i.date,
                at: i.at,
                lot_id: lot.lot_id,
                kind: MovementKind::Issue,
                qty_milli: -take,
                doc_ref: i.doc_ref,
                note: i.note,
                actor: i.actor,
                reverses: None,
                reference: i.reference,
            },
        )?;
        used.push((lot.lot_id, take));
    }
    Ok(used)
}

/// The funding source a lot was received under.
pub fn lot_source(conn: &Connection, lot_id: i64) -> Result<FundingSource> {
    let s: String = conn
        .prepare_cached(
            "SELECT r.source FROM lot l JOIN receipt r ON r.id = l.receipt_id WHERE l.id = ?1",
        )?
        .query_row([lot_id], |r| r.get("source"))?;
    Ok(from_code(&s).unwrap_or(FundingSource::Lainnya))
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
        "SELECT l.id, l.item_id, l.lot_code, l.expiry, r.source, d.name AS donor, r.date, l.balance_milli AS bal
         FROM lot l JOIN receipt r ON r.id = l.receipt_id LEFT JOIN donor d ON d.id = r.donor_id
         WHERE (?1 IS NULL OR l.item_id = ?1) AND ?2 IS NULL AND l.balance_milli > 0
         ORDER BY l.item_id, l.expiry IS NULL, l.expiry, r.date, l.id"
    } else {
        "SELECT * FROM (
           SELECT l.id, l.item_id, l.lot_code, l.expiry, r.source, d.name AS donor, r.date,
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
                lot_id: r.get("id")?,
                item_id: r.get("item_id")?,
                lot_code: r.get("lot_code")?,
                expiry: r.get("expiry")?,
                source: from_code(&r.get::<_, String>("source")?).unwrap_or(FundingSource::Lainnya),
                donor: r.get("donor")?,
                received_date: r.get("date")?,
                quantity: from_milli(r.get("bal")?),
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
                r.get::<_, i64>("id")?,
                r.get::<_, String>("date")?,
                r.get::<_, String>("doc_ref")?,
                r.get::<_, String>("kind")?,
                r.get::<_, String>("lot_code")?,
                r.get::<_, i64>("qty_milli")?,
                r.get::<_, String>("note")?,
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
    adjustments_where(
        conn,
        "?1 IS NULL OR a.status = ?1",
        status.map(|s| code_of(&s)),
    )
}

fn adjustments_where(
    conn: &Connection,
    filter: &str,
    arg: impl rusqlite::ToSql,
) -> Result<Vec<Adjustment>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT a.*, i.name AS item_name, i.unit, l.lot_code FROM adjustment a
         JOIN item i ON i.id = a.item_id JOIN lot l ON l.id = a.lot_id
         WHERE {filter} ORDER BY a.status = 'pending' DESC, a.id DESC LIMIT 500"
    ))?;
    let v = st
        .query_map([arg], |r| {
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

// ----- items -------------------------------------------------------------------------------

/// An item of this name (compared case-insensitively) that is not retired.
pub fn item_name_taken(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM item WHERE lower(name) = lower(?1) AND retired_at IS NULL)",
        [name],
        |r| r.get(0),
    )?)
}

/// A free item code: `base`, else `base-2`, `base-3`, …
pub fn free_item_code(conn: &Connection, base: &str) -> Result<String> {
    let mut code = base.to_owned();
    let mut k = 1;
    let mut st = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM item WHERE code = ?1)")?;
    while st.query_row([&code], |r| r.get::<_, bool>(0))? {
        k += 1;
        code = format!("{base}-{k}");
    }
    Ok(code)
}

pub fn insert_item(
    conn: &Connection,
    code: &str,
    name: &str,
    unit: &str,
    category: ItemCategory,
    min_milli: i64,
    at: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO item (code, name, unit, category, min_milli, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![code, name, unit, code_of(&category), min_milli, at],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn set_item_minimum(conn: &Connection, item_id: i64, min_milli: i64) -> Result<()> {
    conn.execute(
        "UPDATE item SET min_milli = ?2 WHERE id = ?1",
        params![item_id, min_milli],
    )?;
    Ok(())
}

/// Retires an item; false when it already was.
pub fn retire_item(conn: &Connection, item_id: i64, at: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE item SET retired_at = ?2 WHERE id = ?1 AND retired_at IS NULL",
        params![item_id, at],
    )? == 1)
}

// ----- receiving ---------------------------------------------------------------------------

/// The document of a receiving.
pub struct NewReceipt<'a> {
    pub date: &'a str,
    pub source: FundingSource,
    pub donor_id: Option<i64>,
    pub source_note: &'a str,
    pub doc_ref: &'a str,
    pub received_by: &'a str,
    pub note: &'a str,
}

pub fn insert_receipt(conn: &Connection, r: &NewReceipt, at: &str, actor: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO receipt (date, source, donor_id, source_note, doc_ref, received_by, note, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            r.date,
            code_of(&r.source),
            r.donor_id,
            r.source_note,
            r.doc_ref,
            r.received_by,
            r.note,
            at,
            actor
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn insert_lot(
    conn: &Connection,
    item_id: i64,
    receipt_id: i64,
    lot_code: &str,
    expiry: Option<&str>,
    value_cents: i64,
    received_milli: i64,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO lot (item_id, receipt_id, lot_code, expiry, value_cents, received_milli) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![item_id, receipt_id, lot_code, expiry, value_cents, received_milli],
    )?;
    Ok(conn.last_insert_rowid())
}

// ----- movements ---------------------------------------------------------------------------

/// A movement as a reversal needs it.
pub struct MovementRow {
    pub id: i64,
    pub lot_id: i64,
    pub qty_milli: i64,
    pub kind: MovementKind,
    pub doc_ref: String,
    /// What wrote it (`handover`, `receipt`, `adjustment`, `opname`), when a use case did.
    pub ref_kind: Option<String>,
    /// The movement it reverses, for a reversal.
    pub reverses: Option<i64>,
}

pub fn movement(conn: &Connection, id: i64) -> Result<Option<MovementRow>> {
    Ok(conn
        .prepare_cached("SELECT * FROM movement WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(MovementRow {
                id: r.get("id")?,
                lot_id: r.get("lot_id")?,
                qty_milli: r.get("qty_milli")?,
                kind: from_code(&r.get::<_, String>("kind")?).unwrap_or(MovementKind::Adjustment),
                doc_ref: r.get("doc_ref")?,
                ref_kind: r.get("ref_kind")?,
                reverses: r.get("reverses")?,
            })
        })
        .optional()?)
}

/// The reversal of a movement, if it has one.
pub fn reversal_of(conn: &Connection, movement_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT reversal_id FROM reversal WHERE movement_id = ?1")?
        .query_row([movement_id], |r| r.get("reversal_id"))
        .optional()?)
}

/// The issue movements a use case wrote under a reference (e.g. a hand-over's).
pub fn issues_of(conn: &Connection, ref_kind: &str, ref_id: i64) -> Result<Vec<MovementRow>> {
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM movement WHERE ref_kind = ?1 AND ref_id = ?2 AND kind = 'issue' ORDER BY id",
        )?
        .query_map(params![ref_kind, ref_id], |r| r.get("id"))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(m) = movement(conn, id)? {
            out.push(m);
        }
    }
    Ok(out)
}

// ----- adjustments -------------------------------------------------------------------------

#[allow(clippy::too_many_arguments)]
pub fn insert_adjustment(
    conn: &Connection,
    item_id: i64,
    lot_id: i64,
    qty_milli: i64,
    reason: AdjustmentReason,
    note: &str,
    at: &str,
    actor: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO adjustment (item_id, lot_id, qty_milli, reason, note, requested_by, requested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![item_id, lot_id, qty_milli, code_of(&reason), note, actor, at],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn adjustment(conn: &Connection, id: i64) -> Result<Adjustment> {
    adjustments_where(conn, "a.id = ?1", id)?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("Penyesuaian #{id} tidak ada."),
                format!("There is no adjustment #{id}."),
            )
        })
}

/// Decides a pending adjustment; false when it was no longer pending (decided by another
/// session first).
pub fn decide_adjustment(
    conn: &Connection,
    id: i64,
    approve: bool,
    actor: &str,
    at: &str,
    note: &str,
    movement_id: Option<i64>,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE adjustment SET status = ?2, decided_by = ?3, decided_at = ?4, decision_note = ?5, movement_id = ?6
         WHERE id = ?1 AND status = 'pending'",
        params![
            id,
            if approve { "approved" } else { "rejected" },
            actor,
            at,
            note,
            movement_id
        ],
    )? == 1)
}

// ----- stock opname ------------------------------------------------------------------------

/// The stock opname being counted, if one is.
pub fn open_opname(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM opname WHERE status = 'counting'")?
        .query_row([], |r| r.get("id"))
        .optional()?)
}

/// Starts an opname and freezes every lot's recorded balance. Returns (opname, lots frozen).
pub fn start_opname(conn: &Connection, date: &str, actor: &str, at: &str) -> Result<(i64, usize)> {
    conn.execute(
        "INSERT INTO opname (date, started_by, started_at) VALUES (?1, ?2, ?3)",
        params![date, actor, at],
    )?;
    let id = conn.last_insert_rowid();
    let n = conn.execute(
        "INSERT INTO opname_line (opname_id, lot_id, item_id, recorded_milli)
         SELECT ?1, l.id, l.item_id, sum(m.qty_milli) FROM lot l JOIN movement m ON m.lot_id = l.id
         GROUP BY l.id HAVING sum(m.qty_milli) <> 0",
        [id],
    )?;
    Ok((id, n))
}

/// An opname's head row.
pub struct OpnameHead {
    pub status: OpnameStatus,
    pub date: String,
    pub started_by: String,
    pub started_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

pub fn opname_head(conn: &Connection, id: i64) -> Result<OpnameHead> {
    conn.prepare_cached("SELECT * FROM opname WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(OpnameHead {
                status: from_code(&r.get::<_, String>("status")?)
                    .unwrap_or(OpnameStatus::Cancelled),
                date: r.get("date")?,
                started_by: r.get("started_by")?,
                started_at: r.get("started_at")?,
                decided_by: r.get("decided_by")?,
                decided_at: r.get("decided_at")?,
            })
        })
        .optional()?
        .ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("Stock opname #{id} tidak ada."),
                format!("There is no stock-take #{id}."),
            )
        })
}

/// A counted lot's recorded balance (over `opname_line ol JOIN opname op`): the ledger's when
/// the count was entered, plus what was entered after the count but dated before the opname's
/// day (a home visit's hand-over written up later had already left the shelf), up to the
/// approval. The sheet shows it and the approval adjusts by it.
const RECORDED: &str = "ol.recorded_milli + coalesce((
        SELECT sum(mv.qty_milli) FROM movement mv
        WHERE mv.lot_id = ol.lot_id AND mv.at > ol.counted_at
          AND mv.at <= coalesce(op.decided_at, '9999') AND mv.date < op.date), 0)";

/// An opname's lines; recorded figures and variances hidden when `blind`.
pub fn opname_lines(conn: &Connection, id: i64, blind: bool) -> Result<Vec<OpnameLine>> {
    let v = conn
        .prepare_cached(
            // The recorded side as the approval takes it.
            &format!(
                "SELECT ol.lot_id, ol.item_id, i.name, i.unit, l.lot_code, l.expiry, ol.counted_milli,
                        ol.counted_by, {RECORDED} AS recorded_milli
                 FROM opname_line ol JOIN opname op ON op.id = ol.opname_id
                 JOIN item i ON i.id = ol.item_id JOIN lot l ON l.id = ol.lot_id
                 WHERE ol.opname_id = ?1 ORDER BY i.category, i.id, l.expiry IS NULL, l.expiry, l.id"
            ),
        )?
        .query_map([id], |r| {
            let rec: i64 = r.get("recorded_milli")?;
            let counted: Option<i64> = r.get("counted_milli")?;
            Ok(OpnameLine {
                lot_id: r.get("lot_id")?,
                item_id: r.get("item_id")?,
                item: r.get("name")?,
                unit: r.get("unit")?,
                lot_code: r.get("lot_code")?,
                expiry: r.get("expiry")?,
                recorded: (!blind).then(|| from_milli(rec)),
                counted: counted.map(from_milli),
                variance: if blind {
                    None
                } else {
                    counted.map(|c| from_milli(c - rec))
                },
                counted_by: r.get("counted_by")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn opname_list(conn: &Connection) -> Result<Vec<(i64, OpnameStatus, String)>> {
    let v = conn
        .prepare("SELECT id, status, date FROM opname ORDER BY id DESC LIMIT 100")?
        .query_map([], |r| {
            Ok((
                r.get("id")?,
                from_code(&r.get::<_, String>("status")?).unwrap_or(OpnameStatus::Cancelled),
                r.get("date")?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Enters (or clears) one lot's count; false when the lot is not in the opname.
/// Enters (or clears) a lot's count. A count is of the shelf at the moment it is entered, so the
/// recorded figure it is compared with becomes the ledger's balance at that moment, read in the
/// same transaction: a hand-over or issue between the opname's start and the count is neither
/// counted twice nor undone by the approval's adjustment.
pub fn set_count(
    conn: &Connection,
    id: i64,
    lot_id: i64,
    counted: Option<i64>,
    actor: &str,
    at: &str,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE opname_line SET counted_milli = ?3, counted_by = ?4, counted_at = ?5,
             recorded_milli = CASE WHEN ?3 IS NULL THEN recorded_milli
                 ELSE (SELECT coalesce(sum(qty_milli), 0) FROM movement WHERE lot_id = ?2) END
         WHERE opname_id = ?1 AND lot_id = ?2",
        params![
            id,
            lot_id,
            counted,
            counted.map(|_| actor),
            counted.map(|_| at)
        ],
    )? == 1)
}

/// Counted lots whose count differs from the recorded balance (`RECORDED`): (lot, item,
/// recorded, counted).
pub fn opname_variances(conn: &Connection, id: i64) -> Result<Vec<(i64, i64, i64, i64)>> {
    let v = conn
        .prepare_cached(&format!(
            "SELECT lot_id, item_id, recorded_milli, counted_milli FROM (
                     SELECT ol.lot_id, ol.item_id, ol.counted_milli, {RECORDED} AS recorded_milli
                     FROM opname_line ol JOIN opname op ON op.id = ol.opname_id
                     WHERE ol.opname_id = ?1 AND ol.counted_milli IS NOT NULL)
                 WHERE counted_milli <> recorded_milli"
        ))?
        .query_map([id], |r| {
            Ok((
                r.get("lot_id")?,
                r.get("item_id")?,
                r.get("recorded_milli")?,
                r.get("counted_milli")?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Records an approved opname variance as its adjustment.
#[allow(clippy::too_many_arguments)]
pub fn insert_opname_adjustment(
    conn: &Connection,
    opname_id: i64,
    item_id: i64,
    lot_id: i64,
    delta: i64,
    movement_id: i64,
    actor: &str,
    at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO adjustment (item_id, lot_id, qty_milli, reason, note, status, requested_by, requested_at, decided_by, decided_at, movement_id, opname_id)
         VALUES (?1, ?2, ?3, 'opname', 'selisih stock opname', 'approved', ?4, ?5, ?4, ?5, ?6, ?7)",
        params![item_id, lot_id, delta, actor, at, movement_id, opname_id],
    )?;
    Ok(())
}

/// Ends an opname being counted (approved or cancelled); false when it was no longer counting.
pub fn finish_opname(
    conn: &Connection,
    id: i64,
    status: OpnameStatus,
    actor: &str,
    at: &str,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE opname SET status = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?1 AND status = 'counting'",
        params![id, code_of(&status), actor, at],
    )? == 1)
}

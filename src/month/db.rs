//! The month's SQL: closings, the lock, the checklist's records and the report's figures.

use super::{Closing, Lock, Month};
use crate::error::Result;
use rusqlite::{params, OptionalExtension, Row};
use rusqlite::{Connection, Transaction};

const CLOSING_COLUMNS: &str = "period, revision, nihil, closed_at, closed_by, closed_by_name,
    report_sha256, pdf_sha256, xlsx_sha256, audit_head, reopened_at, reopened_by, reopen_reason";

fn closing_row(r: &Row) -> rusqlite::Result<Closing> {
    Ok(Closing {
        period: r.get("period")?,
        revision: r.get("revision")?,
        nihil: r.get("nihil")?,
        closed_at: r.get("closed_at")?,
        closed_by: r.get("closed_by")?,
        closed_by_name: r.get("closed_by_name")?,
        report_sha256: r.get("report_sha256")?,
        pdf_sha256: r.get("pdf_sha256")?,
        xlsx_sha256: r.get("xlsx_sha256")?,
        audit_head: r.get("audit_head")?,
        reopened_at: r.get("reopened_at")?,
        reopened_by: r.get("reopened_by")?,
        reopen_reason: r.get("reopen_reason")?,
    })
}

/// Every month's latest closing, oldest month first.
pub fn latest_closings(conn: &Connection) -> Result<Vec<Closing>> {
    let sql = format!(
        "SELECT {CLOSING_COLUMNS} FROM month_close c
         WHERE revision = (SELECT max(revision) FROM month_close WHERE period = c.period)
         ORDER BY period"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let v = st
        .query_map([], closing_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The latest closing of a month, if it was ever closed.
pub fn latest_closing(conn: &Connection, period: &str) -> Result<Option<Closing>> {
    let sql = format!(
        "SELECT {CLOSING_COLUMNS} FROM month_close WHERE period = ?1 ORDER BY revision DESC LIMIT 1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([period], closing_row)
        .optional()?)
}

/// The closing that locks a day (ISO date): the earliest closed, not reopened month on or after
/// the day's month.
pub fn lock_of(conn: &Connection, date: &str) -> Result<Option<Lock>> {
    let row: Option<(String, String, String)> = conn
        .prepare_cached(
            "SELECT period, closed_by_name, closed_at FROM month_close
             WHERE period >= substr(?1, 1, 7) AND reopened_at IS NULL
             ORDER BY period LIMIT 1",
        )?
        .query_row([date], |r| {
            Ok((
                r.get("period")?,
                r.get("closed_by_name")?,
                r.get("closed_at")?,
            ))
        })
        .optional()?;
    Ok(row.and_then(|(period, closed_by_name, closed_at)| {
        Some(Lock {
            period: Month::parse(&period)?,
            closed_by_name,
            closed_at: chrono::DateTime::parse_from_rfc3339(&closed_at)
                .ok()?
                .with_timezone(&chrono::Utc),
        })
    }))
}

/// The facility's first month: the earliest of its setup and of its dated records (events,
/// receipts, stock opnames; a hand-over is never before its event, a movement never before its
/// lot's receipt).
pub fn first_month(conn: &Connection) -> Result<Option<String>> {
    let dated: Option<String> = conn
        .prepare_cached(
            "SELECT min(d) FROM (
                SELECT min(date) AS d FROM event
                UNION ALL SELECT min(date) FROM receipt
                UNION ALL SELECT min(date) FROM opname)",
        )?
        .query_row([], |r| r.get(0))?;
    // The day of setup at the facility, not in UTC: set up at 05.00 WIB on 1 December, the
    // facility's first month is December (its stamp reads 30 November, 22.00 UTC).
    let setup: Option<(String, String)> = conn
        .prepare_cached("SELECT created_at, time_zone FROM facility WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let set_up_on = setup.and_then(|(at, tz)| {
        let t = chrono::DateTime::parse_from_rfc3339(&at).ok()?;
        let tz = crate::locale::TimeZone::parse(&tz)?;
        Some(tz.today(t.with_timezone(&chrono::Utc)).to_string())
    });
    Ok([dated, set_up_on]
        .into_iter()
        .flatten()
        .min()
        .and_then(|d| d.get(..7).map(str::to_owned)))
}

pub struct NewClosing<'a> {
    pub period: &'a str,
    pub revision: u32,
    pub nihil: bool,
    pub at: &'a str,
    pub by: &'a str,
    pub by_name: &'a str,
    pub audit_head: &'a str,
    pub totals: &'a str,
    pub report: &'a [u8],
    pub pdf: &'a [u8],
    pub xlsx: &'a [u8],
}

pub fn insert_closing(tx: &Transaction, c: &NewClosing) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO month_close (period, revision, nihil, closed_at, closed_by, closed_by_name,
                                  audit_head, totals, report, report_sha256, pdf, pdf_sha256,
                                  xlsx, xlsx_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        c.period,
        c.revision,
        c.nihil,
        c.at,
        c.by,
        c.by_name,
        c.audit_head,
        c.totals,
        c.report,
        super::sha256_hex(c.report),
        c.pdf,
        super::sha256_hex(c.pdf),
        c.xlsx,
        super::sha256_hex(c.xlsx),
    ])?;
    Ok(())
}

/// Marks the latest closing of `period` reopened; false when it was not closed (or reopened).
pub fn reopen(tx: &Transaction, period: &str, at: &str, by: &str, reason: &str) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE month_close SET reopened_at = ?2, reopened_by = ?3, reopen_reason = ?4
             WHERE period = ?1 AND reopened_at IS NULL
               AND revision = (SELECT max(revision) FROM month_close WHERE period = ?1)",
        )?
        .execute(params![period, at, by, reason])?;
    Ok(n == 1)
}

/// The stored files of a closing: the report's canonical data, its PDF and its XLSX.
pub struct Stored {
    pub report: Vec<u8>,
    pub pdf: Vec<u8>,
    pub xlsx: Vec<u8>,
}

pub fn stored(conn: &Connection, period: &str, revision: Option<u32>) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached(
            "SELECT report, pdf, xlsx FROM month_close WHERE period = ?1
               AND revision = coalesce(?2, (SELECT max(revision) FROM month_close WHERE period = ?1))",
        )?
        .query_row(params![period, revision], |r| {
            Ok(Stored {
                report: r.get("report")?,
                pdf: r.get("pdf")?,
                xlsx: r.get("xlsx")?,
            })
        })
        .optional()?)
}

// ---- the checklist ----

/// Events of the month still draft or approved: (id, date, place, status).
pub fn unfinished_events(
    conn: &Connection,
    m: Month,
) -> Result<Vec<(i64, String, String, String)>> {
    let mut st = conn.prepare_cached(
        "SELECT id, date, place, status FROM event
         WHERE date BETWEEN ?1 AND ?2 AND status IN ('draft', 'approved') ORDER BY date, id",
    )?;
    let v = st
        .query_map(params![m.first().to_string(), m.last().to_string()], |r| {
            Ok((
                r.get("id")?,
                r.get("date")?,
                r.get("place")?,
                r.get("status")?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Adjustments requested before `until` (a UTC stamp) still waiting: (id, item name, requested_at).
pub fn pending_adjustments(conn: &Connection, until: &str) -> Result<Vec<(i64, String, String)>> {
    let mut st = conn.prepare_cached(
        "SELECT a.id, i.name, a.requested_at FROM adjustment a JOIN item i ON i.id = a.item_id
         WHERE a.status = 'pending' AND a.requested_at < ?1 AND a.opname_id IS NULL ORDER BY a.id",
    )?;
    let v = st
        .query_map([until], |r| {
            Ok((r.get("id")?, r.get("name")?, r.get("requested_at")?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Stock opnames dated by the month's end still being counted: (id, date).
pub fn counting_opnames(conn: &Connection, m: Month) -> Result<Vec<(i64, String)>> {
    let mut st = conn.prepare_cached(
        "SELECT id, date FROM opname WHERE status = 'counting' AND date <= ?1 ORDER BY id",
    )?;
    let v = st
        .query_map([m.last().to_string()], |r| {
            Ok((r.get("id")?, r.get("date")?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A hand-over by its id and BAST number.
pub type Numbered = (i64, String);

/// The month's live hand-overs without a scan, and those to a proxy.
pub fn handovers_to_look_at(conn: &Connection, m: Month) -> Result<(Vec<Numbered>, Vec<Numbered>)> {
    let mut st = conn.prepare_cached(
        "SELECT h.id, h.bast_no, h.to_proxy,
                EXISTS (SELECT 1 FROM attachment a WHERE a.owner_kind = 'handover' AND a.owner_id = h.id) AS scanned
         FROM handover h WHERE h.date BETWEEN ?1 AND ?2 AND h.voided_at IS NULL ORDER BY h.year, h.seq",
    )?;
    let (mut unscanned, mut proxy) = (Vec::new(), Vec::new());
    let rows = st.query_map(params![m.first().to_string(), m.last().to_string()], |r| {
        Ok((
            r.get::<_, i64>("id")?,
            r.get::<_, String>("bast_no")?,
            r.get::<_, bool>("to_proxy")?,
            r.get::<_, bool>("scanned")?,
        ))
    })?;
    for row in rows {
        let (id, no, to_proxy, scanned) = row?;
        if !scanned {
            unscanned.push((id, no.clone()));
        }
        if to_proxy {
            proxy.push((id, no));
        }
    }
    Ok((unscanned, proxy))
}

// ---- the report's figures ----

/// A live hand-over of the month as the report counts it.
pub struct ServedRow {
    pub family_id: i64,
    pub wbp: bool,
    pub to_proxy: bool,
    pub event_id: i64,
}

/// Whether any live hand-over is dated in the month (else its bundle is a nihil one).
pub fn any_served(conn: &Connection, m: Month) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM handover
              WHERE date BETWEEN ?1 AND ?2 AND voided_at IS NULL)",
        )?
        .query_row(params![m.first().to_string(), m.last().to_string()], |r| {
            r.get(0)
        })?)
}

pub fn served(conn: &Connection, m: Month) -> Result<Vec<ServedRow>> {
    let mut st = conn.prepare_cached(
        "SELECT h.family_id, coalesce(h.category, f.category) AS category, h.to_proxy, h.event_id
         FROM handover h
         JOIN family f ON f.id = h.family_id
         WHERE h.date BETWEEN ?1 AND ?2 AND h.voided_at IS NULL",
    )?;
    let v = st
        .query_map(params![m.first().to_string(), m.last().to_string()], |r| {
            Ok(ServedRow {
                family_id: r.get("family_id")?,
                wbp: r.get::<_, String>("category")? == "keluarga_wbp",
                to_proxy: r.get("to_proxy")?,
                event_id: r.get("event_id")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// An item with the stock it opened the month with (thousandths).
pub struct ItemOpening {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub opening_milli: i64,
}

/// Every item that has a movement by the month's end, with its opening balance.
pub fn items_with_opening(conn: &Connection, m: Month) -> Result<Vec<ItemOpening>> {
    let mut st = conn.prepare_cached(
        "SELECT i.id, i.code, i.name, i.unit,
                (SELECT coalesce(sum(net_milli), 0) FROM lot_month lm
                  WHERE lm.item_id = i.id AND lm.month < ?1) AS opening
         FROM item i
         WHERE EXISTS (SELECT 1 FROM lot_month lm WHERE lm.item_id = i.id AND lm.month <= ?1)
         ORDER BY i.id",
    )?;
    let v = st
        .query_map([m.key()], |r| {
            Ok(ItemOpening {
                id: r.get("id")?,
                code: r.get("code")?,
                name: r.get("name")?,
                unit: r.get("unit")?,
                opening_milli: r.get("opening")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The month's movements of an item summed by kind (a reversal by the kind it reverses) and by
/// the funding source of the lot: (kind, reversed kind or "", source, sum).
pub fn item_flows(
    conn: &Connection,
    item_id: i64,
    m: Month,
) -> Result<Vec<(String, String, String, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT m.kind, coalesce(o.kind, '') AS reversed, r.source, sum(m.qty_milli) AS q
         FROM movement m JOIN lot l ON l.id = m.lot_id JOIN receipt r ON r.id = l.receipt_id
         LEFT JOIN movement o ON o.id = m.reverses
         WHERE m.item_id = ?1 AND m.date BETWEEN ?2 AND ?3
         GROUP BY m.kind, reversed, r.source ORDER BY m.kind, reversed, r.source",
    )?;
    let v = st
        .query_map(
            params![item_id, m.first().to_string(), m.last().to_string()],
            |r| {
                Ok((
                    r.get("kind")?,
                    r.get("reversed")?,
                    r.get("source")?,
                    r.get("q")?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// What the month's live hand-overs took, by item and funding source: (item, source, thousandths).
pub fn handed_over(conn: &Connection, m: Month) -> Result<Vec<(i64, String, i64)>> {
    let mut st = conn.prepare_cached(
        // CROSS JOIN keeps the month's hand-overs (by day) the outer loop and finds each one's
        // issues by reference; left to itself the planner walked every issue movement (2 s).
        "SELECT mv.item_id, r.source, -sum(mv.qty_milli) AS q
         FROM handover h CROSS JOIN movement mv
         JOIN lot l ON l.id = mv.lot_id JOIN receipt r ON r.id = l.receipt_id
         WHERE h.date BETWEEN ?1 AND ?2 AND h.voided_at IS NULL
           AND mv.ref_kind = 'handover' AND mv.ref_id = h.id AND mv.kind = 'issue'
         GROUP BY mv.item_id, r.source ORDER BY mv.item_id, r.source",
    )?;
    let v = st
        .query_map(params![m.first().to_string(), m.last().to_string()], |r| {
            Ok((r.get("item_id")?, r.get("source")?, r.get("q")?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A lot received in the month: its source, donor and value.
pub struct LotReceived {
    pub source: String,
    pub donor: Option<String>,
    pub value_cents: i64,
}

pub fn lots_received(conn: &Connection, m: Month) -> Result<Vec<LotReceived>> {
    // A lot's value counts in the month it was received, and comes off again in the month its
    // receipt was reversed (a receipt entered twice): the rupiah follow the quantities.
    let mut st = conn.prepare_cached(
        "SELECT source, donor, value_cents FROM (
             SELECT r.date AS d, l.id AS lot, 0 AS undo, r.source, dn.name AS donor, l.value_cents
             FROM receipt r JOIN lot l ON l.receipt_id = r.id
             LEFT JOIN donor dn ON dn.id = r.donor_id
             WHERE r.date BETWEEN ?1 AND ?2
             UNION ALL
             SELECT rv.date, l.id, 1, r.source, dn.name, -l.value_cents
             FROM movement rv JOIN movement o ON o.id = rv.reverses AND o.kind = 'receipt'
             JOIN lot l ON l.id = o.lot_id JOIN receipt r ON r.id = l.receipt_id
             LEFT JOIN donor dn ON dn.id = r.donor_id
             WHERE rv.kind = 'reversal' AND rv.date BETWEEN ?1 AND ?2)
         ORDER BY d, lot, undo",
    )?;
    let v = st
        .query_map(params![m.first().to_string(), m.last().to_string()], |r| {
            Ok(LotReceived {
                source: r.get("source")?,
                donor: r.get("donor")?,
                value_cents: r.get("value_cents")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A lot that was issued from (or returned to by a void) in the month, with every outflow it
/// had by the month's end, in order, for pro-rating its value.
pub struct LotOutflows {
    pub source: String,
    pub donor: Option<String>,
    pub value_cents: i64,
    pub received_milli: i64,
    /// (in the month, counts as issued — an issue or the reversal of one, quantity as stored).
    pub moves: Vec<(bool, bool, i64)>,
}

pub fn lots_issued(conn: &Connection, m: Month) -> Result<Vec<LotOutflows>> {
    let (first, last) = (m.first().to_string(), m.last().to_string());
    // Item by item, so the month's movements are read through (item, date).
    let mut lots = conn.prepare_cached(
        "SELECT DISTINCT m.lot_id FROM movement m
         WHERE m.item_id = ?1 AND m.date BETWEEN ?2 AND ?3
           AND (m.kind = 'issue'
                OR (m.kind = 'reversal'
                    AND EXISTS (SELECT 1 FROM movement o WHERE o.id = m.reverses AND o.kind = 'issue')))",
    )?;
    let items = conn
        .prepare_cached("SELECT id FROM item ORDER BY id")?
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut ids = Vec::new();
    for item in items {
        ids.extend(
            lots.query_map(params![item, first, last], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    ids.sort_unstable();
    let mut head = conn.prepare_cached(
        "SELECT r.source, d.name AS donor, l.value_cents, l.received_milli FROM lot l
         JOIN receipt r ON r.id = l.receipt_id LEFT JOIN donor d ON d.id = r.donor_id WHERE l.id = ?1",
    )?;
    let mut moves = conn.prepare_cached(
        "SELECT m.date >= ?2 AS in_month,
                (m.kind = 'issue' OR (m.kind = 'reversal' AND o.kind = 'issue')) AS issued,
                m.qty_milli
         FROM movement m LEFT JOIN movement o ON o.id = m.reverses
         WHERE m.lot_id = ?1 AND m.date <= ?3 AND m.kind <> 'receipt'
         ORDER BY m.date, m.id",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let (source, donor, value_cents, received_milli) = head.query_row([id], |r| {
            Ok((
                r.get("source")?,
                r.get("donor")?,
                r.get("value_cents")?,
                r.get("received_milli")?,
            ))
        })?;
        let mv = moves
            .query_map(params![id, first, last], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(LotOutflows {
            source,
            donor,
            value_cents,
            received_milli,
            moves: mv,
        });
    }
    Ok(out)
}

/// An event of the month with what the report shows of it.
pub struct EventRow {
    pub id: i64,
    pub date: String,
    pub place: String,
    pub kind: String,
    pub status: String,
    pub officials: String,
    pub served: i64,
}

pub fn events(conn: &Connection, m: Month) -> Result<Vec<EventRow>> {
    let mut st = conn.prepare_cached(
        "SELECT e.id, e.date, e.place, e.kind, e.status, e.officials,
                (SELECT count(*) FROM handover h WHERE h.event_id = e.id AND h.voided_at IS NULL) AS served
         FROM event e WHERE e.date BETWEEN ?1 AND ?2 ORDER BY e.date, e.id",
    )?;
    let v = st
        .query_map(params![m.first().to_string(), m.last().to_string()], |r| {
            Ok(EventRow {
                id: r.get("id")?,
                date: r.get("date")?,
                place: r.get("place")?,
                kind: r.get("kind")?,
                status: r.get("status")?,
                officials: r.get("officials")?,
                served: r.get("served")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The hand-overs voided within [from, to) (UTC stamps), whatever month they were of.
pub fn voided(conn: &Connection, from: &str, to: &str) -> Result<Vec<super::report::VoidLine>> {
    let mut st = conn.prepare_cached(
        "SELECT h.bast_no, h.date, h.voided_at, coalesce(s.full_name, h.voided_by, '') AS by, h.void_reason
         FROM handover h LEFT JOIN staff s ON s.username = h.voided_by
         WHERE h.voided_at >= ?1 AND h.voided_at < ?2 ORDER BY h.voided_at, h.id",
    )?;
    let v = st
        .query_map(params![from, to], |r| {
            Ok(super::report::VoidLine {
                bast_no: r.get("bast_no")?,
                handover_date: r.get("date")?,
                voided_at: r.get("voided_at")?,
                voided_by: r.get("by")?,
                reason: r.get("void_reason")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The number of stock movements dated in the month (a control total).
pub fn movement_count(conn: &Connection, m: Month) -> Result<i64> {
    let mut n = 0;
    let mut st = conn.prepare_cached(
        "SELECT count(*) FROM movement WHERE item_id = ?1 AND date BETWEEN ?2 AND ?3",
    )?;
    let ids = conn
        .prepare_cached("SELECT id FROM item ORDER BY id")?
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for id in ids {
        n += st.query_row(
            params![id, m.first().to_string(), m.last().to_string()],
            |r| r.get::<_, i64>(0),
        )?;
    }
    Ok(n)
}

/// The recorded head of the audit chain (`seq:hash`), or "" for an empty log.
pub fn audit_head(conn: &Connection) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'audit_head'")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// An event as its public summary needs it.
pub struct EventForSummary {
    pub date: String,
    pub place: String,
    pub kind: String,
    pub status: String,
    /// When it was completed (UTC, RFC 3339).
    pub closed_at: Option<String>,
}

pub fn event_for_summary(conn: &Connection, event_id: i64) -> Result<Option<EventForSummary>> {
    Ok(conn
        .prepare_cached("SELECT date, place, kind, status, closed_at FROM event WHERE id = ?1")?
        .query_row([event_id], |r| {
            Ok(EventForSummary {
                date: r.get("date")?,
                place: r.get("place")?,
                kind: r.get("kind")?,
                status: r.get("status")?,
                closed_at: r.get("closed_at")?,
            })
        })
        .optional()?)
}

/// The live hand-overs of one event, as the report counts them.
pub fn event_served(conn: &Connection, event_id: i64) -> Result<Vec<ServedRow>> {
    let mut st = conn.prepare_cached(
        "SELECT h.family_id, coalesce(h.category, f.category) AS category, h.to_proxy, h.event_id
         FROM handover h
         JOIN family f ON f.id = h.family_id
         WHERE h.event_id = ?1 AND h.voided_at IS NULL",
    )?;
    let v = st
        .query_map([event_id], |r| {
            Ok(ServedRow {
                family_id: r.get("family_id")?,
                wbp: r.get::<_, String>("category")? == "keluarga_wbp",
                to_proxy: r.get("to_proxy")?,
                event_id: r.get("event_id")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// What one event's live hand-overs took, by item: (name, unit, thousandths).
pub fn event_items(conn: &Connection, event_id: i64) -> Result<Vec<(String, String, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT i.name, i.unit, -sum(mv.qty_milli) AS q
         FROM handover h CROSS JOIN movement mv
         JOIN item i ON i.id = mv.item_id
         WHERE h.event_id = ?1 AND h.voided_at IS NULL
           AND mv.ref_kind = 'handover' AND mv.ref_id = h.id AND mv.kind = 'issue'
         GROUP BY i.id ORDER BY i.id",
    )?;
    let v = st
        .query_map([event_id], |r| {
            Ok((r.get("name")?, r.get("unit")?, r.get("q")?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

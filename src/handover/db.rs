//! SQL for hand-overs and their BAST numbers. Writers run inside the use case's transaction.
//! The store backs the rules (migration 0008): one live hand-over of a family per period and per
//! event (unique indexes), a hand-over only for an approved event's listed family, a void is final.

use super::{HandedItem, Handover};
use crate::error::{Error, ErrorKind, Result};
use crate::family::view::family_code;
use rusqlite::{params, Connection, OptionalExtension, Row};

fn handover_row(r: &Row) -> rusqlite::Result<Handover> {
    let fid: i64 = r.get("family_id")?;
    Ok(Handover {
        id: r.get("id")?,
        event_id: r.get("event_id")?,
        family_id: fid,
        family_code: family_code(fid),
        bast_no: r.get("bast_no")?,
        date: r.get("date")?,
        at: r.get("at")?,
        officer: r.get("officer")?,
        officer_name: r.get("officer_name")?,
        officer_nip: r.get("officer_nip")?,
        officer_position: r.get("officer_position")?,
        head_name: r.get("head_name")?,
        to_proxy: r.get("to_proxy")?,
        recipient_name: r.get("recipient_name")?,
        recipient_nik: r.get("recipient_nik")?,
        proxy_relation: r.get("proxy_relation")?,
        items: serde_json::from_str(&r.get::<_, String>("items")?).unwrap_or_default(),
        voided: r.get::<_, Option<String>>("voided_at")?.is_some(),
        void_reason: r.get("void_reason")?,
        reprints: r.get("reprints")?,
        printed: r.get::<_, Option<String>>("printed_at")?.is_some(),
        recipient_address: r.get("recipient_address")?,
        wbp_line: r.get("wbp_line")?,
        qr_payload: r.get("qr_payload")?,
    })
}

pub fn not_found(id: i64) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("Serah terima #{id} tidak ada."),
        format!("There is no hand-over #{id}."),
    )
}

/// A hand-over with its full NIK (the use case masks it for the reader).
pub fn load(conn: &Connection, id: i64) -> Result<Handover> {
    conn.prepare_cached("SELECT * FROM handover WHERE id = ?1")?
        .query_row([id], handover_row)
        .optional()?
        .ok_or_else(|| not_found(id))
}

pub fn id_by_number(conn: &Connection, bast_no: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM handover WHERE bast_no = ?1")?
        .query_row([bast_no], |r| r.get("id"))
        .optional()?)
}

/// An event's hand-overs in number order.
pub fn ids_of_event(conn: &Connection, event_id: i64) -> Result<Vec<i64>> {
    let v = conn
        .prepare_cached("SELECT id FROM handover WHERE event_id = ?1 ORDER BY year, seq")?
        .query_map([event_id], |r| r.get("id"))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A live hand-over of the family in this event, or (with a period key) in that period by any
/// event: (BAST number, date).
pub fn served(
    conn: &Connection,
    family_id: i64,
    event_id: Option<i64>,
    period: Option<&str>,
) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT bast_no, date FROM handover WHERE family_id = ?1 AND voided_at IS NULL
               AND (event_id = ?2 OR period = ?3) LIMIT 1",
        )?
        .query_row(params![family_id, event_id, period], |r| {
            Ok((r.get("bast_no")?, r.get("date")?))
        })
        .optional()?)
}

/// The BAST number of the family's live hand-over in this event, if any.
pub fn live_number(conn: &Connection, event_id: i64, family_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT bast_no FROM handover WHERE event_id = ?1 AND family_id = ?2 AND voided_at IS NULL",
        )?
        .query_row(params![event_id, family_id], |r| r.get("bast_no"))
        .optional()?)
}

/// How many hand-overs an event has: (live, all).
pub fn count_of_event(conn: &Connection, event_id: i64) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FILTER (WHERE voided_at IS NULL) AS live, count(*) AS total
             FROM handover WHERE event_id = ?1",
        )?
        .query_row([event_id], |r| Ok((r.get("live")?, r.get("total")?)))?)
}

/// Takes the next BAST sequence of `year` (numbers are never reused and never skipped: a failed
/// hand-over rolls this back with everything else).
pub fn next_seq(conn: &Connection, year: i32) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO bast_counter (year, last_seq) VALUES (?1, 1)
             ON CONFLICT (year) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
        )?
        .query_row([year], |r| r.get("last_seq"))?)
}

/// What a hand-over's row holds when it is written (its items and receipt follow).
pub struct NewHandover<'a> {
    pub event_id: i64,
    pub family_id: i64,
    pub year: i32,
    pub seq: i64,
    pub bast_no: &'a str,
    pub date: &'a str,
    pub period: Option<&'a str>,
    pub at: &'a str,
    pub officer: &'a str,
    pub officer_name: &'a str,
    pub officer_nip: &'a str,
    pub officer_position: &'a str,
    pub head_name: &'a str,
    pub to_proxy: bool,
    pub recipient_name: &'a str,
    pub recipient_nik: Option<&'a str>,
    pub proxy_relation: &'a str,
    pub recipient_address: &'a str,
    pub wbp_line: &'a str,
}

pub fn insert(conn: &Connection, h: &NewHandover) -> Result<i64> {
    conn.prepare_cached(
        // The family's category as it is now, in the hand-over's own transaction (0023).
        "INSERT INTO handover (event_id, family_id, year, seq, bast_no, date, period, at, officer,
                               officer_name, officer_nip, officer_position, head_name, to_proxy,
                               recipient_name, recipient_nik, proxy_relation, recipient_address,
                               wbp_line, items, category)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, '[]',
                 (SELECT category FROM family WHERE id = ?2))",
    )?
    .execute(params![
        h.event_id,
        h.family_id,
        h.year,
        h.seq,
        h.bast_no,
        h.date,
        h.period,
        h.at,
        h.officer,
        h.officer_name,
        h.officer_nip,
        h.officer_position,
        h.head_name,
        h.to_proxy,
        h.recipient_name,
        h.recipient_nik,
        h.proxy_relation,
        h.recipient_address,
        h.wbp_line
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Stores what was handed over and the signed QR payload (written once, in the hand-over's
/// transaction).
pub fn set_receipt(
    conn: &Connection,
    id: i64,
    items: &[HandedItem],
    qr_payload: &str,
    ledger_hash: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE handover SET items = ?2, qr_payload = ?3, ledger_hash = ?4 WHERE id = ?1",
    )?
    .execute(params![
        id,
        serde_json::to_string(items).map_err(Error::internal)?,
        qr_payload,
        ledger_hash
    ])?;
    Ok(())
}

/// Marks a live hand-over void; false when it already was (another session voided it first).
pub fn mark_void(conn: &Connection, id: i64, at: &str, actor: &str, reason: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE handover SET voided_at = ?2, voided_by = ?3, void_reason = ?4
         WHERE id = ?1 AND voided_at IS NULL",
        params![id, at, actor, reason],
    )? == 1)
}

/// Records one print. Returns true when it was the first (the original); every later one is
/// counted as a copy. Decided by the store, so two desks printing at once get one original.
pub fn record_print(conn: &Connection, id: i64, at: &str) -> Result<bool> {
    let first = conn
        .prepare_cached("SELECT printed_at IS NULL AS first FROM handover WHERE id = ?1")?
        .query_row([id], |r| r.get::<_, bool>("first"))
        .optional()?
        .ok_or_else(|| not_found(id))?;
    if first {
        conn.execute(
            "UPDATE handover SET printed_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
    } else {
        conn.execute(
            "UPDATE handover SET reprints = reprints + 1 WHERE id = ?1",
            [id],
        )?;
    }
    Ok(first)
}

/// What this database holds under a BAST number, for the receipt check.
pub struct Recorded {
    pub id: i64,
    pub recipient_name: String,
    pub voided: bool,
    pub void_reason: String,
    pub qr_payload: String,
}

pub fn recorded(conn: &Connection, bast_no: &str) -> Result<Option<Recorded>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, recipient_name, voided_at IS NOT NULL AS voided, void_reason, qr_payload
             FROM handover WHERE bast_no = ?1",
        )?
        .query_row([bast_no], |r| {
            Ok(Recorded {
                id: r.get("id")?,
                recipient_name: r.get("recipient_name")?,
                voided: r.get("voided")?,
                void_reason: r.get("void_reason")?,
                qr_payload: r.get("qr_payload")?,
            })
        })
        .optional()?)
}

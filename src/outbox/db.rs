//! The outbox's SQL: the exchange identity, province keys, enrollments, bundles, and the month's
//! records as a bundle carries them.

use crate::bundle::format as f;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

pub fn identity(conn: &Connection) -> Result<Option<(String, Vec<u8>)>> {
    Ok(conn
        .prepare_cached("SELECT recipient, secret_sealed FROM exchange_identity WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn insert_identity(tx: &Transaction, recipient: &str, sealed: &[u8], at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO exchange_identity (id, recipient, secret_sealed, created_at) VALUES (1, ?1, ?2, ?3)",
        params![recipient, sealed, at],
    )?;
    Ok(())
}

/// The province key in force: (id, from period, sealed key), the latest added.
pub fn province_key(conn: &Connection) -> Result<Option<(String, String, Vec<u8>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, from_period, key_sealed FROM province_key ORDER BY rowid DESC LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

pub fn province_key_by_id(conn: &Connection, id: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT key_sealed FROM province_key WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

pub fn insert_province_key(
    tx: &Transaction,
    id: &str,
    from_period: &str,
    sealed: &[u8],
    at: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO province_key (id, from_period, key_sealed, added_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO NOTHING",
        params![id, from_period, sealed, at],
    )?;
    Ok(())
}

/// The enrollment in force: (update, the signed body).
pub fn enrollment(conn: &Connection) -> Result<Option<(u32, Vec<u8>)>> {
    Ok(conn
        .prepare_cached("SELECT update_no, body FROM enrollment ORDER BY update_no DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn insert_enrollment(
    tx: &Transaction,
    update: u32,
    kanwil: &str,
    body: &[u8],
    file: &[u8],
    at: &str,
    by: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO enrollment (update_no, kanwil_code, body, file, imported_at, imported_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![update, kanwil, body, file, at, by],
    )?;
    Ok(())
}

/// One bundle of the outbox, without its bytes.
#[derive(Debug, Clone)]
pub struct BundleRow {
    pub seq: u64,
    pub period: String,
    pub revision: u32,
    pub kind: String,
    pub sha256: String,
    pub made_at: String,
    pub state: String,
    pub sent_at: Option<String>,
    pub sent_to: Option<String>,
    pub answer_sha256: Option<String>,
    pub answer_verdict: Option<String>,
    pub answer_reason: Option<Vec<u8>>,
    pub answered_at: Option<String>,
    pub upload_tries: u32,
    pub next_try_at: Option<String>,
    pub last_error: Option<String>,
    pub upload_stopped: bool,
    pub uploaded_at: Option<String>,
}

const BUNDLE_COLUMNS: &str =
    "seq, period, revision, kind, sha256, made_at, state, sent_at, sent_to,
    answer_sha256, answer_verdict, answer_reason, answered_at,
    upload_tries, next_try_at, last_error, upload_stopped, uploaded_at";

fn bundle_row(r: &Row) -> rusqlite::Result<BundleRow> {
    Ok(BundleRow {
        seq: r.get("seq")?,
        period: r.get("period")?,
        revision: r.get("revision")?,
        kind: r.get("kind")?,
        sha256: r.get("sha256")?,
        made_at: r.get("made_at")?,
        state: r.get("state")?,
        sent_at: r.get("sent_at")?,
        sent_to: r.get("sent_to")?,
        answer_sha256: r.get("answer_sha256")?,
        answer_verdict: r.get("answer_verdict")?,
        answer_reason: r.get("answer_reason")?,
        answered_at: r.get("answered_at")?,
        upload_tries: r.get("upload_tries")?,
        next_try_at: r.get("next_try_at")?,
        last_error: r.get("last_error")?,
        upload_stopped: r.get("upload_stopped")?,
        uploaded_at: r.get("uploaded_at")?,
    })
}

pub fn bundles(conn: &Connection) -> Result<Vec<BundleRow>> {
    let sql = format!("SELECT {BUNDLE_COLUMNS} FROM bundle ORDER BY seq");
    let v = conn
        .prepare_cached(&sql)?
        .query_map([], bundle_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn last_bundle(conn: &Connection) -> Result<Option<BundleRow>> {
    let sql = format!("SELECT {BUNDLE_COLUMNS} FROM bundle ORDER BY seq DESC LIMIT 1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([], bundle_row)
        .optional()?)
}

/// The latest bundle of a period (the one a revision supersedes).
pub fn latest_of_period(conn: &Connection, period: &str) -> Result<Option<BundleRow>> {
    let sql = format!(
        "SELECT {BUNDLE_COLUMNS} FROM bundle WHERE period = ?1 ORDER BY revision DESC LIMIT 1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([period], bundle_row)
        .optional()?)
}

pub fn by_sha(conn: &Connection, sha: &str) -> Result<Option<BundleRow>> {
    let sql = format!("SELECT {BUNDLE_COLUMNS} FROM bundle WHERE sha256 = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([sha], bundle_row)
        .optional()?)
}

pub fn bytes_of(conn: &Connection, seq: u64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT bytes FROM bundle WHERE seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?)
}

/// A stored bundle's size, without reading its bytes (the outbox lists twelve 10 MB months).
pub fn size_of(conn: &Connection, seq: u64) -> Result<Option<u64>> {
    Ok(conn
        .prepare_cached("SELECT length(bytes) FROM bundle WHERE seq = ?1")?
        .query_row([seq], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten()
        .map(|n| n as u64))
}

/// The latest answer imported: (seq, bundle hash, answer hash), for `last_ack`.
pub fn last_answer(conn: &Connection) -> Result<Option<(u64, String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT seq, sha256, answer_sha256 FROM bundle WHERE answer_sha256 IS NOT NULL
             AND answer_verdict IN ('accepted', 'revision') ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

pub struct NewBundle<'a> {
    pub seq: u64,
    pub period: &'a str,
    pub revision: u32,
    pub kind: &'a str,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
    pub made_at: &'a str,
}

pub fn insert_bundle(tx: &Transaction, b: &NewBundle) -> Result<()> {
    tx.execute(
        "INSERT INTO bundle (seq, period, revision, kind, sha256, bytes, made_at, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'created')",
        params![b.seq, b.period, b.revision, b.kind, b.sha256, b.bytes, b.made_at],
    )?;
    Ok(())
}

/// Marks a bundle sent (a copy left the PC); an acknowledged or refused one keeps its state.
pub fn mark_sent(tx: &Transaction, seq: u64, at: &str, to: &str) -> Result<()> {
    tx.execute(
        "UPDATE bundle SET state = CASE WHEN state IN ('created', 'held') THEN 'sent' ELSE state END,
                sent_at = ?2, sent_to = ?3 WHERE seq = ?1",
        params![seq, at, to],
    )?;
    Ok(())
}

/// A bundle reached the inbox server (whatever it answered): sent, and no error to show.
pub fn record_uploaded(tx: &Transaction, seq: u64, at: &str, url: &str) -> Result<()> {
    tx.execute(
        "UPDATE bundle SET state = CASE WHEN state = 'created' THEN 'sent' ELSE state END,
                sent_at = coalesce(sent_at, ?2), sent_to = coalesce(sent_to, ?3),
                upload_tries = upload_tries + 1, uploaded_at = ?2, next_try_at = NULL,
                last_error = NULL, upload_stopped = 0
         WHERE seq = ?1",
        params![seq, at, url],
    )?;
    Ok(())
}

/// An upload that did not get a verdict: tried once more, when to try again, why; `stopped`
/// when the server refused the bundle itself (no retry until a person asks).
pub fn record_upload_failure(
    tx: &Transaction,
    seq: u64,
    next_try_at: &str,
    error: &str,
    stopped: bool,
) -> Result<()> {
    let error: String = error.chars().take(1_000).collect();
    tx.execute(
        "UPDATE bundle SET upload_tries = upload_tries + 1, next_try_at = ?2, last_error = ?3,
                upload_stopped = ?4
         WHERE seq = ?1",
        params![seq, next_try_at, error, stopped],
    )?;
    Ok(())
}

/// A person asks to send now: stopped bundles are tried again, and at once.
pub fn release_uploads(tx: &Transaction) -> Result<()> {
    tx.execute(
        "UPDATE bundle SET upload_stopped = 0, next_try_at = NULL
         WHERE state NOT IN ('acknowledged', 'refused')",
        [],
    )?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn record_answer(
    tx: &Transaction,
    seq: u64,
    state: &str,
    answer: &[u8],
    answer_sha256: &str,
    verdict: &str,
    reason: Option<&[u8]>,
    at: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE bundle SET state = ?2, answer = ?3, answer_sha256 = ?4, answer_verdict = ?5,
                answer_reason = ?6, answered_at = ?7 WHERE seq = ?1",
        params![seq, state, answer, answer_sha256, verdict, reason, at],
    )?;
    Ok(())
}

/// Closings that have no bundle yet, in the order they were made: (period, revision).
pub fn closings_without_bundle(conn: &Connection) -> Result<Vec<(String, u32)>> {
    let v = conn
        .prepare_cached(
            "SELECT period, revision FROM month_close c WHERE NOT EXISTS
               (SELECT 1 FROM bundle b WHERE b.period = c.period AND b.revision = c.revision)
             ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub fn set_meta(tx: &Transaction, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, v],
        )?,
        None => tx.execute("DELETE FROM meta WHERE key = ?1", [key])?,
    };
    Ok(())
}

// ---- the month's records ----

/// A hand-over dated in the month, as the bundle's records carry it (before pseudonyms).
pub struct HandoverRec {
    pub id: i64,
    pub bast_no: String,
    pub date: String,
    pub event: i64,
    pub category: String,
    pub family_id: i64,
    pub kk: Option<String>,
    pub region: Option<String>,
    pub to_proxy: bool,
    pub proxy_relation: String,
    pub voided_at: Option<String>,
    /// (NIK, temporary, position) of every member, the head first.
    pub people: Vec<(Option<String>, bool, i64)>,
    /// (item code, thousandths) issued by it.
    pub items: Vec<(String, i64)>,
}

/// The hand-overs dated in [first, last] and written by `until` (a closing's time).
pub fn handovers(
    conn: &Connection,
    first: &str,
    last: &str,
    until: &str,
) -> Result<Vec<HandoverRec>> {
    let mut st = conn.prepare_cached(
        "SELECT h.id, h.bast_no, h.date, h.event_id, coalesce(h.category, f.category) AS category,
                f.id AS family_id, f.kk,
                f.region_code, h.to_proxy, h.proxy_relation, h.voided_at
         FROM handover h JOIN family f ON f.id = h.family_id
         WHERE h.date BETWEEN ?1 AND ?2 AND h.at <= ?3 ORDER BY h.id",
    )?;
    let mut v: Vec<HandoverRec> = st
        .query_map(params![first, last, until], |r| {
            Ok(HandoverRec {
                id: r.get("id")?,
                bast_no: r.get("bast_no")?,
                date: r.get("date")?,
                event: r.get("event_id")?,
                category: r.get("category")?,
                family_id: r.get("family_id")?,
                kk: r.get("kk")?,
                region: r.get("region_code")?,
                to_proxy: r.get("to_proxy")?,
                proxy_relation: r.get("proxy_relation")?,
                voided_at: r.get("voided_at")?,
                people: Vec::new(),
                items: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut people = conn.prepare_cached(
        "SELECT nik, nik_temporary, position FROM person WHERE family_id = ?1 ORDER BY position",
    )?;
    let mut items = conn.prepare_cached(
        "SELECT i.code, -sum(mv.qty_milli) AS q FROM movement mv JOIN item i ON i.id = mv.item_id
         WHERE mv.ref_kind = 'handover' AND mv.ref_id = ?1 AND mv.kind = 'issue'
         GROUP BY i.code ORDER BY i.code",
    )?;
    for h in &mut v {
        h.people = people
            .query_map([h.family_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        h.items = items
            .query_map([h.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
    }
    Ok(v)
}

/// A stock movement dated in the month.
pub struct MovementRec {
    pub id: i64,
    pub date: String,
    pub kind: String,
    pub item: String,
    pub lot: i64,
    pub qty_milli: i64,
    pub source: String,
    pub document: String,
    pub note: String,
    pub reference: Option<String>,
}

/// The movements dated in [first, last] and written by `until` (a closing's time).
pub fn movements(
    conn: &Connection,
    first: &str,
    last: &str,
    until: &str,
) -> Result<Vec<MovementRec>> {
    let ids = conn
        .prepare_cached("SELECT id FROM item ORDER BY id")?
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut st = conn.prepare_cached(
        "SELECT m.id, m.date, m.kind, i.code, m.lot_id, m.qty_milli, r.source, m.doc_ref, m.note,
                m.ref_kind, m.ref_id
         FROM movement m JOIN item i ON i.id = m.item_id JOIN lot l ON l.id = m.lot_id
         JOIN receipt r ON r.id = l.receipt_id
         WHERE m.item_id = ?1 AND m.date BETWEEN ?2 AND ?3 AND m.at <= ?4 ORDER BY m.id",
    )?;
    let mut v = Vec::new();
    for id in ids {
        let rows = st
            .query_map(params![id, first, last, until], |r| {
                let kind: Option<String> = r.get("ref_kind")?;
                let rid: Option<i64> = r.get("ref_id")?;
                Ok(MovementRec {
                    id: r.get("id")?,
                    date: r.get("date")?,
                    kind: r.get("kind")?,
                    item: r.get("code")?,
                    lot: r.get("lot_id")?,
                    qty_milli: r.get("qty_milli")?,
                    source: r.get("source")?,
                    document: r.get("doc_ref")?,
                    note: r.get("note")?,
                    reference: kind.map(|k| format!("{k}:{}", rid.unwrap_or_default())),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        v.extend(rows);
    }
    v.sort_by_key(|m| m.id);
    Ok(v)
}

pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// The closing's full row: (closed_at, closed_by, audit_head).
pub fn closing_meta(
    conn: &Connection,
    period: &str,
    revision: u32,
) -> Result<Option<(String, String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT closed_at, closed_by, audit_head FROM month_close WHERE period = ?1 AND revision = ?2",
        )?
        .query_row(params![period, revision], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// A hand-over of the period as the by-name list shows it: (row without items, its id).
pub fn byname_rows(conn: &Connection, first: &str, last: &str) -> Result<Vec<(i64, f::ByNameRow)>> {
    let mut st = conn.prepare_cached(
        "SELECT h.id, h.bast_no, h.date, h.voided_at IS NOT NULL AS voided,
                coalesce(h.category, f.category) AS category,
                p.name AS head_name, CASE WHEN p.nik_temporary = 1 THEN NULL ELSE p.nik END AS head_nik,
                f.kk, f.address, f.rt, f.rw, f.region_code, h.recipient_name, h.proxy_relation
         FROM handover h
         JOIN family f ON f.id = h.family_id
         LEFT JOIN person p ON p.family_id = f.id
              AND p.position = (SELECT min(position) FROM person WHERE family_id = f.id)
         WHERE h.date BETWEEN ?1 AND ?2 ORDER BY h.id",
    )?;
    let mut rows: Vec<(i64, f::ByNameRow)> = st
        .query_map(params![first, last], |r| {
            Ok((
                r.get("id")?,
                f::ByNameRow {
                    bast_no: r.get("bast_no")?,
                    date: r.get("date")?,
                    voided: r.get("voided")?,
                    category: r.get("category")?,
                    head_name: r.get::<_, Option<String>>("head_name")?.unwrap_or_default(),
                    head_nik: r.get("head_nik")?,
                    kk: r.get("kk")?,
                    address: r.get("address")?,
                    rt: r.get("rt")?,
                    rw: r.get("rw")?,
                    region_code: r.get("region_code")?,
                    received_by: r.get("recipient_name")?,
                    proxy_relation: r.get("proxy_relation")?,
                    items: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut items = conn.prepare_cached(
        "SELECT i.code, -sum(mv.qty_milli) AS q FROM movement mv JOIN item i ON i.id = mv.item_id
         WHERE mv.ref_kind = 'handover' AND mv.ref_id = ?1 AND mv.kind = 'issue'
         GROUP BY i.code ORDER BY i.code",
    )?;
    for (id, row) in &mut rows {
        row.items = items
            .query_map([*id], |r| {
                Ok(f::ByNameItem {
                    code: r.get(0)?,
                    quantity: rust_decimal::Decimal::new(r.get::<_, i64>(1)?, 3).normalize(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
    }
    Ok(rows)
}

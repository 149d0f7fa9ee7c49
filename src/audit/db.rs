//! SQL for the audit chain. `append` is called inside the use case's transaction.

use super::{entry_hash, AuditEntry, AuditProblem, AuditProblemKind, AuditReport, Entry, GENESIS};
use crate::error::Result;
use rusqlite::{params, OptionalExtension, Transaction};

/// Writes `e` as the next entry of the chain, by `actor` at `at` (inside the use case's
/// transaction). Returns its sequence number.
pub fn record(tx: &Transaction, at: &str, actor: &str, e: &Entry) -> Result<i64> {
    append(
        tx,
        at,
        actor,
        &e.action,
        &e.entity,
        &e.entity_id,
        e.old.as_deref(),
        e.new.as_deref(),
    )
}

/// The first bytes of an entry's hash, hex: what a BAST's QR code carries of its hand-over's entry.
pub fn hash_prefix(tx: &Transaction, seq: i64, bytes: usize) -> Result<String> {
    let h: Vec<u8> = tx.query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |r| {
        r.get(0)
    })?;
    Ok(hex::encode(&h[..bytes.min(h.len())]))
}

/// Appends one entry after the current head. `old` / `new` are JSON texts.
#[allow(clippy::too_many_arguments)]
fn append(
    tx: &Transaction,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<i64> {
    // Chain to the recorded head, not to whatever row is last: if rows were removed or forged
    // at the end, the new entry then shows the break instead of papering over it.
    let (head_seq, prev) = head(tx)?.unwrap_or((0, GENESIS.to_vec()));
    let last: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM audit_log", [], |r| {
        r.get(0)
    })?;
    let seq = head_seq.max(last) + 1;
    let hash = entry_hash(&prev, seq, at, actor, action, entity, entity_id, old, new);
    tx.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, old, new, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![seq, at, actor, action, entity, entity_id, old, new, prev, hash.as_slice()],
    )?;
    // The head is remembered apart from the chain so that removing the last entries shows too.
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![format!("{seq}:{}", hex::encode(hash))],
    )?;
    Ok(seq)
}

/// The recorded head: (seq, hash) of the last entry the program wrote.
fn head(conn: &rusqlite::Connection) -> Result<Option<(i64, Vec<u8>)>> {
    let v: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(v.and_then(|v| {
        let (seq, hash) = v.split_once(':')?;
        Some((seq.parse().ok()?, hex::decode(hash).ok()?))
    }))
}

/// A constant-time look at the end of the chain: the last row is the recorded head. The full
/// `verify` reads every entry; this is what the home screen can afford on every visit.
pub fn head_matches(conn: &rusqlite::Connection) -> Result<bool> {
    let last: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get("seq")?, r.get("hash")?)),
        )
        .optional()?;
    Ok(last == head(conn)?)
}

fn row_to_entry(r: &rusqlite::Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get("seq")?,
        at: r.get("at")?,
        actor: r.get("actor")?,
        action: r.get("action")?,
        entity: r.get("entity")?,
        entity_id: r.get("entity_id")?,
        old: r.get("old")?,
        new: r.get("new")?,
        hash: hex::encode(r.get::<_, Vec<u8>>("hash")?),
    })
}

/// Newest first, `limit` entries before `before_seq` (or from the head).
pub fn list(
    conn: &rusqlite::Connection,
    before_seq: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, old, new, hash FROM audit_log
         WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![before_seq.unwrap_or(i64::MAX), limit], row_to_entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Newest first, the entries about one thing (e.g. `family`, `KLG-000012`).
pub fn list_for(
    conn: &rusqlite::Connection,
    entity: &str,
    entity_id: &str,
    limit: u32,
) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, actor, action, entity, entity_id, old, new, hash FROM audit_log
         WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![entity, entity_id, limit], row_to_entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &rusqlite::Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
}

/// Walks the whole chain in order, recomputing every hash.
pub fn verify(conn: &rusqlite::Connection) -> Result<AuditReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, old, new, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut problems = Vec::new();
    let mut expected_prev = GENESIS.to_vec();
    let mut expected_seq = 1i64;
    let mut entries = 0i64;
    let mut last_seq = 0i64;
    while let Some(r) = rows.next()? {
        entries += 1;
        let seq: i64 = r.get("seq")?;
        let (at, actor, action, entity, entity_id): (String, String, String, String, String) = (
            r.get("at")?,
            r.get("actor")?,
            r.get("action")?,
            r.get("entity")?,
            r.get("entity_id")?,
        );
        let (old, new): (Option<String>, Option<String>) = (r.get("old")?, r.get("new")?);
        let prev: Vec<u8> = r.get("prev_hash")?;
        let hash: Vec<u8> = r.get("hash")?;
        if seq != expected_seq {
            problems.push(AuditProblem {
                seq,
                kind: AuditProblemKind::Missing,
            });
        }
        let recomputed = entry_hash(
            &prev,
            seq,
            &at,
            &actor,
            &action,
            &entity,
            &entity_id,
            old.as_deref(),
            new.as_deref(),
        );
        if recomputed.as_slice() != hash.as_slice() {
            problems.push(AuditProblem {
                seq,
                kind: AuditProblemKind::Edited,
            });
        } else if prev != expected_prev {
            problems.push(AuditProblem {
                seq,
                kind: AuditProblemKind::BrokenLink,
            });
        }
        // Continue from what the row claims, so one break is reported once, not at every later row.
        expected_prev = hash;
        expected_seq = seq + 1;
        last_seq = seq;
    }
    if let Some((head_seq, head_hash)) = head(conn)? {
        if head_seq > last_seq {
            problems.push(AuditProblem {
                seq: last_seq + 1,
                kind: AuditProblemKind::Truncated,
            });
        } else if head_seq < last_seq {
            // Entries after the recorded head were not written by the program.
            problems.push(AuditProblem {
                seq: head_seq + 1,
                kind: AuditProblemKind::BrokenLink,
            });
        } else if head_hash != expected_prev && problems.is_empty() {
            problems.push(AuditProblem {
                seq: last_seq,
                kind: AuditProblemKind::Edited,
            });
        }
    }
    Ok(AuditReport {
        entries,
        ok: problems.is_empty(),
        problems,
        head_hash: hex::encode(expected_prev),
    })
}

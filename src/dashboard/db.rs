//! The dashboard's own SQL: families by category against those served, and where the coming
//! events stand. Everything else on the dashboard comes from the use cases it composes.

use crate::error::Result;
use rusqlite::{params, Connection};

/// (category, active families, of them eligible: verified with consent), from the tally the store
/// keeps by triggers on `family` (migration 0018).
pub fn families_by_category(conn: &Connection) -> Result<Vec<(String, i64, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT category, registered, eligible FROM family_tally
         WHERE registered > 0 ORDER BY category",
    )?;
    let v = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Events not finished from `from` (a date) on, soonest first: (id, live hand-overs).
pub fn coming_events(conn: &Connection, from: &str, limit: u32) -> Result<Vec<(i64, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT e.id,
                (SELECT count(*) FROM handover h WHERE h.event_id = e.id AND h.voided_at IS NULL)
         FROM event e
         WHERE e.status IN ('draft', 'approved') AND e.date >= ?1
         ORDER BY e.date, e.id LIMIT ?2",
    )?;
    let v = st
        .query_map(params![from, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

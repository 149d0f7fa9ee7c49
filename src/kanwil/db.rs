//! The Kanwil's SQL: its setting, member facilities and their keys, the inbox, refusals and the
//! pseudonyms of the people its accepted bundles served.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

pub fn insert_setting(tx: &Transaction, due_day: u32) -> Result<()> {
    tx.execute(
        "INSERT INTO kanwil_setting (id, due_day) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET due_day = excluded.due_day",
        [due_day],
    )?;
    Ok(())
}

pub fn due_day(conn: &Connection) -> Result<Option<u32>> {
    Ok(conn
        .prepare_cached("SELECT due_day FROM kanwil_setting WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

#[derive(Debug, Clone)]
pub struct Member {
    pub code: String,
    pub name: String,
    pub time_zone: String,
    pub recipient: String,
    pub first_period: Option<String>,
    pub enrollment_update: u32,
    pub registered_at: String,
    pub revoked_at: Option<String>,
    pub revoke_reason: String,
}

fn member_row(r: &Row) -> rusqlite::Result<Member> {
    Ok(Member {
        code: r.get("code")?,
        name: r.get("name")?,
        time_zone: r.get("time_zone")?,
        recipient: r.get("recipient")?,
        first_period: r.get("first_period")?,
        enrollment_update: r.get("enrollment_update")?,
        registered_at: r.get("registered_at")?,
        revoked_at: r.get("revoked_at")?,
        revoke_reason: r.get("revoke_reason")?,
    })
}

const MEMBER_COLUMNS: &str = "code, name, time_zone, recipient, first_period, enrollment_update,
    registered_at, revoked_at, revoke_reason";

pub fn members(conn: &Connection) -> Result<Vec<Member>> {
    let sql = format!("SELECT {MEMBER_COLUMNS} FROM member ORDER BY code");
    let v = conn
        .prepare_cached(&sql)?
        .query_map([], member_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn member(conn: &Connection, code: &str) -> Result<Option<Member>> {
    let sql = format!("SELECT {MEMBER_COLUMNS} FROM member WHERE code = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([code], member_row)
        .optional()?)
}

#[allow(clippy::too_many_arguments)]
pub fn insert_member(
    tx: &Transaction,
    code: &str,
    name: &str,
    time_zone: &str,
    recipient: &str,
    registration: &[u8],
    first_period: Option<&str>,
    at: &str,
    by: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO member (code, name, time_zone, recipient, registration, first_period,
                             registered_at, registered_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            code,
            name,
            time_zone,
            recipient,
            registration,
            first_period,
            at,
            by
        ],
    )?;
    Ok(())
}

pub fn set_enrollment_update(tx: &Transaction, code: &str, update: u32) -> Result<()> {
    tx.execute(
        "UPDATE member SET enrollment_update = ?2 WHERE code = ?1",
        params![code, update],
    )?;
    Ok(())
}

pub fn revoke(tx: &Transaction, code: &str, at: &str, by: &str, reason: &str) -> Result<bool> {
    let n = tx.execute(
        "UPDATE member SET revoked_at = ?2, revoked_by = ?3, revoke_reason = ?4
         WHERE code = ?1 AND revoked_at IS NULL",
        params![code, at, by, reason],
    )?;
    tx.execute(
        "UPDATE member_key SET revoked_at = ?2 WHERE member = ?1 AND revoked_at IS NULL",
        params![code, at],
    )?;
    Ok(n == 1)
}

/// A revoked facility registered again with a new key: no longer revoked, its new identity
/// (the answers and province keys are encrypted to it) and registration kept. Its old keys stay
/// revoked; the revocation itself stays in the audit log.
pub fn reinstate(
    tx: &Transaction,
    code: &str,
    name: &str,
    recipient: &str,
    registration: &[u8],
) -> Result<()> {
    tx.execute(
        "UPDATE member SET revoked_at = NULL, revoked_by = NULL, revoke_reason = '',
                name = ?2, recipient = ?3, registration = ?4
         WHERE code = ?1 AND revoked_at IS NOT NULL",
        params![code, name, recipient, registration],
    )?;
    Ok(())
}

/// A revision accepted: every other accepted bundle of the member's month is superseded (the
/// one it names may have been refused, and the month's accepted one is then an earlier one).
pub fn supersede_accepted(tx: &Transaction, member: &str, period: &str, except: i64) -> Result<()> {
    tx.execute(
        "UPDATE inbox SET status = 'superseded'
         WHERE member = ?1 AND period = ?2 AND status = 'accepted' AND id <> ?3",
        params![member, period, except],
    )?;
    Ok(())
}

pub fn insert_key(tx: &Transaction, code: &str, key: &[u8; 32], fp: &str, at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO member_key (member, public_key, fingerprint, added_at) VALUES (?1, ?2, ?3, ?4)",
        params![code, key.as_slice(), fp, at],
    )?;
    Ok(())
}

/// A member's key by fingerprint: (key, revoked).
pub fn key(conn: &Connection, code: &str, fp: &str) -> Result<Option<(Vec<u8>, bool)>> {
    Ok(conn
        .prepare_cached(
            "SELECT public_key, revoked_at IS NOT NULL FROM member_key WHERE member = ?1 AND fingerprint = ?2",
        )?
        .query_row(params![code, fp], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// A member's key retired by its rotation statement: (retired at, the last seq it may sign).
pub fn key_retirement(
    conn: &Connection,
    code: &str,
    fp: &str,
) -> Result<Option<(String, Option<u64>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT retired_at, last_seq FROM member_key
             WHERE member = ?1 AND fingerprint = ?2 AND retired_at IS NOT NULL",
        )?
        .query_row(params![code, fp], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Retires a member's key from the seq its statement names (0: it signs no bundle at all).
pub fn retire_key(
    tx: &Transaction,
    code: &str,
    fp: &str,
    at: &str,
    last_seq: u64,
    statement: &[u8],
) -> Result<bool> {
    let n = tx.execute(
        "UPDATE member_key SET retired_at = ?3, last_seq = ?4, statement = ?5
         WHERE member = ?1 AND fingerprint = ?2 AND retired_at IS NULL AND revoked_at IS NULL",
        params![code, fp, at, last_seq, statement],
    )?;
    Ok(n == 1)
}

/// One received bundle, without its bytes.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: i64,
    pub member: String,
    pub seq: u64,
    pub period: String,
    pub revision: u32,
    pub kind: String,
    pub nihil: bool,
    pub sha256: String,
    pub status: String,
    pub reason: Option<Vec<u8>>,
    pub stock_closing: Option<String>,
    pub received_at: String,
    pub decided_at: Option<String>,
}

const RECEIVED_COLUMNS: &str = "id, member, seq, period, revision, kind, nihil, sha256, status,
    reason, stock_closing, received_at, decided_at";

fn received_row(r: &Row) -> rusqlite::Result<Received> {
    Ok(Received {
        id: r.get("id")?,
        member: r.get("member")?,
        seq: r.get("seq")?,
        period: r.get("period")?,
        revision: r.get("revision")?,
        kind: r.get("kind")?,
        nihil: r.get("nihil")?,
        sha256: r.get("sha256")?,
        status: r.get("status")?,
        reason: r.get("reason")?,
        stock_closing: r.get("stock_closing")?,
        received_at: r.get("received_at")?,
        decided_at: r.get("decided_at")?,
    })
}

pub fn received_by_sha(conn: &Connection, sha: &str) -> Result<Option<Received>> {
    let sql = format!("SELECT {RECEIVED_COLUMNS} FROM inbox WHERE sha256 = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([sha], received_row)
        .optional()?)
}

/// A member's chain as the Kanwil holds it: every bundle that took its seq, in seq order.
pub fn chain(conn: &Connection, member: &str) -> Result<Vec<Received>> {
    let sql = format!(
        "SELECT {RECEIVED_COLUMNS} FROM inbox WHERE member = ?1
           AND status IN ('accepted', 'superseded', 'rejected') ORDER BY seq"
    );
    let v = conn
        .prepare_cached(&sql)?
        .query_map([member], received_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A member's bundles waiting for a missing seq, in seq order.
pub fn held(conn: &Connection, member: &str) -> Result<Vec<Received>> {
    let sql = format!(
        "SELECT {RECEIVED_COLUMNS} FROM inbox WHERE member = ?1 AND status = 'held' ORDER BY seq, id"
    );
    let v = conn
        .prepare_cached(&sql)?
        .query_map([member], received_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Every received bundle, for the inbox screen (latest first, at most `limit`).
pub fn all_received(conn: &Connection, limit: i64) -> Result<Vec<Received>> {
    let sql = format!("SELECT {RECEIVED_COLUMNS} FROM inbox ORDER BY id DESC LIMIT ?1");
    let v = conn
        .prepare_cached(&sql)?
        .query_map([limit], received_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn received_of_period(conn: &Connection, period: &str) -> Result<Vec<Received>> {
    let sql =
        format!("SELECT {RECEIVED_COLUMNS} FROM inbox WHERE period = ?1 ORDER BY member, seq");
    let v = conn
        .prepare_cached(&sql)?
        .query_map([period], received_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn bytes_of(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    Ok(conn
        .prepare_cached("SELECT bytes FROM inbox_bytes WHERE inbox = ?1")?
        .query_row([id], |r| r.get(0))?)
}

pub fn answer_of(conn: &Connection, id: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT answer FROM inbox WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

pub struct NewReceived<'a> {
    pub member: &'a str,
    pub seq: u64,
    pub period: &'a str,
    pub revision: u32,
    pub kind: &'a str,
    pub nihil: bool,
    pub sha256: &'a str,
    pub previous: Option<&'a str>,
    pub bytes: &'a [u8],
    pub received_at: &'a str,
}

pub fn insert_received(tx: &Transaction, r: &NewReceived, status: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO inbox (member, seq, period, revision, kind, nihil, sha256, previous,
                            status, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            r.member,
            r.seq,
            r.period,
            r.revision,
            r.kind,
            r.nihil,
            r.sha256,
            r.previous,
            status,
            r.received_at
        ],
    )?;
    let id = tx.last_insert_rowid();
    // Apart from the row, which its decision updates (see migration 0019).
    tx.execute(
        "INSERT INTO inbox_bytes (inbox, bytes) VALUES (?1, ?2)",
        params![id, r.bytes],
    )?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
pub fn decide(
    tx: &Transaction,
    id: i64,
    status: &str,
    reason: Option<&[u8]>,
    aggregates: Option<&[u8]>,
    stock: Option<(&str, &str)>,
    at: &str,
    answer: &[u8],
) -> Result<()> {
    tx.execute(
        "UPDATE inbox SET status = ?2, reason = ?3, aggregates = ?4, stock_opening = ?5,
                stock_closing = ?6, decided_at = ?7, answer = ?8 WHERE id = ?1",
        params![
            id,
            status,
            reason,
            aggregates,
            stock.map(|s| s.0),
            stock.map(|s| s.1),
            at,
            answer
        ],
    )?;
    Ok(())
}

pub fn set_status(tx: &Transaction, id: i64, status: &str) -> Result<()> {
    tx.execute(
        "UPDATE inbox SET status = ?2 WHERE id = ?1",
        params![id, status],
    )?;
    Ok(())
}

pub fn insert_refusal(
    tx: &Transaction,
    at: &str,
    file_sha256: &str,
    member: Option<&str>,
    file_name: &str,
    reason: &[u8],
) -> Result<()> {
    tx.execute(
        "INSERT INTO refusal (at, file_sha256, member, file_name, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![at, file_sha256, member, file_name, reason],
    )?;
    Ok(())
}

/// Who an accepted bundle served, as one row (migration 0020): the BAST numbers as a sorted
/// JSON array, and the people as `served::people` made them. Written once, never changed.
pub fn insert_served(tx: &Transaction, inbox_id: i64, basts: &[u8], people: &[u8]) -> Result<()> {
    tx.prepare_cached("INSERT INTO served (inbox, basts, people) VALUES (?1, ?2, ?3)")?
        .execute(params![inbox_id, basts, people])?;
    Ok(())
}

/// The accepted (current) bundles of a period: (member, nihil, aggregates JSON, seq).
#[allow(clippy::type_complexity)]
pub fn accepted_aggregates(
    conn: &Connection,
    period: &str,
) -> Result<Vec<(String, bool, Vec<u8>, u64)>> {
    let v = conn
        .prepare_cached(
            "SELECT member, nihil, aggregates, seq FROM inbox WHERE period = ?1 AND status = 'accepted'
             ORDER BY member",
        )?
        .query_map([period], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The member's accepted closing stock hash of a period.
pub fn closing_stock(conn: &Connection, member: &str, period: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT stock_closing FROM inbox WHERE member = ?1 AND period = ?2 AND status = 'accepted'",
        )?
        .query_row(params![member, period], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Who the accepted bundles of a period served: (member, BAST numbers JSON, people), by member.
#[allow(clippy::type_complexity)]
pub fn served_in(conn: &Connection, period: &str) -> Result<Vec<(String, Vec<u8>, Vec<u8>)>> {
    let v = conn
        .prepare_cached(
            "SELECT i.member, s.basts, s.people FROM inbox i JOIN served s ON s.inbox = i.id
             WHERE i.period = ?1 AND i.status = 'accepted' ORDER BY i.member, i.id",
        )?
        .query_map([period], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Refusals recorded (latest first): (at, file name, member, reason JSON).
#[allow(clippy::type_complexity)]
pub fn refusals(
    conn: &Connection,
    limit: i64,
) -> Result<Vec<(String, String, Option<String>, Vec<u8>)>> {
    let v = conn
        .prepare_cached(
            "SELECT at, file_name, member, reason FROM refusal ORDER BY id DESC LIMIT ?1",
        )?
        .query_map([limit], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A member's key fingerprints (revoked ones too), oldest first.
pub fn fingerprints(conn: &Connection, code: &str) -> Result<Vec<String>> {
    let v = conn
        .prepare_cached("SELECT fingerprint FROM member_key WHERE member = ?1 ORDER BY id")?
        .query_map([code], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A member's key in force (not revoked), the latest: its fingerprint.
pub fn current_fingerprint(conn: &Connection, code: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT fingerprint FROM member_key WHERE member = ?1 AND revoked_at IS NULL
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([code], |r| r.get(0))
        .optional()?)
}

/// How many province keys this Kanwil has issued.
pub fn province_keys(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM province_key", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::{accepted_aggregates, served_in, set_status, supersede_accepted};
    use crate::kanwil::served;

    /// How migration 19's store found a month's pairs: the oracle the values must agree with.
    const ROWS_PAIRS: &str = "SELECT DISTINCT a.what, a.member, a.bast_no, b.member, b.bast_no
         FROM served_person a
         JOIN served_person b ON b.period = a.period AND b.what = a.what
              AND b.pseudonym = a.pseudonym AND b.member > a.member
         JOIN inbox ia ON ia.id = a.inbox_id AND ia.status = 'accepted'
         JOIN inbox ib ON ib.id = b.inbox_id AND ib.status = 'accepted'
         WHERE a.period = ?1
         ORDER BY a.what DESC, a.member, a.bast_no, b.member, b.bast_no";

    type Pair = (String, String, String, String, String);
    /// A bundle made: member, status, period, (BAST, what, pseudonym) of each person.
    type Made = (
        String,
        &'static str,
        String,
        Vec<(String, &'static str, String)>,
    );

    fn pairs_then(conn: &rusqlite::Connection, period: &str) -> Vec<Pair> {
        conn.prepare(ROWS_PAIRS)
            .unwrap()
            .query_map([period], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn flat(v: Vec<crate::kanwil::CrossPair>) -> Vec<Pair> {
        v.into_iter()
            .map(|c| (c.by, c.facility_a, c.bast_a, c.facility_b, c.bast_b))
            .collect()
    }

    /// A revision accepted after a refused one supersedes the month's earlier accepted bundle
    /// too: one accepted bundle a month, so the recap counts the facility once.
    #[test]
    fn a_revision_leaves_one_accepted_bundle_a_month() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::db::migrations::run(&conn).unwrap();
        conn.execute(
            "INSERT INTO member (code, name, time_zone, recipient, registration, registered_at,
                 registered_by)
             VALUES ('UPT-A', 'UPT-A', 'WIB', 'age1', x'00', '2026-08-01', 'admin')",
            [],
        )
        .unwrap();
        for (id, revision, kind, status) in [
            (1, 1, "monthly", "accepted"),
            (2, 2, "revision", "rejected"),
            (3, 3, "revision", "accepted"),
        ] {
            conn.execute(
                "INSERT INTO inbox (id, member, seq, period, revision, kind, nihil, sha256, status,
                     received_at, aggregates)
                 VALUES (?1, 'UPT-A', ?1, '2026-10', ?2, ?3, 0, printf('%064x', ?1), ?4, '2026-11-01',
                         x'00')",
                rusqlite::params![id, revision, kind, status],
            )
            .unwrap();
        }
        // What the import of the third does: the refused one it names, and the month's others.
        let tx = conn.transaction().unwrap();
        set_status(&tx, 2, "superseded").unwrap();
        supersede_accepted(&tx, "UPT-A", "2026-10", 3).unwrap();
        tx.commit().unwrap();
        let accepted: Vec<u64> = accepted_aggregates(&conn, "2026-10")
            .unwrap()
            .into_iter()
            .map(|a| a.3)
            .collect();
        assert_eq!(accepted, [3]);
    }

    /// Six facilities' months with people drawn from a small pool (so many are served by two,
    /// some twice by one, under NIK and No. KK), some bundles replaced by a revision: the pairs
    /// from the values — made at import (`served::encode`) and moved by migration 0020 — are
    /// the pairs migration 19's rows gave.
    #[test]
    fn the_values_find_the_pairs_the_rows_of_each_person_found() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::db::migrations::run_to(&conn, 19).unwrap();
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let periods = ["2026-09", "2026-10"];
        for m in 0..6u8 {
            conn.execute(
                "INSERT INTO member (code, name, time_zone, recipient, registration, registered_at,
                     registered_by)
                 VALUES (?1, ?1, 'WIB', 'age1', x'00', '2026-08-01', 'admin')",
                [format!("UPT-{}", (b'A' + m) as char)],
            )
            .unwrap();
        }
        let mut made: Vec<Made> = vec![];
        let mut id = 0;
        for period in periods {
            for m in 0..6u8 {
                let member = format!("UPT-{}", (b'A' + m) as char);
                // One accepted bundle a month, and sometimes a superseded one before it.
                for status in ["superseded", "accepted"] {
                    if status == "superseded" && next(3) != 0 {
                        continue;
                    }
                    id += 1;
                    let mut people = vec![];
                    for _ in 0..next(40) {
                        let bast = format!("{:03}/BAST/{member}", next(8));
                        let what = if next(4) == 0 { "kk" } else { "nik" };
                        people.push((bast, what, format!("{:064x}", next(30))));
                    }
                    conn.execute(
                        "INSERT INTO inbox (id, member, seq, period, revision, kind, nihil, sha256,
                             status, received_at)
                         VALUES (?1, ?2, ?1, ?3, 1, 'monthly', 0, printf('%064x', ?1), ?4, '2026-11-01')",
                        rusqlite::params![id, member, period, status],
                    )
                    .unwrap();
                    for (bast, what, p) in &people {
                        conn.execute(
                            "INSERT INTO served_person (inbox_id, period, member, bast_no, pseudonym, what)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            rusqlite::params![id, period, member, bast, p, what],
                        )
                        .unwrap();
                    }
                    made.push((member.clone(), status, period.to_string(), people));
                }
            }
        }
        let then: Vec<Vec<Pair>> = periods.iter().map(|p| pairs_then(&conn, p)).collect();
        assert!(then.iter().all(|p| p.iter().any(|p| p.0 == "nik")));
        assert!(then.iter().all(|p| p.iter().any(|p| p.0 == "kk")));

        // At import: each accepted bundle's people encoded as the import keeps them.
        for (period, want) in periods.iter().zip(&then) {
            let rows = made
                .iter()
                .filter(|(_, s, p, _)| *s == "accepted" && p == period)
                .map(|(m, _, _, people)| {
                    let v: Vec<served::Served> = people
                        .iter()
                        .map(|(b, w, p)| (b.as_str(), *w, p.as_str()))
                        .collect();
                    let (b, pe) = served::encode(&v).unwrap();
                    (m.clone(), b, pe)
                })
                .collect();
            assert_eq!(&flat(served::pairs(rows).unwrap()), want, "{period}");
        }
        // Moved by the migration.
        crate::db::migrations::run(&conn).unwrap();
        for (period, want) in periods.iter().zip(&then) {
            let got = served::pairs(served_in(&conn, period).unwrap()).unwrap();
            assert_eq!(&flat(got), want, "{period}");
        }
        let left: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'served_person'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0);
    }
}

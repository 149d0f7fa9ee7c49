//! SQL for staff accounts.

use super::{Role, Staff};
use crate::error::{Error, ErrorKind, Result};
use rusqlite::{params, Connection, OptionalExtension};

fn row_to_staff(r: &rusqlite::Row) -> rusqlite::Result<Staff> {
    let role: String = r.get("role")?;
    Ok(Staff {
        id: r.get("id")?,
        username: r.get("username")?,
        full_name: r.get("full_name")?,
        nip: r.get("nip")?,
        position: r.get("position")?,
        // The CHECK constraint keeps `role` to the four codes.
        role: Role::parse(&role).unwrap_or(Role::Petugas),
        active: r.get::<_, i64>("active")? == 1,
        created_at: r.get("created_at")?,
        locked_until: None,
    })
}

const COLUMNS: &str = "id, username, full_name, nip, position, role, active, created_at";

pub fn list(conn: &Connection) -> Result<Vec<Staff>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM staff ORDER BY active DESC, full_name"
    ))?;
    let rows = stmt.query_map([], row_to_staff)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn by_username(conn: &Connection, username: &str) -> Result<Option<Staff>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM staff WHERE username = ?1"),
            [username],
            row_to_staff,
        )
        .optional()?)
}

/// The generation of an account's credentials (migration 0024).
pub fn credentials_gen(conn: &Connection, id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT credentials_gen FROM staff WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or(-1))
}

/// Moves an account's credentials to their next generation: the sessions signed in under the
/// last one end at their next step. Returns the new generation.
pub fn bump_credentials(tx: &Connection, id: i64) -> Result<i64> {
    Ok(tx
        .prepare_cached(
            "UPDATE staff SET credentials_gen = credentials_gen + 1 WHERE id = ?1
             RETURNING credentials_gen",
        )?
        .query_row([id], |r| r.get(0))?)
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Staff> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM staff WHERE id = ?1"),
        [id],
        row_to_staff,
    )
    .optional()?
    .ok_or_else(|| {
        Error::new(
            ErrorKind::NotFound,
            format!("Staf nomor {id} tidak ditemukan."),
            format!("Staff member {id} was not found."),
        )
    })
}

pub fn insert(conn: &Connection, s: &super::NewStaff, created_at: &str) -> Result<i64> {
    if by_username(conn, &s.username)?.is_some() {
        return Err(Error::new(
            ErrorKind::Conflict,
            format!("Nama pengguna \"{}\" sudah dipakai.", s.username),
            format!("The user name \"{}\" is already taken.", s.username),
        )
        .with_field("username"));
    }
    conn.execute(
        "INSERT INTO staff (username, full_name, nip, position, role, active, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
        params![
            s.username,
            s.full_name,
            s.nip,
            s.position,
            s.role.code(),
            created_at
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn set_active(conn: &Connection, id: i64, active: bool, reason: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE staff SET active = ?2, inactive_reason = ?3 WHERE id = ?1",
        params![id, active as i64, reason],
    )?;
    Ok(())
}

pub fn set_role(conn: &Connection, id: i64, role: Role) -> Result<()> {
    conn.execute(
        "UPDATE staff SET role = ?2 WHERE id = ?1",
        params![id, role.code()],
    )?;
    Ok(())
}

pub fn count_active_admins(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM staff WHERE role = 'admin' AND active = 1",
        [],
        |r| r.get(0),
    )?)
}

pub fn counts(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT count(*) AS total, coalesce(sum(active), 0) AS active FROM staff",
        [],
        |r| Ok((r.get("total")?, r.get("active")?)),
    )?)
}

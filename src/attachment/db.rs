//! SQL for attachments. The bytes are kept inside the (encrypted) database.

use super::{AttachmentInfo, Owner, ValidFile};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row};

fn info_row(r: &Row) -> rusqlite::Result<AttachmentInfo> {
    Ok(AttachmentInfo {
        id: r.get("id")?,
        file_name: r.get("file_name")?,
        mime: r.get("mime")?,
        size_bytes: r.get("size_bytes")?,
        sha256: r.get("sha256")?,
        note: r.get("note")?,
        added_at: r.get("added_at")?,
        added_by: r.get("added_by")?,
    })
}

pub fn insert(
    conn: &Connection,
    owner: Owner,
    f: &ValidFile,
    at: &str,
    actor: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO attachment (owner_kind, owner_id, file_name, mime, size_bytes, sha256, note, data, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            owner.kind(),
            owner.id(),
            f.file_name,
            f.mime,
            f.bytes.len() as i64,
            f.sha256,
            f.note,
            f.bytes,
            at,
            actor
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The files kept with one record, oldest first.
pub fn list(conn: &Connection, owner: Owner) -> Result<Vec<AttachmentInfo>> {
    let v = conn
        .prepare_cached(
            "SELECT id, file_name, mime, size_bytes, sha256, note, added_at, added_by
             FROM attachment WHERE owner_kind = ?1 AND owner_id = ?2 ORDER BY id",
        )?
        .query_map(params![owner.kind(), owner.id()], info_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// One file with its owner and bytes.
pub fn get(conn: &Connection, id: i64) -> Result<Option<(AttachmentInfo, Owner, Vec<u8>)>> {
    let row = conn
        .prepare_cached("SELECT * FROM attachment WHERE id = ?1")?
        .query_row([id], |r| {
            Ok((
                info_row(r)?,
                r.get::<_, String>("owner_kind")?,
                r.get::<_, i64>("owner_id")?,
                r.get::<_, Vec<u8>>("data")?,
            ))
        })
        .optional()?;
    match row {
        None => Ok(None),
        Some((info, kind, owner, data)) => Ok(Some((info, Owner::parse(&kind, owner)?, data))),
    }
}

//! SQL for the facility row and the regional office keys.

use super::{keys, Facility, FacilityKind, FacilityProfile, RegionalKey, RetiredKey};
use crate::error::{Error, ErrorKind, Result};
use crate::locale::TimeZone;
use rusqlite::{params, Connection, OptionalExtension};

pub struct Stored {
    pub facility: Facility,
    pub secret_key_sealed: Vec<u8>,
}

#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &Connection,
    p: &FacilityProfile,
    receipt_pattern: &str,
    idle_minutes: u32,
    logo: Option<&[u8]>,
    public_key: &[u8; 32],
    secret_key_sealed: &[u8],
    created_at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO facility (id, name, kind, class, code, province, kanwil, address, time_zone, head_name,
             head_nip, receipt_pattern, idle_minutes, logo, public_key, secret_key_sealed, created_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            p.name,
            p.kind.code(),
            p.class,
            p.code,
            p.province,
            p.kanwil,
            p.address,
            p.time_zone.code(),
            p.head_name,
            p.head_nip,
            receipt_pattern,
            idle_minutes,
            logo,
            public_key.as_slice(),
            secret_key_sealed,
            created_at
        ],
    )?;
    Ok(())
}

/// What already carries the facility's code, if anything: a BAST issued, a month closed, a
/// registration made for the Kanwil, an enrollment or a bundle (at a Kanwil: a facility
/// registered, whose answers name it). Once something does, the code stays as it is.
pub fn code_in_use(conn: &Connection) -> Result<Option<CodeUse>> {
    for (table, used) in [
        ("handover", CodeUse::Bast),
        ("month_close", CodeUse::ClosedMonth),
        ("exchange_identity", CodeUse::Registration),
        ("enrollment", CodeUse::Registration),
        ("bundle", CodeUse::Registration),
        ("member", CodeUse::Members),
    ] {
        let any: bool =
            conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), [], |r| {
                r.get(0)
            })?;
        if any {
            return Ok(Some(used));
        }
    }
    Ok(None)
}

/// Where the facility's code is already written (`code_in_use`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeUse {
    Bast,
    ClosedMonth,
    Registration,
    Members,
}

pub fn update(
    conn: &Connection,
    p: &FacilityProfile,
    receipt_pattern: &str,
    idle_minutes: u32,
) -> Result<()> {
    conn.execute(
        "UPDATE facility SET name = ?1, kind = ?2, class = ?3, code = ?4, province = ?5, kanwil = ?6,
             address = ?7, time_zone = ?8, head_name = ?9, head_nip = ?10, receipt_pattern = ?11,
             idle_minutes = ?12 WHERE id = 1",
        params![
            p.name,
            p.kind.code(),
            p.class,
            p.code,
            p.province,
            p.kanwil,
            p.address,
            p.time_zone.code(),
            p.head_name,
            p.head_nip,
            receipt_pattern,
            idle_minutes
        ],
    )?;
    Ok(())
}

pub fn set_logo(conn: &Connection, logo: Option<&[u8]>) -> Result<()> {
    conn.execute("UPDATE facility SET logo = ?1 WHERE id = 1", params![logo])?;
    Ok(())
}

/// The settings every use case reads (see [`super::Settings`]).
pub fn settings(conn: &Connection) -> Result<super::Settings> {
    let (code, receipt_pattern, tz): (String, String, String) = conn
        .prepare_cached("SELECT code, receipt_pattern, time_zone FROM facility WHERE id = 1")?
        .query_row([], |r| {
            Ok((
                r.get("code")?,
                r.get("receipt_pattern")?,
                r.get("time_zone")?,
            ))
        })
        .optional()?
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Corrupt,
                "Data UPT tidak ada di basis data.",
                "The facility record is missing from the database.",
            )
        })?;
    let meta = |key: &str| -> Result<Option<String>> {
        Ok(conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    };
    let nik_key = meta("nik_key")?
        .and_then(|k| hex::decode(k).ok())
        .ok_or_else(|| Error::internal("nik_key missing from meta"))?;
    Ok(super::Settings {
        code,
        receipt_pattern,
        time_zone: TimeZone::parse(&tz).unwrap_or_default(),
        period_rule: meta("period_rule")?
            .and_then(|r| crate::distribution::PeriodRule::parse(&r))
            .unwrap_or_default(),
        expiry_alert_days: meta("expiry_alert_days")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(super::DEFAULT_EXPIRY_ALERT_DAYS),
        nik_key: zeroize::Zeroizing::new(nik_key),
    })
}

pub fn set_expiry_alert_days(conn: &Connection, days: u32) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('expiry_alert_days', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [days.to_string()],
    )?;
    Ok(())
}

pub fn logo(conn: &Connection) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT logo FROM facility WHERE id = 1", [], |r| r.get(0))
        .optional()?
        .flatten())
}

pub fn load(conn: &Connection) -> Result<Stored> {
    let row = conn
        .query_row(
            "SELECT name, kind, class, code, province, kanwil, address, time_zone, head_name, head_nip,
                    receipt_pattern, idle_minutes, logo IS NOT NULL AS has_logo, public_key, secret_key_sealed
             FROM facility WHERE id = 1",
            [],
            |r| {
                let kind: String = r.get("kind")?;
                let tz: String = r.get("time_zone")?;
                let pk: Vec<u8> = r.get("public_key")?;
                Ok((
                    FacilityProfile {
                        name: r.get("name")?,
                        kind: FacilityKind::parse(&kind).unwrap_or(FacilityKind::Rutan),
                        class: r.get("class")?,
                        code: r.get("code")?,
                        province: r.get("province")?,
                        kanwil: r.get("kanwil")?,
                        address: r.get("address")?,
                        time_zone: TimeZone::parse(&tz).unwrap_or_default(),
                        head_name: r.get("head_name")?,
                        head_nip: r.get("head_nip")?,
                    },
                    r.get::<_, String>("receipt_pattern")?,
                    r.get::<_, u32>("idle_minutes")?,
                    r.get::<_, bool>("has_logo")?,
                    pk,
                    r.get::<_, Vec<u8>>("secret_key_sealed")?,
                ))
            },
        )
        .optional()?;
    let Some((profile, receipt_pattern, idle_minutes, has_logo, pk, sealed)) = row else {
        return Err(Error::new(
            ErrorKind::Corrupt,
            "Data UPT tidak ada di basis data.",
            "The facility record is missing from the database.",
        ));
    };
    let pk: [u8; 32] = pk
        .try_into()
        .map_err(|_| Error::internal("public key length"))?;
    Ok(Stored {
        facility: Facility {
            profile,
            receipt_pattern,
            has_logo,
            public_key_hex: hex::encode(pk),
            fingerprint: keys::fingerprint(&pk),
            regional_keys: regional_keys(conn)?,
            retired_keys: retired_keys(conn)?,
            idle_minutes,
        },
        secret_key_sealed: sealed,
    })
}

/// The keys this facility signed with before, newest first.
pub fn retired_keys(conn: &Connection) -> Result<Vec<RetiredKey>> {
    let mut stmt = conn.prepare_cached(
        "SELECT public_key, fingerprint, retired_at, retired_on, retired_by, reason, last_seq
         FROM facility_key_history ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        let pk: Vec<u8> = r.get(0)?;
        Ok(RetiredKey {
            public_key_hex: hex::encode(pk),
            fingerprint: r.get(1)?,
            retired_at: r.get(2)?,
            retired_on: r.get(3)?,
            retired_by: r.get(4)?,
            reason: r.get(5)?,
            last_seq: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The rotation statement of the newest retired key (to hand it to the Kanwil again).
pub fn latest_rotation(conn: &Connection) -> Result<Option<(String, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT fingerprint, statement FROM facility_key_history ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Retires the facility's key: its public half and the statement kept, the new pair in its place.
#[allow(clippy::too_many_arguments)]
pub fn rotate_key(
    tx: &Connection,
    old: &[u8; 32],
    new: &[u8; 32],
    new_sealed: &[u8],
    at: &str,
    on: &str,
    by: &str,
    reason: &str,
    last_seq: Option<u64>,
    statement: &[u8],
) -> Result<()> {
    tx.execute(
        "INSERT INTO facility_key_history
             (public_key, fingerprint, retired_at, retired_on, retired_by, reason, last_seq, statement)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            old.as_slice(),
            keys::fingerprint(old),
            at,
            on,
            by,
            reason,
            last_seq,
            statement
        ],
    )?;
    let n = tx.execute(
        "UPDATE facility SET public_key = ?1, secret_key_sealed = ?2 WHERE id = 1 AND public_key = ?3",
        params![new.as_slice(), new_sealed, old.as_slice()],
    )?;
    if n != 1 {
        return Err(Error::new(
            ErrorKind::Conflict,
            "Kunci UPT baru saja diganti di meja lain. Tidak ada yang diubah.",
            "The facility's key was just changed at another desk. Nothing was changed.",
        ));
    }
    Ok(())
}

pub fn regional_keys(conn: &Connection) -> Result<Vec<RegionalKey>> {
    let mut stmt = conn.prepare(
        "SELECT id, label, public_key, added_at FROM regional_key WHERE removed_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        let pk: Vec<u8> = r.get("public_key")?;
        Ok((
            r.get::<_, i64>("id")?,
            r.get::<_, String>("label")?,
            pk,
            r.get::<_, String>("added_at")?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, label, pk, added_at) = row?;
        let arr: [u8; 32] = pk
            .try_into()
            .map_err(|_| Error::internal("regional key length"))?;
        out.push(RegionalKey {
            id,
            label,
            public_key_hex: hex::encode(arr),
            fingerprint: keys::fingerprint(&arr),
            added_at,
        });
    }
    Ok(out)
}

pub fn add_regional_key(conn: &Connection, label: &str, pk: &[u8; 32], at: &str) -> Result<i64> {
    let exists: Option<i64> = conn
        .query_row(
            "SELECT id FROM regional_key WHERE public_key = ?1 AND removed_at IS NULL",
            [pk.as_slice()],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(Error::new(
            ErrorKind::Conflict,
            "Kunci publik Kanwil ini sudah terdaftar.",
            "This regional office key is already registered.",
        )
        .with_field("public_key"));
    }
    conn.execute(
        "INSERT INTO regional_key (label, public_key, added_at) VALUES (?1, ?2, ?3)",
        params![label, pk.as_slice(), at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Keys are retired, not deleted: old bundles stay verifiable against the key of their time.
pub fn remove_regional_key(conn: &Connection, id: i64, at: &str) -> Result<RegionalKey> {
    let key = regional_keys(conn)?
        .into_iter()
        .find(|k| k.id == id)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("Kunci Kanwil nomor {id} tidak ditemukan."),
                format!("Regional key {id} was not found."),
            )
        })?;
    conn.execute(
        "UPDATE regional_key SET removed_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(key)
}

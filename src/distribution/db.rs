//! SQL for package templates, distribution events and their planned recipients. Writers run
//! inside the use case's transaction; readers take any connection (a transaction included, so a
//! use case reads what it checks inside the transaction that writes).

use super::{Event, EventKind, EventStatus, Official, Period, Recipient, Template, TemplateLine};
use crate::error::{Error, ErrorKind, Result};
use crate::family::model::{code_of, from_code};
use crate::family::view::family_code;
use crate::stock::{from_milli, FundingSource};
use rusqlite::{params, Connection, OptionalExtension, Row};

fn not_found(what_id: &str, what_en: &str, id: i64) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("{what_id} #{id} tidak ada."),
        format!("There is no {what_en} #{id}."),
    )
}

// ----- templates -----------------------------------------------------------------------------

fn template_row(r: &Row) -> rusqlite::Result<Template> {
    Ok(Template {
        id: r.get("id")?,
        lineage: r.get("lineage")?,
        version: r.get("version")?,
        name: r.get("name")?,
        per_person: r.get("per_person")?,
        cap_members: r.get("cap_members")?,
        retired: r.get("retired")?,
        created_at: r.get("created_at")?,
        created_by: r.get("created_by")?,
        in_use: r.get("in_use")?,
        lines: Vec::new(),
    })
}

/// A template with its lines.
pub fn template(conn: &Connection, id: i64) -> Result<Template> {
    let mut t = conn
        .prepare_cached(
            "SELECT t.*, EXISTS (SELECT 1 FROM event e WHERE e.template_id = t.id AND e.status <> 'cancelled') AS in_use
             FROM package_template t WHERE id = ?1",
        )?
        .query_row([id], template_row)
        .optional()?
        .ok_or_else(|| not_found("Paket", "template", id))?;
    let mut st = conn.prepare_cached(
        "SELECT l.item_id, i.name, i.unit, l.qty_milli FROM template_line l JOIN item i ON i.id = l.item_id
         WHERE l.template_id = ?1 ORDER BY i.category <> 'sembako', i.id",
    )?;
    t.lines = st
        .query_map([id], |r| {
            Ok(TemplateLine {
                item_id: r.get("item_id")?,
                item: r.get("name")?,
                unit: r.get("unit")?,
                quantity: from_milli(r.get("qty_milli")?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(t)
}

/// The latest version of every template, by name.
pub fn latest_templates(conn: &Connection, include_retired: bool) -> Result<Vec<Template>> {
    let ids = conn
        .prepare(
            "SELECT id FROM package_template t WHERE (?1 OR retired = 0)
               AND version = (SELECT max(version) FROM package_template u WHERE u.lineage = t.lineage)
             ORDER BY name",
        )?
        .query_map([include_retired], |r| r.get::<_, i64>("id"))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    ids.into_iter().map(|id| template(conn, id)).collect()
}

pub fn latest_version(conn: &Connection, lineage: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT max(version) FROM package_template WHERE lineage = ?1",
        [lineage],
        |r| r.get(0),
    )?)
}

/// What a template's row holds besides its lineage and version.
pub struct TemplateFields<'a> {
    pub name: &'a str,
    pub per_person: bool,
    pub cap_members: Option<u32>,
    /// (item, thousandths)
    pub lines: &'a [(i64, i64)],
}

fn insert_lines(conn: &Connection, template_id: i64, lines: &[(i64, i64)]) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT INTO template_line (template_id, item_id, qty_milli) VALUES (?1, ?2, ?3)",
    )?;
    for (item, q) in lines {
        st.execute(params![template_id, item, q])?;
    }
    Ok(())
}

/// A new template, the first of its lineage; or, with `lineage`, the next version of one.
pub fn insert_template(
    conn: &Connection,
    lineage: Option<(i64, i64)>,
    t: &TemplateFields,
    at: &str,
    actor: &str,
) -> Result<i64> {
    let (lin, version) = lineage.unwrap_or((0, 1));
    conn.execute(
        "INSERT INTO package_template (lineage, version, name, per_person, cap_members, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![lin, version, t.name, t.per_person, t.cap_members, at, actor],
    )?;
    let id = conn.last_insert_rowid();
    if lineage.is_none() {
        conn.execute(
            "UPDATE package_template SET lineage = ?1 WHERE id = ?1",
            [id],
        )?;
    }
    insert_lines(conn, id, t.lines)?;
    Ok(id)
}

/// Changes a template no event uses, in place.
pub fn replace_template(conn: &Connection, id: i64, t: &TemplateFields) -> Result<()> {
    conn.execute(
        "UPDATE package_template SET name = ?2, per_person = ?3, cap_members = ?4 WHERE id = ?1",
        params![id, t.name, t.per_person, t.cap_members],
    )?;
    conn.execute("DELETE FROM template_line WHERE template_id = ?1", [id])?;
    insert_lines(conn, id, t.lines)
}

// ----- events --------------------------------------------------------------------------------

/// What an event's row holds when it is created.
pub struct NewEvent<'a> {
    pub date: &'a str,
    pub place: &'a str,
    pub kind: EventKind,
    pub source: Option<FundingSource>,
    pub template_id: i64,
    pub officials: &'a [Official],
    pub note: &'a str,
}

pub fn insert_event(conn: &Connection, e: &NewEvent, at: &str, actor: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO event (date, place, kind, source, template_id, officials, note, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            e.date,
            e.place,
            code_of(&e.kind),
            e.source.map(|s| code_of(&s)),
            e.template_id,
            serde_json::to_string(e.officials).map_err(Error::internal)?,
            e.note,
            at,
            actor
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The few facts of an event that its use cases check: status, date, place, kind, source.
#[derive(Debug, Clone)]
pub struct EventHead {
    pub id: i64,
    pub status: EventStatus,
    pub date: String,
    pub place: String,
    pub kind: EventKind,
    pub source: Option<FundingSource>,
    pub template_id: i64,
}

fn head_row(r: &Row) -> rusqlite::Result<EventHead> {
    Ok(EventHead {
        id: r.get("id")?,
        status: from_code(&r.get::<_, String>("status")?).unwrap_or(EventStatus::Draft),
        date: r.get("date")?,
        place: r.get("place")?,
        kind: from_code(&r.get::<_, String>("kind")?).unwrap_or(EventKind::RutinBulanan),
        source: r
            .get::<_, Option<String>>("source")?
            .as_deref()
            .and_then(from_code),
        template_id: r.get("template_id")?,
    })
}

pub fn event_head(conn: &Connection, id: i64) -> Result<EventHead> {
    conn.prepare_cached(
        "SELECT id, status, date, place, kind, source, template_id FROM event WHERE id = ?1",
    )?
    .query_row([id], head_row)
    .optional()?
    .ok_or_else(|| not_found("Kegiatan", "event", id))
}

/// An event with its template and planned recipients (each with its household's package).
pub fn event(conn: &Connection, id: i64) -> Result<Event> {
    let row = conn
        .prepare_cached("SELECT * FROM event WHERE id = ?1")?
        .query_row([id], |r| {
            Ok((
                head_row(r)?,
                r.get::<_, String>("officials")?,
                r.get::<_, String>("note")?,
                r.get::<_, String>("created_by")?,
                r.get::<_, Option<String>>("approved_by")?,
                r.get::<_, Option<String>>("approved_at")?,
                r.get::<_, String>("cancel_reason")?,
            ))
        })
        .optional()?
        .ok_or_else(|| not_found("Kegiatan", "event", id))?;
    let (head, officials, note, created_by, approved_by, approved_at, cancel_reason) = row;
    let template = template(conn, head.template_id)?;
    let recipients = conn
        .prepare_cached(
            "SELECT r.family_id,
                    (SELECT h.name FROM person h WHERE h.family_id = r.family_id AND h.position = 0) AS head_name,
                    (SELECT count(*) FROM person p WHERE p.family_id = r.family_id) AS members,
                    r.added_by, f.verification = 'verified' AS verified, f.active
             FROM event_recipient r JOIN family f ON f.id = r.family_id
             WHERE r.event_id = ?1 ORDER BY r.added_at, r.family_id",
        )?
        .query_map([id], |r| {
            let fid: i64 = r.get("family_id")?;
            let members: i64 = r.get("members")?;
            Ok(Recipient {
                family_id: fid,
                code: family_code(fid),
                head_name: r.get::<_, Option<String>>("head_name")?.unwrap_or_default(),
                members,
                added_by: r.get("added_by")?,
                verified: r.get("verified")?,
                active: r.get("active")?,
                people_counted: super::people_counted(
                    template.per_person,
                    template.cap_members,
                    members,
                ),
                package: template.for_household(members),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Event {
        id,
        date: head.date,
        place: head.place,
        kind: head.kind,
        source: head.source,
        template,
        officials: serde_json::from_str(&officials).unwrap_or_default(),
        note,
        status: head.status,
        created_by,
        approved_by,
        approved_at,
        cancel_reason,
        recipients,
    })
}

/// The newest events first (at most `limit`).
/// The newest `limit` events as the list shows them, each with its planned families counted.
pub fn event_summaries(conn: &Connection, limit: u32) -> Result<Vec<super::EventSummary>> {
    let v = conn
        .prepare_cached(
            "SELECT e.id, e.status, e.date, e.place, e.kind, e.source, e.template_id,
                    t.name AS template_name, t.version AS template_version,
                    coalesce(p.n, 0) AS planned
             FROM event e JOIN package_template t ON t.id = e.template_id
             LEFT JOIN event_planned p ON p.event_id = e.id
             ORDER BY e.date DESC, e.id DESC LIMIT ?1",
        )?
        .query_map([limit], |r| {
            let h = head_row(r)?;
            Ok(super::EventSummary {
                id: h.id,
                date: h.date,
                place: h.place,
                kind: h.kind,
                status: h.status,
                template_name: r.get("template_name")?,
                template_version: r.get("template_version")?,
                planned: r.get("planned")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn event_ids(conn: &Connection, limit: u32) -> Result<Vec<i64>> {
    let v = conn
        .prepare("SELECT id FROM event ORDER BY date DESC, id DESC LIMIT ?1")?
        .query_map([limit], |r| r.get("id"))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn is_recipient(conn: &Connection, event_id: i64, family_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM event_recipient WHERE event_id = ?1 AND family_id = ?2)",
        )?
        .query_row(params![event_id, family_id], |r| r.get(0))?)
}

pub fn recipient_count(conn: &Connection, event_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM event_recipient WHERE event_id = ?1")?
        .query_row([event_id], |r| r.get(0))?)
}

/// The event (id, date) of another live event in `period` that already plans `family_id`.
pub fn planned_elsewhere(
    conn: &Connection,
    family_id: i64,
    event_id: i64,
    period: &Period,
) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT e.id, e.date FROM event_recipient r JOIN event e ON e.id = r.event_id
             WHERE r.family_id = ?1 AND e.id <> ?2 AND e.status <> 'cancelled'
               AND e.date BETWEEN ?3 AND ?4 LIMIT 1",
        )?
        .query_row(
            params![
                family_id,
                event_id,
                period.first.to_string(),
                period.last.to_string()
            ],
            |r| Ok((r.get("id")?, r.get("date")?)),
        )
        .optional()?)
}

pub fn add_recipient(
    conn: &Connection,
    event_id: i64,
    family_id: i64,
    at: &str,
    actor: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO event_recipient (event_id, family_id, added_at, added_by) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![event_id, family_id, at, actor])?;
    Ok(())
}

/// Removes a planned family; false when it was not on the list.
pub fn remove_recipient(conn: &Connection, event_id: i64, family_id: i64) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM event_recipient WHERE event_id = ?1 AND family_id = ?2",
        params![event_id, family_id],
    )? > 0)
}

/// Moves an event from one status to the next. The `WHERE status = from` makes the move happen
/// once: false when another session moved it first.
pub fn set_status(
    conn: &Connection,
    id: i64,
    from: EventStatus,
    to: EventStatus,
    at: &str,
    actor: &str,
    reason: &str,
) -> Result<bool> {
    let n = match to {
        EventStatus::Approved => conn.execute(
            "UPDATE event SET status = 'approved', approved_by = ?3, approved_at = ?4
             WHERE id = ?1 AND status = ?2",
            params![id, code_of(&from), actor, at],
        )?,
        EventStatus::Completed => conn.execute(
            "UPDATE event SET status = 'completed', closed_at = ?3 WHERE id = ?1 AND status = ?2",
            params![id, code_of(&from), at],
        )?,
        EventStatus::Cancelled => conn.execute(
            "UPDATE event SET status = 'cancelled', cancel_reason = ?3, closed_at = ?4
             WHERE id = ?1 AND status = ?2",
            params![id, code_of(&from), reason, at],
        )?,
        EventStatus::Draft => 0,
    };
    Ok(n == 1)
}

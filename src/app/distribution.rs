//! Use cases of package templates and distribution events (SPEC §2 item 5). Hand-overs and
//! receipts (item 6) are not built yet.
//!
//! Who may do what: Petugas and Verifikator make templates and events and plan recipients; only a
//! Verifikator approves an event; a draft or approved event may be cancelled with a reason.

use super::{json, App, ANYONE};
use crate::audit;
use crate::distribution::{
    family_quantity, Event, EventInput, EventKind, EventStatus, IneligibleReason, Official,
    Recipient, ShortageLine, ShortageReport, Template, TemplateInput, TemplateLine,
};
use crate::error::{Error, ErrorKind, Result};
use crate::family::model::{code_of, from_code, parse_date};
use crate::family::view::family_code;
use crate::locale::{self, Lang};
use crate::staff::Role;
use crate::stock::{from_milli, parse_qty, to_milli};
use chrono::Datelike;
use rusqlite::{params, Connection, OptionalExtension};

const PLANNERS: &[Role] = &[Role::Petugas, Role::Verifikator];
const VERIFIERS: &[Role] = &[Role::Verifikator];

fn not_found(what_id: &str, what_en: &str, id: i64) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("{what_id} #{id} tidak ada."),
        format!("There is no {what_en} #{id}."),
    )
}

fn load_template(conn: &Connection, id: i64) -> Result<Template> {
    let t = conn
        .query_row(
            "SELECT id, lineage, version, name, per_person, cap_members, retired, created_at, created_by,
                    EXISTS (SELECT 1 FROM event e WHERE e.template_id = t.id AND e.status <> 'cancelled')
             FROM package_template t WHERE id = ?1",
            [id],
            |r| {
                Ok(Template {
                    id: r.get(0)?,
                    lineage: r.get(1)?,
                    version: r.get(2)?,
                    name: r.get(3)?,
                    per_person: r.get(4)?,
                    cap_members: r.get(5)?,
                    retired: r.get(6)?,
                    created_at: r.get(7)?,
                    created_by: r.get(8)?,
                    in_use: r.get(9)?,
                    lines: Vec::new(),
                })
            },
        )
        .optional()?;
    let mut t = t.ok_or_else(|| not_found("Paket", "template", id))?;
    let mut st = conn.prepare_cached(
        "SELECT l.item_id, i.name, i.unit, l.qty_milli FROM template_line l JOIN item i ON i.id = l.item_id
         WHERE l.template_id = ?1 ORDER BY i.category <> 'sembako', i.id",
    )?;
    t.lines = st
        .query_map([id], |r| {
            Ok(TemplateLine {
                item_id: r.get(0)?,
                item: r.get(1)?,
                unit: r.get(2)?,
                quantity: from_milli(r.get(3)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(t)
}

/// The period a date falls in under the facility's rule: (first day, last day).
pub(super) fn period_of(
    conn: &Connection,
    date: chrono::NaiveDate,
) -> Result<Option<(String, String)>> {
    let rule: String = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'period_rule'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| "calendar_month".into());
    Ok(match rule.as_str() {
        "none" => None,
        _ => {
            let first = date.with_day(1).unwrap_or(date);
            let next = if date.month() == 12 {
                chrono::NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
            } else {
                chrono::NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
            }
            .unwrap_or(date);
            Some((
                first.to_string(),
                (next - chrono::Duration::days(1)).to_string(),
            ))
        }
    })
}

impl App {
    fn validated_template(
        &self,
        t: &TemplateInput,
        lang: Lang,
    ) -> Result<(String, Vec<(i64, i64)>)> {
        let name = t.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(Error::invalid(
                "name",
                "Nama paket wajib diisi.",
                "The package's name is required.",
            ));
        }
        if let Some(c) = t.cap_members {
            if !(1..=30).contains(&c) {
                return Err(Error::invalid(
                    "cap_members",
                    "Batas anggota 1–30 orang.",
                    "The cap is 1–30 people.",
                ));
            }
        }
        if t.lines.is_empty() {
            return Err(Error::invalid(
                "lines",
                "Isi paling sedikit satu barang.",
                "Enter at least one item.",
            ));
        }
        let mut lines = Vec::new();
        for (i, l) in t.lines.iter().enumerate() {
            let f = format!("line.{i}.quantity");
            let it = crate::stock::db::item(&self.conn, l.item_id)
                .map_err(|e| e.with_field(&format!("line.{i}.item_id")))?;
            if lines.iter().any(|(id, _)| *id == l.item_id) {
                return Err(Error::invalid(
                    &format!("line.{i}.item_id"),
                    format!("{} sudah ada di paket ini.", it.name),
                    format!("{} is already in this package.", it.name),
                ));
            }
            let q = parse_qty(&l.quantity, &f, lang)?;
            if q <= rust_decimal::Decimal::ZERO {
                return Err(Error::invalid(
                    &f,
                    "Jumlah harus lebih dari nol.",
                    "The quantity must be more than zero.",
                ));
            }
            lines.push((l.item_id, to_milli(q, &f)?));
        }
        Ok((name, lines))
    }

    pub fn templates(&mut self, include_retired: bool) -> Result<Vec<Template>> {
        self.guard(ANYONE)?;
        let mut st = self.conn.prepare(
            "SELECT id FROM package_template t WHERE (?1 OR retired = 0)
               AND version = (SELECT max(version) FROM package_template u WHERE u.lineage = t.lineage)
             ORDER BY name",
        )?;
        let ids = st
            .query_map([include_retired], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.into_iter()
            .map(|id| load_template(&self.conn, id))
            .collect()
    }

    pub fn template(&mut self, id: i64) -> Result<Template> {
        self.guard(ANYONE)?;
        load_template(&self.conn, id)
    }

    pub fn create_template(&mut self, t: &TemplateInput, lang: Lang) -> Result<Template> {
        self.guard(PLANNERS)?;
        let (name, lines) = self.validated_template(t, lang)?;
        let id = self.tx(|tx, at, actor| {
            tx.execute(
                "INSERT INTO package_template (lineage, version, name, per_person, cap_members, created_at, created_by) VALUES (0, 1, ?1, ?2, ?3, ?4, ?5)",
                params![name, t.per_person, t.cap_members, at, actor],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute("UPDATE package_template SET lineage = ?1 WHERE id = ?1", [id])?;
            for (item, q) in &lines {
                tx.execute("INSERT INTO template_line (template_id, item_id, qty_milli) VALUES (?1, ?2, ?3)", params![id, item, q])?;
            }
            audit::db::append(tx, at, actor, "template.create", "template", &id.to_string(), None, json(&serde_json::json!({"name": name, "per_person": t.per_person, "cap": t.cap_members, "lines": lines})).as_deref())?;
            Ok(id)
        })?;
        load_template(&self.conn, id)
    }

    /// Changes a template: in place while no event uses it, else as the next version (events keep
    /// the version they were planned with).
    pub fn update_template(&mut self, id: i64, t: &TemplateInput, lang: Lang) -> Result<Template> {
        self.guard(PLANNERS)?;
        let old = load_template(&self.conn, id)?;
        let latest: i64 = self.conn.query_row(
            "SELECT max(version) FROM package_template WHERE lineage = ?1",
            [old.lineage],
            |r| r.get(0),
        )?;
        if latest != old.version {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "Paket ini sudah punya versi yang lebih baru ({latest}); ubah versi terbaru."
                ),
                format!("This package has a newer version ({latest}); change the latest one."),
            ));
        }
        let (name, lines) = self.validated_template(t, lang)?;
        let new_id = self.tx(|tx, at, actor| {
            let target = if old.in_use {
                tx.execute(
                    "INSERT INTO package_template (lineage, version, name, per_person, cap_members, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![old.lineage, old.version + 1, name, t.per_person, t.cap_members, at, actor],
                )?;
                tx.last_insert_rowid()
            } else {
                tx.execute("UPDATE package_template SET name = ?2, per_person = ?3, cap_members = ?4 WHERE id = ?1", params![id, name, t.per_person, t.cap_members])?;
                tx.execute("DELETE FROM template_line WHERE template_id = ?1", [id])?;
                id
            };
            for (item, q) in &lines {
                tx.execute("INSERT INTO template_line (template_id, item_id, qty_milli) VALUES (?1, ?2, ?3)", params![target, item, q])?;
            }
            audit::db::append(tx, at, actor, if old.in_use { "template.new_version" } else { "template.update" }, "template", &target.to_string(),
                json(&old).as_deref(), json(&serde_json::json!({"name": name, "per_person": t.per_person, "cap": t.cap_members, "lines": lines})).as_deref())?;
            Ok(target)
        })?;
        load_template(&self.conn, new_id)
    }

    pub fn create_event(&mut self, e: &EventInput) -> Result<Event> {
        self.guard(PLANNERS)?;
        let date = parse_date(&e.date).ok_or_else(|| {
            Error::invalid(
                "date",
                format!(
                    "Tanggal '{}' bukan tanggal (tulis seperti 16-11-2024).",
                    e.date.trim()
                ),
                format!(
                    "'{}' is not a date (write it like 16-11-2024).",
                    e.date.trim()
                ),
            )
        })?;
        let place = e.place.split_whitespace().collect::<Vec<_>>().join(" ");
        if place.is_empty() {
            return Err(Error::invalid(
                "place",
                "Tempat wajib diisi (mis. Aula Rutan, atau alamat kunjungan).",
                "The place is required (e.g. the facility hall, or the address visited).",
            ));
        }
        let t =
            load_template(&self.conn, e.template_id).map_err(|er| er.with_field("template_id"))?;
        if t.retired {
            return Err(Error::invalid(
                "template_id",
                "Paket ini sudah tidak dipakai.",
                "This package is retired.",
            ));
        }
        let officials: Vec<Official> = e
            .officials
            .iter()
            .filter(|o| !o.name.trim().is_empty())
            .map(|o| Official {
                name: o.name.trim().to_owned(),
                position: o.position.trim().to_owned(),
            })
            .collect();
        let id = self.tx(|tx, at, actor| {
            tx.execute(
                "INSERT INTO event (date, place, kind, source, template_id, officials, note, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![date.to_string(), place, code_of(&e.kind), e.source.map(|s| code_of(&s)), t.id, serde_json::to_string(&officials).unwrap_or_else(|_| "[]".into()), e.note.trim(), at, actor],
            )?;
            let id = tx.last_insert_rowid();
            audit::db::append(tx, at, actor, "event.create", "event", &id.to_string(), None, json(&serde_json::json!({"date": date.to_string(), "place": place, "kind": e.kind, "source": e.source, "template": t.id, "officials": officials})).as_deref())?;
            Ok(id)
        })?;
        self.event(id)
    }

    pub fn event(&mut self, id: i64) -> Result<Event> {
        self.guard(ANYONE)?;
        let row = self
            .conn
            .query_row(
                "SELECT date, place, kind, source, template_id, officials, note, status, created_by, approved_by, approved_at, cancel_reason FROM event WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?,
                        r.get::<_, i64>(4)?, r.get::<_, String>(5)?, r.get::<_, String>(6)?, r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?, r.get::<_, Option<String>>(9)?, r.get::<_, Option<String>>(10)?, r.get::<_, String>(11)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| not_found("Kegiatan", "event", id))?;
        let mut st = self.conn.prepare_cached(
            "SELECT r.family_id, (SELECT h.name FROM person h WHERE h.family_id = r.family_id AND h.position = 0),
                    (SELECT count(*) FROM person p WHERE p.family_id = r.family_id), r.added_by
             FROM event_recipient r WHERE r.event_id = ?1 ORDER BY r.added_at, r.family_id",
        )?;
        let template = load_template(&self.conn, row.4)?;
        let recipients = st
            .query_map([id], |r| {
                let fid: i64 = r.get(0)?;
                let members: i64 = r.get(2)?;
                Ok(Recipient {
                    family_id: fid,
                    code: family_code(fid),
                    head_name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    members,
                    added_by: r.get(3)?,
                    people_counted: crate::distribution::people_counted(
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
            date: row.0,
            place: row.1,
            kind: from_code(&row.2).unwrap_or(EventKind::RutinBulanan),
            source: row.3.as_deref().and_then(from_code),
            template,
            officials: serde_json::from_str(&row.5).unwrap_or_default(),
            note: row.6,
            status: from_code(&row.7).unwrap_or(EventStatus::Draft),
            created_by: row.8,
            approved_by: row.9,
            approved_at: row.10,
            cancel_reason: row.11,
            recipients,
        })
    }

    pub fn events(&mut self) -> Result<Vec<Event>> {
        self.guard(ANYONE)?;
        let ids: Vec<i64> = {
            let mut st = self
                .conn
                .prepare("SELECT id FROM event ORDER BY date DESC, id DESC LIMIT 200")?;
            let v = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            v
        };
        ids.into_iter().map(|id| self.event(id)).collect()
    }

    /// Why `family` may not be planned for event `event_id`, if it may not: the rule and a
    /// sentence naming it.
    fn ineligible(
        &self,
        event_id: i64,
        date: &str,
        family: i64,
    ) -> Result<Option<(IneligibleReason, Error)>> {
        let f = crate::family::db::load(&self.conn, family)?;
        let code = family_code(family);
        let refuse = |r: IneligibleReason, id: String, en: String| {
            Ok(Some((
                r,
                Error::new(ErrorKind::Conflict, id, en).with_field("family_id"),
            )))
        };
        if !f.active {
            return refuse(
                IneligibleReason::Inactive,
                format!(
                    "{code} tidak dapat ditambahkan: keluarga nonaktif ({}).",
                    f.inactive_reason
                ),
                format!(
                    "{code} cannot be added: the family is inactive ({}).",
                    f.inactive_reason
                ),
            );
        }
        if f.verification != crate::family::model::Verification::Verified {
            return refuse(
                IneligibleReason::NotVerified,
                format!("{code} tidak dapat ditambahkan: belum diverifikasi."),
                format!("{code} cannot be added: not verified yet."),
            );
        }
        if f.consent_date.is_none() {
            return refuse(
                IneligibleReason::NoConsent,
                format!("{code} tidak dapat ditambahkan: persetujuan keluarga belum dicatat."),
                format!("{code} cannot be added: the family's consent is not recorded."),
            );
        }
        let Some(d) = parse_date(date) else {
            return Ok(None);
        };
        if let Some((from, to)) = period_of(&self.conn, d)? {
            let other: Option<(i64, String)> = self
                .conn
                .query_row(
                    "SELECT e.id, e.date FROM event_recipient r JOIN event e ON e.id = r.event_id
                     WHERE r.family_id = ?1 AND e.id <> ?2 AND e.status <> 'cancelled' AND e.date BETWEEN ?3 AND ?4 LIMIT 1",
                    params![family, event_id, from, to],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((eid, edate)) = other {
                let month = format!("{} {}", locale::month_name(d.month(), Lang::Id), d.year());
                let month_en = format!("{} {}", locale::month_name(d.month(), Lang::En), d.year());
                return refuse(IneligibleReason::AlreadyPlanned,
                    format!("{code} tidak dapat ditambahkan: sudah direncanakan di kegiatan #{eid} ({edate}); satu keluarga sekali per bulan ({month})."),
                    format!("{code} cannot be added: already planned in event #{eid} ({edate}); one family once a month ({month_en})."));
            }
        }
        Ok(None)
    }

    /// Plans a family for an event, after the eligibility rules; the refusal names the rule.
    pub fn add_recipient(&mut self, event_id: i64, family_id: i64) -> Result<Event> {
        self.guard(PLANNERS)?;
        let e = self.event(event_id)?;
        if e.status != EventStatus::Draft {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Penerima hanya dapat ditambahkan selama kegiatan masih draf.",
                "Recipients can be added only while the event is a draft.",
            ));
        }
        if e.recipients.iter().any(|r| r.family_id == family_id) {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "{} sudah ada di daftar kegiatan ini.",
                    family_code(family_id)
                ),
                format!(
                    "{} is already on this event's list.",
                    family_code(family_id)
                ),
            )
            .with_field("family_id"));
        }
        if let Some((_, err)) = self.ineligible(event_id, &e.date, family_id)? {
            return Err(err);
        }
        self.tx(|tx, at, actor| {
            tx.execute("INSERT INTO event_recipient (event_id, family_id, added_at, added_by) VALUES (?1, ?2, ?3, ?4)", params![event_id, family_id, at, actor])?;
            audit::db::append(tx, at, actor, "event.add_recipient", "event", &event_id.to_string(), None, Some(&format!("{{\"family\":\"{}\"}}", family_code(family_id))))?;
            Ok(())
        })?;
        self.event(event_id)
    }

    pub fn remove_recipient(&mut self, event_id: i64, family_id: i64) -> Result<Event> {
        self.guard(PLANNERS)?;
        let e = self.event(event_id)?;
        if e.status != EventStatus::Draft {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Daftar penerima hanya dapat diubah selama kegiatan masih draf.",
                "The list can be changed only while the event is a draft.",
            ));
        }
        self.tx(|tx, at, actor| {
            let n = tx.execute(
                "DELETE FROM event_recipient WHERE event_id = ?1 AND family_id = ?2",
                params![event_id, family_id],
            )?;
            if n == 0 {
                return Err(Error::new(
                    ErrorKind::NotFound,
                    format!("{} tidak ada di daftar.", family_code(family_id)),
                    format!("{} is not on the list.", family_code(family_id)),
                ));
            }
            audit::db::append(
                tx,
                at,
                actor,
                "event.remove_recipient",
                "event",
                &event_id.to_string(),
                Some(&format!("{{\"family\":\"{}\"}}", family_code(family_id))),
                None,
            )?;
            Ok(())
        })?;
        self.event(event_id)
    }

    /// What the whole planned list needs, item by item, against the stock (of the event's funding
    /// source, when it has one).
    pub fn shortage_report(&mut self, event_id: i64) -> Result<ShortageReport> {
        let e = self.event(event_id)?;
        let mut lines = Vec::new();
        for l in &e.template.lines {
            let per = to_milli(l.quantity, "quantity")?;
            let needed: i64 = e
                .recipients
                .iter()
                .map(|r| {
                    family_quantity(
                        per,
                        e.template.per_person,
                        e.template.cap_members,
                        r.members,
                    )
                })
                .sum();
            let available: i64 = self.conn.query_row(
                "SELECT coalesce(sum(l.balance_milli), 0) FROM lot l JOIN receipt r ON r.id = l.receipt_id
                 WHERE l.item_id = ?1 AND l.balance_milli > 0 AND (?2 IS NULL OR r.source = ?2)",
                params![l.item_id, e.source.map(|s| code_of(&s))],
                |r| r.get(0),
            )?;
            lines.push(ShortageLine {
                item_id: l.item_id,
                item: l.item.clone(),
                unit: l.unit.clone(),
                needed: from_milli(needed),
                available: from_milli(available),
                short: from_milli((needed - available).max(0)),
            });
        }
        let short = lines.iter().any(|l| l.short > rust_decimal::Decimal::ZERO);
        Ok(ShortageReport {
            event_id,
            recipients: e.recipients.len() as i64,
            lines,
            short,
        })
    }

    /// Approves a draft event (Verifikator): it needs recipients and enough stock for all of them.
    pub fn approve_event(&mut self, event_id: i64) -> Result<Event> {
        self.guard(VERIFIERS)?;
        let e = self.event(event_id)?;
        if e.status != EventStatus::Draft {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Hanya kegiatan draf yang dapat disetujui.",
                "Only a draft event can be approved.",
            ));
        }
        if e.recipients.is_empty() {
            return Err(Error::invalid(
                "recipients",
                "Tambahkan penerima dulu.",
                "Add recipients first.",
            ));
        }
        let report = self.shortage_report(event_id)?;
        if report.short {
            let list_id: Vec<String> = report
                .lines
                .iter()
                .filter(|l| l.short > rust_decimal::Decimal::ZERO)
                .map(|l| {
                    format!(
                        "{} kurang {} {}",
                        l.item,
                        locale::decimal(l.short, Lang::Id),
                        l.unit
                    )
                })
                .collect();
            let list_en: Vec<String> = report
                .lines
                .iter()
                .filter(|l| l.short > rust_decimal::Decimal::ZERO)
                .map(|l| {
                    format!(
                        "{} short by {} {}",
                        l.item,
                        locale::decimal(l.short, Lang::En),
                        l.unit
                    )
                })
                .collect();
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "Stok belum cukup untuk semua penerima: {}.",
                    list_id.join("; ")
                ),
                format!(
                    "Not enough stock for every recipient: {}.",
                    list_en.join("; ")
                ),
            ));
        }
        // The rules are checked again: a family may have been deactivated since it was planned.
        for r in &e.recipients {
            if let Some((_, err)) = self.ineligible(event_id, &e.date, r.family_id)? {
                return Err(err);
            }
        }
        self.tx(|tx, at, actor| {
            tx.execute("UPDATE event SET status = 'approved', approved_by = ?2, approved_at = ?3 WHERE id = ?1", params![event_id, actor, at])?;
            audit::db::append(tx, at, actor, "event.approve", "event", &event_id.to_string(), Some("{\"status\":\"draft\"}"), Some(&format!("{{\"status\":\"approved\",\"recipients\":{}}}", e.recipients.len())))?;
            Ok(())
        })?;
        self.event(event_id)
    }

    pub fn cancel_event(&mut self, event_id: i64, reason: &str) -> Result<Event> {
        self.guard(PLANNERS)?;
        let e = self.event(event_id)?;
        if !matches!(e.status, EventStatus::Draft | EventStatus::Approved) {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Kegiatan ini sudah selesai atau batal.",
                "This event is already completed or cancelled.",
            ));
        }
        if e.status == EventStatus::Approved && self.me.role != Role::Verifikator {
            return Err(Error::forbidden("Verifikator"));
        }
        let reason = reason.trim().to_owned();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "Tulis alasan pembatalan.",
                "Write why it is cancelled.",
            ));
        }
        self.tx(|tx, at, actor| {
            tx.execute("UPDATE event SET status = 'cancelled', cancel_reason = ?2, closed_at = ?3 WHERE id = ?1", params![event_id, reason, at])?;
            audit::db::append(tx, at, actor, "event.cancel", "event", &event_id.to_string(), Some(&format!("{{\"status\":\"{}\"}}", code_of(&e.status))), json(&serde_json::json!({"status": "cancelled", "reason": reason})).as_deref())?;
            Ok(())
        })?;
        self.event(event_id)
    }

    /// Which families of `ids` could be planned for the event, and why not for the others
    /// (the recipient picker shows this).
    pub fn eligibility(
        &mut self,
        event_id: i64,
        ids: &[i64],
        lang: Lang,
    ) -> Result<Vec<crate::distribution::Eligibility>> {
        self.guard(ANYONE)?;
        let e = self.event(event_id)?;
        let mut out = Vec::new();
        for id in ids {
            match self.ineligible(event_id, &e.date, *id)? {
                Some((r, err)) => out.push(crate::distribution::Eligibility {
                    family_id: *id,
                    reason: Some(r),
                    message: Some(err.message(lang).to_owned()),
                }),
                None => out.push(crate::distribution::Eligibility {
                    family_id: *id,
                    reason: None,
                    message: None,
                }),
            }
        }
        Ok(out)
    }
}

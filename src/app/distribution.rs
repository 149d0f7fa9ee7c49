//! Use cases of package templates and distribution events (SPEC §2 item 5).
//!
//! Who may do what: Petugas and Verifikator make templates and events and plan recipients; only a
//! Verifikator approves an event; a draft or approved event may be cancelled with a reason, unless
//! it already has hand-overs (then it is completed). Every rule another session could change —
//! the event's status, the list, the family's state, the period — is read inside the
//! transaction that writes.

use super::{App, ANYONE};
use crate::audit::Entry;
use crate::db::Db as Connection;
use crate::distribution::{
    self, db as ddb, Candidate, Eligibility, Event, EventInput, EventStatus, IneligibleReason,
    ShortageReport, Template, TemplateInput,
};
use crate::error::{Error, ErrorKind, Result};
use crate::family::model::{code_of, parse_date};
use crate::family::view::family_code;
use crate::handover;
use crate::locale::Lang;
use crate::staff::Role;
use crate::stock;

const PLANNERS: &[Role] = &[Role::Petugas, Role::Verifikator];
const VERIFIERS: &[Role] = &[Role::Verifikator];

/// Why `family_id` may not be planned for the event (`event_id`, on `date`), read from `conn`.
fn ineligible_in(
    conn: &Connection,
    event_id: i64,
    date: &str,
    family_id: i64,
) -> Result<Option<(IneligibleReason, Error)>> {
    let f = crate::family::db::load(conn, family_id)?;
    let Some(day) = parse_date(date) else {
        return Ok(None);
    };
    let period = App::settings_in(conn)?.period_rule.period_of(day);
    let (planned_elsewhere, served) = match &period {
        Some(p) => (
            ddb::planned_elsewhere(conn, family_id, event_id, p)?,
            handover::db::served(conn, family_id, None, Some(&p.key))?,
        ),
        None => (None, None),
    };
    Ok(distribution::ineligible(
        &Candidate {
            family_id,
            active: f.active,
            inactive_reason: &f.inactive_reason,
            verified: f.verification == crate::family::model::Verification::Verified,
            consented: f.consent_date.is_some(),
            planned_elsewhere,
            served,
        },
        day,
    ))
}

/// The shortage report of an event as `conn` sees it: usable stock on the event's date.
pub(super) fn shortage_in(conn: &Connection, e: &Event) -> Result<ShortageReport> {
    let source = e.source.map(|s| code_of(&s));
    distribution::shortage(e, |item| {
        Ok((
            stock::db::usable_lots(conn, item, source.as_deref(), &e.date)?
                .iter()
                .map(|l| l.usable)
                .sum(),
            stock::db::expired_on(conn, item, source.as_deref(), &e.date)?,
        ))
    })
}

impl App {
    pub fn templates(&mut self, include_retired: bool) -> Result<Vec<Template>> {
        self.guard(ANYONE)?;
        ddb::latest_templates(&self.conn, include_retired)
    }

    pub fn template(&mut self, id: i64) -> Result<Template> {
        self.guard(ANYONE)?;
        ddb::template(&self.conn, id)
    }

    pub fn create_template(&mut self, t: &TemplateInput, lang: Lang) -> Result<Template> {
        self.guard(PLANNERS)?;
        let id = self.tx(|tx, at, actor| {
            // Inside: an item retired at another desk meanwhile is refused, as `receive` does.
            let v = distribution::validate_template(t, &stock::db::items(tx, true)?, lang)?;
            let fields = ddb::TemplateFields {
                name: &v.name,
                per_person: v.per_person,
                cap_members: v.cap_members,
                lines: &v.lines,
            };
            let id = ddb::insert_template(tx, None, &fields, at, actor)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("template.create", "template", id).after(&serde_json::json!({
                    "name": v.name, "per_person": v.per_person, "cap": v.cap_members, "lines": v.lines,
                })),
            )?;
            Ok(id)
        })?;
        ddb::template(&self.conn, id)
    }

    /// Changes a template: in place while no event uses it, else as the next version (events keep
    /// the version they were planned with).
    pub fn update_template(&mut self, id: i64, t: &TemplateInput, lang: Lang) -> Result<Template> {
        self.guard(PLANNERS)?;
        let new_id = self.tx(|tx, at, actor| {
            let v = distribution::validate_template(t, &stock::db::items(tx, true)?, lang)?;
            let old = ddb::template(tx, id)?;
            let latest = ddb::latest_version(tx, old.lineage)?;
            if latest != old.version {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "Paket ini sudah punya versi yang lebih baru ({latest}); ubah versi terbaru."
                    ),
                    format!("This package has a newer version ({latest}); change the latest one."),
                ));
            }
            let fields = ddb::TemplateFields {
                name: &v.name,
                per_person: v.per_person,
                cap_members: v.cap_members,
                lines: &v.lines,
            };
            let target = if old.in_use {
                ddb::insert_template(
                    tx,
                    Some((old.lineage, old.version + 1)),
                    &fields,
                    at,
                    actor,
                )?
            } else {
                ddb::replace_template(tx, id, &fields)?;
                id
            };
            let action = if old.in_use {
                "template.new_version"
            } else {
                "template.update"
            };
            App::log(
                tx,
                at,
                actor,
                Entry::new(action, "template", target)
                    .before(&old)
                    .after(&serde_json::json!({
                        "name": v.name, "per_person": v.per_person, "cap": v.cap_members, "lines": v.lines,
                    })),
            )?;
            Ok(target)
        })?;
        ddb::template(&self.conn, new_id)
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
        let today = self.today_local()?;
        crate::limits::check_date(
            date,
            today + chrono::Duration::days(crate::limits::EVENT_DAYS_AHEAD),
            "date",
        )?;
        let place = crate::family::model::tidy(&e.place);
        crate::limits::check_text(
            "place",
            &place,
            crate::limits::ADDRESS,
            ("Tempat", "The place"),
        )?;
        if place.is_empty() {
            return Err(Error::invalid(
                "place",
                "Tempat wajib diisi (mis. Aula Rutan, atau alamat kunjungan).",
                "The place is required (e.g. the facility hall, or the address visited).",
            ));
        }
        if e.officials.len() > crate::limits::OFFICIALS {
            return Err(Error::invalid(
                "officials",
                format!(
                    "Paling banyak {} pejabat yang hadir.",
                    crate::limits::OFFICIALS
                ),
                format!("At most {} officials attending.", crate::limits::OFFICIALS),
            ));
        }
        let mut officials: Vec<distribution::Official> = Vec::new();
        for (i, o) in e.officials.iter().enumerate() {
            if o.name.trim().is_empty() {
                continue;
            }
            let name = crate::family::model::valid_name(
                &format!("officials.{i}.name"),
                &o.name,
                "Nama pejabat",
                "The official's name",
            )?;
            let position = crate::family::model::tidy(&o.position);
            crate::limits::check_text(
                &format!("officials.{i}.position"),
                &position,
                crate::limits::LABEL,
                ("Jabatan pejabat", "The official's position"),
            )?;
            officials.push(distribution::Official { name, position });
        }
        let note = e.note.trim().to_owned();
        crate::limits::check_text(
            "note",
            &note,
            crate::limits::NOTE,
            ("Catatan kegiatan", "The event's note"),
        )?;
        let date_s = date.to_string();
        let id = self.tx(|tx, at, actor| {
            App::ensure_month_open(tx, &date_s)?;
            let t = ddb::template(tx, e.template_id).map_err(|er| er.with_field("template_id"))?;
            if t.retired {
                return Err(Error::invalid(
                    "template_id",
                    "Paket ini sudah tidak dipakai.",
                    "This package is retired.",
                ));
            }
            let id = ddb::insert_event(
                tx,
                &ddb::NewEvent {
                    date: &date_s,
                    place: &place,
                    kind: e.kind,
                    source: e.source,
                    template_id: t.id,
                    officials: &officials,
                    note: &note,
                },
                at,
                actor,
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("event.create", "event", id).after(&serde_json::json!({
                    "date": date_s, "place": place, "kind": e.kind, "source": e.source,
                    "template": t.id, "officials": officials,
                })),
            )?;
            Ok(id)
        })?;
        self.event(id)
    }

    pub fn event(&mut self, id: i64) -> Result<Event> {
        self.guard(super::family::REGISTRY_READERS)?;
        ddb::event(&self.conn, id)
    }

    /// The newest 200 events as the list shows them. An event's recipients are read when it is
    /// opened ([`App::event`]): at a large facility the list once carried every event's planned
    /// families (1,000,000, 315 MB of JSON, 25 s in the window).
    pub fn events(&mut self) -> Result<Vec<crate::distribution::EventSummary>> {
        self.guard(super::family::REGISTRY_READERS)?;
        ddb::event_summaries(&self.conn, 200)
    }

    /// Plans a family for an event, after the eligibility rules; the refusal names the rule.
    pub fn add_recipient(&mut self, event_id: i64, family_id: i64) -> Result<Event> {
        self.guard(PLANNERS)?;
        self.tx(|tx, at, actor| {
            let e = ddb::event_head(tx, event_id)?;
            App::ensure_month_open(tx, &e.date)?;
            distribution::require_status(
                e.status,
                &[EventStatus::Draft],
                "Penerima hanya dapat ditambahkan selama kegiatan masih draf.",
                "Recipients can be added only while the event is a draft.",
            )?;
            if ddb::is_recipient(tx, event_id, family_id)? {
                let code = family_code(family_id);
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("{code} sudah ada di daftar kegiatan ini."),
                    format!("{code} is already on this event's list."),
                )
                .with_field("family_id"));
            }
            if let Some((_, err)) = ineligible_in(tx, event_id, &e.date, family_id)? {
                return Err(err);
            }
            ddb::add_recipient(tx, event_id, family_id, at, actor)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("event.add_recipient", "event", event_id)
                    .after(&serde_json::json!({ "family": family_code(family_id) })),
            )?;
            Ok(())
        })?;
        self.event(event_id)
    }

    pub fn remove_recipient(&mut self, event_id: i64, family_id: i64) -> Result<Event> {
        self.guard(PLANNERS)?;
        self.tx(|tx, at, actor| {
            let e = ddb::event_head(tx, event_id)?;
            App::ensure_month_open(tx, &e.date)?;
            distribution::require_status(
                e.status,
                &[EventStatus::Draft],
                "Daftar penerima hanya dapat diubah selama kegiatan masih draf.",
                "The list can be changed only while the event is a draft.",
            )?;
            if !ddb::remove_recipient(tx, event_id, family_id)? {
                let code = family_code(family_id);
                return Err(Error::new(
                    ErrorKind::NotFound,
                    format!("{code} tidak ada di daftar."),
                    format!("{code} is not on the list."),
                ));
            }
            App::log(
                tx,
                at,
                actor,
                Entry::new("event.remove_recipient", "event", event_id)
                    .before(&serde_json::json!({ "family": family_code(family_id) })),
            )?;
            Ok(())
        })?;
        self.event(event_id)
    }

    /// What the whole planned list needs, item by item, against the stock usable on the event's
    /// date (of the event's funding source, when it has one); stock that will be expired by then
    /// is left out and shown as such.
    pub fn shortage_report(&mut self, event_id: i64) -> Result<ShortageReport> {
        self.guard(super::family::REGISTRY_READERS)?;
        let e = ddb::event(&self.conn, event_id)?;
        shortage_in(&self.conn, &e)
    }

    /// Approves a draft event (Verifikator): it needs recipients, all still eligible, and enough
    /// usable stock for all of them — checked inside the approving transaction.
    pub fn approve_event(&mut self, event_id: i64) -> Result<Event> {
        self.guard(VERIFIERS)?;
        self.tx(|tx, at, actor| {
            let e = ddb::event(tx, event_id)?;
            App::ensure_month_open(tx, &e.date)?;
            distribution::require_status(
                e.status,
                &[EventStatus::Draft],
                "Hanya kegiatan draf yang dapat disetujui.",
                "Only a draft event can be approved.",
            )?;
            if e.recipients.is_empty() {
                return Err(Error::invalid(
                    "recipients",
                    "Tambahkan penerima dulu.",
                    "Add recipients first.",
                ));
            }
            let report = shortage_in(tx, &e)?;
            if report.short {
                return Err(distribution::short_error(&report));
            }
            // A family may have been deactivated, or served elsewhere, since it was planned.
            for r in &e.recipients {
                if let Some((_, err)) = ineligible_in(tx, event_id, &e.date, r.family_id)? {
                    return Err(err);
                }
            }
            ddb::set_status(
                tx,
                event_id,
                EventStatus::Draft,
                EventStatus::Approved,
                at,
                actor,
                "",
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("event.approve", "event", event_id)
                    .before(&serde_json::json!({ "status": "draft" }))
                    .after(&serde_json::json!({ "status": "approved", "recipients": e.recipients.len() })),
            )?;
            Ok(())
        })?;
        self.event(event_id)
    }

    /// Cancels a draft or approved event with a reason. One that already has hand-overs is
    /// completed instead: its BASTs stay what they are.
    pub fn cancel_event(&mut self, event_id: i64, reason: &str) -> Result<Event> {
        self.guard(PLANNERS)?;
        let reason = crate::family::model::tidy(reason);
        crate::limits::check_text(
            "reason",
            &reason,
            crate::limits::NOTE,
            ("Alasan pembatalan", "The reason for cancelling"),
        )?;
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "Tulis alasan pembatalan.",
                "Write why it is cancelled.",
            ));
        }
        let role = self.me.role;
        self.tx(|tx, at, actor| {
            let e = ddb::event_head(tx, event_id)?;
            App::ensure_month_open(tx, &e.date)?;
            distribution::require_status(
                e.status,
                &[EventStatus::Draft, EventStatus::Approved],
                "Kegiatan ini sudah selesai atau batal.",
                "This event is already completed or cancelled.",
            )?;
            if e.status == EventStatus::Approved && role != Role::Verifikator {
                return Err(Error::forbidden("Verifikator"));
            }
            let (_, all) = handover::db::count_of_event(tx, event_id)?;
            if all > 0 {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("Kegiatan ini sudah punya {all} serah terima dan tidak dapat dibatalkan; selesaikan kegiatan (BAST yang salah dibatalkan satu per satu)."),
                    format!("This event already has {all} hand-overs and cannot be cancelled; complete it (void a wrong BAST one by one)."),
                ));
            }
            ddb::set_status(tx, event_id, e.status, EventStatus::Cancelled, at, actor, &reason)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("event.cancel", "event", event_id)
                    .before(&serde_json::json!({ "status": e.status }))
                    .after(&serde_json::json!({ "status": "cancelled", "reason": reason })),
            )?;
            Ok(())
        })?;
        self.event(event_id)
    }

    /// Closes an approved event (no more hand-overs).
    pub fn complete_event(&mut self, event_id: i64) -> Result<Event> {
        self.guard(super::handover::HANDLERS)?;
        self.tx(|tx, at, actor| {
            let e = ddb::event_head(tx, event_id)?;
            App::ensure_month_open(tx, &e.date)?;
            distribution::require_status(
                e.status,
                &[EventStatus::Approved],
                "Hanya kegiatan yang disetujui yang dapat diselesaikan.",
                "Only an approved event can be completed.",
            )?;
            let (done, _) = handover::db::count_of_event(tx, event_id)?;
            let planned = ddb::recipient_count(tx, event_id)?;
            ddb::set_status(
                tx,
                event_id,
                EventStatus::Approved,
                EventStatus::Completed,
                at,
                actor,
                "",
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("event.complete", "event", event_id)
                    .before(&serde_json::json!({ "status": "approved" }))
                    .after(&serde_json::json!({
                        "status": "completed", "handovers": done, "planned": planned,
                    })),
            )?;
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
    ) -> Result<Vec<Eligibility>> {
        self.guard(super::family::REGISTRY_READERS)?;
        let e = ddb::event_head(&self.conn, event_id)?;
        ids.iter()
            .map(|id| {
                Ok(match ineligible_in(&self.conn, event_id, &e.date, *id)? {
                    Some((r, err)) => Eligibility {
                        family_id: *id,
                        reason: Some(r),
                        message: Some(err.message(lang).to_owned()),
                    },
                    None => Eligibility {
                        family_id: *id,
                        reason: None,
                        message: None,
                    },
                })
            })
            .collect()
    }
}

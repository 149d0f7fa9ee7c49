//! Hand-over (serah terima) of one family's package, with its BAST number (SPEC §2 item 6).
//! One transaction writes the hand-over, issues the stock earliest-expiry first and takes the
//! next number of the year; if anything fails nothing is written and no number is used.
//! The BAST PDF and its signed QR code are not built yet.

use super::{json, App, ANYONE};
use crate::audit;
use crate::distribution::{family_quantity, EventStatus, HandedItem, Handover, Proxy};
use crate::error::{Error, ErrorKind, Result};
use crate::family::model::{code_of, from_code, mask_nik};
use crate::family::view::family_code;
use crate::staff::Role;
use crate::stock::{db as sdb, from_milli, to_milli, FundingSource};
use chrono::Datelike;
use rusqlite::{params, Connection, OptionalExtension};

const HANDLERS: &[Role] = &[Role::Petugas, Role::Verifikator];

fn row_to_handover(conn: &Connection, id: i64, full_nik: bool) -> Result<Handover> {
    conn.query_row(
        "SELECT id, event_id, family_id, bast_no, date, at, officer, officer_name, officer_nip, officer_position,
                to_proxy, recipient_name, recipient_nik, proxy_relation, items, voided_at, void_reason, reprints
         FROM handover WHERE id = ?1",
        [id],
        |r| {
            let nik: Option<String> = r.get(12)?;
            let fid: i64 = r.get(2)?;
            Ok(Handover {
                id: r.get(0)?,
                event_id: r.get(1)?,
                family_id: fid,
                family_code: family_code(fid),
                bast_no: r.get(3)?,
                date: r.get(4)?,
                at: r.get(5)?,
                officer: r.get(6)?,
                officer_name: r.get(7)?,
                officer_nip: r.get(8)?,
                officer_position: r.get(9)?,
                to_proxy: r.get(10)?,
                recipient_name: r.get(11)?,
                recipient_nik: if full_nik { nik } else { nik.map(|n| mask_nik(&n)) },
                proxy_relation: r.get(13)?,
                items: serde_json::from_str(&r.get::<_, String>(14)?).unwrap_or_default(),
                voided: r.get::<_, Option<String>>(15)?.is_some(),
                void_reason: r.get(16)?,
                reprints: r.get(17)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("Serah terima #{id} tidak ada."), format!("There is no hand-over #{id}.")))
}

impl App {
    /// Hands one family's package over, to the head or to a proxy.
    pub fn hand_over(
        &mut self,
        event_id: i64,
        family_id: i64,
        proxy: Option<&Proxy>,
    ) -> Result<Handover> {
        self.guard(HANDLERS)?;
        let e = self.event(event_id)?;
        if e.status != EventStatus::Approved {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Serah terima hanya untuk kegiatan yang sudah disetujui dan belum selesai.",
                "Hand-overs are only for an approved event that is not completed.",
            ));
        }
        let Some(rec) = e.recipients.iter().find(|r| r.family_id == family_id) else {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "{} tidak ada di daftar penerima kegiatan ini.",
                    family_code(family_id)
                ),
                format!("{} is not on this event's list.", family_code(family_id)),
            )
            .with_field("family_id"));
        };
        let fam = crate::family::db::load(&self.conn, family_id)?;
        if !fam.active {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "{} sudah nonaktif ({}).",
                    family_code(family_id),
                    fam.inactive_reason
                ),
                format!(
                    "{} is inactive ({}).",
                    family_code(family_id),
                    fam.inactive_reason
                ),
            ));
        }
        let head = fam
            .members
            .first()
            .cloned()
            .ok_or_else(|| Error::internal("family without members"))?;
        let (to_proxy, name, nik, relation) = match proxy {
            Some(p) => {
                let name = p.name.split_whitespace().collect::<Vec<_>>().join(" ");
                if name.is_empty() {
                    return Err(Error::invalid(
                        "proxy.name",
                        "Nama wakil penerima wajib diisi.",
                        "The proxy's name is required.",
                    ));
                }
                let nik: String = p.nik.chars().filter(|c| !c.is_whitespace()).collect();
                crate::family::nik::check_nik(
                    &nik,
                    None,
                    None,
                    self.today_local(),
                    crate::region::Regions::shipped(),
                )
                .map_err(|e| e.with_field("proxy.nik"))?;
                let rel = p.relation.trim().to_owned();
                if rel.is_empty() {
                    return Err(Error::invalid(
                        "proxy.relation",
                        "Hubungan wakil dengan keluarga wajib diisi.",
                        "The proxy's relation to the family is required.",
                    ));
                }
                (true, name, Some(nik), rel)
            }
            None => (false, head.name.clone(), head.nik.clone(), String::new()),
        };
        let today = self.today_local();
        let date = today.to_string();
        // Served already: in this event, or in the same period (the facility's rule) by any event.
        let (from, to) = super::distribution::period_of(&self.conn, today)?
            .unwrap_or_else(|| ("9999-12-31".into(), "0000-01-01".into()));
        let served: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT bast_no, date FROM handover WHERE family_id = ?1 AND voided_at IS NULL
                   AND (event_id = ?2 OR date BETWEEN ?3 AND ?4) LIMIT 1",
                params![family_id, event_id, from, to],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((no, d)) = served {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "{} sudah menerima bantuan periode ini: BAST {no} tanggal {d}.",
                    family_code(family_id)
                ),
                format!(
                    "{} was already served this period: BAST {no} of {d}.",
                    family_code(family_id)
                ),
            ));
        }
        let pattern: String = self.conn.query_row(
            "SELECT receipt_pattern FROM facility WHERE id = 1",
            [],
            |r| r.get(0),
        )?;
        let code: String =
            self.conn
                .query_row("SELECT code FROM facility WHERE id = 1", [], |r| r.get(0))?;
        let me = self.me.clone();
        let source = e.source.map(|s| code_of(&s));
        let lines: Vec<(i64, String, String, i64)> = e
            .template
            .lines
            .iter()
            .map(|l| {
                Ok((
                    l.item_id,
                    l.item.clone(),
                    l.unit.clone(),
                    family_quantity(
                        to_milli(l.quantity, "quantity")?,
                        e.template.per_person,
                        e.template.cap_members,
                        rec.members,
                    ),
                ))
            })
            .collect::<Result<_>>()?;
        let id = self.tx(|tx, at, actor| {
            let year = today.year();
            let seq: i64 = tx.query_row(
                "INSERT INTO bast_counter (year, last_seq) VALUES (?1, 1)
                 ON CONFLICT (year) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
                [year],
                |r| r.get(0),
            )?;
            let no = crate::facility::render_receipt_number(&pattern, seq as u32, &code, today.month(), year);
            tx.execute(
                "INSERT INTO handover (event_id, family_id, year, seq, bast_no, date, at, officer, officer_name, officer_nip, officer_position,
                                       to_proxy, recipient_name, recipient_nik, proxy_relation, items)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, '[]')",
                params![event_id, family_id, year, seq, no, date, at, actor, me.full_name, me.nip, me.position, to_proxy, name, nik, relation],
            )?;
            let id = tx.last_insert_rowid();
            let mut items = Vec::new();
            for (item_id, item, unit, qty) in &lines {
                let used = sdb::issue_fefo_from(tx, *item_id, source.as_deref(), *qty, &date, at, actor, &no, "", Some(("handover", id)))?;
                let mut sources: Vec<FundingSource> = Vec::new();
                for (lot, _) in &used {
                    let s: String = tx.query_row("SELECT r.source FROM lot l JOIN receipt r ON r.id = l.receipt_id WHERE l.id = ?1", [lot], |r| r.get(0))?;
                    if let Some(s) = from_code::<FundingSource>(&s) {
                        if !sources.contains(&s) {
                            sources.push(s);
                        }
                    }
                }
                items.push(HandedItem { item_id: *item_id, item: item.clone(), unit: unit.clone(), quantity: from_milli(*qty), sources, lots: used.into_iter().map(|(l, m)| (l, from_milli(m))).collect() });
            }
            tx.execute("UPDATE handover SET items = ?2 WHERE id = ?1", params![id, serde_json::to_string(&items).unwrap_or_else(|_| "[]".into())])?;
            audit::db::append(tx, at, actor, "handover.create", "handover", &no, None,
                json(&serde_json::json!({"event": event_id, "family": family_code(family_id), "proxy": to_proxy, "items": items})).as_deref())?;
            Ok(id)
        })?;
        row_to_handover(&self.conn, id, self.sees_nik_in_record())
    }

    pub fn handover(&mut self, id: i64) -> Result<Handover> {
        self.guard(ANYONE)?;
        row_to_handover(&self.conn, id, self.sees_nik_in_record())
    }

    pub fn handovers_of_event(&mut self, event_id: i64) -> Result<Vec<Handover>> {
        self.guard(ANYONE)?;
        let ids: Vec<i64> = {
            let mut st = self
                .conn
                .prepare("SELECT id FROM handover WHERE event_id = ?1 ORDER BY seq")?;
            let v = st
                .query_map([event_id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            v
        };
        let full = self.sees_nik_in_record();
        ids.into_iter()
            .map(|id| row_to_handover(&self.conn, id, full))
            .collect()
    }

    /// Voids a hand-over (Verifikator): every stock movement it made is reversed; the record and
    /// its number stay, marked BATAL.
    pub fn void_handover(&mut self, id: i64, reason: &str) -> Result<Handover> {
        self.guard(&[Role::Verifikator])?;
        let h = row_to_handover(&self.conn, id, true)?;
        if h.voided {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!("BAST {} sudah dibatalkan.", h.bast_no),
                format!("BAST {} is already void.", h.bast_no),
            ));
        }
        let reason = reason.trim().to_owned();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "Tulis alasan pembatalan BAST.",
                "Write why the BAST is voided.",
            ));
        }
        let today = self.today_local().to_string();
        self.tx(|tx, at, actor| {
            let moves: Vec<(i64, i64, i64)> = {
                let mut st = tx.prepare("SELECT id, lot_id, qty_milli FROM movement WHERE ref_kind = 'handover' AND ref_id = ?1 AND kind = 'issue'")?;
                let v = st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
                v
            };
            for (mid, lot, q) in moves {
                sdb::append(tx, &sdb::Move { date: &today, at, lot_id: lot, kind: crate::stock::MovementKind::Reversal, qty_milli: -q, doc_ref: &format!("BATAL {}", h.bast_no), note: &reason, actor, reverses: Some(mid), reference: Some(("handover", id)) })?;
            }
            tx.execute("UPDATE handover SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1", params![id, at, actor, reason])?;
            audit::db::append(tx, at, actor, "handover.void", "handover", &h.bast_no, Some("{\"voided\":false}"), json(&serde_json::json!({"voided": true, "reason": reason})).as_deref())?;
            Ok(())
        })?;
        row_to_handover(&self.conn, id, self.sees_nik_in_record())
    }

    /// Closes an approved event (no more hand-overs).
    pub fn complete_event(&mut self, event_id: i64) -> Result<crate::distribution::Event> {
        self.guard(HANDLERS)?;
        let e = self.event(event_id)?;
        if e.status != EventStatus::Approved {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Hanya kegiatan yang disetujui yang dapat diselesaikan.",
                "Only an approved event can be completed.",
            ));
        }
        let done: i64 = self.conn.query_row(
            "SELECT count(*) FROM handover WHERE event_id = ?1 AND voided_at IS NULL",
            [event_id],
            |r| r.get(0),
        )?;
        self.tx(|tx, at, actor| {
            tx.execute(
                "UPDATE event SET status = 'completed', closed_at = ?2 WHERE id = ?1",
                params![event_id, at],
            )?;
            audit::db::append(
                tx,
                at,
                actor,
                "event.complete",
                "event",
                &event_id.to_string(),
                Some("{\"status\":\"approved\"}"),
                Some(&format!(
                    "{{\"status\":\"completed\",\"handovers\":{done},\"planned\":{}}}",
                    e.recipients.len()
                )),
            )?;
            Ok(())
        })?;
        self.event(event_id)
    }
}

//! Hand-over (serah terima) of one family's package, with its BAST number (SPEC §2 item 6).
//! One transaction writes the hand-over, issues the stock earliest-expiry first and takes the
//! next number of the year; if anything fails nothing is written and no number is used.
//! The receipt (BAST) is signed in the same transaction; printing, papers and checking follow.

use super::{json, App, ANYONE};
use crate::audit;
use crate::distribution::{EventStatus, HandedItem, Handover, Proxy};
use crate::error::{Error, ErrorKind, Result};
use crate::family::model::{code_of, from_code, mask_nik};
use crate::family::view::family_code;
use crate::pdf::bast::{BastPaper, Print};
use crate::staff::Role;
use crate::stock::{db as sdb, from_milli, to_milli, FundingSource};
use chrono::Datelike;
use rusqlite::{params, Connection, OptionalExtension};

const HANDLERS: &[Role] = &[Role::Petugas, Role::Verifikator];

/// The key of the NIK's keyed hash (see `receipt::nik_hash`).
pub(super) fn nik_key(conn: &Connection) -> Result<Vec<u8>> {
    let k: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'nik_key'", [], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| Error::internal("nik_key missing from meta"))?;
    hex::decode(k).map_err(|_| Error::internal("nik_key is not hex"))
}

/// "Jl. Melati 4 RT 002/RW 005, Kunden, Blora, Kabupaten Blora, Jawa Tengah"
fn address_line(f: &crate::family::db::Stored) -> String {
    let mut s = f.address.trim().to_owned();
    if !f.rt.is_empty() || !f.rw.is_empty() {
        s.push_str(&format!(" RT {}/RW {}", f.rt, f.rw));
    }
    if let Some(p) = f
        .region_code
        .as_deref()
        .and_then(|c| crate::region::Regions::shipped().path(c))
    {
        let l = p.label();
        if !l.is_empty() {
            s.push_str(", ");
            s.push_str(&l);
        }
    }
    s
}

/// How the family stands to the inmate, as printed on the BAST.
fn wbp_line(f: &crate::family::db::Stored) -> String {
    use crate::family::model::Category;
    match f.category {
        Category::MasyarakatSekitar => "Masyarakat sekitar UPT (bukan keluarga WBP)".into(),
        Category::KeluargaWbp => {
            let mut s = String::new();
            if !f.wbp_relation.trim().is_empty() {
                s.push_str(&format!("{} dari ", capitalise(f.wbp_relation.trim())));
            } else {
                s.push_str("Keluarga dari ");
            }
            s.push_str(&format!("WBP {}", f.wbp_name.trim()));
            if !f.wbp_reg_no.trim().is_empty() {
                s.push_str(&format!(", No. Registrasi {}", f.wbp_reg_no.trim()));
            }
            s
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn row_to_handover(conn: &Connection, id: i64, full_nik: bool) -> Result<Handover> {
    conn.query_row(
        "SELECT id, event_id, family_id, bast_no, date, at, officer, officer_name, officer_nip, officer_position,
                to_proxy, recipient_name, recipient_nik, proxy_relation, items, voided_at, void_reason, reprints,
                printed_at, recipient_address, wbp_line, qr_payload
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
                printed: r.get::<_, Option<String>>(18)?.is_some(),
                recipient_address: r.get(19)?,
                wbp_line: r.get(20)?,
                qr_payload: r.get(21)?,
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
        let address = address_line(&fam);
        let wbp_line = wbp_line(&fam);
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
        let signer = crate::facility::keys::unseal(
            &self.key,
            &crate::facility::db::load(&self.conn)?.secret_key_sealed,
        )?;
        let nik_key = nik_key(&self.conn)?;
        let nik_hash = nik
            .as_deref()
            .map(|n| crate::receipt::nik_hash(&nik_key, n))
            .unwrap_or_default();
        // The family's package, scaled to its household by the event (`Recipient::package`).
        let lines: Vec<(i64, String, String, i64)> = rec
            .package
            .iter()
            .map(|l| {
                Ok((
                    l.item_id,
                    l.item.clone(),
                    l.unit.clone(),
                    to_milli(l.quantity, "quantity")?,
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
            let entry = audit::db::append(tx, at, actor, "handover.create", "handover", &no, None,
                json(&serde_json::json!({"event": event_id, "family": family_code(family_id), "proxy": to_proxy, "items": items})).as_deref())?;
            let ledger: Vec<u8> = tx.query_row("SELECT hash FROM audit_log WHERE seq = ?1", [entry], |r| r.get(0))?;
            let ledger = hex::encode(&ledger[..8.min(ledger.len())]);
            let mut claimed = Vec::new();
            for it in &items {
                let c: String = tx.query_row("SELECT code FROM item WHERE id = ?1", [it.item_id], |r| r.get(0))?;
                claimed.push((c, crate::receipt::qty_text(it.quantity)));
            }
            let payload = crate::receipt::ReceiptClaim { facility_code: code.clone(), bast_no: no.clone(), date: date.clone(), nik_hash: nik_hash.clone(), ledger: ledger.clone(), items: claimed }.sign(&signer);
            tx.execute("UPDATE handover SET items = ?2, qr_payload = ?3, ledger_hash = ?4, recipient_address = ?5, wbp_line = ?6 WHERE id = ?1",
                params![id, serde_json::to_string(&items).unwrap_or_else(|_| "[]".into()), payload, ledger, address, wbp_line])?;
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

/// What checking a scanned BAST payload found.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReceiptCheck {
    pub verdict: crate::receipt::Verdict,
    pub claim: Option<crate::receipt::ReceiptClaim>,
    /// The facility whose key signed it, when known.
    pub facility_name: Option<String>,
    /// This database holds the hand-over with this number.
    pub on_record: Option<OnRecord>,
    /// Whether the NIK typed by the checker is the one on the receipt (only when one was typed
    /// and this database holds the NIK key).
    pub nik_matches: Option<bool>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct OnRecord {
    pub handover_id: i64,
    pub recipient_name: String,
    pub voided: bool,
    pub void_reason: String,
    /// The stored payload is exactly the scanned one.
    pub same_payload: bool,
}

/// What a receipt print was: the first (original), a copy, or the print of a void receipt.
fn print_kind(h: &Handover) -> Print {
    if h.printed {
        Print::Salinan
    } else {
        Print::Original
    }
}

impl App {
    fn event_place_kind(&self, event_id: i64) -> Result<(String, crate::distribution::EventKind)> {
        let (place, kind): (String, String) = self.conn.query_row(
            "SELECT place, kind FROM event WHERE id = ?1",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((
            place,
            from_code(&kind).unwrap_or(crate::distribution::EventKind::RutinBulanan),
        ))
    }

    fn paper_of(&self, h: &Handover, print: Print) -> Result<BastPaper> {
        let f = crate::facility::db::load(&self.conn)?.facility;
        let (place, kind) = self.event_place_kind(h.event_id)?;
        // On paper the NIK is always masked, whoever prints it.
        let mut h = h.clone();
        h.recipient_nik = h.recipient_nik.as_deref().map(mask_nik);
        crate::pdf::bast::compose(&h, &place, kind, &f.profile, &f.fingerprint, print)
    }

    /// The receipt as the next print would show it (SALINAN once the first print was made,
    /// BATAL when void), for the receipt viewer.
    pub fn bast_paper(&mut self, id: i64) -> Result<BastPaper> {
        self.guard(ANYONE)?;
        let h = row_to_handover(&self.conn, id, false)?;
        self.paper_of(&h, print_kind(&h))?.with_svg()
    }

    /// The facility logo as a small PNG for the letterhead on screen.
    pub fn letterhead_logo(&mut self) -> Result<Option<Vec<u8>>> {
        self.guard(ANYONE)?;
        Ok(self.logo_for_pdf()?.map(|l| l.png()))
    }

    /// Records that receipts are being printed: the first print of each is the original, every
    /// later one a SALINAN (counted), a void one prints BATAL. Returns what each print shows.
    pub fn print_receipts(&mut self, ids: &[i64]) -> Result<Vec<BastPaper>> {
        self.print_papers(ids)?
            .into_iter()
            .map(|p| p.with_svg())
            .collect()
    }

    /// Records the prints and composes the papers (without the on-screen QR picture).
    fn print_papers(&mut self, ids: &[i64]) -> Result<Vec<BastPaper>> {
        self.guard(HANDLERS)?;
        let hs: Vec<Handover> = ids
            .iter()
            .map(|id| row_to_handover(&self.conn, *id, false))
            .collect::<Result<_>>()?;
        let papers = hs
            .iter()
            .map(|h| self.paper_of(h, print_kind(h)))
            .collect::<Result<Vec<_>>>()?;
        self.tx(|tx, at, actor| {
            for (h, p) in hs.iter().zip(&papers) {
                if h.printed {
                    tx.execute(
                        "UPDATE handover SET reprints = reprints + 1 WHERE id = ?1",
                        [h.id],
                    )?;
                } else {
                    tx.execute(
                        "UPDATE handover SET printed_at = ?2 WHERE id = ?1",
                        params![h.id, at],
                    )?;
                }
                let mark = if p.mark.is_empty() {
                    "ASLI"
                } else {
                    p.mark.as_str()
                };
                audit::db::append(
                    tx,
                    at,
                    actor,
                    "handover.print",
                    "handover",
                    &h.bast_no,
                    None,
                    Some(&format!("{{\"mark\":\"{mark}\"}}")),
                )?;
            }
            Ok(())
        })?;
        Ok(papers)
    }

    fn logo_for_pdf(&self) -> Result<Option<crate::pdf::bast::Logo>> {
        Ok(crate::facility::db::logo(&self.conn)?
            .and_then(|b| crate::pdf::bast::Logo::from_bytes(&b)))
    }

    /// One receipt as an A4 PDF (a print: see [`App::print_receipts`]).
    pub fn receipt_pdf(&mut self, id: i64) -> Result<Vec<u8>> {
        let papers = self.print_papers(&[id])?;
        let logo = self.logo_for_pdf()?;
        let title = papers
            .first()
            .map(|p| format!("BAST {}", p.number))
            .unwrap_or_default();
        crate::pdf::bast::render(&papers, logo.as_ref(), &title)
    }

    /// All of an event's receipts, in number order, as one PDF.
    pub fn event_receipts_pdf(&mut self, event_id: i64) -> Result<Vec<u8>> {
        self.guard(HANDLERS)?;
        let ids: Vec<i64> = {
            let mut st = self
                .conn
                .prepare("SELECT id FROM handover WHERE event_id = ?1 ORDER BY year, seq")?;
            let v = st
                .query_map([event_id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            v
        };
        if ids.is_empty() {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Kegiatan ini belum punya serah terima; belum ada BAST untuk dicetak.",
                "This event has no hand-overs yet; there is no BAST to print.",
            ));
        }
        let papers = self.print_papers(&ids)?;
        let logo = self.logo_for_pdf()?;
        crate::pdf::bast::render(
            &papers,
            logo.as_ref(),
            &format!("BAST kegiatan #{event_id}"),
        )
    }

    /// The by-name attendance list (BNBA) of an event's planned recipients, with a column to sign.
    pub fn attendance_pdf(&mut self, event_id: i64) -> Result<Vec<u8>> {
        self.guard(ANYONE)?;
        let e = self.event(event_id)?;
        let f = crate::facility::db::load(&self.conn)?.facility;
        let mut rows = Vec::new();
        for r in &e.recipients {
            let fam = crate::family::db::load(&self.conn, r.family_id)?;
            let head = fam.members.first();
            let served: Option<String> = self
                .conn
                .query_row(
                    "SELECT bast_no FROM handover WHERE event_id = ?1 AND family_id = ?2 AND voided_at IS NULL",
                    params![event_id, r.family_id],
                    |x| x.get(0),
                )
                .optional()?;
            rows.push(crate::pdf::attendance::Row {
                code: r.code.clone(),
                name: r.head_name.clone(),
                nik: head
                    .and_then(|m| m.nik.as_deref())
                    .map(mask_nik)
                    .unwrap_or_else(|| "-".into()),
                address: address_line(&fam),
                members: r.members,
                bast_no: served.unwrap_or_default(),
            });
        }
        let logo = self.logo_for_pdf()?;
        crate::pdf::attendance::render(&e, &f.profile, &rows, logo.as_ref())
    }

    /// Checks a scanned QR payload offline: against this facility's key (and, later, the keys of
    /// facilities registered with a regional office). A NIK typed by the checker is compared
    /// through the keyed hash.
    pub fn verify_receipt(&mut self, payload: &str, nik: Option<&str>) -> Result<ReceiptCheck> {
        self.guard(ANYONE)?;
        let f = crate::facility::db::load(&self.conn)?.facility;
        let pk: [u8; 32] = hex::decode(&f.public_key_hex)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| Error::internal("facility public key"))?;
        let keys = vec![(f.profile.code.clone(), pk)];
        let (verdict, claim) = crate::receipt::verify(payload, &keys);
        let facility_name = (verdict == crate::receipt::Verdict::Valid
            || verdict == crate::receipt::Verdict::Altered)
            .then(|| f.profile.name.clone());
        let mut on_record = None;
        let mut nik_matches = None;
        if let Some(c) = &claim {
            if c.facility_code.eq_ignore_ascii_case(&f.profile.code) {
                on_record = self
                    .conn
                    .query_row(
                        "SELECT id, recipient_name, voided_at IS NOT NULL, void_reason, qr_payload FROM handover WHERE bast_no = ?1",
                        [&c.bast_no],
                        |r| {
                            Ok(OnRecord {
                                handover_id: r.get(0)?,
                                recipient_name: r.get(1)?,
                                voided: r.get(2)?,
                                void_reason: r.get(3)?,
                                same_payload: r.get::<_, String>(4)? == payload.trim(),
                            })
                        },
                    )
                    .optional()?;
                if let Some(n) = nik
                    .map(|n| n.chars().filter(|c| c.is_ascii_digit()).collect::<String>())
                    .filter(|n| !n.is_empty())
                {
                    nik_matches =
                        Some(crate::receipt::nik_hash(&nik_key(&self.conn)?, &n) == c.nik_hash);
                }
            }
        }
        let what = match verdict {
            crate::receipt::Verdict::Valid => "valid",
            crate::receipt::Verdict::Altered => "altered",
            crate::receipt::Verdict::UnknownFacility => "unknown_facility",
            crate::receipt::Verdict::Unreadable => "unreadable",
        };
        let bast = claim
            .as_ref()
            .map(|c| c.bast_no.clone())
            .unwrap_or_default();
        self.tx(|tx, at, actor| {
            audit::db::append(
                tx,
                at,
                actor,
                "receipt.verify",
                "handover",
                &bast,
                None,
                Some(&format!("{{\"verdict\":\"{what}\"}}")),
            )?;
            Ok(())
        })?;
        Ok(ReceiptCheck {
            verdict,
            claim,
            facility_name,
            on_record,
            nik_matches,
        })
    }

    /// Like [`App::verify_receipt`], reading the QR code from a scan or photo (PNG, JPEG).
    pub fn verify_receipt_image(
        &mut self,
        bytes: &[u8],
        nik: Option<&str>,
    ) -> Result<ReceiptCheck> {
        self.guard(ANYONE)?;
        let payload = crate::receipt::decode_qr_image(bytes)?;
        self.verify_receipt(&payload, nik)
    }

    /// Keeps the scan of the signed paper (or a photo) with a hand-over.
    pub fn handover_attach(
        &mut self,
        id: i64,
        file_name: &str,
        bytes: &[u8],
        note: &str,
    ) -> Result<crate::family::view::AttachmentInfo> {
        self.guard(HANDLERS)?;
        let h = row_to_handover(&self.conn, id, false)?;
        self.attach_file("handover", id, &h.bast_no, file_name, bytes, note)
    }

    /// Keeps event photos (or the signed attendance list) with an event.
    pub fn event_attach(
        &mut self,
        event_id: i64,
        file_name: &str,
        bytes: &[u8],
        note: &str,
    ) -> Result<crate::family::view::AttachmentInfo> {
        self.guard(HANDLERS)?;
        self.event(event_id)?;
        self.attach_file(
            "event",
            event_id,
            &event_id.to_string(),
            file_name,
            bytes,
            note,
        )
    }

    /// Files kept with a hand-over ("handover") or an event ("event").
    pub fn attachments_of(
        &mut self,
        kind: &str,
        id: i64,
    ) -> Result<Vec<crate::family::view::AttachmentInfo>> {
        self.guard(ANYONE)?;
        if !matches!(kind, "handover" | "event" | "family") {
            return Err(Error::invalid(
                "kind",
                "Jenis lampiran tidak dikenal.",
                "Unknown attachment kind.",
            ));
        }
        crate::family::db::attachments(&self.conn, kind, id)
    }
}

impl App {
    /// A hand-over by its BAST number.
    pub fn handover_by_number(&mut self, bast_no: &str) -> Result<Handover> {
        self.guard(ANYONE)?;
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM handover WHERE bast_no = ?1",
                [bast_no.trim()],
                |r| r.get(0),
            )
            .optional()?;
        let id = id.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("Tidak ada BAST bernomor {bast_no}."),
                format!("There is no BAST numbered {bast_no}."),
            )
        })?;
        row_to_handover(&self.conn, id, self.sees_nik_in_record())
    }
}

impl App {
    /// Bench only: `n` past hand-overs (BASTs of 2015 onwards, 100,000 a year, spread over the
    /// registry's families) written straight into the tables with the stock behind them: one
    /// receipt a month with a lot each of rice, sugar and oil holding exactly that month's
    /// packages, and three issue movements per hand-over (the lot balances kept by the trigger,
    /// as in real use). New hand-overs, receipts and stock screens are then timed against SPEC
    /// §3's 1,000,000 receipts. `n` is a multiple of 100,000.
    pub(crate) fn bench_seed_past_handovers(&mut self, n: usize, template_id: i64) -> Result<()> {
        let n = n - n % 100_000;
        let months = (n / 100_000 * 12) as i64;
        self.tx(|tx, at, actor| {
            let families: i64 = tx.query_row("SELECT count(*) FROM family", [], |r| r.get(0))?;
            tx.execute(
                "INSERT INTO event (date, place, kind, template_id, status, created_at, created_by)
                 VALUES ('2015-01-15', 'Aula', 'rutin_bulanan', ?1, 'completed', ?2, ?3)",
                params![template_id, at, actor],
            )?;
            let ev = tx.last_insert_rowid();
            tx.execute(
                "WITH RECURSIVE i(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM i WHERE k + 1 < ?1)
                 INSERT INTO handover (event_id, family_id, year, seq, bast_no, date, at, officer,
                                       officer_name, officer_nip, officer_position, recipient_name, items)
                 SELECT ?2, 1 + k % ?3, 2015 + k / 100000, 1 + k % 100000,
                        printf('%06d/BAST-BANSOS/BENCH/I/%d', 1 + k % 100000, 2015 + k / 100000),
                        printf('%d-%02d-15', 2015 + k / 100000, 1 + (k % 100000) / 8334),
                        ?4, ?5, 'Petugas', '', 'Petugas', 'Penerima', '[]'
                 FROM i",
                params![n as i64, ev, families.max(1), at, actor],
            )?;
            // Month m (0 = January 2015): receipt 1,000,000 + m; lots 1,000,000 + 3m + j for
            // rice (5 kg a package), sugar and oil (1 each). 8,334 packages a month, 8,326 in
            // December (100,000 a year).
            let per_month = "(CASE WHEN m % 12 = 11 THEN 8326 ELSE 8334 END)";
            tx.execute(
                "WITH RECURSIVE mo(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM mo WHERE m + 1 < ?1)
                 INSERT INTO receipt (id, date, source, doc_ref, received_by, created_at, created_by)
                 SELECT 1000000 + m, printf('%d-%02d-01', 2015 + m / 12, 1 + m % 12), 'koperasi',
                        printf('SJ-BENCH-%d', m), 'Bench', ?2, ?3 FROM mo",
                params![months, at, actor],
            )?;
            tx.execute(
                &format!(
                    "WITH RECURSIVE mo(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM mo WHERE m + 1 < ?1),
                          j(j) AS (VALUES (0), (1), (2))
                     INSERT INTO lot (id, item_id, receipt_id, lot_code, value_cents, received_milli)
                     SELECT 1000000 + m * 3 + j, j + 1, 1000000 + m, printf('L-%d-%d', m, j), 0,
                            {per_month} * (CASE j WHEN 0 THEN 5000 ELSE 1000 END)
                     FROM mo, j"
                ),
                [months],
            )?;
            tx.execute(
                "INSERT INTO movement (date, at, item_id, lot_id, kind, qty_milli, doc_ref, actor)
                 SELECT r.date, ?1, l.item_id, l.id, 'receipt', l.received_milli, r.doc_ref, ?2
                 FROM lot l JOIN receipt r ON r.id = l.receipt_id WHERE l.id >= 1000000 ORDER BY l.id",
                params![at, actor],
            )?;
            tx.execute(
                "WITH j(j) AS (VALUES (0), (1), (2))
                 INSERT INTO movement (date, at, item_id, lot_id, kind, qty_milli, doc_ref, actor, ref_kind, ref_id)
                 SELECT h.date, ?1, j + 1,
                        1000000 + ((h.year - 2015) * 12 + CAST(substr(h.date, 6, 2) AS INTEGER) - 1) * 3 + j,
                        'issue', -(CASE j WHEN 0 THEN 5000 ELSE 1000 END), h.bast_no, ?2, 'handover', h.id
                 FROM handover h, j WHERE h.event_id = ?3 ORDER BY h.id, j",
                params![at, actor, ev],
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO bast_counter (year, last_seq)
                 SELECT year, max(seq) FROM handover GROUP BY year",
                [],
            )?;
            Ok(())
        })
    }
}

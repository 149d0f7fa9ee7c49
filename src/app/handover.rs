//! Hand-over (serah terima) of one family's package, with its BAST number and signed receipt
//! (SPEC §2 item 6), and what follows: voids, prints, an event's papers, checking a receipt.
//!
//! A hand-over is one transaction that reads again everything two desks could race on — the
//! event still approved, the family on its list and active, not served in the period, the stock
//! usable on the day — then takes the year's next number, issues the stock earliest-expiry
//! first, writes the audit entry and signs the QR payload. If anything fails nothing is written
//! and no number is used; the store's unique indexes and triggers (migration 0008) back it.

use super::{App, ANYONE};
use crate::audit::{self, Entry};
use crate::db::Db as Connection;
use crate::distribution::{db as ddb, EventStatus};
use crate::error::{Error, ErrorKind, Result};
use crate::family::model::{code_of, mask_nik};
use crate::family::view::family_code;
use crate::handover::{self, db as hdb, HandedItem, Handover, HandoverPreview, PlannedLot, Proxy};
use crate::locale::Lang;
use crate::progress::Work;
use crate::receipt::bast::{BastPaper, Print};
use crate::receipt::{self, ReceiptClaim, Verdict};
use crate::staff::Role;
use crate::stock::{self, from_milli, to_milli, FundingSource, MovementKind};
use chrono::Datelike;

pub(super) const HANDLERS: &[Role] = &[Role::Petugas, Role::Verifikator];

/// What checking a scanned BAST payload found.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReceiptCheck {
    pub verdict: Verdict,
    pub claim: Option<ReceiptClaim>,
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

/// Composes the papers of several prints, reading the facility once and each event once.
/// Composing draws each paper's QR code, about a sixth of an event's printing: with many papers it
/// runs on every core.
fn papers_in(conn: &Connection, prints: &[(Handover, Print)]) -> Result<Vec<BastPaper>> {
    let f = crate::facility::db::load(conn)?.facility;
    let mut events = std::collections::HashMap::new();
    for (h, _) in prints {
        if let std::collections::hash_map::Entry::Vacant(v) = events.entry(h.event_id) {
            v.insert(ddb::event_head(conn, h.event_id)?);
        }
    }
    let compose = |(h, print): &(Handover, Print)| -> Result<BastPaper> {
        let e = events
            .get(&h.event_id)
            .ok_or_else(|| Error::internal("an event read for its papers"))?;
        // On paper the NIK is always masked, whoever prints it.
        crate::receipt::bast::compose(
            &h.clone().masked(),
            &e.place,
            e.kind,
            &f.profile,
            &f.fingerprint,
            *print,
        )
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads == 1 || prints.len() < 32 {
        return prints.iter().map(compose).collect();
    }
    let compose = &compose;
    std::thread::scope(|s| {
        let parts: Vec<_> = prints
            .chunks(prints.len().div_ceil(threads))
            .map(|part| s.spawn(move || part.iter().map(compose).collect::<Result<Vec<_>>>()))
            .collect();
        let mut papers = Vec::with_capacity(prints.len());
        for part in parts {
            papers.extend(
                part.join()
                    .map_err(|_| Error::internal("composing BASTs stopped"))??,
            );
        }
        Ok(papers)
    })
}

impl App {
    fn reader_sees_nik(&self, h: Handover) -> Handover {
        if self.sees_nik_in_record() {
            h
        } else {
            h.masked()
        }
    }

    /// What handing the package over on `date` would take, lot by lot, and which lots expire
    /// within the alert window: the desk shows it before it confirms. Writes nothing.
    pub fn handover_preview(
        &mut self,
        event_id: i64,
        family_id: i64,
        date: Option<&str>,
        lang: Lang,
    ) -> Result<HandoverPreview> {
        self.guard(HANDLERS)?;
        let settings = App::settings_in(&self.conn)?;
        let day = handover::parse_day(date, settings.today(self.clock.now()))?;
        let day_s = day.to_string();
        let e = ddb::event(&self.conn, event_id)?;
        handover::check_not_before_event(day, &e.date)?;
        let rec = e
            .recipients
            .iter()
            .find(|r| r.family_id == family_id)
            .ok_or_else(|| handover::not_listed(family_id))?;
        // The refusals the hand-over itself would give for the family, shown before Serahkan.
        if !rec.active {
            let fam = crate::family::db::load(&self.conn, family_id)?;
            return Err(handover::inactive(family_id, &fam.inactive_reason));
        }
        if !rec.verified {
            return Err(handover::unverified(family_id));
        }
        let source = e.source.map(|s| code_of(&s));
        let mut lots = Vec::new();
        for l in &rec.package {
            let q = to_milli(l.quantity, "quantity")?;
            for (lot, take) in
                stock::db::plan_issue(&self.conn, l.item_id, source.as_deref(), q, &day_s)?
            {
                let days_left = lot
                    .expiry
                    .as_deref()
                    .and_then(crate::family::model::parse_date)
                    .map(|x| (x - day).num_days());
                lots.push(PlannedLot {
                    item: l.item.clone(),
                    unit: l.unit.clone(),
                    lot_code: lot.lot_code,
                    expiry: lot.expiry,
                    quantity: from_milli(take),
                    days_left,
                    expiring: days_left.is_some_and(|d| d <= i64::from(settings.expiry_alert_days)),
                });
            }
        }
        let warnings = lots
            .iter()
            .filter(|l| l.expiring)
            .map(|l| handover::expiring_warning(l, lang))
            .collect();
        Ok(HandoverPreview {
            date: day_s,
            lots,
            warnings,
        })
    }

    /// Hands one family's package over, to the head or to a proxy, on `date` (ISO or
    /// 16-11-2024; default today in the facility's zone; not in the future, not before the
    /// event). The number is the next of the hand-over date's year, its Roman month that date's.
    pub fn hand_over(
        &mut self,
        event_id: i64,
        family_id: i64,
        proxy: Option<&Proxy>,
        date: Option<&str>,
    ) -> Result<Handover> {
        self.guard(HANDLERS)?;
        let settings = App::settings_in(&self.conn)?;
        let today = settings.today(self.clock.now());
        let day = handover::parse_day(date, today)?;
        let proxy = proxy
            .map(|p| handover::validate_proxy(p, today))
            .transpose()?;
        let data_key = self.key.clone();
        let me = self.me.clone();
        let day_s = day.to_string();
        let id = self.tx(|tx, at, actor| {
            let signer = App::signer_in(tx, &data_key)?;
            // Everything another desk could have changed is read here, inside the transaction:
            // the numbering and the keys too.
            let settings = App::settings_in(tx)?;
            App::ensure_month_open(tx, &day_s)?;
            let period = settings.period_rule.period_of(day);
            let e = ddb::event_head(tx, event_id)?;
            if e.status != EventStatus::Approved {
                return Err(handover::not_approved());
            }
            handover::check_not_before_event(day, &e.date)?;
            if !ddb::is_recipient(tx, event_id, family_id)? {
                return Err(handover::not_listed(family_id));
            }
            let fam = crate::family::db::load(tx, family_id)?;
            if !fam.active {
                return Err(handover::inactive(family_id, &fam.inactive_reason));
            }
            // Verified when the event was approved, but a Petugas may have edited it since
            // (back to draft): the Verifikator looks again first. The store backs this (0021).
            if fam.verification != crate::family::model::Verification::Verified {
                return Err(handover::unverified(family_id));
            }
            if let Some((no, d)) = hdb::served(
                tx,
                family_id,
                Some(event_id),
                period.as_ref().map(|p| p.key.as_str()),
            )? {
                return Err(handover::already_served(family_id, &no, &d));
            }
            let head = fam
                .members
                .first()
                .cloned()
                .ok_or_else(|| Error::internal("family without members"))?;
            let template = ddb::template(tx, e.template_id)?;
            let package = template.for_household(fam.members.len() as i64);
            let seq = hdb::next_seq(tx, day.year())?;
            let no = crate::facility::render_receipt_number(
                &settings.receipt_pattern,
                seq as u32,
                &settings.code,
                day.month(),
                day.year(),
            );
            let (to_proxy, name, nik, relation) = match &proxy {
                Some(p) => (
                    true,
                    p.name.clone(),
                    Some(p.nik.clone()),
                    p.relation.clone(),
                ),
                None => (false, head.name.clone(), head.nik.clone(), String::new()),
            };
            let id = hdb::insert(
                tx,
                &hdb::NewHandover {
                    event_id,
                    family_id,
                    year: day.year(),
                    seq,
                    bast_no: &no,
                    date: &day_s,
                    period: period.as_ref().map(|p| p.key.as_str()),
                    at,
                    officer: actor,
                    officer_name: &me.full_name,
                    officer_nip: &me.nip,
                    officer_position: &me.position,
                    head_name: &head.name,
                    to_proxy,
                    recipient_name: &name,
                    recipient_nik: nik.as_deref(),
                    proxy_relation: &relation,
                    recipient_address: &handover::address_line(&fam),
                    wbp_line: &handover::wbp_line(&fam),
                },
            )?;
            let source = e.source.map(|s| code_of(&s));
            let mut items = Vec::with_capacity(package.len());
            let mut claimed = Vec::with_capacity(package.len());
            for l in &package {
                let qty = to_milli(l.quantity, "quantity")?;
                let used = stock::db::issue(
                    tx,
                    &stock::db::Issue {
                        item_id: l.item_id,
                        source: source.as_deref(),
                        qty_milli: qty,
                        date: &day_s,
                        at,
                        actor,
                        doc_ref: &no,
                        note: "",
                        reference: Some(("handover", id)),
                    },
                )?;
                let mut sources: Vec<FundingSource> = Vec::new();
                for (lot, _) in &used {
                    let s = stock::db::lot_source(tx, *lot)?;
                    if !sources.contains(&s) {
                        sources.push(s);
                    }
                }
                claimed.push((
                    stock::db::item(tx, l.item_id)?.code,
                    receipt::qty_text(l.quantity),
                ));
                items.push(HandedItem {
                    item_id: l.item_id,
                    item: l.item.clone(),
                    unit: l.unit.clone(),
                    quantity: from_milli(qty),
                    sources,
                    lots: used.into_iter().map(|(l, m)| (l, from_milli(m))).collect(),
                });
            }
            let entry = App::log(
                tx,
                at,
                actor,
                Entry::new("handover.create", "handover", &no).after(&serde_json::json!({
                    "event": event_id, "family": family_code(family_id), "date": day_s,
                    "proxy": to_proxy, "items": items,
                })),
            )?;
            let ledger = audit::db::hash_prefix(tx, entry, 8)?;
            let nik_hash = nik
                .as_deref()
                .map(|n| receipt::nik_hash(&settings.nik_key, n))
                .unwrap_or_default();
            let payload = ReceiptClaim {
                facility_code: settings.code.clone(),
                bast_no: no.clone(),
                date: day_s.clone(),
                nik_hash,
                ledger: ledger.clone(),
                items: claimed,
            }
            .sign(&signer);
            hdb::set_receipt(tx, id, &items, &payload, &ledger)?;
            Ok(id)
        })?;
        let h = hdb::load(&self.conn, id)?;
        Ok(self.reader_sees_nik(h))
    }

    pub fn handover(&mut self, id: i64) -> Result<Handover> {
        // Names and addresses of recipients: not for the Admin (SPEC §1).
        self.guard(super::family::REGISTRY_READERS)?;
        let h = hdb::load(&self.conn, id)?;
        Ok(self.reader_sees_nik(h))
    }

    /// A hand-over by its BAST number.
    pub fn handover_by_number(&mut self, bast_no: &str) -> Result<Handover> {
        self.guard(super::family::REGISTRY_READERS)?;
        let id = hdb::id_by_number(&self.conn, bast_no.trim())?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("Tidak ada BAST bernomor {bast_no}."),
                format!("There is no BAST numbered {bast_no}."),
            )
        })?;
        let h = hdb::load(&self.conn, id)?;
        Ok(self.reader_sees_nik(h))
    }

    pub fn handovers_of_event(&mut self, event_id: i64) -> Result<Vec<Handover>> {
        self.guard(super::family::REGISTRY_READERS)?;
        hdb::ids_of_event(&self.conn, event_id)?
            .into_iter()
            .map(|id| Ok(self.reader_sees_nik(hdb::load(&self.conn, id)?)))
            .collect()
    }

    /// Voids a hand-over (Verifikator): every stock movement it made is reversed; the record and
    /// its number stay, marked BATAL. Voided twice at once, the second is told it already is.
    pub fn void_handover(&mut self, id: i64, reason: &str) -> Result<Handover> {
        self.guard(&[Role::Verifikator])?;
        let reason = handover::void_reason(reason)?;
        let today = self.today_local()?.to_string();
        self.tx(|tx, at, actor| {
            App::ensure_month_open(tx, &today)?;
            let h = hdb::load(tx, id)?;
            if !hdb::mark_void(tx, id, at, actor, &reason)? {
                return Err(handover::already_void(&h.bast_no));
            }
            // The stock comes back on the hand-over's own day while its month is open: that
            // month then counts neither the package nor its stock (voided on 2 February before
            // January is closed, January's stock went out and never came back). A BAST of a
            // closed month is corrected today, in the open one.
            let back_on = if crate::month::db::lock_of(tx, &h.date)?.is_none() {
                h.date.clone()
            } else {
                today.clone()
            };
            let doc = format!("BATAL {}", h.bast_no);
            for m in stock::db::issues_of(tx, "handover", id)? {
                // An issue reversed already (only possible in data written before migration
                // 0008) is not returned twice.
                if stock::db::reversal_of(tx, m.id)?.is_some() {
                    continue;
                }
                stock::db::append(
                    tx,
                    &stock::db::Move {
                        date: &back_on,
                        at,
                        lot_id: m.lot_id,
                        kind: MovementKind::Reversal,
                        qty_milli: -m.qty_milli,
                        doc_ref: &doc,
                        note: &reason,
                        actor,
                        reverses: Some(m.id),
                        reference: Some(("handover", id)),
                    },
                )?;
            }
            App::log(
                tx,
                at,
                actor,
                Entry::new("handover.void", "handover", &h.bast_no)
                    .before(&serde_json::json!({ "voided": false }))
                    .after(&serde_json::json!({ "voided": true, "reason": reason })),
            )?;
            Ok(())
        })?;
        let h = hdb::load(&self.conn, id)?;
        Ok(self.reader_sees_nik(h))
    }

    fn paper_of(&self, h: &Handover, print: Print) -> Result<BastPaper> {
        Ok(papers_in(&self.conn, std::slice::from_ref(&(h.clone(), print)))?.remove(0))
    }

    /// The receipt as the next print would show it (SALINAN once the first print was made,
    /// BATAL when void), for the receipt viewer.
    pub fn bast_paper(&mut self, id: i64) -> Result<BastPaper> {
        self.guard(super::family::REGISTRY_READERS)?;
        let h = hdb::load(&self.conn, id)?;
        let print = if h.printed {
            Print::Salinan
        } else {
            Print::Original
        };
        self.paper_of(&h, print)?.with_svg()
    }

    /// The facility logo as a small PNG for the letterhead on screen.
    pub fn letterhead_logo(&mut self) -> Result<Option<Vec<u8>>> {
        self.guard(ANYONE)?;
        Ok(self.logo_for_pdf()?.map(|l| l.png()))
    }

    /// Records that receipts are being printed: the first print of each is the original, every
    /// later one a SALINAN (counted), a void one prints BATAL. Returns what each print shows.
    pub fn print_receipts(&mut self, ids: &[i64]) -> Result<Vec<BastPaper>> {
        self.print_then(ids, |papers| {
            papers.into_iter().map(|p| p.with_svg()).collect()
        })
    }

    /// Records the prints and composes the papers in one transaction, and hands them to
    /// `finish` (which renders or saves them) inside it too: if anything fails, no print is
    /// counted, so an original is never used up without its paper.
    pub(super) fn print_then<T>(
        &mut self,
        ids: &[i64],
        finish: impl FnOnce(Vec<BastPaper>) -> Result<T>,
    ) -> Result<T> {
        self.guard(HANDLERS)?;
        self.tx(|tx, at, actor| {
            let mut prints = Vec::with_capacity(ids.len());
            for id in ids {
                let h = hdb::load(tx, *id)?;
                let first = hdb::record_print(tx, *id, at)?;
                let print = if first {
                    Print::Original
                } else {
                    Print::Salinan
                };
                let mark = match (h.voided, print) {
                    (true, _) => "BATAL",
                    (false, Print::Original) => "ASLI",
                    (false, Print::Salinan) => "SALINAN",
                };
                App::log(
                    tx,
                    at,
                    actor,
                    Entry::new("handover.print", "handover", &h.bast_no)
                        .after(&serde_json::json!({ "mark": mark })),
                )?;
                prints.push((h, print));
            }
            finish(papers_in(tx, &prints)?)
        })
    }

    /// The receipts of `ids` printed as one PDF, handed to `finish` inside the printing
    /// transaction (see [`App::print_then`]).
    pub(super) fn print_pdf_then<T>(
        &mut self,
        ids: &[i64],
        title: &str,
        finish: impl FnOnce(Vec<u8>) -> Result<T>,
    ) -> Result<T> {
        let logo = self.logo_for_pdf()?;
        let progress = self.reporter(Work::PrintReceipts, ids.len() as u64);
        progress.step(0);
        self.print_then(ids, |papers| {
            let pdf = crate::pdf::bast::render_with(&papers, logo.as_ref(), title, &mut |page| {
                progress.step(page as u64)
            })?;
            finish(pdf)
        })
    }

    pub(super) fn logo_for_pdf(&self) -> Result<Option<crate::pdf::bast::Logo>> {
        Ok(crate::facility::db::logo(&self.conn)?
            .and_then(|b| crate::pdf::bast::Logo::from_bytes(&b)))
    }

    /// One receipt as an A4 PDF (a print: see [`App::print_receipts`]).
    pub fn receipt_pdf(&mut self, id: i64) -> Result<Vec<u8>> {
        let title = format!("BAST {}", hdb::load(&self.conn, id)?.bast_no);
        self.print_pdf_then(&[id], &title, Ok)
    }

    /// The hand-overs of an event in number order; refused when there are none yet.
    pub(super) fn printable_of_event(&self, event_id: i64) -> Result<Vec<i64>> {
        let ids = hdb::ids_of_event(&self.conn, event_id)?;
        if ids.is_empty() {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Kegiatan ini belum punya serah terima; belum ada BAST untuk dicetak.",
                "This event has no hand-overs yet; there is no BAST to print.",
            ));
        }
        Ok(ids)
    }

    /// All of an event's receipts, in number order, as one PDF.
    pub fn event_receipts_pdf(&mut self, event_id: i64) -> Result<Vec<u8>> {
        self.guard(HANDLERS)?;
        let ids = self.printable_of_event(event_id)?;
        self.print_pdf_then(&ids, &format!("BAST kegiatan #{event_id}"), Ok)
    }

    /// The by-name attendance list (BNBA) of an event's planned recipients, with a column to sign.
    pub fn attendance_pdf(&mut self, event_id: i64) -> Result<Vec<u8>> {
        self.guard(super::family::REGISTRY_READERS)?;
        let e = ddb::event(&self.conn, event_id)?;
        let f = crate::facility::db::load(&self.conn)?.facility;
        let mut rows = Vec::new();
        for r in &e.recipients {
            let fam = crate::family::db::load(&self.conn, r.family_id)?;
            let head = fam.members.first();
            rows.push(crate::pdf::attendance::Row {
                code: r.code.clone(),
                name: r.head_name.clone(),
                nik: head
                    .and_then(|m| m.nik.as_deref())
                    .map(mask_nik)
                    .unwrap_or_else(|| "-".into()),
                address: handover::address_line(&fam),
                members: r.members,
                bast_no: hdb::live_number(&self.conn, event_id, r.family_id)?.unwrap_or_default(),
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
        // Comparing a typed NIK with the receipt's is for the roles that see NIKs: for anyone
        // else it would be a way to test guesses.
        let typed = nik.is_some_and(|n| n.chars().any(|c| c.is_ascii_digit()));
        if typed && !self.sees_nik_in_record() {
            return Err(Error::new(
                ErrorKind::Forbidden,
                "Membandingkan NIK dengan BAST hanya untuk Petugas dan Verifikator.",
                "Comparing a NIK with a BAST is only for the Petugas and the Verifikator.",
            )
            .with_field("nik"));
        }
        let f = crate::facility::db::load(&self.conn)?.facility;
        let pk: [u8; 32] = hex::decode(&f.public_key_hex)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| Error::internal("facility public key"))?;
        let keys = vec![(f.profile.code.clone(), pk)];
        let (mut verdict, claim) = receipt::verify(payload, &keys);
        // Signed before the facility changed its key: the key retired on or after its date.
        if verdict == Verdict::Altered {
            if let Some(c) = &claim {
                for k in f.retired_keys.iter().filter(|k| c.date <= k.retired_on) {
                    let Ok(old) = crate::facility::keys::parse_public_key(&k.public_key_hex) else {
                        continue;
                    };
                    if receipt::verify(payload, &[(f.profile.code.clone(), old)]).0
                        == Verdict::Valid
                    {
                        verdict = Verdict::Valid;
                        break;
                    }
                }
            }
        }
        let facility_name =
            matches!(verdict, Verdict::Valid | Verdict::Altered).then(|| f.profile.name.clone());
        let mut on_record = None;
        let mut nik_matches = None;
        if let Some(c) = claim
            .as_ref()
            .filter(|c| c.facility_code.eq_ignore_ascii_case(&f.profile.code))
        {
            on_record = hdb::recorded(&self.conn, &c.bast_no)?.map(|r| OnRecord {
                handover_id: r.id,
                recipient_name: r.recipient_name,
                voided: r.voided,
                void_reason: r.void_reason,
                same_payload: r.qr_payload == payload.trim(),
            });
            if let Some(n) = nik
                .map(|n| n.chars().filter(|c| c.is_ascii_digit()).collect::<String>())
                .filter(|n| !n.is_empty())
            {
                let key = App::settings_in(&self.conn)?.nik_key;
                nik_matches = Some(receipt::nik_hash(&key, &n) == c.nik_hash);
            }
        }
        let bast = claim
            .as_ref()
            .map(|c| c.bast_no.clone())
            .unwrap_or_default();
        self.tx(|tx, at, actor| {
            App::log(
                tx,
                at,
                actor,
                Entry::new("receipt.verify", "handover", &bast)
                    .after(&serde_json::json!({ "verdict": verdict })),
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
        let payload = receipt::qr::decode_image(bytes)?;
        self.verify_receipt(&payload, nik)
    }
}

//! Use cases of the stock ledger (SPEC §2 item 4).
//!
//! Who may do what: Petugas and Verifikator receive stock, add items, request adjustments and
//! count a stock opname; only a Verifikator approves adjustments (not their own), approves an
//! opname, reverses a movement or issues stock by hand; everyone signed in may read balances.

use super::{json, App, ANYONE};
use crate::audit;
use crate::error::{Error, ErrorKind, Result};
use crate::family::model::{code_of, parse_date};
use crate::locale::Lang;
use crate::staff::Role;
use crate::stock::db::{self as sdb, Move};
use crate::stock::{
    from_milli, parse_qty, parse_rupiah, to_cents, to_milli, Adjustment, AdjustmentInput,
    AdjustmentReason, AdjustmentStatus, CardRow, Donor, FundingSource, Item, ItemBalance,
    MovementKind, NewItem, Opname, OpnameLine, OpnameStatus, ReceiptInput, ReceiptSaved,
    SourceBalance, StockAlert, StockCard, StockOverview,
};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;

const KEEPERS: &[Role] = &[Role::Petugas, Role::Verifikator];
const VERIFIERS: &[Role] = &[Role::Verifikator];

fn date_field(s: &str, field: &str, what_id: &str, what_en: &str) -> Result<NaiveDate> {
    parse_date(s).ok_or_else(|| {
        Error::invalid(
            field,
            format!(
                "{what_id} '{}' bukan tanggal (tulis seperti 16-11-2024).",
                s.trim()
            ),
            format!(
                "{what_en} '{}' is not a date (write it like 16-11-2024).",
                s.trim()
            ),
        )
    })
}

fn required(field: &str, v: &str, id: &str, en: &str) -> Result<String> {
    let t = v.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(Error::invalid(
            field,
            format!("{id} wajib diisi."),
            format!("{en} is required."),
        ));
    }
    Ok(t)
}

impl App {
    pub fn items(&mut self, include_retired: bool) -> Result<Vec<Item>> {
        self.guard(ANYONE)?;
        sdb::items(&self.conn, include_retired)
    }

    /// Adds an item (e.g. a new produce from the facility's farm).
    pub fn add_item(&mut self, n: &NewItem, lang: Lang) -> Result<Item> {
        self.guard(KEEPERS)?;
        let name = required("name", &n.name, "Nama barang", "The item's name")?;
        let unit = required("unit", &n.unit, "Satuan", "The unit")?.to_lowercase();
        if name.chars().count() > 60 || unit.chars().count() > 20 {
            return Err(Error::invalid(
                "name",
                "Nama paling banyak 60 huruf, satuan 20.",
                "A name has at most 60 characters, a unit 20.",
            ));
        }
        let min = if n.min_stock.trim().is_empty() {
            Decimal::ZERO
        } else {
            parse_qty(&n.min_stock, "min_stock", lang)?
        };
        if min < Decimal::ZERO {
            return Err(Error::invalid(
                "min_stock",
                "Stok minimum tidak boleh negatif.",
                "The minimum cannot be negative.",
            ));
        }
        let min_milli = to_milli(min, "min_stock")?;
        let base: String = name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let id = self.tx(|tx, at, actor| {
            let taken: i64 = tx.query_row("SELECT count(*) FROM item WHERE lower(name) = lower(?1) AND retired_at IS NULL", [&name], |r| r.get(0))?;
            if taken > 0 {
                return Err(Error::new(ErrorKind::Conflict, format!("Barang '{name}' sudah ada."), format!("The item '{name}' already exists.")).with_field("name"));
            }
            let mut code = base.clone();
            let mut k = 1;
            while tx.query_row("SELECT 1 FROM item WHERE code = ?1", [&code], |_| Ok(())).optional()?.is_some() {
                k += 1;
                code = format!("{base}-{k}");
            }
            tx.execute(
                "INSERT INTO item (code, name, unit, category, min_milli, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![code, name, unit, code_of(&n.category), min_milli, at],
            )?;
            let id = tx.last_insert_rowid();
            audit::db::append(tx, at, actor, "stock.item_add", "item", &code, None,
                json(&serde_json::json!({"name": name, "unit": unit, "category": n.category, "min": from_milli(min_milli)})).as_deref())?;
            Ok(id)
        })?;
        sdb::item(&self.conn, id)
    }

    /// Sets an item's minimum (alert threshold).
    pub fn set_item_minimum(&mut self, item_id: i64, min: &str, lang: Lang) -> Result<Item> {
        self.guard(VERIFIERS)?;
        let old = sdb::item(&self.conn, item_id)?;
        let m = if min.trim().is_empty() {
            Decimal::ZERO
        } else {
            parse_qty(min, "min_stock", lang)?
        };
        if m < Decimal::ZERO {
            return Err(Error::invalid(
                "min_stock",
                "Stok minimum tidak boleh negatif.",
                "The minimum cannot be negative.",
            ));
        }
        let milli = to_milli(m, "min_stock")?;
        self.tx(|tx, at, actor| {
            tx.execute(
                "UPDATE item SET min_milli = ?2 WHERE id = ?1",
                params![item_id, milli],
            )?;
            audit::db::append(
                tx,
                at,
                actor,
                "stock.item_minimum",
                "item",
                &old.code,
                Some(&format!("{{\"min\":\"{}\"}}", old.min_stock)),
                Some(&format!("{{\"min\":\"{}\"}}", from_milli(milli))),
            )?;
            Ok(())
        })?;
        sdb::item(&self.conn, item_id)
    }

    /// Retires an item: it leaves the receiving form; its history and any stock stay.
    pub fn retire_item(&mut self, item_id: i64) -> Result<Item> {
        self.guard(VERIFIERS)?;
        let it = sdb::item(&self.conn, item_id)?;
        if it.retired {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Barang ini sudah tidak dipakai.",
                "This item is already retired.",
            ));
        }
        self.tx(|tx, at, actor| {
            tx.execute(
                "UPDATE item SET retired_at = ?2 WHERE id = ?1",
                params![item_id, at],
            )?;
            audit::db::append(
                tx,
                at,
                actor,
                "stock.item_retire",
                "item",
                &it.code,
                None,
                None,
            )?;
            Ok(())
        })?;
        sdb::item(&self.conn, item_id)
    }

    pub fn donors(&mut self) -> Result<Vec<Donor>> {
        self.guard(ANYONE)?;
        sdb::donors(&self.conn)
    }

    /// Records a receiving: one document, one funding source, one lot per line, one receipt
    /// movement per lot — in one transaction.
    pub fn receive(&mut self, r: &ReceiptInput, lang: Lang) -> Result<ReceiptSaved> {
        self.guard(KEEPERS)?;
        let today = self.today_local();
        let date = date_field(&r.date, "date", "Tanggal terima", "The receiving date")?;
        if date > today {
            return Err(Error::invalid(
                "date",
                "Tanggal terima tidak boleh sesudah hari ini.",
                "The receiving date cannot be after today.",
            ));
        }
        let donor = r
            .donor_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if r.source == FundingSource::Csr && donor.is_empty() {
            return Err(Error::invalid(
                "donor_name",
                "Sumber CSR: nama donatur wajib diisi.",
                "CSR: the donor's name is required.",
            ));
        }
        if r.source == FundingSource::Lainnya && r.source_note.trim().is_empty() {
            return Err(Error::invalid(
                "source_note",
                "Sumber lainnya: sebutkan sumbernya.",
                "Other source: say what it is.",
            ));
        }
        let doc_ref = required(
            "doc_ref",
            &r.doc_ref,
            "Nomor dokumen (surat jalan/BA)",
            "The document reference",
        )?;
        let received_by = required(
            "received_by",
            &r.received_by,
            "Nama penerima barang",
            "Who received the goods",
        )?;
        if r.lines.is_empty() {
            return Err(Error::invalid(
                "lines",
                "Isi paling sedikit satu barang.",
                "Enter at least one item.",
            ));
        }
        let mut lines = Vec::new();
        for (i, l) in r.lines.iter().enumerate() {
            let f = |n: &str| format!("line.{i}.{n}");
            let it = sdb::item(&self.conn, l.item_id).map_err(|e| e.with_field(&f("item_id")))?;
            if it.retired {
                return Err(Error::invalid(
                    &f("item_id"),
                    format!("{} sudah tidak dipakai.", it.name),
                    format!("{} is retired.", it.name),
                ));
            }
            let q = parse_qty(&l.quantity, &f("quantity"), lang)?;
            if q <= Decimal::ZERO {
                return Err(Error::invalid(
                    &f("quantity"),
                    "Jumlah harus lebih dari nol.",
                    "The quantity must be more than zero.",
                ));
            }
            let milli = to_milli(q, &f("quantity"))?;
            let value = parse_rupiah(&l.value, &f("value"), lang)?;
            if value < Decimal::ZERO {
                return Err(Error::invalid(
                    &f("value"),
                    "Nilai tidak boleh negatif.",
                    "The value cannot be negative.",
                ));
            }
            let cents = to_cents(value, &f("value"))?;
            let expiry = match l.expiry.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => {
                    let d = date_field(s, &f("expiry"), "Tanggal kedaluwarsa", "The expiry date")?;
                    if d < date {
                        return Err(Error::invalid(
                            &f("expiry"),
                            format!("{}: sudah kedaluwarsa saat diterima.", it.name),
                            format!("{}: already expired when received.", it.name),
                        ));
                    }
                    Some(d.to_string())
                }
                None => None,
            };
            let lot_code = l.lot_code.split_whitespace().collect::<Vec<_>>().join(" ");
            lines.push((it, milli, cents, expiry, lot_code));
        }
        let date_s = date.to_string();
        let (id, lots) = self.tx(|tx, at, actor| {
            let donor_id = if donor.is_empty() { None } else { Some(sdb::donor_id(tx, &donor, at)?) };
            tx.execute(
                "INSERT INTO receipt (date, source, donor_id, source_note, doc_ref, received_by, note, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![date_s, code_of(&r.source), donor_id, r.source_note.trim(), doc_ref, received_by, r.note.trim(), at, actor],
            )?;
            let id = tx.last_insert_rowid();
            let mut lots = Vec::new();
            for (n, (it, milli, cents, expiry, lot_code)) in lines.iter().enumerate() {
                let code = if lot_code.is_empty() { format!("{}-{}-{}", it.code.to_uppercase(), date_s.replace('-', ""), id * 10 + n as i64) } else { lot_code.clone() };
                tx.execute(
                    "INSERT INTO lot (item_id, receipt_id, lot_code, expiry, value_cents, received_milli) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![it.id, id, code, expiry, cents, milli],
                )?;
                let lot_id = tx.last_insert_rowid();
                sdb::append(tx, &Move { date: &date_s, at, lot_id, kind: MovementKind::Receipt, qty_milli: *milli, doc_ref: &doc_ref, note: "", actor, reverses: None, reference: Some(("receipt", id)) })?;
                lots.push(lot_id);
            }
            audit::db::append(tx, at, actor, "stock.receive", "receipt", &id.to_string(), None, json(&serde_json::json!({
                "date": date_s, "source": r.source, "donor": donor, "doc_ref": doc_ref, "received_by": received_by,
                "lines": lines.iter().zip(&lots).map(|((it, m, c, e, _), lot)| serde_json::json!({"item": it.code, "lot": lot, "qty": from_milli(*m), "value": crate::stock::from_cents(*c), "expiry": e})).collect::<Vec<_>>(),
            })).as_deref())?;
            Ok((id, lots))
        })?;
        Ok(ReceiptSaved { id, lot_ids: lots })
    }

    pub(crate) fn today_local(&self) -> NaiveDate {
        let tz: Option<String> = self
            .conn
            .query_row("SELECT time_zone FROM facility WHERE id = 1", [], |r| {
                r.get(0)
            })
            .ok();
        tz.as_deref()
            .and_then(crate::locale::TimeZone::parse)
            .unwrap_or_default()
            .today(self.clock.now())
    }

    fn expiry_alert_days(&self) -> u32 {
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'expiry_alert_days'",
                [],
                |r| r.get::<_, String>(0),
            )
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(30)
    }

    /// How many days ahead an expiry is alerted (1–365).
    pub fn set_expiry_alert_days(&mut self, days: u32) -> Result<()> {
        self.guard(&[Role::Verifikator, Role::Admin])?;
        if !(1..=365).contains(&days) {
            return Err(Error::invalid(
                "expiry_alert_days",
                "Peringatan kedaluwarsa 1–365 hari.",
                "The expiry alert is 1–365 days.",
            ));
        }
        let old = self.expiry_alert_days();
        self.tx(|tx, at, actor| {
            tx.execute(
                "UPDATE meta SET value = ?1 WHERE key = 'expiry_alert_days'",
                [days.to_string()],
            )?;
            audit::db::append(
                tx,
                at,
                actor,
                "stock.expiry_alert_days",
                "setting",
                "expiry_alert_days",
                Some(&old.to_string()),
                Some(&days.to_string()),
            )?;
            Ok(())
        })
    }

    /// Balances per item (and lot, and funding source) as of a date (default today), with alerts.
    pub fn stock_overview(&mut self, as_of: Option<&str>) -> Result<StockOverview> {
        self.guard(ANYONE)?;
        let today = self.today_local();
        let as_of = match as_of.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => date_field(s, "as_of", "Tanggal", "The date")?,
            None => today,
        };
        let as_of_s = as_of.to_string();
        // Today (nothing is dated later) reads the kept balances; a past date sums movements.
        let lots = sdb::lot_balances(
            &self.conn,
            None,
            (as_of < today).then_some(as_of_s.as_str()),
        )?;
        let days = self.expiry_alert_days();
        let mut items = Vec::new();
        let mut alerts = Vec::new();
        for it in sdb::items(&self.conn, true)? {
            let mine: Vec<_> = lots
                .iter()
                .filter(|l| l.item_id == it.id)
                .cloned()
                .collect();
            if it.retired && mine.is_empty() {
                continue;
            }
            let qty: Decimal = mine.iter().map(|l| l.quantity).sum();
            let mut by_source: Vec<SourceBalance> = Vec::new();
            for l in &mine {
                match by_source.iter_mut().find(|s| s.source == l.source) {
                    Some(s) => s.quantity += l.quantity,
                    None => by_source.push(SourceBalance {
                        source: l.source,
                        quantity: l.quantity,
                    }),
                }
            }
            let below = !it.retired && it.min_stock > Decimal::ZERO && qty < it.min_stock;
            if below {
                alerts.push(StockAlert::BelowMinimum {
                    item_id: it.id,
                    item: it.name.clone(),
                    unit: it.unit.clone(),
                    quantity: qty,
                    minimum: it.min_stock,
                });
            }
            for l in &mine {
                if let Some(e) = l.expiry.as_deref().and_then(parse_date) {
                    let left = (e - as_of).num_days();
                    if left <= i64::from(days) && l.quantity > Decimal::ZERO {
                        alerts.push(StockAlert::Expiring {
                            item_id: it.id,
                            item: it.name.clone(),
                            unit: it.unit.clone(),
                            lot_code: l.lot_code.clone(),
                            expiry: e.to_string(),
                            days_left: left,
                            quantity: l.quantity,
                        });
                    }
                }
            }
            items.push(ItemBalance {
                item: it,
                quantity: qty,
                below_minimum: below,
                lots: mine,
                by_source,
            });
        }
        Ok(StockOverview {
            as_of: as_of_s,
            items,
            alerts,
            expiry_alert_days: days,
        })
    }

    /// The stock card of an item between two dates (default: this year to today).
    pub fn stock_card(
        &mut self,
        item_id: i64,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<StockCard> {
        self.guard(ANYONE)?;
        let item = sdb::item(&self.conn, item_id)?;
        let today = self.today_local();
        let from = match from.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => date_field(s, "from", "Tanggal awal", "The start date")?,
            None => NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today),
        };
        let to = match to.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => date_field(s, "to", "Tanggal akhir", "The end date")?,
            None => today,
        };
        if to < from {
            return Err(Error::invalid(
                "to",
                "Tanggal akhir sebelum tanggal awal.",
                "The end date is before the start date.",
            ));
        }
        let (opening, rows, closing) =
            sdb::card(&self.conn, item_id, &from.to_string(), &to.to_string())?;
        Ok(StockCard {
            item,
            from: from.to_string(),
            to: to.to_string(),
            opening: from_milli(opening),
            rows,
            closing: from_milli(closing),
        })
    }

    /// The stock card as XLSX (Indonesian headers).
    pub fn stock_card_xlsx(
        &mut self,
        item_id: i64,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<u8>> {
        let c = self.stock_card(item_id, from, to)?;
        card_xlsx(&c)
    }

    /// The stock card as an A4 PDF.
    pub fn stock_card_pdf(
        &mut self,
        item_id: i64,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<u8>> {
        let c = self.stock_card(item_id, from, to)?;
        let f = crate::facility::db::load(&self.conn)?.facility;
        let printed = crate::locale::date_time(self.clock.now(), f.profile.time_zone, Lang::Id);
        crate::pdf::stock_card::render(&c, &f.profile, &printed)
    }

    /// Asks for an adjustment; it changes nothing until a verifikator approves it.
    pub fn request_adjustment(&mut self, a: &AdjustmentInput, lang: Lang) -> Result<Adjustment> {
        self.guard(KEEPERS)?;
        if a.reason == AdjustmentReason::Opname {
            return Err(Error::invalid(
                "reason",
                "Penyesuaian stock opname dibuat oleh stock opname.",
                "Stock-take adjustments come from a stock-take.",
            ));
        }
        let info = sdb::lot_info(&self.conn, a.lot_id)?;
        let q = parse_qty(&a.quantity, "quantity", lang)?;
        let milli = to_milli(q, "quantity")?;
        if milli == 0 {
            return Err(Error::invalid(
                "quantity",
                "Jumlah penyesuaian tidak boleh nol.",
                "An adjustment cannot be zero.",
            ));
        }
        if milli > 0 && a.reason != AdjustmentReason::Koreksi {
            return Err(Error::invalid(
                "quantity",
                "Rusak, kedaluwarsa dan hilang mengurangi stok: tulis jumlah negatif (mis. -2).",
                "Damaged, expired and lost reduce stock: write a negative quantity (e.g. -2).",
            ));
        }
        let have = sdb::lot_balance(&self.conn, a.lot_id)?;
        if have + milli < 0 {
            return Err(sdb::shortfall(
                &info.item,
                &info.unit,
                &info.lot_code,
                have,
                -milli,
            ));
        }
        let note = a.note.trim().to_owned();
        if note.is_empty() {
            return Err(Error::invalid(
                "note",
                "Tulis keterangan penyesuaian (apa yang terjadi).",
                "Write what happened.",
            ));
        }
        let id = self.tx(|tx, at, actor| {
            tx.execute(
                "INSERT INTO adjustment (item_id, lot_id, qty_milli, reason, note, requested_by, requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![info.item_id, a.lot_id, milli, code_of(&a.reason), note, actor, at],
            )?;
            let id = tx.last_insert_rowid();
            audit::db::append(tx, at, actor, "stock.adjust_request", "adjustment", &id.to_string(), None,
                json(&serde_json::json!({"lot": a.lot_id, "qty": from_milli(milli), "reason": a.reason, "note": note})).as_deref())?;
            Ok(id)
        })?;
        self.adjustment(id)
    }

    fn adjustment(&self, id: i64) -> Result<Adjustment> {
        sdb::adjustments(&self.conn, None)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("Penyesuaian #{id} tidak ada."),
                    format!("There is no adjustment #{id}."),
                )
            })
    }

    pub fn adjustments(&mut self, status: Option<AdjustmentStatus>) -> Result<Vec<Adjustment>> {
        self.guard(ANYONE)?;
        sdb::adjustments(&self.conn, status)
    }

    /// Approves (writes the movement) or rejects a pending adjustment. Not one's own.
    pub fn decide_adjustment(&mut self, id: i64, approve: bool, note: &str) -> Result<Adjustment> {
        self.guard(VERIFIERS)?;
        let a = self.adjustment(id)?;
        if a.status != AdjustmentStatus::Pending {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Penyesuaian ini sudah diputuskan.",
                "This adjustment was already decided.",
            ));
        }
        if a.requested_by == self.me.username {
            return Err(Error::new(
                ErrorKind::Forbidden,
                "Penyesuaian yang Anda ajukan sendiri harus disetujui verifikator lain.",
                "An adjustment you requested must be approved by another verifikator.",
            ));
        }
        let note = note.trim().to_owned();
        if !approve && note.is_empty() {
            return Err(Error::invalid(
                "note",
                "Tulis alasan penolakan.",
                "Write why it is rejected.",
            ));
        }
        let today = self.today_local().to_string();
        self.tx(|tx, at, actor| {
            let mut movement = None;
            if approve {
                let milli = to_milli(a.quantity, "quantity")?;
                movement = Some(sdb::append(tx, &Move { date: &today, at, lot_id: a.lot_id, kind: MovementKind::Adjustment, qty_milli: milli, doc_ref: &format!("PENYESUAIAN-{id}"), note: &a.note, actor, reverses: None, reference: Some(("adjustment", id)) })?);
            }
            tx.execute(
                "UPDATE adjustment SET status = ?2, decided_by = ?3, decided_at = ?4, decision_note = ?5, movement_id = ?6 WHERE id = ?1",
                params![id, if approve { "approved" } else { "rejected" }, actor, at, note, movement],
            )?;
            audit::db::append(tx, at, actor, if approve { "stock.adjust_approve" } else { "stock.adjust_reject" }, "adjustment", &id.to_string(),
                Some("{\"status\":\"pending\"}"), json(&serde_json::json!({"status": if approve { "approved" } else { "rejected" }, "note": note, "movement": movement})).as_deref())?;
            Ok(())
        })?;
        self.adjustment(id)
    }

    /// Issues stock by hand (earliest expiry first), for what is not a hand-over (e.g. a transfer
    /// with its own letter). Hand-overs issue through their own use case.
    pub fn issue_stock(
        &mut self,
        item_id: i64,
        quantity: &str,
        doc_ref: &str,
        note: &str,
        lang: Lang,
    ) -> Result<Vec<(i64, Decimal)>> {
        self.guard(VERIFIERS)?;
        let q = parse_qty(quantity, "quantity", lang)?;
        if q <= Decimal::ZERO {
            return Err(Error::invalid(
                "quantity",
                "Jumlah harus lebih dari nol.",
                "The quantity must be more than zero.",
            ));
        }
        let milli = to_milli(q, "quantity")?;
        let doc = required(
            "doc_ref",
            doc_ref,
            "Nomor dokumen",
            "The document reference",
        )?;
        let note = note.trim().to_owned();
        let today = self.today_local().to_string();
        sdb::item(&self.conn, item_id)?;
        let used = self.tx(|tx, at, actor| {
            let used = sdb::issue_fefo(tx, item_id, milli, &today, at, actor, &doc, &note, None)?;
            audit::db::append(
                tx,
                at,
                actor,
                "stock.issue",
                "item",
                &item_id.to_string(),
                None,
                json(&serde_json::json!({"qty": from_milli(milli), "doc_ref": doc, "lots": used}))
                    .as_deref(),
            )?;
            Ok(used)
        })?;
        Ok(used.into_iter().map(|(l, m)| (l, from_milli(m))).collect())
    }

    /// Undoes a movement with its opposite (a receipt entered twice, a wrong issue).
    pub fn reverse_movement(&mut self, movement_id: i64, reason: &str) -> Result<i64> {
        self.guard(VERIFIERS)?;
        let reason = required("reason", reason, "Alasan pembatalan", "The reason")?;
        let m: Option<(i64, i64, String, String)> = self
            .conn
            .query_row(
                "SELECT lot_id, qty_milli, kind, doc_ref FROM movement WHERE id = ?1",
                [movement_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((lot_id, qty, kind, doc)) = m else {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("Mutasi #{movement_id} tidak ada."),
                format!("There is no movement #{movement_id}."),
            ));
        };
        if kind == "reversal" {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Pembatalan tidak dapat dibatalkan lagi; catat mutasi baru.",
                "A reversal cannot be reversed; record a new movement.",
            ));
        }
        let done: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM movement WHERE reverses = ?1)",
            [movement_id],
            |r| r.get(0),
        )?;
        if done {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Mutasi ini sudah dibatalkan.",
                "This movement was already reversed.",
            ));
        }
        let today = self.today_local().to_string();
        self.tx(|tx, at, actor| {
            let id = sdb::append(
                tx,
                &Move {
                    date: &today,
                    at,
                    lot_id,
                    kind: MovementKind::Reversal,
                    qty_milli: -qty,
                    doc_ref: &format!("BATAL {doc}"),
                    note: &reason,
                    actor,
                    reverses: Some(movement_id),
                    reference: None,
                },
            )?;
            audit::db::append(
                tx,
                at,
                actor,
                "stock.reverse",
                "movement",
                &movement_id.to_string(),
                None,
                json(
                    &serde_json::json!({"reversal": id, "qty": from_milli(-qty), "reason": reason}),
                )
                .as_deref(),
            )?;
            Ok(id)
        })
    }

    /// Starts a stock opname: freezes every lot's recorded balance. One at a time.
    pub fn opname_start(&mut self) -> Result<Opname> {
        self.guard(KEEPERS)?;
        let open: Option<i64> = self
            .conn
            .query_row("SELECT id FROM opname WHERE status = 'counting'", [], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(id) = open {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!("Stock opname #{id} masih berjalan; selesaikan atau batalkan dulu."),
                format!("Stock-take #{id} is still open; finish or cancel it first."),
            ));
        }
        let today = self.today_local().to_string();
        let id = self.tx(|tx, at, actor| {
            tx.execute("INSERT INTO opname (date, started_by, started_at) VALUES (?1, ?2, ?3)", params![today, actor, at])?;
            let id = tx.last_insert_rowid();
            let n = tx.execute(
                "INSERT INTO opname_line (opname_id, lot_id, item_id, recorded_milli)
                 SELECT ?1, l.id, l.item_id, sum(m.qty_milli) FROM lot l JOIN movement m ON m.lot_id = l.id
                 GROUP BY l.id HAVING sum(m.qty_milli) <> 0",
                [id],
            )?;
            audit::db::append(tx, at, actor, "stock.opname_start", "opname", &id.to_string(), None, Some(&format!("{{\"lots\":{n}}}")))?;
            Ok(id)
        })?;
        self.opname_get(id)
    }

    /// A stock opname. For anyone but the Verifikator it is the counting sheet: recorded figures
    /// and variances are hidden while counting.
    pub fn opname_get(&mut self, id: i64) -> Result<Opname> {
        self.guard(ANYONE)?;
        let head = self
            .conn
            .query_row("SELECT status, date, started_by, started_at, decided_by, decided_at FROM opname WHERE id = ?1", [id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, Option<String>>(4)?, r.get::<_, Option<String>>(5)?))
            })
            .optional()?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("Stock opname #{id} tidak ada."), format!("There is no stock-take #{id}.")))?;
        let status: OpnameStatus =
            crate::family::model::from_code(&head.0).unwrap_or(OpnameStatus::Cancelled);
        let blind = status == OpnameStatus::Counting && self.me.role != Role::Verifikator;
        let mut st = self.conn.prepare(
            "SELECT o.lot_id, o.item_id, i.name, i.unit, l.lot_code, l.expiry, o.recorded_milli, o.counted_milli, o.counted_by
             FROM opname_line o JOIN item i ON i.id = o.item_id JOIN lot l ON l.id = o.lot_id
             WHERE o.opname_id = ?1 ORDER BY i.category, i.id, l.expiry IS NULL, l.expiry, l.id",
        )?;
        let lines = st
            .query_map([id], |r| {
                let rec: i64 = r.get(6)?;
                let counted: Option<i64> = r.get(7)?;
                Ok(OpnameLine {
                    lot_id: r.get(0)?,
                    item_id: r.get(1)?,
                    item: r.get(2)?,
                    unit: r.get(3)?,
                    lot_code: r.get(4)?,
                    expiry: r.get(5)?,
                    recorded: (!blind).then(|| from_milli(rec)),
                    counted: counted.map(from_milli),
                    variance: if blind {
                        None
                    } else {
                        counted.map(|c| from_milli(c - rec))
                    },
                    counted_by: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Opname {
            id,
            status,
            date: head.1,
            started_by: head.2,
            started_at: head.3,
            decided_by: head.4,
            decided_at: head.5,
            blind,
            lines,
        })
    }

    pub fn opname_list(&mut self) -> Result<Vec<(i64, OpnameStatus, String)>> {
        self.guard(ANYONE)?;
        let mut st = self
            .conn
            .prepare("SELECT id, status, date FROM opname ORDER BY id DESC LIMIT 100")?;
        let v = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    crate::family::model::from_code(&r.get::<_, String>(1)?)
                        .unwrap_or(OpnameStatus::Cancelled),
                    r.get(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(v)
    }

    /// Enters a counted quantity for one lot (empty = not counted).
    pub fn opname_count(
        &mut self,
        id: i64,
        lot_id: i64,
        counted: &str,
        lang: Lang,
    ) -> Result<Opname> {
        self.guard(KEEPERS)?;
        self.opname_counting(id)?;
        let milli = if counted.trim().is_empty() {
            None
        } else {
            let q = parse_qty(counted, "counted", lang)?;
            if q < Decimal::ZERO {
                return Err(Error::invalid(
                    "counted",
                    "Jumlah hitung tidak boleh negatif.",
                    "A count cannot be negative.",
                ));
            }
            Some(to_milli(q, "counted")?)
        };
        self.tx(|tx, at, actor| {
            let n = tx.execute(
                "UPDATE opname_line SET counted_milli = ?3, counted_by = ?4, counted_at = ?5 WHERE opname_id = ?1 AND lot_id = ?2",
                params![id, lot_id, milli, milli.map(|_| actor), milli.map(|_| at)],
            )?;
            if n == 0 {
                return Err(Error::new(ErrorKind::NotFound, format!("Lot #{lot_id} tidak ada di stock opname ini."), format!("Lot #{lot_id} is not in this stock-take.")).with_field("lot_id"));
            }
            audit::db::append(tx, at, actor, "stock.opname_count", "opname", &id.to_string(), None,
                json(&serde_json::json!({"lot": lot_id, "counted": milli.map(from_milli)})).as_deref())?;
            Ok(())
        })?;
        self.opname_get(id)
    }

    fn opname_counting(&self, id: i64) -> Result<()> {
        let st: Option<String> = self
            .conn
            .query_row("SELECT status FROM opname WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        match st.as_deref() {
            Some("counting") => Ok(()),
            Some(_) => Err(Error::new(
                ErrorKind::Conflict,
                "Stock opname ini sudah selesai.",
                "This stock-take is finished.",
            )),
            None => Err(Error::new(
                ErrorKind::NotFound,
                format!("Stock opname #{id} tidak ada."),
                format!("There is no stock-take #{id}."),
            )),
        }
    }

    /// Approves a stock opname: each counted lot whose count differs from its frozen recorded
    /// balance gets an approved adjustment; a lot not counted is left as it is.
    pub fn opname_approve(&mut self, id: i64) -> Result<Opname> {
        self.guard(VERIFIERS)?;
        self.opname_counting(id)?;
        let today = self.today_local().to_string();
        self.tx(|tx, at, actor| {
            let mut st = tx.prepare("SELECT lot_id, item_id, recorded_milli, counted_milli FROM opname_line WHERE opname_id = ?1 AND counted_milli IS NOT NULL AND counted_milli <> recorded_milli")?;
            let lines = st
                .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            drop(st);
            let mut made = 0;
            for (lot_id, item_id, rec, counted) in lines {
                let delta = counted - rec;
                let doc = format!("OPNAME-{id}");
                let m = sdb::append(tx, &Move { date: &today, at, lot_id, kind: MovementKind::Adjustment, qty_milli: delta, doc_ref: &doc, note: "selisih stock opname", actor, reverses: None, reference: Some(("opname", id)) })?;
                tx.execute(
                    "INSERT INTO adjustment (item_id, lot_id, qty_milli, reason, note, status, requested_by, requested_at, decided_by, decided_at, movement_id, opname_id)
                     VALUES (?1, ?2, ?3, 'opname', 'selisih stock opname', 'approved', ?4, ?5, ?4, ?5, ?6, ?7)",
                    params![item_id, lot_id, delta, actor, at, m, id],
                )?;
                made += 1;
            }
            tx.execute("UPDATE opname SET status = 'approved', decided_by = ?2, decided_at = ?3 WHERE id = ?1", params![id, actor, at])?;
            audit::db::append(tx, at, actor, "stock.opname_approve", "opname", &id.to_string(), Some("{\"status\":\"counting\"}"),
                Some(&format!("{{\"status\":\"approved\",\"adjustments\":{made}}}")))?;
            Ok(())
        })?;
        self.opname_get(id)
    }

    pub fn opname_cancel(&mut self, id: i64) -> Result<Opname> {
        self.guard(VERIFIERS)?;
        self.opname_counting(id)?;
        self.tx(|tx, at, actor| {
            tx.execute("UPDATE opname SET status = 'cancelled', decided_by = ?2, decided_at = ?3 WHERE id = ?1", params![id, actor, at])?;
            audit::db::append(tx, at, actor, "stock.opname_cancel", "opname", &id.to_string(), None, None)?;
            Ok(())
        })?;
        self.opname_get(id)
    }

    /// Recomputes every lot's balance from its movements and lists any that differ from the
    /// kept balance: (lot, kept, summed). Empty on a sound ledger.
    pub fn stock_verify(&mut self) -> Result<Vec<(i64, Decimal, Decimal)>> {
        self.guard(ANYONE)?;
        Ok(sdb::verify_balances(&self.conn)?
            .into_iter()
            .map(|(l, k, s)| (l, from_milli(k), from_milli(s)))
            .collect())
    }

    /// A lot's current balance.
    #[doc(hidden)]
    pub fn lot_balance_now(&self, lot_id: i64) -> Result<Decimal> {
        Ok(from_milli(sdb::lot_balance(&self.conn, lot_id)?))
    }
}

/// The stock card as a workbook.
pub fn card_xlsx(c: &StockCard) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let x = |e: rust_xlsxwriter::XlsxError| Error::internal(format!("XLSX: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Kartu Stok").map_err(x)?;
    let bold = Format::new().set_bold();
    let num = Format::new().set_num_format("#,##0.###");
    ws.write_with_format(
        0,
        0,
        format!("KARTU STOK: {} ({})", c.item.name, c.item.unit),
        &bold,
    )
    .map_err(x)?;
    ws.write(1, 0, format!("Periode {} s.d. {}", c.from, c.to))
        .map_err(x)?;
    let headers = [
        "Tanggal",
        "Dokumen",
        "Jenis",
        "Lot",
        "Masuk",
        "Keluar",
        "Saldo",
        "Keterangan",
    ];
    for (i, h) in headers.iter().enumerate() {
        ws.write_with_format(3, i as u16, *h, &bold).map_err(x)?;
    }
    let f = |d: Decimal| d.to_string().parse::<f64>().unwrap_or(0.0);
    ws.write(4, 0, "Saldo awal").map_err(x)?;
    ws.write_with_format(4, 6, f(c.opening), &num).map_err(x)?;
    let kind = |k: MovementKind| match k {
        MovementKind::Receipt => "Penerimaan",
        MovementKind::Issue => "Pengeluaran",
        MovementKind::Adjustment => "Penyesuaian",
        MovementKind::Reversal => "Pembatalan",
    };
    let mut r = 5u32;
    for row in &c.rows {
        let CardRow {
            date,
            doc_ref,
            kind: k,
            lot_code,
            qty_in,
            qty_out,
            balance,
            note,
            ..
        } = row;
        ws.write(r, 0, date.as_str()).map_err(x)?;
        ws.write(r, 1, doc_ref.as_str()).map_err(x)?;
        ws.write(r, 2, kind(*k)).map_err(x)?;
        ws.write(r, 3, lot_code.as_str()).map_err(x)?;
        if let Some(q) = qty_in {
            ws.write_with_format(r, 4, f(*q), &num).map_err(x)?;
        }
        if let Some(q) = qty_out {
            ws.write_with_format(r, 5, f(*q), &num).map_err(x)?;
        }
        ws.write_with_format(r, 6, f(*balance), &num).map_err(x)?;
        ws.write(r, 7, note.as_str()).map_err(x)?;
        r += 1;
    }
    ws.write_with_format(r, 0, "Saldo akhir", &bold)
        .map_err(x)?;
    ws.write_with_format(r, 6, f(c.closing), &num).map_err(x)?;
    ws.autofit();
    wb.save_to_buffer().map_err(x)
}

//! Use cases of the stock ledger (SPEC §2 item 4).
//!
//! Who may do what: Petugas and Verifikator receive stock, add items, request adjustments and
//! count a stock opname; only a Verifikator approves adjustments (not their own), approves an
//! opname, reverses a movement or issues stock by hand; everyone signed in may read balances.
//! Decisions (an adjustment, an opname, a reversal) are read again and made once inside the
//! transaction that writes them.

use super::{App, ANYONE};
use crate::audit::Entry;
use crate::error::{Error, ErrorKind, Result};
use crate::family::model::parse_date;
use crate::locale::Lang;
use crate::staff::Role;
use crate::stock::db::{self as sdb, Move};
use crate::stock::{
    from_milli, parse_qty, parse_rupiah, to_cents, to_milli, Adjustment, AdjustmentInput,
    AdjustmentReason, AdjustmentStatus, Donor, FundingSource, Item, ItemBalance, MovementKind,
    NewItem, Opname, OpnameStatus, ReceiptInput, ReceiptSaved, SourceBalance, StockAlert,
    StockCard, StockOverview,
};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

const KEEPERS: &[Role] = &[Role::Petugas, Role::Verifikator];
const VERIFIERS: &[Role] = &[Role::Verifikator];

/// A typed date for reading the stock (as of, from, to): a date, not before 1900 and not more
/// than a year ahead.
fn report_date(
    s: &str,
    field: &str,
    what_id: &str,
    what_en: &str,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let d = date_field(s, field, what_id, what_en)?;
    crate::limits::check_date(d, today + chrono::Duration::days(366), field)?;
    Ok(d)
}

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

/// A text that must be given, tidied, within `max` characters.
fn required(field: &str, v: &str, id: &str, en: &str, max: usize) -> Result<String> {
    let t = crate::family::model::tidy(v);
    crate::limits::check_text(field, &t, max, (id, en))?;
    if t.is_empty() {
        return Err(Error::invalid(
            field,
            format!("{id} wajib diisi."),
            format!("{en} is required."),
        ));
    }
    Ok(t)
}

fn opname_finished(status: OpnameStatus) -> Result<()> {
    if status == OpnameStatus::Counting {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Conflict,
            "Stock opname ini sudah selesai.",
            "This stock-take is finished.",
        ))
    }
}

impl App {
    pub fn items(&mut self, include_retired: bool) -> Result<Vec<Item>> {
        self.guard(ANYONE)?;
        sdb::items(&self.conn, include_retired)
    }

    /// Adds an item (e.g. a new produce from the facility's farm).
    pub fn add_item(&mut self, n: &NewItem, lang: Lang) -> Result<Item> {
        self.guard(KEEPERS)?;
        let name = required("name", &n.name, "Nama barang", "The item's name", 60)?;
        let unit = required("unit", &n.unit, "Satuan", "The unit", 20)?.to_lowercase();
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
        // A code stays short enough for the stock card and for the lot codes made from it.
        let base: String = base.chars().take(30).collect::<String>();
        let base = base.trim_end_matches('-').to_owned();
        let id = self.tx(|tx, at, actor| {
            if sdb::item_name_taken(tx, &name)? {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("Barang '{name}' sudah ada."),
                    format!("The item '{name}' already exists."),
                )
                .with_field("name"));
            }
            let code = sdb::free_item_code(tx, &base)?;
            let id = sdb::insert_item(tx, &code, &name, &unit, n.category, min_milli, at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.item_add", "item", &code).after(&serde_json::json!({
                    "name": name, "unit": unit, "category": n.category, "min": from_milli(min_milli),
                })),
            )?;
            Ok(id)
        })?;
        sdb::item(&self.conn, id)
    }

    /// Sets an item's minimum (alert threshold).
    pub fn set_item_minimum(&mut self, item_id: i64, min: &str, lang: Lang) -> Result<Item> {
        self.guard(VERIFIERS)?;
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
            let old = sdb::item(tx, item_id)?;
            sdb::set_item_minimum(tx, item_id, milli)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.item_minimum", "item", &old.code)
                    .before(&serde_json::json!({ "min": old.min_stock }))
                    .after(&serde_json::json!({ "min": from_milli(milli) })),
            )?;
            Ok(())
        })?;
        sdb::item(&self.conn, item_id)
    }

    /// Retires an item: it leaves the receiving form; its history and any stock stay.
    pub fn retire_item(&mut self, item_id: i64) -> Result<Item> {
        self.guard(VERIFIERS)?;
        self.tx(|tx, at, actor| {
            let it = sdb::item(tx, item_id)?;
            if !sdb::retire_item(tx, item_id, at)? {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "Barang ini sudah tidak dipakai.",
                    "This item is already retired.",
                ));
            }
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.item_retire", "item", &it.code),
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
        let today = self.today_local()?;
        let date = date_field(&r.date, "date", "Tanggal terima", "The receiving date")?;
        crate::limits::check_date(date, date.max(today), "date")?;
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
        crate::limits::check_text(
            "donor_name",
            &donor,
            crate::limits::NAME,
            ("Nama donatur", "The donor's name"),
        )?;
        crate::limits::check_text(
            "source_note",
            r.source_note.trim(),
            crate::limits::ADDRESS,
            ("Keterangan sumber", "The source's note"),
        )?;
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
            crate::limits::LABEL,
        )?;
        let received_by = required(
            "received_by",
            &r.received_by,
            "Nama penerima barang",
            "Who received the goods",
            crate::limits::NAME,
        )?;
        if r.lines.is_empty() {
            return Err(Error::invalid(
                "lines",
                "Isi paling sedikit satu barang.",
                "Enter at least one item.",
            ));
        }
        let max = crate::limits::RECEIPT_LINES;
        if r.lines.len() > max {
            return Err(Error::invalid(
                "lines",
                format!("Satu penerimaan paling banyak {max} baris; catat sisanya sebagai penerimaan berikutnya dengan dokumen yang sama."),
                format!("One receipt has at most {max} lines; record the rest as another receipt with the same document."),
            ));
        }
        let items = sdb::items(&self.conn, true)?;
        let mut lines = Vec::new();
        for (i, l) in r.lines.iter().enumerate() {
            let f = |n: &str| format!("line.{i}.{n}");
            let it = items
                .iter()
                .find(|it| it.id == l.item_id)
                .cloned()
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::NotFound,
                        format!("Barang #{} tidak ada.", l.item_id),
                        format!("There is no item #{}.", l.item_id),
                    )
                    .with_field(&f("item_id"))
                })?;
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
                    let latest = date
                        .with_year(date.year() + crate::limits::EXPIRY_YEARS_AHEAD)
                        .unwrap_or(date);
                    crate::limits::check_date(d, latest, &f("expiry"))?;
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
            let lot_code = crate::family::model::tidy(&l.lot_code);
            crate::limits::check_text(
                &f("lot_code"),
                &lot_code,
                crate::limits::CODE,
                ("Kode lot", "The lot code"),
            )?;
            lines.push((it, milli, cents, expiry, lot_code));
        }
        let date_s = date.to_string();
        let source_note = r.source_note.trim().to_owned();
        let note = r.note.trim().to_owned();
        crate::limits::check_text("note", &note, crate::limits::NOTE, ("Catatan", "The note"))?;
        let (id, lots) = self.tx(|tx, at, actor| {
            App::ensure_month_open(tx, &date.to_string())?;
            let donor_id = if donor.is_empty() {
                None
            } else {
                Some(sdb::donor_id(tx, &donor, at)?)
            };
            let id = sdb::insert_receipt(
                tx,
                &sdb::NewReceipt {
                    date: &date_s,
                    source: r.source,
                    donor_id,
                    source_note: &source_note,
                    doc_ref: &doc_ref,
                    received_by: &received_by,
                    note: &note,
                },
                at,
                actor,
            )?;
            let mut lots = Vec::new();
            for (n, (it, milli, cents, expiry, lot_code)) in lines.iter().enumerate() {
                // Read again here: the item may have been retired meanwhile.
                if sdb::item(tx, it.id)?.retired {
                    return Err(Error::invalid(
                        &format!("line.{n}.item_id"),
                        format!("{} sudah tidak dipakai.", it.name),
                        format!("{} is retired.", it.name),
                    ));
                }
                // Item, date, receipt and line: unique (receipt 7's eleventh line and receipt
                // 8's first once both read "…-80").
                let code = if lot_code.is_empty() {
                    format!(
                        "{}-{}-{}-{}",
                        it.code.to_uppercase(),
                        date_s.replace('-', ""),
                        id,
                        n + 1
                    )
                } else {
                    lot_code.clone()
                };
                let lot_id =
                    sdb::insert_lot(tx, it.id, id, &code, expiry.as_deref(), *cents, *milli)?;
                sdb::append(
                    tx,
                    &Move {
                        date: &date_s,
                        at,
                        lot_id,
                        kind: MovementKind::Receipt,
                        qty_milli: *milli,
                        doc_ref: &doc_ref,
                        note: "",
                        actor,
                        reverses: None,
                        reference: Some(("receipt", id)),
                    },
                )?;
                lots.push(lot_id);
            }
            let detail_lines: Vec<serde_json::Value> = lines
                .iter()
                .zip(&lots)
                .map(|((it, m, c, e, _), lot)| {
                    serde_json::json!({
                        "item": it.code, "lot": lot, "qty": from_milli(*m),
                        "value": crate::stock::from_cents(*c), "expiry": e,
                    })
                })
                .collect();
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.receive", "receipt", id).after(&serde_json::json!({
                    "date": date_s, "source": r.source, "donor": donor, "doc_ref": doc_ref,
                    "received_by": received_by, "lines": detail_lines,
                })),
            )?;
            Ok((id, lots))
        })?;
        Ok(ReceiptSaved { id, lot_ids: lots })
    }

    /// Balances per item (and lot, and funding source) as of a date (default today), with alerts.
    pub fn stock_overview(&mut self, as_of: Option<&str>) -> Result<StockOverview> {
        self.guard(ANYONE)?;
        let settings = App::settings_in(&self.conn)?;
        let today = settings.today(self.clock.now());
        let as_of = match as_of.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => report_date(s, "as_of", "Tanggal", "The date", today)?,
            None => today,
        };
        let as_of_s = as_of.to_string();
        // Today (nothing is dated later) reads the kept balances; a past date sums movements.
        let lots = sdb::lot_balances(
            &self.conn,
            None,
            (as_of < today).then_some(as_of_s.as_str()),
        )?;
        let days = settings.expiry_alert_days;
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
        let today = self.today_local()?;
        let from = match from.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => report_date(s, "from", "Tanggal awal", "The start date", today)?,
            None => NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today),
        };
        let to = match to.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => report_date(s, "to", "Tanggal akhir", "The end date", today)?,
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
        crate::stock::export::card_xlsx(&c)
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
        let note = a.note.trim().to_owned();
        crate::limits::check_text(
            "note",
            &note,
            crate::limits::NOTE,
            ("Keterangan", "The note"),
        )?;
        if note.is_empty() {
            return Err(Error::invalid(
                "note",
                "Tulis keterangan penyesuaian (apa yang terjadi).",
                "Write what happened.",
            ));
        }
        let id = self.tx(|tx, at, actor| {
            let info = sdb::lot_info(tx, a.lot_id)?;
            let have = sdb::lot_balance(tx, a.lot_id)?;
            if have + milli < 0 {
                return Err(sdb::shortfall(
                    &info.item,
                    &info.unit,
                    &info.lot_code,
                    have,
                    -milli,
                ));
            }
            let id = sdb::insert_adjustment(
                tx,
                info.item_id,
                a.lot_id,
                milli,
                a.reason,
                &note,
                at,
                actor,
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.adjust_request", "adjustment", id).after(&serde_json::json!({
                    "lot": a.lot_id, "qty": from_milli(milli), "reason": a.reason, "note": note,
                })),
            )?;
            Ok(id)
        })?;
        sdb::adjustment(&self.conn, id)
    }

    pub fn adjustments(&mut self, status: Option<AdjustmentStatus>) -> Result<Vec<Adjustment>> {
        self.guard(ANYONE)?;
        sdb::adjustments(&self.conn, status)
    }

    /// Approves (writes the movement) or rejects a pending adjustment. Not one's own. Decided
    /// once: two verifikators approving at the same moment make one movement.
    pub fn decide_adjustment(&mut self, id: i64, approve: bool, note: &str) -> Result<Adjustment> {
        self.guard(VERIFIERS)?;
        let note = note.trim().to_owned();
        crate::limits::check_text(
            "note",
            &note,
            crate::limits::NOTE,
            ("Catatan keputusan", "The decision's note"),
        )?;
        if !approve && note.is_empty() {
            return Err(Error::invalid(
                "note",
                "Tulis alasan penolakan.",
                "Write why it is rejected.",
            ));
        }
        let today = self.today_local()?.to_string();
        self.tx(|tx, at, actor| {
            App::ensure_month_open(tx, &today)?;
            let a = sdb::adjustment(tx, id)?;
            if a.status != AdjustmentStatus::Pending {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "Penyesuaian ini sudah diputuskan.",
                    "This adjustment was already decided.",
                ));
            }
            if a.requested_by == actor {
                return Err(Error::new(
                    ErrorKind::Forbidden,
                    "Penyesuaian yang Anda ajukan sendiri harus disetujui verifikator lain.",
                    "An adjustment you requested must be approved by another verifikator.",
                ));
            }
            let mut movement = None;
            if approve {
                let milli = to_milli(a.quantity, "quantity")?;
                movement = Some(sdb::append(
                    tx,
                    &Move {
                        date: &today,
                        at,
                        lot_id: a.lot_id,
                        kind: MovementKind::Adjustment,
                        qty_milli: milli,
                        doc_ref: &format!("PENYESUAIAN-{id}"),
                        note: &a.note,
                        actor,
                        reverses: None,
                        reference: Some(("adjustment", id)),
                    },
                )?);
            }
            sdb::decide_adjustment(tx, id, approve, actor, at, &note, movement)?;
            let status = if approve { "approved" } else { "rejected" };
            App::log(
                tx,
                at,
                actor,
                Entry::new(
                    if approve {
                        "stock.adjust_approve"
                    } else {
                        "stock.adjust_reject"
                    },
                    "adjustment",
                    id,
                )
                .before(&serde_json::json!({ "status": "pending" }))
                .after(
                    &serde_json::json!({ "status": status, "note": note, "movement": movement }),
                ),
            )?;
            Ok(())
        })?;
        sdb::adjustment(&self.conn, id)
    }

    /// Issues stock by hand (earliest expiry first, never an expired lot), for what is not a
    /// hand-over (e.g. a transfer with its own letter). Hand-overs issue through their own use case.
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
            crate::limits::LABEL,
        )?;
        let note = note.trim().to_owned();
        crate::limits::check_text("note", &note, crate::limits::NOTE, ("Catatan", "The note"))?;
        let today = self.today_local()?.to_string();
        let used = self.tx(|tx, at, actor| {
            App::ensure_month_open(tx, &today)?;
            sdb::item(tx, item_id)?;
            let used = sdb::issue(
                tx,
                &sdb::Issue {
                    item_id,
                    source: None,
                    qty_milli: milli,
                    date: &today,
                    at,
                    actor,
                    doc_ref: &doc,
                    note: &note,
                    reference: None,
                },
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.issue", "item", item_id).after(&serde_json::json!({
                    "qty": from_milli(milli), "doc_ref": doc, "lots": used,
                })),
            )?;
            Ok(used)
        })?;
        Ok(used.into_iter().map(|(l, m)| (l, from_milli(m))).collect())
    }

    /// Undoes a movement with its opposite (a receipt entered twice, a wrong issue). A
    /// hand-over's issue comes back only by voiding its BAST; a movement is reversed once.
    pub fn reverse_movement(&mut self, movement_id: i64, reason: &str) -> Result<i64> {
        self.guard(VERIFIERS)?;
        let reason = required(
            "reason",
            reason,
            "Alasan pembatalan",
            "The reason",
            crate::limits::NOTE,
        )?;
        let today = self.today_local()?.to_string();
        self.tx(|tx, at, actor| {
            App::ensure_month_open(tx, &today)?;
            let m = sdb::movement(tx, movement_id)?.ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("Mutasi #{movement_id} tidak ada."),
                    format!("There is no movement #{movement_id}."),
                )
            })?;
            if m.kind == MovementKind::Reversal {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "Pembatalan tidak dapat dibatalkan lagi; catat mutasi baru.",
                    "A reversal cannot be reversed; record a new movement.",
                ));
            }
            if m.ref_kind.as_deref() == Some("handover") {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("Mutasi ini adalah pengeluaran serah terima {}; stoknya kembali dengan membatalkan BAST itu (Verifikator), bukan dari kartu stok.", m.doc_ref),
                    format!("This movement is the issue of hand-over {}; its stock comes back by voiding that BAST (Verifikator), not from the stock card.", m.doc_ref),
                ));
            }
            if sdb::reversal_of(tx, movement_id)?.is_some() {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    "Mutasi ini sudah dibatalkan.",
                    "This movement was already reversed.",
                ));
            }
            let id = sdb::append(
                tx,
                &Move {
                    date: &today,
                    at,
                    lot_id: m.lot_id,
                    kind: MovementKind::Reversal,
                    qty_milli: -m.qty_milli,
                    doc_ref: &format!("BATAL {}", m.doc_ref),
                    note: &reason,
                    actor,
                    reverses: Some(movement_id),
                    reference: None,
                },
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.reverse", "movement", movement_id).after(&serde_json::json!({
                    "reversal": id, "qty": from_milli(-m.qty_milli), "reason": reason,
                })),
            )?;
            Ok(id)
        })
    }

    /// Starts a stock opname: freezes every lot's recorded balance. One at a time.
    pub fn opname_start(&mut self) -> Result<Opname> {
        self.guard(KEEPERS)?;
        let today = self.today_local()?.to_string();
        let id = self.tx(|tx, at, actor| {
            App::ensure_month_open(tx, &today)?;
            if let Some(open) = sdb::open_opname(tx)? {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("Stock opname #{open} masih berjalan; selesaikan atau batalkan dulu."),
                    format!("Stock-take #{open} is still open; finish or cancel it first."),
                ));
            }
            let (id, n) = sdb::start_opname(tx, &today, actor, at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.opname_start", "opname", id)
                    .after(&serde_json::json!({ "lots": n })),
            )?;
            Ok(id)
        })?;
        self.opname_get(id)
    }

    /// A stock opname. For anyone but the Verifikator it is the counting sheet: recorded figures
    /// and variances are hidden while counting.
    pub fn opname_get(&mut self, id: i64) -> Result<Opname> {
        self.guard(ANYONE)?;
        let head = sdb::opname_head(&self.conn, id)?;
        let blind = head.status == OpnameStatus::Counting && self.me.role != Role::Verifikator;
        Ok(Opname {
            id,
            status: head.status,
            date: head.date,
            started_by: head.started_by,
            started_at: head.started_at,
            decided_by: head.decided_by,
            decided_at: head.decided_at,
            blind,
            lines: sdb::opname_lines(&self.conn, id, blind)?,
        })
    }

    pub fn opname_list(&mut self) -> Result<Vec<(i64, OpnameStatus, String)>> {
        self.guard(ANYONE)?;
        sdb::opname_list(&self.conn)
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
            let head = sdb::opname_head(tx, id)?;
            App::ensure_month_open(tx, &head.date)?;
            opname_finished(head.status)?;
            if !sdb::set_count(tx, id, lot_id, milli, actor, at)? {
                return Err(Error::new(
                    ErrorKind::NotFound,
                    format!("Lot #{lot_id} tidak ada di stock opname ini."),
                    format!("Lot #{lot_id} is not in this stock-take."),
                )
                .with_field("lot_id"));
            }
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.opname_count", "opname", id).after(&serde_json::json!({
                    "lot": lot_id, "counted": milli.map(from_milli),
                })),
            )?;
            Ok(())
        })?;
        self.opname_get(id)
    }

    /// Approves a stock opname: each counted lot whose count differs from its recorded balance
    /// when it was counted gets an approved adjustment of the difference (movements since leave
    /// it right); a lot not counted is left as it is.
    pub fn opname_approve(&mut self, id: i64) -> Result<Opname> {
        self.guard(VERIFIERS)?;
        let today = self.today_local()?.to_string();
        self.tx(|tx, at, actor| {
            let head = sdb::opname_head(tx, id)?;
            App::ensure_month_open(tx, &head.date)?;
            App::ensure_month_open(tx, &today)?;
            opname_finished(head.status)?;
            let mut made = 0;
            let doc = format!("OPNAME-{id}");
            for (lot_id, item_id, rec, counted) in sdb::opname_variances(tx, id)? {
                let delta = counted - rec;
                let m = sdb::append(
                    tx,
                    &Move {
                        date: &today,
                        at,
                        lot_id,
                        kind: MovementKind::Adjustment,
                        qty_milli: delta,
                        doc_ref: &doc,
                        note: "selisih stock opname",
                        actor,
                        reverses: None,
                        reference: Some(("opname", id)),
                    },
                )?;
                sdb::insert_opname_adjustment(tx, id, item_id, lot_id, delta, m, actor, at)?;
                made += 1;
            }
            sdb::finish_opname(tx, id, OpnameStatus::Approved, actor, at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.opname_approve", "opname", id)
                    .before(&serde_json::json!({ "status": "counting" }))
                    .after(&serde_json::json!({ "status": "approved", "adjustments": made })),
            )?;
            Ok(())
        })?;
        self.opname_get(id)
    }

    pub fn opname_cancel(&mut self, id: i64) -> Result<Opname> {
        self.guard(VERIFIERS)?;
        self.tx(|tx, at, actor| {
            let head = sdb::opname_head(tx, id)?;
            App::ensure_month_open(tx, &head.date)?;
            opname_finished(head.status)?;
            sdb::finish_opname(tx, id, OpnameStatus::Cancelled, actor, at)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("stock.opname_cancel", "opname", id),
            )?;
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

//! Hand-over (serah terima) of one family's package and its BAST record (SPEC §2 item 6): the
//! types, and the rules a hand-over must pass — the event approved, the family on its list and
//! active, not served in the period, the day not in the future nor before the event, a proxy
//! with a real NIK. SQL in `db.rs`; the signed QR payload and the BAST's words in `receipt`.

pub mod db;

use crate::error::{Error, ErrorKind, Result};
use crate::family::db::Stored as StoredFamily;
use crate::family::model::{mask_nik, parse_date, valid_name, Category};
use crate::family::view::family_code;
use crate::locale::{self, Lang};
use crate::stock::FundingSource;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Who took the package on the family's behalf.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Proxy {
    pub name: String,
    pub nik: String,
    /// e.g. "anak", "tetangga", "ketua RT"
    pub relation: String,
}

/// One item handed over, with the lots it came from.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HandedItem {
    pub item_id: i64,
    pub item: String,
    pub unit: String,
    #[ts(type = "string")]
    pub quantity: Decimal,
    /// Funding sources of the lots used, e.g. ["csr"].
    pub sources: Vec<FundingSource>,
    /// (lot id, quantity) taken, earliest expiry first.
    #[ts(type = "Array<[number, string]>")]
    pub lots: Vec<(i64, Decimal)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Handover {
    pub id: i64,
    pub event_id: i64,
    pub family_id: i64,
    pub family_code: String,
    pub bast_no: String,
    /// The day the hand-over happened (ISO), which may be before the day it was entered.
    pub date: String,
    /// When it was entered (UTC, RFC 3339).
    pub at: String,
    pub officer: String,
    pub officer_name: String,
    pub officer_nip: String,
    pub officer_position: String,
    /// The family's head as on the day (a proxy acts for this person's family).
    pub head_name: String,
    pub to_proxy: bool,
    pub recipient_name: String,
    /// Masked unless the reader's role sees NIKs.
    pub recipient_nik: Option<String>,
    pub proxy_relation: String,
    pub items: Vec<HandedItem>,
    pub voided: bool,
    pub void_reason: String,
    /// Copies printed after the first (each marked SALINAN).
    pub reprints: i64,
    /// The first print has been made.
    pub printed: bool,
    /// The recipient's address and WBP relation as they were on the day.
    pub recipient_address: String,
    pub wbp_line: String,
    /// The signed text in the QR code (see `receipt`).
    pub qr_payload: String,
}

impl Handover {
    /// The same hand-over with its NIK masked (for readers whose role does not see NIKs, and on
    /// paper always).
    pub fn masked(mut self) -> Handover {
        self.recipient_nik = self.recipient_nik.as_deref().map(mask_nik);
        self
    }
}

/// A lot a hand-over would take, with its expiry: what the desk shows before it confirms.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlannedLot {
    pub item: String,
    pub unit: String,
    pub lot_code: String,
    pub expiry: Option<String>,
    #[ts(type = "string")]
    pub quantity: Decimal,
    /// Days from the hand-over's date to the lot's expiry.
    pub days_left: Option<i64>,
    /// The lot expires within the facility's alert window after the hand-over's date.
    pub expiring: bool,
}

/// What a hand-over would do, computed without writing: for the desk's confirmation.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HandoverPreview {
    pub date: String,
    pub lots: Vec<PlannedLot>,
    /// One sentence per lot that expires within the alert window, in the reader's language.
    pub warnings: Vec<String>,
}

/// A proxy as typed, checked.
#[derive(Debug, Clone, Serialize)]
pub struct ValidProxy {
    pub name: String,
    pub nik: String,
    pub relation: String,
}

/// Checks a proxy: a name by the registry's rule, a NIK by its structure, a relation.
pub fn validate_proxy(p: &Proxy, today: NaiveDate) -> Result<ValidProxy> {
    let name = valid_name(
        "proxy.name",
        &p.name,
        "Nama wakil penerima",
        "The proxy's name",
    )?;
    let nik: String = p.nik.chars().filter(|c| !c.is_whitespace()).collect();
    crate::family::nik::check_nik(&nik, None, None, today, crate::region::Regions::shipped())
        .map_err(|e| e.with_field("proxy.nik"))?;
    let relation = crate::family::model::tidy(&p.relation);
    if relation.is_empty() {
        return Err(Error::invalid(
            "proxy.relation",
            "Hubungan wakil dengan keluarga wajib diisi.",
            "The proxy's relation to the family is required.",
        ));
    }
    if relation.chars().count() > 60 {
        return Err(Error::invalid(
            "proxy.relation",
            "Hubungan wakil paling banyak 60 huruf.",
            "The proxy's relation has at most 60 characters.",
        ));
    }
    Ok(ValidProxy {
        name,
        nik,
        relation,
    })
}

/// The day of a hand-over: as typed (default today in the facility's zone), never in the future.
pub fn parse_day(typed: Option<&str>, today: NaiveDate) -> Result<NaiveDate> {
    let d = match typed.map(str::trim).filter(|s| !s.is_empty()) {
        None => today,
        Some(s) => parse_date(s).ok_or_else(|| {
            Error::invalid(
                "date",
                format!("Tanggal serah terima '{s}' bukan tanggal (tulis seperti 16-11-2024)."),
                format!("The hand-over date '{s}' is not a date (write it like 16-11-2024)."),
            )
        })?,
    };
    crate::limits::check_date(d, d.max(today), "date")?;
    if d > today {
        return Err(Error::invalid(
            "date",
            format!(
                "Tanggal serah terima {} sesudah hari ini ({}); catat serah terima pada hari terjadinya.",
                locale::long_date(d, Lang::Id),
                locale::long_date(today, Lang::Id)
            ),
            format!(
                "The hand-over date {} is after today ({}); record a hand-over on the day it happened.",
                locale::long_date(d, Lang::En),
                locale::long_date(today, Lang::En)
            ),
        ));
    }
    Ok(d)
}

/// A hand-over cannot be dated before its event.
pub fn check_not_before_event(day: NaiveDate, event_date: &str) -> Result<()> {
    match parse_date(event_date) {
        Some(e) if day < e => Err(Error::invalid(
            "date",
            format!(
                "Tanggal serah terima {} sebelum tanggal kegiatan ({}).",
                locale::long_date(day, Lang::Id),
                locale::long_date(e, Lang::Id)
            ),
            format!(
                "The hand-over date {} is before the event's date ({}).",
                locale::long_date(day, Lang::En),
                locale::long_date(e, Lang::En)
            ),
        )),
        _ => Ok(()),
    }
}

pub fn not_approved() -> Error {
    Error::new(
        ErrorKind::Conflict,
        "Serah terima hanya untuk kegiatan yang sudah disetujui dan belum selesai.",
        "Hand-overs are only for an approved event that is not completed.",
    )
}

pub fn not_listed(family_id: i64) -> Error {
    let code = family_code(family_id);
    Error::new(
        ErrorKind::Conflict,
        format!("{code} tidak ada di daftar penerima kegiatan ini."),
        format!("{code} is not on this event's list."),
    )
    .with_field("family_id")
}

pub fn inactive(family_id: i64, reason: &str) -> Error {
    let code = family_code(family_id);
    Error::new(
        ErrorKind::Conflict,
        format!("{code} sudah nonaktif ({reason})."),
        format!("{code} is inactive ({reason})."),
    )
}

pub fn unverified(family_id: i64) -> Error {
    let code = family_code(family_id);
    Error::new(
        ErrorKind::Conflict,
        format!("{code} belum terverifikasi lagi sejak datanya diubah; minta Verifikator memeriksanya, lalu serahkan."),
        format!("{code} has not been verified again since its record was changed; ask the Verifikator to check it, then hand over."),
    )
    .with_field("family_id")
}

pub fn already_served(family_id: i64, bast_no: &str, date: &str) -> Error {
    let code = family_code(family_id);
    Error::new(
        ErrorKind::Conflict,
        format!("{code} sudah menerima bantuan periode ini: BAST {bast_no} tanggal {date}."),
        format!("{code} was already served this period: BAST {bast_no} of {date}."),
    )
}

pub fn already_void(bast_no: &str) -> Error {
    Error::new(
        ErrorKind::Conflict,
        format!("BAST {bast_no} sudah dibatalkan."),
        format!("BAST {bast_no} is already void."),
    )
}

pub fn void_reason(reason: &str) -> Result<String> {
    let r = crate::family::model::tidy(reason);
    if r.is_empty() {
        return Err(Error::invalid(
            "reason",
            "Tulis alasan pembatalan BAST.",
            "Write why the BAST is voided.",
        ));
    }
    crate::limits::check_text(
        "reason",
        &r,
        crate::limits::NOTE,
        ("Alasan pembatalan", "The reason for voiding"),
    )?;
    Ok(r)
}

/// "Jl. Melati 4 RT 002/RW 005, Kunden, Blora, Kabupaten Blora, Jawa Tengah"
pub fn address_line(f: &StoredFamily) -> String {
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
pub fn wbp_line(f: &StoredFamily) -> String {
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

/// The warning the desk shows for a lot that expires soon after the hand-over.
pub fn expiring_warning(l: &PlannedLot, lang: Lang) -> String {
    let (expiry, days) = (
        l.expiry.as_deref().and_then(parse_date),
        l.days_left.unwrap_or(0),
    );
    let when = expiry
        .map(|d| locale::long_date(d, lang))
        .unwrap_or_default();
    match lang {
        Lang::Id => format!(
            "{} lot {} kedaluwarsa {when} ({days} hari lagi): sampaikan kepada penerima.",
            l.item, l.lot_code
        ),
        Lang::En => format!(
            "{} lot {} expires {when} (in {days} days): tell the recipient.",
            l.item, l.lot_code
        ),
    }
}

//! Package templates and distribution events (SPEC §2 item 5): what a family receives, when and
//! where it is handed over, who may receive it, and whether the store holds enough.

pub mod db;

use crate::error::{Error, ErrorKind};
use crate::family::view::family_code;
use crate::locale::{self, Lang};
use crate::stock::FundingSource;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How often one family may be served: the facility's setting (`meta.period_rule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodRule {
    /// Once per calendar month (the default).
    #[default]
    CalendarMonth,
    /// No limit.
    None,
}

/// The period a date falls in: its key (stored with each hand-over, `2024-11`) and its days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub key: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl PeriodRule {
    pub fn parse(s: &str) -> Option<PeriodRule> {
        match s {
            "calendar_month" => Some(PeriodRule::CalendarMonth),
            "none" => Some(PeriodRule::None),
            _ => None,
        }
    }

    /// The period `d` falls in, or `None` when the rule sets no limit.
    pub fn period_of(self, d: NaiveDate) -> Option<Period> {
        match self {
            PeriodRule::None => None,
            PeriodRule::CalendarMonth => {
                let first = d.with_day(1)?;
                let next = if d.month() == 12 {
                    NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
                }?;
                Some(Period {
                    key: format!("{:04}-{:02}", d.year(), d.month()),
                    first,
                    last: next.pred_opt()?,
                })
            }
        }
    }
}

/// "November 2024" / "November 2024" — the month a period names, in the reader's language.
pub fn month_words(d: NaiveDate, lang: Lang) -> String {
    format!("{} {}", locale::month_name(d.month(), lang), d.year())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventKind {
    RutinBulanan,
    SerentakNasional,
    HariBesar,
    KunjunganRumah,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventStatus {
    Draft,
    Approved,
    Completed,
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateLineInput {
    pub item_id: i64,
    /// As typed ("5", "0,5"): per family, or per person when the template scales.
    pub quantity: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateInput {
    pub name: String,
    /// Quantities are per person, multiplied by the household size…
    pub per_person: bool,
    /// …counting at most this many people.
    pub cap_members: Option<u32>,
    pub lines: Vec<TemplateLineInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateLine {
    pub item_id: i64,
    pub item: String,
    pub unit: String,
    #[ts(type = "string")]
    pub quantity: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Template {
    pub id: i64,
    /// All versions of one template share the id of its first version.
    pub lineage: i64,
    pub version: i64,
    pub name: String,
    pub per_person: bool,
    pub cap_members: Option<u32>,
    pub retired: bool,
    /// Used by an event that is not cancelled: a change makes a new version.
    pub in_use: bool,
    pub lines: Vec<TemplateLine>,
    pub created_at: String,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Official {
    pub name: String,
    pub position: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventInput {
    /// ISO date of the hand-over.
    pub date: String,
    pub place: String,
    pub kind: EventKind,
    /// Stock of this funding source only; `None` = any.
    pub source: Option<FundingSource>,
    pub template_id: i64,
    pub officials: Vec<Official>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recipient {
    pub family_id: i64,
    pub code: String,
    pub head_name: String,
    pub members: i64,
    pub added_by: String,
    /// Still verified: a Petugas's edit after the event's approval puts the family back in draft,
    /// and the desk then refuses it until the Verifikator has looked again.
    pub verified: bool,
    /// Not retired from the registry (moved, died, merged) since it was planned.
    pub active: bool,
    /// People the template counts for this household (1 for a per-family template).
    pub people_counted: i64,
    /// What this family receives: the template's lines scaled to the household.
    pub package: Vec<TemplateLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Event {
    pub id: i64,
    pub date: String,
    pub place: String,
    pub kind: EventKind,
    pub source: Option<FundingSource>,
    pub template: Template,
    pub officials: Vec<Official>,
    pub note: String,
    pub status: EventStatus,
    pub created_by: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub cancel_reason: String,
    pub recipients: Vec<Recipient>,
}

/// One line of the events list (Penyaluran): what the list shows, with the planned families
/// counted, not listed (an event's recipients are read when it is opened).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventSummary {
    pub id: i64,
    pub date: String,
    pub place: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub template_name: String,
    pub template_version: i64,
    pub planned: i64,
}

/// Why a family may not be added to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IneligibleReason {
    NotVerified,
    Inactive,
    NoConsent,
    AlreadyPlanned,
    AlreadyServed,
}

/// Whether one family may be planned for an event, and if not, why (in the reader's language).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Eligibility {
    pub family_id: i64,
    pub reason: Option<IneligibleReason>,
    pub message: Option<String>,
}

/// One item of the shortage report: what the planned list needs against what the store holds.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShortageLine {
    pub item_id: i64,
    pub item: String,
    pub unit: String,
    #[ts(type = "string")]
    pub needed: Decimal,
    #[ts(type = "string")]
    pub available: Decimal,
    /// needed − available when positive, else zero.
    #[ts(type = "string")]
    pub short: Decimal,
    /// Stock of the item (and source) left out because it will be past its expiry on the
    /// event's date.
    #[ts(type = "string")]
    pub expired: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShortageReport {
    pub event_id: i64,
    pub recipients: i64,
    pub lines: Vec<ShortageLine>,
    /// Some item is short.
    pub short: bool,
}

/// The facts about a family that decide whether it may be planned for an event, read inside the
/// transaction that plans it.
pub struct Candidate<'a> {
    pub family_id: i64,
    pub active: bool,
    pub inactive_reason: &'a str,
    pub verified: bool,
    pub consented: bool,
    /// Another live event of the same period that already plans it: (event, date).
    pub planned_elsewhere: Option<(i64, String)>,
    /// A live hand-over of the same period: (BAST number, date).
    pub served: Option<(String, String)>,
}

/// Why `c` may not be planned for an event on `event_date`, if it may not: the rule, and an
/// error whose message names it.
pub fn ineligible(c: &Candidate, event_date: NaiveDate) -> Option<(IneligibleReason, Error)> {
    let code = family_code(c.family_id);
    let refuse = |r: IneligibleReason, id: String, en: String| {
        Some((
            r,
            Error::new(ErrorKind::Conflict, id, en).with_field("family_id"),
        ))
    };
    if !c.active {
        return refuse(
            IneligibleReason::Inactive,
            format!(
                "{code} tidak dapat ditambahkan: keluarga nonaktif ({}).",
                c.inactive_reason
            ),
            format!(
                "{code} cannot be added: the family is inactive ({}).",
                c.inactive_reason
            ),
        );
    }
    if !c.verified {
        return refuse(
            IneligibleReason::NotVerified,
            format!("{code} tidak dapat ditambahkan: belum diverifikasi."),
            format!("{code} cannot be added: not verified yet."),
        );
    }
    if !c.consented {
        return refuse(
            IneligibleReason::NoConsent,
            format!("{code} tidak dapat ditambahkan: persetujuan keluarga belum dicatat."),
            format!("{code} cannot be added: the family's consent is not recorded."),
        );
    }
    let (month, month_en) = (
        month_words(event_date, Lang::Id),
        month_words(event_date, Lang::En),
    );
    if let Some((no, date)) = &c.served {
        return refuse(
            IneligibleReason::AlreadyServed,
            format!("{code} tidak dapat ditambahkan: sudah menerima bantuan bulan {month} (BAST {no}, {date}); satu keluarga sekali per bulan."),
            format!("{code} cannot be added: already served in {month_en} (BAST {no}, {date}); one family once a month."),
        );
    }
    if let Some((eid, edate)) = &c.planned_elsewhere {
        return refuse(
            IneligibleReason::AlreadyPlanned,
            format!("{code} tidak dapat ditambahkan: sudah direncanakan di kegiatan #{eid} ({edate}); satu keluarga sekali per bulan ({month})."),
            format!("{code} cannot be added: already planned in event #{eid} ({edate}); one family once a month ({month_en})."),
        );
    }
    None
}

/// A template as typed, checked: its name, scaling and (item, thousandths) lines.
pub struct ValidTemplate {
    pub name: String,
    pub per_person: bool,
    pub cap_members: Option<u32>,
    pub lines: Vec<(i64, i64)>,
}

/// Checks a template against the item catalogue (`items`).
pub fn validate_template(
    t: &TemplateInput,
    items: &[crate::stock::Item],
    lang: Lang,
) -> crate::error::Result<ValidTemplate> {
    let name = crate::family::model::tidy(&t.name);
    crate::limits::check_text(
        "name",
        &name,
        crate::limits::NAME,
        ("Nama paket", "The package's name"),
    )?;
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
    let most = crate::limits::PACKAGE_ITEMS;
    if t.lines.len() > most {
        return Err(Error::invalid(
            "lines",
            format!(
                "Satu paket paling banyak {most} barang (BAST-nya memuat semuanya di satu halaman); tertulis {}.",
                t.lines.len()
            ),
            format!(
                "A package has at most {most} items (its BAST holds them all on one page); it has {}.",
                t.lines.len()
            ),
        ));
    }
    let mut lines: Vec<(i64, i64)> = Vec::new();
    for (i, l) in t.lines.iter().enumerate() {
        let f = format!("line.{i}.quantity");
        let field = format!("line.{i}.item_id");
        let it = items.iter().find(|it| it.id == l.item_id).ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("Barang #{} tidak ada.", l.item_id),
                format!("There is no item #{}.", l.item_id),
            )
            .with_field(&field)
        })?;
        if it.retired {
            return Err(Error::invalid(
                &field,
                format!("{} sudah tidak dipakai.", it.name),
                format!("{} is retired.", it.name),
            ));
        }
        if lines.iter().any(|(id, _)| *id == l.item_id) {
            return Err(Error::invalid(
                &field,
                format!("{} sudah ada di paket ini.", it.name),
                format!("{} is already in this package.", it.name),
            ));
        }
        let q = crate::stock::parse_qty(&l.quantity, &f, lang)?;
        if q <= Decimal::ZERO {
            return Err(Error::invalid(
                &f,
                "Jumlah harus lebih dari nol.",
                "The quantity must be more than zero.",
            ));
        }
        lines.push((l.item_id, crate::stock::to_milli(q, &f)?));
    }
    Ok(ValidTemplate {
        name,
        per_person: t.per_person,
        cap_members: t.cap_members,
        lines,
    })
}

/// Refuses a use case that needs the event in `want` status; `what_*` says what was tried.
pub fn require_status(
    have: EventStatus,
    want: &[EventStatus],
    id: &str,
    en: &str,
) -> crate::error::Result<()> {
    if want.contains(&have) {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::Conflict, id, en))
    }
}

/// The refusal of an approval while stock is short, naming each short item and by how much.
pub fn short_error(report: &ShortageReport) -> Error {
    let list = |lang: Lang, word: &str| {
        report
            .lines
            .iter()
            .filter(|l| l.short > Decimal::ZERO)
            .map(|l| {
                format!(
                    "{} {word} {} {}",
                    l.item,
                    locale::decimal(l.short, lang),
                    l.unit
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    Error::new(
        ErrorKind::Conflict,
        format!(
            "Stok belum cukup untuk semua penerima: {}.",
            list(Lang::Id, "kurang")
        ),
        format!(
            "Not enough stock for every recipient: {}.",
            list(Lang::En, "short by")
        ),
    )
}

/// The shortage report of an event: what the whole planned list needs of each template item
/// against what is usable on the event's date. `stock(item)` gives (usable, expired) thousandths.
pub fn shortage(
    e: &Event,
    mut stock: impl FnMut(i64) -> crate::error::Result<(i64, i64)>,
) -> crate::error::Result<ShortageReport> {
    let mut lines = Vec::new();
    for l in &e.template.lines {
        let per = crate::stock::to_milli(l.quantity, "quantity")?;
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
        let (available, expired) = stock(l.item_id)?;
        lines.push(ShortageLine {
            item_id: l.item_id,
            item: l.item.clone(),
            unit: l.unit.clone(),
            needed: crate::stock::from_milli(needed),
            available: crate::stock::from_milli(available),
            short: crate::stock::from_milli((needed - available).max(0)),
            expired: crate::stock::from_milli(expired),
        });
    }
    let short = lines.iter().any(|l| l.short > Decimal::ZERO);
    Ok(ShortageReport {
        event_id: e.id,
        recipients: e.recipients.len() as i64,
        lines,
        short,
    })
}

/// How many people a template counts for a household: one for a per-family template, else the
/// members (at least one) up to the cap.
pub fn people_counted(per_person: bool, cap: Option<u32>, members: i64) -> i64 {
    if !per_person {
        return 1;
    }
    members.max(1).min(i64::from(cap.unwrap_or(u32::MAX)))
}

/// What one family receives from a template: per family, or per person up to the cap.
pub fn family_quantity(qty_milli: i64, per_person: bool, cap: Option<u32>, members: i64) -> i64 {
    qty_milli * people_counted(per_person, cap, members)
}

impl Template {
    /// The template's lines as one household of `members` people receives them.
    pub fn for_household(&self, members: i64) -> Vec<TemplateLine> {
        let people = Decimal::from(people_counted(self.per_person, self.cap_members, members));
        self.lines
            .iter()
            .map(|l| TemplateLine {
                quantity: l.quantity * people,
                ..l.clone()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn scaling_by_household_is_capped() {
        assert_eq!(super::family_quantity(2500, false, None, 7), 2500);
        assert_eq!(super::family_quantity(2500, true, Some(5), 7), 12500);
        assert_eq!(super::family_quantity(2500, true, Some(5), 3), 7500);
        assert_eq!(super::family_quantity(2500, true, None, 0), 2500);
    }

    #[test]
    fn a_household_gets_the_lines_scaled_exactly() {
        use rust_decimal::Decimal;
        use std::str::FromStr;
        let t = super::Template {
            id: 1,
            lineage: 1,
            version: 1,
            name: "Paket".into(),
            per_person: true,
            cap_members: Some(4),
            retired: false,
            in_use: false,
            lines: vec![super::TemplateLine {
                item_id: 1,
                item: "Beras".into(),
                unit: "kg".into(),
                quantity: Decimal::from_str("2.5").unwrap(),
            }],
            created_at: String::new(),
            created_by: String::new(),
        };
        assert_eq!(
            t.for_household(3)[0].quantity,
            Decimal::from_str("7.5").unwrap()
        );
        assert_eq!(t.for_household(9)[0].quantity, Decimal::from(10));
        let per_family = super::Template {
            per_person: false,
            ..t
        };
        assert_eq!(
            per_family.for_household(9)[0].quantity,
            Decimal::from_str("2.5").unwrap()
        );
    }
}

//! Monthly closing (*tutup buku*), reopening and the monthly report (SPEC §2 item 7).

use super::{App, ANYONE};
use crate::audit::Entry;
use crate::db::Tx as Transaction;
use crate::error::{Error, ErrorKind, Result};
use crate::locale::{self, Lang, TimeZone};
use crate::month::report::{self, MonthlyReport, ReportFacility};
use crate::month::{
    self, db as mdb, CheckKind, CheckLevel, CheckPoint, CheckRecord, Checklist, Closing, Month,
    MonthLine, MonthOverview,
};
use crate::progress::{Stage, Work};
use crate::staff::Role;
use chrono::{NaiveDate, TimeZone as _};

const HEAD: &[Role] = &[Role::KepalaUpt];

/// The UTC stamp at which a local day begins.
pub(super) fn day_start_utc(d: NaiveDate, tz: TimeZone) -> String {
    let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    match tz.offset().from_local_datetime(&local).single() {
        Some(t) => super::stamp(t.with_timezone(&chrono::Utc)),
        None => format!("{d}T00:00:00Z"),
    }
}

fn day_words(date: &str, lang: Lang) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| locale::long_date(d, lang))
        .unwrap_or_else(|_| date.to_owned())
}

fn event_label(id: i64, date: &str, place: &str, lang: Lang) -> String {
    let day = day_words(date, lang);
    match lang {
        Lang::Id => format!("Kegiatan #{id}, {day}, {place}"),
        Lang::En => format!("Event #{id}, {day}, {place}"),
    }
}

/// The months from the facility's first to the current one, and where each stands.
pub(super) fn month_lines(conn: &crate::db::Db, today: NaiveDate) -> Result<Vec<MonthLine>> {
    let closings = mdb::latest_closings(conn)?;
    let first = mdb::first_month(conn)?
        .as_deref()
        .and_then(Month::parse)
        .unwrap_or_else(|| Month::of(today));
    let first = closings
        .first()
        .and_then(|c| Month::parse(&c.period))
        .map_or(first, |c| c.min(first));
    let current = Month::of(today);
    let latest_closed = closings.last().and_then(|c| Month::parse(&c.period));
    let latest_reopened = closings.last().is_some_and(|c| c.reopened_at.is_some());
    let next_to_close = match latest_closed {
        None => first,
        Some(m) if latest_reopened => m,
        Some(m) => m.next(),
    };
    let mut lines = Vec::new();
    let mut m = first;
    while m <= current {
        let closing = closings.iter().find(|c| c.period == m.key()).cloned();
        let state = month::state_of(m, closing.as_ref(), today);
        lines.push(MonthLine {
            period: m.key(),
            state,
            can_close: m == next_to_close && m < current,
            can_reopen: Some(m) == latest_closed && !latest_reopened,
            closing,
        });
        m = m.next();
    }
    Ok(lines)
}

/// The checklist of month `m` read from `conn` (the closing's transaction, inside one).
fn checklist_in(
    conn: &crate::db::Db,
    m: Month,
    tz: TimeZone,
    today: NaiveDate,
) -> Result<Checklist> {
    let mut points = Vec::new();
    if m >= Month::of(today) {
        points.push(CheckPoint {
            level: CheckLevel::Blocking,
            kind: CheckKind::NotEnded,
            id: format!(
                "Bulan {} belum berakhir; tutup buku dilakukan setelah tanggal terakhirnya.",
                m.words(Lang::Id)
            ),
            en: format!(
                "{} has not ended yet; a month is closed after its last day.",
                m.words(Lang::En)
            ),
            total: 0,
            records: Vec::new(),
        });
    }
    let lines = month_lines(conn, today)?;
    let earlier: Vec<CheckRecord> = lines
        .iter()
        .filter(|l| {
            l.period < m.key()
                && matches!(
                    l.state,
                    month::MonthState::Open | month::MonthState::Reopened
                )
        })
        .map(|l| CheckRecord {
            kind: "month".into(),
            id: 0,
            label: l.period.clone(),
            label_en: l.period.clone(),
        })
        .collect();
    if !earlier.is_empty() {
        let names: Vec<String> = earlier
            .iter()
            .filter_map(|r| Month::parse(&r.label))
            .map(|x| x.words(Lang::Id))
            .collect();
        let names_en: Vec<String> = earlier
            .iter()
            .filter_map(|r| Month::parse(&r.label))
            .map(|x| x.words(Lang::En))
            .collect();
        points.push(CheckPoint {
            level: CheckLevel::Blocking,
            kind: CheckKind::EarlierMonthOpen,
            id: format!(
                "Bulan sebelumnya belum ditutup: {}. Bulan ditutup berurutan, tidak ada yang dilewati.",
                names.join(", ")
            ),
            en: format!(
                "Earlier months are not closed: {}. Months close in order, none skipped.",
                names_en.join(", ")
            ),
            total: 0,
            records: earlier,
        });
    }
    let events = mdb::unfinished_events(conn, m)?;
    if !events.is_empty() {
        points.push(CheckPoint {
            level: CheckLevel::Blocking,
            kind: CheckKind::EventNotFinished,
            id: format!(
                "{} kegiatan bulan ini masih draf atau disetujui: selesaikan (atau batalkan) dulu.",
                events.len()
            ),
            en: format!(
                "{} event(s) of this month are still draft or approved: complete (or cancel) them first.",
                events.len()
            ),
            total: 0,
            records: events
                .iter()
                .map(|(id, date, place, _)| CheckRecord {
                    kind: "event".into(),
                    id: *id,
                    label: event_label(*id, date, place, Lang::Id),
                    label_en: event_label(*id, date, place, Lang::En),
                })
                .collect(),
        });
    }
    let until = day_start_utc(m.next().first(), tz);
    let adjustments = mdb::pending_adjustments(conn, &until)?;
    if !adjustments.is_empty() {
        points.push(CheckPoint {
            level: CheckLevel::Blocking,
            kind: CheckKind::AdjustmentPending,
            id: format!(
                "{} penyesuaian stok menunggu persetujuan verifikator.",
                adjustments.len()
            ),
            en: format!(
                "{} stock adjustment(s) wait for a verifikator's approval.",
                adjustments.len()
            ),
            total: 0,
            records: adjustments
                .iter()
                .map(|(id, item, _)| CheckRecord {
                    kind: "adjustment".into(),
                    id: *id,
                    label: format!("Penyesuaian #{id} {item}"),
                    label_en: format!("Adjustment #{id} {item}"),
                })
                .collect(),
        });
    }
    let opnames = mdb::counting_opnames(conn, m)?;
    if !opnames.is_empty() {
        points.push(CheckPoint {
            level: CheckLevel::Blocking,
            kind: CheckKind::OpnameCounting,
            id: "Stock opname masih dihitung atau menunggu persetujuan.".into(),
            en: "A stock opname is still being counted or waits for approval.".into(),
            total: 0,
            records: opnames
                .iter()
                .map(|(id, date)| CheckRecord {
                    kind: "opname".into(),
                    id: *id,
                    label: format!("Stock opname #{id}, {}", day_words(date, Lang::Id)),
                    label_en: format!("Stock-take #{id}, {}", day_words(date, Lang::En)),
                })
                .collect(),
        });
    }
    let (unscanned, proxy) = mdb::handovers_to_look_at(conn, m)?;
    let bast = |v: &[(i64, String)]| -> Vec<CheckRecord> {
        v.iter()
            .map(|(id, no)| CheckRecord {
                kind: "handover".into(),
                id: *id,
                label: no.clone(),
                label_en: no.clone(),
            })
            .collect()
    };
    if !unscanned.is_empty() {
        points.push(CheckPoint {
            level: CheckLevel::Warning,
            kind: CheckKind::HandoverWithoutScan,
            id: format!(
                "{} BAST belum dilampiri pindaian kertas yang ditandatangani.",
                unscanned.len()
            ),
            en: format!(
                "{} BAST(s) have no scan of the signed paper attached.",
                unscanned.len()
            ),
            total: 0,
            records: bast(&unscanned),
        });
    }
    if !proxy.is_empty() {
        points.push(CheckPoint {
            level: CheckLevel::Info,
            kind: CheckKind::HandoverToProxy,
            id: format!("{} paket diterima oleh wakil keluarga.", proxy.len()),
            en: format!("{} package(s) were received by a proxy.", proxy.len()),
            total: 0,
            records: bast(&proxy),
        });
    }
    for p in &mut points {
        p.total = u32::try_from(p.records.len()).unwrap_or(u32::MAX);
        p.records.truncate(month::RECORDS_SHOWN);
    }
    let nihil = !mdb::any_served(conn, m)?;
    Ok(Checklist {
        period: m.key(),
        ready: !points.iter().any(|p| p.level == CheckLevel::Blocking),
        points,
        nihil,
    })
}

/// The refusal of a closing the checklist blocks, naming every blocking point.
fn blocked(m: Month, c: &Checklist) -> Error {
    let id: Vec<String> = c.blocking().map(|p| p.id.clone()).collect();
    let en: Vec<String> = c.blocking().map(|p| p.en.clone()).collect();
    Error::new(
        ErrorKind::Conflict,
        format!(
            "Bulan {} belum dapat ditutup: {}",
            m.words(Lang::Id),
            id.join(" ")
        ),
        format!(
            "{} cannot be closed yet: {}",
            m.words(Lang::En),
            en.join(" ")
        ),
    )
}

impl App {
    /// The months from the facility's first to the current one, with their state.
    pub fn months(&mut self) -> Result<Vec<MonthLine>> {
        self.guard(ANYONE)?;
        let today = self.today_local()?;
        month_lines(&self.conn, today)
    }

    /// Tutup Buku as it opens: the months with their state, and the checklist of the month that
    /// may be closed now (the one the screen chooses first), when there is one.
    pub fn month_overview(&mut self) -> Result<MonthOverview> {
        self.guard(ANYONE)?;
        let today = self.today_local()?;
        let months = month_lines(&self.conn, today)?;
        let checklist = match months
            .iter()
            .find(|l| l.can_close)
            .and_then(|l| Month::parse(&l.period))
        {
            Some(m) => {
                let tz = Self::settings_in(&self.conn)?.time_zone;
                Some(checklist_in(&self.conn, m, tz, today)?)
            }
            None => None,
        };
        Ok(MonthOverview { months, checklist })
    }

    /// What stands between a month and its closing (blocking), and what is worth a look.
    pub fn month_checklist(&mut self, period: &str) -> Result<Checklist> {
        self.guard(ANYONE)?;
        let m = Month::parse_or_refuse(period)?;
        let tz = Self::settings_in(&self.conn)?.time_zone;
        let today = self.today_local()?;
        checklist_in(&self.conn, m, tz, today)
    }

    /// Refuses a write dated `date` when its month is closed, naming the month, who closed it
    /// and when (read inside the writing transaction).
    pub(super) fn ensure_month_open(tx: &Transaction, date: &str) -> Result<()> {
        match mdb::lock_of(tx, date)? {
            Some(lock) => Err(month::closed_refusal(
                &lock,
                Self::settings_in(tx)?.time_zone,
            )),
            None => Ok(()),
        }
    }

    /// Closes a month (Kepala UPT): checks it has ended, that it is the next in order and that
    /// nothing blocks it, then in one transaction computes its report, renders it, stores the
    /// report with its hashes, the audit chain's head and the control totals, and locks it.
    pub fn close_month(&mut self, period: &str) -> Result<Closing> {
        self.guard(HEAD)?;
        self.facility_mode()?;
        let m = Month::parse_or_refuse(period)?;
        let today = self.today_local()?;
        if m >= Month::of(today) {
            return Err(month::not_ended(m));
        }
        let me = self.me.full_name.clone();
        let logo = self.logo_for_pdf()?;
        let key = self.key.clone();
        let progress = self.reporter(Work::CloseMonth, 5);
        self.tx(|tx, at, actor| {
            progress.stage(0, Stage::Checklist);
            let settings = Self::settings_in(tx)?;
            let tz = settings.time_zone;
            let latest = mdb::latest_closing(tx, &m.key())?;
            if let Some(c) = &latest {
                if c.reopened_at.is_none() {
                    return Err(already_closed(m, c, tz));
                }
            }
            let lines = month_lines(tx, today)?;
            let line = lines.iter().find(|l| l.period == m.key());
            match line {
                Some(l) if l.can_close => {}
                Some(_) | None => {
                    // Not next in order: name the month that is.
                    let next = lines.iter().find(|l| l.can_close).map(|l| l.period.clone());
                    return Err(out_of_order(
                        m,
                        next.as_deref(),
                        lines.first().map(|l| l.period.as_str()),
                    ));
                }
            }
            let checklist = checklist_in(tx, m, tz, today)?;
            if !checklist.ready {
                return Err(blocked(m, &checklist));
            }
            let revision = latest.as_ref().map_or(1, |c| c.revision + 1);
            let f = crate::facility::db::load(tx)?.facility.profile;
            let facility = ReportFacility {
                name: f.name.clone(),
                kind: f.kind.long_name().to_owned(),
                class: f.class.clone(),
                code: f.code.clone(),
                province: f.province.clone(),
                kanwil: f.kanwil.clone(),
                address: f.address.clone(),
                head_name: f.head_name.clone(),
                head_nip: f.head_nip.clone(),
                time_zone: tz.code().to_owned(),
            };
            let window = (
                day_start_utc(m.first(), tz),
                day_start_utc(m.next().first(), tz),
            );
            progress.stage(1, Stage::Report);
            let report =
                report::compute(tx, m, facility, revision, at, &me, (&window.0, &window.1))?;
            check_opening(tx, m, &report)?;
            let bytes = report.to_bytes()?;
            progress.stage(2, Stage::Pdf);
            let pdf = crate::pdf::monthly::report_pdf(&report, logo.as_ref())?;
            progress.stage(3, Stage::Xlsx);
            let xlsx = crate::month::xlsx::report_xlsx(&report)?;
            let totals = serde_json::to_string(&report.totals).map_err(Error::internal)?;
            let head = mdb::audit_head(tx)?;
            mdb::insert_closing(
                tx,
                &mdb::NewClosing {
                    period: &m.key(),
                    revision,
                    nihil: report.nihil,
                    at,
                    by: actor,
                    by_name: &me,
                    audit_head: &head,
                    totals: &totals,
                    report: &bytes,
                    pdf: &pdf,
                    xlsx: &xlsx,
                },
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("month.close", "month", m.key()).after(&serde_json::json!({
                    "revision": revision,
                    "nihil": report.nihil,
                    "report_sha256": month::sha256_hex(&bytes),
                    "pdf_sha256": month::sha256_hex(&pdf),
                    "xlsx_sha256": month::sha256_hex(&xlsx),
                    "audit_head": head,
                    "totals": report.totals,
                })),
            )?;
            // Enrolled: the month's bundle is made and stored in this same transaction.
            progress.stage(4, Stage::Bundle);
            App::make_pending_bundles(tx, &key, at, actor)?;
            let c = mdb::latest_closing(tx, &m.key())?
                .ok_or_else(|| Error::internal("the closing just written is missing"))?;
            progress.step(5);
            Ok(c)
        })
    }

    /// Reopens the latest closed month (Kepala UPT, with a reason). Its records can be changed
    /// again; closing it again makes the next revision of its report.
    pub fn reopen_month(&mut self, period: &str, reason: &str) -> Result<Closing> {
        self.guard(HEAD)?;
        self.facility_mode()?;
        let m = Month::parse_or_refuse(period)?;
        let reason = month::reopen_reason(reason)?;
        self.tx(|tx, at, actor| {
            let closings = mdb::latest_closings(tx)?;
            let Some(latest) = closings.last() else {
                return Err(not_closed(m));
            };
            let this = closings.iter().find(|c| c.period == m.key());
            match this {
                None => return Err(not_closed(m)),
                Some(c) if c.reopened_at.is_some() => {
                    return Err(Error::new(
                        ErrorKind::Conflict,
                        format!("Bulan {} sudah dibuka kembali.", m.words(Lang::Id)),
                        format!("{} is already reopened.", m.words(Lang::En)),
                    ))
                }
                Some(_) if latest.period != m.key() => {
                    let last = Month::parse(&latest.period).unwrap_or(m);
                    return Err(Error::new(
                        ErrorKind::Conflict,
                        format!(
                            "Hanya bulan terakhir yang ditutup ({}) yang dapat dibuka kembali. Koreksi untuk {} dicatat di bulan berjalan.",
                            last.words(Lang::Id),
                            m.words(Lang::Id)
                        ),
                        format!(
                            "Only the latest closed month ({}) can be reopened. Corrections to {} are recorded in the current month.",
                            last.words(Lang::En),
                            m.words(Lang::En)
                        ),
                    ));
                }
                Some(_) => {}
            }
            if !mdb::reopen(tx, &m.key(), at, actor, &reason)? {
                return Err(not_closed(m));
            }
            let c = mdb::latest_closing(tx, &m.key())?
                .ok_or_else(|| Error::internal("the reopened closing is missing"))?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("month.reopen", "month", m.key())
                    .before(&serde_json::json!({ "revision": c.revision, "closed": true }))
                    .after(&serde_json::json!({ "closed": false, "reason": reason })),
            )?;
            Ok(c)
        })
    }

    /// The stored report of a closed month (its latest revision, or the one asked for).
    pub fn month_report(&mut self, period: &str, revision: Option<u32>) -> Result<MonthlyReport> {
        self.guard(ANYONE)?;
        let m = Month::parse_or_refuse(period)?;
        let s = self.stored_or_refuse(m, revision)?;
        MonthlyReport::from_bytes(&s.report)
    }

    /// The stored PDF and XLSX of a closed month's report: the same bytes every time.
    pub fn month_report_files(
        &mut self,
        period: &str,
        revision: Option<u32>,
    ) -> Result<(Vec<u8>, Vec<u8>)> {
        self.guard(ANYONE)?;
        let m = Month::parse_or_refuse(period)?;
        let s = self.stored_or_refuse(m, revision)?;
        Ok((s.pdf, s.xlsx))
    }

    /// A closed month's stored report, or the refusal that says why there is none: the month is
    /// not closed, or it has no such revision (naming the ones it has).
    fn stored_or_refuse(&self, m: Month, revision: Option<u32>) -> Result<mdb::Stored> {
        if let Some(s) = mdb::stored(&self.conn, &m.key(), revision)? {
            return Ok(s);
        }
        match (revision, mdb::latest_closing(&self.conn, &m.key())?) {
            (Some(r), Some(latest)) => Err(month::no_revision(m, r, latest.revision)),
            _ => Err(not_closed(m)),
        }
    }
}

/// The opening stock of each item is the closing of the month before, as that month's stored
/// report has it (when there is one).
fn check_opening(tx: &Transaction, m: Month, report: &MonthlyReport) -> Result<()> {
    let Some(prev) = mdb::stored(tx, &m.prev().key(), None)? else {
        return Ok(());
    };
    let prev = MonthlyReport::from_bytes(&prev.report)?;
    let closing = |code: &str| {
        prev.items
            .iter()
            .find(|i| i.code == code)
            .map_or(rust_decimal::Decimal::ZERO, |i| i.closing)
    };
    let opening = |code: &str| {
        report
            .items
            .iter()
            .find(|i| i.code == code)
            .map_or(rust_decimal::Decimal::ZERO, |i| i.opening)
    };
    for code in prev
        .items
        .iter()
        .map(|i| i.code.as_str())
        .chain(report.items.iter().map(|i| i.code.as_str()))
    {
        if closing(code) != opening(code) {
            return Err(Error::new(
                ErrorKind::Corrupt,
                format!(
                    "Saldo awal {code} bulan {} ({}) tidak sama dengan saldo akhir bulan sebelumnya ({}). Buku stok berubah di bulan yang sudah ditutup; periksa dengan `bansos stock verify`.",
                    m.words(Lang::Id), opening(code), closing(code)
                ),
                format!(
                    "The opening stock of {code} in {} ({}) is not the previous month's closing ({}). The ledger changed in a closed month; check with `bansos stock verify`.",
                    m.words(Lang::En), opening(code), closing(code)
                ),
            ));
        }
    }
    Ok(())
}

fn already_closed(m: Month, c: &Closing, tz: TimeZone) -> Error {
    let at = chrono::DateTime::parse_from_rfc3339(&c.closed_at)
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok();
    let when = |lang| {
        at.map(|t| locale::date_time(t, tz, lang))
            .unwrap_or_default()
    };
    Error::new(
        ErrorKind::Conflict,
        format!(
            "Bulan {} sudah ditutup oleh {} pada {}.",
            m.words(Lang::Id),
            c.closed_by_name,
            when(Lang::Id)
        ),
        format!(
            "{} was already closed by {} on {}.",
            m.words(Lang::En),
            c.closed_by_name,
            when(Lang::En)
        ),
    )
}

fn not_closed(m: Month) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("Bulan {} belum ditutup.", m.words(Lang::Id)),
        format!("{} has not been closed.", m.words(Lang::En)),
    )
}

fn out_of_order(m: Month, next: Option<&str>, first: Option<&str>) -> Error {
    let next = next.and_then(Month::parse);
    let first = first.and_then(Month::parse);
    if let Some(f) = first {
        if m < f {
            return Error::new(
                ErrorKind::Conflict,
                format!(
                    "Bulan {} sebelum bulan pertama UPT ini ({}); tidak ada yang ditutup.",
                    m.words(Lang::Id),
                    f.words(Lang::Id)
                ),
                format!(
                    "{} is before this facility's first month ({}); there is nothing to close.",
                    m.words(Lang::En),
                    f.words(Lang::En)
                ),
            );
        }
    }
    match next {
        Some(n) => Error::new(
            ErrorKind::Conflict,
            format!("Bulan ditutup berurutan: tutup {} dulu.", n.words(Lang::Id)),
            format!("Months close in order: close {} first.", n.words(Lang::En)),
        ),
        None => Error::new(
            ErrorKind::Conflict,
            format!("Bulan {} belum dapat ditutup.", m.words(Lang::Id)),
            format!("{} cannot be closed yet.", m.words(Lang::En)),
        ),
    }
}

/// A public summary made and signed, as both files.
#[derive(Debug, Clone)]
pub struct SummaryFiles {
    pub summary: crate::month::summary::PublicSummary,
    pub pdf: Vec<u8>,
    pub html: String,
}

/// One row of a public summary as printed: a label, its figure ("12", "< 5", "—"), and whether
/// it is a part of the row above (indented).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SummaryRow {
    pub label: String,
    pub value: String,
    pub part: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SummarySection {
    pub title: String,
    pub rows: Vec<SummaryRow>,
}

/// What a public summary says, as its PDF and HTML print it ([`crate::month::summary::words`]:
/// Bahasa Indonesia, the language of the facility's public page), for the window to show.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SummaryWords {
    /// Ministry, Kanwil, facility.
    pub letterhead: Vec<String>,
    pub title: String,
    pub scope: String,
    pub nihil: Option<String>,
    pub sections: Vec<SummarySection>,
    pub notes: Vec<String>,
}

impl SummaryWords {
    pub fn of(s: &crate::month::summary::PublicSummary) -> SummaryWords {
        let w = crate::month::summary::words(s);
        SummaryWords {
            letterhead: w.letterhead,
            title: w.title,
            scope: w.scope,
            nihil: w.nihil,
            sections: w
                .sections
                .into_iter()
                .map(|x| SummarySection {
                    title: x.title,
                    rows: x
                        .rows
                        .into_iter()
                        .map(|r| SummaryRow {
                            label: r.label,
                            value: r.value,
                            part: r.part,
                        })
                        .collect(),
                })
                .collect(),
            notes: w.notes,
        }
    }
}

impl App {
    /// Signs a summary's statement with the facility key and renders both files; with the
    /// public key it was signed with, which the audit entry's transaction checks is still the
    /// facility's (`key_still_current`).
    fn summary_files(
        &self,
        s: crate::month::summary::PublicSummary,
    ) -> Result<(SummaryFiles, [u8; 32])> {
        let key = self.signer()?;
        let public = key.verifying_key().to_bytes();
        let statement = s.statement()?;
        let sig = crate::sign::sign(
            &key,
            crate::sign::Kind::Summary,
            statement.body().as_bytes(),
        );
        let qr = statement.qr_text(&sig);
        let logo = self.logo_for_pdf()?;
        let files = SummaryFiles {
            pdf: crate::pdf::summary::summary_pdf(&s, &qr, logo.as_ref())?,
            html: crate::month::summary_html::html(&s, &qr)?,
            summary: s,
        };
        Ok((files, public))
    }

    /// Refuses, inside the transaction that records a summary, one signed with a key another
    /// desk has retired meanwhile (`rotate_key`): it would be handed out under an old key.
    fn key_still_current(tx: &Transaction, public: &[u8; 32]) -> Result<()> {
        let now = crate::facility::db::load(tx)?.facility.public_key_hex;
        if !now.eq_ignore_ascii_case(&hex::encode(public)) {
            return Err(Error::new(
                ErrorKind::Conflict,
                "Kunci tanda tangan UPT baru saja diganti di meja lain; ringkasan belum dibuat. Coba lagi.",
                "The facility's signing key was just changed at another desk; the summary was not made. Try again.",
            ));
        }
        Ok(())
    }

    /// A closed month's summary data, from its stored report (the same figures every time), and
    /// the report's revision.
    fn month_summary(&self, m: Month) -> Result<(crate::month::summary::PublicSummary, u32)> {
        // A reopened month's figures are being corrected: nothing signed for the public until
        // it is closed again.
        if mdb::latest_closing(&self.conn, &m.key())?.is_some_and(|c| c.reopened_at.is_some()) {
            return Err(month::reopened_for_correction(m));
        }
        let stored = mdb::stored(&self.conn, &m.key(), None)?.ok_or_else(|| not_closed(m))?;
        let report = MonthlyReport::from_bytes(&stored.report)?;
        let kind = crate::facility::db::load(&self.conn)?.facility.profile.kind;
        Ok((
            crate::month::summary::of_month(&report, kind.long_name()),
            report.revision,
        ))
    }

    /// What a closed month's public summary says, in the words and order its PDF and HTML
    /// print, for the window's preview. Nothing is signed or leaves the PC, so nothing is logged.
    pub fn public_summary_month_words(&mut self, period: &str) -> Result<SummaryWords> {
        self.guard(ANYONE)?;
        let m = Month::parse_or_refuse(period)?;
        let (s, _) = self.month_summary(m)?;
        Ok(SummaryWords::of(&s))
    }

    /// The public summary of a closed month (from its stored report: the same figures every
    /// time), signed, as PDF and HTML. Recorded in the audit log.
    pub fn public_summary_month(&mut self, period: &str) -> Result<SummaryFiles> {
        self.guard(ANYONE)?;
        let m = Month::parse_or_refuse(period)?;
        let (s, revision) = self.month_summary(m)?;
        let (files, public) = self.summary_files(s)?;
        self.tx(|tx, at, actor| {
            App::key_still_current(tx, &public)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("report.public_summary", "month", m.key()).after(&serde_json::json!({
                    "revision": revision,
                    "data_sha256": month::sha256_hex(&files.summary.to_bytes()?),
                })),
            )?;
            Ok(())
        })?;
        Ok(files)
    }

    /// The public summary of one completed event, signed, as PDF and HTML.
    pub fn public_summary_event(&mut self, event_id: i64) -> Result<SummaryFiles> {
        self.guard(ANYONE)?;
        let mdb::EventForSummary {
            date,
            place,
            kind,
            status,
            closed_at: completed_at,
        } = mdb::event_for_summary(&self.conn, event_id)?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("Kegiatan #{event_id} tidak ada."),
                format!("Event #{event_id} does not exist."),
            )
        })?;
        let completed_at = match (status.as_str(), completed_at) {
            ("completed", Some(t)) => t,
            _ => {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("Kegiatan #{event_id} belum selesai: ringkasan publik dibuat setelah kegiatan diselesaikan."),
                    format!("Event #{event_id} is not completed: a public summary is made once the event is completed."),
                ))
            }
        };
        let served = report::Served::of(&mdb::event_served(&self.conn, event_id)?);
        let f = crate::facility::db::load(&self.conn)?.facility.profile;
        let tz = Self::settings_in(&self.conn)?.time_zone;
        let figures = crate::month::summary::EventFigures {
            id: event_id,
            date,
            place,
            kind: crate::family::model::from_code(&kind)
                .unwrap_or(crate::distribution::EventKind::RutinBulanan),
            counts: crate::month::summary::Counts {
                families: served.families,
                wbp: served.keluarga_wbp,
                sekitar: served.masyarakat_sekitar,
                packages: served.packages,
                to_proxy: served.to_proxy,
            },
            items: mdb::event_items(&self.conn, event_id)?
                .into_iter()
                .map(|(n, u, q)| (n, u, crate::stock::from_milli(q)))
                .collect(),
            completed_at,
        };
        let facility = crate::month::summary::SummaryFacility {
            code: f.code.clone(),
            name: f.name.clone(),
            kind: f.kind.long_name().to_owned(),
            province: f.province.clone(),
            kanwil: f.kanwil.clone(),
            time_zone: tz.code().to_owned(),
        };
        let (files, public) =
            self.summary_files(crate::month::summary::of_event(figures, facility))?;
        self.tx(|tx, at, actor| {
            App::key_still_current(tx, &public)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("report.public_summary", "event", event_id).after(&serde_json::json!({
                    "data_sha256": month::sha256_hex(&files.summary.to_bytes()?),
                })),
            )?;
            Ok(())
        })?;
        Ok(files)
    }

    /// Checks a public summary file (PDF or HTML) against this facility's key.
    pub fn verify_summary(&mut self, bytes: &[u8]) -> Result<crate::month::summary::SummaryCheck> {
        self.guard(ANYONE)?;
        let f = crate::facility::db::load(&self.conn)?.facility;
        let own: Option<ed25519_dalek::VerifyingKey> = hex::decode(&f.public_key_hex)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .and_then(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).ok());
        let code = f.profile.code;
        let check = crate::month::summary::verify(bytes, |c| if c == code { own } else { None })?;
        if check.verdict != crate::month::summary::SummaryVerdict::Altered {
            return Ok(check);
        }
        // Signed with a key the facility has since retired, for a month or an event that began
        // before it was retired: a key retired (perhaps because it leaked) signs nothing later.
        let begins = match &check.summary.scope {
            crate::month::summary::Scope::Month { period, .. } => format!("{period}-01"),
            crate::month::summary::Scope::Event { date, .. } => date.clone(),
        };
        for k in f.retired_keys.iter().filter(|k| begins <= k.retired_on) {
            let old = hex::decode(&k.public_key_hex)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .and_then(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).ok());
            let again =
                crate::month::summary::verify(bytes, |c| if c == code { old } else { None })?;
            if again.verdict == crate::month::summary::SummaryVerdict::Valid {
                return Ok(again);
            }
        }
        Ok(check)
    }
}

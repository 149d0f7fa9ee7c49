//! Monthly closing (*tutup buku*) and the monthly report (SPEC §2 item 7).
//!
//! A month is closed by the Kepala UPT once it has ended, in order from the facility's first
//! month, none skipped; a month without a hand-over is closed as *nihil*. Closing stores the
//! report (canonical data, PDF and XLSX) with its hashes, the audit chain's head and the control
//! totals, and locks every record dated in that month or before it — in the core (a refusal that
//! names the month, who closed it and when) and in the store (migration 0012's triggers).
//! Reopening is for the latest closed month only, with a reason; closing it again makes the next
//! revision of its report. Earlier months are corrected forward: a void of a closed month's BAST
//! is a reversal dated in the open month.

pub mod db;
pub mod report;
pub mod summary;
pub mod summary_html;
pub mod xlsx;

use crate::error::{Error, ErrorKind, Result};
use crate::locale::{self, Lang, TimeZone};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use report::MonthlyReport;

/// A calendar month, `2024-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// Reads `YYYY-MM` (a month between 1900 and 2200).
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        // Digits only: `u32::from_str` would take "+1" for January.
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if y.len() != 4 || m.len() != 2 || !digits(y) || !digits(m) {
            return None;
        }
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        ((1900..=2200).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    /// Reads `YYYY-MM`, or refuses naming the field.
    pub fn parse_or_refuse(s: &str) -> Result<Month> {
        Month::parse(s).ok_or_else(|| {
            let s: String = s.chars().take(20).collect();
            Error::invalid(
                "month",
                format!(
                    "Bulan \"{}\" tidak dikenali. Tulis tahun dan bulan seperti 2024-11.",
                    s
                ),
                format!(
                    "The month \"{}\" is not recognised. Write the year and month like 2024-11.",
                    s
                ),
            )
        })
    }

    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn last(self) -> NaiveDate {
        self.next().first().pred_opt().unwrap_or_default()
    }

    /// "November 2024" / "November 2024".
    pub fn words(self, lang: Lang) -> String {
        format!("{} {}", locale::month_name(self.month, lang), self.year)
    }
}

/// SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Where a month stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MonthState {
    /// Still running: today is in it.
    Current,
    /// Ended, not closed yet.
    Open,
    /// Closed with hand-overs.
    Closed,
    /// Closed with no hand-over: nothing happened (not "not reported").
    Nihil,
    /// Closed, then reopened by the Kepala UPT; waiting to be closed again.
    Reopened,
}

/// A closing of a month (one revision).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Closing {
    pub period: String,
    pub revision: u32,
    pub nihil: bool,
    pub closed_at: String,
    pub closed_by: String,
    pub closed_by_name: String,
    pub report_sha256: String,
    pub pdf_sha256: String,
    pub xlsx_sha256: String,
    pub audit_head: String,
    pub reopened_at: Option<String>,
    pub reopened_by: Option<String>,
    pub reopen_reason: String,
}

/// One line of the months screen and `bansos month list`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MonthLine {
    pub period: String,
    pub state: MonthState,
    /// The latest closing (with its revision), when there is one.
    pub closing: Option<Closing>,
    /// This month may be closed now (it has ended and every month before it is closed).
    pub can_close: bool,
    /// This month may be reopened now (the latest closed month).
    pub can_reopen: bool,
}

/// Tutup Buku as it opens: the months, and the checklist of the month waiting to be closed (the
/// month the screen shows first), in one answer so the screen does not wait for two in turn.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MonthOverview {
    pub months: Vec<MonthLine>,
    /// The checklist of the month that may be closed now, when there is one.
    pub checklist: Option<Checklist>,
}

/// How much a point of the checklist weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckLevel {
    /// Must be settled before the month closes.
    Blocking,
    /// Worth a look; does not stop the closing.
    Warning,
    /// For the record.
    Info,
}

/// What a checklist point is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckKind {
    /// The month has not ended yet.
    NotEnded,
    /// An event of the month still draft or approved (not completed or cancelled).
    EventNotFinished,
    /// An adjustment requested by the month's end, still waiting for a verifikator.
    AdjustmentPending,
    /// A stock opname of the month still being counted.
    OpnameCounting,
    /// An earlier month is not closed yet.
    EarlierMonthOpen,
    /// A hand-over without a scan of its signed paper.
    HandoverWithoutScan,
    /// A hand-over to a proxy.
    HandoverToProxy,
}

/// A record a checklist point names, with what the screen links to.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckRecord {
    /// `event`, `adjustment`, `opname`, `handover` or `month`.
    pub kind: String,
    pub id: i64,
    /// What a person reads: "Kegiatan #12, Sabtu, 16 November 2024, Aula" / a BAST number.
    pub label: String,
    /// The same in English ("Event #12, Saturday, 16 November 2024, Aula").
    pub label_en: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckPoint {
    pub level: CheckLevel,
    pub kind: CheckKind,
    /// The point in Indonesian and in English.
    pub id: String,
    pub en: String,
    /// The first [`RECORDS_SHOWN`] records it names (a month can have thousands of BASTs).
    pub records: Vec<CheckRecord>,
    /// How many records it names in all.
    pub total: u32,
}

/// At most this many records are listed under a checklist point; the point says how many in all.
pub const RECORDS_SHOWN: usize = 50;

/// Everything the Kepala UPT sees before closing a month.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Checklist {
    pub period: String,
    pub points: Vec<CheckPoint>,
    /// No blocking point: the month may close.
    pub ready: bool,
    /// The month had no hand-over: it will be closed as nihil.
    pub nihil: bool,
}

impl Checklist {
    pub fn blocking(&self) -> impl Iterator<Item = &CheckPoint> {
        self.points
            .iter()
            .filter(|p| p.level == CheckLevel::Blocking)
    }
}

/// A closing's row as the core's refusals name it.
#[derive(Debug, Clone)]
pub struct Lock {
    pub period: Month,
    pub closed_by_name: String,
    pub closed_at: DateTime<Utc>,
}

/// The refusal of a write into a closed month: the month, who closed it and when, and what to do.
pub fn closed_refusal(lock: &Lock, tz: TimeZone) -> Error {
    let (id, en) = (lock.period.words(Lang::Id), lock.period.words(Lang::En));
    Error::new(
        ErrorKind::Conflict,
        format!(
            "Bulan {id} sudah ditutup (tutup buku) oleh {} pada {}. Catatan bertanggal di bulan itu atau sebelumnya tidak dapat ditambah atau diubah; koreksi dicatat di bulan berjalan, atau Kepala UPT membuka kembali bulan itu dengan alasan.",
            lock.closed_by_name,
            locale::date_time(lock.closed_at, tz, Lang::Id)
        ),
        format!(
            "{en} was closed by {} on {}. Records dated in that month or earlier cannot be added or changed; corrections are recorded in the current month, or the Kepala UPT reopens that month with a reason.",
            lock.closed_by_name,
            locale::date_time(lock.closed_at, tz, Lang::En)
        ),
    )
}

/// The state of `m` given the latest closing of it (if any) and today.
pub fn state_of(m: Month, latest: Option<&Closing>, today: NaiveDate) -> MonthState {
    match latest {
        Some(c) if c.reopened_at.is_some() => MonthState::Reopened,
        Some(c) if c.nihil => MonthState::Nihil,
        Some(_) => MonthState::Closed,
        None if Month::of(today) <= m => MonthState::Current,
        None => MonthState::Open,
    }
}

/// Checks a reason for reopening: written, within the note limit.
pub fn reopen_reason(reason: &str) -> Result<String> {
    let reason = reason.trim().to_owned();
    crate::limits::check_text(
        "reason",
        &reason,
        crate::limits::NOTE,
        ("Alasan membuka kembali", "The reason for reopening"),
    )?;
    if reason.chars().count() < 5 {
        return Err(Error::invalid(
            "reason",
            "Tulis alasan membuka kembali bulan ini (paling sedikit 5 huruf).",
            "Write why this month is reopened (at least 5 letters).",
        ));
    }
    Ok(reason)
}

/// The refusal of a signed public summary while the month is reopened for corrections.
pub fn reopened_for_correction(m: Month) -> Error {
    Error::new(
        ErrorKind::Conflict,
        format!(
            "Bulan {} sedang dibuka kembali untuk koreksi; ringkasan publiknya dapat dibuat setelah ditutup lagi.",
            m.words(Lang::Id)
        ),
        format!(
            "{} has been reopened for corrections; its public summary can be made once it is closed again.",
            m.words(Lang::En)
        ),
    )
}

/// The refusal of a report revision the month does not have (its revisions are 1 to `latest`).
pub fn no_revision(m: Month, asked: u32, latest: u32) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!(
            "Laporan {} tidak punya revisi {asked}; revisinya 1 sampai {latest}.",
            m.words(Lang::Id)
        ),
        format!(
            "The report of {} has no revision {asked}; its revisions are 1 to {latest}.",
            m.words(Lang::En)
        ),
    )
}

/// The refusal of closing a month that has not ended.
pub fn not_ended(m: Month) -> Error {
    Error::new(
        ErrorKind::Conflict,
        format!(
            "Bulan {} belum berakhir; tutup buku dilakukan setelah tanggal terakhirnya.",
            m.words(Lang::Id)
        ),
        format!(
            "{} has not ended yet; a month is closed after its last day.",
            m.words(Lang::En)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_step_and_order() {
        let m = Month::parse("2024-12").unwrap();
        assert_eq!(m.next().key(), "2025-01");
        assert_eq!(m.next().prev(), m);
        assert_eq!(m.last().to_string(), "2024-12-31");
        assert_eq!(
            Month::parse("2024-02").unwrap().last().to_string(),
            "2024-02-29"
        );
        for bad in [
            "2024-13", "2024-1", "24-01", "1899-12", "x", "", "2026-+1", "+202-01",
        ] {
            assert!(Month::parse(bad).is_none(), "{bad}");
        }
    }
}

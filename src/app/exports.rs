//! Saving what the window exports (the registry, BASTs, an event's papers, a stock card, a monthly
//! report, a public summary) where the person chose in the system's save dialog. The core names
//! each file (by what it is and the facility's local time) for the dialog to suggest, so the
//! window itself holds no clock and no naming rule, and writes it whole through a temporary file
//! and a rename: a failed save leaves no half file and, for a BAST, uses no print up.

use super::{App, ANYONE};
use crate::error::{Error, ErrorKind, Result};
use crate::locale::TimeZone;
use std::path::Path;
use std::sync::Arc;

/// A saved export: where it is, and how many families it holds (for the registry).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SavedFile {
    pub path: String,
    pub families: Option<u32>,
}

/// The kind of file an export is saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FileFormat {
    Pdf,
    Xlsx,
    Html,
}

impl FileFormat {
    pub fn ext(self) -> &'static str {
        match self {
            FileFormat::Pdf => "pdf",
            FileFormat::Xlsx => "xlsx",
            FileFormat::Html => "html",
        }
    }
}

/// What the window saves, for its suggested file name ([`App::export_name`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "of", rename_all = "snake_case")]
#[ts(export)]
pub enum Export {
    /// The registry (XLSX).
    Registry,
    /// One BAST (PDF).
    Receipt { id: i64 },
    /// All of an event's BASTs (PDF).
    EventReceipts { event_id: i64 },
    /// An event's attendance list (PDF).
    Attendance { event_id: i64 },
    /// An item's stock card (PDF or XLSX).
    StockCard { item_id: i64 },
    /// A closed month's report (PDF or XLSX); `revision` null = the latest.
    MonthReport {
        period: String,
        revision: Option<u32>,
    },
    /// A closed month's public summary (PDF or HTML).
    MonthSummary { period: String },
    /// A completed event's public summary (PDF or HTML).
    EventSummary { event_id: i64 },
}

impl Export {
    /// The formats this export is made in.
    fn formats(&self) -> &'static [FileFormat] {
        use FileFormat::*;
        match self {
            Export::Registry => &[Xlsx],
            Export::Receipt { .. } | Export::EventReceipts { .. } | Export::Attendance { .. } => {
                &[Pdf]
            }
            Export::StockCard { .. } | Export::MonthReport { .. } => &[Pdf, Xlsx],
            Export::MonthSummary { .. } | Export::EventSummary { .. } => &[Pdf, Html],
        }
    }
}

impl App {
    /// The live preview of the numbering pattern: the first number of today (in `tz`). Needs
    /// no session (the setup wizard shows it).
    pub fn preview_receipt_number(pattern: &str, code: &str, tz: TimeZone) -> Result<String> {
        let clock: Arc<dyn crate::clock::Clock> = Arc::new(crate::clock::SystemClock);
        crate::facility::preview_receipt_number(pattern, code, tz.today(clock.now()))
    }

    /// The file name the save dialog suggests for `what` as `format`:
    /// `<what it is>-<facility's local time>.<ext>`, e.g.
    /// `laporan-bulanan-2024-11-20241203-091500.pdf`. Asking counts nothing (a BAST's name is
    /// not a print).
    pub fn export_name(&mut self, what: &Export, format: FileFormat) -> Result<String> {
        self.guard(ANYONE)?;
        if !what.formats().contains(&format) {
            return Err(Error::invalid(
                "format",
                format!(
                    "Berkas ini tidak dibuat sebagai {}.",
                    format.ext().to_uppercase()
                ),
                format!("This file is not made as {}.", format.ext().to_uppercase()),
            ));
        }
        let month_key =
            |period: &str| crate::month::Month::parse_or_refuse(period).map(|m| m.key());
        let stem = match what {
            Export::Registry => "keluarga".to_owned(),
            Export::Receipt { id } => {
                format!("BAST-{}", self.handover(*id)?.bast_no.replace('/', "-"))
            }
            Export::EventReceipts { event_id } => format!("BAST-kegiatan-{event_id}"),
            Export::Attendance { event_id } => format!("daftar-hadir-kegiatan-{event_id}"),
            Export::StockCard { item_id } => format!("kartu-stok-{item_id}"),
            Export::MonthReport { period, revision } => {
                let month = month_key(period)?;
                let rev = self.month_report(&month, *revision)?.revision;
                revised(&format!("laporan-bulanan-{month}"), rev)
            }
            Export::MonthSummary { period } => {
                let month = month_key(period)?;
                let rev = self.month_report(&month, None)?.revision;
                revised(&format!("ringkasan-publik-{month}"), rev)
            }
            Export::EventSummary { event_id } => format!("ringkasan-publik-kegiatan-{event_id}"),
        };
        let tz = App::settings_in(&self.conn)?.time_zone;
        let stamp = tz.to_local(self.clock.now()).format("%Y%m%d-%H%M%S");
        Ok(format!("{stem}-{stamp}.{}", format.ext()))
    }

    /// Refuses a path that would replace one of the store's own files — the database, its WAL,
    /// key file, lock or restore journal (all named after the database) — or land in its backup
    /// folder: the save dialog lets a person pick any file and confirm replacing it.
    pub(super) fn refuse_store_files(&self, path: &Path) -> Result<()> {
        let refuse = || {
            Error::new(
                ErrorKind::Invalid,
                format!(
                    "Berkas {} adalah berkas data Bansos sendiri atau berada di folder cadangannya: pilih nama atau folder lain.",
                    path.display()
                ),
                format!(
                    "{} is one of Bansos's own data files or is in its backup folder: choose another name or folder.",
                    path.display()
                ),
            )
        };
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(Error::invalid(
                "path",
                format!("{} bukan nama berkas.", path.display()),
                format!("{} is not a file name.", path.display()),
            ));
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(dir) = dir.canonicalize() else {
            // A folder that does not exist holds no store file; the write says what is missing.
            return Ok(());
        };
        let store = self.db_path.parent().unwrap_or(Path::new("."));
        let store = store.canonicalize().unwrap_or_else(|_| store.to_owned());
        let backups = crate::backup::dir_for(&self.db_path);
        let backups = backups.canonicalize().unwrap_or(backups);
        let db_name = self
            .db_path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let own_file = dir == store
            && !db_name.is_empty()
            && name.to_string_lossy().to_lowercase().starts_with(&db_name);
        if own_file || dir.starts_with(&backups) {
            return Err(refuse());
        }
        Ok(())
    }

    /// Writes `bytes` to `path` whole (replacing a file there: the person confirmed it in the
    /// dialog) and answers the path.
    fn write_chosen(&self, path: &Path, bytes: &[u8]) -> Result<String> {
        self.refuse_store_files(path)?;
        crate::files::write_atomic(path, bytes)?;
        Ok(path.display().to_string())
    }

    /// Prints `ids` into a PDF at `path`; the prints count only once it is written (in the same
    /// transaction: a failed write rolls them back).
    fn save_prints(&mut self, ids: &[i64], title: &str, path: &Path) -> Result<SavedFile> {
        self.refuse_store_files(path)?;
        self.print_pdf_then(ids, title, |pdf| {
            crate::files::write_atomic(path, &pdf)?;
            Ok(SavedFile {
                path: path.display().to_string(),
                families: None,
            })
        })
    }

    pub(super) fn saved(&self, path: &Path, bytes: &[u8]) -> Result<SavedFile> {
        Ok(SavedFile {
            path: self.write_chosen(path, bytes)?,
            families: None,
        })
    }

    /// The registry as XLSX at `path` (see [`App::export_xlsx`]).
    pub fn save_registry_export(&mut self, path: &Path) -> Result<SavedFile> {
        let (bytes, n) = self.export_xlsx()?;
        Ok(SavedFile {
            path: self.write_chosen(path, &bytes)?,
            families: Some(n as u32),
        })
    }

    /// One BAST as PDF at `path` (a print: original first, then SALINAN).
    pub fn save_receipt_pdf(&mut self, id: i64, path: &Path) -> Result<SavedFile> {
        let no = self.handover(id)?.bast_no;
        self.save_prints(&[id], &format!("BAST {no}"), path)
    }

    /// All of an event's BASTs as one PDF at `path`.
    pub fn save_event_receipts(&mut self, event_id: i64, path: &Path) -> Result<SavedFile> {
        self.guard(super::handover::HANDLERS)?;
        let ids = self.printable_of_event(event_id)?;
        self.save_prints(&ids, &format!("BAST kegiatan #{event_id}"), path)
    }

    /// An event's attendance list as PDF at `path`.
    pub fn save_attendance(&mut self, event_id: i64, path: &Path) -> Result<SavedFile> {
        let pdf = self.attendance_pdf(event_id)?;
        self.saved(path, &pdf)
    }

    /// An item's stock card as PDF or XLSX at `path`.
    pub fn save_stock_card(
        &mut self,
        item_id: i64,
        from: Option<&str>,
        to: Option<&str>,
        pdf: bool,
        path: &Path,
    ) -> Result<SavedFile> {
        let bytes = if pdf {
            self.stock_card_pdf(item_id, from, to)?
        } else {
            self.stock_card_xlsx(item_id, from, to)?
        };
        self.saved(path, &bytes)
    }

    /// A closed month's stored report (its latest revision, or the one asked for) as PDF or XLSX
    /// at `path`: the bytes stored at the closing, so every copy hashes the same.
    pub fn save_month_report(
        &mut self,
        period: &str,
        revision: Option<u32>,
        pdf: bool,
        path: &Path,
    ) -> Result<SavedFile> {
        let month = crate::month::Month::parse_or_refuse(period)?.key();
        let rev = self.month_report(&month, revision)?.revision;
        let (pdf_bytes, xlsx_bytes) = self.month_report_files(&month, Some(rev))?;
        self.saved(path, if pdf { &pdf_bytes } else { &xlsx_bytes })
    }

    /// A closed month's public summary, signed, as PDF or HTML at `path`.
    pub fn save_month_summary(
        &mut self,
        period: &str,
        html: bool,
        path: &Path,
    ) -> Result<SavedFile> {
        self.refuse_store_files(path)?;
        let files = self.public_summary_month(period)?;
        self.saved(path, summary_bytes(&files, html))
    }

    /// A completed event's public summary, signed, as PDF or HTML at `path`.
    pub fn save_event_summary(
        &mut self,
        event_id: i64,
        html: bool,
        path: &Path,
    ) -> Result<SavedFile> {
        self.refuse_store_files(path)?;
        let files = self.public_summary_event(event_id)?;
        self.saved(path, summary_bytes(&files, html))
    }
}

fn revised(stem: &str, revision: u32) -> String {
    if revision > 1 {
        format!("{stem}-revisi-{revision}")
    } else {
        stem.to_owned()
    }
}

fn summary_bytes(files: &super::SummaryFiles, html: bool) -> &[u8] {
    if html {
        files.html.as_bytes()
    } else {
        &files.pdf
    }
}

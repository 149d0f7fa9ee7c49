//! Saving what the window exports (the registry, BASTs, an event's papers, a stock card, a monthly
//! report) into the export folder, named by what it is and the facility's local time, so the
//! window itself holds no clock and no naming rule.

use super::App;
use crate::error::{Error, Result};
use crate::locale::TimeZone;
use std::sync::Arc;

/// A saved export: where it is, and how many families it holds (for the registry).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SavedFile {
    pub path: String,
    pub families: Option<u32>,
}

impl App {
    /// The live preview of the numbering pattern: the first number of today (in `tz`). Needs
    /// no session (the setup wizard shows it).
    pub fn preview_receipt_number(pattern: &str, code: &str, tz: TimeZone) -> Result<String> {
        let clock: Arc<dyn crate::clock::Clock> = Arc::new(crate::clock::SystemClock);
        crate::facility::preview_receipt_number(pattern, code, tz.today(clock.now()))
    }

    /// Where an export goes: `<export folder>/<stem>-<local time>.<ext>` (the folder made).
    fn export_path(&self, stem: &str, ext: &str) -> Result<std::path::PathBuf> {
        let tz = App::settings_in(&self.conn)?.time_zone;
        let stamp = tz.to_local(self.clock.now()).format("%Y%m%d-%H%M%S");
        let dir = crate::export_dir();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(dir.join(format!("{stem}-{stamp}.{ext}")))
    }

    /// Writes `bytes` as `<export folder>/<stem>-<local time>.<ext>`.
    fn save_export(&self, stem: &str, ext: &str, bytes: &[u8]) -> Result<String> {
        let path = self.export_path(stem, ext)?;
        crate::files::write_atomic(&path, bytes)?;
        Ok(path.display().to_string())
    }

    /// Prints `ids` into a PDF in the export folder; the prints count only once it is written.
    fn save_prints(&mut self, ids: &[i64], title: &str, stem: &str) -> Result<SavedFile> {
        let path = self.export_path(stem, "pdf")?;
        self.print_pdf_then(ids, title, |pdf| {
            crate::files::write_atomic(&path, &pdf)?;
            Ok(SavedFile {
                path: path.display().to_string(),
                families: None,
            })
        })
    }

    /// The registry as XLSX in the export folder (see [`App::export_xlsx`]).
    pub fn save_registry_export(&mut self) -> Result<SavedFile> {
        let (bytes, n) = self.export_xlsx()?;
        Ok(SavedFile {
            path: self.save_export("keluarga", "xlsx", &bytes)?,
            families: Some(n as u32),
        })
    }

    /// One BAST as PDF in the export folder (a print: original first, then SALINAN).
    pub fn save_receipt_pdf(&mut self, id: i64) -> Result<SavedFile> {
        let no = self.handover(id)?.bast_no;
        self.save_prints(
            &[id],
            &format!("BAST {no}"),
            &format!("BAST-{}", no.replace('/', "-")),
        )
    }

    /// All of an event's BASTs as one PDF in the export folder.
    pub fn save_event_receipts(&mut self, event_id: i64) -> Result<SavedFile> {
        self.guard(super::handover::HANDLERS)?;
        let ids = self.printable_of_event(event_id)?;
        self.save_prints(
            &ids,
            &format!("BAST kegiatan #{event_id}"),
            &format!("BAST-kegiatan-{event_id}"),
        )
    }

    /// An event's attendance list as PDF in the export folder.
    pub fn save_attendance(&mut self, event_id: i64) -> Result<SavedFile> {
        let pdf = self.attendance_pdf(event_id)?;
        Ok(SavedFile {
            path: self.save_export(&format!("daftar-hadir-kegiatan-{event_id}"), "pdf", &pdf)?,
            families: None,
        })
    }

    /// An item's stock card as PDF or XLSX in the export folder.
    pub fn save_stock_card(
        &mut self,
        item_id: i64,
        from: Option<&str>,
        to: Option<&str>,
        pdf: bool,
    ) -> Result<SavedFile> {
        let (bytes, ext) = if pdf {
            (self.stock_card_pdf(item_id, from, to)?, "pdf")
        } else {
            (self.stock_card_xlsx(item_id, from, to)?, "xlsx")
        };
        Ok(SavedFile {
            path: self.save_export(&format!("kartu-stok-{item_id}"), ext, &bytes)?,
            families: None,
        })
    }

    /// A closed month's stored report (its latest revision, or the one asked for) as PDF or XLSX
    /// in the export folder: the bytes stored at the closing, so every copy hashes the same.
    pub fn save_month_report(
        &mut self,
        period: &str,
        revision: Option<u32>,
        pdf: bool,
    ) -> Result<SavedFile> {
        let month = crate::month::Month::parse_or_refuse(period)?.key();
        let rev = self.month_report(&month, revision)?.revision;
        let (pdf_bytes, xlsx_bytes) = self.month_report_files(&month, Some(rev))?;
        let (bytes, ext) = if pdf {
            (pdf_bytes, "pdf")
        } else {
            (xlsx_bytes, "xlsx")
        };
        let stem = if rev > 1 {
            format!("laporan-bulanan-{month}-revisi-{rev}")
        } else {
            format!("laporan-bulanan-{month}")
        };
        Ok(SavedFile {
            path: self.save_export(&stem, ext, &bytes)?,
            families: None,
        })
    }
}

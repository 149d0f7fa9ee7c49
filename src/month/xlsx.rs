//! The monthly report as an XLSX workbook (Indonesian headers), for the Kanwil's and the
//! office's own spreadsheets: one sheet per table of the PDF, numbers as numbers (quantities
//! and rupiah exact to their decimals), and native charts of the goods handed over and of the
//! rupiah by funding source.
//!
//! Like the PDF it is made once at closing and hashed, so the bytes depend on the report only:
//! the workbook's creation time is the closing's, never the clock's.

use super::report::{ItemLine, MonthlyReport};
use super::Month;
use crate::error::{Error, Result};
use crate::family::model::parse_date;
use crate::locale::{Lang, TimeZone};
use crate::pdf::monthly::{instant, kind_label, local_time, status_label};
use crate::stock::FundingSource;
use chrono::{Datelike, Timelike};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeSet;

fn xlsx_err(e: XlsxError) -> Error {
    Error::internal(format!("XLSX: {e}"))
}

/// A cell value from an exact decimal. Quantities have at most three decimals and rupiah two,
/// so the nearest double shows them exactly.
fn f(d: Decimal) -> f64 {
    d.to_string().parse::<f64>().unwrap_or(0.0)
}

/// The number formats: a whole quantity without a decimal point ("#,##0.###" would show
/// "65."), a fraction with as many decimals as it has; rupiah with sen only when there are.
struct Formats {
    bold: Format,
    head: Format,
    title: Format,
    whole: Format,
    fraction: Format,
    rupiah: Format,
    rupiah_sen: Format,
    rupiah_bold: Format,
    rupiah_sen_bold: Format,
    percent: Format,
    date: Format,
    text: Format,
}

impl Formats {
    fn new() -> Formats {
        let rp = "\"Rp\"#,##0";
        let rp_sen = "\"Rp\"#,##0.00";
        Formats {
            bold: Format::new().set_bold(),
            head: Format::new()
                .set_bold()
                .set_background_color("#DDE7F0")
                .set_text_wrap(),
            title: Format::new().set_bold().set_font_size(13),
            whole: Format::new().set_num_format("#,##0"),
            fraction: Format::new().set_num_format("#,##0.0##"),
            rupiah: Format::new().set_num_format(rp),
            rupiah_sen: Format::new().set_num_format(rp_sen),
            rupiah_bold: Format::new().set_num_format(rp).set_bold(),
            rupiah_sen_bold: Format::new().set_num_format(rp_sen).set_bold(),
            percent: Format::new().set_num_format("0.0%"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            text: Format::new().set_num_format("@"),
        }
    }

    fn qty(&self, d: Decimal) -> &Format {
        if d.fract().is_zero() {
            &self.whole
        } else {
            &self.fraction
        }
    }

    fn rupiah(&self, d: Decimal, bold: bool) -> &Format {
        match (d.round_dp(2).fract().is_zero(), bold) {
            (true, false) => &self.rupiah,
            (false, false) => &self.rupiah_sen,
            (true, true) => &self.rupiah_bold,
            (false, true) => &self.rupiah_sen_bold,
        }
    }
}

/// A sheet being filled row by row.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    fm: &'a Formats,
}

impl Sheet<'_> {
    fn headers(&mut self, row: u32, hs: &[&str]) -> Result<()> {
        for (c, h) in hs.iter().enumerate() {
            self.ws
                .write_with_format(row, c as u16, *h, &self.fm.head)
                .map_err(xlsx_err)?;
        }
        Ok(())
    }

    fn text(&mut self, row: u32, col: u16, s: &str) -> Result<()> {
        self.ws.write(row, col, s).map_err(xlsx_err)?;
        Ok(())
    }

    fn bold(&mut self, row: u32, col: u16, s: &str) -> Result<()> {
        self.ws
            .write_with_format(row, col, s, &self.fm.bold)
            .map_err(xlsx_err)?;
        Ok(())
    }

    fn qty(&mut self, row: u32, col: u16, d: Decimal) -> Result<()> {
        self.ws
            .write_with_format(row, col, f(d), self.fm.qty(d))
            .map_err(xlsx_err)?;
        Ok(())
    }

    fn int(&mut self, row: u32, col: u16, n: i64) -> Result<()> {
        self.ws
            .write_with_format(row, col, n as f64, &self.fm.whole)
            .map_err(xlsx_err)?;
        Ok(())
    }

    fn rupiah(&mut self, row: u32, col: u16, d: Decimal, bold: bool) -> Result<()> {
        self.ws
            .write_with_format(row, col, f(d), self.fm.rupiah(d, bold))
            .map_err(xlsx_err)?;
        Ok(())
    }

    /// A percentage given as "12,5" (of 100), written as the fraction Excel formats with "%".
    fn percent(&mut self, row: u32, col: u16, pct: Decimal) -> Result<()> {
        self.ws
            .write_with_format(row, col, f(pct / Decimal::from(100)), &self.fm.percent)
            .map_err(xlsx_err)?;
        Ok(())
    }

    /// An ISO date as an Excel date, or as the text stored when it does not read.
    fn date(&mut self, row: u32, col: u16, s: &str) -> Result<()> {
        let d = parse_date(s).and_then(|d| {
            ExcelDateTime::from_ymd(
                u16::try_from(d.year()).ok()?,
                u8::try_from(d.month()).ok()?,
                u8::try_from(d.day()).ok()?,
            )
            .ok()
        });
        match d {
            Some(d) => self
                .ws
                .write_with_format(row, col, &d, &self.fm.date)
                .map(|_| ())
                .map_err(xlsx_err),
            None => self.text(row, col, s),
        }
    }

    /// "label | value" on the summary sheet.
    fn pair(
        &mut self,
        row: &mut u32,
        label: &str,
        value: impl FnOnce(&mut Self, u32) -> Result<()>,
    ) -> Result<()> {
        self.text(*row, 0, label)?;
        value(self, *row)?;
        *row += 1;
        Ok(())
    }
}

/// The workbook's creation time: the closing's (UTC), so the same report gives the same bytes;
/// the first of the month when the closing time does not read (never the clock).
fn created(r: &MonthlyReport) -> Result<ExcelDateTime> {
    let (y, mo, d, h, mi, s) = match instant(&r.closed_at) {
        Some(t) => (
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
        ),
        None => {
            let first = Month::parse(&r.period).map_or_else(
                || chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
                Month::first,
            );
            (first.year(), first.month(), first.day(), 0, 0, 0)
        }
    };
    let bad = || Error::internal("XLSX: closing time out of range");
    ExcelDateTime::from_ymd(
        u16::try_from(y).map_err(|_| bad())?,
        u8::try_from(mo).map_err(|_| bad())?,
        u8::try_from(d).map_err(|_| bad())?,
    )
    .and_then(|t| t.and_hms(h as u16, mi as u8, s))
    .map_err(xlsx_err)
}

/// The items the month's packages took (the Barang sheet and its chart).
fn handed(r: &MonthlyReport) -> Vec<&ItemLine> {
    r.items
        .iter()
        .filter(|i| !i.handed_over.is_zero())
        .collect()
}

/// The report as a workbook: Ringkasan, Barang, Persediaan, Sumber Dana, Kegiatan, BAST Batal.
pub fn report_xlsx(r: &MonthlyReport) -> Result<Vec<u8>> {
    let fa = &r.facility;
    let tz = TimeZone::parse(&fa.time_zone).unwrap_or(TimeZone::Wib);
    let period = Month::parse(&r.period).map_or_else(|| r.period.clone(), |m| m.words(Lang::Id));
    let fm = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Laporan bulanan {} {period}", fa.name))
            .set_subject("Laporan bulanan penyaluran bantuan sosial")
            .set_company(fa.name.as_str())
            .set_author(r.closed_by_name.as_str())
            .set_creation_datetime(&created(r)?),
    );

    // Ringkasan: who, when, how many.
    {
        let ws = wb.add_worksheet();
        ws.set_name("Ringkasan").map_err(xlsx_err)?;
        let mut s = Sheet { ws, fm: &fm };
        s.ws.write_with_format(0, 0, "LAPORAN BULANAN PENYALURAN BANTUAN SOSIAL", &fm.title)
            .map_err(xlsx_err)?;
        let mut row = 2u32;
        let texts = [
            ("UPT", fa.name.as_str()),
            ("Jenis UPT", fa.kind.as_str()),
            ("Kelas", fa.class.as_str()),
            ("Kode UPT", fa.code.as_str()),
            ("Kanwil", fa.kanwil.as_str()),
            ("Provinsi", fa.province.as_str()),
            ("Alamat", fa.address.as_str()),
            ("Kepala UPT", fa.head_name.as_str()),
        ];
        for (l, v) in texts {
            s.pair(&mut row, l, |s, r| s.text(r, 1, v))?;
        }
        // An NIP is 18 digits: as text, or Excel rounds it.
        s.pair(&mut row, "NIP Kepala UPT", |s, r| {
            s.ws.write_with_format(r, 1, fa.head_nip.as_str(), &s.fm.text)
                .map(|_| ())
                .map_err(xlsx_err)
        })?;
        s.pair(&mut row, "Bulan", |s, r| s.text(r, 1, &period))?;
        s.pair(&mut row, "Periode", |s, row| s.text(row, 1, &r.period))?;
        s.pair(&mut row, "Revisi", |s, row| {
            s.int(row, 1, i64::from(r.revision))
        })?;
        s.pair(&mut row, "Nihil", |s, row| {
            s.text(row, 1, if r.nihil { "Ya" } else { "Tidak" })
        })?;
        if r.nihil {
            s.bold(row, 1, "NIHIL — tidak ada penyaluran pada bulan ini")?;
            row += 1;
        }
        row += 1;
        s.bold(row, 0, "Penerima")?;
        row += 1;
        let v = &r.served;
        for (l, n) in [
            ("Keluarga penerima", v.families),
            ("  Keluarga WBP", v.keluarga_wbp),
            ("  Masyarakat sekitar", v.masyarakat_sekitar),
            ("Paket diserahkan", v.packages),
            ("  Diserahkan kepada wakil (diwakilkan)", v.to_proxy),
        ] {
            s.pair(&mut row, l, |s, r| s.int(r, 1, n))?;
        }
        row += 1;
        s.bold(row, 0, "Angka kendali")?;
        row += 1;
        let c = &r.totals;
        for (l, n) in [
            ("Paket", c.packages),
            ("Keluarga", c.families),
            ("Kegiatan", c.events),
            ("BAST dibatalkan", c.voids),
            ("Mutasi stok", c.movements),
        ] {
            s.pair(&mut row, l, |s, r| s.int(r, 1, n))?;
        }
        s.pair(
            &mut row,
            "Jumlah kuantitas disalurkan (semua satuan)",
            |s, r| s.qty(r, 1, crate::stock::from_milli(c.handed_over_milli)),
        )?;
        s.pair(&mut row, "Nilai diterima", |s, r| {
            s.rupiah(r, 1, c.received_value, false)
        })?;
        s.pair(&mut row, "Nilai disalurkan", |s, r| {
            s.rupiah(r, 1, c.issued_value, false)
        })?;
        s.pair(
            &mut row,
            "Nilai disalurkan dari hasil panen UPT",
            |s, row| s.rupiah(row, 1, r.harvest_value, false),
        )?;
        s.pair(&mut row, "Porsi hasil panen (nilai)", |s, row| {
            s.percent(
                row,
                1,
                MonthlyReport::percent(r.harvest_value, r.issued_value),
            )
        })?;
        row += 1;
        s.pair(&mut row, "Ditutup oleh", |s, row| {
            s.text(row, 1, &r.closed_by_name)
        })?;
        s.pair(&mut row, "Ditutup pada", |s, row| {
            s.text(row, 1, &local_time(&r.closed_at, tz))
        })?;
        s.ws.set_column_width(0, 42).map_err(xlsx_err)?;
        s.ws.set_column_width(1, 48).map_err(xlsx_err)?;
    }

    // Barang: what the packages took, with a column chart of it.
    let given = handed(r);
    {
        let ws = wb.add_worksheet();
        ws.set_name("Barang").map_err(xlsx_err)?;
        let mut s = Sheet { ws, fm: &fm };
        s.headers(
            0,
            &[
                "No",
                "Kode",
                "Nama barang",
                "Satuan",
                "Jumlah disalurkan",
                "Dari hasil panen",
                "Porsi hasil panen",
            ],
        )?;
        for (n, i) in given.iter().enumerate() {
            let row = n as u32 + 1;
            s.int(row, 0, n as i64 + 1)?;
            s.text(row, 1, &i.code)?;
            s.text(row, 2, &i.name)?;
            s.text(row, 3, &i.unit)?;
            s.qty(row, 4, i.handed_over)?;
            s.qty(row, 5, i.from_harvest)?;
            s.percent(
                row,
                6,
                MonthlyReport::percent(i.from_harvest, i.handed_over),
            )?;
        }
        s.ws.autofit();
        if !given.is_empty() {
            let last = given.len() as u32;
            let mut chart = Chart::new_column();
            chart.title().set_name("Jumlah disalurkan per barang");
            chart
                .add_series()
                .set_name("Jumlah disalurkan")
                .set_categories(("Barang", 1, 2, last, 2))
                .set_values(("Barang", 1, 4, last, 4))
                .set_data_label(ChartDataLabel::new().show_value());
            chart.legend().set_hidden();
            chart.set_width(560).set_height(320);
            s.ws.insert_chart(given.len() as u32 + 2, 1, &chart)
                .map_err(xlsx_err)?;
        }
    }

    // Persediaan: one row per item, what came in split into a column per funding source.
    {
        let ws = wb.add_worksheet();
        ws.set_name("Persediaan").map_err(xlsx_err)?;
        let mut s = Sheet { ws, fm: &fm };
        let sources: BTreeSet<FundingSource> = r
            .items
            .iter()
            .flat_map(|i| i.received.iter().map(|q| q.source))
            .collect();
        let by_source: Vec<String> = sources
            .iter()
            .map(|src| format!("Masuk: {}", src.label_id()))
            .collect();
        let mut heads = vec!["Kode", "Nama barang", "Satuan", "Saldo awal", "Masuk"];
        heads.extend(by_source.iter().map(String::as_str));
        heads.extend(["Keluar", "Penyesuaian", "Saldo akhir"]);
        s.headers(0, &heads)?;
        let n = sources.len() as u16;
        for (k, i) in r.items.iter().enumerate() {
            let row = k as u32 + 1;
            s.text(row, 0, &i.code)?;
            s.text(row, 1, &i.name)?;
            s.text(row, 2, &i.unit)?;
            s.qty(row, 3, i.opening)?;
            s.qty(row, 4, i.received_total)?;
            for (c, src) in sources.iter().enumerate() {
                let q: Decimal = i
                    .received
                    .iter()
                    .filter(|q| q.source == *src)
                    .map(|q| q.quantity)
                    .sum();
                s.qty(row, 5 + c as u16, q)?;
            }
            s.qty(row, 5 + n, i.out)?;
            s.qty(row, 6 + n, i.adjustments)?;
            s.qty(row, 7 + n, i.closing)?;
        }
        s.ws.autofit();
    }

    // Sumber Dana: rupiah by source (with its chart), then by donor.
    {
        let ws = wb.add_worksheet();
        ws.set_name("Sumber Dana").map_err(xlsx_err)?;
        let mut s = Sheet { ws, fm: &fm };
        s.headers(0, &["Sumber dana", "Nilai diterima", "Nilai disalurkan"])?;
        let mut row = 1u32;
        for l in &r.sources {
            s.text(row, 0, l.source.label_id())?;
            s.rupiah(row, 1, l.received_value, false)?;
            s.rupiah(row, 2, l.issued_value, false)?;
            row += 1;
        }
        let last_source = row - 1;
        s.bold(row, 0, "Jumlah")?;
        s.rupiah(row, 1, r.totals.received_value, true)?;
        s.rupiah(row, 2, r.issued_value, true)?;
        row += 1;
        s.text(row, 0, "Di antaranya dari hasil panen UPT")?;
        s.rupiah(row, 2, r.harvest_value, false)?;
        row += 1;
        s.text(row, 0, "Porsi hasil panen (nilai)")?;
        s.percent(
            row,
            2,
            MonthlyReport::percent(r.harvest_value, r.issued_value),
        )?;
        row += 2;
        // Donors below, their rupiah in the same columns as their sources' above.
        s.bold(row, 0, "Donatur")?;
        row += 1;
        s.headers(
            row,
            &[
                "Donatur",
                "Nilai diterima",
                "Nilai disalurkan",
                "Sumber dana",
            ],
        )?;
        row += 1;
        let donors = r
            .sources
            .iter()
            .flat_map(|l| l.donors.iter().map(move |d| (l.source, d)));
        let mut any = false;
        for (src, d) in donors {
            any = true;
            s.text(row, 0, &d.name)?;
            s.rupiah(row, 1, d.received_value, false)?;
            s.rupiah(row, 2, d.issued_value, false)?;
            s.text(row, 3, src.label_id())?;
            row += 1;
        }
        if !any {
            s.text(row, 0, "Tidak ada donatur tercatat pada bulan ini.")?;
        }
        s.ws.autofit();
        if !r.sources.is_empty() && !r.issued_value.is_zero() {
            let mut chart = Chart::new_pie();
            chart
                .title()
                .set_name("Nilai disalurkan menurut sumber dana");
            chart
                .add_series()
                .set_name("Nilai disalurkan")
                .set_categories(("Sumber Dana", 1, 0, last_source, 0))
                .set_values(("Sumber Dana", 1, 2, last_source, 2))
                .set_data_label(ChartDataLabel::new().show_percentage());
            chart.set_width(480).set_height(300);
            s.ws.insert_chart(0, 5, &chart).map_err(xlsx_err)?;
        }
    }

    // Kegiatan.
    {
        let ws = wb.add_worksheet();
        ws.set_name("Kegiatan").map_err(xlsx_err)?;
        let mut s = Sheet { ws, fm: &fm };
        s.headers(
            0,
            &[
                "No",
                "No. kegiatan",
                "Tanggal",
                "Tempat",
                "Jenis",
                "Status",
                "Petugas",
                "Dilayani",
            ],
        )?;
        for (k, e) in r.events.iter().enumerate() {
            let row = k as u32 + 1;
            s.int(row, 0, k as i64 + 1)?;
            s.int(row, 1, e.id)?;
            s.date(row, 2, &e.date)?;
            s.text(row, 3, &e.place)?;
            s.text(row, 4, kind_label(e.kind))?;
            s.text(row, 5, status_label(e.status))?;
            let officials = e
                .officials
                .iter()
                .map(|o| {
                    if o.position.trim().is_empty() {
                        o.name.clone()
                    } else {
                        format!("{} — {}", o.name, o.position)
                    }
                })
                .collect::<Vec<_>>()
                .join("; ");
            s.text(row, 6, &officials)?;
            s.int(row, 7, e.served)?;
        }
        s.ws.autofit();
    }

    // BAST Batal.
    {
        let ws = wb.add_worksheet();
        ws.set_name("BAST Batal").map_err(xlsx_err)?;
        let mut s = Sheet { ws, fm: &fm };
        s.headers(
            0,
            &[
                "No",
                "Nomor BAST",
                "Tanggal serah terima",
                "Dibatalkan pada",
                "Oleh",
                "Alasan",
            ],
        )?;
        for (k, v) in r.voided.iter().enumerate() {
            let row = k as u32 + 1;
            s.int(row, 0, k as i64 + 1)?;
            s.text(row, 1, &v.bast_no)?;
            s.date(row, 2, &v.handover_date)?;
            s.text(row, 3, &local_time(&v.voided_at, tz))?;
            s.text(row, 4, &v.voided_by)?;
            s.text(row, 5, &v.reason)?;
        }
        s.ws.autofit();
    }

    wb.save_to_buffer().map_err(xlsx_err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::monthly::tests::{nihil, sample};
    use calamine::{Data, Reader, Xlsx};

    fn open(bytes: &[u8]) -> Xlsx<std::io::Cursor<&[u8]>> {
        Xlsx::new(std::io::Cursor::new(bytes)).unwrap()
    }

    #[test]
    fn a_report_exports_the_same_bytes_every_time() {
        let r = sample();
        let a = report_xlsx(&r).unwrap();
        let b = report_xlsx(&r).unwrap();
        assert!(a == b, "two exports of one report differ");
        let n = nihil();
        assert_eq!(report_xlsx(&n).unwrap(), report_xlsx(&n).unwrap());
    }

    #[test]
    fn sheets_hold_numbers_as_numbers() {
        let bytes = report_xlsx(&sample()).unwrap();
        let mut wb = open(&bytes);
        assert_eq!(
            wb.sheet_names(),
            vec![
                "Ringkasan",
                "Barang",
                "Persediaan",
                "Sumber Dana",
                "Kegiatan",
                "BAST Batal"
            ]
        );
        let barang = wb.worksheet_range("Barang").unwrap();
        assert_eq!(
            barang.get_value((1, 2)),
            Some(&Data::String("Beras premium".into()))
        );
        assert_eq!(barang.get_value((1, 4)), Some(&Data::Float(65.0)));
        assert_eq!(barang.get_value((1, 5)), Some(&Data::Float(15.5)));
        let stock = wb.worksheet_range("Persediaan").unwrap();
        // Masuk from CSR and from the harvest, then out, adjustment and closing.
        assert_eq!(stock.get_value((1, 5)), Some(&Data::Float(50.0)));
        assert_eq!(stock.get_value((1, 6)), Some(&Data::Float(20.25)));
        assert_eq!(stock.get_value((1, 8)), Some(&Data::Float(-0.5)));
        assert_eq!(stock.get_value((1, 9)), Some(&Data::Float(104.75)));
        let money = wb.worksheet_range("Sumber Dana").unwrap();
        assert_eq!(money.get_value((1, 2)), Some(&Data::Float(1_200_000.5)));
        let bytes = report_xlsx(&nihil()).unwrap();
        let nihil = open(&bytes).worksheet_range("Ringkasan").unwrap();
        assert!(nihil
            .rows()
            .any(|row| row.first() == Some(&Data::String("Nihil".into()))
                && row.get(1) == Some(&Data::String("Ya".into()))));
    }

    #[test]
    fn the_workbook_is_dated_by_its_closing() {
        let bytes = report_xlsx(&sample()).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut core = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
            .unwrap();
        assert!(core.contains("2024-12-02T02:15:00Z"), "{core}");
    }
}

//! The stock card as an XLSX workbook (Indonesian headers), for the office's own spreadsheets.

use super::{CardRow, MovementKind, StockCard};
use crate::error::{Error, Result};
use rust_decimal::Decimal;

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

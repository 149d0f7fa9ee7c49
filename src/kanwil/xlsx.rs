//! The recap as a workbook: one sheet per table, numbers as numbers.

use super::Recap;
use crate::error::{Error, Result};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook};

pub fn recap_xlsx(r: &Recap) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let e = Error::internal;
    let n = |d: rust_decimal::Decimal| d.to_f64().unwrap_or_default();
    let ws = wb.add_worksheet().set_name("Rekap").map_err(e)?;
    ws.write_string_with_format(0, 0, format!("Rekap {} — {}", r.kanwil, r.period), &bold)
        .map_err(e)?;
    let head = [
        "Kode UPT",
        "Nama UPT",
        "Nihil",
        "Keluarga",
        "Keluarga WBP",
        "Masyarakat sekitar",
        "Paket",
        "Kepada wakil",
        "Rupiah disalurkan",
        "Dari hasil panen",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)
            .map_err(e)?;
    }
    for (i, f) in r
        .facilities
        .iter()
        .chain(std::iter::once(&r.total))
        .enumerate()
    {
        let row = 3 + i as u32;
        ws.write_string(row, 0, &f.code).map_err(e)?;
        ws.write_string(row, 1, &f.name).map_err(e)?;
        ws.write_string(row, 2, if f.nihil { "ya" } else { "" })
            .map_err(e)?;
        for (c, v) in [
            f.families,
            f.keluarga_wbp,
            f.masyarakat_sekitar,
            f.packages,
            f.to_proxy,
        ]
        .iter()
        .enumerate()
        {
            ws.write_number(row, 3 + c as u16, *v as f64).map_err(e)?;
        }
        ws.write_number(row, 8, n(f.issued_value)).map_err(e)?;
        ws.write_number(row, 9, n(f.harvest_value)).map_err(e)?;
    }
    let ws = wb.add_worksheet().set_name("Barang").map_err(e)?;
    for (c, h) in ["Kode", "Barang", "Satuan", "Disalurkan"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(e)?;
    }
    for (i, it) in r.items.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, &it.code).map_err(e)?;
        ws.write_string(row, 1, &it.name).map_err(e)?;
        ws.write_string(row, 2, &it.unit).map_err(e)?;
        ws.write_number(row, 3, n(it.handed_over)).map_err(e)?;
    }
    let ws = wb.add_worksheet().set_name("Sumber dana").map_err(e)?;
    for (c, h) in ["Sumber dana", "Diterima (Rp)", "Disalurkan (Rp)"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(e)?;
    }
    for (i, s) in r.sources.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, s.source.label_id()).map_err(e)?;
        ws.write_number(row, 1, n(s.received_value)).map_err(e)?;
        ws.write_number(row, 2, n(s.issued_value)).map_err(e)?;
    }
    let ws = wb.add_worksheet().set_name("Belum melapor").map_err(e)?;
    ws.write_string_with_format(0, 0, "Kode UPT", &bold)
        .map_err(e)?;
    for (i, c) in r.not_reported.iter().enumerate() {
        ws.write_string(1 + i as u32, 0, c).map_err(e)?;
    }
    wb.save_to_buffer().map_err(e)
}

/// A by-name list as a workbook (BNBA): NIK and No. KK as text, so no digit is lost.
pub fn byname_xlsx(
    facility: &str,
    period: &str,
    reference: &str,
    rows: &[crate::bundle::format::ByNameRow],
) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let e = Error::internal;
    let ws = wb.add_worksheet().set_name("Daftar nama").map_err(e)?;
    ws.write_string_with_format(
        0,
        0,
        format!("Daftar nama penerima {facility} — {period} (permintaan {reference})"),
        &bold,
    )
    .map_err(e)?;
    let head = [
        "No. BAST",
        "Tanggal",
        "Batal",
        "Kategori",
        "Kepala keluarga",
        "NIK",
        "No. KK",
        "Alamat",
        "RT",
        "RW",
        "Kode wilayah",
        "Diterima oleh",
        "Hubungan wakil",
        "Barang",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)
            .map_err(e)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        let category = match r.category.as_str() {
            "keluarga_wbp" => "Keluarga WBP",
            "masyarakat_sekitar" => "Masyarakat sekitar",
            other => other,
        };
        let items = r
            .items
            .iter()
            .map(|it| format!("{} {}", it.code, it.quantity))
            .collect::<Vec<_>>()
            .join("; ");
        let cells: [&str; 14] = [
            &r.bast_no,
            &r.date,
            if r.voided { "ya" } else { "" },
            category,
            &r.head_name,
            r.head_nik.as_deref().unwrap_or(""),
            r.kk.as_deref().unwrap_or(""),
            &r.address,
            &r.rt,
            &r.rw,
            r.region_code.as_deref().unwrap_or(""),
            &r.received_by,
            &r.proxy_relation,
            &items,
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(row, c as u16, *v).map_err(e)?;
        }
    }
    wb.save_to_buffer().map_err(e)
}

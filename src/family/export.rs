//! The registry as an XLSX workbook with Indonesian headers: sheet "Keluarga" (one row per
//! family, re-importable) and sheet "Anggota" (one row per person). NIKs are written as text so
//! Excel never rounds them.

use super::model::{from_code, mask_nik, Category, PoorReason, Relationship, WbpStatus};
use super::view::family_code;
use crate::error::{Error, Result};
use crate::region::Regions;
use rusqlite::Connection;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

fn xlsx_err(e: XlsxError) -> Error {
    Error::internal(format!("XLSX: {e}"))
}

pub const FAMILY_HEADERS: [&str; 23] = [
    "Kode Keluarga",
    "Nama Kepala Keluarga",
    "NIK Kepala Keluarga",
    "Status NIK",
    "No. KK",
    "Kategori",
    "Alamat",
    "RT",
    "RW",
    "Kode Wilayah",
    "Desa/Kelurahan",
    "Kecamatan",
    "Kabupaten/Kota",
    "Provinsi",
    "Telepon",
    "Nama WBP",
    "No. Registrasi WBP",
    "Status WBP",
    "Alasan Kurang Mampu",
    "Desil DTKS/DTSEN",
    "Tanggal Persetujuan",
    "Verifikasi",
    "Status",
];

pub const MEMBER_HEADERS: [&str; 8] = [
    "Kode Keluarga",
    "Nama",
    "NIK",
    "Status NIK",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Hubungan Keluarga",
    "No. KK",
];

/// Builds the workbook. `full_nik` = false writes masked NIKs and No. KK.
pub fn workbook(conn: &Connection, full_nik: bool, regions: &Regions) -> Result<(Vec<u8>, usize)> {
    let show = |n: Option<String>| -> String {
        match n {
            Some(n) if full_nik => n,
            Some(n) => mask_nik(&n),
            None => String::new(),
        }
    };
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#DDE7F0");
    let text = Format::new().set_num_format("@");

    let mut st = conn.prepare(
        "SELECT f.id, h.name, h.nik, h.nik_temporary, f.kk, f.category, f.address, f.rt, f.rw,
                f.region_code, f.phone, f.wbp_name, f.wbp_reg_no, f.wbp_status, f.reasons,
                f.dtks_decile, f.consent_date, f.verification, f.active, f.inactive_reason
         FROM family f LEFT JOIN person h ON h.family_id = f.id AND h.position = 0
         ORDER BY f.id",
    )?;
    let mut rows = st.query([])?;
    let ws = wb.add_worksheet();
    ws.set_name("Keluarga").map_err(xlsx_err)?;
    for (c, h) in FAMILY_HEADERS.iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &bold)
            .map_err(xlsx_err)?;
    }
    let mut r: u32 = 1;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let region: Option<String> = row.get(9)?;
        let path = region
            .as_deref()
            .and_then(|c| regions.path(c))
            .unwrap_or_default();
        let reasons: Vec<PoorReason> =
            serde_json::from_str(&row.get::<_, String>(14)?).unwrap_or_default();
        let category: Category =
            from_code(&row.get::<_, String>(5)?).unwrap_or(Category::MasyarakatSekitar);
        let status: Option<WbpStatus> = row
            .get::<_, Option<String>>(13)?
            .and_then(|s| from_code(&s));
        let active: bool = row.get(18)?;
        let inactive_reason: String = row.get(19)?;
        let decile: Option<i64> = row.get(15)?;
        let values: [String; 23] = [
            family_code(id),
            row.get::<_, Option<String>>(1)?.unwrap_or_default(),
            show(row.get(2)?),
            if row.get::<_, Option<bool>>(3)?.unwrap_or(false) {
                "Sementara".into()
            } else {
                "Tetap".into()
            },
            show(row.get(4)?),
            category.label_id().into(),
            row.get(6)?,
            row.get(7)?,
            row.get(8)?,
            region.clone().unwrap_or_default(),
            path.village.unwrap_or_default(),
            path.district.unwrap_or_default(),
            path.regency.unwrap_or_default(),
            path.province.unwrap_or_default(),
            row.get(10)?,
            row.get(11)?,
            row.get(12)?,
            status.map(|s| s.label_id().to_owned()).unwrap_or_default(),
            reasons
                .iter()
                .map(|r| r.label_id())
                .collect::<Vec<_>>()
                .join("; "),
            decile.map(|d| d.to_string()).unwrap_or_default(),
            row.get::<_, Option<String>>(16)?.unwrap_or_default(),
            if row.get::<_, String>(17)? == "verified" {
                "Terverifikasi".into()
            } else {
                "Draf".into()
            },
            if active {
                "Aktif".into()
            } else {
                format!("Nonaktif: {inactive_reason}")
            },
        ];
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, &text)
                .map_err(xlsx_err)?;
        }
        r += 1;
    }
    let families = (r - 1) as usize;
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    ws.autofit();

    let mut st = conn.prepare(
        "SELECT p.family_id, p.name, p.nik, p.nik_temporary, p.sex, p.birth_date, p.relationship, f.kk
         FROM person p JOIN family f ON f.id = p.family_id ORDER BY p.family_id, p.position",
    )?;
    let mut rows = st.query([])?;
    let ws = wb.add_worksheet();
    ws.set_name("Anggota").map_err(xlsx_err)?;
    for (c, h) in MEMBER_HEADERS.iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &bold)
            .map_err(xlsx_err)?;
    }
    let mut r: u32 = 1;
    while let Some(row) = rows.next()? {
        let rel: Relationship =
            from_code(&row.get::<_, String>(6)?).unwrap_or(Relationship::Lainnya);
        let values: [String; 8] = [
            family_code(row.get(0)?),
            row.get(1)?,
            show(row.get(2)?),
            if row.get::<_, bool>(3)? {
                "Sementara".into()
            } else {
                "Tetap".into()
            },
            row.get::<_, Option<String>>(4)?.unwrap_or_default(),
            row.get::<_, Option<String>>(5)?.unwrap_or_default(),
            rel.label_id().into(),
            show(row.get(7)?),
        ];
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, &text)
                .map_err(xlsx_err)?;
        }
        r += 1;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    ws.autofit();
    let bytes = wb.save_to_buffer().map_err(xlsx_err)?;
    Ok((bytes, families))
}

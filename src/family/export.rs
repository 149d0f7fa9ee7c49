//! The registry as an XLSX workbook with Indonesian headers: sheet "Keluarga" (one row per
//! family, re-importable) and sheet "Anggota" (one row per person). NIKs are written as text so
//! Excel never rounds them.

use super::model::{from_code, mask_nik, Category, PoorReason, Relationship, WbpStatus};
use super::view::family_code;
use crate::db::Db as Connection;
use crate::error::{Error, Result};
use crate::region::Regions;
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

    let ws = wb.add_worksheet();
    ws.set_name("Keluarga").map_err(xlsx_err)?;
    for (c, h) in FAMILY_HEADERS.iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &bold)
            .map_err(xlsx_err)?;
    }
    let mut r: u32 = 1;
    super::db::each_export_family(conn, |f| {
        let path = f
            .region_code
            .as_deref()
            .and_then(|c| regions.path(c))
            .unwrap_or_default();
        let reasons: Vec<PoorReason> = serde_json::from_str(&f.reasons).unwrap_or_default();
        let category: Category = from_code(&f.category).unwrap_or(Category::MasyarakatSekitar);
        let status: Option<WbpStatus> = f.wbp_status.as_deref().and_then(from_code);
        let values: [String; 23] = [
            family_code(f.id),
            f.head_name.unwrap_or_default(),
            show(f.head_nik),
            if f.nik_temporary.unwrap_or(false) {
                "Sementara".into()
            } else {
                "Tetap".into()
            },
            show(f.kk),
            category.label_id().into(),
            f.address,
            f.rt,
            f.rw,
            f.region_code.clone().unwrap_or_default(),
            path.village.unwrap_or_default(),
            path.district.unwrap_or_default(),
            path.regency.unwrap_or_default(),
            path.province.unwrap_or_default(),
            f.phone,
            f.wbp_name,
            f.wbp_reg_no,
            status.map(|s| s.label_id().to_owned()).unwrap_or_default(),
            reasons
                .iter()
                .map(|r| r.label_id())
                .collect::<Vec<_>>()
                .join("; "),
            f.dtks_decile.map(|d| d.to_string()).unwrap_or_default(),
            f.consent_date.unwrap_or_default(),
            if f.verification == "verified" {
                "Terverifikasi".into()
            } else {
                "Draf".into()
            },
            if f.active {
                "Aktif".into()
            } else {
                format!("Nonaktif: {}", f.inactive_reason)
            },
        ];
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, &text)
                .map_err(xlsx_err)?;
        }
        r += 1;
        Ok(())
    })?;
    let families = (r - 1) as usize;
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    ws.autofit();

    let ws = wb.add_worksheet();
    ws.set_name("Anggota").map_err(xlsx_err)?;
    for (c, h) in MEMBER_HEADERS.iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &bold)
            .map_err(xlsx_err)?;
    }
    let mut r: u32 = 1;
    super::db::each_export_member(conn, |m| {
        let rel: Relationship = from_code(&m.relationship).unwrap_or(Relationship::Lainnya);
        let values: [String; 8] = [
            family_code(m.family_id),
            m.name,
            show(m.nik),
            if m.nik_temporary {
                "Sementara".into()
            } else {
                "Tetap".into()
            },
            m.sex.unwrap_or_default(),
            m.birth_date.unwrap_or_default(),
            rel.label_id().into(),
            show(m.kk),
        ];
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, &text)
                .map_err(xlsx_err)?;
        }
        r += 1;
        Ok(())
    })?;
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    ws.autofit();
    let bytes = wb.save_to_buffer().map_err(xlsx_err)?;
    Ok((bytes, families))
}

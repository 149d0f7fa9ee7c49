//! The by-name attendance list (daftar hadir by name by address, BNBA) of an event: every planned
//! family with its masked NIK and address, and a column each recipient signs at the hall,
//! numbers alternating left and right as on Indonesian attendance forms.

use super::{bast::Logo, text_width, Align, Doc};
use crate::distribution::{Event, EventKind};
use crate::error::Result;
use crate::facility::FacilityProfile;
use crate::family::model::parse_date;
use crate::locale::{self, Lang};

pub struct Row {
    pub code: String,
    pub name: String,
    pub nik: String,
    pub address: String,
    pub members: i64,
    /// The BAST number when the family has been served.
    pub bast_no: String,
}

const L: f32 = 12.0;
const R: f32 = 198.0;
const ROW: f32 = 11.0;
const TOP: f32 = 62.0;
const BOTTOM: f32 = 270.0;

/// (left edge, header)
const COLS: [(f32, &str); 7] = [
    (L, "No"),
    (20.0, "Nama / No. Keluarga"),
    (66.0, "NIK"),
    (97.0, "Alamat"),
    (139.0, "Jiwa"),
    (148.0, "No. BAST"),
    (165.0, "Tanda tangan"),
];

fn fit(s: &str, width: f32, size: f32) -> String {
    if text_width(s, size, false) <= width {
        return s.to_owned();
    }
    let mut out: String = s.to_owned();
    while !out.is_empty() && text_width(&format!("{out}…"), size, false) > width {
        out.pop();
    }
    format!("{out}…")
}

fn kind_label(k: EventKind) -> &'static str {
    match k {
        EventKind::RutinBulanan => "Rutin bulanan",
        EventKind::SerentakNasional => "Serentak nasional",
        EventKind::HariBesar => "Hari besar",
        EventKind::KunjunganRumah => "Kunjungan rumah",
    }
}

pub fn render(
    e: &Event,
    f: &FacilityProfile,
    rows: &[Row],
    logo: Option<&Logo>,
) -> Result<Vec<u8>> {
    let mut doc = Doc::new(&format!("Daftar hadir kegiatan #{}", e.id))?;
    let logo = logo.map(|l| {
        (
            doc.add_rgb_image(l.width, l.height, l.rgb.clone()),
            l.height,
        )
    });
    let per_page = ((BOTTOM - TOP) / ROW) as usize;
    let pages = rows.len().div_ceil(per_page).max(1);
    let date = parse_date(&e.date)
        .map(|d| locale::long_date(d, Lang::Id))
        .unwrap_or_else(|| e.date.clone());
    let head = |doc: &mut Doc, page: usize| {
        if let Some((id, h)) = &logo {
            doc.image(id, *h, L, 9.0, 17.0);
        }
        doc.text_fit(
            105.0,
            15.0,
            12.0,
            true,
            Align::Center,
            140.0,
            &f.name.to_uppercase(),
        );
        doc.text_fit(105.0, 20.5, 8.5, false, Align::Center, 140.0, &f.address);
        doc.rule(L, 28.0, R, 28.0, 1.2, 0.0);
        doc.text(
            105.0,
            36.0,
            11.5,
            true,
            Align::Center,
            "DAFTAR HADIR PENERIMA BANTUAN SOSIAL",
        );
        doc.text(
            L,
            44.0,
            9.5,
            false,
            Align::Left,
            &format!("Kegiatan: {} — {}", kind_label(e.kind), date),
        );
        doc.text_fit(
            L,
            49.5,
            9.5,
            false,
            Align::Left,
            120.0,
            &format!("Tempat: {}", e.place),
        );
        doc.text_fit(
            R,
            44.0,
            9.5,
            false,
            Align::Right,
            60.0,
            &format!("Paket: {}", e.template.name),
        );
        doc.text(
            R,
            49.5,
            9.5,
            false,
            Align::Right,
            &format!("Halaman {} dari {}", page + 1, pages),
        );
        doc.rule(L, TOP - 7.0, R, TOP - 7.0, 0.6, 0.0);
        for (x, h) in COLS {
            doc.text(x + 1.0, TOP - 2.2, 8.5, true, Align::Left, h);
        }
        doc.rule(L, TOP, R, TOP, 0.6, 0.0);
    };
    head(&mut doc, 0);
    let mut y = TOP;
    let mut page_top = TOP - 7.0;
    for (i, r) in rows.iter().enumerate() {
        if i > 0 && i % per_page == 0 {
            for (x, _) in COLS {
                doc.rule(x, page_top, x, y, 0.4, 0.0);
            }
            doc.rule(R, page_top, R, y, 0.4, 0.0);
            doc.new_page();
            head(&mut doc, i / per_page);
            y = TOP;
            page_top = TOP - 7.0;
        }
        let n = i + 1;
        let size = 8.5;
        doc.text(L + 1.0, y + 4.5, size, false, Align::Left, &n.to_string());
        doc.text(
            21.0,
            y + 4.5,
            size,
            false,
            Align::Left,
            &fit(&r.name, 44.0, size),
        );
        doc.text_fit(21.0, y + 8.8, 7.5, false, Align::Left, 44.0, &r.code);
        doc.text(67.0, y + 4.5, size, false, Align::Left, &r.nik);
        let addr = super::wrap(&r.address, 7.5, false, 40.0);
        for (k, line) in addr.iter().take(2).enumerate() {
            let line = if k == 1 && addr.len() > 2 {
                fit(&format!("{line} {}", addr[2..].join(" ")), 40.0, 7.5)
            } else {
                line.clone()
            };
            doc.text(
                98.0,
                y + 4.5 + k as f32 * 4.0,
                7.5,
                false,
                Align::Left,
                &line,
            );
        }
        doc.text(
            145.0,
            y + 4.5,
            size,
            false,
            Align::Right,
            &r.members.to_string(),
        );
        let bast = r.bast_no.split('/').next().unwrap_or_default();
        doc.text_fit(149.0, y + 4.5, size, false, Align::Left, 15.0, bast);
        // Alternate the signing place so neighbours do not sign over each other.
        let sx = if n % 2 == 1 { 166.0 } else { 181.0 };
        doc.text(
            sx,
            y + 7.5,
            8.0,
            false,
            Align::Left,
            &format!("{n}. ........"),
        );
        y += ROW;
        doc.rule(L, y, R, y, 0.3, 0.0);
    }
    for (x, _) in COLS {
        doc.rule(x, page_top, x, y, 0.4, 0.0);
    }
    doc.rule(R, page_top, R, y, 0.4, 0.0);
    if rows.is_empty() {
        doc.text(
            105.0,
            TOP + 8.0,
            9.5,
            false,
            Align::Center,
            "Belum ada penerima terencana.",
        );
        y += 12.0;
    }
    // Sign-off: the officer who ran it and the head who knows of it.
    if y + 45.0 > 290.0 {
        doc.new_page();
        y = 20.0;
    }
    let town = f.name.split_whitespace().last().unwrap_or_default();
    let day = parse_date(&e.date)
        .map(|d| {
            use chrono::Datelike;
            format!(
                "{} {} {}",
                d.day(),
                locale::month_name(d.month(), Lang::Id),
                d.year()
            )
        })
        .unwrap_or_default();
    doc.text_fit(
        166.0,
        y + 10.0,
        9.5,
        false,
        Align::Center,
        70.0,
        &format!("{town}, {day}"),
    );
    doc.text(44.0, y + 15.5, 9.5, false, Align::Center, "Mengetahui,");
    doc.text_fit(
        44.0,
        y + 20.5,
        9.5,
        true,
        Align::Center,
        76.0,
        &format!("Kepala {}", f.name),
    );
    doc.text_fit(44.0, y + 42.0, 9.5, true, Align::Center, 76.0, &f.head_name);
    doc.text_fit(
        44.0,
        y + 46.5,
        8.5,
        false,
        Align::Center,
        76.0,
        &format!("NIP {}", f.head_nip),
    );
    doc.text(
        166.0,
        y + 15.5,
        9.5,
        false,
        Align::Center,
        "Petugas penyalur,",
    );
    doc.text(
        166.0,
        y + 42.0,
        9.5,
        false,
        Align::Center,
        "(.................................)",
    );
    Ok(doc.save())
}

//! The stock card (kartu stok) as an A4 PDF: facility, item and period at the top; date,
//! document, kind, lot, in, out and running balance; the header repeated on every page.

use super::{text_width, Align, Doc};
use crate::error::Result;
use crate::facility::FacilityProfile;
use crate::family::model::parse_date;
use crate::locale::{self, Lang};
use crate::stock::{MovementKind, StockCard};

const LEFT: f32 = 15.0;
const RIGHT: f32 = 195.0;
const ROW: f32 = 6.0;
const BODY: f32 = 8.5;
const BOTTOM: f32 = 272.0;

/// (left edge or right edge for numbers, width, right-aligned, header)
const COLS: [(f32, f32, bool, &str); 7] = [
    (LEFT, 18.0, false, "Tanggal"),
    (34.0, 58.0, false, "Dokumen"),
    (93.0, 20.0, false, "Jenis"),
    (114.0, 20.0, false, "Lot"),
    (154.0, 18.0, true, "Masuk"),
    (174.5, 18.0, true, "Keluar"),
    (RIGHT, 18.0, true, "Saldo"),
];
const BODY_SMALL: f32 = 7.8;

fn fit(s: &str, width: f32, bold: bool) -> String {
    if text_width(s, BODY_SMALL, bold) <= width {
        return s.to_owned();
    }
    let mut out: String = s.to_owned();
    while !out.is_empty() && text_width(&format!("{out}…"), BODY_SMALL, bold) > width {
        out.pop();
    }
    format!("{out}…")
}

/// "1 November 2024" (no weekday).
fn plain_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {} {}",
        d.day(),
        locale::month_name(d.month(), Lang::Id),
        d.year()
    )
}

fn date(s: &str) -> String {
    parse_date(s)
        .map(locale::short_date)
        .unwrap_or_else(|| s.to_owned())
}

fn table_header(doc: &mut Doc, y: f32) {
    doc.rule(LEFT, y - 4.2, RIGHT, y - 4.2, 0.6, 0.0);
    for (x, _, right, h) in COLS {
        doc.text(
            x,
            y,
            BODY,
            true,
            if right { Align::Right } else { Align::Left },
            h,
        );
    }
    doc.rule(LEFT, y + 1.8, RIGHT, y + 1.8, 0.6, 0.0);
}

/// Renders the card. `printed_at` is shown in the footer ("Sabtu, 16 November 2024 10.00 WIB").
pub fn render(card: &StockCard, facility: &FacilityProfile, printed_at: &str) -> Result<Vec<u8>> {
    let mut doc = Doc::new(&format!("Kartu stok {}", card.item.name))?;
    let q = |d: rust_decimal::Decimal| locale::decimal(d, Lang::Id);
    let period = format!(
        "{} s.d. {}",
        parse_date(&card.from).map(plain_date).unwrap_or_default(),
        parse_date(&card.to).map(plain_date).unwrap_or_default()
    );
    let page_head = |doc: &mut Doc| -> f32 {
        doc.text_fit(
            105.0,
            18.0,
            12.0,
            true,
            Align::Center,
            RIGHT - LEFT,
            &facility.name.to_uppercase(),
        );
        doc.text_fit(
            105.0,
            23.5,
            8.5,
            false,
            Align::Center,
            RIGHT - LEFT,
            &facility.address,
        );
        doc.rule(LEFT, 26.0, RIGHT, 26.0, 1.0, 0.0);
        doc.text(105.0, 34.0, 12.0, true, Align::Center, "KARTU STOK");
        doc.text_fit(
            LEFT,
            42.0,
            9.5,
            false,
            Align::Left,
            (RIGHT - LEFT) * 0.7,
            &format!("Barang: {} ({})", card.item.name, card.item.code),
        );
        doc.text(
            RIGHT,
            42.0,
            9.5,
            false,
            Align::Right,
            &format!("Satuan: {}", card.item.unit),
        );
        doc.text(
            LEFT,
            47.5,
            9.5,
            false,
            Align::Left,
            &format!("Periode: {period}"),
        );
        table_header(doc, 56.0);
        56.0 + ROW + 0.5
    };
    let mut y = page_head(&mut doc);
    let row = |doc: &mut Doc, y: f32, cells: [String; 7], bold: bool| {
        for ((x, w, right, _), c) in COLS.iter().zip(cells) {
            let c = fit(&c, *w, bold);
            doc.text(
                *x,
                y,
                BODY_SMALL,
                bold,
                if *right { Align::Right } else { Align::Left },
                &c,
            );
        }
        doc.rule(LEFT, y + 1.8, RIGHT, y + 1.8, 0.2, 0.7);
    };
    row(
        &mut doc,
        y,
        [
            date(&card.from),
            "Saldo awal".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            q(card.opening),
        ],
        true,
    );
    y += ROW;
    for r in &card.rows {
        if y > BOTTOM {
            doc.new_page();
            y = page_head(&mut doc);
        }
        let kind = match r.kind {
            MovementKind::Receipt => "Penerimaan",
            MovementKind::Issue => "Pengeluaran",
            MovementKind::Adjustment => "Penyesuaian",
            MovementKind::Reversal => "Pembatalan",
        };
        row(
            &mut doc,
            y,
            [
                date(&r.date),
                r.doc_ref.clone(),
                kind.into(),
                r.lot_code.clone(),
                r.qty_in.map(q).unwrap_or_default(),
                r.qty_out.map(q).unwrap_or_default(),
                q(r.balance),
            ],
            false,
        );
        y += ROW;
    }
    if y > BOTTOM {
        doc.new_page();
        y = page_head(&mut doc);
    }
    row(
        &mut doc,
        y,
        [
            date(&card.to),
            "Saldo akhir".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            q(card.closing),
        ],
        true,
    );
    let pages = doc.page_count();
    for p in 0..pages {
        doc.text_on(
            p,
            LEFT,
            287.0,
            7.5,
            false,
            Align::Left,
            &format!("Dicetak {printed_at}"),
        );
        doc.text_on(
            p,
            RIGHT,
            287.0,
            7.5,
            false,
            Align::Right,
            &format!("Halaman {} dari {pages}", p + 1),
        );
    }
    Ok(doc.save())
}

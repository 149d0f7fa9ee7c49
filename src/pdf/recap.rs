//! The Kanwil's monthly recap of the province as a PDF: per facility and for the province —
//! families by category, packages, rupiah issued and the harvest share — then quantities per
//! item, rupiah per funding source, and who has not reported. Figures only: no person.

use super::{fit, Align, Doc, A4_W};
use crate::error::Result;
use crate::kanwil::Recap;
use crate::locale::{decimal, rupiah, Lang};
use crate::month::Month;

const LEFT: f32 = 15.0;
const RIGHT: f32 = A4_W - 15.0;
const BOTTOM: f32 = 280.0;

fn source_label(s: crate::stock::FundingSource) -> &'static str {
    s.label_id()
}

pub fn recap_pdf(r: &Recap) -> Result<Vec<u8>> {
    let period = Month::parse(&r.period).map_or_else(|| r.period.clone(), |m| m.words(Lang::Id));
    let mut doc = Doc::new(&format!("Rekap provinsi {period}"))?;
    let mut y = 20.0;
    doc.text(
        A4_W / 2.0,
        y,
        13.0,
        true,
        Align::Center,
        "REKAP PENYALURAN BANTUAN SOSIAL UPT PEMASYARAKATAN",
    );
    y += 6.5;
    doc.text(
        A4_W / 2.0,
        y,
        11.0,
        false,
        Align::Center,
        &format!("{} — {}", r.kanwil, period),
    );
    y += 10.0;
    // Columns: code/name, families, WBP, sekitar, packages, proxy, rupiah issued.
    let cols = [
        (LEFT, "UPT"),
        (85.0, "Keluarga"),
        (103.0, "WBP"),
        (121.0, "Sekitar"),
        (139.0, "Paket"),
        (155.0, "Wakil"),
        (RIGHT, "Rupiah disalurkan"),
    ];
    let header = |doc: &mut Doc, y: f32| {
        for (i, (x, t)) in cols.iter().enumerate() {
            let a = if i == 0 { Align::Left } else { Align::Right };
            doc.text(*x, y, 8.5, true, a, t);
        }
        doc.rule(LEFT, y + 1.5, RIGHT, y + 1.5, 0.6, 0.0);
    };
    header(&mut doc, y);
    y += 6.0;
    for f in r.facilities.iter().chain(std::iter::once(&r.total)) {
        if y > BOTTOM {
            doc.new_page();
            y = 20.0;
            header(&mut doc, y);
            y += 6.0;
        }
        let total = f.code == r.total.code;
        if total {
            doc.rule(LEFT, y - 4.0, RIGHT, y - 4.0, 0.6, 0.0);
        }
        let name = if total {
            "Jumlah provinsi".to_owned()
        } else {
            format!("{} {}", f.code, if f.nihil { "(nihil)" } else { "" })
        };
        doc.text(
            cols[0].0,
            y,
            8.5,
            total,
            Align::Left,
            &fit(&name, 8.5, total, 52.0),
        );
        let nums = [
            f.families,
            f.keluarga_wbp,
            f.masyarakat_sekitar,
            f.packages,
            f.to_proxy,
        ];
        for (i, n) in nums.iter().enumerate() {
            doc.text(
                cols[i + 1].0,
                y,
                8.5,
                total,
                Align::Right,
                &decimal((*n).into(), Lang::Id),
            );
        }
        doc.text(RIGHT, y, 8.5, total, Align::Right, &rupiah(f.issued_value));
        y += 5.0;
    }
    y += 3.0;
    doc.text(
        LEFT,
        y,
        9.0,
        false,
        Align::Left,
        &format!(
            "Dari hasil panen UPT: {} ({}% dari rupiah yang disalurkan).",
            rupiah(r.total.harvest_value),
            decimal(r.harvest_share, Lang::Id)
        ),
    );
    y += 9.0;
    let section = |doc: &mut Doc, y: &mut f32, title: &str| {
        if *y > BOTTOM - 20.0 {
            doc.new_page();
            *y = 20.0;
        }
        doc.text(LEFT, *y, 10.0, true, Align::Left, title);
        *y += 6.0;
    };
    section(&mut doc, &mut y, "Barang yang disalurkan");
    for i in &r.items {
        if y > BOTTOM {
            doc.new_page();
            y = 20.0;
        }
        doc.text(
            LEFT,
            y,
            8.5,
            false,
            Align::Left,
            &fit(&format!("{} — {}", i.code, i.name), 8.5, false, 120.0),
        );
        doc.text(
            RIGHT,
            y,
            8.5,
            false,
            Align::Right,
            &format!("{} {}", decimal(i.handed_over, Lang::Id), i.unit),
        );
        y += 5.0;
    }
    y += 4.0;
    section(
        &mut doc,
        &mut y,
        "Rupiah per sumber dana (diterima / disalurkan)",
    );
    for s in &r.sources {
        if y > BOTTOM {
            doc.new_page();
            y = 20.0;
        }
        doc.text(LEFT, y, 8.5, false, Align::Left, source_label(s.source));
        doc.text(
            150.0,
            y,
            8.5,
            false,
            Align::Right,
            &rupiah(s.received_value),
        );
        doc.text(RIGHT, y, 8.5, false, Align::Right, &rupiah(s.issued_value));
        y += 5.0;
    }
    y += 4.0;
    section(&mut doc, &mut y, "Belum melapor");
    let nr = if r.not_reported.is_empty() {
        "Semua UPT terdaftar sudah melapor.".to_owned()
    } else {
        r.not_reported.join(", ")
    };
    for line in super::wrap(&nr, 8.5, false, RIGHT - LEFT) {
        doc.text(LEFT, y, 8.5, false, Align::Left, &line);
        y += 4.5;
    }
    Ok(doc.save())
}

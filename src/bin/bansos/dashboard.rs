//! `bansos dashboard`: Beranda on the terminal — the facility's month at a glance, or at a
//! Kanwil the province's last month.

use super::{day, lang, ok, out, print_json, say, sign_in, tr, Ctx, Out};
use bansos::locale::{decimal, rupiah};
use bansos::month::Month;
use bansos::stock::StockAlert;

/// "1–30 November 2026": the days a month's figures count.
fn days(first: &str, last: &str) -> String {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    match (d(first), d(last)) {
        (Some(a), Some(b)) => {
            use chrono::Datelike;
            format!(
                "{}–{} {} {}",
                a.day(),
                b.day(),
                bansos::locale::month_name(b.month(), lang()),
                b.year()
            )
        }
        _ => format!("{first}–{last}"),
    }
}

fn month_words(p: &str) -> String {
    Month::parse(p).map_or_else(|| p.to_owned(), |m| m.words(lang()))
}

pub fn dashboard(ctx: &Ctx) -> Out {
    let mut app = sign_in(ctx)?;
    if app.session_info()?.regional {
        return regional(ctx, app);
    }
    let d = app.dashboard()?;
    if ctx.json {
        return print_json(&d).map(|()| std::process::ExitCode::SUCCESS);
    }
    let m = &d.this_month;
    say!(
        "Bulan berjalan: {} (dihitung sekarang)",
        "This month: {} (counted now)",
        days(&m.first, &m.last)
    );
    say!(
        "  {} keluarga dilayani ({} keluarga WBP, {} masyarakat sekitar), {} paket, {} disalurkan",
        "  {} families served ({} inmates' families, {} neighbours), {} packages, {} issued",
        m.families,
        m.keluarga_wbp,
        m.masyarakat_sekitar,
        m.packages,
        rupiah(m.issued_value)
    );
    if let Some(fams) = &d.families {
        for c in fams {
            let name = match c.category.as_str() {
                "keluarga_wbp" => tr!("Keluarga WBP", "Inmates' families"),
                _ => tr!("Masyarakat sekitar", "Neighbours"),
            };
            say!(
                "  {}: {} dilayani dari {} yang layak ({} terdaftar)",
                "  {}: {} served of {} eligible ({} registered)",
                name,
                c.served,
                c.eligible,
                c.registered
            );
        }
    }
    say!("Paket per bulan:", "Packages by month:");
    for f in &d.months {
        let how = if f.period == m.period {
            tr!("berjalan", "running").to_owned()
        } else if f.live {
            tr!(
                "belum ditutup, dihitung sekarang",
                "not closed, counted now"
            )
            .to_owned()
        } else if f.nihil {
            tr!("ditutup, nihil", "closed, nil").to_owned()
        } else {
            tr!(
                format!("ditutup, revisi {}", f.revision.unwrap_or(1)),
                format!("closed, revision {}", f.revision.unwrap_or(1))
            )
        };
        out!(
            "  {:<16} {:>6}  {}",
            month_words(&f.period),
            f.packages,
            how
        );
    }
    if !d.to_close.is_empty() {
        say!(
            "Belum ditutup: {}",
            "Not closed yet: {}",
            d.to_close
                .iter()
                .map(|p| month_words(p))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let o = &d.outbox;
    if o.enrolled {
        say!(
            "Kotak keluar: {} dibuat, {} dikirim, {} diterima Kanwil, {} ditolak, {} ditahan; {} bulan menunggu bundel",
            "Outbox: {} created, {} sent, {} acknowledged, {} refused, {} held; {} months waiting for a bundle",
            o.created,
            o.sent,
            o.acknowledged,
            o.refused,
            o.held,
            o.waiting
        );
    } else {
        say!(
            "Belum terdaftar di Kanwil.",
            "Not enrolled with a Kanwil yet."
        );
    }
    say!("Stok:", "Stock:");
    for i in &d.stock.items {
        out!(
            "  {:<24} {:>12} {}{}",
            i.item.name,
            decimal(i.quantity, lang()),
            i.item.unit,
            if i.below_minimum {
                tr!("  (di bawah minimum)", "  (below minimum)")
            } else {
                ""
            }
        );
    }
    for a in &d.stock.alerts {
        if let StockAlert::Expiring {
            item,
            lot_code,
            expiry,
            days_left,
            ..
        } = a
        {
            say!(
                "  PERINGATAN: {} lot {} kedaluwarsa {} ({} hari lagi)",
                "  WARNING: {} lot {} expires {} (in {} days)",
                item,
                lot_code,
                day(expiry),
                days_left
            );
        }
    }
    if let Some(events) = &d.events {
        for e in events {
            say!(
                "Kegiatan {}, {}: {} keluarga direncanakan, {} sudah menerima{}",
                "Event {}, {}: {} families planned, {} served{}",
                day(&e.date),
                e.place,
                e.planned,
                e.handed_over,
                if e.short.is_empty() {
                    String::new()
                } else {
                    tr!(
                        format!(
                            "; kurang {}",
                            e.short
                                .iter()
                                .map(|(i, u, q)| format!("{i} {q} {u}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        format!(
                            "; short of {}",
                            e.short
                                .iter()
                                .map(|(i, u, q)| format!("{i} {q} {u}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    )
                }
            );
        }
    }
    ok()
}

fn regional(ctx: &Ctx, mut app: bansos::App) -> Out {
    let d = app.regional_dashboard()?;
    if ctx.json {
        return print_json(&d).map(|()| std::process::ExitCode::SUCCESS);
    }
    say!(
        "{}: {} dari {} UPT sudah melapor",
        "{}: {} of {} facilities have reported",
        month_words(&d.period),
        d.reported,
        d.members
    );
    for (code, days) in &d.late {
        say!("  {} terlambat {} hari", "  {} {} days late", code, days);
    }
    for (code, state, days) in &d.outstanding {
        say!(
            "  {} belum ({}), lewat {} hari dari batas",
            "  {} not yet ({}), {} days past the due date",
            code,
            super::exchange::completeness_state(state),
            days
        );
    }
    let t = &d.recap.total;
    say!(
        "Provinsi: {} keluarga, {} paket, {} disalurkan",
        "Province: {} families, {} packages, {} issued",
        t.families,
        t.packages,
        rupiah(t.issued_value)
    );
    say!(
        "Orang yang dilayani dua UPT: {} pasangan BAST",
        "People served by two facilities: {} pairs of BASTs",
        d.cross_pairs
    );
    ok()
}

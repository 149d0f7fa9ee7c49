//! `bansos month list/checklist/close/reopen` and `bansos report`: the monthly closing and the
//! monthly report's files.

use super::{bytes, lang, msg, ok, out, print_json, save_new, say, sign_in, tr, when, Ctx, Out};
use bansos::locale::{Lang, TimeZone};
use bansos::month::{CheckLevel, MonthLine, MonthState};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum MonthCmd {
    /// Bulan-bulan UPT dengan keadaannya: berjalan, terbuka, ditutup, nihil, dibuka kembali
    List,
    /// Daftar periksa sebelum tutup buku: yang menghalangi, yang perlu dilihat
    Checklist {
        /// Bulan, mis. 2024-11
        month: String,
    },
    /// Tutup buku satu bulan (Kepala UPT): laporan disimpan dan ditandatangani, catatan bulan itu dikunci
    Close {
        /// Bulan, mis. 2024-11
        month: String,
    },
    /// Buka kembali bulan terakhir yang ditutup (Kepala UPT), dengan alasan
    Reopen {
        /// Bulan, mis. 2024-11
        month: String,
        /// Alasan membuka kembali (dicatat di log audit)
        #[arg(long)]
        reason: String,
    },
}

#[derive(Args)]
pub struct ReportArgs {
    /// Bulan yang sudah ditutup, mis. 2024-11
    pub month: String,
    /// Simpan laporan PDF ke berkas ini (berkas yang sudah ada tidak ditimpa)
    #[arg(long)]
    pub pdf: Option<PathBuf>,
    /// Simpan laporan XLSX ke berkas ini (berkas yang sudah ada tidak ditimpa)
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
    /// Revisi laporan [bawaan: yang terakhir]
    #[arg(long)]
    pub revision: Option<u32>,
}

fn state_label(s: MonthState) -> &'static str {
    match s {
        MonthState::Current => tr!("berjalan", "current"),
        MonthState::Open => tr!("belum ditutup", "not closed"),
        MonthState::Closed => tr!("ditutup", "closed"),
        MonthState::Nihil => tr!("ditutup nihil", "closed, nil"),
        MonthState::Reopened => tr!("dibuka kembali", "reopened"),
    }
}

fn month_words(period: &str) -> String {
    bansos::month::Month::parse(period)
        .map(|m| m.words(lang()))
        .unwrap_or_else(|| period.to_owned())
}

fn print_line(l: &MonthLine, tz: TimeZone) {
    let mut line = format!(
        "{:<8} {:<16} {}",
        l.period,
        state_label(l.state),
        month_words(&l.period)
    );
    if let Some(c) = &l.closing {
        let rev = if c.revision > 1 {
            tr!(
                format!(" (revisi {})", c.revision),
                format!(" (revision {})", c.revision)
            )
        } else {
            String::new()
        };
        let by = tr!(
            format!(
                " — ditutup oleh {} pada {}{rev}",
                c.closed_by_name,
                when(&c.closed_at, tz)
            ),
            format!(
                " — closed by {} on {}{rev}",
                c.closed_by_name,
                when(&c.closed_at, tz)
            )
        );
        line.push_str(&by);
        if let Some(at) = &c.reopened_at {
            line.push_str(&tr!(
                format!("; dibuka kembali {}: {}", when(at, tz), c.reopen_reason),
                format!("; reopened {}: {}", when(at, tz), c.reopen_reason)
            ));
        }
    }
    if l.can_close {
        line.push_str(tr!("  ← dapat ditutup", "  ← can be closed"));
    }
    out!("{line}");
}

pub fn month(ctx: &Ctx, c: MonthCmd) -> Out {
    let mut app = sign_in(ctx)?;
    let tz = app.facility()?.profile.time_zone;
    match c {
        MonthCmd::List => {
            let lines = app.months()?;
            if ctx.json {
                print_json(&lines)?;
            } else {
                for l in &lines {
                    print_line(l, tz);
                }
            }
            ok()
        }
        MonthCmd::Checklist { month } => {
            let c = app.month_checklist(&month)?;
            if ctx.json {
                print_json(&c)?;
                return ok();
            }
            say!(
                "Daftar periksa tutup buku {}:",
                "Closing checklist of {}:",
                month_words(&c.period)
            );
            if c.points.is_empty() {
                say!("  tidak ada yang perlu diperiksa.", "  nothing to look at.");
            }
            for p in &c.points {
                let level = match p.level {
                    CheckLevel::Blocking => tr!("MENGHALANGI", "BLOCKING"),
                    CheckLevel::Warning => tr!("PERINGATAN", "WARNING"),
                    CheckLevel::Info => tr!("INFO", "INFO"),
                };
                out!(
                    "  [{level}] {}",
                    if lang() == Lang::Id { &p.id } else { &p.en }
                );
                for r in p.records.iter().take(20) {
                    out!("      {}", r.label);
                }
                if p.records.len() > 20 {
                    say!(
                        "      … dan {} lagi",
                        "      … and {} more",
                        p.records.len() - 20
                    );
                }
            }
            if c.ready && c.nihil {
                say!(
                    "Dapat ditutup sebagai NIHIL (tidak ada penyaluran).",
                    "Can be closed as NIL (no distribution)."
                );
            } else if c.ready {
                say!("Dapat ditutup.", "Can be closed.");
            }
            ok()
        }
        MonthCmd::Close { month } => {
            let c = app.close_month(&month)?;
            if ctx.json {
                print_json(&c)?;
            } else if c.nihil {
                say!(
                    "Bulan {} ditutup sebagai NIHIL (revisi {}). Laporan SHA-256 {}.",
                    "{} closed as NIL (revision {}). Report SHA-256 {}.",
                    month_words(&c.period),
                    c.revision,
                    c.report_sha256
                );
            } else {
                say!(
                    "Bulan {} ditutup (revisi {}). Laporan SHA-256 {}.",
                    "{} closed (revision {}). Report SHA-256 {}.",
                    month_words(&c.period),
                    c.revision,
                    c.report_sha256
                );
            }
            ok()
        }
        MonthCmd::Reopen { month, reason } => {
            let c = app.reopen_month(&month, &reason)?;
            if ctx.json {
                print_json(&c)?;
            } else {
                say!(
                    "Bulan {} dibuka kembali. Tutup lagi untuk membuat revisi {} laporannya.",
                    "{} reopened. Close it again to make revision {} of its report.",
                    month_words(&c.period),
                    c.revision + 1
                );
            }
            ok()
        }
    }
}

pub fn report(ctx: &Ctx, a: ReportArgs) -> Out {
    if a.pdf.is_none() && a.xlsx.is_none() && !ctx.json {
        return Err(msg(
            "sebutkan --pdf BERKAS dan/atau --xlsx BERKAS (atau --json untuk datanya)",
            "give --pdf FILE and/or --xlsx FILE (or --json for its data)",
        ));
    }
    let mut app = sign_in(ctx)?;
    let report = app.month_report(&a.month, a.revision)?;
    if ctx.json && a.pdf.is_none() && a.xlsx.is_none() {
        print_json(&report)?;
        return ok();
    }
    let (pdf, xlsx) = app.month_report_files(&a.month, a.revision)?;
    let mut saved = Vec::new();
    for (path, bytes_of) in [(a.pdf, pdf), (a.xlsx, xlsx)] {
        if let Some(p) = path {
            let (written, size) = save_new(&p, || Ok(bytes_of))?;
            saved.push((written, size));
        }
    }
    if ctx.json {
        let v: Vec<_> = saved
            .iter()
            .map(|(p, n)| serde_json::json!({"path": p, "bytes": n}))
            .collect();
        print_json(&v)?;
    } else {
        for (p, n) in saved {
            say!(
                "Laporan bulan {} (revisi {}) disimpan: {} ({})",
                "The report of {} (revision {}) saved: {} ({})",
                month_words(&report.period),
                report.revision,
                p.display(),
                bytes(n as u64)
            );
        }
    }
    ok()
}

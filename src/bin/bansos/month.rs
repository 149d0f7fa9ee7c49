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
#[command(args_conflicts_with_subcommands = true)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub sub: Option<ReportSub>,
    /// Bulan yang sudah ditutup, mis. 2024-11
    pub month: Option<String>,
    /// Simpan PDF ke berkas ini (berkas yang sudah ada tidak ditimpa)
    #[arg(long)]
    pub pdf: Option<PathBuf>,
    /// Simpan laporan XLSX ke berkas ini (berkas yang sudah ada tidak ditimpa)
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
    /// Ringkasan publik (tanpa data pribadi, angka kecil disamarkan, ditandatangani) alih-alih laporan lengkap
    #[arg(long)]
    pub public: bool,
    /// Simpan ringkasan publik sebagai satu berkas HTML (dengan --public)
    #[arg(long, requires = "public")]
    pub html: Option<PathBuf>,
    /// Revisi laporan [bawaan: yang terakhir]
    #[arg(long, value_parser = crate::parse_revision)]
    pub revision: Option<u32>,
}

#[derive(Subcommand)]
pub enum ReportSub {
    /// Ringkasan publik satu kegiatan yang sudah selesai
    Event {
        /// Nomor kegiatan
        id: i64,
        /// Wajib: ringkasan publik
        #[arg(long)]
        public: bool,
        /// Simpan PDF ke berkas ini
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// Simpan HTML ke berkas ini
        #[arg(long)]
        html: Option<PathBuf>,
    },
    /// Periksa ringkasan publik (PDF atau HTML): tanda tangan UPT dan setiap angka yang tampak
    VerifySummary {
        /// Berkas ringkasan (.pdf atau .html)
        file: PathBuf,
        /// Periksa tanpa basis data: "KODE-UPT=KUNCI-PUBLIK-HEX", boleh berulang
        #[arg(long = "key")]
        keys: Vec<String>,
    },
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
                    out!(
                        "      {}",
                        if lang() == Lang::Id {
                            &r.label
                        } else {
                            &r.label_en
                        }
                    );
                }
                let shown = p.records.len().min(20);
                if (p.total as usize) > shown {
                    say!(
                        "      … dan {} lagi",
                        "      … and {} more",
                        p.total as usize - shown
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
            let bar = super::work_bar(ctx, &mut app);
            let c = app.close_month(&month);
            bar.finish_and_clear();
            let c = c?;
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

fn save_summary(
    ctx: &Ctx,
    files: &bansos::app::SummaryFiles,
    pdf: Option<PathBuf>,
    html: Option<PathBuf>,
) -> Out {
    if pdf.is_none() && html.is_none() {
        return Err(msg(
            "sebutkan --pdf BERKAS dan/atau --html BERKAS",
            "give --pdf FILE and/or --html FILE",
        ));
    }
    let mut saved = Vec::new();
    if let Some(p) = pdf {
        saved.push(save_new(&p, || Ok(files.pdf.clone()))?);
    }
    if let Some(p) = html {
        saved.push(save_new(&p, || Ok(files.html.clone().into_bytes()))?);
    }
    print_saved(ctx, &saved, |p, n| {
        say!(
            "Ringkasan publik disimpan: {} ({})",
            "Public summary saved: {} ({})",
            p.display(),
            bytes(n as u64)
        )
    })
}

/// The files saved: as JSON, or a line each in the run's language.
fn print_saved(
    ctx: &Ctx,
    saved: &[(PathBuf, usize)],
    line: impl Fn(&std::path::Path, usize),
) -> Out {
    if ctx.json {
        let v: Vec<_> = saved
            .iter()
            .map(|(p, n)| serde_json::json!({"path": p, "bytes": n}))
            .collect();
        print_json(&v)?;
    } else {
        for (p, n) in saved {
            line(p, *n);
        }
    }
    ok()
}

fn summary_verdict(c: &bansos::month::summary::SummaryCheck, ctx: &Ctx) -> Out {
    use bansos::month::summary::SummaryVerdict;
    if ctx.json {
        print_json(c)?;
    } else {
        let why = if lang() == Lang::Id {
            &c.why_id
        } else {
            &c.why_en
        };
        match c.verdict {
            SummaryVerdict::Valid => say!(
                "ASLI: ditandatangani oleh {}; setiap angka yang tampak sama dengan data yang ditandatangani.",
                "VALID: signed by {}; every figure shown is the signed data's.",
                c.summary.facility.name
            ),
            SummaryVerdict::Altered => say!("TIDAK ASLI: {}", "ALTERED: {}", why),
            SummaryVerdict::UnknownFacility => say!("UPT TIDAK DIKENAL: {}", "UNKNOWN FACILITY: {}", why),
        }
    }
    Ok(
        if c.verdict == bansos::month::summary::SummaryVerdict::Valid {
            std::process::ExitCode::SUCCESS
        } else {
            std::process::ExitCode::from(3)
        },
    )
}

pub fn report(ctx: &Ctx, a: ReportArgs) -> Out {
    match a.sub {
        Some(ReportSub::Event {
            id,
            public,
            pdf,
            html,
        }) => {
            if !public {
                return Err(msg(
                    "laporan satu kegiatan hanya sebagai ringkasan publik: tambahkan --public",
                    "an event's report is a public summary only: add --public",
                ));
            }
            let mut app = sign_in(ctx)?;
            let files = app.public_summary_event(id)?;
            return save_summary(ctx, &files, pdf, html);
        }
        Some(ReportSub::VerifySummary { file, keys }) => {
            let bytes = bansos::files::read_bounded(&file, bansos::limits::SUMMARY_FILE_BYTES)?;
            let check = if keys.is_empty() {
                sign_in(ctx)?.verify_summary(&bytes)?
            } else {
                let keys = keys
                    .iter()
                    .map(|k| super::receipt::parse_key(k))
                    .collect::<Result<Vec<_>, _>>()?;
                bansos::month::summary::verify(&bytes, |code| {
                    keys.iter()
                        .find(|(c, _)| c == code)
                        .and_then(|(_, k)| ed25519_dalek::VerifyingKey::from_bytes(k).ok())
                })?
            };
            return summary_verdict(&check, ctx);
        }
        None => {}
    }
    let Some(month) = a.month else {
        return Err(msg(
            "sebutkan bulannya, mis. `bansos report 2024-11 --pdf laporan.pdf`",
            "give the month, e.g. `bansos report 2024-11 --pdf report.pdf`",
        ));
    };
    if a.public {
        let mut app = sign_in(ctx)?;
        let files = app.public_summary_month(&month)?;
        return save_summary(ctx, &files, a.pdf, a.html);
    }
    if a.pdf.is_none() && a.xlsx.is_none() && !ctx.json {
        return Err(msg(
            "sebutkan --pdf BERKAS dan/atau --xlsx BERKAS (atau --json untuk datanya)",
            "give --pdf FILE and/or --xlsx FILE (or --json for its data)",
        ));
    }
    let mut app = sign_in(ctx)?;
    let report = app.month_report(&month, a.revision)?;
    if ctx.json && a.pdf.is_none() && a.xlsx.is_none() {
        print_json(&report)?;
        return ok();
    }
    let (pdf, xlsx) = app.month_report_files(&month, a.revision)?;
    let mut saved = Vec::new();
    for (path, bytes_of) in [(a.pdf, pdf), (a.xlsx, xlsx)] {
        if let Some(p) = path {
            let (written, size) = save_new(&p, || Ok(bytes_of))?;
            saved.push((written, size));
        }
    }
    print_saved(ctx, &saved, |p, n| {
        say!(
            "Laporan bulan {} (revisi {}) disimpan: {} ({})",
            "The report of {} (revision {}) saved: {} ({})",
            month_words(&report.period),
            report.revision,
            p.display(),
            bytes(n as u64)
        )
    })
}

//! `bansos package …` and `bansos event …`: templates and distribution events.

use super::label;
use super::{day, msg, ok, out, print_json, say, sign_in, tr, Ctx, Failure, Out, Refusal};
use bansos::distribution::{EventInput, EventKind, Official, TemplateInput, TemplateLineInput};
use bansos::family::view::parse_family_code;
use bansos::locale;
use bansos::stock::FundingSource;
use bansos::{App, ErrorKind};
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum PackageCmd {
    /// Daftar paket (versi terbaru)
    List,
    /// Buat paket: --line "KODE;JUMLAH" berulang
    Create {
        /// Nama paket, mis. "Paket sembako bulanan"
        #[arg(long)]
        name: String,
        /// Jumlah per orang, dikalikan jumlah anggota keluarga
        #[arg(long)]
        per_person: bool,
        /// Paling banyak sekian orang dihitung
        #[arg(long)]
        cap: Option<u32>,
        /// Barang: "KODE;JUMLAH", boleh berulang
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
    },
    /// Ubah paket (versi baru bila sudah dipakai kegiatan)
    Update {
        /// Nomor paket
        id: i64,
        /// Nama paket, mis. "Paket sembako bulanan"
        #[arg(long)]
        name: String,
        /// Jumlah per orang, dikalikan jumlah anggota keluarga
        #[arg(long)]
        per_person: bool,
        /// Paling banyak sekian orang dihitung
        #[arg(long)]
        cap: Option<u32>,
        /// Barang: "KODE;JUMLAH", boleh berulang
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
    },
}

#[derive(Subcommand)]
pub enum EventCmd {
    /// Daftar kegiatan
    List,
    /// Buat kegiatan (draf)
    Create {
        /// Tanggal kegiatan, paling lambat setahun lagi [bawaan: hari ini di UPT]
        #[arg(long)]
        date: Option<String>,
        /// Tempat, mis. Aula Rutan
        #[arg(long)]
        place: String,
        /// rutin_bulanan, serentak_nasional, hari_besar, kunjungan_rumah
        #[arg(long, value_parser = parse_kind, default_value = "rutin_bulanan")]
        kind: EventKind,
        /// Hanya stok dari sumber dana ini
        #[arg(long, value_parser = parse_source)]
        source: Option<FundingSource>,
        /// Nomor paket
        #[arg(long)]
        package: i64,
        /// Pejabat yang hadir: "NAMA;JABATAN" berulang
        #[arg(long = "official")]
        officials: Vec<String>,
    },
    /// Rincian kegiatan dengan daftar penerima
    Show {
        /// Nomor kegiatan
        id: i64,
    },
    /// Tambah penerima (diperiksa: terverifikasi, aktif, persetujuan, sekali per periode)
    Add {
        /// Nomor kegiatan
        id: i64,
        /// Kode keluarga, boleh berulang
        #[arg(required = true)]
        families: Vec<String>,
    },
    /// Hapus penerima (selama draf)
    Remove {
        /// Nomor kegiatan
        id: i64,
        /// Kode keluarga, mis. KLG-000012
        family: String,
    },
    /// Laporan kekurangan stok untuk seluruh daftar
    Shortage {
        /// Nomor kegiatan
        id: i64,
    },
    /// Setujui kegiatan (Verifikator)
    Approve {
        /// Nomor kegiatan
        id: i64,
    },
    /// Selesaikan kegiatan (tidak ada serah terima lagi)
    Complete {
        /// Nomor kegiatan
        id: i64,
    },
    /// Batalkan kegiatan dengan alasan
    Cancel {
        /// Nomor kegiatan
        id: i64,
        /// Alasan (dicatat di log audit)
        #[arg(long)]
        reason: String,
    },
    /// Berkas kegiatan: daftar hadir (BNBA, kolom tanda tangan) dan semua BAST dalam satu PDF
    Papers {
        /// Nomor kegiatan
        id: i64,
        /// Folder tujuan [bawaan: folder ini]
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Hanya daftar hadir (sebelum hari penyaluran)
        #[arg(long)]
        attendance_only: bool,
    },
}

fn parse_kind(s: &str) -> Result<EventKind, Refusal> {
    label::code(s, ("jenis kegiatan", "event kind"), label::EVENT_KINDS)
}

fn parse_source(s: &str) -> Result<FundingSource, Refusal> {
    label::code(s, ("sumber dana", "funding source"), label::SOURCES)
}

fn lines(app: &mut App, specs: &[String]) -> Result<Vec<TemplateLineInput>, Failure> {
    let items = app.items(false)?;
    specs
        .iter()
        .map(|l| {
            let (code, qty) = l.split_once(';').ok_or_else(|| {
                msg(
                    format!("--line '{l}': tulis \"KODE;JUMLAH\", mis. \"beras;5\""),
                    format!("--line '{l}': write \"CODE;QUANTITY\", e.g. \"beras;5\""),
                )
            })?;
            let c = code.trim().to_lowercase();
            let it = items
                .iter()
                .find(|i| i.code == c || i.name.to_lowercase() == c)
                .ok_or_else(|| {
                    Failure::new(
                        ErrorKind::NotFound,
                        format!(
                            "barang '{}' tidak ada (lihat `bansos stock items`)",
                            code.trim()
                        ),
                        format!(
                            "there is no item '{}' (see `bansos stock items`)",
                            code.trim()
                        ),
                    )
                })?;
            Ok(TemplateLineInput {
                item_id: it.id,
                quantity: qty.trim().into(),
            })
        })
        .collect()
}

fn recipients(n: usize) -> String {
    label::count(n, "penerima", "recipient", "recipients")
}

pub(crate) fn family(s: &str) -> Result<i64, Failure> {
    parse_family_code(s).ok_or_else(|| {
        msg(
            format!("'{s}' bukan kode keluarga (mis. KLG-000012)"),
            format!("'{s}' is not a family code (e.g. KLG-000012)"),
        )
    })
}

pub fn package(ctx: &Ctx, c: PackageCmd) -> Out {
    let mut app = sign_in(ctx)?;
    let lang = ctx.lang;
    let t = match c {
        PackageCmd::List => {
            let v = app.templates(false)?;
            if ctx.json {
                return print_json(&v).map(|_| ExitCode::SUCCESS);
            }
            for t in v {
                let ls: Vec<String> = t
                    .lines
                    .iter()
                    .map(|l| {
                        format!(
                            "{} {} {}",
                            l.item,
                            locale::decimal(l.quantity, lang),
                            l.unit
                        )
                    })
                    .collect();
                let per_person = if t.per_person {
                    tr!(" per orang", " per person")
                } else {
                    ""
                };
                say!(
                    "#{}\t{} (versi {}){}\t{}",
                    "#{}\t{} (version {}){}\t{}",
                    t.id,
                    t.name,
                    t.version,
                    per_person,
                    ls.join(", ")
                );
            }
            return ok();
        }
        PackageCmd::Create {
            name,
            per_person,
            cap,
            lines: l,
        } => {
            let lines = lines(&mut app, &l)?;
            app.create_template(
                &TemplateInput {
                    name,
                    per_person,
                    cap_members: cap,
                    lines,
                },
                lang,
            )?
        }
        PackageCmd::Update {
            id,
            name,
            per_person,
            cap,
            lines: l,
        } => {
            let lines = lines(&mut app, &l)?;
            app.update_template(
                id,
                &TemplateInput {
                    name,
                    per_person,
                    cap_members: cap,
                    lines,
                },
                lang,
            )?
        }
    };
    if ctx.json {
        print_json(&t)?;
    } else {
        say!(
            "Paket #{} {} versi {}.",
            "Package #{} {} version {}.",
            t.id,
            t.name,
            t.version
        );
    }
    ok()
}

pub fn event(ctx: &Ctx, c: EventCmd) -> Out {
    let mut app = sign_in(ctx)?;
    let lang = ctx.lang;
    let e = match c {
        EventCmd::List => {
            let v = app.events()?;
            if ctx.json {
                return print_json(&v).map(|_| ExitCode::SUCCESS);
            }
            for e in v {
                out!(
                    "#{}\t{}\t{}\t{}\t{}\t{}",
                    e.id,
                    e.date,
                    e.place,
                    label::event_kind(e.kind),
                    recipients(e.planned as usize),
                    label::event_status(e.status)
                );
            }
            return ok();
        }
        EventCmd::Create {
            date,
            place,
            kind,
            source,
            package,
            officials,
        } => {
            let officials = officials
                .iter()
                .map(|o| {
                    let (n, p) = o.split_once(';').unwrap_or((o, ""));
                    Official {
                        name: n.trim().into(),
                        position: p.trim().into(),
                    }
                })
                .collect();
            let date = match date {
                Some(d) => d,
                None => super::today(&mut app)?,
            };
            app.create_event(&EventInput {
                date,
                place,
                kind,
                source,
                template_id: package,
                officials,
                note: String::new(),
            })?
        }
        EventCmd::Show { id } => app.event(id)?,
        EventCmd::Add { id, families } => {
            // Each family is tried on its own and its outcome reported; one refusal does not
            // stop the others.
            let mut added = 0;
            let mut outcomes = Vec::new();
            for f in &families {
                let outcome = family(f)
                    .and_then(|fid| app.add_recipient(id, fid).map(|_| ()))
                    .map_err(|e| e.message(lang).to_owned());
                if outcome.is_ok() {
                    added += 1;
                }
                outcomes.push((f.clone(), outcome));
            }
            if ctx.json {
                let v: Vec<_> = outcomes
                    .iter()
                    .map(|(f, o)| serde_json::json!({ "family": f, "added": o.is_ok(), "error": o.as_ref().err() }))
                    .collect();
                print_json(&v)?;
            } else {
                for (f, o) in &outcomes {
                    match o {
                        Ok(()) => say!("{}\tditambahkan", "{}\tadded", f),
                        Err(m) => say!("{}\tDITOLAK: {}", "{}\tREFUSED: {}", f, m),
                    }
                }
                let e = app.event(id)?;
                say!(
                    "{} dari {} keluarga ditambahkan; kegiatan #{} kini {}.",
                    "{} of {} families added; event #{} now has {}.",
                    added,
                    families.len(),
                    e.id,
                    recipients(e.recipients.len())
                );
            }
            // Exit code 5 when some family was refused, so a script notices.
            return Ok(if added == families.len() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(5)
            });
        }
        EventCmd::Remove { id, family: f } => app.remove_recipient(id, family(&f)?)?,
        EventCmd::Shortage { id } => {
            let r = app.shortage_report(id)?;
            if ctx.json {
                return print_json(&r).map(|_| ExitCode::SUCCESS);
            }
            let (need, have, short, expired) = tr!(
                ("perlu", "tersedia", "KURANG", "kedaluwarsa, tidak dihitung"),
                ("needed", "usable", "SHORT", "expired, not counted"),
            );
            out!("{}", recipients(r.recipients.max(0) as usize));
            for l in &r.lines {
                let zero = rust_decimal::Decimal::ZERO;
                out!(
                    "{}\t{need} {} {u}\t{have} {} {u}{}{}",
                    l.item,
                    locale::decimal(l.needed, lang),
                    locale::decimal(l.available, lang),
                    if l.short > zero {
                        format!("\t{short} {} {}", locale::decimal(l.short, lang), l.unit)
                    } else {
                        String::new()
                    },
                    if l.expired > zero {
                        format!(
                            "\t({} {} {expired})",
                            locale::decimal(l.expired, lang),
                            l.unit
                        )
                    } else {
                        String::new()
                    },
                    u = l.unit
                );
            }
            return Ok(if r.short {
                ExitCode::from(4)
            } else {
                ExitCode::SUCCESS
            });
        }
        EventCmd::Approve { id } => app.approve_event(id)?,
        EventCmd::Cancel { id, reason } => app.cancel_event(id, &reason)?,
        EventCmd::Complete { id } => app.complete_event(id)?,
        EventCmd::Papers {
            id,
            out,
            attendance_only,
        } => {
            return super::receipt::papers(ctx, &mut app, id, out, attendance_only);
        }
    };
    if ctx.json {
        print_json(&e)?;
    } else {
        say!(
            "Kegiatan #{} {} di {} ({}, {}, paket {} versi {}), {}.",
            "Event #{} on {} at {} ({}, {}, package {} version {}), {}.",
            e.id,
            day(&e.date),
            e.place,
            label::event_kind(e.kind).to_lowercase(),
            label::event_status(e.status),
            e.template.name,
            e.template.version,
            recipients(e.recipients.len())
        );
        for r in &e.recipients {
            out!(
                "  {}\t{}\t{}",
                r.code,
                r.head_name,
                label::count(r.members.max(0) as usize, "orang", "person", "people")
            );
        }
    }
    ok()
}

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HandoverArgs {
    #[command(subcommand)]
    cmd: Option<HandoverCmd>,
    /// Nomor kegiatan
    event: Option<i64>,
    /// Kode keluarga
    family: Option<String>,
    /// Tanggal serah terima (bawaan: hari ini), mis. 16-11-2024 untuk kunjungan rumah yang
    /// dicatat kemudian
    #[arg(long)]
    date: Option<String>,
    /// Diterima oleh wakil: nama
    #[arg(long, requires_all = ["proxy_nik", "proxy_relation"])]
    proxy_name: Option<String>,
    /// Diterima oleh wakil: NIK
    #[arg(long)]
    proxy_nik: Option<String>,
    /// Hubungan wakil dengan keluarga, mis. anak
    #[arg(long)]
    proxy_relation: Option<String>,
}

#[derive(Subcommand)]
pub enum HandoverCmd {
    /// Batalkan BAST dengan alasan (Verifikator): stok kembali, nomor tetap, BAST bertanda BATAL
    Void {
        /// Nomor BAST (mis. 001/BAST-BANSOS/RUTAN-BLORA/XI/2024) atau nomor serah terima
        bast: String,
        /// Alasan (dicatat di log audit)
        #[arg(long)]
        reason: String,
    },
}

pub fn handover(ctx: &Ctx, a: HandoverArgs) -> Out {
    let mut app = sign_in(ctx)?;
    let h = match a.cmd {
        Some(HandoverCmd::Void { bast, reason }) => {
            let id = super::receipt::handover_id(&mut app, &bast)?;
            app.void_handover(id, &reason)?
        }
        None => {
            let (Some(event), Some(fam)) = (a.event, a.family) else {
                return Err(msg(
                    "tulis nomor kegiatan dan kode keluarga, mis. `bansos handover 1 KLG-000012`, atau `bansos handover void NOMOR-BAST --reason …`",
                    "give the event number and the family code, e.g. `bansos handover 1 KLG-000012`, or `bansos handover void BAST-NUMBER --reason …`",
                ));
            };
            let proxy = a.proxy_name.map(|name| bansos::handover::Proxy {
                name,
                nik: a.proxy_nik.unwrap_or_default(),
                relation: a.proxy_relation.unwrap_or_default(),
            });
            app.hand_over(event, family(&fam)?, proxy.as_ref(), a.date.as_deref())?
        }
    };
    if ctx.json {
        return print_json(&h).map(|_| ExitCode::SUCCESS);
    }
    let proxy = if h.to_proxy {
        tr!(
            format!(", wakil: {}", h.proxy_relation),
            format!(", proxy: {}", h.proxy_relation)
        )
    } else {
        String::new()
    };
    out!(
        "{} {} — {} ({}){}",
        if h.voided {
            tr!("BATAL", "VOID")
        } else {
            "BAST"
        },
        h.bast_no,
        h.recipient_name,
        h.family_code,
        proxy
    );
    for i in &h.items {
        out!(
            "  {}\t{} {}",
            i.item,
            locale::decimal(i.quantity, ctx.lang),
            i.unit
        );
    }
    ok()
}

//! `bansos package …` and `bansos event …`: templates and distribution events.

use super::{ok, print_json, sign_in, Ctx, Failure, Out};
use bansos::distribution::{EventInput, EventKind, Official, TemplateInput, TemplateLineInput};
use bansos::family::model::from_code;
use bansos::family::view::parse_family_code;
use bansos::locale;
use bansos::stock::FundingSource;
use bansos::App;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum PackageCmd {
    /// Daftar paket (versi terbaru)
    List,
    /// Buat paket: --line "KODE;JUMLAH" berulang
    Create {
        #[arg(long)]
        name: String,
        /// Jumlah per orang, dikalikan jumlah anggota keluarga
        #[arg(long)]
        per_person: bool,
        /// Paling banyak sekian orang dihitung
        #[arg(long)]
        cap: Option<u32>,
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
    },
    /// Ubah paket (versi baru bila sudah dipakai kegiatan)
    Update {
        id: i64,
        #[arg(long)]
        name: String,
        #[arg(long)]
        per_person: bool,
        #[arg(long)]
        cap: Option<u32>,
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
        #[arg(long)]
        date: String,
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
    Show { id: i64 },
    /// Tambah penerima (diperiksa: terverifikasi, aktif, persetujuan, sekali per periode)
    Add {
        id: i64,
        /// Kode keluarga, boleh berulang
        #[arg(required = true)]
        families: Vec<String>,
    },
    /// Hapus penerima (selama draf)
    Remove { id: i64, family: String },
    /// Laporan kekurangan stok untuk seluruh daftar
    Shortage { id: i64 },
    /// Setujui kegiatan (Verifikator)
    Approve { id: i64 },
    /// Selesaikan kegiatan (tidak ada serah terima lagi)
    Complete { id: i64 },
    /// Batalkan kegiatan dengan alasan
    Cancel {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Berkas kegiatan: daftar hadir (BNBA, kolom tanda tangan) dan semua BAST dalam satu PDF
    Papers {
        id: i64,
        /// Folder tujuan [bawaan: folder ini]
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Hanya daftar hadir (sebelum hari penyaluran)
        #[arg(long)]
        attendance_only: bool,
    },
}

fn parse_kind(s: &str) -> Result<EventKind, String> {
    from_code(&s.trim().to_lowercase().replace(['-', ' '], "_")).ok_or_else(|| format!("jenis kegiatan '{s}' tidak dikenal; pilih rutin_bulanan, serentak_nasional, hari_besar, kunjungan_rumah"))
}

fn parse_source(s: &str) -> Result<FundingSource, String> {
    from_code(&s.trim().to_lowercase().replace(['-', ' ', '/'], "_")).ok_or_else(|| format!("sumber dana '{s}' tidak dikenal; pilih csr, bama_kantin, koperasi, hasil_panen, lainnya"))
}

fn lines(app: &mut App, specs: &[String]) -> Result<Vec<TemplateLineInput>, Failure> {
    let items = app.items(false)?;
    specs
        .iter()
        .map(|l| {
            let (code, qty) = l
                .split_once(';')
                .ok_or_else(|| Failure::Msg(format!("--line '{l}': tulis \"KODE;JUMLAH\"")))?;
            let c = code.trim().to_lowercase();
            let it = items
                .iter()
                .find(|i| i.code == c || i.name.to_lowercase() == c)
                .ok_or_else(|| {
                    Failure::Msg(format!(
                        "barang '{}' tidak ada (lihat `bansos stock items`)",
                        code.trim()
                    ))
                })?;
            Ok(TemplateLineInput {
                item_id: it.id,
                quantity: qty.trim().into(),
            })
        })
        .collect()
}

fn family(s: &str) -> Result<i64, Failure> {
    parse_family_code(s)
        .ok_or_else(|| Failure::Msg(format!("'{s}' bukan kode keluarga (mis. KLG-000012)")))
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
                println!(
                    "#{}\t{} (versi {}){}\t{}",
                    t.id,
                    t.name,
                    t.version,
                    if t.per_person { " per orang" } else { "" },
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
        println!("Paket #{} {} versi {}.", t.id, t.name, t.version);
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
                println!(
                    "#{}\t{}\t{}\t{:?}\t{} penerima\t{:?}",
                    e.id,
                    e.date,
                    e.place,
                    e.kind,
                    e.recipients.len(),
                    e.status
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
                let outcome = match family(f) {
                    Err(Failure::Msg(m)) => Err(m),
                    Err(Failure::Core(e)) => Err(e.message(lang).to_owned()),
                    Ok(fid) => app
                        .add_recipient(id, fid)
                        .map(|_| ())
                        .map_err(|e| e.message(lang).to_owned()),
                };
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
                    match (o, lang) {
                        (Ok(()), locale::Lang::Id) => println!("{f}	ditambahkan"),
                        (Ok(()), locale::Lang::En) => println!("{f}	added"),
                        (Err(m), locale::Lang::Id) => println!("{f}	DITOLAK: {m}"),
                        (Err(m), locale::Lang::En) => println!("{f}	REFUSED: {m}"),
                    }
                }
                let e = app.event(id)?;
                match lang {
                    locale::Lang::Id => println!(
                        "{added} dari {} keluarga ditambahkan; kegiatan #{} kini {} penerima.",
                        families.len(),
                        e.id,
                        e.recipients.len()
                    ),
                    locale::Lang::En => println!(
                        "{added} of {} families added; event #{} now has {} recipients.",
                        families.len(),
                        e.id,
                        e.recipients.len()
                    ),
                }
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
            let (recipients, need, have, short, expired) = match lang {
                locale::Lang::Id => (
                    "penerima",
                    "perlu",
                    "tersedia",
                    "KURANG",
                    "kedaluwarsa, tidak dihitung",
                ),
                locale::Lang::En => (
                    "recipients",
                    "needed",
                    "usable",
                    "SHORT",
                    "expired, not counted",
                ),
            };
            println!("{} {recipients}", r.recipients);
            for l in &r.lines {
                let zero = rust_decimal::Decimal::ZERO;
                println!(
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
            return super::receipt::papers(&mut app, id, out, attendance_only);
        }
    };
    if ctx.json {
        print_json(&e)?;
    } else {
        println!(
            "Kegiatan #{} {} di {} ({:?}, paket {} versi {}), {} penerima.",
            e.id,
            e.date,
            e.place,
            e.status,
            e.template.name,
            e.template.version,
            e.recipients.len()
        );
        for r in &e.recipients {
            println!("  {}\t{}\t{} orang", r.code, r.head_name, r.members);
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
        /// Nomor BAST, mis. 001/BAST-BANSOS/RUTAN-BLORA/XI/2024
        bast: String,
        #[arg(long)]
        reason: String,
    },
}

pub fn handover(ctx: &Ctx, a: HandoverArgs) -> Out {
    let mut app = sign_in(ctx)?;
    let h = match a.cmd {
        Some(HandoverCmd::Void { bast, reason }) => {
            let id = app.handover_by_number(&bast)?.id;
            app.void_handover(id, &reason)?
        }
        None => {
            let (Some(event), Some(fam)) = (a.event, a.family) else {
                return Err(Failure::Msg(match ctx.lang {
                    locale::Lang::Id => "tulis nomor kegiatan dan kode keluarga, mis. `bansos handover 1 KLG-000012`, atau `bansos handover void NOMOR-BAST --reason …`".into(),
                    locale::Lang::En => "give the event number and the family code, e.g. `bansos handover 1 KLG-000012`, or `bansos handover void BAST-NUMBER --reason …`".into(),
                }));
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
    println!(
        "{} {} — {} ({}){}",
        if h.voided { "BATAL" } else { "BAST" },
        h.bast_no,
        h.recipient_name,
        h.family_code,
        if h.to_proxy {
            format!(", wakil: {}", h.proxy_relation)
        } else {
            String::new()
        }
    );
    for i in &h.items {
        println!(
            "  {}	{} {}",
            i.item,
            locale::decimal(i.quantity, ctx.lang),
            i.unit
        );
    }
    ok()
}

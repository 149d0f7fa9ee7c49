//! `bansos stock …`: the stock ledger from the command line.

use super::{ok, print_json, sign_in, Ctx, Failure, Out};
use bansos::family::model::from_code;
use bansos::locale::{self, Lang};
use bansos::stock::{
    AdjustmentInput, AdjustmentReason, AdjustmentStatus, FundingSource, ItemCategory, NewItem,
    ReceiptInput, ReceiptLineInput, StockAlert,
};
use bansos::App;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum StockCmd {
    /// Katalog barang
    Items {
        /// Termasuk barang yang sudah tidak dipakai
        #[arg(long)]
        all: bool,
    },
    /// Tambah barang (mis. hasil panen baru)
    ItemAdd {
        #[arg(long)]
        name: String,
        #[arg(long)]
        unit: String,
        /// sembako, hasil_panen atau lainnya
        #[arg(long, value_parser = parse_category, default_value = "sembako")]
        category: ItemCategory,
        #[arg(long, default_value = "")]
        min: String,
    },
    /// Catat penerimaan: satu dokumen, satu sumber dana, satu lot per --line
    Receive {
        /// Tanggal terima (bawaan: hari ini)
        #[arg(long)]
        date: Option<String>,
        /// csr, bama_kantin, koperasi, hasil_panen, lainnya
        #[arg(long, value_parser = parse_source)]
        source: FundingSource,
        /// Nama donatur (wajib untuk CSR)
        #[arg(long, default_value = "")]
        donor: String,
        /// Keterangan sumber (untuk lainnya)
        #[arg(long, default_value = "")]
        source_note: String,
        /// Nomor surat jalan / BA
        #[arg(long)]
        doc: String,
        /// Petugas yang menerima barang
        #[arg(long)]
        received_by: String,
        /// Barang: "KODE;JUMLAH;NILAI[;LOT;KEDALUWARSA]", mis. "beras;250,5;Rp3.000.000;B-01;30-06-2025"
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
    },
    /// Saldo per barang, lot dan sumber dana (bawaan: hari ini), dengan peringatan
    Balance {
        /// Per tanggal
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Kartu stok satu barang (--xlsx atau --pdf untuk menyimpan)
    Card {
        /// Kode barang, mis. beras
        item: String,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Ajukan penyesuaian (berlaku setelah disetujui verifikator)
    Adjust {
        /// Nomor lot (lihat `stock balance --json`)
        #[arg(long)]
        lot: i64,
        /// Jumlah bertanda, mis. -2
        #[arg(long, allow_hyphen_values = true)]
        qty: String,
        /// rusak, kedaluwarsa, hilang, koreksi
        #[arg(long, value_parser = parse_reason)]
        reason: AdjustmentReason,
        #[arg(long)]
        note: String,
    },
    /// Daftar penyesuaian (bawaan: yang menunggu)
    Adjustments {
        #[arg(long)]
        all: bool,
    },
    /// Setujui atau tolak penyesuaian (Verifikator)
    Decide {
        id: i64,
        #[arg(long, conflicts_with = "reject")]
        approve: bool,
        #[arg(long)]
        reject: bool,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Keluarkan stok di luar serah terima (Verifikator; lot yang paling dulu kedaluwarsa lebih dulu)
    Issue {
        item: String,
        #[arg(long)]
        qty: String,
        #[arg(long)]
        doc: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Batalkan satu mutasi dengan mutasi kebalikannya (Verifikator; nomor mutasi ada di
    /// `stock card --json`). Pengeluaran serah terima kembali dengan membatalkan BAST-nya.
    Reverse {
        movement: i64,
        #[arg(long)]
        reason: String,
    },
    /// Stock opname: start, count LOT JUMLAH, show, approve, cancel
    #[command(subcommand)]
    Opname(OpnameCmd),
    /// Donatur dan total sumbangannya
    Donors,
    /// Periksa: saldo setiap lot sama dengan jumlah mutasinya (kode keluar 3 bila tidak)
    Verify,
}

#[derive(Subcommand)]
pub enum OpnameCmd {
    Start,
    Show { id: i64 },
    Count { id: i64, lot: i64, qty: String },
    Approve { id: i64 },
    Cancel { id: i64 },
}

fn parse_code<T: serde::de::DeserializeOwned>(
    s: &str,
    what: &str,
    choices: &str,
) -> Result<T, String> {
    from_code(&s.trim().to_lowercase().replace(['-', ' ', '/'], "_"))
        .ok_or_else(|| format!("{what} '{s}' tidak dikenal; pilih {choices}"))
}

fn parse_source(s: &str) -> Result<FundingSource, String> {
    parse_code(
        s,
        "sumber dana",
        "csr, bama_kantin, koperasi, hasil_panen, lainnya",
    )
}

fn parse_category(s: &str) -> Result<ItemCategory, String> {
    parse_code(s, "kategori", "sembako, hasil_panen, lainnya")
}

fn parse_reason(s: &str) -> Result<AdjustmentReason, String> {
    match parse_code(s, "alasan", "rusak, kedaluwarsa, hilang, koreksi")? {
        AdjustmentReason::Opname => Err("alasan 'opname' dibuat oleh stock opname".into()),
        r => Ok(r),
    }
}

fn item_id(app: &mut App, code: &str) -> Result<i64, Failure> {
    let c = code.trim().to_lowercase();
    app.items(true)?
        .into_iter()
        .find(|i| i.code == c || i.name.to_lowercase() == c)
        .map(|i| i.id)
        .ok_or_else(|| {
            Failure::Msg(format!(
                "barang '{code}' tidak ada (lihat `bansos stock items`)"
            ))
        })
}

fn q(d: rust_decimal::Decimal, lang: Lang) -> String {
    locale::decimal(d, lang)
}

pub fn run(ctx: &Ctx, c: StockCmd) -> Out {
    let mut app = sign_in(ctx)?;
    let lang = ctx.lang;
    match c {
        StockCmd::Items { all } => {
            let items = app.items(all)?;
            if ctx.json {
                return print_json(&items).map(|_| ExitCode::SUCCESS);
            }
            for i in items {
                println!(
                    "{}\t{}\t{}\tmin {}{}",
                    i.code,
                    i.name,
                    i.unit,
                    q(i.min_stock, lang),
                    if i.retired { "\t(tidak dipakai)" } else { "" }
                );
            }
        }
        StockCmd::ItemAdd {
            name,
            unit,
            category,
            min,
        } => {
            let i = app.add_item(
                &NewItem {
                    name,
                    unit,
                    category,
                    min_stock: min,
                },
                lang,
            )?;
            println!("Barang {} ({}) ditambahkan.", i.name, i.code);
        }
        StockCmd::Receive {
            date,
            source,
            donor,
            source_note,
            doc,
            received_by,
            lines,
        } => {
            let mut parsed = Vec::new();
            for l in &lines {
                let p: Vec<&str> = l.split(';').map(str::trim).collect();
                if p.len() < 3 {
                    return Err(Failure::Msg(format!(
                        "--line '{l}': tulis \"KODE;JUMLAH;NILAI[;LOT;KEDALUWARSA]\""
                    )));
                }
                parsed.push(ReceiptLineInput {
                    item_id: item_id(&mut app, p[0])?,
                    quantity: p[1].into(),
                    value: p[2].into(),
                    lot_code: p.get(3).copied().unwrap_or("").into(),
                    expiry: p.get(4).filter(|s| !s.is_empty()).map(|s| (*s).to_owned()),
                });
            }
            let date = date.unwrap_or_else(|| chrono::Local::now().date_naive().to_string());
            let r = app.receive(
                &ReceiptInput {
                    date,
                    source,
                    donor_name: donor,
                    source_note,
                    doc_ref: doc,
                    received_by,
                    note: String::new(),
                    lines: parsed,
                },
                lang,
            )?;
            if ctx.json {
                print_json(&r)?;
            } else {
                println!(
                    "Penerimaan #{} dicatat: lot {}.",
                    r.id,
                    r.lot_ids
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        StockCmd::Balance { as_of } => {
            let o = app.stock_overview(as_of.as_deref())?;
            if ctx.json {
                return print_json(&o).map(|_| ExitCode::SUCCESS);
            }
            println!("Saldo per {}", o.as_of);
            for i in &o.items {
                println!(
                    "{}\t{} {}{}",
                    i.item.name,
                    q(i.quantity, lang),
                    i.item.unit,
                    if i.below_minimum {
                        "\t(di bawah minimum)"
                    } else {
                        ""
                    }
                );
                for l in &i.lots {
                    println!(
                        "    lot #{} {}\t{} {}\t{}{}{}",
                        l.lot_id,
                        l.lot_code,
                        q(l.quantity, lang),
                        i.item.unit,
                        l.source.label_id(),
                        l.donor
                            .as_ref()
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default(),
                        l.expiry
                            .as_ref()
                            .map(|e| format!("\tkedaluwarsa {e}"))
                            .unwrap_or_default()
                    );
                }
            }
            for a in &o.alerts {
                match a {
                    StockAlert::BelowMinimum {
                        item,
                        unit,
                        quantity,
                        minimum,
                        ..
                    } => println!(
                        "PERINGATAN: {item} {} {unit}, di bawah minimum {} {unit}",
                        q(*quantity, lang),
                        q(*minimum, lang)
                    ),
                    StockAlert::Expiring {
                        item,
                        lot_code,
                        expiry,
                        days_left,
                        ..
                    } => {
                        if *days_left < 0 {
                            println!(
                                "PERINGATAN: {item} lot {lot_code} sudah kedaluwarsa ({expiry})"
                            )
                        } else {
                            println!("PERINGATAN: {item} lot {lot_code} kedaluwarsa {expiry} ({days_left} hari lagi)")
                        }
                    }
                }
            }
        }
        StockCmd::Card {
            item,
            from,
            to,
            xlsx,
            pdf,
        } => {
            let id = item_id(&mut app, &item)?;
            if let Some(path) = pdf {
                let bytes = app.stock_card_pdf(id, from.as_deref(), to.as_deref())?;
                bansos::files::write_atomic(&path, &bytes)?;
                println!("Kartu stok disimpan ke {}", path.display());
                return ok();
            }
            if let Some(path) = xlsx {
                let bytes = app.stock_card_xlsx(id, from.as_deref(), to.as_deref())?;
                bansos::files::write_atomic(&path, &bytes)?;
                println!("Kartu stok disimpan ke {}", path.display());
                return ok();
            }
            let c = app.stock_card(id, from.as_deref(), to.as_deref())?;
            if ctx.json {
                return print_json(&c).map(|_| ExitCode::SUCCESS);
            }
            println!(
                "KARTU STOK {} ({}) {} s.d. {}",
                c.item.name, c.item.unit, c.from, c.to
            );
            println!(
                "{:<11} {:<24} {:<12} {:>10} {:>10} {:>10}",
                "Tanggal", "Dokumen", "Lot", "Masuk", "Keluar", "Saldo"
            );
            println!(
                "{:<11} {:<24} {:<12} {:>10} {:>10} {:>10}",
                "",
                "Saldo awal",
                "",
                "",
                "",
                q(c.opening, lang)
            );
            for r in &c.rows {
                println!(
                    "{:<11} {:<24} {:<12} {:>10} {:>10} {:>10}",
                    r.date,
                    r.doc_ref,
                    r.lot_code,
                    r.qty_in.map(|x| q(x, lang)).unwrap_or_default(),
                    r.qty_out.map(|x| q(x, lang)).unwrap_or_default(),
                    q(r.balance, lang)
                );
            }
        }
        StockCmd::Adjust {
            lot,
            qty,
            reason,
            note,
        } => {
            let a = app.request_adjustment(
                &AdjustmentInput {
                    lot_id: lot,
                    quantity: qty,
                    reason,
                    note,
                },
                lang,
            )?;
            println!(
                "Penyesuaian #{} diajukan; menunggu persetujuan verifikator.",
                a.id
            );
        }
        StockCmd::Adjustments { all } => {
            let v = app.adjustments(if all {
                None
            } else {
                Some(AdjustmentStatus::Pending)
            })?;
            if ctx.json {
                return print_json(&v).map(|_| ExitCode::SUCCESS);
            }
            for a in v {
                println!(
                    "#{}\t{} lot {}\t{} {}\t{:?}\t{}\t{:?}\t{}",
                    a.id,
                    a.item,
                    a.lot_code,
                    q(a.quantity, lang),
                    a.unit,
                    a.reason,
                    a.note,
                    a.status,
                    a.requested_by
                );
            }
        }
        StockCmd::Decide {
            id,
            approve,
            reject,
            note,
        } => {
            if approve == reject {
                return Err(Failure::Msg("pilih --approve atau --reject".into()));
            }
            let a = app.decide_adjustment(id, approve, &note)?;
            println!(
                "Penyesuaian #{} {}.",
                a.id,
                if approve { "disetujui" } else { "ditolak" }
            );
        }
        StockCmd::Issue {
            item,
            qty,
            doc,
            note,
        } => {
            let id = item_id(&mut app, &item)?;
            let used = app.issue_stock(id, &qty, &doc, &note, lang)?;
            for (lot, n) in used {
                println!("lot #{lot}: {}", q(n, lang));
            }
        }
        StockCmd::Reverse { movement, reason } => {
            let id = app.reverse_movement(movement, &reason)?;
            match lang {
                Lang::Id => println!("Mutasi #{movement} dibatalkan oleh mutasi #{id}."),
                Lang::En => println!("Movement #{movement} reversed by movement #{id}."),
            }
        }
        StockCmd::Opname(o) => {
            let sheet = match o {
                OpnameCmd::Start => app.opname_start()?,
                OpnameCmd::Show { id } => app.opname_get(id)?,
                OpnameCmd::Count { id, lot, qty } => app.opname_count(id, lot, &qty, lang)?,
                OpnameCmd::Approve { id } => app.opname_approve(id)?,
                OpnameCmd::Cancel { id } => app.opname_cancel(id)?,
            };
            if ctx.json {
                return print_json(&sheet).map(|_| ExitCode::SUCCESS);
            }
            println!(
                "Stock opname #{} ({:?}) {}",
                sheet.id, sheet.status, sheet.date
            );
            for l in &sheet.lines {
                println!(
                    "  lot #{} {} {}\ttercatat {}\tdihitung {}\tselisih {}",
                    l.lot_id,
                    l.item,
                    l.lot_code,
                    l.recorded
                        .map(|x| q(x, lang))
                        .unwrap_or_else(|| "(tersembunyi)".into()),
                    l.counted.map(|x| q(x, lang)).unwrap_or_else(|| "-".into()),
                    l.variance.map(|x| q(x, lang)).unwrap_or_else(|| "-".into())
                );
            }
        }
        StockCmd::Verify => {
            let bad = app.stock_verify()?;
            if bad.is_empty() {
                println!("Buku stok utuh: saldo setiap lot sama dengan jumlah mutasinya.");
            } else {
                for (lot, kept, summed) in &bad {
                    println!(
                        "lot #{lot}: saldo tercatat {}, jumlah mutasi {}",
                        q(*kept, lang),
                        q(*summed, lang)
                    );
                }
                return Ok(ExitCode::from(3));
            }
        }
        StockCmd::Donors => {
            let v = app.donors()?;
            if ctx.json {
                return print_json(&v).map(|_| ExitCode::SUCCESS);
            }
            for d in v {
                println!(
                    "{}\t{} penerimaan\t{}",
                    d.name,
                    d.receipts,
                    locale::rupiah(d.total_value)
                );
            }
        }
    }
    ok()
}

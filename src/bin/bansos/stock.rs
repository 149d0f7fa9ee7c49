//! `bansos stock …`: the stock ledger from the command line.

use super::label;
use super::{
    day, msg, ok, out, print_json, refuse, save_new, say, sign_in, tr, Ctx, Failure, Out, Refusal,
};
use bansos::locale::{self, Lang};
use bansos::stock::{
    AdjustmentInput, AdjustmentReason, AdjustmentStatus, FundingSource, ItemCategory, NewItem,
    ReceiptInput, ReceiptLineInput, StockAlert,
};
use bansos::{App, ErrorKind};
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
        /// Nama barang, mis. Beras
        #[arg(long)]
        name: String,
        /// Satuan, mis. kg
        #[arg(long)]
        unit: String,
        /// sembako, hasil_panen atau lainnya
        #[arg(long, value_parser = parse_category, default_value = "sembako")]
        category: ItemCategory,
        /// Stok minimum untuk peringatan, mis. 50
        #[arg(long, default_value = "")]
        min: String,
    },
    /// Catat penerimaan: satu dokumen, satu sumber dana, satu lot per --line
    Receive {
        /// Tanggal terima [bawaan: hari ini di UPT]
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
    /// Kartu stok satu barang (--xlsx atau --pdf untuk menyimpan; berkas yang sudah ada tidak
    /// ditimpa)
    Card {
        /// Kode barang, mis. beras
        item: String,
        /// Dari tanggal, mis. 01-11-2024 [bawaan: awal tahun ini]
        #[arg(long)]
        from: Option<String>,
        /// Sampai tanggal [bawaan: hari ini]
        #[arg(long)]
        to: Option<String>,
        /// Simpan sebagai XLSX di berkas ini
        #[arg(long, conflicts_with = "pdf")]
        xlsx: Option<PathBuf>,
        /// Simpan sebagai PDF di berkas ini
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
        /// Keterangan (wajib)
        #[arg(long)]
        note: String,
    },
    /// Daftar penyesuaian (bawaan: yang menunggu)
    Adjustments {
        /// Semua, bukan hanya yang menunggu
        #[arg(long)]
        all: bool,
    },
    /// Setujui atau tolak penyesuaian (Verifikator)
    Decide {
        /// Nomor penyesuaian
        id: i64,
        /// Setujui
        #[arg(long, conflicts_with = "reject")]
        approve: bool,
        /// Tolak
        #[arg(long)]
        reject: bool,
        /// Catatan keputusan
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Keluarkan stok di luar serah terima (Verifikator; lot yang paling dulu kedaluwarsa lebih dulu)
    Issue {
        /// Kode barang, mis. beras
        item: String,
        /// Jumlah, mis. 2,5
        #[arg(long)]
        qty: String,
        /// Nomor dokumen (nota dinas / BA)
        #[arg(long)]
        doc: String,
        /// Keterangan
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Batalkan satu mutasi dengan mutasi kebalikannya (Verifikator; nomor mutasi ada di
    /// `stock card --json`). Pengeluaran serah terima kembali dengan membatalkan BAST-nya.
    Reverse {
        /// Nomor mutasi
        movement: i64,
        /// Alasan (dicatat di log audit)
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
    /// Mulai stock opname: saldo tercatat setiap lot, hitungan dimasukkan per lot
    Start,
    /// Lembar stock opname dengan hitungan dan selisihnya
    Show {
        /// Nomor stock opname
        id: i64,
    },
    /// Masukkan hitungan satu lot
    Count {
        /// Nomor stock opname
        id: i64,
        /// Nomor lot
        lot: i64,
        /// Jumlah yang dihitung di rak, mis. 97,5
        qty: String,
    },
    /// Setujui stock opname (Verifikator): selisihnya menjadi penyesuaian
    Approve {
        /// Nomor stock opname
        id: i64,
    },
    /// Batalkan stock opname
    Cancel {
        /// Nomor stock opname
        id: i64,
    },
}

fn parse_source(s: &str) -> Result<FundingSource, Refusal> {
    label::code(s, ("sumber dana", "funding source"), label::SOURCES)
}

fn parse_category(s: &str) -> Result<ItemCategory, Refusal> {
    label::code(s, ("kategori", "category"), "sembako, hasil_panen, lainnya")
}

fn parse_reason(s: &str) -> Result<AdjustmentReason, Refusal> {
    match label::code(
        s,
        ("alasan", "reason"),
        "rusak, kedaluwarsa, hilang, koreksi",
    )? {
        AdjustmentReason::Opname => Err(refuse(
            "alasan 'opname' hanya dibuat oleh stock opname; pilih rusak, kedaluwarsa, hilang, koreksi".into(),
            "the reason 'opname' is made only by a stock-take; choose rusak, kedaluwarsa, hilang, koreksi".into(),
        )),
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
            Failure::new(
                ErrorKind::NotFound,
                format!("barang '{code}' tidak ada (lihat `bansos stock items`)"),
                format!("there is no item '{code}' (see `bansos stock items`)"),
            )
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
                out!(
                    "{}\t{}\t{}\tmin {}{}",
                    i.code,
                    i.name,
                    i.unit,
                    q(i.min_stock, lang),
                    if i.retired {
                        tr!("\t(tidak dipakai)", "\t(retired)")
                    } else {
                        ""
                    }
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
            say!(
                "Barang {} ({}) ditambahkan.",
                "Item {} ({}) added.",
                i.name,
                i.code
            );
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
                    return Err(msg(
                        format!(
                            "--line '{l}': tulis \"KODE;JUMLAH;NILAI[;LOT;KEDALUWARSA]\", mis. \"beras;250,5;Rp3.000.000;B-01;30-06-2025\""
                        ),
                        format!(
                            "--line '{l}': write \"CODE;QUANTITY;VALUE[;LOT;EXPIRY]\", e.g. \"beras;250,5;Rp3.000.000;B-01;30-06-2025\""
                        ),
                    ));
                }
                parsed.push(ReceiptLineInput {
                    item_id: item_id(&mut app, p[0])?,
                    quantity: p[1].into(),
                    value: p[2].into(),
                    lot_code: p.get(3).copied().unwrap_or("").into(),
                    expiry: p.get(4).filter(|s| !s.is_empty()).map(|s| (*s).to_owned()),
                });
            }
            let date = match date {
                Some(d) => d,
                None => super::today(&mut app)?,
            };
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
                say!(
                    "Penerimaan #{} dicatat: {} {}.",
                    "Receiving #{} recorded: {} {}.",
                    r.id,
                    tr!("lot", if r.lot_ids.len() == 1 { "lot" } else { "lots" }),
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
            say!("Saldo per {}", "Balance as of {}", day(&o.as_of));
            for i in &o.items {
                out!(
                    "{}\t{} {}{}",
                    i.item.name,
                    q(i.quantity, lang),
                    i.item.unit,
                    if i.below_minimum {
                        tr!("\t(di bawah minimum)", "\t(below the minimum)")
                    } else {
                        ""
                    }
                );
                for l in &i.lots {
                    out!(
                        "    lot #{} {}\t{} {}\t{}{}{}",
                        l.lot_id,
                        l.lot_code,
                        q(l.quantity, lang),
                        i.item.unit,
                        label::source(l.source),
                        l.donor
                            .as_ref()
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default(),
                        l.expiry
                            .as_ref()
                            .map(|e| tr!(format!("\tkedaluwarsa {e}"), format!("\texpires {e}")))
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
                    } => say!(
                        "PERINGATAN: {} {} {}, di bawah minimum {} {}",
                        "WARNING: {} {} {}, below the minimum of {} {}",
                        item,
                        q(*quantity, lang),
                        unit,
                        q(*minimum, lang),
                        unit
                    ),
                    StockAlert::Expiring {
                        item,
                        lot_code,
                        expiry,
                        days_left,
                        ..
                    } => {
                        if *days_left < 0 {
                            say!(
                                "PERINGATAN: {} lot {} sudah kedaluwarsa ({})",
                                "WARNING: {} lot {} has expired ({})",
                                item,
                                lot_code,
                                day(expiry)
                            )
                        } else {
                            say!(
                                "PERINGATAN: {} lot {} kedaluwarsa {} ({} hari lagi)",
                                "WARNING: {} lot {} expires on {} (in {} days)",
                                item,
                                lot_code,
                                day(expiry),
                                days_left
                            )
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
            let saved = if let Some(path) = pdf {
                Some(save_new(&path, || {
                    app.stock_card_pdf(id, from.as_deref(), to.as_deref())
                })?)
            } else if let Some(path) = xlsx {
                Some(save_new(&path, || {
                    app.stock_card_xlsx(id, from.as_deref(), to.as_deref())
                })?)
            } else {
                None
            };
            if let Some((path, _)) = saved {
                if ctx.json {
                    print_json(&serde_json::json!({ "path": path }))?;
                } else {
                    say!(
                        "Kartu stok disimpan ke {}",
                        "Stock card saved to {}",
                        path.display()
                    );
                }
                return ok();
            }
            let c = app.stock_card(id, from.as_deref(), to.as_deref())?;
            if ctx.json {
                return print_json(&c).map(|_| ExitCode::SUCCESS);
            }
            say!(
                "KARTU STOK {} ({}) {} s.d. {}",
                "STOCK CARD {} ({}) {} to {}",
                c.item.name,
                c.item.unit,
                day(&c.from),
                day(&c.to)
            );
            out!(
                "{:<11} {:<24} {:<12} {:>10} {:>10} {:>10}",
                tr!("Tanggal", "Date"),
                tr!("Dokumen", "Document"),
                "Lot",
                tr!("Masuk", "In"),
                tr!("Keluar", "Out"),
                tr!("Saldo", "Balance")
            );
            out!(
                "{:<11} {:<24} {:<12} {:>10} {:>10} {:>10}",
                "",
                tr!("Saldo awal", "Opening balance"),
                "",
                "",
                "",
                q(c.opening, lang)
            );
            for r in &c.rows {
                out!(
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
            say!(
                "Penyesuaian #{} diajukan; menunggu persetujuan verifikator.",
                "Adjustment #{} requested; it awaits a verifikator's approval.",
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
                out!(
                    "#{}\t{} lot {}\t{} {}\t{}\t{}\t{}\t{}",
                    a.id,
                    a.item,
                    a.lot_code,
                    q(a.quantity, lang),
                    a.unit,
                    label::adjustment_reason(a.reason),
                    label::written_note(&a.note),
                    label::adjustment_status(a.status),
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
                return Err(msg(
                    "pilih --approve atau --reject",
                    "choose --approve or --reject",
                ));
            }
            let a = app.decide_adjustment(id, approve, &note)?;
            if approve {
                say!(
                    "Penyesuaian #{} disetujui.",
                    "Adjustment #{} approved.",
                    a.id
                );
            } else {
                say!("Penyesuaian #{} ditolak.", "Adjustment #{} rejected.", a.id);
            }
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
                out!("lot #{lot}: {}", q(n, lang));
            }
        }
        StockCmd::Reverse { movement, reason } => {
            let id = app.reverse_movement(movement, &reason)?;
            say!(
                "Mutasi #{} dibatalkan oleh mutasi #{}.",
                "Movement #{} reversed by movement #{}.",
                movement,
                id
            );
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
            say!(
                "Stock opname #{} ({}) {}",
                "Stock-take #{} ({}) {}",
                sheet.id,
                label::opname_status(sheet.status),
                day(&sheet.date)
            );
            for l in &sheet.lines {
                say!(
                    "  lot #{} {} {}\ttercatat {}\tdihitung {}\tselisih {}",
                    "  lot #{} {} {}\trecorded {}\tcounted {}\tdifference {}",
                    l.lot_id,
                    l.item,
                    l.lot_code,
                    l.recorded.map(|x| q(x, lang)).unwrap_or_else(|| tr!(
                        "(tersembunyi)",
                        "(hidden)"
                    )
                    .into()),
                    l.counted.map(|x| q(x, lang)).unwrap_or_else(|| "-".into()),
                    l.variance.map(|x| q(x, lang)).unwrap_or_else(|| "-".into())
                );
            }
        }
        StockCmd::Verify => {
            let bad = app.stock_verify()?;
            if bad.is_empty() {
                say!(
                    "Buku stok utuh: saldo setiap lot sama dengan jumlah mutasinya.",
                    "The stock ledger is whole: every lot's balance equals the sum of its movements."
                );
            } else {
                for (lot, kept, summed) in &bad {
                    say!(
                        "lot #{}: saldo tercatat {}, jumlah mutasi {}",
                        "lot #{}: recorded balance {}, sum of movements {}",
                        lot,
                        q(*kept, lang),
                        q(*summed, lang)
                    );
                }
                eprintln!(
                    "{}",
                    tr!(
                        "galat: saldo lot tidak sama dengan jumlah mutasinya",
                        "error: a lot's balance differs from the sum of its movements"
                    )
                );
                return Ok(ExitCode::from(3));
            }
        }
        StockCmd::Donors => {
            let v = app.donors()?;
            if ctx.json {
                return print_json(&v).map(|_| ExitCode::SUCCESS);
            }
            for d in v {
                out!(
                    "{}\t{}\t{}",
                    d.name,
                    label::count(
                        d.receipts.max(0) as usize,
                        "penerimaan",
                        "receiving",
                        "receivings"
                    ),
                    locale::rupiah(d.total_value)
                );
            }
        }
    }
    ok()
}

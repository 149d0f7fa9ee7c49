//! `bansos bench`: timings on generated data the size of SPEC §3 (100,000 families), in a
//! throw-away database. Reported as percentiles; nothing here is asserted.

pub mod db;

use crate::app::{App, Credentials};
use crate::clock::SystemClock;
use crate::error::{Error, Result};
use crate::facility::{FacilityKind, FacilityProfile, FacilitySetup, DEFAULT_RECEIPT_PATTERN};
use crate::family::view::FamilyFilter;
use crate::locale::TimeZone;
use crate::staff::{NewStaff, Role};
use serde::Serialize;
use std::sync::Arc;
use std::time::Instant;

/// Reading a 10,000-row sheet, as CSV and as XLSX (the CSV reader once took 21 s for this).
fn sheets(names: &[String], niks: &[String]) -> Result<Vec<Timing>> {
    let rows = 10_000.min(names.len());
    let mut csv = String::from("NIK;NAMA;NO KK;ALAMAT;RT;RW\n");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let xerr = |e: rust_xlsxwriter::XlsxError| crate::error::Error::internal(e);
    for (c, h) in ["NIK", "NAMA", "NO KK", "ALAMAT", "RT", "RW"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).map_err(xerr)?;
    }
    for i in 0..rows {
        let kk = format!("{}{:010}", &niks[i][..6], i + 1);
        let cells = [
            niks[i].as_str(),
            names[i].as_str(),
            kk.as_str(),
            "Dukuh Krajan, Jl. Pemuda",
            "003",
            "001",
        ];
        csv.push_str(&cells.join(";"));
        csv.push('\n');
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(i as u32 + 1, c as u16, *v).map_err(xerr)?;
        }
    }
    let xlsx = wb.save_to_buffer().map_err(xerr)?;
    let mut out = Vec::new();
    for (what, name, bytes) in [
        (
            (
                "baca lembar 10.000 baris CSV",
                "read a sheet of 10,000 rows, CSV",
            ),
            "bnba.csv",
            csv.as_bytes(),
        ),
        (
            (
                "baca lembar 10.000 baris XLSX",
                "read a sheet of 10,000 rows, XLSX",
            ),
            "bnba.xlsx",
            xlsx.as_slice(),
        ),
    ] {
        let mut ms = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            crate::family::import::read(name, bytes)?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        out.push(timing(what, ms));
    }
    Ok(out)
}

/// A small deterministic generator (SplitMix64): the same data set on every run.
pub(crate) struct Gen(pub(crate) u64);

impl Gen {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

pub(crate) const FIRST: &[&str] = &[
    "Siti", "Sri", "Dewi", "Nur", "Budi", "Agus", "Joko", "Slamet", "Bambang", "Eko", "Wahyu",
    "Dwi", "Tri", "Rina", "Yuni", "Suparmi", "Sutrisno", "Ahmad", "Muhammad", "Rahmat", "Lestari",
    "Endang", "Sumarni", "Purwanti", "Heru", "Didik", "Teguh", "Ratna", "Indah", "Fitri", "Ani",
    "Wati", "Tutik", "Suwarni", "Sukardi", "Paijo", "Sarmini", "Karsini", "Dimas", "Rizky",
];
pub(crate) const LAST: &[&str] = &[
    "Rahayu",
    "Susanto",
    "Santoso",
    "Wibowo",
    "Saputra",
    "Lestari",
    "Hidayat",
    "Kurniawan",
    "Pratama",
    "Setiawan",
    "Wulandari",
    "Handayani",
    "Purnomo",
    "Suryani",
    "Prasetyo",
    "Nugroho",
    "Haryanto",
    "Sulistyo",
    "Maryati",
    "Suharto",
    "Riyadi",
    "Utomo",
    "Wijaya",
    "Mulyono",
    "Sugiarto",
    "Hartono",
    "Yulianti",
    "Ningsih",
    "Permana",
    "Firmansyah",
];
/// Districts of Kabupaten Blora (3316).
pub(crate) const DISTRICTS: &[&str] = &[
    "331601", "331602", "331603", "331604", "331605", "331606", "331607", "331608", "331609",
    "331610", "331611", "331612", "331613", "331614", "331615", "331616",
];

fn nik(district: &str, i: u64, female: bool, seq: u64) -> String {
    let day = 1 + (i / 16) % 28 + if female { 40 } else { 0 };
    let month = 1 + (i / 448) % 12;
    let year = 50 + (i / 5376) % 50;
    format!("{district}{day:02}{month:02}{year:02}{seq:04}")
}

#[derive(Debug, Serialize)]
pub struct Timing {
    pub what: String,
    /// `what` in English (`bansos --lang en bench`).
    pub what_en: String,
    pub runs: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
}

/// A measure's runs: `what` in Indonesian and English.
fn timing(what: (impl Into<String>, impl Into<String>), mut ms: Vec<f64>) -> Timing {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    Timing {
        what: what.0.into(),
        what_en: what.1.into(),
        runs: ms.len(),
        p50_ms: at(0.5),
        p95_ms: at(0.95),
        max_ms: *ms.last().unwrap_or(&0.0),
    }
}

#[derive(Debug, Serialize)]
pub struct RegistryBench {
    pub families: usize,
    pub persons: i64,
    pub seed_seconds: f64,
    pub index_build_ms: f64,
    /// The heap the name index holds, in MB.
    pub index_mb: f64,
    /// Resident memory the process grew by while building the name index (Linux only).
    pub index_rss_mb: Option<f64>,
    pub timings: Vec<Timing>,
}

/// Resident set size of this process in MB, from /proc (None elsewhere).
fn rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = s.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / 1_048_576.0)
}

/// Receipts already in the database when hand-overs are timed: ten years at a large facility.
const PAST_RECEIPTS: usize = 1_000_000;

/// Plans `n` families in one event and hands each a three-item package, timing each step.
fn handovers(app: &mut App, n: usize) -> Result<Vec<Timing>> {
    use crate::distribution::{EventInput, EventKind, TemplateInput, TemplateLineInput};
    use crate::locale::Lang;
    use crate::stock::{FundingSource, ReceiptInput, ReceiptLineInput};
    app.bench_tx(|tx, at, actor| db::verify_families(tx, at, actor, n))?;
    let today = app.today_local()?.to_string();
    let today_d = app.today_local()?;
    let lines = (0..20)
        .flat_map(|k| {
            let expiry = (today_d + chrono::Duration::days(30 + k * 7)).to_string();
            [
                ReceiptLineInput {
                    item_id: 1,
                    quantity: "500".into(),
                    value: "6.000.000".into(),
                    lot_code: format!("B-{k}"),
                    expiry: Some(expiry.clone()),
                },
                ReceiptLineInput {
                    item_id: 2,
                    quantity: "100".into(),
                    value: "1.500.000".into(),
                    lot_code: format!("G-{k}"),
                    expiry: Some(expiry.clone()),
                },
                ReceiptLineInput {
                    item_id: 3,
                    quantity: "100".into(),
                    value: "1.800.000".into(),
                    lot_code: format!("M-{k}"),
                    expiry: Some(expiry),
                },
            ]
        })
        .collect();
    app.receive(
        &ReceiptInput {
            date: today.clone(),
            source: FundingSource::Csr,
            donor_name: "PT Bench".into(),
            source_note: String::new(),
            doc_ref: "SJ-BENCH".into(),
            received_by: "Bench".into(),
            note: String::new(),
            lines,
        },
        Lang::Id,
    )?;
    let t = app.create_template(
        &TemplateInput {
            name: "Paket bench".into(),
            per_person: false,
            cap_members: None,
            lines: vec![
                TemplateLineInput {
                    item_id: 1,
                    quantity: "5".into(),
                },
                TemplateLineInput {
                    item_id: 2,
                    quantity: "1".into(),
                },
                TemplateLineInput {
                    item_id: 3,
                    quantity: "1".into(),
                },
            ],
        },
        Lang::Id,
    )?;
    // Ten years of past receipts first (SPEC §3: 1,000,000), so what follows is timed at that size.
    let t0 = Instant::now();
    app.bench_tx(|tx, at, actor| db::seed_past_handovers(tx, at, actor, PAST_RECEIPTS, t.id))?;
    let seeded = t0.elapsed().as_secs_f64() * 1000.0;
    // The stock screens over that ledger (3 million issue movements behind the past receipts).
    let month_ago = (app.today_local()? - chrono::Duration::days(30)).to_string();
    let mut times = |runs: usize, f: &mut dyn FnMut(&mut App) -> Result<()>| -> Result<Vec<f64>> {
        let mut ms = Vec::new();
        for _ in 0..runs {
            let t0 = Instant::now();
            f(app)?;
            ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        }
        Ok(ms)
    };
    let ledger = vec![
        timing(
            (
                "saldo stok hari ini (buku besar 3 juta gerakan)",
                "stock balance today (a ledger of 3 million movements)",
            ),
            times(20, &mut |a| a.stock_overview(None).map(|_| ()))?,
        ),
        timing(
            (
                "saldo stok per tanggal sebulan lalu",
                "stock balance as of a month ago",
            ),
            times(5, &mut |a| a.stock_overview(Some(&month_ago)).map(|_| ()))?,
        ),
        timing(
            (
                "saldo stok per 30 Juni 2020",
                "stock balance as of 30 June 2020",
            ),
            times(5, &mut |a| a.stock_overview(Some("2020-06-30")).map(|_| ()))?,
        ),
        timing(
            ("kartu stok beras tahun ini", "rice stock card, this year"),
            times(10, &mut |a| a.stock_card(1, None, None).map(|_| ()))?,
        ),
        timing(
            (
                "kartu stok beras Maret 2020 (8.334 baris)",
                "rice stock card, March 2020 (8,334 rows)",
            ),
            times(5, &mut |a| {
                a.stock_card(1, Some("2020-03-01"), Some("2020-03-31"))
                    .map(|_| ())
            })?,
        ),
    ];
    let e = app.create_event(&EventInput {
        date: today,
        place: "Aula".into(),
        kind: EventKind::RutinBulanan,
        source: None,
        template_id: t.id,
        officials: Vec::new(),
        note: String::new(),
    })?;
    let mut add = Vec::new();
    for id in 1..=n as i64 {
        let t0 = Instant::now();
        app.add_recipient(e.id, id)?;
        add.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    let t0 = Instant::now();
    app.shortage_report(e.id)?;
    let shortage = t0.elapsed().as_secs_f64() * 1000.0;
    app.approve_event(e.id)?;
    let mut give = Vec::new();
    let mut ids = Vec::new();
    for id in 1..=n as i64 {
        let t0 = Instant::now();
        ids.push(app.hand_over(e.id, id, None, None)?.id);
        give.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    // One receipt PDF (composed, QR drawn, the print recorded), for the first 100.
    let mut one = Vec::new();
    let mut largest = 0;
    for id in ids.iter().take(100) {
        let t0 = Instant::now();
        let pdf = app.receipt_pdf(*id)?;
        one.push(t0.elapsed().as_secs_f64() * 1000.0);
        largest = largest.max(pdf.len());
    }
    let t0 = Instant::now();
    let all = app.event_receipts_pdf(e.id)?;
    let event_pdf = t0.elapsed().as_secs_f64() * 1000.0;
    let mut out = vec![timing(
        (
            format!("{PAST_RECEIPTS} BAST lampau dengan stoknya ditulis (satu transaksi)"),
            format!("{PAST_RECEIPTS} past BASTs written with their stock (one transaction)"),
        ),
        vec![seeded],
    )];
    out.extend(ledger);
    out.extend([
        timing(
            (
                format!("satu PDF BAST (terbesar {} KB)", largest.div_ceil(1024)),
                format!("one BAST PDF (largest {} KB)", largest.div_ceil(1024)),
            ),
            one,
        ),
        timing(
            (
                format!(
                    "semua BAST kegiatan dalam satu PDF ({n} lembar, {} KB)",
                    all.len().div_ceil(1024)
                ),
                format!(
                    "an event's BASTs in one PDF ({n} pages, {} KB)",
                    all.len().div_ceil(1024)
                ),
            ),
            vec![event_pdf],
        ),
        timing(
            (
                format!("tambah penerima ke kegiatan ({n} keluarga)"),
                format!("add recipients to an event ({n} families)"),
            ),
            add,
        ),
        timing(
            (
                format!("laporan kekurangan stok ({n} penerima)"),
                format!("stock shortage report ({n} recipients)"),
            ),
            vec![shortage],
        ),
        timing(
            (
                "serah terima: catatan, stok FEFO, nomor BAST",
                "hand-over: records, FEFO stock, BAST number",
            ),
            give,
        ),
    ]);
    Ok(out)
}

/// A Kanwil (regional mode) for the bench's facility to enroll with.
fn kanwil_for_bench(db: &std::path::Path) -> Result<App> {
    let profile = FacilityProfile {
        name: "Kanwil Ditjenpas Jawa Tengah".into(),
        kind: FacilityKind::Kanwil,
        class: "Kanwil".into(),
        code: "KANWIL-JATENG".into(),
        province: "Jawa Tengah".into(),
        kanwil: "Kanwil Ditjenpas Jawa Tengah".into(),
        address: "Jl. Dr. Cipto No. 64, Semarang".into(),
        time_zone: TimeZone::Wib,
        head_name: "Kepala Kanwil".into(),
        head_nip: String::new(),
    };
    App::init(
        db,
        Arc::new(SystemClock),
        &crate::facility::FacilitySetup {
            profile,
            receipt_pattern: crate::facility::DEFAULT_RECEIPT_PATTERN.into(),
            logo_base64: None,
            regional_keys: Vec::new(),
        },
        &crate::staff::NewStaff {
            username: "kanwil".into(),
            full_name: "Admin Kanwil".into(),
            nip: String::new(),
            position: "Pengelola".into(),
            role: crate::staff::Role::Admin,
            password: "bench-password-2024".into(),
        },
    )
}

/// The twelve bundles the closings made: exporting one (its stored bytes), verifying it with the
/// facility's public key, and the Kanwil importing each (decrypting the records, recounting).
fn exchange(app: &mut App, kw: &mut App) -> Result<Vec<Timing>> {
    let f = app.facility()?;
    let key = crate::facility::keys::parse_public_key(&f.public_key_hex)?;
    let (mut export, mut verify, mut import) = (Vec::new(), Vec::new(), Vec::new());
    let mut size = 0;
    let seqs: Vec<u64> = app.outbox()?.bundles.iter().map(|b| b.seq).collect();
    for seq in seqs {
        let t0 = Instant::now();
        let (_, name, bytes) = app.bundle_file(Some(seq), None)?;
        export.push(t0.elapsed().as_secs_f64() * 1000.0);
        size = bytes.len();
        let t0 = Instant::now();
        let c = crate::app::verify_with_key(&bytes, &f.profile.code, &key);
        verify.push(t0.elapsed().as_secs_f64() * 1000.0);
        if !c.genuine {
            return Err(Error::internal("a bench bundle does not verify"));
        }
        let t0 = Instant::now();
        let v = kw.import_bundles(vec![(name, bytes)])?;
        import.push(t0.elapsed().as_secs_f64() * 1000.0);
        if v[0].verdict != "accepted" {
            return Err(Error::internal(format!(
                "a bench bundle was {}",
                v[0].verdict
            )));
        }
    }
    let mb = size as f64 / 1_048_576.0;
    Ok(vec![
        timing(
            (
                format!("ekspor bundel satu bulan ({mb:.1} MB)"),
                format!("export one month's bundle ({mb:.1} MB)"),
            ),
            export,
        ),
        timing(
            (
                "periksa bundel satu bulan (tanda tangan, setiap bagian)",
                "verify one month's bundle (signature, every part)",
            ),
            verify,
        ),
        timing(
            (
                "Kanwil: impor bundel satu bulan (dekripsi, hitung ulang)",
                "Kanwil: import one month's bundle (decrypt, recompute)",
            ),
            import,
        ),
    ])
}

/// What a province-year import measured.
#[derive(Debug, serde::Serialize)]
pub struct ProvinceBench {
    pub facilities: usize,
    pub months: u32,
    pub bundles: usize,
    pub bytes: u64,
    pub make_seconds: f64,
    /// All the bundles in one import, as a folder of them is imported.
    pub import_seconds: f64,
    /// `import_seconds` shared out over the bundles.
    pub ms_per_bundle: f64,
    /// Finding a month's pairs of BASTs of two facilities that served one person (the
    /// Kanwil's Duplikat UPT): the median over the year's months, and the pairs of the last.
    pub pairs_ms: f64,
    pub pairs: usize,
    /// The Kanwil's Beranda after the import (it counts the last month's pairs): the median of 5.
    pub dashboard_ms: f64,
}

/// `facilities` demo facilities with `months` closed months each make their bundles; a fresh
/// Kanwil then imports all of them at once, as one folder's worth (facilities interleaved).
/// With `keep`, the bundles stay in `dir/bundles` and the Kanwil as it was before the import
/// in `dir/kanwil-before`, so the import can be run again with `bansos regional import`.
pub fn province(
    dir: &std::path::Path,
    facilities: usize,
    months: u32,
    families: usize,
    keep: bool,
) -> Result<ProvinceBench> {
    let t0 = Instant::now();
    let until = crate::month::Month::of(TimeZone::Wib.today(chrono::Utc::now())).prev();
    let opts = crate::demo::Options {
        families,
        months,
        seed: 2024,
        until,
        facility: 0,
    };
    let kdb = dir.join("kanwil").join("bansos.db");
    let made = crate::demo::province_unsent(&kdb, facilities, &opts)?;
    let make_seconds = t0.elapsed().as_secs_f64();
    let mut files = Vec::new();
    for (_, db) in &made.facilities {
        let mut f = App::open(
            std::path::Path::new(db),
            Arc::new(SystemClock),
            &Credentials::new("petugas", crate::demo::PASSWORD),
        )?;
        let seqs: Vec<u64> = f.outbox()?.bundles.iter().map(|b| b.seq).collect();
        for (i, s) in seqs.into_iter().enumerate() {
            let (_, name, bytes) = f.bundle_file(Some(s), None)?;
            files.push((i, name, bytes));
        }
    }
    // Month by month across the province, as a stick gathered over a year would be read.
    files.sort_by_key(|(i, n, _)| (*i, n.clone()));
    let bytes: u64 = files.iter().map(|(_, _, b)| b.len() as u64).sum();
    let bundles = files.len();
    if keep {
        let out = dir.join("bundles");
        crate::files::create_private_dir(&out)?;
        for (_, name, b) in &files {
            crate::files::write_atomic(&out.join(name), b)?;
        }
        let before = dir.join("kanwil-before");
        crate::files::create_private_dir(&before)?;
        for e in std::fs::read_dir(dir.join("kanwil")).map_err(|e| Error::io(dir, e))? {
            let p = e.map_err(|e| Error::io(dir, e))?.path();
            if p.is_file() {
                if let Some(n) = p.file_name() {
                    std::fs::copy(&p, before.join(n)).map_err(|e| Error::io(&p, e))?;
                }
            }
        }
    }
    let mut kw = App::open(
        &kdb,
        Arc::new(SystemClock),
        &Credentials::new("kepala", crate::demo::PASSWORD),
    )?;
    let t0 = Instant::now();
    let verdicts = kw.import_bundle_stream(
        bundles as u64,
        files.into_iter().map(|(_, name, b)| (name, b)),
    )?;
    let import_seconds = t0.elapsed().as_secs_f64();
    if let Some(v) = verdicts.iter().find(|v| v.verdict != "accepted") {
        return Err(Error::internal(format!(
            "a province bundle was {}",
            v.verdict
        )));
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let (mut pairs_ms, mut pairs) = (Vec::new(), 0);
    let mut m = until;
    for _ in 0..months {
        let t0 = Instant::now();
        let found = kw.regional_duplicates(&m.key())?.len();
        pairs_ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        if m == until {
            pairs = found;
        }
        m = m.prev();
    }
    let mut dashboard_ms = Vec::new();
    for _ in 0..5 {
        let t0 = Instant::now();
        kw.regional_dashboard()?;
        dashboard_ms.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(ProvinceBench {
        facilities,
        months,
        bundles,
        bytes,
        make_seconds,
        import_seconds,
        ms_per_bundle: import_seconds * 1000.0 / bundles.max(1) as f64,
        pairs_ms: median(pairs_ms),
        pairs,
        dashboard_ms: median(dashboard_ms),
    })
}

/// Closes the first twelve months of the ten years (each 8,334 BASTs and 25,002 stock
/// movements, in a database of 1,000,000 BASTs), then renders a stored report again as PDF and
/// XLSX to time the renderings alone.
fn closing(app: &mut App) -> Result<Vec<Timing>> {
    let mut close = Vec::new();
    let mut m = crate::month::Month {
        year: 2015,
        month: 1,
    };
    for _ in 0..12 {
        let t0 = Instant::now();
        app.close_month(&m.key())?;
        close.push(t0.elapsed().as_secs_f64() * 1000.0);
        m = m.next();
    }
    let report = app.month_report("2015-01", None)?;
    let (mut pdf, mut xlsx) = (Vec::new(), Vec::new());
    let (mut pdf_size, mut xlsx_size) = (0, 0);
    for _ in 0..10 {
        let t0 = Instant::now();
        pdf_size = crate::pdf::monthly::report_pdf(&report, None)?.len();
        pdf.push(t0.elapsed().as_secs_f64() * 1000.0);
        let t0 = Instant::now();
        xlsx_size = crate::month::xlsx::report_xlsx(&report)?.len();
        xlsx.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(vec![
        timing(
            (
                "tutup buku satu bulan (8.334 BAST; laporan, PDF, XLSX dan bundel disimpan)",
                "close one month (8,334 BASTs; report, PDF, XLSX and bundle stored)",
            ),
            close,
        ),
        timing(
            (
                format!("laporan bulanan PDF ({} KB)", pdf_size.div_ceil(1024)),
                format!("monthly report PDF ({} KB)", pdf_size.div_ceil(1024)),
            ),
            pdf,
        ),
        timing(
            (
                format!("laporan bulanan XLSX ({} KB)", xlsx_size.div_ceil(1024)),
                format!("monthly report XLSX ({} KB)", xlsx_size.div_ceil(1024)),
            ),
            xlsx,
        ),
    ])
}

/// Seeds `families` families into a new database in `dir` and times the registry's reads.
/// The fewest families the bench generates: its ten years of past hand-overs give 8,334 families
/// a BAST each month, each family at most once a month.
pub const MIN_FAMILIES: usize = 8_334;
/// The most: ten times SPEC §3's largest facility.
pub const MAX_FAMILIES: usize = 1_000_000;

/// The families the registry bench makes when `asked` for: fewer than [`MIN_FAMILIES`] are
/// raised to it; more than [`MAX_FAMILIES`] are refused, naming the limit, before anything is made.
pub fn families_for(asked: usize) -> Result<usize> {
    if asked > MAX_FAMILIES {
        return Err(Error::invalid(
            "families",
            format!(
                "Bench: paling banyak {} keluarga.",
                crate::limits::count(MAX_FAMILIES as u64)
            ),
            format!(
                "Bench: at most {} families.",
                crate::limits::count_en(MAX_FAMILIES as u64)
            ),
        ));
    }
    Ok(asked.max(MIN_FAMILIES))
}

pub fn registry(dir: &std::path::Path, families: usize) -> Result<RegistryBench> {
    let families = families_for(families)?;
    let db = dir.join("bench.db");
    let profile = FacilityProfile {
        name: "Rutan Kelas IIB Blora".into(),
        kind: FacilityKind::Rutan,
        class: "IIB".into(),
        code: "RUTAN-BLORA".into(),
        province: "Jawa Tengah".into(),
        kanwil: "Kanwil Ditjenpas Jawa Tengah".into(),
        address: "Jl. Pemuda No. 1, Blora".into(),
        time_zone: TimeZone::Wib,
        head_name: "Kepala Rutan".into(),
        head_nip: String::new(),
    };
    let setup = FacilitySetup {
        profile,
        receipt_pattern: DEFAULT_RECEIPT_PATTERN.into(),
        regional_keys: Vec::new(),
        logo_base64: None,
    };
    let staff = |u: &str, role: Role| NewStaff {
        username: u.into(),
        full_name: u.into(),
        nip: String::new(),
        position: String::new(),
        role,
        password: "bench-password-2024".into(),
    };
    let mut admin = App::init(
        &db,
        Arc::new(SystemClock),
        &setup,
        &staff("admin", Role::Admin),
    )?;
    admin.add_staff(&staff("verif", Role::Verifikator))?;
    admin.add_staff(&staff("kepala", Role::KepalaUpt))?;
    drop(admin);
    let mut app = App::open(
        &db,
        Arc::new(SystemClock),
        &Credentials::new("verif", "bench-password-2024"),
    )?;

    let mut g = Gen(2024);
    let t = Instant::now();
    let mut names = Vec::with_capacity(families);
    let mut niks = Vec::with_capacity(families);
    let today = app.today_local()?;
    app.bench_tx(|tx, at, actor| {
        db::seed_families(tx, at, actor, today, families, |i, add| {
            let d = DISTRICTS[i % DISTRICTS.len()];
            let female = g.next().is_multiple_of(2);
            let head = format!("{} {}", g.pick(FIRST), g.pick(LAST));
            let hn = nik(d, i as u64, female, 1);
            names.push(head.clone());
            niks.push(hn.clone());
            let kk = format!("{d}{:010}", i + 1);
            let members = g.next() % 4;
            let mut m = vec![(head, hn)];
            for k in 0..members {
                m.push((
                    format!("{} {}", g.pick(FIRST), g.pick(LAST)),
                    nik(d, i as u64, k % 2 == 0, 2 + k),
                ));
            }
            add(kk, format!("{d}2001"), m);
        })
    })?;
    let seed_seconds = t.elapsed().as_secs_f64();
    let persons: i64 = app.bench_tx(|tx, _, _| db::count_persons(tx))?;

    let before = rss_mb();
    let t = Instant::now();
    app.warm_search_index()?;
    let index_build_ms = t.elapsed().as_secs_f64() * 1000.0;
    let index_rss_mb = before.zip(rss_mb()).map(|(a, b)| b - a);
    let index_mb = app.search_index_bytes() as f64 / 1_048_576.0;

    let run = |what: (&str, &str), queries: Vec<String>, app: &mut App| -> Result<Timing> {
        let mut ms = Vec::new();
        for q in queries {
            let f = FamilyFilter {
                query: q,
                active: Some(true),
                ..Default::default()
            };
            let t = Instant::now();
            app.family_list(&f, 50, 0)?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        Ok(timing(what, ms))
    };
    let mut g = Gen(7);
    let pick = |g: &mut Gen, v: &Vec<String>| v[(g.next() % v.len() as u64) as usize].clone();
    let misspelt: Vec<String> = (0..300)
        .map(|_| {
            let mut n: Vec<char> = pick(&mut g, &names).chars().collect();
            let at = 1 + (g.next() as usize) % (n.len() - 2);
            n.remove(at); // one letter dropped
            n.into_iter().collect()
        })
        .collect();
    let prefixes: Vec<String> = (0..300)
        .map(|_| pick(&mut g, &niks)[..10].to_owned())
        .collect();
    let full: Vec<String> = (0..300).map(|_| pick(&mut g, &niks)).collect();
    let typing: Vec<String> = (0..300)
        .map(|_| {
            let n = pick(&mut g, &names);
            n.chars().take(3 + (g.next() as usize) % 5).collect()
        })
        .collect();
    let mut timings = vec![
        run(
            (
                "cari nama salah ketik (1 huruf hilang)",
                "name search with a typo (1 letter missing)",
            ),
            misspelt,
            &mut app,
        )?,
        run(
            (
                "cari nama sambil mengetik (3–7 huruf)",
                "name search while typing (3–7 letters)",
            ),
            typing,
            &mut app,
        )?,
        run(
            (
                "cari awalan NIK (10 angka)",
                "NIK prefix search (10 digits)",
            ),
            prefixes,
            &mut app,
        )?,
        run(("cari NIK lengkap", "whole NIK search"), full, &mut app)?,
        run(
            (
                "daftar tanpa cari (halaman 1)",
                "list without a search (page 1)",
            ),
            vec![String::new(); 100],
            &mut app,
        )?,
    ];
    let mut ms = Vec::new();
    for _ in 0..100 {
        let id = 1 + (g.next() % families as u64) as i64;
        let t = Instant::now();
        app.family_get(id)?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    timings.push(timing(
        (
            "buka rincian keluarga (dengan log akses)",
            "open a family's record (with its access logged)",
        ),
        ms,
    ));
    timings.extend(sheets(&names, &niks)?);
    timings.extend(handovers(&mut app, 500)?);
    let mut kepala = App::open(
        &db,
        Arc::new(SystemClock),
        &Credentials::new("kepala", "bench-password-2024"),
    )?;
    // Enrolled with a Kanwil, so each closing makes and stores its bundle too.
    let kanwil_db = dir.join("kanwil.db");
    let mut kw = kanwil_for_bench(&kanwil_db)?;
    let kfp = kw.facility()?.fingerprint;
    let (_, registration) = kepala.registration_file()?;
    let fp = kepala.facility()?.fingerprint;
    let (_, enrollment) = kw.register_facility(&registration, &fp)?;
    kepala.import_enrollment(&enrollment, Some(&kfp))?;
    timings.extend(closing(&mut kepala)?);
    timings.extend(exchange(&mut kepala, &mut kw)?);
    // Beranda at this size: the month running computed live (with the event's hand-overs timed
    // above), the other months of the last twelve likewise (the ten years end before them), the
    // months to close among the ten years, the stock over its 3 million movements.
    let mut ms = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        kepala.dashboard()?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    timings.push(timing(
        (
            "beranda (dasbor), Kepala UPT",
            "Beranda (dashboard), Kepala UPT",
        ),
        ms,
    ));
    Ok(RegistryBench {
        families,
        persons,
        seed_seconds,
        index_build_ms,
        index_mb,
        index_rss_mb,
        timings,
    })
}

/// What the inbox load run measured.
#[derive(Debug, serde::Serialize)]
pub struct InboxBench {
    pub facilities: usize,
    pub months: u32,
    pub bundles: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub bundles_per_second: f64,
    pub per_upload: Timing,
    /// The server process's peak resident memory (VmHWM), and at the end (VmRSS), in MiB.
    pub server_peak_mib: f64,
    pub server_end_mib: f64,
}

/// A transport that times every upload.
struct Timed {
    inner: crate::inbox::upload::Http,
    ms: std::sync::Mutex<Vec<f64>>,
}

impl crate::inbox::upload::Transport for Timed {
    fn post_bundle(
        &self,
        url: &str,
        bytes: &[u8],
    ) -> std::result::Result<crate::inbox::api::Reply, String> {
        let t = Instant::now();
        let r = self.inner.post_bundle(url, bytes);
        if let Ok(mut v) = self.ms.lock() {
            v.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        r
    }

    fn get_head(
        &self,
        url: &str,
        code: &str,
    ) -> std::result::Result<crate::inbox::api::Reply, String> {
        self.inner.get_head(url, code)
    }
}

fn proc_mib(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The inbox under load: `facilities` demo facilities with `months` closed months each, all
/// uploading at once (one thread each, as many PCs would) to `bansos inbox serve` (the program
/// at `exe`, its own process, on loopback) until every bundle is acknowledged.
pub fn inbox(
    dir: &std::path::Path,
    exe: &std::path::Path,
    facilities: usize,
    months: u32,
    families: usize,
) -> Result<InboxBench> {
    let until = crate::month::Month::of(TimeZone::Wib.today(chrono::Utc::now())).prev();
    let opts = crate::demo::Options {
        families,
        months,
        seed: 2024,
        until,
        facility: 0,
    };
    let kdb = dir.join("kanwil").join("bansos.db");
    let made = crate::demo::province_unsent(&kdb, facilities, &opts)?;
    let server = crate::inbox::process::ServerProcess::start(
        exe,
        &kdb,
        "kepala",
        crate::demo::PASSWORD,
        "127.0.0.1:0",
        &[
            "--per-address-per-minute",
            "100000",
            "--per-facility-per-minute",
            "1000",
            "--concurrency",
            "64",
        ],
    )?;
    let url = server.url.clone();
    let mut bytes = 0;
    let mut bundles = 0;
    for (_, db) in &made.facilities {
        let mut f = App::open(
            std::path::Path::new(db),
            Arc::new(SystemClock),
            &Credentials::new("kepala", crate::demo::PASSWORD),
        )?;
        f.set_inbox_url(Some(&url))?;
        for b in f.outbox()?.bundles {
            bytes += b.size;
            bundles += 1;
        }
    }
    let net = Arc::new(Timed {
        inner: crate::inbox::upload::Http::default(),
        ms: std::sync::Mutex::new(Vec::new()),
    });
    let t0 = Instant::now();
    let handles: Vec<_> = made
        .facilities
        .iter()
        .map(|(_, db)| {
            let (db, net) = (std::path::PathBuf::from(db), net.clone());
            std::thread::spawn(move || -> Result<usize> {
                let app = App::open(
                    &db,
                    Arc::new(SystemClock),
                    &Credentials::new("petugas", crate::demo::PASSWORD),
                )?;
                let cell = std::cell::RefCell::new(app);
                let r = crate::inbox::upload::send_due(&|| Ok(cell.borrow_mut()), &*net, true)?;
                Ok(r.lines
                    .iter()
                    .filter(|l| l.outcome == "acknowledged")
                    .count())
            })
        })
        .collect();
    let mut acknowledged = 0;
    for h in handles {
        acknowledged += h
            .join()
            .map_err(|_| Error::internal("an uploading thread failed"))??;
    }
    let seconds = t0.elapsed().as_secs_f64();
    let pid = server.pid();
    let (server_peak_mib, server_end_mib) = (proc_mib(pid, "VmHWM:"), proc_mib(pid, "VmRSS:"));
    drop(server);
    if acknowledged != bundles {
        return Err(Error::internal(format!(
            "{acknowledged} of {bundles} bundles were acknowledged"
        )));
    }
    let ms = net.ms.lock().map(|v| v.clone()).unwrap_or_default();
    Ok(InboxBench {
        facilities,
        months,
        bundles,
        bytes,
        seconds,
        bundles_per_second: bundles as f64 / seconds,
        per_upload: timing(("unggah satu bundel", "upload one bundle"), ms),
        server_peak_mib,
        server_end_mib,
    })
}

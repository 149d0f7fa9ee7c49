//! Progress of long work (issue 15): a sheet's import, an event's receipts, a month's closing
//! and the Kanwil's bundle import report how far they have come, from 0 to their count, in order.

use bansos::demo::{make, province_unsent, Options};
use bansos::family::model::Category;
use bansos::month::Month;
use bansos::progress::{Progress, Stage, Work};
use bansos::{App, Credentials};
use std::path::Path;
use std::sync::{Arc, Mutex};

const PW: &str = "demo-bansos-2024";

fn open(db: &Path, user: &str) -> App {
    App::open(
        db,
        Arc::new(bansos::clock::SystemClock),
        &Credentials::new(user, PW),
    )
    .unwrap()
}

/// A name of letters only, different for each `i`.
fn letters(i: u32) -> String {
    let a = |n: u32| char::from(b'a' + (n % 26) as u8);
    format!("B{}{}{}", a(i / 676), a(i / 26), a(i))
}

/// Collects every report the session makes.
fn watch(app: &mut App) -> Arc<Mutex<Vec<Progress>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    app.set_progress(Some(Arc::new(move |p: &Progress| {
        s.lock().unwrap().push(p.clone())
    })));
    seen
}

/// Every report is of `work` with `total`, starts at 0, never goes back, and ends at `total`.
fn runs_to(seen: &Arc<Mutex<Vec<Progress>>>, work: Work, total: u64) -> Vec<Progress> {
    let v = std::mem::take(&mut *seen.lock().unwrap());
    assert!(!v.is_empty(), "{work:?}: no report");
    assert!(
        v.iter().all(|p| p.work == work && p.total == total),
        "{v:?}"
    );
    assert_eq!(v.first().unwrap().done, 0, "{v:?}");
    assert_eq!(v.last().unwrap().done, total, "{v:?}");
    assert!(v.windows(2).all(|w| w[0].done <= w[1].done), "{v:?}");
    v
}

#[test]
fn long_work_reports_its_progress_to_its_count() {
    let dir = tempfile::tempdir().unwrap();
    let today = bansos::locale::TimeZone::Wib.today(chrono::Utc::now());
    let last = Month::of(today).prev();
    let db = dir.path().join("bansos.db");
    let made = make(
        &db,
        &Options {
            families: 20,
            months: 2,
            seed: 3,
            until: last.prev(),
            facility: 0,
        },
        |_| {},
    )
    .unwrap();
    assert!(made.handovers > 0);

    // A sheet of 300 families: one report at the start, the last at 300.
    let mut v = open(&db, "verifikator");
    let seen = watch(&mut v);
    let mut csv = String::from("NIK;NAMA;ALAMAT\r\n");
    for i in 0..300u32 {
        csv.push_str(&format!(
            "331601{:02}{:02}80{:04};Warga {};Jl. Uji {i}\r\n",
            1 + i % 28,
            1 + (i / 28) % 12,
            1 + i,
            letters(i)
        ));
    }
    let pre = v
        .import_preview(
            "impor.csv",
            csv.as_bytes(),
            None,
            Category::MasyarakatSekitar,
            bansos::locale::Lang::En,
        )
        .unwrap();
    assert_eq!(pre.ok, 300, "{:?}", pre.rows.first());
    let r = v
        .import_commit(
            "impor.csv",
            csv.as_bytes(),
            None,
            Category::MasyarakatSekitar,
        )
        .unwrap();
    assert_eq!(r.imported, 300);
    runs_to(&seen, Work::ImportRows, 300);
    // A refused import reports nothing done it did not do.
    assert!(v
        .import_commit(
            "kosong.csv",
            b"NIK;NAMA\r\n",
            None,
            Category::MasyarakatSekitar
        )
        .is_err());
    assert!(seen.lock().unwrap().iter().all(|p| p.done == 0));
    seen.lock().unwrap().clear();
    // Without a sink nothing is reported and nothing changes.
    v.set_progress(None);
    drop(v);

    // An event's receipts: one report per page up to the number of hand-overs.
    let mut p = open(&db, "petugas");
    let seen = watch(&mut p);
    let (event, n) = p
        .events()
        .unwrap()
        .into_iter()
        .map(|e| (e.id, p.handovers_of_event(e.id).unwrap().len() as u64))
        .find(|(_, n)| *n > 1)
        .expect("a demo event with hand-overs");
    let pdf = p.event_receipts_pdf(event).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    runs_to(&seen, Work::PrintReceipts, n);
    drop(p);

    // A month's closing: its five steps named in order, then done.
    let mut k = open(&db, "kepala");
    let seen = watch(&mut k);
    k.close_month(&last.key()).unwrap_or_else(|e| panic!("{e}"));
    let steps = runs_to(&seen, Work::CloseMonth, 5);
    assert_eq!(
        steps.iter().filter_map(|p| p.stage).collect::<Vec<_>>(),
        [
            Stage::Checklist,
            Stage::Report,
            Stage::Pdf,
            Stage::Xlsx,
            Stage::Bundle
        ]
    );
    // A refused closing (the running month) gets no further than its first step.
    assert!(k.close_month(&Month::of(today).key()).is_err());
    assert!(seen.lock().unwrap().iter().all(|p| p.done == 0));
}

#[test]
fn the_kanwils_bundle_import_reports_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let today = bansos::locale::TimeZone::Wib.today(chrono::Utc::now());
    let kdb = dir.path().join("kanwil.db");
    let made = province_unsent(
        &kdb,
        2,
        &Options {
            families: 10,
            months: 2,
            seed: 5,
            until: Month::of(today).prev(),
            facility: 0,
        },
    )
    .unwrap();
    let mut files = Vec::new();
    for (code, fdb) in &made.facilities {
        let mut f = open(Path::new(fdb), "kepala");
        let seqs: Vec<u64> = f.outbox().unwrap().bundles.iter().map(|b| b.seq).collect();
        for seq in seqs {
            let (_, name, bytes) = f.bundle_file(Some(seq), None).unwrap();
            files.push((name, bytes));
        }
        assert!(!code.is_empty());
    }
    let total = files.len() as u64;
    assert!(total >= 4);
    let mut kw = open(&kdb, "kepala");
    let seen = watch(&mut kw);
    let verdicts = kw.import_bundles(files).unwrap();
    assert!(
        verdicts.iter().all(|v| v.verdict == "accepted"),
        "{verdicts:?}"
    );
    runs_to(&seen, Work::ImportBundles, total);
}

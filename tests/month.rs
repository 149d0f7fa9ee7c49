//! Monthly closing (tutup buku): a closed month refuses back-dated writes in the core and in the
//! store, corrections go forward, reopening makes the next revision, months close in order.

use crate::common::{new_staff, Fixture};
use crate::distribution::{event, ready, stock};
use crate::registry::{PETUGAS_PW, VERIF_PW};
use bansos::app::App;
use bansos::distribution::{EventInput, EventKind};
use bansos::locale::Lang;
use bansos::month::{CheckKind, CheckLevel, MonthState, MonthlyReport};
use bansos::staff::Role;
use bansos::stock::{FundingSource, ReceiptInput, ReceiptLineInput};
use bansos::ErrorKind;
use chrono::{TimeZone as _, Utc};

/// A value as the window receives it, to compare two answers.
fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

pub const KEPALA_PW: &str = "rawon-surabaya-99";

/// Moves the fixture's clock to `y-m-d` 10.00 WIB and signs everyone in again (sessions left
/// idle for weeks have ended).
fn at(fx: &Fixture, y: i32, m: u32, d: u32) -> (App, App, App) {
    fx.clock
        .set(Utc.with_ymd_and_hms(y, m, d, 3, 0, 0).unwrap());
    (
        fx.sign_in("petugas", PETUGAS_PW).unwrap(),
        fx.sign_in("verif", VERIF_PW).unwrap(),
        fx.sign_in("kepala", KEPALA_PW).unwrap(),
    )
}

fn with_kepala(fx: &Fixture) {
    fx.admin()
        .add_staff(&new_staff("kepala", Role::KepalaUpt, KEPALA_PW))
        .unwrap();
}

fn receipt(date: &str, beras: &str, value: &str) -> ReceiptInput {
    ReceiptInput {
        date: date.into(),
        source: FundingSource::HasilPanen,
        donor_name: String::new(),
        source_note: String::new(),
        doc_ref: "PANEN-1".into(),
        received_by: "Budi".into(),
        note: String::new(),
        lines: vec![ReceiptLineInput {
            item_id: 1,
            quantity: beras.into(),
            value: value.into(),
            lot_code: String::new(),
            expiry: None,
        }],
    }
}

fn event_on(p: &mut App, template: i64, date: &str) -> bansos::Result<i64> {
    p.create_event(&EventInput {
        date: date.into(),
        place: "Aula".into(),
        kind: EventKind::RutinBulanan,
        source: None,
        template_id: template,
        officials: vec![],
        note: String::new(),
    })
    .map(|e| e.id)
}

fn says(e: &bansos::Error, words: &[&str]) {
    let m = e.message(Lang::Id);
    for w in words {
        assert!(m.contains(w), "«{w}» not in: {m}");
    }
}

#[test]
fn a_closed_month_refuses_back_dated_writes_in_the_core_and_the_store() {
    let (fx, mut p, _v, e, a, b) = ready("10", "2");
    with_kepala(&fx);
    let h = p.hand_over(e, a, None, None).unwrap();
    let (mut p, mut v, mut k) = at(&fx, 2024, 12, 2);

    // The event is still approved: the checklist blocks, naming it; the closing says so.
    let c = k.month_checklist("2024-11").unwrap();
    assert!(!c.ready);
    let block = c.blocking().next().unwrap();
    assert_eq!(block.kind, CheckKind::EventNotFinished);
    assert_eq!(block.records[0].id, e);
    assert_eq!(block.total, 1);
    assert!(
        block.records[0].label.starts_with("Kegiatan #")
            && block.records[0].label_en.starts_with("Event #")
            && block.records[0]
                .label_en
                .contains("Saturday, 16 November 2024"),
        "{:?}",
        block.records[0]
    );
    let err = k.close_month("2024-11").err().unwrap();
    assert_eq!(err.kind, ErrorKind::Conflict);
    says(&err, &["November 2024", "belum dapat ditutup", "kegiatan"]);
    // Only the Kepala UPT closes.
    assert_eq!(
        v.close_month("2024-11").err().unwrap().kind,
        ErrorKind::Forbidden
    );
    p.complete_event(e).unwrap();
    let closing = k.close_month("2024-11").unwrap();
    assert_eq!((closing.revision, closing.nihil), (1, false));
    assert_eq!(closing.closed_by_name, "Staf kepala");

    // The core refuses back-dated hand-overs, receipts and events, naming month and closer.
    let t = fx
        .raw()
        .query_row("SELECT template_id FROM event WHERE id = ?1", [e], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    for err in [
        p.receive(&receipt("2024-11-30", "5", "0"), Lang::Id)
            .err()
            .unwrap(),
        event_on(&mut p, t, "2024-11-28").err().unwrap(),
    ] {
        assert_eq!(err.kind, ErrorKind::Conflict, "{err:?}");
        says(&err, &["November 2024", "ditutup", "Staf kepala"]);
    }
    let e2 = event_on(&mut p, t, "2024-12-02").unwrap();
    p.add_recipient(e2, b).unwrap();
    v.approve_event(e2).unwrap();
    let err = p.hand_over(e2, b, None, Some("2024-11-30")).err().unwrap();
    // (a hand-over is never before its event either; the month is named first)
    says(&err, &["November 2024", "ditutup"]);

    // The store refuses the same by raw SQL: writes, changes and moves into the closed month.
    let raw = fx.raw();
    let refused_with = |sql: &str, why: &str| {
        let e = raw
            .execute(sql, [])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains(why), "{sql}: {e}");
    };
    let refused = |sql: &str| refused_with(sql, "month closed");
    refused(
        "INSERT INTO movement (date, at, item_id, lot_id, kind, qty_milli, doc_ref, actor)
             VALUES ('2024-11-20', 'x', 1, 1, 'adjustment', -1, 'x', 'x')",
    );
    refused(
        "INSERT INTO receipt (date, source, doc_ref, received_by, created_at, created_by)
             VALUES ('2024-10-01', 'koperasi', 'x', 'x', 'x', 'x')",
    );
    refused(&format!(
        "UPDATE handover SET recipient_name = 'Lain' WHERE id = {}",
        h.id
    ));
    refused(&format!("UPDATE event SET place = 'Lain' WHERE id = {e}"));
    refused(&format!(
        "UPDATE event SET date = '2024-11-30' WHERE id = {e2}"
    ));
    refused("UPDATE receipt SET doc_ref = 'Lain' WHERE date = '2024-11-10'");
    refused("UPDATE lot SET value_cents = 1 WHERE id = 1");
    refused("INSERT INTO opname (date, started_by, started_at) VALUES ('2024-11-30', 'x', 'x')");
    refused_with("DELETE FROM month_close", "never deleted");
    refused_with("UPDATE month_close SET report = x'00'", "fixed");
    refused_with(
        "UPDATE month_close SET reopened_at = NULL",
        "reopened, once",
    );

    // Named exceptions: a reprint, an attachment, a later issue from a lot received in November.
    assert!(p.receipt_pdf(h.id).unwrap().starts_with(b"%PDF"));
    p.attachment_add(
        "handover",
        h.id,
        "scan.png",
        b"\x89PNG\r\n\x1a\n0000IHDRscan",
        "",
    )
    .unwrap();
    let h2 = p.hand_over(e2, b, None, None).unwrap();
    assert!(!h2.voided);
    // The registry stays editable.
    let fam = p.family_get(a).unwrap();
    assert_eq!(fam.id, a);
}

#[test]
fn a_void_of_a_closed_months_bast_lands_in_the_open_month_and_the_closed_report_stays() {
    let (fx, mut p, _v, e, a, _b) = ready("10", "2");
    with_kepala(&fx);
    let h = p.hand_over(e, a, None, None).unwrap();
    p.complete_event(e).unwrap();
    let (_p, mut v, mut k) = at(&fx, 2024, 12, 2);
    k.close_month("2024-11").unwrap();
    let before = k.month_report_files("2024-11", None).unwrap();
    let report = k.month_report("2024-11", None).unwrap();
    assert_eq!(report.served.packages, 1);

    v.void_handover(h.id, "salah penerima").unwrap();
    let raw = fx.raw();
    let day: String = raw
        .query_row(
            "SELECT date FROM movement WHERE kind = 'reversal' AND ref_id = ?1",
            [h.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(day, "2024-12-02", "the reversal is dated in the open month");
    assert_eq!(k.month_report_files("2024-11", None).unwrap(), before);

    let (_p, _v, mut k) = at(&fx, 2025, 1, 3);
    let c = k.close_month("2024-12").unwrap();
    assert!(c.nihil, "no hand-over in December: nihil");
    let dec = k.month_report("2024-12", None).unwrap();
    assert_eq!(dec.voided.len(), 1);
    assert_eq!(dec.voided[0].bast_no, h.bast_no);
    assert_eq!(dec.voided[0].handover_date, "2024-11-16");
    let beras = dec.items.iter().find(|i| i.code == "beras").unwrap();
    assert_eq!(
        beras.out.to_string(),
        "-5",
        "the void returned the rice in December"
    );
    let nov = k.month_report("2024-11", None).unwrap();
    let nov_beras = nov.items.iter().find(|i| i.code == "beras").unwrap();
    assert_eq!(beras.opening, nov_beras.closing);
}

#[test]
fn reopening_makes_revision_two_only_for_the_latest_month_and_months_close_in_order() {
    let (fx, mut p, _v, e, a, b) = ready("10", "2");
    with_kepala(&fx);
    p.hand_over(e, a, None, None).unwrap();
    p.complete_event(e).unwrap();
    let (mut p, mut v, mut k) = at(&fx, 2025, 1, 3);

    // December before November: refused, naming November.
    let err = k.close_month("2024-12").err().unwrap();
    says(&err, &["November 2024"]);
    // The screen opens on the months and the checklist of the one that may close now (November),
    // the same as asked one after the other.
    let o = k.month_overview().unwrap();
    assert_eq!(json(&o.months), json(&k.months().unwrap()));
    let first = o
        .checklist
        .expect("November may close: its checklist comes with the list");
    assert_eq!(first.period, "2024-11");
    assert_eq!(json(&first), json(&k.month_checklist("2024-11").unwrap()));
    // The current month and one before the facility: refused.
    says(
        &k.close_month("2025-01").err().unwrap(),
        &["belum berakhir"],
    );
    let current = k.month_checklist("2025-01").unwrap();
    assert!(!current.ready, "the current month is never ready");
    assert_eq!(current.points[0].kind, CheckKind::NotEnded);
    says(
        &k.close_month("2024-10").err().unwrap(),
        &["sebelum bulan pertama"],
    );
    says(
        &k.close_month("2024-13").err().unwrap(),
        &["tidak dikenali"],
    );

    k.close_month("2024-11").unwrap();
    k.close_month("2024-12").unwrap();
    // Nothing may close now: the list comes alone.
    let o = k.month_overview().unwrap();
    assert!(o.checklist.is_none(), "{:?}", o.checklist);
    assert_eq!(json(&o.months), json(&k.months().unwrap()));
    let states: Vec<_> = k
        .months()
        .unwrap()
        .into_iter()
        .map(|l| (l.period, l.state))
        .collect();
    assert_eq!(
        states,
        vec![
            ("2024-11".to_owned(), MonthState::Closed),
            ("2024-12".to_owned(), MonthState::Nihil),
            ("2025-01".to_owned(), MonthState::Current),
        ]
    );
    // Only the latest closed month reopens, with a reason, by the Kepala UPT.
    says(
        &k.reopen_month("2024-11", "koreksi data").err().unwrap(),
        &["Hanya bulan terakhir", "Desember 2024"],
    );
    says(&k.reopen_month("2024-12", "").err().unwrap(), &["alasan"]);
    assert_eq!(
        v.reopen_month("2024-12", "koreksi data")
            .err()
            .unwrap()
            .kind,
        ErrorKind::Forbidden
    );
    let r = k.reopen_month("2024-12", "BAST terlewat dicatat").unwrap();
    assert_eq!(r.reopen_reason, "BAST terlewat dicatat");
    let lines = k.months().unwrap();
    assert_eq!(lines[1].state, MonthState::Reopened);
    assert!(lines[1].can_close);
    // Its figures are being corrected: no public summary is signed until it is closed again.
    let refused = k.public_summary_month("2024-12").err().unwrap();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(
        refused.message(Lang::En).contains("reopened"),
        "{refused:?}"
    );

    // December is open again: a hand-over dated in it goes in; November stays closed.
    let t = fx
        .raw()
        .query_row("SELECT template_id FROM event WHERE id = ?1", [e], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    let e2 = event_on(&mut p, t, "2024-12-20").unwrap();
    p.add_recipient(e2, b).unwrap();
    v.approve_event(e2).unwrap();
    p.hand_over(e2, b, None, Some("2024-12-20")).unwrap();
    p.complete_event(e2).unwrap();
    let c2 = k.close_month("2024-12").unwrap();
    assert_eq!((c2.revision, c2.nihil), (2, false));
    let rev1 = k.month_report("2024-12", Some(1)).unwrap();
    let rev2 = k.month_report("2024-12", None).unwrap();
    assert!(rev1.nihil && !rev2.nihil);
    assert_eq!((rev1.revision, rev2.revision), (1, 2));
    assert_eq!(rev2.served.packages, 1);
    assert!(k.public_summary_month("2024-12").is_ok(), "closed again");
    let missing = k.month_report("2024-12", Some(5)).err().unwrap();
    assert_eq!(missing.kind, ErrorKind::NotFound);
    assert!(
        missing
            .message(Lang::En)
            .contains("no revision 5; its revisions are 1 to 2"),
        "{missing:?}"
    );

    // The audit log has both closings and the reopening.
    let mut admin = fx.admin();
    let actions: Vec<String> = admin
        .audit_list(None, 200)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("month."))
        .collect();
    assert_eq!(actions.len(), 4, "{actions:?}");
}

#[test]
fn the_checklist_blocks_pending_adjustments_and_names_proxies_and_missing_scans() {
    let (fx, mut p, _v, e, a, _b) = ready("10", "2");
    with_kepala(&fx);
    let proxy = bansos::handover::Proxy {
        name: "Sri Wahyuni".into(),
        nik: "3316014708900011".into(),
        relation: "Tetangga".into(),
    };
    let h = p.hand_over(e, a, Some(&proxy), None).unwrap();
    p.complete_event(e).unwrap();
    p.request_adjustment(
        &bansos::stock::AdjustmentInput {
            lot_id: 1,
            quantity: "-1".into(),
            reason: bansos::stock::AdjustmentReason::Rusak,
            note: "basah".into(),
        },
        Lang::Id,
    )
    .unwrap();
    let (_p, mut v, mut k) = at(&fx, 2024, 12, 2);
    let c = k.month_checklist("2024-11").unwrap();
    let kinds: Vec<_> = c.points.iter().map(|p| (p.level, p.kind)).collect();
    assert!(
        kinds.contains(&(CheckLevel::Blocking, CheckKind::AdjustmentPending)),
        "{kinds:?}"
    );
    assert!(kinds.contains(&(CheckLevel::Warning, CheckKind::HandoverWithoutScan)));
    assert!(kinds.contains(&(CheckLevel::Info, CheckKind::HandoverToProxy)));
    let proxy_point = c
        .points
        .iter()
        .find(|p| p.kind == CheckKind::HandoverToProxy)
        .unwrap();
    assert_eq!(proxy_point.records[0].label, h.bast_no);
    says(&k.close_month("2024-11").err().unwrap(), &["penyesuaian"]);
    let pending = v
        .adjustments(Some(bansos::stock::AdjustmentStatus::Pending))
        .unwrap();
    v.decide_adjustment(pending[0].id, false, "tidak terbukti")
        .unwrap();
    let c = k.close_month("2024-11").unwrap();
    let r = k.month_report("2024-11", None).unwrap();
    assert_eq!(r.served.to_proxy, 1);
    assert_eq!(c.period, "2024-11");
}

#[test]
fn the_report_counts_what_happened_and_its_files_are_the_same_bytes_every_time() {
    let (fx, mut p, _v, e, a, b) = ready("10", "2");
    with_kepala(&fx);
    // Harvest rice worth Rp30.000 for 6 kg, received the day before.
    p.receive(&receipt("2024-11-15", "6", "30000"), Lang::Id)
        .unwrap();
    p.hand_over(e, a, None, None).unwrap();
    p.hand_over(e, b, None, None).unwrap();
    p.complete_event(e).unwrap();
    let (_p, _v, mut k) = at(&fx, 2024, 12, 2);
    k.close_month("2024-11").unwrap();
    let r: MonthlyReport = k.month_report("2024-11", None).unwrap();
    assert_eq!(r.served.families, 2);
    assert_eq!(r.served.packages, 2);
    assert_eq!(r.served.keluarga_wbp + r.served.masyarakat_sekitar, 2);
    let beras = r.items.iter().find(|i| i.code == "beras").unwrap();
    assert_eq!(beras.opening.to_string(), "0");
    assert_eq!(beras.received_total.to_string(), "16");
    assert_eq!(beras.handed_over.to_string(), "10");
    assert_eq!(beras.out.to_string(), "10");
    assert_eq!(beras.closing.to_string(), "6");
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].served, 2);
    let harvest = r
        .sources
        .iter()
        .find(|s| s.source == FundingSource::HasilPanen)
        .unwrap();
    assert_eq!(harvest.received_value.to_string(), "30000");
    assert_eq!(r.totals.packages, 2);

    // The stored files, read under two different clocks, are the same bytes; so are the
    // command line's copies.
    let first = k.month_report_files("2024-11", None).unwrap();
    let (_p, _v, mut k) = at(&fx, 2025, 3, 1);
    assert_eq!(k.month_report_files("2024-11", None).unwrap(), first);
    assert!(first.0.starts_with(b"%PDF"));
    assert!(first.1.starts_with(b"PK"));
    // The PDF reads back: its figures are there as text.
    let pdf_file = fx.dir.path().join("dibaca.pdf");
    std::fs::write(&pdf_file, &first.0).unwrap();
    let text = String::from_utf8_lossy(
        &std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&pdf_file)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)")
            .stdout,
    )
    .into_owned();
    for words in [
        "LAPORAN BULANAN PENYALURAN BANTUAN SOSIAL",
        "Bulan November 2024",
        "2 keluarga",
        "Hasil panen UPT",
        "Rp30.000",
        "Saldo akhir",
        "Aula Rutan Blora",
        "Staf kepala",
    ] {
        assert!(
            text.contains(words),
            "«{words}» not in the PDF's text:\n{text}"
        );
    }
    let out = fx.dir.path().join("laporan.pdf");
    let run = fx
        .cli()
        .env("BANSOS_USER", "kepala")
        .env("BANSOS_PASSWORD", KEPALA_PW)
        .args(["report", "2024-11", "--pdf"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(std::fs::read(&out).unwrap(), first.0);
    let _ = stock;
    let _ = event;
}

/// One generated month: receipts (item, whole quantity, rupiah, source), the families served at
/// the month's event, which of those hand-overs are voided within the month, and signed
/// adjustments of the first lot.
#[derive(Debug, Clone)]
struct GenMonth {
    receipts: Vec<(i64, i64, i64, FundingSource)>,
    served: Vec<usize>,
    voided: Vec<usize>,
    adjustments: Vec<i64>,
}

fn gen_month() -> impl proptest::strategy::Strategy<Value = GenMonth> {
    use proptest::prelude::*;
    let source = prop_oneof![
        Just(FundingSource::Koperasi),
        Just(FundingSource::HasilPanen),
        Just(FundingSource::Csr),
        Just(FundingSource::BamaKantin),
    ];
    (
        proptest::collection::vec((1i64..=2, 1i64..=20, 0i64..=500_000, source), 0..3),
        proptest::sample::subsequence((0..4).collect::<Vec<usize>>(), 0..=4),
        proptest::collection::vec(0usize..4, 0..2),
        proptest::collection::vec(prop_oneof![-3i64..=-1, 1i64..=3], 0..2),
    )
        .prop_map(|(receipts, served, voided, adjustments)| GenMonth {
            receipts,
            voided: voided.into_iter().filter(|i| served.contains(i)).collect(),
            served,
            adjustments,
        })
}

/// On generated months of receipts, hand-overs, voids and adjustments, every figure of each
/// closed month's report equals the figure worked out here from the operations themselves, and
/// each month opens with the previous month's closing.
#[test]
fn every_figure_of_the_report_follows_from_the_months_operations() {
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use std::collections::{BTreeMap, BTreeSet};
    let config = ProptestConfig {
        cases: 3,
        max_shrink_iters: 0,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let strategy = (
        proptest::collection::vec(gen_month(), 3),
        prop_oneof![
            Just(FundingSource::Koperasi),
            Just(FundingSource::HasilPanen)
        ],
        1i64..=9_000_000,
    );
    proptest::test_runner::TestRunner::new(config)
        .run(&strategy, |(months, base_source, base_value_rp)| {
            let (fx, mut p, mut v) = crate::registry::staffed();
            with_kepala(&fx);
            let fams: Vec<i64> = (0..4)
                .map(|i| {
                    crate::distribution::verified(
                        &mut p,
                        &mut v,
                        &format!("Kepala Keluarga {}", crate::receipt::words(i)),
                        &[format!("33160112038500{:02}", 10 + i).as_str()],
                        &format!("33160102022000{:02}", 10 + i),
                    )
                })
                .collect();
            let t = crate::distribution::beras_template(&mut p, "5", false, None);
            // The first lot: 1,000 kg of rice (and 1,000 of sugar, lot 2) that every issue
            // comes from (FEFO: no expiry, received first).
            let mut base = receipt("2024-11-01", "1000", &base_value_rp.to_string());
            base.source = base_source;
            base.lines.push(ReceiptLineInput {
                item_id: 2,
                quantity: "1000".into(),
                value: "0".into(),
                lot_code: String::new(),
                expiry: None,
            });
            p.receive(&base, Lang::Id).unwrap();
            let (base_q, base_v) = (1_000_000i64, base_value_rp * 100);
            let mut base_out = 0i64; // thousandths taken from lot 1 so far
            let mut balance: BTreeMap<i64, i64> = BTreeMap::from([(1, 1_000_000), (2, 1_000_000)]);
            let mut prev_closing: Option<BTreeMap<String, Decimal>> = None;
            let mut served_ids: Vec<(i64, bool)> = Vec::new(); // (hand-over id, voided)
            let calendar = [(2024, 11), (2024, 12), (2025, 1)];
            for (mi, gm) in months.iter().enumerate() {
                let (y, m) = calendar[mi];
                let (mut p, mut v, _) = at(&fx, y, m, 28);
                let mut opening = balance.clone();
                if mi == 0 {
                    opening = BTreeMap::from([(1, 0), (2, 0)]);
                }
                let mut received: BTreeMap<(i64, FundingSource), i64> = BTreeMap::new();
                let mut received_value: BTreeMap<FundingSource, i64> = BTreeMap::new();
                if mi == 0 {
                    received.insert((1, base_source), 1_000_000);
                    received.insert((2, base_source), 1_000_000);
                    received_value.insert(base_source, base_v);
                }
                for (k, (item, q, rp, source)) in gm.receipts.iter().enumerate() {
                    let mut r = receipt(
                        &format!("{y}-{m:02}-{:02}", 2 + k),
                        &q.to_string(),
                        &rp.to_string(),
                    );
                    r.source = *source;
                    r.lines[0].item_id = *item;
                    if *source == FundingSource::Csr {
                        r.donor_name = "PT Maju Jaya".into();
                    }
                    p.receive(&r, Lang::Id).unwrap();
                    *received.entry((*item, *source)).or_default() += q * 1000;
                    *received_value.entry(*source).or_default() += rp * 100;
                    *balance.entry(*item).or_default() += q * 1000;
                }
                // The event on the 10th, its hand-overs that day; voids and adjustments today.
                let mut out: BTreeMap<i64, i64> = BTreeMap::new();
                let mut issued_value = 0i64;
                let take = |q: i64, counts: bool, base_out: &mut i64, issued_value: &mut i64| {
                    let before = bansos::month::report::value_at(base_v, base_q, *base_out);
                    *base_out += q;
                    let after = bansos::month::report::value_at(base_v, base_q, *base_out);
                    if counts {
                        *issued_value += after - before;
                    }
                };
                let mut month_handovers = Vec::new();
                let mut voids_in_month = 0;
                let mut handed = 0i64;
                let mut families = BTreeSet::new();
                if !gm.served.is_empty() {
                    let e = event(&mut p, t, &format!("{y}-{m:02}-10"));
                    for &f in &gm.served {
                        p.add_recipient(e, fams[f]).unwrap();
                    }
                    v.approve_event(e).unwrap();
                    for &f in &gm.served {
                        let h = p
                            .hand_over(e, fams[f], None, Some(&format!("{y}-{m:02}-10")))
                            .unwrap();
                        month_handovers.push((f, h.id));
                        *out.entry(1).or_default() += 5000;
                        *out.entry(2).or_default() += 1000;
                        take(5000, true, &mut base_out, &mut issued_value);
                    }
                    for &f in &gm.voided {
                        let (_, id) = month_handovers.iter().find(|(g, _)| *g == f).unwrap();
                        if served_ids.iter().any(|(x, voided)| x == id && *voided) {
                            continue;
                        }
                        v.void_handover(*id, "salah catat").unwrap();
                        served_ids.push((*id, true));
                        voids_in_month += 1;
                        *out.entry(1).or_default() -= 5000;
                        *out.entry(2).or_default() -= 1000;
                        take(-5000, true, &mut base_out, &mut issued_value);
                    }
                    for (f, id) in &month_handovers {
                        if !gm.voided.contains(f) {
                            families.insert(*f);
                            handed += 1;
                            served_ids.push((*id, false));
                        }
                    }
                    p.complete_event(e).unwrap();
                }
                let mut adjusted = 0i64;
                for q in &gm.adjustments {
                    p.request_adjustment(
                        &bansos::stock::AdjustmentInput {
                            lot_id: 1,
                            quantity: q.to_string(),
                            reason: bansos::stock::AdjustmentReason::Koreksi,
                            note: "hitung ulang".into(),
                        },
                        Lang::Id,
                    )
                    .unwrap();
                    let pending = v
                        .adjustments(Some(bansos::stock::AdjustmentStatus::Pending))
                        .unwrap();
                    v.decide_adjustment(pending[0].id, true, "").unwrap();
                    adjusted += q * 1000;
                    take(-q * 1000, false, &mut base_out, &mut issued_value);
                }
                *balance.entry(1).or_default() += adjusted - out.get(&1).copied().unwrap_or(0);
                *balance.entry(2).or_default() -= out.get(&2).copied().unwrap_or(0);

                // Close it the next month and compare.
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                let (_p, _v, mut k) = at(&fx, ny, nm, 1);
                let c = k.close_month(&format!("{y}-{m:02}")).unwrap();
                let r = k.month_report(&c.period, None).unwrap();
                let milli = |x: i64| Decimal::new(x, 3).normalize();
                prop_assert_eq!(r.nihil, handed == 0);
                prop_assert_eq!(r.served.packages, handed);
                prop_assert_eq!(r.served.families, families.len() as i64);
                prop_assert_eq!(r.voided.len(), voids_in_month);
                prop_assert_eq!(r.issued_value, Decimal::new(issued_value, 2).normalize());
                let harvest = if base_source == FundingSource::HasilPanen {
                    issued_value
                } else {
                    0
                };
                prop_assert_eq!(r.harvest_value, Decimal::new(harvest, 2).normalize());
                for s in &r.sources {
                    let want = received_value.get(&s.source).copied().unwrap_or(0);
                    prop_assert_eq!(
                        s.received_value,
                        Decimal::new(want, 2).normalize(),
                        "{:?}",
                        s.source
                    );
                }
                let mut closing = BTreeMap::new();
                for (item, code) in [(1i64, "beras"), (2, "gula")] {
                    let line = r.items.iter().find(|i| i.code == code).unwrap();
                    prop_assert_eq!(line.opening, milli(opening[&item]));
                    prop_assert_eq!(line.out, milli(out.get(&item).copied().unwrap_or(0)));
                    let handed_q = if item == 1 {
                        5000 * handed
                    } else {
                        1000 * handed
                    };
                    prop_assert_eq!(line.handed_over, milli(handed_q));
                    let from_harvest = if base_source == FundingSource::HasilPanen {
                        handed_q
                    } else {
                        0
                    };
                    prop_assert_eq!(line.from_harvest, milli(from_harvest));
                    prop_assert_eq!(
                        line.adjustments,
                        milli(if item == 1 { adjusted } else { 0 })
                    );
                    let got_in: i64 = received
                        .iter()
                        .filter(|((i, _), _)| *i == item)
                        .map(|(_, q)| q)
                        .sum();
                    prop_assert_eq!(line.received_total, milli(got_in));
                    for sq in &line.received {
                        prop_assert_eq!(sq.quantity, milli(received[&(item, sq.source)]));
                    }
                    prop_assert_eq!(line.closing, milli(balance[&item]));
                    if let Some(prev) = &prev_closing {
                        prop_assert_eq!(line.opening, prev[code]);
                    }
                    closing.insert(code.to_owned(), line.closing);
                }
                prev_closing = Some(closing);
                let _ = &mut p;
            }
            Ok(())
        })
        .unwrap();
}

/// A facility's first month is the month of its setup where it is: set up at 05.00 WIB on
/// 1 December (30 November, 22.00 UTC), it has no November to close.
#[test]
fn the_first_month_is_the_month_of_setup_in_the_facilitys_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bansos.db");
    let clock = std::sync::Arc::new(bansos::clock::FixedClock::new(
        Utc.with_ymd_and_hms(2024, 11, 30, 22, 0, 0).unwrap(),
    ));
    App::init(
        &db,
        clock.clone(),
        &crate::common::setup(),
        &new_staff("admin", Role::Admin, "rahasia-sekali-99"),
    )
    .unwrap();
    clock.set(Utc.with_ymd_and_hms(2025, 1, 5, 3, 0, 0).unwrap());
    let mut app = App::open(
        &db,
        clock.clone(),
        &bansos::Credentials::new("admin", "rahasia-sekali-99"),
    )
    .unwrap();
    let months = app.months().unwrap();
    assert_eq!(
        months.iter().map(|m| m.period.as_str()).min(),
        Some("2024-12"),
        "{:?}",
        months.iter().map(|m| &m.period).collect::<Vec<_>>()
    );
    assert!(months.iter().all(|m| m.period.as_str() >= "2024-12"));
}

/// A receipt entered twice and its second movement reversed: the month counts its rupiah once,
/// as it counts its quantity once.
#[test]
fn a_receipt_entered_twice_and_reversed_counts_its_rupiah_once() {
    let (fx, mut p, mut v, e, _a, _b) = ready("10", "2");
    with_kepala(&fx);
    for _ in 0..2 {
        p.receive(&receipt("2024-11-16", "10", "Rp1.000.000"), Lang::Id)
            .unwrap();
    }
    let twice: i64 = fx
        .raw()
        .query_row(
            "SELECT max(id) FROM movement WHERE kind = 'receipt'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    v.reverse_movement(twice, "Penerimaan tercatat dua kali")
        .unwrap();
    v.cancel_event(e, "Diganti kegiatan lain").unwrap();
    let (_p, _v, mut k) = at(&fx, 2024, 12, 2);
    k.close_month("2024-11").unwrap();
    let r = k.month_report("2024-11", None).unwrap();
    let harvest = r
        .sources
        .iter()
        .find(|s| s.source == FundingSource::HasilPanen)
        .unwrap();
    assert_eq!(harvest.received_value.to_string(), "1000000");
    let beras = &r.items[0];
    let harvested: Vec<String> = beras
        .received
        .iter()
        .filter(|s| s.source == FundingSource::HasilPanen)
        .map(|s| s.quantity.to_string())
        .collect();
    assert_eq!(harvested, ["10"], "{:?}", beras.received);
}

/// A BAST voided after its month ended but before the month was closed: the month counts
/// neither its package nor its stock (before, the stock went out in November and came back in
/// December, while no month counted the package).
#[test]
fn a_hand_over_voided_before_its_month_closed_leaves_that_month_whole() {
    let (fx, mut p, _v, e, a, _b) = ready("10", "2");
    with_kepala(&fx);
    let h = p.hand_over(e, a, None, None).unwrap();
    p.complete_event(e).unwrap();
    let (_p, mut v, mut k) = at(&fx, 2024, 12, 2);
    v.void_handover(h.id, "Salah keluarga, dicatat ulang")
        .unwrap();
    k.close_month("2024-11").unwrap();
    let r = k.month_report("2024-11", None).unwrap();
    assert_eq!(r.served.packages, 0);
    let beras = &r.items[0];
    assert!(
        beras.out.is_zero() && beras.handed_over.is_zero(),
        "{beras:?}"
    );
    assert_eq!(beras.closing, beras.opening + beras.received_total);
}

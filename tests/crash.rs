//! Nothing confirmed is lost: a process killed in the middle of its work leaves a database that
//! opens, verifies, and holds every change it had confirmed.

use crate::common::Fixture;
use std::process::{Command, Stdio};
use std::time::Duration;

fn add_staff(fx: &Fixture, i: u32) -> Command {
    let mut c = fx.cli();
    c.env("BANSOS_NEW_PASSWORD", "sandi-staf-baru-1")
        .args([
            "staff",
            "add",
            "--username",
            &format!("staf{i}"),
            "--name",
            &format!("Staf {}", crate::common::spelled(&format!("s{i}"))),
            "--role",
            "petugas",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

#[test]
fn killing_the_program_midway_loses_nothing_that_was_confirmed() {
    let (fx, app) = Fixture::new();
    drop(app);
    let mut confirmed = Vec::new();
    // Alternate: one addition that runs to its confirmation, then one killed (SIGKILL) after a
    // growing delay, so the kills land at different points of sign-in, key wrapping and commit.
    for (round, delay_ms) in [0u64, 15, 30, 45, 60, 80, 110, 150].into_iter().enumerate() {
        let ok = 2 * round as u32 + 1;
        let status = add_staff(&fx, ok).status().unwrap();
        assert!(status.success(), "staf{ok} is added and confirmed");
        confirmed.push(ok);

        let doomed = ok + 1;
        let mut child = add_staff(&fx, doomed).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }

    let mut app = fx.admin();
    let names: Vec<String> = app
        .staff_list()
        .unwrap()
        .into_iter()
        .map(|s| s.username)
        .collect();
    for i in &confirmed {
        assert!(
            names.contains(&format!("staf{i}")),
            "staf{i} was confirmed and must survive the kills"
        );
    }
    let report = app.audit_verify().unwrap();
    assert!(
        report.ok,
        "the audit chain is whole after the kills: {:?}",
        report.problems
    );
}

/// An import killed midway leaves either the whole sheet or none of it.
#[test]
fn killing_an_import_midway_leaves_all_of_it_or_none() {
    let (fx, mut admin) = Fixture::new();
    admin
        .add_staff(&crate::common::new_staff(
            "petugas",
            bansos::staff::Role::Petugas,
            "nasi-goreng-pedas",
        ))
        .unwrap();
    drop(admin);
    // 400 valid rows: NIKs of Jati, Blora, born on different days, sequence 0001.
    let mut csv = String::from("NIK;NAMA\n");
    for i in 0..400u32 {
        let (day, month, year) = (1 + i % 28, 1 + (i / 28) % 12, 60 + i / 336);
        csv.push_str(&format!(
            "331601{day:02}{month:02}{year:02}0001;Warga Nomor {}\n",
            words(i)
        ));
    }
    let file = fx.dir.path().join("besar.csv");
    std::fs::write(&file, csv).unwrap();
    let import = || {
        let mut c = fx.cli();
        c.env("BANSOS_USER", "petugas")
            .env("BANSOS_PASSWORD", "nasi-goreng-pedas")
            .args(["family", "import", "--category", "masyarakat"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    };
    for delay_ms in [40u64, 90, 140, 200, 300] {
        let mut child = import().spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let n: i64 = fx
            .raw()
            .query_row("SELECT count(*) FROM family", [], |r| r.get(0))
            .unwrap();
        assert!(
            n == 0 || n == 400,
            "after a kill at {delay_ms} ms: {n} families"
        );
        if n == 400 {
            break;
        }
    }
    let mut app = fx.sign_in("petugas", "nasi-goreng-pedas").unwrap();
    let _ = app.family_list(&Default::default(), 1, 0).unwrap();
    let mut admin = fx.admin();
    assert!(admin.audit_verify().unwrap().ok);
}

/// Distinct letters-only names ("Warga Nomor Ab…"), since names may not hold digits.
fn words(mut i: u32) -> String {
    let mut s = String::new();
    loop {
        s.push((b'a' + (i % 26) as u8) as char);
        i /= 26;
        if i == 0 {
            break;
        }
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Hand-overs killed midway: each is all there (record, stock issue, number, signed payload) or
/// not at all, and the numbers that were taken run without a gap.
#[test]
fn killing_hand_overs_midway_leaves_whole_receipts_and_no_gaps() {
    use crate::distribution::{beras_template, event, stock, verified};
    use crate::registry::{staffed, PETUGAS_PW};
    let (fx, mut p, mut v) = staffed();
    // Twelve verified families (NIKs of Jati, Blora, women born 1–12 May 1990).
    let ids: Vec<i64> = (1..=12usize)
        .map(|d| {
            let nik = format!("331601{:02}05900001", 40 + d);
            let kk = format!("3316010101{:06}", 100 + d);
            let names = [
                "Sri Wahyuni",
                "Siti Aminah",
                "Rukmini",
                "Suparmi",
                "Sumiati",
                "Ngatini",
                "Painem",
                "Tukinah",
                "Sulastri",
                "Warsini",
                "Karsinah",
                "Tumini",
            ];
            verified(&mut p, &mut v, names[d - 1], &[&nik], &kk)
        })
        .collect();
    let t = beras_template(&mut p, "5", false, None);
    let e = event(&mut p, t, "2024-11-16");
    for id in &ids {
        p.add_recipient(e, *id).unwrap();
    }
    stock(&mut p, "100", "20");
    v.approve_event(e).unwrap();
    drop(p);
    drop(v);
    let hand = |family: i64| {
        let mut c = fx.cli();
        c.env("BANSOS_USER", "petugas")
            .env("BANSOS_PASSWORD", PETUGAS_PW)
            .args(["handover", &e.to_string(), &format!("KLG-{family:06}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    };
    // A debug `bansos handover` signs in and commits in about 200 ms here: the kills land
    // before, during and after the transaction (10 of 12 families served in the runs seen).
    let mut confirmed = Vec::new();
    for (round, delay_ms) in [90u64, 120, 150, 180, 210, 240].into_iter().enumerate() {
        let ok = ids[2 * round];
        assert!(
            hand(ok).status().unwrap().success(),
            "KLG-{ok:06} is handed over"
        );
        confirmed.push(ok);
        let mut child = hand(ids[2 * round + 1]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }

    let mut p = fx.sign_in("petugas", PETUGAS_PW).unwrap();
    let hs = p.handovers_of_event(e).unwrap();
    for f in &confirmed {
        assert!(
            hs.iter().any(|h| h.family_id == *f),
            "KLG-{f:06} was confirmed"
        );
    }
    // Numbers 1..n, no gap, whichever of the killed ones made it.
    let mut seqs: Vec<u32> = hs.iter().map(|h| h.bast_no[..3].parse().unwrap()).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=hs.len() as u32).collect::<Vec<_>>());
    // Each one whole: its stock went out and its QR payload verifies.
    let issued: rust_decimal::Decimal = p.stock_overview(None).unwrap().items[0].quantity;
    assert_eq!(
        issued,
        rust_decimal::Decimal::from(100 - 5 * hs.len() as i64),
        "{} hand-overs, beras left {issued}",
        hs.len()
    );
    for h in &hs {
        let c = p.verify_receipt(&h.qr_payload, None).unwrap();
        assert_eq!(c.verdict, bansos::receipt::Verdict::Valid, "{}", h.bast_no);
    }
    let report = fx.admin().audit_verify().unwrap();
    assert!(report.ok, "{:?}", report.problems);
}

/// The Kanwil's import of a stick, killed at moments spread over its run: every bundle it
/// answered is in whole (the chain, the recap) or not at all, the store opens clean, and the
/// same stick imported again finishes the rest to what an import never killed holds.
#[test]
fn killing_the_kanwils_import_midway_keeps_each_bundle_whole() {
    const PW: &str = "demo-bansos-2024";
    let golden = crate::exchange::golden_bundles();
    let tmp = tempfile::tempdir().unwrap();
    let stick = tmp.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    for f in ["monthly-seq1", "monthly-seq2", "nihil-seq3"] {
        let name = format!("{f}.bansos-bundle");
        std::fs::copy(golden.join(&name), stick.join(&name)).unwrap();
    }
    let restore = |dir: &str| crate::exchange::golden_kanwil(&tmp.path().join(dir));
    let import = |db: &std::path::Path| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_bansos"));
        c.env("BANSOS_DB", db)
            .env("BANSOS_USER", "kepala")
            .env("BANSOS_PASSWORD", PW)
            .args(["--json", "regional", "import"])
            .arg(&stick)
            .arg("--answers")
            .arg(db.with_file_name("answers"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    };
    let held = |db: &std::path::Path| {
        let mut kw = bansos::App::open(
            db,
            std::sync::Arc::new(bansos::clock::SystemClock),
            &bansos::Credentials::new("kepala", PW),
        )
        .unwrap();
        let head = kw.members().unwrap()[0].head_seq;
        let recaps: Vec<String> = ["2026-08", "2026-09", "2026-10"]
            .iter()
            .map(|p| serde_json::to_string(&kw.regional_recap(p).unwrap()).unwrap())
            .collect();
        (head, recaps)
    };
    let reference = restore("reference");
    assert!(import(&reference).status().unwrap().success());
    let (head, whole) = held(&reference);
    assert_eq!(head, Some(3));
    for (i, delay_ms) in (40u64..=160).step_by(6).enumerate() {
        let db = restore(&format!("k{i}"));
        let mut child = import(&db).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let (head, recaps) = held(&db);
        println!("killed at {delay_ms} ms: the chain at {head:?}");
        // What the chain reached is exactly what the recap counts, month by month.
        let reached = head.unwrap_or(0) as usize;
        for (m, r) in recaps.iter().enumerate() {
            if m < reached {
                assert_eq!(r, &whole[m], "after a kill at {delay_ms} ms: month {m}");
            } else {
                assert_ne!(
                    r, &whole[m],
                    "after a kill at {delay_ms} ms: month {m} counted early"
                );
            }
        }
        assert!(import(&db).status().unwrap().success());
        assert_eq!(
            held(&db),
            (Some(3), whole.clone()),
            "after a kill at {delay_ms} ms"
        );
    }
}

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
            &format!("Staf {i}"),
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

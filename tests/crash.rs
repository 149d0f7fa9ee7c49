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

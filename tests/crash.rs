//! Nothing confirmed is lost: a process killed in the middle of its work leaves a database that
//! opens, verifies, and holds every change it had confirmed.

use crate::common::Fixture;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn killing_the_program_midway_loses_nothing_that_was_confirmed() {
    let (fx, app) = Fixture::new();
    drop(app);
    // A shell that adds staff one after another and says so after each confirmation.
    let script = r#"i=0; while [ $i -lt 200 ]; do i=$((i+1)); "$BIN" staff add --username "staf$i" --name "Staf $i" --role petugas >/dev/null || exit 1; echo "ok $i"; done"#;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("BIN", env!("CARGO_BIN_EXE_bansos"))
        .env("BANSOS_DB", &fx.db)
        .env("BANSOS_USER", "admin")
        .env("BANSOS_PASSWORD", crate::common::ADMIN_PW)
        .env("BANSOS_NEW_PASSWORD", "sandi-staf-baru-1")
        .stdout(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let pgid = child.id() as i32;
    let mut confirmed = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let start = Instant::now();
    while confirmed.len() < 6 && start.elapsed() < Duration::from_secs(120) {
        match lines.next() {
            Some(Ok(l)) => confirmed.push(l.trim_start_matches("ok ").parse::<u32>().unwrap()),
            _ => break,
        }
    }
    // Kill the whole group (the shell and the `bansos` it is running) without warning.
    let _ = Command::new("kill")
        .args(["-KILL", &format!("-{pgid}")])
        .status();
    let _ = child.wait();
    assert!(
        confirmed.len() >= 6,
        "the loop confirmed some additions before the kill"
    );

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
            "staf{i} was confirmed and must survive the kill"
        );
    }
    let report = app.audit_verify().unwrap();
    assert!(
        report.ok,
        "the audit chain is whole after the kill: {:?}",
        report.problems
    );
}

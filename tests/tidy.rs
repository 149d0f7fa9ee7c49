//! The house's boundaries, checked by reading the source (as rust-analyzer's tidy tests do):
//! use cases hold no SQL, the core never imports the window's toolkit, domains never reach up
//! into the use cases, only the store's files touch rusqlite, and audit details are serialized,
//! never JSON written by hand.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// (file relative to src/, line number, line) for every line of every file under `src/` for
/// which `keep(file)` holds and `bad(line)` finds something.
fn offences(keep: impl Fn(&str) -> bool, bad: impl Fn(&str) -> bool) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut found = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !keep(&rel) {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            if bad(line) {
                found.push(format!("src/{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn use_cases_hold_no_sql() {
    let sql = [
        "\"SELECT ",
        "\"INSERT ",
        "\"UPDATE ",
        "\"DELETE ",
        "\"WITH ",
        "\"CREATE ",
        ".execute(",
        ".execute_batch(",
        ".query_row(",
        ".query_map(",
        ".prepare(",
        ".prepare_cached(",
        "transaction_with_behavior(",
    ];
    let found = offences(
        |f| f.starts_with("app/"),
        |l| sql.iter().any(|s| l.contains(s)),
    );
    assert!(
        found.is_empty(),
        "SQL belongs in the domains' db.rs files; src/app only orchestrates:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_core_never_imports_tauri() {
    let found = offences(
        |_| true,
        |l| l.contains("tauri::") || l.contains("use tauri"),
    );
    assert!(
        found.is_empty(),
        "nothing under src/ may import tauri:\n{}",
        found.join("\n")
    );
}

#[test]
fn domains_never_import_the_use_cases() {
    // The command line, the bench and the network (the inbox server, the facility's upload)
    // drive the façade; everything else is below it.
    let found = offences(
        |f| {
            !f.starts_with("app/")
                && !f.starts_with("bin/")
                && !f.starts_with("bench/")
                && !f.starts_with("inbox/")
                && f != "lib.rs"
        },
        |l| l.contains("crate::app") || l.contains("super::app") || l.contains("bansos::app"),
    );
    assert!(
        found.is_empty(),
        "a domain module imports app (the use cases sit above the domains):\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_store_touches_rusqlite() {
    let found = offences(
        |f| !f.starts_with("db/") && !f.ends_with("/db.rs"),
        |l| l.contains("rusqlite"),
    );
    assert!(
        found.is_empty(),
        "only src/db and the domains' db.rs files use rusqlite (others name crate::db::Db / Tx):\n{}",
        found.join("\n")
    );
}

#[test]
fn audit_details_are_serialized_not_written_by_hand() {
    let found = offences(
        |f| f.starts_with("app/") || f.starts_with("audit/"),
        |l| l.contains("{\\\"") || l.contains("{{\\\""),
    );
    assert!(
        found.is_empty(),
        "audit details are serialized with audit::Entry, never JSON formatted by hand:\n{}",
        found.join("\n")
    );
}

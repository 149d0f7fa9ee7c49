//! A sweep of bad invocations, each run in both languages: what reaches the person must be ours —
//! no panic, no OS, serde, clap or Rust text, no debug enum names, no internal field paths, no ISO
//! timestamps — and in the language asked for.

use crate::registry::{staffed, PETUGAS_PW};
use std::process::{Command, Stdio};

/// Phrases that are the program's insides, not words for a person.
const FORBIDDEN: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "os error",
    "No such file or directory",
    "Permission denied",
    "invalid digit",
    "number too large",
    "cannot parse",
    "expected value at",
    "EOF while parsing",
    "missing field",
    "unknown variant",
    "0..=",
    "error: unexpected argument",
    "error: invalid value",
    "error: the following required arguments",
    "For more information, try",
    "Usage:",
    "Kesalahan program",
    "Program error",
    "SqliteFailure",
    "Some(",
    // Debug names of enums (a word a person would write is never in CamelCase).
    "SameKk",
    "SimilarPerson",
    "KeluargaWbp",
    "MasyarakatSekitar",
    "RutinBulanan",
    "KepalaKeluarga",
    "BamaKantin",
    "HasilPanen",
];

/// An internal field path: "member.0.name", "proxy.nik", "lines.2.quantity".
fn field_path(s: &str) -> Option<String> {
    for p in ["member.", "proxy.", "line.", "lines.", "officials."] {
        for (at, _) in s.match_indices(p) {
            let next = s[at + p.len()..].chars().next();
            if next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Some(s[at..].chars().take(20).collect());
            }
        }
    }
    None
}

fn iso_timestamp(s: &str) -> bool {
    // 2024-11-16T03:00:00
    s.as_bytes().windows(19).any(|w| {
        w[4] == b'-'
            && w[7] == b'-'
            && w[10] == b'T'
            && w[13] == b':'
            && w[16] == b':'
            && w[..4].iter().all(u8::is_ascii_digit)
    })
}

#[test]
fn bad_invocations_in_both_languages_say_what_is_wrong_in_that_language() {
    let (fx, _p, _v) = staffed();
    let dir = fx.dir.path();
    let bad_json = dir.join("rusak.json");
    std::fs::write(&bad_json, "{\"name\": ").unwrap();
    let not_sheet = dir.join("foto.xlsx");
    std::fs::write(&not_sheet, b"\x89PNG\r\n\x1a\nnot a sheet").unwrap();
    let not_backup = dir.join("x.bansos-backup");
    std::fs::write(&not_backup, "bukan cadangan").unwrap();
    let missing = dir.join("tidak-ada.xlsx");
    let (bad_json, not_sheet, not_backup, missing) = (
        bad_json.to_str().unwrap().to_owned(),
        not_sheet.to_str().unwrap().to_owned(),
        not_backup.to_str().unwrap().to_owned(),
        missing.to_str().unwrap().to_owned(),
    );
    let cases: Vec<Vec<&str>> = vec![
        vec!["terbang"],
        vec![],
        vec!["staff"],
        vec!["staff", "add", "--username", "x"],
        vec![
            "staff",
            "add",
            "--username",
            "dewi",
            "--name",
            "Dewi 😀",
            "--role",
            "petugas",
        ],
        vec![
            "staff",
            "add",
            "--username",
            "dewi",
            "--name",
            "Dewi",
            "--role",
            "raja",
        ],
        vec!["staff", "deactivate", "tidakada", "--reason", "pindah"],
        vec!["audit", "list", "--limit", "-5"],
        vec!["audit", "list", "--limit", "abc"],
        vec!["audit", "list", "--limit", "99999999999999999999"],
        vec!["facility", "set-idle", "100000"],
        vec![
            "facility",
            "add-regional-key",
            "--label",
            "Kanwil",
            "--key",
            "zz",
        ],
        vec!["family", "show", "XYZ"],
        vec!["family", "show", "KLG-999999"],
        vec!["family", "list", "--verification", "maybe"],
        vec!["family", "add", "--from-json", &bad_json],
        vec!["family", "add", "--from-json", &missing],
        vec!["family", "import", &not_sheet],
        vec!["family", "import", &missing],
        vec![
            "family", "add", "--name", "Budi", "--nik", "123", "--kk", "1",
        ],
        vec!["stock", "card", "gula-merah"],
        vec![
            "stock", "receive", "--source", "hadiah", "--doc", "SJ-1", "--line", "beras;5",
        ],
        vec![
            "stock", "receive", "--source", "koperasi", "--doc", "SJ-1", "--line", "beras;-5",
        ],
        vec![
            "stock",
            "receive",
            "--source",
            "koperasi",
            "--doc",
            "SJ-1",
            "--line",
            "beras;5000000",
        ],
        vec![
            "stock", "receive", "--source", "koperasi", "--doc", "SJ-1", "--line", "beras:5",
        ],
        vec![
            "stock",
            "receive",
            "--source",
            "koperasi",
            "--doc",
            "SJ-1",
            "--date",
            "1850-01-01",
            "--line",
            "beras;5",
        ],
        vec![
            "stock", "adjust", "--lot", "999", "--qty", "-1", "--reason", "rusak", "--note", "x",
        ],
        vec!["package", "create", "--name", "P", "--line", "emas;1"],
        vec![
            "event",
            "create",
            "--date",
            "2999-01-01",
            "--place",
            "Aula",
            "--package",
            "1",
        ],
        vec!["event", "show", "abc"],
        vec!["event", "approve", "424242"],
        vec!["handover", "424242", "KLG-000001"],
        vec!["receipt", "pdf", "BAST-TIDAK-ADA"],
        vec!["receipt", "verify", "bukan-payload"],
        vec!["receipt", "verify", "--image", &missing],
        vec!["restore", &not_backup],
        vec!["restore", &missing],
        vec!["backup", "--out", "/proc/tidak-bisa"],
        // The exchange with the Kanwil: a facility that is not enrolled, files that are not
        // bundles or answers, a Kanwil's commands at a facility, bad months and keys.
        vec!["bundle", "export", "2024-13", "--out", "."],
        vec!["bundle", "export", "2024-10", "--out", "."],
        vec!["bundle", "verify", &missing],
        vec!["bundle", "verify", &not_backup],
        vec!["bundle", "verify", &not_backup, "--key", "RUTAN-BLORA=zz"],
        vec!["bundle", "inspect", &not_sheet],
        vec!["outbox", "send", "--to", "/proc/tidak-bisa"],
        vec!["outbox", "import-answer", &not_backup],
        vec!["outbox", "import-answer", &missing],
        vec!["facility", "enroll", &not_backup],
        vec!["facility", "registration", "--out", "/proc/tidak-bisa"],
        vec!["regional", "members"],
        vec!["regional", "import", &not_backup],
        vec!["regional", "recap", "kemarin"],
        vec!["regional", "due-day", "31"],
        vec!["regional", "revoke", "RUTAN-X", "--reason", "x"],
        vec!["regional", "key-rotation", &not_backup],
        vec![
            "facility",
            "rotate-key",
            "--reason",
            "PC diganti",
            "--out",
            ".",
        ],
        vec!["facility", "rotation", "--out", "."],
        vec![
            "facility",
            "byname",
            "2024-13",
            "--reference",
            "W12",
            "--out",
            ".",
        ],
        vec!["regional", "byname", &not_backup],
        vec!["inbox", "serve", "--listen", "bukan-alamat"],
        vec!["inbox", "serve", "--listen", "127.0.0.1:0"],
        vec!["outbox", "config", "--url", "ftp://kanwil"],
        vec!["outbox", "send"],
        vec!["outbox", "send", "--seq", "2"],
    ];
    let mut failures = Vec::new();
    for args in &cases {
        for lang in ["id", "en"] {
            let out = Command::new(env!("CARGO_BIN_EXE_bansos"))
                .args(args)
                .env("BANSOS_DB", &fx.db)
                .env("BANSOS_USER", "petugas")
                .env("BANSOS_PASSWORD", PETUGAS_PW)
                .env("BANSOS_NEW_PASSWORD", "sandi-baru-panjang-1")
                .env("BANSOS_LANG", lang)
                .current_dir(dir)
                .stdin(Stdio::null())
                .output()
                .unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let err = String::from_utf8_lossy(&out.stderr);
            let mut why = Vec::new();
            if out.status.success() {
                why.push("succeeded".to_owned());
            }
            for f in FORBIDDEN {
                if text.contains(f) {
                    why.push(format!("says {f:?}"));
                }
            }
            if let Some(p) = field_path(&text) {
                why.push(format!("shows the field path {p:?}"));
            }
            if iso_timestamp(&text) {
                why.push("shows an ISO timestamp".into());
            }
            let word = if lang == "id" { "galat: " } else { "error: " };
            // A BAST's or a bundle's check verdict (TIDAK ASLI / NOT GENUINE) is its answer, not
            // an error.
            let verdict = (args.starts_with(&["receipt", "verify"])
                || args.starts_with(&["bundle", "verify"]))
                && err.is_empty();
            if !err.starts_with(word) && !verdict {
                why.push(format!("does not begin with {word:?}"));
            }
            // The other language's word for an error does not appear.
            let other = if lang == "id" { "error:" } else { "galat:" };
            if err.contains(other) {
                why.push(format!("mixes in {other:?}"));
            }
            if !why.is_empty() {
                failures.push(format!(
                    "bansos {} [{lang}]: {}\n{text}",
                    args.join(" "),
                    why.join(", ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_unknown_language_is_refused_in_both_and_changes_nothing() {
    let (fx, _p, _v) = staffed();
    for how in [
        vec!["--lang", "fr", "staff", "list"],
        vec!["--lang=xx", "status"],
    ] {
        let out = fx.cli().args(&how).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{how:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("galat: bahasa") && err.contains("error: unknown language"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    let out = fx
        .cli()
        .env("BANSOS_LANG", "jawa")
        .args(["status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_closed_pipe_ends_a_listing_quietly() {
    let (fx, _p, _v) = staffed();
    // `bansos audit list | head -1`: the reader leaves after one line.
    let mut child = fx
        .cli()
        .args(["audit", "list", "--limit", "500"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(0), "{err}");
}

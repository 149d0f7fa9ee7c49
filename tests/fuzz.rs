//! Fuzzing with proptest, in bounded runs: the sheet reader (CSV and XLSX), the BAST's QR payload
//! parser, the backup reader and the command line's arguments never panic, and every refusal is
//! a message that names the problem in both languages. (Only stable Rust is installed here, so
//! these are proptest runs rather than cargo-fuzz targets; a failing case is shrunk and printed.)

use bansos::locale::Lang;
use bansos::ErrorKind;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// A refusal a person can read: both languages, no program text.
fn readable(e: &bansos::Error) -> Result<(), TestCaseError> {
    for lang in [Lang::Id, Lang::En] {
        let m = e.message(lang);
        prop_assert!(!m.trim().is_empty(), "an empty message");
        for bad in ["panicked", "os error", "Kesalahan program", "Program error"] {
            prop_assert!(!m.contains(bad), "{m}");
        }
    }
    Ok(())
}

/// Mutations of `base`: bytes flipped, a cut, a run inserted.
fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let n = base.len();
    (
        proptest::collection::vec((0..n, any::<u8>()), 0..8),
        proptest::option::of(0..n),
        proptest::option::of((0..n, proptest::collection::vec(any::<u8>(), 1..64))),
    )
        .prop_map(move |(flips, cut, insert)| {
            let mut b = base.clone();
            for (i, v) in flips {
                b[i] = v;
            }
            if let Some((at, run)) = insert {
                let at = at.min(b.len());
                b.splice(at..at, run);
            }
            if let Some(c) = cut {
                b.truncate(c.max(1));
            }
            b
        })
}

fn good_csv() -> Vec<u8> {
    b"NIK;NAMA;NO KK;ALAMAT;RT;RW\n3316014708900003;Siti Rahayu;3316010101100007;Dukuh Krajan;3;1\n\
3316011203850001;\"Budi; Hartono\";3316010101100008;\"Jl. \"\"Pemuda\"\"\";4;2\n"
        .to_vec()
}

fn good_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["NIK", "NAMA", "NO KK", "ALAMAT"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "3316014708900003").unwrap();
    ws.write_string(1, 1, "Siti Rahayu").unwrap();
    ws.write_number(1, 2, 3_316_010_101_100_007.0).unwrap();
    ws.write_string(1, 3, "Dukuh Krajan").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn the_sheet_reader_never_panics_and_names_every_refusal() {
    let check = |name: &str, bytes: &[u8]| -> Result<(), TestCaseError> {
        match bansos::family::import::read(name, bytes) {
            Ok(sheet) => {
                // What was read is within the limits.
                prop_assert!(sheet.rows.len() <= bansos::limits::IMPORT_ROWS as usize);
            }
            Err(e) => {
                prop_assert!(
                    matches!(e.kind(), ErrorKind::Invalid),
                    "{:?}: {}",
                    e.kind(),
                    e.message(Lang::En)
                );
                readable(&e)?;
            }
        }
        Ok(())
    };
    // Any bytes, as a CSV and as an XLSX.
    runner(300)
        .run(&proptest::collection::vec(any::<u8>(), 0..2048), |b| {
            check("data.csv", &b)?;
            check("data.xlsx", &b)
        })
        .unwrap();
    // A good CSV, damaged.
    runner(300)
        .run(&mutated(good_csv()), |b| check("bnba.csv", &b))
        .unwrap();
    // Text that looks like CSV: quotes, separators, line breaks, wide characters.
    runner(300)
        .run(&"[\"';,\t\r\na-zA-Z0-9 éü\u{4e00}]{0,400}", |s| {
            check("bnba.csv", s.as_bytes())
        })
        .unwrap();
    // A good XLSX, damaged (its zip, its XML).
    runner(150)
        .run(&mutated(good_xlsx()), |b| check("bnba.xlsx", &b))
        .unwrap();
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/receipt/v1")
            .join(name),
    )
    .unwrap()
    .trim()
    .to_owned()
}

fn golden_key() -> Vec<(String, [u8; 32])> {
    let k = golden("key.txt");
    let (code, hex) = k.split_once('=').unwrap();
    let mut key = [0u8; 32];
    for (i, b) in key.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    vec![(code.to_owned(), key)]
}

#[test]
fn the_qr_payload_parser_never_panics_and_accepts_no_changed_payload() {
    use bansos::receipt::{verify, Verdict};
    let keys = golden_key();
    let valid = golden("valid-1.txt");
    assert_eq!(
        verify(&valid, &keys).0,
        Verdict::Valid,
        "the golden payload"
    );
    // Any text.
    runner(500)
        .run(&".{0,300}", |s| {
            let _ = verify(&s, &keys);
            let _ = bansos::receipt::parse(&s);
            Ok(())
        })
        .unwrap();
    // The golden payload with characters changed, cut or added: never valid unless unchanged
    // (apart from the spaces around it, which a scanner may add).
    let chars: Vec<char> = valid.chars().collect();
    let n = chars.len();
    runner(500)
        .run(
            &(
                proptest::collection::vec((0..n, any::<char>()), 0..4),
                proptest::option::of(0..n),
                proptest::option::of((0..=n, ".{1,8}")),
            ),
            |(changes, cut, insert)| {
                let mut c = chars.clone();
                for (i, ch) in changes {
                    c[i] = ch;
                }
                if let Some((at, s)) = insert {
                    let at = at.min(c.len());
                    c.splice(at..at, s.chars());
                }
                if let Some(k) = cut {
                    c.truncate(k);
                }
                let p: String = c.into_iter().collect();
                let (verdict, _) = verify(&p, &keys);
                if p.trim() != valid {
                    prop_assert_ne!(verdict, Verdict::Valid, "a changed payload passed: {}", p);
                }
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn the_backup_reader_never_panics_and_refuses_a_damaged_backup_without_writing() {
    let (fx, mut app) = crate::common::Fixture::new();
    let b = app.backup_now().unwrap();
    drop(app);
    let good = std::fs::read(&b.path).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("x.bansos-backup");
    let out = scratch.path().join("x.db");
    let case = std::cell::Cell::new(0);
    runner(200)
        .run(&mutated(good.clone()), |bytes| {
            case.set(case.get() + 1);
            std::fs::write(&file, &bytes).unwrap();
            let _ = std::fs::remove_file(&out);
            match bansos::backup::unpack(&file, &out) {
                Ok(_) => {
                    // Only a change the reader does not depend on (zip comments, timestamps)
                    // may pass; then what came out is exactly the database backed up.
                    prop_assert!(out.exists());
                }
                Err(e) => {
                    prop_assert_eq!(
                        e.kind(),
                        ErrorKind::BackupInvalid,
                        "{}",
                        e.message(Lang::En)
                    );
                    readable(&e)?;
                    prop_assert!(e.message(Lang::Id).contains("Tidak ada yang diubah"));
                    prop_assert!(!out.exists(), "a refused backup leaves nothing written");
                }
            }
            Ok(())
        })
        .unwrap();
    assert!(case.get() >= 200);
    // The untouched backup still reads.
    std::fs::write(&file, &good).unwrap();
    bansos::backup::unpack(&file, &out).unwrap();
    drop(fx);
}

/// Words the command line knows and values it may get, for random invocations.
const WORDS: &[&str] = &[
    "status",
    "facility",
    "show",
    "set-idle",
    "staff",
    "list",
    "add",
    "deactivate",
    "unlock",
    "audit",
    "verify",
    "backups",
    "family",
    "search",
    "export",
    "stock",
    "balance",
    "card",
    "receive",
    "adjust",
    "opname",
    "package",
    "create",
    "event",
    "shortage",
    "approve",
    "handover",
    "receipt",
    "pdf",
    "papers",
    "--json",
    "--lang",
    "en",
    "id",
    "--limit",
    "--name",
    "--role",
    "--date",
    "--line",
    "--reason",
    "--source",
    "--qty",
    "--nik",
    "--out",
    "--help",
    "-u",
    "--username",
    "KLG-000001",
    "1",
    "0",
    "-1",
    "99999999999999999999",
    "100000000000000000000000000",
    "",
    "x",
    "beras;5",
    "2024-13-45",
    "31/02/2024",
    "petugas",
    "😀",
    "é",
    "--",
    "=",
    "'",
    "\"",
    "\\",
    "%s",
    "NaN",
];

#[test]
fn the_command_line_never_panics_on_random_arguments_and_speaks_its_language() {
    let (fx, app) = crate::common::Fixture::new();
    drop(app);
    let scratch = tempfile::tempdir().unwrap();
    runner(48)
        .run(
            &(
                proptest::collection::vec(proptest::sample::select(WORDS), 0..6),
                any::<bool>(),
            ),
            |(args, english)| {
                let out = fx
                    .cli()
                    .current_dir(scratch.path())
                    .env("BANSOS_LANG", if english { "en" } else { "id" })
                    .env("BANSOS_NEW_PASSWORD", "sandi-staf-baru-1")
                    .args(&args)
                    .stdin(std::process::Stdio::null())
                    .output()
                    .unwrap();
                let err = String::from_utf8_lossy(&out.stderr);
                let code = out.status.code();
                prop_assert!(code.is_some(), "killed by a signal: {:?}\n{}", args, err);
                prop_assert!(!err.contains("panicked"), "{:?}\n{}", args, err);
                for bad in [
                    "os error",
                    "invalid digit",
                    "expected value at",
                    "error: unexpected argument",
                    "Kesalahan program",
                    "Program error",
                ] {
                    prop_assert!(!err.contains(bad), "{:?}: {}\n{}", args, bad, err);
                }
                if code != Some(0) && !err.is_empty() {
                    let first = err.lines().next().unwrap_or_default();
                    // The language of the run: "--lang en" among the arguments wins.
                    let before_dashes = args.iter().position(|a| *a == "--").unwrap_or(args.len());
                    let english = match args[..before_dashes].iter().rposition(|a| *a == "--lang") {
                        None => english,
                        Some(i) => match args.get(i + 1) {
                            Some(&"en") => true,
                            Some(&"id") => false,
                            // An unknown or missing language is refused in both.
                            _ => return Ok(()),
                        },
                    };
                    let word = if english { "error:" } else { "galat:" };
                    prop_assert!(first.starts_with(word), "{:?}: {}", args, err);
                }
                Ok(())
            },
        )
        .unwrap();
}

/// The bundle reader over random bytes and mutations of a golden bundle: no panic; a mutation
/// that is not refused is the bundle itself (the same manifest, every part hash-checked); every
/// refusal has a known code and a sentence in both languages.
#[test]
fn the_bundle_reader_never_panics_and_accepts_no_changed_bundle() {
    const CODES: &[&str] = &[
        "too_large",
        "not_a_bundle",
        "bad_entry",
        "entry_too_large",
        "bad_signature_file",
        "unknown_facility",
        "unknown_key",
        "bad_signature",
        "newer_version",
        "bad_manifest",
        "altered_part",
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bundles/v1");
    let good = std::fs::read(dir.join("monthly-seq1.bansos-bundle")).unwrap();
    let key = std::fs::read_to_string(dir.join("facility.key")).unwrap();
    let (code, hex) = key.trim().split_once('=').unwrap();
    let key: [u8; 32] = hex::decode(hex).unwrap().try_into().unwrap();
    let sha = bansos::app::verify_with_key(&good, code, &key)
        .sha256
        .unwrap();
    let check = |b: &[u8]| -> Result<(), TestCaseError> {
        let c = bansos::app::verify_with_key(b, code, &key);
        match c.reason {
            None => prop_assert_eq!(c.sha256.as_deref(), Some(sha.as_str())),
            Some(r) => {
                prop_assert!(CODES.contains(&r.code.as_str()), "{}", r.code);
                prop_assert!(!r.id.is_empty() && !r.en.is_empty());
            }
        }
        Ok(())
    };
    runner(200)
        .run(&proptest::collection::vec(any::<u8>(), 0..4096), |b| {
            check(&b)
        })
        .unwrap();
    runner(300)
        .run(&mutated(good.clone()), |b| check(&b))
        .unwrap();
}

/// The inbox's request handling, in this process over the golden Kanwil: random and mutated
/// bundles, odd paths and methods. Every answer is a reply of the frozen table, in both
/// languages; every refusal of a bundle names its reason; nothing panics.
#[test]
fn the_inbox_answers_every_request_from_its_table() {
    use bansos::inbox::api::Status;
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bundles/v1");
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("bansos.db");
    let clock = std::sync::Arc::new(bansos::clock::SystemClock);
    let pw = bansos::Credentials::new("kepala", "demo-bansos-2024");
    bansos::App::restore(
        &db,
        &data.join("kanwil.bansos-backup"),
        clock.clone(),
        &bansos::Credentials::new("admin", "demo-bansos-2024"),
    )
    .unwrap();
    let inbox = crate::inbox::InProcess::new(
        bansos::App::open(&db, clock, &pw).unwrap(),
        bansos::inbox::Config {
            per_address_per_minute: 100_000,
            per_facility_per_minute: 100_000,
            ..Default::default()
        },
    );
    let good = std::fs::read(data.join("monthly-seq1.bansos-bundle")).unwrap();
    let known = [
        Status::Accepted,
        Status::Revision,
        Status::AlreadyReceived,
        Status::HeldGap,
        Status::Fork,
        Status::Refused,
        Status::TooLarge,
        Status::BadRequest,
        Status::NotFound,
        Status::MethodNotAllowed,
        Status::Head,
        Status::Answer,
    ];
    let path = prop_oneof![
        Just("/v1/bundles".to_owned()),
        Just("/v1/facilities/RUTAN-BLORA/head".to_owned()),
        "/v1/facilities/[A-Za-z0-9%./-]{0,60}/head",
        "/v1/answers/[0-9a-fA-Fz%]{0,70}",
        "/[a-z0-9/._%-]{0,40}",
    ];
    let body = prop_oneof![
        mutated(good.clone()),
        proptest::collection::vec(any::<u8>(), 0..2048),
    ];
    let method = prop_oneof![Just("POST"), Just("GET"), Just("PUT")];
    runner(64)
        .run(&(method, path, body), |(method, path, body)| {
            let (status, reply) = inbox.call(method, &path, body);
            prop_assert!(known.contains(&reply.status), "{method} {path}: {reply:?}");
            prop_assert_eq!(status, reply.status.http());
            prop_assert!(!reply.message_id.is_empty() && !reply.message_en.is_empty());
            if reply.status == Status::Refused {
                let r = reply.reason.as_ref();
                prop_assert!(
                    r.is_some_and(|r| !r.id.is_empty() && !r.en.is_empty()),
                    "{reply:?}"
                );
            }
            Ok(())
        })
        .unwrap();
}

//! The exchange's frozen formats v1: every golden file under `tests/data/bundles/v1/`,
//! `tests/data/answers/v1/` and `tests/data/enrollment/v1/` (written once by
//! `examples/golden_bundles.rs`) keeps the verdict it had when the format was frozen. A later
//! version may add a format; it must still read these the same way.

use bansos::{App, Credentials};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const PW: &str = "demo-bansos-2024";

fn data(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir)
}

/// The database in `backup`, restored into a new folder.
fn restored(backup: &Path, tmp: &Path) -> PathBuf {
    let db = tmp.join("bansos.db");
    App::restore(
        &db,
        backup,
        Arc::new(bansos::clock::SystemClock),
        &Credentials::new("admin", PW),
    )
    .unwrap();
    db
}

fn open(db: &Path, user: &str) -> App {
    App::open(
        db,
        Arc::new(bansos::clock::SystemClock),
        &Credentials::new(user, PW),
    )
    .unwrap()
}

/// (file, verdict, reason code, part), in the order the Kanwil receives them.
const BUNDLES: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    ("nihil-seq3", "held_gap", None, None),
    (
        "altered-aggregates.json",
        "refused",
        Some("altered_part"),
        Some("aggregates.json"),
    ),
    (
        "altered-summary.json",
        "refused",
        Some("altered_part"),
        Some("summary.json"),
    ),
    (
        "altered-records.json.age",
        "refused",
        Some("altered_part"),
        Some("records.json.age"),
    ),
    (
        "altered-report.json.age",
        "refused",
        Some("altered_part"),
        Some("report.json.age"),
    ),
    (
        "altered-report.pdf.age",
        "refused",
        Some("altered_part"),
        Some("report.pdf.age"),
    ),
    (
        "altered-report.xlsx.age",
        "refused",
        Some("altered_part"),
        Some("report.xlsx.age"),
    ),
    (
        "altered-manifest.json",
        "refused",
        Some("bad_signature"),
        Some("manifest.sig"),
    ),
    (
        "missing-report.pdf.age",
        "refused",
        Some("bad_entry"),
        Some("report.pdf.age"),
    ),
    (
        "extra-entry",
        "refused",
        Some("bad_entry"),
        Some("catatan.txt"),
    ),
    (
        "dotdot-entry",
        "refused",
        Some("bad_entry"),
        Some("../manifest.json"),
    ),
    (
        "oversized-entry",
        "refused",
        Some("entry_too_large"),
        Some("manifest.sig"),
    ),
    ("not-a-zip", "refused", Some("not_a_bundle"), None),
    ("wrong-key", "refused", Some("unknown_key"), None),
    (
        "unknown-facility",
        "refused",
        Some("unknown_facility"),
        None,
    ),
    // Added on 2 December 2026: a second `aggregates.json` with other figures before the real
    // one (the zip library keeps the last; other tools show both). Accepted before then.
    ("duplicate-entry", "refused", Some("not_a_bundle"), None),
    ("monthly-seq1", "accepted", None, None),
    ("monthly-seq2", "accepted", None, None),
    ("monthly-seq1", "already_received", None, None),
    ("fork-seq3", "fork", Some("fork"), None),
    ("revision-seq4", "revision", None, None),
];

#[test]
fn every_golden_bundle_keeps_its_verdict() {
    let dir = data("bundles/v1");
    let tmp = tempfile::tempdir().unwrap();
    let db = restored(&dir.join("kanwil.bansos-backup"), tmp.path());
    let mut kw = open(&db, "kepala");
    let key = std::fs::read_to_string(dir.join("facility.key")).unwrap();
    let (code, hex) = key.trim().split_once('=').unwrap();
    let key: [u8; 32] = hex::decode(hex).unwrap().try_into().unwrap();
    for (file, verdict, reason, part) in BUNDLES {
        let bytes = std::fs::read(dir.join(format!("{file}.bansos-bundle"))).unwrap();
        let v = kw
            .import_bundles(vec![((*file).to_owned(), bytes.clone())])
            .unwrap()
            .remove(0);
        assert_eq!(v.verdict, *verdict, "{file}: {v:#?}");
        assert_eq!(
            v.reason.as_ref().map(|r| r.code.as_str()),
            *reason,
            "{file}"
        );
        if part.is_some() {
            assert_eq!(
                v.reason.as_ref().and_then(|r| r.part.as_deref()),
                *part,
                "{file}"
            );
        }
        if let Some(r) = &v.reason {
            assert!(
                !r.id.is_empty() && !r.en.is_empty() && r.id != r.en,
                "{file}: both languages"
            );
        }
        if *file == "nihil-seq3" {
            assert_eq!(v.missing, vec![1, 2]);
        }
        if *file == "monthly-seq2" {
            assert_eq!(v.released.len(), 1, "the held nihil bundle is taken up");
            assert_eq!(v.released[0].verdict, "accepted");
        }
        // Offline, with the facility's public key only: the good ones are genuine, and every
        // refusal before the chain is the same.
        let offline = bansos::app::verify_with_key(&bytes, code, &key);
        let structural = matches!(reason, Some(r) if *r != "fork");
        assert_eq!(offline.genuine, !structural, "{file}: offline {offline:?}");
    }
    // The recap of the revised month counts the revision, not what it superseded.
    let periods: Vec<String> = kw
        .members()
        .unwrap()
        .iter()
        .filter_map(|m| m.head_period.clone())
        .collect();
    assert_eq!(periods.len(), 1);
    let comp = kw.regional_completeness(&periods[0]).unwrap();
    assert_eq!(comp[0].revision, Some(2));
}

#[test]
fn the_command_line_names_a_genuine_bundles_month_in_words() {
    let dir = data("bundles/v1");
    let key = std::fs::read_to_string(dir.join("facility.key")).unwrap();
    let file = dir.join("monthly-seq2.bansos-bundle");
    let (code, hex) = key.trim().split_once('=').unwrap();
    let public: [u8; 32] = hex::decode(hex).unwrap().try_into().unwrap();
    let check = bansos::app::verify_with_key(&std::fs::read(&file).unwrap(), code, &public);
    let period = check.period.unwrap();
    let (y, m) = period.split_once('-').unwrap();
    let m: u32 = m.parse().unwrap();
    for (lang, code, verdict) in [
        (bansos::locale::Lang::Id, "id", "ASLI: bundel"),
        (bansos::locale::Lang::En, "en", "GENUINE: bundle"),
    ] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_bansos"))
            .args(["--lang", code, "bundle", "verify"])
            .arg(&file)
            .args(["--key", key.trim()])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "{said}");
        let month = format!("{} {y}", bansos::locale::month_name(m, lang));
        assert!(said.starts_with(verdict), "{said}");
        assert!(said.contains(&month) && !said.contains(&period), "{said}");
        assert!(said.contains(["(bulanan)", "(monthly)"][usize::from(code == "en")]));
    }
}

#[test]
fn every_golden_answer_keeps_its_verdict() {
    let dir = data("answers/v1");
    let tmp = tempfile::tempdir().unwrap();
    let db = restored(&dir.join("facility.bansos-backup"), tmp.path());
    let mut f = open(&db, "petugas");
    let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
    // Restored: held until an answer given since the restore. These were given before it.
    assert!(f.outbox().unwrap().held_after_restore);
    let e = f
        .import_answer(&read("tampered-seq1.bansos-answer"))
        .err()
        .unwrap();
    assert!(
        e.message(bansos::locale::Lang::En).contains("signature"),
        "{e:?}"
    );
    let a = f
        .import_answer(&read("accepted-seq1.bansos-answer"))
        .unwrap();
    assert_eq!(
        (a.seq, a.verdict.as_str(), a.changed),
        (1, "accepted", true)
    );
    let r = f
        .import_answer(&read("refused-seq2.bansos-answer"))
        .unwrap();
    assert_eq!(r.verdict, "refused");
    assert_eq!(r.reason.unwrap().code, "altered_part");
    // A copy damaged on the way: the bundle goes again (since 2 December 2026; it was settled
    // as refused before, and waited for a person for ever).
    assert!(r.resend_at.is_some());
    let out = f.outbox().unwrap();
    let states: Vec<&str> = out.bundles.iter().map(|b| b.state.as_str()).collect();
    assert_eq!(&states[..2], ["acknowledged", "sent"]);
    assert!(
        out.held_after_restore,
        "answers from before the restore do not lift the hold"
    );
    assert!(
        !f.import_answer(&read("accepted-seq1.bansos-answer"))
            .unwrap()
            .changed
    );
}

#[test]
fn every_golden_registration_and_enrollment_keeps_its_verdict() {
    let dir = data("enrollment/v1");
    let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
    let (r, _) =
        bansos::kanwil::open_registration(&read("RUTAN-BLORA.bansos-registration")).unwrap();
    assert_eq!(r.profile.code, "RUTAN-BLORA");
    let bad = bansos::kanwil::open_registration(&read("tampered.bansos-registration")).unwrap_err();
    assert_eq!(bad.code, "bad_signature");
    // At the facility it was made for (restored from the answers' backup): the good enrollment is
    // already in force (update 1 is not newer), the tampered one fails its signature.
    let tmp = tempfile::tempdir().unwrap();
    let db = restored(
        &data("answers/v1").join("facility.bansos-backup"),
        tmp.path(),
    );
    let mut f = open(&db, "kepala");
    let stale = f
        .import_enrollment(&read("RUTAN-BLORA.bansos-enrollment"), None)
        .err()
        .unwrap();
    assert!(
        stale.message(bansos::locale::Lang::En).contains("update 1"),
        "{stale:?}"
    );
    let e = f
        .import_enrollment(&read("tampered.bansos-enrollment"), None)
        .err()
        .unwrap();
    assert!(
        e.message(bansos::locale::Lang::En).contains("signature"),
        "{e:?}"
    );
}

/// `tests/data/rotation/v1/` (written once by `examples/golden_rotation.rs`): the facility of the
/// answers' backup changes its key (the old key signed seqs 1–4).
#[test]
fn every_golden_key_rotation_keeps_its_verdict() {
    let dir = data("rotation/v1");
    let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
    let old: [u8; 32] = hex::decode(
        std::fs::read_to_string(data("bundles/v1").join("facility.key"))
            .unwrap()
            .trim()
            .split_once('=')
            .unwrap()
            .1,
    )
    .unwrap()
    .try_into()
    .unwrap();
    let by_old = |code: &str, fp: &str| {
        if code == "RUTAN-BLORA" && fp == bansos::facility::keys::fingerprint(&old) {
            Ok(old)
        } else {
            Err(bansos::bundle::check::unknown_key(code, fp))
        }
    };
    let good = read("RUTAN-BLORA.bansos-key-rotation");
    let (r, _) = bansos::kanwil::open_rotation(&good, by_old).unwrap();
    assert_eq!(
        (r.facility.as_str(), r.old_key_last_seq, r.version),
        ("RUTAN-BLORA", Some(4), 1)
    );
    for (file, code, part) in [
        ("tampered", "bad_signature", "rotation.sig"),
        ("old-key-only", "bad_signature", "rotation.new.sig"),
    ] {
        let e =
            bansos::kanwil::open_rotation(&read(&format!("{file}.bansos-key-rotation")), by_old)
                .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.part.as_deref()),
            (code, Some(part)),
            "{file}"
        );
    }
    // At the Kanwil of the bundles (before any bundle came): taken once; the old key's bundles
    // up to seq 4 are still accepted.
    let tmp = tempfile::tempdir().unwrap();
    let db = restored(&data("bundles/v1").join("kanwil.bansos-backup"), tmp.path());
    let mut k = open(&db, "kepala");
    assert!(k
        .apply_key_rotation(&read("tampered.bansos-key-rotation"))
        .is_err());
    assert!(k.apply_key_rotation(&good).unwrap().changed);
    assert!(!k.apply_key_rotation(&good).unwrap().changed);
    let seq1 = std::fs::read(data("bundles/v1").join("monthly-seq1.bansos-bundle")).unwrap();
    let v = k
        .import_bundles(vec![("monthly-seq1.bansos-bundle".into(), seq1)])
        .unwrap();
    assert_eq!(v[0].verdict, "accepted");
}

/// `tests/data/byname/v1/` (written once by `examples/golden_v1_later.rs`): the facility's by-name
/// list of the month of seq 1, opened at the Kanwil of the bundles.
#[test]
fn every_golden_by_name_list_keeps_its_verdict() {
    let dir = data("byname/v1");
    let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let db = restored(&data("bundles/v1").join("kanwil.bansos-backup"), tmp.path());
    let mut k = open(&db, "kepala");
    let o = k.open_byname(&read("RUTAN-BLORA.bansos-byname")).unwrap();
    assert_eq!(
        (o.facility.as_str(), o.reference.as_str()),
        ("RUTAN-BLORA", "W12-PK.01.02-123")
    );
    assert!(!o.rows.is_empty());
    assert!(o
        .rows
        .iter()
        .all(|r| r.bast_no.contains("RUTAN-BLORA") && r.date.starts_with(&o.period)));
    for (file, words) in [
        ("altered-part", "byname.json.age"),
        ("altered-header", "byname.sig"),
    ] {
        let e = k
            .open_byname(&read(&format!("{file}.bansos-byname")))
            .err()
            .unwrap();
        assert!(
            e.message(bansos::locale::Lang::En).contains(words),
            "{file}: {e:?}"
        );
    }
}

/// The inbox API v1 (`docs/inbox-api.md`): every golden bundle uploaded gets the HTTP status of
/// its verdict, its reason, and a signed answer exactly when its manifest could be verified.
#[test]
fn every_golden_bundle_keeps_its_http_status_at_the_inbox() {
    use bansos::inbox::api::Status;
    let dir = data("bundles/v1");
    let tmp = tempfile::tempdir().unwrap();
    let db = restored(&dir.join("kanwil.bansos-backup"), tmp.path());
    let inbox = crate::inbox::InProcess::new(
        open(&db, "kepala"),
        bansos::inbox::Config {
            per_address_per_minute: 1000,
            per_facility_per_minute: 1000,
            ..Default::default()
        },
    );
    for (file, verdict, reason, _) in BUNDLES {
        let bytes = std::fs::read(dir.join(format!("{file}.bansos-bundle"))).unwrap();
        let (status, reply) = inbox.call("POST", "/v1/bundles", bytes);
        let expected = Status::of_verdict(verdict);
        assert_eq!(
            (status, reply.status),
            (expected.http(), expected),
            "{file}"
        );
        assert_eq!(
            reply.reason.as_ref().map(|r| r.code.as_str()),
            *reason,
            "{file}"
        );
        // A signed answer exactly when the manifest could be verified (its seq is then known).
        assert_eq!(
            reply.answer.is_some(),
            reply.seq.is_some(),
            "{file}: {reply:?}"
        );
        assert!(!reply.message_id.is_empty() && !reply.message_en.is_empty());
    }
    let (status, reply) = inbox.call("GET", "/v1/facilities/RUTAN-BLORA/head", vec![]);
    assert_eq!((status, reply.status), (200, Status::Head));
    assert!(reply.answer.is_some());
    for (method, path) in [
        ("GET", "/v1/facilities/LAPAS-TIDAK-ADA/head"),
        ("GET", "/v1/answers/00"),
        ("GET", "/v2/bundles"),
        ("DELETE", "/v1/bundles"),
    ] {
        let (status, reply) = inbox.call(method, path, vec![]);
        assert!(
            [404, 405].contains(&status),
            "{method} {path}: {status} {reply:?}"
        );
    }
}

/// A Kanwil's store from migration 19 (a row of each person served; written by
/// `examples/golden_served.rs`), upgraded: the people two facilities served in a month are the
/// same pairs that store found then.
#[test]
fn a_kanwil_from_before_the_served_values_finds_the_same_pairs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = data("served/v19");
    let db = restored(&dir.join("kanwil.bansos-backup"), tmp.path());
    let mut kw = open(&db, "kepala");
    let pinned: std::collections::BTreeMap<String, Vec<bansos::kanwil::CrossPair>> =
        serde_json::from_slice(&std::fs::read(dir.join("pairs.json")).unwrap()).unwrap();
    assert_eq!(pinned.len(), 2);
    assert!(pinned.values().flatten().any(|p| p.by == "nik"));
    for (period, pairs) in pinned {
        assert_eq!(kw.regional_duplicates(&period).unwrap(), pairs, "{period}");
    }
}

/// Two bundles of one seq both waiting for a gap (a cloned PC's seq 3 after the real one): the
/// second is a fork as it arrives, and once the gap is filled the first takes its place. It was
/// held beside the first, and left held for ever once the first was taken.
#[test]
fn a_second_bundle_of_a_held_seq_is_a_fork() {
    let dir = data("bundles/v1");
    let tmp = tempfile::tempdir().unwrap();
    let db = restored(&dir.join("kanwil.bansos-backup"), tmp.path());
    let mut kw = open(&db, "kepala");
    let import = |kw: &mut App, file: &str| {
        let bytes = std::fs::read(dir.join(format!("{file}.bansos-bundle"))).unwrap();
        kw.import_bundles(vec![(file.to_owned(), bytes)])
            .unwrap()
            .remove(0)
    };
    assert_eq!(import(&mut kw, "nihil-seq3").verdict, "held_gap");
    let v = import(&mut kw, "fork-seq3");
    assert_eq!(v.verdict, "fork", "{v:#?}");
    assert!(v.answer.is_some(), "the cloned PC is told");
    assert_eq!(import(&mut kw, "monthly-seq1").verdict, "accepted");
    let v = import(&mut kw, "monthly-seq2");
    assert_eq!(v.verdict, "accepted");
    assert_eq!(v.released.len(), 1, "{v:#?}");
    assert_eq!(v.released[0].verdict, "accepted");
    assert_eq!(kw.members().unwrap()[0].head_seq, Some(3));
}

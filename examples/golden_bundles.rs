//! Writes the golden files of the exchange formats v1 (`tests/data/bundles/v1/`,
//! `tests/data/answers/v1/`, `tests/data/enrollment/v1/`): run once, when the format was frozen,
//! with `cargo run --example golden_bundles -- tests/data`. The files are then never rewritten:
//! `tests/golden.rs` holds every later version to their verdicts. Everything is made through the
//! program's own use cases, except the tampering (what an attacker or a damaged stick does).

#![allow(clippy::unwrap_used)]

use bansos::bundle::wire;
use bansos::demo::{make, Options};
use bansos::facility::FacilityKind;
use bansos::month::Month;
use bansos::staff::{NewStaff, Role};
use bansos::{App, Credentials};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const PW: &str = "demo-bansos-2024";

fn clock() -> Arc<dyn bansos::clock::Clock> {
    Arc::new(bansos::clock::SystemClock)
}

fn open(db: &Path, user: &str) -> App {
    App::open(db, clock(), &Credentials::new(user, PW)).unwrap()
}

fn kanwil(db: &Path) {
    let setup = bansos::facility::FacilitySetup {
        profile: bansos::facility::FacilityProfile {
            name: "Kanwil Ditjenpas Jawa Tengah".into(),
            kind: FacilityKind::Kanwil,
            class: "Kanwil".into(),
            code: "KANWIL-JATENG".into(),
            province: "Jawa Tengah".into(),
            kanwil: "Kanwil Ditjenpas Jawa Tengah".into(),
            address: "Jl. Dr. Cipto No. 64, Semarang".into(),
            time_zone: bansos::locale::TimeZone::Wib,
            head_name: "Budi Hardiono".into(),
            head_nip: "197001012000031001".into(),
        },
        receipt_pattern: bansos::facility::DEFAULT_RECEIPT_PATTERN.into(),
        logo_base64: None,
        regional_keys: vec![],
    };
    let staff = |u: &str, r| NewStaff {
        username: u.into(),
        full_name: "Agus Salim".into(),
        nip: String::new(),
        position: "Pengelola".into(),
        role: r,
        password: PW.into(),
    };
    let mut a = App::init(db, clock(), &setup, &staff("admin", Role::Admin)).unwrap();
    a.add_staff(&staff("kepala", Role::KepalaUpt)).unwrap();
}

/// Registers the facility at `f` with the Kanwil at `k` and imports the enrollment.
fn enroll(f: &Path, k: &Path) -> (Vec<u8>, Vec<u8>) {
    let mut kw = open(k, "kepala");
    let kfp = kw.facility().unwrap().fingerprint;
    let mut fa = open(f, "kepala");
    let (_, reg) = fa.registration_file().unwrap();
    let fp = fa.facility().unwrap().fingerprint;
    let (_, enr) = kw.register_facility(&reg, &fp).unwrap();
    fa.import_enrollment(&enr, Some(&kfp)).unwrap();
    (reg, enr)
}

fn copy_db(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    for suffix in ["", ".keys", "-wal", "-shm"] {
        let mut a = from.as_os_str().to_owned();
        a.push(suffix);
        let mut b = to.as_os_str().to_owned();
        b.push(suffix);
        if Path::new(&a).exists() {
            std::fs::copy(&a, &b).unwrap();
        }
    }
}

fn bundle(db: &Path, seq: u64) -> Vec<u8> {
    open(db, "petugas").bundle_file(Some(seq), None).unwrap().2
}

/// The same zip with its entries changed by `f`.
fn rezip(bytes: &[u8], f: impl Fn(Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let entries = wire::unzip(bytes, bansos::bundle::BUNDLE_ENTRIES, ("b", "b")).unwrap();
    let out = f(entries);
    let refs: Vec<(&str, &[u8])> = out
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    wire::zip(&refs).unwrap()
}

fn flip(entries: Vec<(String, Vec<u8>)>, part: &str) -> Vec<(String, Vec<u8>)> {
    entries
        .into_iter()
        .map(|(n, mut b)| {
            if n == part {
                let i = b.len() / 2;
                b[i] ^= 0x01;
            }
            (n, b)
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).expect("give the tests/data folder"));
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let until = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now()))
        .prev()
        .prev();
    let last = until.next();
    let (kdb, fdb, clone) = (
        t.join("k/bansos.db"),
        t.join("f/bansos.db"),
        t.join("c/bansos.db"),
    );
    kanwil(&kdb);
    make(
        &fdb,
        &Options {
            families: 10,
            months: 2,
            seed: 1,
            until,
            facility: 0,
        },
        |_| {},
    )
    .unwrap();
    let (registration, enrollment) = enroll(&fdb, &kdb);
    // The Kanwil as it stood before any bundle came: the golden test restores this.
    let kb = open(&kdb, "admin").backup_to(&t.join("kb")).unwrap();
    // A second PC cloned from this one (its files copied): it will make a fork.
    copy_db(&fdb, &clone);
    open(&fdb, "kepala").close_month(&last.key()).unwrap();
    open(&clone, "kepala").close_month(&last.key()).unwrap();
    {
        let mut k = open(&fdb, "kepala");
        k.reopen_month(&last.key(), "koreksi stok akhir bulan")
            .unwrap();
        k.close_month(&last.key()).unwrap();
    }
    let fb = open(&fdb, "admin").backup_to(&t.join("fb")).unwrap();

    let b = out.join("bundles/v1");
    write(
        &b,
        "kanwil.bansos-backup",
        &std::fs::read(&kb.path).unwrap(),
    );
    let f = open(&fdb, "kepala").facility().unwrap();
    write(
        &b,
        "facility.key",
        format!("{}={}\n", f.profile.code, f.public_key_hex).as_bytes(),
    );
    let (b1, b2, b3, b4) = (
        bundle(&fdb, 1),
        bundle(&fdb, 2),
        bundle(&fdb, 3),
        bundle(&fdb, 4),
    );
    write(&b, "monthly-seq1.bansos-bundle", &b1);
    write(&b, "monthly-seq2.bansos-bundle", &b2);
    write(&b, "nihil-seq3.bansos-bundle", &b3);
    write(&b, "revision-seq4.bansos-bundle", &b4);
    write(&b, "fork-seq3.bansos-bundle", &bundle(&clone, 3));
    for part in [
        "aggregates.json",
        "summary.json",
        "records.json.age",
        "report.json.age",
        "report.pdf.age",
        "report.xlsx.age",
    ] {
        write(
            &b,
            &format!("altered-{part}.bansos-bundle"),
            &rezip(&b1, |e| flip(e, part)),
        );
    }
    write(
        &b,
        "altered-manifest.json.bansos-bundle",
        &rezip(&b1, |e| flip(e, "manifest.json")),
    );
    write(
        &b,
        "missing-report.pdf.age.bansos-bundle",
        &rezip(&b1, |e| {
            e.into_iter()
                .filter(|(n, _)| n != "report.pdf.age")
                .collect()
        }),
    );
    // Entries the format does not know, built by hand: an extra file, a path, a long signature.
    let entries = wire::unzip(&b1, bansos::bundle::BUNDLE_ENTRIES, ("b", "b")).unwrap();
    let mut refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    refs.push(("catatan.txt", b"tambahan"));
    write(&b, "extra-entry.bansos-bundle", &wire::zip(&refs).unwrap());
    refs.pop();
    refs.push(("../manifest.json", b"{}"));
    write(&b, "dotdot-entry.bansos-bundle", &wire::zip(&refs).unwrap());
    refs.pop();
    let long_sig = vec![b'A'; 161];
    let mut with_long: Vec<(&str, &[u8])> = refs.clone();
    with_long[1] = ("manifest.sig", &long_sig);
    write(
        &b,
        "oversized-entry.bansos-bundle",
        &wire::zip(&with_long).unwrap(),
    );
    write(&b, "not-a-zip.bansos-bundle", b"PK\x03\x04 bukan zip");
    // The same code with another key (another PC that was never registered).
    let (k2, other) = (t.join("k2/bansos.db"), t.join("o/bansos.db"));
    kanwil(&k2);
    make(
        &other,
        &Options {
            families: 10,
            months: 1,
            seed: 9,
            until,
            facility: 0,
        },
        |_| {},
    )
    .unwrap();
    enroll(&other, &k2);
    write(&b, "wrong-key.bansos-bundle", &bundle(&other, 1));
    // A facility this Kanwil never registered (registered after the backup above).
    let pati = t.join("p/bansos.db");
    make(
        &pati,
        &Options {
            families: 10,
            months: 1,
            seed: 2,
            until,
            facility: 1,
        },
        |_| {},
    )
    .unwrap();
    enroll(&pati, &kdb);
    write(&b, "unknown-facility.bansos-bundle", &bundle(&pati, 1));

    // Answers: the Kanwil's acknowledgment of seq 1 and its refusal of an altered copy.
    let a = out.join("answers/v1");
    write(
        &a,
        "facility.bansos-backup",
        &std::fs::read(&fb.path).unwrap(),
    );
    let mut kw = open(&kdb, "kepala");
    let v = kw.import_bundles(vec![("1".into(), b1.clone())]).unwrap();
    let ack = v[0].answer.clone().unwrap().1;
    write(&a, "accepted-seq1.bansos-answer", &ack);
    let v = kw
        .import_bundles(vec![(
            "x".into(),
            rezip(&b2, |e| flip(e, "records.json.age")),
        )])
        .unwrap();
    write(
        &a,
        "refused-seq2.bansos-answer",
        &v[0].answer.clone().unwrap().1,
    );
    let tampered = {
        let e = wire::unzip(&ack, bansos::bundle::ANSWER_ENTRIES, ("a", "a")).unwrap();
        let body = String::from_utf8(e[0].1.clone())
            .unwrap()
            .replace("\"accepted\"", "\"refused\"");
        wire::zip(&[("answer.json", body.as_bytes()), ("answer.sig", &e[1].1)]).unwrap()
    };
    write(&a, "tampered-seq1.bansos-answer", &tampered);

    // Registration and enrollment, good and tampered.
    let e = out.join("enrollment/v1");
    write(&e, "RUTAN-BLORA.bansos-registration", &registration);
    write(&e, "RUTAN-BLORA.bansos-enrollment", &enrollment);
    let tamper = |bytes: &[u8], allowed: &[(&str, u64)], from: &str, to: &str| {
        let es = wire::unzip(bytes, allowed, ("x", "x")).unwrap();
        let changed: Vec<(String, Vec<u8>)> = es
            .into_iter()
            .enumerate()
            .map(|(i, (n, b))| {
                if i == 0 {
                    (
                        n,
                        String::from_utf8(b).unwrap().replace(from, to).into_bytes(),
                    )
                } else {
                    (n, b)
                }
            })
            .collect();
        let refs: Vec<(&str, &[u8])> = changed
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        wire::zip(&refs).unwrap()
    };
    write(
        &e,
        "tampered.bansos-registration",
        &tamper(
            &registration,
            bansos::bundle::REGISTRATION_ENTRIES,
            "Blora",
            "Bl0ra",
        ),
    );
    write(
        &e,
        "tampered.bansos-enrollment",
        &tamper(
            &enrollment,
            bansos::bundle::ENROLLMENT_ENTRIES,
            "\"due_day\":5",
            "\"due_day\":6",
        ),
    );
    println!("golden files written under {}", out.display());
}

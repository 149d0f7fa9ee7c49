//! Writes `tests/data/served/v19/`: a Kanwil's store as it was at migration 19, when it kept a
//! row of each person a bundle served, holding three facilities' months with people two of them
//! served, and the pairs that store found then. Run once, with the program of migration 19, by
//! `cargo run --example golden_served -- tests/data`; never rewritten. `tests/golden.rs` restores
//! it with every later version and asks for the same pairs (migration 0020 moved those rows).

#![allow(clippy::unwrap_used)]

use bansos::demo::{make, Options};
use bansos::facility::FacilityKind;
use bansos::month::Month;
use bansos::staff::{NewStaff, Role};
use bansos::{App, Credentials};
use std::collections::BTreeMap;
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

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).expect("give the tests/data folder"));
    let dir = out.join("served/v19");
    assert!(
        !dir.join("kanwil.bansos-backup").exists(),
        "golden files are never rewritten"
    );
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let until = Month::parse("2026-10").unwrap();
    let kdb = t.join("k/bansos.db");
    kanwil(&kdb);
    let mut kw = open(&kdb, "kepala");
    let kfp = kw.facility().unwrap().fingerprint;
    let mut files = Vec::new();
    for n in 0..3 {
        let db = t.join(format!("f{n}/bansos.db"));
        make(
            &db,
            &Options {
                families: 16,
                months: 2,
                seed: 11,
                until,
                facility: n,
            },
            |_| {},
        )
        .unwrap();
        let mut f = open(&db, "kepala");
        let (_, reg) = f.registration_file().unwrap();
        let fp = f.facility().unwrap().fingerprint;
        let (_, enr) = kw.register_facility(&reg, &fp).unwrap();
        f.import_enrollment(&enr, Some(&kfp)).unwrap();
        for b in f.outbox().unwrap().bundles {
            let (_, name, bytes) = f.bundle_file(Some(b.seq), None).unwrap();
            files.push((name, bytes));
        }
    }
    let verdicts = kw.import_bundles(files).unwrap();
    assert!(
        verdicts.iter().all(|v| v.verdict == "accepted"),
        "{verdicts:#?}"
    );
    let mut pairs = BTreeMap::new();
    for m in [until.prev(), until] {
        let p = kw.regional_duplicates(&m.key()).unwrap();
        println!("{}: {} pairs", m.key(), p.len());
        pairs.insert(m.key(), p);
    }
    let all: Vec<_> = pairs.values().flatten().collect();
    assert!(
        all.iter().any(|p| p.by == "nik"),
        "the household every demo facility shares"
    );
    std::fs::create_dir_all(&dir).unwrap();
    let b = open(&kdb, "admin").backup_to(&t.join("kb")).unwrap();
    std::fs::copy(&b.path, dir.join("kanwil.bansos-backup")).unwrap();
    std::fs::write(
        dir.join("pairs.json"),
        serde_json::to_string_pretty(&pairs).unwrap() + "\n",
    )
    .unwrap();
    println!("{}", dir.display());
}

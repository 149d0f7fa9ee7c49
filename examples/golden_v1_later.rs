//! Writes the golden files of the two v1 formats frozen after the bundle's: the key rotation
//! statement (`tests/data/rotation/v1/`) and the by-name list (`tests/data/byname/v1/`). Run
//! once, when each was frozen, with `cargo run --example golden_v1_later -- tests/data`; a file
//! already there is never written again.
//! The facility is the one of `answers/v1/facility.bansos-backup` (after its four bundles), the
//! Kanwil the one of `bundles/v1/kanwil.bansos-backup`. Never rewritten: `tests/golden.rs` holds
//! every later version to their verdicts.

#![allow(clippy::unwrap_used)]

use bansos::bundle::wire;
use bansos::{App, Credentials};
use std::path::PathBuf;
use std::sync::Arc;

const PW: &str = "demo-bansos-2024";

fn main() {
    let data = PathBuf::from(std::env::args().nth(1).expect("give the tests/data folder"));
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("bansos.db");
    let clock: Arc<dyn bansos::clock::Clock> = Arc::new(bansos::clock::SystemClock);
    App::restore(
        &db,
        &data.join("answers/v1/facility.bansos-backup"),
        clock.clone(),
        &Credentials::new("admin", PW),
    )
    .unwrap();
    let mut k = App::open(&db, clock, &Credentials::new("kepala", PW)).unwrap();
    // The by-name list of the month of seq 1, made with the old key.
    let out = data.join("byname/v1");
    std::fs::create_dir_all(&out).unwrap();
    let period = k.outbox().unwrap().bundles[0].period.clone();
    let (_, list) = k.byname_file(&period, "W12-PK.01.02-123").unwrap();
    let e = wire::unzip(&list, bansos::bundle::BYNAME_ENTRIES, ("b", "b")).unwrap();
    let mut part = e[2].1.clone();
    let i = part.len() / 2;
    part[i] ^= 1;
    let header = String::from_utf8(e[0].1.clone()).unwrap();
    let other = header.replace("W12-PK.01.02-123", "W12-PK.01.02-999");
    assert_ne!(header, other);
    for (name, bytes) in [
        ("RUTAN-BLORA.bansos-byname", list.clone()),
        (
            "altered-part.bansos-byname",
            wire::zip(&[
                ("byname.json", &e[0].1),
                ("byname.sig", &e[1].1),
                ("byname.json.age", &part),
            ])
            .unwrap(),
        ),
        (
            "altered-header.bansos-byname",
            wire::zip(&[
                ("byname.json", other.as_bytes()),
                ("byname.sig", &e[1].1),
                ("byname.json.age", &e[2].1),
            ])
            .unwrap(),
        ),
    ] {
        if !out.join(name).exists() {
            std::fs::write(out.join(name), bytes).unwrap();
        }
    }
    let rot = data.join("rotation/v1");
    if rot.join("RUTAN-BLORA.bansos-key-rotation").exists() {
        return;
    }
    let (r, good) = k
        .rotate_key("Operator lama pindah tugas; kunci diperbarui")
        .unwrap();
    assert_eq!(r.old_key_last_seq, Some(4));
    let out = data.join("rotation/v1");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("RUTAN-BLORA.bansos-key-rotation"), &good).unwrap();
    let e = wire::unzip(&good, bansos::bundle::ROTATION_ENTRIES, ("r", "r")).unwrap();
    let write = |name: &str, parts: [(&str, &[u8]); 3]| {
        std::fs::write(out.join(name), wire::zip(&parts).unwrap()).unwrap();
    };
    // The last seq changed from 4 to 9 (the signatures left as they were).
    let body = String::from_utf8(e[0].1.clone()).unwrap();
    let changed = body.replace("\"old_key_last_seq\":4", "\"old_key_last_seq\":9");
    assert_ne!(body, changed);
    write(
        "tampered.bansos-key-rotation",
        [
            ("rotation.json", changed.as_bytes()),
            ("rotation.sig", &e[1].1),
            ("rotation.new.sig", &e[2].1),
        ],
    );
    // The new key's signature replaced by the old key's: nothing shows the new key is held.
    write(
        "old-key-only.bansos-key-rotation",
        [
            ("rotation.json", &e[0].1),
            ("rotation.sig", &e[1].1),
            ("rotation.new.sig", &e[1].1),
        ],
    );
    println!("new fingerprint {}", r.new_fingerprint);
}

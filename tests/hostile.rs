//! Hostile files (`tests/data/hostile/`): each is given to the command line in a child process
//! under a memory limit (`prlimit --as`) and a watchdog (`timeout`), and must be refused with a
//! message that names what is wrong and the limit, leaving the registry (or the database) as it was. Before the
//! limits, the 1.6 KB sheet that claims the range A1:XFD1048576 made the program ask for 549 GB.

use crate::common::Fixture;
use crate::registry::{staffed, PETUGAS_PW};
use std::path::{Path, PathBuf};
use std::process::Command;

fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/hostile")
        .join(name)
}

/// Runs `bansos <args>` as the petugas with 1.5 GB of address space and 60 seconds at most:
/// (exit code, stderr).
fn bounded(fx: &Fixture, args: &[&str]) -> (i32, String) {
    let mut c = Command::new("prlimit");
    c.arg("--as=1500000000")
        .arg("--")
        .arg("timeout")
        .arg("60")
        .arg(env!("CARGO_BIN_EXE_bansos"))
        .args(args)
        .env("BANSOS_DB", &fx.db)
        .env("BANSOS_USER", "petugas")
        .env("BANSOS_PASSWORD", PETUGAS_PW)
        .env("BANSOS_LANG", "id");
    let out = c
        .output()
        .expect("prlimit and timeout run (util-linux, coreutils)");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn families(fx: &Fixture) -> i64 {
    let mut v = fx.sign_in("verif", crate::registry::VERIF_PW).unwrap();
    v.family_list(&Default::default(), 1, 0).unwrap().total
}

#[test]
fn hostile_sheets_are_refused_by_name_and_limit_with_little_memory() {
    let (fx, _p, _v) = staffed();
    let before = families(&fx);
    let cases: &[(&str, &str)] = &[
        (
            "range-a1-xfd1048576.xlsx",
            "punya isi di baris 1.048.576 (paling banyak 100.000 baris)",
        ),
        ("zip-bomb.xlsx", "isinya lebih dari 100 MB bila dibuka"),
        (
            "column-16000.xlsx",
            "punya isi di kolom ke-16000 (paling banyak 200 kolom)",
        ),
        ("wide.csv", "baris 1 punya 5002 kolom (paling banyak 200)"),
        (
            "long-cell.csv",
            "sel di baris 2 berisi lebih dari 1.000 huruf",
        ),
        ("picture-named.xlsx", "bukan berkas teks CSV atau XLSX"),
        ("huge-dimensions.png", "bukan berkas teks CSV atau XLSX"),
    ];
    for (file, says) in cases {
        let path = hostile(file);
        for dry in [true, false] {
            let mut args = vec!["family", "import", path.to_str().unwrap()];
            if dry {
                args.push("--dry-run");
            }
            let (code, err) = bounded(&fx, &args);
            assert_eq!(code, 1, "{file}: refused, not killed: {err}");
            assert!(err.contains(says), "{file}: {err}");
            assert!(
                !err.contains("panicked") && !err.contains("memory"),
                "{err}"
            );
        }
    }
    // A sheet with more rows than a whole registry, made here (2 MB).
    let many = fx.dir.path().join("many-rows.csv");
    let mut text = String::from("NIK;NAMA\n");
    for i in 0..100_020 {
        text.push_str(&format!("3316014708{i:06};Nama\n"));
    }
    std::fs::write(&many, text).unwrap();
    let (code, err) = bounded(&fx, &["family", "import", many.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("lebih dari 100.000 baris"), "{err}");
    // A file larger than the limit is refused by its size, before it is read.
    let big = fx.dir.path().join("big.csv");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(21 * 1024 * 1024).unwrap();
    let (code, err) = bounded(&fx, &["family", "import", big.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("terlalu besar (21,0 MB; paling besar 20 MB)"),
        "{err}"
    );
    assert_eq!(families(&fx), before, "nothing was imported");
}

#[test]
fn a_picture_that_claims_huge_dimensions_is_refused_as_too_large() {
    let (fx, _p, _v) = staffed();
    let path = hostile("huge-dimensions.png");
    let (code, err) = bounded(
        &fx,
        &["receipt", "verify", "--image", path.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("terlalu besar (100000 × 100000 piksel; paling besar 48 megapiksel)"),
        "{err}"
    );
    let png = std::fs::read(&path).unwrap();
    let e = bansos::receipt::qr::decode_image(&png).err().unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::Invalid);
}

#[test]
fn hostile_backups_are_refused_with_little_memory_and_nothing_changes() {
    let (fx, p, v) = staffed();
    drop((p, v)); // a restore needs every session closed
    let before = crate::common::file_bytes(&fx.db);
    for (file, says) in [
        (
            "backup-zip-bomb.bansos-backup",
            "dipadatkan atau lebih besar dari berkasnya",
        ),
        ("backup-too-many-parts.bansos-backup", "berisi 12 bagian"),
        (
            "backup-not-a-zip.bansos-backup",
            "bukan berkas cadangan Bansos",
        ),
    ] {
        let path = hostile(file);
        let (code, err) = bounded(&fx, &["restore", path.to_str().unwrap()]);
        assert_eq!(code, 1, "{file}: refused, not killed: {err}");
        assert!(
            err.contains(says) && err.contains("Tidak ada yang diubah"),
            "{file}: {err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("memory"),
            "{err}"
        );
    }
    assert_eq!(
        crate::common::file_bytes(&fx.db),
        before,
        "the database is untouched"
    );
}

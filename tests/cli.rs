//! The command line: set-up, sign-in from the environment, clear messages for bad arguments.

use crate::common::Fixture;
use std::process::Command;

fn bansos() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bansos"));
    c.env_remove("BANSOS_DB")
        .env_remove("BANSOS_USER")
        .env_remove("BANSOS_PASSWORD")
        .env("BANSOS_LANG", "id");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

#[test]
fn init_then_status_and_facility_show_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bansos.db");
    let (code, out, err) = run(bansos()
        .env("BANSOS_DB", &db)
        .env("BANSOS_PASSWORD", "kopi-tubruk-2024")
        .args([
            "init",
            "--name",
            "Rutan Kelas IIA Pekalongan",
            "--kind",
            "rutan",
            "--class",
            "IIA",
            "--code",
            "rutan-pekalongan",
            "--province",
            "Jawa Tengah",
            "--kanwil",
            "Kanwil Ditjenpas Jawa Tengah",
            "--address",
            "Jl. Merdeka 1",
            "--head-name",
            "Sastra Irawan",
            "--admin-username",
            "admin",
            "--admin-name",
            "Admin Rutan",
        ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Sidik jari"), "{out}");
    let (code, out, _) = run(bansos().env("BANSOS_DB", &db).args(["status", "--json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["facility_label"], "Rutan Kelas IIA Pekalongan");
    let (code, out, err) = run(bansos()
        .env("BANSOS_DB", &db)
        .env("BANSOS_USER", "admin")
        .env("BANSOS_PASSWORD", "kopi-tubruk-2024")
        .args(["facility", "show", "--json"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["profile"]["code"], "RUTAN-PEKALONGAN",
        "codes are upper-cased"
    );
}

#[test]
fn help_is_in_the_runs_language() {
    let (code, out, _) = run(bansos().args(["family", "add", "--help"]));
    assert_eq!(code, 0);
    assert!(out.contains("Daftarkan satu keluarga"), "{out}");
    for c in [
        bansos().args(["--lang", "en", "family", "add", "--help"]),
        bansos()
            .env("BANSOS_LANG", "en")
            .args(["family", "add", "--help"]),
    ] {
        let (code, out, _) = run(c);
        assert_eq!(code, 0);
        assert!(
            out.contains("Register one family") && !out.contains("Daftarkan"),
            "{out}"
        );
    }
    let (_, out, _) = run(bansos().args(["--lang", "en", "--help"]));
    assert!(
        out.contains("Database status (without logging in)"),
        "{out}"
    );
    assert!(
        out.contains("Usage: ") && out.contains("Print this help"),
        "{out}"
    );
    // clap's own words too: the usage line, the headings, the flags, defaults, choices and
    // environment variables.
    for args in [
        vec!["--help"],
        vec!["family", "add", "--help"],
        vec!["staff", "add", "--help"],
    ] {
        let (code, out, _) = run(bansos().args(&args));
        assert_eq!(code, 0);
        assert!(
            out.contains("Pemakaian: ") && out.contains("Opsi:"),
            "{out}"
        );
        for english in [
            "Usage:",
            "Options:",
            "Commands:",
            "Arguments:",
            "Print help",
            "[default",
            "[env",
            "[possible",
            "[OPTIONS]",
        ] {
            assert!(!out.contains(english), "{english:?} in:\n{out}");
        }
    }
    let (_, out, _) = run(bansos().args(["--help"]));
    assert!(
        out.contains("Perintah:") && out.contains("[bawaan: id]") && out.contains("BANSOS_DB"),
        "{out}"
    );
    // A command group without its command: its help, and the run fails.
    for args in [vec![], vec!["family"], vec!["--lang", "en", "stock"]] {
        let (code, out, err) = run(bansos().args(&args));
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains("perintah belum diberikan") || err.contains("no command was given"),
            "{err}"
        );
    }
}

#[test]
fn a_bad_argument_gets_an_indonesian_message_and_exit_code_2() {
    let (code, _, err) = run(bansos().args([
        "staff",
        "add",
        "--username",
        "x",
        "--name",
        "X",
        "--role",
        "kepala",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("galat: nilai 'kepala' untuk --role"), "{err}");
    assert!(
        err.contains("peran 'kepala' tidak dikenal"),
        "the message names the bad value: {err}"
    );
    let (code, _, err) = run(bansos().args(["terbang"]));
    assert_eq!(code, 2);
    assert!(err.contains("perintah 'terbang' tidak dikenal"), "{err}");
    // A demo too large is refused with its limits, as people write numbers, and makes nothing.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let (code, _, err) = run(bansos()
        .args(["demo", "--families", "13000", "--db"])
        .arg(&db));
    assert_ne!(code, 0);
    assert!(err.contains("keluarga 10–12.000 dan bulan 1–60"), "{err}");
    assert!(!db.exists());
    let (_, _, err) = run(bansos()
        .args(["--lang", "en", "demo", "--families", "13000", "--db"])
        .arg(&db));
    assert!(err.contains("10–12,000 families"), "{err}");
    // So is a bench past its limit (it once overflowed making room for the families), before
    // the folder it was to keep is made.
    let keep = dir.path().join("bench");
    let (code, _, err) = run(bansos()
        .args(["bench", "--families", "18446744073709551615", "--keep"])
        .arg(&keep));
    assert_ne!(code, 0);
    assert!(err.contains("paling banyak 1.000.000 keluarga"), "{err}");
    assert!(!keep.exists());
}

#[test]
fn a_wrong_password_on_the_command_line_exits_non_zero_with_a_message() {
    let (fx, app) = Fixture::new();
    drop(app);
    let (code, _, err) = run(fx
        .cli()
        .env("BANSOS_PASSWORD", "salah")
        .args(["facility", "show"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("galat: Nama pengguna atau kata sandi salah."),
        "{err}"
    );
    let (code, _, err) = run(fx
        .cli()
        .env("BANSOS_LANG", "en")
        .env("BANSOS_PASSWORD", "salah")
        .args(["facility", "show"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("error: Wrong user name or password."),
        "English on request: {err}"
    );
}

#[test]
fn staff_can_be_added_and_listed_as_json() {
    let (fx, app) = Fixture::new();
    drop(app);
    let (code, _, err) = run(fx
        .cli()
        .env("BANSOS_NEW_PASSWORD", "nasi-goreng-pedas")
        .args([
            "staff",
            "add",
            "--username",
            "budi",
            "--name",
            "Budi Santoso",
            "--role",
            "petugas",
        ]));
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(fx.cli().args(["staff", "list", "--json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["username"] == "budi" && s["role"] == "petugas"));
}

#[test]
fn backup_and_restore_work_from_the_command_line() {
    let (fx, app) = Fixture::new();
    drop(app);
    let (code, out, err) = run(fx.cli().args(["backup", "--json"]));
    assert_eq!(code, 0, "{err}");
    let b: serde_json::Value = serde_json::from_str(&out).unwrap();
    let path = b["path"].as_str().unwrap().to_owned();
    let (code, out, err) = run(fx.cli().args(["restore", &path]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Dipulihkan"), "{out}");
    let (code, _, err) = run(fx.cli().args(["restore", "/tidak/ada.bansos-backup"]));
    assert_eq!(code, 1);
    assert!(err.starts_with("galat: "), "{err}");
}

#[test]
fn families_are_added_found_imported_and_exported_from_the_command_line() {
    let (fx, mut admin) = Fixture::new();
    admin
        .add_staff(&crate::common::new_staff(
            "petugas",
            bansos::staff::Role::Petugas,
            "nasi-goreng-pedas",
        ))
        .unwrap();
    let cli = || {
        let mut c = fx.cli();
        c.env("BANSOS_USER", "petugas")
            .env("BANSOS_PASSWORD", "nasi-goreng-pedas");
        c
    };
    let (code, out, err) = run(cli().args([
        "family",
        "add",
        "--name",
        "Siti Rahayu",
        "--nik",
        "3316014708900003",
        "--kk",
        "3316010101100007",
        "--wbp-name",
        "Slamet Riyadi",
        "--wbp-reg",
        "BI.123/2024",
        "--region",
        "33.16.01.2001",
        "--member",
        "Dimas Saputra;3316010501150002;anak",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("KLG-000001"), "{out}");
    // The same NIK again: refused, naming the family that holds it.
    let (code, _, err) = run(cli().args([
        "family",
        "add",
        "--name",
        "Dimas",
        "--nik",
        "3316010501150002",
        "--wbp-name",
        "X",
    ]));
    assert_eq!(code, 1);
    assert!(
        err.contains("KLG-000001") && err.contains("galat: kepala keluarga (Dimas): "),
        "whose NIK, in words: {err}"
    );
    assert!(!err.contains("member."), "no field paths: {err}");
    // A bad NIK: the message names it.
    let (code, _, err) = run(cli().args([
        "family",
        "add",
        "--name",
        "Budi",
        "--nik",
        "33160112038500",
        "--wbp-name",
        "X",
    ]));
    assert_eq!(code, 1);
    assert!(err.contains("16 angka"), "{err}");
    let (code, out, _) = run(cli().args(["family", "list", "--search", "siti rahyu"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("KLG-000001") && out.contains("331601********03"),
        "masked for a petugas: {out}"
    );
    let (code, out, _) = run(cli().args(["--json", "family", "list", "--search", "dimas"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"][0]["code"], "KLG-000001");
    let (code, out, _) = run(cli().args(["family", "show", "KLG-000001"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("Bangkleyan") && out.contains("3316014708900003"),
        "{out}"
    );
    // An edit that changes nothing is refused, naming the family; one that changes the name saves.
    let (code, _, err) = run(cli().args(["family", "edit", "KLG-000001", "--name", "Siti Rahayu"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("tidak ada yang diubah pada KLG-000001"),
        "{err}"
    );
    let (code, out, err) = run(cli().args([
        "family",
        "edit",
        "KLG-000001",
        "--name",
        "Siti Rahayu Ningsih",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    // Import: a dry run shows the problems and writes nothing; then the valid row goes in.
    let csv = fx.dir.path().join("bnba.csv");
    std::fs::write(
        &csv,
        "NIK;NAMA\n3316011203850001;Budi Santoso\n3316011203850;Pendek\n",
    )
    .unwrap();
    let (code, out, _) = run(cli()
        .args(["family", "import", "--dry-run", "--category", "masyarakat"])
        .arg(&csv));
    assert_eq!(code, 0);
    assert!(
        out.contains("Baris 3, kolom NIK") && out.contains("Siap diimpor: 1"),
        "{out}"
    );
    let (_, out, _) = run(cli().args(["family", "list"]));
    assert!(!out.contains("Budi Santoso"));
    let (code, out, _) = run(cli()
        .args(["family", "import", "--category", "masyarakat"])
        .arg(&csv));
    assert_eq!(code, 0);
    assert!(out.contains("Diimpor 1 keluarga"), "{out}");
    let xlsx = fx.dir.path().join("ekspor.xlsx");
    let (code, out, _) = run(cli().args(["family", "export"]).arg(&xlsx));
    assert_eq!(code, 0);
    assert!(out.contains("2 keluarga"), "{out}");
    assert!(crate::common::file_bytes(&xlsx).starts_with(b"PK"));
    // A bad category is a clap error with the Indonesian prefix.
    let (code, _, err) = run(cli().args(["family", "list", "--category", "napi"]));
    assert_eq!(code, 2);
    assert!(err.contains("kategori 'napi' tidak dikenal"), "{err}");
}

#[test]
fn stock_is_received_balanced_adjusted_and_carded_from_the_command_line() {
    let (fx, mut admin) = Fixture::new();
    use bansos::staff::Role;
    admin
        .add_staff(&crate::common::new_staff(
            "petugas",
            Role::Petugas,
            "nasi-goreng-pedas",
        ))
        .unwrap();
    admin
        .add_staff(&crate::common::new_staff(
            "verif",
            Role::Verifikator,
            "sayur-lodeh-enak",
        ))
        .unwrap();
    let as_ = |u: &str, pw: &str| {
        let mut c = fx.cli();
        c.env("BANSOS_USER", u).env("BANSOS_PASSWORD", pw);
        c
    };
    let p = || as_("petugas", "nasi-goreng-pedas");
    let v = || as_("verif", "sayur-lodeh-enak");
    let (code, _, err) = run(p().args([
        "stock",
        "receive",
        "--source",
        "csr",
        "--doc",
        "SJ-1",
        "--received-by",
        "Budi",
        "--date",
        "2024-11-10",
        "--line",
        "beras;100;Rp1.000.000",
    ]));
    assert_eq!(code, 1);
    assert!(err.contains("donatur"), "{err}");
    let (code, out, err) = run(p().args([
        "stock",
        "receive",
        "--source",
        "csr",
        "--donor",
        "PT Bank Jateng",
        "--doc",
        "SJ-1",
        "--received-by",
        "Budi",
        "--date",
        "2024-11-10",
        "--line",
        "beras;250,5;Rp3.000.000;B-01;30-06-2025",
        "--line",
        "gula;50;Rp750.000",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Penerimaan #1"), "{out}");
    let (_, out, _) = run(p().args(["stock", "balance"]));
    assert!(
        out.contains("Beras\t250,5 kg") && out.contains("PT Bank Jateng"),
        "{out}"
    );
    let (code, out, _) = run(p().args([
        "stock",
        "adjust",
        "--lot",
        "1",
        "--qty",
        "-0,5",
        "--reason",
        "rusak",
        "--note",
        "karung sobek",
    ]));
    assert_eq!(code, 0, "{out}");
    let (code, _, err) = run(p().args(["stock", "decide", "1", "--approve"]));
    assert_eq!(code, 1, "a petugas does not approve");
    assert!(err.contains("Verifikator"), "{err}");
    let (code, _, _) = run(v().args(["stock", "decide", "1", "--approve"]));
    assert_eq!(code, 0);
    let (_, out, _) = run(p().args(["stock", "card", "beras", "--from", "2024-11-01"]));
    assert!(
        out.contains("SJ-1") && out.contains("PENYESUAIAN-1") && out.contains("250"),
        "{out}"
    );
    let (_, out, _) = run(p().args(["--json", "stock", "balance"]));
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["items"][0]["quantity"], "250");
    let (code, _, err) = run(p().args([
        "stock",
        "receive",
        "--source",
        "dana-desa",
        "--doc",
        "x",
        "--received-by",
        "y",
        "--line",
        "beras;1;0",
    ]));
    assert_eq!(code, 2);
    assert!(
        err.contains("sumber dana 'dana-desa' tidak dikenal"),
        "{err}"
    );
}

#[test]
fn packages_and_events_are_planned_from_the_command_line() {
    let (fx, mut admin) = Fixture::new();
    use bansos::staff::Role;
    admin
        .add_staff(&crate::common::new_staff(
            "petugas",
            Role::Petugas,
            "nasi-goreng-pedas",
        ))
        .unwrap();
    admin
        .add_staff(&crate::common::new_staff(
            "verif",
            Role::Verifikator,
            "sayur-lodeh-enak",
        ))
        .unwrap();
    let mut p = fx.sign_in("petugas", "nasi-goreng-pedas").unwrap();
    let mut v = fx.sign_in("verif", "sayur-lodeh-enak").unwrap();
    let mut f = crate::registry::family("Siti Rahayu", crate::registry::SITI);
    f.consent_date = Some("2024-11-01".into());
    let id = p.family_add(&f).unwrap().id;
    v.family_verify(id, "KTP dan KK").unwrap();
    let draft = p
        .family_add(&crate::registry::family(
            "Budi Santoso",
            crate::registry::BUDI,
        ))
        .unwrap()
        .id;
    let _ = draft;
    let as_ = |u: &str, pw: &str| {
        let mut c = fx.cli();
        c.env("BANSOS_USER", u).env("BANSOS_PASSWORD", pw);
        c
    };
    let cli = || as_("petugas", "nasi-goreng-pedas");
    let (code, out, err) = run(cli().args([
        "package",
        "create",
        "--name",
        "Paket November",
        "--line",
        "beras;5",
        "--line",
        "gula;1",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Paket #1"), "{out}");
    let (code, out, err) = run(cli().args([
        "event",
        "create",
        "--date",
        "2024-11-15",
        "--place",
        "Aula Rutan",
        "--package",
        "1",
        "--official",
        "Budi Hardiono;Kepala Rutan",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    // Several families at once: each one's outcome is reported, and exit code 5 says that one
    // was refused.
    let (code, out, err) = run(cli().args(["event", "add", "1", "KLG-000002", "KLG-000001"]));
    assert_eq!(code, 5, "{out}{err}");
    assert!(
        out.contains("KLG-000002\tDITOLAK: KLG-000002 tidak dapat ditambahkan: belum diverifikasi"),
        "{out}"
    );
    assert!(out.contains("KLG-000001\tditambahkan"), "{out}");
    assert!(out.contains("1 dari 2 keluarga ditambahkan"), "{out}");
    let (code, out, _) = run(cli().args(["event", "show", "1"]));
    assert_eq!(code, 0);
    assert!(out.contains("KLG-000001\tSiti Rahayu"), "{out}");
    let (code, out, _) = run(cli().args(["event", "shortage", "1"]));
    assert_eq!(code, 4, "short: exit 4");
    assert!(
        out.contains("Beras\tperlu 5 kg\ttersedia 0 kg\tKURANG 5 kg"),
        "{out}"
    );
    let (code, _, err) = run(as_("verif", "sayur-lodeh-enak").args(["event", "approve", "1"]));
    assert_eq!(code, 1);
    assert!(err.contains("Beras kurang 5 kg"), "{err}");
    let (code, out, err) = run(cli().args([
        "stock",
        "receive",
        "--source",
        "koperasi",
        "--doc",
        "SJ-2",
        "--received-by",
        "Budi",
        "--date",
        "2024-11-10",
        "--line",
        "beras;20;0",
        "--line",
        "gula;5;0",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(as_("verif", "sayur-lodeh-enak").args(["event", "approve", "1"]));
    assert_eq!(code, 0, "{out}{err}");
    // A date in the future is refused; the day it happened is recorded.
    let (code, _, err) = run(cli().args(["handover", "1", "KLG-000001", "--date", "01-01-2999"]));
    assert_eq!(code, 1);
    assert!(err.contains("sesudah hari ini"), "{err}");
    let (code, out, err) = run(cli().args(["handover", "1", "KLG-000001", "--date", "15-11-2024"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("BAST 001/BAST-BANSOS/RUTAN-BLORA/XI/2024") && out.contains("Siti Rahayu"),
        "{out}"
    );
    // A BAST saved twice under one name: the first file stays, the second takes the next name.
    let papers = fx.dir.path().join("kertas");
    std::fs::create_dir_all(&papers).unwrap();
    let target = papers.join("bast.pdf");
    let (code, out, err) = run(cli()
        .args([
            "receipt",
            "pdf",
            "001/BAST-BANSOS/RUTAN-BLORA/XI/2024",
            "--out",
        ])
        .arg(&target));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("bast.pdf"), "{out}");
    let first = std::fs::read(&target).unwrap();
    assert!(first.starts_with(b"%PDF"));
    let (code, out, err) = run(cli()
        .args([
            "receipt",
            "pdf",
            "001/BAST-BANSOS/RUTAN-BLORA/XI/2024",
            "--out",
        ])
        .arg(&target));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("bast (2).pdf"), "the next free name: {out}");
    assert_eq!(std::fs::read(&target).unwrap(), first, "never overwritten");
    assert!(papers.join("bast (2).pdf").exists());
    // A folder as --out: the usual name inside it.
    let (code, out, err) = run(cli().args(["receipt", "pdf", "1", "--out"]).arg(&papers));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        papers
            .join("BAST-001-BAST-BANSOS-RUTAN-BLORA-XI-2024.pdf")
            .exists(),
        "{out}"
    );
    // A missing folder is refused before anything is printed, in words.
    let (code, _, err) = run(cli()
        .args(["receipt", "pdf", "1", "--out"])
        .arg(fx.dir.path().join("tidak-ada").join("bast.pdf")));
    assert_eq!(code, 1);
    assert!(
        err.contains("tidak ada") && !err.contains("os error"),
        "{err}"
    );
    // The event's papers, twice: nothing is replaced either.
    for round in ["", " (2)"] {
        let (code, out, err) = run(cli().args(["event", "papers", "1", "--out"]).arg(&papers));
        assert_eq!(code, 0, "{out}{err}");
        for name in ["daftar-hadir-kegiatan-1", "BAST-kegiatan-1"] {
            let file = format!("{name}{round}.pdf");
            assert!(out.contains(&file), "{file} in {out}");
            assert!(papers.join(&file).exists(), "{file}");
        }
    }
    // English on request: labels, not the program's names for them.
    let (code, out, _) = run(cli().args(["--lang", "en", "event", "list"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("Monthly routine") && out.contains("1 recipient\tapproved"),
        "{out}"
    );
    assert!(
        !out.contains("RutinBulanan") && !out.contains("Approved"),
        "{out}"
    );
    let (code, out, _) = run(cli().args(["--lang", "en", "event", "show", "1"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("Event #1 on Friday, 15 November 2024 at Aula Rutan"),
        "{out}"
    );
    let (code, _, err) = run(cli().args(["handover", "1", "KLG-000001"]));
    assert_eq!(code, 1);
    assert!(err.contains("sudah menerima bantuan"), "{err}");
    // Voided by its number, with a reason, by a verifikator.
    let (code, out, err) = run(as_("verif", "sayur-lodeh-enak").args([
        "handover",
        "void",
        "001/BAST-BANSOS/RUTAN-BLORA/XI/2024",
        "--reason",
        "salah penerima",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("BATAL 001/BAST-BANSOS/RUTAN-BLORA/XI/2024"),
        "{out}"
    );
    let (code, _, err) = run(cli().args(["handover", "void"]));
    assert_eq!(code, 2, "a missing BAST number is a usage error: {err}");
    let (code, _, err) = run(cli().args(["handover"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("tulis nomor kegiatan dan kode keluarga"),
        "{err}"
    );
}

#[test]
fn english_on_request_and_no_program_text_in_messages() {
    let (fx, mut admin) = Fixture::new();
    admin
        .add_staff(&crate::common::new_staff(
            "petugas",
            bansos::staff::Role::Petugas,
            "nasi-goreng-pedas",
        ))
        .unwrap();
    drop(admin);
    let en = || {
        let mut c = fx.cli();
        c.env("BANSOS_LANG", "en")
            .env("BANSOS_USER", "petugas")
            .env("BANSOS_PASSWORD", "nasi-goreng-pedas");
        c
    };
    // A listing in English; the same data.
    let (code, out, err) = run(fx.cli().args(["--lang", "en", "staff", "list"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("admin\t") && out.contains("\tactive"),
        "{out}"
    );
    assert!(!out.contains("aktif"), "{out}");
    // Refusals of the command line itself, in English.
    let (code, _, err) = run(en().args(["family", "show", "KLG-12X"]));
    assert_eq!(code, 1);
    assert_eq!(
        err.trim(),
        "error: 'KLG-12X' is not a family code (e.g. KLG-000012)"
    );
    let (code, _, err) = run(en().args(["package", "create", "--name", "P", "--line", "beras"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("error: --line 'beras': write \"CODE;QUANTITY\""),
        "{err}"
    );
    let (code, _, err) = run(en().args(["package", "create", "--name", "P", "--line", "emas;1"]));
    assert_eq!(code, 1);
    assert!(err.contains("there is no item 'emas'"), "{err}");
    let (code, _, err) = run(en().args([
        "stock",
        "receive",
        "--source",
        "dana-desa",
        "--doc",
        "x",
        "--received-by",
        "y",
        "--line",
        "beras;1;0",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown funding source 'dana-desa'"), "{err}");
    assert!(!err.contains("galat"), "{err}");
    // A family form from a file: missing, cut short, not JSON, fields missing, a bad value.
    let dir = fx.dir.path();
    let (code, _, err) = run(en()
        .args(["family", "add", "--from-json"])
        .arg(dir.join("no.json")));
    assert_eq!(code, 1);
    assert!(
        err.contains("does not exist") && !err.contains("os error"),
        "{err}"
    );
    let mut form = serde_json::to_value(crate::registry::family(
        "Siti Rahayu",
        crate::registry::SITI,
    ))
    .unwrap();
    form["category"] = "napi".into();
    let full = serde_json::to_string(&form).unwrap();
    for (text, says) in [
        ("{\"category\": ", "its JSON is cut short"),
        ("{ category: 1 }", "it is not valid JSON (line 1, column 3)"),
        ("[1, 2]", "it must hold one JSON object"),
        (
            "{\"category\": \"keluarga_wbp\"}",
            "these fields are missing: ",
        ),
        (
            full.as_str(),
            "the value of the field 'category' is not valid",
        ),
    ] {
        let f = dir.join("keluarga.json");
        std::fs::write(&f, text).unwrap();
        let (code, _, err) = run(en().args(["family", "add", "--from-json"]).arg(&f));
        assert_eq!(code, 1, "{text}");
        assert!(
            err.contains("is not a valid family form") && err.contains(says),
            "{text}: {err}"
        );
        for serde_words in [
            "expected",
            "EOF",
            "at line",
            "unknown variant",
            "invalid type",
        ] {
            assert!(!err.contains(serde_words), "{text}: {err}");
        }
    }
    // A member's error says whose it is, in words, not as a field path.
    let (code, _, err) = run(en().args([
        "family",
        "add",
        "--name",
        "Siti Rahayu",
        "--nik",
        crate::registry::SITI,
        "--wbp-name",
        "Slamet",
        "--member",
        "Dimas;33160105;anak",
    ]));
    assert_eq!(code, 1);
    assert!(err.contains("error: member 2 (Dimas): "), "{err}");
    assert!(!err.contains("member.1"), "{err}");
    // A reader that goes away early (`bansos … | head -1`) ends the listing quietly…
    let unread = |args: &[&str]| {
        let mut child = fx
            .cli()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        child.wait_with_output().unwrap()
    };
    let o = unread(&["--lang", "en", "audit", "list"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    // …but a refused check stays refused with nobody reading its verdict.
    let o = unread(&["receipt", "verify", "bukan-payload"]);
    assert_ne!(o.status.code(), Some(0), "{o:?}");
}

/// A command that changes the database and saves a file tries the destination first: a new
/// signing key is not made for a statement that cannot be saved.
#[test]
fn a_key_is_not_rotated_for_a_statement_that_cannot_be_saved() {
    let (fx, mut app) = Fixture::new();
    let before = app.facility().unwrap().fingerprint;
    drop(app);
    let nowhere = fx
        .dir
        .path()
        .join("tidak-ada")
        .join("x.bansos-key-rotation");
    let (code, _, err) = run(bansos()
        .env("BANSOS_DB", &fx.db)
        .env("BANSOS_USER", crate::common::ADMIN)
        .env("BANSOS_PASSWORD", crate::common::ADMIN_PW)
        .args([
            "facility",
            "rotate-key",
            "--reason",
            "PC lama dicuri kemarin",
            "--out",
        ])
        .arg(&nowhere));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("tidak-ada"), "{err}");
    assert_eq!(
        fx.admin().facility().unwrap().fingerprint,
        before,
        "the key stays"
    );
}

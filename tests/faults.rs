//! Faults: a restore interrupted at every step, two restores in one second, wrong passwords at a
//! restore, interrupted backups, hostile backups, and — inside a private mount namespace
//! (`unshare -m`, the tests run as root) — a full disk and a read-only one.

use crate::common::{new_staff, Fixture, ADMIN, ADMIN_PW};
use bansos::app::App;
use bansos::locale::Lang;
use bansos::staff::Role;
use bansos::{Credentials, ErrorKind};
use std::path::{Path, PathBuf};
use std::process::Command;

fn usernames(app: &mut App) -> Vec<String> {
    app.staff_list()
        .unwrap()
        .into_iter()
        .map(|s| s.username)
        .collect()
}

fn folder_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A facility with "budi" in a backup and "citra" added after it: (fixture, backup file).
fn backed_up() -> (Fixture, PathBuf) {
    let (fx, mut app) = Fixture::new();
    app.add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    let b = app.backup_now().unwrap();
    app.add_staff(&new_staff("citra", Role::Verifikator, "soto-ayam-lamongan"))
        .unwrap();
    drop(app);
    (fx, PathBuf::from(b.path))
}

#[test]
fn a_restore_interrupted_at_any_step_leaves_the_old_or_the_new_database_usable() {
    // Before the journal, the old database stays; from the journal on, the next start finishes
    // the restore.
    let steps = [
        ("checked", false),
        ("recorded", false),
        ("journal", true),
        // The database and its key file are moved aside (a WAL is there only if a session
        // died with the database open; it goes the same way).
        ("aside-0", true),
        ("aside-3", true),
        ("database", true),
        ("keys", true),
        ("journal-removed", true),
    ];
    for (step, restored) in steps {
        let (fx, backup) = backed_up();
        let out = fx
            .cli()
            .args(["restore", backup.to_str().unwrap()])
            .env("BANSOS_TEST_INTERRUPT_RESTORE", step)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(86),
            "{step}: the restore stopped there: {}",
            String::from_utf8_lossy(&out.stderr)
        );

        // What a person sees next: the folder still holds a facility (never an invitation to
        // set one up), and signing in opens the old database or the restored one.
        let status = App::status(&fx.db).unwrap();
        assert!(status.initialized, "{step}: status after the interruption");
        let mut app = fx.admin();
        let names = usernames(&mut app);
        assert!(names.contains(&"budi".to_string()), "{step}: {names:?}");
        assert_eq!(
            names.contains(&"citra".to_string()),
            !restored,
            "{step}: restored = {restored}: {names:?}"
        );
        assert!(app.audit_verify().unwrap().ok, "{step}: audit chain whole");
        // A restore finished by the next program is recorded and holds the bundles, as one
        // finished at once does (no new bundle until the Kanwil says where its chain stands).
        let recorded = app
            .audit_list(None, 5)
            .unwrap()
            .iter()
            .any(|e| e.action == "backup.restore");
        assert_eq!(recorded, restored, "{step}: the restore is in the history");
        assert_eq!(
            app.outbox().unwrap().held_after_restore,
            restored,
            "{step}: bundles held after the restore"
        );
        drop(app);
        let files = folder_names(fx.db.parent().unwrap());
        assert!(
            !files
                .iter()
                .any(|f| f.contains("restore-tmp") || f.contains("journal")),
            "{step}: nothing half-done is left: {files:?}"
        );
        if restored {
            // The replaced database is kept aside and opens with the old key file beside it.
            let aside: Vec<&String> = files
                .iter()
                .filter(|f| f.starts_with("bansos.db.before-restore"))
                .collect();
            assert_eq!(aside.len(), 1, "{step}: {files:?}");
        }
    }
}

#[test]
fn two_restores_in_one_second_keep_both_previous_databases() {
    let (fx, backup) = backed_up();
    let creds = Credentials::new(ADMIN, ADMIN_PW);
    let first = App::restore(&fx.db, &backup, fx.clock.clone(), &creds).unwrap();
    let second = App::restore(&fx.db, &backup, fx.clock.clone(), &creds).unwrap();
    let (a, b) = (
        first.previous_kept_as.unwrap(),
        second.previous_kept_as.unwrap(),
    );
    assert_ne!(
        a, b,
        "the second restore did not overwrite the first's copy"
    );
    assert!(Path::new(&a).exists() && Path::new(&b).exists());
    // The first copy is the database from before any restore: it still holds "citra".
    let keys_a = PathBuf::from(a.replace("bansos.db.before", "bansos.db.keys.before"));
    assert!(keys_a.exists(), "its key file is kept beside it");
}

#[test]
fn wrong_passwords_at_a_restore_count_toward_the_lock_out() {
    let (fx, backup) = backed_up();
    let wrong = Credentials::new(ADMIN, "bukan-kata-sandinya");
    for i in 1..=4 {
        let e = App::restore(&fx.db, &backup, fx.clock.clone(), &wrong)
            .err()
            .unwrap();
        assert_eq!(e.kind, ErrorKind::WrongCredentials, "attempt {i}");
    }
    let e = App::restore(&fx.db, &backup, fx.clock.clone(), &wrong)
        .err()
        .unwrap();
    assert_eq!(e.kind, ErrorKind::AccountLocked, "the fifth locks");
    // Locked now for sign-in and for restoring, even with the right password.
    let right = Credentials::new(ADMIN, ADMIN_PW);
    assert_eq!(
        App::restore(&fx.db, &backup, fx.clock.clone(), &right)
            .err()
            .unwrap()
            .kind,
        ErrorKind::AccountLocked
    );
    assert_eq!(
        fx.sign_in(ADMIN, ADMIN_PW).err().unwrap().kind,
        ErrorKind::AccountLocked
    );
    fx.clock.advance(chrono::Duration::minutes(16));
    let mut app = fx.admin();
    assert!(
        usernames(&mut app).contains(&"citra".to_string()),
        "nothing was restored"
    );
}

#[test]
fn an_interrupted_backup_leaves_nothing_the_next_one_does_not_remove() {
    let (fx, mut app) = Fixture::new();
    let dir = bansos::backup::dir_for(&fx.db);
    app.backup_now().unwrap();
    // What a backup killed midway leaves: its part file and its database copy.
    std::fs::write(
        dir.join(".bansos-bansos-20241116T030000Z-manual.bansos-backup.part"),
        b"PK",
    )
    .unwrap();
    std::fs::write(
        dir.join(".bansos-bansos-20241116T030000Z-manual.bansos-backup.db"),
        b"x",
    )
    .unwrap();
    fx.clock.advance(chrono::Duration::seconds(1));
    app.backup_now().unwrap();
    let files = folder_names(&dir);
    assert!(
        files
            .iter()
            .all(|f| f == ".lock" || (f.starts_with("bansos-") && f.ends_with(".bansos-backup"))),
        "only whole backups remain: {files:?}"
    );
    let manual = |app: &mut App| {
        app.backups()
            .unwrap()
            .iter()
            .filter(|b| b.kind == bansos::app::BackupKind::Manual)
            .count()
    };
    assert_eq!(manual(&mut app), 2);

    // And killed for real at different points: never a backup that does not restore.
    for delay_ms in [5u64, 20, 40, 80] {
        let mut child = fx
            .cli()
            .arg("backup")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }
    fx.clock.advance(chrono::Duration::seconds(1));
    app.backup_now().unwrap();
    let files = folder_names(&dir);
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with(".part") || f.ends_with(".db")),
        "no debris after the next backup: {files:?}"
    );
    drop(app);
    for b in bansos::backup::list(&dir) {
        let scratch = tempfile::tempdir().unwrap();
        let db = scratch.path().join("bansos.db");
        App::restore(
            &db,
            Path::new(&b.path),
            fx.clock.clone(),
            &Credentials::new(ADMIN, ADMIN_PW),
        )
        .unwrap_or_else(|e| panic!("{} does not restore: {}", b.file_name, e.message(Lang::En)));
    }
}

#[test]
fn hostile_backups_are_refused_before_anything_is_written() {
    let (fx, app) = Fixture::new();
    drop(app);
    let before = crate::common::file_bytes(&fx.db);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile");
    for (file, says) in [
        (
            "backup-zip-bomb.bansos-backup",
            "bagian bansos.db dipadatkan atau lebih besar dari berkasnya",
        ),
        (
            "backup-too-many-parts.bansos-backup",
            "berisi 12 bagian (cadangan Bansos berisi 3)",
        ),
        (
            "backup-not-a-zip.bansos-backup",
            "bukan berkas cadangan Bansos",
        ),
    ] {
        let e = App::restore(
            &fx.db,
            &dir.join(file),
            fx.clock.clone(),
            &Credentials::new(ADMIN, ADMIN_PW),
        )
        .err()
        .unwrap();
        assert_eq!(e.kind, ErrorKind::BackupInvalid, "{file}");
        assert!(
            e.message(Lang::Id).contains(says),
            "{file}: {}",
            e.message(Lang::Id)
        );
        assert!(e.message(Lang::Id).contains("Tidak ada yang diubah"));
        assert_eq!(
            crate::common::file_bytes(&fx.db),
            before,
            "{file}: untouched"
        );
        let files = folder_names(fx.db.parent().unwrap());
        assert!(
            !files.iter().any(|f| f.contains("restore")),
            "{file}: nothing staged is left: {files:?}"
        );
    }
}

// ---- Inside a private mount namespace --------------------------------------------------------

/// Runs the test `name` of this binary again, alone, inside a new mount namespace with a tmpfs
/// of `size` at a fresh folder (passed as BANSOS_FAULT_DIR), and checks it passed there. The
/// test, seeing BANSOS_FAULT_DIR, then runs its body instead of coming here again. The tests run
/// as root (README); where a private mount is not permitted this fails, saying so, rather than
/// passing without having checked anything.
fn in_private_tmpfs(name: &str, size: &str) {
    let probe = Command::new("unshare").args(["-m", "true"]).output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "{name}: `unshare -m` is not permitted here (the fault tests need root)"
    );
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let script = format!(
        "mount -t tmpfs -o size={size},mode=700 tmpfs \"$BANSOS_FAULT_DIR\" && exec \"$0\" --exact --nocapture --test-threads=1 {name}"
    );
    let out = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", &script])
        .arg(&exe)
        .env("BANSOS_FAULT_DIR", dir.path())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{name} failed:\n{text}");
    assert!(text.contains("1 passed"), "{name} did not run:\n{text}");
}

/// True inside the private tmpfs (the re-run of a fault test).
fn inside_tmpfs() -> bool {
    std::env::var_os("BANSOS_FAULT_DIR").is_some()
}

fn fault_dir() -> PathBuf {
    PathBuf::from(std::env::var("BANSOS_FAULT_DIR").expect("run by its outer test"))
}

/// Fills the disk holding `dir` to the last byte; returns the filler to remove later.
fn fill_disk(dir: &Path) -> PathBuf {
    use std::io::Write;
    let p = dir.join("filler");
    let mut f = std::fs::File::create(&p).unwrap();
    for chunk in [1 << 20, 4096, 1] {
        let buf = vec![0u8; chunk];
        while f.write_all(&buf).is_ok() {}
    }
    let _ = f.sync_all();
    p
}

/// A facility set up in `dir`, as the fixture sets one up elsewhere.
fn fixture_in(dir: &Path) -> (PathBuf, std::sync::Arc<bansos::clock::FixedClock>, App) {
    use chrono::TimeZone;
    let db = dir.join("data").join("bansos.db");
    let clock = std::sync::Arc::new(bansos::clock::FixedClock::new(
        chrono::Utc.with_ymd_and_hms(2024, 11, 16, 3, 0, 0).unwrap(),
    ));
    let app = App::init(
        &db,
        clock.clone(),
        &crate::common::setup(),
        &new_staff(ADMIN, Role::Admin, ADMIN_PW),
    )
    .unwrap();
    (db, clock, app)
}

fn cli(db: &Path, lang: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bansos"))
        .args(args)
        .env("BANSOS_DB", db)
        .env("BANSOS_USER", ADMIN)
        .env("BANSOS_PASSWORD", ADMIN_PW)
        .env("BANSOS_NEW_PASSWORD", "sandi-staf-baru-1")
        .env("BANSOS_LANG", lang)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn a_full_disk_is_said_as_full_reads_still_work_and_nothing_confirmed_is_lost() {
    if inside_tmpfs() {
        full_disk();
    } else {
        in_private_tmpfs(
            "faults::a_full_disk_is_said_as_full_reads_still_work_and_nothing_confirmed_is_lost",
            "24m",
        );
    }
}

/// The full-disk test's body, in its private tmpfs.
fn full_disk() {
    let dir = fault_dir();
    let (db, clock, mut app) = fixture_in(&dir);
    app.add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    let good_backup = PathBuf::from(app.backup_now().unwrap().path);
    let filler = fill_disk(&dir);

    // A change on a full disk: said as the disk being full, and nothing changes.
    let e = app
        .add_staff(&new_staff("citra", Role::Verifikator, "soto-ayam-lamongan"))
        .err()
        .expect("nothing can be saved on a full disk");
    assert_eq!(e.kind, ErrorKind::DiskFull, "{}", e.message(Lang::En));
    assert!(
        e.message(Lang::Id).starts_with("Disk penuh"),
        "{}",
        e.message(Lang::Id)
    );
    // Reads still work, in this session and in a new one beside it.
    assert_eq!(usernames(&mut app), vec!["admin", "budi"]);
    let mut other = App::open(&db, clock.clone(), &Credentials::new(ADMIN, ADMIN_PW))
        .unwrap_or_else(|e| panic!("a second session opens to read: {}", e.message(Lang::En)));
    assert_eq!(usernames(&mut other).len(), 2);
    // The command line beside them says the same, in both languages.
    let (code, text) = cli(&db, "id", &["staff", "list"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("budi"), "{text}");
    let (code, text) = cli(
        &db,
        "id",
        &[
            "staff",
            "add",
            "--username",
            "dewi",
            "--name",
            "Dewi Lestari",
            "--role",
            "petugas",
        ],
    );
    assert_eq!(code, 1);
    assert!(text.contains("Disk penuh"), "{text}");
    let (_, text) = cli(
        &db,
        "en",
        &[
            "staff",
            "add",
            "--username",
            "dewi",
            "--name",
            "Dewi Lestari",
            "--role",
            "petugas",
        ],
    );
    assert!(text.contains("The disk is full"), "{text}");
    // A backup on a full disk says so and leaves no half-written file.
    let e = app.backup_now().err().expect("no room for a backup");
    assert_eq!(e.kind, ErrorKind::DiskFull, "{}", e.message(Lang::En));
    let backups = folder_names(&bansos::backup::dir_for(&db));
    assert!(
        backups
            .iter()
            .all(|f| f == ".lock" || f.ends_with(".bansos-backup")),
        "{backups:?}"
    );
    drop(other);
    drop(app);

    // Every session closed: opening again is said as the disk being full, never as damage.
    match App::open(&db, clock.clone(), &Credentials::new(ADMIN, ADMIN_PW)) {
        Ok(mut a) => assert_eq!(usernames(&mut a).len(), 2),
        Err(e) => assert_eq!(e.kind, ErrorKind::DiskFull, "{}", e.message(Lang::En)),
    }
    let (_, text) = cli(&db, "id", &["staff", "list"]);
    assert!(
        !text.contains("rusak") && !text.contains("Kesalahan program"),
        "{text}"
    );
    // A good backup restored onto a full disk is not called damaged.
    let e = App::restore(
        &db,
        &good_backup,
        clock.clone(),
        &Credentials::new(ADMIN, ADMIN_PW),
    )
    .err()
    .expect("no room to unpack the backup");
    assert_eq!(e.kind, ErrorKind::DiskFull, "{}", e.message(Lang::En));
    let data = folder_names(db.parent().unwrap());
    assert!(
        !data.iter().any(|f| f.contains("restore")),
        "nothing staged is left: {data:?}"
    );

    // Room again: everything confirmed is there, and work goes on.
    std::fs::remove_file(filler).unwrap();
    let mut app = App::open(&db, clock, &Credentials::new(ADMIN, ADMIN_PW)).unwrap();
    assert_eq!(usernames(&mut app), vec!["admin", "budi"]);
    app.add_staff(&new_staff("citra", Role::Verifikator, "soto-ayam-lamongan"))
        .unwrap();
    assert!(app.audit_verify().unwrap().ok);
    app.backup_now().unwrap();
}

#[test]
fn a_read_only_disk_is_said_as_read_only_not_as_damage() {
    if inside_tmpfs() {
        read_only_disk();
    } else {
        in_private_tmpfs(
            "faults::a_read_only_disk_is_said_as_read_only_not_as_damage",
            "24m",
        );
    }
}

/// The read-only test's body, in its private tmpfs.
fn read_only_disk() {
    let dir = fault_dir();
    let (db, clock, app) = fixture_in(&dir);
    drop(app);
    let status = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success(), "remounted read-only");
    let e = App::open(&db, clock, &Credentials::new(ADMIN, ADMIN_PW))
        .err()
        .expect("nothing opens to work on a read-only disk");
    assert_ne!(e.kind, ErrorKind::Corrupt, "{}", e.message(Lang::En));
    assert!(
        e.message(Lang::Id).contains("hanya dapat dibaca"),
        "{}",
        e.message(Lang::Id)
    );
    let (code, text) = cli(&db, "en", &["staff", "list"]);
    assert_eq!(code, 1);
    assert!(text.contains("can only be read"), "{text}");
    assert!(
        !text.contains("is damaged or") && !text.contains("os error"),
        "{text}"
    );
}

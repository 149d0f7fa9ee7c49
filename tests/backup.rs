//! Backups and restores: automatic and manual, and restores that check everything first.

use crate::common::{file_bytes, new_staff, Fixture, ADMIN, ADMIN_PW};
use bansos::app::{App, BackupKind};
use bansos::staff::Role;
use bansos::{Credentials, ErrorKind};
use chrono::Duration;

fn usernames(app: &mut App) -> Vec<String> {
    app.staff_list()
        .unwrap()
        .into_iter()
        .map(|s| s.username)
        .collect()
}

/// How many daily backups lie beside the fixture's database.
fn daily_backups(fx: &Fixture) -> usize {
    bansos::backup::list(&bansos::backup::dir_for(&fx.db))
        .into_iter()
        .filter(|b| b.kind == BackupKind::Daily)
        .count()
}

#[test]
fn a_restore_brings_back_the_backup_and_keeps_the_replaced_database() {
    let (fx, mut app) = Fixture::new();
    app.add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    let b = app.backup_now().unwrap();
    assert_eq!(b.kind, BackupKind::Manual);
    app.add_staff(&new_staff("citra", Role::Verifikator, "soto-ayam-lamongan"))
        .unwrap();
    drop(app);

    let r = App::restore(
        &fx.db,
        std::path::Path::new(&b.path),
        fx.clock.clone(),
        &Credentials::new(ADMIN, ADMIN_PW),
    )
    .unwrap();
    let kept = r.previous_kept_as.expect("the replaced database is kept");
    assert!(std::path::Path::new(&kept).exists());

    let mut app = fx.admin();
    let names = usernames(&mut app);
    assert!(
        names.contains(&"budi".to_string()),
        "what was in the backup is back"
    );
    assert!(
        !names.contains(&"citra".to_string()),
        "what came after the backup is not"
    );
    let report = app.audit_verify().unwrap();
    assert!(
        report.ok,
        "the restored audit chain is whole: {:?}",
        report.problems
    );
    let log = app.audit_list(None, 5).unwrap();
    assert!(
        log.iter().any(|e| e.action == "backup.restore"),
        "the restore is in the restored history"
    );
}

fn damaged_restore_changes_nothing(
    fx: &Fixture,
    backup: &std::path::Path,
    creds: Credentials,
    expect: ErrorKind,
) {
    let before = file_bytes(&fx.db);
    let err = App::restore(&fx.db, backup, fx.clock.clone(), &creds)
        .err()
        .expect("the restore must be refused");
    assert_eq!(
        err.kind,
        expect,
        "{}",
        err.message(bansos::locale::Lang::En)
    );
    assert!(
        err.message(bansos::locale::Lang::Id)
            .contains("Tidak ada yang diubah")
            || expect != ErrorKind::BackupInvalid
    );
    assert_eq!(
        file_bytes(&fx.db),
        before,
        "the current database is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(fx.db.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("before-restore") || n.contains("restore-tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "nothing is moved aside or left behind: {leftovers:?}"
    );
}

/// The backup `bytes` written to `out` (stored, as Bansos writes its backups) with its two JSON
/// parts changed by `change(part name, value)`; the manifest's hash of the key file follows it.
fn repacked(bytes: &[u8], out: &std::path::Path, change: impl Fn(&str, &mut serde_json::Value)) {
    use sha2::Digest;
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = (0..zin.len())
        .map(|i| {
            let mut e = zin.by_index(i).unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (e.name().unwrap().into_owned(), data)
        })
        .collect();
    let keys = parts
        .iter_mut()
        .find(|(n, _)| n == "bansos.db.keys")
        .unwrap();
    let mut k: serde_json::Value = serde_json::from_slice(&keys.1).unwrap();
    change("bansos.db.keys", &mut k);
    keys.1 = serde_json::to_vec(&k).unwrap();
    let keys_sha = hex::encode(sha2::Sha256::digest(&keys.1));
    let manifest = parts
        .iter_mut()
        .find(|(n, _)| n == "manifest.json")
        .unwrap();
    let mut m: serde_json::Value = serde_json::from_slice(&manifest.1).unwrap();
    m["keys_sha256"] = serde_json::json!(keys_sha);
    change("manifest.json", &mut m);
    manifest.1 = serde_json::to_vec(&m).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    for (name, data) in parts {
        zout.start_file(name, opts).unwrap();
        zout.write_all(&data).unwrap();
    }
    zout.finish().unwrap();
}

#[test]
fn a_damaged_backup_is_refused_before_anything_changes() {
    let (fx, mut app) = Fixture::new();
    app.add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    let good = app.backup_now().unwrap();
    drop(app);
    let good_bytes = std::fs::read(&good.path).unwrap();
    let dir = fx.dir.path();

    // Cut short.
    let truncated = dir.join("terpotong.bansos-backup");
    std::fs::write(&truncated, &good_bytes[..good_bytes.len() / 2]).unwrap();
    damaged_restore_changes_nothing(
        &fx,
        &truncated,
        Credentials::new(ADMIN, ADMIN_PW),
        ErrorKind::BackupInvalid,
    );

    // One byte of the database inside changed (the zip stores it uncompressed, near the end).
    let flipped = dir.join("diubah.bansos-backup");
    let mut b = good_bytes.clone();
    let at = b.len() - 3000;
    b[at] ^= 0xFF;
    std::fs::write(&flipped, &b).unwrap();
    damaged_restore_changes_nothing(
        &fx,
        &flipped,
        Credentials::new(ADMIN, ADMIN_PW),
        ErrorKind::BackupInvalid,
    );

    // Not a backup at all.
    let text = dir.join("catatan.bansos-backup");
    std::fs::write(&text, "bukan cadangan").unwrap();
    damaged_restore_changes_nothing(
        &fx,
        &text,
        Credentials::new(ADMIN, ADMIN_PW),
        ErrorKind::BackupInvalid,
    );

    // A manifest that says what Bansos never writes: no hash covers it, and what it says is
    // shown and written into the restored history, so it is refused before anything moves.
    for (name, field, value) in [
        (
            "waktu",
            "created_at",
            serde_json::json!("x".repeat(250_000)),
        ),
        ("waktu2", "created_at", serde_json::json!("kemarin sore")),
        (
            "label",
            "facility_label",
            serde_json::json!("Rutan\u{1b}[31m"),
        ),
        ("sidik", "db_sha256", serde_json::json!("zz")),
    ] {
        let out = dir.join(format!("{name}.bansos-backup"));
        repacked(&good_bytes, &out, |part, m| {
            if part == "manifest.json" {
                m[field] = value.clone()
            }
        });
        damaged_restore_changes_nothing(
            &fx,
            &out,
            Credentials::new(ADMIN, ADMIN_PW),
            ErrorKind::BackupInvalid,
        );
    }

    // The admin's entry in the backup's key file with what Argon2 refuses (the manifest's hash
    // made to match): the backup is damaged, said without the library's words.
    for (name, field, value) in [
        ("garam", "salt", serde_json::json!("")),
        ("memori", "m_kib", serde_json::json!(0)),
        ("putaran", "t", serde_json::json!(0)),
    ] {
        let out = dir.join(format!("{name}.bansos-backup"));
        repacked(&good_bytes, &out, |part, k| {
            if part == "bansos.db.keys" {
                k["accounts"][ADMIN][field] = value.clone()
            }
        });
        damaged_restore_changes_nothing(
            &fx,
            &out,
            Credentials::new(ADMIN, ADMIN_PW),
            ErrorKind::BackupInvalid,
        );
    }

    // A good backup with a wrong password, and with a non-admin account.
    damaged_restore_changes_nothing(
        &fx,
        std::path::Path::new(&good.path),
        Credentials::new(ADMIN, "salah-sekali-ini"),
        ErrorKind::WrongCredentials,
    );
    damaged_restore_changes_nothing(
        &fx,
        std::path::Path::new(&good.path),
        Credentials::new("budi", "nasi-goreng-pedas"),
        ErrorKind::Forbidden,
    );
}

#[test]
fn a_daily_backup_is_taken_once_a_day_and_old_ones_rotate() {
    let (fx, app) = Fixture::new();
    drop(app);
    assert_eq!(daily_backups(&fx), 1, "setup takes the first daily backup");
    fx.clock.advance(Duration::hours(3));
    drop(fx.admin());
    assert_eq!(daily_backups(&fx), 1, "not again on the same day");
    for _ in 0..9 {
        fx.clock.advance(Duration::hours(25));
        drop(fx.admin());
    }
    assert_eq!(daily_backups(&fx), 7, "seven daily backups are kept");
}

/// One sign-in while the PC's clock was years ahead leaves a daily backup dated then; once the
/// clock is put right, the daily backups go on (they stopped until that date).
#[test]
fn a_backup_dated_ahead_of_the_clock_does_not_stop_the_daily_ones() {
    let (fx, app) = Fixture::new();
    drop(app);
    let today = bansos::clock::Clock::now(fx.clock.as_ref());
    fx.clock.advance(Duration::days(365 * 26));
    drop(fx.admin());
    assert_eq!(daily_backups(&fx), 2, "one dated 26 years ahead");
    fx.clock.set(today + Duration::hours(25));
    drop(fx.admin());
    assert_eq!(daily_backups(&fx), 3, "the next day's is taken");
    fx.clock.advance(Duration::hours(2));
    drop(fx.admin());
    assert_eq!(daily_backups(&fx), 3, "and only once that day");
}

/// The window signs in without waiting for the daily backup (20 s at the ten-year data set's
/// 1.2 GB): it is handed back as a job, run on another thread with its own connection while the
/// session works, and holds the store against a restore until it is done.
#[test]
fn the_windows_sign_in_hands_the_daily_backup_to_another_thread() {
    let (fx, app) = Fixture::new();
    drop(app);
    assert_eq!(daily_backups(&fx), 1);
    fx.clock.advance(Duration::hours(25));
    let creds = Credentials::new(ADMIN, ADMIN_PW);
    let (app, job) = App::open_deferring_backup(&fx.db, fx.clock.clone(), &creds).unwrap();
    let job = job.expect("a day has passed: the daily backup is due");
    assert_eq!(daily_backups(&fx), 1, "not taken by the sign-in itself");
    // A restore waits for the job as it waits for a session (the session is closed first).
    drop(app);
    let b = bansos::backup::list(&bansos::backup::dir_for(&fx.db))
        .into_iter()
        .next()
        .unwrap();
    let err = App::restore(
        &fx.db,
        std::path::Path::new(&b.path),
        fx.clock.clone(),
        &creds,
    )
    .err()
    .expect("the backup job holds the store");
    assert_eq!(err.kind, ErrorKind::Conflict);
    // The session writes while the job copies on its own thread.
    let (mut app2, again) = App::open_deferring_backup(&fx.db, fx.clock.clone(), &creds).unwrap();
    assert!(again.is_some(), "still due until the job has made it");
    drop(again);
    let t = std::thread::spawn(move || job.run());
    app2.add_staff(&new_staff("sari", Role::Petugas, "sayur-asem-segar"))
        .unwrap();
    let info = t.join().unwrap().unwrap();
    assert_eq!(info.kind, BackupKind::Daily);
    assert_eq!(daily_backups(&fx), 2);
    assert!(usernames(&mut app2).contains(&"sari".to_string()));
    drop(app2);
    let (_app, none) = App::open_deferring_backup(&fx.db, fx.clock.clone(), &creds).unwrap();
    assert!(none.is_none(), "taken today: not due again");
}

#[test]
fn a_manual_backup_can_go_to_another_folder() {
    let (fx, mut app) = Fixture::new();
    let usb = fx.dir.path().join("flashdisk");
    let b = app.backup_to(&usb).unwrap();
    assert!(b.path.starts_with(&usb.display().to_string()));
    assert!(std::path::Path::new(&b.path).metadata().unwrap().len() > 1000);
}

/// A copy that cannot be written into the audit log (here: another session holds the write
/// lock past the wait; or the account was deactivated while the copy was made) does not stay on
/// the stick: no backup leaves without its line in the log.
#[test]
fn a_manual_backup_that_cannot_be_logged_is_not_left_behind() {
    let (fx, mut app) = Fixture::new();
    let usb = fx.dir.path().join("flashdisk");
    let lock = fx.raw();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let e = app.backup_to(&usb).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Busy, "{e:?}");
    lock.execute_batch("COMMIT").unwrap();
    // (Only the folder's lock file, which holds nothing, is left.)
    let left: Vec<_> = std::fs::read_dir(&usb)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name())
                .filter(|n| n != ".lock")
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    assert!(!app
        .audit_list(None, 20)
        .unwrap()
        .iter()
        .any(|a| a.action == "backup.create"));
    // Free again: the copy is made and logged.
    let b = app.backup_to(&usb).unwrap();
    assert!(std::path::Path::new(&b.path).exists());
}

#[test]
fn a_restore_is_refused_while_someone_is_signed_in() {
    let (fx, mut app) = Fixture::new();
    let b = app.backup_now().unwrap();
    let before = file_bytes(&fx.db);
    let err = App::restore(
        &fx.db,
        std::path::Path::new(&b.path),
        fx.clock.clone(),
        &Credentials::new(ADMIN, ADMIN_PW),
    )
    .err()
    .expect("the open session blocks the restore");
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(err
        .message(bansos::locale::Lang::Id)
        .contains("masih terbuka"));
    assert_eq!(
        file_bytes(&fx.db),
        before,
        "nothing was swapped under the open session"
    );
    assert!(app.facility().is_ok(), "the session goes on working");
    drop(app);
    assert!(App::restore(
        &fx.db,
        std::path::Path::new(&b.path),
        fx.clock.clone(),
        &Credentials::new(ADMIN, ADMIN_PW)
    )
    .is_ok());
}

/// A key file damaged on disk (a bad sector, a half-written copy): the window still asks for a
/// sign-in, whose refusal names the damage and the restore; and the restore, the only way back,
/// is not refused for the very damage it repairs. The damaged file is kept beside.
#[test]
fn a_damaged_key_file_is_mended_by_a_restore() {
    let (fx, mut app) = Fixture::new();
    let b = app.backup_now().unwrap();
    drop(app);
    let keys = bansos::keyring::path_for(&fx.db);
    std::fs::write(&keys, b"{\"format\": \"bansos-keys\", rusak").unwrap();

    let status = App::status(&fx.db).unwrap();
    assert!(
        status.initialized,
        "never the first-run setup over the data"
    );
    let e = App::open(&fx.db, fx.clock.clone(), &Credentials::new(ADMIN, ADMIN_PW))
        .err()
        .unwrap();
    assert_eq!(e.kind, ErrorKind::Corrupt, "{e:?}");
    assert!(
        e.message(bansos::locale::Lang::Id)
            .contains("bansos restore"),
        "{e:?}"
    );

    // A wrong password is still wrong, and changes nothing.
    let e = App::restore(
        &fx.db,
        std::path::Path::new(&b.path),
        fx.clock.clone(),
        &Credentials::new(ADMIN, "bukan-sandinya-2024"),
    )
    .err()
    .unwrap();
    assert_eq!(e.kind, ErrorKind::WrongCredentials, "{e:?}");
    let r = App::restore(
        &fx.db,
        std::path::Path::new(&b.path),
        fx.clock.clone(),
        &Credentials::new(ADMIN, ADMIN_PW),
    )
    .unwrap();
    assert!(r.previous_kept_as.is_some());
    let mut app = fx.admin();
    assert!(usernames(&mut app).contains(&ADMIN.to_string()));
    let aside = std::fs::read_dir(fx.db.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.contains(".keys")
                && n.contains("before-restore")
                && std::fs::read(e.path()).unwrap().ends_with(b"rusak")
        });
    assert!(aside, "the damaged key file is kept");
}

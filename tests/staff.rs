//! Staff accounts: roles, lock-out, idle sign-out, deactivation, passwords.

use crate::common::{new_staff, Fixture, ADMIN, ADMIN_PW};
use bansos::staff::Role;
use bansos::ErrorKind;
use chrono::Duration;

#[test]
fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let (fx, mut app) = Fixture::new();
    app.add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    for i in 1..=4 {
        let e = fx.sign_in("budi", "salah").err().unwrap();
        assert_eq!(e.kind, ErrorKind::WrongCredentials, "attempt {i}");
    }
    let e = fx.sign_in("budi", "salah").err().unwrap();
    assert_eq!(e.kind, ErrorKind::AccountLocked, "the fifth failure locks");
    let e = fx.sign_in("budi", "nasi-goreng-pedas").err().unwrap();
    assert_eq!(
        e.kind,
        ErrorKind::AccountLocked,
        "even the right password waits while locked"
    );
    assert!(app
        .staff_list()
        .unwrap()
        .iter()
        .any(|s| s.username == "budi" && s.locked_until.is_some()));
    fx.clock.advance(Duration::minutes(16));
    let mut budi = fx
        .sign_in("budi", "nasi-goreng-pedas")
        .expect("the lock ends by itself");
    assert_eq!(
        budi.session_info().unwrap().failed_attempts_since_last,
        5,
        "the owner is told of the attempts"
    );
}

#[test]
fn an_admin_can_unlock_a_locked_account() {
    let (fx, mut app) = Fixture::new();
    let budi = app
        .add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    for _ in 0..5 {
        let _ = fx.sign_in("budi", "salah");
    }
    assert_eq!(
        fx.sign_in("budi", "nasi-goreng-pedas").err().unwrap().kind,
        ErrorKind::AccountLocked
    );
    app.unlock_staff(budi.id).unwrap();
    assert!(fx.sign_in("budi", "nasi-goreng-pedas").is_ok());
    assert!(app
        .audit_list(None, 10)
        .unwrap()
        .iter()
        .any(|e| e.action == "staff.unlock"));
}

#[test]
fn failed_sign_ins_are_audited_at_the_next_successful_one() {
    let (fx, app) = Fixture::new();
    drop(app);
    let _ = fx.sign_in(ADMIN, "salah-1");
    let _ = fx.sign_in(ADMIN, "salah-2");
    let mut app = fx.admin();
    let e = &app.audit_list(None, 1).unwrap()[0];
    assert_eq!(e.action, "auth.sign_in");
    assert!(e
        .new
        .as_deref()
        .unwrap_or("")
        .contains("\"failed_attempts_before\":2"));
}

#[test]
fn an_idle_session_is_signed_out() {
    let (fx, mut app) = Fixture::new();
    fx.clock.advance(Duration::minutes(14));
    assert!(
        app.facility().is_ok(),
        "14 minutes idle is within the 15-minute default"
    );
    fx.clock.advance(Duration::minutes(16));
    let e = app
        .facility()
        .err()
        .expect("16 minutes idle ends the session");
    assert_eq!(e.kind, ErrorKind::SessionExpired);
    assert!(app.is_idle_expired());
}

#[test]
fn a_petugas_may_not_manage_staff_or_read_the_audit_log() {
    let (fx, mut app) = Fixture::new();
    app.add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    let mut budi = fx.sign_in("budi", "nasi-goreng-pedas").unwrap();
    assert_eq!(budi.staff_list().err().unwrap().kind, ErrorKind::Forbidden);
    assert_eq!(
        budi.audit_verify().err().unwrap().kind,
        ErrorKind::Forbidden
    );
    assert_eq!(budi.backup_now().err().unwrap().kind, ErrorKind::Forbidden);
    assert!(
        budi.facility().is_ok(),
        "everyone may read the facility profile"
    );
}

#[test]
fn a_verifikator_may_check_the_audit_chain() {
    let (fx, mut app) = Fixture::new();
    app.add_staff(&new_staff("anang", Role::Verifikator, "kasubsi-pelayanan"))
        .unwrap();
    let mut anang = fx.sign_in("anang", "kasubsi-pelayanan").unwrap();
    assert!(anang.audit_verify().unwrap().ok);
}

#[test]
fn a_deactivated_account_cannot_sign_in_and_its_password_no_longer_opens_the_data() {
    let (fx, mut app) = Fixture::new();
    let budi = app
        .add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    let e = app
        .set_staff_active(budi.id, false, "", None)
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, e.field.as_deref()),
        (ErrorKind::Invalid, Some("reason")),
        "a reason is required"
    );
    app.set_staff_active(budi.id, false, "pindah tugas ke Lapas Semarang", None)
        .unwrap();
    assert!(fx.sign_in("budi", "nasi-goreng-pedas").is_err());
    let ring = bansos::keyring::Keyring::load(&bansos::keyring::path_for(&fx.db))
        .unwrap()
        .unwrap();
    assert!(
        !ring.accounts.contains_key("budi"),
        "no wrapped key is left for a deactivated account"
    );
    // Activating again needs a new password.
    assert_eq!(
        app.set_staff_active(budi.id, true, "", None)
            .err()
            .unwrap()
            .kind,
        ErrorKind::Invalid
    );
    app.set_staff_active(budi.id, true, "", Some("kembali-bertugas-1"))
        .unwrap();
    assert!(fx.sign_in("budi", "kembali-bertugas-1").is_ok());
}

#[test]
fn the_last_admin_cannot_be_removed_or_demoted() {
    let (_fx, mut app) = Fixture::new();
    let me = app.me().clone();
    assert_eq!(
        app.set_staff_role(me.id, Role::Petugas).err().unwrap().kind,
        ErrorKind::Conflict
    );
    assert_eq!(
        app.set_staff_active(me.id, false, "keluar", None)
            .err()
            .unwrap()
            .kind,
        ErrorKind::Conflict
    );
}

#[test]
fn a_changed_password_replaces_the_old_one() {
    let (fx, mut app) = Fixture::new();
    let e = app
        .change_password("salah", "teh-poci-tegal-99")
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("old"));
    let e = app.change_password(ADMIN_PW, "pendek").err().unwrap();
    assert_eq!(e.field.as_deref(), Some("new"));
    // A pasted page is not a password: refused by its length, not hashed whole.
    let e = app
        .change_password(ADMIN_PW, &"teh-poci ".repeat(40))
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("new"));
    assert!(e.message(bansos::locale::Lang::En).contains("at most 256"));
    app.change_password(ADMIN_PW, "teh-poci-tegal-99").unwrap();
    drop(app);
    let e = fx.sign_in(ADMIN, &"x".repeat(5_000_000)).err().unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::WrongCredentials);
    assert!(fx.sign_in(ADMIN, ADMIN_PW).is_err());
    assert!(fx.sign_in(ADMIN, "teh-poci-tegal-99").is_ok());
}

#[test]
fn a_taken_user_name_is_refused_and_named() {
    let (_fx, mut app) = Fixture::new();
    let e = app
        .add_staff(&new_staff("ADMIN", Role::Petugas, "nasi-goreng-pedas"))
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, e.field.as_deref()),
        (ErrorKind::Conflict, Some("username"))
    );
    let e = app
        .add_staff(&new_staff("x", Role::Petugas, "nasi-goreng-pedas"))
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, e.field.as_deref()),
        (ErrorKind::Invalid, Some("username"))
    );
    let e = app
        .add_staff(&bansos::staff::NewStaff {
            nip: "12345".into(),
            ..new_staff("dewi", Role::Petugas, "nasi-goreng-pedas")
        })
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("nip"));
}

/// An open session follows what an admin does to its account: demoted, it may no longer do what
/// the old role allowed; deactivated, its next call ends the session.
#[test]
fn an_open_session_follows_its_accounts_role_and_deactivation() {
    let (fx, mut admin) = Fixture::new();
    let v = admin
        .add_staff(&new_staff("sri", Role::Verifikator, "sayur-lodeh-enak"))
        .unwrap();
    let mut sri = fx.sign_in("sri", "sayur-lodeh-enak").unwrap();
    assert!(
        sri.audit_verify().unwrap().ok,
        "a verifikator checks the chain"
    );
    admin.set_staff_role(v.id, Role::Petugas).unwrap();
    assert_eq!(
        sri.audit_verify().err().unwrap().kind,
        ErrorKind::Forbidden,
        "demoted while signed in"
    );
    admin
        .set_staff_active(v.id, false, "pindah tugas", None)
        .unwrap();
    let ended = sri.overview().err().unwrap();
    assert_eq!(ended.kind, ErrorKind::SessionExpired);
    assert!(
        ended
            .message(bansos::locale::Lang::Id)
            .contains("dinonaktifkan"),
        "{ended:?}"
    );
}

/// A password reset is refused for an account deactivated meanwhile, so it never gives the
/// account's key back (the reset reads the account again inside its transaction).
#[test]
fn a_reset_never_gives_a_deactivated_account_its_key_back() {
    let (fx, mut admin) = Fixture::new();
    let s = admin
        .add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    admin.set_staff_active(s.id, false, "keluar", None).unwrap();
    let err = admin
        .reset_password(s.id, "sandi-baru-yang-panjang")
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(fx.sign_in("budi", "sandi-baru-yang-panjang").is_err());
    let ring = bansos::keyring::Keyring::load(&bansos::keyring::path_for(&fx.db))
        .unwrap()
        .unwrap();
    assert!(!ring.accounts.contains_key("budi"), "no key for budi");
}

/// The person acting is read again inside the transaction that writes: an admin deactivated by
/// another admin while her own use case was under way (its check passed, the other's change not
/// yet committed) saves nothing — she cannot reset the other admin's password in that moment.
#[test]
fn an_admin_deactivated_while_her_change_waits_saves_nothing() {
    let (fx, mut admin) = Fixture::new();
    let rina = admin
        .add_staff(&new_staff("rina", Role::Admin, "teh-manis-hangat-9"))
        .unwrap();
    let me = admin.me().id;
    drop(admin);
    let mut rina_app = fx.sign_in("rina", "teh-manis-hangat-9").unwrap();
    // The first admin's change: written, not yet committed.
    let raw = fx.raw();
    raw.execute_batch("BEGIN IMMEDIATE").unwrap();
    raw.execute("UPDATE staff SET active = 0 WHERE id = ?1", [rina.id])
        .unwrap();
    let reset = std::thread::spawn(move || {
        let r = rina_app.reset_password(me, "password-baru-sekali-7");
        (r, rina_app)
    });
    // Rina's check has read the committed state (still active); her write waits for the lock.
    std::thread::sleep(std::time::Duration::from_millis(600));
    raw.execute_batch("COMMIT").unwrap();
    let (r, _) = reset.join().unwrap();
    let e = r.expect_err("deactivated before her change committed");
    assert_eq!(e.kind, ErrorKind::SessionExpired, "{e:?}");
    let resets: i64 = fx
        .raw()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'staff.reset_password'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(resets, 0, "nothing saved");
    assert!(
        fx.sign_in(ADMIN, ADMIN_PW).is_ok(),
        "the first admin's password is hers"
    );
}

/// The key file is written inside the use case's transaction; a commit that then fails (a full
/// disk) puts it back: a password change said "not saved" leaves the old password in force,
/// a staff member not added has no account, one not deactivated can still sign in.
#[test]
fn a_key_file_change_whose_commit_fails_is_put_back() {
    let (fx, mut app) = Fixture::new();
    app.add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    let budi = app
        .staff_list()
        .unwrap()
        .into_iter()
        .find(|s| s.username == "budi")
        .unwrap()
        .id;
    let before = std::fs::read(bansos::keyring::path_for(&fx.db)).unwrap();

    bansos::app::testing::fail_next_commit();
    let e = app
        .change_password(ADMIN_PW, "teh-poci-tegal-99")
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::DiskFull, "{e:?}");
    bansos::app::testing::fail_next_commit();
    let e = app
        .add_staff(&new_staff("citra", Role::Verifikator, "soto-ayam-lamongan"))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::DiskFull, "{e:?}");
    bansos::app::testing::fail_next_commit();
    let e = app
        .set_staff_active(budi, false, "Pindah tugas ke UPT lain", None)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::DiskFull, "{e:?}");
    bansos::app::testing::fail_next_commit();
    let e = app.reset_password(budi, "bakso-malang-2024").unwrap_err();
    assert_eq!(e.kind, ErrorKind::DiskFull, "{e:?}");
    drop(app);

    assert_eq!(
        std::fs::read(bansos::keyring::path_for(&fx.db)).unwrap(),
        before,
        "the key file as it was"
    );
    assert!(fx.sign_in(ADMIN, ADMIN_PW).is_ok());
    assert!(fx.sign_in(ADMIN, "teh-poci-tegal-99").is_err());
    assert!(fx.sign_in("citra", "soto-ayam-lamongan").is_err());
    assert!(fx.sign_in("budi", "nasi-goreng-pedas").is_ok());
    // And the next change, with room, goes through.
    let mut app = fx.admin();
    app.change_password(ADMIN_PW, "teh-poci-tegal-99").unwrap();
    drop(app);
    assert!(fx.sign_in(ADMIN, "teh-poci-tegal-99").is_ok());
}

/// A desk left signed in is no way round the lock-out: wrong current passwords at a change of
/// password count as wrong passwords at sign-in do (they were not counted, and each was undone).
#[test]
fn wrong_current_passwords_at_a_change_count_toward_the_lock_out() {
    let (fx, mut app) = Fixture::new();
    app.add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    drop(app);
    let mut budi = fx.sign_in("budi", "nasi-goreng-pedas").unwrap();
    for i in 1..=4 {
        let e = budi
            .change_password("tebakan", "teh-poci-tegal-99")
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("old"), "attempt {i}: {e:?}");
    }
    let e = budi
        .change_password("tebakan", "teh-poci-tegal-99")
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::AccountLocked, "the fifth locks: {e:?}");
    let e = budi
        .change_password("nasi-goreng-pedas", "teh-poci-tegal-99")
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::AccountLocked, "even the right one waits");
    drop(budi);
    let e = fx.sign_in("budi", "nasi-goreng-pedas").err().unwrap();
    assert_eq!(e.kind, ErrorKind::AccountLocked);
    fx.clock.advance(Duration::minutes(16));
    let mut budi = fx.sign_in("budi", "nasi-goreng-pedas").unwrap();
    assert_eq!(budi.session_info().unwrap().failed_attempts_since_last, 5);
    budi.change_password("nasi-goreng-pedas", "teh-poci-tegal-99")
        .unwrap();
}

/// A session ends when its account's password is reset (it was stolen), changed at another
/// desk, or the account deactivated and activated again between two clicks; the session that
/// changed its own password goes on.
#[test]
fn a_session_ends_when_its_credentials_change() {
    let (fx, mut admin) = Fixture::new();
    admin
        .add_staff(&new_staff("budi", Role::Petugas, "nasi-goreng-pedas"))
        .unwrap();
    let budi = admin
        .staff_list()
        .unwrap()
        .into_iter()
        .find(|s| s.username == "budi")
        .unwrap()
        .id;
    let expired = |app: &mut bansos::App| {
        let e = app.session_info().err().expect("the session has ended");
        assert_eq!(e.kind, ErrorKind::SessionExpired, "{e:?}");
    };

    // The thief's window, open under the stolen password: reset, it ends.
    let mut thief = fx.sign_in("budi", "nasi-goreng-pedas").unwrap();
    admin.reset_password(budi, "bakso-malang-2024").unwrap();
    expired(&mut thief);

    // Deactivated and activated again before the window's next click: it ends all the same.
    let mut desk = fx.sign_in("budi", "bakso-malang-2024").unwrap();
    admin
        .set_staff_active(budi, false, "Pindah tugas ke UPT lain", None)
        .unwrap();
    admin
        .set_staff_active(budi, true, "Kembali bertugas", Some("sate-ayam-madura-7"))
        .unwrap();
    expired(&mut desk);

    // Changed at one desk: the other desk's session ends, this one goes on.
    let mut one = fx.sign_in("budi", "sate-ayam-madura-7").unwrap();
    let mut two = fx.sign_in("budi", "sate-ayam-madura-7").unwrap();
    one.change_password("sate-ayam-madura-7", "teh-poci-tegal-99")
        .unwrap();
    assert!(one.session_info().is_ok());
    expired(&mut two);
    // An admin resetting their own password goes on too.
    let me = admin.session_info().unwrap().staff.id;
    admin.reset_password(me, "kopi-tubruk-jogja-1").unwrap();
    assert!(admin.session_info().is_ok());
}

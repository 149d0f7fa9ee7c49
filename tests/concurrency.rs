//! Several sessions at once — separate processes, as two desks or a window and a command are —
//! never double a hand-over, a void or a reversal, and never undo a confirmed change to the key
//! file. A session that meets another's write lock waits, then says the database is busy.
//!
//! To make processes meet at the same moment, the test holds the database's write lock (as a
//! session in the middle of a transaction would) while they start: each signs in (the password
//! is checked and the key unwrapped, which needs no write) and then waits at its first write.
//! Released, they all go at once.

use crate::common::{Fixture, ADMIN, ADMIN_PW};
use crate::distribution::{beras_template, event, stock, verified};
use crate::registry::{staffed, PETUGAS_PW, VERIF_PW};
use bansos::{App, ErrorKind};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The write lock of the database, held from outside the program until released.
struct WriteLock(rusqlite::Connection);

impl WriteLock {
    fn hold(fx: &Fixture) -> WriteLock {
        let c = fx.raw();
        c.execute_batch("BEGIN IMMEDIATE").unwrap();
        WriteLock(c)
    }

    fn release(self) {
        self.0.execute_batch("COMMIT").unwrap();
    }
}

struct Outcome {
    code: i32,
    out: String,
    err: String,
}

fn wait(children: Vec<Child>) -> Vec<Outcome> {
    children
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            Outcome {
                code: o.status.code().unwrap_or(-1),
                out: String::from_utf8_lossy(&o.stdout).into_owned(),
                err: String::from_utf8_lossy(&o.stderr).into_owned(),
            }
        })
        .collect()
}

/// Starts every command while the write lock is held, gives them time to sign in, then lets
/// them go together.
fn race(fx: &Fixture, cmds: Vec<Command>) -> Vec<Outcome> {
    let lock = WriteLock::hold(fx);
    let n = cmds.len() as u64;
    let children: Vec<Child> = cmds
        .into_iter()
        .map(|mut c| {
            c.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Passwords are tried one at a time under the key file's lock (about 50 ms each); every
    // process is then waiting at its first write, well inside the busy timeout.
    std::thread::sleep(Duration::from_millis(600 + 150 * n));
    lock.release();
    wait(children)
}

fn as_user(fx: &Fixture, user: &str, pw: &str) -> Command {
    let mut c = fx.cli();
    c.env("BANSOS_USER", user).env("BANSOS_PASSWORD", pw);
    c
}

fn served_or_busy(o: &Outcome) -> bool {
    o.code == 1
        && (o.err.contains("sudah menerima bantuan periode ini")
            || o.err.contains("Basis data sedang dipakai sesi lain"))
}

/// A planned, approved event for `families` verified families, with stock for `extra` more
/// packages than that; returns (fixture, event, family ids).
fn event_for(families: usize, extra: usize) -> (Fixture, i64, Vec<i64>) {
    let (fx, mut p, mut v) = staffed();
    let t = beras_template(&mut p, "5", false, None);
    let e = event(&mut p, t, "2024-11-16");
    let mut ids = Vec::new();
    for i in 0..families {
        let nik = format!("331601{:02}0190{:04}", 1 + i % 28, 1 + i);
        let kk = format!("3316010101{:06}", 200_000 + i);
        let name = format!("Penerima {}", crate::receipt::words(i));
        let id = verified(&mut p, &mut v, &name, &[nik.as_str()], &kk);
        p.add_recipient(e, id).unwrap();
        ids.push(id);
    }
    let n = families + extra;
    stock(&mut p, &(5 * n).to_string(), &n.to_string());
    v.approve_event(e).unwrap();
    (fx, e, ids)
}

fn rice_on_hand(fx: &Fixture) -> rust_decimal::Decimal {
    let mut a = fx.admin();
    a.stock_overview(None).unwrap().items[0].quantity
}

/// SPEC §2: two desks at once never double a hand-over. Before the checks ran inside the
/// transaction, 12 of 20 families raced from two desks received two BASTs.
#[test]
fn the_same_family_handed_over_from_two_and_from_six_sessions_gets_one_bast() {
    let (fx, e, ids) = event_for(2, 0);
    let before = rice_on_hand(&fx);
    for (family, sessions) in [(ids[0], 2), (ids[1], 6)] {
        let code = bansos::family::view::family_code(family);
        let cmds = (0..sessions)
            .map(|_| {
                let mut c = as_user(&fx, "petugas", PETUGAS_PW);
                c.args(["handover", &e.to_string(), &code]);
                c
            })
            .collect();
        let outcomes = race(&fx, cmds);
        let won: Vec<&Outcome> = outcomes.iter().filter(|o| o.code == 0).collect();
        assert_eq!(
            won.len(),
            1,
            "exactly one of {sessions} sessions hands {code} over: {:?}",
            outcomes
                .iter()
                .map(|o| (o.code, o.out.trim(), o.err.trim()))
                .collect::<Vec<_>>()
        );
        for o in outcomes.iter().filter(|o| o.code != 0) {
            assert!(
                served_or_busy(o),
                "the others are told it was served, or that the database is busy: {}",
                o.err
            );
            assert!(!o.err.contains("database is locked"), "{}", o.err);
        }
    }
    let mut a = fx.sign_in("verif", VERIF_PW).unwrap();
    let live: Vec<_> = a
        .handovers_of_event(e)
        .unwrap()
        .into_iter()
        .filter(|h| !h.voided)
        .collect();
    assert_eq!(live.len(), 2, "one BAST per family");
    assert_eq!(
        rice_on_hand(&fx),
        before - rust_decimal::Decimal::from(10),
        "rice issued once per family"
    );
    assert!(a.stock_verify().unwrap().is_empty());
    assert!(a.audit_verify().unwrap().ok);
}

/// The same race inside one process: six sessions (six connections) on six threads, released
/// together by a barrier.
#[test]
fn six_sessions_in_one_process_hand_over_one_family_once() {
    let (fx, e, ids) = event_for(1, 5);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(6));
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let mut app = fx.sign_in("petugas", PETUGAS_PW).unwrap();
            let b = barrier.clone();
            let family = ids[0];
            std::thread::spawn(move || {
                b.wait();
                app.hand_over(e, family, None, None).map(|h| h.bast_no)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{results:?}");
    for r in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(
            matches!(r.kind, ErrorKind::Conflict | ErrorKind::Busy),
            "{r:?}"
        );
    }
    assert!(fx.admin().stock_verify().unwrap().is_empty());
}

/// Voided twice at once, a BAST returns its stock once; the second is told it already is void.
#[test]
fn the_same_bast_voided_twice_at_once_returns_its_stock_once() {
    let (fx, e, ids) = event_for(1, 0);
    let before = rice_on_hand(&fx);
    let h = fx
        .sign_in("petugas", PETUGAS_PW)
        .unwrap()
        .hand_over(e, ids[0], None, None)
        .unwrap();
    assert_eq!(rice_on_hand(&fx), before - rust_decimal::Decimal::from(5));
    let cmds = (0..2)
        .map(|_| {
            let mut c = as_user(&fx, "verif", VERIF_PW);
            c.args(["handover", "void", &h.bast_no, "--reason", "salah catat"]);
            c
        })
        .collect();
    let outcomes = race(&fx, cmds);
    assert_eq!(outcomes.iter().filter(|o| o.code == 0).count(), 1);
    let lost = outcomes.iter().find(|o| o.code != 0).unwrap();
    assert!(
        lost.err.contains("sudah dibatalkan") || lost.err.contains("sedang dipakai"),
        "{}",
        lost.err
    );
    assert_eq!(rice_on_hand(&fx), before, "the stock came back once");
    assert!(fx.admin().stock_verify().unwrap().is_empty());
}

/// Reversed twice at once, a movement is reversed once.
#[test]
fn the_same_movement_reversed_twice_at_once_is_reversed_once() {
    let (fx, _e, _ids) = event_for(1, 1);
    let before = rice_on_hand(&fx);
    let card = fx.admin().stock_card(1, None, None).unwrap();
    let receipt = card.rows.first().unwrap().movement_id;
    let cmds = (0..2)
        .map(|_| {
            let mut c = as_user(&fx, "verif", VERIF_PW);
            c.args([
                "stock",
                "reverse",
                &receipt.to_string(),
                "--reason",
                "dicatat dua kali",
            ]);
            c
        })
        .collect();
    let outcomes = race(&fx, cmds);
    assert_eq!(
        outcomes.iter().filter(|o| o.code == 0).count(),
        1,
        "{:?}",
        outcomes.iter().map(|o| o.err.trim()).collect::<Vec<_>>()
    );
    let lost = outcomes.iter().find(|o| o.code != 0).unwrap();
    assert!(
        lost.err.contains("sudah dibatalkan") || lost.err.contains("sedang dipakai"),
        "{}",
        lost.err
    );
    assert_eq!(rice_on_hand(&fx), before - rust_decimal::Decimal::from(10));
    assert!(fx.admin().stock_verify().unwrap().is_empty());
}

/// Each sign-in rewrote the whole key file from what it read at its start, so a password
/// changed, an account added or an account deactivated meanwhile was silently undone. Now every
/// change to the file is a locked read-modify-write.
#[test]
fn passwd_staff_add_and_deactivate_during_ten_parallel_sign_ins_keep_what_was_confirmed() {
    let (fx, mut admin) = Fixture::new();
    for (u, pw, role) in [
        ("budi", "nasi-goreng-pedas", bansos::staff::Role::Petugas),
        ("tono", "sayur-asem-segar", bansos::staff::Role::Petugas),
        // A second admin adds and deactivates while the first changes its own password.
        ("dewi", "gado-gado-pedas", bansos::staff::Role::Admin),
    ] {
        admin
            .add_staff(&crate::common::new_staff(u, role, pw))
            .unwrap();
    }
    drop(admin);
    for round in 0..2 {
        let new_admin_pw = format!("kopi-susu-baru-{round}");
        let old_admin_pw = if round == 0 {
            ADMIN_PW.to_owned()
        } else {
            format!("kopi-susu-baru-{}", round - 1)
        };
        let mut children = Vec::new();
        let spawn = |c: &mut Command| {
            c.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        for _ in 0..5 {
            children.push(spawn(
                as_user(&fx, "budi", "nasi-goreng-pedas").args(["facility", "show"]),
            ));
        }
        let mut passwd = as_user(&fx, ADMIN, &old_admin_pw);
        passwd
            .env("BANSOS_NEW_PASSWORD", &new_admin_pw)
            .arg("passwd");
        children.push(spawn(&mut passwd));
        let mut add = as_user(&fx, "dewi", "gado-gado-pedas");
        add.env("BANSOS_NEW_PASSWORD", "rawon-hitam-enak").args([
            "staff",
            "add",
            "--username",
            &format!("baru{round}"),
            "--name",
            "Staf Baru",
            "--role",
            "petugas",
        ]);
        children.push(spawn(&mut add));
        if round == 0 {
            let mut off = as_user(&fx, "dewi", "gado-gado-pedas");
            off.args(["staff", "deactivate", "tono", "--reason", "pindah tugas"]);
            children.push(spawn(&mut off));
        }
        for _ in 0..5 {
            children.push(spawn(
                as_user(&fx, "budi", "nasi-goreng-pedas").args(["facility", "show"]),
            ));
        }
        let outcomes = wait(children);
        for o in &outcomes {
            assert!(!o.err.contains("tidak dapat diakses"), "{}", o.err);
            // A change that lost the race for the database waits; none fails.
            assert_eq!(o.code, 0, "round {round}: {}{}", o.out, o.err);
        }
        // What was confirmed holds: the new password opens, the old one no longer does; the
        // new account signs in; the deactivated one does not.
        assert!(fx.sign_in(ADMIN, &new_admin_pw).is_ok(), "round {round}");
        assert_eq!(
            fx.sign_in(ADMIN, &old_admin_pw).err().unwrap().kind,
            ErrorKind::WrongCredentials
        );
        assert!(fx
            .sign_in(&format!("baru{round}"), "rawon-hitam-enak")
            .is_ok());
        assert!(fx.sign_in("tono", "sayur-asem-segar").is_err());
    }
}

/// Thirty wrong passwords at once: counted one by one, so the account is locked (they used to
/// overwrite one another's count and the account stayed open).
#[test]
fn thirty_parallel_wrong_passwords_lock_the_account() {
    let (fx, admin) = Fixture::new();
    drop(admin);
    let children: Vec<Child> = (0..30)
        .map(|_| {
            as_user(&fx, ADMIN, "salah-sandi-sekali")
                .args(["facility", "show"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outcomes = wait(children);
    for o in &outcomes {
        assert_ne!(o.code, 0);
        assert!(
            o.err.contains("salah") || o.err.contains("dikunci"),
            "each is refused for the password or the lock: {}",
            o.err
        );
        assert!(!o.err.contains("tidak dapat diakses"), "{}", o.err);
    }
    assert!(
        outcomes
            .iter()
            .filter(|o| o.err.contains("dikunci"))
            .count()
            >= 1,
        "the fifth failure locks the account"
    );
    assert_eq!(
        fx.sign_in(ADMIN, ADMIN_PW).err().unwrap().kind,
        ErrorKind::AccountLocked,
        "even the right password waits for the lock-out"
    );
}

/// Another session holding the write lock longer than the wait: the use case says the
/// database is busy, in the person's language, and changes nothing.
#[test]
fn a_session_that_meets_another_s_write_lock_says_the_database_is_busy() {
    let (fx, mut admin) = Fixture::new();
    let lock = WriteLock::hold(&fx);
    let err = admin
        .add_staff(&crate::common::new_staff(
            "sari",
            bansos::staff::Role::Petugas,
            "tempe-mendoan-gurih",
        ))
        .err()
        .unwrap();
    assert_eq!(err.kind, ErrorKind::Busy);
    assert!(
        err.message(bansos::locale::Lang::Id)
            .starts_with("Basis data sedang dipakai sesi lain"),
        "{err:?}"
    );
    let out = wait(vec![fx
        .cli()
        .args(["facility", "show"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()]);
    assert_eq!(out[0].code, 1);
    assert!(
        out[0].err.contains("Basis data sedang dipakai sesi lain"),
        "{}",
        out[0].err
    );
    assert!(!out[0].err.contains("locked"), "{}", out[0].err);
    let en = wait(vec![fx
        .cli()
        .args(["--lang", "en", "facility", "show"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()]);
    assert!(
        en[0]
            .err
            .contains("The database is in use by another session"),
        "{}",
        en[0].err
    );
    lock.release();
    assert!(
        App::open(
            &fx.db,
            fx.clock.clone(),
            &bansos::Credentials::new("sari", "tempe-mendoan-gurih")
        )
        .is_err(),
        "nothing was added"
    );
}

/// Closing a month while other desks record receipts back-dated into it: one closing wins, the
/// others are told the month is closed already; every receipt either went in before the closing
/// (and is in its report) or was refused naming the closed month; none is lost or half-counted.
#[test]
fn closing_a_month_while_desks_back_date_receipts_into_it_counts_each_once() {
    use crate::month::KEPALA_PW;
    let (fx, mut p, _v) = staffed();
    fx.admin()
        .add_staff(&crate::common::new_staff(
            "kepala",
            bansos::staff::Role::KepalaUpt,
            KEPALA_PW,
        ))
        .unwrap();
    stock(&mut p, "10", "2");
    drop(p);
    let mut cmds = Vec::new();
    for _ in 0..3 {
        let mut c = as_user(&fx, "kepala", KEPALA_PW);
        c.args(["month", "close", "2024-11"]);
        cmds.push(c);
    }
    for i in 0..5 {
        let mut c = as_user(&fx, "petugas", PETUGAS_PW);
        c.args([
            "stock",
            "receive",
            "--date",
            "2024-11-20",
            "--source",
            "koperasi",
            "--doc",
            &format!("SJ-RACE-{i}"),
            "--received-by",
            "Budi",
            "--line",
            "beras;5;Rp0",
        ]);
        cmds.push(c);
    }
    let outcomes = race(&fx, cmds);
    let closes = &outcomes[..3];
    let receipts = &outcomes[3..];
    assert_eq!(
        closes.iter().filter(|o| o.code == 0).count(),
        1,
        "one closing: {:?}",
        closes.iter().map(|o| &o.err).collect::<Vec<_>>()
    );
    for o in closes.iter().filter(|o| o.code != 0) {
        assert!(
            o.err.contains("sudah ditutup") || o.err.contains("sedang dipakai"),
            "{}",
            o.err
        );
    }
    let mut went_in = 0;
    for o in receipts {
        if o.code == 0 {
            went_in += 1;
        } else {
            assert!(
                o.err.contains("November 2024") && o.err.contains("ditutup")
                    || o.err.contains("sedang dipakai"),
                "{}",
                o.err
            );
        }
    }
    let mut k = fx.sign_in("kepala", KEPALA_PW).unwrap();
    let r = k.month_report("2024-11", None).unwrap();
    let beras = r.items.iter().find(|i| i.code == "beras").unwrap();
    assert_eq!(
        beras.received_total,
        rust_decimal::Decimal::from(10 + 5 * went_in),
        "the report holds exactly the receipts that went in ({went_in})"
    );
    assert_eq!(beras.closing, rust_decimal::Decimal::from(10 + 5 * went_in));
}

/// Two admins renaming the facility at once, over and over: the name the sign-in screen shows
/// (the key file's) is always the one the database kept — the key file is written inside the
/// rename's transaction, under the database's write lock.
#[test]
fn two_admins_renaming_at_once_leave_the_sign_in_screen_the_name_that_was_kept() {
    let (fx, mut admin) = Fixture::new();
    admin
        .add_staff(&crate::common::new_staff(
            "dewi",
            bansos::staff::Role::Admin,
            "gado-gado-pedas",
        ))
        .unwrap();
    drop(admin);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let handles: Vec<_> = [(ADMIN, ADMIN_PW), ("dewi", "gado-gado-pedas")]
        .into_iter()
        .enumerate()
        .map(|(i, (user, pw))| {
            let mut app = fx.sign_in(user, pw).unwrap();
            let b = barrier.clone();
            std::thread::spawn(move || {
                b.wait();
                for round in 0..15 {
                    let f = app.facility().unwrap();
                    let mut s = bansos::app::FacilitySettings {
                        profile: f.profile,
                        receipt_pattern: f.receipt_pattern,
                        idle_minutes: f.idle_minutes,
                    };
                    s.profile.name = format!("Rutan Kelas IIB Blora {i}-{round}");
                    match app.update_facility(&s) {
                        Ok(_) => {}
                        Err(e) if e.kind == ErrorKind::Busy => {}
                        Err(e) => panic!("{e:?}"),
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let kept = fx.admin().facility().unwrap().profile.name;
    assert!(kept.starts_with("Rutan Kelas IIB Blora "), "{kept}");
    assert_eq!(
        App::status(&fx.db).unwrap().facility_label.as_deref(),
        Some(kept.as_str())
    );
}

/// A package saved while another desk retires one of its items: the save waits for that desk's
/// write, then finds the item retired and refuses it, naming it (its items were once checked
/// before the wait, and the package kept an item that can no longer be received).
#[test]
fn a_package_saved_while_its_item_is_retired_at_another_desk_is_refused() {
    let (fx, p, _v) = staffed();
    let lock = WriteLock::hold(&fx);
    let saving = std::thread::spawn(move || {
        let mut p = p;
        let r = p.create_template(
            &bansos::distribution::TemplateInput {
                name: "Paket beras".into(),
                per_person: false,
                cap_members: None,
                lines: vec![bansos::distribution::TemplateLineInput {
                    item_id: 1,
                    quantity: "5".into(),
                }],
            },
            bansos::locale::Lang::Id,
        );
        (p, r)
    });
    // The save has checked its form and waits for the write lock; the other desk retires rice.
    std::thread::sleep(Duration::from_millis(700));
    lock.0
        .execute(
            "UPDATE item SET retired_at = '2024-11-01T00:00:00Z' WHERE id = 1",
            [],
        )
        .unwrap();
    lock.release();
    let (mut p, r) = saving.join().unwrap();
    let e = r.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid, "{e:?}");
    assert!(
        e.message(bansos::locale::Lang::Id).contains("Beras"),
        "{e:?}"
    );
    assert!(p.templates(true).unwrap().is_empty(), "nothing saved");
}

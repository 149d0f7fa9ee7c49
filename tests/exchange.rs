//! The monthly bundle and the Kanwil (issue 13): three demo facilities close and send their
//! months, the Kanwil imports them in the wrong order, refuses an altered one, takes a revision,
//! sums the province exactly as the facilities' own reports, finds the person two facilities
//! served, answers every bundle once; a facility restored from an old backup never reuses a seq;
//! and no bundle carries a recipient's NIK, name or family code in a clear part.

use crate::common::copy_db;
use bansos::bundle::wire;
use bansos::demo::{make, Options};
use bansos::month::Month;
use bansos::{App, Credentials};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const PW: &str = "demo-bansos-2024";

fn open(db: &Path, user: &str) -> App {
    App::open(
        db,
        Arc::new(bansos::clock::SystemClock),
        &Credentials::new(user, PW),
    )
    .unwrap()
}

fn kanwil(dir: &Path) -> PathBuf {
    let db = dir.join("kanwil").join("bansos.db");
    let mut p = crate::common::profile();
    p.kind = bansos::facility::FacilityKind::Kanwil;
    p.code = "KANWIL-JATENG".into();
    p.name = "Kanwil Ditjenpas Jawa Tengah".into();
    p.class = "Kanwil".into();
    let mut setup = crate::common::setup();
    setup.profile = p;
    let mut a = App::init(
        &db,
        Arc::new(bansos::clock::SystemClock),
        &setup,
        &crate::common::new_staff("kepala", bansos::staff::Role::Admin, PW),
    )
    .unwrap();
    assert_eq!(a.members().unwrap().len(), 0);
    // A Kanwil has no month of its own to close, and sends no bundle.
    a.add_staff(&crate::common::new_staff(
        "kakanwil",
        bansos::staff::Role::KepalaUpt,
        PW,
    ))
    .unwrap();
    let mut a = open(&db, "kakanwil");
    let last = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now())).prev();
    let e = a.close_month(&last.key()).err().unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::Conflict);
    assert!(
        e.message(bansos::locale::Lang::En).contains("regional"),
        "{e:?}"
    );
    assert_eq!(a.outbox().err().unwrap().kind, bansos::ErrorKind::Conflict);
    db
}

/// Every bundle of a facility's outbox: (seq, file name, bytes).
fn bundles(app: &mut App) -> Vec<(u64, String, Vec<u8>)> {
    let seqs: Vec<u64> = app
        .outbox()
        .unwrap()
        .bundles
        .iter()
        .map(|b| b.seq)
        .collect();
    seqs.into_iter()
        .map(|s| app.bundle_file(Some(s), None).unwrap())
        .collect()
}

/// A demo facility made at `dir/f/bansos.db` with `options` (facility 0), registered at the
/// Kanwil `kw` (its fingerprint compared) and enrolled: its database and the Kepala UPT's session.
fn enrolled(dir: &Path, kw: &mut App, options: &Options) -> (PathBuf, App) {
    let db = dir.join("f").join("bansos.db");
    make(&db, options, |_| {}).unwrap();
    let mut k = open(&db, "kepala");
    enroll(&mut k, kw);
    (db, k)
}

/// The facility of Kepala UPT `k` registered at the Kanwil `kw` (fingerprints compared both ways)
/// and enrolled.
fn enroll(k: &mut App, kw: &mut App) {
    let kanwil_fp = kw.facility().unwrap().fingerprint;
    let (_, reg) = k.registration_file().unwrap();
    let fp = k.facility().unwrap().fingerprint;
    let (_, enrollment) = kw.register_facility(&reg, &fp).unwrap();
    k.import_enrollment(&enrollment, Some(&kanwil_fp)).unwrap();
}

/// A Kanwil in `dir`, and a demo facility (last month closed, `families`, `seed`) not yet
/// enrolled: (the Kanwil's Kepala, the facility's database, the month).
fn unenrolled(dir: &Path, families: usize, seed: u64) -> (App, PathBuf, Month) {
    let until = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now())).prev();
    let kw = open(&kanwil(dir), "kepala");
    let db = dir.join("f").join("bansos.db");
    let options = Options {
        families,
        months: 1,
        seed,
        until,
        facility: 0,
    };
    make(&db, &options, |_| {}).unwrap();
    (kw, db, until)
}

/// Restores a demo database from `backup` (nobody signed in), as its admin.
pub(crate) fn restore_demo(db: &Path, backup: &Path) {
    App::restore(
        db,
        backup,
        Arc::new(bansos::clock::SystemClock),
        &Credentials::new("admin", PW),
    )
    .unwrap();
}

/// The same bundle with one part's bytes changed (the signature left as it was).
fn altered(bytes: &[u8], part: &str) -> Vec<u8> {
    let entries = wire::unzip(bytes, bansos::bundle::BUNDLE_ENTRIES, ("b", "b")).unwrap();
    let changed: Vec<(String, Vec<u8>)> = entries
        .into_iter()
        .map(|(n, mut b)| {
            if n == part {
                let i = b.len() / 2;
                b[i] ^= 1;
            }
            (n, b)
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = changed
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    wire::zip(&refs).unwrap()
}

#[test]
fn three_facilities_report_to_their_kanwil_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let now_month = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now()));
    let last = now_month.prev();
    let until = last.prev();
    let kdb = kanwil(dir.path());
    let mut kw = open(&kdb, "kepala");
    let kanwil_fp = kw.facility().unwrap().fingerprint;

    // Three facilities, two months each from the demo; the third month (last month) nihil.
    let mut dbs = Vec::new();
    for n in 0..3 {
        let db = dir.path().join(format!("f{n}")).join("bansos.db");
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
        let mut k = open(&db, "kepala");
        // Registration → the Kanwil (after the telephone check) → enrollment back.
        let (_, reg) = k.registration_file().unwrap();
        let fp = k.facility().unwrap().fingerprint;
        let wrong = kw
            .register_facility(&reg, "0000-0000-0000-0000")
            .err()
            .unwrap();
        assert_eq!(wrong.kind, bansos::ErrorKind::Invalid);
        let (_, enrollment) = kw.register_facility(&reg, &fp).unwrap();
        // An unknown Kanwil key is not trusted without the fingerprint read out.
        let e = k.import_enrollment(&enrollment, None).err().unwrap();
        assert_eq!(e.kind, bansos::ErrorKind::Conflict);
        let info = k.import_enrollment(&enrollment, Some(&kanwil_fp)).unwrap();
        assert_eq!(
            info.bundles_made,
            vec![1, 2],
            "the months closed before enrollment"
        );
        // Facility 1 keeps a backup from before last month's closing.
        if n == 1 {
            let b = open(&db, "admin")
                .backup_to(&dir.path().join("backup-f1"))
                .unwrap();
            std::fs::write(dir.path().join("backup-f1.path"), b.path).unwrap();
        }
        let c = k.close_month(&last.key()).unwrap();
        assert!(c.nihil, "no hand-over last month: closed as nihil");
        let out = k.outbox().unwrap();
        assert_eq!(out.bundles.len(), 3);
        assert_eq!(out.bundles[2].kind, "nihil");
        // Stored: every export is the same bytes.
        assert_eq!(
            k.bundle_file(Some(3), None).unwrap(),
            k.bundle_file(Some(3), None).unwrap()
        );
        dbs.push(db);
    }

    // The Kanwil imports all nine newest first: each facility's gap fills itself.
    let mut all = Vec::new();
    for db in &dbs {
        all.extend(bundles(&mut open(db, "petugas")));
    }
    all.reverse();
    let files: Vec<(String, Vec<u8>)> =
        all.iter().map(|(_, n, b)| (n.clone(), b.clone())).collect();
    let verdicts = kw.import_bundles(files.clone()).unwrap();
    let flat: Vec<&bansos::kanwil::Verdict> = verdicts
        .iter()
        .flat_map(|v| std::iter::once(v).chain(v.released.iter()))
        .collect();
    let accepted = flat.iter().filter(|v| v.verdict == "accepted").count();
    assert_eq!(accepted, 9, "{verdicts:#?}");
    assert_eq!(verdicts[0].verdict, "held_gap");
    assert_eq!(verdicts[0].missing, vec![1, 2]);
    // A replay changes nothing and gives the same answer again.
    let again = kw.import_bundles(files[..1].to_vec()).unwrap();
    assert_eq!(again[0].verdict, "already_received");

    // An altered part is refused, naming it; so is a bundle signed by an unknown key.
    let (_, name, bytes) = &all[0];
    let v = kw
        .import_bundles(vec![(name.clone(), altered(bytes, "records.json.age"))])
        .unwrap();
    assert_eq!(v[0].verdict, "refused");
    let r = v[0].reason.as_ref().unwrap();
    assert_eq!(
        (r.code.as_str(), r.part.as_deref()),
        ("altered_part", Some("records.json.age"))
    );
    assert!(r.id.contains("records.json.age") && r.en.contains("changed"));

    // The recap equals the sums of the facilities' own monthly reports.
    for m in [until.prev(), until, last] {
        let recap = kw.regional_recap(&m.key()).unwrap();
        assert!(recap.not_reported.is_empty());
        let (mut families, mut packages, mut issued) = (0, 0, rust_decimal::Decimal::ZERO);
        for db in &dbs {
            let r = open(db, "kepala").month_report(&m.key(), None).unwrap();
            families += r.served.families;
            packages += r.served.packages;
            issued += r.issued_value;
        }
        assert_eq!(
            (
                recap.total.families,
                recap.total.packages,
                recap.total.issued_value
            ),
            (families, packages, issued),
            "{}",
            m.key()
        );
        let comp = kw.regional_completeness(&m.key()).unwrap();
        assert_eq!(comp.len(), 3);
        let want = if m == last { "nihil" } else { "accepted" };
        assert!(comp.iter().all(|c| c.state == want), "{comp:#?}");
    }
    // The household every demo facility shares is found, as BAST pairs only.
    let pairs: Vec<_> = [until.prev(), until]
        .iter()
        .flat_map(|m| kw.regional_duplicates(&m.key()).unwrap())
        .filter(|p| p.by == "nik")
        .collect();
    assert!(
        !pairs.is_empty(),
        "a person served by two facilities in one month"
    );
    for p in &pairs {
        assert_ne!(p.facility_a, p.facility_b);
        assert!(p.bast_a.contains(&p.facility_a) && p.bast_b.contains(&p.facility_b));
    }

    // Answers back: every bundle acknowledged, exactly once.
    let dir_answers: Vec<(String, Vec<u8>)> =
        flat.iter().filter_map(|v| v.answer.clone()).collect();
    for db in &dbs {
        let mut k = open(db, "petugas");
        let code = k.facility().unwrap().profile.code;
        for (name, a) in &dir_answers {
            if name.starts_with(&format!("{code}_")) {
                k.import_answer(a).unwrap();
            }
        }
        let out = k.outbox().unwrap();
        assert!(
            out.bundles.iter().all(|b| b.state == "acknowledged"),
            "{:#?}",
            out.bundles
        );
        let (_, a) = dir_answers
            .iter()
            .find(|(n, _)| n.starts_with(&format!("{code}_")))
            .unwrap();
        assert!(
            !k.import_answer(a).unwrap().changed,
            "the same answer twice changes nothing"
        );
    }

    // A revision: facility 0 reopens last month and closes it again; the Kanwil takes it.
    let mut k0 = open(&dbs[0], "kepala");
    k0.reopen_month(&last.key(), "stok opname terlewat")
        .unwrap();
    k0.close_month(&last.key()).unwrap();
    let (seq, name, rev) = k0.bundle_file(None, Some(&last.key())).unwrap();
    assert_eq!(seq, 4);
    let v = kw.import_bundles(vec![(name, rev)]).unwrap();
    assert_eq!(v[0].verdict, "revision", "{v:#?}");
    let comp = kw.regional_completeness(&last.key()).unwrap();
    assert_eq!(
        comp.iter()
            .find(|c| c.code == "RUTAN-BLORA")
            .unwrap()
            .revision,
        Some(2)
    );

    // A new province key (a PC was lost): facility 2 takes it with its next enrollment, and its
    // next bundle's pseudonyms are made with it; an older enrollment is refused as stale.
    let new_key = kw.renew_province_key(&now_month.key()).unwrap();
    assert_eq!(new_key, "KANWIL-JATENG/2");
    let (_, update2) = kw.reissue_enrollment("RUTAN-KUDUS").unwrap();
    let mut k2 = open(&dbs[2], "kepala");
    let info = k2.import_enrollment(&update2, None).unwrap();
    assert_eq!(
        (info.update, info.pseudonym_key.as_str()),
        (2, "KANWIL-JATENG/2")
    );
    assert!(
        k2.import_enrollment(&update2, None).is_err(),
        "the same update twice is stale"
    );
    k2.reopen_month(&last.key(), "laporan diperbaiki").unwrap();
    k2.close_month(&last.key()).unwrap();
    let (_, name, rev) = k2.bundle_file(None, Some(&last.key())).unwrap();
    let entries = wire::unzip(&rev, bansos::bundle::BUNDLE_ENTRIES, ("b", "b")).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&entries[0].1).unwrap();
    assert_eq!(manifest["pseudonym_key"], "KANWIL-JATENG/2");
    let v = kw.import_bundles(vec![(name, rev)]).unwrap();
    assert_eq!(v[0].verdict, "revision", "{v:#?}");

    // Facility 1 restored from its backup (taken before last month's closing, seq 2): no new
    // bundle until the Kanwil's answer says where the chain stands; then seq 4, never 3 again.
    let backup = PathBuf::from(std::fs::read_to_string(dir.path().join("backup-f1.path")).unwrap());
    restore_demo(&dbs[1], &backup);
    let mut k1 = open(&dbs[1], "kepala");
    assert!(k1.outbox().unwrap().held_after_restore);
    k1.close_month(&last.key()).unwrap();
    assert_eq!(
        k1.outbox().unwrap().bundles.len(),
        2,
        "held: no bundle made"
    );
    // An answer given before the restore does not say where the chain stands now.
    let (_, seq2) = dir_answers
        .iter()
        .find(|(n, _)| n.starts_with("LAPAS-PATI_") && n.contains("seq000002"))
        .unwrap();
    k1.import_answer(seq2).unwrap();
    assert!(k1.outbox().unwrap().held_after_restore);
    // The Kanwil's head, fresh: seq 3, a bundle the restored outbox lost — last month's. That
    // month, closed again here at revision 1, gets no bundle: a monthly one could only be
    // refused as out of order, taking a seq.
    let (_, head) = kw.head_answer("LAPAS-PATI").unwrap();
    let out = k1.import_answer(&head).unwrap();
    assert_eq!(out.bundles_made, Vec::<u64>::new());
    let b = k1.outbox().unwrap();
    assert!(!b.held_after_restore);
    assert_eq!(b.bundles.last().unwrap().seq, 2);
    let held = b.held_at_head.clone().expect("held at the Kanwil's head");
    assert_eq!(
        (held.period.as_str(), held.head_seq, held.revision_to_send),
        (last.key().as_str(), 3, 2)
    );
    assert_eq!(held.closings, vec![last.key()]);
    assert!(b.waiting.is_empty() && b.held_by_kanwil.is_empty(), "{b:?}");
    // This PC's figures are to replace the Kanwil's: reopened and closed again, the month goes
    // as revision 2 of the Kanwil's bundle 3, at seq 4 (never 3 again), and the Kanwil takes it.
    k1.reopen_month(&last.key(), "data dipulihkan dari cadangan")
        .unwrap();
    k1.close_month(&last.key()).unwrap();
    let b = k1.outbox().unwrap();
    assert!(b.held_at_head.is_none(), "{b:?}");
    let rev = b.bundles.last().unwrap();
    assert_eq!(
        (rev.seq, rev.revision, rev.kind.as_str()),
        (4, 2, "revision")
    );
    let (_, name, bytes) = k1.bundle_file(Some(4), None).unwrap();
    let v = kw.import_bundles(vec![(name, bytes)]).unwrap();
    assert_eq!(v[0].verdict, "revision", "{v:#?}");
    // This month, closed a month later: the chain goes on, and the Kanwil accepts it.
    let next_month = Arc::new(bansos::clock::FixedClock::new(
        now_month
            .next()
            .first()
            .and_hms_opt(3, 0, 0)
            .unwrap()
            .and_utc(),
    ));
    let mut k1 = App::open(&dbs[1], next_month.clone(), &Credentials::new("kepala", PW)).unwrap();
    k1.close_month(&now_month.key()).unwrap();
    let b = k1.outbox().unwrap();
    assert_eq!(b.bundles.last().unwrap().seq, 5);
    assert_eq!(b.bundles.last().unwrap().period, now_month.key());
    let (_, name, bytes) = k1.bundle_file(Some(5), None).unwrap();
    drop(kw);
    let mut kw = App::open(&kdb, next_month, &Credentials::new("kepala", PW)).unwrap();
    let v = kw.import_bundles(vec![(name, bytes)]).unwrap();
    assert_eq!(v[0].verdict, "accepted", "{v:#?}");
}

/// A facility restored from a backup older than its last two closings: the month before the
/// Kanwil's latest gets no bundle (the Kanwil's chain has gone past it), the latest is held
/// until it is closed again at a higher revision, and nothing is ever refused on the way.
#[test]
fn a_restored_facility_sends_nothing_for_months_the_kanwils_chain_has_passed() {
    let dir = tempfile::tempdir().unwrap();
    let last = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now())).prev();
    let (b, a) = (last.prev(), last.prev().prev());
    let kdb = kanwil(dir.path());
    let mut kw = open(&kdb, "kepala");
    let (db, mut k) = enrolled(
        dir.path(),
        &mut kw,
        &Options {
            families: 12,
            months: 1,
            seed: 5,
            until: a,
            facility: 0,
        },
    );
    let backup = open(&db, "admin")
        .backup_to(&dir.path().join("backup"))
        .unwrap();
    k.close_month(&b.key()).unwrap();
    k.close_month(&last.key()).unwrap();
    let sent = bundles(&mut k);
    assert_eq!(sent.len(), 3);
    let v = kw
        .import_bundles(sent.into_iter().map(|(_, n, b)| (n, b)).collect())
        .unwrap();
    assert!(v.iter().all(|v| v.verdict == "accepted"), "{v:#?}");
    drop(k);

    restore_demo(&db, Path::new(&backup.path));
    let mut k = open(&db, "kepala");
    let (_, head) = kw.head_answer(&k.facility().unwrap().profile.code).unwrap();
    k.import_answer(&head).unwrap();
    k.close_month(&b.key()).unwrap();
    k.close_month(&last.key()).unwrap();
    let out = k.outbox().unwrap();
    assert_eq!(out.bundles.len(), 1, "no bundle made: {out:?}");
    assert_eq!(out.held_by_kanwil, vec![b.key()]);
    assert_eq!(out.held_at_head.unwrap().closings, vec![last.key()]);
    // The command line says both, and what to do, in either language.
    let list = |lang: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_bansos"))
            .env("BANSOS_DB", &db)
            .env("BANSOS_USER", "kepala")
            .env("BANSOS_PASSWORD", PW)
            .args(["--lang", lang, "outbox", "list"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let id = list("id");
    assert!(
        id.contains(&format!(
            "sudah melewatinya (tidak ada bundel baru; koreksi dengan surat): {}",
            b.key()
        )) && id.contains(&format!(
            "`bansos month reopen {} --reason ALASAN`, lalu tutup lagi hingga revisi 2",
            last.key()
        )),
        "{id}"
    );
    let en = list("en");
    assert!(
        en.contains("has gone past them") && en.contains("until revision 2"),
        "{en}"
    );
    // The bundle's kind in the reader's words too.
    assert!(id.contains("bulanan") && !id.contains("monthly"), "{id}");
    assert!(en.contains("monthly") && !en.contains("bulanan"), "{en}");
    // The month the chain has passed stays without a bundle even closed again; the latest goes.
    k.reopen_month(&last.key(), "angka PC ini menggantikan")
        .unwrap();
    k.close_month(&last.key()).unwrap();
    let out = k.outbox().unwrap();
    assert_eq!(out.held_by_kanwil, vec![b.key()]);
    assert_eq!(
        out.bundles.iter().map(|b| b.seq).collect::<Vec<_>>(),
        [1, 4]
    );
    let (_, name, bytes) = k.bundle_file(Some(4), None).unwrap();
    let v = kw.import_bundles(vec![(name, bytes)]).unwrap();
    assert_eq!(v[0].verdict, "revision", "{v:#?}");
    // Its answer taken: nothing more is made, the held revision 1 is overtaken, not sent.
    let (_, answer) = v[0].answer.clone().unwrap();
    assert_eq!(
        k.import_answer(&answer).unwrap().bundles_made,
        Vec::<u64>::new()
    );
    let out = k.outbox().unwrap();
    assert!(
        out.held_at_head.is_none() && out.waiting.is_empty(),
        "{out:?}"
    );
    assert_eq!(out.bundles.last().unwrap().state, "acknowledged");
}

#[test]
fn no_bundle_carries_a_recipient_in_its_clear_parts() {
    let dir = tempfile::tempdir().unwrap();
    let until = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now())).prev();
    let kdb = kanwil(dir.path());
    let mut kw = open(&kdb, "kepala");
    let (db, mut k) = enrolled(
        dir.path(),
        &mut kw,
        &Options {
            families: 20,
            months: 2,
            seed: 3,
            until,
            facility: 0,
        },
    );
    let files = bundles(&mut k);
    assert_eq!(files.len(), 2);

    // What must not be seen: every NIK, name, No. KK and family id of the registry.
    let raw = crate::common::raw_open(&db, "kepala", PW);
    let mut secrets: Vec<String> = Vec::new();
    let mut st = raw.prepare("SELECT nik, name FROM person").unwrap();
    for r in st
        .query_map([], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?))
        })
        .unwrap()
    {
        let (nik, name) = r.unwrap();
        secrets.extend(nik);
        secrets.push(name);
    }
    let mut st = raw
        .prepare("SELECT kk, address FROM family WHERE kk IS NOT NULL")
        .unwrap();
    for r in st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (kk, address) = r.unwrap();
        secrets.push(kk);
        secrets.push(address);
    }
    assert!(secrets.len() > 40);
    let (other, other_secret) = wire::new_identity();
    assert!(!other.is_empty());
    for (_, name, bytes) in &files {
        let entries = wire::unzip(bytes, bansos::bundle::BUNDLE_ENTRIES, ("b", "b")).unwrap();
        assert_eq!(entries.len(), 8);
        for (part, b) in &entries {
            if part.ends_with(".age") {
                assert!(
                    wire::decrypt(&other_secret, b).is_none(),
                    "{part} opens only for the Kanwil"
                );
            }
            let text = String::from_utf8_lossy(b);
            for s in &secrets {
                assert!(
                    !text.contains(s.as_str()),
                    "{name}: {part} shows {s:?} in the clear"
                );
            }
        }
    }
    // …and the Kanwil, which holds the key, opens and accepts them.
    let v = kw
        .import_bundles(files.into_iter().map(|(_, n, b)| (n, b)).collect())
        .unwrap();
    assert!(v.iter().all(|v| v.verdict == "accepted"), "{v:#?}");
}

/// Two imports of the same bundles at once, by two processes: each bundle is accepted exactly
/// once, the other import says it was already received; the store's unique hash backs it.
/// The frozen bundles and the Kanwil they were made for (tests/data/bundles/v1).
pub fn golden_bundles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bundles/v1")
}

/// That Kanwil, restored from its backup into `dir` (its users: admin, kepala; password `PW`).
pub fn golden_kanwil(dir: &Path) -> PathBuf {
    let db = dir.join("bansos.db");
    App::restore(
        &db,
        &golden_bundles().join("kanwil.bansos-backup"),
        Arc::new(bansos::clock::SystemClock),
        &Credentials::new("admin", PW),
    )
    .unwrap();
    db
}

#[test]
fn two_desks_importing_the_same_stick_at_once_accept_each_bundle_once() {
    let golden = golden_bundles();
    let tmp = tempfile::tempdir().unwrap();
    let db = golden_kanwil(&tmp.path().join("k"));
    let stick = tmp.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    for f in ["monthly-seq1", "monthly-seq2", "nihil-seq3"] {
        std::fs::copy(
            golden.join(format!("{f}.bansos-bundle")),
            stick.join(format!("{f}.bansos-bundle")),
        )
        .unwrap();
    }
    let run = |answers: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_bansos"))
            .env("BANSOS_DB", &db)
            .env("BANSOS_USER", "kepala")
            .env("BANSOS_PASSWORD", PW)
            .env("BANSOS_LANG", "en")
            .args(["--json", "regional", "import"])
            .arg(&stick)
            .arg("--answers")
            .arg(tmp.path().join(answers))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (run("a"), run("b"));
    let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    let mut accepted = 0;
    let mut replays = 0;
    for o in &outs {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let mut kw = open(&db, "kepala");
    let members = kw.members().unwrap();
    assert_eq!(members[0].head_seq, Some(3), "the chain reached seq 3 once");
    for o in &outs {
        let v: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
        for x in v.as_array().into_iter().flatten() {
            for y in std::iter::once(x).chain(x["released"].as_array().into_iter().flatten()) {
                match y["verdict"].as_str() {
                    Some("accepted") => accepted += 1,
                    Some("already_received") => replays += 1,
                    Some("held_gap") => {}
                    other => panic!("unexpected verdict {other:?}"),
                }
            }
        }
    }
    assert_eq!(accepted, 3, "every bundle accepted exactly once");
    assert!(replays >= 1);
}

/// A folder is imported on two threads: each bundle is opened and decrypted while the one before
/// is written, against the keys as they were when the import began. A facility revoked by
/// another desk in the middle of it has its next bundle refused all the same: the transaction
/// that writes asks for the key again.
#[test]
fn a_key_revoked_while_a_stick_is_imported_refuses_the_next_bundle() {
    let golden = golden_bundles();
    let tmp = tempfile::tempdir().unwrap();
    let db = golden_kanwil(&tmp.path().join("k"));
    let read = |f: &str| {
        let name = format!("{f}.bansos-bundle");
        (name.clone(), std::fs::read(golden.join(name)).unwrap())
    };
    let mut kw = open(&db, "kepala");
    let code = kw.members().unwrap()[0].code.clone();
    let files = [read("monthly-seq1"), read("monthly-seq2")];
    let mut taken = 0;
    // Taken on the reading thread, just before the second file is read.
    let stick = files.into_iter().inspect(|_| {
        taken += 1;
        if taken == 2 {
            open(&db, "kepala")
                .revoke_facility(&code, "PC kantor hilang dicuri")
                .unwrap();
        }
    });
    let v = kw.import_bundle_stream(2, stick).unwrap();
    assert_eq!(v[0].verdict, "accepted", "{:?}", v[0]);
    assert_eq!(v[1].verdict, "refused", "{:?}", v[1]);
    assert_eq!(
        v[1].reason.as_ref().unwrap().code,
        "revoked_key",
        "{:?}",
        v[1]
    );
    let members = kw.members().unwrap();
    assert_eq!(members[0].head_seq, Some(1), "the chain stopped at seq 1");
    // The same file again, as the whole folder in one go: still refused, nothing changed.
    let again = kw.import_bundles(vec![read("monthly-seq2")]).unwrap();
    assert_eq!(again[0].reason.as_ref().unwrap().code, "revoked_key");
    assert_eq!(kw.members().unwrap()[0].head_seq, Some(1));
}

/// An account deactivated by an Admin while its import runs (a province's folder takes minutes)
/// writes nothing more: each bundle's transaction looks at the account again, as every other
/// write does, and the run stops with the session's end.
#[test]
fn an_account_deactivated_while_it_imports_a_stick_imports_nothing_more() {
    let golden = golden_bundles();
    let tmp = tempfile::tempdir().unwrap();
    let db = golden_kanwil(&tmp.path().join("k"));
    let read = |f: &str| {
        let name = format!("{f}.bansos-bundle");
        (name.clone(), std::fs::read(golden.join(name)).unwrap())
    };
    let mut kepala = open(&db, "kepala");
    let id = open(&db, "admin")
        .staff_list()
        .unwrap()
        .into_iter()
        .find(|s| s.username == "kepala")
        .unwrap()
        .id;
    // Taken on the reading thread, as the first file is read: after the use case's first check.
    let stick = [read("monthly-seq1"), read("monthly-seq2")]
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            if i == 0 {
                open(&db, "admin")
                    .set_staff_active(id, false, "Pindah tugas ke UPT lain", None)
                    .unwrap();
            }
            f
        });
    let e = kepala.import_bundle_stream(2, stick).unwrap_err();
    assert_eq!(e.kind, bansos::ErrorKind::SessionExpired, "{e:?}");
    let mut admin = open(&db, "admin");
    assert_eq!(
        admin.members().unwrap()[0].head_seq,
        None,
        "nothing imported"
    );
    assert!(
        !admin
            .audit_list(None, 50)
            .unwrap()
            .iter()
            .any(|a| a.action == "kanwil.import"),
        "no import logged"
    );
}

/// A folder's files are read one at a time as the import reaches them. One too large to read (a
/// sparse file past the bundle limit) is named with its reason, by the window's use case and by
/// the command line, and the bundles around it are imported all the same.
#[test]
fn a_file_too_large_in_a_folder_is_named_and_the_others_are_imported() {
    let golden = golden_bundles();
    let tmp = tempfile::tempdir().unwrap();
    let stick = tmp.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    for f in ["monthly-seq1", "monthly-seq2"] {
        let name = format!("{f}.bansos-bundle");
        std::fs::copy(golden.join(&name), stick.join(&name)).unwrap();
    }
    // Between the two by name, and larger than any bundle may be; never read whole.
    std::fs::File::create(stick.join("monthly-seq1b.bansos-bundle"))
        .unwrap()
        .set_len(bansos::bundle::BUNDLE_BYTES + 1)
        .unwrap();
    let restore = |dir: &str| golden_kanwil(&tmp.path().join(dir));
    // The window's way, into a folder that must be there first.
    let db = restore("window");
    let mut kw = open(&db, "kepala");
    let answers = tmp.path().join("answers");
    let e = kw
        .import_bundle_files(std::slice::from_ref(&stick), &answers)
        .unwrap_err();
    assert!(
        e.message(bansos::locale::Lang::En)
            .contains("does not exist"),
        "{e:?}"
    );
    assert_eq!(kw.members().unwrap()[0].head_seq, None, "nothing imported");
    // Nor into the backup folder: it holds backups only.
    let backups = bansos::backup::dir_for(&db);
    std::fs::create_dir_all(&backups).unwrap();
    let e = kw
        .import_bundle_files(std::slice::from_ref(&stick), &backups)
        .unwrap_err();
    assert!(
        e.message(bansos::locale::Lang::En)
            .contains("backup folder"),
        "{e:?}"
    );
    assert_eq!(kw.members().unwrap()[0].head_seq, None, "nothing imported");
    std::fs::create_dir(&answers).unwrap();
    let r = kw
        .import_bundle_files(std::slice::from_ref(&stick), &answers)
        .unwrap();
    let verdicts: Vec<&str> = r.verdicts.iter().map(|v| v.verdict.as_str()).collect();
    assert_eq!(verdicts, ["accepted", "accepted"]);
    assert_eq!(r.unreadable.len(), 1, "{:?}", r.unreadable);
    assert_eq!(r.unreadable[0].file_name, "monthly-seq1b.bansos-bundle");
    let why = r.unreadable[0].error_en.as_deref().unwrap_or_default();
    assert!(why.contains("too large"), "{why}");
    assert_eq!(kw.members().unwrap()[0].head_seq, Some(2));
    // Each received bundle's bytes are kept as they came, apart from its row (migration 0019,
    // which also moved those of the restored backup's older schema), and never change.
    drop(kw);
    let raw = crate::common::raw_open(&db, "kepala", PW);
    let count = |sql: &str| -> i64 { raw.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM inbox"),
        count("SELECT count(*) FROM inbox i JOIN inbox_bytes b ON b.inbox = i.id")
    );
    let kept: Vec<u8> = raw
        .query_row(
            "SELECT b.bytes FROM inbox i JOIN inbox_bytes b ON b.inbox = i.id WHERE i.seq = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        kept,
        std::fs::read(stick.join("monthly-seq1.bansos-bundle")).unwrap()
    );
    for (sql, why) in [
        ("UPDATE inbox_bytes SET bytes = x'00'", "does not change"),
        ("DELETE FROM inbox_bytes", "never deleted"),
        ("UPDATE inbox SET sha256 = sha256", "does not change"),
    ] {
        let e = raw.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains(why), "{sql}: {e}");
    }
    drop(raw);
    // The command line's way.
    let db = restore("cli");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bansos"))
        .env("BANSOS_DB", &db)
        .env("BANSOS_USER", "kepala")
        .env("BANSOS_PASSWORD", PW)
        .env("BANSOS_LANG", "en")
        .args(["regional", "import"])
        .arg(&stick)
        .arg("--answers")
        .arg(tmp.path().join("answers-cli"))
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("monthly-seq1b.bansos-bundle") && stderr.contains("too large"),
        "{stderr}"
    );
    assert_eq!(stdout.matches(": accepted").count(), 2, "{stdout}");
    assert_eq!(open(&db, "kepala").members().unwrap()[0].head_seq, Some(2));
}

#[test]
fn a_facility_changes_its_key_and_the_kanwil_follows_the_statement() {
    let dir = tempfile::tempdir().unwrap();
    let last = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now())).prev();
    let until = last.prev();
    let kdb = kanwil(dir.path());
    let mut kw = open(&kdb, "kepala");
    let (db, mut k) = enrolled(
        dir.path(),
        &mut kw,
        &Options {
            families: 12,
            months: 2,
            seed: 5,
            until,
            facility: 0,
        },
    );
    let old_fp = k.facility().unwrap().fingerprint;
    let old_bundles = bundles(&mut k);
    assert_eq!(old_bundles.len(), 2);
    let v = kw
        .import_bundles(vec![(old_bundles[0].1.clone(), old_bundles[0].2.clone())])
        .unwrap();
    assert_eq!(v[0].verdict, "accepted");
    // What the old key signed: a BAST and a public summary.
    let bast = k.handover(1).unwrap().qr_payload;
    let summary = k.public_summary_month(&until.key()).unwrap().pdf;
    // A copy of this PC, made before the change (it keeps the old key).
    drop(k);
    let clone = dir.path().join("clone").join("bansos.db");
    copy_db(&db, &clone);

    // Only the key holders change the key, and with a reason.
    let e = open(&db, "petugas")
        .rotate_key("PC lama diganti")
        .err()
        .unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::Forbidden);
    let mut k = open(&db, "kepala");
    let e = k.rotate_key("  ab ").err().unwrap();
    assert_eq!(e.field.as_deref(), Some("reason"));
    assert_eq!(k.facility().unwrap().fingerprint, old_fp, "nothing changed");
    let (rotated, statement) = k
        .rotate_key("Operator lama pindah tugas; kunci diperbarui")
        .unwrap();
    assert_eq!(rotated.old_fingerprint, old_fp);
    assert_eq!(rotated.old_key_last_seq, Some(2));
    let f = k.facility().unwrap();
    assert_eq!(f.fingerprint, rotated.new_fingerprint);
    assert_eq!(f.retired_keys.len(), 1);
    assert_eq!(f.retired_keys[0].fingerprint, old_fp);
    assert_eq!(k.rotation_file().unwrap().1, statement, "stored as made");
    // What the old key signed still checks here.
    let c = k.verify_receipt(&bast, None).unwrap();
    assert_eq!(c.verdict, bansos::receipt::Verdict::Valid);
    let s = k.verify_summary(&summary).unwrap();
    assert_eq!(s.verdict, bansos::month::summary::SummaryVerdict::Valid);
    assert!(k.verify_bundle(&old_bundles[1].2).unwrap().genuine);

    // The next month's bundle is signed by the new key: unknown to the Kanwil until the
    // statement comes.
    k.close_month(&last.key()).unwrap();
    let new_bundle = k.bundle_file(Some(3), None).unwrap();
    let v = kw
        .import_bundles(vec![(new_bundle.1.clone(), new_bundle.2.clone())])
        .unwrap();
    assert_eq!(v[0].reason.as_ref().unwrap().code, "unknown_key", "{v:?}");

    // A statement with a byte changed is refused and changes nothing.
    let entries = wire::unzip(&statement, bansos::bundle::ROTATION_ENTRIES, ("r", "r")).unwrap();
    let mut body = entries[0].1.clone();
    let i = body.len() - 30;
    body[i] ^= 1;
    let tampered = wire::zip(&[
        ("rotation.json", &body),
        ("rotation.sig", &entries[1].1),
        ("rotation.new.sig", &entries[2].1),
    ])
    .unwrap();
    assert!(kw.apply_key_rotation(&tampered).is_err());
    // Signed by the old key only (the new key's signature taken from another file): refused.
    let only_old = wire::zip(&[
        ("rotation.json", &entries[0].1),
        ("rotation.sig", &entries[1].1),
        ("rotation.new.sig", &entries[1].1),
    ])
    .unwrap();
    assert!(kw.apply_key_rotation(&only_old).is_err());
    let applied = kw.apply_key_rotation(&statement).unwrap();
    assert!(applied.changed);
    assert_eq!(applied.old_key_last_seq, Some(2));
    assert!(
        !kw.apply_key_rotation(&statement).unwrap().changed,
        "the same statement again"
    );

    // The old key's last bundle (seq 2) is still taken; the new key's seq 3 now too.
    let v = kw
        .import_bundles(vec![
            (old_bundles[1].1.clone(), old_bundles[1].2.clone()),
            (new_bundle.1.clone(), new_bundle.2.clone()),
        ])
        .unwrap();
    assert_eq!(
        v.iter().map(|v| v.verdict.as_str()).collect::<Vec<_>>(),
        ["accepted", "accepted"],
        "{v:#?}"
    );

    // The copied PC, still on the old key, closes the same month: its seq 3 is refused by name.
    let mut c = open(&clone, "kepala");
    c.close_month(&last.key()).unwrap();
    let forged = c.bundle_file(Some(3), None).unwrap();
    let v = kw.import_bundles(vec![(forged.1, forged.2)]).unwrap();
    let r = v[0].reason.as_ref().unwrap();
    assert_eq!(r.code, "retired_key", "{v:?}");
    assert!(r.en.contains("only up to seq 2"), "{}", r.en);
    // Nor a by-name list: a retired key signs nothing made after its statement.
    // Nor a registration: the province's key is never sent to the old key's holder.
    let (_, reg) = c.registration_file().unwrap();
    let e = kw.register_facility(&reg, &old_fp).unwrap_err();
    assert_eq!(e.kind, bansos::ErrorKind::Conflict, "{e:?}");
    assert!(
        e.message(bansos::locale::Lang::En).contains("was replaced"),
        "{e:?}"
    );
    let (_, list) = c.byname_file(&until.key(), "W12-PK.01.02-77").unwrap();
    let e = kw.open_byname(&list).err().unwrap();
    assert!(
        e.message(bansos::locale::Lang::En)
            .contains("has been replaced"),
        "{e:?}"
    );
    // Nor can it change the key on its own: the old key was already replaced.
    let (_, second) = c.rotate_key("Kunci diganti dari PC salinan").unwrap();
    let e = kw.apply_key_rotation(&second).err().unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::Conflict);
    assert_eq!(kw.members().unwrap()[0].head_seq, Some(3));
}

#[test]
fn a_by_name_list_is_made_on_request_and_opens_only_at_its_kanwil() {
    let dir = tempfile::tempdir().unwrap();
    let until = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now()))
        .prev()
        .prev();
    let kdb = kanwil(dir.path());
    let mut kw = open(&kdb, "kepala");
    let kanwil_fp = kw.facility().unwrap().fingerprint;
    let db = dir.path().join("f").join("bansos.db");
    make(
        &db,
        &Options {
            families: 14,
            months: 1,
            seed: 9,
            until,
            facility: 0,
        },
        |_| {},
    )
    .unwrap();
    let mut k = open(&db, "kepala");
    // Not before enrollment.
    let e = k
        .byname_file(&until.key(), "W12-PK.01.02-123")
        .err()
        .unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::Conflict, "{e:?}");
    let (_, reg) = k.registration_file().unwrap();
    let fp = k.facility().unwrap().fingerprint;
    let (_, enrollment) = kw.register_facility(&reg, &fp).unwrap();
    k.import_enrollment(&enrollment, Some(&kanwil_fp)).unwrap();

    // Key holders only, with the request's reference, for a closed month only.
    let e = open(&db, "petugas")
        .byname_file(&until.key(), "W12-PK.01.02-123")
        .err()
        .unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::Forbidden);
    let e = k.byname_file(&until.key(), " - ").err().unwrap();
    assert_eq!(e.field.as_deref(), Some("reference"));
    let e = k
        .byname_file(&until.next().key(), "W12-PK.01.02-123")
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("period"));
    let (made, file) = k.byname_file(&until.key(), "W12-PK.01.02-123").unwrap();
    let report = k.month_report(&until.key(), None).unwrap();

    // Opened at the Kanwil: one row per hand-over of the month, as the facility recorded it.
    let o = kw.open_byname(&file).unwrap();
    assert_eq!(
        (o.period.as_str(), o.reference.as_str()),
        (until.key().as_str(), "W12-PK.01.02-123")
    );
    assert_eq!(o.rows.len() as u64, made.rows);
    let live = o.rows.iter().filter(|r| !r.voided).count() as i64;
    assert_eq!(live, report.totals.packages);
    assert!(live > 0);
    let first = &o.rows[0];
    let h = (1..500)
        .filter_map(|id| k.handover(id).ok())
        .find(|h| h.bast_no == first.bast_no)
        .expect("the facility's own hand-over");
    assert_eq!(h.recipient_name, first.received_by);
    assert!(first.head_nik.as_ref().is_some_and(|n| n.len() == 16));
    // Nothing of a person in the clear: not the names, not a NIK, not a No. KK.
    for r in &o.rows {
        for s in [Some(&r.head_name), r.head_nik.as_ref(), r.kk.as_ref()]
            .into_iter()
            .flatten()
        {
            assert!(
                !file.windows(s.len()).any(|w| w == s.as_bytes()),
                "{s} in the clear"
            );
        }
    }
    // The Kanwil's log says who opened which list; the facility's says who made it.
    let log = kw.audit_list(None, 20).unwrap();
    assert!(
        log.iter().any(|e| e.action == "kanwil.byname_open"),
        "{log:?}"
    );
    let log = open(&db, "admin").audit_list(None, 20).unwrap();
    assert!(log.iter().any(|e| e.action == "exchange.byname"));

    // A byte changed in the list, or the list at another Kanwil: refused, naming why.
    let entries = wire::unzip(&file, bansos::bundle::BYNAME_ENTRIES, ("b", "b")).unwrap();
    let mut part = entries[2].1.clone();
    let i = part.len() / 2;
    part[i] ^= 1;
    let tampered = wire::zip(&[
        ("byname.json", &entries[0].1),
        ("byname.sig", &entries[1].1),
        ("byname.json.age", &part),
    ])
    .unwrap();
    let e = kw.open_byname(&tampered).err().unwrap();
    assert!(
        e.message(bansos::locale::Lang::En)
            .contains("byname.json.age"),
        "{e:?}"
    );
    let other = tempfile::tempdir().unwrap();
    let mut kw2 = open(&kanwil(other.path()), "kepala");
    assert!(kw2.open_byname(&file).is_err());
    // A facility opens no by-name list; a Kanwil makes none.
    assert_eq!(
        k.open_byname(&file).err().unwrap().kind,
        bansos::ErrorKind::Conflict
    );
    assert_eq!(
        kw.byname_file(&until.key(), "W12-PK.01.02-123")
            .err()
            .unwrap()
            .kind,
        bansos::ErrorKind::Conflict
    );
}

#[test]
fn two_key_changes_on_a_stick_are_taken_in_either_order() {
    let dir = tempfile::tempdir().unwrap();
    let until = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now())).prev();
    let kdb = dir.path().join("kanwil").join("bansos.db");
    let made = bansos::demo::province(
        &kdb,
        1,
        &Options {
            families: 10,
            months: 1,
            seed: 2,
            until,
            facility: 0,
        },
        |_| {},
    )
    .unwrap();
    let db = PathBuf::from(&made.facilities[0].1);
    // Two desks change the key one after the other: A → B, then B → C.
    let (first, a) = open(&db, "kepala")
        .rotate_key("Desk satu ganti kunci")
        .unwrap();
    let (second, b) = open(&db, "kepala")
        .rotate_key("Desk dua ganti kunci")
        .unwrap();
    assert_eq!(first.new_fingerprint, second.old_fingerprint);
    // On the stick the later one sorts first.
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    std::fs::write(stick.join("a-later.bansos-key-rotation"), &b).unwrap();
    std::fs::write(stick.join("b-earlier.bansos-key-rotation"), &a).unwrap();
    let mut kw = open(&kdb, "kepala");
    let r = kw.apply_rotation_files(&[stick]).unwrap();
    assert_eq!(r.len(), 2);
    assert!(
        r.iter().all(|o| o.ok.as_ref().is_some_and(|a| a.changed)),
        "{r:?}"
    );
    let fps = &kw.members().unwrap()[0].fingerprints;
    assert!(fps.contains(&second.new_fingerprint), "{fps:?}");
}

#[test]
fn the_facility_code_stays_once_a_bast_carries_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_, db, _) = unenrolled(dir.path(), 10, 4);
    let mut a = open(&db, "admin");
    let f = a.facility().unwrap();
    let mut s = bansos::app::FacilitySettings {
        profile: f.profile.clone(),
        receipt_pattern: f.receipt_pattern.clone(),
        idle_minutes: 30,
    };
    s.profile.code = "RUTAN-LAIN".into();
    let e = a.update_facility(&s).err().unwrap();
    assert_eq!(e.field.as_deref(), Some("code"), "{e:?}");
    assert!(
        e.message(bansos::locale::Lang::En)
            .contains("can no longer change"),
        "{e:?}"
    );
    assert_eq!(a.facility().unwrap().profile.code, f.profile.code);
    // The rest of the profile still changes.
    s.profile.code = f.profile.code.clone();
    s.profile.head_name = "Bambang Sutrisno".into();
    assert_eq!(
        a.update_facility(&s).unwrap().profile.head_name,
        "Bambang Sutrisno"
    );
}

/// A month reopened and closed again before the facility was enrolled: at enrollment the bundle
/// of its first closing is made from the records as they stood when it closed (not with the BAST
/// voided during the reopening, whose stock came back on its own day), so the Kanwil takes both
/// closings, the second as a revision of the first.
#[test]
fn a_month_closed_twice_before_enrollment_sends_each_closing_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kw, db, until) = unenrolled(dir.path(), 12, 5);
    let mut k = open(&db, "kepala");
    k.reopen_month(&until.key(), "Satu BAST salah keluarga")
        .unwrap();
    let h = (1..500)
        .filter_map(|id| k.handover(id).ok())
        .find(|h| h.date.starts_with(&until.key()) && !h.voided)
        .expect("a live hand-over in the month");
    open(&db, "verifikator")
        .void_handover(h.id, "Salah keluarga, dicatat ulang")
        .unwrap();
    let second = k.close_month(&until.key()).unwrap();
    assert_eq!(second.revision, 2);

    enroll(&mut k, &mut kw);
    let made = bundles(&mut k);
    assert_eq!(made.len(), 2, "both closings");
    // Each bundle's records are its closing's: the first has the movements its report counted,
    // not the void's return of stock written after it.
    for ((_, _, bytes), revision) in made.iter().zip([1, 2]) {
        let entries = wire::unzip(bytes, bansos::bundle::BUNDLE_ENTRIES, ("b", "b")).unwrap();
        let manifest: serde_json::Value = serde_json::from_slice(
            &entries
                .iter()
                .find(|(n, _)| n == "manifest.json")
                .unwrap()
                .1,
        )
        .unwrap();
        let report = k.month_report(&until.key(), Some(revision)).unwrap();
        assert_eq!(
            manifest["totals"]["movements"].as_i64(),
            Some(report.totals.movements),
            "revision {revision}"
        );
    }
    let v = kw
        .import_bundles(
            made.iter()
                .map(|(_, n, b)| (n.clone(), b.clone()))
                .collect(),
        )
        .unwrap();
    assert_eq!(
        v.iter().map(|v| v.verdict.as_str()).collect::<Vec<_>>(),
        ["accepted", "revision"],
        "{v:#?}"
    );
}

/// A family served as an inmate's family, whose category changes after its month closed (the
/// inmate released) and before the facility was enrolled: the month's bundle, made at enrollment,
/// counts the package under the category it had when handed over, as the report did.
#[test]
fn a_category_changed_after_the_closing_leaves_the_months_bundle_as_it_was() {
    use bansos::family::model::Category;
    let dir = tempfile::tempdir().unwrap();
    let (mut kw, db, until) = unenrolled(dir.path(), 12, 6);
    let mut k = open(&db, "kepala");
    let mut p = open(&db, "petugas");
    let served = (1..500)
        .filter_map(|id| k.handover(id).ok())
        .filter(|h| h.date.starts_with(&until.key()) && !h.voided)
        .map(|h| h.family_id)
        .find(|f| p.family_get(*f).unwrap().category == Category::KeluargaWbp)
        .expect("an inmate's family served in the month");
    let mut input = p.family_get(served).unwrap().as_input();
    input.category = Category::MasyarakatSekitar;
    p.family_update(served, &input).unwrap();

    enroll(&mut k, &mut kw);
    let made = bundles(&mut k);
    let v = kw
        .import_bundles(
            made.iter()
                .map(|(_, n, b)| (n.clone(), b.clone()))
                .collect(),
        )
        .unwrap();
    assert_eq!(v[0].verdict, "accepted", "{v:#?}");
}

/// A facility whose PC was stolen: revoked, nothing is expected of it until it registers a new
/// key; registered again, it is no longer revoked and its bundles under the new key are taken.
/// Months before a facility's first are not counted as not reported.
#[test]
fn a_revoked_facility_registered_again_with_a_new_key_is_taken_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kw, db, until) = unenrolled(dir.path(), 10, 7);
    let mut k = open(&db, "kepala");
    enroll(&mut k, &mut kw);
    let made = bundles(&mut k);
    let v = kw
        .import_bundles(
            made.iter()
                .map(|(_, n, b)| (n.clone(), b.clone()))
                .collect(),
        )
        .unwrap();
    assert_eq!(v[0].verdict, "accepted", "{v:?}");
    let code = kw.members().unwrap()[0].code.clone();
    assert!(
        kw.regional_recap(&until.prev().key())
            .unwrap()
            .not_reported
            .is_empty(),
        "before its first month nothing is expected"
    );

    kw.revoke_facility(&code, "PC kantor hilang dicuri")
        .unwrap();
    let row = kw.regional_completeness(&until.next().key()).unwrap();
    assert_eq!(row[0].state, "not_expected", "{row:?}");
    assert_eq!(row[0].days_late, 0);
    // Checked by hand at the Kanwil (`bundle verify`), a bundle of the revoked key is named so.
    let check = kw.verify_bundle(&made[0].2).unwrap();
    assert!(!check.genuine, "{check:?}");
    assert_eq!(check.reason.unwrap().code, "revoked_key");
    // The stolen PC registering again with its own key (its fingerprint read out by the thief)
    // gets nothing, and the facility stays revoked.
    let (_, stolen) = k.registration_file().unwrap();
    let stolen_fp = k.facility().unwrap().fingerprint;
    let e = kw.register_facility(&stolen, &stolen_fp).unwrap_err();
    assert_eq!(e.kind, bansos::ErrorKind::Conflict, "{e:?}");
    assert!(
        e.message(bansos::locale::Lang::Id)
            .contains("sudah dicabut"),
        "{e:?}"
    );
    assert!(kw.members().unwrap()[0].revoked_at.is_some());

    // The new PC: a new key, its fingerprint compared, registered again.
    k.rotate_key("PC baru sesudah pencurian").unwrap();
    enroll(&mut k, &mut kw);
    assert!(kw.members().unwrap()[0].revoked_at.is_none());
    k.reopen_month(&until.key(), "Koreksi sesudah PC baru")
        .unwrap();
    k.close_month(&until.key()).unwrap();
    let last = bundles(&mut k).pop().unwrap();
    let v = kw.import_bundles(vec![(last.1, last.2)]).unwrap();
    assert_eq!(v[0].verdict, "revision", "{v:#?}");
    // Nor after the new key is in: the old one stays out.
    let e = kw.register_facility(&stolen, &stolen_fp).unwrap_err();
    assert_eq!(e.kind, bansos::ErrorKind::Conflict, "{e:?}");
}

/// A copy damaged on the way is refused `altered_part`: the facility's bundle is not at fault,
/// so it is not settled as refused but goes again after a wait (docs/bundle-format.md §8). The
/// good copy's acknowledgment then holds: the old refusal imported once more takes nothing back.
#[test]
fn a_copy_damaged_on_the_way_goes_again_and_its_old_refusal_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kw, db, _) = unenrolled(dir.path(), 10, 11);
    let mut k = open(&db, "kepala");
    enroll(&mut k, &mut kw);
    let (seq, name, good) = bundles(&mut k).remove(0);
    // One byte of the clear aggregates flipped, as a bad stick or line would.
    let entries = wire::unzip(&good, bansos::bundle::BUNDLE_ENTRIES, ("b", "b")).unwrap();
    let damaged: Vec<(&str, Vec<u8>)> = entries
        .iter()
        .map(|(n, b)| {
            let mut b = b.clone();
            if n == "aggregates.json" {
                let i = b.len() / 2;
                b[i] ^= 1;
            }
            (n.as_str(), b)
        })
        .collect();
    let damaged = wire::zip(
        &damaged
            .iter()
            .map(|(n, b)| (*n, b.as_slice()))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let v = kw.import_bundles(vec![(name.clone(), damaged)]).unwrap();
    assert_eq!(v[0].reason.as_ref().unwrap().code, "altered_part", "{v:?}");
    let (_, refusal) = v[0].answer.clone().unwrap();

    let r = k.import_answer(&refusal).unwrap();
    assert_eq!(r.verdict, "refused");
    assert!(r.resend_at.is_some(), "{r:?}");
    let line = k.outbox().unwrap().bundles.remove(0);
    assert_eq!((line.seq, line.state.as_str()), (seq, "sent"), "{line:?}");
    assert_eq!(line.next_try_at, r.resend_at);
    assert!(
        line.last_error
            .as_deref()
            .is_some_and(|e| e.contains("aggregates.json")),
        "{line:?}"
    );

    // The good copy goes and is acknowledged; the old refusal again changes nothing.
    let v = kw.import_bundles(vec![(name, good)]).unwrap();
    assert_eq!(v[0].verdict, "accepted", "{v:?}");
    let (_, ack) = v[0].answer.clone().unwrap();
    assert_eq!(k.import_answer(&ack).unwrap().verdict, "accepted");
    let again = k.import_answer(&refusal).unwrap();
    assert!(!again.changed, "{again:?}");
    assert_eq!(k.outbox().unwrap().bundles[0].state, "acknowledged");
}

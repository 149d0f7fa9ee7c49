//! Beranda (issue 15): every figure on the dashboard equals the database's own or, for a closed
//! month, its stored report; the open month is live and says which days it counts; each role
//! sees only its parts. The Kanwil's dashboard sums the province as its recap does.

use bansos::demo::{make, Options};
use bansos::month::Month;
use bansos::{App, Credentials};
use std::path::Path;
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

#[test]
fn the_dashboard_shows_the_database_and_the_stored_reports() {
    let dir = tempfile::tempdir().unwrap();
    let today = bansos::locale::TimeZone::Wib.today(chrono::Utc::now());
    let now = Month::of(today);
    let last = now.prev();
    let db = dir.path().join("bansos.db");
    make(
        &db,
        &Options {
            families: 20,
            months: 3,
            seed: 7,
            until: last.prev(),
            facility: 0,
        },
        |_| {},
    )
    .unwrap();
    let mut k = open(&db, "kepala");
    let d = k.dashboard().unwrap();
    assert_eq!(d.today, today.to_string());
    // From the facility's first month (the demo's three closed months) to this one.
    assert_eq!(
        d.months
            .iter()
            .map(|f| f.period.clone())
            .collect::<Vec<_>>(),
        [
            last.prev().prev().prev(),
            last.prev().prev(),
            last.prev(),
            last,
            now
        ]
        .iter()
        .map(|m| m.key())
        .collect::<Vec<_>>()
    );
    assert_eq!(d.months.last().unwrap(), &d.this_month);
    // The month running now: live, from the 1st to today.
    assert!(d.this_month.live);
    assert_eq!(d.this_month.period, now.key());
    assert_eq!(d.this_month.first, now.first().to_string());
    assert_eq!(d.this_month.last, today.to_string());
    // Closed months: exactly their stored reports.
    for m in [last.prev().prev().prev(), last.prev().prev(), last.prev()] {
        let f = d.months.iter().find(|f| f.period == m.key()).unwrap();
        let r = k.month_report(&m.key(), None).unwrap();
        assert!(!f.live, "{}", m.key());
        assert_eq!(f.revision, Some(r.revision));
        assert_eq!(
            (f.families, f.packages, f.keluarga_wbp, f.masyarakat_sekitar),
            (
                r.served.families,
                r.served.packages,
                r.served.keluarga_wbp,
                r.served.masyarakat_sekitar
            )
        );
        assert_eq!(f.issued_value, r.issued_value);
        let items: Vec<_> = r
            .items
            .iter()
            .filter(|i| !i.handed_over.is_zero())
            .map(|i| (i.code.clone(), i.handed_over))
            .collect();
        assert_eq!(
            f.items
                .iter()
                .map(|i| (i.code.clone(), i.handed_over))
                .collect::<Vec<_>>(),
            items
        );
    }
    assert!(d.months.iter().any(|f| f.packages > 0), "the demo's months");
    // Last month has ended and is not closed: it is to be closed, and counted live.
    assert_eq!(d.to_close, vec![last.key()]);
    let lf = d.months.iter().find(|f| f.period == last.key()).unwrap();
    assert!(lf.live);
    assert_eq!(lf.last, last.last().to_string());
    // Families by category: the registry's own counts.
    let families = d.families.as_ref().unwrap();
    let total: i64 = families.iter().map(|c| c.registered).sum();
    let listed = k
        .family_list(
            &bansos::family::view::FamilyFilter {
                query: String::new(),
                category: None,
                verification: None,
                active: Some(true),
            },
            1,
            0,
        )
        .unwrap()
        .total;
    assert_eq!(total, listed);
    assert!(families.iter().all(|c| c.eligible <= c.registered));
    let verified = k
        .family_list(
            &bansos::family::view::FamilyFilter {
                query: String::new(),
                category: None,
                verification: Some(bansos::family::model::Verification::Verified),
                active: Some(true),
            },
            1,
            0,
        )
        .unwrap()
        .total;
    assert!(families.iter().map(|c| c.eligible).sum::<i64>() <= verified);
    // Stock: the overview's own.
    let s = k.stock_overview(None).unwrap();
    assert_eq!(
        d.stock.items.iter().map(|i| i.quantity).collect::<Vec<_>>(),
        s.items.iter().map(|i| i.quantity).collect::<Vec<_>>()
    );
    // Not enrolled: no bundle yet.
    assert!(!d.outbox.enrolled);
    assert_eq!(d.outbox.created + d.outbox.acknowledged, 0);
    // The Admin sees no registry figures; the Petugas does.
    let a = open(&db, "admin").dashboard().unwrap();
    assert!(a.families.is_none() && a.events.is_none());
    assert_eq!(a.this_month, d.this_month);
    assert!(open(&db, "petugas").dashboard().unwrap().families.is_some());
}

#[test]
fn the_kanwil_dashboard_sums_the_province() {
    let dir = tempfile::tempdir().unwrap();
    let kdb = dir.path().join("kanwil").join("bansos.db");
    let last = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now())).prev();
    let made = bansos::demo::province(
        &kdb,
        3,
        &Options {
            families: 12,
            months: 2,
            seed: 8,
            until: last,
            facility: 0,
        },
        |_| {},
    )
    .unwrap();
    let mut kw = open(&kdb, "kepala");
    let d = kw.regional_dashboard().unwrap();
    assert_eq!(d.period, last.key());
    assert_eq!((d.members, d.reported), (3, 3));
    assert!(d.outstanding.is_empty());
    let mut packages = 0;
    for (_, db) in &made.facilities {
        packages += open(Path::new(db), "kepala")
            .month_report(&last.key(), None)
            .unwrap()
            .served
            .packages;
    }
    assert_eq!(d.recap.total.packages, packages);
    assert_eq!(
        d.cross_pairs,
        kw.regional_duplicates(&last.key()).unwrap().len() as i64
    );
    // A facility has no regional dashboard, a Kanwil no facility one.
    assert!(kw.dashboard().is_err());
    let (_, f) = &made.facilities[0];
    assert!(open(Path::new(f), "kepala").regional_dashboard().is_err());
}

#[test]
fn the_command_line_shows_the_same_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let last = Month::of(bansos::locale::TimeZone::Wib.today(chrono::Utc::now())).prev();
    let db = dir.path().join("bansos.db");
    make(
        &db,
        &Options {
            families: 12,
            months: 2,
            seed: 9,
            until: last,
            facility: 0,
        },
        |_| {},
    )
    .unwrap();
    let run = |lang: &str, json: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_bansos"));
        c.arg("dashboard")
            .env("BANSOS_DB", &db)
            .env("BANSOS_USER", "kepala")
            .env("BANSOS_PASSWORD", PW)
            .env("BANSOS_LANG", lang);
        if json {
            c.arg("--json");
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let v: serde_json::Value = serde_json::from_str(&run("id", true)).unwrap();
    let r = open(&db, "kepala").month_report(&last.key(), None).unwrap();
    let m = v["months"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["period"] == last.key())
        .unwrap();
    assert_eq!(m["packages"], r.served.packages);
    assert_eq!(m["live"], false);
    let text = run("id", false);
    assert!(text.contains(&format!("{}  ", r.served.packages)), "{text}");
    assert!(
        text.contains(&last.words(bansos::locale::Lang::Id)),
        "{text}"
    );
    let en = run("en", false);
    assert!(
        en.contains("This month:") && en.contains("Packages by month:"),
        "{en}"
    );
}

/// Beranda's registered and eligible families by category come from a tally the store keeps
/// (migration 0018). After every kind of change to a family, it equals the count of the rows.
#[test]
fn the_stores_category_tally_follows_every_change_to_a_family() {
    let dir = tempfile::tempdir().unwrap();
    let today = bansos::locale::TimeZone::Wib.today(chrono::Utc::now());
    let db = dir.path().join("bansos.db");
    make(
        &db,
        &Options {
            families: 40,
            months: 1,
            seed: 5,
            until: Month::of(today).prev(),
            facility: 0,
        },
        |_| {},
    )
    .unwrap();
    let raw = crate::common::raw_open(&db, "kepala", PW);
    let rows = |sql: &str| -> Vec<(String, i64, i64)> {
        raw.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let counted = || {
        rows(
            "SELECT category, count(*),
                    sum(CASE WHEN verification = 'verified' AND consent_date IS NOT NULL THEN 1 ELSE 0 END)
             FROM family WHERE active = 1 AND merged_into IS NULL GROUP BY category ORDER BY category",
        )
    };
    let tally = || {
        rows("SELECT category, registered, eligible FROM family_tally WHERE registered > 0 ORDER BY category")
    };
    // The family list's total under each filter: with the default one (active) it comes from
    // the tally, plus any active family that is merged; otherwise from the rows.
    let mut app = open(&db, "kepala");
    let listed = |app: &mut App| -> Vec<i64> {
        use bansos::family::model::{Category, Verification};
        let mut totals = Vec::new();
        for active in [Some(true), Some(false), None] {
            for category in [
                None,
                Some(Category::KeluargaWbp),
                Some(Category::MasyarakatSekitar),
            ] {
                for verification in [None, Some(Verification::Verified)] {
                    let f = bansos::family::view::FamilyFilter {
                        query: String::new(),
                        category,
                        verification,
                        active,
                    };
                    totals.push(app.family_list(&f, 1, 0).unwrap().total);
                }
            }
        }
        totals
    };
    let count = |sql: &str| -> Vec<i64> {
        let mut totals = Vec::new();
        for active in ["active = 1", "active = 0", "1"] {
            for category in [
                "1",
                "category = 'keluarga_wbp'",
                "category = 'masyarakat_sekitar'",
            ] {
                for verification in ["1", "verification = 'verified'"] {
                    totals.push(
                        raw.query_row(
                            &format!("SELECT count(*) FROM family WHERE {active} AND {category} AND {verification} AND {sql}"),
                            [],
                            |r| r.get(0),
                        )
                        .unwrap(),
                    );
                }
            }
        }
        totals
    };
    let first = counted();
    assert!(
        first.len() == 2 && first.iter().all(|(_, _, e)| *e > 0),
        "{first:?}"
    );
    assert_eq!(tally(), first);
    assert_eq!(listed(&mut app), count("1"));
    for sql in [
        "UPDATE family SET category = CASE category WHEN 'keluarga_wbp' THEN 'masyarakat_sekitar' \
         ELSE 'keluarga_wbp' END WHERE id % 3 = 0",
        "UPDATE family SET active = 0 WHERE id % 5 = 1",
        "UPDATE family SET merged_into = 1 WHERE id IN (2, 7)",
        "UPDATE family SET verification = 'draft' WHERE id % 4 = 2",
        "UPDATE family SET consent_date = NULL WHERE id % 7 = 3",
        "UPDATE family SET active = 1, merged_into = NULL WHERE id % 5 = 1 OR id = 2",
        "UPDATE family SET verification = 'verified', consent_date = '2024-01-02' WHERE id % 2 = 0",
        "UPDATE family SET category = 'keluarga_wbp', active = 0 WHERE id = 4",
        "INSERT INTO family (category, consent_date, verification, created_at, created_by, updated_at) \
         VALUES ('masyarakat_sekitar', '2024-01-01', 'verified', 'x', 'x', 'x')",
        "DELETE FROM family WHERE id = (SELECT max(id) FROM family)",
    ] {
        raw.execute_batch(sql).unwrap();
        assert_eq!(tally(), counted(), "after {sql}");
        assert_eq!(listed(&mut app), count("1"), "the list's totals after {sql}");
    }
    assert_ne!(counted(), first, "the changes changed the counts");
}

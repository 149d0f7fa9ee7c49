//! `bansos demo`: a realistic facility made through the program's own use cases; the same seed
//! gives the same records and so the same stored monthly reports, byte for byte.

use bansos::demo::{make, Options};
use bansos::month::{Month, MonthState};

fn reports(db: &std::path::Path) -> Vec<(String, String)> {
    let clock = std::sync::Arc::new(bansos::clock::SystemClock);
    let mut k = bansos::App::open(
        db,
        clock,
        &bansos::Credentials::new("kepala", "demo-bansos-2024"),
    )
    .unwrap();
    k.months()
        .unwrap()
        .into_iter()
        .filter_map(|l| {
            let c = l.closing?;
            assert!(matches!(l.state, MonthState::Closed | MonthState::Nihil));
            Some((l.period, c.report_sha256))
        })
        .collect()
}

#[test]
fn a_demo_is_the_same_for_the_same_seed_and_closes_every_month() {
    let dir = tempfile::tempdir().unwrap();
    let opts = |seed| Options {
        families: 24,
        months: 3,
        seed,
        until: Month::parse("2025-06").unwrap(),
        facility: 0,
    };
    let a = dir.path().join("a").join("bansos.db");
    let b = dir.path().join("b").join("bansos.db");
    let c = dir.path().join("c").join("bansos.db");
    let made = make(&a, &opts(7), |_| {}).unwrap();
    make(&b, &opts(7), |_| {}).unwrap();
    make(&c, &opts(8), |_| {}).unwrap();
    assert_eq!(made.families, 24);
    assert_eq!(made.months_closed, ["2025-04", "2025-05", "2025-06"]);
    assert!(
        made.handovers > 24,
        "about two thirds of the families each month"
    );
    let (ra, rb, rc) = (reports(&a), reports(&b), reports(&c));
    assert_eq!(ra.len(), 3);
    assert_eq!(ra, rb, "the same seed, the same reports");
    assert_ne!(ra, rc, "another seed, other data");
    // A demo never replaces a database.
    let e = make(&a, &opts(7), |_| {}).err().unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::Conflict);
}

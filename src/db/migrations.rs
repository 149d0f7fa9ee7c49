//! Numbered, append-only schema migrations tracked by `PRAGMA user_version`. Never edit a shipped
//! migration: add the next one. All pending migrations run in one exclusive transaction, so a
//! crash leaves the old schema whole.

use crate::error::Result;
use rusqlite::Connection;

/// (version, SQL). The version a migration brings the database to is its position, counted from 1.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_foundation.sql")),
    (2, include_str!("migrations/0002_registry.sql")),
    (3, include_str!("migrations/0003_stock.sql")),
    (4, include_str!("migrations/0004_distribution.sql")),
    (5, include_str!("migrations/0005_handover.sql")),
    (6, include_str!("migrations/0006_receipt.sql")),
    (7, include_str!("migrations/0007_lot_month.sql")),
    (8, include_str!("migrations/0008_store_rules.sql")),
    (9, include_str!("migrations/0009_value_limits.sql")),
    (10, include_str!("migrations/0010_text_limits.sql")),
    (11, include_str!("migrations/0011_period_check_by_date.sql")),
    (12, include_str!("migrations/0012_month_close.sql")),
    (13, include_str!("migrations/0013_exchange.sql")),
    (14, include_str!("migrations/0014_key_rotation.sql")),
    (15, include_str!("migrations/0015_upload.sql")),
    (16, include_str!("migrations/0016_dashboard.sql")),
    (17, include_str!("migrations/0017_event_planned.sql")),
    (18, include_str!("migrations/0018_family_tally.sql")),
    (19, include_str!("migrations/0019_import_pages.sql")),
    (20, include_str!("migrations/0020_served_by_bundle.sql")),
    (
        21,
        include_str!("migrations/0021_verified_handover_and_single_merge.sql"),
    ),
    (22, include_str!("migrations/0022_pair_detail_en.sql")),
    (23, include_str!("migrations/0023_handover_category.sql")),
    (
        24,
        include_str!("migrations/0024_staff_credentials_gen.sql"),
    ),
];

pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn run(conn: &Connection) -> Result<()> {
    run_to(conn, LATEST)
}

/// Brings the database to `latest`, not further: a test's store as an older version left it.
pub(crate) fn run_to(conn: &Connection, latest: i64) -> Result<()> {
    conn.execute_batch("BEGIN EXCLUSIVE")?;
    let result = (|| -> Result<()> {
        let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (version, sql) in MIGRATIONS
            .iter()
            .filter(|(v, _)| *v > current && *v <= latest)
        {
            conn.execute_batch(sql)?;
            conn.execute_batch(&format!("PRAGMA user_version = {version}"))?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_numbered_from_one_without_gaps() {
        for (i, (v, _)) in super::MIGRATIONS.iter().enumerate() {
            assert_eq!(
                *v,
                i as i64 + 1,
                "migration versions must be 1, 2, 3, … in order"
            );
        }
    }
}

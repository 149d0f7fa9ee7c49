//! Bench data only (`bansos bench`, on its own throw-away database): generated families and
//! ten years of past hand-overs written straight into the tables, in one transaction each and
//! without audit entries, through the same triggers as real use.

use crate::error::Result;
use crate::family::db as fdb;
use crate::family::model::{self, Category, ValidFamily};
use crate::region::Regions;
use rusqlite::{params, Connection, Transaction};

/// Inserts `n` generated families. `gen(i, add)` calls `add(kk, village, [(name, nik)…])` for
/// family `i`; the first person is the head.
#[allow(clippy::type_complexity)]
pub fn seed_families(
    tx: &Transaction,
    at: &str,
    actor: &str,
    today: chrono::NaiveDate,
    n: usize,
    mut gen: impl FnMut(usize, &mut dyn FnMut(String, String, Vec<(String, String)>)),
) -> Result<()> {
    use crate::family::model::{name_key, PoorReason, Relationship, ValidMember, WbpStatus};
    for i in 0..n {
        let mut result: Result<()> = Ok(());
        gen(i, &mut |kk, village, people| {
            let members = people
                .into_iter()
                .enumerate()
                .map(|(k, (name, nik))| {
                    let info =
                        crate::family::nik::check_nik(&nik, None, None, today, Regions::shipped())
                            .ok();
                    ValidMember {
                        id: None,
                        name_key: name_key(&name),
                        name,
                        nik: Some(nik),
                        nik_temporary: false,
                        sex: info.as_ref().map(|i| i.sex),
                        birth_date: info.and_then(|i| model::parse_date(&i.birth_date)),
                        relationship: if k == 0 {
                            Relationship::KepalaKeluarga
                        } else {
                            Relationship::Anak
                        },
                    }
                })
                .collect();
            let v = ValidFamily {
                category: if i % 3 == 0 {
                    Category::MasyarakatSekitar
                } else {
                    Category::KeluargaWbp
                },
                kk: Some(kk),
                kk_change_reason: None,
                address: "Dukuh Krajan".into(),
                rt: "001".into(),
                rw: "002".into(),
                region_code: Some(village),
                phone: String::new(),
                wbp_name: if i % 3 == 0 {
                    String::new()
                } else {
                    "Slamet".into()
                },
                wbp_reg_no: if i % 3 == 0 {
                    String::new()
                } else {
                    format!("BI.{i}/2024")
                },
                wbp_status: (i % 3 != 0).then_some(WbpStatus::Ditahan),
                wbp_relation: String::new(),
                reasons: vec![PoorReason::PenghasilanTidakTetap],
                reason_note: String::new(),
                dtks_decile: None,
                consent_date: None,
                members,
            };
            result = fdb::insert(tx, &v, at, actor, "bench").map(|_| ());
        });
        result?;
    }
    fdb::bump_rev(tx)?;
    Ok(())
}

/// Marks the first `n` families verified with consent.
pub fn verify_families(tx: &Transaction, at: &str, actor: &str, n: usize) -> Result<()> {
    tx.execute(
        "UPDATE family SET verification = 'verified', verified_by = ?2, verified_at = ?3,
                consent_date = '2024-01-01', evidence_note = 'bench' WHERE id <= ?1",
        params![n as i64, actor, at],
    )?;
    Ok(())
}

pub fn count_persons(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM person", [], |r| r.get(0))?)
}

/// `n` past hand-overs (BASTs of 2015 onwards, 100,000 a year, spread over the registry's
/// families), with the stock behind them: one event a month (approved, its recipients planned,
/// then completed), one receipt a month with a lot each of rice, sugar and oil holding exactly
/// that month's packages, and three issue movements per hand-over (the lot balances kept by the
/// trigger, as in real use). `n` is a multiple of 100,000.
pub fn seed_past_handovers(
    tx: &Transaction,
    at: &str,
    actor: &str,
    n: usize,
    template_id: i64,
) -> Result<()> {
    let n = n - n % 100_000;
    let months = (n / 100_000 * 12) as i64;
    let families: i64 = tx.query_row("SELECT count(*) FROM family", [], |r| r.get(0))?;
    // A family served in those ten years was verified (the store refuses a hand-over otherwise).
    verify_families(tx, at, actor, families as usize)?;
    // Hand-over k is in month m = year * 12 + (k % 100000) / 8334 (8,334 a month, 8,326 in
    // December), to family 1 + k % families: once a year each, so once a month at most.
    let month_of = "((k / 100000) * 12 + (k % 100000) / 8334)";
    // Month m's event has id 1,000,000 + m.
    tx.execute(
        "WITH RECURSIVE mo(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM mo WHERE m + 1 < ?1)
         INSERT INTO event (id, date, place, kind, template_id, status, created_at, created_by)
         SELECT 1000000 + m, printf('%d-%02d-15', 2015 + m / 12, 1 + m % 12), 'Aula',
                'rutin_bulanan', ?2, 'draft', ?3, ?4 FROM mo",
        params![months, template_id, at, actor],
    )?;
    tx.execute(
        &format!(
            "WITH RECURSIVE i(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM i WHERE k + 1 < ?1)
             INSERT INTO event_recipient (event_id, family_id, added_at, added_by)
             SELECT 1000000 + {month_of}, 1 + k % ?2, ?3, ?4 FROM i"
        ),
        params![n as i64, families.max(1), at, actor],
    )?;
    tx.execute(
        "UPDATE event SET status = 'approved', approved_by = ?1, approved_at = ?2 WHERE id >= 1000000",
        params![actor, at],
    )?;
    tx.execute(
        &format!(
            "WITH RECURSIVE i(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM i WHERE k + 1 < ?1)
             INSERT INTO handover (event_id, family_id, year, seq, bast_no, date, period, at, officer,
                                   officer_name, officer_nip, officer_position, recipient_name, items)
             SELECT 1000000 + {month_of}, 1 + k % ?2, 2015 + k / 100000, 1 + k % 100000,
                    printf('%06d/BAST-BANSOS/BENCH/I/%d', 1 + k % 100000, 2015 + k / 100000),
                    printf('%d-%02d-15', 2015 + k / 100000, 1 + (k % 100000) / 8334),
                    printf('%d-%02d', 2015 + k / 100000, 1 + (k % 100000) / 8334),
                    ?3, ?4, 'Petugas', '', 'Petugas', 'Penerima', '[]'
             FROM i"
        ),
        params![n as i64, families.max(1), at, actor],
    )?;
    tx.execute(
        "UPDATE event SET status = 'completed', closed_at = ?1 WHERE id >= 1000000",
        [at],
    )?;
    // Month m: receipt 1,000,000 + m; lots 1,000,000 + 3m + j for rice (5 kg a package), sugar
    // and oil (1 each).
    let per_month = "(CASE WHEN m % 12 = 11 THEN 8326 ELSE 8334 END)";
    tx.execute(
        "WITH RECURSIVE mo(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM mo WHERE m + 1 < ?1)
         INSERT INTO receipt (id, date, source, doc_ref, received_by, created_at, created_by)
         SELECT 1000000 + m, printf('%d-%02d-01', 2015 + m / 12, 1 + m % 12), 'koperasi',
                printf('SJ-BENCH-%d', m), 'Bench', ?2, ?3 FROM mo",
        params![months, at, actor],
    )?;
    tx.execute(
        &format!(
            "WITH RECURSIVE mo(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM mo WHERE m + 1 < ?1),
                  j(j) AS (VALUES (0), (1), (2))
             INSERT INTO lot (id, item_id, receipt_id, lot_code, value_cents, received_milli)
             SELECT 1000000 + m * 3 + j, j + 1, 1000000 + m, printf('L-%d-%d', m, j), 0,
                    {per_month} * (CASE j WHEN 0 THEN 5000 ELSE 1000 END)
             FROM mo, j"
        ),
        [months],
    )?;
    tx.execute(
        "INSERT INTO movement (date, at, item_id, lot_id, kind, qty_milli, doc_ref, actor)
         SELECT r.date, ?1, l.item_id, l.id, 'receipt', l.received_milli, r.doc_ref, ?2
         FROM lot l JOIN receipt r ON r.id = l.receipt_id WHERE l.id >= 1000000 ORDER BY l.id",
        params![at, actor],
    )?;
    tx.execute(
        "WITH j(j) AS (VALUES (0), (1), (2))
         INSERT INTO movement (date, at, item_id, lot_id, kind, qty_milli, doc_ref, actor, ref_kind, ref_id)
         SELECT h.date, ?1, j + 1,
                1000000 + ((h.year - 2015) * 12 + CAST(substr(h.date, 6, 2) AS INTEGER) - 1) * 3 + j,
                'issue', -(CASE j WHEN 0 THEN 5000 ELSE 1000 END), h.bast_no, ?2, 'handover', h.id
         FROM handover h, j WHERE h.event_id >= 1000000 ORDER BY h.id, j",
        params![at, actor],
    )?;
    tx.execute(
        "INSERT OR REPLACE INTO bast_counter (year, last_seq)
         SELECT year, max(seq) FROM handover GROUP BY year",
        [],
    )?;
    Ok(())
}

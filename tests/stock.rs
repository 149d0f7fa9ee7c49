//! The stock ledger: receiving, FEFO issues, adjustments, stock opname, the stock card.

use crate::registry::staffed;
use bansos::locale::Lang;
use bansos::stock::{
    AdjustmentInput, AdjustmentReason, AdjustmentStatus, FundingSource, ItemCategory, NewItem,
    ReceiptInput, ReceiptLineInput, StockAlert,
};
use bansos::{App, ErrorKind};
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::str::FromStr;

const BERAS: i64 = 1;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn line(item: i64, qty: &str, lot: &str, expiry: Option<&str>) -> ReceiptLineInput {
    ReceiptLineInput {
        item_id: item,
        quantity: qty.into(),
        value: "Rp1.000.000".into(),
        lot_code: lot.into(),
        expiry: expiry.map(Into::into),
    }
}

fn receipt(source: FundingSource, donor: &str, lines: Vec<ReceiptLineInput>) -> ReceiptInput {
    ReceiptInput {
        date: "2024-11-10".into(),
        source,
        donor_name: donor.into(),
        source_note: String::new(),
        doc_ref: "SJ-001/XI/2024".into(),
        received_by: "Budi Santoso".into(),
        note: String::new(),
        lines,
    }
}

fn balance(app: &mut App, item: i64) -> Decimal {
    app.stock_overview(None)
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.item.id == item)
        .map(|i| i.quantity)
        .unwrap_or_default()
}

#[test]
fn receiving_from_a_csr_donor_by_lot_with_donor_totals_and_alerts() {
    let (_fx, mut p, mut v) = staffed();
    let items = p.items(false).unwrap();
    let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
    for want in [
        "Beras",
        "Gula pasir",
        "Minyak goreng",
        "Telur ayam",
        "Susu kental manis",
        "Kopi bubuk",
        "Ikan kaleng",
        "Sayuran hasil panen",
    ] {
        assert!(names.contains(&want), "{want} is seeded");
    }
    // CSR needs the donor's name.
    let e = p
        .receive(
            &receipt(FundingSource::Csr, "", vec![line(BERAS, "100", "", None)]),
            Lang::Id,
        )
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("donor_name"));
    // Expired on arrival, a bad quantity: named at their line.
    let e = p
        .receive(
            &receipt(
                FundingSource::Csr,
                "PT Bank Jateng",
                vec![line(BERAS, "100", "", Some("2024-11-01"))],
            ),
            Lang::Id,
        )
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("line.0.expiry"));
    let e = p
        .receive(
            &receipt(
                FundingSource::Csr,
                "PT Bank Jateng",
                vec![line(BERAS, "seratus", "", None)],
            ),
            Lang::Id,
        )
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("line.0.quantity"));
    let e = p
        .receive(
            &receipt(
                FundingSource::Csr,
                "PT Bank Jateng",
                vec![line(BERAS, "1,2345", "", None)],
            ),
            Lang::Id,
        )
        .err()
        .unwrap();
    assert!(e.message(Lang::Id).contains("3 angka"));
    assert_eq!(balance(&mut p, BERAS), Decimal::ZERO, "nothing was written");

    p.receive(
        &receipt(
            FundingSource::Csr,
            "PT Bank Jateng",
            vec![
                line(BERAS, "250,5", "B-01", Some("2025-06-30")),
                line(2, "50", "G-01", Some("2024-12-01")),
            ],
        ),
        Lang::Id,
    )
    .unwrap();
    p.receive(
        &receipt(
            FundingSource::Csr,
            "pt  bank jateng",
            vec![line(BERAS, "100", "B-02", None)],
        ),
        Lang::Id,
    )
    .unwrap();
    p.receive(
        &receipt(
            FundingSource::Koperasi,
            "",
            vec![line(BERAS, "20", "B-03", None)],
        ),
        Lang::Id,
    )
    .unwrap();
    let donors = p.donors().unwrap();
    assert_eq!(donors.len(), 1, "the same donor however typed");
    assert_eq!(donors[0].receipts, 2);
    assert_eq!(donors[0].total_value, dec("3000000"));
    let o = p.stock_overview(None).unwrap();
    let beras = o.items.iter().find(|i| i.item.id == BERAS).unwrap();
    assert_eq!(beras.quantity, dec("370.5"));
    let csr = beras
        .by_source
        .iter()
        .find(|s| s.source == FundingSource::Csr)
        .unwrap();
    assert_eq!(csr.quantity, dec("350.5"));
    // Gula expires in 15 days (alert window 30); beras below a minimum of 500.
    assert!(o.alerts.iter().any(|a| matches!(a, StockAlert::Expiring { lot_code, days_left: 15, .. } if lot_code == "G-01")), "{:?}", o.alerts);
    v.set_item_minimum(BERAS, "500", Lang::Id).unwrap();
    let o = p.stock_overview(None).unwrap();
    assert!(o
        .alerts
        .iter()
        .any(|a| matches!(a, StockAlert::BelowMinimum { item_id: BERAS, .. })));
    // As of before the receipts: nothing.
    assert_eq!(
        p.stock_overview(Some("2024-11-09"))
            .unwrap()
            .items
            .iter()
            .find(|i| i.item.id == BERAS)
            .unwrap()
            .quantity,
        Decimal::ZERO
    );
    // A new produce can be added; retiring keeps the history.
    let it = p
        .add_item(
            &NewItem {
                name: "Kangkung".into(),
                unit: "ikat".into(),
                category: ItemCategory::HasilPanen,
                min_stock: String::new(),
            },
            Lang::Id,
        )
        .unwrap();
    assert_eq!(it.code, "kangkung");
    let e = p
        .add_item(
            &NewItem {
                name: "kangkung".into(),
                unit: "ikat".into(),
                category: ItemCategory::HasilPanen,
                min_stock: String::new(),
            },
            Lang::Id,
        )
        .err()
        .unwrap();
    assert_eq!(e.kind, ErrorKind::Conflict);
    let r = v.retire_item(BERAS).unwrap();
    assert!(r.retired && r.used);
    assert_eq!(
        balance(&mut p, BERAS),
        dec("370.5"),
        "a retired item keeps its stock"
    );
}

#[test]
fn issues_take_the_earliest_expiring_lot_first() {
    let (_fx, mut p, mut v) = staffed();
    let r = p
        .receive(
            &receipt(
                FundingSource::BamaKantin,
                "",
                vec![
                    line(BERAS, "10", "MARET", Some("2025-03-31")),
                    line(BERAS, "10", "TANPA", None),
                    line(BERAS, "10", "JANUARI", Some("2025-01-31")),
                ],
            ),
            Lang::Id,
        )
        .unwrap();
    let (maret, tanpa, januari) = (r.lot_ids[0], r.lot_ids[1], r.lot_ids[2]);
    let used = v
        .issue_stock(BERAS, "15", "ND-7/2024", "kunjungan rumah", Lang::Id)
        .unwrap();
    assert_eq!(used, vec![(januari, dec("10")), (maret, dec("5"))]);
    assert_eq!(v.lot_balance_now(januari).unwrap(), Decimal::ZERO);
    assert_eq!(v.lot_balance_now(maret).unwrap(), dec("5"));
    assert_eq!(
        v.lot_balance_now(tanpa).unwrap(),
        dec("10"),
        "goods that do not expire go last"
    );
    // More than there is: refused whole, naming the item and the shortfall.
    let e = v
        .issue_stock(BERAS, "15,5", "ND-8/2024", "", Lang::Id)
        .err()
        .unwrap();
    assert_eq!(e.kind, ErrorKind::Conflict);
    let m = e.message(Lang::Id);
    assert!(m.contains("Beras") && m.contains("kurang 0,5 kg"), "{m}");
    assert_eq!(balance(&mut v, BERAS), dec("15"));
    let e = p.issue_stock(BERAS, "1", "X", "", Lang::Id).err().unwrap();
    assert_eq!(
        e.kind,
        ErrorKind::Forbidden,
        "a petugas issues only through hand-overs"
    );
}

#[test]
fn adjustments_wait_for_another_verifikator_and_never_go_below_zero() {
    let (fx, mut p, mut v) = staffed();
    let lot = p
        .receive(
            &receipt(
                FundingSource::Koperasi,
                "",
                vec![line(BERAS, "10", "K-1", None)],
            ),
            Lang::Id,
        )
        .unwrap()
        .lot_ids[0];
    let ask = |qty: &str, reason| AdjustmentInput {
        lot_id: lot,
        quantity: qty.into(),
        reason,
        note: "karung sobek, basah".into(),
    };
    let e = p
        .request_adjustment(&ask("-11", AdjustmentReason::Rusak), Lang::Id)
        .err()
        .unwrap();
    let m = e.message(Lang::Id);
    assert!(
        m.contains("Beras") && m.contains("K-1") && m.contains("kurang 1 kg"),
        "{m}"
    );
    let e = p
        .request_adjustment(&ask("2", AdjustmentReason::Rusak), Lang::Id)
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("quantity"), "damage removes stock");
    let a = p
        .request_adjustment(&ask("-2", AdjustmentReason::Rusak), Lang::Id)
        .unwrap();
    assert_eq!(a.status, AdjustmentStatus::Pending);
    assert_eq!(
        p.lot_balance_now(lot).unwrap(),
        dec("10"),
        "nothing changes before approval"
    );
    assert_eq!(
        p.decide_adjustment(a.id, true, "").err().unwrap().kind,
        ErrorKind::Forbidden
    );
    // A verifikator's own request needs another verifikator.
    let own = v
        .request_adjustment(&ask("-1", AdjustmentReason::Hilang), Lang::Id)
        .unwrap();
    assert_eq!(
        v.decide_adjustment(own.id, true, "").err().unwrap().kind,
        ErrorKind::Forbidden
    );
    let done = v.decide_adjustment(a.id, true, "dicek di gudang").unwrap();
    assert_eq!(done.status, AdjustmentStatus::Approved);
    assert_eq!(v.lot_balance_now(lot).unwrap(), dec("8"));
    let e = v.decide_adjustment(a.id, true, "").err().unwrap();
    assert_eq!(e.kind, ErrorKind::Conflict);
    // A rejection needs a reason and changes nothing.
    let b = p
        .request_adjustment(&ask("1", AdjustmentReason::Koreksi), Lang::Id)
        .unwrap();
    assert_eq!(
        v.decide_adjustment(b.id, false, "")
            .err()
            .unwrap()
            .field
            .as_deref(),
        Some("note")
    );
    v.decide_adjustment(b.id, false, "tidak ada bukti").unwrap();
    assert_eq!(v.lot_balance_now(lot).unwrap(), dec("8"));
    // The ledger cannot be edited behind the program's back.
    let e = fx.raw().execute("UPDATE movement SET qty_milli = 1", []);
    assert!(e.is_err(), "movements are append-only");
    let e = fx.raw().execute(
        "INSERT INTO movement (date, at, item_id, lot_id, kind, qty_milli, doc_ref, actor) VALUES ('2024-11-16', 'x', 1, ?1, 'issue', -9000, 'x', 'x')",
        [lot],
    );
    assert!(e.is_err(), "even by SQL, a lot cannot go below zero");
}

#[test]
fn a_stock_opname_is_counted_blind_and_an_uncounted_lot_keeps_its_balance() {
    let (_fx, mut p, mut v) = staffed();
    let lots = p
        .receive(
            &receipt(
                FundingSource::Koperasi,
                "",
                vec![line(BERAS, "100", "B", None), line(2, "40", "G", None)],
            ),
            Lang::Id,
        )
        .unwrap()
        .lot_ids;
    let (beras, gula) = (lots[0], lots[1]);
    let o = p.opname_start().unwrap();
    assert!(o.blind);
    assert!(
        o.lines.iter().all(|l| l.recorded.is_none()),
        "the counter does not see the recorded figure"
    );
    assert_eq!(
        p.opname_start().err().unwrap().kind,
        ErrorKind::Conflict,
        "one at a time"
    );
    p.opname_count(o.id, beras, "97,5", Lang::Id).unwrap();
    // The verifikator sees the count against the ledger when it was entered.
    let seen = v.opname_get(o.id).unwrap();
    assert!(!seen.blind);
    let b = seen.lines.iter().find(|l| l.lot_id == beras).unwrap();
    assert_eq!(
        (b.recorded, b.counted, b.variance),
        (Some(dec("100")), Some(dec("97.5")), Some(dec("-2.5")))
    );
    let g = seen.lines.iter().find(|l| l.lot_id == gula).unwrap();
    assert_eq!(g.counted, None);
    assert_eq!(
        p.opname_approve(o.id).err().unwrap().kind,
        ErrorKind::Forbidden
    );
    v.opname_approve(o.id).unwrap();
    assert_eq!(v.lot_balance_now(beras).unwrap(), dec("97.5"));
    assert_eq!(
        v.lot_balance_now(gula).unwrap(),
        dec("40"),
        "not counted, not zeroed"
    );
    let adj = v.adjustments(Some(AdjustmentStatus::Approved)).unwrap();
    assert_eq!(adj.len(), 1);
    assert_eq!(
        (adj[0].reason, adj[0].quantity, adj[0].opname_id),
        (AdjustmentReason::Opname, dec("-2.5"), Some(o.id))
    );
    assert_eq!(
        p.opname_count(o.id, beras, "1", Lang::Id)
            .err()
            .unwrap()
            .kind,
        ErrorKind::Conflict
    );
}

/// A count is of the shelf when it is entered: stock issued between the opname's start and the
/// count is not taken off twice by the approval, and stock issued after the count is not put back.
#[test]
fn an_opname_count_is_compared_with_the_ledger_when_it_is_entered() {
    let (_fx, mut p, mut v) = staffed();
    let lots = p
        .receive(
            &receipt(
                FundingSource::Koperasi,
                "",
                vec![line(BERAS, "100", "B", None), line(2, "40", "G", None)],
            ),
            Lang::Id,
        )
        .unwrap()
        .lot_ids;
    let (beras, gula) = (lots[0], lots[1]);
    let o = p.opname_start().unwrap();
    // Issued before the rice is counted: the shelf holds 90, as the ledger does.
    v.issue_stock(BERAS, "10", "ND-1", "", Lang::Id).unwrap();
    p.opname_count(o.id, beras, "90", Lang::Id).unwrap();
    // Sugar counted first (2 short), then 5 issued from it.
    p.opname_count(o.id, gula, "38", Lang::Id).unwrap();
    v.issue_stock(2, "5", "ND-2", "", Lang::Id).unwrap();
    let seen = v.opname_get(o.id).unwrap();
    let line_of = |lot: i64| seen.lines.iter().find(|l| l.lot_id == lot).unwrap();
    assert_eq!(
        (line_of(beras).recorded, line_of(beras).variance),
        (Some(dec("90")), Some(dec("0")))
    );
    assert_eq!(
        (line_of(gula).recorded, line_of(gula).variance),
        (Some(dec("40")), Some(dec("-2")))
    );
    v.opname_approve(o.id).unwrap();
    assert_eq!(
        v.lot_balance_now(beras).unwrap(),
        dec("90"),
        "not taken off twice"
    );
    assert_eq!(
        v.lot_balance_now(gula).unwrap(),
        dec("33"),
        "40 − 2 short − 5 issued"
    );
    let adj = v.adjustments(Some(AdjustmentStatus::Approved)).unwrap();
    assert_eq!(adj.len(), 1, "{adj:?}");
    assert_eq!((adj[0].quantity, adj[0].opname_id), (dec("-2"), Some(o.id)));
}

#[test]
fn the_stock_card_runs_a_balance_and_exports() {
    let (fx, mut p, mut v) = staffed();
    let lot = p
        .receive(
            &receipt(
                FundingSource::Csr,
                "Baznas Blora",
                vec![line(BERAS, "50", "C-1", None)],
            ),
            Lang::Id,
        )
        .unwrap()
        .lot_ids[0];
    fx.clock.advance(chrono::Duration::days(1));
    let mut p = fx.sign_in("petugas", crate::registry::PETUGAS_PW).unwrap();
    let mut v2 = fx.sign_in("verif", crate::registry::VERIF_PW).unwrap();
    v2.issue_stock(BERAS, "12,5", "ND-1", "", Lang::Id).unwrap();
    let rev = {
        let c = p.stock_card(BERAS, Some("2024-11-01"), None).unwrap();
        c.rows[1].movement_id
    };
    v2.reverse_movement(rev, "salah catat").unwrap();
    assert_eq!(
        v2.reverse_movement(rev, "lagi").err().unwrap().kind,
        ErrorKind::Conflict
    );
    let c = p
        .stock_card(BERAS, Some("2024-11-01"), Some("2024-11-30"))
        .unwrap();
    let bal: Vec<String> = c.rows.iter().map(|r| r.balance.to_string()).collect();
    assert_eq!(bal, ["50", "37.5", "50"]);
    assert_eq!(c.opening, Decimal::ZERO);
    assert_eq!(c.closing, dec("50"));
    assert_eq!(v2.lot_balance_now(lot).unwrap(), dec("50"));
    let later = p
        .stock_card(BERAS, Some("2024-11-12"), Some("2024-11-30"))
        .unwrap();
    assert_eq!(
        later.opening,
        dec("50"),
        "the opening balance carries what came before"
    );
    let bytes = p
        .stock_card_xlsx(BERAS, Some("2024-11-01"), Some("2024-11-30"))
        .unwrap();
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let ws = wb.worksheet_range("Kartu Stok").unwrap();
    assert_eq!(ws.get((3, 4)).unwrap().to_string(), "Masuk");
    let _ = &mut v;
}

#[derive(Debug, Clone)]
enum Op {
    Receive {
        milli: i64,
        expiry_days: Option<i64>,
    },
    Issue {
        milli: i64,
    },
    Adjust {
        lot: usize,
        milli: i64,
    },
    Reverse {
        nth: usize,
    },
}

fn qty(milli: i64) -> String {
    bansos::locale::decimal(bansos::stock::from_milli(milli), Lang::Id)
}

/// For any sequence of movements: each lot's derived balance equals the sum of what was
/// accepted, none is ever negative, and a refused movement changes nothing.
#[test]
fn any_sequence_of_movements_keeps_balances_exact_and_never_negative() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let (_fx, p, v) = staffed();
    let apps = RefCell::new((p, v));
    let op = prop_oneof![
        (1i64..40_000, proptest::option::of(1i64..400))
            .prop_map(|(milli, expiry_days)| Op::Receive { milli, expiry_days }),
        (1i64..60_000).prop_map(|milli| Op::Issue { milli }),
        (0usize..8, 1i64..20_000).prop_map(|(lot, milli)| Op::Adjust { lot, milli }),
        (0usize..12).prop_map(|nth| Op::Reverse { nth }),
    ];
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let counter = RefCell::new(0);
    runner
        .run(&proptest::collection::vec(op, 1..14), |ops| {
            let (p, v) = &mut *apps.borrow_mut();
            // A fresh item per case keeps the cases apart in one database.
            *counter.borrow_mut() += 1;
            let n = *counter.borrow();
            let item = p
                .add_item(
                    &NewItem {
                        name: format!("Barang uji {}", "x".repeat(n)),
                        unit: "kg".into(),
                        category: ItemCategory::Lainnya,
                        min_stock: String::new(),
                    },
                    Lang::Id,
                )
                .unwrap()
                .id;
            // The model: (lot id, expiry, balance), and accepted movements (lot index, signed qty).
            let mut lots: Vec<(i64, Option<i64>, i64)> = Vec::new();
            let mut moves: Vec<(usize, i64, i64)> = Vec::new(); // receipts: (lot index, qty, movement id)
            let mut reversed: Vec<i64> = Vec::new();
            for op in ops {
                let before: Vec<i64> = lots.iter().map(|l| l.2).collect();
                let card_len = p
                    .stock_card(item, Some("2000-01-01"), None)
                    .unwrap()
                    .rows
                    .len();
                let accepted = match &op {
                    Op::Receive { milli, expiry_days } => {
                        let expiry = expiry_days.map(|d| {
                            (chrono::NaiveDate::from_ymd_opt(2024, 11, 16).unwrap()
                                + chrono::Duration::days(d))
                            .to_string()
                        });
                        let mut r = receipt(
                            FundingSource::Koperasi,
                            "",
                            vec![line(item, &qty(*milli), "", expiry.as_deref())],
                        );
                        r.date = "2024-11-16".into();
                        let saved = p.receive(&r, Lang::Id).unwrap();
                        lots.push((saved.lot_ids[0], *expiry_days, *milli));
                        let c = p.stock_card(item, Some("2000-01-01"), None).unwrap();
                        moves.push((lots.len() - 1, *milli, c.rows.last().unwrap().movement_id));
                        true
                    }
                    Op::Issue { milli } => {
                        let total: i64 = lots.iter().map(|l| l.2).sum();
                        let r = v.issue_stock(item, &qty(*milli), "ND", "", Lang::Id);
                        prop_assert_eq!(r.is_ok(), total >= *milli, "issue {} of {}", milli, total);
                        if let Ok(used) = r {
                            // FEFO: expiring lots by date first, then no-expiry, each by receipt order.
                            let mut order: Vec<usize> =
                                (0..lots.len()).filter(|i| lots[*i].2 > 0).collect();
                            order.sort_by_key(|i| (lots[*i].1.is_none(), lots[*i].1, *i));
                            let mut left = *milli;
                            let mut expect = Vec::new();
                            for i in order {
                                if left == 0 {
                                    break;
                                }
                                let take = lots[i].2.min(left);
                                lots[i].2 -= take;
                                left -= take;
                                expect.push((lots[i].0, bansos::stock::from_milli(take)));
                            }
                            prop_assert_eq!(used, expect);
                            true
                        } else {
                            false
                        }
                    }
                    Op::Adjust { lot, milli } => {
                        if lots.is_empty() {
                            continue;
                        }
                        let i = lot % lots.len();
                        let r = p.request_adjustment(
                            &AdjustmentInput {
                                lot_id: lots[i].0,
                                quantity: qty(-milli),
                                reason: AdjustmentReason::Hilang,
                                note: "uji".into(),
                            },
                            Lang::Id,
                        );
                        prop_assert_eq!(r.is_ok(), lots[i].2 >= *milli);
                        if let Ok(a) = r {
                            v.decide_adjustment(a.id, true, "").unwrap();
                            lots[i].2 -= milli;
                            true
                        } else {
                            false
                        }
                    }
                    Op::Reverse { nth } => {
                        // Only receipts are reversed here (their lot is known to the model).
                        let receipts: Vec<&(usize, i64, i64)> =
                            moves.iter().filter(|m| !reversed.contains(&m.2)).collect();
                        if receipts.is_empty() {
                            continue;
                        }
                        let (li, q, mid) = *receipts[nth % receipts.len()];
                        let r = v.reverse_movement(mid, "uji");
                        prop_assert_eq!(
                            r.is_ok(),
                            lots[li].2 >= q,
                            "reversing {} of lot with {}",
                            q,
                            lots[li].2
                        );
                        if r.is_ok() {
                            lots[li].2 -= q;
                            reversed.push(mid);
                            true
                        } else {
                            false
                        }
                    }
                };
                if !accepted {
                    let after: Vec<i64> = lots.iter().map(|l| l.2).collect();
                    prop_assert_eq!(&before, &after);
                    let now_len = p
                        .stock_card(item, Some("2000-01-01"), None)
                        .unwrap()
                        .rows
                        .len();
                    prop_assert_eq!(card_len, now_len, "a refused movement writes nothing");
                }
                for (lot_id, _, bal) in &lots {
                    let derived = p.lot_balance_now(*lot_id).unwrap();
                    prop_assert_eq!(derived, bansos::stock::from_milli(*bal));
                    prop_assert!(derived >= Decimal::ZERO);
                }
                let total: i64 = lots.iter().map(|l| l.2).sum();
                prop_assert_eq!(balance(p, item), bansos::stock::from_milli(total));
                // The kept balances equal the sums of movements; the card closes on the same.
                prop_assert!(p.stock_verify().unwrap().is_empty());
                let c = p.stock_card(item, Some("2000-01-01"), None).unwrap();
                prop_assert_eq!(c.closing, bansos::stock::from_milli(total));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_stock_card_prints_as_a_pdf_a_person_can_read() {
    let (fx, mut p, mut v) = staffed();
    p.receive(
        &receipt(
            FundingSource::Csr,
            "PT Bank Jateng",
            vec![line(BERAS, "1000", "B-01", Some("2025-06-30"))],
        ),
        Lang::Id,
    )
    .unwrap();
    for i in 0..60 {
        v.issue_stock(
            BERAS,
            "12,5",
            &format!("{:03}/BAST-BANSOS/RUTAN-BLORA/XI/2024", i + 1),
            "",
            Lang::Id,
        )
        .unwrap();
    }
    let pdf = p
        .stock_card_pdf(BERAS, Some("2024-11-01"), Some("2024-11-30"))
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.len() < 120_000,
        "fonts are subset ahead: {} bytes",
        pdf.len()
    );
    let path = fx.dir.path().join("kartu.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "RUTAN KELAS IIB BLORA",
        "KARTU STOK",
        "Beras",
        "Satuan: kg",
        "1 November 2024 s.d. 30 November 2024",
        "Saldo awal",
        "B-01",
        "1.000",
        "987,5",
        "060/BAST-BANSOS/RUTAN-BLORA/XI/2024",
        "250",
        "Saldo akhir",
        "Halaman 2 dari 2",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    if let Some(dir) = option_env!("CARGO_TARGET_TMPDIR") {
        let _ = std::fs::copy(&path, std::path::Path::new(dir).join("kartu-stok.pdf"));
    }
}

/// Balances as of any date come from whole months kept per lot plus the days of that month: they
/// must equal the plain sum of movements up to the day, across month boundaries, and a tampered
/// monthly total is caught by `stock verify`.
#[test]
fn balances_as_of_any_date_equal_the_movements_across_months() {
    use chrono::TimeZone;
    let (fx, mut p, _) = staffed();
    let mut v;
    // Receipts and adjustments spread over September to December 2024.
    let steps = [
        ("2024-09-10", "100", None),
        ("2024-09-30", "20", Some("-3")),
        ("2024-10-01", "50", None),
        ("2024-10-31", "15", Some("-7,5")),
        ("2024-11-01", "25", Some("-1")),
        ("2024-12-02", "10", Some("-2")),
    ];
    for (i, (date, qty, adj)) in steps.iter().enumerate() {
        let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        fx.clock
            .set(chrono::Utc.from_utc_datetime(&d.and_hms_opt(3, 0, 0).unwrap()));
        // Days pass between steps: each desk signs in again.
        p = fx.sign_in("petugas", crate::registry::PETUGAS_PW).unwrap();
        v = fx.sign_in("verif", crate::registry::VERIF_PW).unwrap();
        let mut r = receipt(
            FundingSource::Koperasi,
            "",
            vec![line(BERAS, qty, &format!("L{i}"), None)],
        );
        r.date = (*date).into();
        r.doc_ref = format!("SJ-{i}");
        let lot = p.receive(&r, Lang::Id).unwrap().lot_ids[0];
        if let Some(q) = adj {
            let a = p
                .request_adjustment(
                    &AdjustmentInput {
                        lot_id: lot,
                        quantity: (*q).into(),
                        reason: AdjustmentReason::Rusak,
                        note: "karung sobek".into(),
                    },
                    Lang::Id,
                )
                .unwrap();
            v.decide_adjustment(a.id, true, "").unwrap();
        }
    }
    let raw = fx.raw();
    let naive = |cmp: &str, d: &str| -> Decimal {
        let m: i64 = raw
            .query_row(
                &format!("SELECT coalesce(sum(qty_milli), 0) FROM movement WHERE item_id = 1 AND date {cmp} ?1"),
                [d],
                |r| r.get(0),
            )
            .unwrap();
        Decimal::new(m, 3).normalize()
    };
    for d in [
        "2024-09-09",
        "2024-09-10",
        "2024-09-29",
        "2024-09-30",
        "2024-10-01",
        "2024-10-15",
        "2024-10-31",
        "2024-11-01",
        "2024-11-30",
        "2024-12-01",
        "2024-12-02",
    ] {
        let as_of = p
            .stock_overview(Some(d))
            .unwrap()
            .items
            .into_iter()
            .find(|i| i.item.id == BERAS)
            .map(|i| i.quantity)
            .unwrap_or_default();
        assert_eq!(as_of.normalize(), naive("<=", d), "as of {d}");
        let card = p.stock_card(BERAS, Some(d), Some("2024-12-02")).unwrap();
        assert_eq!(
            card.opening.normalize(),
            naive("<", d),
            "card opening on {d}"
        );
    }
    assert!(p.stock_verify().unwrap().is_empty());
    // Someone edits a monthly total by hand: the check names the lot.
    raw.execute(
        "UPDATE lot_month SET net_milli = net_milli + 1000 WHERE month = '2024-10' AND lot_id = (SELECT min(lot_id) FROM lot_month WHERE month = '2024-10')",
        [],
    )
    .unwrap();
    assert_eq!(p.stock_verify().unwrap().len(), 1);
}

/// An absurd quantity or value used to be accepted and then broke every stock report (the sums
/// overflowed). Entered values are bounded, by the core and by the store.
#[test]
fn an_absurd_quantity_or_value_is_refused_naming_the_limit() {
    let (fx, mut p, _v) = staffed();
    let receipt = |qty: &str, value: &str| bansos::stock::ReceiptInput {
        date: "2024-11-10".into(),
        source: bansos::stock::FundingSource::Koperasi,
        donor_name: String::new(),
        source_note: String::new(),
        doc_ref: "SJ-1".into(),
        received_by: "Budi".into(),
        note: String::new(),
        lines: vec![bansos::stock::ReceiptLineInput {
            item_id: 1,
            quantity: qty.into(),
            value: value.into(),
            lot_code: String::new(),
            expiry: None,
        }],
    };
    let e = p
        .receive(&receipt("9.000.000.000.000", "0"), Lang::Id)
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("line.0.quantity"));
    assert!(
        e.message(Lang::Id).contains("paling banyak 1.000.000"),
        "{e:?}"
    );
    let e = p
        .receive(&receipt("10", "Rp999.999.999.999.999"), Lang::Id)
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("line.0.value"));
    assert!(
        e.message(Lang::Id)
            .contains("paling banyak Rp100.000.000.000"),
        "{e:?}"
    );
    // At the limit it is accepted, and the reports still sum.
    p.receive(&receipt("1.000.000", "Rp100.000.000.000"), Lang::Id)
        .unwrap();
    assert!(p.stock_overview(None).is_ok());
    assert!(p.donors().is_ok());
    // The store refuses a larger movement even by raw SQL.
    let raw = fx.raw();
    let e = raw.execute(
        "INSERT INTO movement (date, at, item_id, lot_id, kind, qty_milli, doc_ref, actor)
         VALUES ('2024-11-10', 'x', 1, 1, 'receipt', 9000000000000, 'X', 'x')",
        [],
    );
    assert!(e.is_err(), "a movement beyond the limit");
    assert!(p.stock_overview(None).is_ok());
}

/// Dates are within sane ranges: none before 1900, an event at most a year ahead, an expiry at
/// most thirty years after receiving, a report date at most a year ahead.
#[test]
fn absurd_dates_are_refused_naming_the_range() {
    let (_fx, mut p, _v) = staffed();
    let receipt = |date: &str, expiry: Option<&str>| bansos::stock::ReceiptInput {
        date: date.into(),
        source: bansos::stock::FundingSource::Koperasi,
        donor_name: String::new(),
        source_note: String::new(),
        doc_ref: "SJ-1".into(),
        received_by: "Budi".into(),
        note: String::new(),
        lines: vec![bansos::stock::ReceiptLineInput {
            item_id: 1,
            quantity: "10".into(),
            value: "0".into(),
            lot_code: String::new(),
            expiry: expiry.map(str::to_owned),
        }],
    };
    let e = p
        .receive(&receipt("1800-01-01", None), Lang::Id)
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("date"));
    assert!(
        e.message(Lang::Id)
            .contains("terlalu lampau (paling awal tahun 1900)"),
        "{e:?}"
    );
    let e = p
        .receive(&receipt("2024-11-10", Some("2099-01-01")), Lang::Id)
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("line.0.expiry"));
    assert!(
        e.message(Lang::Id).contains("terlalu jauh ke depan"),
        "{e:?}"
    );
    let t = crate::distribution::beras_template(&mut p, "5", false, None);
    let e = p
        .create_event(&bansos::distribution::EventInput {
            date: "3000-01-01".into(),
            place: "Aula".into(),
            kind: bansos::distribution::EventKind::RutinBulanan,
            source: None,
            template_id: t,
            officials: vec![],
            note: String::new(),
        })
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("date"));
    assert!(
        e.message(Lang::Id).contains("terlalu jauh ke depan"),
        "{e:?}"
    );
    let e = p.stock_overview(Some("0001-01-01")).err().unwrap();
    assert_eq!(e.field.as_deref(), Some("as_of"));
}

/// Lots named by the program are named once: item, date, receipt and line. A receipt's lines are
/// bounded (a delivery note lists far fewer than a hundred).
#[test]
fn generated_lot_codes_are_unique_and_a_receipts_lines_are_bounded() {
    let (fx, mut p, _v) = staffed();
    let receipt = |lines: usize| bansos::stock::ReceiptInput {
        date: "2024-11-10".into(),
        source: bansos::stock::FundingSource::Koperasi,
        donor_name: String::new(),
        source_note: String::new(),
        doc_ref: "SJ-7".into(),
        received_by: "Budi".into(),
        note: String::new(),
        lines: (0..lines)
            .map(|_| bansos::stock::ReceiptLineInput {
                item_id: 1,
                quantity: "1".into(),
                value: "Rp1.000".into(),
                lot_code: String::new(),
                expiry: None,
            })
            .collect(),
    };
    let e = p.receive(&receipt(101), Lang::Id).err().unwrap();
    assert_eq!(e.field.as_deref(), Some("lines"));
    assert!(e.message(Lang::En).contains("at most 100 lines"), "{e:?}");
    p.receive(&receipt(11), Lang::Id).unwrap();
    p.receive(&receipt(1), Lang::Id).unwrap();
    let (all, distinct): (i64, i64) = fx
        .raw()
        .query_row(
            "SELECT count(*), count(DISTINCT lot_code) FROM lot",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((all, distinct), (12, 12));
}

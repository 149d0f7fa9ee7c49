//! The hand-over records the day it happened, never hands out expired food, and the store backs
//! its rules so that not even raw SQL doubles a hand-over or a reversal.

use crate::common::Fixture;
use crate::distribution::{beras_template, event, ready, two_families, verified};
use crate::registry::{staffed, PETUGAS_PW, VERIF_PW};
use bansos::distribution::EventStatus;
use bansos::locale::Lang;
use bansos::stock::{FundingSource, MovementKind, ReceiptInput, ReceiptLineInput};
use bansos::{App, ErrorKind};
use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Receives `qty` kg of rice (and as much sugar) on `date`, in one lot each, expiring on
/// `expiry` when given.
fn receive(p: &mut App, date: &str, qty: &str, lot: &str, expiry: Option<&str>) {
    let line = |item_id, code: String| ReceiptLineInput {
        item_id,
        quantity: qty.into(),
        value: "0".into(),
        lot_code: code,
        expiry: expiry.map(str::to_owned),
    };
    p.receive(
        &ReceiptInput {
            date: date.into(),
            source: FundingSource::Koperasi,
            donor_name: String::new(),
            source_note: String::new(),
            doc_ref: format!("SJ-{lot}"),
            received_by: "Budi".into(),
            note: String::new(),
            lines: vec![line(1, format!("B-{lot}")), line(2, format!("G-{lot}"))],
        },
        Lang::Id,
    )
    .unwrap();
}

fn at(fx: &Fixture, y: i32, m: u32, d: u32) {
    // 10.00 WIB on that day.
    fx.clock
        .set(Utc.with_ymd_and_hms(y, m, d, 3, 0, 0).unwrap());
}

/// Two verified families planned in an approved event of `date`, with `rice` kg of rice
/// received on 1 November; signed in again at the end (the clock may have moved).
fn planned(date: &str, rice: &str) -> (Fixture, i64, i64, i64) {
    let (fx, mut p, mut v) = staffed();
    let (a, b) = two_families(&mut p, &mut v);
    receive(&mut p, "2024-11-01", rice, "1", None);
    let t = beras_template(&mut p, "5", false, None);
    let e = event(&mut p, t, date);
    p.add_recipient(e, a).unwrap();
    p.add_recipient(e, b).unwrap();
    v.approve_event(e).unwrap();
    (fx, e, a, b)
}

fn petugas(fx: &Fixture) -> App {
    fx.sign_in("petugas", PETUGAS_PW).unwrap()
}

fn verifikator(fx: &Fixture) -> App {
    fx.sign_in("verif", VERIF_PW).unwrap()
}

/// A home visit's papers entered the next week, and last month's hand-overs entered late, are
/// recorded on their own day: the number is that year's next, with that month's Roman numeral;
/// the date sentence is that day's; the stock leaves on that day; the period rule is that
/// month's.
#[test]
fn a_late_entry_of_last_month_gets_last_months_number_sentence_and_period() {
    let (fx, e, a, b) = planned("2024-11-16", "20");
    at(&fx, 2024, 12, 3);
    let mut p = petugas(&fx);
    let h = p.hand_over(e, a, None, Some("20-11-2024")).unwrap();
    assert_eq!(h.bast_no, "001/BAST-BANSOS/RUTAN-BLORA/XI/2024");
    assert_eq!(h.date, "2024-11-20");
    assert!(h.at.starts_with("2024-12-03"), "entered on {}", h.at);
    let paper = p.bast_paper(h.id).unwrap();
    assert!(
        paper.opening.starts_with(
            "Pada hari ini Rabu tanggal dua puluh bulan November tahun dua ribu dua puluh empat"
        ),
        "{}",
        paper.opening
    );
    assert_eq!(paper.place_date, "Blora, 20 November 2024");
    // The signed QR payload carries the day it happened.
    assert!(h.qr_payload.contains("|20241120|"), "{}", h.qr_payload);
    // The stock left on 20 November: the card of November shows it, dated that day.
    let card = p
        .stock_card(1, Some("2024-11-01"), Some("2024-11-30"))
        .unwrap();
    let issue = card
        .rows
        .iter()
        .find(|r| r.kind == MovementKind::Issue)
        .unwrap();
    assert_eq!(issue.date, "2024-11-20");
    assert_eq!(issue.doc_ref, h.bast_no);
    // Today's hand-over (December) takes the same year's next number, December's numeral.
    let h2 = p.hand_over(e, b, None, None).unwrap();
    assert_eq!(h2.bast_no, "002/BAST-BANSOS/RUTAN-BLORA/XII/2024");
    assert_eq!(h2.date, "2024-12-03");

    // The period rule applies to the hand-over's date: a is served for November, not December.
    let mut v = verifikator(&fx);
    let t = beras_template(&mut p, "5", false, None);
    let nov = event(&mut p, t, "2024-11-28");
    let refused = p.add_recipient(nov, a).err().unwrap();
    assert!(
        refused
            .message(Lang::Id)
            .contains("sudah menerima bantuan bulan November 2024"),
        "{refused:?}"
    );
    let dec_event = event(&mut p, t, "2024-12-05");
    p.add_recipient(dec_event, a).unwrap();
    assert_eq!(
        v.approve_event(dec_event).unwrap().status,
        EventStatus::Approved
    );
}

/// A hand-over dated at the end of the year and entered in January takes the old year's number.
#[test]
fn a_hand_over_entered_in_the_new_year_takes_its_own_years_number() {
    let (fx, mut p, mut v) = staffed();
    let a = verified(
        &mut p,
        &mut v,
        "Siti Rahayu",
        &["3316014708900003"],
        "3316010101100007",
    );
    at(&fx, 2024, 12, 30);
    let mut p = petugas(&fx);
    let mut v = verifikator(&fx);
    receive(&mut p, "2024-12-01", "10", "1", None);
    let t = beras_template(&mut p, "5", false, None);
    let e = event(&mut p, t, "2024-12-30");
    p.add_recipient(e, a).unwrap();
    v.approve_event(e).unwrap();
    at(&fx, 2025, 1, 3);
    let mut p = petugas(&fx);
    let h = p.hand_over(e, a, None, Some("2024-12-30")).unwrap();
    assert_eq!(h.bast_no, "001/BAST-BANSOS/RUTAN-BLORA/XII/2024");
}

#[test]
fn a_hand_over_is_never_dated_in_the_future_nor_before_its_event() {
    let (fx, e, a, _) = planned("2024-11-12", "20");
    let mut p = petugas(&fx);
    let future = p.hand_over(e, a, None, Some("17-11-2024")).err().unwrap();
    assert_eq!(future.kind, ErrorKind::Invalid);
    assert_eq!(future.field.as_deref(), Some("date"));
    assert!(
        future.message(Lang::Id).contains("sesudah hari ini"),
        "{future:?}"
    );
    let early = p.hand_over(e, a, None, Some("2024-11-11")).err().unwrap();
    assert_eq!(early.field.as_deref(), Some("date"));
    assert!(
        early.message(Lang::Id).contains("sebelum tanggal kegiatan"),
        "{early:?}"
    );
    let junk = p.hand_over(e, a, None, Some("kemarin")).err().unwrap();
    assert_eq!(junk.field.as_deref(), Some("date"));
    // Nothing was written and no number used.
    assert_eq!(
        p.hand_over(e, a, None, Some("2024-11-12")).unwrap().bast_no,
        "001/BAST-BANSOS/RUTAN-BLORA/XI/2024"
    );
}

/// Food past its expiry on the hand-over's day is never handed out, even when it is the
/// earliest-expiring lot; with only expired stock the refusal says how much is expired.
#[test]
fn expired_lots_are_never_issued_and_the_refusal_names_them() {
    let (fx, mut p, mut v) = staffed();
    let (a, b) = two_families(&mut p, &mut v);
    // Lot 1 expired on 15 November; lot 2 keeps until March.
    receive(&mut p, "2024-11-01", "8", "1", Some("2024-11-15"));
    receive(&mut p, "2024-11-02", "5", "2", Some("2025-03-31"));
    let t = beras_template(&mut p, "5", false, None);
    let e = event(&mut p, t, "2024-11-16");
    p.add_recipient(e, a).unwrap();
    p.add_recipient(e, b).unwrap();
    // The shortage report counts only what is unexpired on the event's day and names the rest.
    let r = p.shortage_report(e).unwrap();
    assert_eq!(r.lines[0].needed, dec("10"));
    assert_eq!(r.lines[0].available, dec("5"));
    assert_eq!(r.lines[0].short, dec("5"));
    assert_eq!(r.lines[0].expired, dec("8"));
    assert!(r.short);
    let refused = v.approve_event(e).err().unwrap();
    assert!(
        refused.message(Lang::Id).contains("Beras kurang 5 kg"),
        "{refused:?}"
    );
    // Plan one family only; approve; the hand-over takes lot 2, never lot 1.
    p.remove_recipient(e, b).unwrap();
    v.approve_event(e).unwrap();
    let h = p.hand_over(e, a, None, None).unwrap();
    let rice = &h.items[0];
    assert_eq!(rice.lots.len(), 1);
    let lot = rice.lots[0].0;
    assert_eq!(p.lot_balance_now(lot).unwrap(), dec("0"));
    let overview = p.stock_overview(None).unwrap();
    let lots = &overview.items[0].lots;
    assert_eq!(lots.len(), 1, "only the expired lot is left: {lots:?}");
    assert_eq!(lots[0].lot_code, "B-1");
    assert_eq!(lots[0].quantity, dec("8"));
    // Another event with only expired rice left: refused, saying how much is expired.
    let e2 = event(&mut p, t, "2024-11-16");
    let c = verified(
        &mut p,
        &mut v,
        "Dewi Lestari",
        &["3316015505950002"],
        "3316010303300003",
    );
    p.add_recipient(e2, c).unwrap();
    let refused = v.approve_event(e2).err().unwrap();
    assert!(
        refused.message(Lang::Id).contains("kurang 5 kg"),
        "{refused:?}"
    );
    // Issued by hand, the refusal says how much is left out as expired.
    let refused = v
        .issue_stock(1, "1", "SURAT-8", "", Lang::Id)
        .err()
        .unwrap();
    assert!(
        refused
            .message(Lang::Id)
            .contains("tersedia 0 kg (8 kg lagi sudah kedaluwarsa dan tidak diberikan)"),
        "{refused:?}"
    );
    let _ = fx;
}

/// A late entry takes only what a lot held on its day and kept on every day after (a lot
/// received afterwards is not used), so the stock card never dips below zero.
#[test]
fn a_late_entry_takes_only_stock_that_was_there_on_its_day() {
    let (fx, e, a, b) = planned("2024-11-10", "10");
    // Lot 1 (10 kg, 1 November) was lent out whole on the 13th and came back on the 16th; lot 2
    // (10 kg) arrived on the 14th.
    at(&fx, 2024, 11, 13);
    verifikator(&fx)
        .issue_stock(1, "10", "SURAT-7", "dipinjam dapur", Lang::Id)
        .unwrap();
    at(&fx, 2024, 11, 16);
    let mut p = petugas(&fx);
    receive(&mut p, "2024-11-14", "10", "2", None);
    let mut v = verifikator(&fx);
    let card = v
        .stock_card(1, Some("2024-11-13"), Some("2024-11-13"))
        .unwrap();
    v.reverse_movement(card.rows[0].movement_id, "kembali utuh")
        .unwrap();
    // Dated the 12th: lot 1 held 10 kg that day but none on the 13th–15th, and lot 2 came only
    // on the 14th. Refused, nothing written.
    let refused = p.hand_over(e, a, None, Some("2024-11-12")).err().unwrap();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(
        refused.message(Lang::Id).contains("Stok Beras tidak cukup"),
        "{refused:?}"
    );
    // Dated the 16th it takes lot 1 (received first); dated the 15th, lot 1 was empty then, so
    // the other family's package comes from lot 2.
    let h = p.hand_over(e, a, None, Some("2024-11-16")).unwrap();
    let lot1 = h.items[0].lots[0].0;
    let h2 = p.hand_over(e, b, None, Some("2024-11-15")).unwrap();
    assert_ne!(h2.items[0].lots[0].0, lot1, "{:?}", h2.items[0].lots);
    assert_eq!(h.bast_no, "001/BAST-BANSOS/RUTAN-BLORA/XI/2024");
    assert_eq!(h2.bast_no, "002/BAST-BANSOS/RUTAN-BLORA/XI/2024");
    assert!(p.stock_verify().unwrap().is_empty());
}

/// The desk warns before it confirms when a lot it will issue expires within the alert window.
#[test]
fn the_desk_warns_when_a_lot_it_will_issue_expires_soon() {
    let (fx, mut p, mut v) = staffed();
    let a = verified(
        &mut p,
        &mut v,
        "Siti Rahayu",
        &["3316014708900003"],
        "3316010101100007",
    );
    receive(&mut p, "2024-11-01", "10", "1", Some("2024-11-26"));
    let t = beras_template(&mut p, "5", false, None);
    let e = event(&mut p, t, "2024-11-16");
    p.add_recipient(e, a).unwrap();
    v.approve_event(e).unwrap();
    let pv = p.handover_preview(e, a, None, Lang::Id).unwrap();
    assert_eq!(pv.date, "2024-11-16");
    assert_eq!(pv.lots.len(), 2);
    assert!(pv
        .lots
        .iter()
        .all(|l| l.expiring && l.days_left == Some(10)));
    assert_eq!(pv.warnings.len(), 2);
    assert!(
        pv.warnings[0]
            .starts_with("Beras lot B-1 kedaluwarsa Selasa, 26 November 2024 (10 hari lagi)"),
        "{:?}",
        pv.warnings
    );
    let en = p.handover_preview(e, a, None, Lang::En).unwrap();
    assert!(
        en.warnings[0].contains("expires Tuesday, 26 November 2024 (in 10 days)"),
        "{:?}",
        en.warnings
    );
    // Beyond the window, no warning.
    let mut admin = fx.admin();
    admin.set_expiry_alert_days(7).unwrap();
    assert!(p
        .handover_preview(e, a, None, Lang::Id)
        .unwrap()
        .warnings
        .is_empty());
    // The preview writes nothing.
    assert_eq!(
        p.hand_over(e, a, None, None).unwrap().bast_no,
        "001/BAST-BANSOS/RUTAN-BLORA/XI/2024"
    );
}

/// Regression: reversing a hand-over's issue on the stock card and then voiding that BAST
/// returned the stock twice. A hand-over's issue now comes back only by voiding its BAST.
#[test]
fn reversing_a_hand_overs_issue_then_voiding_it_returned_the_stock_twice() {
    let (fx, mut p, mut v, e, a, _) = ready("10", "2");
    let h = p.hand_over(e, a, None, None).unwrap();
    assert_eq!(p.stock_overview(None).unwrap().items[0].quantity, dec("5"));
    let card = v.stock_card(1, None, None).unwrap();
    let issue = card
        .rows
        .iter()
        .find(|r| r.kind == MovementKind::Issue)
        .unwrap()
        .movement_id;
    let refused = v.reverse_movement(issue, "salah").err().unwrap();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(
        refused.message(Lang::Id).contains("membatalkan BAST itu"),
        "the message points to voiding the BAST: {refused:?}"
    );
    v.void_handover(h.id, "salah penerima").unwrap();
    assert_eq!(
        v.stock_overview(None).unwrap().items[0].quantity,
        dec("10"),
        "returned once"
    );
    // And the store refuses it too: a second reversal of the issue, even by raw SQL.
    let raw = fx.raw();
    let second = raw.execute(
        "INSERT INTO movement (date, at, item_id, lot_id, kind, qty_milli, doc_ref, actor, reverses, ref_kind, ref_id)
         SELECT date, at, item_id, lot_id, 'reversal', -qty_milli, 'X', 'x', id, 'handover', ref_id
         FROM movement WHERE id = ?1",
        [issue],
    );
    assert!(second.is_err(), "a movement is reversed once");
    assert!(v.stock_verify().unwrap().is_empty());
}

/// A family a Petugas edited after its event was approved is back in draft: the desk refuses its
/// package, naming it, until the Verifikator has looked again; the store refuses it by raw SQL too.
#[test]
fn a_family_back_in_draft_is_not_handed_over_until_verified_again() {
    let (fx, mut p, mut v, e, a, b) = ready("10", "2");
    fx.raw()
        .execute(
            "UPDATE family SET verification = 'draft' WHERE id = ?1",
            [a],
        )
        .unwrap();
    // The desk's list marks it, and its preview gives the refusal before Serahkan is pressed.
    let listed = p.event(e).unwrap().recipients;
    let flags = |id: i64| {
        let r = listed.iter().find(|r| r.family_id == id).unwrap();
        (r.verified, r.active)
    };
    assert_eq!(flags(a), (false, true));
    assert_eq!(flags(b), (true, true));
    let previewed = p.handover_preview(e, a, None, Lang::Id).err().unwrap();
    assert!(
        previewed
            .message(Lang::Id)
            .starts_with("KLG-000001 belum terverifikasi lagi"),
        "{}",
        previewed.message(Lang::Id)
    );
    p.handover_preview(e, b, None, Lang::Id).unwrap();
    let refused = p.hand_over(e, a, None, None).err().unwrap();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(
        refused
            .message(Lang::Id)
            .starts_with("KLG-000001 belum terverifikasi lagi"),
        "{}",
        refused.message(Lang::Id)
    );
    assert_eq!(
        p.stock_overview(None).unwrap().items[0].quantity,
        dec("10"),
        "nothing issued"
    );
    let raw = fx.raw().execute(
        "INSERT INTO handover (event_id, family_id, year, seq, bast_no, date, period, at, officer,
                               officer_name, officer_nip, officer_position, recipient_name, items)
         VALUES (?1, ?2, 2024, 99, 'X-9', '2024-11-20', '2024-11', 'x', 'x', 'x', '', 'x', 'x', '[]')",
        rusqlite::params![e, a],
    );
    assert!(raw.is_err(), "the store refuses it too");
    v.family_verify(a, "diperiksa ulang").unwrap();
    assert_eq!(p.event(e).unwrap().recipients.len(), 2);
    let listed = p.event(e).unwrap().recipients;
    assert!(listed.iter().find(|r| r.family_id == a).unwrap().verified);
    p.handover_preview(e, a, None, Lang::Id).unwrap();
    p.hand_over(e, a, None, None).unwrap();
    // A family retired since it was planned (moved away): marked in the list, and its preview
    // gives the reason before Serahkan.
    p.family_set_active(b, false, "Pindah ke Surabaya").unwrap();
    let listed = p.event(e).unwrap().recipients;
    let r = listed.iter().find(|r| r.family_id == b).unwrap();
    assert_eq!((r.verified, r.active), (true, false));
    let previewed = p.handover_preview(e, b, None, Lang::Id).err().unwrap();
    assert_eq!(
        previewed.message(Lang::Id),
        "KLG-000002 sudah nonaktif (Pindah ke Surabaya)."
    );
    p.family_set_active(b, true, "").unwrap();
    p.hand_over(e, b, None, None).unwrap();
}

/// The store backs the rules against raw SQL: one live hand-over of a family per period and per
/// event, a void that stays void, no hand-over for an event that is not approved, an event with
/// hand-overs never cancelled.
#[test]
fn the_store_refuses_what_the_rules_refuse_even_by_raw_sql() {
    let (fx, mut p, _v, e, a, b) = ready("10", "2");
    let h = p.hand_over(e, a, None, None).unwrap();
    let raw = fx.raw();
    let copy = |no: &str, event: i64, family: i64| {
        raw.execute(
            "INSERT INTO handover (event_id, family_id, year, seq, bast_no, date, period, at, officer,
                                   officer_name, officer_nip, officer_position, recipient_name, items)
             VALUES (?1, ?2, 2024, 99, ?3, '2024-11-20', '2024-11', 'x', 'x', 'x', '', 'x', 'x', '[]')",
            rusqlite::params![event, family, no],
        )
    };
    assert!(
        copy("X-1", e, a).is_err(),
        "a second live hand-over in the period"
    );
    raw.execute(
        "UPDATE handover SET voided_at = 'x', void_reason = 'x' WHERE id = ?1",
        [h.id],
    )
    .unwrap();
    assert!(
        raw.execute("UPDATE handover SET voided_at = NULL WHERE id = ?1", [h.id])
            .is_err(),
        "a void stays void"
    );
    assert!(
        raw.execute("UPDATE handover SET bast_no = 'Y' WHERE id = ?1", [h.id])
            .is_err(),
        "the number is fixed"
    );
    assert!(
        raw.execute("UPDATE event SET status = 'cancelled' WHERE id = ?1", [e])
            .is_err(),
        "an event with hand-overs is not cancelled"
    );
    assert!(
        raw.execute("UPDATE event SET status = 'draft' WHERE id = ?1", [e])
            .is_err(),
        "an event does not go back to draft"
    );
    assert!(
        raw.execute(
            "INSERT INTO event_recipient (event_id, family_id, added_at, added_by) VALUES (?1, 99, 'x', 'x')",
            [e]
        )
        .is_err(),
        "the list changes only while the event is a draft"
    );
    assert!(
        raw.execute("DELETE FROM handover WHERE id = ?1", [h.id])
            .is_err(),
        "hand-overs are never deleted"
    );
    let _ = b;
}

/// The store plans a family once a calendar month across live events (the trigger looks at the
/// events dated in the month only), even by raw SQL.
#[test]
fn the_store_plans_a_family_once_a_month_even_by_raw_sql() {
    let (fx, _p, _v, e, a, _b) = ready("10", "2");
    let raw = fx.raw();
    let draft = |id: i64, date: &str, status: &str| {
        raw.execute(
            "INSERT INTO event (id, date, place, kind, template_id, status, created_at, created_by)
             SELECT ?1, ?2, 'x', kind, template_id, ?3, 'x', 'x' FROM event WHERE id = ?4",
            rusqlite::params![id, date, status, e],
        )
        .unwrap();
    };
    let plan = |event: i64| {
        raw.execute(
            "INSERT INTO event_recipient (event_id, family_id, added_at, added_by) VALUES (?1, ?2, 'x', 'x')",
            [event, a],
        )
    };
    draft(9001, "2024-11-30", "draft");
    draft(9002, "2024-12-01", "draft");
    draft(9003, "2024-10-31", "draft");
    let err = plan(9001).err().unwrap().to_string();
    assert!(err.contains("already planned in this period"), "{err}");
    plan(9002).expect("the next month is another period");
    plan(9003).expect("the month before too");
    raw.execute("UPDATE event SET status = 'cancelled' WHERE id = 9002", [])
        .unwrap();
    draft(9004, "2024-12-20", "draft");
    plan(9004).expect("a cancelled event's list does not count");
}

/// An event with hand-overs is completed, not cancelled; the refusal says so.
#[test]
fn an_event_with_hand_overs_cannot_be_cancelled() {
    let (_fx, mut p, mut v, e, a, _) = ready("10", "2");
    let h = p.hand_over(e, a, None, None).unwrap();
    v.void_handover(h.id, "salah").unwrap();
    let err = v.cancel_event(e, "hujan").err().unwrap();
    assert_eq!(err.kind, ErrorKind::Conflict);
    assert!(
        err.message(Lang::Id).contains("selesaikan kegiatan"),
        "{err:?}"
    );
    assert_eq!(v.complete_event(e).unwrap().status, EventStatus::Completed);
}

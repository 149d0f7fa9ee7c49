//! Package templates and distribution events: versioning, eligibility, the shortage report,
//! approval and cancellation.

use crate::registry::{family, member, staffed};
use bansos::distribution::{
    EventInput, EventKind, EventStatus, IneligibleReason, Official, TemplateInput,
    TemplateLineInput,
};
use bansos::family::model::Relationship;
use bansos::locale::Lang;
use bansos::stock::{FundingSource, ReceiptInput, ReceiptLineInput};
use bansos::{App, ErrorKind};
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A verified family with consent; `niks` are the head's and any members' NIKs.
pub(crate) fn verified(p: &mut App, v: &mut App, head: &str, niks: &[&str], kk: &str) -> i64 {
    let mut f = family(head, niks[0]);
    f.kk = kk.into();
    f.consent_date = Some("2024-11-01".into());
    let names = [
        "Anak Satu",
        "Anak Dua",
        "Anak Tiga",
        "Anak Empat",
        "Anak Lima",
    ];
    for (name, n) in names.iter().zip(&niks[1..]) {
        f.members.push(member(name, n, Relationship::Anak));
    }
    let id = p.family_add(&f).unwrap().id;
    v.family_verify(id, "KTP, KK dan SKTM diperiksa").unwrap();
    id
}

pub(crate) fn beras_template(p: &mut App, qty: &str, per_person: bool, cap: Option<u32>) -> i64 {
    p.create_template(
        &TemplateInput {
            name: "Paket sembako bulanan".into(),
            per_person,
            cap_members: cap,
            lines: vec![
                TemplateLineInput {
                    item_id: 1,
                    quantity: qty.into(),
                },
                TemplateLineInput {
                    item_id: 2,
                    quantity: "1".into(),
                },
            ],
        },
        Lang::Id,
    )
    .unwrap()
    .id
}

pub(crate) fn event(p: &mut App, template: i64, date: &str) -> i64 {
    p.create_event(&EventInput {
        date: date.into(),
        place: "Aula Rutan Blora".into(),
        kind: EventKind::RutinBulanan,
        source: None,
        template_id: template,
        officials: vec![Official {
            name: "Budi Hardiono".into(),
            position: "Kepala Rutan".into(),
        }],
        note: String::new(),
    })
    .unwrap()
    .id
}

pub(crate) fn stock(p: &mut App, beras: &str, gula: &str) {
    p.receive(
        &ReceiptInput {
            date: "2024-11-10".into(),
            source: FundingSource::Koperasi,
            donor_name: String::new(),
            source_note: String::new(),
            doc_ref: "SJ-9".into(),
            received_by: "Budi".into(),
            note: String::new(),
            lines: vec![
                ReceiptLineInput {
                    item_id: 1,
                    quantity: beras.into(),
                    value: "0".into(),
                    lot_code: String::new(),
                    expiry: None,
                },
                ReceiptLineInput {
                    item_id: 2,
                    quantity: gula.into(),
                    value: "0".into(),
                    lot_code: String::new(),
                    expiry: None,
                },
            ],
        },
        Lang::Id,
    )
    .unwrap();
}

#[test]
fn a_template_in_use_gets_a_new_version_and_the_event_keeps_its_own() {
    let (_fx, mut p, _) = staffed();
    let t = beras_template(&mut p, "5", false, None);
    let edit = TemplateInput {
        name: "Paket sembako bulanan".into(),
        per_person: false,
        cap_members: None,
        lines: vec![TemplateLineInput {
            item_id: 1,
            quantity: "10".into(),
        }],
    };
    let same = p.update_template(t, &edit, Lang::Id).unwrap();
    assert_eq!(
        (same.id, same.version),
        (t, 1),
        "not used yet: changed in place"
    );
    let e = event(&mut p, t, "2024-11-20");
    let mut edit2 = edit.clone();
    edit2.lines[0].quantity = "7,5".into();
    let v2 = p.update_template(t, &edit2, Lang::Id).unwrap();
    assert_ne!(v2.id, t);
    assert_eq!((v2.lineage, v2.version), (t, 2));
    assert_eq!(v2.lines[0].quantity, dec("7.5"));
    assert_eq!(
        p.event(e).unwrap().template.lines[0].quantity,
        dec("10"),
        "the event keeps the version it was planned with"
    );
    assert_eq!(
        p.update_template(t, &edit2, Lang::Id).err().unwrap().kind,
        ErrorKind::Conflict,
        "only the latest version changes"
    );
    let e = p
        .create_template(
            &TemplateInput {
                name: "X".into(),
                per_person: false,
                cap_members: None,
                lines: vec![TemplateLineInput {
                    item_id: 1,
                    quantity: "0".into(),
                }],
            },
            Lang::Id,
        )
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("line.0.quantity"));
}

#[test]
fn adding_a_recipient_checks_eligibility_and_names_the_rule() {
    let (_fx, mut p, mut v) = staffed();
    let ok = verified(
        &mut p,
        &mut v,
        "Siti Rahayu",
        &["3316014708900003"],
        "3316010101100007",
    );
    let draft = p
        .family_add(&family("Budi Santoso", "3316011203850001"))
        .unwrap()
        .id;
    let gone = verified(
        &mut p,
        &mut v,
        "Sri Wahyuni",
        &["3316015512850006"],
        "3316010202200005",
    );
    p.family_set_active(gone, false, "Pindah ke Surabaya")
        .unwrap();
    let t = beras_template(&mut p, "5", false, None);
    let nov = event(&mut p, t, "2024-11-20");
    let e = p.add_recipient(nov, draft).err().unwrap();
    assert!(
        e.message(Lang::Id).contains("belum diverifikasi"),
        "{}",
        e.message(Lang::Id)
    );
    let e = p.add_recipient(nov, gone).err().unwrap();
    assert!(e.message(Lang::Id).contains("nonaktif") && e.message(Lang::Id).contains("Surabaya"));
    p.add_recipient(nov, ok).unwrap();
    assert_eq!(
        p.add_recipient(nov, ok).err().unwrap().kind,
        ErrorKind::Conflict
    );
    // Once per calendar month: another November event refuses, a December one accepts.
    let nov2 = event(&mut p, t, "2024-11-28");
    let e = p.add_recipient(nov2, ok).err().unwrap();
    let m = e.message(Lang::Id);
    assert!(
        m.contains(&format!("kegiatan #{nov}")) && m.contains("November 2024"),
        "{m}"
    );
    let dec_ev = event(&mut p, t, "2024-12-05");
    p.add_recipient(dec_ev, ok).unwrap();
    let picker = p.eligibility(nov2, &[ok, draft, gone], Lang::Id).unwrap();
    assert_eq!(
        picker.iter().map(|x| x.reason).collect::<Vec<_>>(),
        [
            Some(IneligibleReason::AlreadyPlanned),
            Some(IneligibleReason::NotVerified),
            Some(IneligibleReason::Inactive)
        ]
    );
    // A cancelled event frees its families.
    p.cancel_event(nov, "hujan deras, diundur").unwrap();
    p.add_recipient(nov2, ok).unwrap();
}

#[test]
fn the_shortage_report_names_each_short_item_and_approval_waits_for_stock() {
    let (_fx, mut p, mut v) = staffed();
    let a = verified(
        &mut p,
        &mut v,
        "Siti Rahayu",
        &["3316014708900003", "3316010501150002", "3316014203170004"],
        "3316010101100007",
    );
    let b = verified(
        &mut p,
        &mut v,
        "Budi Santoso",
        &["3316011203850001"],
        "3316010202200005",
    );
    // 2,5 kg per person, at most 2 people: Siti's family (3) gets 5 kg, Budi's (1) 2,5 kg; 1 kg gula each.
    let t = beras_template(&mut p, "2,5", true, Some(2));
    let e = event(&mut p, t, "2024-11-20");
    p.add_recipient(e, a).unwrap();
    p.add_recipient(e, b).unwrap();
    stock(&mut p, "6", "5");
    let r = p.shortage_report(e).unwrap();
    assert!(r.short);
    let beras = &r.lines[0];
    assert_eq!(
        (beras.needed, beras.available, beras.short),
        (dec("7.5"), dec("6"), dec("1.5"))
    );
    assert_eq!(r.lines[1].short, Decimal::ZERO);
    assert_eq!(
        p.approve_event(e).err().unwrap().kind,
        ErrorKind::Forbidden,
        "a petugas does not approve"
    );
    let err = v.approve_event(e).err().unwrap();
    assert!(
        err.message(Lang::Id).contains("Beras kurang 1,5 kg"),
        "{}",
        err.message(Lang::Id)
    );
    stock(&mut p, "2", "0,5");
    let ok = v.approve_event(e).unwrap();
    assert_eq!(ok.status, EventStatus::Approved);
    assert_eq!(ok.approved_by.as_deref(), Some("verif"));
    assert_eq!(
        p.add_recipient(e, a).err().unwrap().kind,
        ErrorKind::Conflict,
        "the list is fixed once approved"
    );
    assert_eq!(
        p.cancel_event(e, "x").err().unwrap().kind,
        ErrorKind::Forbidden,
        "an approved event is cancelled by the verifikator"
    );
    assert_eq!(
        v.cancel_event(e, " ").err().unwrap().field.as_deref(),
        Some("reason")
    );
    assert_eq!(
        v.cancel_event(e, "Bencana banjir").unwrap().status,
        EventStatus::Cancelled
    );
}

/// Siti Rahayu and Budi Santoso, verified with consent: (a, b).
pub(crate) fn two_families(p: &mut App, v: &mut App) -> (i64, i64) {
    (
        verified(
            p,
            v,
            "Siti Rahayu",
            &["3316014708900003"],
            "3316010101100007",
        ),
        verified(
            p,
            v,
            "Budi Santoso",
            &["3316011203850001"],
            "3316010202200005",
        ),
    )
}

/// Two verified families planned in an approved event with stock for both (5 kg beras, 1 kg gula).
pub(crate) fn ready(beras: &str, gula: &str) -> (crate::common::Fixture, App, App, i64, i64, i64) {
    let (fx, mut p, mut v) = staffed();
    let (a, b) = two_families(&mut p, &mut v);
    let t = beras_template(&mut p, "5", false, None);
    let e = event(&mut p, t, "2024-11-16");
    p.add_recipient(e, a).unwrap();
    p.add_recipient(e, b).unwrap();
    stock(&mut p, beras, gula);
    v.approve_event(e).unwrap();
    (fx, p, v, e, a, b)
}

#[test]
fn a_hand_over_issues_stock_and_takes_the_next_number_once_per_period() {
    let (_fx, mut p, mut v, e, a, b) = ready("10", "2");
    let h = p.hand_over(e, a, None, None).unwrap();
    assert_eq!(h.bast_no, "001/BAST-BANSOS/RUTAN-BLORA/XI/2024");
    assert_eq!(h.recipient_name, "Siti Rahayu");
    assert_eq!(h.items.len(), 2);
    assert_eq!(h.items[0].quantity, dec("5"));
    assert_eq!(h.items[0].sources, vec![FundingSource::Koperasi]);
    assert_eq!(p.stock_overview(None).unwrap().items[0].quantity, dec("5"));
    // Twice in one period: refused, naming the BAST already given.
    let e2 = p.hand_over(e, a, None, None).err().unwrap();
    assert!(
        e2.message(Lang::Id)
            .contains("001/BAST-BANSOS/RUTAN-BLORA/XI/2024"),
        "{}",
        e2.message(Lang::Id)
    );
    // A proxy needs a valid NIK and a relation.
    let bad = bansos::handover::Proxy {
        name: "Tono".into(),
        nik: "123".into(),
        relation: "anak".into(),
    };
    assert_eq!(
        p.hand_over(e, b, Some(&bad), None)
            .err()
            .unwrap()
            .field
            .as_deref(),
        Some("proxy.nik")
    );
    let proxy = bansos::handover::Proxy {
        name: "Tono Saputra".into(),
        nik: "3316010501150002".into(),
        relation: "anak".into(),
    };
    let h2 = p.hand_over(e, b, Some(&proxy), None).unwrap();
    assert_eq!(h2.bast_no, "002/BAST-BANSOS/RUTAN-BLORA/XI/2024");
    assert!(h2.to_proxy && h2.proxy_relation == "anak");
    let _ = &mut v;
}

#[test]
fn a_hand_over_beyond_stock_is_refused_naming_the_item_and_no_number_is_lost() {
    // Beras for both, gula for one only: the second hand-over fails at its second item.
    let (_fx, mut p, mut v, e, a, b) = ready("10", "2");
    p.hand_over(e, a, None, None).unwrap();
    v.issue_stock(2, "0,5", "ND-GULA", "rusak tikus", Lang::Id)
        .unwrap();
    let err = p.hand_over(e, b, None, None).err().unwrap();
    let m = err.message(Lang::Id);
    assert!(
        m.contains("Gula pasir") && m.contains("kurang 0,5 kg"),
        "{m}"
    );
    assert_eq!(
        p.stock_overview(None).unwrap().items[0].quantity,
        dec("5"),
        "the beras issued before the failure came back"
    );
    p.receive(
        &ReceiptInput {
            date: "2024-11-16".into(),
            source: FundingSource::Koperasi,
            donor_name: String::new(),
            source_note: String::new(),
            doc_ref: "SJ-10".into(),
            received_by: "Budi".into(),
            note: String::new(),
            lines: vec![ReceiptLineInput {
                item_id: 2,
                quantity: "1".into(),
                value: "0".into(),
                lot_code: String::new(),
                expiry: None,
            }],
        },
        Lang::Id,
    )
    .unwrap();
    let h = p.hand_over(e, b, None, None).unwrap();
    assert_eq!(
        h.bast_no, "002/BAST-BANSOS/RUTAN-BLORA/XI/2024",
        "no gap after the failed attempt"
    );
}

#[test]
fn voiding_a_hand_over_restores_the_stock_exactly_and_keeps_the_record() {
    let (_fx, mut p, mut v, e, a, _b) = ready("10", "2");
    let before = p.stock_overview(None).unwrap();
    let h = p.hand_over(e, a, None, None).unwrap();
    assert_eq!(
        p.void_handover(h.id, "salah").err().unwrap().kind,
        ErrorKind::Forbidden
    );
    assert_eq!(
        v.void_handover(h.id, " ").err().unwrap().field.as_deref(),
        Some("reason")
    );
    let voided = v.void_handover(h.id, "Penerima salah orang").unwrap();
    assert!(voided.voided);
    assert_eq!(
        voided.bast_no, h.bast_no,
        "the number stays with the record"
    );
    let after = p.stock_overview(None).unwrap();
    for (x, y) in before.items.iter().zip(&after.items) {
        assert_eq!(x.quantity, y.quantity, "{} back exactly", x.item.name);
    }
    assert!(p.stock_verify().unwrap().is_empty());
    // A voided hand-over does not count as served; the next one takes the next number.
    let again = p.hand_over(e, a, None, None).unwrap();
    assert_eq!(again.bast_no, "002/BAST-BANSOS/RUTAN-BLORA/XI/2024");
    assert_eq!(
        v.void_handover(h.id, "lagi").err().unwrap().kind,
        ErrorKind::Conflict
    );
    let done = p.complete_event(e).unwrap();
    assert_eq!(done.status, EventStatus::Completed);
    assert_eq!(
        p.hand_over(e, a, None, None).err().unwrap().kind,
        ErrorKind::Conflict
    );
}

/// The events list (Penyaluran) counts each event's planned families instead of carrying them
/// (at a large facility it once carried 1,000,000: 315 MB of JSON, 25 s in the window); the
/// counts and the rest of each line are the events' own.
#[test]
fn the_events_list_counts_the_planned_families_it_no_longer_carries() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bansos.db");
    let today = bansos::locale::TimeZone::Wib.today(chrono::Utc::now());
    bansos::demo::make(
        &db,
        &bansos::demo::Options {
            families: 20,
            months: 2,
            seed: 11,
            until: bansos::month::Month::of(today).prev(),
            facility: 0,
        },
        |_| {},
    )
    .unwrap();
    let mut app = bansos::App::open(
        &db,
        std::sync::Arc::new(bansos::clock::SystemClock),
        &bansos::Credentials::new("petugas", bansos::demo::PASSWORD),
    )
    .unwrap();
    let list = app.events().unwrap();
    assert!(list.len() >= 2);
    assert!(
        list.windows(2).all(|w| w[0].date >= w[1].date),
        "newest first"
    );
    for s in &list {
        let e = app.event(s.id).unwrap();
        assert_eq!(s.planned, e.recipients.len() as i64);
        assert_eq!(
            (&s.date, &s.place, s.kind, s.status),
            (&e.date, &e.place, e.kind, e.status)
        );
        assert_eq!(
            (&s.template_name, s.template_version),
            (&e.template.name, e.template.version)
        );
    }
    assert!(list.iter().any(|s| s.planned > 0));
}

/// The store keeps each event's planned count in the transaction that adds or removes a recipient
/// (migration 0017), so the list never disagrees with the event's own recipients.
#[test]
fn the_planned_count_follows_recipients_added_and_removed() {
    let (_fx, mut p, mut v) = staffed();
    let a = verified(
        &mut p,
        &mut v,
        "Siti Rahayu",
        &["3316014708900003"],
        "3316010101100007",
    );
    let b = verified(
        &mut p,
        &mut v,
        "Sri Wahyuni",
        &["3316015512850006"],
        "3316010202200005",
    );
    let t = beras_template(&mut p, "5", false, None);
    let nov = event(&mut p, t, "2024-11-20");
    let planned = |p: &mut App| {
        p.events()
            .unwrap()
            .into_iter()
            .find(|s| s.id == nov)
            .unwrap()
            .planned
    };
    assert_eq!(planned(&mut p), 0);
    p.add_recipient(nov, a).unwrap();
    p.add_recipient(nov, b).unwrap();
    assert_eq!(planned(&mut p), 2);
    // A refused addition (already planned) counts nothing.
    assert!(p.add_recipient(nov, b).is_err());
    assert_eq!(planned(&mut p), 2);
    p.remove_recipient(nov, a).unwrap();
    assert_eq!(planned(&mut p), 1);
    assert_eq!(p.event(nov).unwrap().recipients.len(), 1);
}

/// A home visit's hand-over written up after the shelf was counted, dated before the count: the
/// goods had left when they were counted, so the approval does not take them out a second time.
#[test]
fn a_hand_over_dated_before_an_opname_and_entered_after_its_count_is_not_taken_twice() {
    let (fx, _p, _v, e, a, _b) = ready("10", "2");
    fx.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 11, 18, 3, 0, 0).unwrap());
    let mut p = fx.sign_in("petugas", crate::registry::PETUGAS_PW).unwrap();
    let mut v = fx.sign_in("verif", crate::registry::VERIF_PW).unwrap();
    let beras: i64 = fx
        .raw()
        .query_row("SELECT id FROM lot WHERE item_id = 1", [], |r| r.get(0))
        .unwrap();
    let o = p.opname_start().unwrap();
    // The shelf holds 5: the other 5 went out on a home visit yesterday, not yet written up.
    p.opname_count(o.id, beras, "5", Lang::Id).unwrap();
    fx.clock.advance(chrono::Duration::minutes(2));
    p.hand_over(e, a, None, Some("2024-11-17")).unwrap();
    // The sheet shows the difference the approval will make: none.
    let line = v
        .opname_get(o.id)
        .unwrap()
        .lines
        .into_iter()
        .find(|l| l.lot_id == beras)
        .unwrap();
    assert_eq!(line.variance, Some(dec("0")), "{line:?}");
    v.opname_approve(o.id).unwrap();
    assert_eq!(
        v.lot_balance_now(beras).unwrap(),
        dec("5"),
        "5 on the shelf"
    );
    let adj = v
        .adjustments(Some(bansos::stock::AdjustmentStatus::Approved))
        .unwrap();
    assert!(adj.is_empty(), "no difference to adjust: {adj:?}");
}

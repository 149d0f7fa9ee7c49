//! The beneficiary registry: families, duplicates, search, verification, privacy.

use crate::common::{new_staff, Fixture};
use bansos::family::model::{
    Category, FamilyInput, KkChangeReason, MemberInput, PoorReason, Relationship, Verification,
    WbpStatus,
};
use bansos::family::nik::Sex;
use bansos::family::view::{DuplicateKind, DuplicateStatus, FamilyFilter, Resolution};
use bansos::locale::Lang;
use bansos::staff::Role;
use bansos::{App, ErrorKind};

pub const PETUGAS_PW: &str = "nasi-goreng-pedas";
pub const VERIF_PW: &str = "sayur-lodeh-enak";

/// Born 7 August 1990, a woman (47 = 7 + 40), Jati, Blora.
pub const SITI: &str = "3316014708900003";
/// Born 12 March 1985, a man.
pub const BUDI: &str = "3316011203850001";
/// Born 5 January 2015, a boy.
pub const ANAK: &str = "3316010501150002";
pub const KK: &str = "3316010101100007";
/// Bangkleyan, Jati, Blora.
pub const VILLAGE: &str = "3316012001";

pub fn staffed() -> (Fixture, App, App) {
    let (fx, mut admin) = Fixture::new();
    admin
        .add_staff(&new_staff("petugas", Role::Petugas, PETUGAS_PW))
        .unwrap();
    admin
        .add_staff(&new_staff("verif", Role::Verifikator, VERIF_PW))
        .unwrap();
    let p = fx.sign_in("petugas", PETUGAS_PW).unwrap();
    let v = fx.sign_in("verif", VERIF_PW).unwrap();
    (fx, p, v)
}

pub fn member(name: &str, nik: &str, rel: Relationship) -> MemberInput {
    MemberInput {
        id: None,
        name: name.into(),
        nik: nik.into(),
        nik_temporary: false,
        sex: None,
        birth_date: None,
        relationship: rel,
    }
}

pub fn family(head: &str, nik: &str) -> FamilyInput {
    let mut f = FamilyInput::blank(Category::KeluargaWbp);
    f.members = vec![member(head, nik, Relationship::KepalaKeluarga)];
    f.kk = KK.into();
    f.address = "Dukuh Krajan".into();
    f.rt = "3".into();
    f.rw = "1".into();
    f.region_code = VILLAGE.into();
    f.phone = "0812-3456-7890".into();
    f.wbp_name = "Slamet Riyadi".into();
    f.wbp_reg_no = "BI.123/2024".into();
    f.wbp_status = Some(WbpStatus::Ditahan);
    f.wbp_relation = "Suami".into();
    f.reasons = vec![PoorReason::PencariNafkahDitahan];
    f
}

fn count_families(fx: &Fixture) -> i64 {
    fx.raw()
        .query_row("SELECT count(*) FROM family", [], |r| r.get(0))
        .unwrap()
}

fn search(app: &mut App, q: &str) -> Vec<String> {
    let f = FamilyFilter {
        query: q.into(),
        ..Default::default()
    };
    app.family_list(&f, 20, 0)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.head_name)
        .collect()
}

/// A family of more members than a family card lists is refused before any member is read,
/// naming the members; reasons given again and again are kept once each, in their order (they
/// once reached the store's limit as a program error when not given side by side).
#[test]
fn members_are_bounded_and_each_reason_is_kept_once() {
    let (_fx, mut p, _) = staffed();
    let mut f = family("Siti Rahayu", SITI);
    for i in 0..bansos::limits::FAMILY_MEMBERS {
        f.members
            .push(member(&format!("Anak {i}"), "", Relationship::Anak));
    }
    let e = p.family_add(&f).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(e.field.as_deref(), Some("members"));
    assert_eq!(
        e.message(Lang::Id),
        "Satu keluarga paling banyak 40 anggota; tertulis 41."
    );
    assert_eq!(
        e.message(Lang::En),
        "A family has at most 40 members; there are 41."
    );
    assert!(search(&mut p, "Siti").is_empty(), "nothing was saved");

    let mut f = family("Siti Rahayu", SITI);
    f.reasons = [PoorReason::Lansia, PoorReason::Disabilitas]
        .into_iter()
        .cycle()
        .take(1_000)
        .collect();
    let saved = p.family_add(&f).unwrap();
    assert_eq!(
        p.family_get(saved.id).unwrap().reasons,
        vec![PoorReason::Lansia, PoorReason::Disabilitas]
    );
}

#[test]
fn a_family_is_registered_with_its_members_history_and_audit() {
    let (fx, mut p, _) = staffed();
    let mut f = family("Siti Rahayu", SITI);
    f.members
        .push(member("Dimas Saputra", ANAK, Relationship::Anak));
    let saved = p.family_add(&f).unwrap();
    assert_eq!(saved.code, "KLG-000001");
    let d = p.family_get(saved.id).unwrap();
    assert_eq!(d.members.len(), 2);
    let head = &d.members[0];
    assert_eq!(head.relationship, Relationship::KepalaKeluarga);
    assert_eq!(head.sex, Some(Sex::P), "sex taken from the NIK");
    assert_eq!(
        head.birth_date.as_deref(),
        Some("1990-08-07"),
        "birth date from the NIK"
    );
    assert_eq!(
        head.nik.as_deref(),
        Some(SITI),
        "a petugas sees the full record"
    );
    assert_eq!(d.rt, "003");
    assert_eq!(d.phone, "081234567890");
    assert_eq!(
        d.region.as_ref().unwrap().village.as_deref(),
        Some("Bangkleyan")
    );
    assert!(d.region_table.as_deref().unwrap().contains("2025"));
    assert_eq!(d.kk_history.len(), 1);
    assert_eq!(d.verification, Verification::Draft);
    let actions: Vec<&str> = d.history.iter().map(|h| h.action.as_str()).collect();
    assert!(actions.contains(&"family.create"), "{actions:?}");
    assert!(
        actions.contains(&"family.view"),
        "the opening itself is logged"
    );
    assert_eq!(count_families(&fx), 1);
}

#[test]
fn the_same_nik_anywhere_is_refused_with_a_pointer_and_nothing_is_written() {
    let (fx, mut p, _) = staffed();
    let mut f = family("Siti Rahayu", SITI);
    f.members
        .push(member("Dimas Saputra", ANAK, Relationship::Anak));
    p.family_add(&f).unwrap();
    // The child's NIK, now given as the head of another family.
    let mut g = family("Dimas S", ANAK);
    g.kk = String::new();
    let e = p.family_add(&g).err().unwrap();
    assert_eq!(e.kind, ErrorKind::Conflict);
    assert_eq!(e.field.as_deref(), Some("member.0.nik"));
    let msg = e.message(Lang::Id);
    assert!(
        msg.contains("KLG-000001") && msg.contains("Dimas Saputra") && msg.contains("Siti Rahayu"),
        "{msg}"
    );
    assert_eq!(count_families(&fx), 1);
    // The form check says the same before saving.
    let c = p.family_check(&g, None, Lang::Id).unwrap();
    assert!(c
        .errors
        .iter()
        .any(|e| e.field == "member.0.nik" && e.message.contains("KLG-000001")));
}

#[test]
fn the_form_check_names_every_bad_field_at_once() {
    let (_fx, mut p, _) = staffed();
    let mut f = family("Siti 2", "33160147089");
    f.kk = "99160101011000".into();
    f.rt = "abc".into();
    f.phone = "08x".into();
    f.region_code = "3316999999".into();
    f.wbp_name = String::new();
    f.members.push(member("", BUDI, Relationship::Suami));
    let c = p.family_check(&f, None, Lang::Id).unwrap();
    let fields: Vec<&str> = c.errors.iter().map(|e| e.field.as_str()).collect();
    for want in [
        "member.0.name",
        "member.0.nik",
        "member.1.name",
        "kk",
        "rt",
        "phone",
        "region_code",
        "wbp_name",
    ] {
        assert!(fields.contains(&want), "{want} missing from {fields:?}");
    }
    let nik = c.errors.iter().find(|e| e.field == "member.0.nik").unwrap();
    assert!(nik.message.contains("16 angka"), "{}", nik.message);
    let e = p.family_add(&f).err().unwrap();
    assert_eq!(e.kind, ErrorKind::Invalid);
}

#[test]
fn the_same_kk_and_a_similar_person_warn_and_become_pairs_to_review() {
    let (fx, mut p, mut v) = staffed();
    let a = p.family_add(&family("Siti Rahayu", SITI)).unwrap();
    // Same KK, and the same woman recorded again under a temporary NIK with a misspelt name.
    let mut g = family("Siti Rahayoe", "");
    g.members[0].nik_temporary = true;
    g.members[0].birth_date = Some("07-08-1990".into());
    let c = p.family_check(&g, None, Lang::Id).unwrap();
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    let kinds: Vec<_> = c.warnings.iter().map(|w| w.kind).collect();
    use bansos::family::model::NoticeKind as K;
    assert!(kinds.contains(&K::SameKk), "{kinds:?}");
    assert!(kinds.contains(&K::NikTemporary), "{kinds:?}");
    let similar = c
        .warnings
        .iter()
        .find(|w| w.kind == K::SimilarPerson)
        .expect("similar warned");
    assert!(
        similar.score.unwrap() >= 88 && similar.family_id == Some(a.id),
        "{similar:?}"
    );
    assert!(similar.message.contains("KLG-000001"));
    let b = p.family_add(&g).unwrap();
    assert_eq!(b.pairs_recorded, 2);
    let pairs = v.duplicates(Some(DuplicateStatus::Open)).unwrap();
    assert_eq!(pairs.len(), 2);
    let kk_pair = pairs
        .iter()
        .find(|p| p.kind == DuplicateKind::SameKk)
        .unwrap();
    let sim_pair = pairs
        .iter()
        .find(|p| p.kind == DuplicateKind::SimilarPerson)
        .unwrap();
    // What was found, in either language, the birth date as the forms write it.
    assert!(
        sim_pair.detail.starts_with("Mirip (") && sim_pair.detail.contains("lahir 07/08/1990"),
        "{}",
        sim_pair.detail
    );
    assert!(
        sim_pair.detail_en.starts_with("Similar (")
            && sim_pair.detail_en.contains("born 07/08/1990"),
        "{}",
        sim_pair.detail_en
    );
    assert!(kk_pair.detail_en.starts_with("The same family card number"));
    // A petugas may not settle pairs.
    let e = p
        .resolve_duplicate(kk_pair.id, &Resolution::Distinct { note: "x".into() })
        .err()
        .unwrap();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    // A note is required.
    let e = v
        .resolve_duplicate(
            sim_pair.id,
            &Resolution::Merge {
                keep: a.id,
                note: " ".into(),
            },
        )
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("note"));
    v.resolve_duplicate(
        sim_pair.id,
        &Resolution::Merge {
            keep: a.id,
            note: "Orang yang sama, KTP dicek".into(),
        },
    )
    .unwrap();
    let gone = v.family_get(b.id).unwrap();
    assert!(!gone.active);
    assert_eq!(gone.merged_into, Some(a.id));
    assert!(gone.inactive_reason.contains("KLG-000001"));
    assert!(
        v.duplicates(Some(DuplicateStatus::Open))
            .unwrap()
            .is_empty(),
        "the merge settles the KK pair of the same two families"
    );
    let e = v
        .resolve_duplicate(
            sim_pair.id,
            &Resolution::Distinct {
                note: "lagi".into(),
            },
        )
        .err()
        .unwrap();
    assert_eq!(e.kind, ErrorKind::Conflict);
    let audited: i64 = fx
        .raw()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action IN ('family.merge', 'duplicate.resolve')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2);
}

/// Pairs (A, B) and (B, C): once B is merged into A, B cannot be merged into C, nor C into B;
/// the store refuses a second merge by raw SQL too.
#[test]
fn a_family_merged_once_is_not_merged_again_by_another_pair() {
    let (fx, mut p, mut v) = staffed();
    let a = p.family_add(&family("Siti Rahayu", SITI)).unwrap().id;
    let b = p.family_add(&family("Budi Hartono", BUDI)).unwrap().id;
    let c = p
        .family_add(&family("Dimas Saputra", "3316010203800004"))
        .unwrap()
        .id;
    let pair_of = |v: &mut App, x: i64, y: i64| {
        v.duplicates(Some(DuplicateStatus::Open))
            .unwrap()
            .into_iter()
            .find(|d| {
                (d.a.family_id, d.b.family_id) == (x, y) || (d.a.family_id, d.b.family_id) == (y, x)
            })
            .unwrap_or_else(|| panic!("a pair of {x} and {y}"))
            .id
    };
    let (ab, bc) = (pair_of(&mut v, a, b), pair_of(&mut v, b, c));
    let merge = |keep: i64| Resolution::Merge {
        keep,
        note: "KK sama".into(),
    };
    v.resolve_duplicate(ab, &merge(a)).unwrap();
    for keep in [c, b] {
        let e = v.resolve_duplicate(bc, &merge(keep)).err().unwrap();
        assert_eq!(e.kind, ErrorKind::Conflict);
        assert!(
            e.message(Lang::Id).starts_with("KLG-000002 sudah nonaktif"),
            "{}",
            e.message(Lang::Id)
        );
    }
    assert_eq!(v.family_get(b).unwrap().merged_into, Some(a));
    assert!(v.family_get(c).unwrap().active);
    v.resolve_duplicate(
        bc,
        &Resolution::Distinct {
            note: "berbeda".into(),
        },
    )
    .unwrap();
    let raw = fx
        .raw()
        .execute("UPDATE family SET merged_into = ?1 WHERE id = ?2", [c, b]);
    assert!(raw.is_err(), "the store keeps the first merge");
    let raw = fx
        .raw()
        .execute("UPDATE family SET merged_into = ?1 WHERE id = ?2", [b, c]);
    assert!(raw.is_err(), "nor merges into a merged family");
}

/// The window builds the name index on its own thread and connection after sign-in and hands
/// it to the session: taken while the registry is as the job read it, refused once another
/// desk has changed it (the next search then builds its own, with the new family in it), and
/// never over an index the session already has.
#[test]
fn the_name_index_built_away_from_the_session_is_taken_only_while_the_registry_is_unchanged() {
    let (fx, mut p, _) = staffed();
    p.family_add(&family("Siti Rahayu", SITI)).unwrap();
    let built = p.search_index_job().unwrap().run().unwrap();
    assert_eq!(
        p.search_index_bytes(),
        0,
        "the job leaves the session alone"
    );
    assert!(p.install_search_index(built).unwrap(), "taken");
    assert!(p.search_index_bytes() > 0);
    assert_eq!(search(&mut p, "siti rahyu"), ["Siti Rahayu"]);
    let again = p.search_index_job().unwrap().run().unwrap();
    assert!(
        !p.install_search_index(again).unwrap(),
        "the session has its own already"
    );

    // A second desk's job reads the registry; the first desk then registers a family.
    let mut q = fx.sign_in("petugas", PETUGAS_PW).unwrap();
    let stale = q.search_index_job().unwrap().run().unwrap();
    let mut g = family("Djoko Soesilo", BUDI);
    g.kk = "3316010202200005".into();
    p.family_add(&g).unwrap();
    assert!(
        !q.install_search_index(stale).unwrap(),
        "the registry changed"
    );
    assert_eq!(q.search_index_bytes(), 0);
    assert_eq!(search(&mut q, "joko susilo"), ["Djoko Soesilo"]);
}

#[test]
fn search_finds_misspelt_names_numbers_registration_and_members() {
    let (fx, mut p, _) = staffed();
    let mut f = family("Siti Rahayu", SITI);
    f.members
        .push(member("Dimas Saputra", ANAK, Relationship::Anak));
    p.family_add(&f).unwrap();
    let mut g = family("Djoko Soesilo", BUDI);
    g.kk = "3316010202200005".into();
    g.wbp_name = "Agus Salim".into();
    g.wbp_reg_no = "AII.45/2023".into();
    p.family_add(&g).unwrap();
    assert_eq!(search(&mut p, "siti rahyu"), ["Siti Rahayu"]);
    assert_eq!(search(&mut p, "Rahaju"), ["Siti Rahayu"]);
    assert_eq!(
        search(&mut p, "joko susilo"),
        ["Djoko Soesilo"],
        "old spelling"
    );
    assert_eq!(
        search(&mut p, "dimas"),
        ["Siti Rahayu"],
        "a member leads to the family"
    );
    assert_eq!(
        search(&mut p, "agus salim"),
        ["Djoko Soesilo"],
        "the inmate's name too"
    );
    assert_eq!(search(&mut p, "331601470"), ["Siti Rahayu"], "NIK prefix");
    assert_eq!(
        search(&mut p, "3316010202"),
        ["Djoko Soesilo"],
        "No. KK prefix"
    );
    assert_eq!(
        search(&mut p, "aii 45"),
        ["Djoko Soesilo"],
        "registration number, however typed"
    );
    assert_eq!(search(&mut p, "KLG-000002"), ["Djoko Soesilo"]);
    assert!(search(&mut p, "bambang").is_empty());
    // What matched, besides the head's name, in the reader's words.
    let matched = |p: &mut App, q: &str| {
        let f = FamilyFilter {
            query: q.into(),
            ..Default::default()
        };
        let m = p.family_list(&f, 20, 0).unwrap().rows[0].matched.clone();
        m.map(|m| (m.text(Lang::Id), m.text(Lang::En)))
    };
    let both = |id: &str, en: &str| Some((id.to_owned(), en.to_owned()));
    assert_eq!(matched(&mut p, "siti rahayu"), None, "the head's name");
    assert_eq!(
        matched(&mut p, "dimas"),
        both("Anggota: Dimas Saputra", "Member: Dimas Saputra")
    );
    assert_eq!(
        matched(&mut p, "agus salim"),
        both("WBP: Agus Salim", "Inmate: Agus Salim")
    );
    assert_eq!(
        matched(&mut p, &ANAK[..10]),
        both("NIK anggota: Dimas Saputra", "Member's NIK: Dimas Saputra")
    );
    assert_eq!(
        matched(&mut p, "3316010202"),
        both("No. KK", "Family card (KK) number")
    );
    assert_eq!(
        matched(&mut p, "aii 45"),
        both("No. registrasi WBP", "Inmate's registration number")
    );
    // An edit in this session updates the built index in place: the old names are gone, the
    // new ones found, by typo too, and the family is still found once.
    let by_nik = FamilyFilter {
        query: SITI.into(),
        ..Default::default()
    };
    let siti = p.family_list(&by_nik, 20, 0).unwrap().rows[0].id;
    let mut renamed = family("Siti Aminah", SITI);
    renamed.members.truncate(1); // the head
    renamed
        .members
        .push(member("Wulan Sari", ANAK, Relationship::Anak));
    p.family_update(siti, &renamed).unwrap();
    assert!(search(&mut p, "siti rahayu").is_empty());
    assert!(search(&mut p, "dimas").is_empty(), "a removed member");
    assert_eq!(search(&mut p, "siti aminh"), ["Siti Aminah"]);
    assert_eq!(search(&mut p, "wulan"), ["Siti Aminah"]);
    assert_eq!(search(&mut p, "djoko"), ["Djoko Soesilo"]);
    // Another window registers a family: this session's index notices.
    let mut other = fx.sign_in("petugas", PETUGAS_PW).unwrap();
    let mut h = family("Bambang Pamungkas", "3316011508800004");
    h.kk = String::new();
    other.family_add(&h).unwrap();
    assert_eq!(search(&mut p, "bambang pamungkas"), ["Bambang Pamungkas"]);
    // Filters apply to search results.
    let f = FamilyFilter {
        query: "siti".into(),
        category: Some(Category::MasyarakatSekitar),
        ..Default::default()
    };
    assert!(p.family_list(&f, 20, 0).unwrap().rows.is_empty());
}

#[test]
fn niks_are_masked_by_role_in_lists_and_records() {
    let (fx, mut p, mut v) = staffed();
    let id = p.family_add(&family("Siti Rahayu", SITI)).unwrap().id;
    let all = FamilyFilter::default();
    let page = p.family_list(&all, 10, 0).unwrap();
    assert!(page.masked);
    assert_eq!(page.rows[0].head_nik.as_deref(), Some("331601********03"));
    let page = v.family_list(&all, 10, 0).unwrap();
    assert!(!page.masked);
    assert_eq!(page.rows[0].head_nik.as_deref(), Some(SITI));
    // The Admin keeps accounts, settings, keys and backups, never the families.
    let mut admin = fx.admin();
    assert_eq!(
        admin.family_get(id).err().unwrap().kind,
        ErrorKind::Forbidden
    );
    assert_eq!(
        admin.family_list(&all, 10, 0).err().unwrap().kind,
        ErrorKind::Forbidden
    );
    assert_eq!(admin.events().err().unwrap().kind, ErrorKind::Forbidden);
    admin
        .add_staff(&crate::common::new_staff(
            "kepala",
            bansos::staff::Role::KepalaUpt,
            crate::month::KEPALA_PW,
        ))
        .unwrap();
    let mut kepala = fx.sign_in("kepala", crate::month::KEPALA_PW).unwrap();
    let d = kepala.family_get(id).unwrap();
    assert!(!d.nik_full);
    assert_eq!(d.members[0].nik.as_deref(), Some("331601********03"));
    assert_eq!(d.kk.as_deref(), Some("331601********07"));
    // Every opening is logged with who opened it.
    let views: Vec<String> = {
        let raw = fx.raw();
        let mut st = raw
            .prepare("SELECT actor FROM audit_log WHERE action = 'family.view' ORDER BY seq")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(views, ["kepala"]);
    // A masked NIK cannot be spelt out by searching its first digits: the Kepala UPT finds a
    // family by the whole NIK only; the petugas (who sees it in the record) by its start.
    let by = |app: &mut App, q: &str| {
        app.family_list(
            &FamilyFilter {
                query: q.into(),
                ..Default::default()
            },
            10,
            0,
        )
        .unwrap()
        .rows
        .len()
    };
    assert_eq!(by(&mut kepala, "33160147"), 0);
    assert_eq!(by(&mut kepala, SITI), 1);
    assert_eq!(by(&mut p, "33160147"), 1);
    // The admin keeps accounts, not families.
    let e = admin.family_add(&family("X Y", BUDI)).err().unwrap();
    assert_eq!(e.kind, ErrorKind::Forbidden);
}

#[test]
fn a_kk_change_needs_a_reason_and_is_kept_in_history_and_a_petugas_edit_needs_reverification() {
    let (_fx, mut p, mut v) = staffed();
    let mut f = family("Siti Rahayu", SITI);
    f.consent_date = Some("2024-11-01".into());
    let id = p.family_add(&f).unwrap().id;
    // Verification needs evidence.
    let e = v.family_verify(id, "").err().unwrap();
    assert_eq!(e.field.as_deref(), Some("evidence_note"));
    let d = v.family_verify(id, "KTP, KK dan SKTM dari desa").unwrap();
    assert_eq!(d.verification, Verification::Verified);
    assert_eq!(d.verified_by.as_deref(), Some("verif"));
    // Edit: a new KK without a reason is refused.
    let detail = p.family_get(id).unwrap();
    let mut edit = f.clone();
    edit.members[0].id = Some(detail.members[0].id);
    edit.kk = "3316010303240001".into();
    let e = p.family_update(id, &edit).err().unwrap();
    assert_eq!(e.field.as_deref(), Some("kk_change_reason"));
    edit.kk_change_reason = Some(KkChangeReason::PisahKk);
    edit.members
        .push(member("Dimas Saputra", ANAK, Relationship::Anak));
    p.family_update(id, &edit).unwrap();
    let d = p.family_get(id).unwrap();
    assert_eq!(d.kk_history.len(), 2);
    assert_eq!(d.kk_history[0].reason, Some(KkChangeReason::PisahKk));
    assert_eq!(d.kk_history[1].kk.as_deref(), Some(KK));
    assert_eq!(d.members.len(), 2);
    assert_eq!(
        d.verification,
        Verification::Draft,
        "a petugas's edit goes back to the verifikator"
    );
    let upd = d
        .history
        .iter()
        .find(|h| h.action == "family.update")
        .unwrap();
    assert!(
        upd.old.as_ref().unwrap().contains(KK)
            && upd.new.as_ref().unwrap().contains("3316010303240001")
    );
    // A member removed in an edit is gone; its NIK can be registered elsewhere.
    edit.members.truncate(1);
    edit.kk_change_reason = None;
    p.family_update(id, &edit).unwrap();
    assert_eq!(p.family_get(id).unwrap().members.len(), 1);
}

#[test]
fn verification_needs_consent_a_reason_and_a_real_head_nik() {
    let (_fx, mut p, mut v) = staffed();
    let mut f = family("Siti Rahayu", "");
    f.members[0].nik_temporary = true;
    f.members[0].sex = Some(Sex::P);
    let id = p.family_add(&f).unwrap().id;
    let row = &p.family_list(&FamilyFilter::default(), 10, 0).unwrap().rows[0];
    assert!(row.head_nik_temporary && row.head_nik.is_none());
    let e = v.family_verify(id, "KTP dicek").err().unwrap();
    assert_eq!(e.field.as_deref(), Some("consent_date"));
    let detail = p.family_get(id).unwrap();
    let mut edit = f.clone();
    edit.members[0].id = Some(detail.members[0].id);
    edit.consent_date = Some("2024-11-10".into());
    p.family_update(id, &edit).unwrap();
    let e = v.family_verify(id, "KTP dicek").err().unwrap();
    assert_eq!(
        e.field.as_deref(),
        Some("member.0.nik"),
        "{}",
        e.message(Lang::Id)
    );
    let e = p.family_verify(id, "KTP dicek").err().unwrap();
    assert_eq!(
        e.kind,
        ErrorKind::Forbidden,
        "only the verifikator verifies"
    );
}

#[test]
fn deactivation_needs_a_reason_and_filters_see_it() {
    let (_fx, mut p, _) = staffed();
    let id = p.family_add(&family("Siti Rahayu", SITI)).unwrap().id;
    let e = p.family_set_active(id, false, "  ").err().unwrap();
    assert_eq!(e.field.as_deref(), Some("reason"));
    let d = p
        .family_set_active(id, false, "Pindah ke Surabaya")
        .unwrap();
    assert!(!d.active && d.inactive_reason == "Pindah ke Surabaya");
    let active = FamilyFilter {
        active: Some(true),
        ..Default::default()
    };
    assert_eq!(p.family_list(&active, 10, 0).unwrap().total, 0);
    let inactive = FamilyFilter {
        active: Some(false),
        ..Default::default()
    };
    assert_eq!(p.family_list(&inactive, 10, 0).unwrap().total, 1);
    // Its NIK still points to it.
    let e = p.family_add(&family("Siti R", SITI)).err().unwrap();
    assert!(e.message(Lang::Id).contains("nonaktif"));
    p.family_set_active(id, true, "").unwrap();
    assert_eq!(p.family_list(&active, 10, 0).unwrap().total, 1);
}

#[test]
fn scans_are_kept_and_anything_else_refused() {
    let (_fx, mut p, _) = staffed();
    let id = p.family_add(&family("Siti Rahayu", SITI)).unwrap().id;
    let png = b"\x89PNG\r\n\x1a\n0000IHDRfake-but-typed";
    let a = p
        .family_attach(id, "/home/x/ktp siti.png", png, "KTP")
        .unwrap();
    assert_eq!(a.mime, "image/png");
    assert_eq!(a.file_name, "ktp siti.png");
    let (_, bytes) = p.attachment(a.id).unwrap();
    assert_eq!(bytes, png);
    let e = p
        .family_attach(id, "catatan.txt", b"hello", "")
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("file"));
    // A terminal's escapes: out of the name, refused in the note.
    let b = p.family_attach(id, "ktp\u{1b}[31m.png", png, "KK").unwrap();
    assert_eq!(b.file_name, "ktp_[31m.png");
    let e = p
        .family_attach(id, "kk.png", png, "catatan\u{7}")
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("note"));
    assert_eq!(p.family_get(id).unwrap().attachments.len(), 2);
}

/// A search finds twice a page of candidates, best first; the page shows the first that pass the
/// filter, and the total counts every candidate that passes it — those past the page are read
/// only for the filter's columns.
#[test]
fn a_searchs_total_counts_the_candidates_past_the_page_that_pass_the_filter() {
    let (_fx, mut p, _v) = staffed();
    let mut ids = Vec::new();
    for i in 0..6 {
        let mut f = family("Siti Rahayu", &format!("33160147089000{:02}", 10 + i));
        f.kk = format!("33160101011000{:02}", 10 + i);
        ids.push(p.family_add(&f).unwrap().id);
    }
    p.family_set_active(ids[1], false, "Pindah ke Surabaya")
        .unwrap();
    let list = |p: &mut App, active: Option<bool>, limit: u32| {
        let f = FamilyFilter {
            query: "siti rahayu".into(),
            active,
            ..Default::default()
        };
        let page = p.family_list(&f, limit, 0).unwrap();
        (
            page.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
            page.total,
        )
    };
    // Candidates: the four lowest ids (equal scores); the second is inactive.
    assert_eq!(list(&mut p, Some(true), 2), (vec![ids[0], ids[2]], 3));
    // One a page: two candidates, the second past the page and inactive.
    assert_eq!(list(&mut p, Some(true), 1), (vec![ids[0]], 1));
    assert_eq!(list(&mut p, None, 1), (vec![ids[0]], 2));
    assert_eq!(list(&mut p, Some(false), 2), (vec![ids[1]], 1));
    assert_eq!(list(&mut p, None, 2), (vec![ids[0], ids[1]], 4));
    assert_eq!(
        list(&mut p, Some(true), 10),
        (vec![ids[0], ids[2], ids[3], ids[4], ids[5]], 5)
    );
}

/// A search longer than any name or number is refused naming the box, in the user's language.
#[test]
fn a_search_longer_than_its_limit_is_refused() {
    let (_fx, mut p, _v) = staffed();
    let list = |p: &mut App, q: String| {
        let f = FamilyFilter {
            query: q,
            ..Default::default()
        };
        p.family_list(&f, 20, 0)
    };
    assert!(list(&mut p, "é".repeat(200)).is_ok());
    let e = list(&mut p, "a".repeat(201)).err().unwrap();
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(e.field.as_deref(), Some("query"));
    assert!(
        e.message(Lang::Id).contains("paling banyak 200 karakter"),
        "{}",
        e.message(Lang::Id)
    );
    assert!(e.message(Lang::En).contains("at most 200 characters"));
    // Spaces around it are not counted.
    assert!(list(&mut p, format!("  {}  ", "a".repeat(200))).is_ok());
}

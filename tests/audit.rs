//! The audit chain: every change leaves an entry; any edit, insertion or deletion made outside the
//! program is found by `bansos audit verify`.

use crate::common::Fixture;
use bansos::app::FacilitySettings;

fn drop_guards(raw: &rusqlite::Connection) {
    raw.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
}

/// A facility with a few entries, signed out.
fn fixture_with_history() -> Fixture {
    let (fx, mut app) = Fixture::new();
    let f = app.facility().unwrap();
    let mut s = FacilitySettings {
        profile: f.profile,
        receipt_pattern: f.receipt_pattern,
        idle_minutes: 20,
    };
    app.update_facility(&s).unwrap();
    s.profile.address = "Jl. Reformasi No. 2, Blora".into();
    app.update_facility(&s).unwrap();
    drop(app);
    fx
}

fn verify_cli(fx: &Fixture) -> (i32, String) {
    let out = fx.cli().args(["audit", "verify"]).output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn a_change_is_recorded_with_who_when_and_old_and_new_values() {
    let (_fx, mut app) = Fixture::new();
    let f = app.facility().unwrap();
    let mut s = FacilitySettings {
        profile: f.profile,
        receipt_pattern: f.receipt_pattern,
        idle_minutes: 15,
    };
    s.profile.head_name = "Sastra Irawan".into();
    app.update_facility(&s).unwrap();
    let e = &app.audit_list(None, 1).unwrap()[0];
    assert_eq!(e.action, "facility.update");
    assert_eq!(e.actor, "admin");
    assert_eq!(
        e.at, "2024-11-16T03:00:00Z",
        "the time comes from the clock passed in"
    );
    assert!(
        e.old.as_deref().unwrap().contains("Budi Hardiono"),
        "old value kept"
    );
    assert!(
        e.new.as_deref().unwrap().contains("Sastra Irawan"),
        "new value kept"
    );
}

#[test]
fn an_untouched_chain_verifies_from_the_command_line() {
    let fx = fixture_with_history();
    let (code, text) = verify_cli(&fx);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("utuh"), "{text}");
}

#[test]
fn the_program_itself_cannot_update_or_delete_an_entry() {
    let fx = fixture_with_history();
    let raw = fx.raw();
    assert!(raw
        .execute("UPDATE audit_log SET actor = 'x' WHERE seq = 1", [])
        .is_err());
    assert!(raw
        .execute("DELETE FROM audit_log WHERE seq = 1", [])
        .is_err());
}

#[test]
fn an_edited_entry_is_found_and_named() {
    let fx = fixture_with_history();
    {
        let raw = fx.raw();
        drop_guards(&raw);
        raw.execute("UPDATE audit_log SET actor = 'penyusup' WHERE seq = 2", [])
            .unwrap();
    }
    let (code, text) = verify_cli(&fx);
    assert_ne!(code, 0, "an edit must fail the check: {text}");
    assert!(text.contains("entri 2: isi entri diubah"), "{text}");
}

#[test]
fn a_deleted_entry_is_found_and_named() {
    let fx = fixture_with_history();
    {
        let raw = fx.raw();
        drop_guards(&raw);
        raw.execute("DELETE FROM audit_log WHERE seq = 3", [])
            .unwrap();
    }
    let (code, text) = verify_cli(&fx);
    assert_ne!(code, 0, "{text}");
    assert!(
        text.contains("entri 4"),
        "the break shows at the entry after the gap: {text}"
    );
    assert!(
        text.contains("entri hilang") || text.contains("rantai putus"),
        "{text}"
    );
}

#[test]
fn deleting_the_last_entries_is_found() {
    let fx = fixture_with_history();
    let last = {
        let raw = fx.raw();
        drop_guards(&raw);
        let last: i64 = raw
            .query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))
            .unwrap();
        raw.execute("DELETE FROM audit_log WHERE seq >= ?1", [last - 1])
            .unwrap();
        last
    };
    let (code, text) = verify_cli(&fx);
    assert_ne!(code, 0, "{text}");
    // The sign-in of `audit verify` itself chains to the recorded head, so the hole shows right
    // where the removed entries were.
    assert!(
        text.contains(&format!(
            "entri {}: nomor urut melompat: entri hilang",
            last + 1
        )),
        "{text}"
    );
}

#[test]
fn an_inserted_entry_is_found_even_with_a_correct_looking_hash() {
    let fx = fixture_with_history();
    {
        let raw = fx.raw();
        // Someone who knows the scheme forges an entry at the end, chained to the real head.
        let (seq, prev): (i64, Vec<u8>) = raw
            .query_row(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let at = "2024-11-16T04:00:00Z";
        let h = bansos::audit::entry_hash(
            &prev,
            seq + 1,
            at,
            "admin",
            "staff.add",
            "staff",
            "9",
            None,
            Some("{}"),
        );
        raw.execute(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, old, new, prev_hash, hash)
             VALUES (?1, ?2, 'admin', 'staff.add', 'staff', '9', NULL, '{}', ?3, ?4)",
            rusqlite::params![seq + 1, at, prev, h.as_slice()],
        )
        .unwrap();
    }
    let (code, text) = verify_cli(&fx);
    assert_ne!(code, 0, "{text}");
    assert!(text.contains("rantai putus"), "{text}");
}

#[test]
fn an_entry_inserted_in_the_middle_is_found() {
    let fx = fixture_with_history();
    {
        let raw = fx.raw();
        drop_guards(&raw);
        // Make room by moving the last entry up, then put a forged one in its place.
        let last: i64 = raw
            .query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))
            .unwrap();
        raw.execute("UPDATE audit_log SET seq = seq + 1 WHERE seq = ?1", [last])
            .unwrap();
        raw.execute(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, old, new, prev_hash, hash)
             VALUES (?1, '2024-11-16T04:00:00Z', 'admin', 'x', 'x', 'x', NULL, NULL, x'00', x'00')",
            [last],
        )
        .unwrap();
    }
    let (code, text) = verify_cli(&fx);
    assert_ne!(code, 0, "{text}");
    assert!(
        text.contains("isi entri diubah") || text.contains("rantai putus"),
        "{text}"
    );
}

/// The audit list shows NIKs and No. KK as masked as the lists do for the reader's role: an
/// Admin or Kepala UPT reads `331601********03`, the Verifikator the full number.
#[test]
fn the_audit_list_masks_niks_for_roles_that_see_them_masked() {
    let (fx, mut p, mut v) = crate::registry::staffed();
    p.family_add(&crate::registry::family(
        "Siti Rahayu",
        crate::registry::SITI,
    ))
    .unwrap();
    let mut admin = fx.admin();
    let shown: String = admin
        .audit_list(None, 500)
        .unwrap()
        .into_iter()
        .map(|e| {
            format!(
                "{} {}",
                e.old.unwrap_or_default(),
                e.new.unwrap_or_default()
            )
        })
        .collect();
    assert!(shown.contains("331601********03"), "{shown}");
    let sixteen = shown
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 16)
        .count();
    assert_eq!(sixteen, 0, "no full NIK or No. KK for an admin: {shown}");
    let full: String = v
        .audit_list(None, 500)
        .unwrap()
        .into_iter()
        .map(|e| e.new.unwrap_or_default())
        .collect();
    assert!(
        full.contains(crate::registry::SITI),
        "the verifikator sees it in full"
    );
    assert!(
        admin.audit_verify().unwrap().ok,
        "masking is only in what is shown"
    );
}

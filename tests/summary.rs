//! The public summary (ringkasan publik): no personal data, small counts hidden with what would
//! reveal them, signed; its QR code reads back and verifies; a changed figure, in the page or in
//! the data, is refused. `tests/data/summary/v1/` pins good and tampered files.

use crate::common::Fixture;
use crate::month::KEPALA_PW;
use bansos::app::App;
use bansos::month::summary::{self, Shown, SummaryVerdict};
use chrono::{TimeZone as _, Utc};
use std::path::{Path, PathBuf};
use std::process::Command;

const NIKS: [&str; 7] = [
    "3316010101800001",
    "3316010202810002",
    "3316010303820003",
    "3316010404830004",
    "3316010505840005",
    "3316010606850006",
    "3316010707860007",
];

/// A month (November 2024) in which seven families were served at one event, one of them a
/// household around the facility and one through a proxy; closed on 2 December.
fn closed_month() -> (Fixture, App, Vec<(String, String)>, i64) {
    let (fx, mut p, mut v) = crate::registry::staffed();
    fx.admin()
        .add_staff(&crate::common::new_staff(
            "kepala",
            bansos::staff::Role::KepalaUpt,
            KEPALA_PW,
        ))
        .unwrap();
    let t = crate::distribution::beras_template(&mut p, "5", false, None);
    let e = crate::distribution::event(&mut p, t, "2024-11-16");
    let mut people = Vec::new();
    let mut ids = Vec::new();
    for (i, nik) in NIKS.iter().enumerate() {
        let head = format!("Penerima Ringkasan {}", crate::receipt::words(i));
        let kk = format!("33160101010{:05}", 20_000 + i);
        let id = crate::distribution::verified(&mut p, &mut v, &head, &[nik], &kk);
        people.push((head, nik.to_string()));
        ids.push(id);
        p.add_recipient(e, id).unwrap();
    }
    fx.raw()
        .execute(
            "UPDATE family SET category = 'masyarakat_sekitar' WHERE id = ?1",
            [ids[6]],
        )
        .unwrap();
    crate::distribution::stock(&mut p, "40", "10");
    v.approve_event(e).unwrap();
    for (i, id) in ids.iter().enumerate() {
        let proxy = (i == 0).then(|| bansos::handover::Proxy {
            name: "Sri Wahyuni".into(),
            nik: "3316014708900011".into(),
            relation: "Tetangga".into(),
        });
        p.hand_over(e, *id, proxy.as_ref(), None).unwrap();
    }
    p.complete_event(e).unwrap();
    fx.clock
        .set(Utc.with_ymd_and_hms(2024, 12, 2, 3, 0, 0).unwrap());
    let mut k = fx.sign_in("kepala", KEPALA_PW).unwrap();
    k.close_month("2024-11").unwrap();
    (fx, k, people, e)
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn own_key(k: &mut App) -> ed25519_dalek::VerifyingKey {
    let hex_key = k.facility().unwrap().public_key_hex;
    let b: [u8; 32] = hex::decode(hex_key).unwrap().try_into().unwrap();
    ed25519_dalek::VerifyingKey::from_bytes(&b).unwrap()
}

#[test]
fn a_months_public_summary_hides_people_and_small_counts_and_verifies() {
    let (fx, mut k, people, _e) = closed_month();
    let files = k.public_summary_month("2024-11").unwrap();
    let s = &files.summary;
    // 7 families: 6 of inmates, 1 around the facility (small), so the 6 would give it away.
    assert_eq!(s.families, Shown::Exact(7.into()));
    assert_eq!(s.masyarakat_sekitar, Shown::Under5);
    assert_eq!(s.keluarga_wbp, Shown::Hidden);
    assert_eq!(s.to_proxy, Shown::Under5);
    assert_eq!(s.packages, Shown::Exact(7.into()));

    let dir = fx.dir.path();
    let pdf = dir.join("ringkasan.pdf");
    std::fs::write(&pdf, &files.pdf).unwrap();
    let text = pdftotext(&pdf);
    assert!(text.contains("RINGKASAN PUBLIK"), "{text}");
    assert!(text.contains("< 5"), "{text}");
    for page in [text.as_str(), files.html.as_str()] {
        for (name, nik) in &people {
            assert!(!page.contains(name.as_str()), "a name leaked: {name}");
            assert!(!page.contains(nik.as_str()), "a NIK leaked: {nik}");
            assert!(!page.contains(&nik[..12]), "part of a NIK leaked");
        }
        assert!(!page.contains("Sri Wahyuni"), "the proxy's name leaked");
        for code in ["KLG-", "3316014708900011"] {
            assert!(!page.contains(code), "{code} leaked");
        }
    }
    // The data the files carry holds no personal data either.
    let data = String::from_utf8(s.to_bytes().unwrap()).unwrap();
    for (name, nik) in &people {
        assert!(!data.contains(name.as_str()) && !data.contains(nik.as_str()));
    }

    // The QR code, read from the printed page, is the signed statement.
    let png = dir.join("ringkasan");
    let ok = Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .unwrap();
    assert!(ok.success());
    let shot = std::fs::read(dir.join("ringkasan.png")).unwrap();
    let qr = bansos::receipt::qr::decode_image(&shot).unwrap();
    let (statement, sig) = summary::Statement::parse_qr(&qr).unwrap();
    assert_eq!(statement, s.statement().unwrap());
    let key = own_key(&mut k);
    assert!(bansos::sign::verify(
        &key,
        bansos::sign::Kind::Summary,
        statement.body().as_bytes(),
        &sig
    ));
    // … and not as any other kind of signature.
    assert!(!bansos::sign::verify(
        &key,
        bansos::sign::Kind::Bundle,
        statement.body().as_bytes(),
        &sig
    ));

    for bytes in [files.pdf.clone(), files.html.clone().into_bytes()] {
        let c = k.verify_summary(&bytes).unwrap();
        assert_eq!(c.verdict, SummaryVerdict::Valid, "{}", c.why_en);
    }
    // The same month's summary is the same bytes the next time.
    let again = k.public_summary_month("2024-11").unwrap();
    assert!(again.pdf == files.pdf, "the PDF is the same bytes");
    assert!(again.html == files.html, "the HTML is the same text");
}

/// A key retired on 2 December 2024 (perhaps because it leaked) still vouches for the summaries
/// of months that began before then, and for none of a later month: a copy of the PC kept from
/// before the change cannot sign January's.
#[test]
fn a_retired_key_vouches_only_for_months_that_began_before_it_was_retired() {
    let (fx, k, _people, _e) = closed_month();
    let mut k = k;
    let november = k.public_summary_month("2024-11").unwrap();
    drop(k);
    let clone = fx.dir.path().join("clone").join("bansos.db");
    crate::common::copy_db(&fx.db, &clone);
    let later = std::sync::Arc::new(bansos::clock::FixedClock::new(
        Utc.with_ymd_and_hms(2025, 2, 3, 3, 0, 0).unwrap(),
    ));
    let mut old_pc = App::open(
        &clone,
        later,
        &bansos::Credentials::new("kepala", KEPALA_PW),
    )
    .unwrap();
    old_pc.close_month("2024-12").unwrap();
    old_pc.close_month("2025-01").unwrap();
    let december = old_pc.public_summary_month("2024-12").unwrap();
    let january = old_pc.public_summary_month("2025-01").unwrap();

    let mut k = fx.sign_in("kepala", KEPALA_PW).unwrap();
    k.rotate_key("Kunci lama bocor; diganti").unwrap();
    let verdict =
        |k: &mut App, f: &bansos::app::SummaryFiles| k.verify_summary(&f.pdf).unwrap().verdict;
    assert_eq!(verdict(&mut k, &november), SummaryVerdict::Valid);
    assert_eq!(
        verdict(&mut k, &december),
        SummaryVerdict::Valid,
        "December began before the key was retired on the 2nd"
    );
    assert_ne!(
        verdict(&mut k, &january),
        SummaryVerdict::Valid,
        "January began after it"
    );
}

/// Another desk changes the facility's key while a summary is being signed (the summary's
/// signature is made before its transaction, the change commits before that transaction
/// starts): the summary is refused in words and nothing is recorded.
#[test]
fn a_summary_signed_while_another_desk_changes_the_key_is_refused() {
    let (fx, k, _people, _e) = closed_month();
    let mut k = k;
    // The other desk's change, held uncommitted while the summary is signed with the old key.
    let other = fx.raw();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let changed = ed25519_dalek::SigningKey::from_bytes(&[7; 32])
        .verifying_key()
        .to_bytes();
    other
        .execute(
            "UPDATE facility SET public_key = ?1 WHERE id = 1",
            [changed.as_slice()],
        )
        .unwrap();
    let signing = std::thread::spawn(move || {
        let r = k.public_summary_month("2024-11").map(|_| ());
        (k, r)
    });
    // Signed by now (a read, which the held change does not block) and waiting for the lock.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    other.execute_batch("COMMIT").unwrap();
    let (_k, refused) = signing.join().unwrap();
    let e = refused.err().expect("refused");
    assert_eq!(e.kind, bansos::ErrorKind::Conflict);
    assert!(
        e.message(bansos::locale::Lang::Id)
            .contains("baru saja diganti di meja lain"),
        "{}",
        e.message(bansos::locale::Lang::Id)
    );
    let recorded = fx.admin().audit_list(None, 50).unwrap();
    assert!(
        !recorded.iter().any(|a| a.action == "report.public_summary"),
        "nothing recorded"
    );
}

#[test]
fn a_changed_figure_in_the_page_or_in_the_data_is_refused() {
    let (_fx, mut k, _people, _e) = closed_month();
    let files = k.public_summary_month("2024-11").unwrap();
    let key = own_key(&mut k);
    let check = |bytes: &[u8]| {
        summary::verify(bytes, |c| (c == "RUTAN-BLORA").then_some(key)).map(|c| c.verdict)
    };
    // One figure changed in the visible page.
    let html = files
        .html
        .replace("<td class=\"v\">7</td>", "<td class=\"v\">70</td>");
    assert_ne!(html, files.html);
    assert_eq!(check(html.as_bytes()).unwrap(), SummaryVerdict::Altered);
    // The data changed (and made to agree with the page): the QR code's statement disagrees.
    let mut forged = files.summary.clone();
    forged.families = Shown::Exact(70.into());
    let original_qr = html_qr(&files.html);
    let page = bansos::month::summary_html::html(&forged, &original_qr).unwrap();
    assert_eq!(check(page.as_bytes()).unwrap(), SummaryVerdict::Altered);
    // A forged statement for the forged data, signed by another key.
    let other = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let st = forged.statement().unwrap();
    let sig = bansos::sign::sign(&other, bansos::sign::Kind::Summary, st.body().as_bytes());
    let page = bansos::month::summary_html::html(&forged, &st.qr_text(&sig)).unwrap();
    assert_eq!(check(page.as_bytes()).unwrap(), SummaryVerdict::Altered);
    // The PDF: the page drawn from forged figures, the genuine data and QR text attached.
    let forged_pdf = bansos::pdf::summary::summary_pdf(&forged, &original_qr, None).unwrap();
    let swapped = with_attachment(&forged_pdf, &files.summary.to_bytes().unwrap());
    assert_eq!(check(&swapped).unwrap(), SummaryVerdict::Altered);
    // The genuine files pass; a key for another facility finds it unknown.
    assert_eq!(check(&files.pdf).unwrap(), SummaryVerdict::Valid);
    let unknown = summary::verify(&files.pdf, |_| None).unwrap();
    assert_eq!(unknown.verdict, SummaryVerdict::UnknownFacility);
    // Not a summary at all.
    let e = summary::verify(b"%PDF-1.4 nothing", |_| Some(key))
        .err()
        .unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::Invalid);
    let e = summary::verify(b"<html>hello</html>", |_| Some(key))
        .err()
        .unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::Invalid);
}

fn html_qr(page: &str) -> String {
    bansos::month::summary_html::extract(page).unwrap().1
}

/// The PDF with its `ringkasan.json` attachment's content replaced.
fn with_attachment(pdf: &[u8], data: &[u8]) -> Vec<u8> {
    let mut d = lopdf::Document::load_mem(pdf).unwrap();
    let ids: Vec<lopdf::ObjectId> = d
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_stream()
                .ok()
                .and_then(|s| s.dict.get(b"Subtype").ok())
                .and_then(|n| n.as_name().ok())
                == Some(b"application/json".as_slice())
        })
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(ids.len(), 1);
    if let Ok(lopdf::Object::Stream(s)) = d.get_object_mut(ids[0]) {
        s.set_plain_content(data.to_vec());
    }
    let mut out = Vec::new();
    d.save_to(&mut out).unwrap();
    out
}

#[test]
fn an_events_public_summary_and_the_command_line() {
    let (fx, mut k, _people, e) = closed_month();
    let files = k.public_summary_event(e).unwrap();
    assert_eq!(files.summary.families, Shown::Exact(7.into()));
    assert!(files.summary.value_issued.is_none());
    assert_eq!(
        k.verify_summary(&files.pdf).unwrap().verdict,
        SummaryVerdict::Valid
    );
    // The command line saves both files and checks them with a key given on the line.
    let dir = fx.dir.path();
    let run = |args: &[&str]| {
        fx.cli()
            .env("BANSOS_USER", "kepala")
            .env("BANSOS_PASSWORD", KEPALA_PW)
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[
        "report", "2024-11", "--public", "--pdf", "r.pdf", "--html", "r.html",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = k.facility().unwrap().public_key_hex;
    for f in ["r.pdf", "r.html"] {
        let out = fx
            .cli()
            .env_remove("BANSOS_PASSWORD")
            .current_dir(dir)
            .args([
                "report",
                "verify-summary",
                f,
                "--key",
                &format!("RUTAN-BLORA={key}"),
            ])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{f}: {said} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(said.contains("ASLI"), "{said}");
    }
    let tampered = std::fs::read_to_string(dir.join("r.html"))
        .unwrap()
        .replace("<td class=\"v\">7</td>", "<td class=\"v\">8</td>");
    std::fs::write(dir.join("t.html"), tampered).unwrap();
    let out = fx
        .cli()
        .current_dir(dir)
        .args([
            "--lang",
            "en",
            "report",
            "verify-summary",
            "t.html",
            "--key",
            &format!("RUTAN-BLORA={key}"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ALTERED"));
    let out = run(&[
        "report",
        "event",
        &e.to_string(),
        "--public",
        "--pdf",
        "e.pdf",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/summary/v1")
}

/// The frozen summary files: every later version accepts the good ones and refuses the
/// tampered ones, with the key pinned beside them. `BANSOS_WRITE_GOLDEN=1` writes them anew
/// (only when the format itself changes, as v2 beside v1).
#[test]
fn the_pinned_summaries_are_accepted_or_refused_as_before() {
    let dir = golden();
    if std::env::var_os("BANSOS_WRITE_GOLDEN").is_some() {
        let (_fx, mut k, _people, _e) = closed_month();
        let files = k.public_summary_month("2024-11").unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("good.pdf"), &files.pdf).unwrap();
        std::fs::write(dir.join("good.html"), &files.html).unwrap();
        std::fs::write(
            dir.join("figure-changed.html"),
            files
                .html
                .replace("<td class=\"v\">7</td>", "<td class=\"v\">9</td>"),
        )
        .unwrap();
        let mut forged = files.summary.clone();
        forged.families = Shown::Exact(9.into());
        let qr = html_qr(&files.html);
        std::fs::write(
            dir.join("data-changed.html"),
            bansos::month::summary_html::html(&forged, &qr).unwrap(),
        )
        .unwrap();
        let forged_pdf = bansos::pdf::summary::summary_pdf(&forged, &qr, None).unwrap();
        std::fs::write(
            dir.join("figure-changed.pdf"),
            with_attachment(&forged_pdf, &files.summary.to_bytes().unwrap()),
        )
        .unwrap();
        let key = k.facility().unwrap().public_key_hex;
        std::fs::write(dir.join("key.txt"), format!("RUTAN-BLORA={key}\n")).unwrap();
    }
    let line = std::fs::read_to_string(dir.join("key.txt")).unwrap();
    let (code, hex_key) = line.trim().split_once('=').unwrap();
    let b: [u8; 32] = hex::decode(hex_key).unwrap().try_into().unwrap();
    let key = ed25519_dalek::VerifyingKey::from_bytes(&b).unwrap();
    for (file, want) in [
        ("good.pdf", SummaryVerdict::Valid),
        ("good.html", SummaryVerdict::Valid),
        ("figure-changed.html", SummaryVerdict::Altered),
        ("data-changed.html", SummaryVerdict::Altered),
        ("figure-changed.pdf", SummaryVerdict::Altered),
    ] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let got = summary::verify(&bytes, |c| (c == code).then_some(key)).unwrap();
        assert_eq!(got.verdict, want, "{file}: {}", got.why_en);
    }
}

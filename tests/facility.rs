//! Facility setup: validation with named fields, the key pair, regional keys.

use crate::common::{new_staff, setup, Fixture};
use bansos::app::{App, FacilitySettings};
use bansos::facility::{keys, RegionalKeyInput};
use bansos::staff::Role;
use bansos::ErrorKind;

fn refused_setup(change: impl FnOnce(&mut bansos::facility::FacilitySetup), field: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bansos.db");
    let mut s = setup();
    change(&mut s);
    let e = App::init(
        &db,
        std::sync::Arc::new(bansos::clock::SystemClock),
        &s,
        &new_staff("admin", Role::Admin, "kopi-tubruk-2024"),
    )
    .err()
    .expect("setup must be refused");
    assert_eq!(
        e.field.as_deref(),
        Some(field),
        "the error names the field: {}",
        e.message(bansos::locale::Lang::Id)
    );
    assert!(
        !db.exists() && !bansos::keyring::path_for(&db).exists(),
        "a refused setup creates nothing"
    );
}

#[test]
fn setup_names_the_field_that_is_wrong_and_creates_nothing() {
    refused_setup(|s| s.profile.name = "  ".into(), "name");
    refused_setup(|s| s.profile.code = "RUTAN BLORA!".into(), "code");
    refused_setup(|s| s.profile.head_nip = "19700101".into(), "head_nip");
    refused_setup(
        |s| s.receipt_pattern = "{seq}/BAST".into(),
        "receipt_pattern",
    );
    refused_setup(|s| s.logo_base64 = Some("aGFsbw==".into()), "logo");
    refused_setup(
        |s| {
            s.regional_keys = vec![RegionalKeyInput {
                label: "Kanwil Jateng".into(),
                public_key: "abc".into(),
            }]
        },
        "public_key",
    );
}

#[test]
fn setup_creates_a_signing_key_whose_secret_half_is_sealed() {
    let (fx, mut app) = Fixture::new();
    let f = app.facility().unwrap();
    assert_eq!(f.public_key_hex.len(), 64);
    assert_eq!(f.fingerprint.len(), 19);
    let raw = fx.raw();
    let sealed: Vec<u8> = raw
        .query_row("SELECT secret_key_sealed FROM facility", [], |r| r.get(0))
        .unwrap();
    // The data key opens the seal and gives the pair's secret half; another key does not.
    let ring = bansos::keyring::Keyring::load(&bansos::keyring::path_for(&fx.db))
        .unwrap()
        .unwrap();
    let key = ring.accounts["admin"]
        .unwrap("admin", crate::common::ADMIN_PW)
        .unwrap()
        .unwrap();
    let signing = keys::unseal(&key, &sealed).unwrap();
    assert_eq!(
        hex::encode(signing.verifying_key().to_bytes()),
        f.public_key_hex
    );
    let other = bansos::keyring::new_data_key().unwrap();
    assert!(keys::unseal(&other, &sealed).is_err());
    assert!(
        !sealed.windows(32).any(|w| w == signing.to_bytes()),
        "the secret is not stored in the clear"
    );
}

#[test]
fn regional_keys_are_added_checked_and_retired() {
    let (_fx, mut app) = Fixture::new();
    let pk = hex::encode(
        ed25519_dalek::SigningKey::from_bytes(&[7u8; 32])
            .verifying_key()
            .to_bytes(),
    );
    let f = app
        .add_regional_key(&RegionalKeyInput {
            label: "Kanwil Ditjenpas Jawa Tengah".into(),
            public_key: pk.clone(),
        })
        .unwrap();
    assert_eq!(f.regional_keys.len(), 1);
    let e = app
        .add_regional_key(&RegionalKeyInput {
            label: "lagi".into(),
            public_key: pk.to_uppercase(),
        })
        .err()
        .unwrap();
    assert_eq!(e.kind, ErrorKind::Conflict, "the same key twice is refused");
    let e = app
        .add_regional_key(&RegionalKeyInput {
            label: "".into(),
            public_key: pk,
        })
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("label"));
    let f = app.remove_regional_key(f.regional_keys[0].id).unwrap();
    assert!(f.regional_keys.is_empty());
}

#[test]
fn renaming_the_facility_updates_the_sign_in_screen_label() {
    let (fx, mut app) = Fixture::new();
    let f = app.facility().unwrap();
    let mut s = FacilitySettings {
        profile: f.profile,
        receipt_pattern: f.receipt_pattern,
        idle_minutes: 30,
    };
    s.profile.name = "Rutan Kelas IIA Pekalongan".into();
    app.update_facility(&s).unwrap();
    assert_eq!(
        App::status(&fx.db).unwrap().facility_label.as_deref(),
        Some("Rutan Kelas IIA Pekalongan")
    );
    s.idle_minutes = 0;
    assert_eq!(
        app.update_facility(&s).err().unwrap().field.as_deref(),
        Some("idle_minutes")
    );
    // Nothing carries the code yet: a typo made at setup can still be put right.
    s.idle_minutes = 30;
    s.profile.code = "RUTAN-PEKALONGAN".into();
    assert_eq!(
        app.update_facility(&s).unwrap().profile.code,
        "RUTAN-PEKALONGAN"
    );
    // A facility never becomes the Kanwil (regional mode is chosen at setup).
    s.profile.kind = bansos::facility::FacilityKind::Kanwil;
    let e = app.update_facility(&s).err().unwrap();
    assert_eq!(e.field.as_deref(), Some("kind"));
    assert!(!app.session_info().unwrap().regional);
}

#[test]
fn a_damaged_key_file_is_named_in_our_words() {
    let (fx, app) = Fixture::new();
    drop(app);
    let keys = bansos::keyring::path_for(&fx.db);
    let whole = std::fs::read(&keys).unwrap();
    std::fs::write(&keys, &whole[..whole.len() / 2]).unwrap();
    // The window still asks for a sign-in (never the first-run setup); the sign-in says why.
    assert!(App::status(&fx.db).unwrap().initialized);
    let e = fx
        .sign_in(crate::common::ADMIN, crate::common::ADMIN_PW)
        .err()
        .unwrap();
    assert_eq!(e.kind, bansos::ErrorKind::Corrupt);
    let (id, en) = (
        e.message(bansos::locale::Lang::Id),
        e.message(bansos::locale::Lang::En),
    );
    assert!(id.contains("tidak terbaca pada baris"), "{id}");
    assert!(en.contains("unreadable at line"), "{en}");
    assert!(!en.contains("EOF") && !en.contains("expected"), "{en}");
}

#[test]
fn a_logo_must_be_a_real_image() {
    let (_fx, mut app) = Fixture::new();
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut real = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(4, 3)
        .write_to(&mut real, image::ImageFormat::Png)
        .unwrap();
    assert!(app.set_logo(Some(&b64(real.get_ref()))).unwrap().has_logo);
    // Its header says what it is: a PNG's signature with nothing after it is damaged, and one
    // that claims 100,000 × 100,000 pixels is too large — said before anything is decoded.
    let e = app
        .set_logo(Some(&b64(b"\x89PNG\r\n\x1a\n....")))
        .err()
        .unwrap();
    assert!(
        e.message(bansos::locale::Lang::Id).contains("rusak"),
        "{}",
        e.message(bansos::locale::Lang::Id)
    );
    let huge = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/hostile/huge-dimensions.png"),
    )
    .unwrap();
    let e = app.set_logo(Some(&b64(&huge))).err().unwrap();
    assert!(
        e.message(bansos::locale::Lang::Id)
            .starts_with("Logo terlalu besar ("),
        "{}",
        e.message(bansos::locale::Lang::Id)
    );
    assert_eq!(
        app.set_logo(Some("bm90IGFuIGltYWdl"))
            .err()
            .unwrap()
            .field
            .as_deref(),
        Some("logo")
    );
    assert!(!app.set_logo(None).unwrap().has_logo);
}

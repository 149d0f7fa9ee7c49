//! NIK and No. KK structure, table-driven.

use bansos::family::nik::{check_kk, check_nik, NikWarning, Sex};
use bansos::region::Regions;
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// (NIK, declared sex, expected: Ok((sex, birth date)) or Err(words the message must contain))
type Case = (
    &'static str,
    Option<Sex>,
    Result<(Sex, &'static str), &'static str>,
);

const CASES: &[Case] = &[
    // Valid men and women, both centuries.
    ("3316011608900001", None, Ok((Sex::L, "1990-08-16"))),
    ("3316015608900002", None, Ok((Sex::P, "1990-08-16"))),
    ("3316010101000001", Some(Sex::L), Ok((Sex::L, "2000-01-01"))),
    ("3316014101250003", Some(Sex::P), Ok((Sex::P, "2025-01-01"))),
    ("3316013112990004", None, Ok((Sex::L, "1999-12-31"))),
    ("3316017112450005", None, Ok((Sex::P, "1945-12-31"))),
    ("3316014108900006", None, Ok((Sex::P, "1990-08-01"))),
    // The two-digit year: 2026 only while the date is not after today, else 1926.
    ("3316010101260007", None, Ok((Sex::L, "2026-01-01"))),
    ("3316010112260008", None, Ok((Sex::L, "1926-12-01"))),
    ("3316012211260009", None, Ok((Sex::L, "2026-11-22"))),
    // 29 February only in leap years.
    ("3316012902960010", None, Ok((Sex::L, "1996-02-29"))),
    ("3316016902000011", None, Ok((Sex::P, "2000-02-29"))),
    ("3316012902970012", None, Err("tidak ada di kalender")),
    ("3316013002960013", None, Err("tidak ada di kalender")),
    ("3316013104900014", None, Err("tidak ada di kalender")),
    // Other provinces.
    ("3171011608900015", None, Ok((Sex::L, "1990-08-16"))),
    ("1101011608900016", None, Ok((Sex::L, "1990-08-16"))),
    ("5301015608900017", None, Ok((Sex::P, "1990-08-16"))),
    // Bad province.
    ("9916011608900018", None, Err("kode provinsi 99")),
    ("2016011608900019", None, Err("kode provinsi 20")),
    ("0016011608900020", None, Err("kode provinsi 00")),
    // Bad days and months.
    ("3316013208900021", None, Err("tanggal lahir 32")),
    ("3316010008900022", None, Err("tanggal lahir 00")),
    ("3316014008900023", None, Err("tanggal lahir 40")),
    ("3316017208900024", None, Err("tanggal lahir 72")),
    ("3316011613900025", None, Err("bulan lahir 13")),
    ("3316011600900026", None, Err("bulan lahir 00")),
    // Sequence 0000.
    ("3316011608900000", None, Err("0000")),
    // Length and characters.
    ("331601160890001", None, Err("16 angka, tertulis 15")),
    ("33160116089000011", None, Err("16 angka, tertulis 17")),
    ("33160116089O0001", None, Err("hanya boleh angka; ada 'O'")),
    ("", None, Err("16 angka, tertulis 0")),
    ("3316-0116-0890-0001", None, Err("ada '-'")),
    // Spaces are how people copy a NIK from paper: accepted.
    (" 3316 0116 0890 0001 ", None, Ok((Sex::L, "1990-08-16"))),
    // Declared sex against the day.
    (
        "3316015608900027",
        Some(Sex::L),
        Err("tidak cocok dengan NIK"),
    ),
    (
        "3316011608900028",
        Some(Sex::P),
        Err("tidak cocok dengan NIK"),
    ),
];

#[test]
fn nik_structure_table() {
    let regions = Regions::shipped();
    assert!(CASES.len() >= 30);
    for (nik, sex, expected) in CASES {
        let got = check_nik(nik, *sex, None, today(), regions);
        match (expected, got) {
            (Ok((s, d)), Ok(info)) => {
                assert_eq!(
                    (info.sex, info.birth_date.as_str()),
                    (*s, *d),
                    "NIK {nik:?}"
                );
            }
            (Err(words), Err(e)) => {
                let msg = e.message(bansos::locale::Lang::Id);
                assert!(
                    msg.contains(words),
                    "NIK {nik:?}: the message {msg:?} should say {words:?}"
                );
                assert_eq!(e.kind, bansos::ErrorKind::Invalid);
                assert!(
                    matches!(e.field.as_deref(), Some("nik") | Some("sex")),
                    "NIK {nik:?}: field named"
                );
            }
            (Ok(_), Err(e)) => panic!(
                "NIK {nik:?} should be valid: {}",
                e.message(bansos::locale::Lang::Id)
            ),
            (Err(words), Ok(info)) => {
                panic!("NIK {nik:?} should be refused ({words}), got {info:?}")
            }
        }
    }
}

#[test]
fn a_nik_from_an_unknown_regency_or_district_warns_but_passes() {
    let r = Regions::shipped();
    let info = check_nik("3399011608900001", None, None, today(), r).unwrap();
    assert_eq!(
        info.warnings,
        vec![NikWarning::UnknownRegency {
            code: "3399".into()
        }]
    );
    let info = check_nik("3316991608900001", None, None, today(), r).unwrap();
    assert_eq!(
        info.warnings,
        vec![NikWarning::UnknownDistrict {
            code: "331699".into()
        }]
    );
}

#[test]
fn a_birth_date_entered_differently_from_the_nik_warns() {
    let declared = NaiveDate::from_ymd_opt(1990, 8, 17);
    let info = check_nik(
        "3316011608900001",
        Some(Sex::L),
        declared,
        today(),
        Regions::shipped(),
    )
    .unwrap();
    assert!(matches!(
        &info.warnings[..],
        [NikWarning::BirthDateDiffers { .. }]
    ));
}

#[test]
fn the_shipped_region_table_knows_every_province_and_blora() {
    let r = Regions::shipped();
    assert_eq!(r.province_count(), 38, "Indonesia has 38 provinces");
    assert!(r
        .regency("3316")
        .is_some_and(|n| n.to_uppercase().contains("BLORA")));
}

#[test]
fn a_family_card_number_needs_sixteen_digits_and_a_real_province() {
    let r = Regions::shipped();
    assert!(check_kk("3316010101200001", r).is_ok());
    assert_eq!(
        check_kk("9916010101200001", r)
            .unwrap_err()
            .field
            .as_deref(),
        Some("kk")
    );
    assert!(check_kk("331601010120000", r).is_err());
}

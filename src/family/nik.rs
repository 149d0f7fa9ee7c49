//! The structure of a NIK (Nomor Induk Kependudukan), the 16-digit national identity number:
//!
//! ```text
//! 33 16 01 | 47 08 90 | 0003
//! PP KK CC | DD MM YY | SSSS
//! ```
//! province, regency/city and district of first registration; date of birth with 40 added to
//! the day for women; a sequence that is never 0000. The year has two digits: of its two
//! centuries the one not in the future is meant.
//!
//! A No. KK (family card number) has the same area prefix; its middle digits are the card's
//! issue date, which is not checked here.

use crate::error::{Error, Result};
use crate::region::Regions;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Sex as written on Indonesian documents: L (laki-laki) or P (perempuan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Sex {
    L,
    P,
}

/// Something about a valid NIK that a person should look at, but that does not make it wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum NikWarning {
    /// The regency/city code is not in the shipped table (regions split and merge).
    UnknownRegency { code: String },
    /// The district code is not in the shipped table.
    UnknownDistrict { code: String },
    /// The date of birth entered differs from the one in the NIK.
    BirthDateDiffers { in_nik: String, declared: String },
}

/// What a valid NIK says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NikInfo {
    pub province: String,
    pub regency_code: String,
    pub district_code: String,
    /// ISO date (YYYY-MM-DD).
    pub birth_date: String,
    pub sex: Sex,
    pub warnings: Vec<NikWarning>,
}

fn bad(field: &str, id: String, en: String) -> Error {
    Error::invalid(field, id, en)
}

fn sixteen_digits(field: &str, label_id: &str, label_en: &str, s: &str) -> Result<String> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(c) = t.chars().find(|c| !c.is_ascii_digit()) {
        return Err(bad(
            field,
            format!("{label_id} hanya boleh angka; ada '{c}'."),
            format!("{label_en} may hold only digits; it has '{c}'."),
        ));
    }
    if t.len() != 16 {
        return Err(bad(
            field,
            format!("{label_id} harus 16 angka, tertulis {}.", t.len()),
            format!("{label_en} must have 16 digits; this one has {}.", t.len()),
        ));
    }
    Ok(t)
}

fn area(
    field: &str,
    label_id: &str,
    label_en: &str,
    t: &str,
    regions: &Regions,
) -> Result<(String, Vec<NikWarning>)> {
    let Some(province) = regions.province(&t[..2]) else {
        return Err(bad(
            field,
            format!("{label_id}: kode provinsi {} tidak ada.", &t[..2]),
            format!("{label_en}: there is no province {}.", &t[..2]),
        ));
    };
    let mut warnings = Vec::new();
    if regions.regency(&t[..4]).is_none() {
        warnings.push(NikWarning::UnknownRegency {
            code: t[..4].to_owned(),
        });
    } else if regions.district(&t[..6]).is_none() {
        warnings.push(NikWarning::UnknownDistrict {
            code: t[..6].to_owned(),
        });
    }
    Ok((province.to_owned(), warnings))
}

/// Checks a NIK against its structure, and against the sex and date of birth entered with it.
/// `today` decides the century of the two-digit year.
pub fn check_nik(
    nik: &str,
    declared_sex: Option<Sex>,
    declared_birth: Option<NaiveDate>,
    today: NaiveDate,
    regions: &Regions,
) -> Result<NikInfo> {
    let t = sixteen_digits("nik", "NIK", "The NIK", nik)?;
    let (province, mut warnings) = area("nik", "NIK", "NIK", &t, regions)?;
    let num = |a: usize, b: usize| t[a..b].parse::<u32>().unwrap_or(0);
    let (dd, mm, yy) = (num(6, 8), num(8, 10), num(10, 12));
    let (day, sex) = match dd {
        1..=31 => (dd, Sex::L),
        41..=71 => (dd - 40, Sex::P),
        _ => {
            return Err(bad(
                "nik",
                format!("NIK: angka tanggal lahir {dd:02} tidak sah (01–31 untuk laki-laki, 41–71 untuk perempuan)."),
                format!("NIK: birth day {dd:02} is not valid (01–31 for men, 41–71 for women)."),
            ))
        }
    };
    if !(1..=12).contains(&mm) {
        return Err(bad(
            "nik",
            format!("NIK: bulan lahir {mm:02} tidak ada."),
            format!("NIK: there is no birth month {mm:02}."),
        ));
    }
    // Of 20YY and 19YY, the later one that is a real date and not after today.
    let date_in = |year: i32| NaiveDate::from_ymd_opt(year, mm, day);
    let birth = match date_in(2000 + yy as i32) {
        Some(d) if d <= today => Some(d),
        _ => date_in(1900 + yy as i32),
    };
    let Some(birth) = birth else {
        return Err(bad(
            "nik",
            format!("NIK: tanggal lahir {day:02}-{mm:02}-{yy:02} tidak ada di kalender."),
            format!("NIK: the birth date {day:02}-{mm:02}-{yy:02} does not exist."),
        ));
    };
    if &t[12..] == "0000" {
        return Err(bad(
            "nik",
            "NIK: nomor urut 0000 tidak pernah diberikan.".into(),
            "NIK: sequence 0000 is never issued.".into(),
        ));
    }
    if let Some(s) = declared_sex.filter(|s| *s != sex) {
        let (id, en) = match sex {
            Sex::P => ("perempuan (tanggal + 40)", "a woman (day + 40)"),
            Sex::L => ("laki-laki", "a man"),
        };
        return Err(bad(
            "sex",
            format!(
                "Jenis kelamin {} tidak cocok dengan NIK, yang menandakan {id}.",
                if s == Sex::L { "L" } else { "P" }
            ),
            format!(
                "Sex {} does not match the NIK, which marks {en}.",
                if s == Sex::L { "L" } else { "P" }
            ),
        ));
    }
    if let Some(d) = declared_birth.filter(|d| *d != birth) {
        warnings.push(NikWarning::BirthDateDiffers {
            in_nik: birth.to_string(),
            declared: d.to_string(),
        });
    }
    Ok(NikInfo {
        province,
        regency_code: t[..4].to_owned(),
        district_code: t[..6].to_owned(),
        birth_date: birth.to_string(),
        sex,
        warnings,
    })
}

/// Checks a No. KK: 16 digits starting with a real province code.
pub fn check_kk(kk: &str, regions: &Regions) -> Result<(String, Vec<NikWarning>)> {
    let t = sixteen_digits("kk", "No. KK", "The family card number", kk)?;
    let (_, warnings) = area("kk", "No. KK", "Family card number", &t, regions)?;
    Ok((t, warnings))
}

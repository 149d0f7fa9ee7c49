//! The registry's types and the rules a family must satisfy on its own (without looking at the
//! rest of the registry; that is `db.rs`). Validation collects every problem, each attached to
//! the form field it concerns, so a form can show them all inline.

use super::nik::{check_kk, check_nik, NikWarning, Sex};
use crate::error::{Error, ErrorKind};
use crate::locale::Lang;
use crate::region::Regions;
use chrono::NaiveDate;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use ts_rs::TS;

/// Keluarga WBP (family of an inmate) or masyarakat sekitar (a poor household near the facility).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Category {
    KeluargaWbp,
    MasyarakatSekitar,
}

/// The inmate's status: still held, released, or moved to another facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WbpStatus {
    Ditahan,
    Bebas,
    Pindah,
}

/// Status hubungan dalam keluarga, as printed on the Kartu Keluarga.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Relationship {
    KepalaKeluarga,
    Istri,
    Suami,
    Anak,
    Menantu,
    Cucu,
    OrangTua,
    Mertua,
    FamiliLain,
    Lainnya,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Verification {
    Draft,
    Verified,
}

/// Why a family is *kurang mampu* (poor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PoorReason {
    /// The breadwinner is the one serving a sentence.
    PencariNafkahDitahan,
    PenghasilanTidakTetap,
    Lansia,
    Disabilitas,
    SakitMenahun,
    TanggunganAnakBanyak,
    RumahTidakLayak,
    TerdaftarDtks,
    Lainnya,
}

/// Why a family's No. KK changed: a move, a death, a split, a data correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KkChangeReason {
    Pindah,
    Kematian,
    PisahKk,
    PerubahanData,
    Lainnya,
}

/// Stored enums are their serde code (`keluarga_wbp`), the same string the UI sees.
pub fn code_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub fn from_code<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

impl Category {
    pub fn label_id(self) -> &'static str {
        match self {
            Category::KeluargaWbp => "Keluarga WBP",
            Category::MasyarakatSekitar => "Masyarakat sekitar",
        }
    }
}

impl Relationship {
    pub fn label_id(self) -> &'static str {
        match self {
            Relationship::KepalaKeluarga => "Kepala keluarga",
            Relationship::Istri => "Istri",
            Relationship::Suami => "Suami",
            Relationship::Anak => "Anak",
            Relationship::Menantu => "Menantu",
            Relationship::Cucu => "Cucu",
            Relationship::OrangTua => "Orang tua",
            Relationship::Mertua => "Mertua",
            Relationship::FamiliLain => "Famili lain",
            Relationship::Lainnya => "Lainnya",
        }
    }
}

impl WbpStatus {
    pub fn label_id(self) -> &'static str {
        match self {
            WbpStatus::Ditahan => "Ditahan",
            WbpStatus::Bebas => "Bebas",
            WbpStatus::Pindah => "Pindah",
        }
    }
}

impl PoorReason {
    pub fn label_id(self) -> &'static str {
        match self {
            PoorReason::PencariNafkahDitahan => "Pencari nafkah sedang ditahan",
            PoorReason::PenghasilanTidakTetap => "Penghasilan tidak tetap",
            PoorReason::Lansia => "Lansia",
            PoorReason::Disabilitas => "Penyandang disabilitas",
            PoorReason::SakitMenahun => "Sakit menahun",
            PoorReason::TanggunganAnakBanyak => "Banyak tanggungan anak",
            PoorReason::RumahTidakLayak => "Rumah tidak layak huni",
            PoorReason::TerdaftarDtks => "Terdaftar di DTKS/DTSEN",
            PoorReason::Lainnya => "Lainnya",
        }
    }
}

/// A member as entered in the form (the head is the member with `KepalaKeluarga`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberInput {
    /// The stored member this row edits; `None` for a new one.
    pub id: Option<i64>,
    pub name: String,
    pub nik: String,
    /// The real NIK is not known yet (or not checkable); shown as "NIK sementara" everywhere.
    pub nik_temporary: bool,
    pub sex: Option<Sex>,
    /// ISO date (YYYY-MM-DD); taken from the NIK when left empty.
    pub birth_date: Option<String>,
    pub relationship: Relationship,
}

/// A family as entered in the form or on the command line.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FamilyInput {
    pub category: Category,
    pub kk: String,
    /// Required when an edit changes the No. KK.
    pub kk_change_reason: Option<KkChangeReason>,
    pub address: String,
    pub rt: String,
    pub rw: String,
    /// Kepmendagri code, digits (dots allowed): village (10) or a coarser level.
    pub region_code: String,
    pub phone: String,
    pub wbp_name: String,
    pub wbp_reg_no: String,
    pub wbp_status: Option<WbpStatus>,
    /// How the family is related to the inmate, e.g. "istri", "ibu kandung".
    pub wbp_relation: String,
    pub reasons: Vec<PoorReason>,
    pub reason_note: String,
    pub dtks_decile: Option<u8>,
    /// ISO date the family gave consent to be recorded; `None` = not (yet) given.
    pub consent_date: Option<String>,
    pub members: Vec<MemberInput>,
}

impl FamilyInput {
    /// An empty form with one head row.
    pub fn blank(category: Category) -> FamilyInput {
        FamilyInput {
            category,
            kk: String::new(),
            kk_change_reason: None,
            address: String::new(),
            rt: String::new(),
            rw: String::new(),
            region_code: String::new(),
            phone: String::new(),
            wbp_name: String::new(),
            wbp_reg_no: String::new(),
            wbp_status: None,
            wbp_relation: String::new(),
            reasons: Vec::new(),
            reason_note: String::new(),
            dtks_decile: None,
            consent_date: None,
            members: vec![MemberInput {
                id: None,
                name: String::new(),
                nik: String::new(),
                nik_temporary: false,
                sex: None,
                birth_date: None,
                relationship: Relationship::KepalaKeluarga,
            }],
        }
    }
}

/// What a person should look at before saving; does not stop the save.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NoticeKind {
    UnknownRegion,
    BirthDateDiffers,
    NikTemporary,
    SameKk,
    SimilarPerson,
}

/// A problem or warning attached to a form field, in both languages until it is shown.
#[derive(Debug, Clone)]
pub struct Problem {
    pub field: Option<String>,
    pub kind: NoticeKind,
    pub family_id: Option<i64>,
    pub score: Option<u8>,
    pub id: String,
    pub en: String,
}

/// A warning as shown to a person.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Notice {
    pub field: Option<String>,
    pub kind: NoticeKind,
    /// The other family a duplicate warning points to.
    pub family_id: Option<i64>,
    /// Similarity 0–100 for a similar-person warning.
    pub score: Option<u8>,
    pub message: String,
}

impl Problem {
    pub fn notice(&self, lang: Lang) -> Notice {
        Notice {
            field: self.field.clone(),
            kind: self.kind,
            family_id: self.family_id,
            score: self.score,
            message: match lang {
                Lang::Id => self.id.clone(),
                Lang::En => self.en.clone(),
            },
        }
    }
}

/// An error shown at a form field.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Everything wrong or doubtful about a form, found without saving it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FamilyCheck {
    pub errors: Vec<FieldError>,
    pub warnings: Vec<Notice>,
}

/// A member after validation: normalised, with what the NIK says.
#[derive(Debug, Clone, Serialize)]
pub struct ValidMember {
    pub id: Option<i64>,
    pub name: String,
    pub name_key: String,
    /// `None` only for a temporary NIK left empty.
    pub nik: Option<String>,
    pub nik_temporary: bool,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub relationship: Relationship,
}

/// A family after validation; the head is `members[0]`.
#[derive(Debug, Clone, Serialize)]
pub struct ValidFamily {
    pub category: Category,
    pub kk: Option<String>,
    pub kk_change_reason: Option<KkChangeReason>,
    pub address: String,
    pub rt: String,
    pub rw: String,
    pub region_code: Option<String>,
    pub phone: String,
    pub wbp_name: String,
    pub wbp_reg_no: String,
    pub wbp_status: Option<WbpStatus>,
    pub wbp_relation: String,
    pub reasons: Vec<PoorReason>,
    pub reason_note: String,
    pub dtks_decile: Option<u8>,
    pub consent_date: Option<NaiveDate>,
    pub members: Vec<ValidMember>,
}

fn err(field: &str, id: impl Into<String>, en: impl Into<String>) -> Error {
    Error::invalid(field, id, en)
}

/// Composes accents (NFC: "e" + U+0301 becomes "é"), collapses runs of white space and trims.
pub fn tidy(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name folded for matching: lower case, letters and single spaces only, the old spelling
/// (ejaan lama: oe, dj, tj, sj, nj, ch) and j/y written one way, doubled letters single.
/// "Djoko Soesilo" and "Joko Susilo" fold alike; "Muhammad" and "Muhamad" too.
pub fn name_key(name: &str) -> String {
    let lower: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            c if c.is_alphabetic() => c,
            '\'' | '`' | '’' => '\0',
            _ => ' ',
        })
        .filter(|c| *c != '\0')
        .collect();
    let words = tidy(&lower);
    let mut s = words
        .replace("oe", "u")
        .replace("dj", "j")
        .replace("tj", "c")
        .replace("sj", "sy")
        .replace("nj", "ny")
        .replace("ch", "kh")
        .replace('j', "y");
    let mut out = String::with_capacity(s.len());
    let mut prev = '\0';
    for c in s.drain(..) {
        if c != prev || c == ' ' {
            out.push(c);
        }
        prev = c;
    }
    out
}

/// The one rule for a person's name anywhere (a family member, an inmate, a proxy, a staff
/// member, the head of the facility): accents composed, letters the printed papers can show,
/// spaces and . , ' - only, at most [`crate::limits::NAME`] characters, runs of space collapsed.
/// A name that would print as "?" on a signed BAST (an emoji, a script the paper's font lacks)
/// is refused here, where it is typed.
pub fn valid_name(field: &str, raw: &str, what_id: &str, what_en: &str) -> Result<String, Error> {
    let n = tidy(raw);
    if n.is_empty() {
        return Err(err(
            field,
            format!("{what_id} wajib diisi."),
            format!("{what_en} is required."),
        ));
    }
    let max = crate::limits::NAME;
    if n.chars().count() > max {
        return Err(err(
            field,
            format!("{what_id} terlalu panjang (paling banyak {max} huruf)."),
            format!("{what_en} is too long (at most {max} characters)."),
        ));
    }
    let punctuation = |c: char| matches!(c, ' ' | '.' | ',' | '\'' | '-' | '’' | '`');
    if let Some(c) = n.chars().find(|c| !(c.is_alphabetic() || punctuation(*c))) {
        return Err(err(
            field,
            format!("{what_id} hanya boleh huruf, spasi dan tanda . , ' -; ada '{c}'."),
            format!("{what_en} may hold only letters, spaces and . , ' -; it has '{c}'."),
        ));
    }
    if let Some(c) = n.chars().find(|c| !crate::pdf::prints(*c)) {
        return Err(err(
            field,
            format!(
                "{what_id} memuat huruf '{c}' yang tidak dapat dicetak pada BAST; tulis dengan huruf Latin."
            ),
            format!(
                "{what_en} holds the letter '{c}', which cannot be printed on the BAST; write it in Latin letters."
            ),
        ));
    }
    Ok(n)
}

/// Parses a date typed as ISO (2024-11-16) or Indonesian style (16-11-2024, 16/11/2024).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
}

fn valid_date(
    field: &str,
    raw: &Option<String>,
    today: NaiveDate,
    what_id: &str,
    what_en: &str,
) -> Result<Option<NaiveDate>, Error> {
    let Some(s) = raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let Some(d) = parse_date(s) else {
        return Err(err(
            field,
            format!("{what_id} '{s}' bukan tanggal (tulis seperti 16-11-2024)."),
            format!("{what_en} '{s}' is not a date (write it like 16-11-2024)."),
        ));
    };
    if d > today {
        return Err(err(
            field,
            format!("{what_id} tidak boleh sesudah hari ini."),
            format!("{what_en} cannot be after today."),
        ));
    }
    if d.year_ce().1 < 1900 {
        return Err(err(
            field,
            format!("{what_id} sebelum tahun 1900 tidak mungkin."),
            format!("{what_en} before 1900 is not possible."),
        ));
    }
    Ok(Some(d))
}

use chrono::Datelike;

/// Digits of a region code written with or without dots ("33.16.01.2001").
pub fn region_digits(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect()
}

fn nik_warning(field: &str, w: &NikWarning, regions: &Regions) -> Problem {
    let _ = regions;
    match w {
        NikWarning::UnknownRegency { code } => Problem {
            field: Some(field.to_owned()),
            kind: NoticeKind::UnknownRegion,
            family_id: None,
            score: None,
            id: format!("Kode kabupaten/kota {code} tidak ada di tabel wilayah (mungkin wilayah pemekaran); periksa KTP."),
            en: format!("Regency code {code} is not in the region table (perhaps a newly split region); check the ID card."),
        },
        NikWarning::UnknownDistrict { code } => Problem {
            field: Some(field.to_owned()),
            kind: NoticeKind::UnknownRegion,
            family_id: None,
            score: None,
            id: format!("Kode kecamatan {code} tidak ada di tabel wilayah (mungkin wilayah pemekaran); periksa KTP."),
            en: format!("District code {code} is not in the region table (perhaps a newly split region); check the ID card."),
        },
        NikWarning::BirthDateDiffers { in_nik, declared } => Problem {
            field: Some(field.to_owned()),
            kind: NoticeKind::BirthDateDiffers,
            family_id: None,
            score: None,
            id: format!("Tanggal lahir {declared} berbeda dengan yang tertera di NIK ({in_nik})."),
            en: format!("Birth date {declared} differs from the one in the NIK ({in_nik})."),
        },
    }
}

/// Checks a family on its own. Returns the valid family if there were no errors, the errors,
/// and the warnings (NIK region codes, dates, temporary NIKs). `strict` is the form's rule that
/// a WBP family names its inmate; an imported BNBA row (often only NIK and NAMA) is let in as a
/// draft without it, and verification asks for it later.
pub fn validate(
    input: &FamilyInput,
    today: NaiveDate,
    regions: &Regions,
    strict: bool,
) -> (Option<ValidFamily>, Vec<Error>, Vec<Problem>) {
    let found = std::cell::RefCell::new(Vec::<Error>::new());
    let mut warnings: Vec<Problem> = Vec::new();
    let keep = |r: Result<(), Error>| {
        if let Err(e) = r {
            found.borrow_mut().push(e);
        }
    };

    // Members: more than a family card lists is refused before any is read.
    if input.members.len() > crate::limits::FAMILY_MEMBERS {
        let error = err(
            "members",
            format!(
                "Satu keluarga paling banyak {} anggota; tertulis {}.",
                crate::limits::FAMILY_MEMBERS,
                crate::limits::count(input.members.len() as u64)
            ),
            format!(
                "A family has at most {} members; there are {}.",
                crate::limits::FAMILY_MEMBERS,
                crate::limits::count_en(input.members.len() as u64)
            ),
        );
        return (None, vec![error], warnings);
    }
    let mut members: Vec<ValidMember> = Vec::new();
    let mut member_errors: Vec<Error> = Vec::new();
    if input.members.is_empty() {
        member_errors.push(err(
            "members",
            "Isi paling sedikit satu anggota: kepala keluarga.",
            "Enter at least one member: the head of the family.",
        ));
    }
    let heads = input
        .members
        .iter()
        .filter(|m| m.relationship == Relationship::KepalaKeluarga)
        .count();
    if !input.members.is_empty() && heads != 1 {
        member_errors.push(err(
            "members",
            format!("Satu keluarga punya tepat satu kepala keluarga; tertulis {heads}."),
            format!("A family has exactly one head; there are {heads}."),
        ));
    }
    for (i, m) in input.members.iter().enumerate() {
        let f = |name: &str| format!("member.{i}.{name}");
        let name = match valid_name(&f("name"), &m.name, "Nama", "The name") {
            Ok(n) => n,
            Err(e) => {
                member_errors.push(e);
                String::new()
            }
        };
        let declared_birth = match valid_date(
            &f("birth_date"),
            &m.birth_date,
            today,
            "Tanggal lahir",
            "The birth date",
        ) {
            Ok(d) => d,
            Err(e) => {
                member_errors.push(e);
                None
            }
        };
        let digits: String = m.nik.chars().filter(|c| !c.is_whitespace()).collect();
        let (nik, sex, birth) = if m.nik_temporary {
            warnings.push(Problem {
                field: Some(f("nik")),
                kind: NoticeKind::NikTemporary,
                family_id: None,
                score: None,
                id: format!(
                    "{}: NIK sementara — lengkapi dengan NIK dari KTP/KK.",
                    if name.is_empty() { "Anggota" } else { &name }
                ),
                en: format!(
                    "{}: temporary NIK — complete it from the ID or family card.",
                    if name.is_empty() { "Member" } else { &name }
                ),
            });
            if let Some(c) = digits.chars().find(|c| !c.is_ascii_digit()) {
                member_errors.push(err(
                    &f("nik"),
                    format!("NIK sementara hanya boleh angka; ada '{c}'."),
                    format!("A temporary NIK may hold only digits; it has '{c}'."),
                ));
            } else if digits.len() > 16 {
                member_errors.push(err(
                    &f("nik"),
                    "NIK sementara paling banyak 16 angka.",
                    "A temporary NIK has at most 16 digits.",
                ));
            }
            (
                (!digits.is_empty()).then_some(digits),
                m.sex,
                declared_birth,
            )
        } else if digits.is_empty() {
            member_errors.push(err(
                &f("nik"),
                "NIK wajib diisi (atau tandai sebagai NIK sementara).",
                "The NIK is required (or mark it as a temporary NIK).",
            ));
            (None, m.sex, declared_birth)
        } else {
            match check_nik(&digits, m.sex, declared_birth, today, regions) {
                Ok(info) => {
                    for w in &info.warnings {
                        let field = if matches!(w, NikWarning::BirthDateDiffers { .. }) {
                            f("birth_date")
                        } else {
                            f("nik")
                        };
                        warnings.push(nik_warning(&field, w, regions));
                    }
                    let birth = declared_birth.or_else(|| parse_date(&info.birth_date));
                    (Some(digits), Some(info.sex), birth)
                }
                Err(mut e) => {
                    if e.field.as_deref() == Some("sex") {
                        e = e.with_field(&f("sex"));
                    } else {
                        e = e.with_field(&f("nik"));
                    }
                    member_errors.push(e);
                    (Some(digits), m.sex, declared_birth)
                }
            }
        };
        if let Some(n) = &nik {
            if let Some(j) = members.iter().position(|o| o.nik.as_ref() == Some(n)) {
                member_errors.push(err(
                    &f("nik"),
                    format!("NIK ini sama dengan anggota ke-{} di keluarga ini.", j + 1),
                    format!("This NIK is the same as member {} of this family.", j + 1),
                ));
            }
        }
        members.push(ValidMember {
            id: m.id,
            name_key: name_key(&name),
            name,
            nik,
            nik_temporary: m.nik_temporary,
            sex,
            birth_date: birth,
            relationship: m.relationship,
        });
    }
    // The head first, the others in the order given.
    if let Some(h) = members
        .iter()
        .position(|m| m.relationship == Relationship::KepalaKeluarga)
    {
        let head = members.remove(h);
        members.insert(0, head);
    }

    // No. KK.
    let kk_digits: String = input.kk.chars().filter(|c| !c.is_whitespace()).collect();
    let kk = if kk_digits.is_empty() {
        None
    } else {
        match check_kk(&kk_digits, regions) {
            Ok((kk, ws)) => {
                for w in &ws {
                    warnings.push(nik_warning("kk", w, regions));
                }
                Some(kk)
            }
            Err(e) => {
                keep(Err(e));
                None
            }
        }
    };

    // Address.
    let region_code = {
        let d = region_digits(&input.region_code);
        if d.is_empty() {
            None
        } else if regions.path(&d).is_none() {
            keep(Err(err(
                "region_code",
                format!(
                    "Kode wilayah {} tidak ada di tabel {}.",
                    input.region_code.trim(),
                    crate::region::TABLE_VERSION
                ),
                format!(
                    "Region code {} is not in the table {}.",
                    input.region_code.trim(),
                    crate::region::TABLE_VERSION
                ),
            )));
            None
        } else {
            Some(d)
        }
    };
    let address = tidy(&input.address);
    if address.chars().count() > 200 {
        keep(Err(err(
            "address",
            "Alamat terlalu panjang (paling banyak 200 huruf).",
            "The address is too long (at most 200 characters).",
        )));
    }
    let rt_rw = |field: &str, raw: &str| -> String {
        let t = raw.trim();
        if t.is_empty() {
            return String::new();
        }
        match t.parse::<u16>() {
            Ok(n) if (1..=999).contains(&n) => format!("{n:03}"),
            _ => {
                keep(Err(err(
                    field,
                    format!("{} harus angka 1–999.", field.to_uppercase()),
                    format!("{} must be a number 1–999.", field.to_uppercase()),
                )));
                String::new()
            }
        }
    };
    let rt = rt_rw("rt", &input.rt);
    let rw = rt_rw("rw", &input.rw);

    // Phone: digits, an optional leading +, separators dropped; 62… kept as written.
    let phone = {
        let t = input.phone.trim();
        let mut digits = String::new();
        let mut bad = None;
        for (i, c) in t.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                other => {
                    bad = Some(other);
                    break;
                }
            }
        }
        let n = digits.trim_start_matches('+').len();
        if let Some(c) = bad {
            keep(Err(err(
                "phone",
                format!("Nomor telepon hanya boleh angka; ada '{c}'."),
                format!("A phone number may hold only digits; it has '{c}'."),
            )));
        } else if !t.is_empty() && !(8..=15).contains(&n) {
            keep(Err(err(
                "phone",
                format!("Nomor telepon 8–15 angka; tertulis {n}."),
                format!("A phone number has 8–15 digits; this one has {n}."),
            )));
        }
        digits
    };

    // The inmate.
    let wbp_name = tidy(&input.wbp_name);
    let wbp_reg_no = tidy(&input.wbp_reg_no).to_uppercase();
    if !wbp_name.is_empty() {
        keep(valid_name("wbp_name", &wbp_name, "Nama WBP", "The inmate's name").map(|_| ()));
    }
    if strict && input.category == Category::KeluargaWbp {
        if wbp_name.is_empty() {
            keep(Err(err(
                "wbp_name",
                "Keluarga WBP: nama WBP wajib diisi.",
                "Family of an inmate: the inmate's name is required.",
            )));
        }
        if input.wbp_status.is_none() {
            keep(Err(err(
                "wbp_status",
                "Keluarga WBP: pilih status WBP (ditahan, bebas, pindah).",
                "Family of an inmate: choose the inmate's status (held, released, moved).",
            )));
        }
    }
    let wbp_relation = tidy(&input.wbp_relation);
    keep(crate::limits::check_text(
        "wbp_relation",
        &wbp_relation,
        crate::limits::LABEL,
        ("Hubungan dengan WBP", "The relation to the inmate"),
    ));
    let reason_note = input.reason_note.trim().to_owned();
    keep(crate::limits::check_text(
        "reason_note",
        &reason_note,
        crate::limits::NOTE,
        ("Catatan alasan", "The note on the reasons"),
    ));
    if wbp_reg_no.chars().count() > 40 {
        keep(Err(err(
            "wbp_reg_no",
            "Nomor registrasi WBP terlalu panjang (paling banyak 40).",
            "The inmate's registration number is too long (at most 40).",
        )));
    }
    let dtks_decile = input.dtks_decile;
    if let Some(d) = dtks_decile {
        if !(1..=10).contains(&d) {
            keep(Err(err(
                "dtks_decile",
                "Desil DTKS/DTSEN harus 1–10.",
                "The DTKS/DTSEN decile must be 1–10.",
            )));
        }
    }
    let consent_date = match valid_date(
        "consent_date",
        &input.consent_date,
        today,
        "Tanggal persetujuan",
        "The consent date",
    ) {
        Ok(d) => d,
        Err(e) => {
            keep(Err(e));
            None
        }
    };
    // Each reason once, in the order given (repeated ones, adjacent or not, would only lengthen
    // the stored list toward its limit).
    let mut reasons: Vec<PoorReason> = Vec::new();
    for r in &input.reasons {
        if !reasons.contains(r) {
            reasons.push(*r);
        }
    }

    let mut errors = found.into_inner();
    errors.extend(member_errors);
    if !errors.is_empty() {
        return (None, errors, warnings);
    }
    let fam = ValidFamily {
        category: input.category,
        kk,
        kk_change_reason: input.kk_change_reason,
        address,
        rt,
        rw,
        region_code,
        phone,
        wbp_name: if input.category == Category::KeluargaWbp || !wbp_name.is_empty() {
            wbp_name
        } else {
            String::new()
        },
        wbp_reg_no,
        wbp_status: input.wbp_status,
        wbp_relation,
        reasons,
        reason_note,
        dtks_decile,
        consent_date,
        members,
    };
    (Some(fam), errors, warnings)
}

/// "331601******0003": area and sequence kept, the birth date hidden.
pub fn mask_nik(nik: &str) -> String {
    // The region (6 digits) and the last two only: the six hidden after the region are the birth
    // date, which the same reader may see beside it, so the sequence is hidden too (with the
    // birth date and four digits shown, the NIK would be whole again).
    if nik.len() == 16 && nik.is_ascii() {
        format!("{}********{}", &nik[..6], &nik[14..])
    } else if nik.len() > 4 && nik.is_ascii() {
        format!("{}{}", "*".repeat(nik.len() - 4), &nik[nik.len() - 4..])
    } else {
        "****".to_owned()
    }
}

/// An error list as shown beside a form.
pub fn field_errors(errors: &[Error], lang: Lang) -> Vec<FieldError> {
    errors
        .iter()
        .map(|e| FieldError {
            field: e.field.clone().unwrap_or_default(),
            message: e.message(lang).to_owned(),
        })
        .collect()
}

/// The first error of a list, as the error of a use case that refuses.
pub fn first_error(mut errors: Vec<Error>) -> Error {
    if errors.is_empty() {
        return Error::internal("validation failed without a reason");
    }
    let e = errors.remove(0);
    debug_assert!(e.kind == ErrorKind::Invalid || e.kind == ErrorKind::Conflict);
    e
}

/// Whether a stored family may be marked verified with `evidence` as the note: active, still a
/// draft, with a No. KK, consent, a reason it qualifies, a non-temporary head NIK, and for a WBP
/// family the inmate's name. The refusal names what is missing, at its field.
pub fn can_verify(s: &super::db::Stored, evidence: &str) -> Result<(), Error> {
    let missing = |id_: &str, en: &str, field: &str| {
        Err(err(
            field,
            format!("Belum dapat diverifikasi: {id_}"),
            format!("Cannot be verified yet: {en}"),
        ))
    };
    if !s.active {
        return Err(Error::new(
            crate::error::ErrorKind::Conflict,
            "Keluarga nonaktif tidak dapat diverifikasi.",
            "An inactive family cannot be verified.",
        ));
    }
    if s.verification == Verification::Verified {
        return Err(Error::new(
            crate::error::ErrorKind::Conflict,
            "Keluarga ini sudah terverifikasi.",
            "This family is already verified.",
        ));
    }
    crate::limits::check_text(
        "evidence_note",
        evidence.trim(),
        crate::limits::NOTE,
        ("Catatan bukti", "The evidence note"),
    )?;
    if evidence.trim().is_empty() {
        return missing(
            "tulis bukti yang diperiksa (mis. KTP, KK, surat keterangan tidak mampu).",
            "write what evidence was checked (e.g. ID card, family card, certificate of need).",
            "evidence_note",
        );
    }
    if s.kk.is_none() {
        return missing(
            "No. KK belum diisi.",
            "the family card number is missing.",
            "kk",
        );
    }
    if s.consent_date.is_none() {
        return missing(
            "persetujuan keluarga belum dicatat.",
            "the family's consent is not recorded.",
            "consent_date",
        );
    }
    if s.reasons == "[]" {
        return missing(
            "pilih paling sedikit satu alasan kurang mampu.",
            "choose at least one reason the family is poor.",
            "reasons",
        );
    }
    if s.members
        .first()
        .is_none_or(|h| h.nik_temporary || h.nik.is_none())
    {
        return missing(
            "NIK kepala keluarga masih sementara.",
            "the head's NIK is still temporary.",
            "member.0.nik",
        );
    }
    if s.category == Category::KeluargaWbp && s.wbp_name.is_empty() {
        return missing(
            "nama WBP belum diisi.",
            "the inmate's name is missing.",
            "wbp_name",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_old_spelling_and_doubles() {
        assert_eq!(name_key("Djoko  Soesilo"), name_key("Joko Susilo"));
        assert_eq!(name_key("Muhammad Jusuf"), name_key("Muhamad Yusuf"));
        assert_eq!(name_key("Nur'aini"), "nuraini");
        assert_eq!(name_key("SITI  RAHAYU"), "siti rahayu");
    }

    #[test]
    fn masks_keep_area_and_sequence() {
        assert_eq!(mask_nik("3316014708900003"), "331601********03");
        assert_eq!(mask_nik("123456"), "**3456");
    }

    #[test]
    fn dates_in_three_spellings() {
        let d = NaiveDate::from_ymd_opt(2024, 11, 16);
        assert_eq!(parse_date("2024-11-16"), d);
        assert_eq!(parse_date("16-11-2024"), d);
        assert_eq!(parse_date("16/11/2024"), d);
        assert_eq!(parse_date("31/02/2024"), None);
    }
}

//! The facility (UPT Pemasyarakatan) this database belongs to: its profile, receipt numbering
//! pattern, signing key pair and the regional office's public keys. Pure types and rules here;
//! SQL in `db.rs`, key handling in `keys.rs`.

pub mod db;
pub mod keys;

use crate::error::{Error, Result};
use crate::locale::{roman_month, TimeZone};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Rutan (detention centre), Lapas (prison) or LPKA (juvenile facility).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum FacilityKind {
    #[serde(rename = "RUTAN")]
    Rutan,
    #[serde(rename = "LAPAS")]
    Lapas,
    #[serde(rename = "LPKA")]
    Lpka,
    /// Not a facility: the regional office (Kantor Wilayah) itself, in regional mode.
    #[serde(rename = "KANWIL")]
    Kanwil,
}

impl FacilityKind {
    pub fn code(self) -> &'static str {
        match self {
            FacilityKind::Rutan => "RUTAN",
            FacilityKind::Lapas => "LAPAS",
            FacilityKind::Lpka => "LPKA",
            FacilityKind::Kanwil => "KANWIL",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "RUTAN" => Some(FacilityKind::Rutan),
            "LAPAS" => Some(FacilityKind::Lapas),
            "LPKA" => Some(FacilityKind::Lpka),
            "KANWIL" => Some(FacilityKind::Kanwil),
            _ => None,
        }
    }
    /// The long Indonesian name used on letterheads.
    pub fn long_name(self) -> &'static str {
        match self {
            FacilityKind::Rutan => "Rumah Tahanan Negara",
            FacilityKind::Lapas => "Lembaga Pemasyarakatan",
            FacilityKind::Lpka => "Lembaga Pembinaan Khusus Anak",
            FacilityKind::Kanwil => "Kantor Wilayah Direktorat Jenderal Pemasyarakatan",
        }
    }
}

/// What the facility says about itself; edited in the wizard and in Pengaturan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FacilityProfile {
    /// e.g. "Rutan Kelas IIB Blora"
    pub name: String,
    pub kind: FacilityKind,
    /// e.g. "IIB"
    pub class: String,
    /// Short code used in receipt numbers and bundles, e.g. "RUTAN-BLORA".
    pub code: String,
    pub province: String,
    /// e.g. "Kanwil Ditjenpas Jawa Tengah"
    pub kanwil: String,
    pub address: String,
    pub time_zone: TimeZone,
    /// Kepala UPT (Karutan / Kalapas).
    pub head_name: String,
    pub head_nip: String,
}

/// The whole first-run setup: the profile, numbering, and any regional keys known already.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FacilitySetup {
    pub profile: FacilityProfile,
    pub receipt_pattern: String,
    /// Logo for the letterhead, PNG or JPEG bytes as base64 (optional).
    pub logo_base64: Option<String>,
    pub regional_keys: Vec<RegionalKeyInput>,
}

/// A regional office (Kanwil) public key as typed or pasted by the admin.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegionalKeyInput {
    pub label: String,
    /// 32-byte Ed25519 public key, hex (64 characters) or base64.
    pub public_key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegionalKey {
    pub id: i64,
    pub label: String,
    pub public_key_hex: String,
    /// Short fingerprint people can read to each other on the phone.
    pub fingerprint: String,
    pub added_at: String,
}

/// The facility as stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Facility {
    pub profile: FacilityProfile,
    pub receipt_pattern: String,
    pub has_logo: bool,
    pub public_key_hex: String,
    pub fingerprint: String,
    pub regional_keys: Vec<RegionalKey>,
    /// Keys this facility signed with before, newest first: BASTs and summaries they signed
    /// still check.
    pub retired_keys: Vec<RetiredKey>,
    /// Minutes of inactivity before a signed-in person is signed out.
    pub idle_minutes: u32,
}

/// A signing key the facility no longer uses (`App::rotate_key`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RetiredKey {
    pub public_key_hex: String,
    pub fingerprint: String,
    pub retired_at: String,
    /// The facility's local day of the change: a BAST dated later is not this key's.
    pub retired_on: String,
    pub retired_by: String,
    pub reason: String,
    /// The last bundle it signed, if any.
    pub last_seq: Option<u64>,
}

/// The settings that use cases read on every call, read in one place ([`db::settings`]): the
/// facility's code and numbering, its time zone (what "today" is), how often a family may be
/// served, how early an expiry is alerted, and the key of the keyed NIK hash.
pub struct Settings {
    pub code: String,
    pub receipt_pattern: String,
    pub time_zone: crate::locale::TimeZone,
    pub period_rule: crate::distribution::PeriodRule,
    pub expiry_alert_days: u32,
    pub nik_key: zeroize::Zeroizing<Vec<u8>>,
}

impl Settings {
    /// Today's date in the facility's time zone.
    pub fn today(&self, now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
        self.time_zone.today(now)
    }
}

/// How many days ahead an expiry is alerted, by default.
pub const DEFAULT_EXPIRY_ALERT_DAYS: u32 = 30;

pub const DEFAULT_RECEIPT_PATTERN: &str = "{seq:3}/BAST-BANSOS/{code}/{month_roman}/{year}";
pub const DEFAULT_IDLE_MINUTES: u32 = 15;

fn required(field: &str, value: &str, id_label: &str, en_label: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(
            field,
            format!("{id_label} wajib diisi."),
            format!("{en_label} is required."),
        ));
    }
    Ok(())
}

impl FacilityProfile {
    /// Checks every field and returns the profile with surrounding spaces trimmed.
    pub fn validated(&self) -> Result<FacilityProfile> {
        let mut p = self.clone();
        for s in [
            &mut p.name,
            &mut p.class,
            &mut p.code,
            &mut p.province,
            &mut p.kanwil,
            &mut p.address,
            &mut p.head_name,
            &mut p.head_nip,
        ] {
            *s = s.trim().to_owned();
        }
        required("name", &p.name, "Nama UPT", "Facility name")?;
        required("class", &p.class, "Kelas", "Class")?;
        required("code", &p.code, "Kode UPT", "Facility code")?;
        required("province", &p.province, "Provinsi", "Province")?;
        required("kanwil", &p.kanwil, "Kanwil", "Regional office")?;
        required("address", &p.address, "Alamat", "Address")?;
        required("head_name", &p.head_name, "Nama Kepala UPT", "Head's name")?;
        use crate::limits::{check_text, ADDRESS, LABEL, NAME};
        for (field, value, max, what) in [
            ("name", &p.name, NAME, ("Nama UPT", "The facility's name")),
            ("class", &p.class, LABEL, ("Kelas", "The class")),
            ("province", &p.province, LABEL, ("Provinsi", "The province")),
            ("kanwil", &p.kanwil, NAME, ("Kanwil", "The regional office")),
            (
                "address",
                &p.address,
                ADDRESS,
                ("Alamat UPT", "The facility's address"),
            ),
        ] {
            check_text(field, value, max, what)?;
        }
        p.head_name = crate::family::model::valid_name(
            "head_name",
            &p.head_name,
            "Nama Kepala UPT",
            "The head's name",
        )?;
        p.code = p.code.to_ascii_uppercase();
        if !p
            .code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
            || p.code.len() > 40
        {
            return Err(Error::invalid(
                "code",
                "Kode UPT hanya boleh huruf, angka dan tanda minus (contoh: RUTAN-BLORA), paling banyak 40.",
                "The facility code may hold only letters, digits and '-' (e.g. RUTAN-BLORA), at most 40.",
            ));
        }
        validate_nip("head_nip", &p.head_nip)?;
        Ok(p)
    }
}

/// A civil servant's NIP is 18 digits. It is optional for staff who are not civil servants, but a
/// given NIP must be well formed: it is printed on every BAST.
pub fn validate_nip(field: &str, nip: &str) -> Result<()> {
    let digits: String = nip.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Ok(());
    }
    if digits.len() != 18 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid(
            field,
            format!(
                "NIP harus 18 angka (tertulis {} karakter).",
                digits.chars().count()
            ),
            format!(
                "A NIP has 18 digits (this one has {} characters).",
                digits.chars().count()
            ),
        ));
    }
    Ok(())
}

/// The placeholders a receipt numbering pattern may use.
const PLACEHOLDERS: [&str; 5] = ["seq", "code", "month_roman", "month", "year"];

/// Checks a numbering pattern: it must contain `{seq}` (or `{seq:N}`) and `{year}`, because the
/// sequence restarts every year and a number must never repeat.
pub fn validate_receipt_pattern(pattern: &str) -> Result<()> {
    let mut rest = pattern;
    let (mut has_seq, mut has_year) = (false, false);
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return Err(Error::invalid(
                "receipt_pattern",
                "Pola nomor BAST: ada '{' tanpa '}'.",
                "Receipt number pattern: a '{' has no closing '}'.",
            ));
        };
        let inner = &rest[open + 1..open + close];
        let (name, width) = inner.split_once(':').unwrap_or((inner, ""));
        if !PLACEHOLDERS.contains(&name) {
            return Err(Error::invalid(
                "receipt_pattern",
                format!("Pola nomor BAST: penanda {{{inner}}} tidak dikenal (yang dikenal: seq, code, month_roman, month, year)."),
                format!("Receipt number pattern: unknown placeholder {{{inner}}} (known: seq, code, month_roman, month, year)."),
            ));
        }
        let width_ok = name == "seq" && width.parse::<u8>().is_ok_and(|w| (1..=9).contains(&w));
        if !width.is_empty() && !width_ok {
            return Err(Error::invalid(
                "receipt_pattern",
                format!("Pola nomor BAST: lebar {{{inner}}} tidak sah (contoh: {{seq:3}})."),
                format!("Receipt number pattern: bad width in {{{inner}}} (e.g. {{seq:3}})."),
            ));
        }
        has_seq |= name == "seq";
        has_year |= name == "year";
        rest = &rest[open + close + 1..];
    }
    if !has_seq || !has_year {
        return Err(Error::invalid(
            "receipt_pattern",
            "Pola nomor BAST harus memuat {seq} dan {year}: nomor urut diulang tiap tahun.",
            "The receipt number pattern must contain {seq} and {year}: the sequence restarts every year.",
        ));
    }
    Ok(())
}

/// Checks a numbering pattern for a facility with code `code`: valid ([`validate_receipt_pattern`]),
/// and its longest number (the largest sequence number, the longest month, the code as given)
/// fits the store and the monthly bundle (100 characters), where a longer one would stop every
/// hand-over, or be refused by the Kanwil only after the month is closed.
pub fn validate_receipt_pattern_for(pattern: &str, code: &str) -> Result<()> {
    validate_receipt_pattern(pattern)?;
    let longest = render_receipt_number(pattern, u32::MAX, code, 8, 9999)
        .chars()
        .count();
    if longest > crate::limits::LABEL {
        return Err(Error::invalid(
            "receipt_pattern",
            format!(
                "Pola nomor BAST menghasilkan nomor sampai {longest} karakter dengan kode UPT {code}; paling banyak {}. Pendekkan teks tetapnya.",
                crate::limits::LABEL
            ),
            format!(
                "The receipt number pattern makes numbers of up to {longest} characters with the facility code {code}; at most {}. Shorten its fixed text.",
                crate::limits::LABEL
            ),
        ));
    }
    Ok(())
}

/// Renders a receipt number, e.g. `001/BAST-BANSOS/RUTAN-BLORA/XI/2024`. The pattern is assumed
/// valid (it is checked when saved).
pub fn render_receipt_number(pattern: &str, seq: u32, code: &str, month: u32, year: i32) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let (name, width) = inner.split_once(':').unwrap_or((inner, ""));
        match name {
            "seq" => {
                let w: usize = width.parse().unwrap_or(1);
                out.push_str(&format!("{seq:0w$}"));
            }
            "code" => out.push_str(code),
            "month_roman" => out.push_str(roman_month(month)),
            "month" => out.push_str(&format!("{month:02}")),
            "year" => out.push_str(&year.to_string()),
            _ => {}
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The number a pattern gives to the first receipt of `today`'s month, or why the pattern is
/// refused: the live preview under the pattern field.
pub fn preview_receipt_number(
    pattern: &str,
    code: &str,
    today: chrono::NaiveDate,
) -> Result<String> {
    use chrono::Datelike;
    let pattern = pattern.trim();
    let code = code.trim().to_ascii_uppercase();
    validate_receipt_pattern_for(pattern, &code)?;
    Ok(render_receipt_number(
        pattern,
        1,
        &code,
        today.month(),
        today.year(),
    ))
}

/// Accepts a logo only if it really is a PNG or JPEG of reasonable size.
pub fn decode_logo(b64: &str) -> Result<Vec<u8>> {
    use base64::Engine;
    let too_large = || {
        Error::invalid(
            "logo",
            "Logo terlalu besar (paling besar 1 MB).",
            "The logo is too large (1 MB at most).",
        )
    };
    // Refused by its length before it is decoded: 4 characters carry 3 bytes.
    if b64.trim().len() / 4 * 3 > 1024 * 1024 + 2 {
        return Err(too_large());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| {
            Error::invalid(
                "logo",
                "Berkas logo tidak terbaca.",
                "The logo file could not be read.",
            )
        })?;
    let is_png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
    let is_jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    if !is_png && !is_jpeg {
        return Err(Error::invalid(
            "logo",
            "Logo harus berupa gambar PNG atau JPEG.",
            "The logo must be a PNG or JPEG image.",
        ));
    }
    if bytes.len() > 1024 * 1024 {
        return Err(too_large());
    }
    // Its size in pixels from its header, before anything is decoded: a 1 MB file may claim
    // 60,000 × 60,000 pixels.
    let (w, h) = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_dimensions().ok())
        .ok_or_else(|| {
            Error::invalid(
                "logo",
                "Berkas logo rusak: ukurannya tidak terbaca.",
                "The logo file is damaged: its size cannot be read.",
            )
        })?;
    if u64::from(w) * u64::from(h) > crate::limits::LOGO_PIXELS {
        return Err(Error::invalid(
            "logo",
            format!(
                "Logo terlalu besar ({w} × {h} piksel; paling besar {} megapiksel). Kecilkan dulu.",
                crate::limits::LOGO_PIXELS / 1_000_000
            ),
            format!(
                "The logo is too large ({w} × {h} pixels; at most {} megapixels). Make it smaller first.",
                crate::limits::LOGO_PIXELS / 1_000_000
            ),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_number_follows_the_blora_example() {
        assert_eq!(
            render_receipt_number(DEFAULT_RECEIPT_PATTERN, 1, "RUTAN-BLORA", 11, 2024),
            "001/BAST-BANSOS/RUTAN-BLORA/XI/2024"
        );
        assert_eq!(
            render_receipt_number("{seq}-{year}", 1234, "X", 1, 2025),
            "1234-2025"
        );
    }

    #[test]
    fn the_preview_renders_a_valid_pattern_and_explains_a_bad_one() {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 11, 16).unwrap_or_default();
        assert_eq!(
            preview_receipt_number(DEFAULT_RECEIPT_PATTERN, " rutan-blora ", day)
                .ok()
                .as_deref(),
            Some("001/BAST-BANSOS/RUTAN-BLORA/XI/2024")
        );
        let e = preview_receipt_number("{seq}/BAST", "X", day).err();
        assert_eq!(e.and_then(|e| e.field).as_deref(), Some("receipt_pattern"));
    }

    #[test]
    fn receipt_pattern_without_year_or_with_unknown_placeholder_is_refused() {
        assert!(validate_receipt_pattern(DEFAULT_RECEIPT_PATTERN).is_ok());
        assert!(
            validate_receipt_pattern("{seq:3}/BAST").is_err(),
            "no year: numbers would repeat"
        );
        assert!(validate_receipt_pattern("{seq}/{tahun}/{year}").is_err());
        assert!(validate_receipt_pattern("{seq:0}/{year}").is_err());
        assert!(validate_receipt_pattern("{seq/{year}").is_err());
    }

    /// A pattern within 100 characters may still make longer numbers (the code repeated, a long
    /// fixed text with a long code): refused when saved, naming the length, not at every
    /// hand-over afterwards or by the Kanwil after the month is closed.
    #[test]
    fn a_pattern_whose_numbers_outgrow_the_store_is_refused() {
        let code = "KANWIL-KEMENKUMHAM-JAWA-TENGAH-SEMARANG";
        assert!(validate_receipt_pattern_for(DEFAULT_RECEIPT_PATTERN, code).is_ok());
        let twice = "{seq}/{code}/{code}/{code}/{year}";
        assert!(validate_receipt_pattern(twice).is_ok(), "fine as a pattern");
        let e = validate_receipt_pattern_for(twice, code).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("receipt_pattern"));
        assert!(
            e.message(crate::locale::Lang::Id).contains("karakter"),
            "{e:?}"
        );
        let long_text = format!(
            "{{seq:3}}/{}/{{code}}/{{month_roman}}/{{year}}",
            "B".repeat(50)
        );
        assert!(validate_receipt_pattern_for(&long_text, "RUTAN-BLORA").is_ok());
        assert!(validate_receipt_pattern_for(&long_text, code).is_err());
        assert!(preview_receipt_number(twice, code, chrono::NaiveDate::default()).is_err());
    }
}

//! Everything that depends on language or on Indonesian conventions: the UI language ([`Lang`]),
//! the three Indonesian time zones, how dates, times, money and quantities are written for people,
//! the number words ("terbilang") that official documents such as a BAST (berita acara serah
//! terima) require, and reading quantities typed by users back into exact numbers.
//!
//! Money and quantities are `Decimal` throughout and are formatted from the decimal's own digits,
//! never via floats, so what is printed is exactly what is stored. Nothing here panics on any
//! input: out-of-range values produce an empty string or `None` instead.

mod words;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc, Weekday};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// UI / message language. Serialized "id" / "en".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Lang {
    /// Bahasa Indonesia, the default: the app is used in Indonesian offices.
    #[default]
    Id,
    En,
}

impl Lang {
    /// Reads a language code or POSIX locale name ("id", "id_ID", "id-ID.UTF-8", "en_US@euro",
    /// "EN"). Only the primary language subtag counts. "in" is accepted as Indonesian because
    /// older Java/Android systems still report that withdrawn ISO 639 code.
    pub fn from_code(s: &str) -> Option<Lang> {
        let primary = s
            .trim()
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "id" | "in" | "ind" => Some(Lang::Id),
            "en" | "eng" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Indonesian time zones. Serialized "WIB" / "WITA" / "WIT".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum TimeZone {
    /// Waktu Indonesia Barat, UTC+7 (Sumatra, Java, West/Central Kalimantan): the most common.
    #[default]
    #[serde(rename = "WIB")]
    Wib,
    /// Waktu Indonesia Tengah, UTC+8 (Bali, Nusa Tenggara, Sulawesi, East/South/North Kalimantan).
    #[serde(rename = "WITA")]
    Wita,
    /// Waktu Indonesia Timur, UTC+9 (Maluku, Papua).
    #[serde(rename = "WIT")]
    Wit,
}

/// Builds a whole-hour offset at compile time, so a bad constant fails the build rather than
/// panicking at run time (Indonesia has no daylight saving, so fixed offsets are exact).
const fn hours_east(h: i32) -> FixedOffset {
    match FixedOffset::east_opt(h * 3600) {
        Some(o) => o,
        None => panic!("offset out of range"),
    }
}

const UTC_PLUS_7: FixedOffset = hours_east(7);
const UTC_PLUS_8: FixedOffset = hours_east(8);
const UTC_PLUS_9: FixedOffset = hours_east(9);

impl TimeZone {
    /// The zone's offset from UTC: +7, +8 or +9 hours.
    pub fn offset(self) -> FixedOffset {
        match self {
            TimeZone::Wib => UTC_PLUS_7,
            TimeZone::Wita => UTC_PLUS_8,
            TimeZone::Wit => UTC_PLUS_9,
        }
    }

    /// The abbreviation written after a time: "WIB", "WITA" or "WIT".
    pub fn code(self) -> &'static str {
        match self {
            TimeZone::Wib => "WIB",
            TimeZone::Wita => "WITA",
            TimeZone::Wit => "WIT",
        }
    }

    /// Reads "WIB" / "WITA" / "WIT" in any letter case, ignoring surrounding spaces.
    pub fn parse(s: &str) -> Option<TimeZone> {
        match s.trim().to_ascii_uppercase().as_str() {
            "WIB" => Some(TimeZone::Wib),
            "WITA" => Some(TimeZone::Wita),
            "WIT" => Some(TimeZone::Wit),
            _ => None,
        }
    }

    /// The instant `t` as wall-clock time in this zone.
    pub fn to_local(self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.offset())
    }

    /// The local calendar date at instant `t`. Records are dated by the facility's own calendar,
    /// which can be a day ahead of UTC in the early morning.
    pub fn today(self, t: DateTime<Utc>) -> NaiveDate {
        self.to_local(t).date_naive()
    }
}

/// Month name for month number 1..=12; anything else gives "".
pub fn month_name(m: u32, lang: Lang) -> &'static str {
    let table = match lang {
        Lang::Id => &words::MONTHS_ID,
        Lang::En => &words::MONTHS_EN,
    };
    m.checked_sub(1)
        .and_then(|i| table.get(i as usize))
        .copied()
        .unwrap_or("")
}

/// Weekday name: Senin … Minggu / Monday … Sunday.
pub fn weekday_name(d: Weekday, lang: Lang) -> &'static str {
    let table = match lang {
        Lang::Id => &words::WEEKDAYS_ID,
        Lang::En => &words::WEEKDAYS_EN,
    };
    table[d.num_days_from_monday() as usize % 7]
}

/// "Sabtu, 16 November 2024" / "Saturday, 16 November 2024". English also puts the day before
/// the month, so both languages read the same way on one printed page.
pub fn long_date(d: NaiveDate, lang: Lang) -> String {
    format!(
        "{}, {} {} {}",
        weekday_name(d.weekday(), lang),
        d.day(),
        month_name(d.month(), lang),
        d.year()
    )
}

/// "16/11/2024": day/month/year with zero padding, the form used on Indonesian forms in both
/// languages.
pub fn short_date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// Long date plus local time and zone: "Sabtu, 16 November 2024 14.05 WIB". Indonesian style
/// (PUEBI) separates hours and minutes with a period; English uses a colon.
pub fn date_time(t: DateTime<Utc>, tz: TimeZone, lang: Lang) -> String {
    let local = tz.to_local(t);
    let sep = match lang {
        Lang::Id => '.',
        Lang::En => ':',
    };
    format!(
        "{} {:02}{}{:02} {}",
        long_date(local.date_naive(), lang),
        local.hour(),
        sep,
        local.minute(),
        tz.code()
    )
}

/// Month 1..=12 in Roman numerals ("XI"), as in letter numbers like "123/BAST/XI/2024".
/// Anything else gives "".
pub fn roman_month(m: u32) -> &'static str {
    m.checked_sub(1)
        .and_then(|i| words::ROMAN_MONTHS.get(i as usize))
        .copied()
        .unwrap_or("")
}

/// The opening of a BAST: "Pada hari ini Sabtu tanggal enam belas bulan November tahun dua ribu
/// dua puluh empat". Day and year are spelled out because a written-out date cannot be altered by
/// adding a stroke; no trailing punctuation so the caller can continue the sentence.
pub fn date_sentence(d: NaiveDate) -> String {
    let year = d.year();
    let year_words = if year < 0 {
        format!("minus {}", terbilang(u64::from(year.unsigned_abs())))
    } else {
        terbilang(u64::from(year.unsigned_abs()))
    };
    format!(
        "Pada hari ini {} tanggal {} bulan {} tahun {}",
        weekday_name(d.weekday(), Lang::Id),
        terbilang(u64::from(d.day())),
        month_name(d.month(), Lang::Id),
        year_words
    )
}

/// Indonesian number words in lower case: 11 "sebelas", 1000 "seribu", 1500000 "satu juta lima
/// ratus ribu", up to u64::MAX (18 kuintiliun …).
pub fn terbilang(n: u64) -> String {
    words::number_words(u128::from(n))
}

/// An amount in words for receipts and BASTs: "satu juta lima ratus ribu rupiah". Sen (1/100
/// rupiah) follow when present, after rounding half away from zero to two places:
/// 1500.50 → "seribu lima ratus rupiah lima puluh sen"; an amount below one rupiah is just the
/// sen ("lima puluh sen"). Negative amounts start with "minus"; zero is "nol rupiah".
pub fn terbilang_rupiah(amount: Decimal) -> String {
    let (negative, whole, sen) = split_rupiah(amount);
    let mut out = String::new();
    if negative {
        out.push_str("minus ");
    }
    if whole > 0 || sen == 0 {
        out.push_str(&words::number_words(whole));
        out.push_str(" rupiah");
        if sen > 0 {
            out.push(' ');
        }
    }
    if sen > 0 {
        out.push_str(&words::number_words(u128::from(sen)));
        out.push_str(" sen");
    }
    out
}

/// "Rp1.500.000", "Rp0", "-Rp25.000", "Rp1.500,50". Sen are shown (always two digits) only when
/// non-zero after rounding half away from zero to two places, since whole-rupiah amounts are the
/// norm and ",00" is noise on a printed list.
pub fn rupiah(amount: Decimal) -> String {
    let (negative, whole, sen) = split_rupiah(amount);
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str("Rp");
    out.push_str(&group_digits(&whole.to_string(), '.'));
    if sen > 0 {
        out.push_str(&format!(",{sen:02}"));
    }
    out
}

/// Rounds to sen and splits into (negative, whole rupiah, sen). An amount that rounds to zero is
/// never negative, so "-Rp0" and "minus nol rupiah" cannot appear.
fn split_rupiah(amount: Decimal) -> (bool, u128, u32) {
    let r = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    // After round_dp the scale is at most 2, so the digits below split exactly.
    let scale = r.scale().min(2);
    let digits = r.mantissa().unsigned_abs();
    let divisor = 10u128.pow(scale);
    let whole = digits / divisor;
    // Bring the fraction to hundredths: scale 1 means tenths, scale 0 means none.
    let sen = ((digits % divisor) * 10u128.pow(2 - scale)) as u32;
    let negative = r.is_sign_negative() && (whole > 0 || sen > 0);
    (negative, whole, sen)
}

/// A quantity for people: Id "1.234,5", En "1,234.5". Trailing zeros after the decimal point are
/// dropped; the digits come straight from the decimal, so there is never an exponent.
pub fn decimal(q: Decimal, lang: Lang) -> String {
    let (group, point) = separators(lang);
    let n = q.normalize();
    let scale = n.scale() as usize;
    let digits = n.mantissa().unsigned_abs().to_string();
    // Left-pad so there is at least one digit before the point (0.25 has mantissa 25, scale 2).
    let digits = if digits.len() <= scale {
        format!("{}{}", "0".repeat(scale + 1 - digits.len()), digits)
    } else {
        digits
    };
    let (int_part, frac_part) = digits.split_at(digits.len() - scale);
    let mut out = String::new();
    if n.is_sign_negative() && !n.is_zero() {
        out.push('-');
    }
    out.push_str(&group_digits(int_part, group));
    if !frac_part.is_empty() {
        out.push(point);
        out.push_str(frac_part);
    }
    out
}

/// Reads a quantity typed by a user; the inverse of [`decimal`]. Surrounding spaces are ignored
/// and a leading '-' is allowed.
///
/// Id: ',' is the decimal comma and '.' groups thousands ("1.234,5", "0,25"). Because people
/// also type "12.5" on English keyboards, a lone dot with no comma is read as a decimal point
/// unless exactly three digits follow it; then it is a thousands separator, so "1.234" is 1234.
/// En: '.' is the decimal point and ',' groups thousands ("1,234.5").
///
/// Thousands groups must be well formed (1–3 leading digits without a leading zero, then groups of
/// exactly 3), and both sides of a decimal separator need digits. Anything else — empty text,
/// letters, two decimal separators, a number too large for `Decimal` — gives `None`.
pub fn parse_decimal(s: &str, lang: Lang) -> Option<Decimal> {
    let s = s.trim();
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let (group, point) = separators(lang);
    let (int_part, frac_part) = match body.split_once(point) {
        Some((int_part, frac_part)) => (int_part, Some(frac_part)),
        None if lang == Lang::Id => {
            // No decimal comma: decide whether a single dot is a decimal point (see above).
            match body.split_once('.') {
                Some((a, b)) if !b.contains('.') && b.len() != 3 => (a, Some(b)),
                _ => (body, None),
            }
        }
        None => (body, None),
    };
    let int_digits = ungroup(int_part, group)?;
    let mut canonical = String::new();
    if negative {
        canonical.push('-');
    }
    canonical.push_str(&int_digits);
    if let Some(frac) = frac_part {
        if frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        canonical.push('.');
        canonical.push_str(frac);
    }
    // from_str_exact refuses rather than silently rounding digits Decimal cannot hold.
    Decimal::from_str_exact(&canonical).ok()
}

/// (thousands separator, decimal separator) for a language.
fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// Inserts `sep` every three digits from the right: "1500000" → "1.500.000".
fn group_digits(digits: &str, sep: char) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Checks an integer part that may contain thousands separators and returns its bare digits.
/// Without separators any run of digits is fine; with them the grouping must be exact, so that
/// "12.34" or ".500" are refused instead of guessed at.
fn ungroup(int_part: &str, sep: char) -> Option<String> {
    if int_part.is_empty() || !int_part.chars().all(|c| c.is_ascii_digit() || c == sep) {
        return None;
    }
    if !int_part.contains(sep) {
        return Some(int_part.to_string());
    }
    let mut groups = int_part.split(sep);
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 || first.starts_with('0') {
        return None;
    }
    let mut digits = first.to_string();
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        digits.push_str(g);
    }
    Some(digits)
}

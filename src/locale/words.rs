//! Word tables and the Indonesian number-to-words ("terbilang") algorithm behind
//! [`super::terbilang`]. Kept apart from `mod.rs` so the formatting code there reads without
//! scrolling past tables.

/// Month names, index 0 = January. Indonesian names are capitalised as in official letters.
pub(super) const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

pub(super) const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Weekday names, index 0 = Monday (chrono's `num_days_from_monday`).
pub(super) const WEEKDAYS_ID: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

pub(super) const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Roman numerals for months, as used in Indonesian letter numbers ("…/XI/2024").
pub(super) const ROMAN_MONTHS: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

const UNITS: [&str; 10] = [
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
];

/// Scale words for successive groups of three digits. The list goes past `u64` (up to 10^27)
/// because rupiah amounts arrive as `Decimal`, whose integer part can reach about 7.9 × 10^28.
const SCALES: [&str; 10] = [
    "",
    "ribu",
    "juta",
    "miliar",
    "triliun",
    "kuadriliun",
    "kuintiliun",
    "sekstiliun",
    "septiliun",
    "oktiliun",
];

/// Number words for any `u128`. Groups of three digits are named from the top; a top group that
/// still exceeds 999 at the largest scale is spelled recursively (e.g. "seribu oktiliun"), so no
/// input runs off the end of the table.
pub(super) fn number_words(n: u128) -> String {
    if n == 0 {
        return UNITS[0].to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    push_scaled(n, SCALES.len() - 1, &mut parts);
    parts.join(" ")
}

/// Appends the words for `n`, treating `scale` as the largest scale index allowed.
fn push_scaled(n: u128, scale: usize, parts: &mut Vec<String>) {
    if scale == 0 {
        // Callers only pass remainders below 1000 here; the modulo keeps the cast lossless anyway.
        push_below_thousand((n % 1000) as u16, parts);
        return;
    }
    // 1000^scale; scale <= 9 so this is at most 10^27, well within u128.
    let unit = 1000u128.pow(scale as u32);
    let high = n / unit;
    let low = n % unit;
    if high > 999 {
        // Only reachable above 10^30: spell the multiplier in full, then the scale word.
        parts.push(number_words(high));
        parts.push(SCALES[scale].to_string());
    } else if high == 1 && scale == 1 {
        // Indonesian fuses "satu ribu" into "seribu"; larger scales keep "satu" (satu juta).
        parts.push("seribu".to_string());
    } else if high > 0 {
        push_below_thousand(high as u16, parts);
        parts.push(SCALES[scale].to_string());
    }
    push_scaled(low, scale - 1, parts);
}

/// Appends the words for 1..=999; 0 appends nothing (zero groups are silent inside a number).
fn push_below_thousand(n: u16, parts: &mut Vec<String>) {
    let hundreds = n / 100;
    let rest = n % 100;
    match hundreds {
        0 => {}
        1 => parts.push("seratus".to_string()),
        h => {
            parts.push(UNITS[h as usize].to_string());
            parts.push("ratus".to_string());
        }
    }
    push_below_hundred(rest, parts);
}

/// Appends the words for 1..=99; 0 appends nothing.
fn push_below_hundred(n: u16, parts: &mut Vec<String>) {
    match n {
        0 => {}
        1..=9 => parts.push(UNITS[n as usize].to_string()),
        10 => parts.push("sepuluh".to_string()),
        11 => parts.push("sebelas".to_string()),
        12..=19 => {
            parts.push(UNITS[(n - 10) as usize].to_string());
            parts.push("belas".to_string());
        }
        _ => {
            let tens = n / 10;
            let ones = n % 10;
            parts.push(UNITS[tens as usize].to_string());
            parts.push("puluh".to_string());
            if ones > 0 {
                parts.push(UNITS[ones as usize].to_string());
            }
        }
    }
}

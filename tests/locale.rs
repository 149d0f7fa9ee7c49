//! Tests for `bansos::locale`: dates, times and zones, number words, rupiah and quantities as
//! Indonesian offices write them, and reading typed quantities back.

use bansos::locale::*;
use chrono::{DateTime, NaiveDate, TimeZone as _, Utc, Weekday};
use rust_decimal::Decimal;
use std::str::FromStr;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test dates are valid")
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("test instants are valid")
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("test decimals are valid")
}

// ---- Lang ---------------------------------------------------------------------------------

#[test]
fn lang_from_code_reads_language_codes_and_posix_locales() {
    let cases = [
        ("id", Some(Lang::Id)),
        ("ID", Some(Lang::Id)),
        ("id_ID", Some(Lang::Id)),
        ("id-ID", Some(Lang::Id)),
        ("id_ID.UTF-8", Some(Lang::Id)),
        ("id-ID.UTF-8", Some(Lang::Id)),
        ("  id  ", Some(Lang::Id)),
        ("in", Some(Lang::Id)),
        ("en", Some(Lang::En)),
        ("en_US", Some(Lang::En)),
        ("en-GB.UTF-8", Some(Lang::En)),
        ("en_US@euro", Some(Lang::En)),
        ("", None),
        ("C", None),
        ("fr_FR", None),
        ("ms_MY", None),
        ("idx", None),
    ];
    for (code, want) in cases {
        assert_eq!(Lang::from_code(code), want, "Lang::from_code({code:?})");
    }
}

#[test]
fn lang_defaults_to_indonesian_and_serializes_as_lowercase_codes() {
    assert_eq!(
        Lang::default(),
        Lang::Id,
        "the app is used in Indonesian offices"
    );
    assert_eq!(
        serde_json::to_string(&Lang::Id).expect("serializes"),
        "\"id\""
    );
    assert_eq!(
        serde_json::to_string(&Lang::En).expect("serializes"),
        "\"en\""
    );
    let back: Lang = serde_json::from_str("\"en\"").expect("deserializes");
    assert_eq!(back, Lang::En, "the UI sends the same code back");
}

// ---- TimeZone -----------------------------------------------------------------------------

#[test]
fn time_zones_have_their_offsets_codes_and_serialized_names() {
    let cases = [
        (TimeZone::Wib, 7, "WIB"),
        (TimeZone::Wita, 8, "WITA"),
        (TimeZone::Wit, 9, "WIT"),
    ];
    for (tz, hours, code) in cases {
        assert_eq!(
            tz.offset().local_minus_utc(),
            hours * 3600,
            "{code} is UTC+{hours}"
        );
        assert_eq!(tz.code(), code, "{tz:?} is written {code}");
        assert_eq!(
            serde_json::to_string(&tz).expect("serializes"),
            format!("\"{code}\""),
            "{tz:?} serializes as its code"
        );
    }
    assert_eq!(
        TimeZone::default(),
        TimeZone::Wib,
        "WIB covers most facilities"
    );
}

#[test]
fn time_zone_parse_ignores_case_and_rejects_unknown_codes() {
    let cases = [
        ("WIB", Some(TimeZone::Wib)),
        ("wib", Some(TimeZone::Wib)),
        ("WITA", Some(TimeZone::Wita)),
        ("Wita", Some(TimeZone::Wita)),
        ("wit", Some(TimeZone::Wit)),
        (" WIT ", Some(TimeZone::Wit)),
        ("", None),
        ("UTC", None),
        ("WI", None),
        ("WITAA", None),
    ];
    for (s, want) in cases {
        assert_eq!(TimeZone::parse(s), want, "TimeZone::parse({s:?})");
    }
}

#[test]
fn to_local_keeps_the_instant_and_shows_local_wall_clock() {
    let t = utc(2024, 11, 16, 17, 30);
    let local = TimeZone::Wit.to_local(t);
    assert_eq!(
        local.to_rfc3339(),
        "2024-11-17T02:30:00+09:00",
        "17:30 UTC is 02:30 next day WIT"
    );
    assert_eq!(
        local.with_timezone(&Utc),
        t,
        "conversion must not move the instant"
    );
}

#[test]
fn today_is_the_local_calendar_date_which_can_be_ahead_of_utc() {
    let cases = [
        // 16:59 UTC is 23:59 WIB, still the 16th; a minute later it is the 17th.
        (utc(2024, 11, 16, 16, 59), TimeZone::Wib, date(2024, 11, 16)),
        (utc(2024, 11, 16, 17, 0), TimeZone::Wib, date(2024, 11, 17)),
        (
            utc(2024, 11, 16, 15, 59),
            TimeZone::Wita,
            date(2024, 11, 16),
        ),
        (utc(2024, 11, 16, 16, 0), TimeZone::Wita, date(2024, 11, 17)),
        (utc(2024, 11, 16, 15, 0), TimeZone::Wit, date(2024, 11, 17)),
        // New Year arrives in Papua while it is still 31 December in UTC.
        (utc(2024, 12, 31, 15, 0), TimeZone::Wit, date(2025, 1, 1)),
        (utc(2024, 12, 31, 15, 0), TimeZone::Wib, date(2024, 12, 31)),
    ];
    for (t, tz, want) in cases {
        assert_eq!(tz.today(t), want, "{tz:?} date at {t}");
    }
}

// ---- Dates and times ----------------------------------------------------------------------

#[test]
fn month_names_cover_all_twelve_months_and_are_empty_out_of_range() {
    let id = [
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
    let en = [
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
    for m in 1..=12u32 {
        assert_eq!(
            month_name(m, Lang::Id),
            id[m as usize - 1],
            "Indonesian month {m}"
        );
        assert_eq!(
            month_name(m, Lang::En),
            en[m as usize - 1],
            "English month {m}"
        );
    }
    for m in [0, 13, u32::MAX] {
        assert_eq!(
            month_name(m, Lang::Id),
            "",
            "month {m} does not exist and must not panic"
        );
    }
}

#[test]
fn weekday_names_start_the_week_on_monday_in_both_languages() {
    let cases = [
        (Weekday::Mon, "Senin", "Monday"),
        (Weekday::Tue, "Selasa", "Tuesday"),
        (Weekday::Wed, "Rabu", "Wednesday"),
        (Weekday::Thu, "Kamis", "Thursday"),
        (Weekday::Fri, "Jumat", "Friday"),
        (Weekday::Sat, "Sabtu", "Saturday"),
        (Weekday::Sun, "Minggu", "Sunday"),
    ];
    for (d, id, en) in cases {
        assert_eq!(weekday_name(d, Lang::Id), id, "Indonesian name of {d}");
        assert_eq!(weekday_name(d, Lang::En), en, "English name of {d}");
    }
}

#[test]
fn long_date_names_the_indonesian_weekday_and_month() {
    let cases = [
        (
            date(2024, 11, 16),
            "Sabtu, 16 November 2024",
            "Saturday, 16 November 2024",
        ),
        (
            date(2025, 1, 1),
            "Rabu, 1 Januari 2025",
            "Wednesday, 1 January 2025",
        ),
        (
            date(1999, 12, 31),
            "Jumat, 31 Desember 1999",
            "Friday, 31 December 1999",
        ),
        (
            date(2024, 2, 29),
            "Kamis, 29 Februari 2024",
            "Thursday, 29 February 2024",
        ),
        (
            date(2024, 8, 17),
            "Sabtu, 17 Agustus 2024",
            "Saturday, 17 August 2024",
        ),
    ];
    for (d, id, en) in cases {
        assert_eq!(
            long_date(d, Lang::Id),
            id,
            "Indonesian long date, day not zero-padded"
        );
        assert_eq!(
            long_date(d, Lang::En),
            en,
            "English keeps day-month-year order"
        );
    }
}

#[test]
fn short_date_is_zero_padded_day_month_year() {
    let cases = [
        (date(2024, 11, 16), "16/11/2024"),
        (date(2025, 1, 1), "01/01/2025"),
        (date(1999, 12, 31), "31/12/1999"),
    ];
    for (d, want) in cases {
        assert_eq!(short_date(d), want, "short date of {d}");
    }
}

#[test]
fn date_time_uses_a_period_in_indonesian_and_a_colon_in_english() {
    let t = utc(2024, 11, 16, 7, 5);
    assert_eq!(
        date_time(t, TimeZone::Wib, Lang::Id),
        "Sabtu, 16 November 2024 14.05 WIB",
        "Indonesian writes 14.05"
    );
    assert_eq!(
        date_time(t, TimeZone::Wib, Lang::En),
        "Saturday, 16 November 2024 14:05 WIB",
        "English writes 14:05"
    );
}

#[test]
fn date_time_converts_a_utc_instant_across_midnight_into_the_local_zone() {
    let t = utc(2024, 11, 16, 17, 30);
    let cases = [
        (
            TimeZone::Wib,
            Lang::Id,
            "Minggu, 17 November 2024 00.30 WIB",
        ),
        (
            TimeZone::Wita,
            Lang::Id,
            "Minggu, 17 November 2024 01.30 WITA",
        ),
        (
            TimeZone::Wit,
            Lang::Id,
            "Minggu, 17 November 2024 02.30 WIT",
        ),
        (
            TimeZone::Wit,
            Lang::En,
            "Sunday, 17 November 2024 02:30 WIT",
        ),
    ];
    for (tz, lang, want) in cases {
        assert_eq!(
            date_time(t, tz, lang),
            want,
            "17:30 UTC on the 16th is the 17th in {tz:?}"
        );
    }
    assert_eq!(
        date_time(utc(2024, 11, 16, 16, 59), TimeZone::Wib, Lang::Id),
        "Sabtu, 16 November 2024 23.59 WIB",
        "a minute before local midnight is still the 16th"
    );
}

#[test]
fn roman_months_run_from_i_to_xii_and_are_empty_out_of_range() {
    let want = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    for (i, r) in want.iter().enumerate() {
        let m = i as u32 + 1;
        assert_eq!(roman_month(m), *r, "month {m} in letter numbers");
    }
    for m in [0, 13, 100, u32::MAX] {
        assert_eq!(
            roman_month(m),
            "",
            "month {m} has no numeral and must not panic"
        );
    }
}

#[test]
fn date_sentence_spells_out_day_and_year_for_the_bast() {
    let cases = [
        (
            date(2024, 11, 16),
            "Pada hari ini Sabtu tanggal enam belas bulan November tahun dua ribu dua puluh empat",
        ),
        (date(2025, 1, 1), "Pada hari ini Rabu tanggal satu bulan Januari tahun dua ribu dua puluh lima"),
        (
            date(1999, 12, 31),
            "Pada hari ini Jumat tanggal tiga puluh satu bulan Desember tahun seribu sembilan ratus \
             sembilan puluh sembilan",
        ),
        (date(2000, 3, 10), "Pada hari ini Jumat tanggal sepuluh bulan Maret tahun dua ribu"),
        (date(2024, 5, 11), "Pada hari ini Sabtu tanggal sebelas bulan Mei tahun dua ribu dua puluh empat"),
    ];
    for (d, want) in cases {
        assert_eq!(
            date_sentence(d),
            want,
            "BAST opening for {d}, with no trailing punctuation"
        );
    }
}

// ---- Number words -------------------------------------------------------------------------

#[test]
fn terbilang_spells_numbers_the_indonesian_way() {
    let cases: &[(u64, &str)] = &[
        (0, "nol"),
        (1, "satu"),
        (7, "tujuh"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (110, "seratus sepuluh"),
        (111, "seratus sebelas"),
        (115, "seratus lima belas"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (1999, "seribu sembilan ratus sembilan puluh sembilan"),
        (2000, "dua ribu"),
        (2024, "dua ribu dua puluh empat"),
        (11000, "sebelas ribu"),
        (21000, "dua puluh satu ribu"),
        (100000, "seratus ribu"),
        (101000, "seratus satu ribu"),
        (111111, "seratus sebelas ribu seratus sebelas"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (1_500_000, "satu juta lima ratus ribu"),
        (2_000_001, "dua juta satu"),
        (1_000_000_000, "satu miliar"),
        (1_000_000_000_000, "satu triliun"),
        (1_000_000_000_000_000, "satu kuadriliun"),
        (1_000_000_000_000_000_000, "satu kuintiliun"),
        (
            12_345_678,
            "dua belas juta tiga ratus empat puluh lima ribu enam ratus tujuh puluh delapan",
        ),
    ];
    for (n, want) in cases {
        assert_eq!(terbilang(*n), *want, "terbilang({n})");
    }
}

#[test]
fn terbilang_reaches_u64_max_without_panicking() {
    assert_eq!(
        terbilang(u64::MAX),
        "delapan belas kuintiliun empat ratus empat puluh enam kuadriliun tujuh ratus empat puluh \
         empat triliun tujuh puluh tiga miliar tujuh ratus sembilan juta lima ratus lima puluh \
         satu ribu enam ratus lima belas",
        "18.446.744.073.709.551.615 is the largest u64"
    );
}

#[test]
fn terbilang_rupiah_spells_amounts_with_sen_and_sign() {
    let cases = [
        ("0", "nol rupiah"),
        ("0.00", "nol rupiah"),
        ("1", "satu rupiah"),
        ("1500000", "satu juta lima ratus ribu rupiah"),
        ("1500.50", "seribu lima ratus rupiah lima puluh sen"),
        ("1500.5", "seribu lima ratus rupiah lima puluh sen"),
        ("1500.05", "seribu lima ratus rupiah lima sen"),
        ("0.75", "tujuh puluh lima sen"),
        ("-25000", "minus dua puluh lima ribu rupiah"),
        ("-0.5", "minus lima puluh sen"),
        // Rounded half away from zero to whole sen; a carry reaches the rupiah.
        ("10.005", "sepuluh rupiah satu sen"),
        ("9.999", "sepuluh rupiah"),
        ("-0.001", "nol rupiah"),
    ];
    for (amount, want) in cases {
        assert_eq!(
            terbilang_rupiah(dec(amount)),
            want,
            "terbilang_rupiah({amount})"
        );
    }
}

#[test]
fn terbilang_rupiah_handles_the_largest_decimal() {
    let words = terbilang_rupiah(Decimal::MAX);
    assert!(
        words.starts_with("tujuh puluh sembilan oktiliun") && words.ends_with(" rupiah"),
        "Decimal::MAX is about 79 × 10^27 rupiah, got {words:?}"
    );
    assert!(
        terbilang_rupiah(Decimal::MIN).starts_with("minus "),
        "the minimum is negative"
    );
}

// ---- Money and quantities -----------------------------------------------------------------

#[test]
fn rupiah_groups_thousands_with_dots_and_shows_sen_only_when_present() {
    let cases = [
        ("1500000", "Rp1.500.000"),
        ("0", "Rp0"),
        ("0.00", "Rp0"),
        ("999", "Rp999"),
        ("1000", "Rp1.000"),
        ("123456789", "Rp123.456.789"),
        ("-25000", "-Rp25.000"),
        ("1500.50", "Rp1.500,50"),
        ("1500.5", "Rp1.500,50"),
        ("1500.05", "Rp1.500,05"),
        ("1500.00", "Rp1.500"),
        ("-1500.5", "-Rp1.500,50"),
        ("0.755", "Rp0,76"),
        ("-0.001", "Rp0"),
    ];
    for (amount, want) in cases {
        assert_eq!(rupiah(dec(amount)), want, "rupiah({amount})");
    }
    assert_eq!(
        rupiah(Decimal::MAX),
        "Rp79.228.162.514.264.337.593.543.950.335",
        "no overflow"
    );
}

#[test]
fn decimal_uses_a_decimal_comma_in_indonesian_and_a_point_in_english() {
    let cases = [
        ("1234.5", "1.234,5", "1,234.5"),
        ("12.5", "12,5", "12.5"),
        ("0.25", "0,25", "0.25"),
        ("3", "3", "3"),
        ("3.000", "3", "3"),
        ("12.50", "12,5", "12.5"),
        ("0", "0", "0"),
        ("0.000", "0", "0"),
        ("1000000", "1.000.000", "1,000,000"),
        ("-1234.5", "-1.234,5", "-1,234.5"),
        ("0.0001", "0,0001", "0.0001"),
        ("123", "123", "123"),
    ];
    for (q, id, en) in cases {
        assert_eq!(decimal(dec(q), Lang::Id), id, "Indonesian form of {q}");
        assert_eq!(decimal(dec(q), Lang::En), en, "English form of {q}");
    }
}

#[test]
fn decimal_never_uses_scientific_notation() {
    let tiny = Decimal::new(1, 28);
    assert_eq!(
        decimal(tiny, Lang::En),
        "0.0000000000000000000000000001",
        "10^-28 in full"
    );
    let big = Decimal::MAX;
    assert_eq!(
        decimal(big, Lang::En),
        "79,228,162,514,264,337,593,543,950,335",
        "max in full"
    );
}

#[test]
fn parse_decimal_reads_what_people_type_in_each_language() {
    let cases = [
        ("12,5", Lang::Id, "12.5"),
        ("1.234,5", Lang::Id, "1234.5"),
        ("1234", Lang::Id, "1234"),
        ("0,25", Lang::Id, "0.25"),
        ("12.5", Lang::Id, "12.5"),
        ("1234.56", Lang::Id, "1234.56"),
        ("1.234", Lang::Id, "1234"),
        ("1.234.567", Lang::Id, "1234567"),
        ("1.234.567,89", Lang::Id, "1234567.89"),
        ("  3  ", Lang::Id, "3"),
        ("-12,5", Lang::Id, "-12.5"),
        ("1,234.5", Lang::En, "1234.5"),
        ("12.5", Lang::En, "12.5"),
        ("1,234", Lang::En, "1234"),
        ("1.234", Lang::En, "1.234"),
        ("1234", Lang::En, "1234"),
        ("-0.25", Lang::En, "-0.25"),
    ];
    for (s, lang, want) in cases {
        assert_eq!(
            parse_decimal(s, lang),
            Some(dec(want)),
            "parse_decimal({s:?}, {lang:?})"
        );
    }
}

#[test]
fn parse_decimal_reads_a_lone_dot_before_three_digits_as_thousands_in_indonesian() {
    assert_eq!(
        parse_decimal("1.234", Lang::Id),
        Some(dec("1234")),
        "'1.234' is 1234 in Indonesian"
    );
    assert_eq!(
        parse_decimal("1.23", Lang::Id),
        Some(dec("1.23")),
        "two digits: a decimal point"
    );
    assert_eq!(
        parse_decimal("1.2345", Lang::Id),
        Some(dec("1.2345")),
        "four digits: a decimal point"
    );
}

#[test]
fn parse_decimal_rejects_malformed_input() {
    let cases = [
        ("", Lang::Id),
        ("   ", Lang::Id),
        ("-", Lang::Id),
        ("abc", Lang::Id),
        ("12a", Lang::Id),
        ("1e5", Lang::En),
        ("12,5,3", Lang::Id),
        ("1,2,3", Lang::Id),
        ("12.5.3", Lang::En),
        ("1.2.3", Lang::Id),
        ("1,234.5", Lang::Id),
        ("1.234,5", Lang::En),
        ("12,5", Lang::En),
        ("12.34,5", Lang::Id),
        (",5", Lang::Id),
        ("5,", Lang::Id),
        (".5", Lang::En),
        ("5.", Lang::En),
        ("--5", Lang::Id),
        ("+5", Lang::Id),
        ("1 234", Lang::Id),
        ("Rp1.000", Lang::Id),
        ("1.000.00", Lang::Id),
        ("0.250", Lang::Id),
        ("١٢", Lang::Id),
        ("99999999999999999999999999999999", Lang::En),
        ("1.00000000000000000000000000001", Lang::En),
    ];
    for (s, lang) in cases {
        assert_eq!(
            parse_decimal(s, lang),
            None,
            "{s:?} is not a {lang:?} number"
        );
    }
}

#[test]
fn parse_decimal_round_trips_what_decimal_prints() {
    let values = [
        "0",
        "3",
        "12.5",
        "0.25",
        "1234",
        "1234.5",
        "1.234",
        "1000000",
        "1234567.891",
        "-12.5",
        "-1234",
        "0.0001",
        "79228162514264337593543950335",
    ];
    for lang in [Lang::Id, Lang::En] {
        for v in values {
            let q = dec(v);
            let shown = decimal(q, lang);
            assert_eq!(
                parse_decimal(&shown, lang),
                Some(q),
                "{v} shown as {shown:?} in {lang:?}"
            );
        }
    }
}

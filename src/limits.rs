//! Every limit on what comes in, in one table (ARCHITECTURE.md lists it): checked before the
//! input is read whole, and refused with a message that names what and the limit.

/// A sheet to import (XLSX or CSV), as a file.
pub const IMPORT_FILE_BYTES: usize = 20 * 1024 * 1024;
/// An XLSX unpacked: all its parts together (a zip bomb is refused before it is read).
pub const IMPORT_UNZIPPED_BYTES: u64 = 100 * 1024 * 1024;
/// Parts in an XLSX.
pub const IMPORT_ZIP_ENTRIES: usize = 1_000;
/// Rows of a sheet (a large facility's whole registry fits).
pub const IMPORT_ROWS: u32 = 100_000;
/// Columns of a sheet.
pub const IMPORT_COLUMNS: u32 = 200;
/// Characters in one cell.
pub const IMPORT_CELL_CHARS: usize = 1_000;
/// A picture decoded (a QR photo or scan, a logo): its pixels, from its header.
pub const PICTURE_PIXELS: u64 = 48_000_000;
/// A picture file read for its QR code (a scan or a phone photo).
pub const PICTURE_FILE_BYTES: usize = 40 * 1024 * 1024;
/// A file kept with a record (a scan, a photo).
pub const ATTACHMENT_BYTES: usize = 8 * 1024 * 1024;

/// One quantity entered (a line received, a package line, an adjustment, a count), in its unit:
/// a million kilograms, litres or tins. Ten years of movements then sum far inside 64 bits.
pub const QUANTITY: i64 = 1_000_000;
/// One rupiah value entered (a line received): a hundred billion rupiah.
pub const RUPIAH: i64 = 100_000_000_000;

/// No date entered is before this (receipts, events, expiries, stock cards).
pub const EARLIEST_YEAR: i32 = 1900;
/// An event is planned at most this many days ahead.
pub const EVENT_DAYS_AHEAD: i64 = 366;
/// An expiry date is at most this many years after the goods were received.
pub const EXPIRY_YEARS_AHEAD: i32 = 30;

/// Refuses a date before [`EARLIEST_YEAR`] or after `latest`, at `field`.
pub fn check_date(
    d: chrono::NaiveDate,
    latest: chrono::NaiveDate,
    field: &str,
) -> crate::error::Result<()> {
    use crate::locale::{long_date, Lang};
    use chrono::Datelike;
    if d.year() < EARLIEST_YEAR {
        return Err(crate::error::Error::invalid(
            field,
            format!(
                "Tanggal {} terlalu lampau (paling awal tahun {EARLIEST_YEAR}).",
                long_date(d, Lang::Id)
            ),
            format!(
                "The date {} is too far back (not before {EARLIEST_YEAR}).",
                long_date(d, Lang::En)
            ),
        ));
    }
    if d > latest {
        return Err(crate::error::Error::invalid(
            field,
            format!(
                "Tanggal {} terlalu jauh ke depan (paling lambat {}).",
                long_date(d, Lang::Id),
                long_date(latest, Lang::Id)
            ),
            format!(
                "The date {} is too far ahead (at the latest {}).",
                long_date(d, Lang::En),
                long_date(latest, Lang::En)
            ),
        ));
    }
    Ok(())
}

/// "100.000" — a limit as people read it.
pub fn count(n: u64) -> String {
    crate::locale::decimal(rust_decimal::Decimal::from(n), crate::locale::Lang::Id)
}

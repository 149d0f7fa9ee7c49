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

/// "100.000" — a limit as people read it.
pub fn count(n: u64) -> String {
    crate::locale::decimal(rust_decimal::Decimal::from(n), crate::locale::Lang::Id)
}

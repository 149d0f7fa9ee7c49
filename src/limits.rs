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
/// A logo's pixels, from its header (it is printed 240 pixels high); its file 1 MB.
pub const LOGO_PIXELS: u64 = 16_000_000;
/// A picture file read for its QR code (a scan or a phone photo).
pub const PICTURE_FILE_BYTES: usize = 40 * 1024 * 1024;
/// A public summary file (PDF or HTML) read to be checked: a real one is tens of kilobytes,
/// more with a logo.
pub const SUMMARY_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Characters in a registry search (a name is at most 100, a NIK 16).
pub const SEARCH_CHARS: usize = 200;
/// A file kept with a record (a scan, a photo).
pub const ATTACHMENT_BYTES: usize = 8 * 1024 * 1024;

/// A backup file, and the database inside it (a large facility's ten years with scans fit).
pub const BACKUP_BYTES: u64 = 8 * 1024 * 1024 * 1024;
/// The manifest and the key file inside a backup.
pub const BACKUP_PART_BYTES: u64 = 1024 * 1024;
/// Parts in a backup (three are used).
pub const BACKUP_ENTRIES: usize = 8;

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

/// "100,000" — a limit as English readers read it.
pub fn count_en(n: u64) -> String {
    crate::locale::decimal(rust_decimal::Decimal::from(n), crate::locale::Lang::En)
}

/// "100.000" — a limit as people read it.
pub fn count(n: u64) -> String {
    crate::locale::decimal(rust_decimal::Decimal::from(n), crate::locale::Lang::Id)
}

// ---- Text -------------------------------------------------------------------------------------
// Lengths in characters (as SQLite's length() counts them). A free-text field is checked where it
// is entered, with a message naming it; the store backs every TEXT column with a trigger from
// migration 0010 (the table below; a test compares the two), so not even raw SQL stores more.

/// A person's name (a family member, an inmate, a proxy, a staff member, a head, a donor).
pub const NAME: usize = 100;
/// An address, a place, a donor's contact.
pub const ADDRESS: usize = 200;
/// A note or a reason written by a person.
pub const NOTE: usize = 500;
/// A short label: a relation, a position, a province, a class.
pub const LABEL: usize = 100;
/// A code or a document number typed by a person (a lot code, a receipt's reference, an
/// inmate's registration number, an item code).
pub const CODE: usize = 40;
/// A user name.
pub const USER: usize = 32;
/// A time written by the program (RFC 3339).
pub const STAMP: usize = 40;
/// A date written by the program (ISO, 10 characters).
pub const DATE: usize = 10;
/// A hash or key written by the program, in hex.
pub const HASH: usize = 128;
/// Items in a package: its BAST holds them all on one page with the signatures and QR code.
pub const PACKAGE_ITEMS: usize = 12;
/// Members of one family (a family card, Kartu Keluarga, lists far fewer).
pub const FAMILY_MEMBERS: usize = 40;
/// Lines (lots) of one stock receipt: a delivery note or a donation letter lists far fewer.
pub const RECEIPT_LINES: usize = 100;
/// Officials named on an event's attendance list.
pub const OFFICIALS: usize = 10;
/// A BAST's QR payload, in bytes: the most a QR code holds (version 40, byte mode, level L). A
/// longer text was never printed by a facility, and is refused unread.
pub const QR_PAYLOAD_BYTES: usize = 2_953;
/// A record the program composes (JSON lines of a hand-over, audit details, a mapping).
pub const RECORD: usize = 200_000;

/// Every TEXT column of the store with its limit (migration 0010 writes the same numbers). A
/// column that holds only listed values (a CHECK … IN) is bounded by its CHECK instead. `label`
/// names a column a person types into, for the refusal when only the store caught it.
pub struct StoreText {
    pub table: &'static str,
    pub column: &'static str,
    pub max: usize,
    pub label: Option<(&'static str, &'static str)>,
}

const fn t(table: &'static str, column: &'static str, max: usize) -> StoreText {
    StoreText {
        table,
        column,
        max,
        label: None,
    }
}

const fn typed(
    table: &'static str,
    column: &'static str,
    max: usize,
    id: &'static str,
    en: &'static str,
) -> StoreText {
    StoreText {
        table,
        column,
        max,
        label: Some((id, en)),
    }
}

pub const STORE_TEXT: &[StoreText] = &[
    typed("adjustment", "note", NOTE, "Catatan", "The note"),
    t("adjustment", "requested_by", USER),
    t("adjustment", "requested_at", STAMP),
    t("adjustment", "decided_by", USER),
    t("adjustment", "decided_at", STAMP),
    typed(
        "adjustment",
        "decision_note",
        NOTE,
        "Catatan keputusan",
        "The decision's note",
    ),
    t("attachment", "owner_kind", CODE),
    typed(
        "attachment",
        "file_name",
        255,
        "Nama berkas",
        "The file name",
    ),
    t("attachment", "mime", LABEL),
    t("attachment", "sha256", HASH),
    typed(
        "attachment",
        "note",
        NOTE,
        "Catatan berkas",
        "The file's note",
    ),
    t("attachment", "added_at", STAMP),
    t("attachment", "added_by", USER),
    t("audit_log", "at", STAMP),
    t("audit_log", "actor", 64),
    t("audit_log", "action", LABEL),
    t("audit_log", "entity", LABEL),
    // A record's id, a BAST number, or a file's name (an import, a backup).
    t("audit_log", "entity_id", 300),
    t("audit_log", "old", RECORD),
    t("audit_log", "new", RECORD),
    typed("donor", "name", NAME, "Nama donatur", "The donor's name"),
    t("donor", "name_key", 2 * NAME),
    typed(
        "donor",
        "contact",
        ADDRESS,
        "Kontak donatur",
        "The donor's contact",
    ),
    t("donor", "created_at", STAMP),
    t("duplicate_pair", "detail", 4_000),
    t("duplicate_pair", "detail_en", 4_000),
    t("duplicate_pair", "found_at", STAMP),
    t("duplicate_pair", "resolved_by", USER),
    t("duplicate_pair", "resolved_at", STAMP),
    typed("duplicate_pair", "note", NOTE, "Catatan", "The note"),
    t("event", "date", DATE),
    typed("event", "place", ADDRESS, "Tempat", "The place"),
    t("event", "officials", 20_000),
    typed(
        "event",
        "note",
        NOTE,
        "Catatan kegiatan",
        "The event's note",
    ),
    t("event", "created_at", STAMP),
    t("event", "created_by", USER),
    t("event", "approved_by", USER),
    t("event", "approved_at", STAMP),
    t("event", "closed_at", STAMP),
    typed(
        "event",
        "cancel_reason",
        NOTE,
        "Alasan pembatalan",
        "The reason for cancelling",
    ),
    t("event_recipient", "added_at", STAMP),
    t("event_recipient", "added_by", USER),
    typed("facility", "name", NAME, "Nama UPT", "The facility's name"),
    typed("facility", "class", LABEL, "Kelas", "The class"),
    typed("facility", "code", CODE, "Kode UPT", "The facility code"),
    typed("facility", "province", LABEL, "Provinsi", "The province"),
    typed("facility", "kanwil", NAME, "Kanwil", "The regional office"),
    typed(
        "facility",
        "address",
        ADDRESS,
        "Alamat UPT",
        "The facility's address",
    ),
    typed(
        "facility",
        "head_name",
        NAME,
        "Nama Kepala UPT",
        "The head's name",
    ),
    typed(
        "facility",
        "head_nip",
        CODE,
        "NIP Kepala UPT",
        "The head's NIP",
    ),
    typed(
        "facility",
        "receipt_pattern",
        LABEL,
        "Pola nomor BAST",
        "The BAST number pattern",
    ),
    t("facility", "created_at", STAMP),
    typed("family", "address", ADDRESS, "Alamat", "The address"),
    typed("family", "rt", 10, "RT", "The RT"),
    typed("family", "rw", 10, "RW", "The RW"),
    t("family", "region_code", 20),
    t("family", "region_table", CODE),
    typed("family", "phone", 30, "Nomor telepon", "The phone number"),
    typed("family", "wbp_name", NAME, "Nama WBP", "The inmate's name"),
    typed(
        "family",
        "wbp_reg_no",
        CODE,
        "Nomor registrasi WBP",
        "The inmate's registration number",
    ),
    t("family", "wbp_reg_key", HASH),
    typed(
        "family",
        "wbp_relation",
        LABEL,
        "Hubungan dengan WBP",
        "The relation to the inmate",
    ),
    t("family", "reasons", 2_000),
    typed(
        "family",
        "reason_note",
        NOTE,
        "Catatan alasan",
        "The note on the reasons",
    ),
    t("family", "consent_date", DATE),
    t("family", "verified_by", USER),
    t("family", "verified_at", STAMP),
    typed(
        "family",
        "evidence_note",
        NOTE,
        "Catatan bukti",
        "The evidence note",
    ),
    typed(
        "family",
        "inactive_reason",
        NOTE,
        "Alasan nonaktif",
        "The reason for deactivating",
    ),
    // "form", or "import:" and the sheet's file name.
    t("family", "source", 300),
    t("family", "created_at", STAMP),
    t("family", "created_by", USER),
    t("family", "updated_at", STAMP),
    t("handover", "bast_no", 2 * LABEL),
    t("handover", "date", DATE),
    t("handover", "at", STAMP),
    t("handover", "officer", USER),
    t("handover", "officer_name", NAME),
    t("handover", "officer_nip", CODE),
    t("handover", "officer_position", LABEL),
    typed(
        "handover",
        "recipient_name",
        NAME,
        "Nama penerima",
        "The recipient's name",
    ),
    t("handover", "recipient_nik", CODE),
    typed(
        "handover",
        "proxy_relation",
        LABEL,
        "Hubungan wakil",
        "The proxy's relation",
    ),
    t("handover", "items", RECORD),
    t("handover", "voided_at", STAMP),
    t("handover", "voided_by", USER),
    typed(
        "handover",
        "void_reason",
        NOTE,
        "Alasan pembatalan",
        "The reason for voiding",
    ),
    t("handover", "qr_payload", 4_000),
    t("handover", "ledger_hash", HASH),
    t("handover", "recipient_address", 2 * ADDRESS),
    t("handover", "wbp_line", 2 * ADDRESS),
    t("handover", "printed_at", STAMP),
    t("handover", "period", 20),
    t("handover", "head_name", NAME),
    t("import_mapping", "header_key", RECORD),
    t("import_mapping", "mapping", RECORD),
    t("import_mapping", "used_at", STAMP),
    typed("item", "code", CODE, "Kode barang", "The item code"),
    typed("item", "name", 60, "Nama barang", "The item's name"),
    typed("item", "unit", 20, "Satuan", "The unit"),
    t("item", "retired_at", STAMP),
    t("item", "created_at", STAMP),
    t("kk_history", "kk", 16),
    typed(
        "kk_history",
        "reason",
        NOTE,
        "Alasan perubahan KK",
        "The reason for the KK change",
    ),
    t("kk_history", "at", STAMP),
    t("kk_history", "by_user", USER),
    // A lot code typed is at most CODE; one the program makes from the item's code is longer.
    typed("lot", "lot_code", 60, "Kode lot", "The lot code"),
    t("lot", "expiry", DATE),
    t("lot_month", "month", 7),
    t("meta", "key", LABEL),
    t("meta", "value", 10_000),
    t("movement", "date", DATE),
    t("movement", "at", STAMP),
    t("movement", "doc_ref", LABEL),
    typed("movement", "note", NOTE, "Catatan", "The note"),
    t("movement", "actor", USER),
    t("movement", "ref_kind", 20),
    t("opname", "date", DATE),
    t("opname", "started_by", USER),
    t("opname", "started_at", STAMP),
    t("opname", "decided_by", USER),
    t("opname", "decided_at", STAMP),
    typed("opname", "note", NOTE, "Catatan opname", "The count's note"),
    t("opname_line", "counted_by", USER),
    t("opname_line", "counted_at", STAMP),
    typed(
        "package_template",
        "name",
        NAME,
        "Nama paket",
        "The package's name",
    ),
    t("package_template", "created_at", STAMP),
    t("package_template", "created_by", USER),
    t("person", "name", NAME),
    t("person", "name_key", 2 * NAME),
    t("person", "nik", 16),
    t("person", "birth_date", DATE),
    t("person", "relationship", LABEL),
    t("receipt", "date", DATE),
    typed(
        "receipt",
        "source_note",
        ADDRESS,
        "Keterangan sumber",
        "The source's note",
    ),
    typed(
        "receipt",
        "doc_ref",
        LABEL,
        "Nomor dokumen",
        "The document number",
    ),
    typed(
        "receipt",
        "received_by",
        NAME,
        "Diterima oleh",
        "Received by",
    ),
    typed("receipt", "note", NOTE, "Catatan", "The note"),
    t("receipt", "created_at", STAMP),
    t("receipt", "created_by", USER),
    typed(
        "regional_key",
        "label",
        NAME,
        "Nama kunci Kanwil",
        "The regional key's label",
    ),
    t("regional_key", "added_at", STAMP),
    t("regional_key", "removed_at", STAMP),
    t("staff", "username", USER),
    typed("staff", "full_name", NAME, "Nama lengkap", "The full name"),
    t("staff", "nip", CODE),
    typed("staff", "position", LABEL, "Jabatan", "The position"),
    typed(
        "staff",
        "inactive_reason",
        NOTE,
        "Alasan nonaktif",
        "The reason for deactivating",
    ),
    t("staff", "created_at", STAMP),
    t("month_close", "closed_at", STAMP),
    t("month_close", "closed_by", USER),
    t("month_close", "closed_by_name", NAME),
    t("month_close", "audit_head", HASH),
    t("month_close", "totals", RECORD),
    t("month_close", "report_sha256", HASH),
    t("month_close", "pdf_sha256", HASH),
    t("month_close", "xlsx_sha256", HASH),
    t("month_close", "reopened_at", STAMP),
    t("month_close", "reopened_by", USER),
    typed(
        "month_close",
        "reopen_reason",
        NOTE,
        "Alasan membuka kembali",
        "The reason for reopening",
    ),
    t("exchange_identity", "recipient", LABEL),
    t("exchange_identity", "created_at", STAMP),
    t("province_key", "id", LABEL),
    t("province_key", "added_at", STAMP),
    t("enrollment", "kanwil_code", CODE),
    t("enrollment", "imported_at", STAMP),
    t("enrollment", "imported_by", USER),
    t("bundle", "made_at", STAMP),
    t("bundle", "sent_at", STAMP),
    t("bundle", "sent_to", 1_000),
    t("bundle", "answered_at", STAMP),
    t("bundle", "next_try_at", STAMP),
    t("bundle", "last_error", 1_000),
    t("bundle", "uploaded_at", STAMP),
    t("member", "code", CODE),
    t("member", "name", NAME),
    t("member", "recipient", LABEL),
    t("member", "registered_at", STAMP),
    t("member", "registered_by", USER),
    t("member", "revoked_at", STAMP),
    t("member", "revoked_by", USER),
    t("member", "revoke_reason", NOTE),
    t("member_key", "member", CODE),
    t("member_key", "added_at", STAMP),
    t("member_key", "revoked_at", STAMP),
    t("member_key", "retired_at", STAMP),
    t("facility_key_history", "retired_at", STAMP),
    t("facility_key_history", "retired_by", USER),
    t("facility_key_history", "reason", NOTE),
    t("inbox", "member", CODE),
    t("inbox", "received_at", STAMP),
    t("inbox", "decided_at", STAMP),
    t("refusal", "at", STAMP),
    t("refusal", "member", CODE),
    t("refusal", "file_name", 1_000),
];

/// The entry for `table.column`.
pub fn store_text(table: &str, column: &str) -> Option<&'static StoreText> {
    STORE_TEXT
        .iter()
        .find(|s| s.table == table && s.column == column)
}

/// Checks one free-text field as typed: no control characters other than line breaks and tabs,
/// at most `max` characters. `what` names it in both languages ("Catatan", "The note").
pub fn check_text(
    field: &str,
    value: &str,
    max: usize,
    what: (&str, &str),
) -> crate::error::Result<()> {
    let n = value.chars().count();
    if n > max {
        return Err(crate::error::Error::invalid(
            field,
            format!(
                "{} terlalu panjang: {} karakter (paling banyak {}).",
                what.0,
                count(n as u64),
                count(max as u64)
            ),
            format!(
                "{} is too long: {} characters (at most {}).",
                what.1,
                count_en(n as u64),
                count_en(max as u64)
            ),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(crate::error::Error::invalid(
            field,
            format!(
                "{} memuat karakter kendali yang tidak dapat dicetak.",
                what.0
            ),
            format!(
                "{} holds a control character that cannot be printed.",
                what.1
            ),
        ));
    }
    Ok(())
}

//! Reading a BNBA sheet (XLSX or CSV) into rows, and guessing which column is which.
//! CSV comes in whatever the office PC wrote: UTF-8 with or without BOM, UTF-16 with BOM, or
//! Windows-1252; separated by commas, semicolons (Indonesian Excel) or tabs.

use super::model::{
    mask_nik, Category, FamilyInput, MemberInput, Problem, Relationship, ValidFamily, WbpStatus,
};
use super::nik::Sex;
use crate::db::Db as Connection;
use crate::error::{Error, ErrorKind, Result};
use crate::locale::Lang;
use crate::region::Regions;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportField {
    Nik,
    Nama,
    NoKk,
    JenisKelamin,
    TanggalLahir,
    Alamat,
    Rt,
    Rw,
    RtRw,
    KodeWilayah,
    Telepon,
    Kategori,
    NamaWbp,
    NoRegWbp,
    StatusWbp,
}

impl ImportField {
    pub const ALL: [ImportField; 15] = [
        ImportField::Nik,
        ImportField::Nama,
        ImportField::NoKk,
        ImportField::JenisKelamin,
        ImportField::TanggalLahir,
        ImportField::Alamat,
        ImportField::Rt,
        ImportField::Rw,
        ImportField::RtRw,
        ImportField::KodeWilayah,
        ImportField::Telepon,
        ImportField::Kategori,
        ImportField::NamaWbp,
        ImportField::NoRegWbp,
        ImportField::StatusWbp,
    ];

    pub fn label_id(self) -> &'static str {
        match self {
            ImportField::Nik => "NIK",
            ImportField::Nama => "Nama",
            ImportField::NoKk => "No. KK",
            ImportField::JenisKelamin => "Jenis kelamin",
            ImportField::TanggalLahir => "Tanggal lahir",
            ImportField::Alamat => "Alamat",
            ImportField::Rt => "RT",
            ImportField::Rw => "RW",
            ImportField::RtRw => "RT/RW",
            ImportField::KodeWilayah => "Kode wilayah",
            ImportField::Telepon => "Telepon",
            ImportField::Kategori => "Kategori",
            ImportField::NamaWbp => "Nama WBP",
            ImportField::NoRegWbp => "No. registrasi WBP",
            ImportField::StatusWbp => "Status WBP",
        }
    }

    /// The same in English.
    pub fn label_en(self) -> &'static str {
        match self {
            ImportField::Nik => "NIK",
            ImportField::Nama => "Name",
            ImportField::NoKk => "Family card no. (No. KK)",
            ImportField::JenisKelamin => "Sex",
            ImportField::TanggalLahir => "Birth date",
            ImportField::Alamat => "Address",
            ImportField::Rt => "RT",
            ImportField::Rw => "RW",
            ImportField::RtRw => "RT/RW",
            ImportField::KodeWilayah => "Region code",
            ImportField::Telepon => "Phone",
            ImportField::Kategori => "Category",
            ImportField::NamaWbp => "Inmate's name",
            ImportField::NoRegWbp => "Inmate registration no.",
            ImportField::StatusWbp => "Inmate status",
        }
    }

    /// The family-form field a column feeds (so a validation error names the column).
    pub fn form_field(self) -> &'static str {
        match self {
            ImportField::Nik => "member.0.nik",
            ImportField::Nama => "member.0.name",
            ImportField::NoKk => "kk",
            ImportField::JenisKelamin => "member.0.sex",
            ImportField::TanggalLahir => "member.0.birth_date",
            ImportField::Alamat => "address",
            ImportField::Rt | ImportField::RtRw => "rt",
            ImportField::Rw => "rw",
            ImportField::KodeWilayah => "region_code",
            ImportField::Telepon => "phone",
            ImportField::Kategori => "category",
            ImportField::NamaWbp => "wbp_name",
            ImportField::NoRegWbp => "wbp_reg_no",
            ImportField::StatusWbp => "wbp_status",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e17 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%d-%m-%Y").to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SheetRow {
    /// The row number a person sees in the spreadsheet (1-based).
    pub line: u32,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
    /// "UTF-8", "UTF-16LE", "windows-1252", or "XLSX".
    pub encoding: String,
}

fn unreadable(file: &str, why_id: String, why_en: String) -> Error {
    Error::new(
        ErrorKind::Invalid,
        format!("Berkas {file} tidak dapat dibaca: {why_id}"),
        format!("The file {file} cannot be read: {why_en}"),
    )
    .with_field("file")
}

/// Reads an XLSX or CSV file (chosen by its content, not only its name).
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Sheet> {
    if bytes.is_empty() {
        return Err(unreadable(
            file_name,
            "berkasnya kosong.".into(),
            "the file is empty.".into(),
        ));
    }
    let raw = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(file_name, bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(unreadable(
            file_name,
            "ini berkas Excel lama (.xls). Simpan ulang sebagai .xlsx atau CSV.".into(),
            "this is an old Excel file (.xls). Save it again as .xlsx or CSV.".into(),
        ));
    } else {
        read_csv(file_name, bytes)?
    };
    let (rows, encoding) = raw;
    // The header is the first row (of the first ten) that names a NIK or NAMA column; BNBA
    // sheets often start with a title and the facility's name above the table.
    let non_empty: Vec<&SheetRow> = rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .collect();
    let header_pos = non_empty
        .iter()
        .take(10)
        .position(|r| {
            r.cells
                .iter()
                .any(|c| matches!(guess(&c.text()), Some(ImportField::Nik | ImportField::Nama)))
        })
        .unwrap_or(0);
    let Some(header) = non_empty.get(header_pos) else {
        return Err(unreadable(
            file_name,
            "tidak ada baris berisi.".into(),
            "there are no rows with data.".into(),
        ));
    };
    let header_line = header.line;
    let headers: Vec<String> = header.cells.iter().map(Cell::text).collect();
    let rows = rows.into_iter().filter(|r| r.line > header_line).collect();
    Ok(Sheet {
        headers,
        rows,
        encoding,
    })
}

/// A sheet over a limit: names the file, what is too large and the limit.
fn too_large(file: &str, what_id: String, what_en: String) -> Error {
    unreadable(
        file,
        format!("{what_id}. Bagi menjadi beberapa berkas."),
        format!("{what_en}. Split it into several files."),
    )
}

/// Checks an XLSX's parts before anything reads them: not too many, and together not larger
/// unpacked than the limit — counted by unpacking each part into nothing, so a part that lies
/// about its size is caught too (a zip bomb costs a bounded read, never memory).
fn check_zip(file_name: &str, bytes: &[u8]) -> Result<()> {
    use crate::limits::{IMPORT_UNZIPPED_BYTES, IMPORT_ZIP_ENTRIES};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| {
        unreadable(
            file_name,
            "bukan berkas XLSX yang utuh.".into(),
            "not a whole XLSX file.".into(),
        )
    })?;
    if zip.len() > IMPORT_ZIP_ENTRIES {
        return Err(too_large(
            file_name,
            format!(
                "berisi {} bagian (paling banyak {})",
                zip.len(),
                IMPORT_ZIP_ENTRIES
            ),
            format!(
                "it holds {} parts (at most {})",
                zip.len(),
                IMPORT_ZIP_ENTRIES
            ),
        ));
    }
    let over = || {
        too_large(
            file_name,
            format!(
                "isinya lebih dari {} MB bila dibuka",
                IMPORT_UNZIPPED_BYTES / 1_048_576
            ),
            format!(
                "it holds more than {} MB when unpacked",
                IMPORT_UNZIPPED_BYTES / 1_048_576
            ),
        )
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|_| {
            unreadable(
                file_name,
                "bukan berkas XLSX yang utuh.".into(),
                "not a whole XLSX file.".into(),
            )
        })?;
        total = total.saturating_add(entry.size());
        if total > IMPORT_UNZIPPED_BYTES {
            return Err(over());
        }
        let left = IMPORT_UNZIPPED_BYTES - (total - entry.size());
        let mut limited = std::io::Read::take(entry, left + 1);
        let n = std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| {
            unreadable(
                file_name,
                "salah satu bagiannya rusak.".into(),
                "one of its parts is damaged.".into(),
            )
        })?;
        if n > left {
            return Err(over());
        }
    }
    Ok(())
}

/// Reads the first sheet with cells, cell by cell (never the whole declared range: a sheet may
/// claim A1:XFD1048576), refusing a cell beyond the row or column limit or longer than the cell
/// limit as soon as it is met.
fn read_xlsx(file_name: &str, bytes: &[u8]) -> Result<(Vec<SheetRow>, String)> {
    use crate::limits::{IMPORT_CELL_CHARS, IMPORT_COLUMNS, IMPORT_ROWS};
    use calamine::{DataRef, Reader, Xlsx};
    check_zip(file_name, bytes)?;
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| {
        unreadable(
            file_name,
            "bukan berkas XLSX yang utuh.".into(),
            "not a whole XLSX file.".into(),
        )
    })?;
    let names = wb.sheet_names().to_vec();
    for name in names {
        let damaged = || {
            unreadable(
                file_name,
                format!("lembar {name} rusak."),
                format!("sheet {name} is damaged."),
            )
        };
        let mut cells = wb.worksheet_cells_reader(&name).map_err(|_| damaged())?;
        let mut rows: std::collections::BTreeMap<u32, Vec<Cell>> = Default::default();
        while let Some(c) = cells.next_cell().map_err(|_| damaged())? {
            let (r, col) = c.get_position();
            if r >= IMPORT_ROWS + 10 {
                return Err(too_large(
                    file_name,
                    format!(
                        "lembar {name} punya isi di baris {} (paling banyak {} baris)",
                        crate::limits::count(u64::from(r) + 1),
                        crate::limits::count(u64::from(IMPORT_ROWS))
                    ),
                    format!(
                        "sheet {name} has data in row {} (at most {} rows)",
                        u64::from(r) + 1,
                        IMPORT_ROWS
                    ),
                ));
            }
            if col >= IMPORT_COLUMNS {
                return Err(too_large(
                    file_name,
                    format!(
                        "lembar {name} punya isi di kolom ke-{} (paling banyak {} kolom)",
                        u64::from(col) + 1,
                        IMPORT_COLUMNS
                    ),
                    format!(
                        "sheet {name} has data in column {} (at most {} columns)",
                        u64::from(col) + 1,
                        IMPORT_COLUMNS
                    ),
                ));
            }
            let cell = match c.get_value() {
                DataRef::Empty => Cell::Empty,
                DataRef::String(s) => Cell::Text(s.clone()),
                DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
                DataRef::Float(f) => Cell::Number(*f),
                DataRef::Int(n) => Cell::Number(*n as f64),
                DataRef::Bool(b) => Cell::Text(b.to_string()),
                // calamine's conversion panics on serials far outside the calendar (a NIK
                // typed as a number in a date-formatted column): only real dates are converted.
                DataRef::DateTime(d) if is_excel_serial(d.as_f64()) => d
                    .as_datetime()
                    .map(|t| Cell::Date(t.date()))
                    .unwrap_or(Cell::Number(d.as_f64())),
                DataRef::DateTime(d) => Cell::Number(d.as_f64()),
                DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
                DataRef::Error(_) => Cell::Text("#ERROR".into()),
            };
            if let Cell::Text(t) = &cell {
                if t.chars().count() > IMPORT_CELL_CHARS {
                    return Err(too_large(
                        file_name,
                        format!(
                            "sel di baris {} lembar {name} berisi lebih dari {} huruf",
                            u64::from(r) + 1,
                            crate::limits::count(IMPORT_CELL_CHARS as u64)
                        ),
                        format!(
                            "a cell in row {} of sheet {name} holds more than {} characters",
                            u64::from(r) + 1,
                            IMPORT_CELL_CHARS
                        ),
                    ));
                }
            }
            let row = rows.entry(r).or_default();
            if row.len() <= col as usize {
                row.resize(col as usize + 1, Cell::Empty);
            }
            row[col as usize] = cell;
        }
        if rows.is_empty() {
            continue;
        }
        let rows = rows
            .into_iter()
            .map(|(r, cells)| SheetRow { line: r + 1, cells })
            .collect();
        return Ok((rows, "XLSX".into()));
    }
    Err(unreadable(
        file_name,
        "semua lembarnya kosong.".into(),
        "all its sheets are empty.".into(),
    ))
}

/// Decodes CSV text: a BOM decides; else UTF-8 if it is valid UTF-8; else Windows-1252 (what
/// Excel on an Indonesian Windows writes as "CSV").
pub fn decode(bytes: &[u8]) -> (String, String) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name().to_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), "UTF-8".into()),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), "windows-1252".into())
        }
    }
}

fn read_csv(file_name: &str, bytes: &[u8]) -> Result<(Vec<SheetRow>, String)> {
    let (text, encoding) = decode(bytes);
    if text.contains('\0') {
        return Err(unreadable(
            file_name,
            "bukan berkas teks CSV atau XLSX.".into(),
            "not a CSV text or XLSX file.".into(),
        ));
    }
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |d: char| {
        let mut quoted = false;
        first
            .chars()
            .filter(|c| {
                if *c == '"' {
                    quoted = !quoted;
                }
                !quoted && *c == d
            })
            .count()
    };
    let delim = [(';', count(';')), ('\t', count('\t')), (',', count(','))]
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(d, _)| d)
        .unwrap_or(',');
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    use crate::limits::{IMPORT_CELL_CHARS, IMPORT_COLUMNS, IMPORT_ROWS};
    let mut rows = Vec::new();
    let bytes = text.as_bytes();
    let mut rec = csv::StringRecord::new();
    // Lines are counted from where the last record started, so the whole file is walked once.
    let (mut counted_to, mut line) = (0usize, 1u32);
    loop {
        // Where the next record starts: the reader's position, past any blank lines it skips.
        let mut start = rdr.position().byte() as usize;
        let more = rdr.read_record(&mut rec).map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            unreadable(
                file_name,
                format!("baris {line} tidak dapat diurai (tanda kutip tidak seimbang?)."),
                format!("line {line} cannot be parsed (unbalanced quotes?)."),
            )
        })?;
        if !more {
            break;
        }
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        // The line a text editor shows for the record's first byte.
        let start = start.min(bytes.len()).max(counted_to);
        line += bytes[counted_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u32;
        counted_to = start;
        if rows.len() as u32 >= IMPORT_ROWS + 10 {
            return Err(too_large(
                file_name,
                format!(
                    "lebih dari {} baris",
                    crate::limits::count(u64::from(IMPORT_ROWS))
                ),
                format!("more than {IMPORT_ROWS} rows"),
            ));
        }
        if rec.len() > IMPORT_COLUMNS as usize {
            return Err(too_large(
                file_name,
                format!(
                    "baris {line} punya {} kolom (paling banyak {IMPORT_COLUMNS})",
                    rec.len()
                ),
                format!(
                    "line {line} has {} columns (at most {IMPORT_COLUMNS})",
                    rec.len()
                ),
            ));
        }
        if rec.iter().any(|c| c.chars().count() > IMPORT_CELL_CHARS) {
            return Err(too_large(
                file_name,
                format!(
                    "sel di baris {line} berisi lebih dari {} huruf",
                    crate::limits::count(IMPORT_CELL_CHARS as u64)
                ),
                format!("a cell in line {line} holds more than {IMPORT_CELL_CHARS} characters"),
            ));
        }
        rows.push(SheetRow {
            line,
            cells: rec
                .iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_owned())
                    }
                })
                .collect(),
        });
    }
    Ok((rows, encoding))
}

fn norm_header(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The field a header most likely names, from the headers seen on BNBA and DTKS sheets.
pub fn guess(header: &str) -> Option<ImportField> {
    let h = norm_header(header);
    if h.is_empty() {
        return None;
    }
    let has = |s: &str| h.contains(s);
    let wbp = has("WBP") || has("NAPI") || has("TAHANAN") || has("WARGABINAAN");
    Some(
        if has("KARTUKELUARGA") || h == "KK" || has("NOKK") || has("NOMORKK") || h.starts_with("KK")
        {
            ImportField::NoKk
        } else if wbp && (has("REG") || has("NOMOR") || h.starts_with("NO")) {
            ImportField::NoRegWbp
        } else if wbp && has("STATUS") {
            ImportField::StatusWbp
        } else if wbp && has("NAMA") {
            ImportField::NamaWbp
        } else if has("NIK") || has("KTP") || has("INDUKKEPENDUDUKAN") {
            ImportField::Nik
        } else if h.starts_with("NAMA") || h == "PENERIMA" || h == "NAME" {
            ImportField::Nama
        } else if h == "JK" || h == "LP" || has("JENISKELAMIN") || h == "SEX" || h == "GENDER" {
            ImportField::JenisKelamin
        } else if has("LAHIR") || h == "TTL" || h == "TGLLHR" {
            ImportField::TanggalLahir
        } else if h == "RTRW" {
            ImportField::RtRw
        } else if h == "RT" {
            ImportField::Rt
        } else if h == "RW" {
            ImportField::Rw
        } else if has("KODEWILAYAH")
            || has("KODEDESA")
            || (has("KODEKEL") && !has("KODEKELUARGA"))
            || has("KDDESA")
        {
            ImportField::KodeWilayah
        } else if has("ALAMAT") || h == "DUSUN" {
            ImportField::Alamat
        } else if has("TELEPON")
            || has("TELP")
            || h == "HP"
            || has("NOHP")
            || h == "WA"
            || has("PONSEL")
        {
            ImportField::Telepon
        } else if has("KATEGORI") {
            ImportField::Kategori
        } else {
            return None;
        },
    )
}

/// A column mapping guessed from the headers; a field already taken is not given twice.
pub fn guess_mapping(headers: &[String]) -> Vec<Option<ImportField>> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let g = guess(h).filter(|f| !taken.contains(f));
            if let Some(f) = g {
                taken.push(f);
            }
            g
        })
        .collect()
}

/// Sheets with the same headers share a remembered mapping. Headers whose key would be longer
/// than a few thousand characters (up to 200 columns of 1,000 each, which normalising may
/// lengthen) are remembered by the key's SHA-256 instead: a key never reaches the store's limit,
/// and the keys of ordinary sheets stay as they were.
pub fn header_key(headers: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let key = headers
        .iter()
        .map(|h| norm_header(h))
        .collect::<Vec<_>>()
        .join("|");
    if key.chars().count() <= HEADER_KEY_CHARS {
        return key;
    }
    format!("sha256:{}", hex::encode(Sha256::digest(key.as_bytes())))
}

/// The longest header key kept as it is (see [`header_key`]).
const HEADER_KEY_CHARS: usize = 4_000;

/// A problem in one cell, before the row reaches the family rules.
pub struct CellProblem {
    pub field: ImportField,
    pub id: String,
    pub en: String,
}

fn cell_problem(field: ImportField, id: String, en: String) -> CellProblem {
    CellProblem { field, id, en }
}

/// An identity number from a cell. Excel keeps only 15 significant digits of a number, so a
/// 16-digit NIK typed into a number cell may have lost its last digit: refused, not guessed.
fn number_cell(field: ImportField, c: &Cell) -> Result<String, CellProblem> {
    let what = field.label_id();
    match c {
        Cell::Number(_) => Err(cell_problem(
            field,
            format!("{what} tersimpan sebagai angka di Excel, yang hanya menyimpan 15 digit; digit terakhirnya bisa berubah. Format kolom sebagai Teks dan ketik ulang."),
            format!("{what} is stored as a number in Excel, which keeps only 15 digits; its last digit may have changed. Format the column as Text and type it again."),
        )),
        _ => {
            let t = c.text();
            if t.contains(['E', 'e']) && t.contains(['.', ',']) && t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                return Err(cell_problem(
                    field,
                    format!("{what} '{t}' tertulis dalam notasi ilmiah (Excel mengubahnya); digitnya sudah hilang. Format kolom sebagai Teks dan ketik ulang."),
                    format!("{what} '{t}' is in scientific notation (Excel changed it); its digits are lost. Format the column as Text and type it again."),
                ));
            }
            // A leading apostrophe is how people force text in Excel.
            Ok(t.trim_start_matches('\'').to_owned())
        }
    }
}

/// Whether `n` is an Excel serial date between 1 January 1900 and 31 December 9999.
fn is_excel_serial(n: f64) -> bool {
    n.is_finite() && (1.0..=2_958_465.0).contains(&n)
}

fn date_cell(c: &Cell) -> Result<Option<String>, CellProblem> {
    Ok(match c {
        Cell::Empty => None,
        Cell::Date(d) => Some(d.to_string()),
        // An Excel serial date (days since 1899-12-30). Any other number (a NIK in the date
        // column) is passed on as written, and the form's check names it as not a date.
        Cell::Number(n) if is_excel_serial(*n) => {
            let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
            chrono::Duration::try_days(*n as i64)
                .and_then(|days| base.checked_add_signed(days))
                .map(|d| d.to_string())
        }
        Cell::Number(n) => Some(n.to_string()),
        Cell::Text(t) => {
            // "Blora, 07-08-1990" (tempat, tanggal lahir): the date is after the last comma.
            let t = t.rsplit(',').next().unwrap_or(t).trim();
            (!t.is_empty()).then(|| t.to_owned())
        }
    })
}

/// Turns one sheet row into a family form (head only). `default_category` applies when the
/// sheet has no category column or the cell is empty.
pub fn row_to_input(
    mapping: &[Option<ImportField>],
    row: &SheetRow,
    default_category: Category,
) -> Result<FamilyInput, CellProblem> {
    let mut f = FamilyInput::blank(default_category);
    let mut head = MemberInput {
        id: None,
        name: String::new(),
        nik: String::new(),
        nik_temporary: false,
        sex: None,
        birth_date: None,
        relationship: Relationship::KepalaKeluarga,
    };
    for (i, field) in mapping.iter().enumerate() {
        let Some(field) = field else { continue };
        let c = row.cells.get(i).unwrap_or(&Cell::Empty);
        let t = c.text();
        match field {
            ImportField::Nik => head.nik = number_cell(*field, c)?,
            ImportField::Nama => head.name = t,
            ImportField::NoKk => f.kk = number_cell(*field, c)?,
            ImportField::JenisKelamin => {
                let u = norm_header(&t);
                head.sex = match u.as_str() {
                    "" => None,
                    "L" | "LK" | "LAKILAKI" | "PRIA" | "M" => Some(Sex::L),
                    "P" | "PR" | "PEREMPUAN" | "WANITA" | "F" | "W" => Some(Sex::P),
                    _ => {
                        return Err(cell_problem(
                            *field,
                            format!("jenis kelamin '{t}' tidak dikenal (tulis L atau P)."),
                            format!("sex '{t}' is not known (write L or P)."),
                        ))
                    }
                }
            }
            ImportField::TanggalLahir => head.birth_date = date_cell(c)?,
            ImportField::Alamat => f.address = t,
            ImportField::Rt => f.rt = t,
            ImportField::Rw => f.rw = t,
            ImportField::RtRw => {
                let (rt, rw) = t.split_once(['/', '-']).unwrap_or((&t, ""));
                f.rt = rt.trim().to_owned();
                f.rw = rw.trim().to_owned();
            }
            ImportField::KodeWilayah => f.region_code = number_cell(*field, c).unwrap_or(t),
            ImportField::Telepon => f.phone = t.trim_start_matches('\'').to_owned(),
            ImportField::Kategori => {
                let u = norm_header(&t);
                if !u.is_empty() {
                    f.category = if u.contains("WBP")
                        || u.contains("NAPI")
                        || u.contains("KELUARGA")
                    {
                        Category::KeluargaWbp
                    } else if u.contains("MASYARAKAT")
                        || u.contains("SEKITAR")
                        || u.contains("UMUM")
                    {
                        Category::MasyarakatSekitar
                    } else {
                        return Err(cell_problem(
                            *field,
                            format!("kategori '{t}' tidak dikenal (keluarga WBP atau masyarakat sekitar)."),
                            format!("category '{t}' is not known (keluarga WBP or masyarakat sekitar)."),
                        ));
                    };
                }
            }
            ImportField::NamaWbp => f.wbp_name = t,
            ImportField::NoRegWbp => f.wbp_reg_no = t,
            ImportField::StatusWbp => {
                let u = norm_header(&t);
                f.wbp_status = match u.as_str() {
                    "" => None,
                    "DITAHAN" | "TAHANAN" | "NAPI" | "AKTIF" => Some(WbpStatus::Ditahan),
                    "BEBAS" => Some(WbpStatus::Bebas),
                    "PINDAH" | "MUTASI" => Some(WbpStatus::Pindah),
                    _ => {
                        return Err(cell_problem(
                            *field,
                            format!("status WBP '{t}' tidak dikenal (ditahan, bebas, pindah)."),
                            format!("inmate status '{t}' is not known (ditahan, bebas, pindah)."),
                        ))
                    }
                }
            }
        }
    }
    if f.category == Category::KeluargaWbp && f.wbp_status.is_none() && !f.wbp_name.is_empty() {
        f.wbp_status = Some(WbpStatus::Ditahan);
    }
    f.members = vec![head];
    Ok(f)
}

/// True if the row has nothing in any mapped column.
pub fn row_is_empty(mapping: &[Option<ImportField>], row: &SheetRow) -> bool {
    mapping
        .iter()
        .enumerate()
        .all(|(i, m)| m.is_none() || row.cells.get(i).is_none_or(Cell::is_empty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_carry_the_line_a_person_sees() {
        let (rows, _) = read_csv(
            "x.csv",
            b"TITLE;;\r\n;;\r\nNIK;NAMA;X\r\n1;a;b\r\n\r\n2;c;d\r\n",
        )
        .unwrap();
        let lines: Vec<u32> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 6]);
    }

    /// An ordinary sheet's key is its headers, as before; the longest a sheet may have (200
    /// columns of 1,000 letters, ß becoming SS) is remembered by a hash that fits the store.
    #[test]
    fn header_keys_stay_within_the_store_however_long_the_headers() {
        let ordinary = vec!["NIK".to_owned(), "Nama Lengkap".to_owned()];
        assert_eq!(header_key(&ordinary), "NIK|NAMALENGKAP");
        let longest: Vec<String> = (0..crate::limits::IMPORT_COLUMNS)
            .map(|i| format!("{i:03}{}", "ß".repeat(crate::limits::IMPORT_CELL_CHARS - 3)))
            .collect();
        let key = header_key(&longest);
        assert!(key.starts_with("sha256:") && key.len() == 7 + 64, "{key}");
        let mut other = longest.clone();
        other[199].push('x');
        assert_ne!(header_key(&other), key, "other headers, another key");
        assert_eq!(header_key(&longest), key, "the same headers, the same key");
    }

    #[test]
    fn the_exports_family_code_is_not_taken_for_a_village_code() {
        assert_eq!(guess("Kode Keluarga"), None);
        assert_eq!(guess("Kode Kelurahan"), Some(ImportField::KodeWilayah));
        assert_eq!(guess("KODE DESA"), Some(ImportField::KodeWilayah));
    }
}

// ----- planning an import ----------------------------------------------------------------------

/// Largest sheet accepted for import.
pub const MAX_BYTES: usize = crate::limits::IMPORT_FILE_BYTES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RowStatus {
    Ok,
    Error,
    Empty,
}

/// One row of an import preview: fine, wrong (one clear reason), or empty and skipped.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    pub line: u32,
    pub status: RowStatus,
    pub name: String,
    /// Masked unless the role sees NIKs in lists.
    pub nik: String,
    /// The column header the problem is in.
    pub column: Option<String>,
    pub message: Option<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub file_name: String,
    /// How the file was read: "XLSX", "UTF-8", "UTF-16LE", "windows-1252".
    pub encoding: String,
    pub headers: Vec<String>,
    pub mapping: Vec<Option<ImportField>>,
    /// The mapping came from an earlier import of a sheet with the same headers.
    pub mapping_remembered: bool,
    /// Why the rows could not be checked yet (no NIK or NAMA column mapped); `rows` is then empty.
    pub mapping_problem: Option<String>,
    pub rows: Vec<PreviewRow>,
    pub ok: u32,
    pub errors: u32,
    pub empty: u32,
    pub warnings: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportResult {
    pub imported: u32,
    pub skipped_errors: u32,
    pub skipped_empty: u32,
    pub pairs_recorded: u32,
    pub first_code: Option<String>,
    pub last_code: Option<String>,
}

pub fn unmapped() -> Error {
    Error::invalid(
        "mapping",
        "Tentukan kolom NIK dan kolom NAMA (paling sedikit dua kolom itu).",
        "Choose the NIK column and the NAMA column (at least those two).",
    )
}

fn mapping_for(
    conn: &Connection,
    sheet: &Sheet,
    given: Option<&[Option<ImportField>]>,
) -> Result<(Vec<Option<ImportField>>, bool)> {
    if let Some(m) = given {
        if m.len() != sheet.headers.len() {
            return Err(Error::invalid(
                "mapping",
                "Pemetaan kolom tidak sesuai dengan jumlah kolom berkas.",
                "The column mapping does not match the file's columns.",
            ));
        }
        let mut seen = Vec::new();
        for f in m.iter().flatten() {
            if seen.contains(f) {
                return Err(Error::invalid(
                    "mapping",
                    format!("Kolom '{}' dipetakan dua kali.", f.label_id()),
                    format!("'{}' is mapped to two columns.", f.label_en()),
                ));
            }
            seen.push(*f);
        }
        return Ok((m.to_vec(), false));
    }
    let key = header_key(&sheet.headers);
    let remembered = super::db::remembered_mapping(conn, &key)?;
    if let Some(m) =
        remembered.and_then(|s| serde_json::from_str::<Vec<Option<ImportField>>>(&s).ok())
    {
        if m.len() == sheet.headers.len() {
            return Ok((m, true));
        }
    }
    Ok((guess_mapping(&sheet.headers), false))
}

/// Validates every row against the rules and against the registry as `conn` sees it, and
/// against the rows above it in the same sheet.
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
pub fn plan(
    conn: &Connection,
    today: NaiveDate,
    show_full: bool,
    file_name: &str,
    bytes: &[u8],
    mapping: Option<&[Option<ImportField>]>,
    category: Category,
    lang: Lang,
) -> Result<(ImportPreview, Vec<(u32, ValidFamily, Vec<Problem>)>)> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::invalid(
            "file",
            "Berkas lebih dari 20 MB; bagi menjadi beberapa berkas.",
            "The file is over 20 MB; split it into several files.",
        ));
    }
    let sheet = read(file_name, bytes)?;
    let (mapping, remembered) = mapping_for(conn, &sheet, mapping)?;
    if !mapping.contains(&Some(ImportField::Nama)) || !mapping.contains(&Some(ImportField::Nik)) {
        // Not an error yet: the person sees the headers and maps the columns.
        let e = unmapped();
        return Ok((
            ImportPreview {
                file_name: file_name.to_owned(),
                encoding: sheet.encoding,
                headers: sheet.headers,
                mapping,
                mapping_remembered: remembered,
                mapping_problem: Some(e.message(lang).to_owned()),
                rows: Vec::new(),
                ok: 0,
                errors: 0,
                empty: 0,
                warnings: 0,
            },
            Vec::new(),
        ));
    }
    let regions = Regions::shipped();
    let header_of = |field: &str| -> Option<String> {
        mapping
            .iter()
            .position(|m| m.is_some_and(|f| f.form_field() == field))
            .map(|i| sheet.headers[i].clone())
    };
    let mut rows = Vec::new();
    let mut valid = Vec::new();
    let mut seen_nik: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut seen_kk: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let (mut ok, mut bad, mut empty, mut warned) = (0, 0, 0, 0);
    for r in &sheet.rows {
        if row_is_empty(&mapping, r) {
            empty += 1;
            rows.push(PreviewRow {
                line: r.line,
                status: RowStatus::Empty,
                name: String::new(),
                nik: String::new(),
                column: None,
                message: None,
                warnings: Vec::new(),
            });
            continue;
        }
        let mut row = PreviewRow {
            line: r.line,
            status: RowStatus::Error,
            name: String::new(),
            nik: String::new(),
            column: None,
            message: None,
            warnings: Vec::new(),
        };
        let input = match row_to_input(&mapping, r, category) {
            Ok(i) => i,
            Err(p) => {
                row.column = header_of(p.field.form_field());
                row.message = Some(if lang == Lang::Id { p.id } else { p.en });
                bad += 1;
                rows.push(row);
                continue;
            }
        };
        let head = &input.members[0];
        row.name = super::model::tidy(&head.name);
        row.nik = if show_full {
            head.nik.clone()
        } else {
            mask_nik(head.nik.trim())
        };
        let (v, mut errors, warnings) = super::model::validate(&input, today, regions, false);
        if let Some(v) = &v {
            let nik = v.members[0].nik.clone().unwrap_or_default();
            if let Some(first) = seen_nik.get(&nik) {
                errors.push(Error::invalid(
                    "member.0.nik",
                    format!("NIK ini sama dengan baris {first} di berkas ini."),
                    format!("This NIK is the same as row {first} of this file."),
                ));
            } else {
                let (e, w) = super::db::registry_problems(conn, v, None)?;
                errors.extend(e);
                row.warnings
                    .extend(w.iter().map(|p| p.notice(lang).message));
            }
            if let Some(kk) = &v.kk {
                if let Some(first) = seen_kk.get(kk) {
                    row.warnings.push(if lang == Lang::Id {
                        format!("No. KK sama dengan baris {first} di berkas ini.")
                    } else {
                        format!("Same family card number as row {first} of this file.")
                    });
                }
            }
        }
        row.warnings.extend(
            warnings
                .iter()
                .filter(|w| w.kind != super::model::NoticeKind::NikTemporary)
                .map(|p| p.notice(lang).message),
        );
        if let Some(e) = errors.first() {
            row.column = e.field.as_deref().and_then(header_of);
            row.message = Some(e.message(lang).to_owned());
            bad += 1;
        } else if let Some(v) = v {
            let nik = v.members[0].nik.clone().unwrap_or_default();
            seen_nik.insert(nik, r.line);
            if let Some(kk) = &v.kk {
                seen_kk.entry(kk.clone()).or_insert(r.line);
            }
            row.status = RowStatus::Ok;
            ok += 1;
            if !row.warnings.is_empty() {
                warned += 1;
            }
            valid.push((r.line, v, warnings));
        }
        rows.push(row);
    }
    Ok((
        ImportPreview {
            file_name: file_name.to_owned(),
            encoding: sheet.encoding,
            headers: sheet.headers,
            mapping,
            mapping_remembered: remembered,
            mapping_problem: None,
            rows,
            ok,
            errors: bad,
            empty,
            warnings: warned,
        },
        valid,
    ))
}

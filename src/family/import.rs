//! Reading a BNBA sheet (XLSX or CSV) into rows, and guessing which column is which.
//! CSV comes in whatever the office PC wrote: UTF-8 with or without BOM, UTF-16 with BOM, or
//! Windows-1252; separated by commas, semicolons (Indonesian Excel) or tabs.

use super::model::{Category, FamilyInput, MemberInput, Relationship, WbpStatus};
use super::nik::Sex;
use crate::error::{Error, ErrorKind, Result};
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

fn read_xlsx(file_name: &str, bytes: &[u8]) -> Result<(Vec<SheetRow>, String)> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|e| {
        unreadable(
            file_name,
            format!("bukan berkas XLSX yang utuh ({e})."),
            format!("not a whole XLSX file ({e})."),
        )
    })?;
    let names = wb.sheet_names().to_vec();
    for name in names {
        let range = wb.worksheet_range(&name).map_err(|e| {
            unreadable(
                file_name,
                format!("lembar {name} rusak ({e})."),
                format!("sheet {name} is damaged ({e})."),
            )
        })?;
        if range.is_empty() {
            continue;
        }
        let (r0, _) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| SheetRow {
                line: r0 + i as u32 + 1,
                cells: row
                    .iter()
                    .map(|c| match c {
                        Data::Empty => Cell::Empty,
                        Data::String(s) => Cell::Text(s.clone()),
                        Data::Float(f) => Cell::Number(*f),
                        Data::Int(n) => Cell::Number(*n as f64),
                        Data::Bool(b) => Cell::Text(b.to_string()),
                        Data::DateTime(d) => d
                            .as_datetime()
                            .map(|t| Cell::Date(t.date()))
                            .unwrap_or(Cell::Number(d.as_f64())),
                        Data::DateTimeIso(s) => Cell::Text(s.clone()),
                        Data::DurationIso(s) => Cell::Text(s.clone()),
                        Data::Error(_) => Cell::Text("#ERROR".into()),
                    })
                    .collect(),
            })
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
    let mut rows = Vec::new();
    let bytes = text.as_bytes();
    let mut rec = csv::StringRecord::new();
    loop {
        // Where the next record starts: the reader's position, past any blank lines it skips.
        let mut start = rdr.position().byte() as usize;
        let more = rdr.read_record(&mut rec).map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            unreadable(
                file_name,
                format!("baris {line} tidak dapat diurai ({e})."),
                format!("line {line} cannot be parsed ({e})."),
            )
        })?;
        if !more {
            break;
        }
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        // The line a text editor shows for the record's first byte.
        let line = bytes[..start.min(bytes.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u32
            + 1;
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
        } else if has("KODEWILAYAH") || has("KODEDESA") || has("KODEKEL") || has("KDDESA") {
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

/// Sheets with the same headers share a remembered mapping.
pub fn header_key(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| norm_header(h))
        .collect::<Vec<_>>()
        .join("|")
}

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

fn date_cell(c: &Cell) -> Result<Option<String>, CellProblem> {
    Ok(match c {
        Cell::Empty => None,
        Cell::Date(d) => Some(d.to_string()),
        Cell::Number(n) => {
            // An Excel serial date (days since 1899-12-30).
            let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
            base.checked_add_signed(chrono::Duration::days(*n as i64))
                .map(|d| d.to_string())
        }
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
}

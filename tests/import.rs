//! Importing BNBA sheets (CSV in several encodings, XLSX) and exporting the registry.

use crate::registry::{family, staffed, BUDI, SITI};
use bansos::app::RowStatus;
use bansos::family::import::ImportField;
use bansos::family::model::Category;
use bansos::family::view::FamilyFilter;
use bansos::locale::Lang;
use bansos::ErrorKind;

fn families(app: &mut bansos::App) -> i64 {
    app.family_list(&FamilyFilter::default(), 500, 0)
        .unwrap()
        .total
}

/// A BNBA list as a village office sends it: a title above the table, semicolons, Windows-1252
/// (é), and every kind of mistake.
fn messy_csv() -> Vec<u8> {
    let text = "DAFTAR PENERIMA BANSOS RUTAN BLORA;;;\r\n\
                ;;;\r\n\
                NO;NIK;NAMA;TGL LAHIR;ALAMAT\r\n\
                1;3316011508800004;Bambang Pamungkas;15-08-1980;Jati\r\n\
                2;'3316015512850006;Sri Wahyuni;;Jati\r\n\
                3;331601150880000;Kurang Satu Digit;;Jati\r\n\
                4;3316011513800007;Bulan Tiga Belas;;Jati\r\n\
                5;3316011508800004;Bambang Lagi;;Jati\r\n\
                ;;;\r\n\
                6;3316014708900003;Siti Rahayu;;Jati\r\n\
                7;3,31601E+15;Angka Excel;;Jati\r\n\
                8;3316010907750008;Andr\u{e9} Wijaya;09-07-1975;Jati\r\n\
                9;;Tanpa NIK;;Jati\r\n";
    let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!bad);
    bytes.into_owned()
}

#[test]
fn a_messy_csv_is_previewed_row_by_row_and_only_valid_rows_are_imported() {
    let (_fx, mut p, _) = staffed();
    p.family_add(&family("Siti Rahayu", SITI)).unwrap();
    let bytes = messy_csv();
    let pv = p
        .import_preview(
            "bnba.csv",
            &bytes,
            None,
            Category::MasyarakatSekitar,
            Lang::Id,
        )
        .unwrap();
    assert_eq!(pv.encoding, "windows-1252");
    assert_eq!(pv.headers, ["NO", "NIK", "NAMA", "TGL LAHIR", "ALAMAT"]);
    assert_eq!(pv.mapping[1], Some(ImportField::Nik));
    assert_eq!(pv.mapping[2], Some(ImportField::Nama));
    assert_eq!(pv.mapping[3], Some(ImportField::TanggalLahir));
    let row = |line: u32| {
        pv.rows
            .iter()
            .find(|r| r.line == line)
            .unwrap_or_else(|| panic!("row {line}"))
    };
    let msg = |line: u32| row(line).message.clone().unwrap_or_default();
    assert_eq!(row(4).status, RowStatus::Ok);
    assert_eq!(
        row(5).status,
        RowStatus::Ok,
        "a leading apostrophe (Excel text mark) is dropped: {:?}",
        row(5)
    );
    assert_eq!(row(6).status, RowStatus::Error);
    assert_eq!(row(6).column.as_deref(), Some("NIK"));
    assert!(msg(6).contains("16 angka"), "{}", msg(6));
    assert!(msg(7).contains("bulan lahir 13"), "{}", msg(7));
    assert!(
        msg(8).contains("baris 4"),
        "a NIK twice in the sheet names the first row: {}",
        msg(8)
    );
    assert_eq!(row(9).status, RowStatus::Empty);
    assert!(
        msg(10).contains("KLG-000001"),
        "a NIK already registered: {}",
        msg(10)
    );
    assert!(msg(11).contains("notasi ilmiah"), "{}", msg(11));
    assert_eq!(row(12).status, RowStatus::Ok);
    assert_eq!(row(12).name, "Andr\u{e9} Wijaya", "Windows-1252 decoded");
    assert!(msg(13).contains("NIK wajib"), "{}", msg(13));
    assert_eq!((pv.ok, pv.errors, pv.empty), (3, 6, 1));
    assert_eq!(families(&mut p), 1, "a preview changes nothing");

    // A sheet kept deep in folders under a long name: named by its file name, within limits.
    let long_name = format!(
        "/home/petugas/Dokumen/{}/{}.csv",
        "Arsip Bansos 2024".repeat(20),
        "bnba-".repeat(50)
    );
    let r = p
        .import_commit(&long_name, &bytes, None, Category::MasyarakatSekitar)
        .unwrap();
    assert_eq!(r.imported, 3);
    assert_eq!(r.skipped_errors, 6);
    assert_eq!(
        (r.first_code.as_deref(), r.last_code.as_deref()),
        (Some("KLG-000002"), Some("KLG-000004"))
    );
    assert_eq!(families(&mut p), 4);
    let d = p.family_get(2).unwrap();
    assert_eq!(d.members[0].name, "Bambang Pamungkas");
    assert_eq!(d.members[0].birth_date.as_deref(), Some("1980-08-15"));
    assert!(d.history.iter().any(|h| h.action == "family.create"));

    // The same sheet again: every row is now a duplicate, so nothing is imported.
    let e = p
        .import_commit("bnba.csv", &bytes, None, Category::MasyarakatSekitar)
        .err()
        .unwrap();
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(families(&mut p), 4);
}

#[test]
fn utf16_and_utf8_bom_csv_with_tabs_and_commas_are_read() {
    let (_fx, mut p, _) = staffed();
    let text = "NIK\tNama Penerima\tJK\n3316011203850001\tBudi Santoso\tL\n";
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let pv = p
        .import_preview("x.txt", &utf16, None, Category::KeluargaWbp, Lang::Id)
        .unwrap();
    assert_eq!(pv.encoding, "UTF-16LE");
    assert_eq!((pv.ok, pv.errors), (1, 0), "{:?}", pv.rows);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(b"\"NIK\",\"NAMA\",\"JK\"\n\"3316011203850001\",\"Budi Santoso\",\"P\"\n");
    let pv = p
        .import_preview("x.csv", &bom, None, Category::KeluargaWbp, Lang::Id)
        .unwrap();
    assert_eq!(pv.encoding, "UTF-8");
    let r = &pv.rows[0];
    assert_eq!(r.status, RowStatus::Error);
    assert_eq!(
        r.column.as_deref(),
        Some("JK"),
        "the sex disagrees with the NIK"
    );
    // Not a sheet at all.
    let e = p
        .import_preview(
            "x.xls",
            b"\xD0\xCF\x11\xE0rest",
            None,
            Category::KeluargaWbp,
            Lang::Id,
        )
        .err()
        .unwrap();
    assert!(e.message(Lang::Id).contains(".xls"));
    let e = p
        .import_preview("kosong.csv", b"", None, Category::KeluargaWbp, Lang::Id)
        .err()
        .unwrap();
    assert!(e.message(Lang::Id).contains("kosong"));
    // No NIK column: the person must map one.
    let pv = p
        .import_preview(
            "a.csv",
            b"NAMA,ALAMAT\nBudi,Jati\n",
            None,
            Category::KeluargaWbp,
            Lang::Id,
        )
        .unwrap();
    assert!(pv.mapping_problem.as_ref().unwrap().contains("NIK"));
    assert_eq!(
        pv.headers,
        ["NAMA", "ALAMAT"],
        "the headers come back so the person can map them"
    );
    let e = p
        .import_commit(
            "a.csv",
            b"NAMA,ALAMAT\nBudi,Jati\n",
            None,
            Category::KeluargaWbp,
        )
        .err()
        .unwrap();
    assert_eq!(e.field.as_deref(), Some("mapping"));
    // One field mapped to two columns (the command line's --map allows it) is named in the
    // reader's language.
    let twice = vec![Some(ImportField::NamaWbp), Some(ImportField::NamaWbp)];
    let e = p
        .import_commit(
            "a.csv",
            b"NAMA,ALAMAT\nBudi,Jati\n",
            Some(&twice),
            Category::KeluargaWbp,
        )
        .err()
        .unwrap();
    assert_eq!(e.message(Lang::Id), "Kolom 'Nama WBP' dipetakan dua kali.");
    assert_eq!(
        e.message(Lang::En),
        "'Inmate's name' is mapped to two columns."
    );
}

fn xlsx(rows: &[&[XCell]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                XCell::T(s) => ws.write_string(r, c, *s).map(|_| ()).unwrap(),
                XCell::N(n) => ws.write_number(r, c, *n).map(|_| ()).unwrap(),
                XCell::ND(n) => {
                    let f = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
                    ws.write_number_with_format(r, c, *n, &f)
                        .map(|_| ())
                        .unwrap()
                }
                XCell::D(y, m, d) => {
                    let f = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
                    let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &f)
                        .map(|_| ())
                        .unwrap()
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

enum XCell {
    T(&'static str),
    N(f64),
    /// A number in a date-formatted cell.
    ND(f64),
    D(u16, u8, u8),
}

/// A NIK typed as a number into the birth-date column, or a date-formatted cell holding a number
/// far outside the calendar, is that row's error naming the column (it once stopped the import
/// with a program error); an Excel serial date still reads as the date.
#[test]
fn numbers_in_the_date_column_that_are_no_date_are_the_rows_error() {
    use XCell::*;
    let (_fx, mut p, _) = staffed();
    let bytes = xlsx(&[
        &[T("Nama"), T("NIK"), T("Tanggal Lahir")],
        &[
            T("Budi Santoso"),
            T("3316011203850001"),
            N(3316011508800004.0),
        ],
        &[T("Siti Aminah"), T("3316014708900003"), ND(-1e15)],
        &[T("Joko Susilo"), T("3316011508800004"), ND(1e300)],
        &[T("Ani Lestari"), T("3316015512950002"), N(31_120.0)],
    ]);
    let pv = p
        .import_preview("a.xlsx", &bytes, None, Category::KeluargaWbp, Lang::Id)
        .unwrap();
    assert_eq!(pv.rows.len(), 4, "{:?}", pv.rows);
    for row in &pv.rows[..3] {
        assert_eq!(row.status, RowStatus::Error, "{row:?}");
        assert_eq!(row.column.as_deref(), Some("Tanggal Lahir"), "{row:?}");
    }
    assert_eq!(pv.rows[3].status, RowStatus::Ok, "{:?}", pv.rows[3]);
    let r = p
        .import_commit("a.xlsx", &bytes, None, Category::KeluargaWbp)
        .unwrap();
    assert_eq!(r.imported, 1);
}

#[test]
fn xlsx_with_number_niks_and_date_cells_and_the_mapping_is_remembered() {
    use XCell::*;
    let (_fx, mut p, _) = staffed();
    let bytes = xlsx(&[
        &[
            T("Kolom A"),
            T("Nomor Identitas"),
            T("Tanggal Lahir"),
            T("Kategori"),
        ],
        &[
            T("Budi Santoso"),
            T("3316011203850001"),
            D(1985, 3, 12),
            T("Masyarakat sekitar"),
        ],
        &[T("Angka"), N(3316011508800004.0), D(1980, 8, 15), T("")],
        &[
            T("Tanggal Beda"),
            T("3316014708900003"),
            D(1990, 8, 8),
            T(""),
        ],
    ]);
    // "Kolom A" is not recognised, so the name column must be mapped by hand.
    let pv = p
        .import_preview("a.xlsx", &bytes, None, Category::KeluargaWbp, Lang::Id)
        .unwrap();
    assert!(pv.mapping_problem.is_some() && pv.rows.is_empty());
    let mapping = vec![
        Some(ImportField::Nama),
        Some(ImportField::Nik),
        Some(ImportField::TanggalLahir),
        Some(ImportField::Kategori),
    ];
    let pv = p
        .import_preview(
            "a.xlsx",
            &bytes,
            Some(&mapping),
            Category::KeluargaWbp,
            Lang::Id,
        )
        .unwrap();
    assert_eq!(pv.encoding, "XLSX");
    assert_eq!(pv.rows[0].status, RowStatus::Ok, "{:?}", pv.rows[0]);
    assert_eq!(pv.rows[1].status, RowStatus::Error);
    assert!(
        pv.rows[1].message.as_ref().unwrap().contains("15 digit"),
        "{:?}",
        pv.rows[1]
    );
    assert_eq!(pv.rows[1].column.as_deref(), Some("Nomor Identitas"));
    assert_eq!(pv.rows[2].status, RowStatus::Ok);
    assert!(
        pv.rows[2].warnings.iter().any(|w| w.contains("berbeda")),
        "{:?}",
        pv.rows[2]
    );
    let r = p
        .import_commit("a.xlsx", &bytes, Some(&mapping), Category::KeluargaWbp)
        .unwrap();
    assert_eq!(r.imported, 2);
    let budi = p.family_get(1).unwrap();
    assert_eq!(
        budi.category,
        Category::MasyarakatSekitar,
        "the sheet's category column wins"
    );
    // Same headers next time: the mapping is remembered.
    let pv = p
        .import_preview("b.xlsx", &bytes, None, Category::KeluargaWbp, Lang::Id)
        .unwrap();
    assert!(pv.mapping_remembered);
    assert_eq!(pv.mapping, mapping);
}

#[test]
fn an_import_that_fails_while_writing_leaves_nothing() {
    let (fx, mut p, _) = staffed();
    let csv = "NIK,NAMA\n3316011203850001,Budi Santoso\n3316011508800004,GAGAL DITULIS\n3316014708900003,Siti Rahayu\n";
    // Something goes wrong at the second row's write (a full disk, a crash): simulated by a trigger.
    fx.raw()
        .execute_batch(
            "CREATE TRIGGER fail_write BEFORE INSERT ON person WHEN NEW.name = 'GAGAL DITULIS'
             BEGIN SELECT RAISE(ABORT, 'disk penuh'); END;",
        )
        .unwrap();
    let e = p.import_commit("x.csv", csv.as_bytes(), None, Category::MasyarakatSekitar);
    assert!(e.is_err());
    assert_eq!(families(&mut p), 0, "the first row was not kept either");
    let n: i64 = fx
        .raw()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action LIKE 'family.%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn the_export_has_indonesian_headers_and_masks_by_role() {
    use calamine::{Reader, Xlsx};
    let (fx, mut p, mut v) = staffed();
    let mut f = family("Siti Rahayu", SITI);
    f.members.push(crate::registry::member(
        "Budi Santoso",
        BUDI,
        bansos::family::model::Relationship::Suami,
    ));
    p.family_add(&f).unwrap();
    let read = |bytes: Vec<u8>| {
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let fam = wb.worksheet_range("Keluarga").unwrap();
        let mem = wb.worksheet_range("Anggota").unwrap();
        let cell = |r: &calamine::Range<calamine::Data>, row: usize, col: usize| {
            r.get((row, col)).map(|c| c.to_string()).unwrap_or_default()
        };
        (
            (0..5).map(|c| cell(&fam, 0, c)).collect::<Vec<_>>(),
            cell(&fam, 1, 2),
            cell(&fam, 1, 10),
            mem.height(),
        )
    };
    let (bytes, n) = v.export_xlsx().unwrap();
    assert_eq!(n, 1);
    let (headers, nik, village, members) = read(bytes);
    assert_eq!(
        headers,
        [
            "Kode Keluarga",
            "Nama Kepala Keluarga",
            "NIK Kepala Keluarga",
            "Status NIK",
            "No. KK"
        ]
    );
    assert_eq!(nik, SITI, "as text, all 16 digits");
    assert_eq!(village, "Bangkleyan");
    assert_eq!(members, 3);
    let (bytes, _) = p.export_xlsx().unwrap();
    assert_eq!(read(bytes).1, "331601********03");
    let mut admin = fx.admin();
    assert_eq!(
        admin.export_xlsx().err().unwrap().kind,
        ErrorKind::Forbidden
    );
    // The verifikator's export reads back in as a sheet (its NIKs are all taken now).
    let (bytes, _) = v.export_xlsx().unwrap();
    let pv = p
        .import_preview("ekspor.xlsx", &bytes, None, Category::KeluargaWbp, Lang::Id)
        .unwrap();
    assert_eq!(pv.rows[0].status, RowStatus::Error);
    assert!(pv.rows[0].message.as_ref().unwrap().contains("KLG-000001"));
}

//! `bansos family …`: the beneficiary registry from the command line.

use super::label;
use super::{
    day, msg, ok, out, print_json, refuse, save_new, say, sign_in, tr, when, Ctx, Failure, Out,
    Refusal,
};
use bansos::app::RowStatus;
use bansos::family::import::ImportField;
use bansos::family::model::{
    from_code, Category, FamilyCheck, FamilyInput, KkChangeReason, MemberInput, PoorReason,
    Relationship, Verification, WbpStatus,
};
use bansos::family::nik::Sex;
use bansos::family::view::{DuplicateStatus, FamilyDetail, FamilyFilter, Resolution};
use bansos::locale;
use bansos::App;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum FamilyCmd {
    /// Daftarkan satu keluarga (kepala keluarga dari opsi, anggota dengan --member)
    Add(Box<AddArgs>),
    /// Daftar keluarga, atau cari dengan --search (nama, NIK, No. KK, no. registrasi WBP)
    List {
        /// Cari nama, NIK, No. KK atau no. registrasi WBP
        #[arg(long, short)]
        search: Option<String>,
        /// keluarga_wbp atau masyarakat_sekitar
        #[arg(long, value_parser = parse_category)]
        category: Option<Category>,
        /// draft atau verified
        #[arg(long, value_parser = parse_verification)]
        verification: Option<Verification>,
        /// Termasuk keluarga nonaktif
        #[arg(long)]
        all: bool,
        /// Jumlah baris
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Lewati sekian baris
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Rincian satu keluarga (tercatat di log audit sebagai akses)
    Show {
        /// Kode keluarga, mis. KLG-000012
        family: String,
    },
    /// Impor daftar BNBA dari XLSX atau CSV: pratinjau per baris, lalu semua baris valid sekaligus
    Import {
        /// Berkas XLSX atau CSV
        file: PathBuf,
        /// Kategori bila berkas tidak punya kolom kategori
        #[arg(long, value_parser = parse_category, default_value = "keluarga_wbp")]
        category: Category,
        /// Pemetaan kolom: "JUDUL KOLOM=nik,NAMA PENERIMA=nama" (bawaan: diingat atau ditebak)
        #[arg(long)]
        map: Option<String>,
        /// Hanya pratinjau; tidak ada yang disimpan
        #[arg(long)]
        dry_run: bool,
    },
    /// Ekspor semua keluarga ke XLSX (judul kolom berbahasa Indonesia); berkas yang sudah ada
    /// tidak ditimpa
    Export {
        /// Berkas XLSX tujuan
        file: PathBuf,
    },
    /// Ubah atau lengkapi data keluarga (mis. persetujuan dan alasan sebelum verifikasi); hanya
    /// yang diberikan yang berubah
    ///
    /// Suntingan Petugas mengembalikan keluarga terverifikasi ke draf, untuk diverifikasi lagi.
    Edit(Box<EditArgs>),
    /// Verifikasi keluarga (Verifikator)
    ///
    /// Perlu No. KK, persetujuan, alasan kurang mampu, NIK kepala keluarga yang bukan sementara,
    /// dan nama WBP untuk keluarga WBP; yang kurang dilengkapi dengan `family edit`.
    Verify {
        /// Kode keluarga, mis. KLG-000012
        family: String,
        /// Bukti yang diperiksa, mis. "KTP, KK dan SKTM dari kelurahan"
        #[arg(long)]
        evidence: String,
    },
    /// Nonaktifkan keluarga dengan alasan
    Deactivate {
        /// Kode keluarga, mis. KLG-000012
        family: String,
        /// Alasan (dicatat di log audit)
        #[arg(long)]
        reason: String,
    },
    /// Aktifkan kembali keluarga
    Activate {
        /// Kode keluarga, mis. KLG-000012
        family: String,
    },
    /// Pasangan kemungkinan duplikat (yang terbuka; --all untuk semua)
    Duplicates {
        /// Semua, termasuk yang sudah diselesaikan
        #[arg(long)]
        all: bool,
    },
    /// Selesaikan pasangan duplikat (Verifikator): --distinct, atau --keep KODE untuk menggabung
    Resolve {
        /// Nomor pasangan
        pair: i64,
        /// Dua keluarga berbeda
        #[arg(long, conflicts_with = "keep")]
        distinct: bool,
        /// Kode keluarga yang dipertahankan; yang lain digabung ke dalamnya
        #[arg(long)]
        keep: Option<String>,
        /// Catatan (dicatat di log audit)
        #[arg(long)]
        note: String,
    },
}

#[derive(Args)]
pub struct AddArgs {
    /// Seluruh isian dari berkas JSON (bentuk FamilyInput); opsi lain diabaikan
    #[arg(long)]
    from_json: Option<PathBuf>,
    /// Nama kepala keluarga
    #[arg(long)]
    name: Option<String>,
    /// NIK kepala keluarga (16 angka)
    #[arg(long, default_value = "")]
    nik: String,
    /// NIK belum diketahui / sementara
    #[arg(long)]
    nik_temporary: bool,
    /// L atau P (bawaan: dari NIK)
    #[arg(long, value_parser = parse_sex)]
    sex: Option<Sex>,
    /// Tanggal lahir (bawaan: dari NIK)
    #[arg(long)]
    birth: Option<String>,
    /// No. KK (16 angka)
    #[arg(long, default_value = "")]
    kk: String,
    /// keluarga_wbp atau masyarakat_sekitar
    #[arg(long, value_parser = parse_category, default_value = "keluarga_wbp")]
    category: Category,
    /// Alamat
    #[arg(long, default_value = "")]
    address: String,
    /// RT
    #[arg(long, default_value = "")]
    rt: String,
    /// RW
    #[arg(long, default_value = "")]
    rw: String,
    /// Kode wilayah desa/kelurahan (10 angka, titik boleh)
    #[arg(long, default_value = "")]
    region: String,
    /// Nomor telepon
    #[arg(long, default_value = "")]
    phone: String,
    /// Nama WBP (untuk keluarga WBP)
    #[arg(long, default_value = "")]
    wbp_name: String,
    /// Nomor registrasi WBP
    #[arg(long, default_value = "")]
    wbp_reg: String,
    /// ditahan, bebas atau pindah
    #[arg(long, value_parser = parse_wbp_status)]
    wbp_status: Option<WbpStatus>,
    /// Hubungan keluarga dengan WBP, mis. istri
    #[arg(long, default_value = "")]
    wbp_relation: String,
    /// Alasan kurang mampu (boleh berulang), mis. pencari_nafkah_ditahan
    #[arg(long = "reason", value_parser = parse_reason)]
    reasons: Vec<PoorReason>,
    /// Keterangan alasan kurang mampu
    #[arg(long, default_value = "")]
    reason_note: String,
    /// Desil DTKS/DTSEN 1–10
    #[arg(long, value_parser = parse_decile)]
    decile: Option<u8>,
    /// Tanggal persetujuan keluarga
    #[arg(long)]
    consent: Option<String>,
    /// Anggota: "NAMA;NIK;HUBUNGAN[;L/P;TGL LAHIR]" (boleh berulang; NIK kosong = sementara)
    #[arg(long = "member")]
    members: Vec<String>,
}

/// `family edit`: only what is given changes; the rest stays as recorded.
#[derive(Args)]
pub struct EditArgs {
    /// Kode keluarga, mis. KLG-000012
    family: String,
    /// Nama kepala keluarga
    #[arg(long)]
    name: Option<String>,
    /// NIK kepala keluarga (menggantikan NIK sementara)
    #[arg(long)]
    nik: Option<String>,
    /// L atau P
    #[arg(long, value_parser = parse_sex)]
    sex: Option<Sex>,
    /// Tanggal lahir kepala keluarga
    #[arg(long)]
    birth: Option<String>,
    /// No. KK (16 angka)
    #[arg(long)]
    kk: Option<String>,
    /// Bila No. KK berubah: pindah, kematian, pisah_kk, perubahan_data atau lainnya
    #[arg(long, value_parser = parse_kk_change)]
    kk_change_reason: Option<KkChangeReason>,
    /// keluarga_wbp atau masyarakat_sekitar
    #[arg(long, value_parser = parse_category)]
    category: Option<Category>,
    /// Alamat
    #[arg(long)]
    address: Option<String>,
    /// RT
    #[arg(long)]
    rt: Option<String>,
    /// RW
    #[arg(long)]
    rw: Option<String>,
    /// Kode wilayah desa/kelurahan (10 angka, titik boleh)
    #[arg(long)]
    region: Option<String>,
    /// Nomor telepon
    #[arg(long)]
    phone: Option<String>,
    /// Nama WBP (untuk keluarga WBP)
    #[arg(long)]
    wbp_name: Option<String>,
    /// Nomor registrasi WBP
    #[arg(long)]
    wbp_reg: Option<String>,
    /// ditahan, bebas atau pindah
    #[arg(long, value_parser = parse_wbp_status)]
    wbp_status: Option<WbpStatus>,
    /// Hubungan keluarga dengan WBP, mis. istri
    #[arg(long)]
    wbp_relation: Option<String>,
    /// Alasan kurang mampu (boleh berulang; menggantikan alasan yang tercatat)
    #[arg(long = "reason", value_parser = parse_reason)]
    reasons: Vec<PoorReason>,
    /// Keterangan alasan kurang mampu
    #[arg(long)]
    reason_note: Option<String>,
    /// Desil DTKS/DTSEN 1–10
    #[arg(long, value_parser = parse_decile)]
    decile: Option<u8>,
    /// Tanggal persetujuan keluarga, mis. 16-11-2024
    #[arg(long)]
    consent: Option<String>,
    /// Tambah anggota: "NAMA;NIK;HUBUNGAN[;L/P;TGL LAHIR]" (boleh berulang)
    #[arg(long = "member")]
    members: Vec<String>,
}

fn parse_enum<T: serde::de::DeserializeOwned>(
    s: &str,
    what: (&str, &str),
    choices: &str,
) -> Result<T, Refusal> {
    label::code(s, what, choices)
}

fn parse_category(s: &str) -> Result<Category, Refusal> {
    match s.trim().to_lowercase().as_str() {
        "wbp" => Ok(Category::KeluargaWbp),
        "masyarakat" => Ok(Category::MasyarakatSekitar),
        _ => parse_enum(
            s,
            ("kategori", "category"),
            "keluarga_wbp, masyarakat_sekitar",
        ),
    }
}

fn parse_verification(s: &str) -> Result<Verification, Refusal> {
    match s.trim().to_lowercase().as_str() {
        "draf" => Ok(Verification::Draft),
        "terverifikasi" => Ok(Verification::Verified),
        _ => parse_enum(s, ("verifikasi", "verification"), "draft, verified"),
    }
}

fn parse_kk_change(s: &str) -> Result<KkChangeReason, Refusal> {
    parse_enum(
        s,
        (
            "alasan perubahan No. KK",
            "reason for the new family card number",
        ),
        "pindah, kematian, pisah_kk, perubahan_data, lainnya",
    )
}

fn parse_wbp_status(s: &str) -> Result<WbpStatus, Refusal> {
    parse_enum(s, ("status WBP", "inmate status"), "ditahan, bebas, pindah")
}

fn parse_reason(s: &str) -> Result<PoorReason, Refusal> {
    parse_enum(
        s,
        ("alasan", "reason"),
        "pencari_nafkah_ditahan, penghasilan_tidak_tetap, lansia, disabilitas, sakit_menahun, tanggungan_anak_banyak, rumah_tidak_layak, terdaftar_dtks, lainnya",
    )
}

fn parse_decile(s: &str) -> Result<u8, Refusal> {
    s.trim()
        .parse::<u8>()
        .ok()
        .filter(|d| (1..=10).contains(d))
        .ok_or_else(|| {
            refuse(
                "desil DTKS/DTSEN ditulis 1 sampai 10".into(),
                "the DTKS/DTSEN decile is written 1 to 10".into(),
            )
        })
}

/// L or P as on the KTP; M or F are taken too (male, female).
fn parse_sex(s: &str) -> Result<Sex, Refusal> {
    match s.trim().to_uppercase().as_str() {
        "L" | "M" => Ok(Sex::L),
        "P" | "F" => Ok(Sex::P),
        _ => Err(refuse(
            format!("jenis kelamin '{s}' tidak dikenal; tulis L atau P"),
            format!("unknown sex '{s}'; write L or M (male), P or F (female)"),
        )),
    }
}

fn parse_relationship(s: &str) -> Result<Relationship, Refusal> {
    match s.trim().to_lowercase().as_str() {
        "kepala" => Ok(Relationship::KepalaKeluarga),
        _ => parse_enum(
            s,
            ("hubungan", "relationship"),
            "istri, suami, anak, menantu, cucu, orang_tua, mertua, famili_lain, lainnya",
        ),
    }
}

/// A refusal of a value parser used outside clap, as an error of this command.
fn refused(spec: &str, r: Refusal) -> Failure {
    msg(
        format!("--member '{spec}': {}", r.0),
        format!("--member '{spec}': {}", r.0),
    )
}

fn member_from(spec: &str) -> Result<MemberInput, Failure> {
    let parts: Vec<&str> = spec.split(';').map(str::trim).collect();
    if parts.len() < 3 {
        return Err(msg(
            format!(
                "--member '{spec}': tulis \"NAMA;NIK;HUBUNGAN[;L/P;TGL LAHIR]\" (NIK boleh kosong = sementara)"
            ),
            format!(
                "--member '{spec}': write \"NAME;NIK;RELATIONSHIP[;L/P;BIRTH DATE]\" (an empty NIK = temporary)"
            ),
        ));
    }
    let relationship = parse_relationship(parts[2]).map_err(|r| refused(spec, r))?;
    let sex = match parts.get(3).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_sex(s).map_err(|r| refused(spec, r))?),
        None => None,
    };
    Ok(MemberInput {
        id: None,
        name: parts[0].to_owned(),
        nik: parts[1].to_owned(),
        nik_temporary: parts[1].is_empty(),
        sex,
        birth_date: parts
            .get(4)
            .filter(|s| !s.is_empty())
            .map(|s| (*s).to_owned()),
        relationship,
    })
}

/// A family from a JSON file in the shape of `FamilyInput`. A file that is not JSON, not one
/// object, lacks a field or holds a value of the wrong kind is refused in our words, naming the
/// file and the field (never serde's text).
fn input_from_json(p: &std::path::Path, category: Category) -> Result<FamilyInput, Failure> {
    let bytes = bansos::files::read_bounded(p, bansos::limits::RECORD)?;
    let file = p.display();
    let bad = |id: String, en: String| {
        msg(
            format!("berkas {file} bukan isian keluarga yang sah: {id}"),
            format!("the file {file} is not a valid family form: {en}"),
        )
    };
    let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        use serde_json::error::Category as C;
        match e.classify() {
            C::Eof => bad(
                "JSON-nya terpotong (berakhir sebelum selesai).".into(),
                "its JSON is cut short (it ends before it is complete).".into(),
            ),
            _ => bad(
                format!(
                    "bukan JSON yang sah (baris {}, kolom {}).",
                    e.line(),
                    e.column()
                ),
                format!(
                    "it is not valid JSON (line {}, column {}).",
                    e.line(),
                    e.column()
                ),
            ),
        }
    })?;
    let Some(given) = v.as_object() else {
        return Err(bad(
            "isinya harus satu objek JSON { … } dengan isian keluarga (category, kk, address, members, …).".into(),
            "it must hold one JSON object { … } with the family's fields (category, kk, address, members, …).".into(),
        ));
    };
    // The blank form names every field; those that are not optional must be in the file.
    let blank = serde_json::to_value(FamilyInput::blank(category)).map_err(Failure::internal)?;
    let blank = blank.as_object().cloned().unwrap_or_default();
    let missing: Vec<&str> = blank
        .iter()
        .filter(|(k, v)| !v.is_null() && !given.contains_key(*k))
        .map(|(k, _)| k.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(bad(
            format!("isian ini belum ada: {}.", missing.join(", ")),
            format!("these fields are missing: {}.", missing.join(", ")),
        ));
    }
    serde_json::from_value(v.clone()).map_err(|_| {
        // Find the field at fault: each given field on the blank form alone.
        let culprit = given.iter().find(|(k, val)| {
            let mut one = blank.clone();
            one.insert((*k).clone(), (*val).clone());
            blank.contains_key(*k)
                && serde_json::from_value::<FamilyInput>(serde_json::Value::Object(one)).is_err()
        });
        match culprit {
            Some((k, _)) => bad(
                format!("nilai isian '{k}' tidak sah (jenis atau kodenya salah)."),
                format!("the value of the field '{k}' is not valid (a wrong kind or code)."),
            ),
            None => bad(
                "ada nilai yang jenis atau kodenya salah.".into(),
                "a value is of a wrong kind or code.".into(),
            ),
        }
    })
}

fn input_from(a: AddArgs) -> Result<FamilyInput, Failure> {
    if let Some(p) = a.from_json {
        return input_from_json(&p, a.category);
    }
    let Some(name) = a.name else {
        return Err(msg(
            "nama kepala keluarga belum diberikan: --name (atau --from-json)",
            "the head of the family's name was not given: --name (or --from-json)",
        ));
    };
    let mut f = FamilyInput::blank(a.category);
    f.members = vec![MemberInput {
        id: None,
        name,
        nik: a.nik,
        nik_temporary: a.nik_temporary,
        sex: a.sex,
        birth_date: a.birth,
        relationship: Relationship::KepalaKeluarga,
    }];
    for m in &a.members {
        f.members.push(member_from(m)?);
    }
    f.kk = a.kk;
    f.address = a.address;
    f.rt = a.rt;
    f.rw = a.rw;
    f.region_code = a.region;
    f.phone = a.phone;
    f.wbp_name = a.wbp_name;
    f.wbp_reg_no = a.wbp_reg;
    f.wbp_status = a
        .wbp_status
        .or((f.category == Category::KeluargaWbp).then_some(WbpStatus::Ditahan));
    f.wbp_relation = a.wbp_relation;
    f.reasons = a.reasons;
    f.reason_note = a.reason_note;
    f.dtks_decile = a.decile;
    f.consent_date = a.consent;
    Ok(f)
}

/// The recorded form with what `a` gives put in; the rest as it was.
fn edited(d: &FamilyDetail, a: EditArgs) -> Result<FamilyInput, Failure> {
    let mut f = d.as_input();
    let Some(head) = f.members.first_mut() else {
        return Err(Failure::internal("a family without its head"));
    };
    if let Some(name) = a.name {
        head.name = name;
    }
    if let Some(nik) = a.nik {
        head.nik = nik;
        head.nik_temporary = false;
    }
    if a.sex.is_some() {
        head.sex = a.sex;
    }
    if a.birth.is_some() {
        head.birth_date = a.birth;
    }
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut f.kk, a.kk);
    f.kk_change_reason = a.kk_change_reason;
    if let Some(c) = a.category {
        f.category = c;
    }
    set(&mut f.address, a.address);
    set(&mut f.rt, a.rt);
    set(&mut f.rw, a.rw);
    set(&mut f.region_code, a.region);
    set(&mut f.phone, a.phone);
    set(&mut f.wbp_name, a.wbp_name);
    set(&mut f.wbp_reg_no, a.wbp_reg);
    if a.wbp_status.is_some() {
        f.wbp_status = a.wbp_status;
    }
    set(&mut f.wbp_relation, a.wbp_relation);
    if !a.reasons.is_empty() {
        f.reasons = a.reasons;
    }
    set(&mut f.reason_note, a.reason_note);
    if a.decile.is_some() {
        f.dtks_decile = a.decile;
    }
    if a.consent.is_some() {
        f.consent_date = a.consent;
    }
    for m in &a.members {
        f.members.push(member_from(m)?);
    }
    Ok(f)
}

/// Says each error of a checked form in words (a member's by whose it is); `true` when there was
/// one, and nothing may be saved.
fn refused_form(check: &FamilyCheck, input: &FamilyInput) -> bool {
    for e in &check.errors {
        match member_of(&e.field, input) {
            Some(who) => eprintln!("{} {who}: {}", tr!("galat:", "error:"), e.message),
            None => eprintln!("{} {}", tr!("galat:", "error:"), e.message),
        }
    }
    !check.errors.is_empty()
}

/// Who a form error is about, in words, for an error on a member's field (`member.1.nik`): the
/// head, or the member by number and name. `None` for a field of the family.
fn member_of(field: &str, input: &FamilyInput) -> Option<String> {
    let i: usize = field
        .strip_prefix("member.")?
        .split('.')
        .next()?
        .parse()
        .ok()?;
    let m = input.members.get(i);
    let name = m
        .map(|m| m.name.trim())
        .filter(|n| !n.is_empty())
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    Some(
        if m.is_some_and(|m| m.relationship == Relationship::KepalaKeluarga) {
            tr!(
                format!("kepala keluarga{name}"),
                format!("the head of the family{name}")
            )
        } else {
            tr!(
                format!("anggota ke-{}{name}", i + 1),
                format!("member {}{name}", i + 1)
            )
        },
    )
}

fn family_id(s: &str) -> Result<i64, Failure> {
    super::event::family(s)
}

const IMPORT_FIELDS: &str = "nik, nama, no_kk, jenis_kelamin, tanggal_lahir, alamat, rt, rw, rt_rw, kode_wilayah, telepon, kategori, nama_wbp, no_reg_wbp, status_wbp";

fn mapping_from(spec: &str, headers: &[String]) -> Result<Vec<Option<ImportField>>, Failure> {
    let mut m = vec![None; headers.len()];
    for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
        let (h, f) = pair.split_once('=').ok_or_else(|| {
            msg(
                format!("--map '{pair}': tulis JUDUL KOLOM=isian, mis. \"NAMA PENERIMA=nama\""),
                format!("--map '{pair}': write COLUMN HEADER=field, e.g. \"NAMA PENERIMA=nama\""),
            )
        })?;
        let i = headers
            .iter()
            .position(|x| x.trim().eq_ignore_ascii_case(h.trim()))
            .ok_or_else(|| {
                msg(
                    format!(
                        "--map: kolom '{}' tidak ada di berkas (ada: {})",
                        h.trim(),
                        headers.join(", ")
                    ),
                    format!(
                        "--map: the file has no column '{}' (it has: {})",
                        h.trim(),
                        headers.join(", ")
                    ),
                )
            })?;
        let field: ImportField = from_code(&f.trim().to_lowercase()).ok_or_else(|| {
            msg(
                format!(
                    "--map: '{}' bukan isian yang dikenal; pilih {IMPORT_FIELDS}",
                    f.trim()
                ),
                format!(
                    "--map: '{}' is not a known field; choose {IMPORT_FIELDS}",
                    f.trim()
                ),
            )
        })?;
        m[i] = Some(field);
    }
    Ok(m)
}

pub fn run(ctx: &Ctx, c: FamilyCmd) -> Out {
    let mut app = sign_in(ctx)?;
    let lang = ctx.lang;
    match c {
        FamilyCmd::Add(a) => {
            let input = input_from(*a)?;
            let check = app.family_check(&input, None, lang)?;
            if refused_form(&check, &input) {
                return Ok(ExitCode::from(1));
            }
            let saved = app.family_add(&input)?;
            if ctx.json {
                print_json(&serde_json::json!({"saved": saved, "warnings": check.warnings}))?;
            } else {
                for w in &check.warnings {
                    say!("peringatan: {}", "warning: {}", w.message);
                }
                say!(
                    "Keluarga {} terdaftar (draf).",
                    "Family {} registered (draft).",
                    saved.code
                );
                if saved.pairs_recorded > 0 {
                    say!(
                        "{} dicatat untuk diperiksa verifikator.",
                        "{} recorded for a verifikator to check.",
                        label::count(
                            saved.pairs_recorded as usize,
                            "kemungkinan duplikat",
                            "possible duplicate",
                            "possible duplicates"
                        )
                    );
                }
            }
            ok()
        }
        FamilyCmd::List {
            search,
            category,
            verification,
            all,
            limit,
            offset,
        } => {
            let filter = FamilyFilter {
                query: search.unwrap_or_default(),
                category,
                verification,
                active: if all { None } else { Some(true) },
            };
            let page = app.family_list(&filter, limit, offset)?;
            if ctx.json {
                print_json(&page)?;
            } else {
                for r in &page.rows {
                    let nik = r.head_nik.clone().unwrap_or_else(|| "-".into());
                    let tmp = if r.head_nik_temporary {
                        tr!(" (sementara)", " (temporary)")
                    } else {
                        ""
                    };
                    let state = if r.active {
                        label::verification(r.verification)
                    } else {
                        tr!("nonaktif", "inactive")
                    };
                    out!(
                        "{}\t{}\t{nik}{tmp}\t{}\t{}\t{}{}",
                        r.code,
                        r.head_name,
                        label::category(r.category),
                        r.village.clone().unwrap_or_default(),
                        state,
                        r.matched
                            .as_ref()
                            .map(|m| format!("\t[{}]", m.text(lang)))
                            .unwrap_or_default()
                    );
                }
                say!(
                    "— {} dari {} keluarga",
                    "— {} of {} families",
                    page.rows.len(),
                    page.total
                );
            }
            ok()
        }
        FamilyCmd::Show { family } => {
            let d = app.family_get(family_id(&family)?)?;
            if ctx.json {
                return print_json(&d).map(|_| ExitCode::SUCCESS);
            }
            let tz = app.facility()?.profile.time_zone;
            out!("{}  {}", d.code, label::category(d.category));
            say!(
                "No. KK: {}",
                "Family card no. (No. KK): {}",
                d.kk.clone().unwrap_or_else(|| "-".into())
            );
            // Only the parts that are filled in: "Jl. Melati 3 RT 001 RW 002, Bangkleyan, …".
            let tagged = |tag: &str, v: &str| {
                if v.is_empty() {
                    String::new()
                } else {
                    format!("{tag} {v}")
                }
            };
            let street = [d.address.clone(), tagged("RT", &d.rt), tagged("RW", &d.rw)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let address = [
                street,
                d.region.as_ref().map(|p| p.label()).unwrap_or_default(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
            say!(
                "Alamat: {}",
                "Address: {}",
                if address.is_empty() { "-" } else { &address }
            );
            if !d.phone.is_empty() {
                say!("Telepon: {}", "Phone: {}", d.phone);
            }
            if !d.wbp_name.is_empty() {
                let relation = if d.wbp_relation.is_empty() {
                    String::new()
                } else {
                    tr!(
                        format!(", hubungan: {}", d.wbp_relation),
                        format!(", relation: {}", d.wbp_relation)
                    )
                };
                say!(
                    "WBP: {} {} ({}){}",
                    "Inmate (WBP): {} {} ({}){}",
                    d.wbp_name,
                    d.wbp_reg_no,
                    d.wbp_status.map(label::wbp_status).unwrap_or("-"),
                    relation
                );
            }
            for m in &d.members {
                let birth = m
                    .birth_date
                    .as_deref()
                    .and_then(bansos::family::model::parse_date)
                    .map(|b| locale::long_date(b, lang))
                    .unwrap_or_default();
                out!(
                    "  {}\t{}{}\t{}\t{}\t{}",
                    label::relationship(m.relationship),
                    m.nik.clone().unwrap_or_else(|| "-".into()),
                    if m.nik_temporary {
                        tr!(" (NIK sementara)", " (temporary NIK)")
                    } else {
                        ""
                    },
                    m.name,
                    m.sex.map(label::sex).unwrap_or("-"),
                    birth
                );
            }
            let reasons: Vec<&str> = d.reasons.iter().map(|r| label::poor_reason(*r)).collect();
            let note = if d.reason_note.is_empty() {
                String::new()
            } else {
                format!(" — {}", d.reason_note)
            };
            say!("Alasan: {}{}", "Reasons: {}{}", reasons.join("; "), note);
            if let Some(dec) = d.dtks_decile {
                say!("Desil DTKS/DTSEN: {}", "DTKS/DTSEN decile: {}", dec);
            }
            let consent = d
                .consent_date
                .as_deref()
                .map(day)
                .unwrap_or_else(|| tr!("belum", "not yet").into());
            say!("Persetujuan: {}", "Consent: {}", consent);
            match d.verification {
                Verification::Verified => say!(
                    "Terverifikasi oleh {} pada {}: {}",
                    "Verified by {} on {}: {}",
                    d.verified_by.clone().unwrap_or_default(),
                    d.verified_at
                        .as_deref()
                        .map(|t| when(t, tz))
                        .unwrap_or_default(),
                    d.evidence_note
                ),
                Verification::Draft => say!("Verifikasi: draf", "Verification: draft"),
            }
            if !d.active {
                say!(
                    "NONAKTIF: {}",
                    "INACTIVE: {}",
                    label::written_note(&d.inactive_reason)
                );
            }
            if !d.nik_full {
                say!(
                    "(NIK disamarkan untuk peran Anda)",
                    "(NIKs are masked for your role)"
                );
            }
            ok()
        }
        FamilyCmd::Import {
            file,
            category,
            map,
            dry_run,
        } => {
            let bytes = bansos::files::read_bounded(&file, bansos::limits::IMPORT_FILE_BYTES)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut mapping = None;
            if let Some(spec) = &map {
                let first = app.import_preview(&name, &bytes, None, category, lang)?;
                mapping = Some(mapping_from(spec, &first.headers)?);
            }
            let p = app.import_preview(&name, &bytes, mapping.as_deref(), category, lang)?;
            if let Some(problem) = &p.mapping_problem {
                return Err(msg(
                    format!(
                        "{problem} Kolom berkas: {}. Pakai --map \"JUDUL=nik,JUDUL=nama\".",
                        p.headers.join(", ")
                    ),
                    format!(
                        "{problem} The file's columns: {}. Use --map \"HEADER=nik,HEADER=nama\".",
                        p.headers.join(", ")
                    ),
                ));
            }
            if ctx.json && dry_run {
                return print_json(&p).map(|_| ExitCode::SUCCESS);
            }
            if !ctx.json {
                say!("Berkas {} ({})", "File {} ({})", p.file_name, p.encoding);
                let cols: Vec<String> = p
                    .headers
                    .iter()
                    .zip(&p.mapping)
                    .filter_map(|(h, m)| m.map(|m| format!("{h} → {}", label::import_field(m))))
                    .collect();
                if p.mapping_remembered {
                    say!(
                        "Kolom (pemetaan diingat): {}",
                        "Columns (mapping remembered): {}",
                        cols.join(", ")
                    );
                } else {
                    say!("Kolom: {}", "Columns: {}", cols.join(", "));
                }
                for r in &p.rows {
                    match r.status {
                        RowStatus::Error => {
                            let column = r
                                .column
                                .as_ref()
                                .map(|c| tr!(format!(", kolom {c}"), format!(", column {c}")))
                                .unwrap_or_default();
                            say!(
                                "Baris {}{}: {}",
                                "Row {}{}: {}",
                                r.line,
                                column,
                                r.message.clone().unwrap_or_default()
                            )
                        }
                        RowStatus::Ok => {
                            for w in &r.warnings {
                                say!(
                                    "Baris {} (peringatan): {}",
                                    "Row {} (warning): {}",
                                    r.line,
                                    w
                                );
                            }
                        }
                        RowStatus::Empty => {}
                    }
                }
                say!(
                    "Siap diimpor: {}, bermasalah: {}, kosong: {}",
                    "Ready to import: {}, with a problem: {}, empty: {}",
                    p.ok,
                    p.errors,
                    p.empty
                );
            }
            if dry_run {
                return ok();
            }
            let bar = super::work_bar(ctx, &mut app);
            let r = app.import_commit(&name, &bytes, mapping.as_deref(), category);
            bar.finish_and_clear();
            let r = r?;
            if ctx.json {
                print_json(&r)?;
            } else {
                let codes = match (&r.first_code, &r.last_code) {
                    (Some(a), Some(b)) if a != b => {
                        tr!(format!(" ({a} s.d. {b})"), format!(" ({a} to {b})"))
                    }
                    (Some(a), _) => format!(" ({a})"),
                    _ => String::new(),
                };
                say!(
                    "Diimpor {}{} sebagai draf; {} bermasalah dilewati.",
                    "Imported {}{} as drafts; {} with a problem skipped.",
                    label::count(r.imported as usize, "keluarga", "family", "families"),
                    codes,
                    label::count(r.skipped_errors as usize, "baris", "row", "rows")
                );
            }
            ok()
        }
        FamilyCmd::Export { file } => {
            let mut n = 0;
            let (path, _) = save_new(&file, || {
                let (bytes, count) = app.export_xlsx()?;
                n = count;
                Ok(bytes)
            })?;
            if ctx.json {
                print_json(&serde_json::json!({"path": path, "families": n}))?;
            } else {
                say!(
                    "{} diekspor ke {}",
                    "{} exported to {}",
                    label::count(n, "keluarga", "family", "families"),
                    path.display()
                );
            }
            ok()
        }
        FamilyCmd::Edit(a) => {
            let id = family_id(&a.family)?;
            let before = app.family_get(id)?;
            if !before.nik_full {
                // Masked NIKs would be saved as typed: only roles that see them in full edit.
                return Err(msg(
                    "NIK keluarga ini disamarkan untuk peran Anda; suntingan dilakukan oleh Petugas atau Verifikator",
                    "this family's NIKs are masked for your role; a Petugas or Verifikator edits it",
                ));
            }
            let input = edited(&before, *a)?;
            let same = serde_json::to_value(&input).map_err(Failure::internal)?
                == serde_json::to_value(before.as_input()).map_err(Failure::internal)?;
            if same {
                return Err(msg(
                    format!(
                        "tidak ada yang diubah pada {}; berikan isian yang diubah, mis. --consent 16-11-2024 --reason pencari_nafkah_ditahan",
                        before.code
                    ),
                    format!(
                        "nothing changed in {}; give what changes, e.g. --consent 16-11-2024 --reason pencari_nafkah_ditahan",
                        before.code
                    ),
                ));
            }
            let check = app.family_check(&input, Some(id), lang)?;
            if refused_form(&check, &input) {
                return Ok(ExitCode::from(1));
            }
            let saved = app.family_update(id, &input)?;
            // A Petugas's edit sends a verified family back to draft (the core's rule); said
            // without opening the record again, which would log a second view.
            let verification = if app.me().role == bansos::staff::Role::Petugas {
                Verification::Draft
            } else {
                before.verification
            };
            if ctx.json {
                print_json(
                    &serde_json::json!({"saved": saved, "warnings": check.warnings, "verification": verification}),
                )?;
            } else {
                for w in &check.warnings {
                    say!("peringatan: {}", "warning: {}", w.message);
                }
                match (before.verification, verification) {
                    (Verification::Verified, Verification::Draft) => say!(
                        "Keluarga {} disimpan; kembali ke draf untuk diverifikasi lagi.",
                        "Family {} saved; back to draft, to be verified again.",
                        saved.code
                    ),
                    (_, v) => say!(
                        "Keluarga {} disimpan ({}).",
                        "Family {} saved ({}).",
                        saved.code,
                        label::verification(v)
                    ),
                }
                if saved.pairs_recorded > 0 {
                    say!(
                        "{} dicatat untuk diperiksa verifikator.",
                        "{} recorded for a verifikator to check.",
                        label::count(
                            saved.pairs_recorded as usize,
                            "kemungkinan duplikat",
                            "possible duplicate",
                            "possible duplicates"
                        )
                    );
                }
            }
            ok()
        }
        FamilyCmd::Verify { family, evidence } => {
            let d = app.family_verify(family_id(&family)?, &evidence)?;
            say!("Keluarga {} terverifikasi.", "Family {} verified.", d.code);
            ok()
        }
        FamilyCmd::Deactivate { family, reason } => {
            let d = app.family_set_active(family_id(&family)?, false, &reason)?;
            say!(
                "Keluarga {} dinonaktifkan.",
                "Family {} deactivated.",
                d.code
            );
            ok()
        }
        FamilyCmd::Activate { family } => {
            let d = app.family_set_active(family_id(&family)?, true, "")?;
            say!(
                "Keluarga {} aktif kembali.",
                "Family {} active again.",
                d.code
            );
            ok()
        }
        FamilyCmd::Duplicates { all } => duplicates(ctx, &mut app, all),
        FamilyCmd::Resolve {
            pair,
            distinct,
            keep,
            note,
        } => {
            let r = match (distinct, keep) {
                (true, _) => Resolution::Distinct { note },
                (false, Some(k)) => Resolution::Merge {
                    keep: family_id(&k)?,
                    note,
                },
                (false, None) => {
                    return Err(msg(
                        "pilih --distinct atau --keep KODE",
                        "choose --distinct or --keep CODE",
                    ))
                }
            };
            app.resolve_duplicate(pair, &r)?;
            say!("Pasangan #{} diselesaikan.", "Pair #{} resolved.", pair);
            ok()
        }
    }
}

fn duplicates(ctx: &Ctx, app: &mut App, all: bool) -> Out {
    let list = app.duplicates(if all {
        None
    } else {
        Some(DuplicateStatus::Open)
    })?;
    if ctx.json {
        return print_json(&list).map(|_| ExitCode::SUCCESS);
    }
    for p in &list {
        out!(
            "#{}\t{}\t{}%\t{} {} ~ {} {}\t{}",
            p.id,
            label::duplicate_kind(p.kind),
            p.score,
            p.a.code,
            p.a.head_name,
            p.b.code,
            p.b.head_name,
            label::duplicate_status(p.status)
        );
    }
    if list.is_empty() {
        say!(
            "Tidak ada pasangan duplikat.",
            "There are no duplicate pairs."
        );
    }
    ok()
}

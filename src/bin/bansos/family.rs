//! `bansos family …`: the beneficiary registry from the command line.

use super::{ok, print_json, sign_in, Ctx, Failure, Out};
use bansos::app::RowStatus;
use bansos::family::import::ImportField;
use bansos::family::model::{
    from_code, Category, FamilyInput, MemberInput, PoorReason, Relationship, Verification,
    WbpStatus,
};
use bansos::family::nik::Sex;
use bansos::family::view::{parse_family_code, DuplicateStatus, FamilyFilter, Resolution};
use bansos::locale::{self, Lang};
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
        #[arg(long, default_value_t = 50)]
        limit: u32,
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
    /// Ekspor semua keluarga ke XLSX (judul kolom berbahasa Indonesia)
    Export { file: PathBuf },
    /// Verifikasi keluarga (Verifikator)
    Verify {
        family: String,
        /// Bukti yang diperiksa, mis. "KTP, KK dan SKTM dari kelurahan"
        #[arg(long)]
        evidence: String,
    },
    /// Nonaktifkan keluarga dengan alasan
    Deactivate {
        family: String,
        #[arg(long)]
        reason: String,
    },
    /// Aktifkan kembali keluarga
    Activate { family: String },
    /// Pasangan kemungkinan duplikat (yang terbuka; --all untuk semua)
    Duplicates {
        #[arg(long)]
        all: bool,
    },
    /// Selesaikan pasangan duplikat (Verifikator): --distinct, atau --keep KODE untuk menggabung
    Resolve {
        pair: i64,
        #[arg(long, conflicts_with = "keep")]
        distinct: bool,
        #[arg(long)]
        keep: Option<String>,
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
    #[arg(long, default_value = "")]
    kk: String,
    #[arg(long, value_parser = parse_category, default_value = "keluarga_wbp")]
    category: Category,
    #[arg(long, default_value = "")]
    address: String,
    #[arg(long, default_value = "")]
    rt: String,
    #[arg(long, default_value = "")]
    rw: String,
    /// Kode wilayah desa/kelurahan (10 angka, titik boleh)
    #[arg(long, default_value = "")]
    region: String,
    #[arg(long, default_value = "")]
    phone: String,
    #[arg(long, default_value = "")]
    wbp_name: String,
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
    #[arg(long, default_value = "")]
    reason_note: String,
    /// Desil DTKS/DTSEN 1–10
    #[arg(long)]
    decile: Option<u8>,
    /// Tanggal persetujuan keluarga
    #[arg(long)]
    consent: Option<String>,
    /// Anggota: "NAMA;NIK;HUBUNGAN[;L/P;TGL LAHIR]" (boleh berulang; NIK kosong = sementara)
    #[arg(long = "member")]
    members: Vec<String>,
}

fn parse_enum<T: serde::de::DeserializeOwned>(
    s: &str,
    what: &str,
    choices: &str,
) -> Result<T, String> {
    let code = s.trim().to_lowercase().replace(['-', ' '], "_");
    from_code(&code).ok_or_else(|| format!("{what} '{s}' tidak dikenal; pilih {choices}"))
}

fn parse_category(s: &str) -> Result<Category, String> {
    match s.trim().to_lowercase().as_str() {
        "wbp" => Ok(Category::KeluargaWbp),
        "masyarakat" => Ok(Category::MasyarakatSekitar),
        _ => parse_enum(s, "kategori", "keluarga_wbp atau masyarakat_sekitar"),
    }
}

fn parse_verification(s: &str) -> Result<Verification, String> {
    match s.trim().to_lowercase().as_str() {
        "draf" => Ok(Verification::Draft),
        "terverifikasi" => Ok(Verification::Verified),
        _ => parse_enum(s, "verifikasi", "draft atau verified"),
    }
}

fn parse_wbp_status(s: &str) -> Result<WbpStatus, String> {
    parse_enum(s, "status WBP", "ditahan, bebas atau pindah")
}

fn parse_reason(s: &str) -> Result<PoorReason, String> {
    parse_enum(
        s,
        "alasan",
        "pencari_nafkah_ditahan, penghasilan_tidak_tetap, lansia, disabilitas, sakit_menahun, tanggungan_anak_banyak, rumah_tidak_layak, terdaftar_dtks, lainnya",
    )
}

fn parse_sex(s: &str) -> Result<Sex, String> {
    match s.trim().to_uppercase().as_str() {
        "L" => Ok(Sex::L),
        "P" => Ok(Sex::P),
        _ => Err(format!("jenis kelamin '{s}' tidak dikenal; tulis L atau P")),
    }
}

fn parse_relationship(s: &str) -> Result<Relationship, String> {
    match s.trim().to_lowercase().as_str() {
        "kepala" => Ok(Relationship::KepalaKeluarga),
        _ => parse_enum(
            s,
            "hubungan",
            "istri, suami, anak, menantu, cucu, orang_tua, mertua, famili_lain, lainnya",
        ),
    }
}

fn member_from(spec: &str) -> Result<MemberInput, Failure> {
    let parts: Vec<&str> = spec.split(';').map(str::trim).collect();
    if parts.len() < 3 {
        return Err(Failure::Msg(format!(
            "--member '{spec}': tulis \"NAMA;NIK;HUBUNGAN\" (NIK boleh kosong = sementara)"
        )));
    }
    let relationship = parse_relationship(parts[2]).map_err(Failure::Msg)?;
    let sex = match parts.get(3).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_sex(s).map_err(Failure::Msg)?),
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

fn input_from(a: AddArgs) -> Result<FamilyInput, Failure> {
    if let Some(p) = a.from_json {
        let text = std::fs::read_to_string(&p)
            .map_err(|e| Failure::Msg(format!("berkas {} tidak dapat dibaca: {e}", p.display())))?;
        return serde_json::from_str(&text).map_err(|e| {
            Failure::Msg(format!(
                "berkas {} bukan isian keluarga yang sah: {e}",
                p.display()
            ))
        });
    }
    let Some(name) = a.name else {
        return Err(Failure::Msg(
            "nama kepala keluarga belum diberikan: --name (atau --from-json)".into(),
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

fn family_id(s: &str) -> Result<i64, Failure> {
    parse_family_code(s)
        .ok_or_else(|| Failure::Msg(format!("'{s}' bukan kode keluarga (mis. KLG-000012)")))
}

fn mapping_from(spec: &str, headers: &[String]) -> Result<Vec<Option<ImportField>>, Failure> {
    let mut m = vec![None; headers.len()];
    for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
        let (h, f) = pair
            .split_once('=')
            .ok_or_else(|| Failure::Msg(format!("--map '{pair}': tulis JUDUL=kolom")))?;
        let i = headers
            .iter()
            .position(|x| x.trim().eq_ignore_ascii_case(h.trim()))
            .ok_or_else(|| {
                Failure::Msg(format!(
                    "--map: kolom '{}' tidak ada di berkas (ada: {})",
                    h.trim(),
                    headers.join(", ")
                ))
            })?;
        let field: ImportField = from_code(&f.trim().to_lowercase()).ok_or_else(|| {
            Failure::Msg(format!("--map: '{}' bukan isian yang dikenal", f.trim()))
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
            if !check.errors.is_empty() {
                for e in &check.errors {
                    eprintln!("{}: {} — {}", word(lang), e.field, e.message);
                }
                return Ok(ExitCode::from(1));
            }
            let saved = app.family_add(&input)?;
            if ctx.json {
                print_json(&serde_json::json!({"saved": saved, "warnings": check.warnings}))?;
            } else {
                for w in &check.warnings {
                    println!(
                        "{}: {}",
                        if lang == Lang::Id {
                            "peringatan"
                        } else {
                            "warning"
                        },
                        w.message
                    );
                }
                println!("Keluarga {} terdaftar (draf).", saved.code);
                if saved.pairs_recorded > 0 {
                    println!(
                        "{} kemungkinan duplikat dicatat untuk diperiksa verifikator.",
                        saved.pairs_recorded
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
                        " (sementara)"
                    } else {
                        ""
                    };
                    let state = match (r.active, r.verification) {
                        (false, _) => "nonaktif",
                        (true, Verification::Verified) => "terverifikasi",
                        (true, Verification::Draft) => "draf",
                    };
                    println!(
                        "{}\t{}\t{nik}{tmp}\t{}\t{}\t{}{}",
                        r.code,
                        r.head_name,
                        r.category.label_id(),
                        r.village.clone().unwrap_or_default(),
                        state,
                        r.matched
                            .as_ref()
                            .map(|m| format!("\t[{m}]"))
                            .unwrap_or_default()
                    );
                }
                println!("— {} dari {} keluarga", page.rows.len(), page.total);
            }
            ok()
        }
        FamilyCmd::Show { family } => {
            let d = app.family_get(family_id(&family)?)?;
            if ctx.json {
                return print_json(&d).map(|_| ExitCode::SUCCESS);
            }
            println!("{}  {}", d.code, d.category.label_id());
            println!("No. KK: {}", d.kk.clone().unwrap_or_else(|| "-".into()));
            if let Some(p) = &d.region {
                println!(
                    "Alamat: {} RT {} RW {}, {}",
                    d.address,
                    d.rt,
                    d.rw,
                    p.label()
                );
            } else {
                println!("Alamat: {} RT {} RW {}", d.address, d.rt, d.rw);
            }
            if !d.phone.is_empty() {
                println!("Telepon: {}", d.phone);
            }
            if !d.wbp_name.is_empty() {
                println!(
                    "WBP: {} {} ({}){}",
                    d.wbp_name,
                    d.wbp_reg_no,
                    d.wbp_status.map(|s| s.label_id()).unwrap_or("-"),
                    if d.wbp_relation.is_empty() {
                        String::new()
                    } else {
                        format!(", hubungan: {}", d.wbp_relation)
                    }
                );
            }
            for m in &d.members {
                let birth = m
                    .birth_date
                    .as_deref()
                    .and_then(bansos::family::model::parse_date)
                    .map(|b| locale::long_date(b, lang))
                    .unwrap_or_default();
                println!(
                    "  {}\t{}{}\t{}\t{}\t{}",
                    m.relationship.label_id(),
                    m.nik.clone().unwrap_or_else(|| "-".into()),
                    if m.nik_temporary {
                        " (NIK sementara)"
                    } else {
                        ""
                    },
                    m.name,
                    m.sex
                        .map(|s| if s == Sex::L { "L" } else { "P" })
                        .unwrap_or("-"),
                    birth
                );
            }
            let reasons: Vec<&str> = d.reasons.iter().map(|r| r.label_id()).collect();
            println!(
                "Alasan: {}{}",
                reasons.join("; "),
                if d.reason_note.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", d.reason_note)
                }
            );
            if let Some(dec) = d.dtks_decile {
                println!("Desil DTKS/DTSEN: {dec}");
            }
            println!(
                "Persetujuan: {}",
                d.consent_date.clone().unwrap_or_else(|| "belum".into())
            );
            match d.verification {
                Verification::Verified => println!(
                    "Terverifikasi oleh {} pada {}: {}",
                    d.verified_by.clone().unwrap_or_default(),
                    d.verified_at.clone().unwrap_or_default(),
                    d.evidence_note
                ),
                Verification::Draft => println!("Verifikasi: draf"),
            }
            if !d.active {
                println!("NONAKTIF: {}", d.inactive_reason);
            }
            if !d.nik_full {
                println!("(NIK disamarkan untuk peran Anda)");
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
                return Err(Failure::Msg(format!(
                    "{problem} Kolom berkas: {}. Pakai --map \"JUDUL=nik,JUDUL=nama\".",
                    p.headers.join(", ")
                )));
            }
            if ctx.json && dry_run {
                return print_json(&p).map(|_| ExitCode::SUCCESS);
            }
            if !ctx.json {
                println!("Berkas {} ({})", p.file_name, p.encoding);
                let cols: Vec<String> = p
                    .headers
                    .iter()
                    .zip(&p.mapping)
                    .filter_map(|(h, m)| m.map(|m| format!("{h} → {}", m.label_id())))
                    .collect();
                println!(
                    "Kolom{}: {}",
                    if p.mapping_remembered {
                        " (pemetaan diingat)"
                    } else {
                        ""
                    },
                    cols.join(", ")
                );
                for r in &p.rows {
                    match r.status {
                        RowStatus::Error => println!(
                            "Baris {}{}: {}",
                            r.line,
                            r.column
                                .as_ref()
                                .map(|c| format!(", kolom {c}"))
                                .unwrap_or_default(),
                            r.message.clone().unwrap_or_default()
                        ),
                        RowStatus::Ok => {
                            for w in &r.warnings {
                                println!("Baris {} (peringatan): {w}", r.line);
                            }
                        }
                        RowStatus::Empty => {}
                    }
                }
                println!(
                    "Siap diimpor: {}, bermasalah: {}, kosong: {}",
                    p.ok, p.errors, p.empty
                );
            }
            if dry_run {
                return ok();
            }
            let r = app.import_commit(&name, &bytes, mapping.as_deref(), category)?;
            if ctx.json {
                print_json(&r)?;
            } else {
                println!(
                    "Diimpor {} keluarga{} sebagai draf; {} baris bermasalah dilewati.",
                    r.imported,
                    match (&r.first_code, &r.last_code) {
                        (Some(a), Some(b)) if a != b => format!(" ({a} s.d. {b})"),
                        (Some(a), _) => format!(" ({a})"),
                        _ => String::new(),
                    },
                    r.skipped_errors
                );
            }
            ok()
        }
        FamilyCmd::Export { file } => {
            let n = app.export_to(&file)?;
            if ctx.json {
                print_json(&serde_json::json!({"path": file, "families": n}))?;
            } else {
                println!("{n} keluarga diekspor ke {}", file.display());
            }
            ok()
        }
        FamilyCmd::Verify { family, evidence } => {
            let d = app.family_verify(family_id(&family)?, &evidence)?;
            println!("Keluarga {} terverifikasi.", d.code);
            ok()
        }
        FamilyCmd::Deactivate { family, reason } => {
            let d = app.family_set_active(family_id(&family)?, false, &reason)?;
            println!("Keluarga {} dinonaktifkan.", d.code);
            ok()
        }
        FamilyCmd::Activate { family } => {
            let d = app.family_set_active(family_id(&family)?, true, "")?;
            println!("Keluarga {} aktif kembali.", d.code);
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
                    return Err(Failure::Msg("pilih --distinct atau --keep KODE".into()))
                }
            };
            app.resolve_duplicate(pair, &r)?;
            println!("Pasangan #{pair} diselesaikan.");
            ok()
        }
    }
}

fn word(lang: Lang) -> &'static str {
    if lang == Lang::Id {
        "galat"
    } else {
        "error"
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
        println!(
            "#{}\t{:?}\t{}%\t{} {} ~ {} {}\t{:?}",
            p.id, p.kind, p.score, p.a.code, p.a.head_name, p.b.code, p.b.head_name, p.status
        );
    }
    if list.is_empty() {
        println!("Tidak ada pasangan duplikat.");
    }
    ok()
}

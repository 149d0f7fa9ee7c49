//! The `bansos` command line: parses, signs in, calls `App`, prints. Messages follow `--lang`
//! (Bahasa Indonesia by default). Passwords come from a prompt, or from `BANSOS_PASSWORD` for
//! scripts; a new account's password from `BANSOS_NEW_PASSWORD` or a prompt.

use bansos::app::{FacilitySettings, StoreStatus};
use bansos::clock::SystemClock;
use bansos::error::Error;
use bansos::facility::{
    FacilityKind, FacilityProfile, FacilitySetup, RegionalKeyInput, DEFAULT_RECEIPT_PATTERN,
};
use bansos::locale::{self, Lang, TimeZone};
use bansos::staff::{NewStaff, Role};
use bansos::{App, Credentials};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

mod event;
mod family;
mod receipt;
mod stock;

#[derive(Parser)]
#[command(
    name = "bansos",
    version,
    about = "Bansos: catatan bantuan sosial UPT Pemasyarakatan (baris perintah)"
)]
struct Cli {
    /// Berkas basis data [default: folder data pengguna/bansos/bansos.db]
    #[arg(long, env = "BANSOS_DB", global = true)]
    db: Option<PathBuf>,
    /// Nama pengguna untuk masuk
    #[arg(long, short = 'u', env = "BANSOS_USER", global = true)]
    user: Option<String>,
    /// Bahasa pesan: id atau en
    #[arg(long, env = "BANSOS_LANG", global = true, default_value = "id")]
    lang: String,
    /// Keluaran JSON (untuk skrip)
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Penyiapan awal: profil UPT, pasangan kunci, akun Admin pertama
    Init(Box<InitArgs>),
    /// Keadaan basis data (tanpa masuk)
    Status,
    /// Profil UPT dan kunci
    #[command(subcommand)]
    Facility(FacilityCmd),
    /// Akun staf
    #[command(subcommand)]
    Staff(StaffCmd),
    /// Log audit
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Buat cadangan sekarang
    Backup {
        /// Folder tujuan (mis. flashdisk); bawaan: folder backups di samping basis data
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Daftar cadangan
    Backups,
    /// Pulihkan dari cadangan (basis data lama disimpan, tidak dihapus). Tutup aplikasi dulu.
    Restore {
        /// Berkas .bansos-backup
        file: PathBuf,
    },
    /// Ganti kata sandi sendiri
    Passwd,
    /// Ukur kecepatan pada data buatan seukuran SPEC §3 (basis data sementara, tidak menyentuh data Anda)
    Bench {
        /// Jumlah keluarga buatan
        #[arg(long, default_value_t = 100_000)]
        families: usize,
    },
    /// Paket sembako (templat)
    #[command(subcommand)]
    Package(event::PackageCmd),
    /// Kegiatan penyaluran: buat, tambah penerima, laporan kekurangan, setujui, selesaikan, batalkan, berkas (daftar hadir, semua BAST)
    #[command(subcommand)]
    Event(event::EventCmd),
    /// Serah terima paket kepada satu keluarga (atau wakilnya): stok keluar, nomor BAST berikutnya
    Handover(event::HandoverArgs),
    /// BAST: cetak PDF, periksa kode QR
    #[command(subcommand)]
    Receipt(receipt::ReceiptCmd),
    /// Stok: penerimaan, saldo, kartu stok, penyesuaian, stock opname
    #[command(subcommand)]
    Stock(stock::StockCmd),
    /// Daftar penerima: keluarga, impor/ekspor, duplikat
    #[command(subcommand)]
    Family(family::FamilyCmd),
}

#[derive(Args)]
struct InitArgs {
    /// Nama UPT, mis. "Rutan Kelas IIB Blora"
    #[arg(long)]
    name: String,
    /// RUTAN, LAPAS atau LPKA
    #[arg(long, value_parser = parse_kind)]
    kind: FacilityKind,
    /// Kelas, mis. IIB
    #[arg(long)]
    class: String,
    /// Kode UPT, mis. RUTAN-BLORA
    #[arg(long)]
    code: String,
    #[arg(long)]
    province: String,
    /// mis. "Kanwil Ditjenpas Jawa Tengah"
    #[arg(long)]
    kanwil: String,
    #[arg(long)]
    address: String,
    /// WIB, WITA atau WIT
    #[arg(long, value_parser = parse_tz, default_value = "WIB")]
    tz: TimeZone,
    /// Nama Kepala UPT
    #[arg(long)]
    head_name: String,
    /// NIP Kepala UPT (18 angka)
    #[arg(long, default_value = "")]
    head_nip: String,
    /// Pola nomor BAST
    #[arg(long, default_value = DEFAULT_RECEIPT_PATTERN)]
    receipt_pattern: String,
    /// Kunci publik Kanwil: LABEL=KUNCI (boleh berulang)
    #[arg(long = "regional-key")]
    regional_keys: Vec<String>,
    /// Berkas logo PNG/JPEG
    #[arg(long)]
    logo: Option<PathBuf>,
    /// Nama pengguna Admin pertama
    #[arg(long)]
    admin_username: String,
    /// Nama lengkap Admin pertama
    #[arg(long)]
    admin_name: String,
    #[arg(long, default_value = "")]
    admin_nip: String,
    /// Jabatan Admin pertama
    #[arg(long, default_value = "")]
    admin_position: String,
}

#[derive(Subcommand)]
enum FacilityCmd {
    /// Tampilkan profil UPT, kunci publik dan kunci Kanwil
    Show,
    /// Ubah batas waktu tidak aktif (menit)
    SetIdle { minutes: u32 },
    /// Daftarkan kunci publik Kanwil
    AddRegionalKey {
        #[arg(long)]
        label: String,
        #[arg(long)]
        key: String,
    },
}

#[derive(Subcommand)]
enum StaffCmd {
    /// Daftar staf
    List,
    /// Tambah staf (kata sandi dari BANSOS_NEW_PASSWORD atau ditanya)
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        nip: String,
        #[arg(long, default_value = "")]
        position: String,
        /// petugas, verifikator, kepala_upt atau admin
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Nonaktifkan akun
    Deactivate {
        username: String,
        #[arg(long)]
        reason: String,
    },
    /// Aktifkan lagi (dengan kata sandi baru)
    Activate { username: String },
    /// Buka kunci akun yang terkunci
    Unlock { username: String },
    /// Atur ulang kata sandi (kata sandi baru dari BANSOS_NEW_PASSWORD atau ditanya)
    ResetPassword { username: String },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Periksa rantai hash log audit; keluar bukan-nol bila ada yang diubah
    Verify,
    /// Entri terbaru
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

fn parse_kind(s: &str) -> Result<FacilityKind, String> {
    FacilityKind::parse(s)
        .ok_or_else(|| format!("jenis UPT '{s}' tidak dikenal (RUTAN, LAPAS, LPKA)"))
}
fn parse_tz(s: &str) -> Result<TimeZone, String> {
    TimeZone::parse(s).ok_or_else(|| format!("zona waktu '{s}' tidak dikenal (WIB, WITA, WIT)"))
}
fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        format!("peran '{s}' tidak dikenal (petugas, verifikator, kepala_upt, admin)")
    })
}

struct Ctx {
    db: PathBuf,
    user: Option<String>,
    lang: Lang,
    json: bool,
}

/// A failure to report: either the core's error or a message of the command line itself.
enum Failure {
    Core(Error),
    Msg(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

type Out = Result<ExitCode, Failure>;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return clap_failure(e),
    };
    let lang = Lang::from_code(&cli.lang).unwrap_or_default();
    let ctx = Ctx {
        db: cli.db.clone().unwrap_or_else(bansos::default_db_path),
        user: cli.user.clone(),
        lang,
        json: cli.json,
    };
    match run(&ctx, cli.command) {
        Ok(code) => code,
        Err(Failure::Core(e)) => {
            let word = if lang == Lang::Id { "galat" } else { "error" };
            eprintln!("{word}: {}", e.message(lang));
            ExitCode::from(1)
        }
        Err(Failure::Msg(m)) => {
            eprintln!("{}: {m}", if lang == Lang::Id { "galat" } else { "error" });
            ExitCode::from(1)
        }
    }
}

/// Clap's own messages are English; put an Indonesian sentence first so the user knows what kind
/// of mistake it is, and keep clap's detail (it names the argument).
fn clap_failure(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind as K;
    match e.kind() {
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let id = match e.kind() {
        K::InvalidValue | K::ValueValidation => "nilai argumen tidak sah",
        K::UnknownArgument => "argumen tidak dikenal",
        K::InvalidSubcommand => "perintah tidak dikenal",
        K::MissingRequiredArgument => "argumen wajib belum diberikan",
        K::MissingSubcommand => "perintah belum diberikan",
        K::TooManyValues | K::WrongNumberOfValues | K::TooFewValues => "jumlah nilai argumen salah",
        K::ArgumentConflict => "argumen saling bertentangan",
        _ => "perintah tidak dapat dipahami",
    };
    eprintln!("galat: {id}. Lihat `bansos --help`.");
    let _ = e.print();
    ExitCode::from(2)
}

fn password_from(var: &str, prompt: &str, confirm: bool) -> Result<String, Failure> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    let p = rpassword::prompt_password(prompt).map_err(|_| {
        Failure::Msg(format!(
            "tidak ada terminal untuk menanyakan kata sandi; isi variabel {var}"
        ))
    })?;
    if confirm {
        let again = rpassword::prompt_password("Ulangi kata sandi: ")
            .map_err(|e| Failure::Msg(e.to_string()))?;
        if again != p {
            return Err(Failure::Msg(
                "kedua kata sandi tidak sama; tidak ada yang diubah".into(),
            ));
        }
    }
    Ok(p)
}

fn sign_in(ctx: &Ctx) -> Result<App, Failure> {
    let user = ctx.user.clone().ok_or_else(|| {
        Failure::Msg("nama pengguna belum diberikan: --user atau BANSOS_USER".into())
    })?;
    let pw = password_from("BANSOS_PASSWORD", "Kata sandi: ", false)?;
    Ok(App::open(
        &ctx.db,
        Arc::new(SystemClock),
        &Credentials::new(&user, &pw),
    )?)
}

fn print_json<T: Serialize>(v: &T) -> Result<(), Failure> {
    println!(
        "{}",
        serde_json::to_string_pretty(v).map_err(|e| Failure::Msg(e.to_string()))?
    );
    Ok(())
}

/// A fresh folder under the system's temporary folder for `bansos bench`.
fn tempfile_dir() -> Result<PathBuf, Failure> {
    let d = std::env::temp_dir().join(format!("bansos-bench-{}", std::process::id()));
    std::fs::create_dir_all(&d)
        .map_err(|e| Failure::Msg(format!("folder {} tidak dapat dibuat: {e}", d.display())))?;
    Ok(d)
}

fn ok() -> Out {
    Ok(ExitCode::SUCCESS)
}

fn run(ctx: &Ctx, cmd: Command) -> Out {
    match cmd {
        Command::Init(a) => init(ctx, *a),
        Command::Status => status(ctx, App::status(&ctx.db)?),
        Command::Facility(c) => facility(ctx, c),
        Command::Staff(c) => staff(ctx, c),
        Command::Audit(c) => audit(ctx, c),
        Command::Backup { out } => {
            let mut app = sign_in(ctx)?;
            let info = match out {
                Some(dir) => app.backup_to(&dir)?,
                None => app.backup_now()?,
            };
            if ctx.json {
                print_json(&info)?;
            } else {
                println!("Cadangan dibuat: {} ({} bita)", info.path, info.size_bytes);
            }
            ok()
        }
        Command::Backups => {
            let mut app = sign_in(ctx)?;
            let list = app.backups()?;
            if ctx.json {
                print_json(&list)?;
            } else {
                for b in &list {
                    println!(
                        "{}\t{:?}\t{} bita\t{}",
                        b.created_at, b.kind, b.size_bytes, b.path
                    );
                }
            }
            ok()
        }
        Command::Restore { file } => {
            let user = ctx.user.clone().ok_or_else(|| {
                Failure::Msg("nama pengguna belum diberikan: --user atau BANSOS_USER".into())
            })?;
            let pw = password_from(
                "BANSOS_PASSWORD",
                "Kata sandi (akun Admin di cadangan): ",
                false,
            )?;
            let r = App::restore(
                &ctx.db,
                &file,
                Arc::new(SystemClock),
                &Credentials::new(&user, &pw),
            )?;
            if ctx.json {
                print_json(&r)?;
            } else {
                println!(
                    "Dipulihkan dari cadangan {} (skema {}).",
                    r.backup_created_at, r.schema_version
                );
                if let Some(p) = r.previous_kept_as {
                    println!("Basis data sebelumnya disimpan sebagai {p}");
                }
            }
            ok()
        }
        Command::Family(c) => family::run(ctx, c),
        Command::Stock(c) => stock::run(ctx, c),
        Command::Package(c) => event::package(ctx, c),
        Command::Event(c) => event::event(ctx, c),
        Command::Handover(a) => event::handover(ctx, a),
        Command::Receipt(c) => receipt::receipt(ctx, c),
        Command::Bench { families } => {
            let dir = tempfile_dir()?;
            let r = bansos::bench::registry(&dir, families.max(10));
            let _ = std::fs::remove_dir_all(&dir);
            let r = r?;
            if ctx.json {
                print_json(&r)?;
            } else {
                println!(
                    "{} keluarga, {} orang; data dibuat dalam {:.1} s; indeks nama dibangun dalam {:.0} ms{}",
                    r.families,
                    r.persons,
                    r.seed_seconds,
                    r.index_build_ms,
                    r.index_rss_mb.map(|m| format!(" (+{m:.0} MB memori)")).unwrap_or_default()
                );
                println!(
                    "{:<45} {:>6} {:>9} {:>9} {:>9}",
                    "ukuran", "kali", "p50 ms", "p95 ms", "maks ms"
                );
                for t in &r.timings {
                    println!(
                        "{:<45} {:>6} {:>9.2} {:>9.2} {:>9.2}",
                        t.what, t.runs, t.p50_ms, t.p95_ms, t.max_ms
                    );
                }
            }
            ok()
        }
        Command::Passwd => {
            let mut app = sign_in(ctx)?;
            let new = password_from("BANSOS_NEW_PASSWORD", "Kata sandi baru: ", true)?;
            let old = std::env::var("BANSOS_PASSWORD").or_else(|_| {
                rpassword::prompt_password("Kata sandi lama (sekali lagi): ")
                    .map_err(|e| Failure::Msg(e.to_string()))
            })?;
            app.change_password(&old, &new)?;
            println!("Kata sandi diganti.");
            ok()
        }
    }
}

fn status(ctx: &Ctx, s: StoreStatus) -> Out {
    if ctx.json {
        print_json(&s)?;
    } else if s.initialized {
        println!("{}: {}", s.db_path, s.facility_label.unwrap_or_default());
    } else {
        println!("{}: belum disiapkan (jalankan `bansos init`)", s.db_path);
    }
    ok()
}

fn init(ctx: &Ctx, a: InitArgs) -> Out {
    use base64::Engine;
    let logo = match &a.logo {
        Some(p) => Some(
            base64::engine::general_purpose::STANDARD
                .encode(std::fs::read(p).map_err(|e| Error::io(p, e))?),
        ),
        None => None,
    };
    let regional_keys = a
        .regional_keys
        .iter()
        .map(|s| {
            s.split_once('=')
                .map(|(l, k)| RegionalKeyInput {
                    label: l.into(),
                    public_key: k.into(),
                })
                .ok_or_else(|| Failure::Msg(format!("--regional-key '{s}': tulis LABEL=KUNCI")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let setup = FacilitySetup {
        profile: FacilityProfile {
            name: a.name,
            kind: a.kind,
            class: a.class,
            code: a.code,
            province: a.province,
            kanwil: a.kanwil,
            address: a.address,
            time_zone: a.tz,
            head_name: a.head_name,
            head_nip: a.head_nip,
        },
        receipt_pattern: a.receipt_pattern,
        logo_base64: logo,
        regional_keys,
    };
    // Check the facility fields before asking for a password, so a typo costs nothing.
    setup.profile.validated()?;
    let password = password_from("BANSOS_PASSWORD", "Kata sandi Admin baru: ", true)?;
    let admin = NewStaff {
        username: a.admin_username,
        full_name: a.admin_name,
        nip: a.admin_nip,
        position: a.admin_position,
        role: Role::Admin,
        password,
    };
    let mut app = App::init(&ctx.db, Arc::new(SystemClock), &setup, &admin)?;
    let f = app.facility()?;
    if ctx.json {
        print_json(&f)?;
    } else {
        println!("UPT {} disiapkan di {}", f.profile.name, ctx.db.display());
        println!("Kunci publik UPT: {}", f.public_key_hex);
        println!("Sidik jari: {}", f.fingerprint);
    }
    ok()
}

fn facility(ctx: &Ctx, c: FacilityCmd) -> Out {
    let mut app = sign_in(ctx)?;
    let f = match c {
        FacilityCmd::Show => app.facility()?,
        FacilityCmd::SetIdle { minutes } => {
            let cur = app.facility()?;
            app.update_facility(&FacilitySettings {
                profile: cur.profile,
                receipt_pattern: cur.receipt_pattern,
                idle_minutes: minutes,
            })?
        }
        FacilityCmd::AddRegionalKey { label, key } => app.add_regional_key(&RegionalKeyInput {
            label,
            public_key: key,
        })?,
    };
    if ctx.json {
        return print_json(&f).map(|_| ExitCode::SUCCESS);
    }
    let p = &f.profile;
    println!(
        "{} ({} Kelas {}), kode {}",
        p.name,
        p.kind.long_name(),
        p.class,
        p.code
    );
    println!("{}; {}, {}", p.address, p.province, p.kanwil);
    println!(
        "Zona waktu {}; Kepala UPT {} NIP {}",
        p.time_zone.code(),
        p.head_name,
        p.head_nip
    );
    println!("Pola nomor BAST: {}", f.receipt_pattern);
    println!(
        "Kunci publik: {}  (sidik jari {})",
        f.public_key_hex, f.fingerprint
    );
    for k in &f.regional_keys {
        println!(
            "Kunci Kanwil #{}: {} {} ({})",
            k.id, k.label, k.public_key_hex, k.fingerprint
        );
    }
    ok()
}

fn find_staff(app: &mut App, username: &str) -> Result<i64, Failure> {
    let u = username.trim().to_ascii_lowercase();
    app.staff_list()?
        .into_iter()
        .find(|s| s.username == u)
        .map(|s| s.id)
        .ok_or_else(|| Failure::Msg(format!("staf dengan nama pengguna '{username}' tidak ada")))
}

fn staff(ctx: &Ctx, c: StaffCmd) -> Out {
    let mut app = sign_in(ctx)?;
    match c {
        StaffCmd::List => {
            let list = app.staff_list()?;
            if ctx.json {
                print_json(&list)?;
            } else {
                for s in list {
                    let state = if !s.active {
                        "nonaktif"
                    } else if s.locked_until.is_some() {
                        "terkunci"
                    } else {
                        "aktif"
                    };
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        s.username,
                        s.full_name,
                        s.role.label(),
                        s.nip,
                        state
                    );
                }
            }
        }
        StaffCmd::Add {
            username,
            name,
            nip,
            position,
            role,
        } => {
            let password = password_from("BANSOS_NEW_PASSWORD", "Kata sandi staf baru: ", true)?;
            let s = app.add_staff(&NewStaff {
                username,
                full_name: name,
                nip,
                position,
                role,
                password,
            })?;
            if ctx.json {
                print_json(&s)?;
            } else {
                println!("Staf {} ({}) ditambahkan.", s.username, s.role.label());
            }
        }
        StaffCmd::Deactivate { username, reason } => {
            let id = find_staff(&mut app, &username)?;
            app.set_staff_active(id, false, &reason, None)?;
            println!("Akun {username} dinonaktifkan.");
        }
        StaffCmd::Activate { username } => {
            let id = find_staff(&mut app, &username)?;
            let pw = password_from("BANSOS_NEW_PASSWORD", "Kata sandi baru: ", true)?;
            app.set_staff_active(id, true, "", Some(&pw))?;
            println!("Akun {username} diaktifkan lagi.");
        }
        StaffCmd::Unlock { username } => {
            let id = find_staff(&mut app, &username)?;
            app.unlock_staff(id)?;
            println!("Akun {username} dibuka kuncinya.");
        }
        StaffCmd::ResetPassword { username } => {
            let id = find_staff(&mut app, &username)?;
            let pw = password_from("BANSOS_NEW_PASSWORD", "Kata sandi baru: ", true)?;
            app.reset_password(id, &pw)?;
            println!("Kata sandi {username} diatur ulang.");
        }
    }
    ok()
}

fn audit(ctx: &Ctx, c: AuditCmd) -> Out {
    let mut app = sign_in(ctx)?;
    match c {
        AuditCmd::Verify => {
            let r = app.audit_verify()?;
            if ctx.json {
                print_json(&r)?;
            } else if r.ok {
                println!(
                    "Rantai audit utuh: {} entri, kepala {}",
                    r.entries,
                    &r.head_hash[..16]
                );
            } else {
                for p in &r.problems {
                    println!("entri {}: {}", p.seq, p.kind.describe(ctx.lang));
                }
            }
            if !r.ok {
                eprintln!(
                    "{}",
                    if ctx.lang == Lang::Id {
                        "galat: log audit telah diubah di luar program"
                    } else {
                        "error: the audit log was altered outside the program"
                    }
                );
                return Ok(ExitCode::from(3));
            }
        }
        AuditCmd::List { limit } => {
            let list = app.audit_list(None, limit)?;
            let tz = app.facility()?.profile.time_zone;
            if ctx.json {
                print_json(&list)?;
            } else {
                for e in list {
                    let when = chrono::DateTime::parse_from_rfc3339(&e.at)
                        .map(|t| locale::date_time(t.with_timezone(&chrono::Utc), tz, ctx.lang))
                        .unwrap_or(e.at.clone());
                    println!(
                        "{}\t{}\t{}\t{}\t{}:{}",
                        e.seq, when, e.actor, e.action, e.entity, e.entity_id
                    );
                }
            }
        }
    }
    ok()
}

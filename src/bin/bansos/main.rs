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
use std::sync::{Arc, OnceLock};

mod dashboard;
mod event;
mod exchange;
mod family;
mod help_en;
mod inbox;
mod label;
mod month;
mod receipt;
mod stock;

#[derive(Parser)]
#[command(
    name = "bansos",
    version,
    about = "Bansos: catatan bantuan sosial UPT Pemasyarakatan (baris perintah)"
)]
struct Cli {
    /// Berkas basis data [bawaan: folder data pengguna/bansos/bansos.db]
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
    /// Beranda: bulan ini sekilas (di Kanwil: bulan lalu seprovinsi)
    Dashboard,
    /// Ganti kata sandi sendiri
    Passwd,
    /// Ukur kecepatan pada data buatan seukuran SPEC §3 (basis data sementara, tidak menyentuh data Anda)
    Bench {
        /// Jumlah keluarga buatan (bawaan 100.000, paling sedikit 8.334: satu bulan serah terima riwayat buatan; paling banyak 1.000.000; dengan --province: per UPT, bawaan 40)
        #[arg(long)]
        families: Option<usize>,
        /// Alih-alih: impor Kanwil atas bundel sekian UPT contoh (mis. 30), --months bulan masing-masing
        #[arg(long)]
        province: Option<usize>,
        /// Bulan per UPT untuk --province
        #[arg(long, default_value_t = 12, requires = "province")]
        months: u32,
        /// Dengan --province: semua UPT mengunggah sekaligus ke `bansos inbox serve` (uji beban kotak masuk)
        #[arg(long, requires = "province")]
        inbox: bool,
        /// Simpan basis data buatan di folder ini (untuk mengukur jendela), jangan dihapus; dengan --province: bundelnya di FOLDER/bundles dan Kanwil sebelum impor di FOLDER/kanwil-before
        #[arg(long, value_name = "FOLDER")]
        keep: Option<PathBuf>,
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
    /// Tutup buku bulanan: daftar bulan, daftar periksa, tutup, buka kembali
    #[command(subcommand)]
    Month(month::MonthCmd),
    /// Laporan bulanan bulan yang sudah ditutup: PDF dan XLSX
    Report(month::ReportArgs),
    /// Bundel bulanan bertanda tangan untuk Kanwil: simpan, periksa, lihat isinya
    #[command(subcommand)]
    Bundle(exchange::BundleCmd),
    /// Kotak keluar ke Kanwil: daftar bundel, kirim (unggah ke kotak masuk Kanwil atau salin ke flashdisk), alamat kotak masuk, impor jawaban Kanwil
    #[command(subcommand)]
    Outbox(exchange::OutboxCmd),
    /// Mode regional (Kanwil): daftarkan UPT, impor bundel, rekap, kelengkapan, duplikat antar-UPT
    #[command(subcommand)]
    Regional(exchange::RegionalCmd),
    /// Server kotak masuk Kanwil: UPT mengunggah bundel lewat HTTP (mode regional)
    #[command(subcommand)]
    Inbox(inbox::InboxCmd),
    /// Buat UPT contoh yang realistis di basis data baru (--db): keluarga, stok, kegiatan, serah terima, bulan-bulan ditutup
    Demo {
        /// Jumlah keluarga (10–12.000)
        #[arg(long, default_value_t = 300)]
        families: usize,
        /// Lama riwayat dalam tahun (1–5)
        #[arg(long, default_value_t = 1, conflicts_with = "months")]
        years: u32,
        /// …atau dalam bulan (1–60)
        #[arg(long)]
        months: Option<u32>,
        /// Benih acak: benih yang sama, data yang sama
        #[arg(long, default_value_t = 2024)]
        seed: u64,
        /// Bulan terakhir yang dibuat dan ditutup [bawaan: bulan lalu]
        #[arg(long)]
        until: Option<String>,
        /// Buat Kanwil contoh (mode regional, di --db) dengan sekian UPT contoh yang terdaftar dan semua bundelnya
        #[arg(long)]
        province: Option<usize>,
    },
}

#[derive(Args)]
struct InitArgs {
    /// Nama UPT, mis. "Rutan Kelas IIB Blora"
    #[arg(long)]
    name: String,
    /// Mode regional: basis data ini milik Kanwil (menerima bundel UPT), bukan UPT
    #[arg(long)]
    regional: bool,
    /// RUTAN, LAPAS atau LPKA (tidak untuk --regional)
    #[arg(long, value_parser = parse_kind, required_unless_present = "regional")]
    kind: Option<FacilityKind>,
    /// Kelas, mis. IIB
    #[arg(long, required_unless_present = "regional")]
    class: Option<String>,
    /// Batas laporan UPT: tanggal berapa bulan berikutnya (1–28; --regional)
    #[arg(long, requires = "regional", value_parser = parse_due_day)]
    due_day: Option<u32>,
    /// Kode UPT, mis. RUTAN-BLORA
    #[arg(long)]
    code: String,
    /// Provinsi, mis. Jawa Tengah
    #[arg(long)]
    province: String,
    /// mis. "Kanwil Ditjenpas Jawa Tengah" (untuk --regional: sama dengan --name)
    #[arg(long, required_unless_present = "regional")]
    kanwil: Option<String>,
    /// Alamat UPT
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
    /// NIP Admin pertama (boleh kosong)
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
    /// Kunci publik UPT sebagai KODE=KUNCI (untuk Kanwil dan `receipt verify --key`)
    Key,
    /// Ubah batas waktu tidak aktif (menit)
    SetIdle {
        /// Menit tanpa kegiatan sebelum keluar otomatis (1–240)
        minutes: u32,
    },
    /// Buat berkas pendaftaran UPT untuk Kanwil (profil dan kunci publik, ditandatangani)
    Registration {
        /// Berkas atau folder tujuan
        #[arg(long)]
        out: PathBuf,
    },
    /// Impor berkas pengesahan dari Kanwil (kunci Kanwil dan kunci provinsi)
    Enroll {
        /// Berkas pengesahan (.bansos-enrollment) dari Kanwil
        file: PathBuf,
        /// Sidik jari kunci Kanwil yang dibacakan lewat telepon (bila kuncinya belum dikenal)
        #[arg(long)]
        fingerprint: Option<String>,
    },
    /// Ganti kunci tanda tangan UPT; simpan pernyataan (ditandatangani kunci lama dan baru) untuk Kanwil
    RotateKey {
        /// Alasan penggantian (dicatat di log audit dan dikirim ke Kanwil)
        #[arg(long)]
        reason: String,
        /// Berkas atau folder tujuan pernyataan
        #[arg(long)]
        out: PathBuf,
    },
    /// Buat daftar nama (BNBA) satu bulan yang sudah ditutup, atas permintaan Kanwil (terenkripsi untuk Kanwil)
    Byname {
        /// Bulan, mis. 2024-11
        month: String,
        /// Nomor surat permintaan Kanwil
        #[arg(long)]
        reference: String,
        /// Berkas atau folder tujuan
        #[arg(long)]
        out: PathBuf,
    },
    /// Simpan lagi pernyataan ganti kunci terakhir
    Rotation {
        /// Berkas atau folder tujuan
        #[arg(long)]
        out: PathBuf,
    },
    /// Daftarkan kunci publik Kanwil
    AddRegionalKey {
        /// Nama Kanwil pemilik kunci, mis. "Kanwil Jawa Tengah"
        #[arg(long)]
        label: String,
        /// Kunci publik Kanwil (heksadesimal)
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
        /// Nama pengguna untuk masuk (3–32 karakter: huruf, angka, titik, garis bawah, minus)
        #[arg(long)]
        username: String,
        /// Nama lengkap
        #[arg(long)]
        name: String,
        /// NIP (boleh kosong)
        #[arg(long, default_value = "")]
        nip: String,
        /// Jabatan
        #[arg(long, default_value = "")]
        position: String,
        /// petugas, verifikator, kepala_upt atau admin
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Nonaktifkan akun
    Deactivate {
        /// Nama pengguna
        username: String,
        /// Alasan (dicatat di log audit)
        #[arg(long)]
        reason: String,
    },
    /// Aktifkan lagi (dengan kata sandi baru)
    Activate {
        /// Nama pengguna
        username: String,
    },
    /// Buka kunci akun yang terkunci
    Unlock {
        /// Nama pengguna
        username: String,
    },
    /// Atur ulang kata sandi (kata sandi baru dari BANSOS_NEW_PASSWORD atau ditanya)
    ResetPassword {
        /// Nama pengguna
        username: String,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Periksa rantai hash log audit; keluar bukan-nol bila ada yang diubah
    Verify,
    /// Entri terbaru
    List {
        /// Jumlah entri
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

fn parse_kind(s: &str) -> Result<FacilityKind, Refusal> {
    FacilityKind::parse(s)
        .filter(|k| *k != FacilityKind::Kanwil)
        .ok_or_else(|| {
            refuse(
                format!("jenis UPT '{s}' tidak dikenal (RUTAN, LAPAS, LPKA)"),
                format!("unknown facility kind '{s}' (RUTAN, LAPAS, LPKA)"),
            )
        })
}
/// A whole number in `range`, or the refusal `why` (Indonesian, English).
fn number_in(
    s: &str,
    range: std::ops::RangeInclusive<u32>,
    why: (&str, &str),
) -> Result<u32, Refusal> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| refuse(why.0.to_owned(), why.1.to_owned()))
}
/// A report's due day: the 1st to the 28th of the next month (every month has them).
pub(crate) fn parse_due_day(s: &str) -> Result<u32, Refusal> {
    number_in(
        s,
        1..=28,
        ("isi tanggal 1 sampai 28", "give a day from 1 to 28"),
    )
}
/// A report's revision: 1, 2, … (a reopened month closes again at the next).
pub(crate) fn parse_revision(s: &str) -> Result<u32, Refusal> {
    number_in(
        s,
        1..=10_000,
        ("revisi dimulai dari 1", "revisions start at 1"),
    )
}
fn parse_tz(s: &str) -> Result<TimeZone, Refusal> {
    TimeZone::parse(s).ok_or_else(|| {
        refuse(
            format!("zona waktu '{s}' tidak dikenal (WIB, WITA, WIT)"),
            format!("unknown time zone '{s}' (WIB, WITA, WIT)"),
        )
    })
}
fn parse_role(s: &str) -> Result<Role, Refusal> {
    Role::parse(s).ok_or_else(|| {
        refuse(
            format!("peran '{s}' tidak dikenal (petugas, verifikator, kepala_upt, admin)"),
            format!("unknown role '{s}' (petugas, verifikator, kepala_upt, admin)"),
        )
    })
}

struct Ctx {
    db: PathBuf,
    user: Option<String>,
    lang: Lang,
    json: bool,
}

/// The language of this run, read from `--lang` or `BANSOS_LANG` before anything else is parsed,
/// so that value parsers and the refusals of bad arguments speak it too.
static LANG: OnceLock<Lang> = OnceLock::new();

pub(crate) fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// The sentence in this run's language.
macro_rules! tr {
    ($id:expr, $en:expr $(,)?) => {
        if crate::lang() == bansos::locale::Lang::Id {
            $id
        } else {
            $en
        }
    };
}

/// Prints one line in this run's language:
/// `say!("Staf {} ditambahkan.", "Staff {} added.", name)`.
macro_rules! say {
    ($id:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        if crate::lang() == bansos::locale::Lang::Id {
            crate::emit(format_args!($id $(, $arg)*))
        } else {
            crate::emit(format_args!($en $(, $arg)*))
        }
    };
}

/// Prints one line that reads the same in both languages (data: numbers, names, codes).
macro_rules! out {
    ($($t:tt)*) => {
        crate::emit(format_args!($($t)*))
    };
}

pub(crate) use {out, say, tr};

/// Writes a line to standard output. When the reader has gone (`bansos … | head`), the rest of
/// the output is dropped quietly instead of failing on a closed pipe.
pub(crate) fn emit(line: std::fmt::Arguments) {
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    // Once the reader has gone, nothing more is written, but the command ends as it would have:
    // a refused check still exits non-zero (`bansos receipt verify … | head` is not a pass).
    static READER_GONE: AtomicBool = AtomicBool::new(false);
    if READER_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut o = std::io::stdout().lock();
    if let Err(e) = o.write_fmt(line).and_then(|()| o.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            READER_GONE.store(true, Ordering::Relaxed);
            return;
        }
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            tr!(
                "galat: keluaran tidak dapat ditulis.",
                "error: the output cannot be written."
            )
        );
        std::process::exit(1);
    }
}

/// A refusal of the command line itself (not of the core), in both languages.
/// A progress bar on standard error, drawn only when it is a terminal (never in `--json`).
pub(crate) fn progress_bar(ctx: &Ctx) -> indicatif::ProgressBar {
    if ctx.json {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:32} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar
}

/// A bar on standard error fed by the session's long work (a sheet's rows, receipts printed, a
/// closing's steps, bundles): set before the use case, cleared with `finish_and_clear` after.
pub(crate) fn work_bar(ctx: &Ctx, app: &mut bansos::App) -> indicatif::ProgressBar {
    use bansos::progress::{Progress, Stage, Work};
    let bar = progress_bar(ctx);
    let b = bar.clone();
    app.set_progress(Some(std::sync::Arc::new(move |p: &Progress| {
        let what = match (p.work, p.stage) {
            (Work::ImportRows, _) => tr!("baris diimpor", "rows imported"),
            (Work::PrintReceipts, _) => tr!("BAST dicetak", "receipts printed"),
            (Work::ImportBundles, _) => tr!("bundel diimpor", "bundles imported"),
            (Work::CloseMonth, Some(Stage::Checklist)) => tr!("memeriksa", "checking"),
            (Work::CloseMonth, Some(Stage::Report)) => {
                tr!("menghitung laporan", "computing the report")
            }
            (Work::CloseMonth, Some(Stage::Pdf)) => tr!("PDF laporan", "the report's PDF"),
            (Work::CloseMonth, Some(Stage::Xlsx)) => tr!("XLSX laporan", "the report's XLSX"),
            (Work::CloseMonth, Some(Stage::Bundle)) => tr!("bundel bulan", "the month's bundle"),
            (Work::CloseMonth, None) => tr!("bulan ditutup", "month closed"),
        };
        b.set_length(p.total);
        b.set_position(p.done);
        b.set_message(what);
    })));
    bar
}

fn demo_progress(bar: &indicatif::ProgressBar, p: &bansos::demo::Progress) {
    use bansos::demo::Progress;
    let (done, total, what) = match p {
        Progress::Families { done, total } => {
            (*done, *total, tr!("keluarga", "families").to_owned())
        }
        Progress::Month {
            period,
            done,
            total,
        } => (
            *done,
            *total,
            tr!(
                format!("bulan ditutup ({})", month_words(period)),
                format!("months closed ({})", month_words(period))
            ),
        ),
        Progress::Facility { code, done, total } => (
            *done,
            *total,
            tr!(format!("UPT ({code})"), format!("facilities ({code})")),
        ),
    };
    bar.set_length(total as u64);
    bar.set_position(done as u64);
    bar.set_message(what);
}

fn month_words(p: &str) -> String {
    bansos::month::Month::parse(p).map_or_else(|| p.to_owned(), |m| m.words(lang()))
}

pub(crate) fn msg(id: impl Into<String>, en: impl Into<String>) -> Error {
    Error::new(bansos::ErrorKind::Invalid, id, en)
}

/// A value a value parser refused, already in this run's language (clap keeps it as the
/// source of its error; `clap_failure` prints it).
#[derive(Debug)]
pub(crate) struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

/// A value parser's refusal, in this run's language.
pub(crate) fn refuse(id: String, en: String) -> Refusal {
    Refusal(if lang() == Lang::Id { id } else { en })
}

type Failure = Error;
type Out = Result<ExitCode, Error>;

/// `--lang` (or `--lang=`) from the arguments, else `BANSOS_LANG`, else Indonesian. An unknown
/// language is refused in both languages before anything runs.
fn lang_of_run() -> Result<Lang, String> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut given: Option<String> = None;
    for (i, a) in args.iter().enumerate() {
        let a = a.to_string_lossy();
        if a == "--" {
            break;
        }
        if a == "--lang" {
            given = Some(
                args.get(i + 1)
                    .map(|v| v.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
        } else if let Some(v) = a.strip_prefix("--lang=") {
            given = Some(v.to_owned());
        }
    }
    let given = given.or_else(|| std::env::var("BANSOS_LANG").ok());
    match given {
        None => Ok(Lang::Id),
        Some(code) => Lang::from_code(code.trim()).ok_or(code),
    }
}

fn main() -> ExitCode {
    let lang = match lang_of_run() {
        Ok(l) => l,
        Err(code) => {
            eprintln!(
                "galat: bahasa '{code}' tidak dikenal; pilih id atau en.\nerror: unknown language '{code}'; choose id or en."
            );
            return ExitCode::from(2);
        }
    };
    let _ = LANG.set(lang);
    let cli = match parse(lang) {
        Ok(c) => c,
        Err(e) => return clap_failure(e),
    };
    let ctx = Ctx {
        db: cli.db.clone().unwrap_or_else(bansos::default_db_path),
        user: cli.user.clone(),
        lang,
        json: cli.json,
    };
    // A panic is a defect: said in the run's language instead of Rust's own text, and nothing
    // half-done is kept (a transaction rolls back as the panic unwinds it).
    std::panic::set_hook(Box::new(move |_| eprintln!("{}", panic_message(lang))));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&ctx, cli.command))) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            eprintln!("{} {}", tr!("galat:", "error:"), e.message(lang));
            ExitCode::from(1)
        }
        Err(_) => ExitCode::from(70),
    }
}

/// What a run that met a defect says (exit status 70, the BSD "internal software error").
fn panic_message(lang: Lang) -> &'static str {
    match lang {
        Lang::Id => "galat: kesalahan program; tidak ada yang disimpan. Coba lagi, dan laporkan kepada pengelola aplikasi bila terulang.",
        Lang::En => "error: a program error occurred; nothing was saved. Try again, and tell whoever looks after the program if it happens again.",
    }
}

/// The run's arguments, with `--help` in the run's language.
fn parse(lang: Lang) -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let cmd = match lang {
        Lang::Id => help_en::scaffold(Cli::command(), false, true),
        Lang::En => help_en::scaffold(help_en::english(Cli::command()), true, true),
    };
    Cli::from_arg_matches(&cmd.try_get_matches()?)
}

/// A bad invocation, said in this run's language from what clap found (the argument, the value,
/// the choices, a suggestion); clap's own English sentences and Rust's parse errors are not shown.
/// `--help` and `--version` print as clap renders them.
fn clap_failure(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind as C, ContextValue as V, ErrorKind as K};
    // Help asked for goes to standard output; help shown because a command group was given
    // without its command (`bansos family`) goes to standard error, and the run fails.
    let help = || {
        let text = e.render().to_string();
        match lang() {
            Lang::Id => text.replace("[OPTIONS]", "[OPSI]"),
            Lang::En => text,
        }
    };
    match e.kind() {
        K::DisplayHelp | K::DisplayVersion => {
            out!("{}", help().trim_end());
            return ExitCode::SUCCESS;
        }
        K::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!("{}", help().trim_end());
            eprintln!(
                "{}",
                tr!(
                    "galat: perintah belum diberikan; pilih salah satu perintah di atas.",
                    "error: no command was given; choose one of the commands above."
                )
            );
            return ExitCode::from(2);
        }
        _ => {}
    }
    let get = |k: C| -> String {
        match e.get(k) {
            Some(V::String(s)) => s.clone(),
            Some(V::Strings(v)) => v.join(", "),
            Some(V::StyledStr(s)) => s.to_string(),
            Some(V::StyledStrs(v)) => v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            Some(V::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let arg = get(C::InvalidArg);
    let value = get(C::InvalidValue);
    let valid = get(C::ValidValue);
    let suggestion = [get(C::SuggestedArg), get(C::SuggestedSubcommand)]
        .into_iter()
        .find(|s| !s.is_empty());
    let cmd = get(C::InvalidSubcommand);
    let ours = std::error::Error::source(&e)
        .and_then(|s| s.downcast_ref::<Refusal>())
        .map(|r| r.0.clone());
    let (id, en) = match e.kind() {
        K::InvalidValue | K::ValueValidation => {
            let why = ours.map(|w| format!(": {w}")).unwrap_or_default();
            let choices_id = if valid.is_empty() {
                String::new()
            } else {
                format!(" (pilihan: {valid})")
            };
            let choices_en = if valid.is_empty() {
                String::new()
            } else {
                format!(" (choices: {valid})")
            };
            if value.is_empty() {
                (
                    format!("{arg} perlu nilai{choices_id}"),
                    format!("{arg} needs a value{choices_en}"),
                )
            } else {
                (
                    format!("nilai '{value}' untuk {arg} tidak sah{why}{choices_id}"),
                    format!("the value '{value}' for {arg} is not valid{why}{choices_en}"),
                )
            }
        }
        K::UnknownArgument => (
            format!("argumen '{arg}' tidak dikenal"),
            format!("unknown argument '{arg}'"),
        ),
        K::InvalidSubcommand => (
            format!("perintah '{cmd}' tidak dikenal"),
            format!("unknown command '{cmd}'"),
        ),
        K::MissingRequiredArgument => (
            format!("argumen wajib belum diberikan: {arg}"),
            format!("a required argument is missing: {arg}"),
        ),
        K::MissingSubcommand => (
            "perintah belum diberikan".to_owned(),
            "no command was given".to_owned(),
        ),
        K::NoEquals => (
            format!("{arg} perlu tanda = sebelum nilainya"),
            format!("{arg} needs = before its value"),
        ),
        K::TooManyValues | K::WrongNumberOfValues | K::TooFewValues => (
            format!("jumlah nilai untuk {arg} salah"),
            format!("the wrong number of values for {arg}"),
        ),
        K::ArgumentConflict => (
            format!("{arg} tidak dapat dipakai bersama argumen lain yang diberikan"),
            format!("{arg} cannot be used with another argument given"),
        ),
        K::InvalidUtf8 => (
            "argumen memuat huruf yang tidak sah (bukan UTF-8)".to_owned(),
            "an argument holds characters that are not valid (not UTF-8)".to_owned(),
        ),
        _ => (
            "perintah tidak dapat dipahami".to_owned(),
            "the command cannot be understood".to_owned(),
        ),
    };
    let hint = match &suggestion {
        Some(s) => tr!(
            format!(" Maksud Anda '{s}'?"),
            format!(" Did you mean '{s}'?")
        ),
        None => String::new(),
    };
    eprintln!(
        "{}{hint} {}",
        tr!(format!("galat: {id}."), format!("error: {en}.")),
        tr!("Lihat `bansos --help`.", "See `bansos --help`.")
    );
    ExitCode::from(2)
}

fn password_from(var: &str, prompt: (&str, &str), confirm: bool) -> Result<String, Failure> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    let no_terminal = || {
        msg(
            format!("tidak ada terminal untuk menanyakan kata sandi; isi variabel {var}"),
            format!("there is no terminal to ask for the password; set the variable {var}"),
        )
    };
    let p = rpassword::prompt_password(tr!(prompt.0, prompt.1)).map_err(|_| no_terminal())?;
    if confirm {
        let again = rpassword::prompt_password(tr!("Ulangi kata sandi: ", "Repeat the password: "))
            .map_err(|_| no_terminal())?;
        if again != p {
            return Err(msg(
                "kedua kata sandi tidak sama; tidak ada yang diubah",
                "the two passwords differ; nothing was changed",
            ));
        }
    }
    Ok(p)
}

fn user_of(ctx: &Ctx) -> Result<String, Failure> {
    ctx.user.clone().ok_or_else(|| {
        msg(
            "nama pengguna belum diberikan: --user atau BANSOS_USER",
            "no user name was given: --user or BANSOS_USER",
        )
    })
}

fn sign_in(ctx: &Ctx) -> Result<App, Failure> {
    let user = user_of(ctx)?;
    let pw = password_from("BANSOS_PASSWORD", ("Kata sandi: ", "Password: "), false)?;
    App::open(
        &ctx.db,
        Arc::new(SystemClock),
        &Credentials::new(&user, &pw),
    )
}

fn print_json<T: Serialize>(v: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(v).map_err(Error::internal)?;
    out!("{text}");
    Ok(())
}

/// A fresh folder under the system's temporary folder for `bansos bench`.
fn tempfile_dir() -> Result<PathBuf, Failure> {
    let d = std::env::temp_dir().join(format!("bansos-bench-{}", std::process::id()));
    std::fs::create_dir_all(&d).map_err(|e| Error::io(&d, e))?;
    Ok(d)
}

fn ok() -> Out {
    Ok(ExitCode::SUCCESS)
}

/// A time stored in UTC (RFC 3339), as people read it in the facility's zone; a time that does
/// not parse is shown as stored rather than hidden.
pub(crate) fn when(at: &str, tz: TimeZone) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| locale::date_time(t.with_timezone(&chrono::Utc), tz, lang()))
        .unwrap_or_else(|_| at.to_owned())
}

/// A measured figure with `places` decimals: Id "7,0", En "7.0".
fn num(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    if lang() == bansos::locale::Lang::Id {
        s.replace('.', ",")
    } else {
        s
    }
}

/// "12.345 bita" / "12,345 bytes".
fn bytes(n: u64) -> String {
    let n = locale::decimal(rust_decimal::Decimal::from(n), lang());
    tr!(format!("{n} bita"), format!("{n} bytes"))
}

/// A date stored as ISO (`2024-11-16`) as a sentence says it: "Sabtu, 16 November 2024"; a date
/// that does not parse is shown as stored.
pub(crate) fn day(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso.trim(), "%Y-%m-%d")
        .map(|d| locale::long_date(d, lang()))
        .unwrap_or_else(|_| iso.to_owned())
}

/// Today in the facility's time zone (ISO), the day a dated record defaults to: the same day
/// the core checks against, whatever the computer's own time zone.
pub(crate) fn today(app: &mut App) -> Result<String, Failure> {
    Ok(app
        .facility()?
        .profile
        .time_zone
        .today(chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string())
}

/// Saves what `make` returns as a new file at `path`, or, when a file of that name is already
/// there, at the next free name ("BAST-1 (2).pdf", "BAST-1 (3).pdf", …): an existing file is never
/// replaced. The temporary file is made in the target's folder before `make` runs, so a folder
/// that is missing or may not be written is refused before anything is printed or counted; a
/// crash leaves no half file under the name. Returns the path written and the size.
pub(crate) fn save_new(
    path: &std::path::Path,
    make: impl FnOnce() -> Result<Vec<u8>, Error>,
) -> Result<(PathBuf, usize), Error> {
    use std::io::Write;
    if path.is_dir() {
        return Err(Error::io(
            path,
            std::io::Error::from(std::io::ErrorKind::IsADirectory),
        ));
    }
    let mut tmp = bansos::files::temp_with(path, &[])?;
    let bytes = make()?;
    tmp.write_all(&bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    for n in 1..=999 {
        let target = if n == 1 {
            path.to_owned()
        } else {
            path.with_file_name(format!("{stem} ({n}){ext}"))
        };
        match tmp.persist_noclobber(&target) {
            Ok(_) => {
                bansos::files::sync_dir(&target);
                return Ok((target, bytes.len()));
            }
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(Error::io(&target, e.error)),
        }
    }
    Err(msg(
        format!(
            "sudah ada 999 berkas bernama seperti {}; tidak ada yang ditimpa. Pilih nama atau folder lain.",
            path.display()
        ),
        format!(
            "there are already 999 files named like {}; none was replaced. Choose another name or folder.",
            path.display()
        ),
    ))
}

fn backup_kind(k: bansos::backup::BackupKind) -> &'static str {
    use bansos::backup::BackupKind as B;
    match k {
        B::Daily => tr!("harian", "daily"),
        B::PreMigration => tr!("sebelum pembaruan skema", "before a schema update"),
        B::Manual => tr!("manual", "by hand"),
    }
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
                say!(
                    "Cadangan dibuat: {} ({})",
                    "Backup made: {} ({})",
                    info.path,
                    bytes(info.size_bytes)
                );
            }
            ok()
        }
        Command::Backups => {
            let mut app = sign_in(ctx)?;
            let list = app.backups()?;
            let tz = app.facility()?.profile.time_zone;
            if ctx.json {
                print_json(&list)?;
            } else {
                for b in &list {
                    out!(
                        "{}\t{}\t{}\t{}",
                        when(&b.created_at, tz),
                        backup_kind(b.kind),
                        bytes(b.size_bytes),
                        b.path
                    );
                }
            }
            ok()
        }
        Command::Restore { file } => {
            let user = user_of(ctx)?;
            let pw = password_from(
                "BANSOS_PASSWORD",
                (
                    "Kata sandi (akun Admin di cadangan): ",
                    "Password (an Admin account in the backup): ",
                ),
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
                let tz = App::open(
                    &ctx.db,
                    Arc::new(SystemClock),
                    &Credentials::new(&user, &pw),
                )
                .and_then(|mut a| a.facility())
                .map(|f| f.profile.time_zone)
                .unwrap_or_default();
                say!(
                    "Dipulihkan dari cadangan {} (skema {}).",
                    "Restored from the backup of {} (schema {}).",
                    when(&r.backup_created_at, tz),
                    r.schema_version
                );
                if let Some(p) = r.previous_kept_as {
                    say!(
                        "Basis data sebelumnya disimpan sebagai {}",
                        "The previous database is kept as {}",
                        p
                    );
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
        Command::Month(c) => month::month(ctx, c),
        Command::Report(a) => month::report(ctx, a),
        Command::Bundle(c) => exchange::bundle(ctx, c),
        Command::Outbox(c) => exchange::outbox(ctx, c),
        Command::Regional(c) => exchange::regional(ctx, c),
        Command::Inbox(c) => inbox::inbox(ctx, c),
        Command::Demo {
            families,
            years,
            months,
            seed,
            until,
            province,
        } => {
            let until = match until {
                Some(u) => bansos::month::Month::parse_or_refuse(&u)?,
                None => bansos::month::Month::of(TimeZone::Wib.today(chrono::Utc::now())).prev(),
            };
            let opts = bansos::demo::Options {
                families,
                months: months.unwrap_or(years.saturating_mul(12)),
                seed,
                until,
                facility: 0,
            };
            if let Some(n) = province {
                let bar = progress_bar(ctx);
                let made = bansos::demo::province(&ctx.db, n, &opts, |p| demo_progress(&bar, p));
                bar.finish_and_clear();
                let made = made?;
                if ctx.json {
                    print_json(&made)?;
                } else {
                    say!(
                        "Kanwil contoh dibuat di {}: {} UPT, {} bundel ({} diterima).",
                        "Demo regional office made in {}: {} facilities, {} bundles ({} accepted).",
                        ctx.db.display(),
                        made.facilities.len(),
                        made.bundles,
                        made.accepted
                    );
                    for (user, role, pw) in &made.users {
                        out!("  {user:<12} {:<12} {pw}", role.label());
                    }
                }
                return ok();
            }
            let bar = progress_bar(ctx);
            let made = bansos::demo::make(&ctx.db, &opts, |p| demo_progress(&bar, p));
            bar.finish_and_clear();
            let made = made?;
            if ctx.json {
                print_json(&made)?;
            } else {
                say!(
                    "UPT contoh dibuat di {}: {} keluarga, {} serah terima ({} dibatalkan), {} bulan ditutup.",
                    "Demo facility made in {}: {} families, {} hand-overs ({} voided), {} months closed.",
                    ctx.db.display(),
                    made.families,
                    made.handovers,
                    made.voids,
                    made.months_closed.len()
                );
                for (user, role, pw) in &made.users {
                    out!("  {user:<12} {:<12} {pw}", role.label());
                }
            }
            ok()
        }
        Command::Bench {
            families,
            province,
            months,
            inbox,
            keep,
        } => {
            // Refused before a folder is made.
            let registry_families = match province {
                None => bansos::bench::families_for(families.unwrap_or(100_000))?,
                Some(_) => 0,
            };
            let remove = keep.is_none();
            let dir = match keep {
                Some(d) => {
                    if std::fs::read_dir(&d).is_ok_and(|mut e| e.next().is_some()) {
                        return Err(Error::invalid(
                            "keep",
                            format!(
                                "Folder {} tidak kosong; pilih folder baru atau kosong.",
                                d.display()
                            ),
                            format!(
                                "Folder {} is not empty; choose a new or empty folder.",
                                d.display()
                            ),
                        ));
                    }
                    bansos::files::create_private_dir(&d)?;
                    d
                }
                None => tempfile_dir()?,
            };
            let remove_dir = |d: &std::path::Path| {
                if remove {
                    let _ = std::fs::remove_dir_all(d);
                }
            };
            if let (Some(n), true) = (province, inbox) {
                let exe = std::env::current_exe()
                    .map_err(|e| Error::internal(format!("this program's path: {e}")))?;
                let r = bansos::bench::inbox(&dir, &exe, n, months, families.unwrap_or(40));
                remove_dir(&dir);
                let r = r?;
                if ctx.json {
                    print_json(&r)?;
                } else {
                    say!(
                        "{} UPT × {} bulan = {} bundel ({}) diunggah sekaligus dalam {} s: {} bundel/s; per unggahan p50 {} ms, p95 {} ms, maks {} ms; memori server puncak {} MiB, akhir {} MiB",
                        "{} facilities × {} months = {} bundles ({}) uploaded at once in {} s: {} bundles/s; per upload p50 {} ms, p95 {} ms, max {} ms; server memory peak {} MiB, end {} MiB",
                        r.facilities,
                        r.months,
                        r.bundles,
                        bytes(r.bytes),
                        num(r.seconds, 1),
                        num(r.bundles_per_second, 1),
                        num(r.per_upload.p50_ms, 0),
                        num(r.per_upload.p95_ms, 0),
                        num(r.per_upload.max_ms, 0),
                        num(r.server_peak_mib, 0),
                        num(r.server_end_mib, 0),
                    );
                }
                return ok();
            }
            if let Some(n) = province {
                let r = bansos::bench::province(&dir, n, months, families.unwrap_or(40), !remove);
                remove_dir(&dir);
                let r = r?;
                if ctx.json {
                    print_json(&r)?;
                } else {
                    say!(
                        "{} UPT × {} bulan = {} bundel ({}) dibuat dalam {} s; Kanwil mengimpor semuanya sekaligus dalam {} s ({} ms per bundel)",
                        "{} facilities × {} months = {} bundles ({}) made in {} s; the Kanwil imported them all at once in {} s ({} ms a bundle)",
                        r.facilities,
                        r.months,
                        r.bundles,
                        bytes(r.bytes),
                        num(r.make_seconds, 0),
                        num(r.import_seconds, 1),
                        num(r.ms_per_bundle, 0),
                    );
                    say!(
                        "Pasangan BAST dua UPT satu bulan: {} ms (median per bulan; {} pasangan bulan terakhir); Beranda Kanwil: {} ms",
                        "Pairs of BASTs of two facilities in a month: {} ms (median per month; {} pairs in the last month); the Kanwil's Beranda: {} ms",
                        num(r.pairs_ms, 1),
                        r.pairs,
                        num(r.dashboard_ms, 1),
                    );
                }
                return ok();
            }
            let r = bansos::bench::registry(&dir, registry_families);
            remove_dir(&dir);
            let r = r?;
            if ctx.json {
                print_json(&r)?;
            } else {
                let ix = r.index_mb;
                let memory = match r.index_rss_mb {
                    Some(m) => tr!(
                        format!(" ({} MB; proses +{} MB memori)", num(ix, 1), num(m, 0)),
                        format!(" ({} MB; process +{} MB memory)", num(ix, 1), num(m, 0))
                    ),
                    None => format!(" ({} MB)", num(ix, 1)),
                };
                say!(
                    "{} keluarga, {} orang; data dibuat dalam {} s; indeks nama dibangun dalam {} ms{}",
                    "{} families, {} people; data made in {} s; name index built in {} ms{}",
                    r.families,
                    r.persons,
                    num(r.seed_seconds, 1),
                    num(r.index_build_ms, 0),
                    memory,
                );
                out!(
                    "{:<45} {:>6} {:>9} {:>9} {:>9}",
                    tr!("ukuran", "measure"),
                    tr!("kali", "runs"),
                    "p50 ms",
                    "p95 ms",
                    tr!("maks ms", "max ms")
                );
                for t in &r.timings {
                    out!(
                        "{:<45} {:>6} {:>9} {:>9} {:>9}",
                        tr!(&t.what, &t.what_en),
                        t.runs,
                        num(t.p50_ms, 2),
                        num(t.p95_ms, 2),
                        num(t.max_ms, 2)
                    );
                }
            }
            ok()
        }
        Command::Dashboard => dashboard::dashboard(ctx),
        Command::Passwd => {
            let mut app = sign_in(ctx)?;
            let new = password_from(
                "BANSOS_NEW_PASSWORD",
                ("Kata sandi baru: ", "New password: "),
                true,
            )?;
            let old = match std::env::var("BANSOS_PASSWORD") {
                Ok(p) => p,
                Err(_) => rpassword::prompt_password(tr!(
                    "Kata sandi lama (sekali lagi): ",
                    "Old password (once more): "
                ))
                .map_err(|_| {
                    msg(
                        "tidak ada terminal untuk menanyakan kata sandi; isi variabel BANSOS_PASSWORD",
                        "there is no terminal to ask for the password; set the variable BANSOS_PASSWORD",
                    )
                })?,
            };
            app.change_password(&old, &new)?;
            say!("Kata sandi diganti.", "Password changed.");
            ok()
        }
    }
}

fn status(ctx: &Ctx, s: StoreStatus) -> Out {
    if ctx.json {
        print_json(&s)?;
    } else if s.initialized {
        out!("{}: {}", s.db_path, s.facility_label.unwrap_or_default());
    } else {
        say!(
            "{}: belum disiapkan (jalankan `bansos init`)",
            "{}: not set up yet (run `bansos init`)",
            s.db_path
        );
    }
    ok()
}

fn init(ctx: &Ctx, a: InitArgs) -> Out {
    use base64::Engine;
    let logo = match &a.logo {
        Some(p) => Some(base64::engine::general_purpose::STANDARD.encode(
            bansos::files::read_bounded(p, bansos::limits::PICTURE_FILE_BYTES)?,
        )),
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
                .ok_or_else(|| {
                    msg(
                        format!("--regional-key '{s}': tulis LABEL=KUNCI"),
                        format!("--regional-key '{s}': write LABEL=KEY"),
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let setup = FacilitySetup {
        profile: FacilityProfile {
            kanwil: a.kanwil.unwrap_or_else(|| a.name.clone()),
            name: a.name,
            kind: if a.regional {
                FacilityKind::Kanwil
            } else {
                a.kind.unwrap_or(FacilityKind::Rutan)
            },
            class: a.class.unwrap_or_else(|| "Kanwil".into()),
            code: a.code,
            province: a.province,
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
    let password = password_from(
        "BANSOS_PASSWORD",
        ("Kata sandi Admin baru: ", "New Admin's password: "),
        true,
    )?;
    let admin = NewStaff {
        username: a.admin_username,
        full_name: a.admin_name,
        nip: a.admin_nip,
        position: a.admin_position,
        role: Role::Admin,
        password,
    };
    let mut app = App::init(&ctx.db, Arc::new(SystemClock), &setup, &admin)?;
    if let Some(d) = a.due_day {
        app.set_due_day(d)?;
    }
    let f = app.facility()?;
    if ctx.json {
        print_json(&f)?;
    } else {
        say!(
            "UPT {} disiapkan di {}",
            "Facility {} set up at {}",
            f.profile.name,
            ctx.db.display()
        );
        say!(
            "Kunci publik UPT: {}",
            "The facility's public key: {}",
            f.public_key_hex
        );
        say!("Sidik jari: {}", "Fingerprint: {}", f.fingerprint);
    }
    ok()
}

fn facility(ctx: &Ctx, c: FacilityCmd) -> Out {
    match &c {
        FacilityCmd::Registration { out } => return exchange::registration(ctx, out),
        FacilityCmd::Enroll { file, fingerprint } => {
            return exchange::enroll(ctx, file, fingerprint.as_deref())
        }
        FacilityCmd::RotateKey { reason, out } => return exchange::rotate_key(ctx, reason, out),
        FacilityCmd::Rotation { out } => return exchange::rotation(ctx, out),
        FacilityCmd::Byname {
            month,
            reference,
            out,
        } => return exchange::byname(ctx, month, reference, out),
        _ => {}
    }
    let mut app = sign_in(ctx)?;
    let f = match c {
        FacilityCmd::Registration { .. }
        | FacilityCmd::Enroll { .. }
        | FacilityCmd::RotateKey { .. }
        | FacilityCmd::Rotation { .. }
        | FacilityCmd::Byname { .. } => return ok(),
        FacilityCmd::Show => app.facility()?,
        FacilityCmd::Key => {
            let f = app.facility()?;
            if ctx.json {
                print_json(
                    &serde_json::json!({"code": f.profile.code, "public_key_hex": f.public_key_hex}),
                )?;
            } else {
                out!("{}={}", f.profile.code, f.public_key_hex);
            }
            return ok();
        }
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
    say!(
        "{} ({} Kelas {}), kode {}",
        "{} ({} Class {}), code {}",
        p.name,
        p.kind.long_name(),
        p.class,
        p.code
    );
    out!("{}; {}, {}", p.address, p.province, p.kanwil);
    say!(
        "Zona waktu {}; Kepala UPT {} NIP {}",
        "Time zone {}; head of the facility {} NIP {}",
        p.time_zone.code(),
        p.head_name,
        p.head_nip
    );
    say!(
        "Pola nomor BAST: {}",
        "BAST number pattern: {}",
        f.receipt_pattern
    );
    say!(
        "Kunci publik: {}  (sidik jari {})",
        "Public key: {}  (fingerprint {})",
        f.public_key_hex,
        f.fingerprint
    );
    for k in &f.retired_keys {
        say!(
            "Kunci lama {} (diganti {}, bundel terakhir {}): {}",
            "Old key {} (replaced {}, last bundle {}): {}",
            k.fingerprint,
            chrono::NaiveDate::parse_from_str(&k.retired_on, "%Y-%m-%d")
                .map(|d| bansos::locale::long_date(d, lang()))
                .unwrap_or_else(|_| k.retired_on.clone()),
            k.last_seq.map_or("-".to_owned(), |s| s.to_string()),
            k.reason
        );
    }
    for k in &f.regional_keys {
        say!(
            "Kunci Kanwil #{}: {} {} ({})",
            "Regional key #{}: {} {} ({})",
            k.id,
            k.label,
            k.public_key_hex,
            k.fingerprint
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
        .ok_or_else(|| {
            Error::new(
                bansos::ErrorKind::NotFound,
                format!("staf dengan nama pengguna '{username}' tidak ada"),
                format!("no staff member has the user name '{username}'"),
            )
        })
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
                        tr!("nonaktif", "inactive")
                    } else if s.locked_until.is_some() {
                        tr!("terkunci", "locked")
                    } else {
                        tr!("aktif", "active")
                    };
                    out!(
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
            let password = password_from(
                "BANSOS_NEW_PASSWORD",
                (
                    "Kata sandi staf baru: ",
                    "The new staff member's password: ",
                ),
                true,
            )?;
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
                say!(
                    "Staf {} ({}) ditambahkan.",
                    "Staff member {} ({}) added.",
                    s.username,
                    s.role.label()
                );
            }
        }
        StaffCmd::Deactivate { username, reason } => {
            let id = find_staff(&mut app, &username)?;
            app.set_staff_active(id, false, &reason, None)?;
            say!(
                "Akun {} dinonaktifkan.",
                "Account {} deactivated.",
                username
            );
        }
        StaffCmd::Activate { username } => {
            let id = find_staff(&mut app, &username)?;
            let pw = password_from(
                "BANSOS_NEW_PASSWORD",
                ("Kata sandi baru: ", "New password: "),
                true,
            )?;
            app.set_staff_active(id, true, "", Some(&pw))?;
            say!(
                "Akun {} diaktifkan lagi.",
                "Account {} active again.",
                username
            );
        }
        StaffCmd::Unlock { username } => {
            let id = find_staff(&mut app, &username)?;
            app.unlock_staff(id)?;
            say!("Akun {} dibuka kuncinya.", "Account {} unlocked.", username);
        }
        StaffCmd::ResetPassword { username } => {
            let id = find_staff(&mut app, &username)?;
            let pw = password_from(
                "BANSOS_NEW_PASSWORD",
                ("Kata sandi baru: ", "New password: "),
                true,
            )?;
            app.reset_password(id, &pw)?;
            say!(
                "Kata sandi {} diatur ulang.",
                "Password of {} reset.",
                username
            );
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
                say!(
                    "Rantai audit utuh: {} entri, kepala {}",
                    "The audit chain is whole: {} entries, head {}",
                    r.entries,
                    &r.head_hash[..16]
                );
            } else {
                for p in &r.problems {
                    say!(
                        "entri {}: {}",
                        "entry {}: {}",
                        p.seq,
                        p.kind.describe(ctx.lang)
                    );
                }
            }
            if !r.ok {
                eprintln!(
                    "{}",
                    tr!(
                        "galat: log audit telah diubah di luar program",
                        "error: the audit log was altered outside the program"
                    )
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
                    out!(
                        "{}\t{}\t{}\t{}\t{}:{}",
                        e.seq,
                        when(&e.at, tz),
                        e.actor,
                        e.action,
                        e.entity,
                        e.entity_id
                    );
                }
            }
        }
    }
    ok()
}

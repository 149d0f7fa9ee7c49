//! `bansos receipt pdf/verify` and `bansos event papers`: the BAST as paper, and the offline
//! check of a scanned QR payload.

use super::{bytes, day, msg, ok, out, print_json, save_new, say, sign_in, Ctx, Failure, Out};
use bansos::app::ReceiptCheck;
use bansos::locale::{self, Lang};
use bansos::receipt::{self, Verdict};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ReceiptCmd {
    /// BAST satu serah terima sebagai PDF A4 (cetak pertama asli, berikutnya SALINAN, yang batal BATAL)
    Pdf {
        /// Nomor BAST (mis. 001/BAST-BANSOS/RUTAN-BLORA/XI/2024) atau nomor serah terima
        bast: String,
        /// Berkas atau folder tujuan [bawaan: BAST-<nomor>.pdf di folder ini]; berkas yang sudah
        /// ada tidak ditimpa (nama berikutnya dipakai, mis. "BAST-… (2).pdf")
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Kode QR satu BAST sebagai gambar PNG (mis. untuk mencoba pemindai, atau untuk
    /// `receipt verify --image`)
    Qr {
        /// Nomor BAST atau nomor serah terima
        bast: String,
        /// Berkas atau folder tujuan [bawaan: QR-<nomor>.png di folder ini]; berkas yang sudah
        /// ada tidak ditimpa
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Periksa isi kode QR BAST: asli, diubah, atau UPT tidak dikenal
    Verify {
        /// Isi kode QR (teks yang diketik pemindai)
        payload: Option<String>,
        /// …atau foto/pindaian BAST (PNG, JPEG)
        #[arg(long, conflicts_with = "payload")]
        image: Option<PathBuf>,
        /// Cocokkan NIK penerima (tidak ditampilkan)
        #[arg(long)]
        nik: Option<String>,
        /// Periksa tanpa basis data: "KODE-UPT=KUNCI-PUBLIK-HEX", boleh berulang
        #[arg(long = "key")]
        keys: Vec<String>,
    },
}

fn verdict_text(v: Verdict, c: &ReceiptCheck, lang: Lang) -> String {
    let code = c
        .claim
        .as_ref()
        .map(|x| x.facility_code.clone())
        .unwrap_or_default();
    let name = c.facility_name.clone().unwrap_or(code.clone());
    match (v, lang) {
        (Verdict::Valid, Lang::Id) => format!("ASLI: ditandatangani oleh {name}."),
        (Verdict::Valid, Lang::En) => format!("VALID: signed by {name}."),
        (Verdict::Altered, Lang::Id) => {
            "TIDAK ASLI: isi kode telah diubah (tanda tangan tidak cocok).".into()
        }
        (Verdict::Altered, Lang::En) => {
            "ALTERED: the code's content was changed (the signature does not match).".into()
        }
        (Verdict::UnknownFacility, Lang::Id) => {
            format!("UPT TIDAK DIKENAL: kunci publik {code} belum terdaftar.")
        }
        (Verdict::UnknownFacility, Lang::En) => {
            format!("UNKNOWN FACILITY: no public key is known for {code}.")
        }
        (Verdict::Unreadable, Lang::Id) => "Bukan kode BAST Bansos.".into(),
        (Verdict::Unreadable, Lang::En) => "Not a Bansos BAST code.".into(),
    }
}

pub(crate) fn parse_key(s: &str) -> Result<(String, [u8; 32]), Failure> {
    let (code, key) = s.split_once('=').ok_or_else(|| {
        msg(
            format!("--key '{s}': tulis \"KODE-UPT=KUNCI-HEX\""),
            format!("--key '{s}': write \"FACILITY-CODE=KEY-HEX\""),
        )
    })?;
    Ok((
        code.trim().to_owned(),
        bansos::facility::keys::parse_public_key(key)?,
    ))
}

/// A hand-over named by its BAST number, or by its own number (1, 2, … in the order they were
/// made; shown by `--json`). A BAST number is looked up first, so a pattern of digits alone
/// still finds its BAST.
pub(crate) fn handover_id(app: &mut bansos::App, s: &str) -> Result<i64, Failure> {
    match app.handover_by_number(s.trim()) {
        Ok(h) => Ok(h.id),
        Err(e) => s.trim().parse::<i64>().map_err(|_| e),
    }
}

/// Where a file named `name` goes for `--out`: into it when it is a folder, as it when it is a
/// file name, else in this folder.
fn target(out: Option<PathBuf>, name: String) -> PathBuf {
    match out {
        Some(p) if p.is_dir() => p.join(name),
        Some(p) => p,
        None => PathBuf::from(name),
    }
}

/// The QR code as a PNG: black modules on white, 8 pixels each, inside the 4-module quiet zone
/// a scanner needs.
fn qr_png(dark: &[bool], size: usize) -> Result<Vec<u8>, Failure> {
    const SCALE: usize = 8;
    const QUIET: usize = 4;
    if size == 0 || dark.len() != size * size {
        return Err(Failure::internal("a BAST without its QR code"));
    }
    let side = (size + 2 * QUIET) * SCALE;
    let side32 = u32::try_from(side).map_err(Failure::internal)?;
    let picture = image::GrayImage::from_fn(side32, side32, |x, y| {
        let (col, row) = (x as usize / SCALE, y as usize / SCALE);
        let on = (QUIET..QUIET + size).contains(&col)
            && (QUIET..QUIET + size).contains(&row)
            && dark[(row - QUIET) * size + (col - QUIET)];
        image::Luma([if on { 0 } else { 255 }])
    });
    let mut png = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(Failure::internal)?;
    Ok(png)
}

pub fn receipt(ctx: &Ctx, c: ReceiptCmd) -> Out {
    match c {
        ReceiptCmd::Qr { bast, out } => {
            let mut app = sign_in(ctx)?;
            let id = handover_id(&mut app, &bast)?;
            let h = app.handover(id)?;
            let paper = app.bast_paper(id)?;
            let path = target(out, format!("QR-BAST-{}.png", h.bast_no.replace('/', "-")));
            let (written, size) = save_new(&path, || qr_png(&paper.qr_dark, paper.qr_size))?;
            if ctx.json {
                print_json(&serde_json::json!({"path": written, "bytes": size}))?;
            } else {
                say!(
                    "Kode QR BAST {} disimpan: {} ({})",
                    "The QR code of BAST {} saved: {} ({})",
                    h.bast_no,
                    written.display(),
                    bytes(size as u64)
                );
            }
            ok()
        }
        ReceiptCmd::Pdf { bast, out } => {
            let mut app = sign_in(ctx)?;
            let id = handover_id(&mut app, &bast)?;
            let h = app.handover(id)?;
            let path = target(out, format!("BAST-{}.pdf", h.bast_no.replace('/', "-")));
            // The print is counted when the PDF is made, so the folder is checked first.
            let (written, size) = save_new(&path, || app.receipt_pdf(id))?;
            if ctx.json {
                print_json(&serde_json::json!({"path": written, "bytes": size}))?;
            } else {
                say!(
                    "BAST {} disimpan: {} ({})",
                    "BAST {} saved: {} ({})",
                    h.bast_no,
                    written.display(),
                    bytes(size as u64)
                );
            }
            ok()
        }
        ReceiptCmd::Verify {
            payload,
            image,
            nik,
            keys,
        } => {
            let payload = match (payload, image) {
                (Some(p), _) => p,
                (None, Some(f)) => {
                    let bytes =
                        bansos::files::read_bounded(&f, bansos::limits::PICTURE_FILE_BYTES)?;
                    receipt::qr::decode_image(&bytes)?
                }
                (None, None) => {
                    return Err(msg(
                        "berikan isi kode QR atau --image BERKAS",
                        "give the QR code's content or --image FILE",
                    ))
                }
            };
            let check = if keys.is_empty() {
                let mut app = sign_in(ctx)?;
                app.verify_receipt(&payload, nik.as_deref())?
            } else {
                let keys = keys
                    .iter()
                    .map(|k| parse_key(k))
                    .collect::<Result<Vec<_>, _>>()?;
                let (verdict, claim) = receipt::verify(&payload, &keys);
                ReceiptCheck {
                    verdict,
                    claim,
                    facility_name: None,
                    on_record: None,
                    nik_matches: None,
                }
            };
            if ctx.json {
                print_json(&check)?;
            } else {
                out!("{}", verdict_text(check.verdict, &check, ctx.lang));
                if let Some(c) = &check.claim {
                    say!(
                        "  BAST {} tanggal {}",
                        "  BAST {} dated {}",
                        c.bast_no,
                        day(&c.date)
                    );
                    for (code, q) in &c.items {
                        // The payload writes quantities with a decimal point; people read them
                        // in their language ("2,5" / "2.5").
                        let q = q
                            .parse::<rust_decimal::Decimal>()
                            .map(|d| locale::decimal(d, ctx.lang))
                            .unwrap_or_else(|_| q.clone());
                        out!("  {code}\t{q}");
                    }
                }
                if let Some(r) = &check.on_record {
                    if r.voided {
                        say!(
                            "  BAST ini sudah DIBATALKAN: {}",
                            "  This BAST has been VOIDED: {}",
                            r.void_reason
                        );
                    }
                    if !r.same_payload {
                        say!(
                            "  Isi kode berbeda dari yang tercatat di basis data.",
                            "  The code's content differs from the one in the database."
                        );
                    }
                }
                match check.nik_matches {
                    Some(true) => say!("  NIK cocok.", "  The NIK matches."),
                    Some(false) => say!("  NIK TIDAK cocok.", "  The NIK does NOT match."),
                    None => {}
                }
            }
            Ok(if check.verdict == Verdict::Valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// `bansos event papers ID`: all receipts in one PDF, and the attendance list. Files already in
/// the folder are never replaced: a second run writes "… (2).pdf".
pub fn papers(
    ctx: &Ctx,
    app: &mut bansos::App,
    id: i64,
    dir: Option<PathBuf>,
    attendance_only: bool,
) -> Out {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir).map_err(|e| Failure::io(&dir, e))?;
    let mut names = vec![format!("daftar-hadir-kegiatan-{id}.pdf")];
    if !attendance_only {
        names.push(format!("BAST-kegiatan-{id}.pdf"));
    }
    let mut written = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let (path, _) = save_new(&dir.join(name), || {
            if i == 0 {
                app.attendance_pdf(id)
            } else {
                let bar = super::work_bar(ctx, app);
                let pdf = app.event_receipts_pdf(id);
                bar.finish_and_clear();
                pdf
            }
        })?;
        // Said as soon as it is written, so a refusal of the next one does not hide it.
        if !ctx.json {
            say!("Disimpan: {}", "Saved: {}", path.display());
        }
        written.push(path);
    }
    if ctx.json {
        print_json(&written)?;
    }
    ok()
}

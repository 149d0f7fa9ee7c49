//! `bansos receipt pdf/verify` and `bansos event papers`: the BAST as paper, and the offline
//! check of a scanned QR payload.

use super::{ok, print_json, sign_in, Ctx, Failure, Out};
use bansos::app::ReceiptCheck;
use bansos::locale::Lang;
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
        /// Berkas tujuan [bawaan: BAST-<nomor>.pdf di folder ini]
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

fn parse_key(s: &str) -> Result<(String, [u8; 32]), Failure> {
    let (code, key) = s
        .split_once('=')
        .ok_or_else(|| Failure::Msg(format!("--key '{s}': tulis \"KODE-UPT=KUNCI-HEX\"")))?;
    Ok((
        code.trim().to_owned(),
        bansos::facility::keys::parse_public_key(key)?,
    ))
}

pub fn receipt(ctx: &Ctx, c: ReceiptCmd) -> Out {
    match c {
        ReceiptCmd::Pdf { bast, out } => {
            let mut app = sign_in(ctx)?;
            let id = match bast.trim().parse::<i64>() {
                Ok(id) => id,
                Err(_) => app.handover_by_number(bast.trim())?.id,
            };
            let pdf = app.receipt_pdf(id)?;
            let h = app.handover(id)?;
            let path = out.unwrap_or_else(|| {
                PathBuf::from(format!("BAST-{}.pdf", h.bast_no.replace('/', "-")))
            });
            bansos::files::write_atomic(&path, &pdf)?;
            println!("{} ({} KB)", path.display(), pdf.len().div_ceil(1024));
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
                    return Err(Failure::Msg(
                        "berikan isi kode QR atau --image BERKAS".into(),
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
                println!("{}", verdict_text(check.verdict, &check, ctx.lang));
                if let Some(c) = &check.claim {
                    println!("  BAST {} tanggal {}", c.bast_no, c.date);
                    for (code, q) in &c.items {
                        println!("  {code}\t{q}");
                    }
                }
                if let Some(r) = &check.on_record {
                    if r.voided {
                        println!("  BAST ini sudah DIBATALKAN: {}", r.void_reason);
                    }
                    if !r.same_payload {
                        println!("  Isi kode berbeda dari yang tercatat di basis data.");
                    }
                }
                match check.nik_matches {
                    Some(true) => println!("  NIK cocok."),
                    Some(false) => println!("  NIK TIDAK cocok."),
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

/// `bansos event papers ID`: all receipts in one PDF, and the attendance list.
pub fn papers(app: &mut bansos::App, id: i64, dir: Option<PathBuf>, attendance_only: bool) -> Out {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir).map_err(|e| Failure::Msg(format!("{}: {e}", dir.display())))?;
    let list = app.attendance_pdf(id)?;
    let p = dir.join(format!("daftar-hadir-kegiatan-{id}.pdf"));
    bansos::files::write_atomic(&p, &list)?;
    println!("{}", p.display());
    if !attendance_only {
        let all = app.event_receipts_pdf(id)?;
        let p = dir.join(format!("BAST-kegiatan-{id}.pdf"));
        bansos::files::write_atomic(&p, &all)?;
        println!("{}", p.display());
    }
    ok()
}

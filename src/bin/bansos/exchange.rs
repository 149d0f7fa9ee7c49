//! `bansos bundle`, `bansos outbox`, `bansos facility registration/enroll` and `bansos
//! regional`: the monthly bundle and the exchange with the regional office (Kanwil) by file.

use super::{bytes, lang, msg, ok, out, print_json, save_new, say, sign_in, tr, Ctx, Out};
use bansos::app::{files_in, BundleCheck};
use bansos::bundle::{BUNDLE_BYTES, SMALL_FILE_BYTES};
use bansos::Error;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum BundleCmd {
    /// Simpan bundel bulan yang sudah ditutup ke folder (byte yang sama setiap kali)
    Export {
        /// Bulan, mis. 2024-11
        month: String,
        /// Folder tujuan (mis. flashdisk)
        #[arg(long)]
        out: PathBuf,
    },
    /// Periksa bundel: ukuran, isi zip, tanda tangan, setiap bagian
    Verify {
        /// Berkas bundel (.bansos-bundle)
        file: PathBuf,
        /// Periksa tanpa basis data: "KODE-UPT=KUNCI-PUBLIK-HEX"
        #[arg(long)]
        key: Option<String>,
    },
    /// Tampilkan isi bundel (manifes dan bagian-bagiannya) tanpa membukanya
    Inspect {
        /// Berkas bundel (.bansos-bundle)
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum OutboxCmd {
    /// Bundel-bundel UPT dan keadaannya: dibuat, dikirim, diterima Kanwil, ditolak
    List,
    /// Kirim bundel yang belum diterima Kanwil: unggah ke kotak masuk Kanwil, atau salin ke folder/flashdisk dengan --to
    Send {
        /// Folder tujuan (tanpa ini: unggah ke alamat kotak masuk Kanwil)
        #[arg(long)]
        to: Option<PathBuf>,
        /// Hanya bundel bernomor urut ini (dengan --to)
        #[arg(long, requires = "to")]
        seq: Option<u64>,
    },
    /// Alamat kotak masuk Kanwil untuk unggahan, mis. https://bansos.kanwil-jateng.go.id
    Config {
        /// Alamat kotak masuk Kanwil untuk unggahan, mis. https://bansos.kanwil-jateng.go.id
        #[arg(long, conflicts_with = "clear")]
        url: Option<String>,
        /// Hapus alamatnya (hanya lewat berkas)
        #[arg(long)]
        clear: bool,
    },
    /// Impor berkas jawaban Kanwil (berkas atau folder)
    ImportAnswer {
        /// Berkas jawaban Kanwil, atau folder berisi jawaban
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum RegionalCmd {
    /// Baca berkas pendaftaran UPT; dengan --fingerprint (sesudah dibandingkan lewat telepon) daftarkan dan simpan berkas pengesahannya
    Register {
        /// Berkas pendaftaran UPT (.bansos-registration)
        file: PathBuf,
        /// Sidik jari yang dibacakan UPT lewat telepon
        #[arg(long)]
        fingerprint: Option<String>,
        /// Folder untuk berkas pengesahan
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// UPT yang terdaftar
    Members,
    /// Cabut kunci UPT (PC hilang atau dicuri)
    Revoke {
        /// Kode UPT, mis. RUTAN-BLORA
        code: String,
        /// Alasan (dicatat di log audit)
        #[arg(long)]
        reason: String,
    },
    /// Batas laporan: tanggal berapa bulan berikutnya (1–28)
    DueDay {
        /// Tanggal 1–28 bulan berikutnya
        #[arg(value_parser = crate::parse_due_day)]
        day: u32,
    },
    /// Terbitkan kunci provinsi baru (pseudonim) mulai bulan ini; kirim ke UPT dengan `regional enrollment`
    ProvinceKey {
        /// Berlaku mulai bulan, mis. 2025-01
        #[arg(long)]
        from: String,
    },
    /// Berkas pengesahan terbaru untuk UPT yang sudah terdaftar (kunci provinsi yang berlaku)
    Enrollment {
        /// Kode UPT, mis. RUTAN-BLORA
        code: String,
        /// Folder tujuan
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// Impor bundel dari berkas atau folder (flashdisk); jawaban ditandatangani disimpan ke --answers
    Import {
        /// Berkas bundel atau folder (mis. flashdisk)
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Folder untuk berkas jawaban [bawaan: folder "jawaban" di samping basis data]
        #[arg(long)]
        answers: Option<PathBuf>,
    },
    /// Terima pernyataan ganti kunci UPT (ditandatangani kunci lama dan kunci baru)
    KeyRotation {
        /// Pernyataan ganti kunci (.bansos-key-rotation)
        file: PathBuf,
    },
    /// Buka daftar nama (BNBA) kiriman UPT; tampilkan, atau simpan sebagai XLSX dengan --xlsx
    Byname {
        /// Berkas daftar nama (.bansos-byname)
        file: PathBuf,
        /// Simpan sebagai XLSX di berkas ini
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Jawaban bertanda tangan berisi posisi rantai UPT terakhir (untuk UPT yang dipulihkan dari cadangan)
    Head {
        /// Kode UPT, mis. RUTAN-BLORA
        code: String,
        /// Folder tujuan
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// Rekap provinsi satu bulan
    Recap {
        /// Bulan, mis. 2024-11
        month: String,
        /// Simpan sebagai PDF di berkas ini
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// Simpan sebagai XLSX di berkas ini
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Kelengkapan laporan per UPT: diterima, nihil, menunggu, cabang, belum ada; tepat waktu atau terlambat
    Completeness {
        /// Bulan, mis. 2024-11
        month: String,
    },
    /// Orang yang dilayani dua UPT dalam satu bulan (pasangan nomor BAST, tanpa NIK)
    Duplicates {
        /// Bulan, mis. 2024-11
        month: String,
    },
}

/// One file of several that could not be used: on standard error, as every refusal is.
fn refused_file(p: &Path, e: &Error) {
    eprintln!(
        "{}{}: {}",
        tr!("galat: ", "error: "),
        name_of(p),
        e.message(lang())
    );
}

/// A facility's state in a month's completeness, in the run's language.
pub(crate) fn completeness_state(state: &str) -> &'static str {
    match state {
        "accepted" => tr!("diterima", "accepted"),
        "nihil" => tr!("nihil", "nil"),
        "refused" => tr!("ditolak", "refused"),
        "held_gap" => tr!("menunggu bundel yang hilang", "held for a gap"),
        "fork" => tr!("cabang", "fork"),
        "not_expected" => tr!("belum wajib", "not expected"),
        _ => tr!("belum ada", "missing"),
    }
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// A bundle's period ("2024-11") as people write it: "November 2024" (the text as it came when
/// it is not a month).
fn period_words(p: &str) -> String {
    match p
        .split_once('-')
        .map(|(y, m)| (y.parse::<i32>(), m.parse::<u32>()))
    {
        Some((Ok(y), Ok(m))) if (1..=12).contains(&m) => {
            format!("{} {y}", bansos::locale::month_name(m, lang()))
        }
        _ => p.to_owned(),
    }
}

fn show_check(ctx: &Ctx, c: &BundleCheck) -> Out {
    if ctx.json {
        print_json(c)?;
    } else if c.genuine {
        say!(
            "ASLI: bundel {} periode {} revisi {} nomor urut {} ({}), tanda tangan dan setiap bagian cocok.",
            "GENUINE: bundle of {} for {} revision {} seq {} ({}), its signature and every part match.",
            c.facility.as_deref().unwrap_or("-"),
            c.period.as_deref().map(period_words).unwrap_or_else(|| "-".into()),
            c.revision.unwrap_or(0),
            c.seq.unwrap_or(0),
            match c.kind.as_deref() {
                Some("monthly") => tr!("bulanan", "monthly"),
                Some("nihil") => tr!("nihil: tidak ada penyaluran", "nil: nothing handed over"),
                Some("revision") => tr!("revisi", "revision"),
                Some(k) => k,
                None => "-",
            }
        );
        out!("sha256 {}", c.sha256.as_deref().unwrap_or("-"));
    } else if let Some(r) = &c.reason {
        say!("TIDAK ASLI: {}", "NOT GENUINE: {}", r.text(lang()));
    }
    Ok(if c.genuine {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

pub fn bundle(ctx: &Ctx, c: BundleCmd) -> Out {
    match c {
        BundleCmd::Export { month, out } => {
            let mut app = sign_in(ctx)?;
            let (seq, name, data) = app.bundle_file(None, Some(&month))?;
            let (path, size) = save_new(&out.join(&name), || Ok(data))?;
            app.bundle_sent(seq, &path.display().to_string())?;
            say!(
                "Bundel disimpan: {} ({})",
                "Bundle saved: {} ({})",
                path.display(),
                bytes(size as u64)
            );
            ok()
        }
        BundleCmd::Verify { file, key } => {
            let data = bansos::files::read_bounded(&file, BUNDLE_BYTES as usize)?;
            let check = match key {
                Some(k) => {
                    let (code, key) = super::receipt::parse_key(&k)?;
                    bansos::app::verify_with_key(&data, &code, &key)
                }
                None => sign_in(ctx)?.verify_bundle(&data)?,
            };
            show_check(ctx, &check)
        }
        BundleCmd::Inspect { file } => {
            let data = bansos::files::read_bounded(&file, BUNDLE_BYTES as usize)?;
            let entries = bansos::bundle::wire::unzip(
                &data,
                bansos::bundle::BUNDLE_ENTRIES,
                ("bundel", "bundle"),
            )
            .map_err(|r| r.into_error())?;
            say!(
                "Isi bundel {} (BELUM DIPERIKSA: jalankan `bansos bundle verify`):",
                "Contents of bundle {} (NOT CHECKED: run `bansos bundle verify`):",
                file.display()
            );
            for (n, b) in &entries {
                out!(
                    "  {n:<18} {:>10}  sha256 {}",
                    b.len(),
                    bansos::bundle::sha256_hex(b)
                );
            }
            if let Some((_, m)) = entries.iter().find(|(n, _)| n == "manifest.json") {
                let v: serde_json::Value = serde_json::from_slice(m)
                    .map_err(|_| msg("manifest.json bukan JSON", "manifest.json is not JSON"))?;
                let text = serde_json::to_string_pretty(&v).map_err(Error::internal)?;
                out!("{text}");
            }
            ok()
        }
    }
}

pub fn outbox(ctx: &Ctx, c: OutboxCmd) -> Out {
    let mut app = sign_in(ctx)?;
    match c {
        OutboxCmd::List => {
            let s = app.outbox()?;
            let tz = app.facility()?.profile.time_zone;
            if ctx.json {
                print_json(&s)?;
                return ok();
            }
            match (&s.kanwil_code, s.enrolled) {
                (Some(k), true) => say!("Terdaftar di {}", "Enrolled with {}", k),
                _ => say!(
                    "Belum terdaftar di Kanwil: `bansos facility registration --out FOLDER`",
                    "Not enrolled with a Kanwil yet: `bansos facility registration --out FOLDER`"
                ),
            }
            if s.held_after_restore {
                say!(
                    "Sesudah pemulihan: bundel baru menunggu jawaban Kanwil terakhir (`bansos outbox import-answer`).",
                    "After a restore: new bundles wait for the Kanwil's latest answer (`bansos outbox import-answer`)."
                );
            }
            if !s.waiting.is_empty() {
                say!(
                    "Bulan ditutup tanpa bundel: {}",
                    "Closed months without a bundle: {}",
                    s.waiting.join(", ")
                );
            }
            if !s.held_by_kanwil.is_empty() {
                say!(
                    "Ditutup lagi sesudah pemulihan, tetapi rantai laporan di Kanwil sudah melewatinya (tidak ada bundel baru; koreksi dengan surat): {}",
                    "Closed again after a restore, but the Kanwil's chain of reports has gone past them (no new bundle; corrections by letter): {}",
                    s.held_by_kanwil.join(", ")
                );
            }
            if let Some(h) = &s.held_at_head {
                say!(
                    "Laporan terakhir yang sampai di Kanwil: {} (bundel #{}), dari sebelum pemulihan; ditutup lagi di sini tanpa bundel ({}). Untuk mengirim angka PC ini: `bansos month reopen {} --reason ALASAN`, lalu tutup lagi hingga revisi {}.",
                    "The last report to reach the Kanwil: {} (bundle #{}), from before the restore; closed again here without a bundle ({}). To send this PC's figures: `bansos month reopen {} --reason REASON`, then close it again until revision {}.",
                    h.period,
                    h.head_seq,
                    h.closings.join(", "),
                    h.period,
                    h.revision_to_send
                );
            }
            for b in &s.bundles {
                let state = match b.state.as_str() {
                    "created" => tr!("dibuat", "created"),
                    "sent" => tr!("dikirim", "sent"),
                    "acknowledged" => tr!("diterima Kanwil", "acknowledged"),
                    "refused" => tr!("ditolak", "refused"),
                    _ => tr!("menunggu bundel yang hilang", "held for a missing bundle"),
                };
                let why = b
                    .reason
                    .as_ref()
                    .map(|r| format!(" — {}", r.text(lang())))
                    .unwrap_or_default();
                let kind = match b.kind.as_str() {
                    "monthly" => tr!("bulanan", "monthly"),
                    "nihil" => tr!("nihil", "nil"),
                    "revision" => tr!("revisi", "revision"),
                    other => other,
                };
                out!(
                    "{:>4}  {}  r{}  {:<8}  {}{}  {}",
                    b.seq,
                    b.period,
                    b.revision,
                    kind,
                    state,
                    why,
                    b.file_name
                );
                if b.upload_tries > 0 && !matches!(b.state.as_str(), "acknowledged" | "refused") {
                    let err = b
                        .last_error
                        .as_deref()
                        .map(|e| {
                            let (id, en) = e.split_once('|').unwrap_or((e, e));
                            format!(" — {}", tr!(id, en))
                        })
                        .unwrap_or_default();
                    let next = b
                        .next_try_at
                        .as_deref()
                        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                        .map(|t| {
                            bansos::locale::date_time(t.with_timezone(&chrono::Utc), tz, lang())
                        })
                        .unwrap_or_default();
                    if b.upload_stopped {
                        say!(
                            "      unggahan: {} kali, berhenti{} (kirim ulang: `bansos outbox send`)",
                            "      upload: {} tries, stopped{} (send again: `bansos outbox send`)",
                            b.upload_tries,
                            err
                        );
                    } else {
                        say!(
                            "      unggahan: {} kali; berikutnya {}{}",
                            "      upload: {} tries; next {}{}",
                            b.upload_tries,
                            next,
                            err
                        );
                    }
                }
            }
            ok()
        }
        OutboxCmd::Config { url, clear } => {
            if url.is_none() && !clear {
                let s = app.outbox()?;
                match s.inbox_url {
                    Some(u) => out!("{}", u),
                    None => say!(
                        "Alamat kotak masuk Kanwil belum diisi: bundel dikirim lewat berkas.",
                        "No Kanwil inbox address is set: bundles go by file."
                    ),
                }
                return ok();
            }
            match app.set_inbox_url(url.as_deref())? {
                Some(u) => {
                    say!(
                        "Bundel kini juga diunggah ke {}",
                        "Bundles are now also uploaded to {}",
                        u
                    );
                    if u.starts_with("http://")
                        && !u.starts_with("http://127.")
                        && !u.starts_with("http://localhost")
                    {
                        say!(
                            "Peringatan: alamat ini tanpa TLS (http). Bundel tetap bertanda tangan dan terenkripsi, tetapi pakailah https.",
                            "Warning: this address has no TLS (http). Bundles stay signed and encrypted, but use https."
                        );
                    }
                }
                None => say!(
                    "Alamat kotak masuk dihapus: bundel dikirim lewat berkas.",
                    "The inbox address is cleared: bundles go by file."
                ),
            }
            ok()
        }
        OutboxCmd::Send { to: None, seq: _ } => {
            let cell = std::cell::RefCell::new(app);
            let report = bansos::inbox::upload::send_due(
                &|| Ok(cell.borrow_mut()),
                &bansos::inbox::upload::Http::default(),
                true,
            )?;
            if ctx.json {
                print_json(&report)?;
                return ok();
            }
            if report.no_inbox {
                return Err(msg(
                    "alamat kotak masuk Kanwil belum diisi: `bansos outbox config --url https://…`, atau kirim lewat berkas dengan --to FOLDER",
                    "no Kanwil inbox address is set: `bansos outbox config --url https://…`, or send by file with --to FOLDER",
                ));
            }
            if report.head_imported {
                say!(
                    "Posisi rantai di Kanwil diambil (sesudah pemulihan).",
                    "The chain's position at the Kanwil was fetched (after a restore)."
                );
            }
            if report.lines.is_empty() {
                say!(
                    "Tidak ada bundel untuk dikirim.",
                    "There is no bundle to send."
                );
            }
            let mut failed = false;
            for l in &report.lines {
                let what = match l.outcome.as_str() {
                    "acknowledged" => tr!("diterima Kanwil", "acknowledged"),
                    "held" => tr!(
                        "ditahan Kanwil (menunggu bundel yang hilang)",
                        "held by the Kanwil (waiting for a missing bundle)"
                    ),
                    "fork" => tr!(
                        "cabang (nomor urut sudah dipakai bundel lain)",
                        "fork (another bundle holds the seq)"
                    ),
                    "refused" => tr!("ditolak Kanwil", "refused by the Kanwil"),
                    "stopped" => tr!(
                        "ditolak server, tidak dicoba lagi sampai dikirim ulang",
                        "refused by the server, not tried again until sent again"
                    ),
                    _ => tr!("gagal, dicoba lagi nanti", "failed, tried again later"),
                };
                failed |= matches!(
                    l.outcome.as_str(),
                    "failed" | "stopped" | "refused" | "fork"
                );
                let msg = tr!(l.message_id.as_str(), l.message_en.as_str());
                if l.seq == 0 {
                    say!(
                        "Posisi rantai: {} — {}",
                        "The chain's position: {} — {}",
                        what,
                        msg
                    );
                } else {
                    out!("{:>4}  {}  {} — {}", l.seq, l.period, what, msg);
                }
            }
            if failed {
                return Ok(std::process::ExitCode::FAILURE);
            }
            ok()
        }
        OutboxCmd::Send { to: Some(to), seq } => {
            let s = app.outbox()?;
            if !s.enrolled {
                return Err(bansos::outbox::not_enrolled());
            }
            let todo: Vec<u64> = s
                .bundles
                .iter()
                .filter(|b| match seq {
                    Some(n) => b.seq == n,
                    None => b.state != "acknowledged",
                })
                .map(|b| b.seq)
                .collect();
            if todo.is_empty() {
                say!(
                    "Tidak ada bundel untuk dikirim.",
                    "There is no bundle to send."
                );
                return ok();
            }
            for n in todo {
                let (_, name, data) = app.bundle_file(Some(n), None)?;
                let (path, size) = save_new(&to.join(&name), || Ok(data))?;
                app.bundle_sent(n, &path.display().to_string())?;
                say!(
                    "Dikirim: {} ({})",
                    "Sent: {} ({})",
                    path.display(),
                    bytes(size as u64)
                );
            }
            ok()
        }
        OutboxCmd::ImportAnswer { paths } => {
            if !app.outbox()?.enrolled {
                return Err(bansos::outbox::not_enrolled());
            }
            let mut failed = false;
            for p in files_in(&paths, bansos::bundle::ANSWER_EXT)? {
                let r = bansos::files::read_bounded(&p, SMALL_FILE_BYTES as usize)
                    .and_then(|d| app.import_answer(&d));
                match r {
                    Ok(a) => {
                        let verdict = match a.verdict.as_str() {
                            _ if a.resend_at.is_some() => tr!(
                                "ditolak, dikirim lagi (salinan ini yang ditolak, bukan bundelnya)",
                                "refused, to be sent again (this copy was refused, not the bundle)"
                            ),
                            "accepted" | "revision" => tr!("diterima Kanwil", "acknowledged"),
                            "held_gap" => tr!(
                                "ditahan: menunggu bundel yang hilang",
                                "held: waiting for a missing bundle"
                            ),
                            _ => tr!("ditolak", "refused"),
                        };
                        let why = a
                            .reason
                            .as_ref()
                            .map(|r| format!(": {}", r.text(lang())))
                            .unwrap_or_default();
                        let same = if a.changed {
                            ""
                        } else {
                            tr!(" (tidak mengubah apa pun)", " (changed nothing)")
                        };
                        out!(
                            "{}: {} {} — {}{}{}",
                            name_of(&p),
                            a.period,
                            a.seq,
                            verdict,
                            why,
                            same
                        );
                        for s in a.bundles_made {
                            say!(
                                "  bundel baru dibuat: nomor urut {}",
                                "  new bundle made: seq {}",
                                s
                            );
                        }
                    }
                    Err(e) => {
                        failed = true;
                        refused_file(&p, &e);
                    }
                }
            }
            Ok(if failed {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

pub fn registration(ctx: &Ctx, out_path: &Path) -> Out {
    let mut app = sign_in(ctx)?;
    let (name, data) = app.registration_file()?;
    let path = save_at(out_path, &name, data)?;
    let f = app.facility()?;
    say!(
        "Berkas pendaftaran disimpan: {}",
        "Registration file saved: {}",
        path.display()
    );
    say!(
        "Kirim ke Kanwil, lalu bacakan sidik jari ini lewat telepon: {}",
        "Send it to the Kanwil, then read this fingerprint out on the telephone: {}",
        f.fingerprint
    );
    ok()
}

fn rotation_applied(ctx: &Ctx, r: &bansos::app::RotationApplied) -> Out {
    if ctx.json {
        print_json(r)?;
        return ok();
    }
    let last = match r.old_key_last_seq {
        Some(n) => tr!(format!("sampai nomor urut {n}"), format!("up to seq {n}")),
        None => tr!("tidak satu pun".to_owned(), "none".to_owned()),
    };
    if r.changed {
        say!(
            "Kunci UPT {} diganti: {} → {}. Bundel bertanda tangan kunci lama diterima {}.",
            "Key of facility {} changed: {} → {}. Bundles signed by the old key are accepted {}.",
            r.facility,
            r.old_fingerprint,
            r.new_fingerprint,
            last
        );
    } else {
        say!(
            "Pernyataan ganti kunci {} ({} → {}) sudah diterima sebelumnya; tidak ada yang berubah.",
            "The key rotation of {} ({} → {}) was taken before; nothing changed.",
            r.facility,
            r.old_fingerprint,
            r.new_fingerprint
        );
    }
    ok()
}

/// Saves `data` at `out_path`: that file, or `name` inside it when it is a folder.
fn save_at(out_path: &Path, name: &str, data: Vec<u8>) -> Result<PathBuf, Error> {
    let target = if out_path.is_dir() {
        out_path.join(name)
    } else {
        out_path.to_owned()
    };
    Ok(save_new(&target, || Ok(data))?.0)
}

/// Saves what `make` makes at `out_path` as `save_at` does, after making sure a file can be
/// written there: a command that changes the database (a new key, a facility registered, a list
/// logged) does not do so for a file it then cannot save.
fn save_after<T>(
    out_path: &Path,
    make: impl FnOnce() -> Result<(T, String, Vec<u8>), Error>,
) -> Result<(T, PathBuf), Error> {
    let dir = if out_path.is_dir() {
        out_path.to_owned()
    } else {
        out_path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_owned)
    };
    drop(bansos::files::temp_with(&dir.join("-"), &[])?);
    let (r, name, data) = make()?;
    let path = save_at(out_path, &name, data)?;
    Ok((r, path))
}

/// `bansos facility byname`: the by-name list of a closed month, for the Kanwil that asked.
pub fn byname(ctx: &Ctx, period: &str, reference: &str, out_path: &Path) -> Out {
    let mut app = sign_in(ctx)?;
    let (r, path) = save_after(out_path, || {
        let (r, data) = app.byname_file(period, reference)?;
        let name = r.file_name.clone();
        Ok((r, name, data))
    })?;
    if ctx.json {
        print_json(&r)?;
        return ok();
    }
    say!(
        "Daftar nama {} untuk {} ({} baris, terenkripsi untuk Kanwil saja) disimpan: {}",
        "By-name list of {} for {} ({} rows, encrypted to the Kanwil only) saved: {}",
        bansos::month::Month::parse(&r.period)
            .map_or_else(|| r.period.clone(), |m| m.words(lang())),
        r.kanwil,
        r.rows,
        path.display()
    );
    ok()
}

/// `bansos facility rotate-key`: a new signing key, and the statement for the Kanwil.
pub fn rotate_key(ctx: &Ctx, reason: &str, out_path: &Path) -> Out {
    let mut app = sign_in(ctx)?;
    let (r, path) = save_after(out_path, || {
        let (r, data) = app.rotate_key(reason)?;
        let name = r.file_name.clone();
        Ok((r, name, data))
    })?;
    if ctx.json {
        print_json(&r)?;
        return ok();
    }
    say!(
        "Kunci UPT diganti: {} → {}.",
        "The facility's key is changed: {} → {}.",
        r.old_fingerprint,
        r.new_fingerprint
    );
    say!(
        "Kirim pernyataan ini ke Kanwil sebelum bundel berikutnya: {}",
        "Send this statement to the Kanwil before the next bundle: {}",
        path.display()
    );
    ok()
}

/// `bansos facility rotation`: the latest key rotation statement again.
pub fn rotation(ctx: &Ctx, out_path: &Path) -> Out {
    let mut app = sign_in(ctx)?;
    let (name, data) = app.rotation_file()?;
    let path = save_at(out_path, &name, data)?;
    say!(
        "Pernyataan ganti kunci disimpan: {}",
        "Key rotation statement saved: {}",
        path.display()
    );
    ok()
}

pub fn enroll(ctx: &Ctx, file: &Path, fingerprint: Option<&str>) -> Out {
    let mut app = sign_in(ctx)?;
    let data = bansos::files::read_bounded(file, SMALL_FILE_BYTES as usize)?;
    let e = app.import_enrollment(&data, fingerprint)?;
    if ctx.json {
        print_json(&e)?;
        return ok();
    }
    say!(
        "Terdaftar di {} ({}), pengesahan nomor {}; laporan jatuh tempo tanggal {} bulan berikutnya.",
        "Enrolled with {} ({}), update {}; reports are due on day {} of the following month.",
        e.kanwil_name,
        e.kanwil_code,
        e.update,
        e.due_day
    );
    if !e.bundles_made.is_empty() {
        say!(
            "Bundel dibuat untuk bulan-bulan yang sudah ditutup: {} bundel.",
            "Bundles made for the months already closed: {} bundles.",
            e.bundles_made.len()
        );
    }
    ok()
}

fn answers_dir(ctx: &Ctx, given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| {
        ctx.db
            .parent()
            .map(|d| d.join("jawaban"))
            .unwrap_or_else(|| PathBuf::from("jawaban"))
    })
}

pub fn regional(ctx: &Ctx, c: RegionalCmd) -> Out {
    let mut app = sign_in(ctx)?;
    match c {
        RegionalCmd::Register {
            file,
            fingerprint,
            out,
        } => {
            let data = bansos::files::read_bounded(&file, SMALL_FILE_BYTES as usize)?;
            let Some(fp) = fingerprint else {
                let r = app.read_registration(&data)?;
                say!("UPT: {} ({})", "Facility: {} ({})", r.name, r.code);
                say!("Sidik jari kunci: {}", "Key fingerprint: {}", r.fingerprint);
                say!(
                    "Bandingkan sidik jari itu dengan UPT lewat telepon, lalu ulangi dengan --fingerprint {}.",
                    "Compare that fingerprint with the facility by telephone, then repeat with --fingerprint {}.",
                    r.fingerprint
                );
                return Ok(ExitCode::from(2));
            };
            let (r, path) = save_after(&out, || {
                let (r, file_bytes) = app.register_facility(&data, &fp)?;
                let name = r.enrollment_file.clone();
                Ok((r, name, file_bytes))
            })?;
            say!(
                "UPT {} ({}) terdaftar. Kirim berkas pengesahan ini ke UPT: {}",
                "Facility {} ({}) registered. Send this enrollment file to the facility: {}",
                r.name,
                r.code,
                path.display()
            );
            ok()
        }
        RegionalCmd::Members => {
            let v = app.members()?;
            if ctx.json {
                print_json(&v)?;
                return ok();
            }
            for m in v {
                let revoked = if m.revoked_at.is_some() {
                    tr!("  DICABUT", "  REVOKED")
                } else {
                    ""
                };
                out!(
                    "{:<24} {:<40} {}  seq {}  {}{}",
                    m.code,
                    m.name,
                    m.fingerprints.last().cloned().unwrap_or_default(),
                    m.head_seq.unwrap_or(0),
                    m.head_period.unwrap_or_default(),
                    revoked
                );
            }
            ok()
        }
        RegionalCmd::Revoke { code, reason } => {
            app.revoke_facility(&code, &reason)?;
            say!(
                "Kunci UPT {} dicabut.",
                "The keys of facility {} are revoked.",
                code
            );
            ok()
        }
        RegionalCmd::ProvinceKey { from } => {
            let id = app.renew_province_key(&from)?;
            say!(
                "Kunci provinsi {} diterbitkan. Kirim pengesahan baru ke setiap UPT: `bansos regional enrollment KODE`.",
                "Province key {} issued. Send every facility its new enrollment: `bansos regional enrollment CODE`.",
                id
            );
            ok()
        }
        RegionalCmd::Enrollment { code, out } => {
            let (name, data) = app.reissue_enrollment(&code)?;
            let (path, _) = save_new(&out.join(name), || Ok(data))?;
            say!(
                "Berkas pengesahan disimpan: {}",
                "Enrollment file saved: {}",
                path.display()
            );
            ok()
        }
        RegionalCmd::DueDay { day } => {
            app.set_due_day(day)?;
            say!(
                "Batas laporan: tanggal {} bulan berikutnya.",
                "Reports are due on day {} of the following month.",
                day
            );
            ok()
        }
        RegionalCmd::Byname { file, xlsx } => {
            let data = bansos::files::read_bounded(&file, bansos::bundle::BYNAME_BYTES as usize)?;
            let o = app.open_byname(&data)?;
            let period = bansos::month::Month::parse(&o.period)
                .map_or_else(|| o.period.clone(), |m| m.words(lang()));
            if let Some(x) = xlsx {
                let bytes = bansos::kanwil::xlsx::byname_xlsx(
                    &o.facility,
                    &o.period,
                    &o.reference,
                    &o.rows,
                )?;
                let (path, _) = save_new(&x, || Ok(bytes))?;
                say!(
                    "Daftar nama {} {} ({} baris) disimpan: {}",
                    "By-name list of {} {} ({} rows) saved: {}",
                    o.facility,
                    period,
                    o.rows.len(),
                    path.display()
                );
                return ok();
            }
            if ctx.json {
                print_json(&o)?;
                return ok();
            }
            say!(
                "Daftar nama {} ({}), {}, permintaan {}: {} baris",
                "By-name list of {} ({}), {}, request {}: {} rows",
                o.facility_name,
                o.facility,
                period,
                o.reference,
                o.rows.len()
            );
            for r in &o.rows {
                out!(
                    "{:<36} {}  {:<32} {:<16} {}{}",
                    r.bast_no,
                    chrono::NaiveDate::parse_from_str(&r.date, "%Y-%m-%d")
                        .map_or_else(|_| r.date.clone(), bansos::locale::short_date),
                    r.head_name,
                    r.head_nik.as_deref().unwrap_or("-"),
                    r.address,
                    if r.voided {
                        tr!("  (BATAL)", "  (VOIDED)")
                    } else {
                        ""
                    }
                );
            }
            ok()
        }
        RegionalCmd::KeyRotation { file } => {
            let data = bansos::files::read_bounded(&file, SMALL_FILE_BYTES as usize)?;
            let r = app.apply_key_rotation(&data)?;
            rotation_applied(ctx, &r)
        }
        RegionalCmd::Import { paths, answers } => {
            // Key rotation statements on the stick first: the bundles after them use the new key.
            // One refused fails the run, as a refused bundle does.
            let mut statement_refused = false;
            for r in app.apply_rotation_files(&paths)? {
                match (&r.ok, ctx.json) {
                    (Some(a), false) => {
                        rotation_applied(ctx, a)?;
                    }
                    (Some(_), true) => {}
                    (None, _) => {
                        statement_refused = true;
                        eprintln!(
                            "{}{}: {}",
                            tr!("galat: ", "error: "),
                            r.file_name,
                            tr!(
                                r.error_id.as_deref().unwrap_or_default(),
                                r.error_en.as_deref().unwrap_or_default()
                            )
                        );
                    }
                }
            }
            let files = files_in(&paths, bansos::bundle::BUNDLE_EXT)?;
            // Read one after another while the bundle before is imported, with a bar on a
            // terminal; a file that cannot be read is told after.
            let failed = bansos::app::Unreadable::default();
            let bar = super::work_bar(ctx, &mut app);
            let verdicts = app.import_bundle_stream(
                files.len() as u64,
                bansos::app::bundles_read_in_turn(&files, &failed),
            );
            bar.finish_and_clear();
            let failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
            for (p, e) in &failed {
                refused_file(p, e);
            }
            let unreadable = !failed.is_empty();
            let verdicts = verdicts?;
            let dir = answers_dir(ctx, answers);
            let mut saved = 0;
            for v in verdicts
                .iter()
                .chain(verdicts.iter().flat_map(|v| v.released.iter()))
            {
                if let Some((name, bytes)) = &v.answer {
                    if !dir.exists() {
                        bansos::files::create_private_dir(&dir)?;
                    }
                    // The same answer again (a replay) is not saved twice.
                    let target = dir.join(name);
                    if std::fs::read(&target).is_ok_and(|b| b == *bytes) {
                        continue;
                    }
                    save_new(&target, || Ok(bytes.clone()))?;
                    saved += 1;
                }
            }
            if ctx.json {
                print_json(&verdicts)?;
            } else {
                for v in &verdicts {
                    out!("{}: {}", v.file_name, v.words(lang()));
                    for r in &v.released {
                        say!(
                            "  lalu dari karantina: {}: {}",
                            "  then from quarantine: {}: {}",
                            r.file_name,
                            r.words(lang())
                        );
                    }
                }
                say!(
                    "{} berkas jawaban disimpan di {}",
                    "{} answer files saved in {}",
                    saved,
                    dir.display()
                );
            }
            let refused = statement_refused || verdicts.iter().any(|v| v.verdict == "refused");
            Ok(if refused || unreadable {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        RegionalCmd::Head { code, out } => {
            let (name, data) = app.head_answer(&code)?;
            let (path, _) = save_new(&out.join(name), || Ok(data))?;
            say!(
                "Berkas jawaban disimpan: {}",
                "Answer file saved: {}",
                path.display()
            );
            ok()
        }
        RegionalCmd::Recap { month, pdf, xlsx } => {
            let r = app.regional_recap(&month)?;
            if let Some(p) = pdf {
                let bytes = bansos::pdf::recap::recap_pdf(&r)?;
                let (path, _) = save_new(&p, || Ok(bytes))?;
                say!("PDF disimpan: {}", "PDF saved: {}", path.display());
            }
            if let Some(p) = xlsx {
                let bytes = bansos::kanwil::xlsx::recap_xlsx(&r)?;
                let (path, _) = save_new(&p, || Ok(bytes))?;
                say!("XLSX disimpan: {}", "XLSX saved: {}", path.display());
            }
            if ctx.json {
                print_json(&r)?;
                return ok();
            }
            let l = lang();
            say!("Rekap {} — {}", "Recap {} — {}", r.period, r.kanwil);
            for f in r.facilities.iter().chain(std::iter::once(&r.total)) {
                out!(
                    "{:<24} {:>7} {:>7} {:>7} {:>8}  Rp{}",
                    f.code,
                    f.families,
                    f.keluarga_wbp,
                    f.masyarakat_sekitar,
                    f.packages,
                    bansos::locale::decimal(f.issued_value, l)
                );
            }
            for i in &r.items {
                out!(
                    "  {:<12} {:>12} {}",
                    i.code,
                    bansos::locale::decimal(i.handed_over, l),
                    i.unit
                );
            }
            if !r.not_reported.is_empty() {
                say!(
                    "Belum melapor: {}",
                    "Not reported: {}",
                    r.not_reported.join(", ")
                );
            }
            ok()
        }
        RegionalCmd::Completeness { month } => {
            let v = app.regional_completeness(&month)?;
            if ctx.json {
                print_json(&v)?;
                return ok();
            }
            for c in v {
                let state = completeness_state(&c.state);
                let late = if c.days_late == 0 {
                    tr!("tepat waktu".to_owned(), "on time".to_owned())
                } else {
                    tr!(
                        format!("terlambat {} hari", c.days_late),
                        format!("{} days late", c.days_late)
                    )
                };
                out!("{:<24} {:<30} {}", c.code, state, late);
            }
            ok()
        }
        RegionalCmd::Duplicates { month } => {
            let v = app.regional_duplicates(&month)?;
            if ctx.json {
                print_json(&v)?;
                return ok();
            }
            if v.is_empty() {
                say!(
                    "Tidak ada orang yang dilayani dua UPT pada {}.",
                    "Nobody was served by two facilities in {}.",
                    month
                );
            }
            for p in v {
                let by = if p.by == "kk" {
                    tr!("No. KK sama (peringatan)", "same No. KK (warning)")
                } else {
                    tr!("NIK sama", "same NIK")
                };
                out!(
                    "{}  {} {}  ↔  {} {}",
                    by,
                    p.facility_a,
                    p.bast_a,
                    p.facility_b,
                    p.bast_b
                );
            }
            ok()
        }
    }
}

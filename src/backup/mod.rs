//! Backups: one file holding a consistent copy of the (still encrypted) database, the key file
//! that opens it, and a manifest with the SHA-256 of each. Automatic daily backups rotate; one is
//! taken before every schema migration; manual ones are kept until deleted by hand.
//!
//! A backup is a plain zip (stored, not compressed: encrypted pages do not compress), so it can be
//! inspected with ordinary tools, but the database inside opens only with a staff password that
//! was valid when the backup was made.

use crate::error::{Error, ErrorKind, Result};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupKind {
    /// Made automatically once a day.
    Daily,
    /// Made automatically before a schema migration.
    PreMigration,
    /// Made by hand (Cadangan screen or `bansos backup`).
    Manual,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    pub file_name: String,
    pub path: String,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub size_bytes: u64,
    pub kind: BackupKind,
}

pub const EXTENSION: &str = "bansos-backup";
const FORMAT: &str = "bansos-backup-v1";
const DB_ENTRY: &str = "bansos.db";
const KEYS_ENTRY: &str = "bansos.db.keys";
const MANIFEST_ENTRY: &str = "manifest.json";
const KEEP_DAILY: usize = 7;
const KEEP_PRE_MIGRATION: usize = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub created_at: String,
    pub kind: BackupKind,
    pub schema_version: i64,
    pub program_version: String,
    pub facility_label: String,
    pub db_sha256: String,
    pub keys_sha256: String,
}

impl Manifest {
    /// Its fields as Bansos writes them: a time, a version, a label and two hashes, each short
    /// and printable. The manifest is read before any hash could vouch for it, and what it says
    /// is shown and written into the restored database's audit log.
    fn check(&self) -> std::result::Result<(), (&'static str, &'static str)> {
        let printable =
            |s: &str, max: usize| s.chars().count() <= max && !s.chars().any(char::is_control);
        let hash = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !printable(&self.created_at, 40)
            || chrono::DateTime::parse_from_rfc3339(&self.created_at).is_err()
        {
            return Err((
                "waktu pembuatan di manifes tidak sah",
                "the manifest's creation time is not valid",
            ));
        }
        if !printable(&self.program_version, 40)
            || !printable(&self.facility_label, 300)
            || !(0..=10_000).contains(&self.schema_version)
        {
            return Err((
                "manifes berisi keterangan yang tidak sah",
                "the manifest holds values that are not valid",
            ));
        }
        if !hash(&self.db_sha256) || !hash(&self.keys_sha256) {
            return Err((
                "manifes berisi sidik yang tidak sah",
                "the manifest holds hashes that are not valid",
            ));
        }
        Ok(())
    }
}

pub fn dir_for(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("backups")
}

fn kind_code(k: BackupKind) -> &'static str {
    match k {
        BackupKind::Daily => "daily",
        BackupKind::PreMigration => "pre-migration",
        BackupKind::Manual => "manual",
    }
}

fn invalid(file: &Path, id: &str, en: &str) -> Error {
    Error::new(
        ErrorKind::BackupInvalid,
        format!(
            "Cadangan {} tidak dapat dipakai: {id}. Tidak ada yang diubah.",
            file.display()
        ),
        format!(
            "The backup {} cannot be used: {en}. Nothing was changed.",
            file.display()
        ),
    )
}

fn sha256_file(path: &Path) -> Result<String> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).map_err(|e| Error::io(path, e))?;
    Ok(hex::encode(h.finalize()))
}

/// Debris of a backup that was interrupted (killed, power cut): its part file and database copy
/// begin with this and are removed by the next backup, which holds the folder's lock.
const DEBRIS_PREFIX: &str = ".bansos-";

/// An exclusive lock on the backup folder for as long as it lives: one backup is written at a
/// time, so a name chosen is not taken meanwhile, and debris found is nobody's work in progress.
fn lock_dir(dir: &Path) -> Result<std::fs::File> {
    let p = dir.join(".lock");
    let f = crate::files::open_private(&p)?;
    f.lock().map_err(|e| Error::io(&p, e))?;
    Ok(f)
}

fn remove_debris(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(DEBRIS_PREFIX) && (name.ends_with(".part") || name.ends_with(".db")) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A zip library error as a file error: its I/O errors keep their kind (a full disk stays one).
fn zip_error(path: &Path, e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => Error::io(path, io),
        other => Error::io(path, std::io::Error::other(other)),
    }
}

/// Writes a backup of the database behind `copy_db` into `dir`. `copy_db` must write a
/// consistent, self-contained copy of the database to the path it is given. Interrupted at any
/// point, it leaves no file a later backup would not remove; on a full disk it says so and
/// leaves nothing behind.
pub fn create(
    dir: &Path,
    at: DateTime<Utc>,
    kind: BackupKind,
    schema_version: i64,
    keyring_bytes: &[u8],
    facility_label: &str,
    copy_db: impl FnOnce(&Path) -> Result<()>,
) -> Result<BackupInfo> {
    crate::files::create_private_dir(dir)?;
    let _lock = lock_dir(dir)?;
    remove_debris(dir);
    let stamp = at.format("%Y%m%dT%H%M%SZ");
    let mut name = format!("bansos-{stamp}-{}.{EXTENSION}", kind_code(kind));
    let mut n = 2;
    while dir.join(&name).exists() {
        name = format!("bansos-{stamp}-{}-{n}.{EXTENSION}", kind_code(kind));
        n += 1;
    }
    let final_path = dir.join(&name);
    let part = dir.join(format!("{DEBRIS_PREFIX}{name}.part"));
    let db_copy = dir.join(format!("{DEBRIS_PREFIX}{name}.db"));
    let result = (|| -> Result<()> {
        copy_db(&db_copy)?;
        let manifest = Manifest {
            format: FORMAT.into(),
            created_at: at.to_rfc3339(),
            kind,
            schema_version,
            program_version: env!("CARGO_PKG_VERSION").into(),
            facility_label: facility_label.into(),
            db_sha256: sha256_file(&db_copy)?,
            keys_sha256: hex::encode(Sha256::digest(keyring_bytes)),
        };
        let file = crate::files::create_private(&part)?;
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(true);
        let zerr = |e| zip_error(&part, e);
        zip.start_file(MANIFEST_ENTRY, opts).map_err(zerr)?;
        zip.write_all(&serde_json::to_vec_pretty(&manifest).map_err(Error::internal)?)
            .map_err(|e| Error::io(&part, e))?;
        zip.start_file(KEYS_ENTRY, opts).map_err(zerr)?;
        zip.write_all(keyring_bytes)
            .map_err(|e| Error::io(&part, e))?;
        zip.start_file(DB_ENTRY, opts).map_err(zerr)?;
        let mut db = std::fs::File::open(&db_copy).map_err(|e| Error::io(&db_copy, e))?;
        std::io::copy(&mut db, &mut zip).map_err(|e| Error::io(&part, e))?;
        let file = zip.finish().map_err(zerr)?;
        file.sync_all().map_err(|e| Error::io(&part, e))?;
        std::fs::rename(&part, &final_path).map_err(|e| Error::io(&final_path, e))?;
        crate::files::sync_dir(&final_path);
        Ok(())
    })();
    let _ = std::fs::remove_file(&db_copy);
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result?;
    info_for(&final_path).ok_or_else(|| Error::internal("backup written but not readable"))
}

/// Reads what a backup's file name and size say (the manifest is read only when restoring).
fn info_for(path: &Path) -> Option<BackupInfo> {
    let name = path.file_name()?.to_str()?.to_owned();
    let stem = name
        .strip_prefix("bansos-")?
        .strip_suffix(&format!(".{EXTENSION}"))?;
    let (stamp, rest) = stem.split_once('-')?;
    let created = NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
        .ok()?
        .and_utc();
    let kind = if rest.starts_with("daily") {
        BackupKind::Daily
    } else if rest.starts_with("pre-migration") {
        BackupKind::PreMigration
    } else if rest.starts_with("manual") {
        BackupKind::Manual
    } else {
        return None;
    };
    let size = std::fs::metadata(path).ok()?.len();
    Some(BackupInfo {
        file_name: name,
        path: path.display().to_string(),
        created_at: created.to_rfc3339(),
        size_bytes: size,
        kind,
    })
}

/// The backups in `dir`, newest first.
pub fn list(dir: &Path) -> Vec<BackupInfo> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<BackupInfo> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| info_for(&e.path()))
        .collect();
    out.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then(b.file_name.cmp(&a.file_name))
    });
    out
}

/// Deletes the oldest automatic backups beyond what is kept; manual backups are never deleted.
pub fn rotate(dir: &Path) {
    for (kind, keep) in [
        (BackupKind::Daily, KEEP_DAILY),
        (BackupKind::PreMigration, KEEP_PRE_MIGRATION),
    ] {
        for old in list(dir).into_iter().filter(|b| b.kind == kind).skip(keep) {
            let _ = std::fs::remove_file(&old.path);
        }
    }
}

/// A backup read and checked: its manifest, its key file, and the database extracted to `db_out`.
pub struct Unpacked {
    pub manifest: Manifest,
    pub keyring_bytes: Vec<u8>,
}

/// Opens a backup file, checks its size, its parts (which, how many, how large they say they
/// are — before any is read), its manifest and the SHA-256 of every part, and writes the database
/// inside it to `db_out`. Nothing outside `db_out` is touched. A write that fails (a full disk)
/// is said as such: a good backup is never called damaged for want of space.
pub fn unpack(file: &Path, db_out: &Path) -> Result<Unpacked> {
    use crate::limits::{BACKUP_BYTES, BACKUP_ENTRIES, BACKUP_PART_BYTES};
    let f = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
    let size = f.metadata().map_err(|e| Error::io(file, e))?.len();
    let gb = |n: u64| format!("{:.1} GB", n as f64 / 1_073_741_824.0);
    if size > BACKUP_BYTES {
        return Err(invalid(
            file,
            &format!(
                "berkasnya terlalu besar ({}; paling besar {})",
                gb(size),
                gb(BACKUP_BYTES)
            ),
            &format!(
                "the file is too large ({}; at most {})",
                gb(size),
                gb(BACKUP_BYTES)
            ),
        ));
    }
    let mut zip = zip::ZipArchive::new(f).map_err(|_| {
        invalid(
            file,
            "bukan berkas cadangan Bansos (zip rusak)",
            "not a Bansos backup (broken zip)",
        )
    })?;
    if zip.len() > BACKUP_ENTRIES {
        return Err(invalid(
            file,
            &format!("berisi {} bagian (cadangan Bansos berisi 3)", zip.len()),
            &format!("it holds {} parts (a Bansos backup holds 3)", zip.len()),
        ));
    }
    // Every part's declared size, checked before anything is read or written.
    for (name, limit) in [
        (MANIFEST_ENTRY, BACKUP_PART_BYTES),
        (KEYS_ENTRY, BACKUP_PART_BYTES),
        (DB_ENTRY, BACKUP_BYTES),
    ] {
        let (declared, stored) = zip
            .by_name(name)
            .map(|e| (e.size(), e.compression() == zip::CompressionMethod::Stored))
            .map_err(|_| {
                invalid(
                    file,
                    &format!("bagian {name} tidak ada"),
                    &format!("part {name} is missing"),
                )
            })?;
        // Bansos writes its backups uncompressed: a part that unpacks to more than the file
        // holds (a zip bomb) is refused before a byte of it is written.
        if !stored || declared > size {
            return Err(invalid(
                file,
                &format!("bagian {name} dipadatkan atau lebih besar dari berkasnya (bukan cadangan Bansos)"),
                &format!("part {name} is compressed or larger than the file (not a Bansos backup)"),
            ));
        }
        if declared > limit {
            return Err(invalid(
                file,
                &format!("bagian {name} mengaku terlalu besar ({declared} bita)"),
                &format!("part {name} claims to be too large ({declared} bytes)"),
            ));
        }
    }
    let mut read_entry = |name: &str| -> Result<Vec<u8>> {
        let e = zip.by_name(name).map_err(|_| {
            invalid(
                file,
                &format!("bagian {name} tidak ada"),
                &format!("part {name} is missing"),
            )
        })?;
        let declared = e.size();
        let mut buf = Vec::new();
        e.take(declared.min(BACKUP_PART_BYTES) + 1)
            .read_to_end(&mut buf)
            .map_err(|_| {
                invalid(
                    file,
                    &format!("bagian {name} rusak"),
                    &format!("part {name} is damaged"),
                )
            })?;
        if buf.len() as u64 != declared {
            return Err(invalid(
                file,
                &format!("bagian {name} tidak sepanjang yang tertulis"),
                &format!("part {name} is not as long as it says"),
            ));
        }
        Ok(buf)
    };
    let manifest: Manifest = serde_json::from_slice(&read_entry(MANIFEST_ENTRY)?)
        .map_err(|_| invalid(file, "manifes tidak terbaca", "the manifest is unreadable"))?;
    if manifest.format != FORMAT {
        return Err(invalid(
            file,
            "format cadangan tidak dikenal",
            "unknown backup format",
        ));
    }
    if let Err((id, en)) = manifest.check() {
        return Err(invalid(file, id, en));
    }
    let keyring_bytes = read_entry(KEYS_ENTRY)?;
    if hex::encode(Sha256::digest(&keyring_bytes)) != manifest.keys_sha256 {
        return Err(invalid(
            file,
            "berkas kunci di dalamnya tidak cocok dengan manifes",
            "its key file does not match the manifest",
        ));
    }
    let copied = (|| -> Result<()> {
        let e = zip.by_name(DB_ENTRY).map_err(|_| {
            invalid(
                file,
                "basis data tidak ada di dalamnya",
                "it holds no database",
            )
        })?;
        let declared = e.size();
        let mut src = e.take(declared + 1);
        let mut out = crate::files::create_private(db_out)?;
        let mut h = Sha256::new();
        let mut written: u64 = 0;
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            // A read that fails is the backup's damage; a write that fails is this disk's.
            let n = src.read(&mut buf).map_err(|_| {
                invalid(
                    file,
                    "basis data di dalamnya rusak",
                    "the database inside is damaged",
                )
            })?;
            if n == 0 {
                break;
            }
            written += n as u64;
            if written > declared {
                return Err(invalid(
                    file,
                    "basis data di dalamnya lebih panjang dari yang tertulis",
                    "the database inside is longer than it says",
                ));
            }
            h.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(|e| Error::io(db_out, e))?;
        }
        out.sync_all().map_err(|e| Error::io(db_out, e))?;
        if hex::encode(h.finalize()) != manifest.db_sha256 {
            return Err(invalid(
                file,
                "basis data di dalamnya tidak cocok dengan manifes (rusak atau diubah)",
                "the database inside does not match the manifest (damaged or altered)",
            ));
        }
        Ok(())
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(db_out);
        return Err(e);
    }
    Ok(Unpacked {
        manifest,
        keyring_bytes,
    })
}

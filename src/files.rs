//! Writing files so that a crash leaves the old or the new content, never a torn one, and two
//! sessions writing at once never share a temporary file.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// A new temporary file of its own in `path`'s folder, holding `bytes`, flushed to the disk.
pub fn temp_with(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".bansos-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    let p = tmp.path().to_owned();
    tmp.write_all(bytes).map_err(|e| Error::io(&p, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(&p, e))?;
    Ok(tmp)
}

/// Makes a rename in `path`'s folder durable.
pub fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// Writes `bytes` to `path` through a temporary file of its own and a rename. If anything fails
/// the temporary file is removed and `path` is as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_with(path, bytes)?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    sync_dir(path);
    Ok(())
}

/// Why nothing can be written in the folder `dir`, if so: the disk is full, or it is read-only.
/// Asked when the store fails in a way that could be either damage or the disk, so that a full
/// disk is never reported as a damaged database (and nobody restores a backup over good data).
pub fn write_trouble(dir: &Path) -> Option<Error> {
    use std::io::ErrorKind as K;
    let probe = || -> std::io::Result<()> {
        let mut f = tempfile::tempfile_in(dir)?;
        f.write_all(&[0u8; 64 * 1024])?;
        f.sync_all()
    };
    match probe() {
        Ok(()) => None,
        Err(e) => match e.kind() {
            K::StorageFull | K::QuotaExceeded | K::FileTooLarge => Some(Error::disk_full()),
            K::ReadOnlyFilesystem => Some(Error::read_only_disk(dir)),
            _ => None,
        },
    }
}

/// Reads a file of at most `limit` bytes, refusing a larger one by its size before reading it
/// (and, should it grow meanwhile, after `limit` bytes).
pub fn read_bounded(path: &Path, limit: usize) -> Result<Vec<u8>> {
    use std::io::Read;
    let too_large = |size: u64| too_large("file", &path.display().to_string(), size, limit);
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let size = f.metadata().map_err(|e| Error::io(path, e))?.len();
    if size > limit as u64 {
        return Err(too_large(size));
    }
    let mut out = Vec::with_capacity(size as usize);
    f.take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| Error::io(path, e))?;
    if out.len() > limit {
        return Err(too_large(out.len() as u64));
    }
    Ok(out)
}

/// The refusal of a file (named `name`, or unnamed) of `size` bytes, past `limit`.
pub fn too_large(field: &str, name: &str, size: u64, limit: usize) -> Error {
    let mb = size as f64 / 1_048_576.0;
    let max = limit / 1_048_576;
    let (id, en) = if name.is_empty() {
        ("Berkas".to_owned(), "The file".to_owned())
    } else {
        (format!("Berkas {name}"), format!("The file {name}"))
    };
    Error::invalid(
        field,
        format!(
            "{id} terlalu besar ({} MB; paling besar {max} MB).",
            format!("{mb:.1}").replace('.', ",")
        ),
        format!("{en} is too large ({mb:.1} MB; at most {max} MB)."),
    )
}

/// Creates (or empties) a file that only its owner may read and write: the database, its key
/// file and backups hold families of prisoners.
pub fn create_private(path: &Path) -> Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(|e| Error::io(path, e))
}

/// Opens (creating if needed, never emptying) a file for its owner only: a lock file.
pub fn open_private(path: &Path) -> Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(|e| Error::io(path, e))
}

/// Creates a folder (and its parents) that only its owner may enter.
pub fn create_private_dir(path: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(path).map_err(|e| Error::io(path, e))
}

//! The store: one SQLCipher database file, opened with the data key, checked, migrated. Only this
//! module and the `db.rs` files of the domain modules use rusqlite.
//!
//! Order matters when opening: the key first, then a read that proves the key and the file are
//! good, then the version check (a newer database is refused before anything can write to it),
//! then the integrity checks, and only then the pragmas that may write (WAL) and the migrations.

pub mod migrations;

use crate::error::{Error, ErrorKind, Result};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::Path;

/// A connection and a transaction, as the rest of the core names them (only `src/db` and the
/// domains' `db.rs` files import rusqlite).
pub use rusqlite::{Connection as Db, Transaction as Tx};

fn apply_key(conn: &Connection, key: &[u8; 32]) -> Result<()> {
    // SQLCipher prints decryption failures to stderr unless told not to; the caller reports them.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    // A raw 256-bit key (x'…'): no passphrase derivation inside SQLCipher, the key already is one.
    let sql = zeroize::Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex::encode(key)));
    conn.execute_batch(&sql)?;
    Ok(())
}

/// The database is damaged. SQLite's own words (`detail`) are not shown: they mean nothing to the
/// people who read this, and what to do is the same.
fn corrupt(_detail: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Corrupt,
        "Basis data rusak atau bukan basis data Bansos. Tidak ada yang diubah; pulihkan dari cadangan (bansos restore).",
        "The database is damaged or is not a Bansos database. Nothing was changed; restore it from a backup (bansos restore).",
    )
}

/// A failure to open, told apart from the disk's trouble: on a full or read-only disk SQLite
/// cannot make its shared-memory file and fails as if the file were bad. Only when the folder
/// takes a write is the failure the database's own.
fn explained(path: &Path, e: Error) -> Error {
    match e.kind {
        ErrorKind::Corrupt | ErrorKind::Internal | ErrorKind::Io => {
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            crate::files::write_trouble(dir).unwrap_or(e)
        }
        _ => e,
    }
}

/// Proves the key opens the file by reading its schema.
fn probe(conn: &Connection) -> Result<()> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|_| ())
    .map_err(corrupt)
}

pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

fn check_not_newer(conn: &Connection) -> Result<()> {
    let v = user_version(conn)?;
    let supported = migrations::LATEST;
    if v > supported {
        return Err(Error::new(
            ErrorKind::TooNew,
            format!("Basis data ini dibuat oleh versi Bansos yang lebih baru (skema {v}, program ini mengenal sampai {supported}). Basis data tidak diubah; pasang versi Bansos yang lebih baru."),
            format!("This database was written by a newer Bansos (schema {v}; this program knows up to {supported}). It was not changed; install the newer Bansos."),
        ));
    }
    Ok(())
}

/// A store up to this size is checked in full ([`integrity_check`]) every time it is opened:
/// under half a second on the build machine. A larger one is not (the full check takes 15 s at
/// 1.2 GB, the ten-year data set): SQLCipher authenticates every page as it is read, so a flipped
/// byte is refused as [`ErrorKind::Corrupt`] by the read that meets it and nothing is written, and
/// the daily backup checks every page first ([`pages_check`]). A backup being restored is always
/// checked in full ([`open_for_check`]).
pub const FULL_CHECK_AT_OPEN: u64 = 32 * 1024 * 1024;

/// [`FULL_CHECK_AT_OPEN`], or in debug builds `BANSOS_TEST_FULL_CHECK_BYTES` (tests of a large
/// store without writing one).
fn full_check_limit() -> u64 {
    #[cfg(debug_assertions)]
    if let Some(n) = std::env::var("BANSOS_TEST_FULL_CHECK_BYTES")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return n;
    }
    FULL_CHECK_AT_OPEN
}

/// Whether the store at `path` is larger than is checked in full at every open.
pub fn checked_only_by_backup(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > full_check_limit())
}

/// SQLCipher's check of every page's authentication code (5.8 s at 1.2 GB): what the daily
/// backup of a store too large to check at every open runs first. (The backup itself copies the
/// encrypted pages as they are, so it would carry damage along without noticing.)
pub fn pages_check(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA cipher_integrity_check")?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match problems.first() {
        Some(first) => Err(corrupt(first)),
        None => Ok(()),
    }
}

/// SQLite's structural check and SQLCipher's per-page authentication check. Both read every page,
/// so a flipped byte anywhere is found at start rather than in the middle of a hand-over.
pub fn integrity_check(conn: &Connection) -> Result<()> {
    let quick: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(corrupt)?;
    if quick != "ok" {
        return Err(corrupt(quick));
    }
    pages_check(conn)
}

fn set_pragmas(conn: &Connection) -> Result<()> {
    // WAL for a reader (the window) beside a writer (the CLI); synchronous=FULL because a confirmed
    // hand-over must survive a power cut, not only a crash of the program.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )?;
    Ok(())
}

/// Runs `f` with a page cache of `mib` MiB on `conn` (SQLite's default is 2 MiB), and gives the
/// pages back after: for long writes over large indexes (a Kanwil importing large months), which
/// with the small cache spill dirty pages to the WAL mid-transaction and read (and decrypt) the
/// same pages again and again. The WAL is checkpointed after as many pages as the cache holds
/// (not SQLite's 1,000): a run of transactions that write the same index pages again copies each
/// into the database once per checkpoint, not once per transaction.
pub fn with_cache<T>(
    conn: &mut Connection,
    mib: u32,
    f: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<T> {
    let old: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    let old_wal: i64 = conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?;
    conn.execute_batch(&format!(
        "PRAGMA cache_size = -{}; PRAGMA wal_autocheckpoint = {};",
        u64::from(mib) * 1024,
        u64::from(mib) * 256
    ))?;
    let out = f(conn);
    // The outcome is `f`'s: work committed is never reported as failed because the cache could
    // not be made small again (it would only stay larger).
    let _ = conn.execute_batch(&format!(
        "PRAGMA cache_size = {old}; PRAGMA wal_autocheckpoint = {old_wal};"
    ));
    out
}

/// A database that is missing, or empty (0 bytes: SQLite would take it for a new database and
/// migrate it), is refused before anything opens it, and nothing is written.
fn check_not_empty(path: &Path) -> Result<()> {
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::new(
                ErrorKind::Corrupt,
                format!(
                    "Basis data {} tidak ada, padahal berkas kuncinya ada. Tidak ada yang diubah; pulihkan dari cadangan (bansos restore).",
                    path.display()
                ),
                format!(
                    "The database {} is missing while its key file is there. Nothing was changed; restore it from a backup (bansos restore).",
                    path.display()
                ),
            ))
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    if size == 0 {
        return Err(Error::new(
            ErrorKind::Corrupt,
            format!(
                "Basis data {} kosong (0 bait): bukan basis data Bansos yang utuh. Tidak ada yang diubah; pulihkan dari cadangan (bansos restore).",
                path.display()
            ),
            format!(
                "The database {} is empty (0 bytes): not a whole Bansos database. Nothing was changed; restore it from a backup (bansos restore).",
                path.display()
            ),
        ));
    }
    Ok(())
}

/// Opens an existing database. `before_migration` is called (with the old version) when the schema
/// must be upgraded, so a backup is taken first.
pub fn open(
    path: &Path,
    key: &[u8; 32],
    before_migration: impl FnOnce(&Connection, i64) -> Result<()>,
) -> Result<Connection> {
    check_not_empty(path)?;
    open_checked(path, key, before_migration).map_err(|e| explained(path, e))
}

fn open_checked(
    path: &Path,
    key: &[u8; 32],
    before_migration: impl FnOnce(&Connection, i64) -> Result<()>,
) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    apply_key(&conn, key)?;
    probe(&conn)?;
    check_not_newer(&conn)?;
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if size <= full_check_limit() {
        integrity_check(&conn)?;
    }
    set_pragmas(&conn)?;
    let v = user_version(&conn)?;
    if v < migrations::LATEST {
        before_migration(&conn, v)?;
        migrations::run(&conn)?;
    }
    Ok(conn)
}

/// Closes a connection, and says so when it could not be closed whole (its WAL not folded in).
pub fn close(conn: Connection) -> Result<()> {
    conn.close().map_err(|(_, e)| Error::from(e))
}

/// Opens a database file read-only for inspection (a backup being restored): the same checks,
/// no pragmas that write, no migration.
pub fn open_for_check(path: &Path, key: &[u8; 32]) -> Result<Connection> {
    check_not_empty(path)?;
    let checked = || -> Result<Connection> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        apply_key(&conn, key)?;
        probe(&conn)?;
        check_not_newer(&conn)?;
        integrity_check(&conn)?;
        Ok(conn)
    };
    checked().map_err(|e| explained(path, e))
}

/// Creates a new encrypted database; refuses to touch an existing file.
pub fn create(path: &Path, key: &[u8; 32]) -> Result<Connection> {
    if path.exists() {
        return Err(Error::new(
            ErrorKind::AlreadyInitialized,
            format!("Basis data {} sudah ada; tidak ditimpa.", path.display()),
            format!(
                "The database {} already exists; it was not overwritten.",
                path.display()
            ),
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::files::create_private_dir(dir)?;
    }
    // Made first with the owner's permissions only; SQLite keeps them, and gives its WAL and
    // shared-memory files the same.
    crate::files::create_private(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    apply_key(&conn, key)?;
    set_pragmas(&conn)?;
    migrations::run(&conn)?;
    Ok(conn)
}

/// Runs `f` in one immediate transaction: committed if it returns Ok, rolled back if it returns
/// Err or panics (the transaction is dropped). Every use case is one call of this.
pub fn with_tx<T>(conn: &mut Connection, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}

/// Runs `f` in one read transaction (deferred, rolled back at the end): every query in it sees
/// the same state of the store, and the store's read lock is taken once, not by each statement
/// (a search reads a hundred families' rows).
pub fn with_read<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Deferred)?;
    f(&tx)
}

/// Copies the open database, page by page and consistently, into a new file encrypted with the
/// same key (SQLite's online backup; the copy carries the schema version).
pub fn copy_to(conn: &Connection, dest: &Path, key: &[u8; 32]) -> Result<()> {
    crate::files::create_private(dest)?;
    let mut out = Connection::open(dest).map_err(|e| Error::io(dest, std::io::Error::other(e)))?;
    apply_key(&out, key)?;
    {
        let b = rusqlite::backup::Backup::new(conn, &mut out)?;
        // In one step, inside one read transaction (in WAL, writers go on beside it): in steps,
        // every write by another connection (a desk saving while the daily backup runs)
        // started the copy over, and a busy distribution day could keep a ten-year store's
        // backup from ever ending.
        let mut waits = 0;
        loop {
            match b.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => {}
                _ if waits < 250 => {
                    waits += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                _ => return Err(Error::busy()),
            }
        }
    }
    // The copy inherits WAL mode; fold it into one self-contained file.
    out.execute_batch("PRAGMA journal_mode = DELETE;")?;
    Ok(())
}

/// SQLite errors reaching a use case are defects or damage; the store layer maps the expected
/// ones (wrong key, not a database, constraint) before they get here. A text the store's limits
/// refused (migration 0010) becomes a refusal naming the field; no SQLite text reaches a person.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => Error::new(
                ErrorKind::Corrupt,
                "Berkas basis data rusak atau bukan basis data Bansos.",
                "The database file is damaged or is not a Bansos database.",
            ),
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::busy(),
            Some(ErrorCode::DiskFull) => Error::disk_full(),
            Some(ErrorCode::ReadOnly) => Error::new(
                ErrorKind::Io,
                "Basis data hanya dapat dibaca (folder atau disk terkunci tulis): perubahan tidak disimpan.",
                "The database can only be read (its folder or disk is write-protected): the change was not saved.",
            ),
            Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => Error::new(
                ErrorKind::Io,
                "Basis data tidak dapat dibuka: periksa folder dan izinnya.",
                "The database cannot be opened: check its folder and permissions.",
            ),
            Some(ErrorCode::SystemIoFailure) => Error::new(
                ErrorKind::Io,
                "Disk tidak dapat membaca atau menulis basis data: perubahan tidak disimpan. Periksa disk (penuh, dicabut, atau rusak) lalu coba lagi.",
                "The disk cannot read or write the database: the change was not saved. Check the disk (full, removed or failing) and try again.",
            ),
            Some(ErrorCode::ConstraintViolation) => match text_too_long(&e) {
                Some(refusal) => refusal,
                None if raised(&e) == Some("month closed") => Error::new(
                    ErrorKind::Conflict,
                    "Bulan catatan ini sudah ditutup (tutup buku): catatan bertanggal di bulan yang ditutup tidak dapat ditambah atau diubah.",
                    "This record's month is closed: records dated in a closed month cannot be added or changed.",
                ),
                None => Error::internal(e),
            },
            _ => Error::internal(e),
        }
    }
}

/// The message a trigger raised, if this is one.
fn raised(e: &rusqlite::Error) -> Option<&str> {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => Some(msg.as_str()),
        _ => None,
    }
}

/// The refusal for a text the store's limits caught ("text too long: family.address").
fn text_too_long(e: &rusqlite::Error) -> Option<Error> {
    let rusqlite::Error::SqliteFailure(_, Some(msg)) = e else {
        return None;
    };
    let (table, column) = msg.strip_prefix("text too long: ")?.split_once('.')?;
    let limit = crate::limits::store_text(table, column)?;
    let (id, en) = limit.label?;
    Some(Error::invalid(
        column,
        format!(
            "{id} terlalu panjang (paling banyak {} karakter).",
            crate::limits::count(limit.max as u64)
        ),
        format!(
            "{en} is too long (at most {} characters).",
            crate::limits::count_en(limit.max as u64)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_size(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn the_larger_cache_is_there_only_while_its_work_runs_and_the_outcome_is_the_works() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER) STRICT;")
            .unwrap();
        let before = cache_size(&conn);
        let checkpoint = |conn: &Connection| -> i64 {
            conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
                .unwrap()
        };
        let every = checkpoint(&conn);
        with_cache(&mut conn, 32, |conn| {
            assert_eq!(cache_size(conn), -32 * 1024, "the larger cache inside");
            assert_eq!(checkpoint(conn), 8192, "the WAL checkpointed as seldom");
            with_tx(conn, |tx| {
                tx.execute("INSERT INTO t VALUES (1)", [])?;
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(cache_size(&conn), before, "given back after a commit");
        assert_eq!(checkpoint(&conn), every);
        let failed: Result<()> = with_cache(&mut conn, 32, |conn| {
            with_tx(conn, |tx| {
                tx.execute("INSERT INTO t VALUES (2)", [])?;
                Err(crate::Error::internal("refused"))
            })
        });
        assert!(failed.is_err());
        assert_eq!(cache_size(&conn), before, "given back after a failure");
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "the refused write is not kept");
    }
}

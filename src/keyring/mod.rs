//! The key file beside the database (`bansos.db.keys`). The database is encrypted with one random
//! 256-bit key (the data key). Each staff account keeps its own copy of the data key, wrapped with
//! a key derived from that account's password by argon2id, so adding or removing staff never
//! re-encrypts the data and no password is stored anywhere.
//!
//! The file also carries what must be known *before* the database opens: the facility's name for
//! the sign-in screen, and each account's failed sign-in count and lock-out (a wrong password
//! cannot be written into a database it failed to open).
//!
//! Several sessions share the file (the window and commands, two windows). Every change is a
//! read-modify-write under an exclusive lock on `<keys>.lock` ([`update`]), written through a
//! temporary file of its own and renamed over the old one, so a crash leaves the old or the new
//! file and two sessions never undo each other's change.

use crate::error::{Error, ErrorKind, Result};
use crate::files;
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

const FORMAT: &str = "bansos-keyring-v1";

/// The data key: 32 random bytes, wiped from memory when dropped.
pub type DataKey = Zeroizing<[u8; 32]>;

/// argon2id cost: OWASP's recommended minimum for argon2id (46 MiB, 1 pass, 1 lane). Stored per
/// account so it can be raised later without locking anyone out.
const KDF_M_KIB: u32 = 47_104;
const KDF_T: u32 = 1;
const KDF_P: u32 = 1;
/// The most a key file is trusted to ask of Argon2 (what is written is `KDF_*` above).
const KDF_M_KIB_MAX: u32 = 256 * 1024;
const KDF_T_MAX: u32 = 16;
const KDF_P_MAX: u32 = 16;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Account {
    kdf: String,
    m_kib: u32,
    t: u32,
    p: u32,
    salt: String,
    nonce: String,
    wrapped: String,
    #[serde(default)]
    pub failures: u32,
    #[serde(default)]
    pub locked_until: Option<DateTime<Utc>>,
    /// Failures since the last successful sign-in, reported (and audited) at the next one.
    #[serde(default)]
    pub failures_since_success: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Keyring {
    format: String,
    pub facility_label: String,
    pub accounts: BTreeMap<String, Account>,
}

pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".keys");
    PathBuf::from(p)
}

pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).map_err(|e| Error::internal(format!("no randomness: {e}")))?;
    Ok(b)
}

pub fn new_data_key() -> Result<DataKey> {
    Ok(Zeroizing::new(random_bytes::<32>()?))
}

fn kek(password: &str, salt: &[u8], m: u32, t: u32, p: u32) -> Result<Zeroizing<[u8; 32]>> {
    let kdf = || {
        corrupt_keyfile(
            "parameter KDF tidak sah",
            "its KDF parameters are not valid",
        )
    };
    let params = Params::new(m, t, p, Some(32)).map_err(|_| kdf())?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, out.as_mut())
        .map_err(|_| kdf())?;
    Ok(out)
}

fn aad(username: &str) -> Vec<u8> {
    format!("{FORMAT}:{username}").into_bytes()
}

fn corrupt_keyfile(id: &str, en: &str) -> Error {
    Error::new(
        ErrorKind::Corrupt,
        format!("Berkas kunci (.keys) rusak: {id}. Pulihkan dari cadangan terakhir (bansos restore, atau Cadangan di jendela oleh Admin); berkas yang rusak disimpan di samping."),
        format!("The key file (.keys) is damaged: {en}. Restore the latest backup (bansos restore, or Backups in the window by an Admin); the damaged file is kept beside it."),
    )
}

/// A key file is a few hundred bytes an account; one larger than this is not one.
const KEYFILE_BYTES: usize = 4 * 1024 * 1024;

impl Account {
    /// Wraps the data key under `password` for `username`.
    pub fn wrap(username: &str, password: &str, key: &DataKey) -> Result<Account> {
        let salt = random_bytes::<16>()?;
        let nonce = random_bytes::<24>()?;
        let k = kek(password, &salt, KDF_M_KIB, KDF_T, KDF_P)?;
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&k[..]));
        let wrapped = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: key.as_ref(),
                    aad: &aad(username),
                },
            )
            .map_err(|_| Error::internal("key wrap failed"))?;
        Ok(Account {
            kdf: "argon2id".into(),
            m_kib: KDF_M_KIB,
            t: KDF_T,
            p: KDF_P,
            salt: B64.encode(salt),
            nonce: B64.encode(nonce),
            wrapped: B64.encode(wrapped),
            failures: 0,
            locked_until: None,
            failures_since_success: 0,
        })
    }

    /// The data key if `password` is right, `None` if it is wrong.
    pub fn unwrap(&self, username: &str, password: &str) -> Result<Option<DataKey>> {
        // No password this long can be set (`staff::MAX_PASSWORD_LEN` characters, four bytes at
        // most each): wrong without being hashed whole.
        if password.len() > 4 * crate::staff::MAX_PASSWORD_LEN {
            return Ok(None);
        }
        if self.kdf != "argon2id" {
            return Err(corrupt_keyfile("KDF tidak dikenal", "unknown KDF"));
        }
        let salt = B64
            .decode(&self.salt)
            .map_err(|_| corrupt_keyfile("garam (salt) tidak terbaca", "unreadable salt"))?;
        let nonce = B64
            .decode(&self.nonce)
            .map_err(|_| corrupt_keyfile("nonce tidak terbaca", "unreadable nonce"))?;
        let wrapped = B64.decode(&self.wrapped).map_err(|_| {
            corrupt_keyfile("kunci terbungkus tidak terbaca", "unreadable wrapped key")
        })?;
        if nonce.len() != 24 {
            return Err(corrupt_keyfile("panjang nonce salah", "wrong nonce length"));
        }
        if !(8..=64).contains(&salt.len()) {
            return Err(corrupt_keyfile(
                "panjang garam (salt) salah",
                "wrong salt length",
            ));
        }
        // The key file may come from a backup being restored: parameters beyond any this program
        // writes would ask Argon2 for terabytes (an abort, not an error) or hours.
        if !(1..=KDF_T_MAX).contains(&self.t)
            || !(1..=KDF_P_MAX).contains(&self.p)
            || !(8 * self.p..=KDF_M_KIB_MAX).contains(&self.m_kib)
        {
            return Err(corrupt_keyfile(
                "parameter KDF tidak sah",
                "its KDF parameters are not valid",
            ));
        }
        let k = kek(password, &salt, self.m_kib, self.t, self.p)?;
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&k[..]));
        match cipher.decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &wrapped,
                aad: &aad(username),
            },
        ) {
            Ok(plain) => {
                let plain = Zeroizing::new(plain);
                let key: [u8; 32] = plain
                    .as_slice()
                    .try_into()
                    .map_err(|_| corrupt_keyfile("panjang kunci salah", "wrong key length"))?;
                Ok(Some(Zeroizing::new(key)))
            }
            Err(_) => Ok(None),
        }
    }

    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|t| t > now)
    }
}

impl Keyring {
    pub fn new(facility_label: &str) -> Keyring {
        Keyring {
            format: FORMAT.into(),
            facility_label: facility_label.into(),
            accounts: BTreeMap::new(),
        }
    }

    /// Reads the key file; `Ok(None)` when there is none.
    pub fn load(path: &Path) -> Result<Option<Keyring>> {
        if !path.exists() {
            return Ok(None);
        }
        let bytes = crate::files::read_bounded(path, KEYFILE_BYTES).map_err(|e| {
            if e.kind == ErrorKind::Invalid {
                corrupt_keyfile("berkasnya terlalu besar", "the file is too large")
            } else {
                e
            }
        })?;
        Self::parse(&bytes).map(Some)
    }

    pub fn parse(bytes: &[u8]) -> Result<Keyring> {
        if bytes.len() > KEYFILE_BYTES {
            return Err(corrupt_keyfile(
                "berkasnya terlalu besar",
                "the file is too large",
            ));
        }
        let k: Keyring = serde_json::from_slice(bytes).map_err(|e| {
            corrupt_keyfile(
                &format!(
                    "tidak terbaca pada baris {}, kolom {}",
                    e.line(),
                    e.column()
                ),
                &format!("unreadable at line {}, column {}", e.line(), e.column()),
            )
        })?;
        if k.format != FORMAT {
            return Err(corrupt_keyfile("formatnya tidak dikenal", "unknown format"));
        }
        Ok(k)
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(self).map_err(Error::internal)
    }

    /// Writes the first key file of a facility; refuses to replace one that exists.
    pub fn create(&self, path: &Path) -> Result<()> {
        let _lock = FileLock::exclusive(path)?;
        let tmp = files::temp_with(path, &self.to_bytes()?)?;
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Error::new(
                    ErrorKind::AlreadyInitialized,
                    format!("Berkas kunci {} sudah ada; tidak ditimpa.", path.display()),
                    format!(
                        "The key file {} already exists; it was not overwritten.",
                        path.display()
                    ),
                )
            } else {
                Error::io(path, e.error)
            }
        })?;
        files::sync_dir(path);
        Ok(())
    }
}

/// Reads the key file at `path`, lets `f` change it, and writes it back if it changed — all
/// under an exclusive lock, so a change made meanwhile by another session (a new account, a
/// failed sign-in counted) is never overwritten. Nothing is written when `f` fails.
pub fn update<T>(path: &Path, f: impl FnOnce(&mut Keyring) -> Result<T>) -> Result<T> {
    let _lock = FileLock::exclusive(path)?;
    let mut ring = Keyring::load(path)?.ok_or_else(|| missing_keyfile(path))?;
    let before = ring.to_bytes()?;
    let out = f(&mut ring)?;
    let after = ring.to_bytes()?;
    if after != before {
        files::write_atomic(path, &after)?;
    }
    Ok(out)
}

/// A change written to the key file for a database transaction not yet committed: it holds the
/// file's lock until it is dropped (after the commit), and the file as it was, to be put back
/// if the commit fails (a full disk): a password changed in the file while the database said
/// "not saved" locked its owner out.
pub struct Written {
    _lock: FileLock,
    path: std::path::PathBuf,
    before: Option<Vec<u8>>,
}

impl Written {
    /// Puts the file back as it was (still under its lock).
    pub fn undo(self) -> Result<()> {
        match &self.before {
            Some(b) => files::write_atomic(&self.path, b),
            None => Ok(()),
        }
    }
}

/// As [`update`], but the lock is kept, with the file as it was, in the [`Written`] returned.
pub fn update_held<T>(
    path: &Path,
    f: impl FnOnce(&mut Keyring) -> Result<T>,
) -> Result<(T, Written)> {
    let lock = FileLock::exclusive(path)?;
    let mut ring = Keyring::load(path)?.ok_or_else(|| missing_keyfile(path))?;
    let before = ring.to_bytes()?;
    let out = f(&mut ring)?;
    let after = ring.to_bytes()?;
    let changed = after != before;
    if changed {
        files::write_atomic(path, &after)?;
    }
    Ok((
        out,
        Written {
            _lock: lock,
            path: path.to_owned(),
            before: changed.then_some(before),
        },
    ))
}

/// Runs `f` while holding the key file's exclusive lock (a restore swaps the file under it).
pub fn with_lock<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let _lock = FileLock::exclusive(path)?;
    f()
}

/// The refusal when the key file is gone: without it nothing opens the database.
pub fn missing_keyfile(path: &Path) -> Error {
    Error::new(
        ErrorKind::NotInitialized,
        format!(
            "Berkas kunci {} tidak ada. Tanpa berkas itu basis data tidak dapat dibuka: pulihkan dari cadangan (bansos restore).",
            path.display()
        ),
        format!(
            "The key file {} is missing. Without it the database cannot be opened: restore from a backup (bansos restore).",
            path.display()
        ),
    )
}

/// How long a session waits for another to finish changing the key file.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// An exclusive lock on `<keys>.lock`, released when dropped.
struct FileLock(std::fs::File);

impl FileLock {
    fn exclusive(keys: &Path) -> Result<FileLock> {
        let mut p = keys.as_os_str().to_owned();
        p.push(".lock");
        let p = PathBuf::from(p);
        let mut o = std::fs::OpenOptions::new();
        o.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        let f = o.open(&p).map_err(|e| Error::io(&p, e))?;
        let start = std::time::Instant::now();
        loop {
            match f.try_lock() {
                Ok(()) => return Ok(FileLock(f)),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Err(Error::busy()),
                Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&p, e)),
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

#[cfg(test)]
mod kdf_tests {
    use super::*;

    /// A key file from a backup being restored that asks Argon2 for 4 TiB (or hours) is refused
    /// as damaged: the allocation would abort the program, which no error handler can catch.
    #[test]
    fn a_key_file_asking_argon2_for_terabytes_is_refused_as_damaged() {
        let account = |m_kib: u64, t: u64| -> Account {
            serde_json::from_value(serde_json::json!({
                "kdf": "argon2id", "m_kib": m_kib, "t": t, "p": 1,
                "salt": B64.encode([7u8; 16]),
                "nonce": B64.encode([1u8; 24]),
                "wrapped": B64.encode([2u8; 48]),
            }))
            .unwrap()
        };
        for a in [
            account(u64::from(u32::MAX), 1),
            account(8 * 1024, u64::from(u32::MAX)),
        ] {
            let e = a.unwrap("admin", "rahasia-sekali").unwrap_err();
            assert_eq!(e.kind, ErrorKind::Corrupt, "{e:?}");
        }
        // Within bounds: a wrong password is just wrong.
        assert!(account(8 * 1024, 1)
            .unwrap("admin", "rahasia-sekali")
            .unwrap()
            .is_none());
    }
}

//! The facility's Ed25519 signing key pair. The secret half is sealed (XChaCha20-Poly1305) under a
//! key derived from the data key, so it is encrypted twice at rest and never appears in a dump of
//! the database; it is opened only in memory when something must be signed.

use crate::error::{Error, Result};
use crate::keyring::{random_bytes, DataKey};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

const SEAL_INFO: &[u8] = b"bansos facility signing key v1";

fn seal_key(data_key: &DataKey) -> Result<Zeroizing<[u8; 32]>> {
    seal_key_for(data_key, SEAL_INFO)
}

fn seal_key_for(data_key: &DataKey, info: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let hk = hkdf::Hkdf::<Sha256>::new(None, &data_key[..]);
    let mut k = Zeroizing::new([0u8; 32]);
    hk.expand(info, &mut k[..]).map_err(Error::internal)?;
    Ok(k)
}

/// Seals another secret (the age identity, a province key) the same way, under a key derived
/// for `info` alone.
pub fn seal_secret(data_key: &DataKey, info: &[u8], secret: &[u8]) -> Result<Vec<u8>> {
    let nonce = random_bytes::<24>()?;
    let k = seal_key_for(data_key, info)?;
    let ct = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&k[..]))
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: secret,
                aad: info,
            },
        )
        .map_err(|_| Error::internal("sealing a secret failed"))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    Ok(out)
}

pub fn unseal_secret(data_key: &DataKey, info: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if sealed.len() < 24 {
        return Err(Error::internal("a sealed secret is too short"));
    }
    let k = seal_key_for(data_key, info)?;
    let plain = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&k[..]))
        .decrypt(
            XNonce::from_slice(&sealed[..24]),
            Payload {
                msg: &sealed[24..],
                aad: info,
            },
        )
        .map_err(|_| Error::internal("a sealed secret does not open with this database's key"))?;
    Ok(Zeroizing::new(plain))
}

/// A fresh key pair: (public key, sealed secret key).
pub fn generate(data_key: &DataKey) -> Result<([u8; 32], Vec<u8>)> {
    let secret = Zeroizing::new(random_bytes::<32>()?);
    let signing = SigningKey::from_bytes(&secret);
    let sealed = seal(data_key, &secret)?;
    Ok((signing.verifying_key().to_bytes(), sealed))
}

fn seal(data_key: &DataKey, secret: &[u8; 32]) -> Result<Vec<u8>> {
    let nonce = random_bytes::<24>()?;
    let k = seal_key(data_key)?;
    let ct = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&k[..]))
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: secret,
                aad: SEAL_INFO,
            },
        )
        .map_err(|_| Error::internal("sealing the signing key failed"))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Opens the sealed secret key. Used by whatever signs (BAST receipts, monthly bundles).
pub fn unseal(data_key: &DataKey, sealed: &[u8]) -> Result<SigningKey> {
    if sealed.len() < 24 {
        return Err(Error::internal("sealed signing key is too short"));
    }
    let k = seal_key(data_key)?;
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&k[..]))
            .decrypt(
                XNonce::from_slice(&sealed[..24]),
                Payload {
                    msg: &sealed[24..],
                    aad: SEAL_INFO,
                },
            )
            .map_err(|_| {
                Error::internal("the sealed signing key does not open with this database's key")
            })?,
    );
    let secret: [u8; 32] = plain
        .as_slice()
        .try_into()
        .map_err(|_| Error::internal("sealed signing key has a wrong length"))?;
    Ok(SigningKey::from_bytes(&secret))
}

/// A short fingerprint people can compare by reading it aloud: the first 8 bytes of the SHA-256
/// of the key, as four groups of four hex digits.
pub fn fingerprint(public: &[u8; 32]) -> String {
    let d = Sha256::digest(public);
    let h = hex::encode(&d[..8]).to_uppercase();
    format!("{}-{}-{}-{}", &h[0..4], &h[4..8], &h[8..12], &h[12..16])
}

/// Parses a public key typed or pasted by a person: 64 hex digits or base64 of 32 bytes, and it
/// must be a valid Ed25519 point.
pub fn parse_public_key(text: &str) -> Result<[u8; 32]> {
    use base64::Engine;
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = if t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()) {
        hex::decode(&t).ok()
    } else {
        base64::engine::general_purpose::STANDARD.decode(&t).ok()
    };
    let bad = || {
        Error::invalid(
            "public_key",
            "Kunci publik tidak sah: harus 64 angka heksadesimal (atau base64) dari kunci Ed25519.",
            "Not a valid public key: it must be 64 hexadecimal digits (or base64) of an Ed25519 key.",
        )
    };
    let arr: [u8; 32] = bytes.and_then(|b| b.try_into().ok()).ok_or_else(bad)?;
    VerifyingKey::from_bytes(&arr).map_err(|_| bad())?;
    Ok(arr)
}

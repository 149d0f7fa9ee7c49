//! The bytes: strict stored zips, the one-line signature files, and age encryption to X25519
//! recipients only.

use super::Reason;
use crate::error::{Error, Result};
use crate::sign::Kind;
use ed25519_dalek::{SigningKey, VerifyingKey};
use std::io::{Read, Write};
use zeroize::Zeroizing;

/// A zip of stored entries, in the order given, each dated 1980-01-01 00:00, without extra
/// fields or comment: the same entries always give the same bytes.
pub fn zip(entries: &[(&str, &[u8])]) -> Result<Vec<u8>> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o600)
        .large_file(false);
    for (name, bytes) in entries {
        w.start_file(*name, opts).map_err(Error::internal)?;
        w.write_all(bytes).map_err(Error::internal)?;
    }
    Ok(w.finish().map_err(Error::internal)?.into_inner())
}

/// The entries of a zip, checked against `allowed` (name, most bytes) before any is read: at
/// most [`super::ENTRIES`] entries, each named exactly as one allowed, once, stored and not
/// encrypted, no larger than its limit. Returned in `allowed`'s order (missing ones absent).
/// `what` names the kind of file in the refusals.
pub fn unzip(
    bytes: &[u8],
    allowed: &[(&str, u64)],
    what: (&str, &str),
) -> std::result::Result<Vec<(String, Vec<u8>)>, Reason> {
    let not_zip = || {
        Reason::new(
            "not_a_bundle",
            None,
            format!("Bukan {} Bansos (bukan zip yang utuh).", what.0),
            format!("Not a Bansos {} (not a whole zip).", what.1),
        )
    };
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| not_zip())?;
    if z.len() > super::ENTRIES {
        return Err(Reason::new(
            "bad_entry",
            None,
            format!(
                "Berkas berisi {} bagian; paling banyak {}.",
                z.len(),
                super::ENTRIES
            ),
            format!(
                "The file holds {} entries; at most {}.",
                z.len(),
                super::ENTRIES
            ),
        ));
    }
    let mut seen: Vec<Option<usize>> = vec![None; allowed.len()];
    for i in 0..z.len() {
        let e = z.by_index_raw(i).map_err(|_| not_zip())?;
        let raw = e.name_raw().to_vec();
        let name = String::from_utf8_lossy(&raw).into_owned();
        let shown: String = name.chars().take(60).collect();
        let bad = |id: &str, en: &str| {
            Reason::new(
                "bad_entry",
                Some(&shown),
                format!("Bagian \"{shown}\" {id}."),
                format!("Entry \"{shown}\" {en}."),
            )
        };
        if name.contains('/') || name.contains('\\') || name.contains("..") || e.is_dir() {
            return Err(bad(
                "berisi folder atau jalur (tidak diizinkan)",
                "holds a folder or a path (not allowed)",
            ));
        }
        let Some(k) = allowed.iter().position(|(n, _)| n.as_bytes() == raw) else {
            return Err(bad(
                "tidak dikenal di berkas ini",
                "is not known in this file",
            ));
        };
        if seen[k].is_some() {
            return Err(bad("muncul dua kali", "appears twice"));
        }
        if e.encrypted() || e.compression() != zip::CompressionMethod::Stored {
            return Err(bad(
                "dipadatkan atau dienkripsi zip (tidak diizinkan)",
                "is compressed or zip-encrypted (not allowed)",
            ));
        }
        let limit = allowed[k].1;
        if e.size() != e.compressed_size() || e.size() > limit {
            return Err(Reason::new(
                "entry_too_large",
                Some(allowed[k].0),
                format!(
                    "Bagian {} terlalu besar ({} bita; paling banyak {}).",
                    allowed[k].0,
                    e.size(),
                    limit
                ),
                format!(
                    "Entry {} is too large ({} bytes; at most {}).",
                    allowed[k].0,
                    e.size(),
                    limit
                ),
            ));
        }
        if e.size() > bytes.len() as u64 {
            return Err(not_zip());
        }
        seen[k] = Some(i);
    }
    let mut out = Vec::new();
    let mut in_file: Vec<(usize, usize)> = Vec::new();
    for (k, idx) in seen.iter().enumerate() {
        let Some(i) = idx else { continue };
        let e = z.by_index(*i).map_err(|_| not_zip())?;
        let size = e.size();
        let mut buf = Vec::with_capacity(size as usize);
        // The CRC is checked as the entry is read to its end.
        e.take(size + 1)
            .read_to_end(&mut buf)
            .map_err(|_| not_zip())?;
        if buf.len() as u64 != size {
            return Err(not_zip());
        }
        in_file.push((*i, out.len()));
        out.push((allowed[k].0.to_owned(), buf));
    }
    // The central directory is all the checks above read. What else a zip may carry — a second
    // entry of the same name (which the zip library keeps only one of, while other tools show
    // the other), a local header naming something else, bytes before or between the entries,
    // extra fields, a comment, another time — is refused by asking for the very bytes this
    // program writes for these entries (section 2 of docs/bundle-format.md).
    in_file.sort_unstable();
    let parts: Vec<(&str, &[u8])> = in_file
        .iter()
        .map(|&(_, j)| (out[j].0.as_str(), out[j].1.as_slice()))
        .collect();
    if zip(&parts).ok().as_deref() != Some(bytes) {
        return Err(Reason::new(
            "not_a_bundle",
            None,
            format!(
                "Bukan {} Bansos yang utuh: zip-nya memuat lebih dari bagian-bagiannya (bagian bernama ganda, data sisipan, kolom tambahan atau komentar).",
                what.0
            ),
            format!(
                "Not a whole Bansos {}: its zip holds more than its entries (an entry named twice, inserted data, extra fields or a comment).",
                what.1
            ),
        ));
    }
    Ok(out)
}

/// A signature line: `<code> <fingerprint> <base64url signature>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigLine {
    pub code: String,
    pub fingerprint: String,
    pub signature: [u8; 64],
}

impl SigLine {
    pub fn make(code: &str, key: &SigningKey, kind: Kind, body: &[u8]) -> Vec<u8> {
        let fp = crate::facility::keys::fingerprint(&key.verifying_key().to_bytes());
        let sig = crate::sign::sign(key, kind, body);
        format!("{code} {fp} {}", crate::b64url(&sig)).into_bytes()
    }

    /// Parsed by its fixed grammar, nothing else: `[A-Z0-9-]{1,40}`,
    /// `[0-9A-F]{4}(-[0-9A-F]{4}){3}`, 86 characters of base64url.
    pub fn parse(bytes: &[u8]) -> Option<SigLine> {
        if bytes.len() > 160 {
            return None;
        }
        let s = std::str::from_utf8(bytes).ok()?;
        let mut it = s.split(' ');
        let (code, fp, sig) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() {
            return None;
        }
        let code_ok = !code.is_empty()
            && code.len() <= 40
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        let fp_ok = fp.len() == 19
            && fp.bytes().enumerate().all(|(i, b)| {
                if i % 5 == 4 {
                    b == b'-'
                } else {
                    b.is_ascii_digit() || (b'A'..=b'F').contains(&b)
                }
            });
        let sig_ok = sig.len() == 86
            && sig
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !(code_ok && fp_ok && sig_ok) {
            return None;
        }
        let signature: [u8; 64] = crate::b64url_decode(sig)?.try_into().ok()?;
        Some(SigLine {
            code: code.to_owned(),
            fingerprint: fp.to_owned(),
            signature,
        })
    }

    pub fn verifies(&self, key: &[u8; 32], kind: Kind, body: &[u8]) -> bool {
        let Ok(public) = VerifyingKey::from_bytes(key) else {
            return false;
        };
        crate::facility::keys::fingerprint(key) == self.fingerprint
            && crate::sign::verify(&public, kind, body, &self.signature)
    }
}

/// A fresh X25519 identity: (recipient `age1…`, secret `AGE-SECRET-KEY-1…`).
pub fn new_identity() -> (String, Zeroizing<String>) {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let secret = Zeroizing::new(id.to_string().expose_secret().to_owned());
    (id.to_public().to_string(), secret)
}

/// Whether `s` is an X25519 recipient (`age1…`).
pub fn valid_recipient(s: &str) -> bool {
    s.len() <= 100 && s.parse::<age::x25519::Recipient>().is_ok()
}

/// The recipient of a secret identity.
pub fn recipient_of(secret: &str) -> Result<String> {
    let id: age::x25519::Identity = secret
        .parse()
        .map_err(|_| Error::internal("a stored age identity does not parse"))?;
    Ok(id.to_public().to_string())
}

/// Encrypts to the X25519 recipients given (binary age v1).
pub fn encrypt(recipients: &[String], plain: &[u8]) -> Result<Vec<u8>> {
    let parsed: Vec<age::x25519::Recipient> = recipients
        .iter()
        .map(|r| r.parse())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| Error::internal("a stored age recipient does not parse"))?;
    let enc = age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
        .map_err(Error::internal)?;
    let mut out = Vec::with_capacity(plain.len() + 512);
    let mut w = enc.wrap_output(&mut out).map_err(Error::internal)?;
    w.write_all(plain).map_err(Error::internal)?;
    w.finish().map_err(Error::internal)?;
    Ok(out)
}

/// Decrypts an age file with one X25519 identity, after checking its header: at most 8 KiB and
/// 8 stanzas, X25519 ones and no passphrase. `None` when it is not such a file or not for this identity.
/// The plaintext is never longer than the ciphertext.
pub fn decrypt(secret: &str, cipher: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let head = &cipher[..cipher.len().min(8 * 1024)];
    let end = head.windows(5).position(|w| w == b"\n--- ")?;
    let header = std::str::from_utf8(&head[..end]).ok()?;
    let mut lines = header.split('\n');
    if lines.next()? != "age-encryption.org/v1" {
        return None;
    }
    // age writes a random "grease" stanza beside the recipients' (and ignores unknown ones):
    // X25519 stanzas are required, a passphrase (scrypt) is refused, at most 8 in all.
    let (mut stanzas, mut x25519) = (0, 0);
    for l in lines {
        if let Some(rest) = l.strip_prefix("-> ") {
            stanzas += 1;
            if rest.starts_with("X25519 ") {
                x25519 += 1;
            }
            if rest.starts_with("scrypt ") || stanzas > 8 {
                return None;
            }
        }
    }
    if x25519 == 0 {
        return None;
    }
    let id: age::x25519::Identity = secret.parse().ok()?;
    let d = age::Decryptor::new_buffered(cipher).ok()?;
    let mut r = d.decrypt(std::iter::once(&id as &dyn age::Identity)).ok()?;
    let mut out = Zeroizing::new(Vec::with_capacity(cipher.len()));
    (&mut r)
        .take(cipher.len() as u64)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_is_the_same_bytes_every_time_and_reads_back() {
        let a = zip(&[("manifest.json", b"{}"), ("manifest.sig", b"x")]).unwrap();
        let b = zip(&[("manifest.json", b"{}"), ("manifest.sig", b"x")]).unwrap();
        assert_eq!(a, b);
        let back = unzip(&a, super::super::BUNDLE_ENTRIES, ("bundel", "bundle")).unwrap();
        assert_eq!(back[0], ("manifest.json".into(), b"{}".to_vec()));
        let r = unzip(&a, &[("manifest.json", 10)], ("bundel", "bundle")).unwrap_err();
        assert_eq!(r.code, "bad_entry");
        assert_eq!(r.part.as_deref(), Some("manifest.sig"));
    }

    /// Whatever a zip carries beyond its entries is refused, though the central directory
    /// alone reads well: a name twice, bytes before it, a comment, another time.
    #[test]
    fn a_zip_with_more_than_its_entries_is_refused() {
        let good = zip(&[("manifest.json", b"{}"), ("manifest.sig", b"x")]).unwrap();
        let read = |b: &[u8]| unzip(b, super::super::BUNDLE_ENTRIES, ("bundel", "bundle"));
        assert!(read(&good).is_ok());
        // A third entry renamed in place (its local and central headers): a name twice.
        let twice = {
            let mut b = zip(&[
                ("manifest.jsox", b"{1}"),
                ("manifest.json", b"{}"),
                ("manifest.sig", b"x"),
            ])
            .unwrap();
            let mut at = 0;
            while let Some(p) = b[at..].windows(13).position(|w| w == b"manifest.jsox") {
                b[at + p..at + p + 13].copy_from_slice(b"manifest.json");
                at += p + 13;
            }
            b
        };
        let mut before = b"PK\x03\x04 not a part".to_vec();
        before.extend_from_slice(&good);
        let mut comment = good.clone();
        let n = comment.len();
        comment[n - 2..].copy_from_slice(&5u16.to_le_bytes());
        comment.extend_from_slice(b"catat");
        let dated = {
            let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .last_modified_time(
                    zip::DateTime::from_date_and_time(2024, 12, 2, 9, 0, 0).unwrap(),
                )
                .unix_permissions(0o600)
                .large_file(false);
            w.start_file("manifest.json", opts).unwrap();
            w.write_all(b"{}").unwrap();
            w.start_file("manifest.sig", opts).unwrap();
            w.write_all(b"x").unwrap();
            w.finish().unwrap().into_inner()
        };
        for (what, bytes) in [
            ("twice", twice),
            ("before", before),
            ("comment", comment),
            ("dated", dated),
        ] {
            match read(&bytes) {
                Err(r) => assert!(
                    ["not_a_bundle", "bad_entry"].contains(&r.code.as_str()),
                    "{what}: {r:?}"
                ),
                Ok(e) => panic!("{what} read as {e:?}"),
            }
        }
    }

    #[test]
    fn age_round_trips_and_refuses_other_identities() {
        let (r, s) = new_identity();
        let (_, other) = new_identity();
        let c = encrypt(std::slice::from_ref(&r), b"rahasia").unwrap();
        assert_eq!(decrypt(&s, &c).unwrap().as_slice(), b"rahasia");
        assert!(decrypt(&other, &c).is_none());
        assert!(valid_recipient(&r));
        assert_eq!(recipient_of(&s).unwrap(), r);
    }

    #[test]
    fn a_signature_line_has_one_grammar() {
        let k = SigningKey::from_bytes(&[3; 32]);
        let line = SigLine::make("RUTAN-BLORA", &k, Kind::Bundle, b"body");
        let p = SigLine::parse(&line).unwrap();
        assert!(p.verifies(&k.verifying_key().to_bytes(), Kind::Bundle, b"body"));
        assert!(!p.verifies(&k.verifying_key().to_bytes(), Kind::Summary, b"body"));
        let mut nl = line.clone();
        nl.push(b'\n');
        assert!(SigLine::parse(&nl).is_none());
        assert!(SigLine::parse(&line.to_ascii_lowercase()).is_none());
    }
}

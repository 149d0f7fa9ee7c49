//! The signed payload in a BAST receipt's QR code, and its offline check.
//!
//! One line of printable ASCII, fields separated by `|`:
//!
//! ```text
//! BANSOS1|RUTAN-BLORA|001/BAST-BANSOS/RUTAN-BLORA/XI/2024|20241116|N:9f2c…(16 hex)|L:07ab…(16 hex)|beras:10,minyak:2|<signature>
//! ```
//!
//! facility code, BAST number, date, a keyed hash of the recipient's NIK (HMAC-SHA256 under the
//! database's `nik_key`, first 8 bytes), the hand-over's entry in the audit chain (first 8 bytes
//! of its hash), the items as stock code and quantity, and an Ed25519 signature (base64url, no
//! padding) by the facility key over every byte before it, the last `|` included. Anyone with
//! the facility's public key can check it without the database; nothing in it names a person.

pub mod bast;
pub mod qr;

use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use ts_rs::TS;

pub const MAGIC: &str = "BANSOS1";
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// What a receipt's QR code states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptClaim {
    pub facility_code: String,
    pub bast_no: String,
    /// ISO date of the hand-over.
    pub date: String,
    /// Keyed hash of the recipient's NIK, 16 hex digits.
    pub nik_hash: String,
    /// The hand-over's audit-chain entry, 16 hex digits of its hash.
    pub ledger: String,
    /// (stock item code, quantity with a decimal point)
    pub items: Vec<(String, String)>,
}

/// Keyed hash of a NIK: HMAC-SHA256 under `key`, first 8 bytes as hex.
pub fn nik_hash(key: &[u8], nik: &str) -> String {
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    m.update(nik.as_bytes());
    hex::encode(&m.finalize().into_bytes()[..8])
}

fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_graphic() && !matches!(c, '|' | ',' | ':'))
        .collect()
}

/// The quantity as written in the payload: a decimal point, no trailing zeros.
pub fn qty_text(q: Decimal) -> String {
    q.normalize().to_string()
}

impl ReceiptClaim {
    fn body(&self) -> String {
        let items: Vec<String> = self
            .items
            .iter()
            .map(|(c, q)| format!("{}:{}", clean(c), clean(q)))
            .collect();
        format!(
            "{MAGIC}|{}|{}|{}|N:{}|L:{}|{}|",
            self.facility_code.replace('|', ""),
            self.bast_no.replace('|', ""),
            self.date.replace('-', ""),
            self.nik_hash,
            self.ledger,
            items.join(",")
        )
    }

    /// The whole payload, signed.
    pub fn sign(&self, key: &SigningKey) -> String {
        let body = self.body();
        let sig = key.sign(body.as_bytes());
        format!("{body}{}", B64.encode(sig.to_bytes()))
    }
}

/// Outcome of checking a scanned payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Verdict {
    /// Signed by the named facility's key, unchanged.
    Valid,
    /// Readable and from a known facility, but the signature does not match: something was changed.
    Altered,
    /// Readable, but no public key is known for the facility code it names.
    UnknownFacility,
    /// Not a Bansos receipt payload at all (or cut short).
    Unreadable,
}

/// Splits a payload into its claim and signature; `None` when it is not one.
pub fn parse(payload: &str) -> Option<(ReceiptClaim, String, [u8; 64])> {
    let payload = payload.trim();
    // More than a QR code holds was never printed; nor is a facility code or a BAST number longer
    // than the store keeps (a forged one would otherwise reach the audit log's limit).
    if payload.len() > crate::limits::QR_PAYLOAD_BYTES {
        return None;
    }
    let cut = payload.rfind('|')?;
    let (body, sig) = (&payload[..=cut], &payload[cut + 1..]);
    let sig: [u8; 64] = B64.decode(sig).ok()?.try_into().ok()?;
    let f: Vec<&str> = body.trim_end_matches('|').split('|').collect();
    if f.len() != 7 || f[0] != MAGIC {
        return None;
    }
    if f[1].chars().count() > crate::limits::CODE || f[2].chars().count() > 2 * crate::limits::LABEL
    {
        return None;
    }
    let d = f[3];
    if d.len() != 8 || !d.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let date = format!("{}-{}-{}", &d[0..4], &d[4..6], &d[6..8]);
    let nik_hash = f[4].strip_prefix("N:")?.to_owned();
    let ledger = f[5].strip_prefix("L:")?.to_owned();
    let items = if f[6].is_empty() {
        Vec::new()
    } else {
        f[6].split(',')
            .map(|p| p.split_once(':').map(|(c, q)| (c.to_owned(), q.to_owned())))
            .collect::<Option<Vec<_>>>()?
    };
    Some((
        ReceiptClaim {
            facility_code: f[1].to_owned(),
            bast_no: f[2].to_owned(),
            date,
            nik_hash,
            ledger,
            items,
        },
        body.to_owned(),
        sig,
    ))
}

/// Checks a payload against the known facility keys (code → Ed25519 public key).
pub fn verify(payload: &str, keys: &[(String, [u8; 32])]) -> (Verdict, Option<ReceiptClaim>) {
    let Some((claim, body, sig)) = parse(payload) else {
        return (Verdict::Unreadable, None);
    };
    // Every key given for the facility (its key now and those it had before a change of key):
    // a BAST signed by any of them is genuine.
    let theirs: Vec<VerifyingKey> = keys
        .iter()
        .filter(|(c, _)| c.eq_ignore_ascii_case(&claim.facility_code))
        .filter_map(|(_, pk)| VerifyingKey::from_bytes(pk).ok())
        .collect();
    if theirs.is_empty() {
        return (Verdict::UnknownFacility, Some(claim));
    }
    // The body must be exactly what a signer would have written, so a re-spelled field (an
    // extra space, another date format) cannot ride on a valid signature.
    if claim.body() != body {
        return (Verdict::Altered, Some(claim));
    }
    let sig = Signature::from_bytes(&sig);
    if theirs
        .iter()
        .any(|vk| vk.verify(body.as_bytes(), &sig).is_ok())
    {
        (Verdict::Valid, Some(claim))
    } else {
        (Verdict::Altered, Some(claim))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim() -> ReceiptClaim {
        ReceiptClaim {
            facility_code: "RUTAN-BLORA".into(),
            bast_no: "001/BAST-BANSOS/RUTAN-BLORA/XI/2024".into(),
            date: "2024-11-16".into(),
            nik_hash: nik_hash(b"k", "3316014107900003"),
            ledger: "00112233aabbccdd".into(),
            items: vec![
                ("beras".into(), "10".into()),
                ("minyak".into(), "2.5".into()),
            ],
        }
    }

    #[test]
    fn signed_payload_verifies_and_any_changed_byte_is_caught() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let keys = vec![("RUTAN-BLORA".to_owned(), key.verifying_key().to_bytes())];
        let p = claim().sign(&key);
        assert!(p.is_ascii() && p.len() < 260, "{} bytes: {p}", p.len());
        assert_eq!(verify(&p, &keys), (Verdict::Valid, Some(claim())));
        // Change every byte in turn to another printable character: never valid.
        for i in 0..p.len() {
            let mut b = p.clone().into_bytes();
            b[i] = if b[i] == b'7' { b'8' } else { b'7' };
            let t = String::from_utf8(b).unwrap();
            let (v, _) = verify(&t, &keys);
            assert_ne!(v, Verdict::Valid, "byte {i} changed still verified: {t}");
        }
        assert_eq!(verify("hello", &keys).0, Verdict::Unreadable);
        let other = vec![("LAPAS-KUDUS".to_owned(), key.verifying_key().to_bytes())];
        assert_eq!(verify(&p, &other).0, Verdict::UnknownFacility);
        let wrong = SigningKey::from_bytes(&[8u8; 32]);
        let forged = claim().sign(&wrong);
        assert_eq!(verify(&forged, &keys).0, Verdict::Altered);
        // The facility's keys before and after a change of key: either one's BAST is genuine.
        let both = vec![
            ("RUTAN-BLORA".to_owned(), wrong.verifying_key().to_bytes()),
            ("RUTAN-BLORA".to_owned(), key.verifying_key().to_bytes()),
        ];
        assert_eq!(verify(&p, &both).0, Verdict::Valid);
        assert_eq!(verify(&forged, &both).0, Verdict::Valid);
    }

    /// A facility code or BAST number longer than the store keeps, or a text longer than a QR
    /// code holds, is not a receipt: unreadable, whatever its signature (a forged one once
    /// reached the audit log's limit as a program error).
    #[test]
    fn fields_past_the_stores_limits_and_texts_past_a_qr_codes_are_unreadable() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let at_limit = ReceiptClaim {
            bast_no: "9".repeat(2 * crate::limits::LABEL),
            ..claim()
        };
        let keys = vec![("RUTAN-BLORA".to_owned(), key.verifying_key().to_bytes())];
        assert_eq!(verify(&at_limit.sign(&key), &keys).0, Verdict::Valid);
        let long_no = ReceiptClaim {
            bast_no: "9".repeat(2 * crate::limits::LABEL + 1),
            ..claim()
        };
        assert_eq!(
            verify(&long_no.sign(&key), &keys),
            (Verdict::Unreadable, None)
        );
        let code = "R".repeat(crate::limits::CODE + 1);
        let long_code = ReceiptClaim {
            facility_code: code.clone(),
            ..claim()
        };
        let keys_of_long = vec![(code, key.verifying_key().to_bytes())];
        assert_eq!(
            verify(&long_code.sign(&key), &keys_of_long),
            (Verdict::Unreadable, None)
        );
        let many_items = ReceiptClaim {
            items: (0..300)
                .map(|i| (format!("barang-{i}"), "1".to_owned()))
                .collect(),
            ..claim()
        };
        let p = many_items.sign(&key);
        assert!(p.len() > crate::limits::QR_PAYLOAD_BYTES, "{}", p.len());
        assert_eq!(verify(&p, &keys), (Verdict::Unreadable, None));
    }

    #[test]
    fn nik_hash_is_keyed() {
        let a = nik_hash(b"key-a", "3316014107900003");
        assert_eq!(a.len(), 16);
        assert_ne!(a, nik_hash(b"key-b", "3316014107900003"));
        assert_ne!(a, nik_hash(b"key-a", "3316014107900004"));
    }
}

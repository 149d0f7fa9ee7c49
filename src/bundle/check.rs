//! Opening a file someone else made, in the order of the format's section 8: size, zip,
//! signature line, key, signature, and only then the manifest; then the parts against it. The
//! first failure is the verdict, with its reason. Anyone holding the signer's public key can run
//! this (`bansos bundle verify --key`); the Kanwil's own checks (its code, its keys, the chain,
//! the decrypted content) follow in `crate::kanwil`.

use super::format::{self, Manifest};
use super::wire::{self, SigLine};
use super::{Reason, BUNDLE_BYTES, BUNDLE_ENTRIES, VERSION};
use crate::sign::Kind;

/// A bundle whose signature and parts are good.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The bundle hash: the SHA-256 of `manifest.json` as written.
    pub sha256: String,
    pub manifest: Manifest,
    pub sig: SigLine,
    /// Every entry after the signature, in zip order.
    pub parts: Vec<(String, Vec<u8>)>,
}

impl Opened {
    pub fn part(&self, name: &str) -> Option<&[u8]> {
        self.parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }
}

pub fn too_large(size: u64, limit: u64, what: (&str, &str)) -> Reason {
    Reason::new(
        "too_large",
        None,
        format!(
            "{} terlalu besar ({} bita; paling banyak {}).",
            what.0, size, limit
        ),
        format!(
            "The {} is too large ({} bytes; at most {}).",
            what.1, size, limit
        ),
    )
}

pub fn bad_signature_file(name: &str) -> Reason {
    Reason::new(
        "bad_signature_file",
        Some(name),
        format!("Berkas tanda tangan {name} tidak ada atau tidak sesuai bentuknya."),
        format!("The signature file {name} is missing or not in its form."),
    )
}

pub fn bad_signature(name: &str) -> Reason {
    Reason::new(
        "bad_signature",
        Some(name),
        format!(
            "Tanda tangan {name} tidak cocok: berkas diubah atau bukan dari penanda tangannya."
        ),
        format!(
            "The signature {name} does not match: the file was changed or is not its signer's."
        ),
    )
}

pub fn bad_manifest(what: &str, what_en: &str) -> Reason {
    Reason::new(
        "bad_manifest",
        Some("manifest.json"),
        format!("Manifes bundel tidak sah: {what}."),
        format!("The bundle's manifest is not valid: {what_en}."),
    )
}

pub fn unknown_facility(code: &str) -> Reason {
    Reason::new(
        "unknown_facility",
        None,
        format!("UPT {code} belum terdaftar di Kanwil ini."),
        format!("Facility {code} is not registered with this regional office."),
    )
}

pub fn unknown_key(code: &str, fp: &str) -> Reason {
    Reason::new(
        "unknown_key",
        None,
        format!("Kunci {fp} bukan kunci terdaftar UPT {code}."),
        format!("Key {fp} is not a registered key of facility {code}."),
    )
}

/// Opens a bundle: steps 1–8 of the format (all but the Kanwil's own). `key_for(code,
/// fingerprint)` gives the public key that must have signed, or the refusal.
pub fn open_bundle(
    bytes: &[u8],
    key_for: impl FnOnce(&str, &str) -> Result<[u8; 32], Reason>,
) -> Result<Opened, Reason> {
    open_bundle_full(bytes, key_for).map_err(|(r, _)| r)
}

/// A refusal, with the bundle's hash and manifest when they were verified before it (a part
/// altered or missing): there is then a bundle to answer about.
pub type Refusal = (Reason, Option<Box<(String, Manifest)>>);

/// As [`open_bundle`], keeping the verified manifest of a bundle refused for its parts.
pub fn open_bundle_full(
    bytes: &[u8],
    key_for: impl FnOnce(&str, &str) -> Result<[u8; 32], Reason>,
) -> Result<Opened, Refusal> {
    let (m, sig, sha, entries) = open_manifest(bytes, key_for).map_err(|r| (r, None))?;
    check_parts(&m, &entries).map_err(|r| (r, Some(Box::new((sha.clone(), m.clone())))))?;
    Ok(Opened {
        sha256: sha,
        manifest: m,
        sig,
        parts: entries,
    })
}

type Entries = Vec<(String, Vec<u8>)>;

fn open_manifest(
    bytes: &[u8],
    key_for: impl FnOnce(&str, &str) -> Result<[u8; 32], Reason>,
) -> Result<(Manifest, SigLine, String, Entries), Reason> {
    if bytes.len() as u64 > BUNDLE_BYTES {
        return Err(too_large(
            bytes.len() as u64,
            BUNDLE_BYTES,
            ("Bundel", "bundle"),
        ));
    }
    let mut entries = wire::unzip(bytes, BUNDLE_ENTRIES, ("bundel", "bundle"))?;
    let take = |entries: &mut Vec<(String, Vec<u8>)>, name: &str| {
        entries
            .iter()
            .position(|(n, _)| n == name)
            .map(|i| entries.remove(i).1)
    };
    let manifest_bytes = take(&mut entries, "manifest.json").ok_or_else(|| {
        Reason::new(
            "not_a_bundle",
            Some("manifest.json"),
            "Bukan bundel Bansos: manifest.json tidak ada.",
            "Not a Bansos bundle: manifest.json is missing.",
        )
    })?;
    let sig = take(&mut entries, "manifest.sig")
        .and_then(|b| SigLine::parse(&b))
        .ok_or_else(|| bad_signature_file("manifest.sig"))?;
    let key = key_for(&sig.code, &sig.fingerprint)?;
    if !sig.verifies(&key, Kind::Bundle, &manifest_bytes) {
        return Err(bad_signature("manifest.sig"));
    }
    // Verified: now, and only now, parsed.
    let version = serde_json::from_slice::<serde_json::Value>(&manifest_bytes)
        .ok()
        .and_then(|v| v.get("version").and_then(serde_json::Value::as_u64));
    if let Some(v) = version.filter(|v| *v > u64::from(VERSION)) {
        return Err(Reason::new(
            "newer_version",
            Some("manifest.json"),
            format!("Bundel versi {v} dibuat program yang lebih baru; perbarui Bansos di Kanwil."),
            format!("Bundle version {v} was made by a newer program; update Bansos at the regional office."),
        ));
    }
    let m: Manifest = format::parse(&manifest_bytes)
        .ok_or_else(|| bad_manifest("bentuknya tidak dikenal", "its form is not known"))?;
    consistent(&m, &sig)?;
    Ok((m, sig, super::sha256_hex(&manifest_bytes), entries))
}

/// Every listed part present with its size and hash; nothing unlisted.
fn check_parts(m: &Manifest, entries: &Entries) -> Result<(), Reason> {
    for p in &m.parts {
        let Some((_, b)) = entries.iter().find(|(n, _)| *n == p.name) else {
            return Err(Reason::new(
                "bad_entry",
                Some(&p.name),
                format!("Bagian {} yang tercantum di manifes tidak ada.", p.name),
                format!("Entry {} listed in the manifest is missing.", p.name),
            ));
        };
        if b.len() as u64 != p.size || super::sha256_hex(b) != p.sha256 {
            return Err(Reason::new(
                "altered_part",
                Some(&p.name),
                format!("Bagian {} berubah sejak ditandatangani.", p.name),
                format!("Entry {} changed since it was signed.", p.name),
            ));
        }
    }
    if let Some((n, _)) = entries
        .iter()
        .find(|(n, _)| !m.parts.iter().any(|p| p.name == *n))
    {
        return Err(Reason::new(
            "bad_entry",
            Some(n),
            format!("Bagian {n} tidak tercantum di manifes."),
            format!("Entry {n} is not listed in the manifest."),
        ));
    }
    Ok(())
}

fn is_period(s: &str) -> bool {
    crate::month::Month::parse(s).is_some() && s.len() == 7
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The manifest agrees with its signature line and with itself.
fn consistent(m: &Manifest, sig: &SigLine) -> Result<(), Reason> {
    let bad = |id: &str, en: &str| Err(bad_manifest(id, en));
    if m.format != "bansos-bundle" || m.version != VERSION {
        return bad(
            "bukan format bansos-bundle versi 1",
            "not format bansos-bundle version 1",
        );
    }
    if m.facility.code != sig.code || m.facility.key_fingerprint != sig.fingerprint {
        return bad(
            "kode UPT atau sidik jari kunci berbeda dari tanda tangannya",
            "the facility code or key fingerprint differs from its signature's",
        );
    }
    // A seq beyond u32 is no facility's (one a month for ever fits): such a number could not
    // even be stored, and the import failed instead of refusing.
    if !is_period(&m.period) || !(1..=u64::from(u32::MAX)).contains(&m.seq) || m.revision == 0 {
        return bad(
            "periode, nomor urut atau revisi tidak sah",
            "the period, seq or revision is not valid",
        );
    }
    let kind_ok = match m.kind.as_str() {
        "monthly" => m.revision == 1 && !m.nihil && m.supersedes.is_none(),
        "nihil" => m.revision == 1 && m.nihil && m.supersedes.is_none(),
        "revision" => {
            m.revision >= 2
                && m.supersedes.as_ref().is_some_and(|s| {
                    s.seq < m.seq && s.revision < m.revision && is_hex64(&s.bundle_sha256)
                })
        }
        _ => false,
    };
    if !kind_ok {
        return bad(
            "jenis, revisi, nihil dan yang digantikan tidak sesuai satu sama lain",
            "kind, revision, nihil and supersedes do not agree",
        );
    }
    match &m.previous {
        None if m.seq != 1 => {
            return bad(
                "bundel sebelumnya tidak disebut",
                "the previous bundle is not named",
            )
        }
        Some(p) if p.seq.checked_add(1) != Some(m.seq) || !is_hex64(&p.bundle_sha256) => {
            return bad(
                "bundel sebelumnya salah disebut",
                "the previous bundle is named wrongly",
            )
        }
        _ => {}
    }
    if m.kanwil.recipients.is_empty()
        || m.kanwil.recipients.len() > 8
        || !m.kanwil.recipients.iter().all(|r| wire::valid_recipient(r))
    {
        return bad(
            "penerima enkripsi tidak sah",
            "the encryption recipients are not valid",
        );
    }
    if (m.totals.packages == 0) != m.nihil {
        return bad(
            "nihil tidak sesuai jumlah paket",
            "nihil does not agree with the packages",
        );
    }
    let names: Vec<&str> = m.parts.iter().map(|p| p.name.as_str()).collect();
    let expected: Vec<&str> = BUNDLE_ENTRIES[2..].iter().map(|(n, _)| *n).collect();
    if names != expected {
        return bad(
            "daftar bagian tidak lengkap atau tidak urut",
            "the list of parts is incomplete or out of order",
        );
    }
    for p in &m.parts {
        if p.encrypted != p.name.ends_with(".age") || !is_hex64(&p.sha256) {
            return bad("bagian disebut salah", "a part is described wrongly");
        }
    }
    Ok(())
}

/// A small signed file opened: its signature line, its body, its other entries.
pub type Signed = (SigLine, Vec<u8>, Vec<(String, Vec<u8>)>);

/// Opens a small signed file (answer, registration, enrollment): size, zip, signature line, key,
/// signature. Returns the signature line, the body, and the other entries.
pub fn open_signed(
    bytes: &[u8],
    allowed: &[(&str, u64)],
    kind: Kind,
    what: (&str, &str),
    key_for: impl FnOnce(&SigLine, &[u8]) -> Result<[u8; 32], Reason>,
) -> Result<Signed, Reason> {
    if bytes.len() as u64 > super::SMALL_FILE_BYTES {
        return Err(too_large(bytes.len() as u64, super::SMALL_FILE_BYTES, what));
    }
    let mut entries = wire::unzip(bytes, allowed, what)?;
    let (body_name, sig_name) = (allowed[0].0, allowed[1].0);
    let pos = |entries: &Vec<(String, Vec<u8>)>, n: &str| entries.iter().position(|(e, _)| e == n);
    let body = pos(&entries, body_name)
        .map(|i| entries.remove(i).1)
        .ok_or_else(|| {
            Reason::new(
                "not_a_bundle",
                Some(body_name),
                format!("Bukan {} Bansos: {body_name} tidak ada.", what.0),
                format!("Not a Bansos {}: {body_name} is missing.", what.1),
            )
        })?;
    let sig = pos(&entries, sig_name)
        .map(|i| entries.remove(i).1)
        .and_then(|b| SigLine::parse(&b))
        .ok_or_else(|| bad_signature_file(sig_name))?;
    let key = key_for(&sig, &body)?;
    if !sig.verifies(&key, kind, &body) {
        return Err(bad_signature(sig_name));
    }
    Ok((sig, body, entries))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    #[test]
    fn a_signature_of_another_type_over_the_same_manifest_is_refused() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let manifest = br#"{"format":"bansos-bundle","version":1}"#;
        for kind in [
            Kind::Summary,
            Kind::Acknowledgment,
            Kind::Registration,
            Kind::Enrollment,
            Kind::KeyRotation,
            Kind::ByName,
        ] {
            let sig = SigLine::make("RUTAN-BLORA", &key, kind, manifest);
            let zip = wire::zip(&[("manifest.json", manifest), ("manifest.sig", &sig)]).unwrap();
            let r = open_bundle(&zip, |_, _| Ok(key.verifying_key().to_bytes())).unwrap_err();
            assert_eq!(r.code, "bad_signature", "{kind:?}");
        }
        // The bundle's own type passes the signature and reaches the manifest's checks.
        let sig = SigLine::make("RUTAN-BLORA", &key, Kind::Bundle, manifest);
        let zip = wire::zip(&[("manifest.json", manifest), ("manifest.sig", &sig)]).unwrap();
        let r = open_bundle(&zip, |_, _| Ok(key.verifying_key().to_bytes())).unwrap_err();
        assert_eq!(r.code, "bad_manifest");
    }

    /// The golden seq 2 manifest, its seq and previous seq set, signed by `key`.
    fn with_seq(key: &SigningKey, seq: u64) -> Vec<u8> {
        let golden = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/bundles/v1/monthly-seq2.bansos-bundle"
        ))
        .unwrap();
        let e = wire::unzip(&golden, BUNDLE_ENTRIES, ("b", "b")).unwrap();
        let mut m: serde_json::Value = serde_json::from_slice(&e[0].1).unwrap();
        m["seq"] = seq.into();
        m["previous"]["seq"] = (seq - 1).into();
        m["facility"]["key_fingerprint"] =
            crate::facility::keys::fingerprint(&key.verifying_key().to_bytes()).into();
        let manifest = serde_json::to_vec(&m).unwrap();
        let sig = SigLine::make("RUTAN-BLORA", key, Kind::Bundle, &manifest);
        wire::zip(&[("manifest.json", &manifest), ("manifest.sig", &sig)]).unwrap()
    }

    #[test]
    fn a_seq_beyond_what_a_facility_can_number_is_refused() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let public = key.verifying_key().to_bytes();
        for seq in [1 << 63, u64::MAX, u64::from(u32::MAX) + 1] {
            let r = open_bundle(&with_seq(&key, seq), |_, _| Ok(public)).unwrap_err();
            assert_eq!(r.code, "bad_manifest", "{seq}: {r:?}");
        }
        // A seq in range passes the manifest and is stopped only by its missing parts.
        let r = open_bundle(&with_seq(&key, 5), |_, _| Ok(public)).unwrap_err();
        assert_eq!(r.code, "bad_entry", "{r:?}");
    }

    #[test]
    fn a_newer_version_is_named_as_such() {
        let key = SigningKey::from_bytes(&[6; 32]);
        let manifest = br#"{"format":"bansos-bundle","version":2}"#;
        let sig = SigLine::make("RUTAN-BLORA", &key, Kind::Bundle, manifest);
        let zip = wire::zip(&[("manifest.json", manifest), ("manifest.sig", &sig)]).unwrap();
        let r = open_bundle(&zip, |_, _| Ok(key.verifying_key().to_bytes())).unwrap_err();
        assert_eq!(r.code, "newer_version");
    }
}

//! The Kanwil opens a facility's by-name list: the same checks as a bundle's (size, zip, key,
//! signature, then the header parsed, its part's hash, decryption with this Kanwil's identity,
//! the list parsed strictly and held to its limits). Only the verified bytes are parsed.

use crate::bundle::check::{bad_signature, bad_signature_file, too_large};
use crate::bundle::format::{self as f};
use crate::bundle::{sha256_hex, wire, Reason, BYNAME_BYTES, BYNAME_ENTRIES, BYNAME_ROWS, VERSION};
use crate::sign::Kind;

const WHAT: (&str, &str) = ("daftar nama", "by-name list");
/// Characters in one text of a row (a name 100, an address 200 at the facility).
const ROW_TEXT: usize = 300;

fn bad(part: &str, id: &str, en: &str) -> Reason {
    Reason::new(
        "bad_records",
        Some(part),
        format!("Daftar nama tidak sah: {id}."),
        format!("The by-name list is not valid: {en}."),
    )
}

/// Opens a by-name list meant for `kanwil` (its code and age recipient), signed by the key
/// `key_for` gives for the signature line's facility code and fingerprint.
pub fn open(
    bytes: &[u8],
    kanwil: &str,
    recipient: &str,
    identity: &str,
    key_for: impl FnOnce(&str, &str) -> Result<[u8; 32], Reason>,
) -> Result<(f::ByName, f::ByNameList), Reason> {
    if bytes.len() as u64 > BYNAME_BYTES {
        return Err(too_large(bytes.len() as u64, BYNAME_BYTES, WHAT));
    }
    let entries = wire::unzip(bytes, BYNAME_ENTRIES, WHAT)?;
    let entry = |n: &str| {
        entries
            .iter()
            .find(|(e, _)| e == n)
            .map(|(_, b)| b.as_slice())
            .ok_or_else(|| {
                Reason::new(
                    "bad_entry",
                    Some(n),
                    format!("Bukan daftar nama Bansos: {n} tidak ada."),
                    format!("Not a Bansos by-name list: {n} is missing."),
                )
            })
    };
    let (body, part) = (entry("byname.json")?, entry("byname.json.age")?);
    let sig = wire::SigLine::parse(entry("byname.sig")?)
        .ok_or_else(|| bad_signature_file("byname.sig"))?;
    let key = key_for(&sig.code, &sig.fingerprint)?;
    if !sig.verifies(&key, Kind::ByName, body) {
        return Err(bad_signature("byname.sig"));
    }
    let header: f::ByName = f::parse(body).ok_or_else(|| {
        bad(
            "byname.json",
            "bentuknya tidak dikenal",
            "its form is not known",
        )
    })?;
    if header.version > VERSION {
        return Err(Reason::new(
            "newer_version",
            Some("byname.json"),
            format!(
                "Daftar nama versi {} dibuat program yang lebih baru; perbarui Bansos di Kanwil.",
                header.version
            ),
            format!(
                "By-name list version {} was made by a newer program; update Bansos at the regional office.",
                header.version
            ),
        ));
    }
    if header.format != "bansos-byname"
        || header.version != VERSION
        || header.facility != sig.code
        || header.part.name != "byname.json.age"
        || crate::month::Month::parse(&header.period).is_none()
    {
        return Err(bad(
            "byname.json",
            "kode, periode atau bagiannya tidak cocok",
            "its code, period or part does not agree",
        ));
    }
    if header.kanwil != kanwil || !header.recipients.iter().any(|r| r == recipient) {
        return Err(Reason::new(
            "wrong_kanwil",
            Some("byname.json"),
            format!(
                "Daftar nama ini ditujukan ke {}, bukan ke Kanwil ini.",
                header.kanwil
            ),
            format!(
                "This by-name list is meant for {}, not for this regional office.",
                header.kanwil
            ),
        ));
    }
    if part.len() as u64 != header.part.size || sha256_hex(part) != header.part.sha256 {
        return Err(Reason::new(
            "altered_part",
            Some("byname.json.age"),
            "Bagian byname.json.age berubah sejak ditandatangani.",
            "Entry byname.json.age changed since it was signed.",
        ));
    }
    let plain = wire::decrypt(identity, part).ok_or_else(|| {
        Reason::new(
            "cannot_decrypt",
            Some("byname.json.age"),
            "Daftar nama tidak dapat dibuka dengan kunci Kanwil ini.",
            "The by-name list does not open with this regional office's key.",
        )
    })?;
    let list: f::ByNameList = f::parse(&plain).ok_or_else(|| {
        bad(
            "byname.json.age",
            "bentuknya tidak dikenal",
            "its form is not known",
        )
    })?;
    let long = |s: &str| s.chars().count() > ROW_TEXT;
    if list.version != VERSION
        || list.rows.len() > BYNAME_ROWS
        || list.rows.len() as u64 != header.rows
        || list.rows.iter().any(|r| {
            [
                &r.bast_no,
                &r.date,
                &r.category,
                &r.head_name,
                &r.address,
                &r.rt,
                &r.rw,
                &r.received_by,
                &r.proxy_relation,
            ]
            .iter()
            .any(|s| long(s))
                || r.items.len() > 50
        })
    {
        return Err(bad(
            "byname.json.age",
            "jumlah baris atau panjang isinya di luar batas",
            "its row count or a text's length is out of bounds",
        ));
    }
    Ok((header, list))
}

//! Files kept with a record: the scan of a signed BAST, event photos, a family's KTP, KK or SKTM.
//! One owner type for all of them; the file's kind is told by its first bytes, not its name.
//! SQL in `db.rs`.

pub mod db;

use crate::error::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use ts_rs::TS;

/// Largest scan or photo kept with a record.
pub const MAX_BYTES: usize = crate::limits::ATTACHMENT_BYTES;

/// What a file is kept with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Family(i64),
    Handover(i64),
    Event(i64),
}

impl Owner {
    /// The code stored in `attachment.owner_kind` and used in audit actions (`family.attach`).
    pub fn kind(self) -> &'static str {
        match self {
            Owner::Family(_) => "family",
            Owner::Handover(_) => "handover",
            Owner::Event(_) => "event",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Owner::Family(i) | Owner::Handover(i) | Owner::Event(i) => i,
        }
    }

    /// The owner from its stored code, or a clear refusal of an unknown one.
    pub fn parse(kind: &str, id: i64) -> Result<Owner> {
        match kind {
            "family" => Ok(Owner::Family(id)),
            "handover" => Ok(Owner::Handover(id)),
            "event" => Ok(Owner::Event(id)),
            _ => Err(Error::invalid(
                "kind",
                format!("Jenis lampiran '{kind}' tidak dikenal (family, handover, event)."),
                format!("Unknown attachment kind '{kind}' (family, handover, event)."),
            )),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttachmentInfo {
    pub id: i64,
    pub file_name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub note: String,
    pub added_at: String,
    pub added_by: String,
}

/// A file checked and ready to keep.
#[derive(Debug, Clone)]
pub struct ValidFile<'a> {
    pub file_name: String,
    pub mime: &'static str,
    pub sha256: String,
    pub note: String,
    pub bytes: &'a [u8],
}

/// Checks a file before it is kept: a PDF, PNG or JPEG (by its first bytes) of at most
/// [`MAX_BYTES`]; the name is cut to its last part.
pub fn validate<'a>(file_name: &str, bytes: &'a [u8], note: &str) -> Result<ValidFile<'a>> {
    let name: String = std::path::Path::new(file_name)
        .file_name()
        // Shown and printed later: control characters (a terminal's escapes) become "_".
        .map(|n| {
            n.to_string_lossy()
                .chars()
                .take(200)
                .map(|c| if c.is_control() { '_' } else { c })
                .collect()
        })
        .unwrap_or_else(|| "scan".into());
    if bytes.len() > MAX_BYTES {
        return Err(Error::invalid(
            "file",
            format!(
                "{name} terlalu besar ({:.1} MB; paling besar {} MB).",
                bytes.len() as f64 / 1_048_576.0,
                MAX_BYTES / 1_048_576
            ),
            format!(
                "{name} is too large ({:.1} MB; at most {} MB).",
                bytes.len() as f64 / 1_048_576.0,
                MAX_BYTES / 1_048_576
            ),
        ));
    }
    let mime = if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else {
        return Err(Error::invalid(
            "file",
            format!("{name} bukan PDF, PNG atau JPEG."),
            format!("{name} is not a PDF, PNG or JPEG."),
        ));
    };
    let note = crate::family::model::tidy(note);
    crate::limits::check_text(
        "note",
        &note,
        500,
        ("Keterangan lampiran", "The attachment's note"),
    )?;
    Ok(ValidFile {
        file_name: name,
        mime,
        sha256: hex::encode(sha2::Sha256::digest(bytes)),
        note,
        bytes,
    })
}

pub fn not_found(id: i64) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("Lampiran #{id} tidak ada."),
        format!("There is no attachment #{id}."),
    )
}

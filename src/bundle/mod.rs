//! The files a facility and its regional office (Kanwil) exchange, frozen as version 1 in
//! `docs/bundle-format.md`: the signed monthly **bundle**, the Kanwil's signed **answer**, the
//! facility's **registration** and the Kanwil's **enrollment**. Pure format here — building,
//! reading and checking bytes, no database: the facility's side is `crate::outbox`, the
//! Kanwil's `crate::kanwil`.
//!
//! Every file is a zip of stored entries with fixed names in a fixed order; every JSON part is
//! compact and hashed and signed as written; a reader checks sizes, entries and the signature
//! before it parses anything it has not verified.

pub mod check;
pub mod format;
pub mod wire;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The format version this program writes and the highest it reads.
pub const VERSION: u32 = 1;

/// A bundle file, by its size before reading.
pub const BUNDLE_BYTES: u64 = 128 * 1024 * 1024;
/// An answer, registration or enrollment file.
pub const SMALL_FILE_BYTES: u64 = 64 * 1024;
/// Entries in any of these zips.
pub const ENTRIES: usize = 16;
/// Bundle files read from one folder at once.
pub const FOLDER_FILES: usize = 2_000;

/// The entries of a bundle, in zip order, with the most bytes each may hold.
pub const BUNDLE_ENTRIES: &[(&str, u64)] = &[
    ("manifest.json", 1024 * 1024),
    ("manifest.sig", 160),
    ("aggregates.json", 4 * 1024 * 1024),
    ("summary.json", 1024 * 1024),
    ("records.json.age", 96 * 1024 * 1024),
    ("report.json.age", 8 * 1024 * 1024),
    ("report.pdf.age", 16 * 1024 * 1024),
    ("report.xlsx.age", 16 * 1024 * 1024),
];
pub const ANSWER_ENTRIES: &[(&str, u64)] = &[("answer.json", 60_000), ("answer.sig", 160)];
pub const REGISTRATION_ENTRIES: &[(&str, u64)] =
    &[("registration.json", 60_000), ("registration.sig", 160)];
pub const ENROLLMENT_ENTRIES: &[(&str, u64)] = &[
    ("enrollment.json", 40_000),
    ("enrollment.sig", 160),
    ("province-key.age", 4_000),
];

/// A key rotation: the statement, the old key's signature, the new key's.
pub const ROTATION_ENTRIES: &[(&str, u64)] = &[
    ("rotation.json", 8_000),
    ("rotation.sig", 160),
    ("rotation.new.sig", 160),
];

/// A by-name list: its header (clear, signed), the signature, the list encrypted to the Kanwil.
pub const BYNAME_ENTRIES: &[(&str, u64)] = &[
    ("byname.json", 8_000),
    ("byname.sig", 160),
    ("byname.json.age", 64 * 1024 * 1024),
];
/// A by-name list file, by its size before reading.
pub const BYNAME_BYTES: u64 = 65 * 1024 * 1024;
/// Rows of a by-name list (a month's hand-overs of the largest facility fit many times).
pub const BYNAME_ROWS: usize = 200_000;

/// File name endings.
pub const BUNDLE_EXT: &str = "bansos-bundle";
pub const ANSWER_EXT: &str = "bansos-answer";
pub const REGISTRATION_EXT: &str = "bansos-registration";
pub const ENROLLMENT_EXT: &str = "bansos-enrollment";
pub const ROTATION_EXT: &str = "bansos-key-rotation";
pub const BYNAME_EXT: &str = "bansos-byname";

/// Why a file was refused: a stable code (section 9 of the format), the part concerned, and a
/// sentence in each language naming it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub code: String,
    pub id: String,
    pub en: String,
    pub part: Option<String>,
}

impl Reason {
    pub fn new(
        code: &str,
        part: Option<&str>,
        id: impl Into<String>,
        en: impl Into<String>,
    ) -> Reason {
        Reason {
            code: code.to_owned(),
            id: id.into(),
            en: en.into(),
            part: part.map(str::to_owned),
        }
    }

    pub fn text(&self, lang: crate::locale::Lang) -> &str {
        match lang {
            crate::locale::Lang::Id => &self.id,
            crate::locale::Lang::En => &self.en,
        }
    }

    /// As an error the user reads (a refused answer or enrollment file at the facility).
    pub fn into_error(self) -> crate::Error {
        crate::Error::new(crate::ErrorKind::Invalid, self.id, self.en)
    }
}

/// The SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// `RUTAN-BLORA_2024-11_r1_seq000012.bansos-bundle`: for people and sorting only.
pub fn bundle_file_name(code: &str, period: &str, revision: u32, seq: u64) -> String {
    format!("{code}_{period}_r{revision}_seq{seq:06}.{BUNDLE_EXT}")
}

pub fn answer_file_name(code: &str, period: &str, revision: u32, seq: u64) -> String {
    format!("{code}_{period}_r{revision}_seq{seq:06}.{ANSWER_EXT}")
}

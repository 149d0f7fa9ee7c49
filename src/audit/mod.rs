//! The append-only, hash-chained audit log. Every change a use case makes writes one entry in the
//! same transaction: who, when, what, old → new. Each entry's hash covers its content and the
//! previous entry's hash, so editing, inserting or deleting a row breaks the chain at that point;
//! `verify` walks the chain and names every break. SQL in `db.rs`.

pub mod db;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// One entry about to be written: what was done to which record, and the record's state before
/// and after. The states are always serialized from values (never JSON formatted by hand), so
/// every entry's `old` / `new` parses.
#[derive(Debug, Clone)]
pub struct Entry {
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Entry {
    /// `action` is a stable code (`handover.create`); `entity` and `entity_id` name the record.
    pub fn new(action: impl Into<String>, entity: &str, entity_id: impl ToString) -> Entry {
        Entry {
            action: action.into(),
            entity: entity.to_owned(),
            entity_id: entity_id.to_string(),
            old: None,
            new: None,
        }
    }

    /// The state before the change.
    pub fn before(mut self, v: &impl Serialize) -> Entry {
        self.old = serde_json::to_string(v).ok();
        self
    }

    /// The state after the change (or what was done).
    pub fn after(mut self, v: &impl Serialize) -> Entry {
        self.new = serde_json::to_string(v).ok();
        self
    }
}

/// The entry with every NIK and No. KK in its details masked (`331601********03`), for a reader
/// whose role sees them masked elsewhere: the audit list must not show what the lists hide.
impl AuditEntry {
    pub fn masked(mut self) -> AuditEntry {
        self.old = self.old.map(|t| mask_numbers(&t));
        self.new = self.new.map(|t| mask_numbers(&t));
        self
    }
}

/// Masks every run of exactly sixteen digits (a NIK or a No. KK) in `text`.
pub fn mask_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 16 {
            out.push_str(&crate::family::model::mask_nik(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// One audit entry as shown to people.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub seq: i64,
    /// UTC, RFC 3339.
    pub at: String,
    /// The user name, or "-" for the system itself.
    pub actor: String,
    /// What happened, a stable code such as `staff.add` or `facility.update`.
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// JSON of the value before the change (null for a creation).
    pub old: Option<String>,
    /// JSON of the value after the change (null for a deletion).
    pub new: Option<String>,
    pub hash: String,
}

/// What `verify` found.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditReport {
    pub entries: i64,
    pub ok: bool,
    pub problems: Vec<AuditProblem>,
    pub head_hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditProblem {
    pub seq: i64,
    pub kind: AuditProblemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuditProblemKind {
    /// The entry's content no longer matches its hash: it was edited.
    Edited,
    /// The entry does not follow its predecessor: something was inserted or removed before it.
    BrokenLink,
    /// Sequence numbers jump: entries are missing.
    Missing,
    /// The chain ends before the recorded head: entries at the end were removed.
    Truncated,
}

impl AuditProblemKind {
    pub fn describe(self, lang: crate::locale::Lang) -> &'static str {
        use crate::locale::Lang::*;
        match (self, lang) {
            (AuditProblemKind::Edited, Id) => "isi entri diubah",
            (AuditProblemKind::Edited, En) => "entry content was edited",
            (AuditProblemKind::BrokenLink, Id) => {
                "rantai putus: ada entri disisipkan atau dihapus sebelumnya"
            }
            (AuditProblemKind::BrokenLink, En) => {
                "chain broken: an entry was inserted or removed before it"
            }
            (AuditProblemKind::Missing, Id) => "nomor urut melompat: entri hilang",
            (AuditProblemKind::Missing, En) => "sequence jumps: entries are missing",
            (AuditProblemKind::Truncated, Id) => "entri terakhir dihapus",
            (AuditProblemKind::Truncated, En) => "entries at the end were removed",
        }
    }
}

/// The hash of an entry: SHA-256 over the previous hash and every field, each length-prefixed so
/// no two different entries serialize alike.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    prev: &[u8],
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"bansos-audit-v1");
    h.update(prev);
    h.update(seq.to_be_bytes());
    for field in [
        Some(at),
        Some(actor),
        Some(action),
        Some(entity),
        Some(entity_id),
        old,
        new,
    ] {
        match field {
            None => h.update([0u8]),
            Some(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
        }
    }
    h.finalize().into()
}

/// The hash that precedes the first entry.
pub const GENESIS: [u8; 32] = [0u8; 32];

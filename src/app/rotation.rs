//! A facility changes its signing key (the PC's key may have been copied, a key holder left, or
//! simply by schedule): the old key and the new one both sign a statement of the change, the
//! facility keeps the old public key so BASTs and summaries it signed still check, and the Kanwil
//! takes the statement and from then on accepts the old key only for the bundles it had signed.
//! A PC that was lost goes the other way: the Kanwil revokes its key and registers the new one.

use super::App;
use crate::audit::Entry;
use crate::bundle::format::{self as f};
use crate::bundle::{wire, Reason};
use crate::error::{Error, ErrorKind, Result};
use crate::facility::{self, keys};
use crate::kanwil::{self, db as kdb};
use crate::outbox::db as odb;
use crate::staff::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const KEY_HOLDERS: &[Role] = &[Role::KepalaUpt, Role::Admin];

/// What changing the facility's key did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyRotated {
    pub old_fingerprint: String,
    pub new_fingerprint: String,
    /// The last bundle the old key signed (the Kanwil accepts it for those only).
    pub old_key_last_seq: Option<u64>,
    /// The statement's file name; the file goes to the Kanwil.
    pub file_name: String,
}

/// What the Kanwil did with a rotation statement.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RotationApplied {
    pub facility: String,
    pub old_fingerprint: String,
    pub new_fingerprint: String,
    pub old_key_last_seq: Option<u64>,
    /// False when this statement had been taken before: nothing changed.
    pub changed: bool,
}

fn rotation_file_name(code: &str, fp: &str) -> String {
    format!("{code}-{fp}.{}", crate::bundle::ROTATION_EXT)
}

impl App {
    /// Replaces the facility's signing key with a new one, in one transaction: the statement
    /// signed by both keys, the old public key kept (with the last bundle seq it signed), the old
    /// secret gone. Kepala UPT or Admin. Returns the statement file for the Kanwil.
    pub fn rotate_key(&mut self, reason: &str) -> Result<(KeyRotated, Vec<u8>)> {
        self.guard(KEY_HOLDERS)?;
        self.facility_mode()?;
        let reason = crate::family::model::tidy(reason);
        crate::limits::check_text(
            "reason",
            &reason,
            crate::limits::NOTE,
            ("Alasan", "The reason"),
        )?;
        if reason.chars().filter(|c| c.is_alphabetic()).count() < 5 {
            return Err(Error::invalid(
                "reason",
                "Tulis alasan penggantian kunci (paling sedikit 5 huruf).",
                "Write the reason for changing the key (at least 5 letters).",
            ));
        }
        let key = self.key.clone();
        let today = self.today_local()?.to_string();
        self.tx(|tx, at, actor| {
            // The key as it is now, read in this transaction: two desks cannot both retire it.
            let stored = facility::db::load(tx)?;
            let old_signer = keys::unseal(&key, &stored.secret_key_sealed)?;
            let old = old_signer.verifying_key().to_bytes();
            let (new, new_sealed) = keys::generate(&key)?;
            let new_signer = keys::unseal(&key, &new_sealed)?;
            let code = stored.facility.profile.code.clone();
            let last_seq = odb::last_bundle(tx)?.map(|b| b.seq);
            let body = f::KeyRotation {
                format: "bansos-key-rotation".into(),
                version: crate::bundle::VERSION,
                facility: code.clone(),
                old_key: hex::encode(old),
                old_fingerprint: keys::fingerprint(&old),
                new_key: hex::encode(new),
                new_fingerprint: keys::fingerprint(&new),
                old_key_last_seq: last_seq,
                reason: reason.clone(),
                made_at: at.to_owned(),
            };
            let bytes = f::to_bytes(&body)?;
            let kind = crate::sign::Kind::KeyRotation;
            let sig = wire::SigLine::make(&code, &old_signer, kind, &bytes);
            let new_sig = wire::SigLine::make(&code, &new_signer, kind, &bytes);
            let file = wire::zip(&[
                ("rotation.json", &bytes),
                ("rotation.sig", &sig),
                ("rotation.new.sig", &new_sig),
            ])?;
            facility::db::rotate_key(
                tx,
                &old,
                &new,
                &new_sealed,
                at,
                &today,
                actor,
                &reason,
                last_seq,
                &file,
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("facility.rotate_key", "facility", &code)
                    .before(&serde_json::json!({ "fingerprint": body.old_fingerprint }))
                    .after(&serde_json::json!({
                        "fingerprint": body.new_fingerprint,
                        "old_key_last_seq": last_seq,
                        "reason": reason,
                    })),
            )?;
            Ok((
                KeyRotated {
                    file_name: rotation_file_name(&code, &body.old_fingerprint),
                    old_fingerprint: body.old_fingerprint,
                    new_fingerprint: body.new_fingerprint,
                    old_key_last_seq: last_seq,
                },
                file,
            ))
        })
    }

    /// The latest key rotation statement again, to send it to the Kanwil once more.
    pub fn rotation_file(&mut self) -> Result<(String, Vec<u8>)> {
        self.guard(KEY_HOLDERS)?;
        self.facility_mode()?;
        let code = facility::db::load(&self.conn)?.facility.profile.code;
        let (fp, file) = facility::db::latest_rotation(&self.conn)?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                "Kunci UPT ini belum pernah diganti.",
                "This facility's key has never been changed.",
            )
        })?;
        Ok((rotation_file_name(&code, &fp), file))
    }

    /// The Kanwil takes a facility's key rotation statement: the old key must be the one it
    /// holds for that facility (not revoked), and both signatures must hold. The new key is
    /// added; the old one signs no bundle after the seq the statement names. The same statement
    /// again changes nothing.
    pub fn apply_key_rotation(&mut self, bytes: &[u8]) -> Result<RotationApplied> {
        self.guard(KEY_HOLDERS)?;
        self.regional_mode()?;
        self.tx(|tx, at, actor| {
            let (r, new) = kanwil::open_rotation(bytes, |code, fp| {
                kanwil::member_key(tx, code, fp)
            })
            .map_err(Reason::into_error)?;
            let out = |changed| RotationApplied {
                facility: r.facility.clone(),
                old_fingerprint: r.old_fingerprint.clone(),
                new_fingerprint: r.new_fingerprint.clone(),
                old_key_last_seq: r.old_key_last_seq,
                changed,
            };
            let new_known = kdb::key(tx, &r.facility, &r.new_fingerprint)?;
            if kdb::key_retirement(tx, &r.facility, &r.old_fingerprint)?.is_some() {
                if new_known.is_some() {
                    return Ok(out(false));
                }
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "Kunci {} UPT {} sudah diganti dengan kunci lain. Pernyataan ini tidak dipakai; hubungi UPT itu.",
                        r.old_fingerprint, r.facility
                    ),
                    format!(
                        "Key {} of facility {} was already replaced by another key. This statement is not taken; call the facility.",
                        r.old_fingerprint, r.facility
                    ),
                ));
            }
            if new_known.is_none() {
                kdb::insert_key(tx, &r.facility, &new, &r.new_fingerprint, at)?;
            }
            let last = r.old_key_last_seq.unwrap_or(0);
            if !kdb::retire_key(tx, &r.facility, &r.old_fingerprint, at, last, bytes)? {
                return Err(Error::internal("the key to retire was not found"));
            }
            App::log(
                tx,
                at,
                actor,
                Entry::new("kanwil.key_rotation", "member", &r.facility).after(
                    &serde_json::json!({
                        "old_fingerprint": r.old_fingerprint,
                        "new_fingerprint": r.new_fingerprint,
                        "old_key_last_seq": r.old_key_last_seq,
                        "reason": r.reason,
                    }),
                ),
            )?;
            Ok(out(true))
        })
    }
}

//! By-name lists (daftar nama, BNBA) between a facility and its Kanwil: made at the facility
//! when the Kanwil asks for a period (its letter's number recorded), opened at the Kanwil by a
//! key holder. Both sides write who made or opened which list in their audit log.

use super::exchange::identity;
use super::App;
use crate::audit::Entry;
use crate::bundle::format::{self as f};
use crate::bundle::Reason;
use crate::error::{Error, ErrorKind, Result};
use crate::facility;
use crate::kanwil::db as kdb;
use crate::month::Month;
use crate::outbox::{self, db as odb};
use crate::staff::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const KEY_HOLDERS: &[Role] = &[Role::KepalaUpt, Role::Admin];

/// A by-name list made at the facility.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ByNameMade {
    pub file_name: String,
    pub period: String,
    pub kanwil: String,
    pub rows: u64,
}

/// A by-name list opened at the Kanwil.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ByNameOpened {
    pub facility: String,
    pub facility_name: String,
    pub period: String,
    pub reference: String,
    pub made_at: String,
    pub made_by: String,
    /// The facility's bundle of the period when the list was made.
    pub bundle_sha256: Option<String>,
    pub rows: Vec<f::ByNameRow>,
}

impl App {
    /// The by-name list of a closed `period` for the Kanwil, answering its request `reference`
    /// (a letter's number). Kepala UPT or Admin; the facility must be enrolled.
    pub fn byname_file(&mut self, period: &str, reference: &str) -> Result<(ByNameMade, Vec<u8>)> {
        self.guard(KEY_HOLDERS)?;
        self.facility_mode()?;
        let m = Month::parse_or_refuse(period)?;
        let reference = crate::family::model::tidy(reference);
        crate::limits::check_text(
            "reference",
            &reference,
            crate::limits::LABEL,
            ("Nomor surat permintaan", "The request's reference"),
        )?;
        if reference.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
            return Err(Error::invalid(
                "reference",
                "Tulis nomor surat permintaan Kanwil (paling sedikit 3 huruf atau angka).",
                "Write the reference of the Kanwil's request (at least 3 letters or digits).",
            ));
        }
        let key = self.key.clone();
        let me = self.me.username.clone();
        self.tx(|tx, at, actor| {
            let Some((_, enrollment)) = outbox::enrollment(tx)? else {
                return Err(outbox::not_enrolled());
            };
            let closed = crate::month::db::latest_closing(tx, &m.key())?
                .is_some_and(|c| c.reopened_at.is_none());
            if !closed {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "{} belum ditutup: tutup bulannya dulu, agar daftar nama sama dengan laporannya.",
                        m.words(crate::locale::Lang::Id)
                    ),
                    format!(
                        "{} is not closed: close the month first, so the list matches its report.",
                        m.words(crate::locale::Lang::En)
                    ),
                )
                .with_field("period"));
            }
            let signer = App::signer_in(tx, &key)?;
            let code = facility::db::load(tx)?.facility.profile.code;
            let bundle = odb::latest_of_period(tx, &m.key())?.map(|b| b.sha256);
            let (header, file) = outbox::byname::build(
                tx,
                &code,
                &enrollment,
                &signer,
                &outbox::byname::Request {
                    period: &m.key(),
                    reference: &reference,
                    bundle_sha256: bundle,
                    made_at: at,
                    made_by: &me,
                },
            )?;
            App::log(
                tx,
                at,
                actor,
                Entry::new("exchange.byname", "period", m.key()).after(&serde_json::json!({
                    "kanwil": header.kanwil,
                    "reference": reference,
                    "rows": header.rows,
                    "part_sha256": header.part.sha256,
                })),
            )?;
            Ok((
                ByNameMade {
                    file_name: format!(
                        "{code}_{}_daftar-nama.{}",
                        m.key(),
                        crate::bundle::BYNAME_EXT
                    ),
                    period: m.key(),
                    kanwil: header.kanwil,
                    rows: header.rows,
                },
                file,
            ))
        })
    }

    /// Opens a facility's by-name list at the Kanwil: checked like a bundle, decrypted with the
    /// Kanwil's identity. Kepala or Admin; the opening is written in the audit log.
    pub fn open_byname(&mut self, bytes: &[u8]) -> Result<ByNameOpened> {
        self.guard(KEY_HOLDERS)?;
        let me = self.regional_mode()?;
        let key = self.key.clone();
        self.tx(|tx, at, actor| {
            let (recipient, secret) = identity(tx, &key, at)?;
            let (header, list) =
                crate::kanwil::byname::open(bytes, &me.code, &recipient, &secret, |code, fp| {
                    crate::kanwil::current_member_key(tx, code, fp)
                })
                .map_err(Reason::into_error)?;
            let facility_name = kdb::member(tx, &header.facility)?
                .map(|m| m.name)
                .unwrap_or_default();
            App::log(
                tx,
                at,
                actor,
                Entry::new("kanwil.byname_open", "member", &header.facility).after(
                    &serde_json::json!({
                        "period": header.period,
                        "reference": header.reference,
                        "rows": header.rows,
                        "part_sha256": header.part.sha256,
                    }),
                ),
            )?;
            Ok(ByNameOpened {
                facility: header.facility,
                facility_name,
                period: header.period,
                reference: header.reference,
                made_at: header.made_at,
                made_by: header.made_by,
                bundle_sha256: header.bundle_sha256,
                rows: list.rows,
            })
        })
    }
}

//! The by-name list a Kanwil asks a facility for (to check a family served by two facilities, or
//! an audit): one period's hand-overs with the head's name, NIK, No. KK and address, encrypted to
//! the Kanwil only, under a signed header that names no person. Made on request, never inside the
//! monthly bundle, so a bundle stays pseudonymous and the request is visible on both sides.

use super::db;
use crate::bundle::format::{self as f};
use crate::bundle::{sha256_hex, wire, BYNAME_ROWS, VERSION};
use crate::db::Db as Connection;
use crate::error::{Error, Result};
use ed25519_dalek::SigningKey;

/// What the list is for.
pub struct Request<'a> {
    pub period: &'a str,
    pub reference: &'a str,
    pub bundle_sha256: Option<String>,
    pub made_at: &'a str,
    pub made_by: &'a str,
}

/// Builds the list of `req.period` for the Kanwil of `enrollment`. Returns (header, file bytes).
pub fn build(
    conn: &Connection,
    code: &str,
    enrollment: &f::Enrollment,
    signer: &SigningKey,
    req: &Request,
) -> Result<(f::ByName, Vec<u8>)> {
    let m = crate::month::Month::parse(req.period)
        .ok_or_else(|| Error::internal("a by-name period does not parse"))?;
    let rows: Vec<f::ByNameRow> =
        db::byname_rows(conn, &m.first().to_string(), &m.last().to_string())?
            .into_iter()
            .map(|(_, r)| r)
            .collect();
    if rows.len() > BYNAME_ROWS {
        return Err(Error::internal("a by-name list over its row limit"));
    }
    let count = rows.len() as u64;
    let list = f::to_bytes(&f::ByNameList {
        version: VERSION,
        rows,
    })?;
    let part = wire::encrypt(&enrollment.kanwil.recipients, &list)?;
    let header = f::ByName {
        format: "bansos-byname".into(),
        version: VERSION,
        facility: code.to_owned(),
        kanwil: enrollment.kanwil.code.clone(),
        recipients: enrollment.kanwil.recipients.clone(),
        period: req.period.to_owned(),
        reference: req.reference.to_owned(),
        bundle_sha256: req.bundle_sha256.clone(),
        rows: count,
        part: f::Part {
            name: "byname.json.age".into(),
            encrypted: true,
            size: part.len() as u64,
            sha256: sha256_hex(&part),
        },
        made_at: req.made_at.to_owned(),
        made_by: req.made_by.to_owned(),
    };
    let body = f::to_bytes(&header)?;
    let sig = wire::SigLine::make(code, signer, crate::sign::Kind::ByName, &body);
    let file = wire::zip(&[
        ("byname.json", &body),
        ("byname.sig", &sig),
        ("byname.json.age", &part),
    ])?;
    Ok((header, file))
}

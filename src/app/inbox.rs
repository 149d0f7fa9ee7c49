//! What the inbox server (`bansos inbox serve`) asks of a Kanwil's database, beside the import
//! every desk uses: a session that does not sign itself out, whether a code is a member, and the
//! answer stored for a bundle.

use super::{App, ANYONE};
use crate::error::Result;
use crate::kanwil::db as kdb;

impl App {
    /// This session as the inbox server holds it: it is not signed out after the facility's idle
    /// minutes (the account's role and activity are still checked on every request).
    pub fn into_service(mut self) -> App {
        self.idle_minutes = u32::MAX;
        self
    }

    /// Whether `code` is a facility registered here (revoked or not).
    pub fn is_member(&mut self, code: &str) -> Result<bool> {
        self.guard(ANYONE)?;
        self.regional_mode()?;
        Ok(kdb::member(&self.conn, code)?.is_some())
    }

    /// The answer given for the bundle whose hash is `sha256`: (file name, bytes).
    pub fn answer_for_bundle(&mut self, sha256: &str) -> Result<Option<(String, Vec<u8>)>> {
        self.guard(ANYONE)?;
        self.regional_mode()?;
        let Some(r) = kdb::received_by_sha(&self.conn, sha256)? else {
            return Ok(None);
        };
        Ok(kdb::answer_of(&self.conn, r.id)?.map(|a| {
            (
                crate::bundle::answer_file_name(&r.member, &r.period, r.revision, r.seq),
                a,
            )
        }))
    }
}

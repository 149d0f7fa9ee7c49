//! Files kept with a family, a hand-over or an event: the scan of a signed BAST, event photos,
//! a family's documents. Adding one and opening one are both audited.

use super::App;
use crate::attachment::{self, db as adb, AttachmentInfo, Owner};
use crate::audit::Entry;
use crate::db::Db as Connection;
use crate::error::{Error, Result};
use crate::family::view::family_code;
use crate::staff::Role;

const KEEPERS: &[Role] = &[Role::Petugas, Role::Verifikator];

/// Who may open a record's files: a family's scans (a KTP or KK shows the whole NIK) only those
/// who see NIKs in a record; a hand-over's signed paper and an event's photos the registry's
/// readers.
fn readers_of(owner: Owner) -> &'static [Role] {
    match owner {
        Owner::Family(_) => KEEPERS,
        Owner::Handover(_) | Owner::Event(_) => super::family::REGISTRY_READERS,
    }
}

/// How an owner is named in the audit log (KLG-000012, the BAST number, the event id); an owner
/// that does not exist is refused.
fn entity_of(conn: &Connection, owner: Owner) -> Result<String> {
    Ok(match owner {
        Owner::Family(id) => {
            crate::family::db::load(conn, id)?;
            family_code(id)
        }
        Owner::Handover(id) => crate::handover::db::load(conn, id)?.bast_no,
        Owner::Event(id) => {
            crate::distribution::db::event_head(conn, id)?;
            id.to_string()
        }
    })
}

impl App {
    /// Keeps a file (PDF, PNG or JPEG, up to 8 MB) with a record.
    fn attach(
        &mut self,
        owner: Owner,
        file_name: &str,
        bytes: &[u8],
        note: &str,
    ) -> Result<AttachmentInfo> {
        self.guard(KEEPERS)?;
        let f = attachment::validate(file_name, bytes, note)?;
        let aid = self.tx(|tx, at, actor| {
            let entity = entity_of(tx, owner)?;
            let aid = adb::insert(tx, owner, &f, at, actor)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new(format!("{}.attach", owner.kind()), owner.kind(), entity).after(
                    &serde_json::json!({
                        "attachment": aid, "file_name": f.file_name, "sha256": f.sha256, "note": f.note,
                    }),
                ),
            )?;
            Ok(aid)
        })?;
        adb::list(&self.conn, owner)?
            .into_iter()
            .find(|a| a.id == aid)
            .ok_or_else(|| Error::internal("attachment not found after insert"))
    }

    /// Keeps a file with the record `kind` ("family", "handover", "event") `id`.
    pub fn attachment_add(
        &mut self,
        kind: &str,
        id: i64,
        file_name: &str,
        bytes: &[u8],
        note: &str,
    ) -> Result<AttachmentInfo> {
        self.attach(Owner::parse(kind, id)?, file_name, bytes, note)
    }

    /// Keeps a scan (KTP, KK, SKTM, a photo) with a family.
    pub fn family_attach(
        &mut self,
        id: i64,
        file_name: &str,
        bytes: &[u8],
        note: &str,
    ) -> Result<AttachmentInfo> {
        self.attach(Owner::Family(id), file_name, bytes, note)
    }

    /// Keeps the scan of the signed paper (or a photo) with a hand-over.
    pub fn handover_attach(
        &mut self,
        id: i64,
        file_name: &str,
        bytes: &[u8],
        note: &str,
    ) -> Result<AttachmentInfo> {
        self.attach(Owner::Handover(id), file_name, bytes, note)
    }

    /// Keeps event photos (or the signed attendance list) with an event.
    pub fn event_attach(
        &mut self,
        event_id: i64,
        file_name: &str,
        bytes: &[u8],
        note: &str,
    ) -> Result<AttachmentInfo> {
        self.attach(Owner::Event(event_id), file_name, bytes, note)
    }

    /// Files kept with a family ("family"), hand-over ("handover") or event ("event").
    pub fn attachments_of(&mut self, kind: &str, id: i64) -> Result<Vec<AttachmentInfo>> {
        let owner = Owner::parse(kind, id)?;
        self.guard(readers_of(owner))?;
        adb::list(&self.conn, owner)
    }

    /// An attachment's bytes (opening one is logged like opening the record).
    pub fn attachment(&mut self, id: i64) -> Result<(AttachmentInfo, Vec<u8>)> {
        self.guard(super::family::REGISTRY_READERS)?;
        let (info, owner, data) =
            adb::get(&self.conn, id)?.ok_or_else(|| attachment::not_found(id))?;
        self.guard(readers_of(owner))?;
        self.tx(|tx, at, actor| {
            let entity = entity_of(tx, owner)?;
            App::log(
                tx,
                at,
                actor,
                Entry::new(
                    format!("{}.view_attachment", owner.kind()),
                    owner.kind(),
                    entity,
                )
                .after(&serde_json::json!({ "attachment": id })),
            )?;
            Ok(())
        })?;
        Ok((info, data))
    }
}

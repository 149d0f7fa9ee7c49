//! Files kept with a family, a hand-over or an event. Mirrors `ui/src/ipc/attachment.ts`.

use crate::{Res, Shell};
use bansos::attachment::AttachmentInfo;
use serde::Serialize;
use tauri::State;

#[tauri::command(async)]
pub fn attachment_add(
    s: State<'_, Shell>,
    kind: String,
    id: i64,
    file_name: String,
    data: String,
    note: String,
) -> Res<AttachmentInfo> {
    s.with_app(|a| {
        let bytes = bansos::decode_file_base64(
            "file",
            &file_name,
            &data,
            bansos::limits::ATTACHMENT_BYTES,
        )?;
        a.attachment_add(&kind, id, &file_name, &bytes, &note)
    })
}

#[tauri::command(async)]
pub fn attachments_of(s: State<'_, Shell>, kind: String, id: i64) -> Res<Vec<AttachmentInfo>> {
    s.with_app(|a| a.attachments_of(&kind, id))
}

#[derive(Serialize)]
pub struct AttachmentData {
    info: AttachmentInfo,
    /// base64
    data: String,
}

#[tauri::command(async)]
pub fn attachment_get(s: State<'_, Shell>, id: i64) -> Res<AttachmentData> {
    s.with_app(|a| {
        let (info, bytes) = a.attachment(id)?;
        Ok(AttachmentData {
            info,
            data: bansos::encode_base64(&bytes),
        })
    })
}

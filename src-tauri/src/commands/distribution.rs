//! Package templates, distribution events and hand-overs. Mirrors `ui/src/ipc/distribution.ts`
//! (and the command line's `distribution.rs`).

use crate::{Res, Shell};
use bansos::distribution::{
    Eligibility, Event, EventInput, EventSummary, ShortageReport, Template, TemplateInput,
};
use bansos::handover::{Handover, HandoverPreview, Proxy};
use tauri::State;

#[tauri::command(async)]
pub fn template_list(s: State<'_, Shell>, include_retired: bool) -> Res<Vec<Template>> {
    s.with_app(|a| a.templates(include_retired))
}

#[tauri::command(async)]
pub fn template_create(s: State<'_, Shell>, input: TemplateInput) -> Res<Template> {
    let lang = s.lang();
    s.with_app(|a| a.create_template(&input, lang))
}

#[tauri::command(async)]
pub fn template_update(s: State<'_, Shell>, id: i64, input: TemplateInput) -> Res<Template> {
    let lang = s.lang();
    s.with_app(|a| a.update_template(id, &input, lang))
}

#[tauri::command(async)]
pub fn event_list(s: State<'_, Shell>) -> Res<Vec<EventSummary>> {
    s.with_app(|a| a.events())
}

#[tauri::command(async)]
pub fn event_get(s: State<'_, Shell>, id: i64) -> Res<Event> {
    s.with_app(|a| a.event(id))
}

#[tauri::command(async)]
pub fn event_create(s: State<'_, Shell>, input: EventInput) -> Res<Event> {
    s.with_app(|a| a.create_event(&input))
}

#[tauri::command(async)]
pub fn event_add_recipient(s: State<'_, Shell>, event_id: i64, family_id: i64) -> Res<Event> {
    s.with_app(|a| a.add_recipient(event_id, family_id))
}

#[tauri::command(async)]
pub fn event_remove_recipient(s: State<'_, Shell>, event_id: i64, family_id: i64) -> Res<Event> {
    s.with_app(|a| a.remove_recipient(event_id, family_id))
}

#[tauri::command(async)]
pub fn event_eligibility(
    s: State<'_, Shell>,
    event_id: i64,
    ids: Vec<i64>,
) -> Res<Vec<Eligibility>> {
    let lang = s.lang();
    s.with_app(|a| a.eligibility(event_id, &ids, lang))
}

#[tauri::command(async)]
pub fn event_shortage(s: State<'_, Shell>, event_id: i64) -> Res<ShortageReport> {
    s.with_app(|a| a.shortage_report(event_id))
}

#[tauri::command(async)]
pub fn event_approve(s: State<'_, Shell>, id: i64) -> Res<Event> {
    s.with_app(|a| a.approve_event(id))
}

#[tauri::command(async)]
pub fn event_cancel(s: State<'_, Shell>, id: i64, reason: String) -> Res<Event> {
    s.with_app(|a| a.cancel_event(id, &reason))
}

#[tauri::command(async)]
pub fn event_complete(s: State<'_, Shell>, id: i64) -> Res<Event> {
    s.with_app(|a| a.complete_event(id))
}

#[tauri::command(async)]
pub fn handover_preview(
    s: State<'_, Shell>,
    event_id: i64,
    family_id: i64,
    date: Option<String>,
) -> Res<HandoverPreview> {
    let lang = s.lang();
    s.with_app(|a| a.handover_preview(event_id, family_id, date.as_deref(), lang))
}

#[tauri::command(async)]
pub fn handover_create(
    s: State<'_, Shell>,
    event_id: i64,
    family_id: i64,
    proxy: Option<Proxy>,
    date: Option<String>,
) -> Res<Handover> {
    s.with_app(|a| a.hand_over(event_id, family_id, proxy.as_ref(), date.as_deref()))
}

#[tauri::command(async)]
pub fn handover_get(s: State<'_, Shell>, id: i64) -> Res<Handover> {
    s.with_app(|a| a.handover(id))
}

#[tauri::command(async)]
pub fn handover_list(s: State<'_, Shell>, event_id: i64) -> Res<Vec<Handover>> {
    s.with_app(|a| a.handovers_of_event(event_id))
}

#[tauri::command(async)]
pub fn handover_void(s: State<'_, Shell>, id: i64, reason: String) -> Res<Handover> {
    s.with_app(|a| a.void_handover(id, &reason))
}

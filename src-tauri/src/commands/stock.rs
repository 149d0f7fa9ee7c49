//! The stock ledger: items, receiving, balances, the stock card, adjustments, stock opname.
//! Mirrors `ui/src/ipc/stock.ts`.

use crate::{Res, Shell};
use bansos::app::SavedFile;
use bansos::stock::{
    Adjustment, AdjustmentInput, AdjustmentStatus, Donor, Item, NewItem, Opname, OpnameStatus,
    ReceiptInput, ReceiptSaved, StockCard, StockOverview,
};
use serde::Serialize;
use tauri::State;

#[tauri::command(async)]
pub fn stock_items(s: State<'_, Shell>, include_retired: bool) -> Res<Vec<Item>> {
    s.with_app(|a| a.items(include_retired))
}

#[tauri::command(async)]
pub fn stock_item_add(s: State<'_, Shell>, item: NewItem) -> Res<Item> {
    let lang = s.lang();
    s.with_app(|a| a.add_item(&item, lang))
}

#[tauri::command(async)]
pub fn stock_item_minimum(s: State<'_, Shell>, id: i64, minimum: String) -> Res<Item> {
    let lang = s.lang();
    s.with_app(|a| a.set_item_minimum(id, &minimum, lang))
}

#[tauri::command(async)]
pub fn stock_item_retire(s: State<'_, Shell>, id: i64) -> Res<Item> {
    s.with_app(|a| a.retire_item(id))
}

#[tauri::command(async)]
pub fn stock_donors(s: State<'_, Shell>) -> Res<Vec<Donor>> {
    s.with_app(|a| a.donors())
}

#[tauri::command(async)]
pub fn stock_receive(s: State<'_, Shell>, receipt: ReceiptInput) -> Res<ReceiptSaved> {
    let lang = s.lang();
    s.with_app(|a| a.receive(&receipt, lang))
}

#[tauri::command(async)]
pub fn stock_overview(s: State<'_, Shell>, as_of: Option<String>) -> Res<StockOverview> {
    s.with_app(|a| a.stock_overview(as_of.as_deref()))
}

#[tauri::command(async)]
pub fn stock_card(
    s: State<'_, Shell>,
    item_id: i64,
    from: Option<String>,
    to: Option<String>,
) -> Res<StockCard> {
    s.with_app(|a| a.stock_card(item_id, from.as_deref(), to.as_deref()))
}

#[tauri::command(async)]
pub fn stock_card_export(
    s: State<'_, Shell>,
    item_id: i64,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
    path: String,
) -> Res<SavedFile> {
    let pdf = format.as_deref() == Some("pdf");
    s.with_app(|a| {
        a.save_stock_card(
            item_id,
            from.as_deref(),
            to.as_deref(),
            pdf,
            std::path::Path::new(&path),
        )
    })
}

#[tauri::command(async)]
pub fn stock_adjust_request(s: State<'_, Shell>, adjustment: AdjustmentInput) -> Res<Adjustment> {
    let lang = s.lang();
    s.with_app(|a| a.request_adjustment(&adjustment, lang))
}

#[tauri::command(async)]
pub fn stock_adjustments(
    s: State<'_, Shell>,
    status: Option<AdjustmentStatus>,
) -> Res<Vec<Adjustment>> {
    s.with_app(|a| a.adjustments(status))
}

#[tauri::command(async)]
pub fn stock_adjust_decide(
    s: State<'_, Shell>,
    id: i64,
    approve: bool,
    note: String,
) -> Res<Adjustment> {
    s.with_app(|a| a.decide_adjustment(id, approve, &note))
}

#[tauri::command(async)]
pub fn stock_reverse(s: State<'_, Shell>, movement_id: i64, reason: String) -> Res<i64> {
    s.with_app(|a| a.reverse_movement(movement_id, &reason))
}

#[derive(Serialize)]
pub struct OpnameSummary {
    id: i64,
    status: OpnameStatus,
    date: String,
}

#[tauri::command(async)]
pub fn opname_list(s: State<'_, Shell>) -> Res<Vec<OpnameSummary>> {
    s.with_app(|a| {
        Ok(a.opname_list()?
            .into_iter()
            .map(|(id, status, date)| OpnameSummary { id, status, date })
            .collect())
    })
}

#[tauri::command(async)]
pub fn opname_start(s: State<'_, Shell>) -> Res<Opname> {
    s.with_app(|a| a.opname_start())
}

#[tauri::command(async)]
pub fn opname_get(s: State<'_, Shell>, id: i64) -> Res<Opname> {
    s.with_app(|a| a.opname_get(id))
}

#[tauri::command(async)]
pub fn opname_count(s: State<'_, Shell>, id: i64, lot_id: i64, counted: String) -> Res<Opname> {
    let lang = s.lang();
    s.with_app(|a| a.opname_count(id, lot_id, &counted, lang))
}

#[tauri::command(async)]
pub fn opname_approve(s: State<'_, Shell>, id: i64) -> Res<Opname> {
    s.with_app(|a| a.opname_approve(id))
}

#[tauri::command(async)]
pub fn opname_cancel(s: State<'_, Shell>, id: i64) -> Res<Opname> {
    s.with_app(|a| a.opname_cancel(id))
}

#[tauri::command(async)]
pub fn stock_expiry_alert_days(s: State<'_, Shell>, days: u32) -> Res<()> {
    s.with_app(|a| a.set_expiry_alert_days(days))
}

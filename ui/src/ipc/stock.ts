// The stock ledger: items, donors, receiving into lots, balances and alerts, the stock card,
// adjustments awaiting approval, reversals and stock opname. Quantities and rupiah come back as
// decimal text with a dot ("250.5"); what the person typed goes to the core as typed.
import { call } from "./core";
import type { SavedFile } from "./bindings/SavedFile";
import type { Adjustment } from "./bindings/Adjustment";
import type { AdjustmentInput } from "./bindings/AdjustmentInput";
import type { AdjustmentStatus } from "./bindings/AdjustmentStatus";
import type { Donor } from "./bindings/Donor";
import type { Item } from "./bindings/Item";
import type { NewItem } from "./bindings/NewItem";
import type { Opname } from "./bindings/Opname";
import type { OpnameStatus } from "./bindings/OpnameStatus";
import type { ReceiptInput } from "./bindings/ReceiptInput";
import type { ReceiptSaved } from "./bindings/ReceiptSaved";
import type { StockCard } from "./bindings/StockCard";
import type { StockOverview } from "./bindings/StockOverview";

/** `opname_list`: the shell's own answer type (not a core type, so it has no binding). */
export type OpnameSummary = { id: number; status: OpnameStatus; date: string };

/** Sembako first, as the core orders them; retired items only when asked. */
export function stockItems(includeRetired: boolean): Promise<Item[]> {
  return call("stock_items", { includeRetired });
}

/** Petugas and verifikator; the minimum is sent as typed ("50", "2,5", "" = none). */
export function stockItemAdd(item: NewItem): Promise<Item> {
  return call("stock_item_add", { item });
}

/** Verifikator only; as typed, "" = no minimum. */
export function stockItemMinimum(id: number, minimum: string): Promise<Item> {
  return call("stock_item_minimum", { id, minimum });
}

/** Verifikator only: the item leaves the receiving form; its history and stock stay. */
export function stockItemRetire(id: number): Promise<Item> {
  return call("stock_item_retire", { id });
}

export function stockDonors(): Promise<Donor[]> {
  return call("stock_donors", {});
}

/** One receiving, one lot per line, in one transaction. Petugas and verifikator. */
export function stockReceive(receipt: ReceiptInput): Promise<ReceiptSaved> {
  return call("stock_receive", { receipt });
}

/** Balances per item, lot (FEFO order) and funding source, with alerts; null = today. */
export function stockOverview(asOf: string | null): Promise<StockOverview> {
  return call("stock_overview", { asOf });
}

/** The kartu stok; null dates = 1 January of this year until today. */
export function stockCard(itemId: number, from: string | null, to: string | null): Promise<StockCard> {
  return call("stock_card", { itemId, from, to });
}

/** Saves the stock card as XLSX or an A4 PDF at `path` (chosen in the save dialog). */
export function stockCardExport(itemId: number, from: string | null, to: string | null, format: "xlsx" | "pdf", path: string): Promise<SavedFile> {
  return call("stock_card_export", { itemId, from, to, format, path });
}

/** Changes nothing until a verifikator (not the requester) approves it. */
export function stockAdjustRequest(adjustment: AdjustmentInput): Promise<Adjustment> {
  return call("stock_adjust_request", { adjustment });
}

/** Pending first; null = every status. */
export function stockAdjustments(status: AdjustmentStatus | null): Promise<Adjustment[]> {
  return call("stock_adjustments", { status });
}

/** Verifikator only, not on one's own request; a rejection needs a note. */
export function stockAdjustDecide(id: number, approve: boolean, note: string): Promise<Adjustment> {
  return call("stock_adjust_decide", { id, approve, note });
}

/** Verifikator only: books the opposite movement; answers with its id. */
export function stockReverse(movementId: number, reason: string): Promise<number> {
  return call("stock_reverse", { movementId, reason });
}

/** Newest first. */
export function opnameList(): Promise<OpnameSummary[]> {
  return call("opname_list", {});
}

/** Freezes every lot's recorded balance; one opname at a time. Petugas and verifikator. */
export function opnameStart(): Promise<Opname> {
  return call("opname_start", {});
}

/** For anyone but the verifikator, while counting, the sheet is blind: no recorded figures. */
export function opnameGet(id: number): Promise<Opname> {
  return call("opname_get", { id });
}

/** The counted quantity of one lot, as typed; "" = not counted. */
export function opnameCount(id: number, lotId: number, counted: string): Promise<Opname> {
  return call("opname_count", { id, lotId, counted });
}

/** Verifikator only: counted lots that differ become approved adjustments; uncounted lots stay. */
export function opnameApprove(id: number): Promise<Opname> {
  return call("opname_approve", { id });
}

export function opnameCancel(id: number): Promise<Opname> {
  return call("opname_cancel", { id });
}

/** Verifikator or admin: how many days ahead an expiry is alerted (1–365). */
export function stockExpiryAlertDays(days: number): Promise<null> {
  return call("stock_expiry_alert_days", { days });
}

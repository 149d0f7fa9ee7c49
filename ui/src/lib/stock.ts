// What the stock screens share: the choices of each enum (complete by construction: a value added
// in Rust fails the build here until it is listed), who may do what, how the core's field names
// map to input ids, and how quantities read.
import type { AdjustmentReason } from "../ipc/bindings/AdjustmentReason";
import type { AdjustmentStatus } from "../ipc/bindings/AdjustmentStatus";
import type { FundingSource } from "../ipc/bindings/FundingSource";
import type { ItemCategory } from "../ipc/bindings/ItemCategory";
import type { Lang } from "../ipc/bindings/Lang";
import type { LotBalance } from "../ipc/bindings/LotBalance";
import type { MovementKind } from "../ipc/bindings/MovementKind";
import type { OpnameStatus } from "../ipc/bindings/OpnameStatus";
import type { Role } from "../ipc/bindings/Role";
import { formatDecimal, shortIsoDate } from "../i18n/format";

function every<T extends string>(all: Record<T, true>): readonly T[] {
  return Object.keys(all) as T[];
}

export const FUNDING_SOURCES = every<FundingSource>({ csr: true, bama_kantin: true, koperasi: true, hasil_panen: true, lainnya: true });
export const ITEM_CATEGORIES = every<ItemCategory>({ sembako: true, hasil_panen: true, lainnya: true });
export const MOVEMENT_KINDS = every<MovementKind>({ receipt: true, issue: true, adjustment: true, reversal: true });
export const ADJUSTMENT_REASONS = every<AdjustmentReason>({ rusak: true, kedaluwarsa: true, hilang: true, koreksi: true, opname: true });
/** What a person may ask for by hand: opname adjustments come from a stock opname. */
export const REQUESTABLE_REASONS: readonly AdjustmentReason[] = ADJUSTMENT_REASONS.filter((r) => r !== "opname");
export const ADJUSTMENT_STATUSES = every<AdjustmentStatus>({ pending: true, approved: true, rejected: true });
export const OPNAME_STATUSES = every<OpnameStatus>({ counting: true, approved: true, cancelled: true });

// Who may do what, as the core checks it (the core still refuses anything else).
const KEEPERS: readonly Role[] = ["petugas", "verifikator"];

/** Receiving, adding items, asking for adjustments, counting a stock opname. */
export const canKeepStock = (role: Role) => KEEPERS.includes(role);
/** Approving adjustments and opnames, reversing movements, minimums, retiring items. */
export const canVerifyStock = (role: Role) => role === "verifikator";
/** How many days ahead an expiry is alerted. */
export const canSetExpiryAlert = (role: Role) => role === "verifikator" || role === "admin";

/** "line.3.quantity" → "line-3-quantity"; anything else "x" → "receive-x". */
export function receiveInputId(field: string): string {
  const line = /^line\.(\d+)\.(\w+)$/.exec(field);
  if (line) return `line-${line[1]}-${line[2]}`;
  return `receive-${field}`;
}

/** "250,5 kg": a quantity from the core with its unit. */
export const quantity = (text: string, unit: string, lang: Lang) => `${formatDecimal(text, lang)} ${unit}`;

/** A badge class for each status of an adjustment or an opname. */
export function statusBadge(status: AdjustmentStatus | OpnameStatus): string {
  switch (status) {
    case "pending":
    case "counting":
      return "badge-warning";
    case "approved":
      return "badge-ok";
    case "rejected":
    case "cancelled":
      return "badge-muted";
  }
}

/** The parts of a lot's label: "Beras — lot B-01 (exp 30 Jun 2025) — 250,5 kg". */
export function lotLabelParams(itemName: string, unit: string, lot: LotBalance, lang: Lang) {
  return {
    item: itemName,
    lot: lot.lot_code,
    expiry: lot.expiry ? shortIsoDate(lot.expiry, lang) : "",
    qty: quantity(lot.quantity, unit, lang),
  };
}

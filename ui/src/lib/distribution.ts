// What the distribution screens share: the choices of each enum (complete by construction: a
// value added in Rust fails the build here until it is listed), who may do what, how the core's
// field names map to input ids, how a package reads (the core scales it to a household), and printing receipts from the window.
import { tick } from "svelte";
import type { EventKind } from "../ipc/bindings/EventKind";
import type { EventStatus } from "../ipc/bindings/EventStatus";
import type { Lang } from "../ipc/bindings/Lang";
import type { Role } from "../ipc/bindings/Role";
import { formatDecimal, longDate, parseIsoDate } from "../i18n/format";
import { printPage } from "../ipc/receipt";

function every<T extends string>(all: Record<T, true>): readonly T[] {
  return Object.keys(all) as T[];
}

export const EVENT_KINDS = every<EventKind>({ rutin_bulanan: true, serentak_nasional: true, hari_besar: true, kunjungan_rumah: true });
export const EVENT_STATUSES = every<EventStatus>({ draft: true, approved: true, completed: true, cancelled: true });

// Who may do what, as the core checks it (the core still refuses anything else).
const PLANNERS: readonly Role[] = ["petugas", "verifikator"];

/** Templates, events, recipients, hand-overs, printing receipts and their PDFs, attachments. */
export const canPlan = (role: Role) => PLANNERS.includes(role);
/** Approving events, voiding receipts, cancelling an approved event. */
export const canVerifyDistribution = (role: Role) => role === "verifikator";

/** A badge class for each status of an event. */
export function eventStatusBadge(status: EventStatus): string {
  switch (status) {
    case "draft":
      return "badge-warning";
    case "approved":
      return "badge-info";
    case "completed":
      return "badge-ok";
    case "cancelled":
      return "badge-muted";
  }
}

/** "line.0.quantity" (or "lines.0.quantity") → "tline-0-quantity"; anything else "x" → "template-x". */
export function templateInputId(field: string): string {
  const line = /^lines?\.(\d+)\.(\w+)$/.exec(field);
  if (line) return `tline-${line[1]}-${line[2]}`;
  return `template-${field}`;
}

/** "officials.0.name" → "official-0-name"; anything else "x" → "event-x". */
export function eventInputId(field: string): string {
  const row = /^officials?\.(\d+)\.(\w+)$/.exec(field);
  if (row) return `official-${row[1]}-${row[2]}`;
  return `event-${field}`;
}

/** "proxy.nik" → "proxy-nik". */
export function proxyInputId(field: string): string | undefined {
  const m = /^proxy\.(name|nik|relation)$/.exec(field);
  return m ? `proxy-${m[1]}` : undefined;
}

/** An event's date as "Sabtu, 16 November 2024"; text that is not a date is shown unchanged. */
export function eventDate(iso: string, lang: Lang): string {
  const d = parseIsoDate(iso);
  return d ? longDate(d, lang) : iso;
}

/** "Beras 10 kg, Minyak goreng 2 liter": lines with their quantities in the reader's language. */
export function linesText(lines: readonly { item: string; quantity: string; unit: string }[], lang: Lang): string {
  return lines.map((l) => `${l.item} ${formatDecimal(l.quantity, lang)} ${l.unit}`).join(", ");
}

/** A decimal text from the core is zero ("0", "0.000"). */
export const isZero = (text: string) => /^-?0*(\.0*)?$/.test(text.trim());

/**
 * Opens the system print dialog once the sheets just rendered (and their logo) are ready. The
 * print CSS in app.css hides everything marked `no-print` and shows what is `print-only`.
 */
export async function printSheets(): Promise<void> {
  await tick();
  const images = Array.from(document.querySelectorAll<HTMLImageElement>(".bast-sheet img"));
  const decoded = Promise.all(images.map((img) => img.decode().catch(() => undefined)));
  // A picture that never finishes decoding must not keep the print dialog from opening.
  await Promise.race([decoded, new Promise((resolve) => setTimeout(resolve, 1000))]);
  await printPage();
}

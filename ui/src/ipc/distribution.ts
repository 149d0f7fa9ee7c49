// Distribution: package templates (paket sembako), events with their planned recipients and the
// shortage report, hand-overs and their BAST receipts (viewing, printing, PDFs, voiding), checking
// a scanned receipt, and the files kept with an event or a hand-over. Quantities come back as
// decimal text with a dot ("2.5"); what the person typed goes to the core as typed.
import { call } from "./core";
import type { AttachmentInfo } from "./bindings/AttachmentInfo";
import type { BastPaper } from "./bindings/BastPaper";
import type { Eligibility } from "./bindings/Eligibility";
import type { Event } from "./bindings/Event";
import type { EventInput } from "./bindings/EventInput";
import type { Handover } from "./bindings/Handover";
import type { Proxy } from "./bindings/Proxy";
import type { ReceiptCheck } from "./bindings/ReceiptCheck";
import type { ShortageReport } from "./bindings/ShortageReport";
import type { Template } from "./bindings/Template";
import type { TemplateInput } from "./bindings/TemplateInput";

/** `receipt_pdf_save`, `event_receipts_save`, `attendance_save`: the shell's own answer type. */
export type SavedFile = { path: string };

/** Whose files `attachments_of` lists. */
export type AttachmentOwner = "handover" | "event" | "family";

/** The latest version of each template, by name; retired ones only when asked. */
export function templateList(includeRetired: boolean): Promise<Template[]> {
  return call("template_list", { includeRetired });
}

/** Petugas and verifikator; quantities as typed ("10", "0,5"). */
export function templateCreate(input: TemplateInput): Promise<Template> {
  return call("template_create", { input });
}

/**
 * Changes a template in place while no event uses it; once one does, the change is saved as the
 * next version (the answer then has the new id and version) and events keep the one they had.
 */
export function templateUpdate(id: number, input: TemplateInput): Promise<Template> {
  return call("template_update", { id, input });
}

/** The latest 200 events, newest date first, each with its planned recipients. */
export function eventList(): Promise<Event[]> {
  return call("event_list", {});
}

export function eventGet(id: number): Promise<Event> {
  return call("event_get", { id });
}

/** A new event starts as a draft. Petugas and verifikator. */
export function eventCreate(input: EventInput): Promise<Event> {
  return call("event_create", { input });
}

/** Plans a family while the event is a draft; a refusal names the rule that refused it. */
export function eventAddRecipient(eventId: number, familyId: number): Promise<Event> {
  return call("event_add_recipient", { eventId, familyId });
}

/** Only while the event is a draft. */
export function eventRemoveRecipient(eventId: number, familyId: number): Promise<Event> {
  return call("event_remove_recipient", { eventId, familyId });
}

/**
 * Whether each family may be planned for the event: `reason` null = it may; otherwise `message`
 * (already in the UI language) says which rule refuses it. A family already on this event's list
 * is not flagged here.
 */
export function eventEligibility(eventId: number, ids: number[]): Promise<Eligibility[]> {
  return call("event_eligibility", { eventId, ids });
}

/** What the planned list needs, item by item, against the stock (of the event's funding source). */
export function eventShortage(eventId: number): Promise<ShortageReport> {
  return call("event_shortage", { eventId });
}

/** Verifikator only; refused while the list is empty or some item is short. */
export function eventApprove(id: number): Promise<Event> {
  return call("event_approve", { id });
}

/** A draft by petugas or verifikator, an approved event by the verifikator; the reason is required. */
export function eventCancel(id: number, reason: string): Promise<Event> {
  return call("event_cancel", { id, reason });
}

/** Closes an approved event: no more hand-overs. Petugas and verifikator. */
export function eventComplete(id: number): Promise<Event> {
  return call("event_complete", { id });
}

/**
 * Hands the package to a planned family (or to its proxy), issuing the stock and taking the next
 * BAST number in one transaction. Refused when the family was served this period already, or when
 * an item is short (the message names it).
 */
export function handoverCreate(eventId: number, familyId: number, proxy: Proxy | null): Promise<Handover> {
  return call("handover_create", { eventId, familyId, proxy });
}

export function handoverGet(id: number): Promise<Handover> {
  return call("handover_get", { id });
}

/** Every hand-over of an event, void ones included. */
export function handoverList(eventId: number): Promise<Handover[]> {
  return call("handover_list", { eventId });
}

/** Verifikator only: returns the stock exactly and keeps the number; the reason is required. */
export function handoverVoid(id: number, reason: string): Promise<Handover> {
  return call("handover_void", { id, reason });
}

/** The receipt as the next print would show it: mark "" (original), "SALINAN" or "BATAL". */
export function bastPaper(id: number): Promise<BastPaper> {
  return call("bast_paper", { id });
}

/**
 * Records that the receipts are being printed (the first print of each is the original, later
 * ones are copies) and returns what each print shows; the window then calls `printPage()`.
 */
export function receiptPrint(ids: number[]): Promise<BastPaper[]> {
  return call("receipt_print", { ids });
}

/** Opens the system print dialog for the window as it is now (the print CSS shows only the sheets). */
export function printPage(): Promise<void> {
  return call("print_page", {});
}

/** The facility logo as base64 PNG for the letterhead; null = none. */
export function letterheadLogo(): Promise<string | null> {
  return call("letterhead_logo", {});
}

/** Writes one receipt as an A4 PDF into ~/Documents/Bansos (counts as a print) and says where. */
export function receiptPdfSave(id: number): Promise<SavedFile> {
  return call("receipt_pdf_save", { id });
}

/** Writes all of an event's receipts, in number order, as one PDF (counts as printing each). */
export function eventReceiptsSave(eventId: number): Promise<SavedFile> {
  return call("event_receipts_save", { eventId });
}

/** Writes the by-name attendance list of an event's planned recipients, with a column to sign. */
export function attendanceSave(eventId: number): Promise<SavedFile> {
  return call("attendance_save", { eventId });
}

/** Checks a scanned QR payload offline; `nik` (optional) is compared without being shown. */
export function receiptVerify(payload: string, nik: string | null): Promise<ReceiptCheck> {
  return call("receipt_verify", { payload, nik });
}

/** Like `receiptVerify`, reading the QR code from a photo or scan (PNG, JPEG) as base64. */
export function receiptVerifyImage(data: string, nik: string | null): Promise<ReceiptCheck> {
  return call("receipt_verify_image", { data, nik });
}

/** Keeps the scan of the signed receipt (PDF, PNG or JPEG, as base64) with a hand-over. */
export function handoverAttach(id: number, fileName: string, data: string, note: string): Promise<AttachmentInfo> {
  return call("handover_attach", { id, fileName, data, note });
}

/** Keeps event photos or the signed attendance list (as base64) with an event. */
export function eventAttach(id: number, fileName: string, data: string, note: string): Promise<AttachmentInfo> {
  return call("event_attach", { id, fileName, data, note });
}

/** The files kept with a hand-over or an event; `attachmentGet` (ipc/family) opens one. */
export function attachmentsOf(kind: AttachmentOwner, id: number): Promise<AttachmentInfo[]> {
  return call("attachments_of", { kind, id });
}

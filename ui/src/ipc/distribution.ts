// Distribution: package templates (paket sembako), events with their planned recipients and the
// shortage report, and hand-overs (with their preview and voiding). The BAST papers are in
// `receipt.ts`, the files kept with a record in `attachment.ts`. Quantities come back as decimal
// text with a dot ("2.5"); what the person typed goes to the core as typed.
import { call } from "./core";
import type { Eligibility } from "./bindings/Eligibility";
import type { Event } from "./bindings/Event";
import type { EventInput } from "./bindings/EventInput";
import type { EventSummary } from "./bindings/EventSummary";
import type { Handover } from "./bindings/Handover";
import type { HandoverPreview } from "./bindings/HandoverPreview";
import type { Proxy } from "./bindings/Proxy";
import type { ShortageReport } from "./bindings/ShortageReport";
import type { Template } from "./bindings/Template";
import type { TemplateInput } from "./bindings/TemplateInput";

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
export function eventList(): Promise<EventSummary[]> {
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
export function handoverCreate(
  eventId: number,
  familyId: number,
  proxy: Proxy | null,
  date: string | null,
): Promise<Handover> {
  return call("handover_create", { eventId, familyId, proxy, date });
}

/**
 * What a hand-over on `date` (null = today) would take, lot by lot, with a warning for each lot
 * that expires within the alert window; writes nothing. Refused as the hand-over would be.
 */
export function handoverPreview(eventId: number, familyId: number, date: string | null): Promise<HandoverPreview> {
  return call("handover_preview", { eventId, familyId, date });
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

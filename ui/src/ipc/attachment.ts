// Files kept with a record: a family's documents, the scan of a signed BAST, event photos. One
// owner type for all three; the core tells a file's kind by its first bytes.
import { call } from "./core";
import type { AttachmentInfo } from "./bindings/AttachmentInfo";

/** Whose files these are. */
export type AttachmentOwner = "family" | "handover" | "event";

/** An attachment's details and bytes. */
export type AttachmentData = { info: AttachmentInfo; /** base64 */ data: string };

/** Keeps a file (PDF, PNG or JPEG, as base64; at most 8 MB) with a record. */
export function attachmentAdd(
  kind: AttachmentOwner,
  id: number,
  fileName: string,
  data: string,
  note: string,
): Promise<AttachmentInfo> {
  return call("attachment_add", { kind, id, fileName, data, note });
}

/** The files kept with one record, oldest first. */
export function attachmentsOf(kind: AttachmentOwner, id: number): Promise<AttachmentInfo[]> {
  return call("attachments_of", { kind, id });
}

/** Opens one file (the opening is written to the audit log). */
export function attachmentGet(id: number): Promise<AttachmentData> {
  return call("attachment_get", { id });
}

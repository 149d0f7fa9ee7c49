// The beneficiary registry: families and their members, region codes for addresses, duplicate
// pairs, and importing or exporting the whole list. Scans kept with a family: `attachment.ts`.
import { call } from "./core";
import type { Category } from "./bindings/Category";
import type { DuplicatePair } from "./bindings/DuplicatePair";
import type { DuplicateStatus } from "./bindings/DuplicateStatus";
import type { FamilyCheck } from "./bindings/FamilyCheck";
import type { FamilyDetail } from "./bindings/FamilyDetail";
import type { FamilyFilter } from "./bindings/FamilyFilter";
import type { FamilyInput } from "./bindings/FamilyInput";
import type { FamilyPage } from "./bindings/FamilyPage";
import type { ImportField } from "./bindings/ImportField";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportResult } from "./bindings/ImportResult";
import type { Region } from "./bindings/Region";
import type { Resolution } from "./bindings/Resolution";
import type { Saved } from "./bindings/Saved";
import type { SavedFile } from "./bindings/SavedFile";

/** One column-mapping entry per sheet header; null = the column is ignored. */
export type ImportMapping = (ImportField | null)[];

/** The regions one level below `parent`: "" = provinces, then regencies (2), districts (4), villages (6). */
export function regionChildren(parent: string): Promise<Region[]> {
  return call("region_children", { parent });
}

/** With a query the rows come best match first; `total` counts everything the filter matches. */
export function familyList(filter: FamilyFilter, limit: number, offset: number): Promise<FamilyPage> {
  return call("family_list", { filter, limit, offset });
}

/** The full record. The core logs every opening in the audit trail. */
export function familyGet(id: number): Promise<FamilyDetail> {
  return call("family_get", { id });
}

/** Everything the form would refuse or warn about, without saving; `editing` = the family being edited. */
export function familyCheck(input: FamilyInput, editing: number | null): Promise<FamilyCheck> {
  return call("family_check", { input, editing });
}

export function familyAdd(input: FamilyInput): Promise<Saved> {
  return call("family_add", { input });
}

/** A changed No. KK needs `input.kk_change_reason`. */
export function familyUpdate(id: number, input: FamilyInput): Promise<Saved> {
  return call("family_update", { id, input });
}

/** Verifikator only; `evidence` says what was checked (KTP, KK, SKTM…). */
export function familyVerify(id: number, evidence: string): Promise<FamilyDetail> {
  return call("family_verify", { id, evidence });
}

/** Deactivating needs a reason; activating does not. */
export function familySetActive(id: number, active: boolean, reason: string): Promise<FamilyDetail> {
  return call("family_set_active", { id, active, reason });
}

/** Open pairs first; null = every status. */
export function duplicateList(status: DuplicateStatus | null): Promise<DuplicatePair[]> {
  return call("duplicate_list", { status });
}

/** Verifikator only; the note is required. */
export function duplicateResolve(id: number, resolution: Resolution): Promise<null> {
  return call("duplicate_resolve", { id, resolution });
}

/** What importing the sheet would do, row by row; `mapping` null = remembered or guessed. Changes nothing. */
export function importPreview(fileName: string, data: string, mapping: ImportMapping | null, category: Category): Promise<ImportPreview> {
  return call("import_preview", { fileName, data, mapping, category });
}

/** Imports the valid rows in one transaction: all of them, or none if writing fails. */
export function importCommit(fileName: string, data: string, mapping: ImportMapping | null, category: Category): Promise<ImportResult> {
  return call("import_commit", { fileName, data, mapping, category });
}

/** Writes the registry as XLSX at `path` (chosen in the save dialog: see lib/save.ts). */
export function familyExport(path: string): Promise<SavedFile> {
  return call("family_export", { path });
}

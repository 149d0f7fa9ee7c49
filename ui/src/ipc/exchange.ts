// The exchange with the regional office (Kanwil), both sides. At a facility: the registration file
// (Kepala UPT or Admin), importing the Kanwil's enrollment, the outbox of monthly bundles (each
// saved where the save dialog says: a folder, a stick) and importing the Kanwil's answers. At a
// Kanwil (regional mode): registering facilities from their registration files, revoking a key,
// the head answer for a restored facility, importing bundles with one verdict each, the recap,
// completeness and people served by two facilities. A facility with its Kanwil's inbox address
// sends its bundles over the network too: a person's "Kirim sekarang", and rounds in the
// background that say when they changed the outbox. A facility may change its signing key (the
// statement goes to the Kanwil, which takes it when importing bundles) and makes a by-name list
// when its Kanwil asks for one; the Kanwil opens it and saves it as XLSX. Files are read from the
// paths the open dialog gave (lib/open.ts) and saved at the path the save dialog gave (lib/save.ts).
import { listen } from "@tauri-apps/api/event";
import { call } from "./core";
import type { AnswerOutcome } from "./bindings/AnswerOutcome";
import type { ByNameMade } from "./bindings/ByNameMade";
import type { ByNameOpened } from "./bindings/ByNameOpened";
import type { CompletenessRow } from "./bindings/CompletenessRow";
import type { CrossPair } from "./bindings/CrossPair";
import type { EnrollmentInfo } from "./bindings/EnrollmentInfo";
import type { FileOutcome } from "./bindings/FileOutcome";
import type { KeyRotated } from "./bindings/KeyRotated";
import type { MemberFacility } from "./bindings/MemberFacility";
import type { OutboxState } from "./bindings/OutboxState";
import type { Recap } from "./bindings/Recap";
import type { Registered } from "./bindings/Registered";
import type { SavedFile } from "./bindings/SavedFile";
import type { SendReport } from "./bindings/SendReport";

/** One bundle's verdict at the Kanwil, and what importing bundles did. */
export type { BundleVerdict } from "./bindings/BundleVerdict";
export type { ImportReport as BundleImportReport } from "./bindings/ImportReport";
import type { ImportReport } from "./bindings/ImportReport";

// ---- at a facility ----

/** Signs this facility's registration file (its profile and public keys) and saves it at `path`. Kepala UPT or Admin. */
export function registrationSave(path: string): Promise<SavedFile> {
  return call("registration_save", { path });
}

/**
 * Imports the Kanwil's enrollment file at `path`. A Kanwil key not known here is refused (field
 * `fingerprint`) until the fingerprint read out on the telephone is given. Kepala UPT or Admin.
 */
export function enrollmentImport(path: string, fingerprint: string | null): Promise<EnrollmentInfo> {
  return call("enrollment_import", { path, fingerprint });
}

/** The enrollment, closed months waiting for a bundle, and every bundle with its state. */
export function outboxState(): Promise<OutboxState> {
  return call("outbox_state", {});
}

/**
 * Sets the Kanwil's inbox address (https://…); an empty one clears it, and bundles then go by file
 * only. A bad address is refused at field `url`. Kepala UPT or Admin. Gives the address as stored.
 */
export function inboxUrlSet(url: string): Promise<string | null> {
  return call("inbox_url_set", { url });
}

/**
 * Sends every bundle the Kanwil has not answered for good to its inbox now, in order, those
 * stopped or waiting their next try too: one line per bundle tried.
 */
export function outboxSendNow(): Promise<SendReport> {
  return call("outbox_send_now", {});
}

/** The shell's event after a background round changed the outbox (`src-tauri/src/upload.rs`). */
const OUTBOX_CHANGED = "outbox-changed";

/** Calls `f` whenever a round in the background changed the outbox; returns what stops listening. */
export function onOutboxChanged(f: () => void): () => void {
  // Without the event the screen still shows what its own actions and its Refresh load.
  const stop = listen(OUTBOX_CHANGED, () => f()).catch(() => null);
  return () => {
    void stop.then((unlisten) => unlisten?.());
  };
}

/** Saves bundle `seq` (its stored bytes, the same every time) at `path`; the bundle counts as sent. */
export function bundleSave(seq: number, path: string): Promise<SavedFile> {
  return call("bundle_save", { seq, path });
}

/** Imports the Kanwil's answer files (or folders of them), each on its own: one outcome per file. */
export function answersImport(paths: string[]): Promise<FileOutcome<AnswerOutcome>[]> {
  return call("answers_import", { paths });
}

/**
 * Replaces this facility's signing key (Kepala UPT or Admin), with a reason. The old key is kept
 * so what it signed still checks; the Kanwil takes it for the bundles it had signed only, once it
 * has the statement, which is then saved with `rotationSave`.
 */
export function keyRotate(reason: string): Promise<KeyRotated> {
  return call("key_rotate", { reason });
}

/** The file name of the latest key rotation statement. */
export function rotationName(): Promise<string> {
  return call("rotation_name", {});
}

/** Saves the latest key rotation statement (the same every time) at `path`. */
export function rotationSave(path: string): Promise<SavedFile> {
  return call("rotation_save", { path });
}

/**
 * Makes the by-name list of a closed `period` that the Kanwil asked for by letter `reference`,
 * encrypted to the Kanwil only, and saves it at `path`. Kepala UPT or Admin.
 */
export function bynameSave(period: string, reference: string, path: string): Promise<[ByNameMade, SavedFile]> {
  return call("byname_save", { period, reference, path });
}

// ---- at a Kanwil (regional mode) ----

/** Reads a facility's registration file at `path` without registering it: what to compare by telephone. */
export function registrationRead(path: string): Promise<Registered> {
  return call("registration_read", { path });
}

/**
 * Registers the facility whose registration file is at `path`, once `fingerprint` (read out on
 * the telephone) matches its key, and saves its enrollment file at `enrollment`.
 */
export function facilityRegister(path: string, fingerprint: string, enrollment: string): Promise<SavedFile> {
  return call("facility_register", { path, fingerprint, enrollment });
}

/** The facilities registered with this Kanwil, with where each one's chain stands. */
export function members(): Promise<MemberFacility[]> {
  return call("members", {});
}

/** Revokes a facility's keys (a lost or stolen PC), with a reason. */
export function memberRevoke(code: string, reason: string): Promise<void> {
  return call("member_revoke", { code, reason });
}

/** A fresh signed answer naming where facility `code`'s chain stands (for a restored facility), saved at `path`. */
export function headAnswerSave(code: string, path: string): Promise<SavedFile> {
  return call("head_answer_save", { code, path });
}

/** Imports bundle files (or folders of them): one verdict each; every answer is saved in the folder `answers`. */
export function bundlesImport(paths: string[], answers: string): Promise<ImportReport> {
  return call("bundles_import", { paths, answers });
}

/** The province's recap of `period` ("2024-11") from the bundles accepted. */
export function regionalRecap(period: string): Promise<Recap> {
  return call("regional_recap", { period });
}

/** The recap of `period` as PDF or XLSX, saved at `path`. */
export function regionalRecapSave(period: string, format: "pdf" | "xlsx", path: string): Promise<SavedFile> {
  return call("regional_recap_save", { period, format, path });
}

/** Who has reported `period`, on time or how late. */
export function regionalCompleteness(period: string): Promise<CompletenessRow[]> {
  return call("regional_completeness", { period });
}

/** People served by two facilities in `period`, as pairs of BAST numbers (never a NIK). */
export function regionalDuplicates(period: string): Promise<CrossPair[]> {
  return call("regional_duplicates", { period });
}

/** The day of the following month by which reports are due (1–28). Kepala UPT or Admin. */
export function dueDaySet(day: number): Promise<void> {
  return call("due_day_set", { day });
}

/** Opens a facility's by-name list at `path` (checked, decrypted, the opening logged). Kepala or Admin. */
export function bynameOpen(path: string): Promise<ByNameOpened> {
  return call("byname_open", { path });
}

/** The by-name list at `source`, opened again and saved as XLSX at `path`. */
export function bynameXlsxSave(source: string, path: string): Promise<SavedFile> {
  return call("byname_xlsx_save", { source, path });
}

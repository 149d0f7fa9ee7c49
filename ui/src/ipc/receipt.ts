// The BAST (Berita Acara Serah Terima): the paper as the next print shows it, printing through
// the system dialog, PDFs saved where the save dialog said (an event's papers too), and checking
// a scanned or photographed receipt, or a public summary file, offline.
import { call } from "./core";
import type { BastPaper } from "./bindings/BastPaper";
import type { ReceiptCheck } from "./bindings/ReceiptCheck";
import type { SavedFile } from "./bindings/SavedFile";
import type { SummaryCheck } from "./bindings/SummaryCheck";

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

/** Writes one receipt as an A4 PDF at `path` (counts as a print once it is written). */
export function receiptPdfSave(id: number, path: string): Promise<SavedFile> {
  return call("receipt_pdf_save", { id, path });
}

/** Writes all of an event's receipts, in number order, as one PDF (counts as printing each). */
export function eventReceiptsSave(eventId: number, path: string): Promise<SavedFile> {
  return call("event_receipts_save", { eventId, path });
}

/** Writes the by-name attendance list of an event's planned recipients, with a column to sign. */
export function attendanceSave(eventId: number, path: string): Promise<SavedFile> {
  return call("attendance_save", { eventId, path });
}

/** Checks a scanned QR payload offline; `nik` (optional) is compared without being shown. */
export function receiptVerify(payload: string, nik: string | null): Promise<ReceiptCheck> {
  return call("receipt_verify", { payload, nik });
}

/** Like `receiptVerify`, reading the QR code from a photo or scan (PNG, JPEG) as base64. */
export function receiptVerifyImage(data: string, nik: string | null): Promise<ReceiptCheck> {
  return call("receipt_verify_image", { data, nik });
}

/** The largest public summary file checked (bansos::limits::SUMMARY_FILE_BYTES; the core refuses more too). */
export const SUMMARY_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Checks a public summary file (PDF or HTML, as base64): the facility's signature, and that the
 * page shows exactly the signed figures.
 */
export function summaryVerify(data: string): Promise<SummaryCheck> {
  return call("summary_verify", { data });
}

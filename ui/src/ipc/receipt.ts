// The BAST (Berita Acara Serah Terima): the paper as the next print shows it, printing through
// the system dialog, PDFs saved into ~/Documents/Bansos (an event's papers too), and checking a
// scanned or photographed receipt offline.
import { call } from "./core";
import type { BastPaper } from "./bindings/BastPaper";
import type { ReceiptCheck } from "./bindings/ReceiptCheck";
import type { SavedFile } from "./bindings/SavedFile";

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

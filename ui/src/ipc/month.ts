// Monthly closing (tutup buku): the months from the facility's first with their state, a month's
// checklist, closing and reopening (the Kepala UPT only; the core refuses anyone else), the
// stored report of a closed month and its PDF or XLSX, and the public summary of a closed month or a
// completed event (its words for the preview, its signed PDF or HTML), each saved at the path the
// save dialog gave (lib/save.ts).
import { call } from "./core";
import type { Checklist } from "./bindings/Checklist";
import type { Closing } from "./bindings/Closing";
import type { MonthLine } from "./bindings/MonthLine";
import type { MonthOverview } from "./bindings/MonthOverview";
import type { MonthlyReport } from "./bindings/MonthlyReport";
import type { SavedFile } from "./bindings/SavedFile";
import type { SummaryWords } from "./bindings/SummaryWords";

/** Oldest first, from the facility's first month to the current one. */
export function monthList(): Promise<MonthLine[]> {
  return call("month_list", {});
}

/** Tutup Buku as it opens: the months, and the checklist of the month that may be closed now. */
export function monthOverview(): Promise<MonthOverview> {
  return call("month_overview", {});
}

/** What blocks the closing of `period` ("2024-11"), and what is worth a look. */
export function monthChecklist(period: string): Promise<Checklist> {
  return call("month_checklist", { period });
}

/** Locks the month's records and stores its report (the next revision after a reopening). */
export function monthClose(period: string): Promise<Closing> {
  return call("month_close", { period });
}

/** The latest closed month only, with a reason. */
export function monthReopen(period: string, reason: string): Promise<Closing> {
  return call("month_reopen", { period, reason });
}

/** The stored report of a closed month: its latest revision unless one is asked for. */
export function monthReport(period: string, revision: number | null = null): Promise<MonthlyReport> {
  return call("month_report", { period, revision });
}

/** Saves the stored report, byte for byte as it was closed, as PDF or XLSX at `path`. */
export function monthReportSave(period: string, revision: number | null, format: "pdf" | "xlsx", path: string): Promise<SavedFile> {
  return call("month_report_save", { period, revision, format, path });
}

/** A closed month's public summary in the words (Indonesian) and order its PDF and HTML print. */
export function monthSummary(period: string): Promise<SummaryWords> {
  return call("month_summary", { period });
}

/** Signs a closed month's public summary and saves it as PDF or HTML at `path`. */
export function monthSummarySave(period: string, format: "pdf" | "html", path: string): Promise<SavedFile> {
  return call("month_summary_save", { period, format, path });
}

/** Signs a completed event's public summary and saves it as PDF or HTML at `path`. */
export function eventSummarySave(eventId: number, format: "pdf" | "html", path: string): Promise<SavedFile> {
  return call("event_summary_save", { eventId, format, path });
}

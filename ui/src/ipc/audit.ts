// The hash-chained audit log: reading it page by page, and checking the chain.
import { call } from "./core";
import type { AuditEntry } from "./bindings/AuditEntry";
import type { AuditReport } from "./bindings/AuditReport";

/** Newest first; pass the smallest seq already shown as `beforeSeq` for the next page. */
export function auditList(beforeSeq: number | null, limit: number): Promise<AuditEntry[]> {
  return call("audit_list", { beforeSeq, limit });
}

export function auditVerify(): Promise<AuditReport> {
  return call("audit_verify");
}

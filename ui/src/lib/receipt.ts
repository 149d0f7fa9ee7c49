// The receipt (BAST) number preview. Mirrors `render_receipt_number` in src/facility/mod.rs so
// the preview shows exactly what will be printed; the core alone decides whether a pattern is valid.
import { romanMonth } from "../i18n/format";

export const DEFAULT_RECEIPT_PATTERN = "{seq:3}/BAST-BANSOS/{code}/{month_roman}/{year}";

export function renderReceiptNumber(pattern: string, seq: number, code: string, month: number, year: number): string {
  let out = "";
  let rest = pattern;
  for (let open = rest.indexOf("{"); open !== -1; open = rest.indexOf("{")) {
    out += rest.slice(0, open);
    const close = rest.indexOf("}", open);
    // An unclosed brace is shown as typed; the core refuses such a pattern when it is saved.
    if (close === -1) return out + rest.slice(open);
    const inner = rest.slice(open + 1, close);
    const colon = inner.indexOf(":");
    const name = colon === -1 ? inner : inner.slice(0, colon);
    const width = colon === -1 ? "" : inner.slice(colon + 1);
    if (name === "seq") out += String(seq).padStart(/^\d+$/.test(width) ? Number(width) : 1, "0");
    else if (name === "code") out += code;
    else if (name === "month_roman") out += romanMonth(month);
    else if (name === "month") out += String(month).padStart(2, "0");
    else if (name === "year") out += String(year);
    rest = rest.slice(close + 1);
  }
  return out + rest;
}

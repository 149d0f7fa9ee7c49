// A one-line summary of an audit entry's old → new JSON, so the list reads at a glance; the full
// values are shown when a row is expanded.

export type ChangeSummary =
  | { kind: "none" }
  | { kind: "created" }
  | { kind: "deleted" }
  | { kind: "changed"; parts: string[]; more: boolean };

/** How many changed fields the one-line summary names before "…". */
const MAX_PARTS = 3;
const MAX_VALUE_CHARS = 40;

function parse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    // Stored text that is not JSON is still worth showing as it is.
    return json;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function short(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v) ?? "—";
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s;
}

export function summarizeChange(oldJson: string | null, newJson: string | null): ChangeSummary {
  if (oldJson === null && newJson === null) return { kind: "none" };
  if (oldJson === null) return { kind: "created" };
  if (newJson === null) return { kind: "deleted" };
  const before = parse(oldJson);
  const after = parse(newJson);
  if (!isRecord(before) || !isRecord(after)) {
    return { kind: "changed", parts: [`${short(before)} → ${short(after)}`], more: false };
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changed = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return {
    kind: "changed",
    parts: changed.slice(0, MAX_PARTS).map((k) => `${k}: ${short(before[k] ?? null)} → ${short(after[k] ?? null)}`),
    more: changed.length > MAX_PARTS,
  };
}

/** The stored JSON, indented for reading. */
export function prettyJson(json: string): string {
  const v = parse(json);
  return typeof v === "string" ? v : JSON.stringify(v, null, 2);
}

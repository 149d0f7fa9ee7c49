// Display formatting that mirrors the core's `locale` module (src/locale/mod.rs), so a date or
// number reads the same on screen as on a printed BAST. Time is always shown in the facility's
// zone, computed from the fixed offset: the office PC's own zone setting must not matter, and
// Indonesia has no daylight saving, so a fixed offset is exact.
import type { Lang } from "../ipc/bindings/Lang";
import type { TimeZone } from "../ipc/bindings/TimeZone";

const MONTHS: Record<Lang, readonly string[]> = {
  id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
};

/** Index 0 = Sunday, as `Date.getUTCDay` counts. */
const WEEKDAYS: Record<Lang, readonly string[]> = {
  id: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

const OFFSET_HOURS: Record<TimeZone, number> = { WIB: 7, WITA: 8, WIT: 9 };

/** A calendar date without a time or zone; month is 1..12. */
export type CivilDate = { year: number; month: number; day: number };

/** The wall clock in `tz` at `instant`, read back through the UTC getters. */
function shifted(instant: number, tz: TimeZone): Date {
  return new Date(instant + OFFSET_HOURS[tz] * 3_600_000);
}

/** Today's date on the facility's calendar, which can be a day ahead of UTC in the morning. */
export function todayIn(tz: TimeZone): CivilDate {
  const d = shifted(Date.now(), tz);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** "Sabtu, 16 November 2024" / "Saturday, 16 November 2024" (day first in both, as the core does). */
export function longDate(d: CivilDate, lang: Lang): string {
  const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return `${WEEKDAYS[lang][weekday]}, ${d.day} ${MONTHS[lang][d.month - 1]} ${d.year}`;
}

/**
 * An RFC 3339 instant as "Sabtu, 16 November 2024 14.05 WIB" (Indonesian separates hours and
 * minutes with a period, English with a colon). Text that is not a timestamp is shown unchanged
 * rather than as "Invalid Date".
 */
export function formatDateTime(rfc3339: string, tz: TimeZone, lang: Lang): string {
  const instant = Date.parse(rfc3339);
  if (Number.isNaN(instant)) return rfc3339;
  const d = shifted(instant, tz);
  const date = longDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, lang);
  const hh = String(d.getUTCHours()).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  return `${date} ${hh}${lang === "id" ? "." : ":"}${mm} ${tz}`;
}

/** The facility's calendar day at an RFC 3339 instant; null for text that is not a timestamp. */
export function localDate(rfc3339: string, tz: TimeZone): CivilDate | null {
  const instant = Date.parse(rfc3339);
  if (Number.isNaN(instant)) return null;
  const d = shifted(instant, tz);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** A month as the core keys it ("2024-11") as "November 2024"; anything else is shown unchanged. */
export function monthYear(period: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period.trim());
  const month = m ? Number(m[2]) : 0;
  return m && month >= 1 && month <= 12 ? `${MONTHS[lang][month - 1]} ${m[1]}` : period;
}

/** Id "1.234,5", En "1,234.5"; at most `fractionDigits` decimals, trailing zeros dropped. */
export function formatNumber(n: number, lang: Lang, fractionDigits = 0): string {
  const [group, point] = lang === "id" ? [".", ","] : [",", "."];
  const fixed = Math.abs(n).toFixed(fractionDigits);
  const [int, frac = ""] = fixed.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const trimmed = frac.replace(/0+$/, "");
  const sign = n < 0 && Number(fixed) !== 0 ? "-" : "";
  return sign + grouped + (trimmed ? point + trimmed : "");
}

/** A file size in B, KB, MB or GB (binary multiples, as file managers show them), one decimal. */
export function formatSize(bytes: number, lang: Lang): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(value, lang, unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** "2024-11-16" as a CivilDate; null for anything else. */
export function parseIsoDate(iso: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31 ? d : null;
}

/** "2024-11-16", as date inputs and the core write a date. */
export function isoDate(d: CivilDate): string {
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

/** "16 November 2024" (no weekday: for birth and consent dates). */
export function dayMonthYear(d: CivilDate, lang: Lang): string {
  return `${d.day} ${MONTHS[lang][d.month - 1]} ${d.year}`;
}

/** An ISO date as "16 November 2024"; text that is not one is shown unchanged. */
export function formatIsoDate(iso: string, lang: Lang): string {
  const d = parseIsoDate(iso);
  return d ? dayMonthYear(d, lang) : iso;
}

/** An ISO date as "16/11/2024" (day/month/year, as Indonesian lists write it); text that is not one is shown unchanged. */
export function slashIsoDate(iso: string): string {
  const d = parseIsoDate(iso);
  return d ? `${String(d.day).padStart(2, "0")}/${String(d.month).padStart(2, "0")}/${d.year}` : iso;
}

const SHORT_MONTHS: Record<Lang, readonly string[]> = {
  id: ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};

/** An ISO date as "30 Jun 2025" (short month: for dense lists such as lot labels). */
export function shortIsoDate(iso: string, lang: Lang): string {
  const d = parseIsoDate(iso);
  return d ? `${d.day} ${SHORT_MONTHS[lang][d.month - 1]} ${d.year}` : iso;
}

/** The parts of a decimal as the core writes it ("-1234.5"); null for anything else. */
function decimalParts(text: string): { negative: boolean; int: string; frac: string } | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const int = m[2].replace(/^0+(?=\d)/, "");
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const zero = /^0$/.test(int) && frac === "";
  return { negative: m[1] === "-" && !zero, int, frac };
}

/**
 * A decimal text from the core ("1234.5", "-2") for people: Id "1.234,5", En "1,234.5". Exact:
 * the digits are regrouped, never passed through a float. Text that is not a decimal is shown as is.
 */
export function formatDecimal(text: string, lang: Lang): string {
  const p = decimalParts(text);
  if (!p) return text;
  const [group, point] = lang === "id" ? [".", ","] : [",", "."];
  const grouped = p.int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return (p.negative ? "-" : "") + grouped + (p.frac ? point + p.frac : "");
}

/** Like `formatDecimal`, with "+" before a positive amount (a change: adjustment, variance). */
export function formatSignedDecimal(text: string, lang: Lang): string {
  const p = decimalParts(text);
  const shown = formatDecimal(text, lang);
  return p && !p.negative && !(p.int === "0" && p.frac === "") ? `+${shown}` : shown;
}

/** A rupiah amount from the core: "Rp1.500.000" / "Rp1,500,000"; cents only when there are any. */
export function formatRupiah(text: string, lang: Lang): string {
  const p = decimalParts(text);
  if (!p) return text;
  const [group, point] = lang === "id" ? [".", ","] : [",", "."];
  const grouped = p.int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const cents = p.frac === "" ? "" : point + p.frac.padEnd(2, "0");
  return `${p.negative ? "-" : ""}Rp${grouped}${cents}`;
}

/** A month key ("2024-11") as two lines for a chart's axis: ["Nov", "2024"]. */
export function shortMonthLines(period: string, lang: Lang): string[] {
  const m = /^(\d{4})-(\d{2})$/.exec(period.trim());
  const month = m ? Number(m[2]) : 0;
  return m && month >= 1 && month <= 12 ? [SHORT_MONTHS[lang][month - 1], m[1]] : [period];
}

/** The days from `first` to `last` (ISO dates): "1–30 November 2026" within a month, both ends whole across months. */
export function dayRange(first: string, last: string, lang: Lang): string {
  const a = parseIsoDate(first);
  const b = parseIsoDate(last);
  if (!a || !b) return `${first} – ${last}`;
  if (a.year === b.year && a.month === b.month) {
    return a.day === b.day ? dayMonthYear(b, lang) : `${a.day}–${dayMonthYear(b, lang)}`;
  }
  return `${dayMonthYear(a, lang)} – ${dayMonthYear(b, lang)}`;
}

/**
 * Exact sum of decimal texts from the core ("1500000.5", "-2"): the digits are added as integers
 * at the largest scale among them, never as floats. Text that is not a decimal counts as zero.
 */
export function sumDecimals(texts: readonly string[]): string {
  const parts = texts.map((t) => /^(-?)(\d+)(?:\.(\d+))?$/.exec(t.trim())).filter((m) => m !== null);
  const scale = Math.max(0, ...parts.map((m) => (m[3] ?? "").length));
  let total = 0n;
  for (const m of parts) {
    const v = BigInt(m[2] + (m[3] ?? "").padEnd(scale, "0"));
    total += m[1] === "-" ? -v : v;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${int}${scale > 0 ? "." + frac : ""}`;
}

// Facility-profile helpers for the forms: the province list and the suggestions the setup wizard
// makes so office staff type less. Suggestions are only defaults; the core validates what is saved.
import type { FacilityKind } from "../ipc/bindings/FacilityKind";
import type { FacilityProfile } from "../ipc/bindings/FacilityProfile";
import type { TimeZone } from "../ipc/bindings/TimeZone";

/** Indonesia's 38 provinces with the time zone each one keeps. */
export const PROVINCES: ReadonlyArray<readonly [string, TimeZone]> = [
  ["Aceh", "WIB"],
  ["Sumatera Utara", "WIB"],
  ["Sumatera Barat", "WIB"],
  ["Riau", "WIB"],
  ["Kepulauan Riau", "WIB"],
  ["Jambi", "WIB"],
  ["Sumatera Selatan", "WIB"],
  ["Kepulauan Bangka Belitung", "WIB"],
  ["Bengkulu", "WIB"],
  ["Lampung", "WIB"],
  ["DKI Jakarta", "WIB"],
  ["Jawa Barat", "WIB"],
  ["Banten", "WIB"],
  ["Jawa Tengah", "WIB"],
  ["DI Yogyakarta", "WIB"],
  ["Jawa Timur", "WIB"],
  ["Kalimantan Barat", "WIB"],
  ["Kalimantan Tengah", "WIB"],
  ["Bali", "WITA"],
  ["Nusa Tenggara Barat", "WITA"],
  ["Nusa Tenggara Timur", "WITA"],
  ["Kalimantan Selatan", "WITA"],
  ["Kalimantan Timur", "WITA"],
  ["Kalimantan Utara", "WITA"],
  ["Sulawesi Utara", "WITA"],
  ["Gorontalo", "WITA"],
  ["Sulawesi Tengah", "WITA"],
  ["Sulawesi Barat", "WITA"],
  ["Sulawesi Selatan", "WITA"],
  ["Sulawesi Tenggara", "WITA"],
  ["Maluku", "WIT"],
  ["Maluku Utara", "WIT"],
  ["Papua", "WIT"],
  ["Papua Barat", "WIT"],
  ["Papua Barat Daya", "WIT"],
  ["Papua Tengah", "WIT"],
  ["Papua Pegunungan", "WIT"],
  ["Papua Selatan", "WIT"],
];

export const FACILITY_KINDS: readonly FacilityKind[] = ["RUTAN", "LAPAS", "LPKA"];
export const TIME_ZONES: readonly TimeZone[] = ["WIB", "WITA", "WIT"];

export function emptyProfile(): FacilityProfile {
  return {
    name: "",
    kind: "RUTAN",
    class: "",
    code: "",
    province: "",
    kanwil: "",
    address: "",
    time_zone: "WIB",
    head_name: "",
    head_nip: "",
  };
}

/** Words of a facility name that say what it is rather than where: "Rutan Kelas IIB Blora" → "Blora". */
const NOT_A_PLACE = new Set([
  "RUTAN", "LAPAS", "LPKA", "RUMAH", "TAHANAN", "NEGARA", "LEMBAGA", "PEMASYARAKATAN", "PEMBINAAN",
  "KHUSUS", "ANAK", "KELAS", "I", "IA", "IIA", "IIB", "III",
]);

/** "RUTAN" + "Rutan Kelas IIB Blora" → "RUTAN-BLORA". */
export function suggestCode(kind: FacilityKind, name: string): string {
  const place = name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "" && !NOT_A_PLACE.has(w));
  return [kind, ...place].join("-").slice(0, 40);
}

export function suggestKanwil(province: string): string {
  return province.trim() === "" ? "" : `Kanwil Ditjenpas ${province.trim()}`;
}

/** The time zone of a province typed as in the list (letter case and spaces aside). */
export function timeZoneOf(province: string): TimeZone | undefined {
  const wanted = province.trim().toLowerCase();
  return PROVINCES.find(([p]) => p.toLowerCase() === wanted)?.[1];
}

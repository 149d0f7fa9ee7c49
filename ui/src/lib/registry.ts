// What the registry screens share: the choices of each enum (complete by construction: a value
// added in Rust fails the build here until it is listed), who may do what, and how the core's
// field names map to the form's input ids.
import type { Category } from "../ipc/bindings/Category";
import type { DuplicateStatus } from "../ipc/bindings/DuplicateStatus";
import type { ImportField } from "../ipc/bindings/ImportField";
import type { KkChangeReason } from "../ipc/bindings/KkChangeReason";
import type { Matched } from "../ipc/bindings/Matched";
import type { PoorReason } from "../ipc/bindings/PoorReason";
import type { Relationship } from "../ipc/bindings/Relationship";
import type { Role } from "../ipc/bindings/Role";
import type { Sex } from "../ipc/bindings/Sex";
import type { Verification } from "../ipc/bindings/Verification";
import type { WbpStatus } from "../ipc/bindings/WbpStatus";
import { t } from "../i18n/lang.svelte";

/** The keys of a record that must name every value of `T`, in the order written. */
function every<T extends string>(all: Record<T, true>): readonly T[] {
  return Object.keys(all) as T[];
}

export const CATEGORIES = every<Category>({ keluarga_wbp: true, masyarakat_sekitar: true });
export const VERIFICATIONS = every<Verification>({ draft: true, verified: true });
export const SEXES = every<Sex>({ L: true, P: true });
export const WBP_STATUSES = every<WbpStatus>({ ditahan: true, bebas: true, pindah: true });
export const RELATIONSHIPS = every<Relationship>({
  kepala_keluarga: true,
  istri: true,
  suami: true,
  anak: true,
  menantu: true,
  cucu: true,
  orang_tua: true,
  mertua: true,
  famili_lain: true,
  lainnya: true,
});
export const POOR_REASONS = every<PoorReason>({
  pencari_nafkah_ditahan: true,
  penghasilan_tidak_tetap: true,
  lansia: true,
  disabilitas: true,
  sakit_menahun: true,
  tanggungan_anak_banyak: true,
  rumah_tidak_layak: true,
  terdaftar_dtks: true,
  lainnya: true,
});
export const KK_REASONS = every<KkChangeReason>({ pindah: true, kematian: true, pisah_kk: true, perubahan_data: true, lainnya: true });
export const IMPORT_FIELDS = every<ImportField>({
  nik: true,
  nama: true,
  no_kk: true,
  jenis_kelamin: true,
  tanggal_lahir: true,
  alamat: true,
  rt: true,
  rw: true,
  rt_rw: true,
  kode_wilayah: true,
  telepon: true,
  kategori: true,
  nama_wbp: true,
  no_reg_wbp: true,
  status_wbp: true,
});
export const DUPLICATE_STATUSES = every<DuplicateStatus>({ open: true, merged: true, distinct: true });
export const DTKS_DECILES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/** Audit actions on a family that have words of their own; others are shown as their code. */
const FAMILY_ACTIONS = every<FamilyAction>({
  "family.create": true,
  "family.update": true,
  "family.view": true,
  "family.verify": true,
  "family.activate": true,
  "family.deactivate": true,
  "family.attach": true,
  "family.view_attachment": true,
  "family.merge": true,
});
export type FamilyAction =
  | "family.create"
  | "family.update"
  | "family.view"
  | "family.verify"
  | "family.activate"
  | "family.deactivate"
  | "family.attach"
  | "family.view_attachment"
  | "family.merge";

export function isFamilyAction(action: string): action is FamilyAction {
  return (FAMILY_ACTIONS as readonly string[]).includes(action);
}

// Who may do what, as the core checks it (the core still refuses anything else).
const REGISTRARS: readonly Role[] = ["petugas", "verifikator"];
const EXPORTERS: readonly Role[] = ["petugas", "verifikator", "kepala_upt"];
/** Where the registry area opens: the nav entries "Keluarga" and "Duplikat". */
export type RegistryStart = "list" | "duplicates";

/** The roles that see the Duplikat screen. */
export const DUPLICATE_READERS: readonly Role[] = ["verifikator", "petugas", "kepala_upt"];

/** Registering, editing, importing, (de)activating, attaching scans. */
export const canRegister = (role: Role) => REGISTRARS.includes(role);
/** Verifying families and settling duplicate pairs. */
export const canVerify = (role: Role) => role === "verifikator";
export const canExport = (role: Role) => EXPORTERS.includes(role);
export const canSeeDuplicates = (role: Role) => DUPLICATE_READERS.includes(role);

/**
 * The input id of the form control a core field name belongs to: "member.3.nik" → "member-3-nik",
 * "region_code" → the village picker, anything else "x" → "family-x".
 */
export function inputIdFor(field: string): string {
  const member = /^member\.(\d+)\.(\w+)$/.exec(field);
  if (member) return `member-${member[1]}-${member[2]}`;
  if (field === "region_code") return "region-village";
  return `family-${field}`;
}

/** A NIK or No. KK without the spaces people group it with, as the core compares them. */
export const compact = (s: string) => s.replace(/\s/g, "");

/** What a search matched besides the head's name, in the window's language ("Anggota: Siti"). */
export function matchedText(m: Matched): string {
  const label = t(`families.matched_${m.kind}`);
  return m.name ? `${label}: ${m.name}` : label;
}

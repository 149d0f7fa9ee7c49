// Files chosen in the window, read for the core (which wants base64) or shown back (data URLs).

import { formatNumber } from "../i18n/format";
import { i18n, t } from "../i18n/lang.svelte";

const MIB = 1024 * 1024;

/** The largest files the core takes from the window (`bansos::limits`; it refuses more too). */
export const FILE_LIMITS = {
  /** A registry sheet (IMPORT_FILE_BYTES). */
  import: 20 * MIB,
  /** A scan kept with a family, a hand-over or an event (ATTACHMENT_BYTES). */
  attachment: 8 * MIB,
  /** A photo or scan of a BAST's QR code (PICTURE_FILE_BYTES). */
  picture: 40 * MIB,
} as const;

/**
 * The refusal of a file larger than `maxBytes`, by its size, before it is read (a file of
 * gigabytes would otherwise be read whole into the window first); null when it fits. In the
 * core's own words for the same refusal.
 */
export function tooLarge(file: File, maxBytes: number): string | null {
  if (file.size <= maxBytes) return null;
  return t("files.too_large", {
    name: file.name,
    size: formatNumber(file.size / MIB, i18n.lang, 1),
    max: formatNumber(maxBytes / MIB, i18n.lang),
  });
}

/** The file's bytes as base64, without the "data:<type>;base64," prefix of a data URL. */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const dataUrl = String(reader.result);
      resolve(dataUrl.slice(dataUrl.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(file.name));
    reader.readAsDataURL(file);
  });
}

/** base64 from the core back into something an <img> or a download link can use. */
export function dataUrl(mime: string, base64: string): string {
  return `data:${mime};base64,${base64}`;
}

// The Kanwil's inbox as Kirim ke Kanwil shows it: whether an address sends in the clear, and
// the core's upload errors, which it keeps in both languages as "indonesian|english".
import type { Lang } from "../ipc/bindings/Lang";

/**
 * True for a plain `http://` address that leaves this PC: what is sent to it can be watched and
 * held on the way (a loopback address, a test server on this PC, cannot).
 */
export function plainHttpAway(address: string): boolean {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return false;
  }
  if (url.protocol !== "http:") return false;
  const host = url.hostname.toLowerCase();
  const loopback = host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
  return !loopback;
}

/** An upload error stored as "indonesian|english" in `lang` (split at the first bar). */
export function uploadError(stored: string, lang: Lang): string {
  const bar = stored.indexOf("|");
  if (bar < 0) return stored;
  return lang === "id" ? stored.slice(0, bar) : stored.slice(bar + 1);
}

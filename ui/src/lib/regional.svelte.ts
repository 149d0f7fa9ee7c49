// What the exchange's screens share: who holds the keys (at a facility the registration and the
// enrollment, at a Kanwil registering and revoking facilities and the due day: the Kepala UPT and
// the Admin — mirroring the core, which still refuses anyone else), and for the Kanwil's screens
// the month being looked at (chosen in one of Rekap, Kelengkapan or Duplikat antar-UPT, it stays
// chosen in the others) and the months to choose from.
import type { Role } from "../ipc/bindings/Role";
import type { TimeZone } from "../ipc/bindings/TimeZone";

/** The roles that may register, enroll, revoke and set the due day. */
export function holdsKeys(role: Role): boolean {
  return role === "kepala_upt" || role === "admin";
}
import { todayIn } from "../i18n/format";

/** How many months back the picker offers. */
const MONTHS_BACK = 36;

const key = (year: number, month: number) => `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;

/** Newest first: the current month on the Kanwil's calendar, then the ones before it. */
export function recentMonths(tz: TimeZone): string[] {
  const today = todayIn(tz);
  const out: string[] = [];
  let [y, m] = [today.year, today.month];
  for (let i = 0; i <= MONTHS_BACK; i += 1) {
    out.push(key(y, m));
    m -= 1;
    if (m === 0) [y, m] = [y - 1, 12];
  }
  return out;
}

/** Last month: the one whose reports are coming in. */
export function previousMonth(tz: TimeZone): string {
  return recentMonths(tz)[1];
}

export const regional = $state<{ period: string | null }>({ period: null });

// Who is signed in, and what the start and sign-in screens need to know. The whole app decides
// which screen to show from this one object.
import { setSessionExpiredHandler } from "../ipc/core";
import type { Facility } from "../ipc/bindings/Facility";
import type { SessionInfo } from "../ipc/bindings/SessionInfo";
import type { StoreStatus } from "../ipc/bindings/StoreStatus";

class Auth {
  /** From app_status; null until the start screen has it. */
  status = $state<StoreStatus | null>(null);
  session = $state<SessionInfo | null>(null);
  /** Set when the last session ended for inactivity: its idle minutes, for the sign-in notice. */
  idleSignOutMinutes = $state<number | null>(null);
  /** Failed sign-ins reported at this sign-in; the home screen warns once, then clears it. */
  failedAttempts = $state(0);

  signedIn(info: SessionInfo): void {
    this.session = info;
    this.idleSignOutMinutes = null;
    this.failedAttempts = info.failed_attempts_since_last;
  }

  signedOut(): void {
    this.session = null;
    this.failedAttempts = 0;
  }

  /** Signed out for inactivity, by the UI's own timer or because the core said so. */
  expired(): void {
    if (!this.session) return;
    this.idleSignOutMinutes = this.session.idle_minutes;
    this.signedOut();
  }

  /** Keeps the top bar, the sign-in heading and the idle timer in step with saved settings. */
  facilityChanged(f: Facility): void {
    if (this.status) this.status.facility_label = f.profile.name;
    if (!this.session) return;
    this.session.facility_name = f.profile.name;
    this.session.facility_code = f.profile.code;
    this.session.time_zone = f.profile.time_zone;
    this.session.idle_minutes = f.idle_minutes;
  }
}

export const auth = new Auth();

setSessionExpiredHandler(() => auth.expired());

// The application as a whole: first run, language, signing in and out, the home overview.
import { listen } from "@tauri-apps/api/event";
import { call } from "./core";
import type { FacilitySetup } from "./bindings/FacilitySetup";
import type { Lang } from "./bindings/Lang";
import type { NewStaff } from "./bindings/NewStaff";
import type { Overview } from "./bindings/Overview";
import type { SessionInfo } from "./bindings/SessionInfo";
import type { StoreStatus } from "./bindings/StoreStatus";

export function appStatus(): Promise<StoreStatus> {
  return call("app_status");
}

/** The language the core writes its error messages in. */
export function setLanguage(lang: Lang): Promise<null> {
  return call("set_language", { lang });
}

/** First run: creates the database, the facility with its key pair and the first admin, signed in. */
export function setup(setup: FacilitySetup, admin: NewStaff): Promise<SessionInfo> {
  return call("setup", { setup, admin });
}

export function signIn(username: string, password: string): Promise<SessionInfo> {
  return call("sign_in", { username, password });
}

export function signOut(): Promise<null> {
  return call("sign_out");
}

/** The current session, or null when nobody is signed in (or the core has signed them out). */
export function session(): Promise<SessionInfo | null> {
  return call("session");
}

/** Tells the core the person is still at work, so its idle clock starts again. */
export function sessionTouch(): Promise<null> {
  return call("session_touch");
}

export function overview(): Promise<Overview> {
  return call("overview");
}

/** The store found damaged by the daily backup that runs after sign-in: the message in both languages. */
export interface StoreDamaged {
  id: string;
  en: string;
}

/**
 * Calls `f` when the shell reports the store damaged (it has ended the session); the promise
 * gives what stops listening.
 */
export function onStoreDamaged(f: (m: StoreDamaged) => void): Promise<() => void> {
  return listen<StoreDamaged>("store-damaged", (e) => f(e.payload));
}

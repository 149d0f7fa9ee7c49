// The one place that talks to the Rust core. Every domain file in this folder goes through
// `call`, so a failure always reaches the views as an `IpcError` they can branch on by `code`.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { ErrorKind } from "./bindings/ErrorKind";
import { en } from "../i18n/en";
import { id } from "../i18n/id";

/** A failed command: `code` is for branching, `message` (already in the UI language) for people. */
export class IpcError extends Error {
  readonly code: ErrorKind;
  /** The Rust field name the message concerns, for showing it next to that form field. */
  readonly field: string | null;

  constructor(code: ErrorKind, message: string, field: string | null) {
    super(message);
    this.name = "IpcError";
    this.code = code;
    this.field = field;
  }

  /** Whatever was thrown, as an IpcError; anything that is not the core's own shape is a defect. */
  static from(e: unknown): IpcError {
    if (e instanceof IpcError) return e;
    if (isWireError(e)) return new IpcError(e.code, e.message, e.field ?? null);
    // Tauri itself rejects with a plain string (unknown command, arguments it cannot decode):
    // a defect, said in the window's words; its own English text goes to the console only.
    console.error("bansos: not the core's error:", e);
    return new IpcError("internal", unexpected(), null);
  }
}

/** The window's words for a failure that is not the core's (set on `<html lang>` by i18n). */
function unexpected(): string {
  return (document.documentElement.lang === "en" ? en : id)["error.unexpected"];
}

type WireError = { code: ErrorKind; message: string; field?: string | null };

function isWireError(e: unknown): e is WireError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as WireError).code === "string" &&
    typeof (e as WireError).message === "string"
  );
}

let onSessionExpired: () => void = () => {};

/**
 * The session store registers itself here, so that a `session_expired` answer to any command
 * sends the app back to sign-in, without this layer depending on the UI.
 */
export function setSessionExpiredHandler(handler: () => void): void {
  onSessionExpired = handler;
}

export async function call<T>(cmd: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    const err = IpcError.from(e);
    if (err.code === "session_expired") onSessionExpired();
    throw err;
  }
}

// Progress of long work, as the core reports it while a command runs: a sheet's rows written, an
// event's receipts drawn, a month's closing step by step, the Kanwil's bundle files. The shell
// emits each report (at most one every 40 ms, always the first at 0 and the last at the count) as
// a `progress` event (`src-tauri/src/main.rs`); `lib/progress.svelte.ts` keeps what the bars show.
import { listen } from "@tauri-apps/api/event";
import type { Progress } from "./bindings/Progress";

export type { Progress } from "./bindings/Progress";
export type { Stage } from "./bindings/Stage";
export type { Work } from "./bindings/Work";

/** The shell's event for one report of long work. */
const PROGRESS = "progress";

/**
 * Calls `f` with every report; the promise settles once the window is listening (so a command
 * invoked after it loses no report), and gives what stops listening.
 */
export function onProgress(f: (p: Progress) => void): Promise<() => void> {
  return listen<Progress>(PROGRESS, (e) => f(e.payload));
}

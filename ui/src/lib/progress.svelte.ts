// What the progress bars (WorkProgress.svelte) show: for each kind of long work, the last report
// of the run a screen started, or nothing. A screen runs the command through `tracked`, which
// clears what an earlier run left, makes sure the window is listening before the command starts,
// takes the reports while it runs, and keeps the final count once it answered (until the next
// run, or `clearWork`); a command that failed leaves no bar behind its error. Reports of work no
// screen started (a single BAST printed elsewhere) change nothing.
import { onProgress, type Progress, type Work } from "../ipc/progress";

/** A run's state: `last` report (null until the first arrives); `live` while its command runs. */
export type Run = { last: Progress | null; live: boolean };

const runs = $state<Record<Work, Run | null>>({
  import_rows: null,
  print_receipts: null,
  close_month: null,
  import_bundles: null,
});

let listening: Promise<unknown> | null = null;

function heard(p: Progress) {
  const run = runs[p.work];
  // Only the run under way; and a bar never goes back (reports come in order, but be sure).
  if (!run?.live) return;
  if (run.last && run.last.total === p.total && p.done < run.last.done) return;
  run.last = p;
}

/** The run of `work` to show, or null. */
export function runOf(work: Work): Run | null {
  return runs[work];
}

/** Forgets `work`'s run: its bar is gone. */
export function clearWork(work: Work): void {
  runs[work] = null;
}

/**
 * Runs `command` as a run of `work`: its bar starts empty, follows the core's reports, and ends
 * at the full count when the command answered (the last report may still be on its way then;
 * the work is whole all the same). A failure clears the bar and is thrown on.
 */
export async function tracked<T>(work: Work, command: () => Promise<T>): Promise<T> {
  runs[work] = { last: null, live: true };
  // Listen once for the whole window, before the first command, so no report is missed. Without
  // the events the command still runs; only the bar stays empty.
  listening ??= onProgress(heard).catch(() => null);
  await listening;
  try {
    const out = await command();
    const run = runs[work];
    if (run) {
      run.live = false;
      if (run.last) run.last = { ...run.last, done: run.last.total, stage: null };
    }
    return out;
  } catch (e) {
    clearWork(work);
    throw e;
  }
}

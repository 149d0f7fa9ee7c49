/**
 * Runs the newest of a stream of requests at once and never two at a time: while one is on its
 * way, only the latest later request waits for it; those in between are dropped. A search as
 * you type then answers each pause as fast as the core does (milliseconds), with no fixed delay
 * and no pile of stale calls. `run` handles its own errors.
 */
export function latestOnly<A>(run: (arg: A) => Promise<void>): (arg: A) => void {
  let busy = false;
  let waiting: { arg: A } | null = null;
  const go = (arg: A) => {
    busy = true;
    const done = () => {
      busy = false;
      const next = waiting;
      waiting = null;
      if (next) go(next.arg);
    };
    run(arg).then(done, done);
  };
  return (arg: A) => {
    if (busy) waiting = { arg };
    else go(arg);
  };
}

// Watches for mouse and keyboard activity to sign out an idle session (SPEC §2 item 2). The core
// enforces the same limit on its side; this makes the app leave the screen on time instead of
// waiting for the next command to be refused.

const ACTIVITY_EVENTS = ["pointermove", "pointerdown", "keydown", "wheel", "touchstart"] as const;
/** How often the clock is looked at; a minute-based limit needs no finer grain. */
const CHECK_EVERY_MS = 5_000;
/**
 * While the person is active, touch the session at most this often. The core sees commands, not
 * mouse or keyboard use, so without this someone reading a long screen could find their next
 * click refused; and a session the core has already ended is noticed here too.
 */
const HEARTBEAT_EVERY_MS = 60_000;

/**
 * Calls `onIdle` once after `idleMs` without activity, and `onHeartbeat` now and then while there
 * is activity. Returns the function that stops watching.
 */
export function watchIdle(idleMs: number, onIdle: () => void, onHeartbeat: () => void): () => void {
  let lastActivity = Date.now();
  let lastHeartbeat = lastActivity;
  const mark = () => {
    lastActivity = Date.now();
  };
  for (const e of ACTIVITY_EVENTS) window.addEventListener(e, mark, { passive: true, capture: true });

  // Comparing timestamps (rather than restarting a timeout on every event) also catches a PC
  // that slept past the limit: the first check after waking signs out.
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - lastActivity >= idleMs) {
      stop();
      onIdle();
    } else if (lastActivity > lastHeartbeat && now - lastHeartbeat >= HEARTBEAT_EVERY_MS) {
      lastHeartbeat = now;
      onHeartbeat();
    }
  }, CHECK_EVERY_MS);

  function stop() {
    clearInterval(timer);
    for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, mark, { capture: true });
  }
  return stop;
}

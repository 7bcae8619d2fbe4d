/**
 * Abort checks between the steps of a long loop (boosting rounds, epochs, solver iterations).
 * A step small enough to run inline on the JS thread never returns to the event loop, so a
 * timer-based abort (`AbortSignal.timeout(ms)`, a `setTimeout(() => c.abort())`) could not fire
 * until the whole fit ended; with a signal, the checkpoint lets the event loop run once every
 * YIELD_EVERY_MS, then checks it. Without a signal it costs nothing.
 */

/** How often a loop with a signal gives the event loop a turn (ms). */
export const YIELD_EVERY_MS = 10;

const turn = () => new Promise<void>((done) => setImmediate(done));

/** A checkpoint for one loop: `await checkpoint()` at the top of each step. */
export function abortCheckpoint(signal: AbortSignal | undefined): () => Promise<void> {
  if (!signal) return async () => {};
  let last = performance.now();
  return async () => {
    const now = performance.now();
    if (now - last >= YIELD_EVERY_MS) {
      await turn();
      last = performance.now();
    }
    signal.throwIfAborted();
  };
}

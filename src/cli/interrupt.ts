/**
 * Ctrl-C for the CLI's long jobs (train, evaluate, predict): the first SIGINT or SIGTERM aborts
 * the job's AbortSignal — the fit stops and rejects, a prediction run stops between batches and
 * removes its partial output — and `run` exits 130 saying nothing was written; a second signal
 * exits at once. `serve` installs its own handlers (a graceful close) and does not use this.
 */

/** Raised through the job's signal: what `run` recognises as an interruption. */
export class Interrupted extends Error {
  constructor(readonly signalName: string) {
    super(`interrupted by ${signalName}`);
    this.name = 'AbortError';
  }
}

let controller: AbortController | undefined;

/** The signal of this process's CLI job; installs the SIGINT/SIGTERM handlers on first use. */
export function jobSignal(): AbortSignal {
  if (!controller) {
    const c = new AbortController();
    controller = c;
    const onSignal = (name: NodeJS.Signals) => {
      if (c.signal.aborted) process.exit(130); // a second Ctrl-C: the user means it
      c.abort(new Interrupted(name));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return controller.signal;
}

/** Whether an error is the job's interruption (the reason itself, or a rejection carrying it). */
export function isInterruption(e: unknown): e is Interrupted {
  return e instanceof Interrupted || (controller?.signal.aborted === true && (e as Error)?.name === 'AbortError');
}

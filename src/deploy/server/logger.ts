/** The server's pino logger: JSON lines, written asynchronously so logging stays off the request path. */
import type { Logger } from 'pino';
import type { LogOptions } from './options.js';

export interface ServerLogger {
  log: Logger | null;
  /** Writes out what is buffered (on close). */
  flush(): void;
}

export async function createLogger(opt: false | Logger | LogOptions | undefined): Promise<ServerLogger> {
  if (opt === false) return { log: null, flush() {} };
  if (opt !== undefined && typeof (opt as Logger).info === 'function' && typeof (opt as Logger).child === 'function') {
    const log = opt as Logger;
    return {
      log,
      flush() {
        try {
          log.flush();
        } catch {
          /* destination without flush */
        }
      },
    };
  }
  const o = (opt ?? {}) as LogOptions;
  const { default: pino } = await import('pino');
  const level = o.level ?? 'info';
  if (level === 'silent') return { log: null, flush() {} };
  // sonic-boom: buffered, asynchronous writes in blocks of 4 KiB
  const dest = pino.destination({ dest: o.destination ?? 1, sync: false, minLength: 4096 });
  const log = pino({ level, base: { service: 'kiln-server' }, timestamp: pino.stdTimeFunctions.isoTime }, dest);
  return {
    log,
    flush() {
      try {
        dest.flushSync();
      } catch {
        /* not yet open, or already closed */
      }
    },
  };
}

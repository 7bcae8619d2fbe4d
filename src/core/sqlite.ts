/**
 * What kiln's embedded SQLite files (the model registry, the prediction log, studies) do alike on
 * open: load better-sqlite3 on first use, with a clear error when its native module cannot load,
 * and switch to WAL, refusing a file that cannot (readers never block the writer, a crash never
 * corrupts the file). Each file keeps its own schema, pragmas and error class.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { KilnError } from './errors.js';

type ErrorClass = new (message: string, options?: { cause?: unknown }) => KilnError;

/** better-sqlite3's Database class; an `error` naming `owner` when the module cannot load. */
export async function loadBetterSqlite3(owner: string, error: ErrorClass): Promise<typeof BetterSqlite3> {
  try {
    return (await import('better-sqlite3')).default;
  } catch (e) {
    throw new error(`${owner}: better-sqlite3 could not be loaded (${(e as Error).message}); reinstall kiln's dependencies (npm install)`, { cause: e });
  }
}

/** Switches the connection to WAL, or throws `error` naming the file and the mode it kept. */
export function requireWal(db: BetterSqlite3.Database, owner: string, path: string, error: ErrorClass): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (String(mode).toLowerCase() !== 'wal') throw new error(`${owner}: ${path} could not switch to WAL (journal_mode is ${mode})`);
}

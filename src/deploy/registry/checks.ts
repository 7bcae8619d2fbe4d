/**
 * What the registry checks and translates at its edge: model names, aliases and version numbers
 * from callers, JSON columns (metrics, tags, lineage) before they are recorded, the acting user,
 * and SQLite failures as KilnErrors that say what to do.
 */
import { userInfo } from 'node:os';
import { KilnError, ParamError, RegistryError } from '../../core/errors.js';
import { ioError } from '../atomic-write.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const RESERVED_ALIASES = new Set(['latest']);

export function defaultActor(): string {
  try {
    return userInfo().username || process.env.USER || 'unknown';
  } catch {
    return process.env.USER || process.env.USERNAME || 'unknown';
  }
}

export function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ParamError(
      `${what}: model name must be 1-128 characters of letters, digits, '.', '_' or '-' (starting with a letter or digit), got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

export function checkAlias(alias: unknown, what: string): string {
  if (typeof alias !== 'string' || !NAME.test(alias) || /^\d+$/.test(alias) || RESERVED_ALIASES.has(alias)) {
    throw new ParamError(
      `${what}: alias must be 1-128 characters of letters, digits, '.', '_' or '-', not all digits and not 'latest', got ${JSON.stringify(alias)}`,
    );
  }
  return alias;
}

export function checkVersion(v: unknown, what: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 1) throw new ParamError(`${what}: version must be a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}

export function jsonColumn(v: unknown, what: string): string {
  try {
    const s = JSON.stringify(v ?? {}, (_k, x) => {
      if (typeof x === 'number' && !Number.isFinite(x)) throw new ParamError(`${what}: ${x} is not a finite number`);
      if (typeof x === 'bigint' || typeof x === 'function' || typeof x === 'symbol') throw new ParamError(`${what}: a ${typeof x} cannot be recorded`);
      return x;
    });
    if (!s.startsWith('{')) throw new ParamError(`${what}: must be an object`);
    return s;
  } catch (e) {
    if (e instanceof KilnError) throw e;
    throw new ParamError(`${what}: must be JSON data (${(e as Error).message})`);
  }
}

/** An SQLite failure as a KilnError (busy, a refused trigger, a damaged file, …). */
export function dbError(e: unknown, what: string): KilnError {
  if (e instanceof KilnError) return e;
  const err = e as { code?: string; message?: string };
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_')) {
    const hint =
      err.code === 'SQLITE_BUSY'
        ? ' (another process held the database longer than busyTimeoutMs)'
        : err.code === 'SQLITE_NOTADB'
          ? ' (the file is not an SQLite database)'
          : err.code === 'SQLITE_READONLY'
            ? ' (the registry was opened read-only, or the file is not writable)'
            : '';
    return new RegistryError(`${what}: ${err.message}${hint} [${err.code}]`, { cause: e });
  }
  return ioError(e, what);
}

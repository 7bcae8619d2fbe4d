/**
 * One way to open a registry by location: an SQLite file path, or a postgres:// URL. What is
 * opened is a ModelRegistry (SQLite, synchronous reads) or a PgModelRegistry (PostgreSQL, every
 * method async) — the same calls with the same guarantees, so code that awaits every call works
 * with either.
 */
import { resolve } from 'node:path';
import { isPostgresUrl, type PgModelRegistry, type PgOpenOptions } from './pg.js';
import { ModelRegistry } from './registry.js';

/** Either registry. Await every call and the code runs on both. */
export type AnyModelRegistry = ModelRegistry | PgModelRegistry;

/** Opens the registry at `location`: postgres:// or postgresql:// → PostgreSQL, anything else → an SQLite file path. */
export function openModelRegistry(location = './kiln-registry.db', opts: PgOpenOptions = {}): Promise<AnyModelRegistry> {
  return ModelRegistry.open(location, opts);
}

/** A registry location as given on a command line: a postgres:// URL as it is, a file path made absolute. */
export function registryLocation(location: string): string {
  return isPostgresUrl(location) ? location : resolve(location);
}

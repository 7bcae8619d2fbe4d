/**
 * copyRegistry: moves a whole registry (typically SQLite → PostgreSQL) — every model, version,
 * alias, alias history row and audit entry with their ids, in one transaction on the target, and
 * every model file into the target's store (checked against its SHA-256 on the way) — then
 * verifies the copy: the same row counts and the same digest of every table on both sides, and
 * every target version's file intact. Idempotent: a target that already holds exactly the source
 * is left as it is; a target holding anything else is refused.
 */
import { createHash } from 'node:crypto';
import { ParamError, RegistryError } from '../../core/errors.js';
import { DUMP_TABLES, type RegistryDump } from './ops.js';
import { type AnyModelRegistry, openModelRegistry } from './open.js';
import type { PgOpenOptions } from './pg.js';

export interface CopyRegistryOptions {
  /** Options for opening `to` when it is a location (its storeDir, actor, …); `from` is opened read-only. */
  to?: PgOpenOptions;
  /** Options for opening `from` when it is a location (its storeDir). */
  from?: PgOpenOptions;
}

export interface CopyReport {
  /** False when the target already held exactly the source (nothing was written). */
  copied: boolean;
  /** Rows per table, the same on both sides after the copy. */
  counts: Record<string, number>;
  /** SHA-256 of each table's rows (the same on both sides after the copy). */
  digests: Record<string, string>;
  /** Model files in the source (each stored once per digest in the target). */
  artifacts: number;
}

function tableDigests(d: RegistryDump): Record<string, string> {
  return Object.fromEntries(DUMP_TABLES.map((t) => [t, createHash('sha256').update(JSON.stringify(d[t])).digest('hex')]));
}
const counts = (d: RegistryDump): Record<string, number> => Object.fromEntries(DUMP_TABLES.map((t) => [t, d[t].length]));
const same = (a: Record<string, string>, b: Record<string, string>) => DUMP_TABLES.every((t) => a[t] === b[t]);

export async function copyRegistry(from: AnyModelRegistry | string, to: AnyModelRegistry | string, opts: CopyRegistryOptions = {}): Promise<CopyReport> {
  for (const [what, r] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (typeof r !== 'string' && (typeof r?.dump !== 'function' || typeof r?.restore !== 'function'))
      throw new ParamError(`copyRegistry: ${what} must be a registry location (SQLite path or postgres:// URL) or an open registry`);
  }
  if (typeof from === 'string' && typeof to === 'string' && from === to) throw new ParamError('copyRegistry: from and to are the same registry');
  const src = typeof from === 'string' ? await openModelRegistry(from, { ...opts.from, readonly: true }) : from;
  let dst: AnyModelRegistry | undefined;
  try {
    dst = typeof to === 'string' ? await openModelRegistry(to, opts.to) : to;
    const source = await src.dump();
    const want = tableDigests(source);
    // the files first: a target row never points to a file its store lacks
    const shas = [...new Set(source.versions.map((v) => v.artifact_sha256))];
    for (const sha of shas) {
      const put = await dst.store.put(await src.store.read(sha, `copyRegistry: source model file ${sha}`));
      if (put !== sha) throw new RegistryError(`copyRegistry: the model file ${sha} was stored as ${put}`);
    }
    let copied = false;
    const before = await dst.dump();
    if (DUMP_TABLES.every((t) => before[t].length === 0)) {
      await dst.restore(source);
      copied = true;
    } else if (!same(tableDigests(before), want)) {
      throw new RegistryError(
        `copyRegistry: the target ${dst.path} already holds a different registry (${Object.entries(counts(before))
          .map(([t, n]) => `${n} ${t}`)
          .join(', ')}); copy into an empty database`,
      );
    }
    const after = await dst.dump();
    const got = tableDigests(after);
    const bad = DUMP_TABLES.filter((t) => after[t].length !== source[t].length || got[t] !== want[t]);
    if (bad.length) throw new RegistryError(`copyRegistry: verification failed: ${bad.join(', ')} differ between ${src.path} and ${dst.path}`);
    const check = await dst.verify();
    if (!check.ok) throw new RegistryError(`copyRegistry: verification failed: ${check.problems.join('; ')}`);
    return { copied, counts: counts(after), digests: got, artifacts: shas.length };
  } finally {
    if (typeof from === 'string') await src.close();
    if (typeof to === 'string') await dst?.close();
  }
}

/**
 * `kiln registry list|register|promote|rollback|retire|alias|audit|copy`: the model registry
 * (an SQLite file, or a postgres:// URL) from the command line. Every change is recorded in the
 * registry's audit log (actor: --actor, else the OS user).
 */
import { resolve } from 'node:path';
import { ParamError } from '../core/errors.js';
import { type AnyModelRegistry, copyRegistry, openModelRegistry } from '../deploy/registry/index.js';
import { registryLocation } from '../deploy/registry/open.js';
import { fmt, textTable } from './metrics.js';

export interface RegistryFlags {
  registry: string;
  actor?: string;
  json?: boolean;
}

const out = (s: string) => process.stdout.write(`${s}\n`);
const json = (v: unknown) => out(JSON.stringify(v, null, 2));

export function version(v: string, what = 'version'): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new ParamError(`${what}: must be a version number (1, 2, …), got ${JSON.stringify(v)}`);
  return Number(v);
}

async function withRegistry<T>(flags: RegistryFlags, readonly: boolean, fn: (reg: AnyModelRegistry) => Promise<T> | T): Promise<T> {
  const reg = await openModelRegistry(registryLocation(flags.registry), { readonly, ...(flags.actor ? { actor: flags.actor } : {}) });
  try {
    return await fn(reg);
  } finally {
    await reg.close();
  }
}

const short = (s: string, n = 100) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const metricsText = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${fmt(v)}`)
    .join(' ');

export async function listCommand(name: string | undefined, flags: RegistryFlags): Promise<void> {
  await withRegistry(flags, true, async (reg) => {
    if (!name) {
      const models = await reg.listModels();
      if (flags.json) return json(models);
      if (!models.length) return out(`no models in ${reg.path}`);
      out(
        textTable(
          ['model', 'versions', 'latest', 'aliases'],
          models.map((m) => [
            m.name,
            m.versions,
            m.latestVersion,
            Object.entries(m.aliases)
              .map(([a, v]) => `${a}→v${v}`)
              .join(' ') || '-',
          ]),
        ),
      );
      return;
    }
    const versions = await reg.listVersions(name);
    if (flags.json) return json(versions);
    out(
      textTable(
        ['version', 'status', 'aliases', 'class', 'created', 'metrics'],
        versions.map((v) => [v.version, v.status, v.aliases.join(' ') || '-', v.className, v.createdAt, metricsText(v.metrics) || '-']),
      ),
    );
  });
}

export async function registerCommand(
  name: string,
  file: string,
  flags: RegistryFlags & { promote?: boolean; alias?: string; description?: string },
): Promise<void> {
  await withRegistry(flags, false, async (reg) => {
    const v = await reg.register(name, { artifact: resolve(file), ...(flags.description ? { description: flags.description } : {}) });
    if (flags.promote) await reg.promote(name, v, flags.alias ?? 'production');
    if (flags.json) return json({ name, version: v, alias: flags.promote ? (flags.alias ?? 'production') : null });
    out(`registered ${name} v${v}${flags.promote ? `; ${flags.alias ?? 'production'} → v${v}` : ''}`);
  });
}

export async function promoteCommand(name: string, v: string, flags: RegistryFlags & { alias?: string }): Promise<void> {
  const alias = flags.alias ?? 'production';
  await withRegistry(flags, false, async (reg) => {
    await reg.promote(name, version(v), alias);
    if (flags.json) return json({ name, alias, version: version(v) });
    out(`${name}: ${alias} → v${version(v)}`);
  });
}

export async function rollbackCommand(name: string, flags: RegistryFlags & { alias?: string; to?: string }): Promise<void> {
  const alias = flags.alias ?? 'production';
  await withRegistry(flags, false, async (reg) => {
    const now = await reg.rollback(name, alias, flags.to === undefined ? undefined : version(flags.to, '--to'));
    if (flags.json) return json({ name, alias, version: now });
    out(`${name}: ${alias} rolled back → v${now}`);
  });
}

export async function retireCommand(name: string, v: string, flags: RegistryFlags & { force?: boolean }): Promise<void> {
  await withRegistry(flags, false, async (reg) => {
    try {
      await reg.retire(name, version(v), { force: flags.force === true });
    } catch (e) {
      if (e instanceof Error) e.message = e.message.replace('pass { force: true }', 'pass --force'); // the CLI's spelling
      throw e;
    }
    if (flags.json) return json({ name, version: version(v), status: 'retired' });
    out(`${name}: v${version(v)} retired`);
  });
}

export async function aliasCommand(name: string, alias: string, v: string | undefined, flags: RegistryFlags & { delete?: boolean }): Promise<void> {
  await withRegistry(flags, flags.delete !== true && v === undefined, async (reg) => {
    if (flags.delete) {
      if (v !== undefined) throw new ParamError('alias --delete takes no version');
      await reg.deleteAlias(name, alias);
      if (flags.json) return json({ name, alias, version: null });
      return out(`${name}: alias ${alias} deleted`);
    }
    if (v === undefined) {
      const all = await reg.listAliases(name);
      const a = all.find((x) => x.alias === alias);
      if (!a) throw new ParamError(`${name} has no alias ${JSON.stringify(alias)}; its aliases: ${all.map((x) => x.alias).join(', ') || 'none'}`);
      if (flags.json) return json(a);
      return out(`${name}: ${alias} → v${a.version}${a.previousVersion !== null ? ` (before: v${a.previousVersion})` : ''}`);
    }
    await reg.setAlias(name, alias, version(v));
    if (flags.json) return json({ name, alias, version: version(v) });
    out(`${name}: ${alias} → v${version(v)}`);
  });
}

export async function auditCommand(name: string | undefined, flags: RegistryFlags & { limit?: number }): Promise<void> {
  await withRegistry(flags, true, async (reg) => {
    const entries = await reg.audit(name, flags.limit !== undefined ? { limit: flags.limit } : {});
    if (flags.json) return json(entries);
    out(
      textTable(
        ['at', 'actor', 'action', 'model', 'version', 'detail'],
        entries.map((e) => [e.at, e.actor, e.action, e.model ?? '-', e.version === null ? '-' : String(e.version), short(JSON.stringify(e.detail))]),
      ),
    );
  });
}

/**
 * `kiln registry copy <from> <to>`: copies a whole registry (an SQLite file into PostgreSQL, say)
 * with its model files, then verifies it (row counts and digests of every table, every file
 * intact). Safe to re-run: a target that already holds the source is left as it is.
 */
export async function copyCommand(from: string, to: string, flags: { json?: boolean; store?: string; fromStore?: string }): Promise<void> {
  const report = await copyRegistry(registryLocation(from), registryLocation(to), {
    ...(flags.fromStore !== undefined ? { from: { storeDir: resolve(flags.fromStore) } } : {}),
    ...(flags.store !== undefined ? { to: { storeDir: resolve(flags.store) } } : {}),
  });
  if (flags.json) {
    json(report);
    return;
  }
  const counts = Object.entries(report.counts)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  out(`${report.copied ? 'copied' : 'already copied (nothing written)'}: ${counts}, ${report.artifacts} model files; verified (counts and digests match)`);
}

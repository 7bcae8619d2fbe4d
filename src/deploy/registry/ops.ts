/**
 * The registry's operations, written once for every backend. Each operation is a generator that
 * yields the SQL statements it needs ({ op, sql, params } with `?` placeholders) and receives
 * their results; a backend runs it with `runSync` (SQLite: better-sqlite3 is synchronous, so the
 * SQLite registry keeps its synchronous API) or `runAsync` (PostgreSQL), inside one transaction
 * for a write. The SQL is the subset both databases read the same way (RETURNING, ON CONFLICT,
 * CAST, coalesce); what differs (placeholders, integrity checks, locking) lives in the backends.
 */
import { NotFoundError, ParamError, RegistryError } from '../../core/errors.js';
import type { Lineage } from '../manifest.js';
import { checkAlias, checkName, checkVersion } from './checks.js';
import { checkDigest } from './store.js';
import type { AliasInfo, AuditEntry, ModelSummary, ModelVersion, VersionStatus } from './types.js';

/** One statement an operation needs run: `get` → the first row or undefined, `all` → rows, `run` → nothing. */
export interface Query {
  op: 'get' | 'all' | 'run';
  sql: string;
  params: unknown[];
}
/** An operation: yields statements, returns its result. */
export type Op<T> = Generator<Query, T, unknown>;

/** What operations need of the registry they run on: its name in messages and where an artifact lives. */
export interface OpsContext {
  where: string;
  artifactPath(sha256: string): string;
}

function* get<T>(sql: string, ...params: unknown[]): Op<T | undefined> {
  return (yield { op: 'get', sql, params }) as T | undefined;
}
function* all<T>(sql: string, ...params: unknown[]): Op<T[]> {
  return (yield { op: 'all', sql, params }) as T[];
}
function* run(sql: string, ...params: unknown[]): Op<void> {
  yield { op: 'run', sql, params };
}

/** Runs an operation whose statements execute synchronously (a statement's error is thrown into the operation). */
export function runSync<T>(op: Op<T>, exec: (q: Query) => unknown): T {
  let step = op.next();
  while (!step.done) {
    let value: unknown;
    try {
      value = exec(step.value);
    } catch (e) {
      step = op.throw(e);
      continue;
    }
    step = op.next(value);
  }
  return step.value;
}

/** Runs an operation whose statements execute asynchronously, one after another. */
export async function runAsync<T>(op: Op<T>, exec: (q: Query) => Promise<unknown>): Promise<T> {
  let step = op.next();
  while (!step.done) {
    let value: unknown;
    try {
      value = await exec(step.value);
    } catch (e) {
      step = op.throw(e);
      continue;
    }
    step = op.next(value);
  }
  return step.value;
}

interface VersionRow {
  name: string;
  version: number;
  status: VersionStatus;
  artifact_sha256: string;
  artifact_bytes: number;
  class_name: string;
  params: string;
  metrics: string;
  tags: string;
  lineage: string;
  description: string | null;
  created_at: string;
  created_by: string;
}

const VERSION_COLUMNS = `m.name AS name, v.version AS version, v.status AS status, v.artifact_sha256 AS artifact_sha256,
  v.artifact_bytes AS artifact_bytes, v.class_name AS class_name, v.params AS params, v.metrics AS metrics, v.tags AS tags,
  v.lineage AS lineage, v.description AS description, v.created_at AS created_at, v.created_by AS created_by`;

// ---- building blocks ------------------------------------------------------------------------

function* modelId(ctx: OpsContext, name: string, what: string): Op<number> {
  const row = yield* get<{ id: number }>('SELECT id FROM models WHERE name = ?', name);
  if (!row) throw new NotFoundError(`${what}: no model named '${name}' in the registry ${ctx.where}`);
  return row.id;
}

function* aliasesById(id: number): Op<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const a of yield* all<{ alias: string; version: number }>('SELECT alias, version FROM aliases WHERE model_id = ? ORDER BY alias', id)) {
    out.set(a.version, [...(out.get(a.version) ?? []), a.alias]);
  }
  return out;
}

function* aliasHint(id: number): Op<string> {
  const names = (yield* all<{ alias: string }>('SELECT alias FROM aliases WHERE model_id = ? ORDER BY alias', id)).map((a) => a.alias);
  return names.length ? ` (its aliases: ${names.join(', ')})` : ' (it has no aliases)';
}

function* aliasTarget(id: number, alias: string): Op<number | undefined> {
  return (yield* get<{ version: number }>('SELECT version FROM aliases WHERE model_id = ? AND alias = ?', id, alias))?.version;
}

function record(ctx: OpsContext, r: VersionRow, aliases: Map<number, string[]>): ModelVersion {
  return {
    name: r.name,
    version: r.version,
    status: r.status,
    artifactPath: ctx.artifactPath(checkDigest(r.artifact_sha256, `${r.name} v${r.version}`)),
    artifactSha256: r.artifact_sha256,
    artifactBytes: Number(r.artifact_bytes),
    className: r.class_name,
    params: JSON.parse(r.params),
    metrics: JSON.parse(r.metrics),
    tags: JSON.parse(r.tags),
    lineage: JSON.parse(r.lineage),
    ...(r.description !== null ? { description: r.description } : {}),
    createdAt: r.created_at,
    createdBy: r.created_by,
    aliases: aliases.get(r.version) ?? [],
  };
}

function* versionRecord(ctx: OpsContext, id: number, name: string, version: number, what: string): Op<ModelVersion> {
  const row = yield* get<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM versions v JOIN models m ON m.id = v.model_id WHERE v.model_id = ? AND v.version = ?`,
    id,
    version,
  );
  if (!row) throw new NotFoundError(`${what}: model '${name}' has no version ${version}`);
  return record(ctx, row, yield* aliasesById(id));
}

function* log(actor: string, action: string, model: string | null, version: number | null, detail: Record<string, unknown>): Op<void> {
  yield* run(
    'INSERT INTO audit (at, actor, action, model, version, detail) VALUES (?, ?, ?, ?, ?, ?)',
    new Date().toISOString(),
    actor,
    action,
    model,
    version,
    JSON.stringify(detail),
  );
}

// ---- reads ----------------------------------------------------------------------------------

export function* changeCounter(): Op<number> {
  return Number((yield* get<{ counter: number }>('SELECT counter FROM changes WHERE id = 1'))?.counter ?? 0);
}

export function* listModels(): Op<ModelSummary[]> {
  const models = yield* all<{ id: number; name: string; created_at: string; created_by: string; n: number; latest: number }>(
    `SELECT m.id, m.name, m.created_at, m.created_by, CAST(count(v.version) AS INTEGER) AS n, CAST(coalesce(max(v.version), 0) AS INTEGER) AS latest
     FROM models m LEFT JOIN versions v ON v.model_id = m.id GROUP BY m.id, m.name, m.created_at, m.created_by ORDER BY m.name`,
  );
  const aliases = yield* all<{ model_id: number; alias: string; version: number }>('SELECT model_id, alias, version FROM aliases ORDER BY alias');
  return models.map((m) => ({
    name: m.name,
    createdAt: m.created_at,
    createdBy: m.created_by,
    versions: Number(m.n),
    latestVersion: Number(m.latest),
    aliases: Object.fromEntries(aliases.filter((a) => a.model_id === m.id).map((a) => [a.alias, a.version])),
  }));
}

export function* listVersions(ctx: OpsContext, name: string): Op<ModelVersion[]> {
  checkName(name, 'listVersions');
  const id = yield* modelId(ctx, name, 'listVersions');
  const rows = yield* all<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM versions v JOIN models m ON m.id = v.model_id WHERE v.model_id = ? ORDER BY v.version`,
    id,
  );
  const aliases = yield* aliasesById(id);
  return rows.map((r) => record(ctx, r, aliases));
}

export function* getVersion(ctx: OpsContext, name: string, version: number): Op<ModelVersion> {
  checkName(name, 'getVersion');
  checkVersion(version, 'getVersion');
  return yield* versionRecord(ctx, yield* modelId(ctx, name, 'getVersion'), name, version, 'getVersion');
}

export function* resolve(ctx: OpsContext, name: string, aliasOrVersion: string | number): Op<ModelVersion> {
  checkName(name, 'resolve');
  const id = yield* modelId(ctx, name, 'resolve');
  let version: number;
  if (typeof aliasOrVersion === 'number' || (typeof aliasOrVersion === 'string' && /^\d+$/.test(aliasOrVersion))) {
    version = checkVersion(Number(aliasOrVersion), 'resolve');
  } else if (aliasOrVersion === 'latest') {
    const row = yield* get<{ v: number | null }>("SELECT max(version) AS v FROM versions WHERE model_id = ? AND status = 'active'", id);
    if (row?.v === null || row?.v === undefined) throw new NotFoundError(`resolve: model '${name}' has no active version`);
    version = row.v;
  } else {
    const alias = checkAlias(aliasOrVersion, 'resolve');
    const v = yield* aliasTarget(id, alias);
    if (v === undefined) throw new NotFoundError(`resolve: model '${name}' has no alias '${alias}'${yield* aliasHint(id)}`);
    version = v;
  }
  const rec = yield* versionRecord(ctx, id, name, version, 'resolve');
  if (rec.status === 'retired') throw new RegistryError(`resolve: version ${version} of '${name}' is retired`);
  return rec;
}

export function* listAliases(ctx: OpsContext, name: string): Op<AliasInfo[]> {
  checkName(name, 'listAliases');
  const id = yield* modelId(ctx, name, 'listAliases');
  const rows = yield* all<{ alias: string; version: number; previous_version: number | null; updated_at: string; updated_by: string }>(
    'SELECT alias, version, previous_version, updated_at, updated_by FROM aliases WHERE model_id = ? ORDER BY alias',
    id,
  );
  return rows.map((a) => ({ alias: a.alias, version: a.version, previousVersion: a.previous_version, updatedAt: a.updated_at, updatedBy: a.updated_by }));
}

/** Where an alias points now, by model name (undefined when either is missing). */
export function* aliasNow(name: string, alias: string): Op<number | undefined> {
  return (yield* get<{ version: number }>('SELECT a.version FROM aliases a JOIN models m ON m.id = a.model_id WHERE m.name = ? AND a.alias = ?', name, alias))
    ?.version;
}

export function* audit(name: string | undefined, opts: { sinceId?: number; limit?: number } = {}): Op<AuditEntry[]> {
  if (name !== undefined) checkName(name, 'audit');
  const since = opts.sinceId ?? 0;
  const limit = opts.limit ?? -1;
  const lim = limit >= 0 ? ` LIMIT ${Math.floor(limit)}` : '';
  const rows =
    name === undefined
      ? yield* all<AuditRow>(`SELECT id, at, actor, action, model, version, detail FROM audit WHERE id > ? ORDER BY id${lim}`, since)
      : yield* all<AuditRow>(`SELECT id, at, actor, action, model, version, detail FROM audit WHERE model = ? AND id > ? ORDER BY id${lim}`, name, since);
  return rows.map((r) => ({ ...r, id: Number(r.id), detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
type AuditRow = { id: number; at: string; actor: string; action: string; model: string | null; version: number | null; detail: string };

/** Every version's artifact digest and size, for verify. */
export function* artifacts(): Op<{ name: string; version: number; artifact_sha256: string; artifact_bytes: number }[]> {
  return yield* all(
    'SELECT m.name, v.version, v.artifact_sha256, v.artifact_bytes FROM versions v JOIN models m ON m.id = v.model_id ORDER BY m.name, v.version',
  );
}

// ---- writes ---------------------------------------------------------------------------------

/** The checked columns of a new version (register prepares them, and its artifact, before the transaction). */
export interface NewVersion {
  name: string;
  actor: string;
  sha256: string;
  bytes: number;
  className: string;
  params: string;
  metrics: string;
  tags: string;
  lineage: Lineage;
  lineageJson: string;
  description: string | null;
}

/** Adds a version (creating the model on first use); the number is max + 1 under the backend's write lock. */
export function* register(v: NewVersion): Op<number> {
  const at = new Date().toISOString();
  const { name, actor } = v;
  let id = (yield* get<{ id: number }>('SELECT id FROM models WHERE name = ?', name))?.id;
  if (id === undefined) {
    id = (yield* get<{ id: number }>('INSERT INTO models (name, created_at, created_by) VALUES (?, ?, ?) RETURNING id', name, at, actor))!.id;
    yield* log(actor, 'create_model', name, null, {});
  }
  const { lineage } = v;
  if (lineage.parentVersion !== undefined && lineage.parentModel === undefined) {
    if (!(yield* get('SELECT 1 AS one FROM versions WHERE model_id = ? AND version = ?', id, lineage.parentVersion))) {
      throw new NotFoundError(`register: lineage.parentVersion ${lineage.parentVersion} is not a version of '${name}'`);
    }
  }
  const version = Number((yield* get<{ v: number }>('SELECT CAST(coalesce(max(version), 0) + 1 AS INTEGER) AS v FROM versions WHERE model_id = ?', id))!.v);
  yield* run(
    `INSERT INTO versions (model_id, version, status, artifact_sha256, artifact_bytes, class_name, params, metrics, tags, lineage,
     description, created_at, created_by) VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    id,
    version,
    v.sha256,
    v.bytes,
    v.className,
    v.params,
    v.metrics,
    v.tags,
    v.lineageJson,
    v.description,
    at,
    actor,
  );
  yield* log(actor, 'register', name, version, { sha256: v.sha256, className: v.className, metrics: JSON.parse(v.metrics), lineage });
  return version;
}

/** Points `alias` at `version`, remembering where it pointed for rollback. */
export function* moveAlias(ctx: OpsContext, name: string, alias: string, version: number, action: string, actor: string, what: string): Op<void> {
  const id = yield* modelId(ctx, name, what);
  const rec = yield* versionRecord(ctx, id, name, version, what);
  if (rec.status === 'retired') throw new RegistryError(`${what}: version ${version} of '${name}' is retired and cannot be aliased`);
  const cur = yield* aliasTarget(id, alias);
  if (cur === version) return;
  const at = new Date().toISOString();
  if (cur !== undefined) {
    yield* run('INSERT INTO alias_history (model_id, alias, version) VALUES (?, ?, ?)', id, alias, cur);
    yield* run(
      'UPDATE aliases SET version = ?, previous_version = ?, updated_at = ?, updated_by = ? WHERE model_id = ? AND alias = ?',
      version,
      cur,
      at,
      actor,
      id,
      alias,
    );
  } else {
    yield* run(
      'INSERT INTO aliases (model_id, alias, version, previous_version, updated_at, updated_by) VALUES (?, ?, ?, NULL, ?, ?)',
      id,
      alias,
      version,
      at,
      actor,
    );
  }
  yield* log(actor, action, name, version, { alias, from: cur ?? null, to: version });
}

export function* rollback(ctx: OpsContext, name: string, alias: string, toVersion: number | undefined, actor: string): Op<number> {
  const id = yield* modelId(ctx, name, 'rollback');
  const cur = yield* aliasTarget(id, alias);
  if (cur === undefined) throw new NotFoundError(`rollback: model '${name}' has no alias '${alias}'${yield* aliasHint(id)}`);
  const history = yield* all<{ id: number; version: number; status: VersionStatus }>(
    'SELECT h.id, h.version, v.status FROM alias_history h JOIN versions v ON v.model_id = h.model_id AND v.version = h.version WHERE h.model_id = ? AND h.alias = ? ORDER BY h.id DESC',
    id,
    alias,
  );
  let target: number;
  let dropFrom: number | undefined; // history rows with id >= this are consumed
  if (toVersion === undefined) {
    const prev = history.find((h) => h.status !== 'retired' && h.version !== cur);
    if (!prev)
      throw new RegistryError(
        `rollback: alias '${alias}' of '${name}' has no earlier version to roll back to (it points to ${cur}); use promote to choose one`,
      );
    target = prev.version;
    dropFrom = prev.id;
  } else {
    const rec = yield* versionRecord(ctx, id, name, toVersion, 'rollback');
    if (rec.status === 'retired') throw new RegistryError(`rollback: version ${toVersion} of '${name}' is retired and cannot be aliased`);
    target = toVersion;
    dropFrom = history.find((h) => h.version === toVersion)?.id;
  }
  if (dropFrom !== undefined) yield* run('DELETE FROM alias_history WHERE model_id = ? AND alias = ? AND id >= ?', id, alias, dropFrom);
  if (target !== cur) {
    yield* run(
      'UPDATE aliases SET version = ?, previous_version = ?, updated_at = ?, updated_by = ? WHERE model_id = ? AND alias = ?',
      target,
      cur,
      new Date().toISOString(),
      actor,
      id,
      alias,
    );
  }
  yield* log(actor, 'rollback', name, target, { alias, from: cur, to: target });
  return target;
}

function* dropAlias(id: number, alias: string): Op<void> {
  yield* run('DELETE FROM aliases WHERE model_id = ? AND alias = ?', id, alias);
  yield* run('DELETE FROM alias_history WHERE model_id = ? AND alias = ?', id, alias);
}

export function* deleteAlias(ctx: OpsContext, name: string, alias: string, actor: string): Op<void> {
  const id = yield* modelId(ctx, name, 'deleteAlias');
  const cur = yield* aliasTarget(id, alias);
  if (cur === undefined) throw new NotFoundError(`deleteAlias: model '${name}' has no alias '${alias}'${yield* aliasHint(id)}`);
  yield* dropAlias(id, alias);
  yield* log(actor, 'delete_alias', name, cur, { alias });
}

export function* retire(ctx: OpsContext, name: string, version: number, force: boolean, actor: string): Op<void> {
  const id = yield* modelId(ctx, name, 'retire');
  const rec = yield* versionRecord(ctx, id, name, version, 'retire');
  if (rec.status === 'retired') return;
  if (rec.aliases.length > 0) {
    if (!force) {
      throw new RegistryError(
        `retire: version ${version} of '${name}' is aliased as ${rec.aliases.join(', ')}; promote another version first, or pass { force: true } to delete ${rec.aliases.length > 1 ? 'those aliases' : 'that alias'}`,
      );
    }
    for (const alias of rec.aliases) {
      yield* dropAlias(id, alias);
      yield* log(actor, 'delete_alias', name, version, { alias, reason: 'retire --force' });
    }
  }
  yield* run("UPDATE versions SET status = 'retired' WHERE model_id = ? AND version = ?", id, version);
  yield* log(actor, 'retire', name, version, { from: rec.status, force });
}

export function* setStatus(ctx: OpsContext, name: string, version: number, status: VersionStatus, actor: string, what: string): Op<void> {
  const id = yield* modelId(ctx, name, what);
  const rec = yield* versionRecord(ctx, id, name, version, what);
  if (rec.status === status) return;
  if (rec.status === 'retired') throw new RegistryError(`${what}: version ${version} of '${name}' is retired; retired versions stay retired`);
  yield* run('UPDATE versions SET status = ? WHERE model_id = ? AND version = ?', status, id, version);
  yield* log(actor, what, name, version, { from: rec.status, to: status });
}

// ---- whole-registry copies ------------------------------------------------------------------

/** Every row of a registry, in a fixed order and with fixed column types: what copyRegistry moves and digests. */
export interface RegistryDump {
  models: { id: number; name: string; created_at: string; created_by: string }[];
  versions: (Omit<VersionRow, 'name'> & { model_id: number })[];
  aliases: { model_id: number; alias: string; version: number; previous_version: number | null; updated_at: string; updated_by: string }[];
  alias_history: { id: number; model_id: number; alias: string; version: number }[];
  audit: AuditRow[];
}

const DUMP_COLUMNS = {
  models: ['id', 'name', 'created_at', 'created_by'],
  versions: [
    'model_id',
    'version',
    'status',
    'artifact_sha256',
    'artifact_bytes',
    'class_name',
    'params',
    'metrics',
    'tags',
    'lineage',
    'description',
    'created_at',
    'created_by',
  ],
  aliases: ['model_id', 'alias', 'version', 'previous_version', 'updated_at', 'updated_by'],
  alias_history: ['id', 'model_id', 'alias', 'version'],
  audit: ['id', 'at', 'actor', 'action', 'model', 'version', 'detail'],
} as const;
const DUMP_ORDER: Record<keyof RegistryDump, string> = {
  models: 'id',
  versions: 'model_id, version',
  aliases: 'model_id, alias',
  alias_history: 'id',
  audit: 'id',
};
const INTEGER_COLUMNS = new Set(['id', 'model_id', 'version', 'artifact_bytes', 'previous_version']);
export const DUMP_TABLES = Object.keys(DUMP_COLUMNS) as (keyof RegistryDump)[];

export function* dump(): Op<RegistryDump> {
  const out = {} as Record<string, unknown[]>;
  for (const table of DUMP_TABLES) {
    const cols = DUMP_COLUMNS[table];
    const rows = yield* all<Record<string, unknown>>(`SELECT ${cols.join(', ')} FROM ${table} ORDER BY ${DUMP_ORDER[table]}`);
    // the same JS types from either database (PostgreSQL's bigint arrives as a string)
    out[table] = rows.map((r) => Object.fromEntries(cols.map((c) => [c, INTEGER_COLUMNS.has(c) && r[c] !== null ? Number(r[c]) : r[c]])));
  }
  return out as unknown as RegistryDump;
}

/** Whether the registry has no models and no audit entries. */
export function* isEmpty(): Op<boolean> {
  const m = yield* get('SELECT 1 AS one FROM models LIMIT 1');
  const a = yield* get('SELECT 1 AS one FROM audit LIMIT 1');
  return !m && !a;
}

/** Writes a dump into an empty registry, keeping every id (the backend resets its id sequences afterwards). */
export function* restore(d: RegistryDump): Op<void> {
  if (!(yield* isEmpty())) throw new RegistryError('copyRegistry: the target registry is not empty');
  for (const table of DUMP_TABLES) {
    const cols = DUMP_COLUMNS[table];
    const sql = `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    for (const row of d[table] as unknown as Record<string, unknown>[]) yield* run(sql, ...cols.map((c) => row[c]));
  }
}

/** An actor option as the audit log records it. */
export function actorOf(opts: { actor?: unknown } | undefined, fallback: string, what: string): string {
  const a = opts?.actor ?? fallback;
  if (typeof a !== 'string' || a === '') throw new ParamError(`${what}: actor must be a non-empty string`);
  return a;
}

/**
 * The model registry on PostgreSQL (the `pg` package, an optional peer dependency loaded on first
 * use): the same operations as the SQLite registry (ops.ts, flows.ts), every method async.
 *
 * Guarantees, each enforced by the database: every change is one transaction that first takes
 * the registry's transaction-scoped advisory lock, so writers from any number of processes queue
 * (up to busyTimeoutMs, as lock_timeout) and two never get the same version number; a writer
 * killed or disconnected mid-transaction leaves nothing of it (PostgreSQL rolls it back); the
 * audit log refuses UPDATE, DELETE and TRUNCATE by trigger; every change to a version or an alias
 * NOTIFYs channel `kiln_registry` at commit, which `watch` LISTENs to so servers hot-swap without
 * polling. Model files go to the same content-addressed store as the SQLite registry's (a
 * directory shared by every process that loads them; the first open records it in the database).
 */
import { resolve as resolvePath } from 'node:path';
import type pg from 'pg';
import { KilnError, NotFoundError, ParamError, RegistryError } from '../../core/errors.js';
import type { ModelManifest } from '../manifest.js';
import { checkAlias, checkName, checkVersion, defaultActor } from './checks.js';
import * as flows from './flows.js';
import * as ops from './ops.js';
import { type RegistryDump, runAsync } from './ops.js';
import { PG_CHANNEL, PG_LOCK_KEY, pgMigrate } from './pg-schema.js';
import { ArtifactStore } from './store.js';
import type { ActorOption, AliasInfo, AuditEntry, ModelSummary, ModelVersion, OpenOptions, RegisterOptions, VersionStatus } from './types.js';

export interface PgOpenOptions extends OpenOptions {
  /** How long connecting may take before the open (or a query) fails, ms (default 5000). */
  connectTimeoutMs?: number;
  /** Connections in the pool (default 4). */
  poolSize?: number;
}

/** Whether a registry location is a PostgreSQL URL (postgres:// or postgresql://) rather than an SQLite file path. */
export function isPostgresUrl(location: unknown): boolean {
  return typeof location === 'string' && /^postgres(ql)?:\/\//i.test(location);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

/** A PostgreSQL or connection failure as a KilnError that says what to do. */
export function pgError(e: unknown, what: string, where: string): KilnError {
  if (e instanceof KilnError) return e;
  const err = e as { code?: string; message?: string };
  const code = typeof err?.code === 'string' ? err.code : '';
  const msg = err?.message ?? String(e);
  const opts = { cause: e };
  if (code === '28P01' || code === '28000')
    return new RegistryError(`${what}: PostgreSQL at ${where} refused the login (${msg}); check the user name and password in the URL`, opts);
  if (code === '3D000') return new NotFoundError(`${what}: ${msg} at ${where}; create it (createdb) or fix the database name in the URL`, opts);
  const sqlstate = /^[0-9A-Z]{5}$/.test(code);
  if (UNREACHABLE.has(code) || (!sqlstate && /timeout|terminated unexpectedly|Connection terminated/i.test(msg)))
    return new RegistryError(`${what}: cannot reach PostgreSQL at ${where} (${msg}); check that it is running and that the host and port are right`, opts);
  if (code === '55P03') return new RegistryError(`${what}: another writer held the registry longer than busyTimeoutMs (${msg}) [${code}]`, opts);
  if (code === '57P01' || code === '57P02' || code === '57P03')
    return new RegistryError(`${what}: the database connection was terminated (${msg}); the change was rolled back, nothing of it was kept [${code}]`, opts);
  if (code === '25006') return new RegistryError(`${what}: the registry was opened read-only (${msg}) [${code}]`, opts);
  if (sqlstate) return new RegistryError(`${what}: ${msg} [${code}]`, opts);
  return new RegistryError(`${what}: ${msg}`, opts);
}

/** `?` placeholders (what ops.ts writes) as PostgreSQL's $1, $2, … */
const placeholders = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

async function exec(c: Queryable, q: ops.Query): Promise<unknown> {
  const res = await c.query(placeholders(q.sql), q.params);
  if (q.op === 'get') return res.rows[0];
  if (q.op === 'all') return res.rows;
  return undefined;
}

export class PgModelRegistry {
  /** The database URL, without its password. */
  readonly path: string;
  /** Where the model files are stored. */
  readonly storeDir: string;
  private readonly pool: pg.Pool;
  private readonly pgLib: typeof pg;
  private readonly config: pg.PoolConfig;
  /** The content-addressed store of model files (by SHA-256). */
  readonly store: ArtifactStore;
  private readonly actor: string;
  private readonly readonly: boolean;
  private readonly busyMs: number;
  private readonly ctx: ops.OpsContext;
  private readonly backend: flows.Backend;
  private closed = false;
  private readonly watchers = new Set<() => void>();
  private listener: pg.Client | undefined;
  private relisten: NodeJS.Timeout | undefined;

  private constructor(
    lib: typeof pg,
    pool: pg.Pool,
    config: pg.PoolConfig,
    where: string,
    store: ArtifactStore,
    actor: string,
    readonly: boolean,
    busyMs: number,
  ) {
    this.pgLib = lib;
    this.pool = pool;
    this.config = config;
    this.path = where;
    this.store = store;
    this.storeDir = store.dir;
    this.actor = actor;
    this.readonly = readonly;
    this.busyMs = busyMs;
    this.ctx = { where, artifactPath: (sha) => store.pathOf(sha) };
    this.backend = { ctx: this.ctx, store, actor, read: (what, op) => this.read(what, op), write: (what, op) => this.write(what, op) };
  }

  /**
   * Connects to the registry at `url` (postgres://user:password@host:port/database), creating or
   * migrating its tables when needed (not when `readonly`). Bad URLs, unreachable servers and
   * refused logins fail within connectTimeoutMs with an E_REGISTRY (or E_PARAM) error.
   */
  static async open(url: string, opts: PgOpenOptions = {}): Promise<PgModelRegistry> {
    if (!isPostgresUrl(url)) throw new ParamError(`PgModelRegistry.open: url must be a postgres:// or postgresql:// URL, got ${JSON.stringify(url)}`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ParamError(`PgModelRegistry.open: ${redactUrl(url)} is not a valid URL (postgres://user:password@host:port/database)`);
    }
    if (!parsed.hostname && !parsed.searchParams.get('host'))
      throw new ParamError(`PgModelRegistry.open: ${redactUrl(url)} names no host (postgres://user:password@host:port/database)`);
    const where = redactUrl(url);
    const busy = opts.busyTimeoutMs ?? 10_000;
    if (!Number.isFinite(busy) || busy < 0) throw new ParamError(`PgModelRegistry.open: busyTimeoutMs must be >= 0, got ${busy}`);
    const connectMs = opts.connectTimeoutMs ?? 5000;
    if (!Number.isFinite(connectMs) || connectMs <= 0) throw new ParamError(`PgModelRegistry.open: connectTimeoutMs must be > 0, got ${connectMs}`);
    const poolSize = opts.poolSize ?? 4;
    if (!Number.isSafeInteger(poolSize) || poolSize < 1) throw new ParamError(`PgModelRegistry.open: poolSize must be a positive integer, got ${poolSize}`);
    if (opts.actor !== undefined && (typeof opts.actor !== 'string' || opts.actor === ''))
      throw new ParamError('PgModelRegistry.open: actor must be a non-empty string');
    let lib: typeof pg;
    try {
      lib = (await import('pg')).default;
    } catch (e) {
      throw new RegistryError(
        `PgModelRegistry.open: the pg package could not be loaded (${(e as Error).message}); install it (npm install pg) to use a PostgreSQL registry`,
        {
          cause: e,
        },
      );
    }
    const config: pg.PoolConfig = {
      connectionString: url,
      connectionTimeoutMillis: connectMs,
      max: poolSize,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      keepAlive: true,
      application_name: 'kiln-registry',
      ...(opts.readonly ? { options: '-c default_transaction_read_only=on' } : {}),
    };
    const pool = new lib.Pool(config);
    pool.on('error', () => undefined); // an idle connection dropped by the server: the pool replaces it on next use
    const candidate = resolvePath(opts.storeDir ?? process.env.KILN_REGISTRY_STORE ?? 'kiln-registry.artifacts');
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      const recorded = await pgMigrate(client, where, !!opts.readonly, candidate);
      client.release();
      client = undefined;
      const storeDir = opts.storeDir ?? process.env.KILN_REGISTRY_STORE ?? recorded ?? candidate;
      return new PgModelRegistry(lib, pool, config, where, new ArtifactStore(storeDir), opts.actor ?? defaultActor(), !!opts.readonly, busy);
    } catch (e) {
      client?.release(true);
      await pool.end().catch(() => undefined);
      throw pgError(e, 'ModelRegistry.open', where);
    }
  }

  /** Closes the connections (and the LISTEN connection); the registry cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watchers.clear();
    this.stopListening();
    await this.pool.end().catch(() => undefined);
  }

  // ---- reads ------------------------------------------------------------------------------

  /** A number that changes whenever a version is added or changes status, or an alias moves — from any process. */
  changeCounter(): Promise<number> {
    return this.read('changeCounter', ops.changeCounter());
  }

  listModels(): Promise<ModelSummary[]> {
    return this.read('listModels', ops.listModels());
  }

  listVersions(name: string): Promise<ModelVersion[]> {
    return this.read('listVersions', ops.listVersions(this.ctx, name));
  }

  getVersion(name: string, version: number): Promise<ModelVersion> {
    return this.read('getVersion', ops.getVersion(this.ctx, name, version));
  }

  /** The version an alias points to, or a version by number, or 'latest' (the highest active). Retired versions do not resolve. */
  resolve(name: string, aliasOrVersion: string | number): Promise<ModelVersion> {
    return this.read('resolve', ops.resolve(this.ctx, name, aliasOrVersion));
  }

  listAliases(name: string): Promise<AliasInfo[]> {
    return this.read('listAliases', ops.listAliases(this.ctx, name));
  }

  /** The audit log, oldest first (of one model, or all). */
  audit(name?: string, opts: { sinceId?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    return this.read('audit', ops.audit(name, opts));
  }

  /** Checks that the audit log's triggers are in place and that every version's model file is in the store with its SHA-256. */
  async verify(): Promise<{ ok: boolean; problems: string[] }> {
    const triggers = await this.read('verify', triggerCheck());
    return flows.verify(this.backend, triggers);
  }

  /** Every row (for copyRegistry), read in one REPEATABLE READ snapshot. */
  async dump(): Promise<RegistryDump> {
    return this.transaction('dump', ops.dump(), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', false);
  }

  /** Writes a dump into this registry, which must be empty (copyRegistry), in one transaction; id sequences continue after the copied ids. */
  restore(d: RegistryDump): Promise<void> {
    return this.write('restore', restoreAndReseed(d));
  }

  /**
   * Calls `onChange` whenever a version or an alias changes, in this or any other process (LISTEN
   * on one connection of its own; after a lost connection it reconnects and calls `onChange` once,
   * since changes may have been missed). Returns the function that stops watching.
   */
  watch(onChange: () => void): () => void {
    if (this.closed) throw new RegistryError('watch: the registry is closed');
    this.watchers.add(onChange);
    if (!this.listener && !this.relisten) void this.listen(false);
    return () => {
      this.watchers.delete(onChange);
      if (this.watchers.size === 0) this.stopListening();
    };
  }

  // ---- writes -----------------------------------------------------------------------------

  /** Registers a new version of `name` (created on first use); the artifact goes to the store first, the rows are one transaction. */
  register(name: string, opts: RegisterOptions): Promise<number> {
    return flows.register(this.backend, name, opts);
  }

  async setAlias(name: string, alias: string, version: number, opts: ActorOption = {}): Promise<void> {
    await flows.setAlias(this.backend, name, alias, version, opts);
  }

  /** Moves `alias` to `version` after the version loads and passes a warm-up prediction (see ModelRegistry.promote). */
  promote(name: string, version: number, alias = 'production', opts: ActorOption & { warmUp?: boolean } = {}): Promise<void> {
    return flows.promote(this.backend, name, version, alias, opts);
  }

  load<T = any>(name: string, aliasOrVersion: string | number): Promise<{ model: T; manifest: ModelManifest; version: ModelVersion }> {
    return flows.load<T>(this.backend, name, aliasOrVersion);
  }

  async rollback(name: string, alias = 'production', toVersion?: number, opts: ActorOption = {}): Promise<number> {
    checkName(name, 'rollback');
    checkAlias(alias, 'rollback');
    if (toVersion !== undefined) checkVersion(toVersion, 'rollback');
    return this.write('rollback', ops.rollback(this.ctx, name, alias, toVersion, ops.actorOf(opts, this.actor, 'rollback')));
  }

  async deleteAlias(name: string, alias: string, opts: ActorOption = {}): Promise<void> {
    checkName(name, 'deleteAlias');
    checkAlias(alias, 'deleteAlias');
    await this.write('deleteAlias', ops.deleteAlias(this.ctx, name, alias, ops.actorOf(opts, this.actor, 'deleteAlias')));
  }

  archive(name: string, version: number, opts: ActorOption = {}): Promise<void> {
    return this.setStatus(name, version, 'archived', opts, 'archive');
  }

  activate(name: string, version: number, opts: ActorOption = {}): Promise<void> {
    return this.setStatus(name, version, 'active', opts, 'activate');
  }

  async retire(name: string, version: number, opts: ActorOption & { force?: boolean } = {}): Promise<void> {
    checkName(name, 'retire');
    checkVersion(version, 'retire');
    await this.write('retire', ops.retire(this.ctx, name, version, !!opts.force, ops.actorOf(opts, this.actor, 'retire')));
  }

  // ---- internals --------------------------------------------------------------------------

  private async setStatus(name: string, version: number, status: VersionStatus, opts: ActorOption, what: string): Promise<void> {
    checkName(name, what);
    checkVersion(version, what);
    await this.write(what, ops.setStatus(this.ctx, name, version, status, ops.actorOf(opts, this.actor, what), what));
  }

  private async read<T>(what: string, op: ops.Op<T>): Promise<T> {
    if (this.closed) throw new RegistryError(`${what}: the registry is closed`);
    try {
      return await runAsync(op, (q) => exec(this.pool, q));
    } catch (e) {
      throw pgError(e, what, this.path);
    }
  }

  /** One transaction under the registry's advisory lock: writers from every process queue (lock_timeout = busyTimeoutMs). */
  private write<T>(what: string, op: ops.Op<T>): Promise<T> {
    if (this.readonly) throw new RegistryError(`${what}: the registry was opened read-only; open it without { readonly: true } to change it`);
    return this.transaction(what, op, 'BEGIN', true);
  }

  private async transaction<T>(what: string, op: ops.Op<T>, begin: string, lock: boolean): Promise<T> {
    if (this.closed) throw new RegistryError(`${what}: the registry is closed`);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw pgError(e, what, this.path);
    }
    let broken: Error | undefined;
    // a connection dropped while checked out (the backend terminated) emits 'error' on the client as well as failing the query
    const dropped = (e: Error) => {
      broken = e;
    };
    client.on('error', dropped);
    try {
      await client.query(begin);
      if (lock) {
        await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.busyMs))}`);
        await client.query('SELECT pg_advisory_xact_lock($1)', [PG_LOCK_KEY]);
      }
      const out = await runAsync(op, (q) => exec(client, q));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch (e2) {
        broken = e2 as Error; // the connection is gone (and with it the transaction): do not reuse it
      }
      throw pgError(e, what, this.path);
    } finally {
      client.removeListener('error', dropped);
      client.release(broken);
    }
  }

  private async listen(missed: boolean): Promise<void> {
    this.relisten = undefined;
    if (this.closed || this.watchers.size === 0) return;
    const { options: _ro, ...config } = this.config;
    void _ro;
    const client = new this.pgLib.Client(config);
    this.listener = client;
    const retry = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (!this.closed && this.watchers.size > 0 && !this.relisten) {
        this.relisten = setTimeout(() => void this.listen(true), 500);
        this.relisten.unref();
      }
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (n) => {
      if (n.channel === PG_CHANNEL) this.notify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PG_CHANNEL}`);
      // keep the process free to exit while only listening (the server holds its own handles)
      (client as unknown as { connection?: { stream?: { unref?(): void } } }).connection?.stream?.unref?.();
      if (missed) this.notify();
    } catch {
      retry();
    }
  }

  private notify(): void {
    for (const w of [...this.watchers]) {
      try {
        w();
      } catch {
        /* a watcher's failure is its own */
      }
    }
  }

  private stopListening(): void {
    if (this.relisten) clearTimeout(this.relisten);
    this.relisten = undefined;
    const l = this.listener;
    this.listener = undefined;
    l?.end().catch(() => undefined);
  }
}

/** The audit log's protection, checked by verify: its triggers must still be there and enabled. */
function* triggerCheck(): ops.Op<string[]> {
  const rows = (yield {
    op: 'all',
    sql: "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass('audit') AND NOT tgisinternal AND tgenabled <> 'D'",
    params: [],
  }) as { tgname: string }[];
  const have = new Set(rows.map((r) => r.tgname));
  return ['audit_no_update_delete', 'audit_no_truncate']
    .filter((t) => !have.has(t))
    .map((t) => `database: trigger ${t} is missing or disabled, so the audit log is no longer append-only`);
}

function* restoreAndReseed(d: RegistryDump): ops.Op<void> {
  yield* ops.restore(d);
  for (const table of ['models', 'alias_history', 'audit']) {
    yield { op: 'run', sql: `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`, params: [] };
  }
}

/**
 * The model registry: named models with numbered versions, aliases (production, candidate, …)
 * with promote / rollback, a status per version (active, archived, retired), and an append-only
 * audit log — in one SQLite file (better-sqlite3, loaded on first use) with the model files in a
 * content-addressed store beside it.
 *
 * Durability: WAL with synchronous=FULL (a returned call is on disk), every change one IMMEDIATE
 * transaction (writers from several processes queue on busy_timeout instead of failing), foreign
 * keys on. A process killed mid-transaction leaves nothing of that transaction behind.
 *
 * The operations themselves are in ops.ts (shared with the PostgreSQL registry, pg.ts); this class
 * runs them synchronously on better-sqlite3, each write in one IMMEDIATE transaction.
 */
import { promises as fsp } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { loadBetterSqlite3, requireWal } from '../../core/sqlite.js';
import { KilnError, NotFoundError, ParamError, RegistryError } from '../../core/errors.js';
import { ioError } from '../atomic-write.js';
import type { ModelManifest } from '../manifest.js';
import { checkAlias, checkName, checkVersion, dbError, defaultActor } from './checks.js';
import * as flows from './flows.js';
import * as ops from './ops.js';
import { type RegistryDump, runSync } from './ops.js';
import { isPostgresUrl, PgModelRegistry, type PgOpenOptions } from './pg.js';
import { migrate } from './schema.js';
import { ArtifactStore } from './store.js';
import type { ActorOption, AliasInfo, AuditEntry, ModelSummary, ModelVersion, OpenOptions, RegisterOptions, VersionStatus } from './types.js';

export class ModelRegistry {
  /** The database file. */
  readonly path: string;
  /** Where the model files are stored. */
  readonly storeDir: string;
  private readonly db: BetterSqlite3.Database;
  /** The content-addressed store of model files (by SHA-256). */
  readonly store: ArtifactStore;
  private readonly actor: string;
  private readonly ctx: ops.OpsContext;
  private readonly backend: flows.Backend;

  private constructor(db: BetterSqlite3.Database, path: string, store: ArtifactStore, actor: string) {
    this.db = db;
    this.path = path;
    this.store = store;
    this.storeDir = store.dir;
    this.actor = actor;
    this.ctx = { where: path, artifactPath: (sha) => store.pathOf(sha) };
    this.backend = { ctx: this.ctx, store, actor, read: (what, op) => this.read(what, op), write: (what, op) => this.write(what, op) };
  }

  /**
   * Opens (creating and migrating when needed) the registry at `path`. Loads better-sqlite3 on
   * first use, so `import 'kiln'` does not. A postgres:// (or postgresql://) URL opens a
   * PgModelRegistry instead: the same calls, every one async. (A literal URL types as
   * PgModelRegistry; for a location only known at run time, `openModelRegistry` types the result
   * as either.)
   */
  static open(url: `postgres://${string}` | `postgresql://${string}`, opts?: PgOpenOptions): Promise<PgModelRegistry>;
  static open(path?: string, opts?: OpenOptions): Promise<ModelRegistry>;
  static async open(path = './kiln-registry.db', opts: OpenOptions = {}): Promise<ModelRegistry | PgModelRegistry> {
    if (isPostgresUrl(path)) return PgModelRegistry.open(path, opts);
    if (typeof path !== 'string' || path.length === 0 || path === ':memory:' || path.startsWith('file:')) {
      throw new ParamError(`ModelRegistry.open: path must be a database file path, got ${JSON.stringify(path)}`);
    }
    const abs = resolvePath(path);
    const storeDir = opts.storeDir ?? `${abs.replace(/\.db$/, '')}.artifacts`;
    const busy = opts.busyTimeoutMs ?? 10_000;
    if (!Number.isFinite(busy) || busy < 0) throw new ParamError(`ModelRegistry.open: busyTimeoutMs must be >= 0, got ${busy}`);
    if (opts.actor !== undefined && (typeof opts.actor !== 'string' || opts.actor === ''))
      throw new ParamError('ModelRegistry.open: actor must be a non-empty string');
    const Database = await loadBetterSqlite3('ModelRegistry.open', RegistryError);
    try {
      if (opts.readonly) await fsp.access(abs);
      else await fsp.mkdir(dirname(abs), { recursive: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code === 'ENOENT')
        throw new NotFoundError(`ModelRegistry.open: no registry at ${abs} (a read-only open needs an existing one)`, { cause: e });
      throw ioError(e, `ModelRegistry.open: ${opts.readonly ? 'reading' : 'creating'} ${opts.readonly ? abs : dirname(abs)}`);
    }
    let db: BetterSqlite3.Database | undefined;
    try {
      db = new Database(abs, { timeout: busy, readonly: !!opts.readonly, fileMustExist: !!opts.readonly });
      if (!opts.readonly) requireWal(db, 'ModelRegistry.open', abs, RegistryError);
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${Math.floor(busy)}`);
      if (!opts.readonly) migrate(db, abs);
      else if ((db.pragma('user_version', { simple: true }) as number) === 0)
        throw new RegistryError(`ModelRegistry.open: ${abs} is not a kiln registry (empty)`);
      return new ModelRegistry(db, abs, new ArtifactStore(storeDir), opts.actor ?? defaultActor());
    } catch (e) {
      try {
        db?.close();
      } catch {
        /* already failing */
      }
      if (!(e instanceof KilnError) && (e as { code?: string })?.code === 'SQLITE_CANTOPEN') {
        throw new NotFoundError(`ModelRegistry.open: cannot open ${abs}${opts.readonly ? ' (read-only open needs an existing registry)' : ''}`, { cause: e });
      }
      throw dbError(e, `ModelRegistry.open ${abs}`);
    }
  }

  /** Closes the database; the registry cannot be used afterwards. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- reads ------------------------------------------------------------------------------

  /**
   * A number that changes whenever a version is added or changes status, or an alias is set,
   * moved or deleted — by this or any other process. One tiny indexed read: cheap to poll.
   */
  changeCounter(): number {
    return this.read('changeCounter', ops.changeCounter());
  }

  listModels(): ModelSummary[] {
    return this.read('listModels', ops.listModels());
  }

  listVersions(name: string): ModelVersion[] {
    return this.read('listVersions', ops.listVersions(this.ctx, name));
  }

  getVersion(name: string, version: number): ModelVersion {
    return this.read('getVersion', ops.getVersion(this.ctx, name, version));
  }

  /**
   * The version an alias points to, or a version by number ('3' or 3), or 'latest' (the highest
   * active version). Retired versions do not resolve.
   */
  resolve(name: string, aliasOrVersion: string | number): ModelVersion {
    return this.read('resolve', ops.resolve(this.ctx, name, aliasOrVersion));
  }

  /** The aliases of a model and where each points. */
  listAliases(name: string): AliasInfo[] {
    return this.read('listAliases', ops.listAliases(this.ctx, name));
  }

  /** The audit log, oldest first: every change, by whom and when (of one model, or all). */
  audit(name?: string, opts: { sinceId?: number; limit?: number } = {}): AuditEntry[] {
    return this.read('audit', ops.audit(name, opts));
  }

  /**
   * Checks the database (`PRAGMA integrity_check`) and that every version's model file is in the
   * store with its recorded SHA-256. Returns what is wrong (nothing when `ok`).
   */
  async verify(): Promise<{ ok: boolean; problems: string[] }> {
    if (!this.db.open) throw new RegistryError('verify: the registry is closed');
    let integrity: { integrity_check: string }[];
    try {
      integrity = this.db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    } catch (e) {
      throw dbError(e, 'verify');
    }
    return flows.verify(
      this.backend,
      integrity.filter((r) => r.integrity_check !== 'ok').map((r) => `database: ${r.integrity_check}`),
    );
  }

  /** Every row (for copyRegistry), read in one transaction. */
  dump(): RegistryDump {
    if (!this.db.open) throw new RegistryError('dump: the registry is closed');
    try {
      return this.db.transaction(() => runSync(ops.dump(), (q) => this.exec(q))).deferred();
    } catch (e) {
      throw dbError(e, 'dump');
    }
  }

  /** Writes a dump into this registry, which must be empty (copyRegistry), in one transaction. */
  restore(d: RegistryDump): void {
    this.write('restore', ops.restore(d));
  }

  // ---- writes -----------------------------------------------------------------------------

  /**
   * Registers a new version of `name` (created on first use) and returns its number (1, 2, …).
   * The artifact — a model-file path, verified and copied, or a fitted model, saved — goes into
   * the content-addressed store first; the version row and its audit entry are one transaction.
   */
  register(name: string, opts: RegisterOptions): Promise<number> {
    return flows.register(this.backend, name, opts);
  }

  /** Points `alias` at `version` (the previous target is remembered for rollback). */
  setAlias(name: string, alias: string, version: number, opts: ActorOption = {}): void {
    flows.setAlias(this.backend, name, alias, version, opts);
  }

  /**
   * Moves `alias` (default 'production') to `version`; rollback can go back. The version is
   * loaded first (its bytes checked against the recorded SHA-256, its structure checked) and
   * must pass a warm-up prediction (see warm-up.ts); when either fails, the alias stays where it
   * was and the error is thrown. `{ warmUp: false }` skips the prediction, not the load.
   */
  promote(name: string, version: number, alias = 'production', opts: ActorOption & { warmUp?: boolean } = {}): Promise<void> {
    return flows.promote(this.backend, name, version, alias, opts);
  }

  /**
   * Loads a version (by number, alias or 'latest'): its model file is read from the store,
   * checked against the SHA-256 recorded at registration, then decoded and checked like `load`.
   */
  load<T = any>(name: string, aliasOrVersion: string | number): Promise<{ model: T; manifest: ModelManifest; version: ModelVersion }> {
    return flows.load<T>(this.backend, name, aliasOrVersion);
  }

  /**
   * Moves `alias` back: to the version it pointed to before (skipping versions retired since),
   * or to `toVersion`. Repeated rollbacks walk further back. Returns the version now aliased.
   */
  rollback(name: string, alias = 'production', toVersion?: number, opts: ActorOption = {}): number {
    checkName(name, 'rollback');
    checkAlias(alias, 'rollback');
    if (toVersion !== undefined) checkVersion(toVersion, 'rollback');
    return this.write('rollback', ops.rollback(this.ctx, name, alias, toVersion, ops.actorOf(opts, this.actor, 'rollback')));
  }

  /** Removes an alias (and its rollback history). */
  deleteAlias(name: string, alias: string, opts: ActorOption = {}): void {
    checkName(name, 'deleteAlias');
    checkAlias(alias, 'deleteAlias');
    this.write('deleteAlias', ops.deleteAlias(this.ctx, name, alias, ops.actorOf(opts, this.actor, 'deleteAlias')));
  }

  /** Marks a version archived (kept, still resolvable by number or alias; `activate` undoes it). */
  archive(name: string, version: number, opts: ActorOption = {}): void {
    this.setStatus(name, version, 'archived', opts, 'archive');
  }

  /** Marks an archived version active again. */
  activate(name: string, version: number, opts: ActorOption = {}): void {
    this.setStatus(name, version, 'active', opts, 'activate');
  }

  /**
   * Retires a version for good: it no longer resolves and can never be aliased again (its file
   * and records are kept for the audit trail). Refused while an alias points to it, unless
   * `force`, which deletes those aliases.
   */
  retire(name: string, version: number, opts: ActorOption & { force?: boolean } = {}): void {
    checkName(name, 'retire');
    checkVersion(version, 'retire');
    this.write('retire', ops.retire(this.ctx, name, version, !!opts.force, ops.actorOf(opts, this.actor, 'retire')));
  }

  // ---- internals --------------------------------------------------------------------------

  private setStatus(name: string, version: number, status: VersionStatus, opts: ActorOption, what: string): void {
    checkName(name, what);
    checkVersion(version, what);
    this.write(what, ops.setStatus(this.ctx, name, version, status, ops.actorOf(opts, this.actor, what), what));
  }

  private exec(q: ops.Query): unknown {
    const st = this.db.prepare(q.sql);
    if (q.op === 'get') return st.get(...q.params);
    if (q.op === 'all') return st.all(...q.params);
    st.run(...q.params);
    return undefined;
  }

  private read<T>(what: string, op: ops.Op<T>): T {
    if (!this.db.open) throw new RegistryError(`${what}: the registry is closed`);
    try {
      return runSync(op, (q) => this.exec(q));
    } catch (e) {
      throw dbError(e, what);
    }
  }

  /** One IMMEDIATE transaction: the write lock is taken up front, so concurrent writers queue (busy_timeout) rather than fail. */
  private write<T>(what: string, op: ops.Op<T>): T {
    if (!this.db.open) throw new RegistryError(`${what}: the registry is closed`);
    try {
      return this.db.transaction(() => runSync(op, (q) => this.exec(q))).immediate();
    } catch (e) {
      throw dbError(e, what);
    }
  }
}

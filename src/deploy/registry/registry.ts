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
 * Over 500 lines on purpose: it is one class whose every public method runs inside the private
 * read/write transaction helpers at its end; its checks, schema, store and types are beside it.
 */
import { promises as fsp } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { KilnError, NotFoundError, ParamError, RegistryError } from '../../core/errors.js';
import type { Lineage, ModelManifest } from '../manifest.js';
import { checkModelBytes, decodeModel, encodeModel } from '../model-file.js';
import type { Predictor } from '../server/types.js';
import { servedSchema, warmUp } from '../warm-up.js';
import { ioError } from '../atomic-write.js';
import { checkAlias, checkName, checkVersion, dbError, defaultActor, jsonColumn } from './checks.js';
import { migrate } from './schema.js';
import { ArtifactStore, checkDigest } from './store.js';
import type { ActorOption, AliasInfo, AuditEntry, ModelSummary, ModelVersion, OpenOptions, RegisterOptions, VersionStatus } from './types.js';

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

export class ModelRegistry {
  /** The database file. */
  readonly path: string;
  /** Where the model files are stored. */
  readonly storeDir: string;
  private readonly db: BetterSqlite3.Database;
  private readonly store: ArtifactStore;
  private readonly actor: string;

  private constructor(db: BetterSqlite3.Database, path: string, store: ArtifactStore, actor: string) {
    this.db = db;
    this.path = path;
    this.store = store;
    this.storeDir = store.dir;
    this.actor = actor;
  }

  /**
   * Opens (creating and migrating when needed) the registry at `path`. Loads better-sqlite3 on
   * first use, so `import 'kiln'` does not.
   */
  static async open(path = './kiln-registry.db', opts: OpenOptions = {}): Promise<ModelRegistry> {
    if (typeof path !== 'string' || path.length === 0 || path === ':memory:' || path.startsWith('file:')) {
      throw new ParamError(`ModelRegistry.open: path must be a database file path, got ${JSON.stringify(path)}`);
    }
    const abs = resolvePath(path);
    const storeDir = opts.storeDir ?? `${abs.replace(/\.db$/, '')}.artifacts`;
    const busy = opts.busyTimeoutMs ?? 10_000;
    if (!Number.isFinite(busy) || busy < 0) throw new ParamError(`ModelRegistry.open: busyTimeoutMs must be >= 0, got ${busy}`);
    if (opts.actor !== undefined && (typeof opts.actor !== 'string' || opts.actor === ''))
      throw new ParamError('ModelRegistry.open: actor must be a non-empty string');
    let Database: typeof BetterSqlite3;
    try {
      Database = (await import('better-sqlite3')).default;
    } catch (e) {
      throw new RegistryError(`ModelRegistry.open: better-sqlite3 could not be loaded (${(e as Error).message}); reinstall kiln's dependencies (npm install)`, {
        cause: e,
      });
    }
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
      if (!opts.readonly) {
        const mode = db.pragma('journal_mode = WAL', { simple: true });
        if (String(mode).toLowerCase() !== 'wal') throw new RegistryError(`ModelRegistry.open: ${abs} could not switch to WAL (journal_mode is ${mode})`);
      }
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
    return this.read('changeCounter', () => (this.db.prepare('SELECT counter FROM changes WHERE id = 1').get() as { counter: number }).counter);
  }

  listModels(): ModelSummary[] {
    return this.read('listModels', () => {
      const models = this.db
        .prepare(`SELECT m.id, m.name, m.created_at, m.created_by, count(v.version) AS n, coalesce(max(v.version), 0) AS latest
        FROM models m LEFT JOIN versions v ON v.model_id = m.id GROUP BY m.id ORDER BY m.name`)
        .all() as { id: number; name: string; created_at: string; created_by: string; n: number; latest: number }[];
      const aliases = this.db.prepare('SELECT model_id, alias, version FROM aliases ORDER BY alias').all() as {
        model_id: number;
        alias: string;
        version: number;
      }[];
      return models.map((m) => ({
        name: m.name,
        createdAt: m.created_at,
        createdBy: m.created_by,
        versions: m.n,
        latestVersion: m.latest,
        aliases: Object.fromEntries(aliases.filter((a) => a.model_id === m.id).map((a) => [a.alias, a.version])),
      }));
    });
  }

  listVersions(name: string): ModelVersion[] {
    checkName(name, 'listVersions');
    return this.read('listVersions', () => {
      const id = this.modelId(name, 'listVersions');
      const rows = this.db
        .prepare(`SELECT ${VERSION_COLUMNS} FROM versions v JOIN models m ON m.id = v.model_id WHERE v.model_id = ? ORDER BY v.version`)
        .all(id) as VersionRow[];
      const aliases = this.aliasesById(id);
      return rows.map((r) => this.record(r, aliases));
    });
  }

  getVersion(name: string, version: number): ModelVersion {
    checkName(name, 'getVersion');
    checkVersion(version, 'getVersion');
    return this.read('getVersion', () => this.versionRecord(this.modelId(name, 'getVersion'), name, version, 'getVersion'));
  }

  /**
   * The version an alias points to, or a version by number ('3' or 3), or 'latest' (the highest
   * active version). Retired versions do not resolve.
   */
  resolve(name: string, aliasOrVersion: string | number): ModelVersion {
    checkName(name, 'resolve');
    return this.read('resolve', () => {
      const id = this.modelId(name, 'resolve');
      let version: number;
      if (typeof aliasOrVersion === 'number' || (typeof aliasOrVersion === 'string' && /^\d+$/.test(aliasOrVersion))) {
        version = checkVersion(Number(aliasOrVersion), 'resolve');
      } else if (aliasOrVersion === 'latest') {
        const row = this.db.prepare("SELECT max(version) AS v FROM versions WHERE model_id = ? AND status = 'active'").get(id) as { v: number | null };
        if (row.v === null) throw new NotFoundError(`resolve: model '${name}' has no active version`);
        version = row.v;
      } else {
        const alias = checkAlias(aliasOrVersion, 'resolve');
        const row = this.db.prepare('SELECT version FROM aliases WHERE model_id = ? AND alias = ?').get(id, alias) as { version: number } | undefined;
        if (!row) throw new NotFoundError(`resolve: model '${name}' has no alias '${alias}'${this.aliasHint(id)}`);
        version = row.version;
      }
      const rec = this.versionRecord(id, name, version, 'resolve');
      if (rec.status === 'retired') throw new RegistryError(`resolve: version ${version} of '${name}' is retired`);
      return rec;
    });
  }

  /** The aliases of a model and where each points. */
  listAliases(name: string): AliasInfo[] {
    checkName(name, 'listAliases');
    return this.read('listAliases', () => {
      const id = this.modelId(name, 'listAliases');
      return (
        this.db.prepare('SELECT alias, version, previous_version, updated_at, updated_by FROM aliases WHERE model_id = ? ORDER BY alias').all(id) as {
          alias: string;
          version: number;
          previous_version: number | null;
          updated_at: string;
          updated_by: string;
        }[]
      ).map((a) => ({ alias: a.alias, version: a.version, previousVersion: a.previous_version, updatedAt: a.updated_at, updatedBy: a.updated_by }));
    });
  }

  /** The audit log, oldest first: every change, by whom and when (of one model, or all). */
  audit(name?: string, opts: { sinceId?: number; limit?: number } = {}): AuditEntry[] {
    if (name !== undefined) checkName(name, 'audit');
    const since = opts.sinceId ?? 0,
      limit = opts.limit ?? -1;
    return this.read('audit', () => {
      const rows = (
        name === undefined
          ? this.db.prepare('SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT ?').all(since, limit)
          : this.db.prepare('SELECT * FROM audit WHERE model = ? AND id > ? ORDER BY id LIMIT ?').all(name, since, limit)
      ) as { id: number; at: string; actor: string; action: string; model: string | null; version: number | null; detail: string }[];
      return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    });
  }

  /**
   * Checks the database (`PRAGMA integrity_check`) and that every version's model file is in the
   * store with its recorded SHA-256. Returns what is wrong (nothing when `ok`).
   */
  async verify(): Promise<{ ok: boolean; problems: string[] }> {
    const problems: string[] = [];
    const integrity = this.read('verify', () => this.db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]);
    for (const r of integrity) if (r.integrity_check !== 'ok') problems.push(`database: ${r.integrity_check}`);
    const rows = this.read(
      'verify',
      () =>
        this.db
          .prepare(
            'SELECT m.name, v.version, v.artifact_sha256, v.artifact_bytes FROM versions v JOIN models m ON m.id = v.model_id ORDER BY m.name, v.version',
          )
          .all() as { name: string; version: number; artifact_sha256: string; artifact_bytes: number }[],
    );
    for (const r of rows) {
      try {
        checkDigest(r.artifact_sha256, 'verify');
      } catch (e) {
        problems.push(`${r.name} v${r.version}: ${(e as Error).message}`);
        continue;
      }
      if (!(await this.store.intact(this.store.pathOf(r.artifact_sha256), r.artifact_sha256, r.artifact_bytes))) {
        problems.push(`${r.name} v${r.version}: model file ${this.store.pathOf(r.artifact_sha256)} is missing or does not match its SHA-256`);
      }
    }
    return { ok: problems.length === 0, problems };
  }

  // ---- writes -----------------------------------------------------------------------------

  /**
   * Registers a new version of `name` (created on first use) and returns its number (1, 2, …).
   * The artifact — a model-file path, verified and copied, or a fitted model, saved — goes into
   * the content-addressed store first; the version row and its audit entry are one transaction.
   */
  async register(name: string, opts: RegisterOptions): Promise<number> {
    checkName(name, 'register');
    if (!opts || typeof opts !== 'object') throw new ParamError('register: options { artifact, … } are required');
    const known = ['artifact', 'params', 'metrics', 'tags', 'lineage', 'description', 'meta', 'actor'];
    for (const k of Object.keys(opts)) if (!known.includes(k)) throw new ParamError(`register: unknown option '${k}'; known options are ${known.join(', ')}`);
    const actor = this.actorOf(opts, 'register');
    const lineageIn = opts.lineage ?? {};
    if (typeof lineageIn !== 'object' || Array.isArray(lineageIn)) throw new ParamError('register: lineage must be an object');
    if (lineageIn.parentVersion !== undefined) checkVersion(lineageIn.parentVersion, 'register: lineage.parentVersion');
    if (opts.description !== undefined && typeof opts.description !== 'string') throw new ParamError('register: description must be a string');

    let bytes: Uint8Array, manifest: ModelManifest;
    const { artifact } = opts;
    if (typeof artifact === 'string') {
      try {
        bytes = await fsp.readFile(artifact);
      } catch (e) {
        throw ioError(e, `register: reading ${artifact}`);
      }
      manifest = checkModelBytes(bytes, `register: model file ${artifact}`); // every checksum and the manifest
    } else if (artifact && typeof artifact === 'object') {
      ({ bytes, manifest } = await encodeModel(artifact, {
        ...(opts.meta ?? {}),
        metrics: opts.metrics,
        lineage: opts.lineage,
        tags: opts.tags,
        description: opts.description,
      }));
    } else {
      throw new ParamError('register: artifact must be a model-file path or a fitted model');
    }
    const params = jsonColumn(opts.params ?? manifest.params, 'register: params');
    const metrics = jsonColumn(opts.metrics ?? manifest.metrics, 'register: metrics');
    for (const [k, v] of Object.entries(JSON.parse(metrics))) if (typeof v !== 'number') throw new ParamError(`register: metrics.${k} must be a finite number`);
    const tags = jsonColumn(opts.tags ?? manifest.tags, 'register: tags');
    for (const [k, v] of Object.entries(JSON.parse(tags))) if (typeof v !== 'string') throw new ParamError(`register: tags.${k} must be a string`);
    const lineage: Lineage = { ...manifest.lineage, ...lineageIn };
    const lineageJson = jsonColumn(lineage, 'register: lineage');
    const description = opts.description ?? manifest.card?.description ?? null;

    const sha = await this.store.put(bytes);
    return this.write('register', () => {
      const at = new Date().toISOString();
      let id = (this.db.prepare('SELECT id FROM models WHERE name = ?').get(name) as { id: number } | undefined)?.id;
      if (id === undefined) {
        id = Number(this.db.prepare('INSERT INTO models (name, created_at, created_by) VALUES (?, ?, ?)').run(name, at, actor).lastInsertRowid);
        this.log(actor, 'create_model', name, null, {});
      }
      if (lineage.parentVersion !== undefined && lineage.parentModel === undefined && !this.versionExists(id, lineage.parentVersion)) {
        throw new NotFoundError(`register: lineage.parentVersion ${lineage.parentVersion} is not a version of '${name}'`);
      }
      const version = (this.db.prepare('SELECT coalesce(max(version), 0) + 1 AS v FROM versions WHERE model_id = ?').get(id) as { v: number }).v;
      this.db
        .prepare(`INSERT INTO versions (model_id, version, status, artifact_sha256, artifact_bytes, class_name, params, metrics, tags, lineage,
        description, created_at, created_by) VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(id, version, sha, bytes.length, manifest.className, params, metrics, tags, lineageJson, description, at, actor);
      this.log(actor, 'register', name, version, { sha256: sha, className: manifest.className, metrics: JSON.parse(metrics), lineage });
      return version;
    });
  }

  /** Points `alias` at `version` (the previous target is remembered for rollback). */
  setAlias(name: string, alias: string, version: number, opts: ActorOption = {}): void {
    this.moveAlias(name, alias, version, 'set_alias', opts, 'setAlias');
  }

  /**
   * Moves `alias` (default 'production') to `version`; rollback can go back. The version is
   * loaded first (its bytes checked against the recorded SHA-256, its structure checked) and
   * must pass a warm-up prediction (see warm-up.ts); when either fails, the alias stays where it
   * was and the error is thrown. `{ warmUp: false }` skips the prediction, not the load.
   */
  async promote(name: string, version: number, alias = 'production', opts: ActorOption & { warmUp?: boolean } = {}): Promise<void> {
    checkName(name, 'promote');
    checkAlias(alias, 'promote');
    checkVersion(version, 'promote');
    if (opts.warmUp !== undefined && typeof opts.warmUp !== 'boolean')
      throw new ParamError(`promote: warmUp must be a boolean, got ${JSON.stringify(opts.warmUp)}`);
    const { warmUp: _w, ...actorOpts } = opts;
    void _w;
    const rec = this.getVersion(name, version); // E_NOT_FOUND before any load
    if (rec.status === 'retired') throw new RegistryError(`promote: version ${version} of '${name}' is retired and cannot be aliased`);
    try {
      const { model, manifest } = await this.decodeVersion<Predictor>(rec);
      if (opts.warmUp !== false) await warmUp({ name, version, model, inputSchema: servedSchema(manifest) });
    } catch (e) {
      const now = this.read(
        'promote',
        () =>
          this.db.prepare('SELECT a.version FROM aliases a JOIN models m ON m.id = a.model_id WHERE m.name = ? AND a.alias = ?').get(name, alias) as
            | { version: number }
            | undefined,
      );
      if (e instanceof Error)
        e.message = `promote: version ${version} of '${name}' failed to load or warm up, so '${alias}' still points to ${now ? `v${now.version}` : 'no version'}: ${e.message}`;
      throw e;
    }
    this.moveAlias(name, alias, version, 'promote', actorOpts, 'promote');
  }

  /**
   * Loads a version (by number, alias or 'latest'): its model file is read from the store,
   * checked against the SHA-256 recorded at registration, then decoded and checked like `load`.
   */
  async load<T = any>(name: string, aliasOrVersion: string | number): Promise<{ model: T; manifest: ModelManifest; version: ModelVersion }> {
    const v = this.resolve(name, aliasOrVersion);
    return { ...(await this.decodeVersion<T>(v)), version: v };
  }

  private async decodeVersion<T>(v: ModelVersion): Promise<{ model: T; manifest: ModelManifest }> {
    const what = `registry model '${v.name}' v${v.version}`;
    return decodeModel<T>(await this.store.read(v.artifactSha256, what), what);
  }

  /**
   * Moves `alias` back: to the version it pointed to before (skipping versions retired since),
   * or to `toVersion`. Repeated rollbacks walk further back. Returns the version now aliased.
   */
  rollback(name: string, alias = 'production', toVersion?: number, opts: ActorOption = {}): number {
    checkName(name, 'rollback');
    checkAlias(alias, 'rollback');
    if (toVersion !== undefined) checkVersion(toVersion, 'rollback');
    const actor = this.actorOf(opts, 'rollback');
    return this.write('rollback', () => {
      const id = this.modelId(name, 'rollback');
      const cur = this.db.prepare('SELECT version FROM aliases WHERE model_id = ? AND alias = ?').get(id, alias) as { version: number } | undefined;
      if (!cur) throw new NotFoundError(`rollback: model '${name}' has no alias '${alias}'${this.aliasHint(id)}`);
      const history = this.db
        .prepare(
          'SELECT h.id, h.version, v.status FROM alias_history h JOIN versions v ON v.model_id = h.model_id AND v.version = h.version WHERE h.model_id = ? AND h.alias = ? ORDER BY h.id DESC',
        )
        .all(id, alias) as { id: number; version: number; status: VersionStatus }[];
      let target: number;
      let dropFrom: number | undefined; // history rows with id >= this are consumed
      if (toVersion === undefined) {
        const prev = history.find((h) => h.status !== 'retired' && h.version !== cur.version);
        if (!prev)
          throw new RegistryError(
            `rollback: alias '${alias}' of '${name}' has no earlier version to roll back to (it points to ${cur.version}); use promote to choose one`,
          );
        target = prev.version;
        dropFrom = prev.id;
      } else {
        const rec = this.versionRecord(id, name, toVersion, 'rollback');
        if (rec.status === 'retired') throw new RegistryError(`rollback: version ${toVersion} of '${name}' is retired and cannot be aliased`);
        target = toVersion;
        dropFrom = history.find((h) => h.version === toVersion)?.id;
      }
      if (dropFrom !== undefined) this.db.prepare('DELETE FROM alias_history WHERE model_id = ? AND alias = ? AND id >= ?').run(id, alias, dropFrom);
      if (target !== cur.version) {
        this.db
          .prepare('UPDATE aliases SET version = ?, previous_version = ?, updated_at = ?, updated_by = ? WHERE model_id = ? AND alias = ?')
          .run(target, cur.version, new Date().toISOString(), actor, id, alias);
      }
      this.log(actor, 'rollback', name, target, { alias, from: cur.version, to: target });
      return target;
    });
  }

  /** Removes an alias (and its rollback history). */
  deleteAlias(name: string, alias: string, opts: ActorOption = {}): void {
    checkName(name, 'deleteAlias');
    checkAlias(alias, 'deleteAlias');
    const actor = this.actorOf(opts, 'deleteAlias');
    this.write('deleteAlias', () => {
      const id = this.modelId(name, 'deleteAlias');
      const cur = this.db.prepare('SELECT version FROM aliases WHERE model_id = ? AND alias = ?').get(id, alias) as { version: number } | undefined;
      if (!cur) throw new NotFoundError(`deleteAlias: model '${name}' has no alias '${alias}'${this.aliasHint(id)}`);
      this.db.prepare('DELETE FROM aliases WHERE model_id = ? AND alias = ?').run(id, alias);
      this.db.prepare('DELETE FROM alias_history WHERE model_id = ? AND alias = ?').run(id, alias);
      this.log(actor, 'delete_alias', name, cur.version, { alias });
    });
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
    const actor = this.actorOf(opts, 'retire');
    this.write('retire', () => {
      const id = this.modelId(name, 'retire');
      const rec = this.versionRecord(id, name, version, 'retire');
      if (rec.status === 'retired') return;
      if (rec.aliases.length > 0) {
        if (!opts.force) {
          throw new RegistryError(
            `retire: version ${version} of '${name}' is aliased as ${rec.aliases.join(', ')}; promote another version first, or pass { force: true } to delete ${rec.aliases.length > 1 ? 'those aliases' : 'that alias'}`,
          );
        }
        for (const alias of rec.aliases) {
          this.db.prepare('DELETE FROM aliases WHERE model_id = ? AND alias = ?').run(id, alias);
          this.db.prepare('DELETE FROM alias_history WHERE model_id = ? AND alias = ?').run(id, alias);
          this.log(actor, 'delete_alias', name, version, { alias, reason: 'retire --force' });
        }
      }
      this.db.prepare("UPDATE versions SET status = 'retired' WHERE model_id = ? AND version = ?").run(id, version);
      this.log(actor, 'retire', name, version, { from: rec.status, force: !!opts.force });
    });
  }

  // ---- internals --------------------------------------------------------------------------

  private moveAlias(name: string, alias: string, version: number, action: string, opts: ActorOption, what: string): void {
    checkName(name, what);
    checkAlias(alias, what);
    checkVersion(version, what);
    const actor = this.actorOf(opts, what);
    this.write(what, () => {
      const id = this.modelId(name, what);
      const rec = this.versionRecord(id, name, version, what);
      if (rec.status === 'retired') throw new RegistryError(`${what}: version ${version} of '${name}' is retired and cannot be aliased`);
      const cur = this.db.prepare('SELECT version FROM aliases WHERE model_id = ? AND alias = ?').get(id, alias) as { version: number } | undefined;
      if (cur?.version === version) return;
      const at = new Date().toISOString();
      if (cur) {
        this.db.prepare('INSERT INTO alias_history (model_id, alias, version) VALUES (?, ?, ?)').run(id, alias, cur.version);
        this.db
          .prepare('UPDATE aliases SET version = ?, previous_version = ?, updated_at = ?, updated_by = ? WHERE model_id = ? AND alias = ?')
          .run(version, cur.version, at, actor, id, alias);
      } else {
        this.db
          .prepare('INSERT INTO aliases (model_id, alias, version, previous_version, updated_at, updated_by) VALUES (?, ?, ?, NULL, ?, ?)')
          .run(id, alias, version, at, actor);
      }
      this.log(actor, action, name, version, { alias, from: cur?.version ?? null, to: version });
    });
  }

  private setStatus(name: string, version: number, status: VersionStatus, opts: ActorOption, what: string): void {
    checkName(name, what);
    checkVersion(version, what);
    const actor = this.actorOf(opts, what);
    this.write(what, () => {
      const id = this.modelId(name, what);
      const rec = this.versionRecord(id, name, version, what);
      if (rec.status === status) return;
      if (rec.status === 'retired') throw new RegistryError(`${what}: version ${version} of '${name}' is retired; retired versions stay retired`);
      this.db.prepare('UPDATE versions SET status = ? WHERE model_id = ? AND version = ?').run(status, id, version);
      this.log(actor, what, name, version, { from: rec.status, to: status });
    });
  }

  private actorOf(opts: ActorOption | undefined, what: string): string {
    const a = opts?.actor ?? this.actor;
    if (typeof a !== 'string' || a === '') throw new ParamError(`${what}: actor must be a non-empty string`);
    return a;
  }

  private log(actor: string, action: string, model: string | null, version: number | null, detail: Record<string, unknown>): void {
    this.db
      .prepare('INSERT INTO audit (at, actor, action, model, version, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), actor, action, model, version, JSON.stringify(detail));
  }

  private modelId(name: string, what: string): number {
    const row = this.db.prepare('SELECT id FROM models WHERE name = ?').get(name) as { id: number } | undefined;
    if (!row) throw new NotFoundError(`${what}: no model named '${name}' in the registry ${this.path}`);
    return row.id;
  }

  private versionExists(id: number, version: number): boolean {
    return this.db.prepare('SELECT 1 FROM versions WHERE model_id = ? AND version = ?').get(id, version) !== undefined;
  }

  private aliasesById(id: number): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const a of this.db.prepare('SELECT alias, version FROM aliases WHERE model_id = ? ORDER BY alias').all(id) as { alias: string; version: number }[]) {
      out.set(a.version, [...(out.get(a.version) ?? []), a.alias]);
    }
    return out;
  }

  private aliasHint(id: number): string {
    const names = (this.db.prepare('SELECT alias FROM aliases WHERE model_id = ? ORDER BY alias').all(id) as { alias: string }[]).map((a) => a.alias);
    return names.length ? ` (its aliases: ${names.join(', ')})` : ' (it has no aliases)';
  }

  private versionRecord(id: number, name: string, version: number, what: string): ModelVersion {
    const row = this.db
      .prepare(`SELECT ${VERSION_COLUMNS} FROM versions v JOIN models m ON m.id = v.model_id WHERE v.model_id = ? AND v.version = ?`)
      .get(id, version) as VersionRow | undefined;
    if (!row) throw new NotFoundError(`${what}: model '${name}' has no version ${version}`);
    return this.record(row, this.aliasesById(id));
  }

  private record(r: VersionRow, aliases: Map<number, string[]>): ModelVersion {
    return {
      name: r.name,
      version: r.version,
      status: r.status,
      artifactPath: this.store.pathOf(checkDigest(r.artifact_sha256, `${r.name} v${r.version}`)),
      artifactSha256: r.artifact_sha256,
      artifactBytes: r.artifact_bytes,
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

  private read<T>(what: string, fn: () => T): T {
    if (!this.db.open) throw new RegistryError(`${what}: the registry is closed`);
    try {
      return fn();
    } catch (e) {
      throw dbError(e, what);
    }
  }

  /** One IMMEDIATE transaction: the write lock is taken up front, so concurrent writers queue (busy_timeout) rather than fail. */
  private write<T>(what: string, fn: () => T): T {
    if (!this.db.open) throw new RegistryError(`${what}: the registry is closed`);
    try {
      return this.db.transaction(fn).immediate();
    } catch (e) {
      throw dbError(e, what);
    }
  }
}

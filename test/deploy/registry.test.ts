/**
 * The model registry: versions, aliases, promote / rollback / retire, the append-only audit log
 * and the change counter on every backend (SQLite, and PostgreSQL on a throwaway server); then,
 * for SQLite, the database file, concurrent writers in several processes, and a writer killed
 * (SIGKILL) in the middle of its work (PostgreSQL's own: registry-pg.test.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type AnyModelRegistry, load, LogisticRegression, ModelRegistry, openModelRegistry, type PgOpenOptions, readManifest } from '../../src/index.js';
import { startPostgres } from '../helpers/postgres.js';
import { scalerFile, X, y } from '../helpers/registry-models.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
const base = mkdtempSync(join(tmpdir(), 'kiln-registry-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const freshDb = () => join(base, `r${n++}`, 'models.db');
const code = (c: string) => expect.objectContaining({ code: c });
const modelFile = scalerFile;

// ---- the same suite on every backend: SQLite, and PostgreSQL (a throwaway server, test/helpers/postgres.ts) ----

const pgServer = await startPostgres();
if ('unavailable' in pgServer) console.warn(`[kiln tests] registry on PostgreSQL not tested: ${pgServer.unavailable}`);
afterAll(() => {
  if (!('unavailable' in pgServer)) pgServer.stop();
});

interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty registry location and its own store. */
  fresh(): Promise<{ location: string; storeDir?: string }>;
  /** Runs SQL on the registry's database behind its back (a rejected promise when the database refuses). */
  raw(reg: AnyModelRegistry, location: string, sql: string): Promise<void>;
}

const sqliteBackend: Backend = {
  name: 'sqlite',
  fresh: async () => ({ location: freshDb() }),
  async raw(_reg, location, sql) {
    const db = new Database(location);
    try {
      db.prepare(sql).run();
    } finally {
      db.close();
    }
  },
};

const backendsUnderTest: Backend[] = [sqliteBackend];
if (!('unavailable' in pgServer)) {
  backendsUnderTest.push({
    name: 'postgres',
    async fresh() {
      const dir = join(base, `pg${n++}`);
      return { location: await pgServer.createDatabase(`reg${n}`), storeDir: join(dir, 'store') };
    },
    async raw(_reg, location, sql) {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: location });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    },
  });
}

/** A call that must fail, sync (SQLite) or async (PostgreSQL) alike. */
const fails = (f: () => unknown) => expect((async () => f())()).rejects;

describe.each(backendsUnderTest)('ModelRegistry on $name: versions and artifacts', (backend) => {
  const open = async (opts: PgOpenOptions = {}) => {
    const { location, storeDir } = await backend.fresh();
    return { location, reg: await openModelRegistry(location, { ...(storeDir ? { storeDir } : {}), ...opts }) };
  };

  it('registers numbered versions from model files and model objects, in a content-addressed store', async () => {
    const { location: path, reg } = await open({ actor: 'alice' });
    try {
      const file = await modelFile(base, 1, { metrics: { r2: 0.5 }, tags: { team: 'risk' } });
      expect(await reg.register('churn', { artifact: file })).toBe(1);
      const clf = await new LogisticRegression().fit(X, y);
      expect(
        await reg.register('churn', {
          artifact: clf,
          metrics: { accuracy: 0.83 },
          lineage: { dataFingerprint: 'sha256:abc', parentVersion: 1 },
          description: 'second',
        }),
      ).toBe(2);
      expect(await reg.register('churn', { artifact: file, metrics: { r2: 0.6 } })).toBe(3);
      expect(await reg.register('fraud', { artifact: file })).toBe(1);

      const v1 = await reg.getVersion('churn', 1),
        v2 = await reg.getVersion('churn', 2),
        v3 = await reg.getVersion('churn', 3);
      expect(v1).toMatchObject({
        name: 'churn',
        version: 1,
        status: 'active',
        className: 'StandardScaler',
        metrics: { r2: 0.5 },
        tags: { team: 'risk' },
        createdBy: 'alice',
        aliases: [],
      });
      expect(v2).toMatchObject({
        className: 'LogisticRegression',
        metrics: { accuracy: 0.83 },
        lineage: { dataFingerprint: 'sha256:abc', parentVersion: 1 },
        description: 'second',
      });
      expect(v3.metrics).toEqual({ r2: 0.6 });
      expect(v1.params).toMatchObject({ withMean: true });
      expect(v1.artifactBytes).toBe(readFileSync(file).length);
      expect(isAbsolute(v1.artifactPath)).toBe(true);
      expect(v1.artifactPath.startsWith(reg.storeDir)).toBe(true);
      expect(v3.artifactPath).toBe(v1.artifactPath); // same bytes, stored once
      expect(v1.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(v1.artifactPath).equals(readFileSync(file))).toBe(true);
      // the stored model of a model object loads and predicts, and carries the registry's metadata
      const back = await load<LogisticRegression>(v2.artifactPath);
      expect(await back.predict(X)).toEqual(await clf.predict(X));
      expect((await readManifest(v2.artifactPath)).lineage).toEqual({ dataFingerprint: 'sha256:abc', parentVersion: 1 });
      expect(await (await reg.load<LogisticRegression>('churn', 2)).model.predict(X)).toEqual(await clf.predict(X));

      expect((await reg.listVersions('churn')).map((v) => v.version)).toEqual([1, 2, 3]);
      expect(await reg.listModels()).toEqual([
        expect.objectContaining({ name: 'churn', versions: 3, latestVersion: 3, aliases: {}, createdBy: 'alice' }),
        expect.objectContaining({ name: 'fraud', versions: 1, latestVersion: 1 }),
      ]);
      expect(await reg.verify()).toEqual({ ok: true, problems: [] });
      if (backend.name === 'sqlite') expect(reg.storeDir).toBe(path.replace(/\.db$/, '.artifacts'));
    } finally {
      await reg.close();
    }
  });

  it('refuses bad input with stable codes and registers nothing', async () => {
    const { reg } = await open();
    try {
      const file = await modelFile(base);
      await expect(reg.register('bad name!', { artifact: file })).rejects.toThrowError(code('E_PARAM'));
      await expect(reg.register('m', { artifact: join(base, 'nope.kiln') })).rejects.toThrowError(code('E_NOT_FOUND'));
      const damaged = Buffer.from(readFileSync(file));
      damaged[damaged.length - 3] ^= 1;
      writeFileSync(join(base, 'damaged.kiln'), damaged);
      await expect(reg.register('m', { artifact: join(base, 'damaged.kiln') })).rejects.toThrowError(code('E_MODEL_FORMAT'));
      await expect(reg.register('m', { artifact: file, metrics: { acc: Infinity } })).rejects.toThrowError(code('E_PARAM'));
      await expect(reg.register('m', { artifact: file, bogus: 1 } as any)).rejects.toThrowError(/unknown option 'bogus'/);
      await expect(reg.register('m', { artifact: file, lineage: { parentVersion: 4 } })).rejects.toThrowError(code('E_NOT_FOUND'));
      expect(await reg.listModels()).toEqual([]);
      await fails(() => reg.getVersion('m', 1)).toThrowError(code('E_NOT_FOUND'));
      expect(await reg.register('m', { artifact: file })).toBe(1);
      await fails(() => reg.getVersion('m', 2)).toThrowError(/has no version 2/);
      await fails(() => reg.getVersion('m', 0)).toThrowError(code('E_PARAM'));
    } finally {
      await reg.close();
    }
    if (backend.name === 'sqlite') await expect(ModelRegistry.open(':memory:')).rejects.toThrowError(code('E_PARAM'));
  });

  it('promote moves the alias, rollback walks back, resolve follows', async () => {
    const { reg } = await open();
    try {
      for (let s = 1; s <= 4; s++) await reg.register('m', { artifact: await modelFile(base, s) });
      await reg.promote('m', 1);
      expect((await reg.resolve('m', 'production')).version).toBe(1);
      await reg.promote('m', 2);
      await reg.promote('m', 3);
      await reg.setAlias('m', 'candidate', 4);
      expect(await reg.resolve('m', 'production')).toMatchObject({ version: 3, aliases: ['production'] });
      expect((await reg.resolve('m', 'candidate')).version).toBe(4);
      expect((await reg.resolve('m', 2)).version).toBe(2);
      expect((await reg.resolve('m', '2')).version).toBe(2);
      expect((await reg.resolve('m', 'latest')).version).toBe(4);
      expect(await reg.listAliases('m')).toEqual([
        expect.objectContaining({ alias: 'candidate', version: 4, previousVersion: null }),
        expect.objectContaining({ alias: 'production', version: 3, previousVersion: 2 }),
      ]);
      expect((await reg.listModels())[0].aliases).toEqual({ candidate: 4, production: 3 });

      expect(await reg.rollback('m')).toBe(2);
      expect((await reg.resolve('m', 'production')).version).toBe(2);
      expect(await reg.rollback('m')).toBe(1);
      await fails(() => reg.rollback('m')).toThrowError(code('E_REGISTRY'));
      await reg.promote('m', 3);
      await reg.promote('m', 4);
      await reg.promote('m', 2);
      expect(await reg.rollback('m', 'production', 3)).toBe(3); // an explicit target: back two steps at once
      expect(await reg.rollback('m', 'production')).toBe(1); // and on from there
      await fails(() => reg.rollback('m', 'production', 9)).toThrowError(code('E_NOT_FOUND'));
      await fails(() => reg.resolve('m', 'staging')).toThrowError(code('E_NOT_FOUND'));
      await fails(() => reg.resolve('m', 'staging')).toThrowError(/aliases: candidate, production/);
      await fails(() => reg.rollback('m', 'staging')).toThrowError(code('E_NOT_FOUND'));
      await expect(reg.promote('m', 9)).rejects.toThrowError(code('E_NOT_FOUND'));
      await fails(() => reg.setAlias('m', '42', 1)).toThrowError(code('E_PARAM'));
      await fails(() => reg.setAlias('m', 'latest', 1)).toThrowError(code('E_PARAM'));
      await fails(() => reg.resolve('nope', 'production')).toThrowError(code('E_NOT_FOUND'));

      await reg.deleteAlias('m', 'candidate');
      await fails(() => reg.resolve('m', 'candidate')).toThrowError(code('E_NOT_FOUND'));
      await fails(() => reg.deleteAlias('m', 'candidate')).toThrowError(code('E_NOT_FOUND'));
    } finally {
      await reg.close();
    }
  });

  it('archive, activate, retire: a retired version is never aliased or resolved', async () => {
    const { reg, location } = await open();
    try {
      for (let s = 1; s <= 3; s++) await reg.register('m', { artifact: await modelFile(base, s) });
      await reg.promote('m', 1);
      await reg.promote('m', 2);
      await reg.archive('m', 3);
      expect((await reg.getVersion('m', 3)).status).toBe('archived');
      expect((await reg.resolve('m', 'latest')).version).toBe(2); // latest = highest active
      expect((await reg.resolve('m', 3)).status).toBe('archived'); // archived still resolves by number
      await reg.activate('m', 3);
      expect((await reg.getVersion('m', 3)).status).toBe('active');

      await fails(() => reg.retire('m', 2)).toThrowError(code('E_REGISTRY'));
      await fails(() => reg.retire('m', 2)).toThrowError(/aliased as production.*force: true/);
      await reg.retire('m', 1); // not aliased now (only in production's history)
      expect((await reg.getVersion('m', 1)).status).toBe('retired');
      await fails(() => reg.resolve('m', 1)).toThrowError(code('E_REGISTRY'));
      await expect(reg.promote('m', 1)).rejects.toThrowError(/retired/);
      await fails(() => reg.rollback('m', 'production', 1)).toThrowError(/retired/);
      await fails(() => reg.rollback('m')).toThrowError(/no earlier version/); // history held only v1, now retired
      await fails(() => reg.activate('m', 1)).toThrowError(/stay retired/);
      await fails(() => reg.archive('m', 1)).toThrowError(code('E_REGISTRY'));

      await reg.retire('m', 2, { force: true });
      await fails(() => reg.resolve('m', 'production')).toThrowError(code('E_NOT_FOUND'));
      expect(await reg.getVersion('m', 2)).toMatchObject({ status: 'retired', aliases: [] });
      expect(existsSync((await reg.getVersion('m', 2)).artifactPath)).toBe(true); // kept for the audit trail
      // even a raw SQL write cannot alias a retired version
      await expect(
        backend.raw(reg, location, "INSERT INTO aliases (model_id, alias, version, updated_at, updated_by) VALUES (1, 'x', 2, '', '')"),
      ).rejects.toThrowError(/retired/);
    } finally {
      await reg.close();
    }
  });

  it('records every change, by whom; the log refuses UPDATE and DELETE', async () => {
    const { reg, location } = await open();
    try {
      const file = await modelFile(base);
      await reg.register('a', { artifact: file });
      await reg.register('a', { artifact: file, actor: 'ci-bot' });
      await reg.promote('a', 1, 'production', { actor: 'bob' });
      await reg.promote('a', 2);
      await reg.rollback('a');
      await reg.archive('a', 2);
      await reg.register('b', { artifact: file });
      const log = await reg.audit('a');
      expect(log.map((e) => [e.action, e.version])).toEqual([
        ['create_model', null],
        ['register', 1],
        ['register', 2],
        ['promote', 1],
        ['promote', 2],
        ['rollback', 1],
        ['archive', 2],
      ]);
      expect(log.map((e) => e.actor)).toEqual([
        userInfo().username,
        userInfo().username,
        'ci-bot',
        'bob',
        userInfo().username,
        userInfo().username,
        userInfo().username,
      ]);
      expect(log[4].detail).toEqual({ alias: 'production', from: 1, to: 2 });
      expect(log[1].detail).toMatchObject({ className: 'StandardScaler', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      for (const e of log) expect(Date.parse(e.at)).toBeGreaterThan(0);
      expect((await reg.audit()).length).toBe(log.length + 2);
      expect((await reg.audit(undefined, { sinceId: log[5].id })).map((e) => e.action)).toEqual(['archive', 'create_model', 'register']);
      expect((await reg.audit(undefined, { limit: 2 })).map((e) => e.action)).toEqual(['create_model', 'register']);

      await expect(backend.raw(reg, location, "UPDATE audit SET actor = 'mallory'")).rejects.toThrowError(/append-only/);
      await expect(backend.raw(reg, location, 'DELETE FROM audit WHERE id = 1')).rejects.toThrowError(/append-only/);
      await expect(backend.raw(reg, location, 'DELETE FROM audit')).rejects.toThrowError(/append-only/);
      if (backend.name === 'postgres') await expect(backend.raw(reg, location, 'TRUNCATE audit')).rejects.toThrowError(/append-only/);
      expect(await reg.audit('a')).toEqual(log);
    } finally {
      await reg.close();
    }
  });

  it('the change counter moves with alias and version changes from any connection, not with reads', async () => {
    const { location: path, storeDir } = await backend.fresh();
    const writer = await openModelRegistry(path, { ...(storeDir ? { storeDir } : {}) }),
      reader = await openModelRegistry(path, { readonly: true, ...(storeDir ? { storeDir } : {}) });
    try {
      const file = await modelFile(base);
      const c0 = await reader.changeCounter();
      await writer.register('m', { artifact: file });
      await writer.register('m', { artifact: file });
      const c1 = await reader.changeCounter();
      expect(c1).toBeGreaterThan(c0);
      await reader.listVersions('m');
      await reader.resolve('m', 1);
      expect(await reader.changeCounter()).toBe(c1);
      await writer.promote('m', 1);
      const c2 = await reader.changeCounter();
      expect(c2).toBeGreaterThan(c1);
      await writer.promote('m', 1); // already there: no change
      expect(await reader.changeCounter()).toBe(c2);
      await writer.promote('m', 2);
      expect(await reader.changeCounter()).toBeGreaterThan(c2);
      expect((await reader.resolve('m', 'production')).version).toBe(2);
      await expect(reader.register('m', { artifact: file })).rejects.toThrowError(code('E_REGISTRY')); // read-only
      await fails(() => reader.setAlias('m', 'x', 1)).toThrowError(/read-only/);
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});

describe('ModelRegistry: the database file', () => {
  it('WAL, synchronous=FULL, foreign keys; schema version recorded; reopens with its data', async () => {
    const path = freshDb();
    let reg = await ModelRegistry.open(path);
    const db = (reg as unknown as { db: import('better-sqlite3').Database }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(10000);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    await reg.register('m', { artifact: await modelFile(base) });
    reg.close();
    expect(() => reg.listModels()).toThrowError(code('E_REGISTRY'));
    reg = await ModelRegistry.open(path);
    expect(reg.getVersion('m', 1).status).toBe('active');
    reg.close();
  });

  it('refuses files that are not kiln registries, and registries from a newer kiln', async () => {
    const other = join(base, 'other.db');
    const raw = new Database(other);
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    await expect(ModelRegistry.open(other)).rejects.toThrowError(/not a kiln registry/);
    writeFileSync(join(base, 'text.db'), 'this is not a database at all, just some text that goes on for a while'.repeat(20));
    await expect(ModelRegistry.open(join(base, 'text.db'))).rejects.toThrowError(code('E_REGISTRY'));
    const future = freshDb();
    (await ModelRegistry.open(future)).close();
    const f = new Database(future);
    f.pragma('user_version = 99');
    f.close();
    await expect(ModelRegistry.open(future)).rejects.toThrowError(/schema version 99, newer than this kiln knows.*upgrade kiln/);
    await expect(ModelRegistry.open(join(base, 'missing', 'x.db'), { readonly: true })).rejects.toThrowError(code('E_NOT_FOUND'));
  });

  it('importing kiln loads neither better-sqlite3 nor pg', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        "await import('./src/index.ts'); const { createRequire } = await import('node:module'); " +
          "const c = createRequire(import.meta.url).cache; console.log(JSON.stringify(Object.keys(c).filter((k) => k.includes('better-sqlite3') || k.includes('/node_modules/pg/'))));",
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual([]);
  });
});

// ---- other processes --------------------------------------------------------------------------

const CHILD = join(base, 'child.mts');
writeFileSync(
  CHILD,
  `
import { createRequire } from 'node:module';
import { ModelRegistry } from ${JSON.stringify(join(root, 'src/index.ts'))};
const [mode, db, a, b] = process.argv.slice(2);
if (mode === 'register') {
  const reg = await ModelRegistry.open(db, { actor: b });
  for (let i = 0; i < Number(a); i++) {
    const v = await reg.register('shared', { artifact: ${JSON.stringify(join(base, 'child-model.kiln'))}, tags: { writer: b, i: String(i) } });
    console.log('ack ' + v);
  }
  reg.close();
} else if (mode === 'loop') {
  const reg = await ModelRegistry.open(db, { actor: 'looper' });
  for (let i = 0; ; i++) {
    const v = await reg.register('crash', { artifact: ${JSON.stringify(join(base, 'child-model.kiln'))}, tags: { i: String(i) } });
    if (i % 3 === 0) await reg.promote('crash', v);
    console.log('ack ' + v);
  }
} else if (mode === 'hold') {
  const Database = createRequire(${JSON.stringify(join(root, 'package.json'))})('better-sqlite3');
  const raw = new Database(db);
  raw.pragma('synchronous = FULL');
  raw.exec('BEGIN IMMEDIATE');
  raw.prepare("INSERT INTO versions (model_id, version, status, artifact_sha256, artifact_bytes, class_name, params, metrics, tags, lineage, created_at, created_by) VALUES (1, 1000, 'active', ?, 1, 'X', '{}', '{}', '{}', '{}', '', 'ghost')").run('0'.repeat(64));
  raw.prepare("UPDATE aliases SET version = 1000").run();
  raw.prepare("INSERT INTO audit (at, actor, action, model, version) VALUES ('', 'ghost', 'register', 'crash', 1000)").run();
  for (let i = 0; i < 2000; i++) raw.prepare("INSERT INTO audit (at, actor, action) VALUES ('', 'ghost', 'filler')").run();
  console.log('holding');
  // Keep the connection reachable: were it garbage-collected, its finalizer would close it and
  // roll the open transaction back (the lock would vanish under the test's feet).
  globalThis.heldConnection = raw;
  setInterval(() => {}, 1000);
}
`,
);

const children: ChildProcess[] = [];

function child(args: string[]): {
  proc: ChildProcess;
  acks: number[];
  lines: string[];
  done: Promise<number | null>;
  waitFor(pred: () => boolean): Promise<void>;
} {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  children.push(proc);
  const acks: number[] = [],
    lines: string[] = [];
  let err = '';
  const waiters: (() => void)[] = [];
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      if (l.startsWith('ack ')) acks.push(Number(l.slice(4)));
    }
    for (const w of waiters) w();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<number | null>((res) => proc.on('exit', (c) => res(c)));
  return {
    proc,
    acks,
    lines,
    done,
    waitFor: (pred) =>
      new Promise((res, rej) => {
        if (pred()) return res();
        const t = setTimeout(() => rej(new Error(`child timed out; stderr: ${err}`)), 60_000);
        waiters.push(() => {
          if (pred()) {
            clearTimeout(t);
            res();
          }
        });
        void done.then(() => {
          if (!pred()) rej(new Error(`child exited; stderr: ${err}`));
        });
      }),
  };
}

describe('ModelRegistry: several processes', () => {
  it('concurrent writers in four processes: every version distinct, none lost', async () => {
    await modelFile(base).then((p) => writeFileSync(join(base, 'child-model.kiln'), readFileSync(p)));
    const path = freshDb();
    (await ModelRegistry.open(path)).close(); // create it, so the writers race on registering, not on creating the file
    const perWriter = 12;
    const writers = ['w1', 'w2', 'w3', 'w4'].map((w) => child(['register', path, String(perWriter), w]));
    const codes = await Promise.all(writers.map((w) => w.done));
    expect(codes).toEqual([0, 0, 0, 0]);
    const acked = writers.flatMap((w) => w.acks).sort((a, b) => a - b);
    expect(acked).toEqual(Array.from({ length: 4 * perWriter }, (_, i) => i + 1));
    const reg = await ModelRegistry.open(path);
    try {
      const versions = reg.listVersions('shared');
      expect(versions.map((v) => v.version)).toEqual(acked);
      for (const w of writers) {
        const mine = versions.filter((v) => v.tags.writer === w.proc.spawnargs.at(-1));
        expect(mine.map((v) => v.version).sort((a, b) => a - b)).toEqual([...w.acks].sort((a, b) => a - b));
        expect(mine.map((v) => v.tags.i)).toEqual(Array.from({ length: perWriter }, (_, i) => String(i))); // each writer's own order
      }
      expect(reg.audit('shared').filter((e) => e.action === 'register')).toHaveLength(4 * perWriter);
      expect(reg.audit('shared').filter((e) => e.action === 'create_model')).toHaveLength(1);
    } finally {
      reg.close();
    }
  });

  it('a writer killed with SIGKILL loses nothing it acknowledged; the database opens and checks clean', async () => {
    const path = freshDb();
    (await ModelRegistry.open(path)).close();
    let acked: number[] = [];
    for (const [round, extraMs] of [
      [1, 0],
      [2, 7],
      [3, 23],
    ] as const) {
      const c = child(['loop', path]);
      const target = acked.length + 4;
      await c.waitFor(() => acked.length + c.acks.length >= target);
      await new Promise((r) => setTimeout(r, extraMs));
      c.proc.kill('SIGKILL');
      await c.done;
      acked = [...acked, ...c.acks];
      const reg = await ModelRegistry.open(path);
      try {
        expect(await reg.verify(), `round ${round}`).toEqual({ ok: true, problems: [] });
        const versions = reg.listVersions('crash').map((v) => v.version);
        for (const v of acked) expect(versions).toContain(v);
        expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1)); // no holes, no duplicates
        expect(reg.audit('crash').filter((e) => e.action === 'register')).toHaveLength(versions.length);
        acked = versions; // a version committed just before the kill, unacknowledged, is kept too
      } finally {
        reg.close();
      }
    }
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });

  it('a process killed holding an open write transaction leaves none of it behind', async () => {
    const path = freshDb();
    const reg = await ModelRegistry.open(path, { busyTimeoutMs: 100 });
    try {
      await reg.register('crash', { artifact: await modelFile(base) });
      await reg.promote('crash', 1);
      const before = { counter: reg.changeCounter(), audit: reg.audit().length };
      const c = child(['hold', path]);
      await c.waitFor(() => c.lines.includes('holding'));
      // while it holds the write lock, writers wait (here: 100 ms) and then fail cleanly
      await expect(reg.register('crash', { artifact: await modelFile(base) })).rejects.toThrowError(/SQLITE_BUSY/);
      expect(reg.resolve('crash', 'production').version).toBe(1); // readers are not blocked (WAL)
      c.proc.kill('SIGKILL');
      await c.done;
      expect(reg.resolve('crash', 'production').version).toBe(1);
      expect(() => reg.getVersion('crash', 1000)).toThrowError(code('E_NOT_FOUND'));
      expect(reg.audit().length).toBe(before.audit);
      expect(reg.changeCounter()).toBe(before.counter);
      expect(await reg.register('crash', { artifact: await modelFile(base) })).toBe(2);
      expect(await reg.verify()).toEqual({ ok: true, problems: [] });
    } finally {
      for (const p of children) p.kill('SIGKILL'); // a failed assertion must not leave a lock holder behind
      reg.close();
    }
    const again = await ModelRegistry.open(path);
    expect(again.listVersions('crash').map((v) => v.version)).toEqual([1, 2]);
    again.close();
  });
});

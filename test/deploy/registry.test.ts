/**
 * The SQLite model registry: versions, aliases, promote / rollback / retire, the append-only
 * audit log, the change counter, concurrent writers in several processes, and a writer killed
 * (SIGKILL) in the middle of its work.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { load, LogisticRegression, ModelRegistry, readManifest, save, StandardScaler } from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
const base = mkdtempSync(join(tmpdir(), 'kiln-registry-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const freshDb = () => join(base, `r${n++}`, 'models.db');
const code = (c: string) => expect.objectContaining({ code: c });
const X = [
  [1, 2],
  [3, 5],
  [4, 4],
  [6, 1],
  [7, 3],
  [9, 9],
];
const y = [0, 0, 1, 1, 0, 1];

async function modelFile(dir: string, scale = 1, meta = {}): Promise<string> {
  const path = join(dir, `scaler-${scale}.kiln`);
  await save(await new StandardScaler().fit(X.map((r) => r.map((v) => v * scale))), path, meta);
  return path;
}

describe('ModelRegistry: versions and artifacts', () => {
  it('registers numbered versions from model files and model objects, in a content-addressed store', async () => {
    const path = freshDb();
    const reg = await ModelRegistry.open(path, { actor: 'alice' });
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

      const v1 = reg.getVersion('churn', 1),
        v2 = reg.getVersion('churn', 2),
        v3 = reg.getVersion('churn', 3);
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
      expect(isAbsolute(v1.artifactPath)).toBe(true);
      expect(v1.artifactPath.startsWith(reg.storeDir)).toBe(true);
      expect(v3.artifactPath).toBe(v1.artifactPath); // same bytes, stored once
      expect(v1.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(v1.artifactPath).equals(readFileSync(file))).toBe(true);
      // the stored model of a model object loads and predicts, and carries the registry's metadata
      const back = await load<LogisticRegression>(v2.artifactPath);
      expect(await back.predict(X)).toEqual(await clf.predict(X));
      expect((await readManifest(v2.artifactPath)).lineage).toEqual({ dataFingerprint: 'sha256:abc', parentVersion: 1 });

      expect(reg.listVersions('churn').map((v) => v.version)).toEqual([1, 2, 3]);
      expect(reg.listModels()).toEqual([
        expect.objectContaining({ name: 'churn', versions: 3, latestVersion: 3, aliases: {}, createdBy: 'alice' }),
        expect.objectContaining({ name: 'fraud', versions: 1, latestVersion: 1 }),
      ]);
      expect(await reg.verify()).toEqual({ ok: true, problems: [] });
      expect(reg.storeDir).toBe(path.replace(/\.db$/, '.artifacts'));
    } finally {
      reg.close();
    }
  });

  it('refuses bad input with stable codes and registers nothing', async () => {
    const reg = await ModelRegistry.open(freshDb());
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
      expect(reg.listModels()).toEqual([]);
      expect(() => reg.getVersion('m', 1)).toThrowError(code('E_NOT_FOUND'));
      expect(await reg.register('m', { artifact: file })).toBe(1);
      expect(() => reg.getVersion('m', 2)).toThrowError(/has no version 2/);
      expect(() => reg.getVersion('m', 0)).toThrowError(code('E_PARAM'));
    } finally {
      reg.close();
    }
    await expect(ModelRegistry.open(':memory:')).rejects.toThrowError(code('E_PARAM'));
  });
});

describe('ModelRegistry: aliases, promote, rollback, status', () => {
  it('promote moves the alias, rollback walks back, resolve follows', async () => {
    const reg = await ModelRegistry.open(freshDb());
    try {
      for (let s = 1; s <= 4; s++) await reg.register('m', { artifact: await modelFile(base, s) });
      await reg.promote('m', 1);
      expect(reg.resolve('m', 'production').version).toBe(1);
      await reg.promote('m', 2);
      await reg.promote('m', 3);
      reg.setAlias('m', 'candidate', 4);
      expect(reg.resolve('m', 'production')).toMatchObject({ version: 3, aliases: ['production'] });
      expect(reg.resolve('m', 'candidate').version).toBe(4);
      expect(reg.resolve('m', 2).version).toBe(2);
      expect(reg.resolve('m', '2').version).toBe(2);
      expect(reg.resolve('m', 'latest').version).toBe(4);
      expect(reg.listAliases('m')).toEqual([
        expect.objectContaining({ alias: 'candidate', version: 4, previousVersion: null }),
        expect.objectContaining({ alias: 'production', version: 3, previousVersion: 2 }),
      ]);
      expect(reg.listModels()[0].aliases).toEqual({ candidate: 4, production: 3 });

      expect(reg.rollback('m')).toBe(2);
      expect(reg.resolve('m', 'production').version).toBe(2);
      expect(reg.rollback('m')).toBe(1);
      expect(() => reg.rollback('m')).toThrowError(code('E_REGISTRY'));
      await reg.promote('m', 3);
      await reg.promote('m', 4);
      await reg.promote('m', 2);
      expect(reg.rollback('m', 'production', 3)).toBe(3); // an explicit target: back two steps at once
      expect(reg.rollback('m', 'production')).toBe(1); // and on from there
      expect(() => reg.rollback('m', 'production', 9)).toThrowError(code('E_NOT_FOUND'));
      expect(() => reg.resolve('m', 'staging')).toThrowError(code('E_NOT_FOUND'));
      expect(() => reg.resolve('m', 'staging')).toThrowError(/aliases: candidate, production/);
      expect(() => reg.rollback('m', 'staging')).toThrowError(code('E_NOT_FOUND'));
      await expect(reg.promote('m', 9)).rejects.toThrowError(code('E_NOT_FOUND'));
      expect(() => reg.setAlias('m', '42', 1)).toThrowError(code('E_PARAM'));
      expect(() => reg.setAlias('m', 'latest', 1)).toThrowError(code('E_PARAM'));
      expect(() => reg.resolve('nope', 'production')).toThrowError(code('E_NOT_FOUND'));

      reg.deleteAlias('m', 'candidate');
      expect(() => reg.resolve('m', 'candidate')).toThrowError(code('E_NOT_FOUND'));
      expect(() => reg.deleteAlias('m', 'candidate')).toThrowError(code('E_NOT_FOUND'));
    } finally {
      reg.close();
    }
  });

  it('archive, activate, retire: a retired version is never aliased or resolved', async () => {
    const reg = await ModelRegistry.open(freshDb());
    try {
      for (let s = 1; s <= 3; s++) await reg.register('m', { artifact: await modelFile(base, s) });
      await reg.promote('m', 1);
      await reg.promote('m', 2);
      reg.archive('m', 3);
      expect(reg.getVersion('m', 3).status).toBe('archived');
      expect(reg.resolve('m', 'latest').version).toBe(2); // latest = highest active
      expect(reg.resolve('m', 3).status).toBe('archived'); // archived still resolves by number
      reg.activate('m', 3);
      expect(reg.getVersion('m', 3).status).toBe('active');

      expect(() => reg.retire('m', 2)).toThrowError(code('E_REGISTRY'));
      expect(() => reg.retire('m', 2)).toThrowError(/aliased as production.*force: true/);
      reg.retire('m', 1); // not aliased now (only in production's history)
      expect(reg.getVersion('m', 1).status).toBe('retired');
      expect(() => reg.resolve('m', 1)).toThrowError(code('E_REGISTRY'));
      await expect(reg.promote('m', 1)).rejects.toThrowError(/retired/);
      expect(() => reg.rollback('m', 'production', 1)).toThrowError(/retired/);
      expect(() => reg.rollback('m')).toThrowError(/no earlier version/); // history held only v1, now retired
      expect(() => reg.activate('m', 1)).toThrowError(/stay retired/);
      expect(() => reg.archive('m', 1)).toThrowError(code('E_REGISTRY'));

      reg.retire('m', 2, { force: true });
      expect(() => reg.resolve('m', 'production')).toThrowError(code('E_NOT_FOUND'));
      expect(reg.getVersion('m', 2)).toMatchObject({ status: 'retired', aliases: [] });
      expect(existsSync(reg.getVersion('m', 2).artifactPath)).toBe(true); // kept for the audit trail
      // even a raw SQL write cannot alias a retired version
      const raw = new Database(reg.path);
      expect(() => raw.prepare("INSERT INTO aliases (model_id, alias, version, updated_at, updated_by) VALUES (1, 'x', 2, '', '')").run()).toThrowError(
        /retired/,
      );
      raw.close();
    } finally {
      reg.close();
    }
  });
});

describe('ModelRegistry: audit log and change counter', () => {
  it('records every change, by whom; the log refuses UPDATE and DELETE', async () => {
    const reg = await ModelRegistry.open(freshDb());
    try {
      const file = await modelFile(base);
      await reg.register('a', { artifact: file });
      await reg.register('a', { artifact: file, actor: 'ci-bot' });
      await reg.promote('a', 1, 'production', { actor: 'bob' });
      await reg.promote('a', 2);
      reg.rollback('a');
      reg.archive('a', 2);
      await reg.register('b', { artifact: file });
      const log = reg.audit('a');
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
      expect(reg.audit().length).toBe(log.length + 2);
      expect(reg.audit(undefined, { sinceId: log[5].id }).map((e) => e.action)).toEqual(['archive', 'create_model', 'register']);

      const raw = new Database(reg.path);
      try {
        expect(() => raw.prepare("UPDATE audit SET actor = 'mallory'").run()).toThrowError(/append-only/);
        expect(() => raw.prepare('DELETE FROM audit WHERE id = 1').run()).toThrowError(/append-only/);
        expect(() => raw.prepare('DELETE FROM audit').run()).toThrowError(/append-only/);
      } finally {
        raw.close();
      }
      expect(reg.audit('a')).toEqual(log);
    } finally {
      reg.close();
    }
  });

  it('the change counter moves with alias and version changes from any connection, not with reads', async () => {
    const path = freshDb();
    const writer = await ModelRegistry.open(path),
      reader = await ModelRegistry.open(path, { readonly: true });
    try {
      const file = await modelFile(base);
      const c0 = reader.changeCounter();
      await writer.register('m', { artifact: file });
      await writer.register('m', { artifact: file });
      const c1 = reader.changeCounter();
      expect(c1).toBeGreaterThan(c0);
      reader.listVersions('m');
      reader.resolve('m', 1);
      expect(reader.changeCounter()).toBe(c1);
      await writer.promote('m', 1);
      const c2 = reader.changeCounter();
      expect(c2).toBeGreaterThan(c1);
      await writer.promote('m', 1); // already there: no change
      expect(reader.changeCounter()).toBe(c2);
      await writer.promote('m', 2);
      expect(reader.changeCounter()).toBeGreaterThan(c2);
      expect(reader.resolve('m', 'production').version).toBe(2);
      await expect(reader.register('m', { artifact: file })).rejects.toThrowError(code('E_REGISTRY')); // read-only
    } finally {
      writer.close();
      reader.close();
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

  it('importing kiln does not load better-sqlite3', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        "await import('./src/index.ts'); const { createRequire } = await import('node:module'); " +
          "const c = createRequire(import.meta.url).cache; console.log(JSON.stringify(Object.keys(c).filter((k) => k.includes('better-sqlite3'))));",
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

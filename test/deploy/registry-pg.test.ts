/**
 * What only the PostgreSQL registry has to prove (its shared behaviour runs in registry.test.ts):
 * concurrent writers never share a version number; the audit log's triggers; a writer whose
 * backend is terminated mid-transaction leaves nothing; two servers on one database hot-swap on
 * NOTIFY (no polling) within a second; copyRegistry from SQLite, verified and idempotent, also
 * through `kiln registry copy`; bad URLs and credentials fail fast with KilnErrors.
 * A real PostgreSQL runs for the file (test/helpers/postgres.ts); KILN_REQUIRE_POSTGRES=1 (CI)
 * makes its absence a failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { copyRegistry, LogisticRegression, ModelRegistry, openModelRegistry, PgModelRegistry } from '../../src/index.js';
import { startPostgres } from '../helpers/postgres.js';
import { logisticFile, X } from '../helpers/registry-models.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'kiln-registry-pg-'));
const server = await startPostgres();
if ('unavailable' in server) console.warn(`[kiln tests] registry on PostgreSQL not tested: ${server.unavailable}`);
afterAll(() => {
  if (!('unavailable' in server)) server.stop();
  rmSync(base, { recursive: true, force: true });
});
const code = (c: string) => expect.objectContaining({ code: c });
let n = 0;
const modelFile = (scale = 1) => logisticFile(base, scale);

describe.runIf(!('unavailable' in server))('PgModelRegistry', () => {
  const pg = server as Exclude<typeof server, { unavailable: string }>;
  const fresh = async () => ({ url: await pg.createDatabase(`pg${++n}`), storeDir: join(base, `store${n}`) });
  const rawQuery = async (url: string, sql: string) => {
    const { default: lib } = await import('pg');
    const c = new lib.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };

  it('ModelRegistry.open and openModelRegistry choose the backend by URL scheme', async () => {
    const { url, storeDir } = await fresh();
    const a = await ModelRegistry.open(url as `postgres://${string}`, { storeDir });
    const b = await openModelRegistry(url.replace(/^postgres:/, 'postgresql:'), { storeDir });
    const c = await openModelRegistry(join(base, 'plain.db'));
    try {
      expect(a).toBeInstanceOf(PgModelRegistry);
      expect(b).toBeInstanceOf(PgModelRegistry);
      expect(c).toBeInstanceOf(ModelRegistry);
      expect(a.path).not.toContain('kiln-test-secret'); // the password stays out of messages
      expect(a.path).toContain('***');
    } finally {
      await a.close();
      await b.close();
      await c.close();
    }
  });

  it('three registries opened at once on a fresh database (migrated once), writing concurrently: every version number distinct, none lost', async () => {
    const { url, storeDir } = await fresh();
    const writers = await Promise.all([1, 2, 3].map((w) => PgModelRegistry.open(url, { storeDir, actor: `w${w}` })));
    try {
      const file = await modelFile();
      const per = 8;
      const got = await Promise.all(
        writers.map(async (reg, w) => {
          const mine: number[] = [];
          await Promise.all(
            Array.from({ length: per }, async (_, i) => mine.push(await reg.register('shared', { artifact: file, tags: { w: String(w), i: String(i) } }))),
          );
          return mine;
        }),
      );
      const all = got.flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: 3 * per }, (_, i) => i + 1));
      const versions = await writers[0].listVersions('shared');
      expect(versions.map((v) => v.version)).toEqual(all);
      for (const [w, mine] of got.entries()) {
        expect(
          versions
            .filter((v) => v.tags.w === String(w))
            .map((v) => v.version)
            .sort((a, b) => a - b),
        ).toEqual([...mine].sort((a, b) => a - b));
      }
      const audit = await writers[0].audit('shared');
      expect(audit.filter((e) => e.action === 'register')).toHaveLength(3 * per);
      expect(audit.filter((e) => e.action === 'create_model')).toHaveLength(1);
      expect(new Set(audit.map((e) => e.id)).size).toBe(audit.length);
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
  });

  it('the audit log is protected by triggers, and verify reports a disabled one', async () => {
    const { url, storeDir } = await fresh();
    const reg = await PgModelRegistry.open(url, { storeDir });
    try {
      await reg.register('m', { artifact: await modelFile() });
      for (const sql of ["UPDATE audit SET actor = 'mallory'", 'DELETE FROM audit', 'TRUNCATE audit']) {
        await expect(rawQuery(url, sql), sql).rejects.toThrowError(/append-only/);
      }
      expect(await reg.audit()).toHaveLength(2);
      expect(await reg.verify()).toEqual({ ok: true, problems: [] });
      await rawQuery(url, 'ALTER TABLE audit DISABLE TRIGGER audit_no_update_delete');
      const check = await reg.verify();
      expect(check.ok).toBe(false);
      expect(check.problems).toEqual([expect.stringMatching(/audit_no_update_delete is missing or disabled/)]);
    } finally {
      await reg.close();
    }
  });

  it('a writer whose backend is terminated mid-transaction leaves no partial version', async () => {
    const { url, storeDir } = await fresh();
    const reg = await PgModelRegistry.open(url, { storeDir });
    const { default: lib } = await import('pg');
    const blocker = new lib.Client({ connectionString: url });
    await blocker.connect();
    try {
      const file = await modelFile();
      expect(await reg.register('m', { artifact: file })).toBe(1);
      await reg.promote('m', 1);
      const before = { counter: await reg.changeCounter(), audit: (await reg.audit()).length };
      // hold the change-counter row: the next writer inserts its version row, then waits in its trigger — mid-transaction
      await blocker.query('BEGIN');
      await blocker.query('SELECT counter FROM changes WHERE id = 1 FOR UPDATE');
      // while it holds the lock, a writer waits busyTimeoutMs and then fails cleanly
      const impatient = await PgModelRegistry.open(url, { storeDir, busyTimeoutMs: 200 });
      await expect(impatient.register('m', { artifact: file })).rejects.toThrowError(/held the registry longer than busyTimeoutMs/);
      await impatient.close();
      const writing = reg.register('m', { artifact: file, tags: { doomed: 'yes' } });
      let settled: unknown = null;
      writing.then(
        () => (settled = 'resolved'),
        (e) => (settled = e),
      );
      let pid: number | undefined;
      for (let i = 0; i < 600 && pid === undefined && settled === null; i++) {
        // from another connection: inside the blocker's transaction pg_stat_activity would stay as first read
        const rows = await rawQuery(
          url,
          "SELECT pid FROM pg_stat_activity WHERE application_name = 'kiln-registry' AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO versions%'",
        );
        pid = rows[0]?.pid;
        if (pid === undefined) await new Promise((res) => setTimeout(res, 25));
      }
      const activity = pid === undefined ? await rawQuery(url, 'SELECT application_name, state, wait_event_type, wait_event, query FROM pg_stat_activity') : [];
      expect(
        pid,
        `the writer never reached its version insert (it ${settled === null ? 'is still running' : `ended: ${settled}`}); ${JSON.stringify(activity)}`,
      ).toBeDefined();
      await rawQuery(url, `SELECT pg_terminate_backend(${Number(pid)})`);
      await expect(writing).rejects.toThrowError(code('E_REGISTRY'));
      await blocker.query('ROLLBACK');
      expect((await reg.listVersions('m')).map((v) => v.version)).toEqual([1]);
      expect((await reg.audit()).length).toBe(before.audit);
      expect(await reg.changeCounter()).toBe(before.counter);
      expect(await reg.register('m', { artifact: file })).toBe(2); // the pool replaced the dead connection; numbering continues
      expect(await reg.verify()).toEqual({ ok: true, problems: [] });
    } finally {
      await blocker.end();
      await reg.close();
    }
  });

  it('two servers on one database: a promotion through one is live on both within a second, by NOTIFY (no polling)', async () => {
    const { url, storeDir } = await fresh();
    const reg = await PgModelRegistry.open(url, { storeDir, actor: 'deployer' });
    const flags = { model: 'lr', registry: url, port: 0, host: '127.0.0.1', logLevel: 'silent', pollMs: 600_000 };
    await reg.register('lr', { artifact: await modelFile(1) });
    await reg.register('lr', { artifact: await modelFile(0.01) });
    await reg.promote('lr', 1);
    // the servers find the store the registry recorded when it was created
    const servers = [await startServer(flags), await startServer(flags)];
    try {
      for (const s of servers) expect(s.live.primary).toEqual({ name: 'lr', version: 1 });
      const models = (await (await fetch(`${servers[0].address}/models`)).json()) as { source: Record<string, unknown> };
      expect(models.source).toMatchObject({ source: 'registry', changes: 'notify' });
      await reg.promote('lr', 2); // loads and warms v2 up, then commits: the clock starts at the commit
      const t0 = performance.now();
      const swapped = await Promise.all(
        servers.map(async (s) => {
          while (s.live.primary?.version !== 2) {
            if (performance.now() - t0 > 5000) throw new Error(`no hot swap after 5 s (live: ${JSON.stringify(s.live.primary)})`);
            await new Promise((res) => setTimeout(res, 5));
          }
          return performance.now() - t0;
        }),
      );
      for (const ms of swapped) expect(ms).toBeLessThan(1000);
      for (const s of servers) {
        const res = await fetch(`${s.address}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ instances: X }),
        });
        const body = (await res.json()) as { model: { version: number } };
        expect(res.status, JSON.stringify(body)).toBe(200);
        expect(body.model.version).toBe(2);
      }
      // and back: a rollback through the registry is live on both too
      await reg.rollback('lr');
      for (const s of servers) await expect.poll(() => s.live.primary?.version, { timeout: 1000, interval: 5 }).toBe(1);
      // the listening connections cut by the database: they reconnect, re-resolve, and hear the next promotion
      const killed = await rawQuery(
        url,
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'kiln-registry' AND query LIKE 'LISTEN%'",
      );
      expect(killed).toHaveLength(2);
      await new Promise((res) => setTimeout(res, 1500)); // reconnected (after 500 ms)
      await reg.promote('lr', 2);
      for (const s of servers) await expect.poll(() => s.live.primary?.version, { timeout: 1000, interval: 5 }).toBe(2);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await reg.close();
    }
  });

  it('copyRegistry copies an SQLite registry into PostgreSQL, verifies it, and is idempotent; kiln registry copy does the same', async () => {
    const sqlitePath = join(base, 'source.db');
    const src = await ModelRegistry.open(sqlitePath, { actor: 'alice' });
    for (let s = 1; s <= 3; s++) await src.register('churn', { artifact: await modelFile(s), metrics: { acc: s / 10 } });
    await src.register('fraud', { artifact: await modelFile(7) });
    await src.promote('churn', 1);
    await src.promote('churn', 2);
    await src.promote('churn', 3);
    src.setAlias('churn', 'candidate', 1);
    src.archive('churn', 1);
    src.retire('fraud', 1);
    const srcDump = src.dump();
    src.close();

    const { url, storeDir } = await fresh();
    const report = await copyRegistry(sqlitePath, url, { to: { storeDir } });
    expect(report.copied).toBe(true);
    expect(report.counts).toEqual({ models: 2, versions: 4, aliases: 2, alias_history: 2, audit: srcDump.audit.length });
    expect(report.artifacts).toBe(4);
    const again = await copyRegistry(sqlitePath, url, { to: { storeDir } });
    expect(again).toEqual({ ...report, copied: false });

    const dst = await PgModelRegistry.open(url);
    try {
      expect(dst.storeDir).toBe(storeDir);
      expect(await dst.dump()).toEqual(srcDump);
      expect((await dst.resolve('churn', 'production')).version).toBe(3);
      expect(await dst.rollback('churn')).toBe(2); // the alias history came along
      expect((await dst.load<LogisticRegression>('churn', 'production')).model).toBeInstanceOf(LogisticRegression);
      expect(await dst.register('churn', { artifact: await modelFile(9) })).toBe(4); // numbering continues after the copied rows
      const log = await dst.audit('churn');
      expect(log.at(-1)).toMatchObject({ action: 'register', version: 4, id: srcDump.audit.length + 2 }); // ids continue too (rollback was +1)
      // the target now differs from the source: a copy is refused rather than merged
      await expect(copyRegistry(sqlitePath, url, { to: { storeDir } })).rejects.toThrowError(/already holds a different registry/);
    } finally {
      await dst.close();
    }

    // the CLI: into a second database, then again (nothing written)
    const { url: url2, storeDir: store2 } = await fresh();
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/index.ts'), ...args], {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
    const first = cli(['registry', 'copy', sqlitePath, url2, '--store', store2]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(
      `copied: 2 models, 4 versions, 2 aliases, 2 alias_history, ${srcDump.audit.length} audit, 4 model files; verified (counts and digests match)\n`,
    );
    const second = cli(['registry', 'copy', sqlitePath, url2, '--json']);
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ ...report, copied: false });
    const copied = await PgModelRegistry.open(url2, { readonly: true });
    try {
      expect(copied.storeDir).toBe(store2); // recorded by the first copy, found by the second
      expect(await copied.listModels()).toMatchObject([{ name: 'churn', versions: 3, aliases: { candidate: 1, production: 3 } }, { name: 'fraud' }]);
    } finally {
      await copied.close();
    }
  });

  it('bad URLs, wrong credentials, missing databases and unreachable servers fail fast with KilnErrors', async () => {
    const good = pg.url();
    const t0 = performance.now();
    await expect(openModelRegistry(good.replace('kiln-test-secret', 'wrong'))).rejects.toThrowError(code('E_REGISTRY'));
    await expect(openModelRegistry(good.replace('kiln-test-secret', 'wrong'))).rejects.toThrowError(/refused the login.*check the user name and password/);
    await expect(openModelRegistry(good.replace('kiln-test-secret', 'wrong'))).rejects.not.toThrowError(/wrong/); // no password in the message
    await expect(openModelRegistry(pg.url('no_such_db'))).rejects.toThrowError(code('E_NOT_FOUND'));
    const closedPort = await new Promise<number>((res) => {
      const s = netServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    await expect(openModelRegistry(`postgres://kiln:x@127.0.0.1:${closedPort}/postgres`)).rejects.toThrowError(/cannot reach PostgreSQL/);
    await expect(openModelRegistry('postgres://')).rejects.toThrowError(code('E_PARAM'));
    await expect(openModelRegistry('postgres://kiln:x@[bad/db')).rejects.toThrowError(code('E_PARAM'));
    await expect(PgModelRegistry.open(good, { connectTimeoutMs: 0 })).rejects.toThrowError(code('E_PARAM'));
    expect(performance.now() - t0).toBeLessThan(10_000);
    // a server that accepts the connection but never answers: connectTimeoutMs, not a hang
    const silent = netServer((sock) => sock.on('error', () => undefined)).listen(0, '127.0.0.1');
    await new Promise((res) => silent.once('listening', res));
    const t1 = performance.now();
    await expect(
      openModelRegistry(`postgres://kiln:x@127.0.0.1:${(silent.address() as { port: number }).port}/postgres`, { connectTimeoutMs: 300 }),
    ).rejects.toThrowError(/cannot reach PostgreSQL/);
    expect(performance.now() - t1).toBeLessThan(3000);
    silent.close();
    // someone else's database, and a read-only open of an empty one
    const other = await pg.createDatabase(`other${++n}`);
    await rawQuery(other, 'CREATE TABLE models (x int)');
    await expect(openModelRegistry(other)).rejects.toThrowError(/tables named models that are not a kiln registry's/);
    const empty = await pg.createDatabase(`empty${++n}`);
    await expect(openModelRegistry(empty, { readonly: true })).rejects.toThrowError(/not a kiln registry/);
  });
});

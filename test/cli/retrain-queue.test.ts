/**
 * Retraining on the queue, with a real redis-server and a `kiln worker` process: `kiln retrain
 * --redis` runs the job on the worker (a new version registered and promoted, lineage intact),
 * `--schedule <cron>` registers a repeatable job the worker runs on its own, `--unschedule`
 * removes it, a server's drift trigger with --redis retrains on the worker and hot-swaps; an
 * unreachable Redis is E_IO within the timeout.
 */
import { type ChildProcess, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { ModelRegistry } from '../../src/index.js';
import { freePort, type RedisServer, startRedis } from '../helpers/redis.js';
import { retrainConfig, writeRetrainData } from '../helpers/retrain-data.js';

const root = new URL('../../', import.meta.url).pathname;
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
let dir: string;
let redis: RedisServer;
let worker: ChildProcess;

function kiln(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', TSX, join(root, 'src/cli/index.ts'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
}

const writeData = (file: string, n: number, seed: number, flip: number) => writeRetrainData(dir, file, n, seed, flip);
const config = retrainConfig;

async function versions(db: string, name: string): Promise<number[]> {
  const reg = await ModelRegistry.open(join(dir, db));
  try {
    return reg.listVersions(name).map((v) => v.version);
  } finally {
    reg.close();
  }
}

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'kiln-retrain-queue-'));
  writeData('old.csv', 60, 9, 0.3);
  writeFileSync(join(dir, 'old.yaml'), config('old.csv'));
  writeData('fresh.csv', 1200, 7, 0.02);
  writeFileSync(join(dir, 'fresh.yaml'), config('fresh.csv'));
  const t = kiln(['train', 'old.yaml', '--register', 'm', '--registry', 'reg.db', '--promote']);
  if (t.status !== 0) throw new Error(t.stderr);
  worker = spawn(process.execPath, ['--import', TSX, join(root, 'src/cli/index.ts'), 'worker', '--redis', redis.url, '--store', join(dir, 'store')], {
    cwd: tmpdir(), // not the producer's directory: the job names absolute paths
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  worker.stderr!.on('data', (d) => {
    err += d;
  });
  for (let i = 0; i < 600 && !err.includes('serving'); i++) await new Promise((r) => setTimeout(r, 50));
  if (!err.includes('serving')) throw new Error(`kiln worker did not start: ${err}`);
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kiln retrain on the queue', () => {
  it('--redis: the job runs on a worker, registers v2 with its lineage and promotes it', async () => {
    const r = kiln(['retrain', 'fresh.yaml', '--registry', 'reg.db', '--name', 'm', '--reason', 'on a worker', '--redis', redis.url, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'm', champion: { version: 1 }, candidate: { version: 2 }, passed: true, promoted: true });
    const reg = await ModelRegistry.open(join(dir, 'reg.db'));
    try {
      expect(reg.resolve('m', 'production').version).toBe(2);
      expect(reg.getVersion('m', 2).lineage).toMatchObject({ parentVersion: 1, trigger: 'on a worker', dataSource: 'fresh.csv' });
    } finally {
      reg.close();
    }
  });

  it('--schedule registers a repeatable job the worker runs by itself; --unschedule removes it', async () => {
    const s = kiln(['retrain', 'fresh.yaml', '--registry', 'reg.db', '--name', 'm', '--redis', redis.url, '--schedule', '*/2 * * * * *', '--json']);
    expect(s.status, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ id: 'kiln-retrain:m@production', schedule: '*/2 * * * * *' });
    for (let i = 0; i < 400 && !(await versions('reg.db', 'm')).includes(3); i++) await new Promise((r) => setTimeout(r, 50));
    const u = kiln(['retrain', 'fresh.yaml', '--registry', 'reg.db', '--name', 'm', '--redis', redis.url, '--unschedule', '--json']);
    expect(u.status, u.stderr).toBe(0);
    expect(JSON.parse(u.stdout)).toEqual({ id: 'kiln-retrain:m@production', removed: true });
    const reg = await ModelRegistry.open(join(dir, 'reg.db'));
    try {
      expect(reg.getVersion('m', 3).lineage).toMatchObject({ parentVersion: 2, trigger: 'schedule: */2 * * * * *' });
    } finally {
      reg.close();
    }
    const q = new Queue('kiln', { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      expect(await q.getJobSchedulersCount()).toBe(0);
    } finally {
      await q.close();
    }
  }, 60_000);

  it("kiln serve --retrain --redis: the drift trigger's job runs on the worker and the server swaps to the promoted version", async () => {
    const t = kiln(['train', 'old.yaml', '--register', 'm', '--registry', 'serve-reg.db', '--promote']);
    expect(t.status, t.stderr).toBe(0);
    const server = await startServer({
      model: 'm',
      registry: join(dir, 'serve-reg.db'),
      port: 0,
      logLevel: 'silent',
      pollMs: 50,
      predictionLog: join(dir, 'serve-log.db'),
      driftEvery: 3_600_000,
      retrain: join(dir, 'fresh.yaml'),
      redis: redis.url,
    });
    try {
      const rows = Array.from({ length: 200 }, (_, i) => ({ x1: 3 + (i % 7) / 7, x2: -3 - (i % 5) / 5 }));
      const res = await fetch(`${server.address}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows }) });
      expect(res.status).toBe(200);
      const [snap] = await server.checkDrift();
      expect(snap.drift.datasetDrift).toBe(true);
      for (let i = 0; i < 400 && server.live.primary?.version !== 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(server.live.primary).toEqual({ name: 'm', version: 2 });
    } finally {
      await server.close();
    }
    await expect(startServer({ model: 'm', registry: join(dir, 'serve-reg.db'), port: 0, redis: redis.url } as never)).rejects.toThrow(/add --retrain/);
  }, 60_000);

  it('unreachable Redis: E_IO within the timeout; --schedule without Redis and a bad pattern are E_PARAM', async () => {
    const port = await freePort();
    const r = kiln(['retrain', 'fresh.yaml', '--registry', 'reg.db', '--name', 'm', '--redis', `redis://127.0.0.1:${port}`, '--connect-timeout', '500']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`cannot reach Redis at redis://127.0.0.1:${port}`));
    const none = kiln(['retrain', 'fresh.yaml', '--registry', 'reg.db', '--name', 'm', '--schedule', '0 3 * * *']);
    expect(none.stderr).toMatch(/retraining schedules live in Redis; add --redis/);
    const bad = kiln(['retrain', 'fresh.yaml', '--registry', 'reg.db', '--name', 'm', '--redis', redis.url, '--schedule', 'daily']);
    expect(bad.stderr).toMatch(/--schedule: a cron pattern/);
  });
});

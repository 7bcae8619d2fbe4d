/**
 * `kiln predict --distributed` on a real redis-server with two `kiln worker` processes: the parts,
 * concatenated, are byte for byte the local `kiln predict` output (CSV and Parquet input), the
 * manifest names every shard; a re-run scores only what changed; a worker child killed mid-shard
 * is retried; a shard that fails every time is recorded as failed and the command exits non-zero
 * naming it; an unreachable Redis is E_IO within the timeout.
 */
import { type ChildProcess, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParquetWriterOut } from '../../src/data/write.js';
import { readParquet } from '../../src/index.js';
import type { ScoringManifest } from '../../src/cli/predict-distributed.js';
import { freePort, type RedisServer, startRedis } from '../helpers/redis.js';

const root = new URL('../../', import.meta.url).pathname;
// tsx by path: the commands run in a temporary directory, where the package 'tsx' does not resolve
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
let dir: string;
let store: string;
let redis: RedisServer;
const workers: ChildProcess[] = [];

/**
 * The CLI as users run it (`node dist/cli/index.js`, built by npm test before the tests; the workers
 * run from the sources). From the sources through tsx's loader, the command exited now and then
 * with status 1 and no output at all when the machine was loaded (in about one run of this file in
 * ten, three files at once), before any of its JS exit handlers ran.
 */
function kiln(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(root, 'dist/cli/index.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
}

/** A `kiln worker` process serving `queue`; resolves once it says it is serving. */
async function startWorker(queue: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', TSX, join(root, 'src/cli/index.ts'), 'worker', '--redis', redis.url, '--queues', queue, '--store', store],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  workers.push(child);
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  for (let i = 0; i < 600 && !err.includes('serving'); i++) await new Promise((r) => setTimeout(r, 50));
  if (!err.includes('serving')) throw new Error(`kiln worker did not start: ${err}`);
  return child;
}

function rows(n: number, seed: number): string[][] {
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const colours = ['red', 'green', 'blue'];
  return Array.from({ length: n }, (_, i) => {
    const x1 = rand() * 2 - 1,
      x2 = rand() * 2 - 1;
    const colour = rand() < 0.05 ? '' : colours[Math.floor(rand() * 3)];
    const y = x1 + (colour === 'red' ? 0.8 : 0) + (rand() - 0.5) * 0.3 > 0 ? 'yes' : 'no';
    return [String(i), rand() < 0.03 ? '' : String(x1), String(x2), colour, y];
  });
}
const writeCsv = (file: string, data: string[][]) => writeFileSync(join(dir, file), `id,x1,x2,colour,y\n${data.map((r) => r.join(',')).join('\n')}\n`);

const CONFIG = `
data:
  source: train.csv
  testSource: test.csv
target: y
task: classification
features:
  numeric: [x1, x2]
  categorical: [colour]
model:
  class: GradientBoostingClassifier
  params: { nEstimators: 20, learningRate: 0.2, minDataInLeaf: 5 }
metrics: [accuracy]
output: toy.kiln
`;

/** The parts of an output directory, in manifest order, as one CSV (the first header only). */
function concatenated(out: string): string {
  const m = JSON.parse(readFileSync(join(dir, out, 'manifest.json'), 'utf8')) as ScoringManifest;
  return m.shards.map((s, i) => readFileSync(join(dir, out, s.part), 'utf8').replace(i === 0 ? /^$/ : /^[^\n]*\n/, '')).join('');
}
const manifestOf = (out: string) => JSON.parse(readFileSync(join(dir, out, 'manifest.json'), 'utf8')) as ScoringManifest;
const distributed = (input: string, out: string, extra: string[] = []) =>
  kiln([
    'predict',
    '--distributed',
    '-m',
    'toy.kiln',
    '-i',
    input,
    '-o',
    out,
    '--shard-rows',
    '700',
    '--redis',
    redis.url,
    '--store',
    store,
    '--keep',
    'id',
    '--proba',
    '--json',
    ...extra,
  ]);

const big = rows(5000, 3);

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'kiln-dpredict-'));
  store = join(dir, 'store');
  writeCsv('train.csv', rows(600, 1));
  writeCsv('test.csv', rows(200, 2));
  writeCsv('big.csv', big);
  writeFileSync(join(dir, 'toy.yaml'), CONFIG);
  const t = kiln(['train', 'toy.yaml', '--register', 'toy', '--registry', 'reg.db', '--promote', '--json']);
  if (t.status !== 0) throw new Error(t.stderr);
  // the same rows as Parquet, in row groups of 1000 (shards of 700 are cut inside them)
  const pq = new ParquetWriterOut(join(dir, 'big.parquet'), ['id', 'x1', 'x2', 'colour']);
  for (let at = 0; at < big.length; at += 1000) {
    const part = big.slice(at, at + 1000);
    await pq.write(
      [
        part.map((r) => Number(r[0])),
        part.map((r) => (r[1] === '' ? Number.NaN : Number(r[1]))),
        part.map((r) => Number(r[2])),
        part.map((r) => (r[3] === '' ? null : r[3])),
      ],
      part.length,
    );
  }
  await pq.close();
  const local = kiln(['predict', '-m', 'toy.kiln', '-i', 'big.csv', '-o', 'local.csv', '--keep', 'id', '--proba', '-b', '300']);
  if (local.status !== 0) throw new Error(local.stderr);
  await Promise.all([startWorker('kiln'), startWorker('kiln')]);
}, 120_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kiln predict --distributed', () => {
  it('CSV input: the parts concatenated are the local output, byte for byte; the manifest names every shard', () => {
    const r = distributed('big.csv', 'parts');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ shards: 8, scored: 8, reused: 0, failed: 0, rows: 5000 });
    expect(concatenated('parts')).toBe(readFileSync(join(dir, 'local.csv'), 'utf8'));
    const m = manifestOf('parts');
    expect(m.complete).toBe(true);
    expect(m.shards.map((s) => [s.offset, s.rows])).toEqual([0, 700, 1400, 2100, 2800, 3500, 4200, 4900].map((o) => [o, Math.min(700, 5000 - o)]));
    expect(m.shards.every((s) => /^[0-9a-f]{64}$/.test(s.digest) && s.status === 'scored')).toBe(true);
    expect(m.model.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(join(dir, 'parts')).sort()).toEqual([...m.shards.map((s) => s.part), 'manifest.json'].sort());
  });

  it('Parquet input: shards are row ranges inside row groups; the parts are the local output', () => {
    const local = kiln(['predict', '-m', 'toy.kiln', '-i', 'big.parquet', '-o', 'localpq.csv', '--keep', 'id', '--proba']);
    expect(local.status, local.stderr).toBe(0);
    const r = distributed('big.parquet', 'pqparts');
    expect(r.status, JSON.stringify([r.status, r.signal, r.stdout, r.stderr])).toBe(0);
    const m = manifestOf('pqparts');
    // row groups of 1000 cut at 700: 700 + 300 per group
    expect(m.shards.map((s) => s.rows)).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 700 : 300)));
    expect(concatenated('pqparts')).toBe(readFileSync(join(dir, 'localpq.csv'), 'utf8'));
  });

  it('a registered model (name@alias with --registry): the same parts, the digest the registry recorded', () => {
    const r = kiln(
      ['predict', '--distributed', '-m', 'toy@production', '--registry', 'reg.db', '-i', 'big.csv', '-o', 'regparts', '--shard-rows', '2000'].concat([
        '--redis',
        redis.url,
        '--store',
        store,
        '--keep',
        'id',
        '--proba',
      ]),
    );
    expect(r.status, r.stderr).toBe(0);
    const m = manifestOf('regparts');
    expect(m.model).toEqual({ label: 'toy v1', digest: manifestOf('parts').model.digest });
    expect(concatenated('regparts')).toBe(readFileSync(join(dir, 'local.csv'), 'utf8'));
  });

  it('Parquet parts hold the same values', async () => {
    const r = distributed('big.csv', 'pqout', ['--format', 'parquet']);
    expect(r.status, r.stderr).toBe(0);
    const m = manifestOf('pqout');
    const preds: string[] = [];
    for (const s of m.shards) preds.push(...Array.from((await readParquet(join(dir, 'pqout', s.part))).columns.prediction as ArrayLike<unknown>, String));
    const local = readFileSync(join(dir, 'local.csv'), 'utf8').trim().split('\n').slice(1);
    expect(preds).toEqual(local.map((l) => l.split(',')[1]));
  });

  it('a re-run scores only the shards whose rows changed, and removes the parts no shard names', () => {
    const again = distributed('big.csv', 'parts');
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ shards: 8, scored: 0, reused: 8 });
    const before = manifestOf('parts');
    const changed = big.map((r) => [...r]);
    changed[1500][2] = '0.25'; // row 1500: shard 2
    writeCsv('big2.csv', changed);
    const r = distributed('big2.csv', 'parts');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ shards: 8, scored: 1, reused: 7 });
    const after = manifestOf('parts');
    expect(after.shards.map((s) => s.status)).toEqual(['reused', 'reused', 'scored', 'reused', 'reused', 'reused', 'reused', 'reused']);
    expect(after.shards[2].digest).not.toBe(before.shards[2].digest);
    expect(readdirSync(join(dir, 'parts')).filter((f) => f.startsWith('part-')).length).toBe(8);
    const local = kiln(['predict', '-m', 'toy.kiln', '-i', 'big2.csv', '-o', 'local2.csv', '--keep', 'id', '--proba']);
    expect(local.status, local.stderr).toBe(0);
    expect(concatenated('parts')).toBe(readFileSync(join(dir, 'local2.csv'), 'utf8'));
  });

  it('a worker child killed mid-shard: BullMQ retries the shard and the output is complete', { timeout: 60_000 }, async () => {
    const w = await startWorker('crash');
    const q = new Queue('crash', { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      // a first run starts the worker's child, so the kill lands mid-shard (a child killed while it starts: test/distributed/child-start.test.ts)
      const warm = distributed('test.csv', 'warm', ['--queue', 'crash']);
      expect(warm.status, warm.stderr).toBe(0);
      const run = new Promise<SpawnSyncReturns<string> & { status: number | null }>((resolve) => {
        const c = spawn(
          process.execPath,
          [join(root, 'dist/cli/index.js'), 'predict', '--distributed', '-m', 'toy.kiln', '-i', 'big.csv', '-o', 'crashparts'].concat([
            '--shard-rows',
            '2500',
            '-b',
            '25',
            '--redis',
            redis.url,
            '--store',
            store,
            '--queue',
            'crash',
            '--keep',
            'id',
            '--proba',
            '--json',
          ]),
          { cwd: dir },
        );
        let stdout = '',
          stderr = '';
        c.stdout.on('data', (d) => {
          stdout += d;
        });
        c.stderr.on('data', (d) => {
          stderr += d;
        });
        c.on('exit', (status) => resolve({ status, stdout, stderr } as never));
      });
      const { QueueEvents } = await import('bullmq');
      const ev = new QueueEvents('crash', { connection: { host: '127.0.0.1', port: redis.port } });
      const retried = new Set<string>();
      ev.on('delayed', ({ jobId }) => retried.add(jobId)); // a failed attempt waits out its backoff, then runs again
      await ev.waitUntilReady();
      let killed = 0;
      for (let i = 0; i < 2000 && killed === 0; i++) {
        if ((await q.getActiveCount()) > 0) {
          const kids = execFileSync('pgrep', ['-P', String(w.pid)], { encoding: 'utf8' })
            .trim()
            .split('\n')
            .filter(Boolean);
          for (const pid of kids) process.kill(Number(pid), 'SIGKILL');
          killed = kids.length;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(killed).toBeGreaterThan(0);
      const r = await run;
      expect(r.status, r.stderr).toBe(0);
      await ev.close();
      expect(retried.size).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ shards: 2, scored: 2, failed: 0 });
      expect(manifestOf('crashparts').complete).toBe(true);
      expect(concatenated('crashparts')).toBe(readFileSync(join(dir, 'local.csv'), 'utf8'));
    } finally {
      await q.close();
    }
  });

  it('a shard that fails every time: recorded as failed in the manifest, the command exits non-zero naming it', () => {
    const bad = big.map((r) => [...r]);
    bad[3200][1] = 'abc'; // shard 4 (rows 2800–3499) cannot be scored
    writeCsv('bad.csv', bad);
    const r = distributed('bad.csv', 'badparts', ['--attempts', '2']);
    expect(r.status, JSON.stringify([r.status, r.signal, r.stdout, r.stderr])).not.toBe(0);
    expect(r.stderr).toMatch(/1 shard\(s\) failed after 2 attempt\(s\): shard 4 \(shard 4: rows 2800–3499, .*"abc", not a number/);
    const m = manifestOf('badparts');
    expect(m.complete).toBe(false);
    expect(m.shards.filter((s) => s.status === 'failed').map((s) => s.index)).toEqual([4]);
    expect(m.shards.filter((s) => s.status === 'scored').length).toBe(7);
    expect(existsSync(join(dir, 'badparts', m.shards[4].part))).toBe(false);
  });

  it('unreachable Redis: a clear E_IO within the timeout, nothing written', async () => {
    const port = await freePort();
    const t0 = performance.now();
    const r = kiln(
      [
        'predict',
        '--distributed',
        '-m',
        'toy.kiln',
        '-i',
        'big.csv',
        '-o',
        'none',
        '--shard-rows',
        '100',
        '--redis',
        `redis://127.0.0.1:${port}`,
        '--connect-timeout',
        '800',
      ].concat(['--store', store]),
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`cannot reach Redis at redis://127.0.0.1:${port}`));
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(existsSync(join(dir, 'none'))).toBe(false);
    const noShards = kiln(['predict', '--distributed', '-m', 'toy.kiln', '-i', 'big.csv', '-o', 'none', '--redis', redis.url]);
    expect(noShards.stderr).toMatch(/--shard-rows N is required/);
    const file = kiln(['predict', '--distributed', '-m', 'toy.kiln', '-i', 'big.csv', '-o', 'preds.csv', '--shard-rows', '100', '--redis', redis.url]);
    expect(file.stderr).toMatch(/--out: with --distributed the output is a directory of parts and a manifest, not a file/);
  });
});

/**
 * bullmqExecutor and kiln workers on a real redis-server (test/helpers/redis.ts): two workers give
 * the serial executor's scores bitwise, the data is stored once by digest, a poison job fails after
 * its retries and names its task, bad connections are E_IO within a short timeout, a job from a
 * model format the worker cannot read is refused without retries, and SIGTERM lets the running
 * job finish.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bullmqExecutor,
  crossValidate,
  directoryStore,
  GradientBoostingClassifier,
  GridSearchCV,
  KFold,
  type KilnWorker,
  LogisticRegression,
  Matrix,
  Ridge,
  startKilnWorker,
  WorkerError,
} from '../../src/index.js';
import { foldData } from '../../src/selection/fit-score.js';
import { resolveScorers } from '../../src/selection/scorers.js';
import { freePort, type RedisServer, startRedis } from '../helpers/redis.js';

const root = new URL('../../', import.meta.url).pathname;
const N = 200;
const D = 4;
const X = new Matrix(
  Float64Array.from({ length: N * D }, (_, i) => Math.cos(i * 0.91) + 0.05 * (i % 5)),
  N,
  D,
);
const y = Array.from({ length: N }, (_, i) => (X.data[i * D] - X.data[i * D + 3] > 0 ? 1 : 0));
const yReg = Array.from({ length: N }, (_, i) => X.data[i * D] + 2 * X.data[i * D + 1]);

const sameBits = (a: Float64Array, b: Float64Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** The store's files by their format magic (data sets, fold indices). */
function storedKinds(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of readdirSync(dir, { recursive: true })) {
    if (!/[0-9a-f]{64}$/.test(String(f))) continue;
    const magic = readFileSync(join(dir, String(f)))
      .subarray(0, 8)
      .toString('latin1');
    out[magic] = (out[magic] ?? 0) + 1;
  }
  return out;
}

/** The serialised data of the jobs waiting on `queue` (no worker serves it) while a crossValidate of n rows is queued. */
async function waitingPayloads(queue: string, n: number): Promise<string[]> {
  const Xn = new Matrix(
    Float64Array.from({ length: n * D }, (_, i) => Math.sin(i * 0.37)),
    n,
    D,
  );
  const yn = Array.from({ length: n }, (_, i) => Xn.data[i * D] + 0.5 * Xn.data[i * D + 2]);
  const ex = bullmqExecutor({ connection: redis.url, store: directoryStore(dir), queue });
  const q = new Queue(queue, { connection: { host: '127.0.0.1', port: redis.port } });
  const ac = new AbortController();
  try {
    const run = crossValidate(new Ridge(), Xn, yn, { cv: 5, executor: ex, signal: ac.signal });
    run.catch(() => {});
    for (let i = 0; i < 400 && (await q.getWaitingCount()) < 5; i++) await new Promise((r) => setTimeout(r, 25));
    const jobs = (await q.getWaiting()).filter((j) => j.name === 'kiln:fold');
    ac.abort(new Error('measured'));
    await expect(run).rejects.toThrow('measured');
    return jobs.map((j) => JSON.stringify(j.data));
  } finally {
    await Promise.all([ex.close(), q.close()]);
  }
}

let redis: RedisServer;
let dir: string;
let workers: KilnWorker[] = [];

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'kiln-store-'));
  workers = await Promise.all([1, 2].map(() => startKilnWorker({ connection: redis.url, store: dir, concurrency: 1 })));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('bullmqExecutor on two kiln workers', () => {
  it('crossValidate gives the serial scores bitwise; onResult per job; the data is stored once', async () => {
    const ex = bullmqExecutor({ connection: redis.url, store: directoryStore(dir) });
    try {
      const est = new GradientBoostingClassifier({ nEstimators: 12, randomState: 5, subsample: 0.7 });
      const opts = { scoring: ['accuracy', 'neg_log_loss', 'roc_auc'], cv: 5, returnTrainScore: true } as const;
      const serial = await crossValidate(est, X, y, opts);
      const dist = await crossValidate(est, X, y, { ...opts, executor: ex });
      for (const k of opts.scoring) {
        expect(sameBits(dist.test[k], serial.test[k])).toBe(true);
        expect(sameBits(dist.train![k], serial.train![k])).toBe(true);
      }
      // onResult fires once per completed job with the result returned in task order
      const data = foldData(est, X, y, undefined, 't');
      const { scorers } = resolveScorers('accuracy', est, 't');
      const half = (k: number) => Int32Array.from({ length: N / 2 }, (_, i) => i + k * (N / 2));
      const tasks = [
        { train: half(0), test: half(1) },
        { train: half(1), test: half(0) },
        { train: half(0), test: half(0), params: { learningRate: 0.3 } },
      ];
      const seen = new Map<number, number>();
      const out = await ex.fitAndScore!({ estimator: est, data, scorers, options: {} }, tasks, { onResult: (i, r) => seen.set(i, r.test.score) });
      expect([...seen.keys()].sort()).toEqual([0, 1, 2]);
      out.forEach((r, i) => expect(seen.get(i)).toBe(r.test.score));
      // one dataset (X, y) → one file, whatever the number of runs and jobs; one file per distinct fold
      expect(storedKinds()).toEqual({ KILNDAT1: 1, KILNIDX1: 5 + 3 });
    } finally {
      await ex.close();
    }
  });

  it("a job carries its folds' digest: its payload does not grow with the rows", async () => {
    const small = await waitingPayloads('payload', 500);
    const large = await waitingPayloads('payload', 50_000);
    expect(small.length).toBe(5);
    expect(large.length).toBe(5);
    // same estimator, digests and run ids of fixed length: the serialised jobs are the same size
    expect(large.map((p) => p.length)).toEqual(small.map((p) => p.length));
    expect(Math.max(...large.map((p) => p.length))).toBeLessThan(1000);
    for (const p of large) expect(JSON.parse(p).task).toEqual({ indices: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('a grid search on the workers equals the local one; its candidates share their folds in the store', async () => {
    const ex = bullmqExecutor({ connection: redis.url, store: directoryStore(dir) });
    try {
      const before = storedKinds().KILNIDX1 ?? 0;
      const opts = { estimator: new Ridge(), paramGrid: { alpha: [0.1, 1, 10] }, cv: new KFold(3), scoring: ['r2', 'neg_mean_absolute_error'], refit: 'r2' };
      const local = await new GridSearchCV(opts).fit(X, yReg);
      const dist = await new GridSearchCV({ ...opts, executor: ex }).fit(X, yReg);
      for (const k of ['mean_test_r2', 'mean_test_neg_mean_absolute_error', 'split0_test_r2', 'split2_test_r2']) {
        expect(sameBits(Float64Array.from(dist.cvResults[k] as number[]), Float64Array.from(local.cvResults[k] as number[]))).toBe(true);
      }
      expect(dist.bestParams).toEqual(local.bestParams);
      // 9 jobs, 3 folds: 3 new index files at most (KFold(3) on these rows may match folds stored before)
      expect((storedKinds().KILNIDX1 ?? 0) - before).toBeLessThanOrEqual(3);
    } finally {
      await ex.close();
    }
  });

  it('a poison job (the fit throws every time) is failed after its attempts and the run names the task', async () => {
    const bad = new Matrix(Float64Array.from(X.data), N, D);
    bad.data[5] = Number.NaN; // row 5: in every fold's train rows but the first
    const ex = bullmqExecutor({ connection: redis.url, store: directoryStore(dir), attempts: 2, queue: 'kiln' });
    const q = new Queue('kiln', { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      const failedBefore = await q.getFailedCount();
      const err = await crossValidate(new Ridge(), bad, yReg, { cv: 4, executor: ex }).catch((e) => e);
      expect(err).toBeInstanceOf(WorkerError);
      expect(err.code).toBe('E_WORKER');
      expect(err.message).toMatch(/task \d \(job .* on queue 'kiln'\) failed after 2 attempt\(s\): .*non-finite/);
      const failed = await q.getFailed();
      expect(failed.length).toBeGreaterThan(failedBefore);
      expect(failed.every((j) => j.attemptsMade === 2)).toBe(true);
      // with a numeric errorScore the failure is a score, exactly as in series
      const serial = await crossValidate(new Ridge(), bad, yReg, { cv: 4, errorScore: Number.NaN });
      const dist = await crossValidate(new Ridge(), bad, yReg, { cv: 4, errorScore: Number.NaN, executor: ex });
      expect(sameBits(dist.testScore!, serial.testScore!)).toBe(true);
    } finally {
      await Promise.all([ex.close(), q.close()]);
    }
  });

  it('aborting rejects with the signal reason and takes the waiting jobs off the queue', async () => {
    const ex = bullmqExecutor({ connection: redis.url, store: directoryStore(dir), queue: 'kiln' });
    const q = new Queue('kiln', { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      const ac = new AbortController();
      const est = new GradientBoostingClassifier({ nEstimators: 300, randomState: 1 });
      const run = crossValidate(est, X, y, { cv: 8, executor: ex, signal: ac.signal });
      for (let i = 0; i < 1200 && (await q.getActiveCount()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
      ac.abort(new Error('enough'));
      await expect(run).rejects.toThrow('enough');
      expect(await q.getWaitingCount()).toBe(0);
    } finally {
      await Promise.all([ex.close(), q.close()]);
    }
  });

  it('a job written for a model format the worker cannot read is refused at once, without retries', async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const q = new Queue('kiln', { connection });
    const events = new QueueEvents('kiln', { connection });
    try {
      await events.waitUntilReady();
      const job = await q.add('kiln:fold', { kiln: '9.0.0', formatVersion: 999 }, { attempts: 3 });
      await expect(job.waitUntilFinished(events)).rejects.toThrow(/reads model format 1, but this job was written in format 999 by kiln 9\.0\.0/);
      const after = await q.getJob(job.id!);
      expect(after?.attemptsMade).toBe(1);
    } finally {
      await Promise.all([q.close(), events.close()]);
    }
  });
});

describe('bad configuration', () => {
  it('unreachable Redis: E_IO naming the address within the timeout, for the executor and the worker', async () => {
    const port = await freePort();
    const ex = bullmqExecutor({ connection: `redis://127.0.0.1:${port}`, store: directoryStore(dir), connectTimeoutMs: 1000 });
    const t0 = performance.now();
    const err = await crossValidate(new LogisticRegression(), X, y, { cv: 3, executor: ex }).catch((e) => e);
    expect(err.code).toBe('E_IO');
    expect(err.message).toMatch(new RegExp(`cannot reach Redis at redis://127.0.0.1:${port}`));
    expect(performance.now() - t0).toBeLessThan(5000);
    await expect(startKilnWorker({ connection: `redis://127.0.0.1:${port}`, store: dir, connectTimeoutMs: 1000 })).rejects.toThrow(/cannot reach Redis/);
  });

  it('wrong credentials: E_IO saying the server refused them', async () => {
    const locked = await startRedis(['--requirepass', 'right-secret']);
    try {
      const ex = bullmqExecutor({ connection: `redis://:wrong@127.0.0.1:${locked.port}`, store: directoryStore(dir), connectTimeoutMs: 2000 });
      await expect(crossValidate(new Ridge(), X, yReg, { cv: 3, executor: ex })).rejects.toThrow(/refused the credentials \(WRONGPASS/);
      const none = bullmqExecutor({ connection: `redis://127.0.0.1:${locked.port}`, store: directoryStore(dir), connectTimeoutMs: 2000 });
      await expect(crossValidate(new Ridge(), X, yReg, { cv: 3, executor: none })).rejects.toThrow(/refused the credentials \(NOAUTH/);
    } finally {
      await locked.stop();
    }
  });

  it('bad options are E_PARAM', () => {
    expect(() => bullmqExecutor({ connection: 'http://x', store: directoryStore(dir) })).toThrow(/redis:\/\/ URL/);
    expect(() => bullmqExecutor({ connection: redis.url } as never)).toThrow(/store must be a data store/);
    expect(() => bullmqExecutor({ connection: redis.url, store: directoryStore(dir), attempts: 0 })).toThrow(/attempts/);
  });

  it('startKilnWorker refuses handlers that are not file: URLs or take the name of a kiln job, and bad threads', async () => {
    await expect(startKilnWorker({ connection: redis.url, store: dir, handlers: { 'my:job': 'https://x/job.js' } })).rejects.toThrow(/must be a file: URL/);
    await expect(startKilnWorker({ connection: redis.url, store: dir, handlers: { 'kiln:fold': 'file:///x.js' } })).rejects.toThrow(/one of kiln's own jobs/);
    await expect(startKilnWorker({ connection: redis.url, store: dir, threads: 0 })).rejects.toThrow(/threads must be an integer >= 1/);
  });
});

describe('kiln worker (the CLI process)', () => {
  it('SIGTERM lets the running job finish, then the worker exits 0', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/cli/index.ts'), 'worker', '--redis', redis.url, '--queues', 'sigterm', '--store', dir],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    try {
      for (let i = 0; i < 600 && !stderr.includes('serving'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toContain('kiln worker: serving sigterm');
      const ex = bullmqExecutor({ connection: redis.url, store: directoryStore(dir), queue: 'sigterm' });
      const q = new Queue('sigterm', { connection: { host: '127.0.0.1', port: redis.port } });
      try {
        const est = new GradientBoostingClassifier({ nEstimators: 150, randomState: 2 });
        const run = crossValidate(est, X, y, { cv: 2, executor: ex });
        for (let i = 0; i < 1200 && (await q.getActiveCount()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
        child.kill('SIGTERM');
        // the job that was running completes; the other waits for another worker
        const second = await startKilnWorker({ connection: redis.url, queue: 'sigterm', store: dir });
        try {
          const r = await run;
          const serial = await crossValidate(est, X, y, { cv: 2 });
          expect(sameBits(r.testScore!, serial.testScore!)).toBe(true);
        } finally {
          await second.close();
        }
        expect(await exited).toBe(0);
        expect(stderr).toMatch(/SIGTERM: finishing the running jobs[\s\S]*kiln worker: stopped/);
      } finally {
        await Promise.all([ex.close(), q.close()]);
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

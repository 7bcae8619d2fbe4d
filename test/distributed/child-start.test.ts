/**
 * A kiln worker's job child that dies while it is still starting (here: SIGKILL while it loads
 * the processor) fails that attempt with a clear reason, and the job is retried on a new child
 * and completes. BullMQ 6's own pool waited forever there (its Child drops the listener that would
 * fail the start when the process exits); src/distributed/start-safe-pool.ts races the start
 * against the exit. Also: the worker's later jobs run normally on the new child.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stamp } from '../../src/distributed/queue-jobs.js';
import { type KilnWorker, startKilnWorker } from '../../src/index.js';
import { type RedisServer, startRedis } from '../helpers/redis.js';

let redis: RedisServer;
let dir: string;
let worker: KilnWorker | undefined;

/** This process's children that are BullMQ job children (not redis-server). */
function jobChildren(): number[] {
  let pids: string[];
  try {
    pids = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
  return pids.map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('bullmq');
    } catch {
      return false;
    }
  });
}

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'kiln-childstart-'));
});

afterAll(async () => {
  await worker?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a job child killed while it starts', () => {
  it('fails that attempt naming the start, then the job runs on a new child', { timeout: 90_000 }, async () => {
    const connection = { host: '127.0.0.1', port: redis.port };
    worker = await startKilnWorker({ connection: redis.url, queue: 'start', store: dir });
    const queue = new Queue('start', { connection });
    const events = new QueueEvents('start', { connection });
    try {
      await events.waitUntilReady();
      const job = await queue.add('kiln:noop', stamp(), { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
      // the first child appears once the worker takes the job; kill it before it has loaded the processor
      let killed = 0;
      for (let i = 0; i < 4000 && killed === 0; i++) {
        for (const pid of jobChildren()) {
          process.kill(pid, 'SIGKILL');
          killed++;
        }
        if (killed === 0) await new Promise((r) => setTimeout(r, 2));
      }
      expect(killed).toBe(1);
      // BullMQ's pool never settled here; the job would wait past this ttl
      await expect(job.waitUntilFinished(events, 60_000)).resolves.toBeNull();
      const done = await queue.getJob(job.id!);
      expect(done?.attemptsMade).toBe(2);
      expect((done?.stacktrace ?? []).join('\n')).toMatch(/exited while it was starting \(exit code null, signal SIGKILL\)/);
      // the next job reuses the new child
      const next = await queue.add('kiln:noop', stamp(), { attempts: 1 });
      await expect(next.waitUntilFinished(events, 30_000)).resolves.toBeNull();
    } finally {
      await events.close();
      await queue.close();
    }
  });
});

/**
 * The prediction log in a worker thread (PredictionLogWorker): the same rows, feedback and queries
 * as the in-process stores; the caller never waits on a slow store; a clean close keeps every
 * acknowledged row even while batches are in flight; a thread that dies loses only its unwritten
 * batch (counted, reported) and a new thread takes over, three deaths in a row stop the writing
 * with a clear error; a thread that hangs on close is stopped after closeTimeoutMs; an open that
 * fails in the thread rejects with the store's own error.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParquetPredictionLog } from '../../src/monitor/parquet-prediction-log.js';
import { PredictionLog, type PredictionRecord } from '../../src/monitor/prediction-log.js';
import { PredictionLogWorker } from '../../src/monitor/prediction-log-worker.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-logworker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (ext = '.db') => join(dir, `log-${++n}${ext}`);

const row = (i: number, extra: Partial<PredictionRecord> = {}): PredictionRecord => ({
  requestId: `req-${i}`,
  model: 'churn',
  version: 3,
  variant: 'primary',
  input: { tenure: i, plan: i % 2 ? 'pro' : 'basic' },
  prediction: i % 3 === 0 ? 'yes' : 'no',
  probabilities: [0.25, 0.75],
  latencyMs: 0.5 + i / 1000,
  ...extra,
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('PredictionLogWorker', () => {
  it('answers the same queries as the SQLite and Parquet logs written in process', async () => {
    const t0 = Date.now() - 60_000;
    for (const format of ['sqlite', 'parquet'] as const) {
      const path = file(format === 'sqlite' ? '.db' : '');
      const log = await PredictionLogWorker.open(path, { format, flushMs: 10_000, sampleRate: 0.5 });
      expect(log.path).toBe(path);
      for (let i = 0; i < 40; i++) log.record(row(i, { key: `order-${i}`, at: t0 + i }));
      const kept = 40 - log.stats().sampledOut;
      expect(kept).toBeGreaterThan(5);
      const logged = await log.query();
      expect(logged).toHaveLength(kept);
      log.feedback({ requestId: logged[0].requestId }, 'yes');
      log.feedback({ key: logged[1].key! }, 'no');
      log.feedback({ requestId: 'never' }, 'no');
      const withFeedback = await log.query({ withFeedback: true });
      expect(withFeedback.map((r) => [r.requestId, r.actual])).toEqual([
        [logged[0].requestId, 'yes'],
        [logged[1].requestId, 'no'],
      ]);
      expect(await log.query({ since: t0 + 20, limit: 3 })).toEqual(logged.filter((r) => r.at >= t0 + 20).slice(0, 3));
      expect(log.stats()).toMatchObject({ written: kept, feedback: 2, feedbackUnmatched: 1, writeErrors: 0, workerRestarts: 0, queued: 0 });
      expect(log.bytes()).toBeGreaterThan(0);
      await log.close();
      expect(() => log.record(row(1))).toThrow(/closed/);
      // read back in process: identical rows
      const again = format === 'sqlite' ? await PredictionLog.open(path) : await ParquetPredictionLog.open(path);
      expect(await again.query({ withFeedback: true })).toEqual(withFeedback);
      expect((await again.query()).map((r) => r.requestId)).toEqual(logged.map((r) => r.requestId));
      again.close();
    }
  });

  it('never makes the caller wait on a slow store', async () => {
    const log = await PredictionLogWorker.open(file(), { flushMs: 1, testHooks: { writeDelayMs: 100 } });
    let worst = 0;
    const start = performance.now();
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      log.record(row(i));
      log.flush(); // the batch crosses to the thread; its 100 ms write happens there
      worst = Math.max(worst, performance.now() - t);
      await new Promise((r) => setTimeout(r, 2));
    }
    // 15 batches of 100 ms each in process would take 1.5 s; here the caller's loop is unaffected
    expect(performance.now() - start).toBeLessThan(750);
    expect(worst).toBeLessThan(50);
    await log.close(); // waits for the slow writes
    expect(log.stats()).toMatchObject({ written: 15, writeErrors: 0 });
  });

  it('bounds the rows queued and in flight together by maxQueue: a slow thread drops rows (counted), memory stays bounded', async () => {
    const log = await PredictionLogWorker.open(file(), { flushMs: 10_000, maxQueue: 10, testHooks: { writeDelayMs: 100 } });
    for (let i = 0; i < 6; i++) log.record(row(i));
    log.flush(); // 6 in flight
    const accepted = Array.from({ length: 8 }, (_, i) => log.record(row(6 + i)));
    expect(accepted).toEqual([true, true, true, true, false, false, false, false]);
    expect(log.stats()).toMatchObject({ queued: 10, dropped: 4 });
    await log.close();
    expect(log.stats()).toMatchObject({ written: 10, dropped: 4, queued: 0 });
  });

  it('keeps every acknowledged row on a clean close while batches are still being written', async () => {
    for (const format of ['sqlite', 'parquet'] as const) {
      const path = file(format === 'sqlite' ? '.db' : '');
      const log = await PredictionLogWorker.open(path, { format, flushMs: 10_000, testHooks: { writeDelayMs: 50 } });
      let acknowledged = 0;
      for (let b = 0; b < 5; b++) {
        for (let i = 0; i < 200; i++) if (log.record(row(b * 200 + i))) acknowledged++;
        log.flush();
      }
      for (let i = 0; i < 7; i++) if (log.record(row(1000 + i))) acknowledged++; // still queued when close starts
      log.feedback({ requestId: 'req-5' }, 'yes');
      expect(log.stats().queued).toBe(1008);
      await log.close();
      expect(acknowledged).toBe(1007);
      const again = format === 'sqlite' ? await PredictionLog.open(path) : await ParquetPredictionLog.open(path);
      const rows = await again.query();
      expect(rows.map((r) => r.requestId)).toEqual(Array.from({ length: 1007 }, (_, i) => `req-${i}`));
      expect(rows[5].actual).toBe('yes');
      again.close();
      if (format === 'parquet') expect(readdirSync(path).filter((f) => f.endsWith('.partial'))).toEqual([]);
    }
  });

  it('counts and reports a dead thread, starts a new one, and gives up with a clear error after three deaths in a row', async () => {
    const errors: Error[] = [];
    const path = file();
    const log = await PredictionLogWorker.open(path, { flushMs: 10_000, testHooks: { exitOnBatch: 2 } });
    log.onError = (e) => errors.push(e);
    for (let i = 0; i < 3; i++) log.record(row(i));
    expect(await log.query()).toHaveLength(3); // batch 1 written
    for (let i = 3; i < 5; i++) log.record(row(i));
    const lost = log.query(); // batch 2 kills the thread: the ask rejects
    await expect(lost).rejects.toMatchObject({ code: 'E_WORKER' });
    await until(() => log.stats().workerRestarts === 1);
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['E_WORKER']);
    expect(errors[0].message).toMatch(/2 rows it had not written are lost/);
    for (let i = 5; i < 9; i++) log.record(row(i));
    const rows = await log.query(); // the new thread's batch 1
    expect(rows.map((r) => r.requestId)).toEqual(['req-0', 'req-1', 'req-2', 'req-5', 'req-6', 'req-7', 'req-8']);
    expect(log.stats()).toMatchObject({ written: 7, writeErrors: 2, workerRestarts: 1 });
    await log.close();

    // every thread dies on its first batch: after the third, writing stops and says why
    const doomed = await PredictionLogWorker.open(file(), { flushMs: 10_000, testHooks: { exitOnBatch: 1 } });
    const seen: Error[] = [];
    doomed.onError = (e) => seen.push(e);
    for (let k = 0; k < 3; k++) {
      doomed.record(row(k));
      doomed.flush();
      await until(() => seen.length >= k + 1);
    }
    expect(seen.at(-1)!.message).toMatch(/died 3 times in a row/);
    expect(doomed.stats()).toMatchObject({ writeErrors: 3, workerRestarts: 2 });
    doomed.record(row(9));
    doomed.flush(); // counted as lost at once
    expect(doomed.stats().writeErrors).toBe(4);
    await expect(doomed.query()).rejects.toMatchObject({ code: 'E_WORKER', message: /died 3 times/ });
    await expect(doomed.close()).rejects.toMatchObject({ code: 'E_WORKER' });
  });

  it('stops a thread that does not close in time, and rejects an open that fails in the thread', async () => {
    const log = await PredictionLogWorker.open(file(), { closeTimeoutMs: 200, testHooks: { hangOnClose: true } });
    log.record(row(1));
    const t = Date.now();
    await expect(log.close()).rejects.toMatchObject({ code: 'E_WORKER', message: /no sign of life for 200 ms/ });
    expect(Date.now() - t).toBeLessThan(3000);

    await expect(PredictionLogWorker.open(file(), { format: 'csv' as never })).rejects.toMatchObject({ code: 'E_PARAM', message: /format must be/ });
    await expect(PredictionLogWorker.open(file(), { sampleRate: 3 })).rejects.toMatchObject({ code: 'E_PARAM', message: /sampleRate/ });
    await expect(PredictionLogWorker.open(file(), { closeTimeoutMs: -1 })).rejects.toMatchObject({ code: 'E_PARAM', message: /closeTimeoutMs/ });
    const notADir = join(dir, 'plain-file');
    const f = await PredictionLogWorker.open(notADir);
    await f.close();
    expect(existsSync(notADir)).toBe(true);
    await expect(PredictionLogWorker.open(join(notADir, 'below.db'))).rejects.toMatchObject({ code: 'E_IO' });
  });
});

/**
 * The prediction log: rows and feedback written in batches and read back, sampling by request id,
 * the retention limits (rows, age, bytes), a full queue that drops instead of blocking, and no
 * acknowledged row lost on a clean close.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PredictionLog, type PredictionRecord } from '../../src/monitor/prediction-log.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-predlog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `log-${++n}.db`);

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

describe('PredictionLog', () => {
  it('writes queued predictions and their feedback, and reads them back after reopening', async () => {
    const path = file();
    const log = await PredictionLog.open(path, { flushMs: 10_000 });
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 50; i++) expect(log.record(row(i, { key: `order-${i}`, at: t0 + i }))).toBe(true);
    expect(log.stats().queued).toBe(50);
    log.feedback({ requestId: 'req-3' }, 'yes');
    log.feedback({ key: 'order-4' }, 'no');
    log.feedback({ requestId: 'req-999' }, 'yes'); // no such request: counted, not an error
    log.close();
    const again = await PredictionLog.open(path);
    const rows = again.query();
    expect(rows).toHaveLength(50);
    expect(rows[7]).toEqual({
      id: 8,
      at: t0 + 7,
      requestId: 'req-7',
      key: 'order-7',
      model: 'churn',
      version: 3,
      variant: 'primary',
      input: { tenure: 7, plan: 'pro' },
      prediction: 'no',
      probabilities: [0.25, 0.75],
      latencyMs: 0.507,
      actual: undefined,
    });
    expect(again.query({ withFeedback: true }).map((r) => [r.requestId, r.actual])).toEqual([
      ['req-3', 'yes'],
      ['req-4', 'no'],
    ]);
    expect(again.query({ since: t0 + 10, until: t0 + 13 }).map((r) => r.requestId)).toEqual(['req-10', 'req-11', 'req-12']);
    expect(again.query({ version: 4 })).toEqual([]);
    again.close();
  });

  it('counts feedback that matched and feedback for unknown requests', async () => {
    const log = await PredictionLog.open(file());
    log.record(row(1));
    log.feedback({ requestId: 'req-1' }, 1);
    log.feedback({ requestId: 'nope' }, 1);
    log.flush();
    expect(log.stats()).toMatchObject({ written: 1, feedback: 1, feedbackUnmatched: 1 });
    log.close();
  });

  it('samples by request id: the same ids are kept every time, about the share asked for', async () => {
    const kept = async () => {
      const log = await PredictionLog.open(file(), { sampleRate: 0.25 });
      for (let i = 0; i < 4000; i++) log.record(row(i));
      const ids = log.query().map((r) => r.requestId);
      expect(log.stats().sampledOut).toBe(4000 - ids.length);
      log.close();
      return ids;
    };
    const a = await kept();
    expect(a.length).toBeGreaterThan(0.25 * 4000 - 120); // ±4.4 standard deviations of a binomial(4000, 0.25)
    expect(a.length).toBeLessThan(0.25 * 4000 + 120);
    expect(await kept()).toEqual(a);
  });

  it('keeps at most maxRows, the newest, and drops rows older than maxAgeMs', async () => {
    const log = await PredictionLog.open(file(), { maxRows: 100 });
    for (let i = 0; i < 250; i++) log.record(row(i));
    log.flush();
    const rows = log.query();
    expect(rows).toHaveLength(100);
    expect(rows[0].requestId).toBe('req-150');
    expect(log.stats().expired).toBe(150);
    log.close();
    const aged = await PredictionLog.open(file(), { maxAgeMs: 60_000 });
    aged.record(row(1, { at: Date.now() - 120_000 }));
    aged.record(row(2));
    aged.flush();
    expect(aged.query().map((r) => r.requestId)).toEqual(['req-2']);
    aged.close();
  });

  it('stays under maxBytes on disk, dropping the oldest rows', async () => {
    const maxBytes = 256 * 1024;
    const log = await PredictionLog.open(file(), { maxBytes });
    const big = 'x'.repeat(2000);
    for (let batch = 0; batch < 10; batch++) {
      for (let i = 0; i < 100; i++) log.record(row(batch * 100 + i, { input: { text: big } }));
      log.flush();
      expect(log.bytes()).toBeLessThanOrEqual(maxBytes);
    }
    const rows = log.query();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(1000);
    expect(rows[rows.length - 1].requestId).toBe('req-999'); // the newest survive
    log.close();
  });

  it('drops (and counts) rows beyond a full queue instead of blocking', async () => {
    const log = await PredictionLog.open(file(), { maxQueue: 10, flushMs: 60_000 });
    const accepted = Array.from({ length: 15 }, (_, i) => log.record(row(i)));
    expect(accepted.filter(Boolean)).toHaveLength(10);
    expect(log.stats()).toMatchObject({ queued: 10, dropped: 5 });
    log.close();
  });

  it('loses no acknowledged row on a clean close right after a burst', async () => {
    const path = file();
    const log = await PredictionLog.open(path, { flushMs: 60_000 });
    for (let i = 0; i < 20_000; i++) log.record(row(i));
    log.close();
    const again = await PredictionLog.open(path);
    expect(again.query().length).toBe(20_000);
    again.close();
  });

  it('refuses bad options and use after close with E_PARAM', async () => {
    await expect(PredictionLog.open('')).rejects.toMatchObject({ code: 'E_PARAM' });
    await expect(PredictionLog.open(':memory:')).rejects.toMatchObject({ code: 'E_PARAM' });
    await expect(PredictionLog.open(file(), { sampleRate: 0 })).rejects.toMatchObject({ code: 'E_PARAM', message: /sampleRate must be in \(0, 1\]/ });
    await expect(PredictionLog.open(file(), { maxRows: 1.5 })).rejects.toMatchObject({ code: 'E_PARAM', message: /maxRows must be an integer > 0/ });
    writeFileSync(join(dir, 'a-file'), 'x');
    await expect(PredictionLog.open(join(dir, 'a-file', 'x.db'))).rejects.toMatchObject({ code: 'E_IO', message: /creating .*a-file/ });
    writeFileSync(join(dir, 'garbage.db'), 'this is not a database file at all, just text that is long enough to look like one'.repeat(100));
    await expect(PredictionLog.open(join(dir, 'garbage.db'))).rejects.toMatchObject({ code: 'E_IO', message: /cannot use .*garbage\.db as a prediction log/ });
    const log = await PredictionLog.open(file());
    expect(() => log.feedback({ requestId: '' }, 1)).toThrow(/requestId must be a non-empty string/);
    expect(() => log.feedback({ requestId: 'a' }, undefined)).toThrow(/actual/);
    log.close();
    expect(() => log.record(row(1))).toThrow(/closed/);
  });
});

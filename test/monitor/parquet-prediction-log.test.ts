/**
 * The Parquet prediction log: the same answers as the SQLite log for the same calls (rows, ids,
 * feedback by request id and by key, filters), segments rotated by rows, bytes and time into
 * files any Parquet reader opens, retention by whole segments with row-exact reads, no
 * acknowledged row lost on a clean close, a crash's unfinished segment removed and counted, and
 * bad options refused.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../src/data/parquet.js';
import { openPredictionLog } from '../../src/monitor/open-prediction-log.js';
import { ParquetPredictionLog } from '../../src/monitor/parquet-prediction-log.js';
import { PredictionLog } from '../../src/monitor/prediction-log.js';
import type { PredictionRecord, PredictionStore } from '../../src/monitor/prediction-store.js';
import { Rng } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-pqlog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const where = (name = 'log') => join(dir, `${name}-${++n}`);
const segments = (d: string) => readdirSync(d).filter((f) => f.endsWith('.parquet'));

const row = (i: number, extra: Partial<PredictionRecord> = {}): PredictionRecord => ({
  requestId: `req-${i}`,
  model: 'churn',
  version: i % 4 === 0 ? null : 3,
  variant: 'primary',
  input: { tenure: i, plan: i % 2 ? 'pro' : 'basic' },
  prediction: i % 3 === 0 ? 'yes' : 'no',
  probabilities: i % 5 === 0 ? null : [0.25, 0.75],
  latencyMs: 0.5 + i / 1000,
  ...extra,
});

/** The same calls on any store: predictions in batches, feedback by id and key, one reused key. */
async function exercise(log: PredictionStore, t0: number): Promise<void> {
  for (let i = 0; i < 40; i++) log.record(row(i, { key: i < 30 ? `order-${i}` : 'shared', at: t0 + i }));
  log.flush();
  log.feedback({ requestId: 'req-3' }, 'yes');
  log.feedback({ key: 'order-4' }, { label: 'no', score: 0.1 });
  log.feedback({ key: 'shared' }, 'early'); // labels req-30..39, not the rows logged after it
  log.feedback({ requestId: 'req-999' }, 'yes');
  for (let i = 40; i < 45; i++) log.record(row(i, { key: 'shared', at: t0 + i }));
  log.feedback({ requestId: 'req-3' }, 'no'); // the last feedback wins
  log.close();
}

describe('ParquetPredictionLog', () => {
  it('answers every query as the SQLite log does for the same calls, after reopening', async () => {
    const t0 = Date.now() - 60_000;
    const sqlitePath = `${where('sqlite')}.db`,
      parquetDir = where('parquet');
    await exercise(await PredictionLog.open(sqlitePath), t0);
    await exercise(await ParquetPredictionLog.open(parquetDir, { rotateRows: 16 }), t0);
    const sqlite = await PredictionLog.open(sqlitePath);
    const parquet = await ParquetPredictionLog.open(parquetDir);
    try {
      for (const q of [{}, { withFeedback: true }, { since: t0 + 10, until: t0 + 13 }, { version: 3 }, { model: 'other' }, { limit: 7 }]) {
        const expected = sqlite.query(q);
        expect(await parquet.query(q)).toEqual(expected);
      }
      const all = await parquet.query();
      expect(all).toHaveLength(45);
      expect(all[3].actual).toBe('no');
      expect(all[4].actual).toEqual({ label: 'no', score: 0.1 });
      expect(all.slice(30, 40).every((r) => r.actual === 'early')).toBe(true);
      expect(all.slice(40).every((r) => r.actual === undefined)).toBe(true);
      expect(all[7]).toEqual({
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
      expect(parquet.stats().feedbackUnmatched).toBe(1);
    } finally {
      sqlite.close();
      parquet.close();
    }
  });

  it('rotates segments by rows into Parquet files that a reader opens, and goes on numbering after a reopen', async () => {
    const d = where();
    const log = await ParquetPredictionLog.open(d, { rotateRows: 10 });
    for (let b = 0; b < 7; b++) {
      for (let i = 0; i < 5; i++) log.record(row(b * 5 + i));
      log.flush();
    }
    expect(segments(d)).toHaveLength(3); // 35 rows: three closed segments of 10, five rows open
    expect(readdirSync(d).filter((f) => f.endsWith('.partial'))).toHaveLength(1);
    log.close();
    expect(segments(d)).toHaveLength(4);
    const first = await readParquet(join(d, segments(d)[0]));
    expect(first.rows).toBe(10);
    expect(Object.keys(first.columns)).toEqual([
      'kind',
      'id',
      'at',
      'request_id',
      'key',
      'model',
      'version',
      'variant',
      'input',
      'prediction',
      'probabilities',
      'latency_ms',
      'actual',
    ]);
    expect(JSON.parse((first.columns.input as string[])[2])).toEqual({ tenure: 2, plan: 'basic' });
    const again = await ParquetPredictionLog.open(d);
    again.record(row(100));
    const rows = await again.query();
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    again.close();
  });

  it('rotates a segment open longer than rotateMs at the next batch', async () => {
    const d = where();
    const log = await ParquetPredictionLog.open(d, { rotateMs: 30 });
    log.record(row(1));
    log.flush();
    expect(segments(d)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 50));
    log.record(row(2));
    log.flush();
    expect(segments(d)).toHaveLength(1);
    expect((await log.query()).map((r) => r.requestId)).toEqual(['req-1', 'req-2']);
    log.close();
  });

  it('reads the newest maxRows and nothing older than maxAgeMs, and removes whole segments beyond them', async () => {
    const d = where();
    const log = await ParquetPredictionLog.open(d, { maxRows: 100, rotateRows: 50 });
    for (let i = 0; i < 250; i++) {
      log.record(row(i));
      if (i % 25 === 24) log.flush();
    }
    const rows = await log.query();
    expect(rows).toHaveLength(100);
    expect(rows[0].requestId).toBe('req-150');
    expect(segments(d).length).toBeLessThanOrEqual(3);
    expect(log.stats().expired).toBe(150); // three segments of 50 went, two remain
    log.close();
    const aged = await ParquetPredictionLog.open(where(), { maxAgeMs: 60_000, rotateRows: 1 });
    aged.record(row(1, { at: Date.now() - 120_000 }));
    aged.flush();
    aged.record(row(2));
    aged.flush();
    expect((await aged.query()).map((r) => r.requestId)).toEqual(['req-2']);
    expect(aged.stats().expired).toBe(1);
    aged.close();
  });

  it('stays within maxBytes plus one segment on disk, keeping the newest rows', async () => {
    const maxBytes = 256 * 1024;
    const d = where();
    const log = await ParquetPredictionLog.open(d, { maxBytes });
    const rng = new Rng(5);
    // random text: Snappy cannot shrink it, so each batch really is ~100 KB
    const noise = () => Array.from({ length: 1000 }, () => String.fromCharCode(97 + Math.floor(rng.random() * 26))).join('');
    for (let batch = 0; batch < 10; batch++) {
      for (let i = 0; i < 100; i++) log.record(row(batch * 100 + i, { input: { text: noise() } }));
      log.flush();
      expect(log.bytes()).toBeLessThanOrEqual(maxBytes + maxBytes / 4 + 120_000);
    }
    const rows = await log.query();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(1000);
    expect(rows[rows.length - 1].requestId).toBe('req-999');
    log.close();
  });

  it('loses no acknowledged row on a clean close right after a burst', async () => {
    const d = where();
    const log = await ParquetPredictionLog.open(d, { flushMs: 60_000 });
    for (let i = 0; i < 20_000; i++) log.record(row(i));
    log.close();
    expect(readdirSync(d).some((f) => f.endsWith('.partial'))).toBe(false);
    const again = await ParquetPredictionLog.open(d);
    expect((await again.query()).length).toBe(20_000);
    again.close();
  });

  it("removes a crashed process's unfinished segment, counts it lost, and keeps the closed ones", async () => {
    const d = where();
    const crashed = await ParquetPredictionLog.open(d, { rotateRows: 10 });
    for (let i = 0; i < 15; i++) {
      crashed.record(row(i));
      if (i === 9 || i === 14) crashed.flush(); // one closed segment of 10, five rows in the open one; never closed
    }
    const next = await ParquetPredictionLog.open(d);
    expect(next.stats().writeErrors).toBe(1);
    expect(readdirSync(d).some((f) => f.endsWith('.partial'))).toBe(false);
    expect((await next.query()).map((r) => r.requestId)).toEqual(Array.from({ length: 10 }, (_, i) => `req-${i}`));
    next.close();
  });

  it('is chosen by format, or for an existing directory, by openPredictionLog', async () => {
    const d = where();
    mkdirSync(d);
    const byDir = await openPredictionLog(d);
    expect(byDir).toBeInstanceOf(ParquetPredictionLog);
    byDir.close();
    const byFormat = await openPredictionLog(where(), { format: 'parquet' });
    expect(byFormat).toBeInstanceOf(ParquetPredictionLog);
    byFormat.close();
    const sqlite = await openPredictionLog(`${where()}.db`);
    expect(sqlite).toBeInstanceOf(PredictionLog);
    sqlite.close();
  });

  it('refuses bad options, a file where the directory goes and a foreign file in it', async () => {
    await expect(ParquetPredictionLog.open('')).rejects.toMatchObject({ code: 'E_PARAM' });
    await expect(ParquetPredictionLog.open(where(), { rotateRows: 0 })).rejects.toMatchObject({
      code: 'E_PARAM',
      message: /rotateRows must be an integer > 0/,
    });
    await expect(ParquetPredictionLog.open(where(), { maxBytes: 1000, rotateBytes: 2000 })).rejects.toMatchObject({
      code: 'E_PARAM',
      message: /rotateBytes \(2000\) must not exceed maxBytes/,
    });
    await expect(openPredictionLog(where(), { format: 'csv' as never })).rejects.toMatchObject({
      code: 'E_PARAM',
      message: /format must be 'sqlite' or 'parquet'/,
    });
    await expect(openPredictionLog(`${where()}.db`, { rotateRows: 5 })).rejects.toMatchObject({ code: 'E_PARAM', message: /apply to format 'parquet' only/ });
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    await expect(ParquetPredictionLog.open(file)).rejects.toMatchObject({ code: 'E_IO', message: /cannot use .*a-file as a prediction log directory/ });
    const d = where();
    mkdirSync(d);
    writeFileSync(join(d, 'segment-0000000001.parquet'), 'not parquet');
    await expect(ParquetPredictionLog.open(d)).rejects.toMatchObject({ code: 'E_IO', message: /segment-0000000001\.parquet is not a segment/ });
    const closed = await ParquetPredictionLog.open(where());
    closed.close();
    expect(() => closed.record(row(1))).toThrow(/the log is closed/);
    expect(existsSync(closed.path)).toBe(true);
  });
});

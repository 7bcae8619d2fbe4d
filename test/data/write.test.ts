/** CsvWriter: the text of predictions, whichever thread formats a batch, and its failures. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvNumberBytes } from '../../src/data/csv-number-bytes.js';
import { CsvWriter, csvLines, THREAD_MIN_ROWS } from '../../src/data/write.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The reference text of one cell: String(v), NaN and null empty, text quoted when it must be. */
const cell = (v: unknown): string =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))
    ? ''
    : /[",\r\n]/.test(String(v))
      ? `"${String(v).replace(/"/g, '""')}"`
      : String(v);
const reference = (columns: ArrayLike<unknown>[], rows: number): string =>
  Array.from({ length: rows }, (_, r) => `${columns.map((c) => cell(c[r])).join(',')}\n`).join('');

/** Doubles of every magnitude (random bit patterns, so subnormals too) and the edge values. */
function doubles(n: number, seed: number): Float64Array {
  const bits = new Uint32Array(2 * n);
  let s = seed;
  for (let i = 0; i < bits.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    bits[i] = s;
  }
  const out = new Float64Array(bits.buffer);
  const edges = [0, -0, NaN, Infinity, -Infinity, 1e21, 1e-7, 123456789012345680000, -Number.MAX_VALUE, Number.MIN_VALUE, 2.2250738585072014e-308, 0.1, 18.75];
  edges.forEach((v, i) => {
    out[i] = v;
  });
  for (let i = edges.length; i < n; i += 3) out[i] = (out[i] % 1000) / 7; // ordinary predictions as well
  return out;
}

describe('CsvWriter', () => {
  it('numeric lines as bytes are the text of String(v), NaN empty', () => {
    const a = doubles(20_000, 1),
      b = doubles(20_000, 2);
    expect(Buffer.from(csvNumberBytes([a], a.length)).toString('latin1')).toBe(reference([a], a.length));
    expect(Buffer.from(csvNumberBytes([a, b], a.length)).toString('latin1')).toBe(reference([a, b], a.length));
    expect(csvLines([a, b], 500)).toBe(reference([a, b], 500));
  });

  it('writes batches in order, formatted on its thread or here, the same text', async () => {
    const path = join(dir, 'preds.csv');
    const w = new CsvWriter(path, ['id', 'prediction']);
    const big = doubles(THREAD_MIN_ROWS + 5, 3),
      ids = doubles(THREAD_MIN_ROWS + 5, 4);
    const batches: [ArrayLike<unknown>[], number][] = [
      [[ids, big], big.length], // the thread
      [
        [
          ['a', 'b,c', 'd"e'],
          [1.5, NaN, -0],
        ],
        3,
      ], // text: here
      [[ids.subarray(7), big.subarray(7)], THREAD_MIN_ROWS - 2], // the thread, from a view
      [[ids, big], 10], // few rows: here
      [[ids, big], big.length],
    ];
    for (const [cols, rows] of batches) await w.write(cols, rows);
    await w.close();
    expect(w.rows).toBe(batches.reduce((a, [, n]) => a + n, 0));
    expect(readFileSync(path, 'latin1')).toBe(`id,prediction\n${batches.map(([c, n]) => reference(c, n)).join('')}`);
    // the columns it was given are left as they were (the thread got copies)
    expect(big.length).toBe(THREAD_MIN_ROWS + 5);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a file it cannot write is E_IO, and abort leaves nothing behind', async () => {
    const path = join(dir, 'no-such-dir', 'preds.csv');
    const w = new CsvWriter(path, ['prediction']);
    const col = doubles(THREAD_MIN_ROWS, 5);
    const run = async () => {
      for (let i = 0; i < 4; i++) await w.write([col], col.length);
      await w.close();
    };
    await expect(run()).rejects.toMatchObject({ code: 'E_IO' });
    await w.abort();
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });
});

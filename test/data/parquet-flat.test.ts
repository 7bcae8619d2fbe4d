/**
 * readParquet's flat-column decoder against hyparquet's general reader (parquetReadObjects) on the
 * same files: version-1 pages (flights-3m, written by Polars: ZSTD, dictionary, nulls) and
 * version-2 pages (hyparquet-writer: PLAIN and dictionary, SNAPPY and none, several pages and
 * row groups, row ranges across them); columns it leaves to hyparquet (decimals) mixed in; and
 * corrupted files give E_DATA_FORMAT, never a crash or a wrong column.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { KilnError, readParquet, Rng } from '../../src/index.js';
import type { Table } from '../../src/data/table.js';

const flights = fileURLToPath(new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kiln-pqflat-'));

/** hyparquet's rows, in kiln's column form (the general path's conversion: null → NaN/null, BigInt → number, Date → ms). */
async function reference(path: string, columns: string[], rowStart: number, rowEnd: number, text: Set<string>): Promise<Record<string, unknown[]>> {
  const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(path), compressors, columns, rowStart, rowEnd })) as Record<string, unknown>[];
  const norm = (c: string, v: unknown) => {
    if (v === null || v === undefined) return text.has(c) ? null : NaN;
    if (text.has(c)) return String(v);
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v instanceof Date) return v.getTime();
    return v;
  };
  return Object.fromEntries(columns.map((c) => [c, rows.map((r) => norm(c, r[c]))]));
}

function expectSame(t: Table, ref: Record<string, unknown[]>): void {
  for (const [c, want] of Object.entries(ref)) {
    const got = Array.from(t.columns[c] as ArrayLike<unknown>);
    expect(got.length, c).toBe(want.length);
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect([c, i, got[i]]).toEqual([c, i, want[i]]);
  }
}

/** A file of every kind the flat decoder reads, nulls everywhere, several row groups and pages. */
function writeMixed(file: string, opts: { dictionary: boolean; codec: 'SNAPPY' | 'UNCOMPRESSED' }): number {
  const n = 5000;
  const rng = new Rng(7);
  const nul = () => rng.random() < 0.1;
  const words = ['alpha', 'beta', 'gamma', 'δέλτα', ''];
  const enc = opts.dictionary ? 'RLE_DICTIONARY' : 'PLAIN';
  const col = (name: string, type: string, make: (i: number) => unknown, nullable = true) => ({
    name,
    type,
    nullable,
    encoding: type === 'BOOLEAN' ? 'PLAIN' : enc,
    data: Array.from({ length: n }, (_, i) => (nullable && nul() ? null : make(i))),
  });
  const big = [2n ** 62n + 1n, -(2n ** 61n) - 3n, 2n ** 53n + 1n, 7n, -1n];
  const columnData = [
    col('i32', 'INT32', () => Math.floor(rng.random() * 40) - 20),
    col('i64', 'INT64', (i) => (i % 7 === 0 ? big[i % big.length] : BigInt(Math.floor(rng.random() * 30)))),
    col('f64', 'DOUBLE', () => Math.round(rng.random() * 16) / 4),
    col('f32', 'FLOAT', () => Math.fround(Math.round(rng.random() * 8) / 8)),
    col('flag', 'BOOLEAN', () => rng.random() < 0.5),
    col('word', 'STRING', () => words[Math.floor(rng.random() * words.length)]),
    col('when', 'TIMESTAMP', () => new Date(Date.UTC(2020, 0, 1) + Math.floor(rng.random() * 50) * 3_600_000)),
    col('req', 'DOUBLE', () => Math.floor(rng.random() * 10), false),
  ];
  const bytes = parquetWriteBuffer({ columnData: columnData as never, codec: opts.codec, rowGroupSize: [1300, 2000, 1700], pageSize: 2048 });
  writeFileSync(file, new Uint8Array(bytes));
  return n;
}

const MIXED_TEXT = new Set(['word']);
const MIXED = ['i32', 'i64', 'f64', 'f32', 'flag', 'word', 'when', 'req'];

describe('readParquet: flat columns decoded page by page', () => {
  it('flights-3m (version-1 pages, ZSTD, dictionaries, nulls): equal to hyparquet on ranges across row groups', async () => {
    const cols = ['date', 'delay', 'distance', 'origin', 'destination'];
    const text = new Set(['origin', 'destination']);
    // flights' row groups hold 272,727 rows: ranges inside one, across one boundary, and at the start
    for (const [lo, hi] of [
      [0, 2000],
      [271_000, 274_500],
      [545_000, 545_460],
    ]) {
      expectSame(await readParquet(flights, { columns: cols, rowStart: lo, rowEnd: hi }), await reference(flights, cols, lo, hi, text));
    }
  });

  for (const dictionary of [true, false]) {
    for (const codec of ['SNAPPY', 'UNCOMPRESSED'] as const) {
      it(`version-2 pages (${dictionary ? 'dictionary' : 'PLAIN'}, ${codec}): every kind equal to hyparquet, whole and on row ranges`, async () => {
        const file = join(dir, `mixed-${dictionary}-${codec}.parquet`);
        const n = writeMixed(file, { dictionary, codec });
        expectSame(await readParquet(file), await reference(file, MIXED, 0, n, MIXED_TEXT));
        for (const [lo, hi] of [
          [0, 1],
          [1299, 1301],
          [17, 4990],
          [3300, 5000],
        ]) {
          expectSame(await readParquet(file, { rowStart: lo, rowEnd: hi }), await reference(file, MIXED, lo, hi, MIXED_TEXT));
        }
        // INT64 beyond 2^53 rounds as Number(bigint) does, read from two 32-bit halves
        const t = await readParquet(file, { columns: ['i64'] });
        expect(Array.from(t.columns.i64 as Float64Array)).toContain(Number(2n ** 62n + 1n));
      });
    }
  }

  it('a column the flat decoder leaves to hyparquet (a decimal) is read beside flat ones', async () => {
    const file = join(dir, 'decimal.parquet');
    const n = 300;
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'x', data: Float64Array.from({ length: n }, (_, i) => i / 2) },
        { name: 'price', data: Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : i * 0.25)) },
      ],
      schema: [
        { name: 'root', num_children: 2 },
        { name: 'x', type: 'DOUBLE', repetition_type: 'REQUIRED' },
        { name: 'price', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', precision: 9, scale: 2 },
      ],
    } as never);
    writeFileSync(file, new Uint8Array(bytes));
    const t = await readParquet(file);
    expect((t.columns.x as Float64Array)[7]).toBe(3.5);
    expectSame(t, await reference(file, ['x', 'price'], 0, n, new Set()));
    expect(Number.isNaN((t.columns.price as Float64Array)[0])).toBe(true);
    expect((t.columns.price as Float64Array)[1]).toBe(0.25);
  });

  it('corrupted page bytes: E_DATA_FORMAT or a table of the right size, never another error or a hang', async () => {
    const file = join(dir, 'fuzz-src.parquet');
    writeMixed(file, { dictionary: true, codec: 'UNCOMPRESSED' });
    const clean = readFileSync(file);
    const good = await readParquet(file);
    const rng = new Rng(11);
    const footerStart = clean.length - 8 - clean.readUInt32LE(clean.length - 8);
    let refused = 0;
    for (let trial = 0; trial < 60; trial++) {
      const bad = Buffer.from(clean);
      // damage the pages (the footer's own checks are hyparquet's)
      for (let k = 0; k < 3; k++) bad[4 + Math.floor(rng.random() * (footerStart - 4))] ^= 1 + Math.floor(rng.random() * 255);
      const path = join(dir, 'fuzz.parquet');
      writeFileSync(path, bad);
      try {
        const t = await readParquet(path);
        expect(t.rows).toBe(good.rows);
      } catch (e) {
        expect(e).toBeInstanceOf(KilnError);
        expect((e as KilnError).code).toBe('E_DATA_FORMAT');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('a dictionary code past the dictionary is refused, naming the column', async () => {
    const file = join(dir, 'codes.parquet');
    const n = 64;
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'w', data: Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][i % 3]), type: 'STRING', nullable: false, encoding: 'RLE_DICTIONARY' },
      ],
      codec: 'UNCOMPRESSED',
    } as never);
    const buf = Buffer.from(bytes);
    // codes 0,1,2,0,1,2,… bit-packed at width 2 start 0x24 0x49 0x92; 0xff makes four codes 3, past ['a', 'b', 'c']
    const at = buf.indexOf(Buffer.from([0x24, 0x49, 0x92]));
    expect(at).toBeGreaterThan(0);
    buf[at] = 0xff;
    writeFileSync(file, buf);
    await expect(readParquet(file)).rejects.toThrowError(/column 'w': dictionary code \d+ past the dictionary's 3 entries/);
  });
});

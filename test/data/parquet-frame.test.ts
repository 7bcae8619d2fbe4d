/**
 * readParquetFrame decodes text columns straight into categorical codes; the Frame must be the
 * one Frame.fromTable(readParquet(...)) gives — the same labels in the same (sorted) order, the
 * same codes, −1 for missing — on flights-3m (version-1 pages, ZSTD, one dictionary per row group)
 * and on files written here: dictionary and PLAIN pages, PLAIN pages after dictionary ones in a
 * column (hyparquet-writer's dictionary fallback), nulls, row ranges across row groups, a column
 * left to hyparquet, and a corrupt dictionary code.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { Frame, KilnError, readParquet, readParquetFrame, Rng } from '../../src/index.js';
import { categoricalColumn, categoricalFromCodes, type FrameColumn } from '../../src/data/column.js';
import { readAllColumns, readAllColumnsFrame } from '../../src/data/read.js';
import { resolveSource } from '../../src/data/source.js';
import { CodeColumn } from '../../src/data/column.js';
import { chunkRange, decodeFlatChunk, flatDecoder } from '../../src/data/parquet-flat.js';

const flights = fileURLToPath(new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kiln-pqframe-'));

function expectSameFrame(got: Frame, want: Frame): void {
  expect(got.columnNames).toEqual(want.columnNames);
  expect(got.rows).toBe(want.rows);
  for (const n of want.columnNames) {
    const g: FrameColumn = got.column(n),
      w: FrameColumn = want.column(n);
    expect(g.kind, n).toBe(w.kind);
    if (w.kind === 'categorical' && g.kind === 'categorical') {
      expect(g.labels, n).toEqual(w.labels);
      expect(g.codes, n).toBeInstanceOf(Int32Array);
      // one comparison per column, not per row: Buffer equality of the code bytes
      expect(
        Buffer.from(g.codes.buffer, g.codes.byteOffset, g.codes.byteLength).equals(Buffer.from(w.codes.buffer, w.codes.byteOffset, w.codes.byteLength)),
        n,
      ).toBe(true);
    } else if (w.kind !== 'categorical' && g.kind !== 'categorical') {
      expect(Array.from(g.values), n).toEqual(Array.from(w.values));
    }
  }
}

async function expectAsFromTable(path: string, opts: Parameters<typeof readParquet>[1] = {}, kinds: Record<string, 'datetime' | 'boolean'> = {}) {
  const got = await readParquetFrame(path, { ...opts, kinds });
  expectSameFrame(got, Frame.fromTable(await readParquet(path, opts), kinds));
  return got;
}

describe('readParquetFrame: text columns straight into categorical codes', () => {
  it('flights-3m: the Frame fromTable gives, on ranges inside, across and at row groups', async () => {
    const columns = ['date', 'delay', 'distance', 'origin', 'destination'];
    // row groups hold 272,727 rows
    for (const [rowStart, rowEnd] of [
      [0, 3000],
      [271_000, 274_500],
      [540_000, 830_000],
    ]) {
      const f = await expectAsFromTable(flights, { columns, rowStart, rowEnd }, { date: 'datetime' });
      const o = f.column('origin');
      expect(o.kind === 'categorical' && o.labels.length > 50).toBe(true);
    }
    // a value read back through the codes is the string readParquet gives
    const t = await readParquet(flights, { columns: ['origin'], rowStart: 300_000, rowEnd: 300_010 });
    const f = await readParquetFrame(flights, { columns: ['origin'], rowStart: 300_000, rowEnd: 300_010 });
    expect(f.columns.origin).toEqual(t.columns.origin);
  });

  it('dictionary pages, PLAIN pages and a column switching between them, with nulls and row groups', async () => {
    const n = 6000;
    const rng = new Rng(5);
    const words = ['pear', 'apple', 'Zebra', 'δέλτα', '', 'apple pie'];
    const pick = () => (rng.random() < 0.12 ? null : words[Math.floor(rng.random() * words.length)]);
    // 'many' has more distinct values than the writer keeps in a dictionary: later pages fall back to PLAIN
    const many = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : i < 2500 ? `k${i % 40}` : `v${(i * 7919) % 4999}`));
    const file = join(dir, 'text.parquet');
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'dict', type: 'STRING', nullable: true, encoding: 'RLE_DICTIONARY', data: Array.from({ length: n }, pick) },
        { name: 'plain', type: 'STRING', nullable: true, encoding: 'PLAIN', data: Array.from({ length: n }, pick) },
        { name: 'req', type: 'STRING', nullable: false, encoding: 'RLE_DICTIONARY', data: Array.from({ length: n }, (_, i) => words[i % 3]) },
        { name: 'many', type: 'STRING', nullable: true, data: many },
        { name: 'x', type: 'DOUBLE', nullable: true, data: Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : i / 4)) },
      ],
      codec: 'SNAPPY',
      rowGroupSize: [1500, 2500, 2000],
      pageSize: 1024,
    } as never);
    writeFileSync(file, new Uint8Array(bytes));
    const whole = await expectAsFromTable(file);
    const d = whole.column('dict');
    expect(d.kind === 'categorical' && d.labels).toEqual(['', 'Zebra', 'apple', 'apple pie', 'pear', 'δέλτα']);
    expect(d.kind === 'categorical' && d.codes.includes(-1)).toBe(true);
    const m = whole.column('many');
    expect(m.kind === 'categorical' && m.labels.length).toBe(new Set(many.filter((v) => v !== null)).size);
    for (const [rowStart, rowEnd] of [
      [0, 1],
      [1499, 1501],
      [1600, 3900],
      [3990, 6000],
      [5999, 6000],
      [2000, 2000],
    ]) {
      await expectAsFromTable(file, { rowStart, rowEnd });
    }
    // labels only of the rows read: a range that never sees 'δέλτα' has no such label
    const one = await readParquetFrame(file, { columns: ['req'], rowStart: 0, rowEnd: 2 });
    const r = one.column('req');
    expect(r.kind === 'categorical' && r.labels).toEqual(['apple', 'pear']);
    expect(r.kind === 'categorical' && Array.from(r.codes)).toEqual([1, 0]);
  });

  it('a column left to hyparquet (a decimal) and kinds as fromTable takes them', async () => {
    const n = 200;
    const file = join(dir, 'mixed.parquet');
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'w', data: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `w${i % 7}`)) },
        { name: 'price', data: Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : i * 0.25)) },
        { name: 'ok', data: Array.from({ length: n }, (_, i) => i % 2 === 0) },
      ],
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'w', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'price', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', precision: 9, scale: 2 },
        { name: 'ok', type: 'BOOLEAN', repetition_type: 'REQUIRED' },
      ],
    } as never);
    writeFileSync(file, new Uint8Array(bytes));
    const f = await expectAsFromTable(file, {}, { ok: 'boolean' });
    expect(f.column('ok').kind).toBe('boolean');
    expect(f.column('price').kind).toBe('numeric');
  });

  it("kiln profile's reader: a Parquet file's Frame with the time column as datetime, as through the table", async () => {
    const src = resolveSource(flights, process.cwd(), 'data');
    const got = await readAllColumnsFrame(src, { limit: 5000, time: 'date' });
    expect(got.column('date').kind).toBe('datetime');
    expectSameFrame(got, Frame.fromTable(await readAllColumns(src, { limit: 5000 }), { date: 'datetime' }));
    expect((await readAllColumnsFrame(src, { limit: 10, time: 'origin' })).column('origin').kind).toBe('categorical');
  });

  it('refuses bad options and a corrupt dictionary code, as readParquet does', async () => {
    await expect(readParquetFrame(flights, { columns: ['nope'] })).rejects.toThrowError(/readParquetFrame: no column 'nope'/);
    await expect(readParquetFrame(flights, { columns: ['delay'], kinds: { origin: 'datetime' } })).rejects.toThrowError(/kinds names column 'origin'/);
    await expect(readParquetFrame(flights, { columns: ['origin'], kinds: { origin: 'datetime' } })).rejects.toThrowError(/column 'origin' is text/);
    await expect(readParquetFrame(flights, { kinds: { delay: 'text' as never } })).rejects.toThrowError(/kinds.delay must be/);
    await expect(readParquetFrame(flights, { rowStart: 5, rowEnd: 2 })).rejects.toThrowError(/rowStart\/rowEnd/);
    await expect(readParquetFrame(flights, { bogus: 1 } as never)).rejects.toBeInstanceOf(KilnError);
    await expect(readParquetFrame(flights, { signal: AbortSignal.abort(new Error('stop')) })).rejects.toThrowError('stop');
    const file = join(dir, 'codes.parquet');
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'w', data: Array.from({ length: 64 }, (_, i) => ['a', 'b', 'c'][i % 3]), type: 'STRING', nullable: false, encoding: 'RLE_DICTIONARY' },
      ],
      codec: 'UNCOMPRESSED',
    } as never);
    const buf = Buffer.from(bytes);
    const at = buf.indexOf(Buffer.from([0x24, 0x49, 0x92])); // codes 0,1,2,… bit-packed at width 2
    expect(at).toBeGreaterThan(0);
    buf[at] = 0xff; // four codes 3, past ['a', 'b', 'c']
    writeFileSync(file, buf);
    const err = await readParquetFrame(file).catch((e) => e);
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).code).toBe('E_DATA_FORMAT');
    expect((err as Error).message).toMatch(/column 'w': dictionary code \d+ past the dictionary's 3 entries/);
  });

  it("one chunk of dictionary pages then PLAIN pages (a writer's dictionary fallback): the codes of the strings", async () => {
    // hyparquet-writer switches encoding per chunk only: splice a PLAIN chunk's pages after a dictionary chunk's
    const rows = 900;
    const values = (k: number) => Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : `s${(i * k) % 37}`));
    const chunk = (encoding: string, data: (string | null)[]) => {
      const bytes = new Uint8Array(
        parquetWriteBuffer({ columnData: [{ name: 'w', type: 'STRING', nullable: true, encoding, data }], codec: 'SNAPPY', pageSize: 512 } as never),
      );
      const metadata = parquetMetadata(bytes.buffer);
      const meta = metadata.row_groups[0].columns[0].meta_data!;
      const [from, to] = chunkRange(meta);
      return { bytes: bytes.subarray(from, to), meta, schema: parquetSchema(metadata) };
    };
    const a = chunk('RLE_DICTIONARY', values(5)),
      b = chunk('PLAIN', values(11));
    const spliced = new Uint8Array(a.bytes.length + b.bytes.length);
    spliced.set(a.bytes);
    spliced.set(b.bytes, a.bytes.length);
    const d = flatDecoder(a.schema.children[0], a.schema, a.meta, {});
    const want = new Array<string | null>(2 * rows).fill(null);
    decodeFlatChunk(spliced, d, 0, 2 * rows, want, 0, 'w');
    expect(want.slice(0, rows)).toEqual(values(5));
    expect(want.slice(rows)).toEqual(values(11));
    for (const [lo, hi] of [
      [0, 2 * rows],
      [850, 1000],
      [rows, rows + 3],
    ]) {
      const got = new CodeColumn(hi - lo);
      decodeFlatChunk(spliced, d, lo, hi, got, 0, 'w');
      const col = categoricalFromCodes(got.codes, got.labels);
      expect(col).toEqual(categoricalColumn(want.slice(lo, hi)));
    }
  });
});

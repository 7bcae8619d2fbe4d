/** Arrow interop: vega-datasets' flights-200k.arrow, Frame ↔ Arrow round trips, zero-copy f64, bad files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Dictionary,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  tableFromArrays,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { categoricalColumn } from '../../src/data/column.js';
import { Frame, frameFromArrow, frameToArrow, readArrow } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const flights = fileURLToPath(new URL('../../node_modules/vega-datasets/data/flights-200k.arrow', import.meta.url));

describe('Arrow interop', () => {
  it('reads an IPC file into numeric columns', async () => {
    const f = await readArrow(flights);
    expect(f.rows).toBe(200_000);
    expect(f.columnNames).toEqual(['delay', 'distance', 'time']);
    const values = (name: string) => Array.from((f.column(name) as { values: Float64Array }).values.subarray(0, 3));
    expect(values('delay')).toEqual([0, 171, 177]); // Int16 widened to f64
    expect(values('distance')).toEqual([1452, 2227, 491]);
    expect(f.column('time').kind).toBe('numeric');
  });

  it('shares a null-free float64 column, widens others with nulls as NaN, and round-trips', async () => {
    const mass = Float64Array.of(1.5, 2.5, 3.5);
    const t = tableFromArrays({ mass, n: Int32Array.of(1, 2, 3), name: ['a', 'b', 'a'] });
    const f = await frameFromArrow(t);
    expect((f.column('mass') as { values: Float64Array }).values.buffer).toBe((t.getChild('mass')!.toArray() as Float64Array).buffer);
    expect(f.row(2)).toEqual({ mass: 3.5, n: 3, name: 'a' });
    const withGaps = new Frame({
      x: { kind: 'numeric', values: Float64Array.of(1, NaN) },
      c: { kind: 'categorical', labels: ['p', 'q'], codes: Int32Array.of(1, -1) },
    });
    const back = await frameFromArrow(await frameToArrow(withGaps));
    expect(back.row(0)).toEqual({ x: 1, c: 'q' });
    expect(back.row(1)).toEqual({ x: null, c: null });
  });

  // The oracle for every column: the vector read value by value, as frameFromArrow did before it read chunks.
  const byValue = (v: Vector) => Float64Array.from({ length: v.length }, (_, i) => (v.get(i) === null ? NaN : Number(v.get(i))));
  const textByValue = (v: Vector) => categoricalColumn(Array.from({ length: v.length }, (_, i) => (v.get(i) === null ? null : String(v.get(i)))));
  /** Two chunks (the second with its own values), then a slice that starts inside the first. */
  const chunked = (first: Vector, second: Vector) => {
    const both = new Table({ c: first }).concat(new Table({ c: second })).getChild('c')!;
    return [both, both.slice(3, both.length - 2)];
  };

  it('reads integer and float columns chunk by chunk: the values Number(get(i)) gives, nulls as NaN', async () => {
    const ints = [-128, 127, 0, null, 5, -7, 100, null, 1, 2];
    const cases: [string, Vector, Vector][] = [
      ['Int8', vectorFromArray(ints, new Int8()), vectorFromArray([3, null, -3, 4, 9], new Int8())],
      [
        'Int16',
        vectorFromArray(
          ints.map((v) => (v === null ? v : v * 250)),
          new Int16(),
        ),
        vectorFromArray([null, 32767, -32768, 0, 1], new Int16()),
      ],
      [
        'Int32',
        vectorFromArray(
          ints.map((v) => (v === null ? v : v * 16_000_000)),
          new Int32(),
        ),
        vectorFromArray([2 ** 31 - 1, -(2 ** 31), null, 0, 1], new Int32()),
      ],
      ['Uint8', vectorFromArray([255, 0, null, 7, 8, 9, 10], new Uint8()), vectorFromArray([1, 2, 3, null, 5], new Uint8())],
      ['Uint16', vectorFromArray([65535, 0, null, 7, 8, 9, 10], new Uint16()), vectorFromArray([1, 2, 3, null, 5], new Uint16())],
      ['Uint32', vectorFromArray([2 ** 32 - 1, 0, null, 2 ** 31, 8, 9, 10], new Uint32()), vectorFromArray([1, 2, 3, null, 5], new Uint32())],
      ['Float32', vectorFromArray([0.1, -2.5e30, null, NaN, 3, 4, 5], new Float32()), vectorFromArray([1e-40, 2, 3, null, 5], new Float32())],
      ['Float64', vectorFromArray([0.1, -2.5e300, null, NaN, 3, 4, 5], new Float64()), vectorFromArray([5e-324, 2, 3, null, 5], new Float64())],
      // Past 2^53 the halves round once, as Number(bigint): 2^53 + 1 -> 2^53, 2^64 - 1 -> 2^64.
      [
        'Int64',
        vectorFromArray([2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n, null, -1n, 0n, 2n ** 53n + 3n], new Int64()),
        vectorFromArray([1n, null, -(2n ** 40n) - 1n, 7n, 8n], new Int64()),
      ],
      [
        'Uint64',
        vectorFromArray([2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n, null, 0n, 1n, 2n], new Uint64()),
        vectorFromArray([1n, null, 2n ** 32n, 7n, 8n], new Uint64()),
      ],
    ];
    for (const [name, first, second] of cases)
      for (const v of chunked(first, second)) {
        const f = await frameFromArrow(new Table({ c: v }));
        const values = (f.column('c') as { values: Float64Array }).values;
        expect(Array.from(values), `${name}, ${v.length} rows`).toEqual(Array.from(byValue(v)));
      }
    // The rounding of 64-bit values, spelled out.
    const big = await frameFromArrow(new Table({ c: makeVector(BigInt64Array.of(2n ** 53n + 1n, -(2n ** 63n))) }));
    expect(Array.from((big.column('c') as { values: Float64Array }).values)).toEqual([2 ** 53, -(2 ** 63)]);
  });

  it('reads dictionary text as codes, each chunk through its own dictionary, as the strings would give', async () => {
    const type = () => new Dictionary(new Utf8(), new Int32());
    const first = vectorFromArray(['lax', 'sfo', null, 'lax', 'jfk', 'sfo', 'ord', null, 'jfk'], type());
    const second = vectorFromArray(['bos', null, 'lax', 'sea', 'bos'], type()); // other entries, other order
    for (const v of chunked(first, second)) {
      const f = await frameFromArrow(new Table({ c: v }));
      expect(f.column('c'), `${v.length} rows`).toEqual(textByValue(v));
    }
    // Entries no row uses, and rows pointing at a null entry, make no label.
    const dictionary = vectorFromArray(['unused', 'b', null, 'a'], new Utf8());
    const sparse = makeVector(makeData({ type: type(), length: 4, nullCount: 0, data: Int32Array.of(3, 1, 2, 3), dictionary }));
    expect((await frameFromArrow(new Table({ c: sparse }))).column('c')).toEqual({
      kind: 'categorical',
      labels: ['a', 'b'],
      codes: Int32Array.of(0, 1, -1, 0),
    });
  });

  it('refuses a numeric chunk with fewer values than rows (a damaged file)', async () => {
    const short = makeVector(makeData({ type: new Int32(), length: 4, nullCount: 0, data: Int32Array.of(1, 2) }));
    await expect(frameFromArrow(new Table({ c: short }))).rejects.toThrowError(code('E_DATA_FORMAT'));
  });

  it('refuses a dictionary index outside its dictionary (a damaged file)', async () => {
    const dictionary = vectorFromArray(['a', 'b'], new Utf8());
    for (const index of [2, -1]) {
      const bad = makeVector(makeData({ type: new Dictionary(new Utf8(), new Int32()), length: 2, nullCount: 0, data: Int32Array.of(0, index), dictionary }));
      await expect(frameFromArrow(new Table({ c: bad })), `index ${index}`).rejects.toThrowError(code('E_DATA_FORMAT'));
    }
  });

  it('refuses files that are not Arrow and missing paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-arrow-'));
    const fake = join(dir, 'x.arrow');
    writeFileSync(fake, 'not arrow at all');
    await expect(readArrow(fake)).rejects.toThrowError(code('E_DATA_FORMAT'));
    await expect(readArrow(join(dir, 'none.arrow'))).rejects.toThrowError(code('E_PARAM'));
  });
});

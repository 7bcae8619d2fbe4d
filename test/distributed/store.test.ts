/** The data codec (bytes a worker reads back exactly) and the content-addressed directory store. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryStore, Matrix } from '../../src/index.js';
import { dataDigest, decodeData, encodeData } from '../../src/distributed/data-codec.js';
import { decodeIndices, encodeIndices } from '../../src/distributed/fold-codec.js';

const code = (c: string) => expect.objectContaining({ code: c });
const dir = mkdtempSync(join(tmpdir(), 'kiln-store-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = {
  X: new Matrix(Float32Array.from([1, 2, Number.NaN, 4, -0, 6]), 3, 2),
  y: ['a', 'b', 'a'],
  n: 3,
  fitParams: { sampleWeight: [1, 0.5, Number.POSITIVE_INFINITY], evalSet: [[[1, 2]], Int32Array.from([1])], verbose: false, note: undefined },
};

describe('data codec', () => {
  it('round-trips matrices, typed arrays, number and label arrays, nested arrays, non-finite values and -0', () => {
    const bytes = encodeData(data);
    const back = decodeData(bytes);
    expect(back.n).toBe(3);
    expect(back.X).toBeInstanceOf(Matrix);
    const m = back.X as Matrix;
    expect([m.rows, m.cols, m.data.constructor.name]).toEqual([3, 2, 'Float32Array']);
    expect(Object.is(m.data[4], -0) && Number.isNaN(m.data[2])).toBe(true);
    expect(back.y).toEqual(['a', 'b', 'a']);
    expect(back.fitParams.sampleWeight).toEqual([1, 0.5, Number.POSITIVE_INFINITY]);
    expect(back.fitParams.evalSet).toEqual([[[1, 2]], Int32Array.from([1])]);
    expect(back.fitParams.verbose).toBe(false);
    expect('note' in back.fitParams && back.fitParams.note === undefined).toBe(true);
  });

  it('is deterministic (same data, same digest) and reads views in place from shared memory', () => {
    const a = encodeData(data);
    expect(dataDigest(encodeData(data))).toBe(dataDigest(a));
    const shared = new Uint8Array(new SharedArrayBuffer(a.length));
    shared.set(a);
    const back = decodeData(shared);
    expect((back.X as Matrix).data.buffer).toBe(shared.buffer);
  });

  it('refuses what cannot travel (functions, class instances) naming the path, and damaged bytes', () => {
    expect(() => encodeData({ ...data, fitParams: { callbacks: [() => 1] } })).toThrow(/fitParams\.callbacks\[0\] \(a function\)/);
    expect(() => encodeData({ ...data, fitParams: { when: new Date() } })).toThrow(code('E_PARAM'));
    expect(() => decodeData(new TextEncoder().encode('not kiln data at all'))).toThrow(code('E_DATA_FORMAT'));
  });
});

describe('fold index codec', () => {
  it('round-trips train and test indices (negative and large values too), refuses damaged bytes', () => {
    const train = Int32Array.from([0, 5, 2_000_000_000, -1, 7]);
    const test = Int32Array.from([3, 4]);
    const back = decodeIndices(encodeIndices(train, test));
    expect(back.train).toEqual(train);
    expect(back.test).toEqual(test);
    expect(encodeIndices(train, test).length).toBe(16 + 4 * 7);
    expect(decodeIndices(encodeIndices(new Int32Array(0), test)).train.length).toBe(0);
    expect(() => decodeIndices(encodeData(data))).toThrow(code('E_DATA_FORMAT'));
    expect(() => decodeIndices(encodeIndices(train, test).subarray(0, 20))).toThrow(code('E_DATA_FORMAT'));
  });
});

describe('directoryStore', () => {
  it('stores by sha256, writes once, reads back (also from a second store on the same directory)', async () => {
    const s = directoryStore(dir);
    const bytes = encodeData(data);
    const d1 = await s.put(bytes);
    const d2 = await s.put(bytes);
    expect(d1).toBe(dataDigest(bytes));
    expect(d2).toBe(d1);
    expect(readdirSync(join(dir, d1.slice(0, 2)))).toEqual([d1]);
    expect(await s.has(d1)).toBe(true);
    const other = directoryStore(dir, { cacheBytes: 0 });
    expect(Buffer.from(await other.get(d1)).equals(Buffer.from(bytes))).toBe(true);
    expect(s.location).toBe(`dir:${dir}`);
  });

  it('a missing digest is E_NOT_FOUND, a damaged file E_DATA_FORMAT, a malformed digest E_PARAM', async () => {
    const s = directoryStore(dir, { cacheBytes: 0 });
    const missing = 'ab'.repeat(32);
    await expect(s.get(missing)).rejects.toEqual(code('E_NOT_FOUND'));
    const d = await s.put(new Uint8Array([1, 2, 3]));
    writeFileSync(join(dir, d.slice(0, 2), d), new Uint8Array([9, 9, 9]));
    await expect(s.get(d)).rejects.toEqual(code('E_DATA_FORMAT'));
    await expect(s.get('../etc/passwd')).rejects.toEqual(code('E_PARAM'));
    expect(() => directoryStore('')).toThrow(code('E_PARAM'));
  });
});

/**
 * A fold's row indices (train and test) as one byte string for the content-addressed store, so a
 * queue job carries a 64-character digest instead of ~5 characters a row: at 200k rows that is
 * the difference between ~1 MB and ~100 bytes of Redis memory per job. The same folds are shared
 * by every candidate of a search, so each fold is stored once; workers cache them by digest.
 *
 * Layout: 'KILNIDX1' (8 bytes) · train length (u32 LE) · test length (u32 LE) · train int32s ·
 * test int32s (little-endian).
 */
import { DataFormatError } from '../core/errors.js';

const MAGIC = 'KILNIDX1';

export interface FoldIndices {
  train: Int32Array;
  test: Int32Array;
}

export function encodeIndices(train: Int32Array, test: Int32Array): Uint8Array {
  const out = new Uint8Array(16 + 4 * (train.length + test.length));
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, train.length, true);
  view.setUint32(12, test.length, true);
  let at = 16;
  for (const a of [train, test]) {
    for (let i = 0; i < a.length; i++, at += 4) view.setInt32(at, a[i], true);
  }
  return out;
}

export function decodeIndices(bytes: Uint8Array): FoldIndices {
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (bytes.length < 16 || magic !== MAGIC) throw new DataFormatError("fold indices: not kiln's index format (no KILNIDX1 header)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nTrain = view.getUint32(8, true);
  const nTest = view.getUint32(12, true);
  if (bytes.length !== 16 + 4 * (nTrain + nTest)) throw new DataFormatError(`fold indices: ${bytes.length} bytes for ${nTrain} + ${nTest} rows`);
  const read = (from: number, n: number) => Int32Array.from({ length: n }, (_, i) => view.getInt32(from + 4 * i, true));
  return { train: read(16, nTrain), test: read(16 + 4 * nTrain, nTest) };
}

/**
 * kiln's binary container: a JSON manifest plus little-endian typed arrays in one
 * buffer, each array with its SHA-256, so a reader can reject truncated, tampered
 * or future-version files before using anything. Loading never executes code.
 *
 *   "KILNBIN1" | u32 manifest bytes | manifest JSON (utf-8) | zero pad to 8 | arrays (each 8-aligned)
 */
import { createHash } from 'node:crypto';
import { ModelFormatError } from './errors.js';

const MAGIC = 'KILNBIN1';
type Stored = Float32Array | Float64Array | Int32Array;
const DTYPES = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;
type DTypeName = keyof typeof DTYPES;

interface ArrayEntry {
  name: string;
  dtype: DTypeName;
  length: number;
  offset: number;
  sha256: string;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function dtypeOf(a: Stored): DTypeName {
  return a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : 'int32';
}

/** Packs a manifest (JSON-safe) and named arrays. The host must be little-endian (x86, ARM). */
export function encodeContainer(manifest: Record<string, unknown>, arrays: Record<string, Stored>): Uint8Array {
  const entries: ArrayEntry[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    entries.push({ name, dtype: dtypeOf(a), length: a.length, offset, sha256: sha256(bytes) });
    offset = align8(offset + a.byteLength);
  }
  const head = new TextEncoder().encode(JSON.stringify({ ...manifest, arrays: entries }));
  const dataStart = align8(12 + head.length);
  const out = new Uint8Array(dataStart + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, head.length, true);
  out.set(head, 12);
  let i = 0;
  for (const a of Object.values(arrays)) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), dataStart + entries[i++].offset);
  }
  return out;
}

/** Unpacks and verifies a container; any inconsistency is a ModelFormatError saying what is wrong. */
export function decodeContainer(bytes: Uint8Array, what: string): { manifest: Record<string, any>; arrays: Record<string, Stored> } {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new ModelFormatError(`${what}: not a kiln file (bad magic bytes)`);
  }
  const headLen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headLen > bytes.length) throw new ModelFormatError(`${what}: truncated manifest (declares ${headLen} bytes, file has ${bytes.length - 12})`);
  let manifest: Record<string, any>;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + headLen)));
  } catch (e) {
    throw new ModelFormatError(`${what}: the manifest is not valid JSON (${(e as Error).message})`);
  }
  if (!manifest || typeof manifest !== 'object' || !Array.isArray(manifest.arrays)) {
    throw new ModelFormatError(`${what}: the manifest lists no arrays`);
  }
  const dataStart = align8(12 + headLen);
  const arrays: Record<string, Stored> = {};
  for (const e of manifest.arrays as ArrayEntry[]) {
    const Ctor = DTYPES[e?.dtype as DTypeName];
    if (!Ctor || typeof e.name !== 'string' || !Number.isInteger(e.length) || e.length < 0 || !Number.isInteger(e.offset) || e.offset < 0) {
      throw new ModelFormatError(`${what}: malformed array entry ${JSON.stringify(e)}`);
    }
    const start = dataStart + e.offset, end = start + e.length * Ctor.BYTES_PER_ELEMENT;
    if (end > bytes.length) throw new ModelFormatError(`${what}: array '${e.name}' runs past the end of the file (truncated?)`);
    const raw = bytes.slice(start, end);
    if (sha256(raw) !== e.sha256) throw new ModelFormatError(`${what}: checksum mismatch in array '${e.name}' (the file was modified or damaged)`);
    arrays[e.name] = new Ctor(raw.buffer, 0, e.length);
  }
  return { manifest, arrays };
}

/**
 * kiln's binary container: a JSON manifest plus little-endian typed arrays in one
 * buffer, each array with its SHA-256, so a reader can reject truncated, tampered
 * or future-version files before using anything. Loading never executes code.
 *
 * Version 2 (written):
 *
 *   0   "KILNBIN2"
 *   8   u32  manifest bytes (M)
 *   12  u32  flags (0; anything else was written by a newer kiln)
 *   16  u64  total file bytes
 *   24  32 B SHA-256 of the manifest bytes
 *   56  manifest JSON (utf-8), zero pad to 8
 *       arrays in manifest order, each 8-aligned, zero pad between them and at the end
 *
 * Every byte is checked on decode: the header fields against each other and the buffer length,
 * the manifest and each array against their SHA-256, the padding against zero, and each array's
 * declared offset and length against where it must lie. Nothing is allocated from a declared
 * length before it has been checked against the bytes actually present.
 *
 * Version 1 ("KILNBIN1" | u32 manifest bytes | manifest | pad | arrays) is still read: it has no
 * manifest checksum and no total length, so only its arrays are verified.
 */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { ModelFormatError } from './errors.js';

const MAGIC_PREFIX = 'KILNBIN';
const CURRENT = 2;
/** Bytes of the fixed version-2 header before the manifest. */
export const CONTAINER_HEADER_BYTES = 56;

export const CONTAINER_DTYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
} as const;
export type ContainerDType = keyof typeof CONTAINER_DTYPES;
export type ContainerArray = Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

export interface ContainerArrayEntry {
  name: string;
  dtype: ContainerDType;
  length: number;
  offset: number;
  sha256: string;
}

export interface DecodedContainer {
  manifest: Record<string, any>;
  /** Arrays by name (a prototype-free object: names such as '__proto__' are plain keys). */
  arrays: Record<string, ContainerArray>;
  /** The container version the bytes were written in (1 or 2). */
  containerVersion: number;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const HEX64 = /^[0-9a-f]{64}$/;
const MAX_NAME = 1024;

/** The container dtype of a typed array, or undefined for one it cannot hold (BigInt64Array, Uint8ClampedArray, …). */
export function containerDType(a: unknown): ContainerDType | undefined {
  for (const [name, Ctor] of Object.entries(CONTAINER_DTYPES)) {
    if (a instanceof Ctor && Object.getPrototypeOf(a) === Ctor.prototype) return name as ContainerDType;
  }
  return undefined;
}

function requireLittleEndian(): void {
  if (endianness() !== 'LE') throw new ModelFormatError('kiln containers are little-endian and this host is big-endian; it cannot read or write them');
}

function viewBytes(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Packs a manifest (JSON-safe) and named arrays. The host must be little-endian (x86, ARM). */
export function encodeContainer(manifest: Record<string, unknown>, arrays: Record<string, ContainerArray>): Uint8Array {
  requireLittleEndian();
  const entries: ContainerArrayEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    const dtype = containerDType(a);
    if (!dtype)
      throw new ModelFormatError(
        `encodeContainer: array '${name}' is a ${(a as object)?.constructor?.name}; a container holds ${Object.keys(CONTAINER_DTYPES).join(', ')}`,
      );
    const bytes = viewBytes(a);
    entries.push({ name, dtype, length: a.length, offset, sha256: sha256(bytes) });
    parts.push(bytes);
    offset = align8(offset + a.byteLength);
  }
  const head = new TextEncoder().encode(JSON.stringify({ ...manifest, arrays: entries }));
  const dataStart = align8(CONTAINER_HEADER_BYTES + head.length);
  const total = dataStart + offset;
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(MAGIC_PREFIX + CURRENT), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, head.length, true);
  dv.setUint32(12, 0, true);
  dv.setBigUint64(16, BigInt(total), true);
  out.set(createHash('sha256').update(head).digest(), 24);
  out.set(head, CONTAINER_HEADER_BYTES);
  parts.forEach((p, i) => out.set(p, dataStart + entries[i].offset));
  return out;
}

/** What the fixed header of a version-2 container says. */
export interface ContainerHeader {
  version: number;
  manifestBytes: number;
  totalBytes: number;
  manifestSha256: string;
}

/**
 * Reads the fixed header (the first CONTAINER_HEADER_BYTES bytes, or fewer for a short file) and
 * checks it against `fileBytes`, the length of the whole file. Version-1 headers come back with
 * `version: 1` and only `manifestBytes` checked.
 */
export function decodeContainerHeader(head: Uint8Array, fileBytes: number, what: string): ContainerHeader {
  requireLittleEndian();
  const magic = Buffer.from(head.subarray(0, 8)).toString('latin1');
  if (fileBytes < 8 || head.length < 8) {
    const n = Math.min(fileBytes, head.length);
    if (n > 0 && (MAGIC_PREFIX + CURRENT).slice(0, n) === magic.slice(0, n)) {
      throw new ModelFormatError(`${what}: truncated (${fileBytes} bytes, shorter than the ${CONTAINER_HEADER_BYTES}-byte header)`);
    }
    throw new ModelFormatError(`${what}: not a kiln file (${fileBytes} bytes, too short to hold the magic bytes)`);
  }
  if (!magic.startsWith(MAGIC_PREFIX)) throw new ModelFormatError(`${what}: not a kiln file (bad magic bytes)`);
  const version = magic.charCodeAt(7) - 48;
  if (version < 1 || version > 9) throw new ModelFormatError(`${what}: not a kiln file (bad magic bytes)`);
  if (version > CURRENT) {
    throw new ModelFormatError(`${what}: container version ${version} is newer than this kiln reads (1 to ${CURRENT}); upgrade kiln to read it`);
  }
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (version === 1) {
    if (head.length < 12 || fileBytes < 12) throw new ModelFormatError(`${what}: truncated (${fileBytes} bytes, shorter than the 12-byte header)`);
    const manifestBytes = dv.getUint32(8, true);
    if (12 + manifestBytes > fileBytes) throw new ModelFormatError(`${what}: truncated manifest (declares ${manifestBytes} bytes, file has ${fileBytes - 12})`);
    return { version, manifestBytes, totalBytes: fileBytes, manifestSha256: '' };
  }
  if (head.length < CONTAINER_HEADER_BYTES || fileBytes < CONTAINER_HEADER_BYTES) {
    throw new ModelFormatError(`${what}: truncated (${fileBytes} bytes, shorter than the ${CONTAINER_HEADER_BYTES}-byte header)`);
  }
  const manifestBytes = dv.getUint32(8, true);
  const flags = dv.getUint32(12, true);
  const total = dv.getBigUint64(16, true);
  if (flags !== 0) throw new ModelFormatError(`${what}: unknown header flags 0x${flags.toString(16)} (written by a newer kiln, or damaged)`);
  if (total !== BigInt(fileBytes)) {
    throw new ModelFormatError(
      total > BigInt(fileBytes)
        ? `${what}: truncated (the header declares ${total} bytes, the file has ${fileBytes})`
        : `${what}: ${BigInt(fileBytes) - total} unexpected bytes after the declared end (the header declares ${total} bytes, the file has ${fileBytes})`,
    );
  }
  if (CONTAINER_HEADER_BYTES + manifestBytes > fileBytes) {
    throw new ModelFormatError(
      `${what}: the header declares a ${manifestBytes}-byte manifest but the file has only ${fileBytes - CONTAINER_HEADER_BYTES} bytes after the header`,
    );
  }
  const manifestSha256 = Buffer.from(head.subarray(24, 56)).toString('hex');
  return { version, manifestBytes, totalBytes: fileBytes, manifestSha256 };
}

/** Checks the manifest bytes against the header's SHA-256 (version 2) and parses them. */
export function decodeContainerManifest(header: ContainerHeader, manifestBytes: Uint8Array, what: string): Record<string, any> {
  if (manifestBytes.length !== header.manifestBytes) throw new ModelFormatError(`${what}: truncated manifest`);
  if (header.version >= 2 && sha256(manifestBytes) !== header.manifestSha256) {
    throw new ModelFormatError(`${what}: checksum mismatch in the manifest (the file was modified or damaged)`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes));
  } catch (e) {
    throw new ModelFormatError(`${what}: the manifest is not valid JSON (${(e as Error).message})`);
  }
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest) || !Array.isArray((manifest as { arrays?: unknown }).arrays)) {
    throw new ModelFormatError(`${what}: the manifest lists no arrays`);
  }
  return manifest as Record<string, any>;
}

/** A short JSON rendering for messages; never throws (hostile values can be nested too deeply to stringify). */
export function preview(v: unknown, max = 200): string {
  try {
    return String(JSON.stringify(v)).slice(0, max);
  } catch {
    return `(a ${Array.isArray(v) ? 'deeply nested array' : typeof v})`;
  }
}

function checkEntry(e: unknown, names: Set<string>, what: string): ContainerArrayEntry {
  const x = e as Partial<ContainerArrayEntry> | null;
  const bad = (why: string) => new ModelFormatError(`${what}: malformed array entry ${preview(e)} (${why})`);
  if (!x || typeof x !== 'object') throw bad('not an object');
  if (typeof x.name !== 'string' || x.name.length === 0 || x.name.length > MAX_NAME) throw bad('name must be a non-empty string');
  if (names.has(x.name)) throw bad('duplicate name');
  if (typeof x.dtype !== 'string' || !Object.hasOwn(CONTAINER_DTYPES, x.dtype)) throw bad(`unknown dtype; known: ${Object.keys(CONTAINER_DTYPES).join(', ')}`);
  if (!Number.isSafeInteger(x.length) || (x.length as number) < 0) throw bad('length must be a non-negative integer');
  if (!Number.isSafeInteger(x.offset) || (x.offset as number) < 0) throw bad('offset must be a non-negative integer');
  if (typeof x.sha256 !== 'string' || !HEX64.test(x.sha256)) throw bad('sha256 must be 64 lowercase hex digits');
  names.add(x.name);
  return x as ContainerArrayEntry;
}

function requireZero(bytes: Uint8Array, from: number, to: number, where: string, what: string): void {
  for (let i = from; i < to; i++) {
    if (bytes[i] !== 0) throw new ModelFormatError(`${what}: non-zero padding byte at offset ${i} (${where}; the file was modified or damaged)`);
  }
}

/** Unpacks and verifies a container; any inconsistency is a ModelFormatError saying what is wrong. */
export function decodeContainer(bytes: Uint8Array, what: string): DecodedContainer {
  const header = decodeContainerHeader(bytes.subarray(0, CONTAINER_HEADER_BYTES), bytes.length, what);
  const mStart = header.version === 1 ? 12 : CONTAINER_HEADER_BYTES;
  const manifest = decodeContainerManifest(header, bytes.subarray(mStart, mStart + header.manifestBytes), what);
  const dataStart = align8(mStart + header.manifestBytes);
  const strict = header.version >= 2;
  if (strict) {
    if (dataStart > bytes.length) throw new ModelFormatError(`${what}: truncated after the manifest`);
    requireZero(bytes, mStart + header.manifestBytes, dataStart, 'after the manifest', what);
  }
  const arrays: Record<string, ContainerArray> = Object.create(null);
  const names = new Set<string>();
  let expected = 0; // where the next array must start (version 2 lays arrays out back to back)
  for (const raw of manifest.arrays as unknown[]) {
    const e = checkEntry(raw, names, what);
    const Ctor = CONTAINER_DTYPES[e.dtype];
    if (strict && e.offset !== expected) {
      throw new ModelFormatError(`${what}: array '${e.name}' declares offset ${e.offset} but must start at ${expected} (the file was modified or damaged)`);
    }
    const byteLength = e.length * Ctor.BYTES_PER_ELEMENT;
    const start = dataStart + e.offset,
      end = start + byteLength;
    if (!Number.isSafeInteger(end) || end > bytes.length) {
      throw new ModelFormatError(
        `${what}: array '${e.name}' declares ${e.length} ${e.dtype} values at offset ${e.offset}, which runs past the end of the file (truncated?)`,
      );
    }
    const copy = Uint8Array.prototype.slice.call(bytes, start, end) as Uint8Array; // always a copy, even of a Buffer
    if (sha256(copy) !== e.sha256) throw new ModelFormatError(`${what}: checksum mismatch in array '${e.name}' (the file was modified or damaged)`);
    arrays[e.name] = new Ctor(copy.buffer as ArrayBuffer, 0, e.length) as ContainerArray;
    if (strict) {
      const next = align8(e.offset + byteLength);
      if (dataStart + next > bytes.length) throw new ModelFormatError(`${what}: truncated in the padding after array '${e.name}'`);
      requireZero(bytes, end, dataStart + next, `after array '${e.name}'`, what);
      expected = next;
    }
  }
  if (strict && dataStart + expected !== bytes.length) {
    throw new ModelFormatError(`${what}: ${bytes.length - dataStart - expected} bytes after the last array that no manifest entry accounts for`);
  }
  return { manifest, arrays, containerVersion: header.version };
}

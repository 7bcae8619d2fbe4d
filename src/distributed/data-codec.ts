/**
 * A run's data (X, y, fit parameters) as one byte string that another thread or machine reads
 * back exactly: a JSON header describing the values and, 8-byte aligned after it, the raw bytes
 * of every numeric array. Decoding makes views onto those bytes (no copy), so a SharedArrayBuffer
 * holding them is read by every worker thread at once, and the same bytes, hashed, are the
 * content address of the data store.
 *
 * Layout: 'KILNDAT1' (8 bytes) · header length (u32 LE) · 4 bytes zero · header JSON (UTF-8) ·
 * zero padding to 8 · the arrays, each starting on a multiple of 8.
 */
import { createHash } from 'node:crypto';
import { DataFormatError, ParamError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import type { FoldData } from '../selection/fit-score.js';

const MAGIC = 'KILNDAT1';
const TYPED = { Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array } as const;
type TypedName = keyof typeof TYPED;

/** A value in the header: JSON for small things, a buffer reference for numeric arrays. */
type Node =
  | { t: 'undefined' }
  | { t: 'json'; v: unknown }
  | { t: 'num'; v: string }
  | { t: 'matrix'; rows: number; cols: number; b: number }
  | { t: 'typed'; b: number }
  | { t: 'numbers'; b: number }
  | { t: 'array'; items: Node[] }
  | { t: 'object'; fields: Record<string, Node> };

interface Buf {
  type: TypedName;
  offset: number;
  length: number;
}

interface Header {
  n: number;
  X: Node;
  y: Node;
  fitParams: Record<string, Node>;
  buffers: Buf[];
}

function isJsonScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** One value as a header node, numeric arrays appended to `arrays`; what cannot travel is E_PARAM naming its path. */
function encodeNode(v: unknown, path: string, arrays: ArrayBufferView[]): Node {
  const ref = (a: ArrayBufferView) => arrays.push(a) - 1;
  if (v === undefined) return { t: 'undefined' };
  if (typeof v === 'number' && !Number.isFinite(v)) return { t: 'num', v: String(v) };
  if (isJsonScalar(v)) return { t: 'json', v };
  if (v instanceof Matrix) return { t: 'matrix', rows: v.rows, cols: v.cols, b: ref(v.data) };
  if (ArrayBuffer.isView(v)) {
    const name = v.constructor.name;
    if (!(name in TYPED)) throw new ParamError(`cannot send ${path} (a ${name}) to a worker; use a Float64Array, Float32Array or an integer typed array`);
    return { t: 'typed', b: ref(v) };
  }
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => typeof x === 'number')) return { t: 'numbers', b: ref(Float64Array.from(v)) };
    if (v.every(isJsonScalar)) return { t: 'json', v };
    return { t: 'array', items: v.map((x, i) => encodeNode(x, `${path}[${i}]`, arrays)) };
  }
  if (typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    return { t: 'object', fields: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeNode(x, `${path}.${k}`, arrays)])) };
  }
  const what = typeof v === 'function' ? 'a function' : `a ${(v as object)?.constructor?.name ?? typeof v}`;
  throw new ParamError(
    `cannot send ${path} (${what}) to a worker: only numbers, strings, arrays, typed arrays, Matrix and plain objects travel; run it with the serial executor`,
  );
}

const align8 = (n: number) => (n + 7) & ~7;

/** The data as bytes (see the layout above). */
export function encodeData(data: FoldData): Uint8Array {
  const arrays: ArrayBufferView[] = [];
  const X = encodeNode(data.X, 'X', arrays);
  const y = encodeNode(data.y, 'y', arrays);
  const fitParams = Object.fromEntries(Object.entries(data.fitParams).map(([k, v]) => [k, encodeNode(v, `fitParams.${k}`, arrays)]));
  const buffers: Buf[] = [];
  const json0 = (bufs: Buf[]) => new TextEncoder().encode(JSON.stringify({ n: data.n, X, y, fitParams, buffers: bufs } satisfies Header));
  // offsets depend on the header's length, which depends on the offsets' digits: settle in two passes
  let headerLen =
    json0(arrays.map((a) => ({ type: a.constructor.name as TypedName, offset: 0, length: (a as Float64Array).length }))).length + 64 * arrays.length;
  for (;;) {
    buffers.length = 0;
    let at = align8(16 + headerLen);
    for (const a of arrays) {
      buffers.push({ type: a.constructor.name as TypedName, offset: at, length: (a as Float64Array).length });
      at = align8(at + a.byteLength);
    }
    const header = json0(buffers);
    if (header.length <= headerLen) {
      const out = new Uint8Array(at);
      out.set(new TextEncoder().encode(MAGIC), 0);
      new DataView(out.buffer).setUint32(8, header.length, true);
      out.set(header, 16);
      arrays.forEach((a, i) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), buffers[i].offset));
      return out;
    }
    headerLen = header.length;
  }
}

/** The sha256 of the encoded data, hex: its address in a data store. */
export function dataDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function decodeNode(node: Node, views: ArrayBufferView[], path: string): unknown {
  switch (node.t) {
    case 'undefined':
      return undefined;
    case 'json':
      return node.v;
    case 'num':
      return Number(node.v);
    case 'matrix': {
      const d = views[node.b];
      if (!(d instanceof Float64Array) && !(d instanceof Float32Array)) throw new DataFormatError(`data ${path}: a matrix must hold floats`);
      return new Matrix(d, node.rows, node.cols);
    }
    case 'typed':
      return views[node.b];
    case 'numbers':
      return Array.from(views[node.b] as Float64Array);
    case 'array':
      return node.items.map((x, i) => decodeNode(x, views, `${path}[${i}]`));
    case 'object':
      return Object.fromEntries(Object.entries(node.fields).map(([k, x]) => [k, decodeNode(x, views, `${path}.${k}`)]));
    default:
      throw new DataFormatError(`data ${path}: unknown node ${JSON.stringify((node as { t?: unknown }).t)}`);
  }
}

/** The data back from its bytes; numeric arrays are views onto `bytes` (a SharedArrayBuffer stays shared). */
export function decodeData(bytes: Uint8Array): FoldData {
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice(); // typed views need aligned offsets
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new DataFormatError(`not kiln data (expected the ${MAGIC} header); the store may hold another file under this digest`);
  }
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + len))) as Header;
  } catch (e) {
    throw new DataFormatError(`kiln data header is not JSON: ${(e as Error).message}`, { cause: e });
  }
  const views = header.buffers.map((b, i) => {
    const Ctor = TYPED[b.type];
    if (!Ctor || b.offset % 8 !== 0 || b.offset + b.length * Ctor.BYTES_PER_ELEMENT > bytes.length) {
      throw new DataFormatError(`kiln data buffer ${i} (${b.type} at ${b.offset}) is out of bounds or unaligned`);
    }
    return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset + b.offset, b.length);
  });
  return {
    n: header.n,
    X: decodeNode(header.X, views, 'X'),
    y: decodeNode(header.y, views, 'y'),
    fitParams: Object.fromEntries(Object.entries(header.fitParams).map(([k, v]) => [k, decodeNode(v, views, `fitParams.${k}`)])),
  };
}

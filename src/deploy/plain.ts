/**
 * Fitted objects (transformers, estimators, pipelines) as plain JSON-safe data and back — for
 * storing next to a model or sending over the wire. Loading never runs code from the data: only
 * the classes a model file may hold (SAVABLE_CLASSES) are rebuilt (by prototype, without running their constructors), and
 * their fields are data. Functions, native indexes and GPU buffers cannot be written; those
 * objects are refused with the path to what could not be.
 */
import { DataFormatError, ParamError } from '../core/errors.js';
import { SAVABLE_CLASSES } from './fitted-schemas.js';

const FORMAT = 'kiln-plain';
const VERSION = 1;
const TYPED = { Float64Array, Float32Array, Int32Array, Uint8Array, Uint32Array, Int8Array, Int16Array, Uint16Array } as const;
type TypedName = keyof typeof TYPED;

/** The object as plain data: `JSON.stringify(await toPlain(pipeline))` is a complete copy. */
export async function toPlain(value: unknown): Promise<{ format: string; version: number; value: unknown }> {
  return { format: FORMAT, version: VERSION, value: encode(value, 'value', new Set(), SAVABLE_CLASSES) };
}

function encodeNumber(v: number): unknown {
  return Number.isFinite(v) ? v : { $num: String(v) };
}

function encode(v: unknown, path: string, seen: Set<object>, classes: ReadonlyMap<string, { prototype: object }>): unknown {
  if (v === undefined) return { $undefined: true };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return encodeNumber(v);
  if (typeof v === 'function') throw new ParamError(`toPlain: ${path} is a function, which plain data cannot hold; rebuild it after loading`);
  if (typeof v !== 'object') throw new ParamError(`toPlain: ${path} is a ${typeof v}, which plain data cannot hold`);
  if (seen.has(v)) throw new ParamError(`toPlain: ${path} refers back to an object it is inside of`);
  seen.add(v);
  try {
    const name = v.constructor?.name;
    if (ArrayBuffer.isView(v)) {
      if (!(name in TYPED)) throw new ParamError(`toPlain: ${path} is a ${name}, which plain data cannot hold`);
      return { $typed: name, data: Array.from(v as unknown as ArrayLike<number>, encodeNumber) };
    }
    if (Array.isArray(v)) return v.map((x, i) => encode(x, `${path}[${i}]`, seen, classes));
    if (v instanceof Map)
      return { $map: [...v].map(([k, x], i) => [encode(k, `${path}.key${i}`, seen, classes), encode(x, `${path}.get(${String(k)})`, seen, classes)]) };
    if (v instanceof Set) return { $set: [...v].map((x, i) => encode(x, `${path}[${i}]`, seen, classes)) };
    const proto = Object.getPrototypeOf(v);
    const plainObject = proto === Object.prototype || proto === null;
    if (!plainObject && classes.get(name)?.prototype !== proto) {
      throw new ParamError(
        `toPlain: ${path} is a ${name}, which kiln cannot write as plain data (a live backend, native index or GPU buffer); refit after loading`,
      );
    }
    const fields = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x, `${path}.${k}`, seen, classes)]));
    if (plainObject) return { $object: fields };
    return { $instance: name, fields };
  } finally {
    seen.delete(v);
  }
}

/** Rebuilds what toPlain wrote (after JSON.parse). */
export async function fromPlain(data: unknown): Promise<unknown> {
  const d = data as { format?: unknown; version?: unknown; value?: unknown };
  if (!d || d.format !== FORMAT) throw new DataFormatError(`fromPlain: not ${FORMAT} data (format is ${JSON.stringify(d?.format)})`);
  if (d.version !== VERSION) throw new DataFormatError(`fromPlain: ${FORMAT} version ${String(d.version)} is not supported (this kiln reads ${VERSION})`);
  return decode(d.value, 'value', SAVABLE_CLASSES);
}

function decodeNumber(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  const s = (v as { $num?: unknown })?.$num;
  if (s === 'NaN' || s === 'Infinity' || s === '-Infinity') return Number(s);
  throw new DataFormatError(`fromPlain: ${path} should be a number`);
}

function decode(v: unknown, path: string, classes: ReadonlyMap<string, { prototype: object }>): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map((x, i) => decode(x, `${path}[${i}]`, classes));
  if (typeof v !== 'object') throw new DataFormatError(`fromPlain: ${path} holds a ${typeof v}`);
  const o = v as Record<string, unknown>;
  if (o.$undefined === true) return undefined;
  if ('$num' in o) return decodeNumber(o, path);
  if (typeof o.$typed === 'string') {
    const Ctor = TYPED[o.$typed as TypedName];
    if (!Ctor || !Array.isArray(o.data)) throw new DataFormatError(`fromPlain: ${path} is a malformed typed array`);
    return Ctor.from((o.data as unknown[]).map((x, i) => decodeNumber(x, `${path}[${i}]`)));
  }
  if (Array.isArray(o.$map))
    return new Map((o.$map as unknown[][]).map(([k, x], i) => [decode(k, `${path}.key${i}`, classes), decode(x, `${path}.value${i}`, classes)]));
  if (Array.isArray(o.$set)) return new Set((o.$set as unknown[]).map((x, i) => decode(x, `${path}[${i}]`, classes)));
  if (o.$object && typeof o.$object === 'object') return decodeFields(o.$object as Record<string, unknown>, path, classes, {});
  if (typeof o.$instance === 'string') {
    const Ctor = classes.get(o.$instance);
    if (!Ctor) throw new DataFormatError(`fromPlain: ${path} is a ${o.$instance}, which is not a class kiln exports`);
    if (!o.fields || typeof o.fields !== 'object') throw new DataFormatError(`fromPlain: ${path} has no fields`);
    return decodeFields(o.fields as Record<string, unknown>, path, classes, Object.create(Ctor.prototype));
  }
  throw new DataFormatError(`fromPlain: ${path} is not something toPlain writes`);
}

function decodeFields<T extends object>(fields: Record<string, unknown>, path: string, classes: ReadonlyMap<string, { prototype: object }>, into: T): T {
  for (const [k, x] of Object.entries(fields)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw new DataFormatError(`fromPlain: ${path} has a field named ${k}`);
    (into as Record<string, unknown>)[k] = decode(x, `${path}.${k}`, classes);
  }
  return into;
}

/**
 * The two walks around toPlain / fromPlain that keep typed arrays out of the JSON:
 * before saving, a copy of the object graph in which every typed array is replaced by a
 * reference `{ $kilnArray: name }` (the arrays go to the container's binary section, bit for
 * bit, each stored once even if referenced twice) and hooked estimators (state-hooks.ts) are
 * replaced by their savable fields; after loading, the references are swapped back for the
 * arrays and the hooked estimators rebuild what they hold live. The live graph is never modified.
 */
import { containerDType, type ContainerArray } from '../core/container.js';
import { ModelFormatError } from '../core/errors.js';
import { hookFor, type StateHook } from './state-hooks.js';

export const ARRAY_REF = '$kilnArray';

type Classes = ReadonlyMap<string, { prototype: object }>;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A copy of `root` with typed arrays replaced by references, and the arrays by name. */
export function extractArrays(root: unknown, classes: Classes): { value: unknown; arrays: Record<string, ContainerArray> } {
  const arrays: Record<string, ContainerArray> = {};
  const names = new Map<object, string>();
  const copies = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (ArrayBuffer.isView(v)) {
      if (!containerDType(v)) return v; // toPlain refuses it, naming where it is
      let name = names.get(v);
      if (name === undefined) {
        name = `a${names.size}`;
        names.set(v, name);
        arrays[name] = v as ContainerArray;
      }
      return { [ARRAY_REF]: name };
    }
    const seen = copies.get(v);
    if (seen !== undefined) return seen;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      copies.set(v, out);
      for (const x of v) out.push(walk(x));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map();
      copies.set(v, out);
      for (const [k, x] of v) out.set(walk(k), walk(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set();
      copies.set(v, out);
      for (const x of v) out.add(walk(x));
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    const exported = isPlainObject(v) || classes.get(v.constructor?.name)?.prototype === proto;
    if (!exported) return v; // a live resource or a foreign class: toPlain refuses it with its path
    const out = Object.create(proto) as Record<string, unknown>;
    copies.set(v, out);
    let fields = Object.fromEntries(Object.entries(v)) as Record<string, unknown>;
    const hook = hookFor(v);
    if (hook) fields = hook.save(fields);
    for (const [k, x] of Object.entries(fields)) Object.defineProperty(out, k, { value: walk(x), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return { value: walk(root), arrays };
}

function arrayRef(o: object): string | undefined {
  if (Object.getPrototypeOf(o) !== Object.prototype) return undefined;
  const keys = Object.keys(o);
  const name = (o as Record<string, unknown>)[ARRAY_REF];
  return keys.length === 1 && keys[0] === ARRAY_REF && typeof name === 'string' ? name : undefined;
}

/**
 * Replaces, in place, each reference in a freshly loaded graph by its array, then lets each
 * hooked estimator rebuild its live state; `check` sees the graph in between. Returns the (possibly replaced) root.
 */
export async function restoreArrays(
  root: unknown,
  arrays: Record<string, ContainerArray>,
  reserved: ReadonlySet<string>,
  check?: (root: unknown) => void,
): Promise<unknown> {
  const hooked: [Record<string, unknown>, StateHook, string][] = [];
  const lookup = (name: string, path: string): ContainerArray => {
    if (reserved.has(name) || !Object.hasOwn(arrays, name))
      throw new ModelFormatError(`${path} refers to an array '${name.slice(0, 100)}' the file does not hold`);
    return arrays[name];
  };
  const walk = (v: unknown, path: string): unknown => {
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i], `${path}[${i}]`);
      return v;
    }
    if (v instanceof Map) {
      const entries = [...v].map(([k, x], i) => [walk(k, `${path}.key${i}`), walk(x, `${path}.value${i}`)] as const);
      v.clear();
      for (const [k, x] of entries) v.set(k, x);
      return v;
    }
    if (v instanceof Set) {
      const items = [...v].map((x, i) => walk(x, `${path}[${i}]`));
      v.clear();
      for (const x of items) v.add(x);
      return v;
    }
    const ref = arrayRef(v);
    if (ref !== undefined) return lookup(ref, path);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = walk(o[k], `${path}.${k}`);
    if (!isPlainObject(o)) {
      const hook = hookFor(o);
      if (hook) hooked.push([o, hook, path]);
    }
    return o;
  };
  const out = walk(root, 'value');
  check?.(out); // the saved state, before any hook builds live state from it
  for (const [o, hook, path] of hooked) await hook.restore(o, path);
  return out;
}

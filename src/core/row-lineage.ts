/**
 * Where a matrix's rows came from, so that what a model derives from them can be reused. A
 * cross-validation run cuts the same train rows of its data for every candidate it tries; it
 * marks each cut with its lineage (rows `rows` of `source`), and a model that derives something
 * costly from its input alone (the hist engine's bins) computes it once per (source, rows, key)
 * and shares it among the fits. The source is an object the marker keeps unchanged while it
 * lives (a run's data); the cut itself is a fresh copy, so a fit that scribbles on its input
 * harms no other fit. What is derived must be read-only to its users, and lives as long as the
 * source does.
 */

export interface Lineage {
  /** An object standing for data that stays unchanged while it is alive (e.g. one run's data). */
  source: object;
  /** The source's rows the marked matrix holds, in order. */
  rows: Int32Array;
}

interface Entry {
  rows: Int32Array;
  value: unknown;
  bytes: number;
}

/** Derived values kept per source, at most this many bytes (past it, values are computed and not kept). */
const LINEAGE_BUDGET_BYTES = 512 * 2 ** 20;

const marks = new WeakMap<object, Lineage>();
const derived = new WeakMap<object, { entries: Map<string, Entry[]>; bytes: number }>();

/** Records that `x` holds rows `rows` of `source` (the caller made x as that copy and does not change either). */
export function markLineage(x: object, source: object, rows: Int32Array): void {
  marks.set(x, { source, rows });
}

export function lineageOf(x: object): Lineage | undefined {
  return marks.get(x);
}

function rowsHash(rows: Int32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < rows.length; i++) h = Math.imul(h ^ rows[i], 0x01000193);
  return h >>> 0;
}

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `make()` for an input with a lineage, computed once per (source, rows, key) and then shared;
 * without one, simply `make()`. `key` names everything else the value depends on (the model's
 * parameters that shape it); `bytes` is its size, counted against LINEAGE_BUDGET_BYTES. A value
 * that is a rejected promise is forgotten, so the next fit tries again.
 */
export function fromLineage<T>(x: object, key: string, bytes: number, make: () => T): T {
  const lin = marks.get(x);
  if (!lin) return make();
  let store = derived.get(lin.source);
  if (!store) derived.set(lin.source, (store = { entries: new Map(), bytes: 0 }));
  const slot = `${key}\u0000${lin.rows.length}:${rowsHash(lin.rows)}`;
  const list = store.entries.get(slot) ?? [];
  const hit = list.find((e) => sameRows(e.rows, lin.rows));
  if (hit) return hit.value as T;
  const value = make();
  if (store.bytes + bytes > LINEAGE_BUDGET_BYTES) return value;
  const entry: Entry = { rows: lin.rows, value, bytes };
  list.push(entry);
  store.entries.set(slot, list);
  store.bytes += bytes;
  if (value instanceof Promise) {
    const s = store;
    value.catch(() => {
      const at = list.indexOf(entry);
      if (at >= 0) {
        list.splice(at, 1);
        s.bytes -= bytes;
      }
    });
  }
  return value;
}

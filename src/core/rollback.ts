/**
 * A restorable snapshot of an estimator's fitted state, so that a fit, partialFit or
 * refit that fails or is aborted leaves the estimator exactly as it was before the call.
 * Training may replace fields (fit) or update arrays in place (partialFit epochs), so
 * the snapshot walks plain objects, arrays and typed arrays and keeps a copy of each;
 * other class instances (backends, matrices) are kept by reference, except Rng streams,
 * whose state is saved.
 */
import { Rng } from './prng.js';

type Restore = () => void;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The parameter fields of an Estimator, which calls never change (setParams does). */
const PARAM_FIELDS: ReadonlySet<string> = new Set(['current', 'defaults']);

/** Snapshots an estimator's (or any step's) fitted state; the result puts it back. */
export function snapshotFitted(step: object): Restore {
  return snapshotFields(step, PARAM_FIELDS);
}

/** Snapshots `root`'s own fields (minus `skip`) and everything plain they reach; the result puts them back. */
export function snapshotFields(root: object, skip: ReadonlySet<string>): Restore {
  const restores: Restore[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (v instanceof DataView) return;
      const arr = v as unknown as { slice(): typeof arr; set(src: typeof arr): void };
      const copy = arr.slice();
      restores.push(() => arr.set(copy));
    } else if (v instanceof Rng) {
      const state = v.getState();
      restores.push(() => v.setState(state));
    } else if (Array.isArray(v)) {
      const copy = [...v];
      restores.push(() => {
        v.length = 0;
        v.push(...copy);
      });
      for (const e of copy) visit(e);
    } else if (isPlainObject(v)) {
      saveFields(v as Record<string, unknown>, new Set());
    }
  };
  const saveFields = (obj: Record<string, unknown>, without: ReadonlySet<string>): void => {
    const keys = Object.keys(obj).filter((k) => !without.has(k));
    const values = keys.map((k) => obj[k]);
    restores.push(() => {
      for (const k of Object.keys(obj)) if (!without.has(k) && !keys.includes(k)) delete obj[k];
      keys.forEach((k, i) => {
        obj[k] = values[i];
      });
    });
    for (const v of values) visit(v);
  };
  saveFields(root as Record<string, unknown>, skip);
  // inner contents first, fields last: a field may be re-pointed at an object restored above
  return () => {
    for (let i = restores.length - 1; i >= 0; i--) restores[i]();
  };
}

/** Input checks shared by the metrics: lengths, labels, scores, weights, options. */
import { readMatrix } from '../core/read-matrix.js';
import { DTypeError, EmptyInputError, LengthError, ParamError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { requireFinite } from '../core/validate.js';
import { encodeLabels, type Label } from '../core/labels.js';

export function sameLength(n1: number, n2: number, a: string, b: string, fn: string): void {
  if (n1 !== n2) {
    throw new LengthError(`${fn}: ${a} has ${n1} values but ${b} has ${n2}; pass one value per sample in both`);
  }
}

/** A 1-D score or value array as finite float64 (no copy when it already is one). */
export function floats(y: ArrayLike<number>, name: string, fn: string): Float64Array {
  if (y === null || typeof y !== 'object' || typeof (y as { length?: unknown }).length !== 'number') {
    throw new DTypeError(`${fn}: ${name} must be an array of numbers`);
  }
  if (y.length === 0) throw new EmptyInputError(`${fn}: ${name} is empty; it needs at least one value`);
  const out = y instanceof Float64Array ? y : new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    if (typeof y[i] !== 'number') throw new DTypeError(`${fn}: ${name}[${i}] is ${JSON.stringify(y[i])}, expected a number`);
    if (out !== y) out[i] = y[i];
  }
  requireFinite(new Matrix(out, out.length, 1), `${fn}: ${name}`);
  return out;
}

/** Sample weights (finite, one per sample), or undefined when not given. */
export function weights(w: ArrayLike<number> | undefined, n: number, fn: string): Float64Array | undefined {
  if (w === undefined) return undefined;
  const out = floats(w, 'sampleWeight', fn);
  sameLength(n, out.length, 'the targets', 'sampleWeight', fn);
  return out;
}

export function isTable(x: unknown): x is MatrixLike {
  return x instanceof Matrix || (Array.isArray(x) && x.length > 0 && Array.isArray(x[0]));
}

/** A 1-D array as n × 1, or a Matrix / number[][] as is: finite, non-empty. */
export function table(x: ArrayLike<number> | MatrixLike, name: string, fn: string): Matrix {
  if (!isTable(x)) {
    const v = floats(x as ArrayLike<number>, name, fn);
    return new Matrix(v, v.length, 1);
  }
  const m = readMatrix(x, `${fn}: ${name}`);
  return m;
}

export function compareLabels(a: Label, b: Label): number {
  return typeof a === 'number' ? (a as number) - (b as number) : a < b ? -1 : a > b ? 1 : 0;
}

/** Checked labels: the sorted classes and each sample's index into them. */
export function labels(y: ArrayLike<Label>, name: string, fn: string): { classes: Label[]; codes: Int32Array } {
  return encodeLabels(y, `${fn}: ${name}`);
}

/**
 * yTrue and yPred as indices into their sorted union of classes (scikit-learn's unique_labels),
 * after checking lengths and that both hold the same kind of label.
 */
export function labelPair(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, fn: string, a = 'yTrue', b = 'yPred') {
  const t = labels(yTrue, a, fn),
    p = labels(yPred, b, fn);
  sameLength(yTrue.length, yPred.length, a, b, fn);
  if (typeof t.classes[0] !== typeof p.classes[0]) {
    throw new DTypeError(`${fn}: ${a} holds ${typeof t.classes[0]} labels but ${b} holds ${typeof p.classes[0]} labels; use one kind in both`);
  }
  const classes = [...new Set([...t.classes, ...p.classes])].sort(compareLabels);
  const index = new Map(classes.map((c, i) => [c, i]));
  const remap = (e: { classes: Label[]; codes: Int32Array }) => {
    const to = e.classes.map((c) => index.get(c)!);
    return e.codes.map((c) => to[c]);
  };
  return { classes, t: remap(t), p: remap(p) };
}

/** A user-given label list: non-empty, no duplicates. */
export function labelList(list: readonly Label[], fn: string, name = 'labels'): Label[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new ParamError(`${fn}: ${name} must be a non-empty array of labels`);
  }
  if (new Set(list).size !== list.length) throw new ParamError(`${fn}: ${name} has duplicates; list each label once`);
  return [...list];
}

export function oneOf<T>(value: T | undefined, allowed: readonly T[], fallback: T, name: string, fn: string): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new ParamError(`${fn}: ${name} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value;
}

/** numpy.average: the weighted mean, or the plain mean without weights. */
export function average(x: ArrayLike<number>, w?: ArrayLike<number>): number {
  let s = 0,
    sw = 0;
  if (!w) {
    for (let i = 0; i < x.length; i++) s += x[i];
    return s / x.length;
  }
  for (let i = 0; i < x.length; i++) {
    s += x[i] * w[i];
    sw += w[i];
  }
  return s / sw;
}

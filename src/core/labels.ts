/** Class labels: the label type, sorted unique classes and each sample's class code. */
import { DTypeError, EmptyInputError, NonFiniteError } from './errors.js';

/** A class label: a number or a string. */
export type Label = number | string;

export function encodeLabels(y: ArrayLike<Label>, name: string): { classes: Label[]; codes: Int32Array } {
  if (y === null || typeof y !== 'object' || typeof (y as { length?: unknown }).length !== 'number') {
    throw new DTypeError(`${name} must be an array of labels (numbers or strings)`);
  }
  if (y.length === 0) throw new EmptyInputError(`${name} is empty`);
  const kind = typeof y[0];
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v !== kind || (kind !== 'number' && kind !== 'string')) {
      throw new DTypeError(`${name}[${i}] is ${JSON.stringify(v)}; labels must be all numbers or all strings`);
    }
    if (kind === 'number' && !Number.isFinite(v as number)) throw new NonFiniteError(`${name}[${i}] is ${v}; labels must be finite`);
  }
  // One pass for the distinct labels (few), one for the codes: no copies of y. Runs of one label
  // skip the Set and Map (a boosting fit's 2.4M labels: 70 ms of lookups otherwise).
  const seen = new Set<Label>();
  for (let i = 0; i < y.length; i++) if (i === 0 || y[i] !== y[i - 1]) seen.add(y[i]);
  const classes = [...seen].sort((a, b) => (kind === 'number' ? (a as number) - (b as number) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const code = new Map(classes.map((c, i) => [c, i]));
  const codes = new Int32Array(y.length);
  let last: Label = y[0],
    lastCode = code.get(last)!;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== last) {
      last = v;
      lastCode = code.get(v)!;
    }
    codes[i] = lastCode;
  }
  return { classes, codes };
}

/** The class of each row's highest score (the first on ties, as numpy's argmax). */
export function labelsOfMaxScore(classes: readonly Label[], scores: ArrayLike<number>, rows: number, cols: number): Label[] {
  // A plain loop, not Array.from with a callback: this runs on every single-row predictSync.
  const out: Label[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < cols; k++) if (scores[r * cols + k] > scores[r * cols + best]) best = k;
    out.push(classes[best]);
  }
  return out;
}

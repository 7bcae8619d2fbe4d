/** Class labels: the label type, sorted unique classes and each sample's class code. */
import { DTypeError, EmptyInputError, NonFiniteError } from './errors.js';

/** A class label: a number or a string. */
export type Label = number | string;

/** Up to this many distinct labels, encodeLabels scans them instead of hashing. */
const FEW_CLASSES = 8;

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
  // One pass for the distinct labels (few), one for the codes: no copies of y. While there are
  // few classes a scan of them beats a Set and a Map (=== agrees with their SameValueZero on
  // finite numbers and strings).
  const few: Label[] = [];
  let seen: Set<Label> | undefined;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (seen) seen.add(v);
    else if (!few.includes(v) && few.push(v === 0 ? 0 : v) > FEW_CLASSES) seen = new Set(few); // -0 as +0, as a Set keeps it
  }
  const classes = [...(seen ?? few)].sort((a, b) =>
    kind === 'number' ? (a as number) - (b as number) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
  const codes = new Int32Array(y.length);
  if (classes.length <= FEW_CLASSES) {
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      let k = 0;
      while (classes[k] !== v) k++;
      codes[i] = k;
    }
  } else {
    const code = new Map(classes.map((c, i) => [c, i]));
    for (let i = 0; i < y.length; i++) codes[i] = code.get(y[i])!;
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

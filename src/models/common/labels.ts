/** Class labels: sorted unique classes and each sample's class code. */
import { DTypeError, EmptyInputError, NonFiniteError } from '../../core/errors.js';
import type { Label } from '../../metrics/classification.js';

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
  const classes = [...new Set(Array.from(y))].sort((a, b) =>
    kind === 'number' ? (a as number) - (b as number) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
  const code = new Map(classes.map((c, i) => [c, i]));
  return { classes, codes: Int32Array.from(Array.from(y), (v) => code.get(v)!) };
}

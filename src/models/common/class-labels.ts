/** A classifier's labels read once, shared by every classifier family (linear, svm). */
import { ParamError, ShapeError } from '../../core/errors.js';
import { encodeLabels, type Label } from '../../core/labels.js';

/** y encoded against X's rows; a classifier needs two classes or more. `name` is the call, e.g. 'LinearSVC.fit'. */
export function readClassLabels(y: ArrayLike<Label>, rows: number, name: string): { classes: Label[]; codes: Int32Array } {
  const { classes, codes } = encodeLabels(y, `${name}: y`);
  if (codes.length !== rows) throw new ShapeError(`${name}: X has ${rows} rows but y has ${codes.length} labels`);
  if (classes.length < 2) throw new ParamError(`${name}: y has a single class (${String(classes[0])}); a classifier needs at least 2`);
  return { classes, codes };
}

/**
 * Numeric transformers as ai.onnx.ml operators: the affine scalers (StandardScaler,
 * MinMaxScaler, MaxAbsScaler, RobustScaler: kiln's (x − shift) · scale is exactly the Scaler
 * operator's (X − offset) · scale) and SimpleImputer on numbers (Imputer, then the kept
 * columns). Each returns the float tensor it writes and its column count.
 */
import { NotFittedError, UnsupportedError } from '../../core/errors.js';
import { attr, type GraphBuilder } from './graph.js';

export interface Columns {
  name: string;
  cols: number;
}

export function scaler(g: GraphBuilder, affine: { shift: Float64Array; scale: Float64Array } | undefined, x: string, owner: string): Columns {
  if (!affine) throw new NotFittedError(owner);
  const [y] = g.ml('Scaler', [x], ['scaled'], [attr.floats('offset', affine.shift), attr.floats('scale', affine.scale)]);
  return { name: y, cols: affine.shift.length };
}

export interface ImputerState {
  statistics: Float64Array;
  kept: number[];
  indicator: number[];
  cols: number;
}

/** SimpleImputer on numbers: Imputer, the kept columns, then (addIndicator) 0/1 columns of the cells that were missing. */
export function imputer(g: GraphBuilder, s: ImputerState | undefined, missing: unknown, addIndicator: boolean, x: string, owner: string): Columns {
  if (!s) throw new NotFittedError(`${owner} (fitted on numbers)`);
  if (!(typeof missing === 'number') && missing !== null) throw new UnsupportedError(`${owner}: missingValues ${String(missing)} is not a number`);
  const replaced = typeof missing === 'number' ? missing : NaN;
  const stats = Array.from(s.statistics, (v) => (Number.isNaN(v) ? 0 : v));
  let [y] = g.ml('Imputer', [x], ['imputed'], [attr.floats('imputed_value_floats', stats), attr.f('replaced_value_float', replaced)]);
  if (s.kept.length !== s.cols) {
    const kept = g.constant('kept_columns', 'int64', [s.kept.length], s.kept);
    [y] = g.node('Gather', [y, kept], ['kept'], [attr.i('axis', 1)]);
  }
  if (!addIndicator || s.indicator.length === 0) return { name: y, cols: s.kept.length };
  const [isMissing] = Number.isNaN(replaced)
    ? g.node('IsNaN', [x], ['is_missing'])
    : g.node('Equal', [x, g.constant('missing_value', 'float', [], [replaced])], ['is_missing']);
  const [picked] = g.node(
    'Gather',
    [isMissing, g.constant('indicator_columns', 'int64', [s.indicator.length], s.indicator)],
    ['missing_columns'],
    [attr.i('axis', 1)],
  );
  const [flags] = g.node('Cast', [picked], ['missing_flags'], [attr.i('to', 1)]);
  const [out] = g.node('Concat', [y, flags], ['imputed_with_indicator'], [attr.i('axis', 1)]);
  return { name: out, cols: s.kept.length + s.indicator.length };
}

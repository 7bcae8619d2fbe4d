/**
 * Linear models as ai.onnx.ml LinearClassifier / LinearRegressor. The operator computes the
 * scores z = X·Wᵀ + b; kiln's probabilities follow from them:
 * - softmax of z (multinomial logistic regression) is the operator's SOFTMAX;
 * - a binary model's one score becomes the two columns [0, z], whose softmax is [1 − σ(z), σ(z)];
 * - one-vs-rest probabilities (SGD log_loss: σ; modified_huber: (clip(z, −1, 1) + 1) / 2) are
 *   normalised per row with standard operators, 1 / K where a row's sum is 0, as kiln does;
 * - models without probabilities (LinearSVC, SGD with other losses) put their decision values
 *   under `probabilities`, as skl2onnx does ([−z, z] for a binary model).
 */
import type { Label } from '../../core/labels.js';
import { attr, type GraphBuilder } from './graph.js';
import { declareClassifierOutputs, labelAttr, labelSet } from './labels.js';

export type ProbabilityMap = 'softmax' | 'logistic' | 'modified_huber' | 'none';

export interface LinearFit {
  /** columns × features, row-major. */
  coef: ArrayLike<number>;
  intercept: ArrayLike<number>;
  columns: number;
  features: number;
}

export function linearClassifier(g: GraphBuilder, fit: LinearFit, classes: readonly Label[], map: ProbabilityMap, x: string, owner: string): void {
  const set = labelSet(classes, owner);
  const K = classes.length;
  let coef = Array.from(fit.coef),
    intercept = Array.from(fit.intercept);
  if (fit.columns === 1) {
    // softmax([0, z]) = [1 − σ(z), σ(z)]; the other maps read the symmetric pair [−z, z]
    const sign = map === 'softmax' || map === 'logistic' ? 0 : -1;
    coef = [...coef.map((v) => sign * v), ...coef];
    intercept = [sign * intercept[0], intercept[0]];
  }
  const post =
    fit.columns === 1
      ? map === 'softmax' || map === 'logistic'
        ? 'SOFTMAX'
        : 'NONE'
      : map === 'softmax'
        ? 'SOFTMAX'
        : map === 'logistic'
          ? 'LOGISTIC'
          : 'NONE';
  const attrs = [
    attr.floats('coefficients', coef),
    attr.floats('intercepts', intercept),
    attr.i('multi_class', 0),
    labelAttr(set, 'classlabels_ints', 'classlabels_strings'),
    attr.s('post_transform', post),
  ];
  const needsMore = (map === 'logistic' && fit.columns > 1) || map === 'modified_huber';
  const [, z] = g.ml('LinearClassifier', [x], ['=label', needsMore ? 'scores' : '=probabilities'], attrs);
  if (needsMore) {
    let q = z;
    if (map === 'modified_huber') {
      const lo = g.constant('minus_one', 'float', [], [-1]);
      const hi = g.constant('one', 'float', [], [1]);
      const half = g.constant('half', 'float', [], [0.5]);
      [q] = g.node('Clip', [z, lo, hi], ['clipped']);
      [q] = g.node('Add', [q, hi], ['shifted']);
      [q] = g.node('Mul', [q, half], ['huber_proba']);
    }
    if (fit.columns === 1) g.node('Identity', [q], ['=probabilities']);
    else normaliseRows(g, q, K, '=probabilities');
  }
  declareClassifierOutputs(g, set);
}

/** out = q / Σrow q, or 1 / K where the row sums to 0. */
function normaliseRows(g: GraphBuilder, q: string, K: number, out: string): void {
  const axes = g.constant('axis1', 'int64', [1], [1]);
  const [sum] = g.node('ReduceSum', [q, axes], ['row_sum'], [attr.i('keepdims', 1)]);
  const zero = g.constant('zero', 'float', [], [0]);
  const [positive] = g.node('Greater', [sum, zero], ['row_positive']);
  const [ratio] = g.node('Div', [q, sum], ['row_share']);
  const uniform = g.constant('uniform', 'float', [], [1 / K]);
  g.node('Where', [positive, ratio, uniform], [out]);
}

/** A linear regressor of `columns` targets: `variable` [N, targets]. */
export function linearRegressor(g: GraphBuilder, fit: LinearFit, x: string): void {
  g.ml(
    'LinearRegressor',
    [x],
    ['=variable'],
    [attr.floats('coefficients', fit.coef), attr.floats('intercepts', fit.intercept), attr.i('targets', fit.columns), attr.s('post_transform', 'NONE')],
  );
  g.output('variable', 'float', ['N', fit.columns]);
}

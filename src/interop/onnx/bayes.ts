/**
 * Naive Bayes with standard operators, in double precision (the joint log-likelihoods are
 * large and close together; float would lose the probabilities' low digits): Cast to double,
 * the per-class log-likelihood, Softmax, Cast back to float; the label is the class of the
 * largest log-likelihood.
 */
import type { Label } from '../../core/labels.js';
import { attr, type GraphBuilder } from './graph.js';
import { declareClassifierOutputs, labelOfMax, labelSet } from './labels.js';

const DOUBLE = 11,
  FLOAT = 1;

function finish(g: GraphBuilder, jll: string, classes: readonly Label[], owner: string): void {
  const set = labelSet(classes, owner);
  const [proba] = g.node('Softmax', [jll], ['proba_double'], [attr.i('axis', 1)]);
  g.node('Cast', [proba], ['=probabilities'], [attr.i('to', FLOAT)]);
  labelOfMax(g, jll, set);
  declareClassifierOutputs(g, set);
}

/** GaussianNB: log P(c) − ½ Σ log(2π σ²) − ½ Σ (x − θ)² / σ². */
export function gaussianNB(
  g: GraphBuilder,
  m: { theta: ArrayLike<number>; variance: ArrayLike<number>; prior: ArrayLike<number>; classes: readonly Label[]; features: number },
  x: string,
  owner: string,
): void {
  const K = m.classes.length,
    p = m.features;
  const base = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let norm = 0;
    for (let c = 0; c < p; c++) norm += Math.log(2 * Math.PI * m.variance[k * p + c]);
    base[k] = Math.log(m.prior[k]) - 0.5 * norm;
  }
  const [xd] = g.node('Cast', [x], ['x_double'], [attr.i('to', DOUBLE)]);
  const [x3] = g.node('Unsqueeze', [xd, g.constant('axis1', 'int64', [1], [1])], ['x_rows_1_p']);
  const theta = g.constant('theta', 'double', [K, p], m.theta);
  const [diff] = g.node('Sub', [x3, theta], ['diff']);
  const [sq] = g.node('Mul', [diff, diff], ['diff_sq']);
  const halfInv = g.constant(
    'minus_half_inv_var',
    'double',
    [K, p],
    Array.from(m.variance, (v) => -0.5 / v),
  );
  const [scaled] = g.node('Mul', [sq, halfInv], ['scaled']);
  const [q] = g.node('ReduceSum', [scaled, g.constant('axis2', 'int64', [1], [2])], ['quad'], [attr.i('keepdims', 0)]);
  const [jll] = g.node('Add', [q, g.constant('class_base', 'double', [K], base)], ['jll']);
  finish(g, jll, m.classes, owner);
}

/** MultinomialNB: log P(c) + X · log P(feature | c)ᵀ. */
export function multinomialNB(
  g: GraphBuilder,
  m: { featureLogProb: ArrayLike<number>; classLogPrior: ArrayLike<number>; classes: readonly Label[]; features: number },
  x: string,
  owner: string,
): void {
  const K = m.classes.length,
    p = m.features;
  const t = new Float64Array(p * K);
  for (let k = 0; k < K; k++) for (let c = 0; c < p; c++) t[c * K + k] = m.featureLogProb[k * p + c];
  const [xd] = g.node('Cast', [x], ['x_double'], [attr.i('to', DOUBLE)]);
  const [prod] = g.node('MatMul', [xd, g.constant('feature_log_prob_t', 'double', [p, K], t)], ['x_flp']);
  const [jll] = g.node('Add', [prod, g.constant('class_log_prior', 'double', [K], m.classLogPrior)], ['jll']);
  finish(g, jll, m.classes, owner);
}

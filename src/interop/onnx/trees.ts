/**
 * kiln's tree models as ai.onnx.ml TreeEnsembleClassifier / TreeEnsembleRegressor.
 *
 * - A split `x <= threshold` is BRANCH_LEQ with the left child as the true branch; the f64
 *   threshold is written as the largest f32 not above it, so a float input takes the same
 *   branch as in kiln.
 * - Missing values: kiln sends NaN left or right per node; `nodes_missing_value_tracks_true`
 *   says the same (1: NaN takes the true, left, branch).
 * - Categorical (bitset) splits have no operator in ai.onnx.ml up to opset 3 (BRANCH_EQ tests
 *   one value, and a set would need its subtree copied per member): with targetOpset 5 the
 *   model is written with TreeEnsemble's BRANCH_MEMBER (trees-v5.ts), below it E_UNSUPPORTED.
 * - Gradient boosting: leaf weights are value · learning rate, `base_values` the initial
 *   scores, post_transform SOFTMAX; a binary model's one score goes through
 *   TreeEnsembleRegressor and σ (binaryBoosting).
 * - Random forests and decision trees: each leaf's class shares (or mean) · 1 / trees, summed.
 */
import { UnsupportedError } from '../../core/errors.js';
import type { Label } from '../../core/labels.js';
import type { TreeEnsemble } from '../../models/tree/ensemble.js';
import { attr, f32AtMost, type GraphBuilder } from './graph.js';
import { treeScoresV5 } from './trees-v5.js';
import { declareClassifierOutputs, labelAttr, labelOfMax, labelSet, type LabelSet } from './labels.js';

/** The fitted state every kiln tree model holds (models/tree/model.ts, FittedTrees; read by field name). */
export interface TreeState {
  ensemble: TreeEnsemble;
  baseScore: Float64Array;
  features: number;
}

interface NodeAttrs {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  values: number[];
  modes: string[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
}

function nodeAttributes(e: TreeEnsemble, owner: string): NodeAttrs {
  const a: NodeAttrs = { treeIds: [], nodeIds: [], featureIds: [], values: [], modes: [], trueIds: [], falseIds: [], missingTrue: [] };
  for (let t = 0; t < e.trees; t++) {
    const root = e.roots[t];
    for (let j = root; j < e.treeEnd(t); j++) {
      const f = e.feature[j];
      a.treeIds.push(t);
      a.nodeIds.push(j - root);
      if (f < 0) {
        a.featureIds.push(0);
        a.values.push(0);
        a.modes.push('LEAF');
        a.trueIds.push(0);
        a.falseIds.push(0);
        a.missingTrue.push(0);
        continue;
      }
      if (e.flags[j] & 2) {
        throw new UnsupportedError(
          `${owner}: tree ${t} splits feature ${f} by category set (node ${j - root}); ONNX TreeEnsemble operators up to ai.onnx.ml 3 have no set membership test. Train with categoricalFeatures: null (e.g. one-hot encode the column) to export`,
        );
      }
      a.featureIds.push(f);
      a.values.push(f32AtMost(e.threshold[j]));
      a.modes.push('BRANCH_LEQ');
      a.trueIds.push(e.left[j] - root);
      a.falseIds.push(e.right[j] - root);
      a.missingTrue.push(e.flags[j] & 1);
    }
  }
  return a;
}

function nodeAttrList(a: NodeAttrs) {
  return [
    attr.ints('nodes_treeids', a.treeIds),
    attr.ints('nodes_nodeids', a.nodeIds),
    attr.ints('nodes_featureids', a.featureIds),
    attr.floats('nodes_values', a.values),
    attr.strings('nodes_modes', a.modes),
    attr.ints('nodes_truenodeids', a.trueIds),
    attr.ints('nodes_falsenodeids', a.falseIds),
    attr.ints('nodes_missing_value_tracks_true', a.missingTrue),
  ];
}

/** Leaf weights: (tree, node, output column, weight) per leaf and channel. */
function leafWeights(e: TreeEnsemble) {
  const tree: number[] = [],
    node: number[] = [],
    id: number[] = [],
    weight: number[] = [];
  const C = e.channels;
  for (let t = 0; t < e.trees; t++) {
    const root = e.roots[t];
    for (let j = root; j < e.treeEnd(t); j++) {
      if (e.feature[j] >= 0) continue;
      for (let c = 0; c < C; c++) {
        tree.push(t);
        node.push(j - root);
        id.push(e.treeColumn[t] + c);
        weight.push(e.value[j * C + c] * e.treeWeight[t]);
      }
    }
  }
  return { tree, node, id, weight };
}

/** A tree classifier: kind 'boosting' (softmax of raw scores) or 'forest' (summed class shares). */
export function treeClassifier(g: GraphBuilder, s: TreeState, classes: readonly Label[], kind: 'boosting' | 'forest', x: string, owner: string): void {
  const e = s.ensemble;
  const set = labelSet(classes, owner);
  if (useV5(g, e, owner)) {
    const z = v5Scores(g, e, s.baseScore, x);
    if (kind === 'forest') g.node('Identity', [z], ['=probabilities']);
    else if (e.outputs === 1) binaryLink(g, z);
    else g.node('Softmax', [z], ['=probabilities'], [attr.i('axis', 1)]);
    labelOfMax(g, 'probabilities', set);
    declareClassifierOutputs(g, set);
    return;
  }
  const nodes = nodeAttributes(e, owner);
  const w = leafWeights(e);
  if (kind === 'boosting' && e.outputs === 1) {
    binaryBoosting(g, s, nodes, w, set, x);
    return;
  }
  const base = Array.from(s.baseScore);
  const attrs = [
    ...nodeAttrList(nodes),
    attr.ints('class_treeids', w.tree),
    attr.ints('class_nodeids', w.node),
    attr.ints('class_ids', w.id),
    attr.floats('class_weights', w.weight),
    labelAttr(set, 'classlabels_int64s', 'classlabels_strings'),
    attr.s('post_transform', kind === 'boosting' ? 'SOFTMAX' : 'NONE'),
  ];
  if (base.some((v) => v !== 0)) attrs.push(attr.floats('base_values', base));
  // The label is the arg-max of the probabilities: onnxruntime's own label for two classes
  // thresholds class 1's raw score (at 0.5 when all weights are positive), not kiln's rule.
  const [, proba] = g.ml('TreeEnsembleClassifier', [x], ['tree_label', '=probabilities'], attrs);
  labelOfMax(g, proba, set);
  declareClassifierOutputs(g, set);
}

/**
 * Binary boosting: the raw score z from TreeEnsembleRegressor, then [1 − σ(z), σ(z)] with
 * standard operators. (TreeEnsembleClassifier's two-class mode in onnxruntime rewrites the
 * scores and base values its own way, so kiln's link is written out instead.)
 */
function binaryBoosting(g: GraphBuilder, s: TreeState, nodes: NodeAttrs, w: ReturnType<typeof leafWeights>, set: LabelSet, x: string): void {
  const [z] = g.ml(
    'TreeEnsembleRegressor',
    [x],
    ['raw_score'],
    [
      ...nodeAttrList(nodes),
      attr.i('n_targets', 1),
      attr.ints('target_treeids', w.tree),
      attr.ints('target_nodeids', w.node),
      attr.ints('target_ids', w.id),
      attr.floats('target_weights', w.weight),
      attr.floats('base_values', s.baseScore),
      attr.s('aggregate_function', 'SUM'),
      attr.s('post_transform', 'NONE'),
    ],
  );
  labelOfMax(g, binaryLink(g, z), set);
  declareClassifierOutputs(g, set);
}

/** [1 − σ(z), σ(z)] as the graph's `probabilities`. */
function binaryLink(g: GraphBuilder, z: string): string {
  const [p1] = g.node('Sigmoid', [z], ['p1']);
  const [p0] = g.node('Sub', [g.constant('one', 'float', [], [1]), p1], ['p0']);
  return g.node('Concat', [p0, p1], ['=probabilities'], [attr.i('axis', 1)])[0];
}

/** TreeEnsemble's scores plus the base score and the one-leaf trees' constants. */
function v5Scores(g: GraphBuilder, e: TreeEnsemble, base: Float64Array, x: string): string {
  const { scores, constant } = treeScoresV5(g, e, x);
  return withBase(
    g,
    scores,
    base.map((b, c) => b + constant[c]),
  );
}

/** Scores plus the base score (when it is not 0). */
function withBase(g: GraphBuilder, z: string, base: Float64Array): string {
  if (!base.some((v) => v !== 0)) return z;
  return g.node('Add', [z, g.constant('base_score', 'float', [base.length], base)], ['raw_score'])[0];
}

/** Whether the trees need TreeEnsemble (ai.onnx.ml 5) for their categorical splits; refused below operator set 5. */
function useV5(g: GraphBuilder, e: TreeEnsemble, owner: string): boolean {
  let j = 0;
  while (j < e.nodes && !(e.feature[j] >= 0 && e.flags[j] & 2)) j++;
  if (j === e.nodes) return false;
  if (g.options.mlOpset >= 5) return true;
  let t = 0;
  while (t + 1 < e.trees && e.roots[t + 1] <= j) t++;
  throw new UnsupportedError(
    `${owner}: tree ${t} splits feature ${e.feature[j]} by category set (node ${j - e.roots[t]}); TreeEnsemble operators up to ai.onnx.ml 3 have no set membership test. Export with targetOpset: 5 (TreeEnsemble's BRANCH_MEMBER, onnxruntime 1.20 or later), or train with categoricalFeatures: null`,
  );
}

/** A tree regressor: `variable` [N, outputs] = base + Σ trees (multi-output trees write every output). */
export function treeRegressor(g: GraphBuilder, s: TreeState, x: string, owner: string, logLink = false): void {
  const e = s.ensemble;
  // A log-link loss (poisson, gamma, tweedie) predicts exp of the trees' sum: an Exp node after them.
  const out = (raw: string) => {
    if (logLink) g.node('Exp', [raw], ['=variable']);
    else g.node('Identity', [raw], ['=variable']);
  };
  if (useV5(g, e, owner)) {
    out(v5Scores(g, e, s.baseScore, x));
    g.output('variable', 'float', ['N', e.outputs]);
    return;
  }
  const nodes = nodeAttributes(e, owner);
  const w = leafWeights(e);
  const attrs = [
    ...nodeAttrList(nodes),
    attr.i('n_targets', e.outputs),
    attr.ints('target_treeids', w.tree),
    attr.ints('target_nodeids', w.node),
    attr.ints('target_ids', w.id),
    attr.floats('target_weights', w.weight),
    attr.s('aggregate_function', 'SUM'),
    attr.s('post_transform', 'NONE'),
  ];
  if (s.baseScore.some((v) => v !== 0)) attrs.push(attr.floats('base_values', s.baseScore));
  if (logLink) out(g.ml('TreeEnsembleRegressor', [x], ['raw'], attrs)[0]);
  else g.ml('TreeEnsembleRegressor', [x], ['=variable'], attrs);
  g.output('variable', 'float', ['N', e.outputs]);
}

/**
 * fromOnnx for ai.onnx.ml TreeEnsemble (operator set 5): interior nodes in nodes_* arrays, leaves
 * in leaf_* arrays (a child is a leaf where nodes_trueleafs / nodes_falseleafs say so), one
 * (target, weight) per leaf, BRANCH_MEMBER sets in membership_values (NaN after each set). The
 * graph around it tells the model kind, as toOnnx writes it: Add (the base score), then Softmax
 * (multiclass boosting), Sigmoid (binary boosting) or Identity to `probabilities` (a forest) or to
 * `variable` (a regressor); the labels are the Gather's constant.
 */
import type { Label } from '../../core/labels.js';
import { RandomForestClassifier } from '../../models/ensemble/index.js';
import { buildEnsemble, FOREIGN_LIMITS, type ForeignNode, type ForeignTree } from '../trees/foreign.js';
import { boostedClassifier, boostedRegressor } from '../trees/models.js';
import { bad, belowF32, inputFeatures, type Node, unsupported, utf8 } from './import-common.js';

/** A tensor attribute's values (float data, raw little-endian f32 or uint8, or int32 data). */
function tensorValues(n: Node, name: string, kind: 'float' | 'uint8', required = true): number[] {
  const t = n.attrs.get(name)?.t;
  if (!t) return required ? bad(`TreeEnsemble has no ${name}`) : [];
  if (t.floatData?.length) return t.floatData;
  if (t.int32Data?.length) return t.int32Data;
  const raw: number[] | undefined = t.rawData;
  if (!raw) return [];
  const bytes = Uint8Array.from(raw);
  if (kind === 'uint8') return Array.from(bytes);
  if (bytes.length % 4 !== 0) bad(`${name} raw data is not a whole number of floats`);
  return Array.from(new Float32Array(bytes.buffer, 0, bytes.length / 4));
}

export function fromTreeEnsembleV5(n: Node, graph: Record<string, any>, nodes: Node[]) {
  const ints = (name: string, required = true) => n.attrs.get(name)?.ints ?? (required ? bad(`TreeEnsemble has no ${name}`) : []);
  const features = ints('nodes_featureids'),
    trueIds = ints('nodes_truenodeids'),
    falseIds = ints('nodes_falsenodeids'),
    trueLeaf = ints('nodes_trueleafs'),
    falseLeaf = ints('nodes_falseleafs'),
    tracks = ints('nodes_missing_value_tracks_true', false),
    leafTarget = ints('leaf_targetids'),
    roots = ints('tree_roots');
  const splits = tensorValues(n, 'nodes_splits', 'float'),
    modes = tensorValues(n, 'nodes_modes', 'uint8'),
    weights = tensorValues(n, 'leaf_weights', 'float'),
    members = tensorValues(n, 'membership_values', 'float', false);
  const S = features.length,
    L = weights.length;
  if (S + L > FOREIGN_LIMITS.nodes) bad(`${S + L} nodes, more than the ${FOREIGN_LIMITS.nodes} kiln reads`);
  for (const [name, a] of [
    ['nodes_splits', splits],
    ['nodes_modes', modes],
    ['nodes_truenodeids', trueIds],
    ['nodes_falsenodeids', falseIds],
    ['nodes_trueleafs', trueLeaf],
    ['nodes_falseleafs', falseLeaf],
  ] as const) {
    if (a.length !== S) bad(`${name} has ${a.length} entries, nodes_featureids ${S}`);
  }
  if (leafTarget.length !== L) bad('leaf_targetids and leaf_weights differ in length');
  if ((n.attrs.get('aggregate_function')?.i ?? 1) !== 1) unsupported('TreeEnsemble aggregate_function other than SUM');
  if ((n.attrs.get('post_transform')?.i ?? 0) !== 0) unsupported('TreeEnsemble post_transform other than NONE');
  const outputs = n.attrs.get('n_targets')?.i ?? bad('TreeEnsemble has no n_targets');
  if (!(Number.isInteger(outputs) && outputs >= 1 && outputs <= FOREIGN_LIMITS.outputs)) bad(`n_targets ${outputs}`);
  // the sets of the BRANCH_MEMBER nodes, in node order
  const sets = new Map<number, number[]>();
  let at = 0;
  for (let i = 0; i < S; i++) {
    if (modes[i] !== 6) continue;
    const set: number[] = [];
    while (at < members.length && !Number.isNaN(members[at])) set.push(members[at++]);
    at++;
    if (set.length === 0) bad(`BRANCH_MEMBER node ${i} has no values`);
    if (!set.every((v) => Number.isInteger(v) && v >= 0)) unsupported(`BRANCH_MEMBER node ${i} holds values that are not category codes`);
    sets.set(i, set);
  }

  const trees: ForeignTree[] = roots.map((root, ti) => {
    if (!(Number.isInteger(root) && root >= 0 && root < Math.max(S, L))) bad(`tree_roots[${ti}] = ${root} is out of range`);
    const out: ForeignNode[] = [];
    const targets = new Set<number>();
    // the root whose two children are equal is a leaf (onnxruntime's convention)
    const rootIsLeaf = root < S ? trueIds[root] === falseIds[root] : true;
    const seenNode = new Set<number>(),
      seenLeaf = new Set<number>();
    const place = (leaf: boolean, index: number, depth = 0): number => {
      const slot = out.length;
      if (depth > FOREIGN_LIMITS.depth) bad(`tree ${ti} is deeper than ${FOREIGN_LIMITS.depth}`);
      const seen = leaf ? seenLeaf : seenNode;
      if (seen.has(index)) bad(`tree ${ti} reaches ${leaf ? 'leaf' : 'node'} ${index} twice (a cycle or a shared subtree)`);
      seen.add(index);
      if (leaf) {
        if (!(Number.isInteger(index) && index >= 0 && index < L)) bad(`tree ${ti} reaches leaf ${index} of ${L}`);
        targets.add(leafTarget[index]);
        out.push({ leaf: true, value: weights[index] });
        return slot;
      }
      if (!(Number.isInteger(index) && index >= 0 && index < S)) bad(`tree ${ti} reaches node ${index} of ${S}`);
      out.push({ leaf: true, value: 0 }); // replaced below, once the children have slots
      const mode = modes[index],
        nanTrue = tracks[index] === 1;
      const t = place(trueLeaf[index] === 1, trueIds[index], depth + 1);
      const f = place(falseLeaf[index] === 1, falseIds[index], depth + 1);
      const th = splits[index],
        feature = features[index];
      let node: ForeignNode;
      if (mode === 0) node = { leaf: false, feature, threshold: th, missingLeft: nanTrue, left: t, right: f };
      else if (mode === 1) node = { leaf: false, feature, threshold: belowF32(th), missingLeft: nanTrue, left: t, right: f };
      else if (mode === 2) node = { leaf: false, feature, threshold: belowF32(th), missingLeft: !nanTrue, left: f, right: t };
      else if (mode === 3) node = { leaf: false, feature, threshold: th, missingLeft: !nanTrue, left: f, right: t };
      else if (mode === 6) node = { leaf: false, feature, leftCategories: sets.get(index)!, missingLeft: nanTrue, left: t, right: f };
      else return unsupported(`node ${index} uses branch mode ${mode} (EQ/NEQ), which kiln's trees do not test`);
      out[slot] = node;
      return slot;
    };
    if (rootIsLeaf) place(true, root);
    else place(false, root);
    if (targets.size > 1) unsupported(`tree ${ti} writes to several targets`);
    return { nodes: out, column: [...targets][0] ?? 0, weight: 1 };
  });
  if (trees.length === 0) bad('TreeEnsemble has no trees');
  const featuresIn = inputFeatures(graph, n.input[0], Math.max(1, ...features.map((f) => f + 1)));
  const ensemble = buildEnsemble(trees, outputs, featuresIn, 'fromOnnx');

  // what follows the operator
  const consumer = (name: string) => nodes.find((m) => m.input.includes(name));
  let next = consumer(n.output[0]);
  let base = new Float64Array(outputs);
  if (next?.opType === 'Add') {
    const init = (graph.initializer ?? []).find((t: Record<string, any>) => next!.input.includes(t.name));
    const values: number[] = init?.floatData ?? [];
    if (values.length !== outputs) bad('the base score after TreeEnsemble has the wrong length');
    base = Float64Array.from(values);
    next = consumer(next.output[0]);
  }
  const gather = nodes.find((m) => m.opType === 'Gather');
  const init = (graph.initializer ?? []).find((t: Record<string, any>) => t.name === gather?.input[0]);
  const labels: Label[] | null = init?.int64Data?.length
    ? init.int64Data
    : init?.stringData?.length
      ? init.stringData.map((b: number[]) => utf8.decode(Uint8Array.from(b)))
      : null;
  const rounds = Math.max(1, Math.ceil(trees.length / outputs));
  if (next?.opType === 'Sigmoid' || next?.opType === 'Softmax') {
    const classes = labels ?? Array.from({ length: outputs === 1 ? 2 : outputs }, (_, i) => i);
    if (classes.length !== (outputs === 1 ? 2 : outputs)) bad('the class labels do not match the score columns');
    return boostedClassifier(ensemble, base, classes, rounds);
  }
  if (next?.opType === 'Identity' && next.output[0] === 'probabilities') {
    const classes = labels ?? Array.from({ length: outputs }, (_, i) => i);
    if (classes.length !== outputs) bad('the class labels do not match the score columns');
    const m = new RandomForestClassifier({ nEstimators: rounds });
    Object.assign(m, { state: { ensemble, baseScore: base, features: featuresIn, classes } });
    return m;
  }
  if (outputs !== 1) unsupported('a TreeEnsemble regressor with several targets');
  return boostedRegressor(ensemble, base[0], trees.length);
}

/**
 * fromOnnx: the inverse of toOnnx for one tree-ensemble or linear operator reading the graph's
 * float input — kiln's own exports and models of that shape from other tools (skl2onnx, ...):
 * - TreeEnsembleRegressor (SUM or AVERAGE, one target) → GradientBoostingRegressor; followed by
 *   Sigmoid (kiln's binary boosting) → a binary GradientBoostingClassifier;
 * - TreeEnsembleClassifier: SOFTMAX with each tree writing one class → GradientBoostingClassifier
 *   (two classes: the difference of the two columns); NONE → RandomForestClassifier (summed class weights);
 * - LinearRegressor → LinearRegression; LinearClassifier with SOFTMAX (or LOGISTIC on one
 *   score column) → LogisticRegression.
 * - TreeEnsemble (ai.onnx.ml 5, what toOnnx writes for categorical splits; import-v5.ts), with
 *   its BRANCH_MEMBER sets as kiln's categorical splits.
 * Branch modes LEQ, LT, GT and GTE are read (ONNX compares in f32: LT and GTE thresholds become
 * the next f32 below); EQ and NEQ, other post transforms and graphs with more operators
 * (preprocessing steps) are E_UNSUPPORTED; bytes that are not a readable model, E_MODEL_FORMAT.
 */
import type { Label } from '../../core/labels.js';
import { RandomForestClassifier } from '../../models/ensemble/index.js';
import { LinearRegression, LogisticRegression } from '../../models/linear/index.js';
import { buildEnsemble, FOREIGN_LIMITS, type ForeignNode, type ForeignTree } from '../trees/foreign.js';
import { boostedClassifier, boostedRegressor } from '../trees/models.js';
import { type Attrs, bad, belowF32, inputFeatures, type Node, SOURCE, unsupported, utf8 } from './import-common.js';
import { fromTreeEnsembleV5 } from './import-v5.js';
import { ModelProto } from './proto.js';

function decode(bytes: Uint8Array) {
  try {
    const m = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Array, defaults: false, arrays: true });
    return m as Record<string, any>;
  } catch (err) {
    return bad(`not a readable ONNX model (${(err as Error).message})`);
  }
}

function readNodes(graph: Record<string, any>): Node[] {
  return (graph.node ?? []).map((n: Record<string, any>) => {
    const attrs: Attrs = new Map();
    for (const a of n.attribute ?? []) {
      attrs.set(a.name, {
        f: a.f,
        i: a.i,
        s: a.s ? utf8.decode(Uint8Array.from(a.s)) : undefined,
        floats: a.floats,
        ints: a.ints,
        strings: a.strings?.map((b: number[]) => utf8.decode(Uint8Array.from(b))),
        t: a.t,
      });
    }
    return { opType: n.opType ?? '', domain: n.domain ?? '', input: n.input ?? [], output: n.output ?? [], attrs };
  });
}

const ints = (n: Node, name: string, required = true): number[] => n.attrs.get(name)?.ints ?? (required ? bad(`${n.opType} has no ${name}`) : []);
const floats = (n: Node, name: string, required = true): number[] => n.attrs.get(name)?.floats ?? (required ? bad(`${n.opType} has no ${name}`) : []);
const str = (n: Node, name: string, dflt: string): string => n.attrs.get(name)?.s ?? dflt;

function labelsOf(n: Node): Label[] {
  const i = n.attrs.get('classlabels_int64s')?.ints ?? n.attrs.get('classlabels_ints')?.ints;
  const s = n.attrs.get('classlabels_strings')?.strings;
  const labels: Label[] = i?.length ? i : s?.length ? s : bad(`${n.opType} has no class labels`);
  if (new Set(labels).size !== labels.length) bad(`${n.opType} repeats a class label`);
  return labels;
}

/** Trees of a TreeEnsemble operator: per tree, its nodes with leaves holding a value per column. */
function readTrees(n: Node, prefix: 'class' | 'target', columns: number) {
  const treeIds = ints(n, 'nodes_treeids'),
    nodeIds = ints(n, 'nodes_nodeids'),
    featureIds = ints(n, 'nodes_featureids'),
    modes = n.attrs.get('nodes_modes')?.strings ?? bad(`${n.opType} has no nodes_modes`),
    values = floats(n, 'nodes_values'),
    trueIds = ints(n, 'nodes_truenodeids'),
    falseIds = ints(n, 'nodes_falsenodeids');
  const N = treeIds.length;
  if (N > FOREIGN_LIMITS.nodes) bad(`${N} nodes, more than the ${FOREIGN_LIMITS.nodes} kiln reads`);
  for (const [name, a] of [
    ['nodes_nodeids', nodeIds],
    ['nodes_featureids', featureIds],
    ['nodes_modes', modes],
    ['nodes_values', values],
    ['nodes_truenodeids', trueIds],
    ['nodes_falsenodeids', falseIds],
  ] as const) {
    if (a.length !== N) bad(`${name} has ${a.length} entries, nodes_treeids ${N}`);
  }
  const tracks = ints(n, 'nodes_missing_value_tracks_true', false);
  const wTree = ints(n, `${prefix}_treeids`),
    wNode = ints(n, `${prefix}_nodeids`),
    wId = ints(n, `${prefix}_ids`),
    w = floats(n, `${prefix}_weights`);
  if (wNode.length !== wTree.length || wId.length !== wTree.length || w.length !== wTree.length) bad(`the ${prefix}_* lists differ in length`);
  const trees = new Map<number, Map<number, number>>(); // tree id → node id → position
  for (let k = 0; k < N; k++) {
    let t = trees.get(treeIds[k]);
    if (!t) trees.set(treeIds[k], (t = new Map()));
    if (t.has(nodeIds[k])) bad(`tree ${treeIds[k]} repeats node ${nodeIds[k]}`);
    t.set(nodeIds[k], k);
  }
  const leafValues = new Map<number, number[]>(); // position → per column
  for (let k = 0; k < wTree.length; k++) {
    const at = trees.get(wTree[k])?.get(wNode[k]) ?? bad(`weight ${k} names tree ${wTree[k]} node ${wNode[k]}, which does not exist`);
    if (!(Number.isInteger(wId[k]) && wId[k] >= 0 && wId[k] < columns)) bad(`weight ${k} writes to column ${wId[k]} of ${columns}`);
    let v = leafValues.get(at);
    if (!v) leafValues.set(at, (v = new Array(columns).fill(0)));
    v[wId[k]] += w[k];
  }
  let features = 0;
  const out: { nodes: ForeignNode[]; columns: Set<number> }[] = [];
  for (const [tid, ids] of [...trees.entries()].sort((a, b) => a[0] - b[0])) {
    const positions = [...ids.values()];
    const referenced = new Set<number>();
    for (const p of positions) if (modes[p] !== 'LEAF') referenced.add(ids.get(trueIds[p]) ?? -1).add(ids.get(falseIds[p]) ?? -1);
    const roots = positions.filter((p) => !referenced.has(p));
    if (roots.length !== 1) bad(`tree ${tid} has ${roots.length} roots`);
    // the root first: buildEnsemble starts from node 0
    const order = [roots[0], ...positions.filter((p) => p !== roots[0])];
    const index = new Map(order.map((p, i) => [p, i]));
    const used = new Set<number>();
    const nodes: ForeignNode[] = order.map((p) => {
      if (modes[p] === 'LEAF') {
        const v = leafValues.get(p) ?? new Array(columns).fill(0);
        v.forEach((x, c) => x !== 0 && used.add(c));
        return { leaf: true, value: v };
      }
      const t = index.get(ids.get(trueIds[p]) ?? -1) ?? bad(`tree ${tid} node ${nodeIds[p]} has an unknown true child`);
      const f = index.get(ids.get(falseIds[p]) ?? -1) ?? bad(`tree ${tid} node ${nodeIds[p]} has an unknown false child`);
      const feature = featureIds[p];
      features = Math.max(features, feature + 1);
      const nanTrue = tracks[p] === 1;
      const th = values[p];
      switch (modes[p]) {
        case 'BRANCH_LEQ':
          return { leaf: false, feature, threshold: th, missingLeft: nanTrue, left: t, right: f };
        case 'BRANCH_LT':
          return { leaf: false, feature, threshold: belowF32(th), missingLeft: nanTrue, left: t, right: f };
        case 'BRANCH_GT':
          return { leaf: false, feature, threshold: th, missingLeft: !nanTrue, left: f, right: t };
        case 'BRANCH_GTE':
          return { leaf: false, feature, threshold: belowF32(th), missingLeft: !nanTrue, left: f, right: t };
        case 'BRANCH_EQ':
        case 'BRANCH_NEQ':
          return unsupported(`tree ${tid} uses ${modes[p]}, which kiln's trees do not test`);
        default:
          return bad(`tree ${tid} has node mode ${JSON.stringify(modes[p]).slice(0, 30)}`);
      }
    });
    out.push({ nodes, columns: used });
  }
  return { trees: out, features };
}

/** A kiln model from ONNX bytes holding one tree-ensemble or linear operator (see the module comment). */
export function fromOnnx(bytes: Uint8Array) {
  if (!(bytes instanceof Uint8Array)) bad('the model must be bytes (a Uint8Array or Buffer)');
  const model = decode(bytes);
  const graph = model.graph ?? bad('the model has no graph');
  const nodes = readNodes(graph);
  const CORE = ['TreeEnsembleRegressor', 'TreeEnsembleClassifier', 'LinearRegressor', 'LinearClassifier', 'TreeEnsemble'];
  const core = nodes.filter((n) => CORE.includes(n.opType) && n.domain === 'ai.onnx.ml');
  if (core.length !== 1) unsupported(`the graph has ${core.length} tree-ensemble or linear operators; fromOnnx reads graphs of exactly one`);
  const n = core[0];
  const others = nodes.filter((m) => m !== n).map((m) => m.opType);
  const allowed = new Set([
    'Sigmoid',
    'Sub',
    'Concat',
    'ArgMax',
    'Gather',
    'Identity',
    'Cast',
    'ZipMap',
    'Softmax',
    'Normalizer',
    ...(n.opType === 'TreeEnsemble' ? ['Add'] : []),
  ]);
  const foreign = others.find((op) => !allowed.has(op));
  if (foreign) unsupported(`the graph also holds ${foreign}; fromOnnx reads one model operator (preprocessing steps are not read back)`);
  if (n.opType === 'TreeEnsemble') return fromTreeEnsembleV5(n, graph, nodes);
  const post = str(n, 'post_transform', 'NONE');

  if (n.opType === 'LinearRegressor' || n.opType === 'LinearClassifier') {
    const coef = floats(n, 'coefficients'),
      intercepts = floats(n, 'intercepts', false);
    if (n.opType === 'LinearRegressor') {
      if (post !== 'NONE') unsupported(`LinearRegressor post_transform ${post}`);
      const targets = n.attrs.get('targets')?.i ?? 1;
      if (!(targets >= 1 && coef.length % targets === 0 && coef.length > 0)) bad('LinearRegressor coefficients do not split into its targets');
      const p = coef.length / targets;
      const m = new LinearRegression();
      Object.assign(m, {
        state: {
          coef: Float64Array.from(coef),
          intercept: Float64Array.from({ length: targets }, (_, t) => intercepts[t] ?? 0),
          outputs: targets,
          oneD: targets === 1,
          nFeatures: p,
        },
        rank: p,
      });
      return m;
    }
    const classes = labelsOf(n),
      K = classes.length,
      rows = intercepts.length || 1;
    if (coef.length % rows !== 0 || coef.length === 0) bad('LinearClassifier coefficients do not split into its classes');
    const p = coef.length / rows;
    let c: number[], b: number[];
    if (post === 'SOFTMAX' && rows === K && K === 2) {
      c = coef.slice(p).map((v, j) => v - coef[j]);
      b = [(intercepts[1] ?? 0) - (intercepts[0] ?? 0)];
    } else if (post === 'SOFTMAX' && rows === K) {
      c = coef;
      b = intercepts.length ? intercepts : new Array(K).fill(0);
    } else if (post === 'LOGISTIC' && rows === 1 && K === 2) {
      c = coef;
      b = [intercepts[0] ?? 0];
    } else {
      return unsupported(`LinearClassifier with post_transform ${post} and ${rows} score column(s) for ${K} classes is not a logistic regression kiln holds`);
    }
    const scores = b.length;
    const m = new LogisticRegression();
    Object.assign(m, { state: { classes, coef: Float64Array.from(c), intercept: Float64Array.from(b), scores, nFeatures: p, nIter: 0 } });
    return m;
  }

  if (n.opType === 'TreeEnsembleRegressor') {
    if ((n.attrs.get('n_targets')?.i ?? 1) !== 1) unsupported('TreeEnsembleRegressor with several targets');
    if (post !== 'NONE') unsupported(`TreeEnsembleRegressor post_transform ${post}`);
    const agg = str(n, 'aggregate_function', 'SUM');
    if (agg !== 'SUM' && agg !== 'AVERAGE') unsupported(`aggregate_function ${agg}`);
    const { trees, features } = readTrees(n, 'target', 1);
    const weight = agg === 'AVERAGE' ? 1 / trees.length : 1;
    const p = inputFeatures(graph, n.input[0], features);
    const ensemble = buildEnsemble(
      trees.map((t) => ({ nodes: t.nodes, column: 0, weight })),
      1,
      p,
      SOURCE,
    );
    const base = floats(n, 'base_values', false)[0] ?? 0;
    const sigmoid = nodes.find((m) => m.opType === 'Sigmoid' && m.input[0] === n.output[0]);
    if (!sigmoid) return boostedRegressor(ensemble, base, trees.length);
    // kiln's binary boosting: the labels are the Gather's constant
    const gather = nodes.find((m) => m.opType === 'Gather');
    const init = (graph.initializer ?? []).find((t: Record<string, any>) => t.name === gather?.input[0]);
    const labels: Label[] = init?.int64Data?.length
      ? init.int64Data
      : init?.stringData?.length
        ? init.stringData.map((b: number[]) => utf8.decode(Uint8Array.from(b)))
        : [0, 1];
    if (labels.length !== 2) bad('a binary classifier needs two labels');
    return boostedClassifier(ensemble, Float64Array.of(base), labels, trees.length);
  }

  // TreeEnsembleClassifier
  const classes = labelsOf(n),
    K = classes.length;
  const { trees, features } = readTrees(n, 'class', K);
  const p = inputFeatures(graph, n.input[0], features);
  const base = floats(n, 'base_values', false);
  if (base.length !== 0 && base.length !== K) bad(`base_values has ${base.length} entries for ${K} classes`);
  if (post === 'SOFTMAX') {
    // each tree adds to one class column
    const column = trees.map((t, ti) => (t.columns.size <= 1 ? ([...t.columns][0] ?? 0) : unsupported(`tree ${ti} writes to several classes under SOFTMAX`)));
    const pick = (t: (typeof trees)[number], c: number): ForeignNode[] => t.nodes.map((x) => (x.leaf ? { leaf: true, value: (x.value as number[])[c] } : x));
    let foreign: ForeignTree[], outputs: number, baseScore: Float64Array;
    if (K === 2) {
      // softmax([s0, s1]) = σ(s1 − s0): class-0 trees count negatively in one column
      foreign = trees.map((t, ti) => ({ nodes: pick(t, column[ti]), column: 0, weight: column[ti] === 1 ? 1 : -1 }));
      outputs = 1;
      baseScore = Float64Array.of((base[1] ?? 0) - (base[0] ?? 0));
    } else {
      foreign = trees.map((t, ti) => ({ nodes: pick(t, column[ti]), column: column[ti], weight: 1 }));
      outputs = K;
      baseScore = Float64Array.from({ length: K }, (_, c) => base[c] ?? 0);
    }
    return boostedClassifier(buildEnsemble(foreign, outputs, p, SOURCE), baseScore, classes, Math.ceil(trees.length / outputs));
  }
  if (post !== 'NONE') unsupported(`TreeEnsembleClassifier post_transform ${post}`);
  const ensemble = buildEnsemble(
    trees.map((t) => ({ nodes: t.nodes, column: 0, weight: 1 })),
    K,
    p,
    SOURCE,
    K,
  );
  const m = new RandomForestClassifier({ nEstimators: trees.length });
  Object.assign(m, { state: { ensemble, baseScore: Float64Array.from({ length: K }, (_, c) => base[c] ?? 0), features: p, classes } });
  return m;
}

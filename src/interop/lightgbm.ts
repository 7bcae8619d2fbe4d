/**
 * fromLightGBM: LightGBM's text model (`save_model('m.txt')`, versions v3/v4) → a kiln
 * GradientBoostingClassifier / GradientBoostingRegressor with the same raw scores.
 *
 * - Objectives: binary (sigmoid:s: the trees' weight is s, so kiln's σ(z) is LightGBM's
 *   σ(s · score)), multiclass (softmax), and the identity-link regressions (regression,
 *   regression_l1, huber, fair, quantile, mape). Log links (poisson, gamma, tweedie),
 *   multiclassova, cross_entropy and ranking are E_UNSUPPORTED; anything else E_MODEL_FORMAT.
 *   The initial score lives in the first trees' leaves, as LightGBM writes it; average_output
 *   (random-forest mode) averages the iterations.
 * - decision_type bits: 1 categorical, 2 default left, bits 2–3 the missing type. Missing type
 *   None: NaN is read as 0, so it goes where 0 goes; NaN: it goes the default way; Zero: zeros
 *   (and NaN) go the default way, which kiln can express only where the default is where 0 goes
 *   by the threshold anyway (otherwise E_UNSUPPORTED).
 * - Categorical splits: the category codes in cat_threshold[cat_boundaries[k] ..] go left,
 *   NaN and negative values right (LightGBM ≥ 3). LightGBM truncates a fractional code; kiln
 *   sends it right.
 */
import { ModelFormatError, UnsupportedError } from '../core/errors.js';
import type { GradientBoostingClassifier, GradientBoostingRegressor } from '../models/ensemble/index.js';
import { buildEnsemble, checkCount, FOREIGN_LIMITS, type ForeignNode, type ForeignTree } from './trees/foreign.js';
import { boostedClassifier, boostedRegressor } from './trees/models.js';

const SOURCE = 'fromLightGBM';
const IDENTITY = new Set(['regression', 'regression_l2', 'regression_l1', 'huber', 'fair', 'quantile', 'mape', 'l2', 'l1', 'mean_squared_error', 'mse', 'mae']);
const UNSUPPORTED = new Set([
  'poisson',
  'gamma',
  'tweedie',
  'multiclassova',
  'cross_entropy',
  'xentropy',
  'cross_entropy_lambda',
  'lambdarank',
  'rank_xendcg',
  'custom',
]);
const ZERO = 1e-35;

const bad = (msg: string): never => {
  throw new ModelFormatError(`${SOURCE}: ${msg}`);
};

function num(s: string, what: string): number {
  const v = s === 'inf' || s === '+inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
  if (s === '' || Number.isNaN(v)) bad(`${what}: ${JSON.stringify(s.slice(0, 30))} is not a number`);
  return v;
}

/** A tree block's `key=value` lines. */
function fields(lines: string[], what: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of lines) {
    const i = line.indexOf('=');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
    else if (line.trim() !== '') m.set(line.trim(), '');
  }
  if (m.size === 0) bad(`${what} is empty`);
  return m;
}

function list(f: Map<string, string>, key: string, len: number, what: string): number[] {
  const raw = f.get(key);
  if (raw === undefined) bad(`${what} has no ${key}`);
  const parts = raw!.trim() === '' ? [] : raw!.trim().split(/\s+/);
  if (parts.length !== len) bad(`${what} ${key} has ${parts.length} entries, expected ${len}`);
  return parts.map((p, i) => num(p, `${what} ${key}[${i}]`));
}

function readTree(f: Map<string, string>, ti: number): ForeignNode[] {
  const what = `tree ${ti}`;
  if ((f.get('is_linear') ?? '0') !== '0') throw new UnsupportedError(`${SOURCE}: ${what} is a linear tree (linear_tree=true); kiln's leaves hold constants`);
  const L = checkCount(num(f.get('num_leaves') ?? '', `${what} num_leaves`), FOREIGN_LIMITS.nodes, `${what} num_leaves`, SOURCE);
  if (L < 1) bad(`${what} has no leaves`);
  const leafValue = list(f, 'leaf_value', L, what);
  const leafWeight = f.has('leaf_weight') ? list(f, 'leaf_weight', L, what) : null;
  const leaves: ForeignNode[] = leafValue.map((value, i) => ({ leaf: true, value, cover: leafWeight?.[i] }));
  if (L === 1) return leaves;
  const S = L - 1;
  const feature = list(f, 'split_feature', S, what);
  const threshold = list(f, 'threshold', S, what);
  const type = list(f, 'decision_type', S, what);
  const leftC = list(f, 'left_child', S, what);
  const rightC = list(f, 'right_child', S, what);
  const gain = f.has('split_gain') ? list(f, 'split_gain', S, what) : null;
  const numCat = checkCount(num(f.get('num_cat') ?? '0', `${what} num_cat`), S, `${what} num_cat`, SOURCE);
  let bounds: number[] = [],
    catWords: number[] = [];
  if (numCat > 0) {
    bounds = list(f, 'cat_boundaries', numCat + 1, what);
    const words = bounds[numCat];
    checkCount(words, FOREIGN_LIMITS.category, `${what} cat_boundaries' last entry`, SOURCE);
    catWords = list(f, 'cat_threshold', words, what);
    for (let k = 0; k < numCat; k++)
      if (!(Number.isInteger(bounds[k]) && bounds[k] >= 0 && bounds[k] <= bounds[k + 1])) bad(`${what} cat_boundaries are not ascending`);
  }
  // internal nodes 0 .. S − 1, then the leaves: a child c ≥ 0 is internal, c < 0 is leaf ~c
  const child = (c: number) => {
    if (!Number.isInteger(c) || c >= S || ~c >= L) bad(`${what} has child ${c}, outside its ${S} splits and ${L} leaves`);
    return c >= 0 ? c : S + ~c;
  };
  const nodes: ForeignNode[] = [];
  for (let i = 0; i < S; i++) {
    const dt = type[i];
    if (!Number.isInteger(dt) || dt < 0 || dt > 15) bad(`${what} decision_type ${dt} is not a LightGBM decision type`);
    const base = { leaf: false as const, feature: feature[i], left: child(leftC[i]), right: child(rightC[i]), gain: gain?.[i] };
    if (dt & 1) {
      const k = threshold[i];
      if (!(Number.isInteger(k) && k >= 0 && k < numCat)) bad(`${what} split ${i} points at category set ${k} of ${numCat}`);
      const cats: number[] = [];
      for (let w = bounds[k]; w < bounds[k + 1]; w++) {
        const bits = catWords[w];
        if (!(Number.isInteger(bits) && bits >= 0 && bits < 2 ** 32)) bad(`${what} cat_threshold[${w}] is not a 32-bit word`);
        for (let b = 0; b < 32; b++) if ((bits >>> b) & 1) cats.push(32 * (w - bounds[k]) + b);
      }
      nodes.push({ ...base, leftCategories: cats, missingLeft: false });
      continue;
    }
    const t = threshold[i];
    const missing = (dt >> 2) & 3,
      defaultLeft = (dt & 2) !== 0;
    let missingLeft: boolean;
    if (missing === 2) missingLeft = defaultLeft;
    else if (missing === 0) missingLeft = 0 <= t;
    else if (missing === 1 && (defaultLeft ? t >= ZERO : t < -ZERO)) missingLeft = defaultLeft;
    else if (missing === 1) {
      throw new UnsupportedError(`${SOURCE}: ${what} split ${i} sends zeros (zero_as_missing) against its threshold ${t}; kiln's trees cannot express that`);
    } else return bad(`${what} split ${i} has missing type ${missing}`);
    nodes.push({ ...base, threshold: t, missingLeft });
  }
  return nodes.concat(leaves);
}

/** A kiln model from LightGBM's text model. Malformed or hostile text is E_MODEL_FORMAT; what kiln cannot express, E_UNSUPPORTED. */
export function fromLightGBM(text: string | Uint8Array): GradientBoostingClassifier | GradientBoostingRegressor {
  const s = typeof text === 'string' ? text : text instanceof Uint8Array ? new TextDecoder().decode(text) : bad('the model must be a string or bytes');
  const lines = s.split(/\r?\n/);
  if (lines[0]?.trim() !== 'tree') bad("the text does not start with 'tree': not a LightGBM text model");
  // header: key=value lines up to the first tree
  let at = 1;
  const headerLines: string[] = [];
  while (at < lines.length && !lines[at].startsWith('Tree=')) {
    if (lines[at].startsWith('end of trees')) break;
    headerLines.push(lines[at++]);
  }
  const header = fields(headerLines, 'the header');
  const objectiveLine = (header.get('objective') ?? bad('the header has no objective')).trim().split(/\s+/);
  const objective = objectiveLine[0];
  const option = (key: string) => objectiveLine.find((o) => o.startsWith(`${key}:`))?.slice(key.length + 1);
  const perIteration = checkCount(
    num(header.get('num_tree_per_iteration') ?? '1', 'num_tree_per_iteration'),
    FOREIGN_LIMITS.outputs,
    'num_tree_per_iteration',
    SOURCE,
  );
  const numClass = checkCount(num(header.get('num_class') ?? '1', 'num_class'), FOREIGN_LIMITS.outputs, 'num_class', SOURCE);
  const features = checkCount(num(header.get('max_feature_idx') ?? '', 'max_feature_idx') + 1, FOREIGN_LIMITS.features, 'max_feature_idx + 1', SOURCE);
  const averaged = header.has('average_output');

  const blocks: string[][] = [];
  while (at < lines.length && lines[at].startsWith('Tree=')) {
    if (num(lines[at].slice(5), 'Tree=') !== blocks.length) bad(`tree blocks out of order at ${JSON.stringify(lines[at].slice(0, 20))}`);
    checkCount(blocks.length + 1, FOREIGN_LIMITS.trees, 'the number of trees', SOURCE);
    const block: string[] = [];
    at++;
    while (at < lines.length && !lines[at].startsWith('Tree=') && !lines[at].startsWith('end of trees')) block.push(lines[at++]);
    blocks.push(block);
  }
  if (!lines[at]?.startsWith('end of trees')) bad("no 'end of trees' line: the text is truncated");
  if (blocks.length === 0) bad('the model has no trees');

  let outputs = 1,
    weight = 1,
    classes: number[] | null = null;
  if (objective === 'binary') {
    weight = num(option('sigmoid') ?? '1', 'binary sigmoid');
    if (!(weight > 0 && Number.isFinite(weight))) bad(`binary sigmoid must be a finite number > 0, got ${weight}`);
    classes = [0, 1];
  } else if (objective === 'multiclass') {
    if (numClass < 2 || perIteration !== numClass)
      bad(`multiclass needs num_class >= 2 trees per iteration, got num_class ${numClass}, num_tree_per_iteration ${perIteration}`);
    outputs = numClass;
    classes = Array.from({ length: numClass }, (_, i) => i);
  } else if (IDENTITY.has(objective)) {
    if (perIteration !== 1) bad(`${objective} needs one tree per iteration, got ${perIteration}`);
  } else if (UNSUPPORTED.has(objective)) {
    throw new UnsupportedError(`${SOURCE}: objective ${objective} has a link or an output kiln's tree models do not apply`);
  } else {
    return bad(`unknown objective ${JSON.stringify(objective).slice(0, 60)}`);
  }
  if (blocks.length % outputs !== 0) bad(`${blocks.length} trees do not make whole iterations of ${outputs}`);
  const rounds = blocks.length / outputs;
  if (averaged) weight /= rounds;
  const trees: ForeignTree[] = blocks.map((b, ti) => ({ nodes: readTree(fields(b, `tree ${ti}`), ti), column: ti % outputs, weight }));
  const ensemble = buildEnsemble(trees, outputs, features, SOURCE);
  return classes ? boostedClassifier(ensemble, new Float64Array(outputs), classes, rounds) : boostedRegressor(ensemble, 0, rounds);
}

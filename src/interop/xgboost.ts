/**
 * fromXGBoost: XGBoost's JSON model (`save_model('m.json')`, format of XGBoost 1.x/2.x) → a
 * kiln GradientBoostingClassifier / GradientBoostingRegressor predicting the same margins.
 *
 * - Objectives: binary:logistic, multi:softprob and multi:softmax (classes 0 .. K − 1), and the
 *   identity-link regressions (reg:squarederror / reg:linear, reg:squaredlogerror,
 *   reg:pseudohubererror, reg:absoluteerror). Log-link objectives (count:poisson, reg:gamma,
 *   reg:tweedie, ...) are E_UNSUPPORTED; anything else E_MODEL_FORMAT.
 * - base_score is in output space: its margin is logit(base_score) for binary:logistic, itself otherwise.
 * - XGBoost reads each value as f32 and goes left when f32(x) < threshold: kiln's `x <= t` uses
 *   the largest t with that property, so f64 rows take XGBoost's branches.
 * - Categorical splits (split_type 1): the listed categories go right, others left, NaN by
 *   default_left; written as kiln's left-going bitset with the children swapped. A value that
 *   is not a category code (negative, fractional, beyond the bitset) goes to the unlisted side in
 *   kiln, to the default side in XGBoost.
 * - dart: each tree's weight_drop becomes its weight.
 */
import { ModelFormatError, UnsupportedError } from '../core/errors.js';
import type { GradientBoostingClassifier, GradientBoostingRegressor } from '../models/ensemble/index.js';
import { buildEnsemble, checkCount, FOREIGN_LIMITS, type ForeignNode, type ForeignTree } from './trees/foreign.js';
import { parseLenientJson } from './trees/lenient-json.js';
import { boostedClassifier, boostedRegressor } from './trees/models.js';

const SOURCE = 'fromXGBoost';
const IDENTITY_REGRESSION = new Set(['reg:squarederror', 'reg:linear', 'reg:squaredlogerror', 'reg:pseudohubererror', 'reg:absoluteerror']);
const LOG_LINK = new Set([
  'count:poisson',
  'reg:gamma',
  'reg:tweedie',
  'survival:cox',
  'survival:aft',
  'reg:logistic',
  'binary:logitraw',
  'binary:hinge',
  'rank:pairwise',
  'rank:ndcg',
  'rank:map',
]);

// Untrusted JSON: every field is checked where it is read.
type Json = any;

const bad = (msg: string): never => {
  throw new ModelFormatError(`${SOURCE}: ${msg}`);
};

function numberField(v: unknown, what: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) bad(`${what} must be a number, got ${JSON.stringify(v)?.slice(0, 40)}`);
  return n as number;
}

function array(v: unknown, len: number, what: string): Json[] {
  if (!Array.isArray(v) || v.length !== len) bad(`${what} must be an array of ${len} entries`);
  return v as Json[];
}

/** The largest f64 t with x <= t exactly when Math.fround(x) < c (XGBoost's f32 comparison). */
export function xgbThreshold(c: number): number {
  if (c === -Infinity) return -Infinity;
  // the file prints the f32 threshold in decimal: its f32 is the value XGBoost compares with
  const c32 = Math.fround(c);
  if (c32 === -Infinity) return -Infinity;
  const top = c32 === Infinity ? 2 ** 128 : c32;
  const f = new Float32Array(1),
    u = new Uint32Array(f.buffer);
  f[0] = c32 === Infinity ? 3.4028234663852886e38 : top;
  // p: the largest f32 below c (for c = ∞, the largest f32 itself)
  if (c32 === Infinity) {
  } else if (top > 0) u[0] -= 1;
  else if (top === 0) u[0] = 0x80000001;
  else u[0] += 1;
  const p = f[0],
    mid = (p + top) / 2;
  // a value exactly halfway rounds to the f32 of even mantissa: p (then it goes left) or c (right)
  if ((u[0] & 1) === 0) return mid;
  const d = new Float64Array([mid]),
    w = new BigInt64Array(d.buffer);
  w[0] += mid > 0 ? -1n : mid < 0 ? 1n : 0n;
  return mid === 0 ? -Number.MIN_VALUE : d[0];
}

function readTree(t: Json, ti: number, isCat: boolean[]): ForeignNode[] {
  if (typeof t !== 'object' || t === null) bad(`tree ${ti} is not an object`);
  const n = checkCount(numberField(t.tree_param?.num_nodes, `tree ${ti} num_nodes`), FOREIGN_LIMITS.nodes, `tree ${ti} num_nodes`, SOURCE);
  const leftC = array(t.left_children, n, `tree ${ti} left_children`);
  const rightC = array(t.right_children, n, `tree ${ti} right_children`);
  const cond = array(t.split_conditions, n, `tree ${ti} split_conditions`);
  const index = array(t.split_indices, n, `tree ${ti} split_indices`);
  const dflt = array(t.default_left, n, `tree ${ti} default_left`);
  const type = t.split_type === undefined ? null : array(t.split_type, n, `tree ${ti} split_type`);
  const gain = Array.isArray(t.loss_changes) && t.loss_changes.length === n ? t.loss_changes : null;
  const hess = Array.isArray(t.sum_hessian) && t.sum_hessian.length === n ? t.sum_hessian : null;
  // categories of each categorical node: categories[segment .. segment + size)
  const cats = new Map<number, number[]>();
  if (Array.isArray(t.categories_nodes) && t.categories_nodes.length > 0) {
    const k = t.categories_nodes.length;
    const seg = array(t.categories_segments, k, `tree ${ti} categories_segments`);
    const size = array(t.categories_sizes, k, `tree ${ti} categories_sizes`);
    const all = t.categories;
    if (!Array.isArray(all)) bad(`tree ${ti} categories must be an array`);
    for (let i = 0; i < k; i++) {
      const s = seg[i],
        z = size[i];
      if (!(Number.isInteger(s) && Number.isInteger(z) && s >= 0 && z >= 0 && s + z <= all.length))
        bad(`tree ${ti} has a category segment outside its categories`);
      cats.set(t.categories_nodes[i], all.slice(s, s + z));
    }
  }
  const nodes: ForeignNode[] = [];
  for (let i = 0; i < n; i++) {
    if (leftC[i] === -1) {
      nodes.push({ leaf: true, value: numberField(cond[i], `tree ${ti} leaf ${i} value`), cover: hess?.[i] });
      continue;
    }
    const feature = index[i];
    const categorical = type ? type[i] === 1 : false;
    if (categorical) {
      const listed = cats.get(i);
      if (!listed) bad(`tree ${ti} node ${i} is categorical but lists no categories`);
      if (typeof feature === 'number' && isCat.length > 0 && isCat[feature] === false)
        bad(`tree ${ti} node ${i} splits numerical feature ${feature} by category`);
      // listed categories go right in XGBoost: they are kiln's left once the children swap
      nodes.push({
        leaf: false,
        feature,
        leftCategories: listed,
        missingLeft: dflt[i] !== 1,
        left: rightC[i],
        right: leftC[i],
        gain: gain?.[i],
        cover: hess?.[i],
      });
    } else {
      const c = cond[i];
      if (typeof c !== 'number' || Number.isNaN(c)) bad(`tree ${ti} node ${i} has threshold ${String(c)}`);
      nodes.push({
        leaf: false,
        feature,
        threshold: xgbThreshold(c),
        missingLeft: dflt[i] === 1,
        left: leftC[i],
        right: rightC[i],
        gain: gain?.[i],
        cover: hess?.[i],
      });
    }
  }
  return nodes;
}

/**
 * A kiln model from XGBoost's JSON model: the file's text or bytes, or the parsed object.
 * Malformed or hostile content is E_MODEL_FORMAT; an objective kiln's models cannot express, E_UNSUPPORTED.
 */
export function fromXGBoost(model: string | Uint8Array | object): GradientBoostingClassifier | GradientBoostingRegressor {
  let doc: Json = model;
  if (typeof model === 'string') doc = parseLenientJson(model, SOURCE);
  else if (model instanceof Uint8Array) {
    if (model[0] === 0x7b) doc = parseLenientJson(new TextDecoder().decode(model), SOURCE);
    else bad('the bytes are not XGBoost JSON (a UBJSON or binary model? save it with a .json name)');
  }
  const learner = doc?.learner;
  if (typeof learner !== 'object' || learner === null) bad('no "learner" object: not an XGBoost JSON model');
  const objective = learner.objective?.name;
  if (typeof objective !== 'string') bad('learner.objective.name is missing');
  const param = learner.learner_model_param ?? bad('learner.learner_model_param is missing');
  const features = checkCount(numberField(param.num_feature, 'num_feature'), FOREIGN_LIMITS.features, 'num_feature', SOURCE);
  const numClass = checkCount(numberField(param.num_class ?? 0, 'num_class'), FOREIGN_LIMITS.outputs, 'num_class', SOURCE);
  if (param.num_target !== undefined && numberField(param.num_target, 'num_target') !== 1)
    throw new UnsupportedError(`${SOURCE}: multi-target models (num_target ${param.num_target}) are not read`);
  // XGBoost 1.x writes "5E-1"; later versions may write a one-element vector "[5E-1]"
  let rawBase: unknown = param.base_score ?? 0.5;
  if (typeof rawBase === 'string' && rawBase.startsWith('[') && rawBase.endsWith(']')) {
    const parts = rawBase
      .slice(1, -1)
      .split(',')
      .filter((v) => v.trim() !== '');
    if (parts.length !== 1)
      throw new UnsupportedError(`${SOURCE}: base_score ${rawBase.slice(0, 40)} holds several values (a vector intercept); kiln reads one`);
    rawBase = parts[0];
  }
  const baseScore = numberField(rawBase, 'base_score');

  let booster = learner.gradient_booster;
  let weights: Json[] | null = null;
  if (booster?.name === 'dart') {
    weights = booster.weight_drop;
    booster = booster.gbtree;
  }
  if (booster?.name !== 'gbtree') {
    if (booster?.name === 'gblinear') throw new UnsupportedError(`${SOURCE}: gblinear boosters are linear models, not trees`);
    bad(`unknown gradient_booster ${JSON.stringify(booster?.name)}`);
  }
  const trees = booster.model?.trees,
    info = booster.model?.tree_info;
  if (!Array.isArray(trees) || !Array.isArray(info) || info.length !== trees.length) bad('model.trees and model.tree_info must be arrays of one length');
  checkCount(trees.length, FOREIGN_LIMITS.trees, 'the number of trees', SOURCE);
  if (weights !== null && (!Array.isArray(weights) || weights.length !== trees.length)) bad('dart weight_drop must hold one weight per tree');
  const isCat: boolean[] = Array.isArray(learner.feature_types) ? learner.feature_types.map((t: unknown) => t === 'c') : [];

  let outputs: number;
  let classes: number[] | null = null;
  if (objective === 'binary:logistic') {
    if (!(baseScore > 0 && baseScore < 1)) bad(`binary:logistic base_score must be in (0, 1), got ${baseScore}`);
    outputs = 1;
    classes = [0, 1];
  } else if (objective === 'multi:softprob' || objective === 'multi:softmax') {
    if (numClass < 2) bad(`${objective} needs num_class >= 2, got ${numClass}`);
    outputs = numClass;
    classes = Array.from({ length: numClass }, (_, i) => i);
  } else if (IDENTITY_REGRESSION.has(objective)) {
    outputs = 1;
  } else if (LOG_LINK.has(objective)) {
    throw new UnsupportedError(
      `${SOURCE}: objective ${objective} has a link kiln's tree models do not apply; export a model with binary:logistic, multi:softprob/softmax or an identity-link regression`,
    );
  } else {
    return bad(`unknown objective ${JSON.stringify(objective).slice(0, 60)}`);
  }
  const foreign: ForeignTree[] = trees.map((t: Json, ti: number) => ({
    nodes: readTree(t, ti, isCat),
    column: info[ti],
    weight: weights ? numberField(weights[ti], `weight_drop[${ti}]`) : 1,
  }));
  const ensemble = buildEnsemble(foreign, outputs, features, SOURCE);
  const rounds = Math.ceil(trees.length / outputs);
  if (classes) {
    const margin = objective === 'binary:logistic' ? Math.log(baseScore / (1 - baseScore)) : baseScore;
    return boostedClassifier(ensemble, new Float64Array(outputs).fill(margin), classes, rounds);
  }
  return boostedRegressor(ensemble, baseScore, rounds);
}

/**
 * What the fitted-state schemas of several families share (deploy/schemas/*.ts; the list and the
 * check are in deploy/fitted-schemas.ts): the ModelSchema shape, the checks of nested estimators,
 * and the specs of state more than one family holds (random generators, tree ensembles, searches).
 */
import { ModelFormatError } from '../../core/errors.js';
import { Rng } from '../../core/prng.js';
import { TreeEnsemble } from '../../models/tree/index.js';
import {
  dim,
  type Dims,
  f64,
  fail,
  type Fields,
  i32,
  instance,
  int,
  labels,
  list,
  nullable,
  num,
  record,
  rule,
  type Spec,
  str,
  typed,
} from '../fitted-schema.js';

export type Class = abstract new (...a: never[]) => object;
export interface ColumnCounts {
  inputs?: number;
  outputs?: number;
}

export interface ModelSchema {
  /** Set by fit: all absent (unfitted) or every one as stated. */
  fitted: Fields;
  /** Present whether fitted or not. */
  always?: Fields;
  /** Rules across fields, run on a fitted model after its fields pass; a composite returns its column counts. */
  // biome-ignore lint/suspicious/noConfusingVoidType: most checks return nothing; a container's returns its column counts
  check?(o: any, at: string, dims: Dims): void | ColumnCounts;
  /** The dimension naming the number of input columns, for the consistency of a Pipeline's steps. */
  inputs?: string;
  /** The number of output columns of a transformer, when the schema can state it. */
  outputs?: string | ((o: any, dims: Dims) => number | undefined);
}

/** A class and its schema, as each family's list states them. */
export type SchemaEntry = readonly [Class, ModelSchema];

// Nested estimators (a Pipeline's steps, an ensemble's members) are checked by their own class's
// schema, which only the full list in fitted-schemas.ts knows: it registers its checkModel here.
let nestedCheck: ((o: unknown, at: string) => ColumnCounts) | undefined;

export function setNestedCheck(check: (o: unknown, at: string) => ColumnCounts): void {
  nestedCheck = check;
}

/** Checks a nested estimator by its own schema; returns its column counts. */
export function checkNested(o: unknown, at: string): ColumnCounts {
  if (!nestedCheck) throw new Error('internal: fitted-schemas.ts has not registered checkModel');
  return nestedCheck(o, at);
}

export const int32 = int(-(2 ** 31), 2 ** 31 - 1);

export const rng = instance(Rng, { a: int32, b: int32, c: int32, d: int32, spareNormal: nullable(num()) });

export const below = (n: string): Spec => rule(`an integer column index below ${n}`, (v, _at, d) => Number.isSafeInteger(v) && v >= 0 && v < (d.get(n) ?? 0));

/** A nested estimator (a Pipeline's step, PowerTransformer's scaler), checked by its own schema in a scope of its own. */
export function model(...only: Class[]): Spec {
  const expects = only.length ? `a ${only.map((c) => c.name).join(' or ')}` : 'a kiln estimator or transformer';
  return {
    expects,
    check: (v, at) => {
      if (only.length && !only.some((c) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === c.prototype)) fail(at, expects, v);
      checkNested(v, at);
    },
  };
}

/** A search (GridSearchCV and kin): cv_results_ columns of one entry per candidate, the best index and the refitted model. */
export const searchFields: Fields = {
  resultsFit: rule(
    'an object of result columns (arrays or typed arrays) with one entry per candidate',
    (v) =>
      v !== null &&
      typeof v === 'object' &&
      Array.isArray(v.params) &&
      v.params.length > 0 &&
      Object.values(v).every((c: any) => (Array.isArray(c) || c instanceof Float64Array || c instanceof Int32Array) && c.length === v.params.length),
  ),
  bestIndexFit: nullable(int(0)),
  bestEstimatorFit: nullable(model()),
  refitTimeFit: num({ min: 0 }),
  nSplitsFit: int(1),
  metricsFit: list(str, undefined, { unique: true, minLength: 1 }),
  refitMetricFit: nullable(str),
};

export function checkSearch(o: any, at: string): void {
  if (o.bestIndexFit !== null && o.bestIndexFit >= o.resultsFit.params.length)
    fail(`${at}.bestIndexFit`, `an index below ${o.resultsFit.params.length}`, o.bestIndexFit);
  if (o.refitMetricFit !== null && !o.metricsFit.includes(o.refitMetricFit)) fail(`${at}.refitMetricFit`, 'one of metricsFit', o.refitMetricFit);
  if ((o.bestIndexFit === null) !== (o.refitMetricFit === null)) fail(`${at}.bestIndexFit`, 'null exactly when refitMetricFit is null', o.bestIndexFit);
}

export const search: ModelSchema = { fitted: searchFields, check: checkSearch };

// thresholds may be +Infinity (every number goes left), never NaN
export const treeEnsemble = instance(
  TreeEnsemble,
  {
    channels: dim('channels'),
    outputs: dim('o'),
    features: dim('p'),
    nodes: dim('nodes', 0),
    trees: dim('trees', 0),
    feature: i32({ len: 'nodes' }),
    threshold: f64({ len: 'nodes', allow: 'infinite' }),
    flags: typed(Uint8Array, { len: 'nodes' }),
    left: i32({ len: 'nodes' }),
    right: i32({ len: 'nodes' }),
    catOffset: i32({ len: 'nodes' }),
    catWords: i32({ len: 'nodes' }),
    catUsed: dim('catUsed', 0),
    catBits: typed(Uint32Array, { len: 'catUsed' }),
    value: f64({ len: 'nodes*channels' }),
    gain: f64({ len: 'nodes', allow: 'infinite' }),
    cover: f64({ len: 'nodes', allow: 'infinite' }),
    count: i32({ len: 'nodes' }),
    roots: i32({ len: 'trees' }),
    treeColumn: i32({ len: 'trees' }),
    treeWeight: f64({ len: 'trees' }),
  },
  (e: TreeEnsemble, at) => e.validate(at),
); // the tree walk: children inside their tree, features and bitsets in range

export const treeState = { ensemble: treeEnsemble, baseScore: f64({ len: 'o' }), features: dim('p') };

export const forestClassifier: ModelSchema = {
  fitted: { state: record({ ...treeState, classes: labels('k') }) },
  check(o, at, d) {
    if (d.get('o') !== d.get('k')) fail(`${at}.state.classes`, `one class per output column (${d.get('o')})`, o.state.classes);
  },
  inputs: 'p',
};

/** Runs a constructor on saved parameters: its own checks decide, and a refusal is a format error. */
export function rebuildWith(build: () => unknown, at: string): unknown {
  try {
    return build();
  } catch (e) {
    throw new ModelFormatError(`${at}: the saved parameters are not valid (${(e as Error)?.message ?? String(e)})`, { cause: e });
  }
}

/** Fitted-state schemas: composition (Pipeline, ColumnTransformer), resamplers, calibration and ensembles of estimators (compose/, imbalance/) (the vocabulary in ../fitted-schema.ts; the list in ../fitted-schemas.ts). */
import { CalibratedClassifierCV } from '../../compose/calibration.js';
import { ColumnTransformer } from '../../compose/column-transformer.js';
import {
  AdaBoostClassifier,
  BaggingClassifier,
  BaggingRegressor,
  ClassifierChain,
  EasyEnsembleClassifier,
  MultiOutputClassifier,
  MultiOutputRegressor,
  StackingClassifier,
  StackingRegressor,
  VotingClassifier,
  VotingRegressor,
} from '../../compose/index.js';
import { Pipeline } from '../../compose/pipeline.js';
import { ModelFormatError } from '../../core/errors.js';
import { IsotonicRegression } from '../../models/isotonic/index.js';
import { absent, bool, category, dim, f64, fail, i32, int, labels, list, num, oneOf, optional, record, rule, type Spec, str } from '../fitted-schema.js';
import { below, checkNested, model, rebuildWith, type ColumnCounts, type SchemaEntry } from './shared.js';

/** IsotonicRegression: the fitted step function, knots strictly increasing in x. */
const isotonicState = record({
  x: rule(
    'a Float64Array of finite knots, strictly increasing',
    (v) => v instanceof Float64Array && v.length > 0 && v.every((x, i) => Number.isFinite(x) && (i === 0 || x > v[i - 1])),
  ),
  y: rule('a Float64Array of finite values, one per knot', (v) => v instanceof Float64Array && v.every(Number.isFinite)),
  xMin: num(),
  xMax: num(),
  increasing: bool,
});

function checkIsotonic(o: any, at: string): void {
  const { x, y, xMin, xMax } = o.state;
  if (y.length !== x.length) fail(`${at}.state.y`, `${x.length} values (one per knot)`, y.length);
  if (!(xMin <= x[0] && xMax >= x[x.length - 1])) fail(`${at}.state`, 'xMin ≤ the first knot and xMax ≥ the last', [xMin, xMax]);
}

/** CalibratedClassifierCV: a calibrator is Platt's sigmoid (a, b) or a fitted IsotonicRegression. */
const calibrator: Spec = {
  expects: "{ kind: 'sigmoid', a, b } or { kind: 'isotonic', model }",
  check(v, at, d) {
    const kind = (v as { kind?: unknown } | null)?.kind;
    if (kind === 'sigmoid') record({ kind: oneOf('sigmoid'), a: num(), b: num() }).check(v, at, d);
    else if (kind === 'isotonic') record({ kind: oneOf('isotonic'), model: model(IsotonicRegression) }).check(v, at, d);
    else fail(at, calibrator.expects, v);
  },
};

function checkCalibrated(o: any, at: string): void {
  const { classes, pairs } = o.state;
  const perPair = classes.length === 2 ? 1 : classes.length;
  pairs.forEach((p: { calibrators: unknown[] }, i: number) => {
    if (p.calibrators.length !== perPair)
      fail(`${at}.state.pairs[${i}].calibrators`, `${perPair} calibrators for ${classes.length} classes`, p.calibrators.length);
  });
}

/** The ensembles of compose/: fitted members (each checked as a model of its own) and what combines them. */
const members = (len: string) => list(model(), len, { minLength: 1 });

const votingState = (classes: boolean) =>
  record({ names: list(str, 'm', { unique: true }), fitted: members('m'), w: f64({ len: 'm' }), ...(classes ? { classes: labels('k') } : {}) });

const stackingState = (classes: boolean) =>
  record({
    names: list(str, 'm', { unique: true }),
    fitted: members('m'),
    methods: list(oneOf('predictProba', 'decisionFunction', 'predict'), 'm'),
    final: model(),
    outputs: list(int(1), 'm'),
    ...(classes ? { classes: labels('k') } : { classes: absent }),
  });

const bagState = (classes: boolean) =>
  record({
    nFeatures: dim('p'),
    estimators: members('m'),
    features: list(i32({ min: 0, below: 'p' }), 'm'),
    samples: list(i32({ min: 0 }), 'm'),
    ...(classes ? { classes: labels('k') } : { classes: absent }),
    oob: optional(record({ score: num({ allow: 'infinite' }), values: f64({ allow: 'nan' }), cols: int(1) })),
  });

const boostState = record({
  classes: labels('k'),
  estimators: members('m'),
  weights: f64({ len: 'rounds' }),
  errors: f64({ len: 'rounds', min: 0 }),
});

/** MultiOutputClassifier / MultiOutputRegressor: one fitted member per output (and its classes). */
const multiOutputState = (classes: boolean) =>
  record({
    nFeatures: dim('p'),
    estimators: members('o'),
    ...(classes ? { classes: list(list(category, undefined, { unique: true, minLength: 1 }), 'o') } : { classes: absent }),
  });

/** ClassifierChain: the chain's order (a permutation of the outputs) and one member per link. */
const chainState = record({
  nFeatures: dim('p'),
  order: i32({ len: 'o', min: 0, below: 'o' }),
  estimators: members('o'),
  classes: list(list(category, undefined, { unique: true, minLength: 1 }), 'o'),
});

function checkChain(o: any, at: string): void {
  if (new Set(o.state.order).size !== o.state.order.length) fail(`${at}.state.order`, 'a permutation of the outputs (each index once)', o.state.order);
}

function checkPipeline(o: Pipeline, at: string): ColumnCounts {
  let prevOut: number | undefined, inputs: number | undefined;
  o.steps.forEach(([name, step], i) => {
    const where = `${at}.steps[${i}][1]`;
    const io = checkNested(step, where);
    if (i === 0) inputs = io.inputs;
    if (prevOut !== undefined && io.inputs !== undefined && io.inputs !== prevOut) {
      throw new ModelFormatError(`${where} (step '${String(name).slice(0, 40)}') was fitted on ${io.inputs} columns but the step before it outputs ${prevOut}`);
    }
    prevOut = io.outputs;
  });
  rebuildWith(() => new Pipeline(o.steps), at);
  return { inputs, outputs: prevOut };
}

function checkColumnTransformer(o: any, at: string): void {
  const ios = (o.transformers as unknown[][]).map(([, t], i) => (t === 'drop' || t === 'passthrough' ? {} : checkNested(t, `${at}.transformers[${i}][1]`)));
  rebuildWith(() => new ColumnTransformer(o.transformers, { remainder: o.remainder }), at);
  if (o.nCols === undefined) return; // unfitted
  const n = o.transformers.length;
  if (o.resolved.length !== n || o.fittedSpecs.length !== n) fail(`${at}.resolved`, `one column list per transformer (${n})`, o.resolved);
  (o.transformers as [string, unknown, unknown][]).forEach(([name, , cols], i) => {
    const spec = o.fittedSpecs[i] as unknown[],
      where = `${at}.transformers[${i}] ('${String(name).slice(0, 40)}')`;
    if (Array.isArray(cols) && (cols.length !== spec.length || cols.some((c, j) => c !== spec[j])))
      fail(`${at}.fittedSpecs[${i}]`, `the columns ${where} names`, spec);
    if (spec.length !== o.resolved[i].length) fail(`${at}.resolved[${i}]`, `${spec.length} column indices`, o.resolved[i]);
    const inputs = ios[i].inputs;
    if (inputs !== undefined && inputs !== o.resolved[i].length) {
      throw new ModelFormatError(`${where} was fitted on ${inputs} columns but is given ${o.resolved[i].length}`);
    }
  });
}

/** The fitted state of composition (Pipeline, ColumnTransformer), resamplers, calibration and ensembles of estimators (compose/, imbalance/). */
export const COMPOSE_SCHEMAS: SchemaEntry[] = [
  // ---- composition, resamplers (parameters only)
  [
    Pipeline,
    {
      fitted: {},
      always: {
        steps: list(
          rule('a [name, estimator] pair', (v) => Array.isArray(v) && v.length === 2),
          undefined,
          { minLength: 1 },
        ),
        fittedOnce: bool,
      },
      check: checkPipeline,
    },
  ],
  [
    ColumnTransformer,
    {
      fitted: {},
      always: {
        transformers: list(
          rule('a [name, transformer, columns] triple', (v) => Array.isArray(v) && v.length === 3),
          undefined,
          { minLength: 1 },
        ),
        remainder: oneOf('drop', 'passthrough'),
        nCols: optional(dim('p', 0)),
        rest: list(below('p')),
        resolved: list(list(below('p'))),
        fittedSpecs: list(list(rule('a column index or name', (v) => typeof v === 'string' || (Number.isSafeInteger(v) && v >= 0)))),
      },
      check: checkColumnTransformer,
    },
  ],
  // ---- calibration
  [IsotonicRegression, { fitted: { state: isotonicState }, check: checkIsotonic }],
  [
    CalibratedClassifierCV,
    {
      fitted: {
        state: record({
          classes: labels('k'),
          pairs: list(record({ estimator: model(), calibrators: list(calibrator, undefined, { minLength: 1 }) }), undefined, { minLength: 1 }),
        }),
      },
      check: checkCalibrated,
    },
  ],
  // ---- ensembles of estimators (compose/)
  [VotingClassifier, { fitted: { state: votingState(true) } }],
  [VotingRegressor, { fitted: { state: votingState(false) } }],
  [StackingClassifier, { fitted: { state: stackingState(true) } }],
  [StackingRegressor, { fitted: { state: stackingState(false) } }],
  [BaggingClassifier, { fitted: { state: bagState(true) }, inputs: 'p' }],
  [BaggingRegressor, { fitted: { state: bagState(false) }, inputs: 'p' }],
  [AdaBoostClassifier, { fitted: { state: boostState } }],
  [MultiOutputClassifier, { fitted: { state: multiOutputState(true) }, inputs: 'p', outputs: 'o' }],
  [MultiOutputRegressor, { fitted: { state: multiOutputState(false) }, inputs: 'p', outputs: 'o' }],
  [ClassifierChain, { fitted: { state: chainState }, check: checkChain, inputs: 'p', outputs: 'o' }],
  [
    EasyEnsembleClassifier,
    { fitted: { state: record({ nFeatures: dim('p'), classes: labels('k'), estimators: members('m'), samples: list(i32({ min: 0 }), 'm') }) }, inputs: 'p' },
  ],
];

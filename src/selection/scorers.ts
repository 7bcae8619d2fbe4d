/**
 * Scorers (scikit-learn's): a function of a fitted estimator and held-out data giving one number
 * where greater is better (losses are negated: 'neg_mean_squared_error'). Built by name from
 * src/metrics, or from any metric with makeScorer. A scorer knows which output it needs
 * (predict, predictProba, or a decision threshold) and which task it fits, so a misfit (roc_auc
 * on a regressor) is a clear error before anything is scored.
 */
import { ParamError } from '../core/errors.js';
import type { Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';
import {
  accuracyScore,
  averagePrecisionScore,
  balancedAccuracyScore,
  brierScoreLoss,
  explainedVarianceScore,
  f1Score,
  jaccardScore,
  logLoss,
  matthewsCorrcoef,
  maxError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  medianAbsoluteError,
  precisionScore,
  r2Score,
  recallScore,
  rocAucScore,
  rootMeanSquaredError,
} from '../metrics/index.js';
import { isClassifier } from './cv.js';

/** A metric of true targets and predictions (labels, probabilities or scores); `classes` are the estimator's. */
export type Metric = (yTrue: any, yPred: any, extra: { classes?: Label[]; sampleWeight?: ArrayLike<number> }) => number;

export interface Scorer {
  (estimator: any, X: unknown, y: unknown, opts?: { sampleWeight?: ArrayLike<number> }): Promise<number>;
  /** 'predict', 'proba' (predictProba) or 'threshold' (decisionFunction, else predictProba). */
  readonly response: 'predict' | 'proba' | 'threshold';
  /** The metric's sign: false for a loss (the scorer returns −loss). */
  readonly greaterIsBetter: boolean;
  /** 'classification' scorers refuse regressors. */
  readonly task: 'classification' | 'regression' | 'any';
  readonly scorerName: string;
}

export interface MakeScorerOptions {
  /** false for a loss: the scorer returns −metric, so greater is still better. Default: true. */
  greaterIsBetter?: boolean;
  /** The metric takes predicted probabilities (binary: of the second class). Default: false. */
  needsProba?: boolean;
  /** The metric takes continuous scores: decisionFunction, else predictProba. Default: false. */
  needsThreshold?: boolean;
  /** Extra options passed to the metric as its third argument (e.g. `{ average: 'macro' }`). */
  metricOptions?: Record<string, unknown>;
  /** Refuse estimators of the other task. Default: 'classification' with needsProba/needsThreshold, else 'any'. */
  task?: 'classification' | 'regression' | 'any';
  /** A name for errors and results. Default: the metric function's name. */
  name?: string;
}

/** The estimator's output a scorer needs, in the metric's shape (binary probabilities/scores as one column). */
async function response(est: any, X: unknown, kind: Scorer['response'], fullProba: boolean, name: string): Promise<{ pred: unknown; classes?: Label[] }> {
  if (kind === 'predict') return { pred: await est.predict(X) };
  const classes: Label[] | undefined = isClassifier(est) ? classesOf(est) : undefined;
  const useDecision = kind === 'threshold' && typeof est.decisionFunction === 'function';
  if (!useDecision && typeof est.predictProba !== 'function') {
    throw new ParamError(
      `scorer '${name}' needs ${kind === 'proba' ? 'predictProba' : 'decisionFunction or predictProba'}, which ${est?.constructor?.name ?? 'the estimator'} does not have; choose a scorer on predictions (e.g. 'accuracy')`,
    );
  }
  const out = useDecision ? await est.decisionFunction(X) : await est.predictProba(X);
  if (out instanceof Matrix && out.cols === 2 && !fullProba) {
    const col = new Float64Array(out.rows);
    for (let i = 0; i < out.rows; i++) col[i] = out.data[i * 2 + 1];
    return { pred: col, classes };
  }
  return { pred: out, classes };
}

function classesOf(est: any): Label[] | undefined {
  const steps = est?.steps;
  const final = Array.isArray(steps) ? steps[steps.length - 1][1] : est;
  try {
    return final.classes;
  } catch {
    return undefined;
  }
}

function build(name: string, metric: Metric, sign: 1 | -1, kind: Scorer['response'], task: Scorer['task'], fullProba = false): Scorer {
  const f = async (est: any, X: unknown, y: unknown, opts: { sampleWeight?: ArrayLike<number> } = {}) => {
    checkTask(name, task, est);
    const { pred, classes } = await response(est, X, kind, fullProba, name);
    const v = sign * metric(y, pred, { classes, sampleWeight: opts.sampleWeight });
    return v === 0 ? 0 : v; // no −0 from negated losses
  };
  return Object.assign(f, { response: kind, greaterIsBetter: sign === 1, task, scorerName: name });
}

function checkTask(name: string, task: Scorer['task'], est: unknown): void {
  if (task === 'classification' && !isClassifier(est)) {
    throw new ParamError(
      `scorer '${name}' scores a classifier but ${(est as object)?.constructor?.name ?? 'the estimator'} is a regressor; use a regression scorer such as 'r2' or 'neg_mean_squared_error'`,
    );
  }
  if (task === 'regression' && isClassifier(est)) {
    throw new ParamError(`scorer '${name}' scores a regressor but ${(est as object)?.constructor?.name} is a classifier; use e.g. 'accuracy' or 'f1_macro'`);
  }
}

/** A scorer from any metric (scikit-learn's make_scorer). */
export function makeScorer(metric: (yTrue: any, yPred: any, opts?: any) => number, opts: MakeScorerOptions = {}): Scorer {
  if (typeof metric !== 'function') throw new ParamError('makeScorer: metric must be a function (yTrue, yPred, options?) => number');
  const { greaterIsBetter = true, needsProba = false, needsThreshold = false, metricOptions, name } = opts;
  if (needsProba && needsThreshold) throw new ParamError('makeScorer: set only one of needsProba and needsThreshold');
  const kind = needsProba ? 'proba' : needsThreshold ? 'threshold' : 'predict';
  const task = opts.task ?? (kind === 'predict' ? 'any' : 'classification');
  const m: Metric = (t, p, extra) =>
    metricOptions || extra.sampleWeight
      ? metric(t, p, { ...metricOptions, ...(extra.sampleWeight ? { sampleWeight: extra.sampleWeight } : {}) })
      : metric(t, p);
  return build(name ?? (metric.name || 'custom'), m, greaterIsBetter ? 1 : -1, kind, task);
}

const w = (e: { sampleWeight?: ArrayLike<number> }) => (e.sampleWeight ? { sampleWeight: e.sampleWeight } : {});
const averaged =
  (f: typeof f1Score | typeof jaccardScore, average: 'binary' | 'macro' | 'micro' | 'weighted' | 'samples'): Metric =>
  (t, p, e) =>
    f(t, p, { average, ...w(e) });
const multiLabels = (e: { classes?: Label[] }) => (e.classes && e.classes.length > 2 ? { labels: e.classes } : {});

/** scikit-learn's scorer names (1.2) that kiln's metrics cover, with their metric, sign and response. */
const SCORERS: Record<string, () => Scorer> = {
  accuracy: () => build('accuracy', (t, p, e) => accuracyScore(t, p, w(e)), 1, 'predict', 'classification'),
  balanced_accuracy: () => build('balanced_accuracy', (t, p, e) => balancedAccuracyScore(t, p, w(e)), 1, 'predict', 'classification'),
  matthews_corrcoef: () => build('matthews_corrcoef', (t, p, e) => matthewsCorrcoef(t, p, w(e)), 1, 'predict', 'classification'),
  roc_auc: () => build('roc_auc', (t, p, e) => rocAucScore(t, p, w(e)), 1, 'threshold', 'classification'),
  roc_auc_ovr: () => build('roc_auc_ovr', (t, p, e) => rocAucScore(t, p, { multiClass: 'ovr', ...multiLabels(e), ...w(e) }), 1, 'proba', 'classification'),
  roc_auc_ovo: () => build('roc_auc_ovo', (t, p, e) => rocAucScore(t, p, { multiClass: 'ovo', ...multiLabels(e), ...w(e) }), 1, 'proba', 'classification'),
  roc_auc_ovr_weighted: () =>
    build(
      'roc_auc_ovr_weighted',
      (t, p, e) => rocAucScore(t, p, { multiClass: 'ovr', average: 'weighted', ...multiLabels(e), ...w(e) }),
      1,
      'proba',
      'classification',
    ),
  roc_auc_ovo_weighted: () =>
    build(
      'roc_auc_ovo_weighted',
      (t, p, e) => rocAucScore(t, p, { multiClass: 'ovo', average: 'weighted', ...multiLabels(e), ...w(e) }),
      1,
      'proba',
      'classification',
    ),
  average_precision: () => build('average_precision', (t, p, e) => averagePrecisionScore(t, p, w(e)), 1, 'threshold', 'classification'),
  neg_log_loss: () =>
    build('neg_log_loss', (t, p, e) => logLoss(t, p, { ...(e.classes ? { labels: e.classes } : {}), ...w(e) }), -1, 'proba', 'classification', true),
  neg_brier_score: () =>
    build(
      'neg_brier_score',
      (t, p, e) => brierScoreLoss(t, p, { ...(e.classes?.length === 2 ? { posLabel: e.classes[1] } : {}), ...w(e) }),
      -1,
      'proba',
      'classification',
    ),
  r2: () => build('r2', (t, p, e) => r2Score(t, p, w(e)), 1, 'predict', 'any'),
  explained_variance: () => build('explained_variance', (t, p, e) => explainedVarianceScore(t, p, w(e)), 1, 'predict', 'any'),
  max_error: () => build('max_error', (t, p) => maxError(t, p), -1, 'predict', 'any'),
  neg_mean_squared_error: () => build('neg_mean_squared_error', (t, p, e) => meanSquaredError(t, p, w(e)), -1, 'predict', 'any'),
  neg_root_mean_squared_error: () => build('neg_root_mean_squared_error', (t, p, e) => rootMeanSquaredError(t, p, w(e)), -1, 'predict', 'any'),
  neg_mean_absolute_error: () => build('neg_mean_absolute_error', (t, p, e) => meanAbsoluteError(t, p, w(e)), -1, 'predict', 'any'),
  neg_median_absolute_error: () => build('neg_median_absolute_error', (t, p, e) => medianAbsoluteError(t, p, w(e)), -1, 'predict', 'any'),
  neg_mean_absolute_percentage_error: () =>
    build('neg_mean_absolute_percentage_error', (t, p, e) => meanAbsolutePercentageError(t, p, w(e)), -1, 'predict', 'any'),
};
for (const [base, f] of [
  ['precision', precisionScore],
  ['recall', recallScore],
  ['f1', f1Score],
  ['jaccard', jaccardScore],
] as const) {
  SCORERS[base] = () => build(base, averaged(f, 'binary'), 1, 'predict', 'classification');
  // 'samples' scores multilabel predictions (a multi-output classifier's indicator matrix)
  for (const avg of ['macro', 'micro', 'weighted', 'samples'] as const) {
    SCORERS[`${base}_${avg}`] = () => build(`${base}_${avg}`, averaged(f, avg), 1, 'predict', 'classification');
  }
}

/** Every scorer name kiln knows, sorted. */
export function scorerNames(): string[] {
  return Object.keys(SCORERS).sort();
}

/** The scorer of a name (scikit-learn's get_scorer); an unknown name is E_PARAM listing the valid ones. */
export function getScorer(scoring: string | Scorer | ((est: any, X: unknown, y: unknown) => number | Promise<number>)): Scorer {
  if (typeof scoring === 'string') {
    const make = SCORERS[scoring];
    if (!make)
      throw new ParamError(
        `unknown scorer '${scoring}'; valid names are ${scorerNames().join(', ')}, or pass makeScorer(metric) / a function (estimator, X, y) => number`,
      );
    return named(make());
  }
  if (typeof scoring === 'function') {
    if ('response' in scoring) return scoring as Scorer;
    const custom = async (est: any, X: unknown, y: unknown) => {
      const v = await scoring(est, X, y);
      if (typeof v !== 'number') throw new ParamError(`a custom scorer must return a number, got ${typeof v}`);
      return v;
    };
    return Object.assign(custom, { response: 'predict' as const, greaterIsBetter: true, task: 'any' as const, scorerName: scoring.name || 'custom' });
  }
  throw new ParamError(
    `scoring must be a scorer name (e.g. 'accuracy'), a scorer from makeScorer, or a function (estimator, X, y) => number; got ${String(scoring)}`,
  );
}

/** The scorer that calls the estimator's own `score` (scoring left undefined). */
function ownScore(): Scorer {
  const own = async (e: any, X: unknown, y: unknown) => e.score(X, y);
  return Object.assign(own, { response: 'predict' as const, greaterIsBetter: true, task: 'any' as const, scorerName: 'score' });
}

/** Scorers that can be rebuilt from their name elsewhere (another thread or machine): the named ones and the estimator's own score. */
const byName = new WeakSet<Scorer>();
function named(s: Scorer): Scorer {
  byName.add(s);
  return s;
}

/**
 * The name a scorer travels by to a worker (scorerFromName rebuilds it there). Only scikit-learn's
 * named scorers and the estimator's own score can travel; a custom function or makeScorer scorer
 * is E_PARAM: its code cannot leave this process.
 */
export function namedScorer(scorer: Scorer, fn = 'namedScorer'): string {
  if (typeof scorer === 'function' && byName.has(scorer)) return scorer.scorerName;
  const name = (scorer as Partial<Scorer>)?.scorerName ?? 'custom';
  throw new ParamError(
    `${fn}: scorer '${name}' is a custom function, which cannot be sent to another thread or machine; use a scorer name (${scorerNames().slice(0, 4).join(', ')}, …) or run it with the serial executor`,
  );
}

/** The scorer a name stands for on the receiving side ('score': the estimator's own score). */
export function scorerFromName(name: string): Scorer {
  if (name === 'score') return named(ownScore());
  return getScorer(name);
}

/** One scoring option or several: a list of names, or { name: scorer }. */
export type Scoring = string | Scorer | ((est: any, X: unknown, y: unknown) => number | Promise<number>);
export type MultiScoring = Scoring | readonly string[] | Record<string, Scoring>;

/** The scorers of a scoring option by result name; a single scorer is named 'score'. undefined: the estimator's own score. */
export function resolveScorers(scoring: MultiScoring | undefined, est: unknown, fn: string): { scorers: Map<string, Scorer>; multi: boolean } {
  if (scoring === undefined) {
    if (typeof (est as { score?: unknown })?.score !== 'function') {
      throw new ParamError(`${fn}: ${(est as object)?.constructor?.name ?? 'the estimator'} has no score method; pass scoring (e.g. 'accuracy' or 'r2')`);
    }
    return { scorers: new Map([['score', named(ownScore())]]), multi: false };
  }
  if (Array.isArray(scoring)) {
    if (scoring.length === 0) throw new ParamError(`${fn}: scoring is an empty list; name at least one scorer`);
    if (new Set(scoring).size !== scoring.length) throw new ParamError(`${fn}: scoring names a scorer twice`);
    return { scorers: new Map(scoring.map((s) => [s, getScorer(s)] as const)), multi: true };
  }
  if (typeof scoring === 'object' && scoring !== null) {
    const entries = Object.entries(scoring as Record<string, Scoring>);
    if (entries.length === 0) throw new ParamError(`${fn}: scoring is an empty object; name at least one scorer`);
    return { scorers: new Map(entries.map(([k, s]) => [k, getScorer(s)] as const)), multi: true };
  }
  return { scorers: new Map([['score', getScorer(scoring as Scoring)]]), multi: false };
}

/** Checks every scorer fits the estimator's task before any fold is fitted. */
export function checkScorersFit(scorers: Map<string, Scorer>, est: unknown): void {
  for (const s of scorers.values()) checkTask(s.scorerName, s.task, est);
}

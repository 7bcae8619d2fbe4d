/**
 * CalibratedClassifierCV (scikit-learn 1.2's): probabilities calibrated on data the classifier
 * did not see. With `ensemble` (the default) each cross-validation fold gives one classifier and
 * the calibrators of its held-out scores, and predictProba averages the pairs; without it, one
 * classifier on all rows and calibrators on cross_val_predict's out-of-fold scores; with
 * cv: 'prefit', the given fitted classifier and calibrators on the rows passed to fit. Scores are
 * decisionFunction's when the classifier has it, else predictProba's (the positive column for two
 * classes). Calibrators are one-vs-rest: Platt's sigmoid (scikit-learn's _sigmoid_calibration:
 * target smoothing by the class priors, the log-loss minimum found by Newton's method) or
 * IsotonicRegression (out of bounds clipped); several classes are normalised to sum to 1.
 */
import { ParamError, ShapeError } from '../core/errors.js';
import { Estimator, SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../core/estimator.js';
import { encodeLabels, type Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';
import { bool, custom, int, oneOf, optional, union, type ParamSpec, type ParamSpecs } from '../core/params.js';
import { LinearSVC } from '../models/linear/index.js';
import { takeRows, type Splittable } from '../data/split/arrays.js';
import { IsotonicRegression } from '../models/isotonic/isotonic-regression.js';
import { crossValPredict } from '../selection/cross-val-predict.js';
import { resolveSplits, type CvOption } from '../selection/cv.js';
import { fitClone, foldData } from '../selection/fit-score.js';

type Scored = { decisionFunction?(X: unknown): Promise<unknown>; predictProba?(X: unknown): Promise<unknown>; classes?: Label[] };

export interface CalibratedClassifierCVParams {
  /** The classifier to calibrate (unfitted, or fitted with cv: 'prefit'). Default: undefined, a LinearSVC as scikit-learn. */
  estimator: unknown;
  /** 'sigmoid' (Platt) or 'isotonic'. Default: 'sigmoid'. */
  method: 'sigmoid' | 'isotonic';
  /** Fold count (StratifiedKFold, unshuffled), a splitter, the splits, or 'prefit'. Default: 5. */
  cv: CvOption | 'prefit';
  /** One classifier + calibrators per fold, averaged (true), or one classifier on all rows (false). Default: true. */
  ensemble: boolean;
}

const SPECS: ParamSpecs<CalibratedClassifierCVParams> = {
  estimator: optional(
    custom<unknown>(
      'a kiln classifier (something with fit)',
      (v) => v !== null && typeof v === 'object' && typeof (v as { fit?: unknown }).fit === 'function',
      {
        probes: [1],
      },
    ),
  ),
  method: oneOf('sigmoid', 'isotonic'),
  cv: union(
    int({ min: 2 }),
    oneOf('prefit'),
    custom<CvOption>('a splitter or a list of splits', (v) => Array.isArray(v) || typeof (v as { split?: unknown })?.split === 'function'),
  ) as ParamSpec<CvOption | 'prefit'>,
  ensemble: bool(),
};

/** Platt's sigmoid P(y = 1 | f) = 1 / (1 + exp(a f + b)). */
interface Sigmoid {
  a: number;
  b: number;
}

const expit = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** scikit-learn's _sigmoid_calibration: smoothed targets, minimum of the weighted log loss over (a, b). */
export function fitSigmoid(f: Float64Array, y01: Uint8Array, w: Float64Array | null): Sigmoid {
  let prior0 = 0,
    prior1 = 0;
  for (let i = 0; i < f.length; i++) {
    const wi = w ? w[i] : 1;
    if (y01[i]) prior1 += wi;
    else prior0 += wi;
  }
  const hi = (prior1 + 1) / (prior1 + 2),
    lo = 1 / (prior0 + 2);
  const t = Float64Array.from(y01, (v) => (v ? hi : lo));
  const loss = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < f.length; i++) {
      const z = a * f[i] + b; // P = expit(-z)
      // −[t log P + (1 − t) log(1 − P)] with log P = −log1p(e^z), log(1 − P) = z − log1p(e^z), stably
      const l1p = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      s += (w ? w[i] : 1) * (t[i] * l1p + (1 - t[i]) * (l1p - z));
    }
    return s;
  };
  let a = 0,
    b = Math.log((prior0 + 1) / (prior1 + 1));
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0,
      gb = 0,
      haa = 0,
      hab = 0,
      hbb = 0;
    for (let i = 0; i < f.length; i++) {
      const wi = w ? w[i] : 1;
      const p = expit(-(a * f[i] + b));
      const d = wi * (t[i] - p); // ∂loss/∂z
      ga += d * f[i];
      gb += d;
      const h = wi * p * (1 - p);
      haa += h * f[i] * f[i];
      hab += h * f[i];
      hbb += h;
    }
    if (Math.abs(ga) + Math.abs(gb) < 1e-12 * f.length) break;
    const det = haa * hbb - hab * hab;
    // Newton's step (gradient descent if the Hessian is singular), halved until the loss falls
    let da = det > 1e-300 ? -(hbb * ga - hab * gb) / det : -ga,
      db = det > 1e-300 ? -(haa * gb - hab * ga) / det : -gb;
    let next = loss(a + da, b + db);
    let halvings = 0;
    while (!(next <= current) && halvings < 60) {
      da /= 2;
      db /= 2;
      next = loss(a + da, b + db);
      halvings++;
    }
    if (halvings === 60) break;
    a += da;
    b += db;
    const done = Math.abs(current - next) <= 1e-15 * Math.max(1, Math.abs(current));
    current = next;
    if (done) break;
  }
  return { a, b };
}

type Calibrator = { kind: 'sigmoid'; a: number; b: number } | { kind: 'isotonic'; model: IsotonicRegression };

interface CalibratedPair {
  estimator: unknown;
  calibrators: Calibrator[];
}

/** The classifier's scores as n × k columns: decisionFunction (1-D → one column) or predictProba (two classes → the positive column). */
async function scores(est: Scored, X: unknown, fn: string): Promise<{ data: Float64Array; rows: number; cols: number }> {
  if (typeof est.decisionFunction === 'function') {
    const d = await est.decisionFunction(X);
    if (d instanceof Matrix) return { data: Float64Array.from(d.data), rows: d.rows, cols: d.cols };
    const v = Float64Array.from(d as ArrayLike<number>);
    return { data: v, rows: v.length, cols: 1 };
  }
  if (typeof est.predictProba !== 'function')
    throw new ParamError(`${fn}: the estimator has neither decisionFunction nor predictProba; it cannot be calibrated`);
  const p = (await est.predictProba(X)) as Matrix;
  if (p.cols === 2) return { data: Float64Array.from({ length: p.rows }, (_, r) => p.data[r * 2 + 1]), rows: p.rows, cols: 1 };
  return { data: Float64Array.from(p.data), rows: p.rows, cols: p.cols };
}

const column = (s: { data: Float64Array; rows: number; cols: number }, k: number) => Float64Array.from({ length: s.rows }, (_, r) => s.data[r * s.cols + k]);

async function fitCalibrators(
  s: { data: Float64Array; rows: number; cols: number },
  codes: Int32Array,
  nClasses: number,
  w: Float64Array | null,
  method: 'sigmoid' | 'isotonic',
): Promise<Calibrator[]> {
  const out: Calibrator[] = [];
  for (let k = 0; k < s.cols; k++) {
    const positive = nClasses === 2 ? 1 : k;
    const y01 = Uint8Array.from(codes, (c) => (c === positive ? 1 : 0));
    const f = column(s, k);
    if (method === 'sigmoid') out.push({ kind: 'sigmoid', ...fitSigmoid(f, y01, w) });
    else out.push({ kind: 'isotonic', model: await new IsotonicRegression({ outOfBounds: 'clip' }).fit(f, y01, w ? { sampleWeight: w } : {}) });
  }
  return out;
}

function calibrate(c: Calibrator, f: Float64Array): Float64Array {
  return c.kind === 'sigmoid' ? Float64Array.from(f, (v) => expit(-(c.a * v + c.b))) : c.model.predictSync(f);
}

export class CalibratedClassifierCV extends Estimator<CalibratedClassifierCVParams> {
  private state: { classes: Label[]; pairs: CalibratedPair[] } | undefined;

  constructor(params: Partial<CalibratedClassifierCVParams> = {}) {
    super({ estimator: undefined, method: 'sigmoid', cv: 5, ensemble: true }, params);
  }

  protected get paramSpecs(): ParamSpecs<CalibratedClassifierCVParams> {
    return SPECS;
  }

  get classes(): Label[] {
    return [...this.fitted(this.state).classes];
  }

  /** The (classifier, calibrators) pairs: one per fold with ensemble, else one. */
  get calibratedClassifiers(): { estimator: unknown; calibrators: ({ a: number; b: number } | IsotonicRegression)[] }[] {
    return this.fitted(this.state).pairs.map((p) => ({
      estimator: p.estimator,
      calibrators: p.calibrators.map((c) => (c.kind === 'sigmoid' ? { a: c.a, b: c.b } : c.model)),
    }));
  }

  async fit(X: unknown, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const fn = 'CalibratedClassifierCV.fit';
      const { method, cv, ensemble } = this.params;
      if (this.params.estimator === undefined && cv === 'prefit') throw new ParamError(`${fn}: cv 'prefit' needs the fitted estimator`);
      const estimator = this.params.estimator ?? new LinearSVC();
      const data = foldData(estimator, X, y, opts.sampleWeight ? { sampleWeight: opts.sampleWeight } : undefined, fn);
      const { classes, codes } = encodeLabels(y, `${fn}: y`);
      if (classes.length < 2) throw new ParamError(`${fn}: y has ${classes.length} class; calibration needs at least two`);
      const w = opts.sampleWeight ? Float64Array.from(opts.sampleWeight) : null;
      const rowsOf = <T>(a: T, idx: Int32Array) => takeRows(a as unknown as Splittable, idx) as unknown as T;
      const sameClasses = (est: Scored) => {
        const c = est.classes;
        if (c && (c.length !== classes.length || c.some((v, i) => v !== classes[i])))
          throw new ShapeError(`${fn}: a fold's classifier saw classes [${c.join(', ')}] but y has [${classes.join(', ')}]; use folds that hold every class`);
      };
      const pairs: CalibratedPair[] = [];
      if (cv === 'prefit') {
        const est = estimator as Scored;
        sameClasses(est);
        const s = await scores(est, X, fn);
        pairs.push({ estimator, calibrators: await fitCalibrators(s, codes, classes.length, w, method) });
      } else {
        if (typeof cv === 'number') {
          const counts = new Int32Array(classes.length);
          for (const c of codes) counts[c]++;
          const few = counts.findIndex((k) => k < cv);
          if (few >= 0)
            throw new ParamError(`${fn}: class ${String(classes[few])} has ${counts[few]} rows, fewer than the ${cv} folds; use fewer folds or more data`);
        }
        const splits = resolveSplits(cv, X, y, undefined, true, data.n, fn);
        if (ensemble) {
          for (const s of splits) {
            opts.signal?.throwIfAborted();
            const est = (await fitClone(estimator, data, s.train, undefined, opts.signal)) as Scored;
            sameClasses(est);
            const sc = await scores(est, rowsOf(X, s.test), fn);
            const cw = w ? Float64Array.from(s.test, (i) => w[i]) : null;
            pairs.push({
              estimator: est,
              calibrators: await fitCalibrators(
                sc,
                Int32Array.from(s.test, (i) => codes[i]),
                classes.length,
                cw,
                method,
              ),
            });
          }
        } else {
          const hasDecision = typeof (estimator as Scored).decisionFunction === 'function';
          const out = await crossValPredict(estimator, X, y, {
            cv: splits,
            method: hasDecision ? 'decisionFunction' : 'predictProba',
            ...(opts.sampleWeight ? { fitParams: { sampleWeight: opts.sampleWeight } } : {}),
            ...(opts.signal ? { signal: opts.signal } : {}),
          });
          let s: { data: Float64Array; rows: number; cols: number };
          if (out instanceof Matrix) {
            s =
              !hasDecision && out.cols === 2
                ? { data: Float64Array.from({ length: out.rows }, (_, r) => out.data[r * 2 + 1]), rows: out.rows, cols: 1 }
                : { data: Float64Array.from(out.data), rows: out.rows, cols: out.cols };
          } else {
            const v = Float64Array.from(out as ArrayLike<number>);
            s = { data: v, rows: v.length, cols: 1 };
          }
          const est = (await fitClone(
            estimator,
            data,
            Int32Array.from({ length: data.n }, (_, i) => i),
            undefined,
            opts.signal,
          )) as Scored;
          sameClasses(est);
          pairs.push({ estimator: est, calibrators: await fitCalibrators(s, codes, classes.length, w, method) });
        }
      }
      this.state = { classes, pairs };
      return this;
    });
  }

  /** Calibrated probabilities, rows × classes (the mean over the folds' pairs with ensemble). */
  async predictProba(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { classes, pairs } = this.fitted(this.state);
      const K = classes.length;
      let sum: Float64Array | undefined;
      let rows = 0;
      for (const pair of pairs) {
        const s = await scores(pair.estimator as Scored, X, 'CalibratedClassifierCV.predictProba');
        rows = s.rows;
        const proba = new Float64Array(rows * K);
        pair.calibrators.forEach((c, k) => {
          const p = calibrate(c, column(s, k));
          const at = K === 2 ? 1 : k;
          for (let r = 0; r < rows; r++) proba[r * K + at] = p[r];
        });
        for (let r = 0; r < rows; r++) {
          if (K === 2) proba[r * 2] = 1 - proba[r * 2 + 1];
          else {
            let d = 0;
            for (let k = 0; k < K; k++) d += proba[r * K + k];
            for (let k = 0; k < K; k++) proba[r * K + k] = d !== 0 ? proba[r * K + k] / d : 1 / K;
          }
          for (let k = 0; k < K; k++) if (proba[r * K + k] > 1 && proba[r * K + k] <= 1 + 1e-5) proba[r * K + k] = 1;
        }
        if (!sum) sum = proba;
        else for (let i = 0; i < sum.length; i++) sum[i] += proba[i];
      }
      for (let i = 0; i < sum!.length; i++) sum![i] /= pairs.length;
      return new Matrix(sum!, rows, K);
    });
  }

  /** The class of highest calibrated probability. */
  async predict(X: unknown, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    const p = await this.predictProba(X, opts);
    const classes = this.fitted(this.state).classes;
    return Array.from({ length: p.rows }, (_, r) => {
      let best = 0;
      for (let k = 1; k < p.cols; k++) if (p.data[r * p.cols + k] > p.data[r * p.cols + best]) best = k;
      return classes[best];
    });
  }
}

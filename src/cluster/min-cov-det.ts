/**
 * Robust covariance (scikit-learn 1.2's MinCovDet) and the outlier detector on top of it
 * (EllipticEnvelope): the raw FastMCD estimate (fast-mcd.ts), its distances rescaled for
 * consistency at the normal model (median distance over the χ²_p median), then a reweighted
 * estimate from the rows within the χ²_p 97.5% quantile.
 */
import { ParamError } from '../core/errors.js';
import { type CallOptions, Estimator, SIGNAL_ONLY } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { int, num, optional, type ParamSpecs } from '../core/params.js';
import { Rng } from '../core/prng.js';
import { readMatrix } from '../core/read-matrix.js';
import { chi2Isf } from '../stats/dist.js';
import { fastMcd, mahalanobis, meanCov, pinvh } from './fast-mcd.js';
import { percentile } from '../core/numeric.js';
import { sortedCopy } from '../ops/sort.js';

export interface MinCovDetParams {
  /** Share of rows in the raw estimate's support, in (0, 1]; undefined: ceil((rows + features + 1) / 2) rows. Default: undefined. */
  supportFraction: number | undefined;
  /** Seed of FastMCD's random subsets, an integer in [0, 2^32). Default: 0. */
  randomState: number;
}

export interface EllipticEnvelopeParams extends MinCovDetParams {
  /** Share of outliers in (0, 0.5]: offset is this percentile of the training rows' scores. Default: 0.1. */
  contamination: number;
}

const MCD_SPECS: ParamSpecs<MinCovDetParams> = {
  supportFraction: optional(num({ min: 0, max: 1, minExclusive: true })),
  randomState: int({ min: 0, max: 0xffffffff }),
};

/** The fitted robust estimate (raw and reweighted). */
export interface RobustCovarianceState {
  p: number;
  rawLocation: Float64Array;
  rawCovariance: Float64Array;
  rawSupport: Uint8Array;
  location: Float64Array;
  covariance: Float64Array;
  precision: Float64Array;
  support: Uint8Array;
  dist: Float64Array;
}

function fitRobust(X: MatrixLike, owner: string, params: MinCovDetParams): { state: RobustCovarianceState; rows: number } {
  const Xm = readMatrix(X, `${owner}.fit: X`);
  const { rows: n, cols: p } = Xm;
  if (n < 2) throw new ParamError(`${owner}.fit: X needs at least 2 rows`);
  const data = Float64Array.from(Xm.data);
  const raw = fastMcd(data, n, p, params.supportFraction, new Rng(params.randomState));
  const h = raw.support.reduce((s, v) => s + v, 0);
  if (h < n && raw.covariance.every((v) => Math.abs(v) <= 1e-8)) {
    throw new ParamError(`${owner}.fit: the covariance of the support rows is 0 (too many identical rows); increase supportFraction`);
  }
  // consistency at the normal model: distances rescaled by median / χ²_p median
  const correction = percentile(sortedCopy(raw.dist), 50) / chi2Isf(0.5, p);
  const dist = raw.dist.map((v) => v / correction);
  // reweighting: the rows within the χ²_p 97.5% quantile
  const cut = chi2Isf(0.025, p);
  const rows = Int32Array.from(dist.keys()).filter((i) => dist[i] < cut);
  const { location, covariance } = meanCov(data, p, rows);
  const precision = pinvh(covariance, p);
  const support = new Uint8Array(n);
  for (const i of rows) support[i] = 1;
  return {
    state: {
      p,
      rawLocation: raw.location,
      rawCovariance: raw.covariance,
      rawSupport: raw.support,
      location,
      covariance,
      precision,
      support,
      dist: mahalanobis(data, n, p, location, precision),
    },
    rows: n,
  };
}

/** The robust estimate's accessors, shared by MinCovDet and EllipticEnvelope. */
abstract class RobustCovariance<P extends MinCovDetParams> extends Estimator<P> {
  protected state: RobustCovarianceState | undefined;

  /** Reweighted robust location (features). */
  get location(): Float64Array {
    return Float64Array.from(this.fitted(this.state).location);
  }

  /** Reweighted robust covariance (features × features). */
  get covariance(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.covariance), s.p, s.p);
  }

  /** Its (pseudo-)inverse. */
  get precision(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.precision), s.p, s.p);
  }

  /** The raw FastMCD location, before reweighting. */
  get rawLocation(): Float64Array {
    return Float64Array.from(this.fitted(this.state).rawLocation);
  }

  /** The raw FastMCD covariance (the support rows' covariance, not rescaled). */
  get rawCovariance(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.rawCovariance), s.p, s.p);
  }

  /** 1 for the training rows in the raw estimate's support, 0 elsewhere. */
  get rawSupport(): Uint8Array {
    return Uint8Array.from(this.fitted(this.state).rawSupport);
  }

  /** 1 for the training rows in the reweighted estimate, 0 elsewhere. */
  get support(): Uint8Array {
    return Uint8Array.from(this.fitted(this.state).support);
  }

  /** Squared Mahalanobis distances of the training rows under the reweighted estimate. */
  get dist(): Float64Array {
    return Float64Array.from(this.fitted(this.state).dist);
  }

  get nFeaturesIn(): number {
    return this.fitted(this.state).p;
  }

  /** Squared Mahalanobis distance of each row to the robust location. */
  async mahalanobis(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('mahalanobis', opts, SIGNAL_ONLY);
    const s = this.fitted(this.state);
    return this.reading(opts.signal, async () => {
      const Q = readMatrix(X, `${this.constructor.name}.mahalanobis: X`, { features: s.p });
      return mahalanobis(Q.data, Q.rows, s.p, s.location, s.precision);
    });
  }
}

export class MinCovDet extends RobustCovariance<MinCovDetParams> {
  constructor(params: Partial<MinCovDetParams> = {}) {
    super({ supportFraction: undefined, randomState: 0 }, params);
  }

  protected get paramSpecs(): ParamSpecs<MinCovDetParams> {
    return MCD_SPECS;
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      this.state = fitRobust(X, 'MinCovDet', this.params).state;
    });
  }
}

export class EllipticEnvelope extends RobustCovariance<EllipticEnvelopeParams> {
  private offsetValue: number | undefined;

  constructor(params: Partial<EllipticEnvelopeParams> = {}) {
    super({ supportFraction: undefined, randomState: 0, contamination: 0.1 }, params);
  }

  protected get paramSpecs(): ParamSpecs<EllipticEnvelopeParams> {
    return { ...MCD_SPECS, contamination: num({ min: 0, max: 0.5, minExclusive: true }) };
  }

  /** Threshold on scoreSamples: below it is an outlier. */
  get offset(): number {
    return this.fitted(this.offsetValue);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const { state } = fitRobust(X, 'EllipticEnvelope', this.params);
      this.offsetValue = percentile(sortedCopy(state.dist.map((v) => -v)), 100 * this.params.contamination);
      this.state = state;
    });
  }

  /** Minus the squared Mahalanobis distance of each row. */
  async scoreSamples(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    const d = await this.mahalanobis(X, opts);
    return d.map((v) => -v);
  }

  /** scoreSamples − offset (negative: outlier). */
  async decisionFunction(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    const s = await this.scoreSamples(X, opts);
    const off = this.offset;
    return s.map((v) => v - off);
  }

  /** +1 (inlier) or −1 (outlier) per row. */
  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Int32Array> {
    const d = await this.decisionFunction(X, opts);
    return Int32Array.from(d, (v) => (v < 0 ? -1 : 1));
  }

  /** fit, then predict on the same rows. */
  async fitPredict(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<Int32Array> {
    await this.fit(X, y, opts);
    return this.predict(X, opts);
  }
}

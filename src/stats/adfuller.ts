/**
 * The augmented Dickey–Fuller unit-root test, as statsmodels 0.13's adfuller: regress Δx_t on
 * x_{t−1}, lagged differences and the deterministic terms ('n' none, 'c' constant, 'ct' + linear
 * trend, 'ctt' + quadratic trend); the statistic is the t-value of x_{t−1}. With autolag 'AIC'
 * (or 'BIC') every lag 0..maxlag is fitted on the same rows, the best by the criterion is refitted
 * on all its rows. maxlag defaults to ⌈12·(n/100)^¼⌉ (Schwert 1989), at most n/2 − ntrend − 1.
 *
 * p-values: MacKinnon (1994), "Approximate asymptotic distribution functions for unit-root and
 * cointegration tests", J. Business & Economic Statistics 12, Tables 5–6 (the regression
 * surfaces for one variable). Critical values: MacKinnon (2010), "Critical values for
 * cointegration tests", Queen's Economics Department Working Paper 1227, Table 2 (N = 1), with
 * the finite-sample terms in 1/nobs. These are the published numbers statsmodels uses too.
 */
import { ParamError } from '../core/errors.js';
import { normCdf } from './dist.js';
import { oneOfOption, readSample, requireSize, type Sample } from './sample.js';

export type AdfRegression = 'n' | 'c' | 'ct' | 'ctt';

// MacKinnon (1994), N = 1: bounds of the approximation, the switch point, and the polynomial
// coefficients (in τ) of Φ⁻¹(p) below and above it
const TAU_MAX: Record<AdfRegression, number> = { n: Infinity, c: 2.74, ct: 0.7, ctt: 0.54 };
const TAU_MIN: Record<AdfRegression, number> = { n: -19.04, c: -18.83, ct: -16.18, ctt: -17.17 };
const TAU_STAR: Record<AdfRegression, number> = { n: -1.04, c: -1.61, ct: -2.89, ctt: -3.21 };
const TAU_SMALLP: Record<AdfRegression, number[]> = {
  n: [0.6344, 1.2378, 3.2496e-2],
  c: [2.1659, 1.4412, 3.8269e-2],
  ct: [3.2512, 1.6047, 4.9588e-2],
  ctt: [4.0003, 1.658, 4.8288e-2],
};
const TAU_LARGEP: Record<AdfRegression, number[]> = {
  n: [0.4797, 9.3557e-1, -0.06999, 3.3066e-2],
  c: [1.7339, 9.3202e-1, -0.12745, -1.0368e-2],
  ct: [2.5261, 6.1654e-1, -0.37956, -6.0285e-2],
  ctt: [3.0778, 4.9529e-1, -0.41477, -5.9359e-2],
};
// MacKinnon (2010), N = 1: [τ∞, β1, β2, β3] for 1%, 5%, 10%: crit = τ∞ + β1/T + β2/T² + β3/T³
const CRIT: Record<AdfRegression, number[][]> = {
  n: [
    [-2.56574, -2.2358, -3.627, 0],
    [-1.941, -0.2686, -3.365, 31.223],
    [-1.61682, 0.2656, -2.714, 25.364],
  ],
  c: [
    [-3.43035, -6.5393, -16.786, -79.433],
    [-2.86154, -2.8903, -4.234, -40.04],
    [-2.56677, -1.5384, -2.809, 0],
  ],
  ct: [
    [-3.95877, -9.0531, -28.428, -134.155],
    [-3.41049, -4.3904, -9.036, -45.374],
    [-3.12705, -2.5856, -3.925, -22.38],
  ],
  ctt: [
    [-4.37113, -11.5882, -35.819, -334.047],
    [-3.83239, -5.9057, -12.49, -118.284],
    [-3.55326, -3.6596, -5.293, -63.559],
  ],
};

const polyval = (c: number[], x: number) => c.reduceRight((acc, ci) => acc * x + ci, 0);

/** MacKinnon's approximate p-value of an ADF statistic (statsmodels' mackinnonp, N = 1). */
export function mackinnonp(stat: number, regression: AdfRegression = 'c'): number {
  if (Number.isNaN(stat)) return NaN;
  if (stat > TAU_MAX[regression]) return 1;
  if (stat < TAU_MIN[regression]) return 0;
  return normCdf(polyval(stat <= TAU_STAR[regression] ? TAU_SMALLP[regression] : TAU_LARGEP[regression], stat));
}

/** MacKinnon (2010) critical values at 1%, 5%, 10% for nobs observations (statsmodels' mackinnoncrit, N = 1). */
export function mackinnoncrit(regression: AdfRegression = 'c', nobs = Infinity): { '1%': number; '5%': number; '10%': number } {
  const [a, b, c] = CRIT[regression].map((row) => polyval(row, 1 / nobs));
  return { '1%': a, '5%': b, '10%': c };
}

/** Least squares by Householder QR: coefficients, the t-value of column 0, and the residual sum of squares. */
function ols(X: Float64Array[], y: Float64Array): { t0: number; ssr: number } {
  const n = y.length,
    k = X.length;
  const A = X.map((c) => Float64Array.from(c)),
    b = Float64Array.from(y);
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < n; i++) norm += A[j][i] ** 2;
    norm = Math.sqrt(norm);
    const alpha = A[j][j] > 0 ? -norm : norm;
    const v = new Float64Array(n);
    v[j] = A[j][j] - alpha;
    for (let i = j + 1; i < n; i++) v[i] = A[j][i];
    let vv = 0;
    for (let i = j; i < n; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    const reflect = (col: Float64Array) => {
      let s = 0;
      for (let i = j; i < n; i++) s += v[i] * col[i];
      const f = (2 * s) / vv;
      for (let i = j; i < n; i++) col[i] -= f * v[i];
    };
    for (let c = j; c < k; c++) reflect(A[c]);
    reflect(b);
  }
  // R is A[c][r] for r ≤ c; solve R β = (Qᵀy)[0..k), and row 0 of R⁻¹ for Var(β0)
  const beta = new Float64Array(k);
  for (let r = k - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < k; c++) s -= A[c][r] * beta[c];
    beta[r] = s / A[r][r];
  }
  let ssr = 0;
  for (let i = k; i < n; i++) ssr += b[i] * b[i];
  // first row of R⁻¹: e0ᵀ R⁻¹ solved forward on Rᵀ
  const w = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = c === 0 ? 1 : 0;
    for (let r = 0; r < c; r++) s -= w[r] * A[c][r];
    w[c] = s / A[c][c];
  }
  let var0 = 0;
  for (const v of w) var0 += v * v;
  const sigma2 = ssr / (n - k);
  return { t0: beta[0] / Math.sqrt(sigma2 * var0), ssr };
}

export interface AdfullerOptions {
  /** Largest lag of Δx tried (or used, with autolag null). Default: ⌈12·(n/100)^¼⌉, capped as statsmodels. */
  maxlag?: number;
  /** Deterministic terms. Default: 'c'. */
  regression?: AdfRegression;
  /** Lag selection: 'AIC', 'BIC', or null to use maxlag. Default: 'AIC'. */
  autolag?: 'AIC' | 'BIC' | null;
}

export interface AdfullerResult {
  /** The ADF statistic (t-value of x_{t−1}). */
  statistic: number;
  /** MacKinnon's approximate p-value. */
  pvalue: number;
  /** Lags of Δx in the final regression. */
  usedlag: number;
  /** Rows of the final regression. */
  nobs: number;
  criticalValues: { '1%': number; '5%': number; '10%': number };
  /** The best information criterion (autolag only). */
  icbest?: number;
}

/** statsmodels' adfuller. NaN is refused (E_NONFINITE). */
export function adfuller(x: Sample, options: AdfullerOptions = {}): AdfullerResult {
  const fn = 'adfuller';
  const regression = oneOfOption(fn, 'regression', options.regression, ['n', 'c', 'ct', 'ctt'] as const, 'c');
  const autolag = options.autolag === undefined ? 'AIC' : options.autolag;
  if (autolag !== null && autolag !== 'AIC' && autolag !== 'BIC')
    throw new ParamError(`${fn}: autolag must be 'AIC', 'BIC' or null, got ${JSON.stringify(autolag)}`);
  const { values } = readSample(x, fn, 'x', 'raise');
  const n = values.length;
  requireSize(n, 4, fn, 'x');
  const ntrend = regression === 'n' ? 0 : regression.length;
  const cap = Math.floor(n / 2) - ntrend - 1;
  const maxlag = options.maxlag ?? Math.min(cap, Math.ceil(12 * (n / 100) ** 0.25));
  if (maxlag < 0) throw new ParamError(`${fn}: x has ${n} values, too few for regression '${regression}'`);
  if (!Number.isInteger(maxlag) || maxlag > cap) throw new ParamError(`${fn}: maxlag must be an integer in [0, ${cap}] for ${n} values, got ${maxlag}`);
  const dx = Float64Array.from({ length: n - 1 }, (_, i) => values[i + 1] - values[i]);
  /** Columns [level, Δx lags 1..lags] and y = Δx over the rows usable with `trim` lags. */
  const design = (trim: number, lags: number) => {
    const rows = dx.length - trim;
    const y = dx.slice(trim);
    const level = Float64Array.from({ length: rows }, (_, r) => values[trim + r]);
    const lagCols = Array.from({ length: lags }, (_, l) => Float64Array.from({ length: rows }, (_, r) => dx[trim + r - l - 1]));
    const trend: Float64Array[] = [];
    if (ntrend >= 1) trend.push(new Float64Array(rows).fill(1));
    if (ntrend >= 2) trend.push(Float64Array.from({ length: rows }, (_, r) => r + 1));
    if (ntrend >= 3) trend.push(Float64Array.from({ length: rows }, (_, r) => (r + 1) ** 2));
    return { y, level, lagCols, trend, rows };
  };
  let usedlag = maxlag,
    icbest: number | undefined;
  if (autolag) {
    const d = design(maxlag, maxlag);
    let best = Infinity;
    for (let lag = 0; lag <= maxlag; lag++) {
      const cols = [d.level, ...d.trend, ...d.lagCols.slice(0, lag)];
      const { ssr } = ols(cols, d.y);
      const llf = (-d.rows / 2) * (Math.log(2 * Math.PI) + Math.log(ssr / d.rows) + 1);
      const k = cols.length;
      const ic = autolag === 'AIC' ? -2 * llf + 2 * k : -2 * llf + Math.log(d.rows) * k;
      if (ic < best) {
        best = ic;
        usedlag = lag;
      }
    }
    icbest = best;
  }
  const d = design(usedlag, usedlag);
  const { t0 } = ols([d.level, ...d.lagCols, ...d.trend], d.y);
  const out: AdfullerResult = {
    statistic: t0,
    pvalue: mackinnonp(t0, regression),
    usedlag,
    nobs: d.rows,
    criticalValues: mackinnoncrit(regression, d.rows),
  };
  if (icbest !== undefined) out.icbest = icbest;
  return out;
}

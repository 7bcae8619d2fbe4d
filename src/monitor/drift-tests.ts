/**
 * One drift test per method, each as Evidently computes it, over one feature's reference and
 * current values (missing values dropped first). p-value tests (ks, chisquare, z, anderson,
 * cramer_von_mises, es, empirical_mmd) call drift when p < threshold; distances (wasserstein, jensenshannon, psi, kl, hellinger) when the value >=
 * threshold. Evidently's default thresholds: 0.05 for p-values, 0.1 for distances.
 */
import { ParamError } from '../core/errors.js';
import { zPvalue } from '../stats/dist.js';
import { andersonKsamp, cramervonmises2samp, eppsSingleton2samp, ks2samp, powerDivergence } from '../stats/index.js';
import { empiricalMmd } from './mmd.js';
import { categoricalShares, hellingerDistance, jensenShannonDistance, klDivergence, normedWasserstein, numericShares, psi } from './drift-distances.js';

export const DRIFT_METHODS = [
  'ks',
  'chisquare',
  'z',
  'wasserstein',
  'jensenshannon',
  'psi',
  'kl',
  'hellinger',
  'anderson',
  'cramer_von_mises',
  'es',
  'empirical_mmd',
] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];

/** A feature's values on one side: numbers (NaN missing) or labels (null missing). */
export type DriftValues = { kind: 'numeric'; values: Float64Array } | { kind: 'categorical'; counts: Map<string, number> };

export interface MethodSpec {
  /** 'pvalue': drift when statistic (a p-value) < threshold; 'distance': drift when statistic >= threshold. */
  scale: 'pvalue' | 'distance';
  defaultThreshold: number;
  /** Whether it needs the raw numbers (a categorical feature cannot use it). */
  numericOnly: boolean;
  run(reference: DriftValues, current: DriftValues): number;
}

/** The counts of each value, numbers as their text (as Evidently's value_counts over a mixed set). */
export function countsOf(v: DriftValues): Map<string, number> {
  if (v.kind === 'categorical') return v.counts;
  const m = new Map<string, number>();
  for (const x of v.values) if (!Number.isNaN(x)) m.set(String(x), (m.get(String(x)) ?? 0) + 1);
  return m;
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

function numbers(v: DriftValues, method: string): Float64Array {
  if (v.kind !== 'numeric')
    throw new ParamError(`drift method '${method}' needs numbers; this feature is categorical (use chisquare, z, jensenshannon, psi, kl or hellinger)`);
  return v.values;
}

/** Evidently's chi-square test: current counts against the reference's counts scaled to the current total. */
function chisquare(reference: DriftValues, current: DriftValues): number {
  const r = countsOf(reference),
    c = countsOf(current);
  const keys = [...new Set([...r.keys(), ...c.keys()])].sort();
  const k = total(c) / total(r);
  return powerDivergence(
    keys.map((key) => c.get(key) ?? 0),
    { expected: keys.map((key) => (r.get(key) ?? 0) * k) },
  ).pvalue;
}

/** Evidently's two-proportion z-test for a binary feature (two-sided p-value). */
function zTest(reference: DriftValues, current: DriftValues): number {
  const r = countsOf(reference),
    c = countsOf(current);
  const keys = [...new Set([...r.keys(), ...c.keys()])].sort();
  if (keys.length === 1) return 1; // one value on both sides: nothing moved
  const n1 = total(r),
    n2 = total(c);
  const p1 = (r.get(keys[0]) ?? 0) / n1,
    p2 = (c.get(keys[0]) ?? 0) / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
  return zPvalue(z, 'two-sided');
}

/** Shares of both sides over the same bins (Sturges for numbers, the union of categories otherwise). */
function shares(reference: DriftValues, current: DriftValues) {
  if (reference.kind === 'numeric' && current.kind === 'numeric') return numericShares(reference.values, current.values);
  const expand = (m: Map<string, number>) => [...m].flatMap(([k, n]) => new Array<string>(n).fill(k));
  return categoricalShares(expand(countsOf(reference)), expand(countsOf(current)));
}

export const METHODS: Record<DriftMethod, MethodSpec> = {
  ks: { scale: 'pvalue', defaultThreshold: 0.05, numericOnly: true, run: (r, c) => ks2samp(numbers(r, 'ks'), numbers(c, 'ks')).pvalue },
  chisquare: { scale: 'pvalue', defaultThreshold: 0.05, numericOnly: false, run: chisquare },
  z: { scale: 'pvalue', defaultThreshold: 0.05, numericOnly: false, run: zTest },
  wasserstein: {
    scale: 'distance',
    defaultThreshold: 0.1,
    numericOnly: true,
    run: (r, c) => normedWasserstein(numbers(r, 'wasserstein'), numbers(c, 'wasserstein')),
  },
  jensenshannon: {
    scale: 'distance',
    defaultThreshold: 0.1,
    numericOnly: false,
    run: (r, c) => {
      const s = shares(r, c);
      return jensenShannonDistance(s.reference, s.current);
    },
  },
  psi: {
    scale: 'distance',
    defaultThreshold: 0.1,
    numericOnly: false,
    run: (r, c) => {
      const s = shares(r, c);
      return psi(s.reference, s.current);
    },
  },
  kl: {
    scale: 'distance',
    defaultThreshold: 0.1,
    numericOnly: false,
    run: (r, c) => {
      const s = shares(r, c);
      return klDivergence(s.reference, s.current);
    },
  },
  anderson: {
    scale: 'pvalue',
    defaultThreshold: 0.05,
    numericOnly: true,
    run: (r, c) => andersonKsamp([numbers(r, 'anderson'), numbers(c, 'anderson')]).pvalue,
  },
  cramer_von_mises: {
    scale: 'pvalue',
    defaultThreshold: 0.05,
    numericOnly: true,
    run: (r, c) => cramervonmises2samp(numbers(r, 'cramer_von_mises'), numbers(c, 'cramer_von_mises')).pvalue,
  },
  es: { scale: 'pvalue', defaultThreshold: 0.05, numericOnly: true, run: (r, c) => eppsSingleton2samp(numbers(r, 'es'), numbers(c, 'es')).pvalue },
  empirical_mmd: {
    scale: 'pvalue',
    defaultThreshold: 0.05,
    numericOnly: true,
    run: (r, c) => empiricalMmd(numbers(r, 'empirical_mmd'), numbers(c, 'empirical_mmd')).pvalue,
  },
  hellinger: {
    scale: 'distance',
    defaultThreshold: 0.1,
    numericOnly: false,
    run: (r, c) => {
      const s = shares(r, c);
      return hellingerDistance(s.reference, s.current);
    },
  },
};

/**
 * Evidently's default choice: with at most 1,000 reference rows, KS for a numeric feature with
 * more than 5 distinct values, else chi-square (z for 2 or fewer values); with more rows, the
 * normed Wasserstein distance for such a numeric feature, else Jensen–Shannon.
 */
export function defaultMethod(referenceRows: number, kind: 'numeric' | 'categorical', distinct: number): DriftMethod {
  const numeric = kind === 'numeric' && distinct > 5;
  if (referenceRows <= 1000) return numeric ? 'ks' : distinct > 2 ? 'chisquare' : 'z';
  return numeric ? 'wasserstein' : 'jensenshannon';
}

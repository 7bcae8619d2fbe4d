/**
 * The reference profile a model carries for monitoring: what its training inputs (and its
 * predictions, target and holdout metrics) looked like, compact enough to live in the model
 * file's manifest. Per numeric feature: count, missing, moments, quantiles, a fixed-bin histogram
 * and a seeded reservoir sample (drift tests run on it; for up to `sampleSize` rows it is the
 * whole column); per categorical feature: the frequency of each category (the most frequent
 * `maxCategories`, the rest pooled). `readReference` checks one read back from a file.
 */
import { ModelFormatError, ParamError } from '../core/errors.js';
import { Rng } from '../core/prng.js';
import { equalWidthEdges, histogramCountsSorted, percentile } from '../core/numeric.js';
import type { Column, Table } from '../data/table.js';
import { sortedCopy } from '../ops/sort.js';

export const REFERENCE_VERSION = 1;
/** The key pooling the categories beyond maxCategories. */
export const OTHER_CATEGORIES = '__other__';
const QUANTILES = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];
const HISTOGRAM_BINS = 20;

export interface NumericReference {
  kind: 'numeric';
  count: number;
  missing: number;
  /** null when every value is missing (JSON has no NaN). */
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Population standard deviation (ddof 0). */
  std: number | null;
  /** Distinct values, counted up to 1,000 (a larger count is reported as 1000). */
  distinct: number;
  quantiles: { q: number[]; value: (number | null)[] };
  histogram: { edges: number[]; counts: number[] };
  /** A uniform sample of the non-missing values (all of them when there are at most sampleSize). */
  sample: number[];
}

export interface CategoricalReference {
  kind: 'categorical';
  count: number;
  missing: number;
  /** Rows per category (the rarest pooled under OTHER_CATEGORIES beyond maxCategories). */
  frequencies: Record<string, number>;
}

export type FeatureReference = NumericReference | CategoricalReference;

export interface ReferenceProfile {
  version: number;
  createdAt: string;
  rows: number;
  features: Record<string, FeatureReference>;
  prediction?: FeatureReference;
  target?: FeatureReference;
  /** Holdout metrics of the model (e.g. accuracy), for performance monitoring. */
  metrics?: Record<string, number>;
}

export interface ReferenceOptions {
  /** Predictions of the model on the same rows (labels or values). */
  predictions?: Column | readonly unknown[];
  /** The true target of the same rows. */
  target?: Column | readonly unknown[];
  metrics?: Record<string, number>;
  /** Reservoir size per numeric feature. Default: 1000. */
  sampleSize?: number;
  /** Categories kept per categorical feature. Default: 200. */
  maxCategories?: number;
  /** Seed of the reservoir samples. Default: 0. */
  randomState?: number;
  /** Only these columns. Default: all. */
  columns?: string[];
}

function numericReference(col: Float64Array, sampleSize: number, rng: Rng): NumericReference {
  const values: number[] = [];
  for (const v of col) if (!Number.isNaN(v)) values.push(v);
  const sorted = sortedCopy(values);
  const n = sorted.length;
  let mean = 0;
  for (const v of sorted) mean += v;
  mean = n ? mean / n : Number.NaN;
  let s2 = 0;
  for (const v of sorted) s2 += (v - mean) ** 2;
  let distinct = 0;
  for (let i = 0; i < n && distinct < 1000; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const min = n ? sorted[0] : 0,
    max = n ? sorted[n - 1] : 0;
  const edges = n ? equalWidthEdges(min, max, HISTOGRAM_BINS) : new Float64Array(0);
  const counts = n ? histogramCountsSorted(sorted, edges) : new Float64Array(0);
  // reservoir sampling (Algorithm R), in the column's order, seeded
  let sample: number[];
  if (n <= sampleSize) sample = values;
  else {
    sample = values.slice(0, sampleSize);
    for (let i = sampleSize; i < n; i++) {
      const j = rng.int(i + 1);
      if (j < sampleSize) sample[j] = values[i];
    }
  }
  return {
    kind: 'numeric',
    count: col.length,
    missing: col.length - n,
    min: n ? min : null,
    max: n ? max : null,
    mean: n ? mean : null,
    std: n ? Math.sqrt(s2 / n) : null,
    distinct,
    quantiles: { q: QUANTILES, value: QUANTILES.map((q) => (n ? percentile(sorted, q * 100) : null)) },
    histogram: { edges: Array.from(edges), counts: Array.from(counts) },
    sample,
  };
}

function categoricalReference(col: ArrayLike<unknown>, maxCategories: number): CategoricalReference {
  const m = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      missing++;
      continue;
    }
    const k = String(v);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  const ranked = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const frequencies: Record<string, number> = Object.create(null);
  for (const [k, c] of ranked.slice(0, maxCategories)) frequencies[k] = c;
  const rest = ranked.slice(maxCategories).reduce((s, [, c]) => s + c, 0);
  if (rest > 0) frequencies[OTHER_CATEGORIES] = (frequencies[OTHER_CATEGORIES] ?? 0) + rest;
  return { kind: 'categorical', count: col.length, missing, frequencies: { ...frequencies } };
}

/** A numeric column is profiled as numbers; text, booleans and labels as categories. */
export function profileColumn(
  col: Column | readonly unknown[],
  opts: { sampleSize?: number; maxCategories?: number; randomState?: number } = {},
): FeatureReference {
  const sampleSize = opts.sampleSize ?? 1000,
    maxCategories = opts.maxCategories ?? 200;
  if (col instanceof Float64Array) return numericReference(col, sampleSize, new Rng(opts.randomState ?? 0));
  const arr = col as readonly unknown[];
  if (arr.length > 0 && arr.every((v) => typeof v === 'number' || v === null)) {
    return numericReference(
      Float64Array.from(arr, (v) => (v === null ? Number.NaN : (v as number))),
      sampleSize,
      new Rng(opts.randomState ?? 0),
    );
  }
  return categoricalReference(arr, maxCategories);
}

/** Profiles a table's columns (and optionally the model's predictions and the target) as the monitoring reference. */
export function referenceProfile(data: Table, opts: ReferenceOptions = {}): ReferenceProfile {
  if (data === null || typeof data !== 'object' || typeof data.rows !== 'number' || typeof data.columns !== 'object') {
    throw new ParamError('referenceProfile: data must be a table { rows, columns } (a Frame, or what readCsv/readParquet return)');
  }
  if (data.rows === 0) throw new ParamError('referenceProfile: data has no rows; profile the rows the model was trained on');
  const sampleSize = opts.sampleSize ?? 1000,
    maxCategories = opts.maxCategories ?? 200;
  if (!Number.isInteger(sampleSize) || sampleSize < 1) throw new ParamError(`referenceProfile: sampleSize must be an integer >= 1, got ${sampleSize}`);
  if (!Number.isInteger(maxCategories) || maxCategories < 1)
    throw new ParamError(`referenceProfile: maxCategories must be an integer >= 1, got ${maxCategories}`);
  const names = opts.columns ?? Object.keys(data.columns);
  const features: Record<string, FeatureReference> = {};
  names.forEach((name, i) => {
    const col = data.columns[name];
    if (!col) throw new ParamError(`referenceProfile: no column ${JSON.stringify(name)}; the table has ${Object.keys(data.columns).join(', ')}`);
    if (col.length !== data.rows) throw new ParamError(`referenceProfile: column ${JSON.stringify(name)} has ${col.length} values for ${data.rows} rows`);
    features[name] = profileColumn(col, { sampleSize, maxCategories, randomState: (opts.randomState ?? 0) + i });
  });
  const extra = (what: 'predictions' | 'target') => {
    const col = opts[what];
    if (col === undefined) return undefined;
    if (col.length !== data.rows) throw new ParamError(`referenceProfile: ${what} has ${col.length} values for ${data.rows} rows`);
    return profileColumn(col as Column, { sampleSize, maxCategories, randomState: (opts.randomState ?? 0) + names.length });
  };
  const prediction = extra('predictions'),
    target = extra('target');
  return {
    version: REFERENCE_VERSION,
    createdAt: new Date().toISOString(),
    rows: data.rows,
    features,
    ...(prediction ? { prediction } : {}),
    ...(target ? { target } : {}),
    ...(opts.metrics ? { metrics: { ...opts.metrics } } : {}),
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNums = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null);

function checkFeature(f: unknown, at: string): FeatureReference {
  const bad = (what: string) => new ModelFormatError(`reference profile: ${at}: ${what}`);
  if (!isObj(f)) throw bad('not an object');
  if (typeof f.count !== 'number' || typeof f.missing !== 'number') throw bad('count and missing must be numbers');
  if (f.kind === 'categorical') {
    if (!isObj(f.frequencies) || !Object.values(f.frequencies).every((c) => typeof c === 'number' && c >= 0))
      throw bad('frequencies must map categories to counts');
    return f as unknown as CategoricalReference;
  }
  if (f.kind !== 'numeric') throw bad(`kind must be 'numeric' or 'categorical', got ${JSON.stringify(f.kind)}`);
  const h = f.histogram as Record<string, unknown> | undefined,
    q = f.quantiles as Record<string, unknown> | undefined;
  if (!isNums(f.sample) || !isObj(h) || !isNums(h.edges) || !isNums(h.counts) || !isObj(q) || !isNums(q.q) || !isNums(q.value)) {
    throw bad('sample, histogram { edges, counts } and quantiles { q, value } must be number arrays');
  }
  if ((h.counts as number[]).length > 0 && (h.edges as number[]).length !== (h.counts as number[]).length + 1)
    throw bad('histogram needs one more edge than counts');
  return f as unknown as NumericReference;
}

/** Checks a reference profile read from a model file; E_MODEL_FORMAT says what is wrong. */
export function readReference(x: unknown): ReferenceProfile {
  if (!isObj(x)) throw new ModelFormatError('reference profile: not an object');
  if (x.version !== REFERENCE_VERSION)
    throw new ModelFormatError(`reference profile: version ${JSON.stringify(x.version)}; this kiln reads version ${REFERENCE_VERSION}`);
  if (typeof x.rows !== 'number' || !isObj(x.features)) throw new ModelFormatError('reference profile: rows and features are required');
  for (const [k, f] of Object.entries(x.features)) checkFeature(f, `features.${k}`);
  if (x.prediction !== undefined) checkFeature(x.prediction, 'prediction');
  if (x.target !== undefined) checkFeature(x.target, 'target');
  return x as unknown as ReferenceProfile;
}

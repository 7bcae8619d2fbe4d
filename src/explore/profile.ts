/**
 * profile(frame): what a person needs to know about a table before modelling it — an overview,
 * every variable's statistics and distribution, correlations, missingness, the target and each
 * feature's relation to it, a PCA view, and alerts (constant, high cardinality, high missing
 * share, strong skew, imbalance, duplicates, leakage suspects). Every number is in `.toJSON()`;
 * `.toHtml()` (profile-html.ts) draws it as one self-contained page.
 */
import { ParamError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { equalWidthEdges, histogramCounts, percentile } from '../core/numeric.js';
import { Rng } from '../core/prng.js';
import type { Frame, FrameColumn, CategoricalSummary, NumericSummary } from '../data/frame.js';
import { PCA } from '../decomposition/index.js';
import { chi2Contingency, contingencyTable, corr, cramersV, fOneway, mutualInfo, normaltest, pearsonr, shapiro } from '../stats/index.js';
import { profileHtml } from './profile-html.js';
import type { ProfileAlert, ProfileOptions, ProfileResult, TargetRelation, VariableProfile } from './profile-types.js';
import { sortedCopy } from '../ops/sort.js';

const numericKind = (c: FrameColumn) => c.kind !== 'categorical';

function valuesOf(c: FrameColumn): Float64Array {
  if (c.kind !== 'categorical') return c.values;
  throw new ParamError('internal: not a numeric column');
}

function labelsOf(c: FrameColumn): (string | null)[] {
  if (c.kind === 'categorical') return Array.from(c.codes, (k) => (k < 0 ? null : c.labels[k]));
  return Array.from(c.values, (v) => (Number.isNaN(v) ? null : String(v)));
}

/** The non-NaN values in order, sorted once per column (the histogram, the outliers and the deciles share it). */
const sortedOnce = new WeakMap<Float64Array, Float64Array>();
function finiteSorted(v: Float64Array): Float64Array {
  let s = sortedOnce.get(v);
  if (!s) {
    const all = sortedCopy(v);
    let n = all.length;
    while (n > 0 && Number.isNaN(all[n - 1])) n--; // NaNs sort last
    s = all.subarray(0, n);
    sortedOnce.set(v, s);
  }
  return s;
}

/** Equal-width bins (Sturges, at most 50) over the finite values. */
function histogram(v: Float64Array): { edges: number[]; counts: number[] } {
  const s = finiteSorted(v);
  if (s.length === 0) return { edges: [], counts: [] };
  const edges = equalWidthEdges(s[0], s[s.length - 1], Math.min(50, Math.ceil(Math.log2(s.length)) + 1));
  return { edges: Array.from(edges), counts: Array.from(histogramCounts(s, edges)) };
}

/** Numbers as decile labels (for mutual information with a discrete variable). */
function deciles(v: Float64Array): (string | null)[] {
  const s = finiteSorted(v);
  const cuts = Array.from({ length: 9 }, (_, i) => percentile(s, (i + 1) * 10));
  return Array.from(v, (x) => {
    if (Number.isNaN(x)) return null;
    let b = 0;
    while (b < 9 && x > cuts[b]) b++;
    return `d${b}`;
  });
}

function fiveNumbers(v: number[]): { min: number; q1: number; median: number; q3: number; max: number } {
  const s = sortedCopy(v);
  return { min: s[0], q1: percentile(s, 25), median: percentile(s, 50), q3: percentile(s, 75), max: s[s.length - 1] };
}

function sampleRows(n: number, k: number, seed: number): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).sort((a, b) => a - b);
}

function memoryOf(c: FrameColumn): number {
  if (c.kind !== 'categorical') return c.values.byteLength;
  return c.codes.byteLength + c.labels.reduce((a, l) => a + 2 * l.length, 0);
}

export async function computeProfile(frame: Frame, opts: ProfileOptions = {}): Promise<ProfileResult> {
  if (!frame || typeof frame.column !== 'function' || !Array.isArray(frame.columnNames)) {
    throw new ParamError('profile: data must be a Frame (Frame.fromTable(readCsv(...)) or the like)');
  }
  if (frame.rows === 0) throw new ParamError('profile: the frame has no rows');
  const names = frame.columnNames;
  if (opts.target !== undefined && !names.includes(opts.target))
    throw new ParamError(`profile: target ${JSON.stringify(opts.target)} is not a column; the frame has ${names.join(', ')}`);
  if (opts.timeColumn !== undefined && !names.includes(opts.timeColumn))
    throw new ParamError(`profile: timeColumn ${JSON.stringify(opts.timeColumn)} is not a column`);
  const sampleSize = opts.sample ?? 1000;
  if (!Number.isInteger(sampleSize) || sampleSize < 10) throw new ParamError(`profile: sample must be an integer >= 10, got ${sampleSize}`);
  const progress = opts.onProgress ?? (() => {});
  const n = frame.rows;
  const cols = new Map(names.map((c) => [c, frame.column(c)]));
  const summaries = frame.describe();

  // overview
  let missingCells = 0;
  const types: Record<string, number> = {};
  for (const [name, c] of cols) {
    types[c.kind] = (types[c.kind] ?? 0) + 1;
    missingCells += summaries[name].missing;
  }
  const duplicateRows = frame.duplicated().reduce((a: number, b: number) => a + b, 0);
  const overview = {
    rows: n,
    columns: names.length,
    types,
    missingCells,
    missingShare: missingCells / (n * names.length),
    duplicateRows,
    memoryBytes: [...cols.values()].reduce((a, c) => a + memoryOf(c), 0),
  };
  progress(0.1, 'overview');

  // variables
  const variables: VariableProfile[] = [];
  for (const [name, c] of cols) {
    const v: VariableProfile = { name, kind: c.kind, summary: summaries[name] };
    if (c.kind === 'numeric' || c.kind === 'datetime') {
      const values = c.values;
      v.histogram = histogram(values);
      const s = finiteSorted(values);
      if (s.length) {
        const q1 = percentile(s, 25),
          q3 = percentile(s, 75),
          iqr = q3 - q1;
        v.iqrOutliers = s.filter((x) => x < q1 - 1.5 * iqr || x > q3 + 1.5 * iqr).length;
      }
      if (c.kind === 'numeric' && s.length >= 8 && s[0] !== s[s.length - 1]) {
        const r = s.length <= 5000 ? shapiro(s) : normaltest(s);
        v.normality = { test: s.length <= 5000 ? 'shapiro' : 'normaltest', statistic: r.statistic, pvalue: r.pvalue };
      }
    } else {
      const counts = new Map<string, number>();
      for (const l of labelsOf(c)) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
      v.topCategories = [...counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 20)
        .map(([category, count]) => ({ category, count }));
    }
    variables.push(v);
  }
  progress(0.35, 'variables');

  // correlations
  const numeric = names.filter((nm) => cols.get(nm)!.kind === 'numeric' && (summaries[nm] as NumericSummary).distinct > 1);
  const correlations: ProfileResult['correlations'] = { topPairs: [] };
  if (numeric.length >= 2) {
    const only = frame.select(numeric);
    const [p, s] = await Promise.all([corr(only, { method: 'pearson' }), corr(only, { method: 'spearman' })]);
    correlations.pearson = { columns: p.columns, matrix: Array.from(p.matrix.data) };
    correlations.spearman = { columns: s.columns, matrix: Array.from(s.matrix.data) };
    for (let i = 0; i < numeric.length; i++)
      for (let j = i + 1; j < numeric.length; j++)
        correlations.topPairs.push({ a: numeric[i], b: numeric[j], method: 'pearson', value: p.matrix.data[i * numeric.length + j] });
  }
  const categorical = names.filter((nm) => {
    const c = cols.get(nm)!;
    return c.kind === 'categorical' && c.labels.length > 1 && c.labels.length <= 100;
  });
  if (categorical.length >= 2) {
    const k = categorical.length,
      m = new Array<number>(k * k).fill(1);
    const labels = categorical.map((nm) => labelsOf(cols.get(nm)!));
    for (let i = 0; i < k; i++)
      for (let j = i + 1; j < k; j++) {
        const v = cramersV(labels[i], labels[j]);
        m[i * k + j] = m[j * k + i] = v;
        correlations.topPairs.push({ a: categorical[i], b: categorical[j], method: "Cramér's V", value: v });
      }
    correlations.cramersV = { columns: categorical, matrix: m };
  }
  correlations.topPairs = correlations.topPairs
    .filter((t) => Number.isFinite(t.value))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
    .slice(0, 10);
  progress(0.55, 'correlations');

  // missingness
  const perColumn = names.map((nm) => ({ column: nm, missing: summaries[nm].missing, share: summaries[nm].missing / n }));
  const missing: ProfileResult['missing'] = { perColumn };
  const withMissing = names.filter((nm) => summaries[nm].missing > 0 && summaries[nm].missing < n);
  if (withMissing.length >= 2) {
    const ind = withMissing.map((nm) => Float64Array.from(labelsOf(cols.get(nm)!), (l) => (l === null ? 1 : 0)));
    const k = withMissing.length,
      m = new Array<number>(k * k).fill(1);
    for (let i = 0; i < k; i++)
      for (let j = i + 1; j < k; j++) {
        const r = pearsonr(ind[i], ind[j]).statistic;
        m[i * k + j] = m[j * k + i] = r;
      }
    missing.coMissing = { columns: withMissing, matrix: m };
  }
  progress(0.65, 'missing values');

  // target
  let target: ProfileResult['target'];
  let targetLabels: (string | null)[] | undefined;
  if (opts.target) {
    const tc = cols.get(opts.target)!;
    const classification = tc.kind === 'categorical' || tc.kind === 'boolean' || (summaries[opts.target] as NumericSummary).distinct <= 10;
    // a numeric target is compared through its deciles (mutual information) and its values (tests)
    targetLabels = classification ? labelsOf(tc) : deciles(valuesOf(tc));
    const relations: TargetRelation[] = [];
    for (const nm of names) {
      if (nm === opts.target || nm === opts.timeColumn) continue;
      const c = cols.get(nm)!;
      if (c.kind === 'datetime') continue;
      const featureLabels = numericKind(c) ? deciles(valuesOf(c)) : labelsOf(c);
      const keep = targetLabels.map((t, i) => t !== null && featureLabels[i] !== null);
      const mi = mutualInfo(
        featureLabels.filter((_, i) => keep[i]),
        targetLabels.filter((_, i) => keep[i]),
      );
      let rel: TargetRelation | undefined;
      if (classification && numericKind(c)) {
        const groups = new Map<string, number[]>();
        valuesOf(c).forEach((x, i) => {
          const t = targetLabels![i];
          if (t !== null && !Number.isNaN(x)) (groups.get(t) ?? groups.set(t, []).get(t)!).push(x);
        });
        const ok = [...groups.values()].filter((g) => g.length >= 2);
        if (ok.length >= 2) {
          const r = fOneway(ok);
          rel = {
            feature: nm,
            test: 'fOneway',
            statistic: r.statistic,
            pvalue: r.pvalue,
            mutualInfo: mi,
            byClass: [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([group, vs]) => ({ group, ...fiveNumbers(vs) })),
          };
        }
      } else if (!classification && !numericKind(c)) {
        // a numeric target across the categories of the feature: one-way ANOVA
        const groups = new Map<string, number[]>();
        const y = valuesOf(tc);
        labelsOf(c).forEach((l, i) => {
          if (l !== null && !Number.isNaN(y[i])) (groups.get(l) ?? groups.set(l, []).get(l)!).push(y[i]);
        });
        const ok = [...groups.values()].filter((g) => g.length >= 2);
        if (ok.length >= 2) {
          const r = fOneway(ok);
          rel = { feature: nm, test: 'fOneway', statistic: r.statistic, pvalue: r.pvalue, mutualInfo: mi };
        }
      } else if (classification) {
        const t = contingencyTable(featureLabels.filter((_, i) => keep[i]) as string[], targetLabels.filter((_, i) => keep[i]) as string[]);
        if (t.observed.length >= 2 && t.observed[0].length >= 2) {
          const r = chi2Contingency(t.observed);
          rel = { feature: nm, test: 'chi2Contingency', statistic: r.statistic, pvalue: r.pvalue, mutualInfo: mi };
        }
      } else {
        const r = pearsonr(valuesOf(c), valuesOf(tc), { nanPolicy: 'omit' });
        rel = { feature: nm, test: 'pearsonr', statistic: r.statistic, pvalue: r.pvalue, mutualInfo: mi };
      }
      if (rel) relations.push(rel);
    }
    relations.sort((a, b) => b.mutualInfo - a.mutualInfo);
    const counts = new Map<string, number>();
    for (const l of targetLabels) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
    target = {
      column: opts.target,
      task: classification ? 'classification' : 'regression',
      ...(classification
        ? { classes: [...counts].sort((a, b) => b[1] - a[1]).map(([label, count]) => ({ label, count })) }
        : { histogram: histogram(valuesOf(tc)) }),
      relations,
    };
  }
  progress(0.8, 'target');

  // PCA of the complete numeric rows (standardised), and the pair plot of the top features
  const features = numeric.filter((nm) => nm !== opts.target);
  let pca: ProfileResult['pca'];
  let pairPlot: ProfileResult['pairPlot'];
  if (features.length >= 2) {
    const complete = Array.from({ length: n }, (_, i) => i).filter((i) => features.every((nm) => !Number.isNaN(valuesOf(cols.get(nm)!)[i])));
    const rows = sampleRows(complete.length, sampleSize, opts.randomState ?? 0).map((k) => complete[k]);
    if (complete.length >= 3) {
      const stats = features.map((nm) => {
        const v = complete.map((i) => valuesOf(cols.get(nm)!)[i]);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) || 1;
        return { mean, sd };
      });
      const X = new Float64Array(complete.length * features.length);
      complete.forEach((i, r) => features.forEach((nm, j) => (X[r * features.length + j] = (valuesOf(cols.get(nm)!)[i] - stats[j].mean) / stats[j].sd)));
      const model = new PCA({ nComponents: 2 });
      const Z = await model.fitTransform(new Matrix(X, complete.length, features.length));
      const at = new Map(complete.map((i, r) => [i, r]));
      pca = {
        columns: features,
        explainedVarianceRatio: Array.from(model.explainedVarianceRatio),
        points: rows.map((i) => ({ x: Z.data[at.get(i)! * 2], y: Z.data[at.get(i)! * 2 + 1], label: targetLabels?.[i] ?? null })),
      };
      const ranked = target ? target.relations.filter((r) => features.includes(r.feature)).map((r) => r.feature) : features;
      const top = [...new Set([...ranked, ...features])].slice(0, 4);
      pairPlot = {
        columns: top,
        points: rows.map((i) => Object.fromEntries(top.map((nm) => [nm, valuesOf(cols.get(nm)!)[i]]))),
        labels: rows.map((i) => targetLabels?.[i] ?? null),
      };
    }
  }
  progress(0.9, 'PCA');

  // time series: each numeric column over the time column (at most 500 points, in time order)
  let timeSeries: ProfileResult['timeSeries'];
  if (opts.timeColumn) {
    const tc = cols.get(opts.timeColumn)!;
    if (tc.kind === 'categorical') throw new ParamError(`profile: timeColumn ${JSON.stringify(opts.timeColumn)} must hold dates or numbers`);
    const order = Array.from({ length: n }, (_, i) => i)
      .filter((i) => !Number.isNaN(tc.values[i]))
      .sort((a, b) => tc.values[a] - tc.values[b]);
    const step = Math.max(1, Math.ceil(order.length / 500));
    const picked = order.filter((_, k) => k % step === 0);
    timeSeries = {
      column: opts.timeColumn,
      series: Object.fromEntries(
        features
          .filter((nm) => nm !== opts.timeColumn)
          .slice(0, 6)
          .map((nm) => [nm, picked.map((i) => ({ t: tc.values[i], v: valuesOf(cols.get(nm)!)[i] })).filter((p) => !Number.isNaN(p.v))]),
      ),
    };
  }

  // alerts
  const alerts: ProfileAlert[] = [];
  for (const v of variables) {
    const s = v.summary;
    const distinct = s.kind === 'categorical' ? (s as CategoricalSummary).unique : (s as NumericSummary).distinct;
    if (distinct <= 1)
      alerts.push({ kind: 'constant', column: v.name, message: `${v.name} has ${distinct === 0 ? 'no values' : 'a single value'}: it carries no information` });
    if (s.kind === 'categorical' && distinct > 50 && distinct > 0.5 * (n - s.missing))
      alerts.push({ kind: 'highCardinality', column: v.name, message: `${v.name} has ${distinct} distinct values in ${n - s.missing} rows (an identifier?)` });
    if (s.missing / n > 0.2)
      alerts.push({ kind: 'highMissing', column: v.name, message: `${v.name} is missing in ${((100 * s.missing) / n).toFixed(1)}% of rows` });
    if (s.kind === 'numeric' && Math.abs((s as NumericSummary).skew) > 2)
      alerts.push({
        kind: 'skewed',
        column: v.name,
        message: `${v.name} is strongly skewed (skew ${(s as NumericSummary).skew.toFixed(2)}): consider a log or power transform`,
      });
  }
  if (duplicateRows > 0) alerts.push({ kind: 'duplicates', message: `${duplicateRows} rows repeat an earlier row exactly` });
  if (target?.classes && target.classes.length >= 2) {
    const total = target.classes.reduce((a, c) => a + c.count, 0);
    const minority = target.classes[target.classes.length - 1];
    if (minority.count / total < 0.1)
      alerts.push({
        kind: 'imbalance',
        column: target.column,
        message: `the rarest class of ${target.column} (${minority.label}) is ${((100 * minority.count) / total).toFixed(1)}% of rows`,
      });
  }
  if (target) {
    for (const r of target.relations) {
      const strong =
        r.test === 'pearsonr' ? Math.abs(r.statistic) >= 0.95 : r.test === 'chi2Contingency' ? cramersVOf(frame, r.feature, target.column) >= 0.95 : false;
      const separates = r.byClass ? classesSeparate(r.byClass) : false;
      if (strong || separates)
        alerts.push({
          kind: 'leakage',
          column: r.feature,
          message: `${r.feature} determines ${target.column} almost exactly: a leak of the target? check how it is produced`,
        });
    }
  }
  progress(1, 'alerts');
  return {
    overview,
    variables,
    correlations,
    missing,
    ...(target ? { target } : {}),
    ...(pca ? { pca } : {}),
    ...(pairPlot ? { pairPlot } : {}),
    ...(timeSeries ? { timeSeries } : {}),
    alerts,
  };
}

function cramersVOf(frame: Frame, a: string, b: string): number {
  return cramersV(labelsOf(frame.column(a)), labelsOf(frame.column(b)));
}

/** Every class's range of the feature is disjoint from the others': the feature alone tells the class. */
function classesSeparate(byClass: { min: number; max: number }[]): boolean {
  const s = [...byClass].sort((a, b) => a.min - b.min);
  return s.length >= 2 && s.every((g, i) => i === 0 || g.min > s[i - 1].max);
}

/** The profile of a frame: every number in toJSON(), the page in toHtml(). */
export class ProfileReport {
  constructor(readonly result: ProfileResult) {}
  toJSON(): ProfileResult {
    return this.result;
  }
  async toHtml(opts: { title?: string } = {}): Promise<string> {
    return profileHtml(this.result, opts.title ?? 'Data profile');
  }
}

/** Profiles a frame (see ProfileOptions); resolves to a ProfileReport. */
export async function profile(frame: Frame, opts: ProfileOptions = {}): Promise<ProfileReport> {
  return new ProfileReport(await computeProfile(frame, opts));
}

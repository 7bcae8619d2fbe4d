/**
 * profile(frame): what a person needs to know about a table before modelling it — an overview,
 * every variable's statistics and distribution, correlations, missingness, the target and each
 * feature's relation to it, a PCA view, and alerts (constant, high cardinality, high missing
 * share, strong skew, imbalance, duplicates, leakage suspects). Every number is in `.toJSON()`;
 * `.toHtml()` (profile-html.ts) draws it as one self-contained page.
 */
import { ParamError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { equalWidthEdges, histogramCountsSorted, percentile, searchSorted } from '../core/numeric.js';
import { type CentralMoments, centralMoments } from '../core/moments.js';
import { sumInOrder } from '../core/passes.js';
import { Rng } from '../core/prng.js';
import { describeColumn } from '../data/describe.js';
import type { Frame, FrameColumn, CategoricalSummary, NumericSummary } from '../data/frame.js';
import { PCA } from '../decomposition/index.js';
import { mutualInfoOfTable } from '../stats/association.js';
import { fOnewayByCode } from '../stats/anova.js';
import { chi2Contingency, corr, fOneway, pearsonr, shapiro } from '../stats/index.js';
import { normaltestOfMoments } from '../stats/normality.js';
import { type Coded, codeCountsOf, codedOf, cramersVOfCodes, crossCounts, deciles, valuesByCode, withoutEmpty } from './profile-codes.js';
import { profileHtml } from './profile-html.js';
import type { ProfileAlert, ProfileOptions, ProfileResult, TargetRelation, VariableProfile } from './profile-types.js';
import { argsortStable, sortedCopy, sortedFinite } from '../ops/sort.js';

const numericKind = (c: FrameColumn) => c.kind !== 'categorical';

function valuesOf(c: FrameColumn): Float64Array {
  if (c.kind !== 'categorical') return c.values;
  throw new ParamError('internal: not a numeric column');
}

const labelAt = (c: Coded | undefined, i: number): string | null => (c && c.codes[i] >= 0 ? c.names[c.codes[i]] : null);

/** Equal-width bins (Sturges, at most 50) over the finite values, given in order. */
function histogram(s: Float64Array): { edges: number[]; counts: number[] } {
  if (s.length === 0) return { edges: [], counts: [] };
  const edges = equalWidthEdges(s[0], s[s.length - 1], Math.min(50, Math.ceil(Math.log2(s.length)) + 1));
  return { edges: Array.from(edges), counts: Array.from(histogramCountsSorted(s, edges)) };
}

function fiveNumbers(v: ArrayLike<number>): { min: number; q1: number; median: number; q3: number; max: number } {
  const s = sortedCopy(v);
  return { min: s[0], q1: percentile(s, 25), median: percentile(s, 50), q3: percentile(s, 75), max: s[s.length - 1] };
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
  // one sorted copy of the non-NaN values per numeric column, shared by its summary, histogram,
  // outliers and deciles (held for this call only), and its moments, shared by the summary and
  // the normality test
  const sortedCopies = new Map<Float64Array, Float64Array>();
  const finiteSorted = (v: Float64Array): Float64Array => {
    let s = sortedCopies.get(v);
    if (!s) sortedCopies.set(v, (s = sortedFinite(v)));
    return s;
  };
  const moments = new Map<string, CentralMoments>();
  const summaries = Object.fromEntries(
    names.map((nm) => {
      const c = cols.get(nm)!;
      if (c.kind === 'categorical') return [nm, describeColumn(c)];
      const s = finiteSorted(c.values);
      const m = centralMoments(s);
      moments.set(nm, m);
      return [nm, describeColumn(c, s, m)];
    }),
  );

  // overview
  let missingCells = 0;
  const types: Record<string, number> = {};
  for (const [name, c] of cols) {
    types[c.kind] = (types[c.kind] ?? 0) + 1;
    missingCells += summaries[name].missing;
  }
  const duplicateFlags = frame.duplicated();
  const duplicateRows = sumInOrder(duplicateFlags);
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
      const s = finiteSorted(values);
      v.histogram = histogram(s);
      if (s.length) {
        const q1 = percentile(s, 25),
          q3 = percentile(s, 75),
          iqr = q3 - q1;
        // sorted: the values below the lower fence lead, those above the upper fence trail
        v.iqrOutliers = searchSorted(s, q1 - 1.5 * iqr, 'left') + (s.length - searchSorted(s, q3 + 1.5 * iqr, 'right'));
      }
      if (c.kind === 'numeric' && s.length >= 8 && s[0] !== s[s.length - 1]) {
        const r = s.length <= 5000 ? shapiro(s) : normaltestOfMoments(moments.get(name)!);
        v.normality = { test: s.length <= 5000 ? 'shapiro' : 'normaltest', statistic: r.statistic, pvalue: r.pvalue };
      }
    } else {
      const coded = codedOf(c);
      const perCode = codeCountsOf(coded);
      v.topCategories = coded.names
        .map((category, k): [string, number] => [category, perCode[k]])
        .filter(([, count]) => count > 0)
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
    const coded = categorical.map((nm) => codedOf(cols.get(nm)!));
    for (let i = 0; i < k; i++)
      for (let j = i + 1; j < k; j++) {
        const v = cramersVOfCodes(coded[i], coded[j]);
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
    const ind = withMissing.map((nm) => missingIndicator(cols.get(nm)!));
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
  let targetCoded: Coded | undefined;
  if (opts.target) {
    const tc = cols.get(opts.target)!;
    const classification = tc.kind === 'categorical' || tc.kind === 'boolean' || (summaries[opts.target] as NumericSummary).distinct <= 10;
    // a numeric target is compared through its deciles (mutual information) and its values (tests)
    const tl = (targetCoded = classification ? codedOf(tc) : deciles(valuesOf(tc), finiteSorted(valuesOf(tc))));
    const relations: TargetRelation[] = [];
    for (const nm of names) {
      if (nm === opts.target || nm === opts.timeColumn) continue;
      const c = cols.get(nm)!;
      if (c.kind === 'datetime') continue;
      const fl = numericKind(c) ? deciles(valuesOf(c), finiteSorted(valuesOf(c))) : codedOf(c);
      const table = crossCounts(fl, tl);
      const mi = mutualInfoOfTable(table);
      let rel: TargetRelation | undefined;
      if (classification && numericKind(c)) {
        const groups = valuesByCode(valuesOf(c), tl);
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
        // a numeric target across the categories of the feature: one-way ANOVA, straight off the codes
        const r = fOnewayByCode(valuesOf(tc), fl.codes, fl.names.length);
        if (r) rel = { feature: nm, test: 'fOneway', statistic: r.statistic, pvalue: r.pvalue, mutualInfo: mi };
      } else if (classification) {
        const observed = withoutEmpty(table);
        if (observed.length >= 2 && observed[0].length >= 2) {
          const r = chi2Contingency(observed);
          rel = { feature: nm, test: 'chi2Contingency', statistic: r.statistic, pvalue: r.pvalue, mutualInfo: mi };
        }
      } else {
        const r = pearsonr(valuesOf(c), valuesOf(tc), { nanPolicy: 'omit' });
        rel = { feature: nm, test: 'pearsonr', statistic: r.statistic, pvalue: r.pvalue, mutualInfo: mi };
      }
      if (rel) relations.push(rel);
    }
    relations.sort((a, b) => b.mutualInfo - a.mutualInfo);
    const perCode = codeCountsOf(tl);
    const counts = new Map<string, number>();
    tl.names.forEach((name, k) => perCode[k] > 0 && counts.set(name, (counts.get(name) ?? 0) + perCode[k]));
    target = {
      column: opts.target,
      task: classification ? 'classification' : 'regression',
      ...(classification
        ? { classes: [...counts].sort((a, b) => b[1] - a[1]).map(([label, count]) => ({ label, count })) }
        : { histogram: histogram(finiteSorted(valuesOf(tc))) }),
      relations,
    };
  }
  progress(0.8, 'target');

  // PCA of the complete numeric rows (standardised), and the pair plot of the top features
  const features = numeric.filter((nm) => nm !== opts.target);
  let pca: ProfileResult['pca'];
  let pairPlot: ProfileResult['pairPlot'];
  if (features.length >= 2) {
    const fv = features.map((nm) => valuesOf(cols.get(nm)!));
    const p = features.length;
    // the rows where every feature is present, and each row's place among them (−1: incomplete)
    const completeAt = new Int32Array(n).fill(-1);
    const completeRows = new Int32Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      let ok = true;
      for (let j = 0; j < p && ok; j++) ok = fv[j][i] === fv[j][i];
      if (ok) {
        completeAt[i] = m;
        completeRows[m++] = i;
      }
    }
    const rows = Array.from(new Rng(opts.randomState ?? 0).sampleIndices(m, Math.min(m, sampleSize)), (k) => completeRows[k]);
    if (m >= 3) {
      const X = new Float64Array(m * p);
      for (let j = 0; j < p; j++) {
        const v = fv[j];
        let sum = 0;
        for (let r = 0; r < m; r++) sum += v[completeRows[r]];
        const mean = sum / m;
        let ss = 0;
        for (let r = 0; r < m; r++) ss += (v[completeRows[r]] - mean) ** 2;
        const sd = Math.sqrt(ss / m) || 1;
        for (let r = 0; r < m; r++) X[r * p + j] = (v[completeRows[r]] - mean) / sd;
      }
      const model = new PCA({ nComponents: 2 });
      const Z = await model.fitTransform(new Matrix(X, m, p));
      pca = {
        columns: features,
        explainedVarianceRatio: Array.from(model.explainedVarianceRatio),
        points: rows.map((i) => ({ x: Z.data[completeAt[i] * 2], y: Z.data[completeAt[i] * 2 + 1], label: labelAt(targetCoded, i) })),
      };
      const ranked = target ? target.relations.filter((r) => features.includes(r.feature)).map((r) => r.feature) : features;
      const top = [...new Set([...ranked, ...features])].slice(0, 4);
      pairPlot = {
        columns: top,
        points: rows.map((i) => Object.fromEntries(top.map((nm) => [nm, valuesOf(cols.get(nm)!)[i]]))),
        labels: rows.map((i) => labelAt(targetCoded, i)),
      };
    }
  }
  progress(0.9, 'PCA');

  // time series: each numeric column over the time column (at most 500 points, in time order)
  let timeSeries: ProfileResult['timeSeries'];
  if (opts.timeColumn) {
    const tc = cols.get(opts.timeColumn)!;
    if (tc.kind === 'categorical') throw new ParamError(`profile: timeColumn ${JSON.stringify(opts.timeColumn)} must hold dates or numbers`);
    // in time order, ties in row order; NaNs (sorted last) left out
    const all = argsortStable(tc.values);
    let present = all.length;
    while (present > 0 && Number.isNaN(tc.values[all[present - 1]])) present--;
    const order = Array.from(all.subarray(0, present));
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
  return cramersVOfCodes(codedOf(frame.column(a)), codedOf(frame.column(b)));
}

/** 1 where the column is missing, else 0. */
function missingIndicator(c: FrameColumn): Float64Array {
  const out = new Float64Array(c.kind === 'categorical' ? c.codes.length : c.values.length);
  if (c.kind === 'categorical') for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? 1 : 0;
  else for (let i = 0; i < out.length; i++) out[i] = c.values[i] !== c.values[i] ? 1 : 0;
  return out;
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

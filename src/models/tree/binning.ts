/**
 * Feature binning for the hist engine: each numerical feature gets up to maxBins value bins
 * from quantiles of (a sample of) its values, with midpoints between distinct values as
 * edges, as scikit-learn's HistGradientBoosting does; each categorical feature gets one bin
 * per category code. Bin 0 is the missing-value bin of every feature.
 */
import { ParamError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import type { HistBinSpec, HistKernels } from '../../backend/backend.js';
import { binSampleJs } from '../../backend/hist/bin-sample.js';
import { sortedCopy } from '../../ops/sort.js';

/** Rows sampled to place the numerical edges (LightGBM's bin_construct_sample_cnt). */
export const BIN_SAMPLE_ROWS = 200_000;
/** Categorical codes are integers in [0, MAX_CATEGORY_CODE]. */
export const MAX_CATEGORY_CODE = 65_535;

export interface BinMapper {
  p: number;
  maxBins: number;
  categorical: Uint8Array;
  /** Upper edges per numerical feature (empty for categorical ones). */
  edges: Float64Array[];
  /** Sorted category codes per categorical feature (empty for numerical ones): code k-th → bin k + 1. */
  categories: Int32Array[];
  /** Bins per feature, the missing bin included. */
  binCount: Int32Array;
}

/** Edges between the value bins of one column sample (sorted, NaN-free). */
function numericEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  if (distinct.length <= maxBins) {
    return Float64Array.from({ length: Math.max(0, distinct.length - 1) }, (_, i) => distinct[i] + (distinct[i + 1] - distinct[i]) / 2);
  }
  // Quantiles at k / maxBins with numpy's 'midpoint' interpolation, deduplicated.
  const edges: number[] = [];
  const m = sorted.length;
  for (let k = 1; k < maxBins; k++) {
    const pos = (k / maxBins) * (m - 1);
    const lo = Math.floor(pos),
      hi = Math.ceil(pos);
    const q = (sorted[lo] + sorted[hi]) / 2;
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  return Float64Array.from(edges);
}

function categoryCodes(X: Matrix, f: number, owner: string, maxBins: number): Int32Array {
  const { rows, cols, data } = X;
  const seen = new Uint8Array(MAX_CATEGORY_CODE + 1);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const v = data[r * cols + f];
    if (v !== v) continue;
    if (!Number.isInteger(v) || v < 0 || v > MAX_CATEGORY_CODE) {
      throw new ParamError(
        `${owner}: categorical feature ${f} holds ${v} at row ${r}; categories must be integer codes in ` +
          `[0, ${MAX_CATEGORY_CODE}] (NaN for missing) — encode them with OrdinalEncoder first`,
      );
    }
    if (!seen[v]) {
      seen[v] = 1;
      count++;
    }
  }
  if (count > maxBins) {
    throw new ParamError(
      `${owner}: categorical feature ${f} has ${count} categories, more than maxBins = ${maxBins}; ` +
        'raise maxBins (at most 255), group rare categories, or treat the feature as numerical',
    );
  }
  const codes = new Int32Array(count);
  for (let c = 0, k = 0; c <= MAX_CATEGORY_CODE && k < count; c++) if (seen[c]) codes[k++] = c;
  return codes;
}

/**
 * The bin mapper of X. The numerical edges come from the values of BIN_SAMPLE_ROWS rows drawn from
 * the seed; `sample` draws and gathers them (a hist backend's binSample; the js reference by
 * default, the same rows and values on every backend).
 */
export function fitBinMapper(
  X: Matrix,
  categorical: Uint8Array,
  maxBins: number,
  seed: number,
  owner: string,
  sample: HistKernels['binSample'] = binSampleJs,
): BinMapper {
  const { rows, cols: p, data } = X;
  const edges: Float64Array[] = [],
    categories: Int32Array[] = [];
  const binCount = new Int32Array(p);
  const numerical: number[] = [];
  for (let f = 0; f < p; f++) if (!categorical[f]) numerical.push(f);
  const k = Math.min(rows, BIN_SAMPLE_ROWS);
  const drawn = numerical.length
    ? sample(data, rows, p, Int32Array.from(numerical), Uint32Array.from(new Rng(seed).getState().slice(0, 4)), k)
    : { values: new Float64Array(0), counts: new Int32Array(0) };
  for (let f = 0, c = 0; f < p; f++) {
    if (categorical[f]) {
      const codes = categoryCodes(X, f, owner, maxBins);
      categories.push(codes);
      edges.push(new Float64Array(0));
      binCount[f] = codes.length + 1;
      continue;
    }
    const m = drawn.counts[c];
    const e = m > 0 ? numericEdges(sortedCopy(drawn.values.subarray(c * k, c * k + m)), maxBins) : new Float64Array(0);
    c++;
    edges.push(e);
    categories.push(new Int32Array(0));
    binCount[f] = m > 0 ? e.length + 2 : 1;
  }
  return { p, maxBins, categorical, edges, categories, binCount };
}

/** The mapper in the layout the binning kernels read. */
export function binSpec(m: BinMapper): HistBinSpec {
  const edgeOffset = new Int32Array(m.p + 1),
    catOffset = new Int32Array(m.p + 1);
  for (let f = 0; f < m.p; f++) {
    edgeOffset[f + 1] = edgeOffset[f] + m.edges[f].length;
    const codes = m.categories[f];
    catOffset[f + 1] = catOffset[f] + (codes.length ? codes[codes.length - 1] + 1 : 0);
  }
  const edges = new Float64Array(edgeOffset[m.p]);
  const catTable = new Uint8Array(catOffset[m.p]);
  for (let f = 0; f < m.p; f++) {
    edges.set(m.edges[f], edgeOffset[f]);
    m.categories[f].forEach((code, k) => {
      catTable[catOffset[f] + code] = k + 1;
    });
  }
  return { edges, edgeOffset, categorical: m.categorical, catTable, catOffset };
}

/** The raw threshold of a numerical split "bins 1..t go left": x <= threshold. */
export function rawThreshold(m: BinMapper, f: number, t: number): number {
  const e = m.edges[f];
  return t - 1 < e.length ? e[t - 1] : Infinity;
}

/** The raw category codes (as a bitset of `words` words) whose bins are set in binBits (8 words). */
export function rawCategoryBits(m: BinMapper, f: number, binBits: Uint32Array): Uint32Array {
  const codes = m.categories[f];
  const words = codes.length ? (codes[codes.length - 1] >> 5) + 1 : 0;
  const out = new Uint32Array(words);
  codes.forEach((code, k) => {
    const bin = k + 1;
    if ((binBits[bin >> 5] >>> (bin & 31)) & 1) out[code >> 5] |= 1 << (code & 31);
  });
  return out;
}

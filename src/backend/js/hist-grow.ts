/**
 * The reference tree grower: native/kernels/hist/grow.cc's rules in plain TypeScript, so that
 * every backend's trees have an oracle. Leaf-wise: the leaf with the largest gain splits next
 * (equal gains: the smaller node id); children take node ids in order (left, then right); a
 * leaf is split only when it has at least max(2 · max(1, minDataInLeaf), minDataToSplit) rows
 * and is above maxDepth; the split search is split.cc's (hist/split-search.ts). With quantised
 * gradients (hist/quantize.ts gives native's integers) every sum is an exact integer, so the
 * trees are native's node for node. Float gradients sum in row order here, where native sums
 * per thread and derives the larger child by subtraction: the same trees up to f64 rounding.
 *
 * Written for clarity: each searched leaf's histogram is built from its rows (no pool, no
 * subtraction), rows are partitioned with a stable filter.
 */
import { checkHistGrowArgs, type HistGrowArgs, type QuantizedGradients } from '../contract/hist.js';
import { giveScratch, quantizeGradientsJs } from '../hist/quantize.js';
import { allowedFeatures, childGroups, interactionOf, nodeFeatures, openFeatures } from '../hist/node-features.js';
import { childBounds, clearSplit, leafValue, Searcher, type Bins, type Split, type SplitContext } from '../hist/split-search.js';

interface Leaf {
  node: number;
  rows: Int32Array;
  depth: number;
  /** Sums in histogram units: gradient per channel, hessian, count. */
  g: Float64Array;
  h: number;
  n: number;
  split: Split | null;
  /** Bounds monotonic constraints put on the leaf's value. */
  lower: number;
  upper: number;
  /** Interaction groups still open to the leaf (null: no constraints). */
  groups: Uint8Array | null;
}

/** Per feature, its bins' sums: g[(f, c, b)], h[(f, b)], n[(f, b)] at offsets binOff[f]. */
interface Histogram {
  g: Float64Array;
  h: Float64Array;
  n: Float64Array;
}

export function histGrowRef(a: HistGrowArgs): void {
  checkHistGrowArgs(a);
  const { n, p, params } = a;
  const quantized = params.quantized !== 0;
  const C = a.channels;
  const rows0 = a.rows ? Int32Array.from(a.rows) : Int32Array.from({ length: n }, (_, i) => i);
  const q: QuantizedGradients | null = quantized ? quantizeGradientsJs(a.gradHess, a.rows, n, params.seed) : null;
  // Quantised (g, h) per row, indexed by row (the quantiser gives them per position).
  const qg = quantized ? new Float64Array(n) : null,
    qh = quantized ? new Float64Array(n) : null;
  if (q && qg && qh) {
    for (let j = 0; j < rows0.length; j++) {
      qg[rows0[j]] = q.gh[j] >> 16;
      qh[rows0[j]] = q.gh[j] & 0xffff;
    }
    giveScratch(q.gh);
  }
  const monotone = a.monotone ?? null;
  const interaction = interactionOf(a);
  const ctx: SplitContext = { params, gScale: q ? q.gScale : 1, hScale: q ? q.hScale : 1, binCount: a.binCount, channels: C, monotone };
  const binOff = new Int32Array(p + 1);
  for (let f = 0; f < p; f++) binOff[f + 1] = binOff[f] + a.binCount[f];
  const B = binOff[p];
  const allowed = allowedFeatures(p, a.featureAllowed);
  const stride = C + 1;

  const histogram = (rows: Int32Array): Histogram => {
    const hist: Histogram = { g: new Float64Array(B * C), h: new Float64Array(B), n: new Float64Array(B) };
    for (const r of rows) {
      for (let f = 0; f < p; f++) {
        const slot = binOff[f] + a.bins[r * p + f];
        if (qg && qh) {
          hist.g[slot] += qg[r];
          hist.h[slot] += qh[r];
        } else {
          for (let c = 0; c < C; c++) hist.g[binOff[f] * C + c * a.binCount[f] + a.bins[r * p + f]] += a.gradHess[r * stride + c];
          hist.h[slot] += a.gradHess[r * stride + C];
        }
        hist.n[slot]++;
      }
    }
    return hist;
  };
  const binsOf = (hist: Histogram, f: number): Bins => ({
    g: hist.g.subarray(binOff[f] * C, binOff[f + 1] * C),
    h: hist.h.subarray(binOff[f], binOff[f + 1]),
    n: hist.n.subarray(binOff[f], binOff[f + 1]),
  });
  const splittable = (l: Leaf) =>
    !(params.maxDepth > 0 && l.depth >= params.maxDepth) && l.n >= Math.max(2 * Math.max(1, params.minDataInLeaf), params.minDataToSplit);
  const search = (l: Leaf, hist: Histogram | null): Split | null => {
    if (!splittable(l)) return null;
    const h = hist ?? histogram(l.rows);
    const features = nodeFeatures(openFeatures(allowed, interaction, l.groups), params.featureFractionByNode, params.seed, l.node);
    const s = new Searcher(ctx, l.g, l.h, l.n, l.lower, l.upper);
    for (let f = 0; f < p; f++) {
      if (!features[f] || a.binCount[f] < 2) continue;
      if (a.categorical[f]) s.categorical(f, binsOf(h, f));
      else if (params.randomThresholds) s.numericalRandom(f, binsOf(h, f), l.node);
      else s.numericalBins(f, binsOf(h, f));
    }
    const best = s.result();
    return best && { ...best, lg: Float64Array.from(best.lg), catBits: Uint32Array.from(best.catBits) };
  };

  const o = a.out;
  const writeLeaf = (l: Leaf) => {
    const id = l.node;
    clearSplit(o, id);
    const h = l.h * ctx.hScale;
    for (let c = 0; c < C; c++) o.value[id * C + c] = leafValue(l.g[c] * ctx.gScale, h, params.lambdaL1, params.lambdaL2, l.lower, l.upper);
    o.cover[id] = h;
    o.count[id] = l.n;
    o.depth[id] = l.depth;
  };
  const goesLeft = (s: Split, bin: number) =>
    s.categorical ? ((s.catBits[bin >> 5] >>> (bin & 31)) & 1) === 1 : bin === 0 ? s.defaultLeft : bin <= s.threshold;

  // The root's sums come from feature 0's bins, as native reads them off its histogram.
  const rootHist = histogram(rows0);
  const total = binsOf(rootHist, 0),
    g0 = new Float64Array(C);
  let h0 = 0,
    n0 = 0;
  for (let b = 0; b < a.binCount[0]; b++) {
    for (let c = 0; c < C; c++) g0[c] += total.g[c * a.binCount[0] + b];
    h0 += total.h[b];
    n0 += total.n[b];
  }
  let numNodes = 0;
  const root: Leaf = {
    node: numNodes++,
    rows: rows0,
    depth: 0,
    g: g0,
    h: h0,
    n: n0,
    split: null,
    lower: -Infinity,
    upper: Infinity,
    groups: interaction && new Uint8Array(interaction.groups).fill(1),
  };
  writeLeaf(root);
  root.split = search(root, rootHist);
  const leaves: Leaf[] = [root]; // the current leaves, in creation order
  while (leaves.length < params.maxLeaves) {
    let best = -1;
    for (let i = 0; i < leaves.length; i++) {
      const s = leaves[i].split;
      if (!s) continue;
      const b = best >= 0 ? leaves[best] : null;
      if (!b || s.gain > b.split!.gain || (s.gain === b.split!.gain && leaves[i].node < b.node)) best = i;
    }
    if (best < 0) break;
    const x = leaves[best],
      s = x.split!;
    leaves.splice(best, 1);
    const side = (r: number) => goesLeft(s, a.bins[r * p + s.feature]);
    const gr = new Float64Array(C);
    for (let c = 0; c < C; c++) gr[c] = x.g[c] - s.lg[c];
    const b = childBounds(ctx, s, x.g[0], x.h, x.lower, x.upper);
    const groups = childGroups(interaction, x.groups, s.feature, p);
    const left: Leaf = {
      node: numNodes++,
      rows: x.rows.filter(side),
      depth: x.depth + 1,
      g: s.lg,
      h: s.lh,
      n: s.ln,
      split: null,
      lower: b.left[0],
      upper: b.left[1],
      groups,
    };
    const right: Leaf = {
      node: numNodes++,
      rows: x.rows.filter((r) => !side(r)),
      depth: x.depth + 1,
      g: gr,
      h: x.h - s.lh,
      n: x.n - s.ln,
      split: null,
      lower: b.right[0],
      upper: b.right[1],
      groups,
    };
    const id = x.node;
    o.feature[id] = s.feature;
    o.threshold[id] = s.threshold;
    o.defaultLeft[id] = s.defaultLeft ? 1 : 0;
    o.isCategorical[id] = s.categorical ? 1 : 0;
    o.catBits.set(s.catBits, 8 * id);
    o.gain[id] = s.gain;
    o.left[id] = left.node;
    o.right[id] = right.node;
    writeLeaf(left);
    writeLeaf(right);
    left.split = search(left, null);
    right.split = search(right, null);
    leaves.push(left, right);
  }
  o.numNodes[0] = numNodes;

  // Scores and leaf assignment: every row walks the finished tree on its bins.
  const leafOf = (r: number) => {
    let node = 0;
    while (o.feature[node] >= 0) {
      const bin = a.bins[r * p + o.feature[node]];
      const left = o.isCategorical[node]
        ? ((o.catBits[8 * node + (bin >> 5)] >>> (bin & 31)) & 1) === 1
        : bin === 0
          ? o.defaultLeft[node] !== 0
          : bin <= o.threshold[node];
      node = left ? o.left[node] : o.right[node];
    }
    return node;
  };
  if (a.leafOfRow) {
    a.leafOfRow.fill(-1, 0, n);
    for (const r of rows0) a.leafOfRow[r] = leafOf(r);
  }
  if (a.scores) {
    for (let r = 0; r < n; r++) a.scores[r * a.scoreStride + a.scoreColumn] += a.scale * o.value[leafOf(r) * C];
  }
}

/**
 * Path-dependent TreeSHAP (Lundberg, Erion & Lee, 2018, Algorithm 2): exact Shapley values of
 * each feature for each prediction in O(leaves · depth²) per tree, using the node covers
 * (hessian sums) recorded at training as the background distribution.
 */
import { Matrix } from '../../core/matrix.js';
import { histGoesLeft, nodeWords } from '../../backend/hist/forest-walk.js';
import type { HistForest } from '../../backend/backend.js';
import type { TreeEnsemble } from './ensemble.js';

interface Path {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

function newPath(size: number): Path {
  return { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };
}

function extend(m: Path, o: number, depth: number, zero: number, one: number, feature: number): void {
  m.feature[o + depth] = feature;
  m.zero[o + depth] = zero;
  m.one[o + depth] = one;
  m.weight[o + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    m.weight[o + i + 1] += (one * m.weight[o + i] * (i + 1)) / (depth + 1);
    m.weight[o + i] = (zero * m.weight[o + i] * (depth - i)) / (depth + 1);
  }
}

function unwind(m: Path, o: number, depth: number, index: number): void {
  const one = m.one[o + index],
    zero = m.zero[o + index];
  let next = m.weight[o + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const t = m.weight[o + i];
      m.weight[o + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = t - (m.weight[o + i] * zero * (depth - i)) / (depth + 1);
    } else {
      m.weight[o + i] = (m.weight[o + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    m.feature[o + i] = m.feature[o + i + 1];
    m.zero[o + i] = m.zero[o + i + 1];
    m.one[o + i] = m.one[o + i + 1];
  }
}

function unwoundSum(m: Path, o: number, depth: number, index: number): number {
  const one = m.one[o + index],
    zero = m.zero[o + index];
  let next = m.weight[o + depth],
    total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const t = (next * (depth + 1)) / ((i + 1) * one);
      total += t;
      next = m.weight[o + i] - (t * zero * (depth - i)) / (depth + 1);
    } else {
      total += m.weight[o + i] / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

/** Contributions of one tree to phi (channels × (p + 1) per row slice), for row x. */
class TreeExplainer {
  private path: Path;
  private readonly stride: number;

  private readonly forest: HistForest;
  private readonly words: Int32Array;

  constructor(
    private readonly e: TreeEnsemble,
    maxDepth: number,
  ) {
    this.forest = e.forest();
    this.words = nodeWords(this.forest.nodes);
    this.stride = maxDepth + 2;
    this.path = newPath(this.stride * (maxDepth + 2));
  }

  explain(root: number, x: Float64Array | Float32Array, base: number, weight: number, phi: Float64Array[], column: number, p: number): void {
    this.recurse(root, 0, 0, -1, 1, 1, -1, x, base, weight, phi, column, p);
  }

  private recurse(
    node: number,
    slot: number,
    depth: number,
    parentSlot: number,
    zero: number,
    one: number,
    feature: number,
    x: Float64Array | Float32Array,
    base: number,
    weight: number,
    phi: Float64Array[],
    column: number,
    p: number,
  ): void {
    const e = this.e,
      m = this.path,
      o = slot * this.stride;
    if (parentSlot >= 0) {
      const po = parentSlot * this.stride;
      for (let i = 0; i < depth; i++) {
        m.feature[o + i] = m.feature[po + i];
        m.zero[o + i] = m.zero[po + i];
        m.one[o + i] = m.one[po + i];
        m.weight[o + i] = m.weight[po + i];
      }
    }
    extend(m, o, depth, zero, one, feature);
    const f = e.feature[node];
    if (f < 0) {
      const C = e.channels;
      for (let i = 1; i <= depth; i++) {
        const w = unwoundSum(m, o, depth, i) * (m.one[o + i] - m.zero[o + i]) * weight;
        for (let c = 0; c < C; c++) phi[column + c][m.feature[o + i]] += w * e.value[node * C + c];
      }
      return;
    }
    const goesLeft = histGoesLeft(this.forest, node, this.words[4 * node + 2], x[base + f]);
    const hot = goesLeft ? e.left[node] : e.right[node],
      cold = goesLeft ? e.right[node] : e.left[node];
    const cover = e.cover[node];
    const hotZero = cover > 0 ? e.cover[hot] / cover : 0,
      coldZero = cover > 0 ? e.cover[cold] / cover : 0;
    let inZero = 1,
      inOne = 1,
      d = depth;
    let k = 1;
    for (; k <= d; k++) if (m.feature[o + k] === f) break;
    if (k <= d) {
      inZero = m.zero[o + k];
      inOne = m.one[o + k];
      unwind(m, o, d, k);
      d -= 1;
    }
    this.recurse(hot, slot + 1, d + 1, slot, hotZero * inZero, inOne, f, x, base, weight, phi, column, p);
    this.recurse(cold, slot + 1, d + 1, slot, coldZero * inZero, 0, f, x, base, weight, phi, column, p);
  }
}

function depthOf(e: TreeEnsemble, root: number, end: number): number {
  const depth = new Int32Array(end - root);
  let max = 0;
  for (let j = root; j < end; j++) {
    if (e.feature[j] < 0) continue;
    for (const c of [e.left[j], e.right[j]]) {
      depth[c - root] = depth[j - root] + 1;
      max = Math.max(max, depth[c - root]);
    }
  }
  return max;
}

/** Expected value of tree t per channel: leaves weighted by their share of the root's cover. */
function expectedValue(e: TreeEnsemble, t: number, c: number): number {
  const root = e.roots[t],
    end = e.treeEnd(t),
    C = e.channels;
  if (!(e.cover[root] > 0)) return e.value[root * C + c];
  let s = 0;
  for (let j = root; j < end; j++) if (e.feature[j] < 0) s += (e.cover[j] / e.cover[root]) * e.value[j * C + c];
  return s;
}

export function treeShap(e: TreeEnsemble, baseScore: Float64Array, X: Matrix): Matrix<Float64Array>[] {
  const p = X.cols,
    n = X.rows,
    K = e.outputs,
    C = e.channels;
  const out = Array.from({ length: K }, () => new Float64Array(n * (p + 1)));
  const phi = Array.from({ length: K }, () => new Float64Array(p + 1));
  const explainers = new Map<number, TreeExplainer>();
  const depths = Array.from({ length: e.trees }, (_, t) => depthOf(e, e.roots[t], e.treeEnd(t)));
  const bias = Float64Array.from(baseScore);
  for (let t = 0; t < e.trees; t++) for (let c = 0; c < C; c++) bias[e.treeColumn[t] + c] += e.treeWeight[t] * expectedValue(e, t, c);
  for (let r = 0; r < n; r++) {
    for (const ph of phi) ph.fill(0);
    for (let t = 0; t < e.trees; t++) {
      const d = depths[t];
      let ex = explainers.get(d);
      if (!ex) explainers.set(d, (ex = new TreeExplainer(e, d)));
      ex.explain(e.roots[t], X.data, r * p, e.treeWeight[t], phi, e.treeColumn[t], p);
    }
    for (let k = 0; k < K; k++) {
      out[k].set(phi[k].subarray(0, p), r * (p + 1));
      out[k][r * (p + 1) + p] = bias[k];
    }
  }
  return out.map((a) => new Matrix(a, n, p + 1));
}

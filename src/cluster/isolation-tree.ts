/**
 * Isolation trees (scikit-learn 1.2's IsolationForest trees: ExtraTreeRegressor with one random
 * feature and a uniform random threshold per node, depth at most ceil(log2(maxSamples))), grown
 * into one flat forest: per node a feature (−1 at a leaf), a threshold, the left child (the right
 * one follows it) and, at a leaf, its path length (depth + c(rows in the leaf)).
 */
import type { Rng } from '../core/prng.js';
import { HIST_NODE_LEAF, type HistForest } from '../backend/contract/hist.js';

export interface IsolationForestNodes {
  /** First node of each tree (nTrees + 1 entries, the last one the node count). */
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  /** At a leaf: its depth plus the average path length of its rows; 0 elsewhere. */
  pathLength: Float64Array;
}

const EULER_GAMMA = 0.5772156649015329;

/** scikit-learn's _average_path_length: the mean depth an unsuccessful BST search reaches among n rows. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** Growable node storage. */
class NodeBuffer {
  feature = new Int32Array(1024);
  threshold = new Float64Array(1024);
  left = new Int32Array(1024);
  pathLength = new Float64Array(1024);
  size = 0;

  alloc(k: number): number {
    const at = this.size;
    if (at + k > this.feature.length) {
      const cap = Math.max(2 * this.feature.length, at + k);
      const grow = <T extends Int32Array | Float64Array>(a: T, C: new (n: number) => T): T => {
        const b = new C(cap);
        b.set(a);
        return b;
      };
      this.feature = grow(this.feature, Int32Array);
      this.threshold = grow(this.threshold, Float64Array);
      this.left = grow(this.left, Int32Array);
      this.pathLength = grow(this.pathLength, Float64Array);
    }
    this.size += k;
    return at;
  }
}

export interface GrowOptions {
  nTrees: number;
  maxSamples: number;
  /** Features each tree sees (drawn without replacement), 1..p. */
  maxFeatures: number;
  bootstrap: boolean;
}

/** Grows nTrees isolation trees on X (rows × p, row-major). */
export function growIsolationForest(X: Float32Array, rows: number, p: number, o: GrowOptions, rng: Rng): IsolationForestNodes {
  const buf = new NodeBuffer();
  const roots = new Int32Array(o.nTrees + 1);
  const maxDepth = Math.ceil(Math.log2(Math.max(o.maxSamples, 2)));
  const m = o.maxSamples;
  const idx = new Int32Array(m);
  const perm = Int32Array.from({ length: rows }, (_, i) => i);
  const swaps = new Int32Array(m);
  const sub = new Float32Array(m * p);
  const feats = new Int32Array(p);
  const cand = new Int32Array(o.maxFeatures);
  // explicit stack of (node, lo, hi, depth)
  const stack = new Int32Array(4 * (maxDepth + 2) * 2);
  for (let t = 0; t < o.nTrees; t++) {
    roots[t] = buf.size;
    // rows of this tree
    if (o.bootstrap) for (let i = 0; i < m; i++) idx[i] = rng.int(rows);
    else {
      // partial Fisher-Yates, undone afterwards so that perm is the identity again
      for (let i = 0; i < m; i++) {
        const j = i + rng.int(rows - i);
        swaps[i] = j;
        const v = perm[j];
        perm[j] = perm[i];
        perm[i] = v;
        idx[i] = v;
      }
      for (let i = m - 1; i >= 0; i--) {
        const j = swaps[i];
        const v = perm[j];
        perm[j] = perm[i];
        perm[i] = v;
      }
    }
    // the tree's rows, copied contiguous (the splits then read a small block that stays in cache)
    for (let i = 0; i < m; i++) {
      sub.set(X.subarray(idx[i] * p, idx[i] * p + p), i * p);
      idx[i] = i;
    }
    // features of this tree
    for (let j = 0; j < p; j++) feats[j] = j;
    for (let j = 0; j < o.maxFeatures; j++) {
      const r = j + rng.int(p - j);
      const v = feats[r];
      feats[r] = feats[j];
      feats[j] = v;
      cand[j] = v;
    }
    let sp = 0;
    const root = buf.alloc(1);
    stack[sp++] = root;
    stack[sp++] = 0;
    stack[sp++] = m;
    stack[sp++] = 0;
    while (sp > 0) {
      const depth = stack[--sp],
        hi = stack[--sp],
        lo = stack[--sp],
        node = stack[--sp];
      let split = false;
      if (hi - lo > 1 && depth < maxDepth) {
        // draw features without replacement until one is not constant on the node's rows
        let remaining = o.maxFeatures;
        while (remaining > 0 && !split) {
          const r = rng.int(remaining);
          const f = cand[r];
          cand[r] = cand[remaining - 1];
          cand[remaining - 1] = f;
          remaining--;
          let mn = Infinity,
            mx = -Infinity;
          for (let i = lo; i < hi; i++) {
            const v = sub[idx[i] * p + f];
            if (v < mn) mn = v;
            if (v > mx) mx = v;
          }
          if (mx <= mn + 1e-7) continue;
          let thr = mn + (mx - mn) * rng.random();
          if (thr >= mx) thr = mn;
          // partition: rows with X <= thr first
          let a = lo,
            b = hi - 1;
          while (a <= b) {
            if (sub[idx[a] * p + f] <= thr) a++;
            else {
              const v = idx[a];
              idx[a] = idx[b];
              idx[b] = v;
              b--;
            }
          }
          const child = buf.alloc(2);
          buf.feature[node] = f;
          buf.threshold[node] = thr;
          buf.left[node] = child;
          stack[sp++] = child;
          stack[sp++] = lo;
          stack[sp++] = a;
          stack[sp++] = depth + 1;
          stack[sp++] = child + 1;
          stack[sp++] = a;
          stack[sp++] = hi;
          stack[sp++] = depth + 1;
          split = true;
        }
      }
      if (!split) {
        buf.feature[node] = -1;
        buf.left[node] = -1;
        buf.pathLength[node] = depth + averagePathLength(hi - lo);
      }
    }
  }
  roots[o.nTrees] = buf.size;
  const n = buf.size;
  return {
    roots,
    feature: buf.feature.slice(0, n),
    threshold: buf.threshold.slice(0, n),
    left: buf.left.slice(0, n),
    pathLength: buf.pathLength.slice(0, n),
  };
}

/**
 * The trees as the hist family's packed forest (contract/hist.ts: threshold, feature word, left
 * child; a leaf steps to itself with threshold +∞), one channel whose leaf value is the path
 * length: the family's forest walk (native threads, WGSL, or the js reference) then sums each
 * row's path lengths over the trees.
 */
export function toHistForest(f: IsolationForestNodes): HistForest {
  const n = f.feature.length,
    trees = f.roots.length - 1;
  const nodes = new Float64Array(2 * n);
  const words = new Int32Array(nodes.buffer);
  for (let j = 0; j < n; j++) {
    const leaf = f.feature[j] < 0;
    nodes[2 * j] = leaf ? Infinity : f.threshold[j];
    words[4 * j + 2] = leaf ? HIST_NODE_LEAF : f.feature[j];
    words[4 * j + 3] = leaf ? j : f.left[j];
  }
  return {
    nodes,
    catOffset: new Int32Array(n),
    catWords: new Int32Array(n),
    catBits: new Uint32Array(0),
    value: f.pathLength,
    channels: 1,
    roots: f.roots.subarray(0, trees),
    treeColumn: new Int32Array(trees),
    treeWeight: new Float64Array(trees).fill(1),
  };
}

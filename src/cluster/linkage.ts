/**
 * Hierarchical clustering trees as scipy's linkage and scikit-learn 1.2 build them: the
 * nearest-neighbour chain, on centroids for 'ward' (O(n p) memory) and on a condensed distance
 * matrix for 'complete' and 'average' (merges sorted by height, then labelled by union-find as
 * scipy's `label`), and Prim's minimum spanning tree for 'single' (no matrix; edges sorted by
 * weight, labelled as scikit-learn's single_linkage_label).
 */

export type Linkage = 'ward' | 'complete' | 'average' | 'single';
export type LinkageMetric = 'euclidean' | 'manhattan' | 'cosine';

export interface LinkageTree {
  /** n − 1 merges: the two clusters merged (a row below n, or n + the merge that made it). */
  children: Int32Array;
  /** Height of each merge. */
  distances: Float64Array;
}

/** The distance between rows a and b of X (n × p). */
function rowDistance(X: Float64Array, p: number, a: number, b: number, metric: LinkageMetric, norms: Float64Array | null): number {
  const oa = a * p,
    ob = b * p;
  let s = 0;
  if (metric === 'euclidean') {
    for (let j = 0; j < p; j++) {
      const d = X[oa + j] - X[ob + j];
      s += d * d;
    }
    return Math.sqrt(s);
  }
  if (metric === 'manhattan') {
    for (let j = 0; j < p; j++) s += Math.abs(X[oa + j] - X[ob + j]);
    return s;
  }
  for (let j = 0; j < p; j++) s += X[oa + j] * X[ob + j];
  return 1 - s / ((norms as Float64Array)[a] * (norms as Float64Array)[b]);
}

function rowNorms(X: Float64Array, n: number, p: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += X[i * p + j] ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** Union-find over n leaves and n − 1 merges (scipy's LinkageUnionFind). */
class UnionFind {
  private parent: Int32Array;
  private next: number;

  constructor(n: number) {
    this.parent = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i);
    this.next = n;
  }

  merge(x: number, y: number): void {
    this.parent[x] = this.next;
    this.parent[y] = this.next;
    this.next++;
  }

  find(x: number): number {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r];
    while (this.parent[x] !== r) {
      const nx = this.parent[x];
      this.parent[x] = r;
      x = nx;
    }
    return r;
  }
}

/** Merges (pairs of rows, heights) sorted stably by height, labelled by union-find. */
function label(a: Int32Array, b: Int32Array, h: Float64Array, n: number, ordered: boolean): LinkageTree {
  const m = n - 1;
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => h[x] - h[y] || x - y);
  const uf = new UnionFind(n);
  const children = new Int32Array(2 * m);
  const distances = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const i = order[k];
    const x = uf.find(a[i]),
      y = uf.find(b[i]);
    children[2 * k] = ordered ? Math.min(x, y) : x;
    children[2 * k + 1] = ordered ? Math.max(x, y) : y;
    distances[k] = h[i];
    uf.merge(x, y);
  }
  return { children, distances };
}

/**
 * One linkage's clusters as the nearest-neighbour chain sees them: the distance between two live
 * clusters, the scan for the nearest one (the hot loop, written per linkage so each stays
 * monomorphic), and the merge. `size[i]` is 0 once cluster i has been merged into another.
 */
interface ChainClusters {
  readonly size: Int32Array;
  distance(x: number, y: number): number;
  /** The live cluster nearest to x closer than `best` (else `y`); its distance in `found`. */
  nearest(x: number, y: number, best: number): number;
  found: number;
  /** Merges x into y (x < y); sizes updated. */
  merge(x: number, y: number): void;
}

/** scipy's nn_chain: follow nearest neighbours until two are mutual, merge them, repeat. */
function nearestNeighbourChain(n: number, clusters: ChainClusters, height: (d: number) => number, signal?: AbortSignal): LinkageTree {
  const size = clusters.size;
  const chain = new Int32Array(n);
  let len = 0;
  const za = new Int32Array(n - 1),
    zb = new Int32Array(n - 1),
    zh = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) {
    if ((k & 255) === 0) signal?.throwIfAborted();
    if (len === 0) {
      let first = 0;
      while (size[first] === 0) first++;
      chain[len++] = first;
    }
    let x = 0,
      y = 0,
      best = Infinity;
    for (;;) {
      x = chain[len - 1];
      if (len > 1) {
        y = chain[len - 2];
        best = clusters.distance(x, y);
      } else best = Infinity;
      y = clusters.nearest(x, y, best);
      best = clusters.found;
      if (len > 1 && y === chain[len - 2]) break;
      chain[len++] = y;
    }
    len -= 2;
    if (x > y) [x, y] = [y, x];
    za[k] = x;
    zb[k] = y;
    zh[k] = height(best);
    clusters.merge(x, y);
  }
  return label(za, zb, zh, n, true);
}

/** Complete and average linkage on the condensed distance matrix (Lance–Williams updates). */
class MatrixClusters implements ChainClusters {
  readonly size: Int32Array;
  found = Infinity;
  private readonly D: Float64Array;

  constructor(
    X: Float64Array,
    private readonly n: number,
    p: number,
    private readonly linkage: 'complete' | 'average',
    metric: LinkageMetric,
  ) {
    const norms = metric === 'cosine' ? rowNorms(X, n, p) : null;
    this.D = new Float64Array((n * (n - 1)) / 2);
    for (let i = 0, o = 0; i < n; i++) for (let j = i + 1; j < n; j++) this.D[o++] = rowDistance(X, p, i, j, metric, norms);
    this.size = new Int32Array(n).fill(1);
  }

  private at(i: number, j: number): number {
    const n = this.n;
    return i < j ? n * i - (i * (i + 1)) / 2 + j - i - 1 : n * j - (j * (j + 1)) / 2 + i - j - 1;
  }

  distance(x: number, y: number): number {
    return this.D[this.at(x, y)];
  }

  nearest(x: number, y: number, best: number): number {
    const { size, D, n } = this;
    for (let i = 0; i < n; i++) {
      if (size[i] === 0 || i === x) continue;
      const d = D[this.at(x, i)];
      if (d < best) {
        best = d;
        y = i;
      }
    }
    this.found = best;
    return y;
  }

  merge(x: number, y: number): void {
    const { size, D, n } = this;
    const nx = size[x],
      ny = size[y];
    size[x] = 0;
    size[y] = nx + ny;
    for (let i = 0; i < n; i++) {
      if (size[i] === 0 || i === y) continue;
      const dx = D[this.at(i, x)],
        dy = D[this.at(i, y)];
      D[this.at(i, y)] = this.linkage === 'complete' ? Math.max(dx, dy) : (nx * dx + ny * dy) / (nx + ny);
    }
  }
}

/**
 * Ward's clusters as centroids: the Ward distance of clusters a and b is
 * √(2 nₐ n_b / (nₐ + n_b)) ‖cₐ − c_b‖, the value scipy's Lance–Williams recursion reaches on the
 * distance matrix, here with O(n p) memory and contiguous scans of the centroids. The chain
 * compares squared distances (monotone in the distance); the tree's heights are their roots.
 */
class CentroidClusters implements ChainClusters {
  readonly size: Int32Array;
  found = Infinity;
  private readonly cent: Float64Array;

  constructor(
    X: Float64Array,
    private readonly n: number,
    private readonly p: number,
  ) {
    this.cent = Float64Array.from(X);
    this.size = new Int32Array(n).fill(1);
  }

  distance(a: number, b: number): number {
    const { cent, p, size } = this;
    const oa = a * p,
      ob = b * p;
    let s = 0;
    for (let j = 0; j < p; j++) {
      const d = cent[oa + j] - cent[ob + j];
      s += d * d;
    }
    const na = size[a],
      nb = size[b];
    return ((2 * na * nb) / (na + nb)) * s;
  }

  nearest(x: number, y: number, best: number): number {
    const { cent, p, size, n } = this;
    const ox = x * p,
      nx = size[x];
    for (let i = 0; i < n; i++) {
      const ni = size[i];
      if (ni === 0 || i === x) continue;
      const oi = i * p;
      let s = 0;
      for (let j = 0; j < p; j++) {
        const d = cent[ox + j] - cent[oi + j];
        s += d * d;
      }
      const v = ((2 * nx * ni) / (nx + ni)) * s;
      if (v < best) {
        best = v;
        y = i;
      }
    }
    this.found = best;
    return y;
  }

  merge(x: number, y: number): void {
    const { cent, p, size } = this;
    const nx = size[x],
      ny = size[y];
    for (let j = 0; j < p; j++) cent[y * p + j] = (nx * cent[x * p + j] + ny * cent[y * p + j]) / (nx + ny);
    size[x] = 0;
    size[y] = nx + ny;
  }
}

/** Single linkage by Prim's minimum spanning tree from row 0 (scikit-learn's mst_linkage_core). */
function singleLinkage(X: Float64Array, n: number, p: number, metric: LinkageMetric, signal?: AbortSignal): LinkageTree {
  const norms = metric === 'cosine' ? rowNorms(X, n, p) : null;
  const inTree = new Uint8Array(n);
  const cur = new Float64Array(n).fill(Infinity);
  const za = new Int32Array(n - 1),
    zb = new Int32Array(n - 1),
    zh = new Float64Array(n - 1);
  let node = 0;
  for (let k = 0; k < n - 1; k++) {
    if ((k & 255) === 0) signal?.throwIfAborted();
    inTree[node] = 1;
    let bestD = Infinity,
      best = 0;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const d = rowDistance(X, p, node, j, metric, norms);
      if (d < cur[j]) cur[j] = d;
      if (cur[j] < bestD) {
        bestD = cur[j];
        best = j;
      }
    }
    za[k] = node;
    zb[k] = best;
    zh[k] = bestD;
    node = best;
  }
  return label(za, zb, zh, n, false);
}

/** The full merge tree of the rows of X (n × p, n >= 2). */
export function linkageTree(X: Float64Array, n: number, p: number, linkage: Linkage, metric: LinkageMetric, signal?: AbortSignal): LinkageTree {
  if (linkage === 'single') return singleLinkage(X, n, p, metric, signal);
  if (linkage === 'ward') return nearestNeighbourChain(n, new CentroidClusters(X, n, p), Math.sqrt, signal);
  return nearestNeighbourChain(n, new MatrixClusters(X, n, p, linkage, metric), (d) => d, signal);
}

// ---- cutting the tree into clusters as scikit-learn's _hc_cut (heapq on negated node ids)

function siftDown(h: number[], start: number, pos: number): void {
  const item = h[pos];
  while (pos > start) {
    const parent = (pos - 1) >> 1;
    if (item < h[parent]) {
      h[pos] = h[parent];
      pos = parent;
      continue;
    }
    break;
  }
  h[pos] = item;
}

function siftUp(h: number[], pos: number): void {
  const end = h.length,
    start = pos,
    item = h[pos];
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !(h[child] < h[right])) child = right;
    h[pos] = h[child];
    pos = child;
    child = 2 * pos + 1;
  }
  h[pos] = item;
  siftDown(h, start, pos);
}

/** Labels of the n leaves when the tree is cut into k clusters (the top k − 1 merges undone). */
export function cutTree(children: Int32Array, n: number, k: number): Int32Array {
  const heap = [-(Math.max(children[2 * (n - 2)], children[2 * (n - 2) + 1]) + 1)];
  for (let t = 0; t < k - 1; t++) {
    const node = -heap[0] - n;
    const c0 = children[2 * node],
      c1 = children[2 * node + 1];
    heap.push(-c0);
    siftDown(heap, 0, heap.length - 1);
    // heappushpop
    let item = -c1;
    if (heap.length && heap[0] < item) {
      [item, heap[0]] = [heap[0], item];
      siftUp(heap, 0);
    }
  }
  const labels = new Int32Array(n);
  const stack: number[] = [];
  heap.forEach((neg, c) => {
    stack.push(-neg);
    while (stack.length) {
      const v = stack.pop() as number;
      if (v < n) labels[v] = c;
      else stack.push(children[2 * (v - n)], children[2 * (v - n) + 1]);
    }
  });
  return labels;
}

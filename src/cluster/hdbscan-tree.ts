/**
 * HDBSCAN's trees as scikit-learn 1.3 builds them (sklearn/cluster/_hdbscan): the minimum
 * spanning tree of the mutual-reachability graph by Prim on dense distances (its source-node
 * bookkeeping), the single-linkage hierarchy from the edges sorted as numpy's argsort orders
 * ties, the condensed tree at minClusterSize, cluster stability, the selection ('eom' or 'leaf',
 * with clusterSelectionEpsilon and allowSingleCluster), and the labels and membership
 * probabilities. Cluster ids in the condensed tree start at n (the root), as scikit-learn's.
 */
import { numpyArgsort } from '../data/split/numpy-argsort.js';

/** The Euclidean distance between rows a and b of X (n × p). */
export function euclidean(X: Float64Array, p: number, a: number, b: number): number {
  let s = 0;
  for (let j = 0, oa = a * p, ob = b * p; j < p; j++) {
    const d = X[oa + j] - X[ob + j];
    s += d * d;
  }
  return Math.sqrt(s);
}

export interface Edges {
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

/** Prim's tree of the mutual-reachability graph, max(core[a], core[b], d(a, b)), from row 0 (scikit-learn's mst_from_data_matrix). */
export function mutualReachabilityMst(X: Float64Array, n: number, p: number, core: Float64Array, signal?: AbortSignal): Edges {
  const inTree = new Uint8Array(n);
  const minReach = new Float64Array(n).fill(Infinity);
  const sources = new Int32Array(n).fill(1); // as scikit-learn's (read only once a row has a reach)
  const from = new Int32Array(n - 1),
    to = new Int32Array(n - 1),
    weight = new Float64Array(n - 1);
  let current = 0;
  for (let i = 0; i < n - 1; i++) {
    if ((i & 255) === 0) signal?.throwIfAborted();
    inTree[current] = 1;
    const cc = core[current];
    let best = Number.MAX_VALUE,
      source = 0,
      next = 0;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const reach = Math.max(cc, core[j], euclidean(X, p, current, j));
      if (reach < minReach[j]) {
        minReach[j] = reach;
        sources[j] = current;
        if (reach < best) {
          best = reach;
          source = current;
          next = j;
        }
      } else if (minReach[j] < best) {
        // no shorter way in (a tie keeps the earlier source)
        best = minReach[j];
        source = sources[j];
        next = j;
      }
    }
    from[i] = source;
    to[i] = next;
    weight[i] = best;
    current = next;
  }
  return { from, to, weight };
}

/** n − 1 merges: left and right (a row below n, or n + the merge that made it), height and size. */
export interface Hierarchy {
  n: number;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  size: Int32Array;
}

/** The edges sorted by weight (numpy's argsort, ties as it leaves them) merged by union-find (scikit-learn's make_single_linkage). */
export function singleLinkage(edges: Edges, n: number): Hierarchy {
  const order = numpyArgsort(edges.weight);
  const parent = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const size = new Int32Array(2 * n - 1).fill(1);
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    while (parent[x] !== r) {
      const nx = parent[x];
      parent[x] = r;
      x = nx;
    }
    return r;
  };
  const h: Hierarchy = { n, left: new Int32Array(n - 1), right: new Int32Array(n - 1), value: new Float64Array(n - 1), size: new Int32Array(n - 1) };
  for (let i = 0; i < n - 1; i++) {
    const e = order[i];
    const a = find(edges.from[e]),
      b = find(edges.to[e]);
    const label = n + i;
    h.left[i] = a;
    h.right[i] = b;
    h.value[i] = edges.weight[e];
    h.size[i] = size[a] + size[b];
    size[label] = h.size[i];
    parent[a] = label;
    parent[b] = label;
  }
  return h;
}

/** The nodes below `root` (itself included), level by level, left before right. */
function bfsHierarchy(h: Hierarchy, root: number): number[] {
  const out: number[] = [];
  let level = [root];
  while (level.length) {
    const next: number[] = [];
    for (const x of level) {
      out.push(x);
      if (x >= h.n) next.push(h.left[x - h.n], h.right[x - h.n]);
    }
    level = next;
  }
  return out;
}

/** Rows (parent, child, lambda = 1 / distance, child size): a child below n is a row of X, else a cluster. */
export interface Condensed {
  parent: number[];
  child: number[];
  lambda: number[];
  size: number[];
}

/** The condensed tree: splits into parts of at least minClusterSize, everything smaller falls out as points (scikit-learn's _condense_tree). */
export function condenseTree(h: Hierarchy, minClusterSize: number): Condensed {
  const n = h.n,
    root = 2 * (n - 1);
  const relabel = new Int32Array(root + 1);
  relabel[root] = n;
  let nextLabel = n + 1;
  const ignore = new Uint8Array(root + 1);
  const out: Condensed = { parent: [], child: [], lambda: [], size: [] };
  const push = (parent: number, child: number, lambda: number, size: number) => {
    out.parent.push(parent);
    out.child.push(child);
    out.lambda.push(lambda);
    out.size.push(size);
  };
  const fallOut = (from: number, parent: number, lambda: number) => {
    for (const sub of bfsHierarchy(h, from)) {
      if (sub < n) push(parent, sub, lambda, 1);
      ignore[sub] = 1;
    }
  };
  const count = (x: number) => (x >= n ? h.size[x - n] : 1);
  for (const node of bfsHierarchy(h, root)) {
    if (ignore[node] || node < n) continue;
    const i = node - n,
      left = h.left[i],
      right = h.right[i];
    const lambda = h.value[i] > 0 ? 1 / h.value[i] : Infinity;
    const lc = count(left),
      rc = count(right);
    if (lc >= minClusterSize && rc >= minClusterSize) {
      relabel[left] = nextLabel++;
      push(relabel[node], relabel[left], lambda, lc);
      relabel[right] = nextLabel++;
      push(relabel[node], relabel[right], lambda, rc);
    } else if (lc < minClusterSize && rc < minClusterSize) {
      fallOut(left, relabel[node], lambda);
      fallOut(right, relabel[node], lambda);
    } else if (lc < minClusterSize) {
      relabel[right] = relabel[node];
      fallOut(left, relabel[node], lambda);
    } else {
      relabel[left] = relabel[node];
      fallOut(right, relabel[node], lambda);
    }
  }
  return out;
}

/** Each cluster's stability, indexed by cluster id − n: Σ (λ − λ_birth) · size over its rows (scikit-learn's _compute_stability). */
export function stability(t: Condensed, n: number): Float64Array {
  let maxParent = n;
  for (const p of t.parent) if (p > maxParent) maxParent = p;
  const birth = new Float64Array(maxParent + 1).fill(Number.NaN);
  t.child.forEach((c, i) => {
    if (c >= n) birth[c] = t.lambda[i]; // each cluster is a child once
  });
  birth[n] = 0;
  const out = new Float64Array(maxParent - n + 1);
  t.parent.forEach((p, i) => {
    out[p - n] += (t.lambda[i] - birth[p]) * t.size[i];
  });
  return out;
}

/** The clusters below `root` in the cluster tree (itself included), level by level. */
function bfsClusters(kids: Map<number, number[]>, root: number): number[] {
  const out: number[] = [];
  let level = [root];
  while (level.length) {
    const next: number[] = [];
    for (const x of level) {
      out.push(x);
      next.push(...(kids.get(x) ?? []));
    }
    level = next;
  }
  return out;
}

export interface Selection {
  method: 'eom' | 'leaf';
  allowSingleCluster: boolean;
  epsilon: number;
}

/** The selected clusters (scikit-learn's _get_clusters up to the labelling). */
export function selectClusters(t: Condensed, n: number, stab: Float64Array, o: Selection): Set<number> {
  const root = n;
  const s = (c: number) => stab[c - n];
  const maxParent = n + stab.length - 1;
  const kids = new Map<number, number[]>(),
    birthLambda = new Map<number, number>(),
    parentOf = new Map<number, number>();
  t.child.forEach((c, i) => {
    if (t.size[i] <= 1) return;
    if (!kids.has(t.parent[i])) kids.set(t.parent[i], []);
    kids.get(t.parent[i])!.push(c);
    birthLambda.set(c, t.lambda[i]);
    parentOf.set(c, t.parent[i]);
  });
  const nodes: number[] = [];
  for (let c = maxParent; c >= n; c--) nodes.push(c);
  if (!o.allowSingleCluster) nodes.pop();
  const isCluster = new Map<number, boolean>(nodes.map((c) => [c, true]));
  const hasTree = kids.size > 0;

  const upwards = (leaf: number): number => {
    const parent = parentOf.get(leaf)!;
    if (parent === root) return o.allowSingleCluster ? parent : leaf;
    return 1 / birthLambda.get(parent)! > o.epsilon ? parent : upwards(parent);
  };
  const epsilonSearch = (leaves: number[]): Set<number> => {
    const selected = new Set<number>(),
      processed = new Set<number>();
    for (const leaf of leaves) {
      if (1 / birthLambda.get(leaf)! < o.epsilon) {
        if (processed.has(leaf)) continue;
        const up = upwards(leaf);
        selected.add(up);
        for (const sub of bfsClusters(kids, up)) if (sub !== up) processed.add(sub);
      } else selected.add(leaf);
    }
    return selected;
  };
  const keepOnly = (selected: Set<number>) => {
    for (const c of isCluster.keys()) isCluster.set(c, selected.has(c));
  };

  if (o.method === 'eom') {
    const st = new Map<number, number>();
    for (let c = n; c <= maxParent; c++) st.set(c, s(c));
    for (const node of nodes) {
      let subtree = 0;
      for (const k of kids.get(node) ?? []) subtree += st.get(k)!;
      if (subtree > st.get(node)!) {
        isCluster.set(node, false);
        st.set(node, subtree);
      } else for (const sub of bfsClusters(kids, node)) if (sub !== node) isCluster.set(sub, false);
    }
    if (o.epsilon !== 0 && hasTree) {
      const eom = [...isCluster.keys()].filter((c) => isCluster.get(c));
      // only the root chosen: the epsilon search is skipped
      const selected = eom.length === 1 && eom[0] === root ? new Set<number>(o.allowSingleCluster ? eom : []) : epsilonSearch(ascending(eom));
      keepOnly(selected);
    }
  } else {
    const leaves = hasTree ? clusterLeaves(kids, root) : [];
    if (leaves.length === 0) {
      for (const c of isCluster.keys()) isCluster.set(c, false);
      isCluster.set(root, true);
    }
    keepOnly(o.epsilon !== 0 ? epsilonSearch(ascending(leaves)) : new Set(leaves));
  }
  return new Set([...isCluster.keys()].filter((c) => isCluster.get(c)));
}

function ascending(v: number[]): number[] {
  return [...v].sort((a, b) => a - b);
}

function clusterLeaves(kids: Map<number, number[]>, node: number): number[] {
  const k = kids.get(node);
  return k?.length ? k.flatMap((c) => clusterLeaves(kids, c)) : [node];
}

/** Each row's cluster (numbered by ascending cluster id; -1 noise) and membership strength in [0, 1]. */
export function labelRows(t: Condensed, n: number, clusters: Set<number>, o: Selection): { labels: Int32Array; probabilities: Float64Array } {
  const root = n;
  let maxParent = n;
  for (const p of t.parent) if (p > maxParent) maxParent = p;
  const parentOf = new Int32Array(maxParent + 1).fill(-1),
    rowOf = new Int32Array(maxParent + 1).fill(-1);
  t.child.forEach((c, i) => {
    parentOf[c] = t.parent[i];
    rowOf[c] = i;
  });
  const ids = ascending([...clusters]);
  const labelOf = new Map(ids.map((c, i) => [c, i]));
  const labels = new Int32Array(n).fill(-1);
  // the root as the one cluster: a row belongs when it leaves the root at a λ above the threshold
  let rootThreshold = Infinity;
  if (clusters.size === 1 && o.allowSingleCluster && clusters.has(root)) {
    if (o.epsilon !== 0) rootThreshold = 1 / o.epsilon;
    else {
      rootThreshold = -Infinity;
      t.parent.forEach((p, i) => {
        if (p === root && t.lambda[i] > rootThreshold) rootThreshold = t.lambda[i];
      });
    }
  }
  for (let r = 0; r < n; r++) {
    let c = parentOf[r];
    while (c !== root && !clusters.has(c)) c = parentOf[c];
    if (c !== root) labels[r] = labelOf.get(c)!;
    else if (clusters.size === 1 && o.allowSingleCluster && t.lambda[rowOf[r]] >= rootThreshold) labels[r] = labelOf.get(root)!;
  }
  // probabilities: a row's λ against the largest λ of its cluster's own rows
  const deaths = new Float64Array(maxParent + 1);
  t.parent.forEach((p, i) => {
    if (t.lambda[i] > deaths[p]) deaths[p] = t.lambda[i];
  });
  const probabilities = new Float64Array(n);
  t.child.forEach((c, i) => {
    if (c >= root || labels[c] === -1) return;
    const death = deaths[ids[labels[c]]];
    const lambda = t.lambda[i];
    probabilities[c] = death === 0 || !Number.isFinite(lambda) ? 1 : Math.min(lambda, death) / death;
  });
  return { labels, probabilities };
}

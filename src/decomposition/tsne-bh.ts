/**
 * Barnes-Hut t-SNE's two parts (van der Maaten 2014, as scikit-learn 1.2's method='barnes_hut'):
 * sparse affinities over each point's 3·perplexity nearest neighbours (kiln's exact k-NN), and
 * the gradient with attractive forces over those edges and repulsive forces from a quadtree,
 * where a cell of width w at distance d counts as one body when w / d < angle. 2-D only.
 */
import { NearestNeighbors } from '../models/neighbors/index.js';
import type { Matrix } from '../core/matrix.js';
import type { BackendChoice } from '../backend/backend.js';

const EPS = 2 ** -52;

/** Symmetric sparse P in CSR form (rows sum with their transposes to 1 overall). */
export interface SparseP {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** Binary search of one row's precision so its entropy is log(perplexity); writes the conditional row. */
function calibrateRow(d2: Float64Array, off: number, k: number, perplexity: number, out: Float64Array): void {
  const target = Math.log(perplexity);
  let beta = 1,
    lo = -Infinity,
    hi = Infinity;
  for (let step = 0; step < 100; step++) {
    let sum = 0,
      sumDP = 0;
    for (let j = 0; j < k; j++) sum += out[off + j] = Math.exp(-d2[off + j] * beta);
    if (sum === 0) sum = EPS;
    for (let j = 0; j < k; j++) {
      out[off + j] /= sum;
      sumDP += d2[off + j] * out[off + j];
    }
    const diff = Math.log(sum) + beta * sumDP - target;
    if (Math.abs(diff) <= 1e-5) break;
    if (diff > 0) {
      lo = beta;
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
    }
  }
}

/** scikit-learn's _joint_probabilities_nn: kNN conditionals, P + Pᵀ, normalised. */
export async function sparseJointProbabilities(X: Matrix, perplexity: number, backend: BackendChoice | undefined): Promise<SparseP> {
  const n = X.rows,
    k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const nn = await new NearestNeighbors({ nNeighbors: k, backend }).fit(X);
  const { distances, indices } = await nn.kneighbors();
  const d2 = distances.data.map((v) => v * v),
    cond = new Float64Array(n * k);
  for (let i = 0; i < n; i++) calibrateRow(d2, i * k, k, perplexity, cond);
  // P + Pᵀ by rows: each (i, j, p) and (j, i, p), merged per row
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++)
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t],
        v = cond[i * k + t];
      rows[i].set(j, (rows[i].get(j) ?? 0) + v);
      rows[j].set(i, (rows[j].get(i) ?? 0) + v);
    }
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + rows[i].size;
  const idx = new Int32Array(indptr[n]),
    val = new Float64Array(indptr[n]);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sorted = [...rows[i].entries()].sort((a, b) => a[0] - b[0]);
    sorted.forEach(([j, v], t) => {
      idx[indptr[i] + t] = j;
      val[indptr[i] + t] = v;
      total += v;
    });
  }
  total = Math.max(total, EPS);
  for (let t = 0; t < val.length; t++) val[t] /= total;
  return { indptr, indices: idx, values: val };
}

/** A quadtree over 2-D points, stored flat: per cell its centre of mass, count, width, children. */
class QuadTree {
  cx: number[] = [];
  cy: number[] = [];
  mass: number[] = [];
  width: number[] = [];
  child: number[] = []; // 4 per cell, -1 = none
  point: number[] = []; // the point of a leaf holding one, else -1
  midx: number[] = [];
  midy: number[] = [];

  constructor(
    private y: Float64Array,
    n: number,
  ) {
    let x0 = Infinity,
      x1 = -Infinity,
      y0 = Infinity,
      y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      x0 = Math.min(x0, y[2 * i]);
      x1 = Math.max(x1, y[2 * i]);
      y0 = Math.min(y0, y[2 * i + 1]);
      y1 = Math.max(y1, y[2 * i + 1]);
    }
    const w = Math.max(x1 - x0, y1 - y0) * (1 + 1e-6) + 1e-12;
    this.cell((x0 + x1) / 2, (y0 + y1) / 2, w);
    for (let i = 0; i < n; i++) this.insert(0, i, 0);
  }

  private cell(mx: number, my: number, w: number): number {
    const c = this.mass.length;
    this.cx.push(0);
    this.cy.push(0);
    this.mass.push(0);
    this.width.push(w);
    this.child.push(-1, -1, -1, -1);
    this.point.push(-1);
    this.midx.push(mx);
    this.midy.push(my);
    return c;
  }

  private insert(c: number, i: number, depth: number): void {
    const px = this.y[2 * i],
      py = this.y[2 * i + 1];
    const m = this.mass[c];
    this.cx[c] = (this.cx[c] * m + px) / (m + 1);
    this.cy[c] = (this.cy[c] * m + py) / (m + 1);
    this.mass[c] = m + 1;
    if (m === 0) {
      this.point[c] = i;
      return;
    }
    if (depth > 50) return; // duplicates: keep them as one heavier body
    const old = this.point[c];
    if (old >= 0) {
      this.point[c] = -1;
      this.descend(c, old, depth);
    }
    this.descend(c, i, depth);
  }

  private descend(c: number, i: number, depth: number): void {
    const q = (this.y[2 * i] > this.midx[c] ? 1 : 0) + (this.y[2 * i + 1] > this.midy[c] ? 2 : 0);
    let ch = this.child[4 * c + q];
    if (ch < 0) {
      const h = this.width[c] / 4;
      ch = this.cell(this.midx[c] + (q & 1 ? h : -h), this.midy[c] + (q & 2 ? h : -h), this.width[c] / 2);
      this.child[4 * c + q] = ch;
    }
    this.insert(ch, i, depth + 1);
  }

  /** Repulsive force numerators on point i, added to f; returns its share of Σ q. */
  repulse(i: number, angle2: number, f: Float64Array): number {
    const px = this.y[2 * i],
      py = this.y[2 * i + 1];
    let sumQ = 0;
    const stack = [0];
    while (stack.length) {
      const c = stack.pop() as number;
      if (this.mass[c] === 0 || this.point[c] === i) continue;
      const dx = px - this.cx[c],
        dy = py - this.cy[c],
        d2 = dx * dx + dy * dy;
      const leaf = this.point[c] >= 0 || this.child[4 * c] + this.child[4 * c + 1] + this.child[4 * c + 2] + this.child[4 * c + 3] === -4;
      if (leaf || this.width[c] * this.width[c] < angle2 * d2) {
        const w = 1 / (1 + d2),
          mw = this.mass[c] * w;
        sumQ += mw;
        f[0] += mw * w * dx;
        f[1] += mw * w * dy;
      } else for (let q = 0; q < 4; q++) if (this.child[4 * c + q] >= 0) stack.push(this.child[4 * c + q]);
    }
    return sumQ;
  }
}

/** KL gradient of a 2-D embedding by Barnes-Hut (dof 1); returns KL(P‖Q) over P's edges (Q normalised by the tree's Σ q). */
export function bhGradient(P: SparseP, y: Float64Array, n: number, angle: number, exaggeration: number, grad: Float64Array): number {
  const tree = new QuadTree(y, n);
  const rep = new Float64Array(2 * n),
    f = new Float64Array(2);
  let sumQ = 0;
  for (let i = 0; i < n; i++) {
    f[0] = f[1] = 0;
    sumQ += tree.repulse(i, angle * angle, f);
    rep[2 * i] = f[0];
    rep[2 * i + 1] = f[1];
  }
  sumQ = Math.max(sumQ, EPS);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    let ax = 0,
      ay = 0;
    for (let t = P.indptr[i]; t < P.indptr[i + 1]; t++) {
      const j = P.indices[t];
      const dx = y[2 * i] - y[2 * j],
        dy = y[2 * i + 1] - y[2 * j + 1];
      const q = 1 / (1 + dx * dx + dy * dy),
        p = exaggeration * P.values[t];
      kl += p * Math.log(Math.max(p, EPS) / Math.max(q / sumQ, EPS));
      ax += p * q * dx;
      ay += p * q * dy;
    }
    grad[2 * i] = 4 * (ax - rep[2 * i] / sumQ);
    grad[2 * i + 1] = 4 * (ay - rep[2 * i + 1] / sumQ);
  }
  return kl;
}

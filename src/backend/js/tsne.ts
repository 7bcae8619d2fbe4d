/**
 * The tsne family in plain TypeScript: the Barnes-Hut gradient's oracle (a quadtree rebuilt per
 * call, a stack walk per point). The native kernel (native/kernels/tsne/) repeats this
 * arithmetic in the same order; change one, change the other.
 */
import { checkTsneGradientArgs, type TsneGradientArgs, type TsneKernels } from '../contract/tsne.js';

const EPS = 2 ** -52;

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

/** KL gradient of a 2-D embedding by Barnes-Hut (dof 1); returns KL(P‖Q) over P's edges (Q normalised by the tree's Σ q) when asked. */
export function jsTsneGradient(a: TsneGradientArgs): number {
  checkTsneGradientArgs(a);
  const { P, y, n, exaggeration, grad } = a;
  const tree = new QuadTree(y, n);
  const rep = new Float64Array(2 * n),
    f = new Float64Array(2);
  let sumQ = 0;
  for (let i = 0; i < n; i++) {
    f[0] = f[1] = 0;
    sumQ += tree.repulse(i, a.angle * a.angle, f);
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
      if (a.computeError) kl += p * Math.log(Math.max(p, EPS) / Math.max(q / sumQ, EPS));
      ax += p * q * dx;
      ay += p * q * dy;
    }
    grad[2 * i] = 4 * (ax - rep[2 * i] / sumQ);
    grad[2 * i + 1] = 4 * (ay - rep[2 * i + 1] / sumQ);
  }
  return kl;
}

export const jsTsne: TsneKernels = { gradientSync: jsTsneGradient };

/**
 * The js svm kernels' solver, the family's oracle: LIBSVM's SMO solver (Fan, Chen & Lin 2005) as scikit-learn 1.2 ships it: per-sample upper
 * bounds C_i, second-order working-set selection (WSS3), shrinking with one unshrink near the end,
 * gradient reconstruction, rho from the free variables. `nu: true` is Solver_NU (ν-SVC, ν-SVR):
 * working pairs of one label, two rho's. The loop runs in slices (`run(budget)`) so that a caller
 * can yield to the event loop and honour an AbortSignal between them.
 *
 * Solves min ½ αᵀQα + pᵀα subject to yᵀα = Δ, 0 ≤ α_i ≤ C_i.
 */
import type { SvmSolveResult } from '../contract/svm.js';
import type { QMatrix } from './q-matrix.js';

const TAU = 1e-12;
const LOWER = 0,
  UPPER = 1,
  FREE = 2;

export interface SolveInput {
  Q: QMatrix;
  p: Float64Array;
  y: Int8Array;
  /** The starting point (feasible), overwritten by nothing: the result is a new array. */
  alpha: Float64Array;
  C: Float64Array;
  eps: number;
  shrinking: boolean;
  /** -1: no limit. */
  maxIter: number;
  nu: boolean;
}

export type { SvmSolveResult as SolveResult } from '../contract/svm.js';

export class SmoSolver {
  private readonly l: number;
  private readonly Q: QMatrix;
  private readonly QD: Float64Array;
  private readonly y: Int8Array;
  private readonly G: Float64Array;
  private readonly Gbar: Float64Array;
  private readonly alpha: Float64Array;
  private readonly status: Uint8Array;
  private readonly C: Float64Array;
  private readonly p: Float64Array;
  private readonly activeSet: Int32Array;
  private activeSize: number;
  private unshrink = false;
  private iter = 0;
  private counter: number;
  private readonly ws = new Int32Array(2);
  private readonly eps: number;
  private readonly shrinking: boolean;
  private readonly maxIter: number;
  private readonly nu: boolean;
  private done = false;

  constructor(input: SolveInput) {
    const l = input.p.length;
    this.l = l;
    this.Q = input.Q;
    this.QD = input.Q.QD;
    this.y = Int8Array.from(input.y);
    this.p = Float64Array.from(input.p);
    this.alpha = Float64Array.from(input.alpha);
    this.C = Float64Array.from(input.C);
    this.eps = input.eps;
    this.shrinking = input.shrinking;
    this.maxIter = input.maxIter;
    this.nu = input.nu;
    this.status = new Uint8Array(l);
    for (let i = 0; i < l; i++) this.updateStatus(i);
    this.activeSet = new Int32Array(l);
    for (let i = 0; i < l; i++) this.activeSet[i] = i;
    this.activeSize = l;
    this.G = new Float64Array(l);
    this.Gbar = new Float64Array(l);
    const { G, Gbar, alpha, C } = this;
    for (let i = 0; i < l; i++) G[i] = this.p[i];
    for (let i = 0; i < l; i++) {
      if (this.status[i] === LOWER) continue;
      const Qi = this.Q.getQ(i, l);
      const ai = alpha[i];
      for (let j = 0; j < l; j++) G[j] += ai * Qi[j];
      if (this.status[i] === UPPER) for (let j = 0; j < l; j++) Gbar[j] += C[i] * Qi[j];
    }
    this.counter = Math.min(l, 1000) + 1;
  }

  /** Runs up to `budget` iterations; true once the solution is reached (or maxIter). */
  run(budget: number): boolean {
    const { y, G, alpha, C, QD, status } = this;
    for (let b = 0; b < budget && !this.done; b++) {
      if (this.maxIter !== -1 && this.iter >= this.maxIter) {
        this.done = true;
        break;
      }
      if (--this.counter === 0) {
        this.counter = Math.min(this.l, 1000);
        if (this.shrinking) this.doShrinking();
      }
      if (this.selectWorkingSet() !== 0) {
        this.reconstructGradient();
        this.activeSize = this.l;
        if (this.selectWorkingSet() !== 0) {
          this.done = true;
          break;
        }
        this.counter = 1;
      }
      const i = this.ws[0],
        j = this.ws[1];
      this.iter++;
      const active = this.activeSize;
      let Qi = this.Q.getQ(i, active);
      let Qj = this.Q.getQ(j, active);
      const Ci = C[i],
        Cj = C[j];
      const oldAi = alpha[i],
        oldAj = alpha[j];
      if (y[i] !== y[j]) {
        let quad = QD[i] + QD[j] + 2 * Qi[j];
        if (quad <= 0) quad = TAU;
        const delta = (-G[i] - G[j]) / quad;
        const diff = alpha[i] - alpha[j];
        alpha[i] += delta;
        alpha[j] += delta;
        if (diff > 0) {
          if (alpha[j] < 0) {
            alpha[j] = 0;
            alpha[i] = diff;
          }
        } else if (alpha[i] < 0) {
          alpha[i] = 0;
          alpha[j] = -diff;
        }
        if (diff > Ci - Cj) {
          if (alpha[i] > Ci) {
            alpha[i] = Ci;
            alpha[j] = Ci - diff;
          }
        } else if (alpha[j] > Cj) {
          alpha[j] = Cj;
          alpha[i] = Cj + diff;
        }
      } else {
        let quad = QD[i] + QD[j] - 2 * Qi[j];
        if (quad <= 0) quad = TAU;
        const delta = (G[i] - G[j]) / quad;
        const sum = alpha[i] + alpha[j];
        alpha[i] -= delta;
        alpha[j] += delta;
        if (sum > Ci) {
          if (alpha[i] > Ci) {
            alpha[i] = Ci;
            alpha[j] = sum - Ci;
          }
        } else if (alpha[j] < 0) {
          alpha[j] = 0;
          alpha[i] = sum;
        }
        if (sum > Cj) {
          if (alpha[j] > Cj) {
            alpha[j] = Cj;
            alpha[i] = sum - Cj;
          }
        } else if (alpha[i] < 0) {
          alpha[i] = 0;
          alpha[j] = sum;
        }
      }
      const dAi = alpha[i] - oldAi,
        dAj = alpha[j] - oldAj;
      for (let k = 0; k < active; k++) G[k] += Qi[k] * dAi + Qj[k] * dAj;
      const ui = status[i] === UPPER,
        uj = status[j] === UPPER;
      this.updateStatus(i);
      this.updateStatus(j);
      const l = this.l,
        Gbar = this.Gbar;
      if (ui !== (status[i] === UPPER)) {
        Qi = this.Q.getQ(i, l);
        if (ui) for (let k = 0; k < l; k++) Gbar[k] -= Ci * Qi[k];
        else for (let k = 0; k < l; k++) Gbar[k] += Ci * Qi[k];
      }
      if (uj !== (status[j] === UPPER)) {
        Qj = this.Q.getQ(j, l);
        if (uj) for (let k = 0; k < l; k++) Gbar[k] -= Cj * Qj[k];
        else for (let k = 0; k < l; k++) Gbar[k] += Cj * Qj[k];
      }
    }
    return this.done;
  }

  /** The solution, once run() has returned true. */
  result(): SvmSolveResult {
    if (this.activeSize < this.l) {
      this.reconstructGradient();
      this.activeSize = this.l;
    }
    const { l, alpha, G, p } = this;
    let r = 0,
      rho: number;
    if (this.nu) [rho, r] = this.rhoNu();
    else rho = this.rhoC();
    let v = 0;
    for (let i = 0; i < l; i++) v += alpha[i] * (G[i] + p[i]);
    const out = new Float64Array(l);
    for (let i = 0; i < l; i++) out[this.activeSet[i]] = alpha[i];
    return { alpha: out, rho, r, obj: v / 2, nIter: this.iter };
  }

  private updateStatus(i: number): void {
    const a = this.alpha[i];
    this.status[i] = a >= this.C[i] ? UPPER : a <= 0 ? LOWER : FREE;
  }

  private swapIndex(i: number, j: number): void {
    this.Q.swapIndex(i, j);
    swapF(this.G, i, j);
    swapF(this.Gbar, i, j);
    swapF(this.alpha, i, j);
    swapF(this.C, i, j);
    swapF(this.p, i, j);
    let t = this.y[i];
    this.y[i] = this.y[j];
    this.y[j] = t;
    t = this.status[i];
    this.status[i] = this.status[j];
    this.status[j] = t;
    t = this.activeSet[i];
    this.activeSet[i] = this.activeSet[j];
    this.activeSet[j] = t;
  }

  private reconstructGradient(): void {
    const { l, G, Gbar, p, alpha, status } = this;
    const active = this.activeSize;
    if (active === l) return;
    for (let j = active; j < l; j++) G[j] = Gbar[j] + p[j];
    let nrFree = 0;
    for (let j = 0; j < active; j++) if (status[j] === FREE) nrFree++;
    if (nrFree * l > 2 * active * (l - active)) {
      for (let i = active; i < l; i++) {
        const Qi = this.Q.getQ(i, active);
        let g = G[i];
        for (let j = 0; j < active; j++) if (status[j] === FREE) g += alpha[j] * Qi[j];
        G[i] = g;
      }
    } else {
      for (let i = 0; i < active; i++) {
        if (status[i] !== FREE) continue;
        const Qi = this.Q.getQ(i, l);
        const ai = alpha[i];
        for (let j = active; j < l; j++) G[j] += ai * Qi[j];
      }
    }
  }

  /** WSS3: i the maximal violator, j the best second-order gain; 1 when optimal within eps. */
  private selectWorkingSet(): number {
    return this.nu ? this.selectNu() : this.selectC();
  }

  private selectC(): number {
    const { y, G, status, QD } = this;
    const active = this.activeSize;
    let Gmax = -Infinity,
      Gmax2 = -Infinity,
      GmaxIdx = -1,
      GminIdx = -1,
      objDiffMin = Infinity;
    for (let t = 0; t < active; t++) {
      if (y[t] === 1) {
        if (status[t] !== UPPER && -G[t] >= Gmax) {
          Gmax = -G[t];
          GmaxIdx = t;
        }
      } else if (status[t] !== LOWER && G[t] >= Gmax) {
        Gmax = G[t];
        GmaxIdx = t;
      }
    }
    const i = GmaxIdx;
    const Qi = i !== -1 ? this.Q.getQ(i, active) : null;
    for (let j = 0; j < active; j++) {
      if (y[j] === 1) {
        if (status[j] !== LOWER) {
          const gd = Gmax + G[j];
          if (G[j] >= Gmax2) Gmax2 = G[j];
          if (gd > 0) {
            const quad = QD[i] + QD[j] - 2 * y[i] * (Qi as Float32Array)[j];
            const od = quad > 0 ? -(gd * gd) / quad : -(gd * gd) / TAU;
            if (od <= objDiffMin) {
              GminIdx = j;
              objDiffMin = od;
            }
          }
        }
      } else if (status[j] !== UPPER) {
        const gd = Gmax - G[j];
        if (-G[j] >= Gmax2) Gmax2 = -G[j];
        if (gd > 0) {
          const quad = QD[i] + QD[j] + 2 * y[i] * (Qi as Float32Array)[j];
          const od = quad > 0 ? -(gd * gd) / quad : -(gd * gd) / TAU;
          if (od <= objDiffMin) {
            GminIdx = j;
            objDiffMin = od;
          }
        }
      }
    }
    if (Gmax + Gmax2 < this.eps || GminIdx === -1) return 1;
    this.ws[0] = GmaxIdx;
    this.ws[1] = GminIdx;
    return 0;
  }

  private selectNu(): number {
    const { y, G, status, QD } = this;
    const active = this.activeSize;
    let Gmaxp = -Infinity,
      Gmaxp2 = -Infinity,
      GmaxpIdx = -1,
      Gmaxn = -Infinity,
      Gmaxn2 = -Infinity,
      GmaxnIdx = -1,
      GminIdx = -1,
      objDiffMin = Infinity;
    for (let t = 0; t < active; t++) {
      if (y[t] === 1) {
        if (status[t] !== UPPER && -G[t] >= Gmaxp) {
          Gmaxp = -G[t];
          GmaxpIdx = t;
        }
      } else if (status[t] !== LOWER && G[t] >= Gmaxn) {
        Gmaxn = G[t];
        GmaxnIdx = t;
      }
    }
    const ip = GmaxpIdx,
      inn = GmaxnIdx;
    const Qip = ip !== -1 ? this.Q.getQ(ip, active) : null;
    const Qin = inn !== -1 ? this.Q.getQ(inn, active) : null;
    for (let j = 0; j < active; j++) {
      if (y[j] === 1) {
        if (status[j] !== LOWER) {
          const gd = Gmaxp + G[j];
          if (G[j] >= Gmaxp2) Gmaxp2 = G[j];
          if (gd > 0) {
            const quad = QD[ip] + QD[j] - 2 * (Qip as Float32Array)[j];
            const od = quad > 0 ? -(gd * gd) / quad : -(gd * gd) / TAU;
            if (od <= objDiffMin) {
              GminIdx = j;
              objDiffMin = od;
            }
          }
        }
      } else if (status[j] !== UPPER) {
        const gd = Gmaxn - G[j];
        if (-G[j] >= Gmaxn2) Gmaxn2 = -G[j];
        if (gd > 0) {
          const quad = QD[inn] + QD[j] - 2 * (Qin as Float32Array)[j];
          const od = quad > 0 ? -(gd * gd) / quad : -(gd * gd) / TAU;
          if (od <= objDiffMin) {
            GminIdx = j;
            objDiffMin = od;
          }
        }
      }
    }
    if (Math.max(Gmaxp + Gmaxp2, Gmaxn + Gmaxn2) < this.eps || GminIdx === -1) return 1;
    this.ws[0] = y[GminIdx] === 1 ? GmaxpIdx : GmaxnIdx;
    this.ws[1] = GminIdx;
    return 0;
  }

  private doShrinking(): void {
    const { y, G, status } = this;
    const g = [-Infinity, -Infinity, -Infinity, -Infinity];
    const active = this.activeSize;
    if (this.nu) {
      for (let i = 0; i < active; i++) {
        if (status[i] !== UPPER) {
          if (y[i] === 1) {
            if (-G[i] > g[0]) g[0] = -G[i];
          } else if (-G[i] > g[3]) g[3] = -G[i];
        }
        if (status[i] !== LOWER) {
          if (y[i] === 1) {
            if (G[i] > g[1]) g[1] = G[i];
          } else if (G[i] > g[2]) g[2] = G[i];
        }
      }
    } else {
      for (let i = 0; i < active; i++) {
        if (y[i] === 1) {
          if (status[i] !== UPPER && -G[i] >= g[0]) g[0] = -G[i];
          if (status[i] !== LOWER && G[i] >= g[1]) g[1] = G[i];
        } else {
          if (status[i] !== UPPER && -G[i] >= g[1]) g[1] = -G[i];
          if (status[i] !== LOWER && G[i] >= g[0]) g[0] = G[i];
        }
      }
    }
    const gap = this.nu ? Math.max(g[0] + g[1], g[2] + g[3]) : g[0] + g[1];
    if (!this.unshrink && gap <= this.eps * 10) {
      this.unshrink = true;
      this.reconstructGradient();
      this.activeSize = this.l;
    }
    for (let i = 0; i < this.activeSize; i++) {
      if (!this.beShrunk(i, g)) continue;
      this.activeSize--;
      while (this.activeSize > i) {
        if (!this.beShrunk(this.activeSize, g)) {
          this.swapIndex(i, this.activeSize);
          break;
        }
        this.activeSize--;
      }
    }
  }

  private beShrunk(i: number, g: number[]): boolean {
    const s = this.status[i],
      Gi = this.G[i],
      pos = this.y[i] === 1;
    if (this.nu) {
      if (s === UPPER) return pos ? -Gi > g[0] : -Gi > g[3];
      if (s === LOWER) return pos ? Gi > g[1] : Gi > g[2];
      return false;
    }
    if (s === UPPER) return pos ? -Gi > g[0] : -Gi > g[1];
    if (s === LOWER) return pos ? Gi > g[1] : Gi > g[0];
    return false;
  }

  private rhoC(): number {
    const { y, G, status, l } = this;
    let nrFree = 0,
      ub = Infinity,
      lb = -Infinity,
      sumFree = 0;
    for (let i = 0; i < l; i++) {
      const yG = y[i] * G[i];
      if (status[i] === UPPER) {
        if (y[i] === -1) ub = Math.min(ub, yG);
        else lb = Math.max(lb, yG);
      } else if (status[i] === LOWER) {
        if (y[i] === 1) ub = Math.min(ub, yG);
        else lb = Math.max(lb, yG);
      } else {
        nrFree++;
        sumFree += yG;
      }
    }
    return nrFree > 0 ? sumFree / nrFree : (ub + lb) / 2;
  }

  /** [rho, r] of Solver_NU. */
  private rhoNu(): [number, number] {
    const { y, G, status, l } = this;
    let nf1 = 0,
      nf2 = 0,
      ub1 = Infinity,
      ub2 = Infinity,
      lb1 = -Infinity,
      lb2 = -Infinity,
      sf1 = 0,
      sf2 = 0;
    for (let i = 0; i < l; i++) {
      if (y[i] === 1) {
        if (status[i] === UPPER) lb1 = Math.max(lb1, G[i]);
        else if (status[i] === LOWER) ub1 = Math.min(ub1, G[i]);
        else {
          nf1++;
          sf1 += G[i];
        }
      } else if (status[i] === UPPER) lb2 = Math.max(lb2, G[i]);
      else if (status[i] === LOWER) ub2 = Math.min(ub2, G[i]);
      else {
        nf2++;
        sf2 += G[i];
      }
    }
    const r1 = nf1 > 0 ? sf1 / nf1 : (ub1 + lb1) / 2;
    const r2 = nf2 > 0 ? sf2 / nf2 : (ub2 + lb2) / 2;
    return [(r1 - r2) / 2, (r1 + r2) / 2];
  }
}

function swapF(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

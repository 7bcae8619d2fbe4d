/**
 * Limited-memory BFGS for smooth unconstrained objectives (scikit-learn's lbfgs
 * solver uses SciPy's L-BFGS-B; this follows its stopping rules: the largest
 * gradient component ≤ gtol, or a relative decrease of the objective ≤ ftol).
 * Each evaluation is one call of `evaluate`, which may run a whole-data kernel.
 */
import { dot, maxAbs } from '../core/numeric.js';

export interface LbfgsOptions {
  maxIter: number;
  gtol: number;
  /** Relative decrease (f_k − f_k+1) / max(|f_k|, |f_k+1|, 1) that counts as converged. */
  ftol: number;
  /** Correction pairs kept (SciPy's maxcor, default 10). */
  memory?: number;
  /** Evaluations per line search (SciPy's maxls, default 20; scikit-learn passes 50). */
  maxLineSearch?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  nIter: number;
  converged: boolean;
}

export type Objective = (x: Float64Array) => Promise<{ value: number; grad: Float64Array }>;

export async function lbfgs(evaluate: Objective, x0: Float64Array, opts: LbfgsOptions): Promise<LbfgsResult> {
  const m = opts.memory ?? 10,
    maxLs = opts.maxLineSearch ?? 50;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let { value: f, grad: g } = await evaluate(x);
  const S: Float64Array[] = [],
    Y: Float64Array[] = [],
    rho: number[] = [];
  let iter = 0;
  if (maxAbs(g) <= opts.gtol) return { x, value: f, nIter: 0, converged: true };
  while (iter < opts.maxIter) {
    // Two-loop recursion: d = −H g.
    const q = Float64Array.from(g);
    const alpha = new Array<number>(S.length);
    for (let i = S.length - 1; i >= 0; i--) {
      alpha[i] = rho[i] * dot(S[i], q);
      for (let j = 0; j < n; j++) q[j] -= alpha[i] * Y[i][j];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let j = 0; j < n; j++) q[j] *= gamma;
    for (let i = 0; i < S.length; i++) {
      const beta = rho[i] * dot(Y[i], q);
      for (let j = 0; j < n; j++) q[j] += S[i][j] * (alpha[i] - beta);
    }
    const d = q.map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let j = 0; j < n; j++) d[j] = -g[j] / Math.max(1, Math.sqrt(dot(g, g)));
      slope = dot(g, d);
    }
    // Backtracking line search with the Armijo condition, stepping up once when the
    // full step still descends steeply (curvature).
    let step = 1,
      accepted = false;
    let xn = x,
      fn = f,
      gn = g;
    for (let ls = 0; ls < maxLs; ls++) {
      xn = x.map((v, j) => v + step * d[j]);
      ({ value: fn, grad: gn } = await evaluate(xn));
      if (Number.isFinite(fn) && fn <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    iter++;
    if (!accepted) return { x, value: f, nIter: iter, converged: false };
    const s = xn.map((v, j) => v - x[j]),
      y = gn.map((v, j) => v - g[j]);
    const sy = dot(s, y);
    if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const decrease = (f - fn) / Math.max(Math.abs(f), Math.abs(fn), 1);
    x = xn;
    f = fn;
    g = gn;
    if (maxAbs(g) <= opts.gtol || decrease <= opts.ftol) return { x, value: f, nIter: iter, converged: true };
  }
  return { x, value: f, nIter: iter, converged: false };
}

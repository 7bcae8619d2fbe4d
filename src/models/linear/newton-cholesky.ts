/**
 * scikit-learn 1.2's newton-cholesky solver (sklearn/linear_model/_glm/_newton_solver.py):
 * Newton steps H·Δ = −g solved by Cholesky, a backtracking Armijo line search (halving,
 * σ = 2⁻¹¹, at most 21 trials, with its tie rule on the sum of |g|), and its stopping
 * rule: max|g| ≤ tol and the Newton decrement ½·ΔᵀHΔ ≤ tol. A Hessian that is not
 * positive definite, a step that does not descend or a line search that fails hands
 * over to L-BFGS from the last accepted point, as scikit-learn does.
 *
 * Differences in cost, none in result: each evaluation returns the value, gradient and
 * Hessian together (one pass over the rows), so the trial point the line search accepts
 * already carries the next iteration's gradient and Hessian; and when the step's Newton
 * decrement already meets tol (known before the trial), the trial skips the Hessian, which
 * is then needed only if the gradient has not converged.
 */
import { dot, maxAbs } from '../../core/numeric.js';
import { lbfgs, type Objective } from '../../training/lbfgs.js';
import { choleskySolve } from './dense.js';

export interface NewtonEvaluation {
  value: number;
  grad: Float64Array;
  /** n × n, row-major; null when the evaluation was asked for none. */
  hess: Float64Array | null;
}

/** Value, gradient and (when `hessian`) Hessian at x. */
export type NewtonObjective = (x: Float64Array, hessian: boolean) => Promise<NewtonEvaluation>;

export interface NewtonCholeskyOptions {
  maxIter: number;
  tol: number;
}

export interface NewtonCholeskyResult {
  x: Float64Array;
  /** Newton iterations run (scikit-learn's n_iter_), plus L-BFGS's when it took over. */
  nIter: number;
  converged: boolean;
}

const SIGMA = 2 ** -11,
  TRIALS = 21,
  TINY = 16 * Number.EPSILON;

const sumAbs = (a: Float64Array) => a.reduce((s, v) => s + Math.abs(v), 0);

/** ΔᵀHΔ for a symmetric n × n H. */
function quadForm(H: Float64Array, d: Float64Array): number {
  const n = d.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += d[i] * dot(H.subarray(i * n, i * n + n), d);
  return s;
}

/**
 * Minimises a smooth convex objective from x0. `evaluate` gives value, gradient and Hessian;
 * `lossGrad` (value and gradient only) serves the L-BFGS hand-over.
 */
export async function newtonCholesky(
  evaluate: NewtonObjective,
  lossGrad: Objective,
  x0: Float64Array,
  opts: NewtonCholeskyOptions,
): Promise<NewtonCholeskyResult> {
  const n = x0.length;
  let x = Float64Array.from(x0);
  let cur = await evaluate(x, true);
  let iter = 1;
  const handOver = async () => {
    const res = await lbfgs(lossGrad, x, { maxIter: opts.maxIter, gtol: opts.tol, ftol: 64 * Number.EPSILON, maxLineSearch: 50 });
    return { x: res.x, nIter: iter - 1 + res.nIter, converged: res.converged };
  };
  while (iter <= opts.maxIter) {
    if (cur.hess === null) cur = await evaluate(x, true); // the light trial below did not converge
    const H = cur.hess!;
    const neg = cur.grad.map((v) => -v);
    const step = choleskySolve(H, neg, n, 1);
    if (step === null || !step.every(Number.isFinite)) return handOver();
    const slope = dot(cur.grad, step);
    if (slope > 0) return handOver();
    const decrement = 0.5 * quadForm(H, step); // on the Hessian the step came from, as scikit-learn
    const last = decrement <= opts.tol; // converged if the trial's gradient is small: no Hessian needed there
    let t = 1,
      next: NewtonEvaluation | undefined,
      xt = x;
    for (let trial = 0; trial < TRIALS && next === undefined; trial++, t *= 0.5) {
      xt = x.map((v, i) => v + t * step[i]);
      const e = await evaluate(xt, !last);
      const improvement = e.value - cur.value;
      if (improvement <= t * SIGMA * slope) next = e;
      else if (Math.abs(improvement) <= Math.abs(cur.value * TINY) && sumAbs(e.grad) < sumAbs(cur.grad)) next = e;
    }
    if (next === undefined) return handOver();
    x = xt;
    cur = next;
    iter++;
    if (maxAbs(cur.grad) <= opts.tol && decrement <= opts.tol) return { x, nIter: iter - 1, converged: true };
  }
  return { x, nIter: iter - 1, converged: false };
}

/**
 * The svm family in plain TypeScript, the oracle: LIBSVM's solver (backend/svm/) run in slices of
 * iterations, yielding to the event loop between them so that an AbortSignal can stop it.
 */
import { checkSvmSolveArgs, type SvmKernels, type SvmSolveArgs, type SvmSolveResult } from '../contract/svm.js';
import { crossInto, TrainKernel } from '../svm/kernel.js';
import { ClassQ, RegressionQ } from '../svm/q-matrix.js';
import { SmoSolver } from '../svm/solver.js';

/** Iterations between two yields to the event loop. */
const SLICE = 2000;

export async function jsSvmSolve(a: SvmSolveArgs, signal?: AbortSignal): Promise<SvmSolveResult> {
  checkSvmSolveArgs(a);
  signal?.throwIfAborted();
  const kernel = new TrainKernel(a.x, a.d, a.kernel);
  const Q = a.q === 'regression' ? new RegressionQ(kernel, a.rows, a.cacheBytes) : new ClassQ(kernel, a.rows, a.q === 'class' ? a.y : null, a.cacheBytes);
  const s = new SmoSolver({ Q, p: a.p, y: a.y, alpha: a.alpha, C: a.C, eps: a.eps, shrinking: a.shrinking, maxIter: a.maxIter, nu: a.nu });
  while (!s.run(SLICE)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }
  return s.result();
}

export const jsSvm: SvmKernels = {
  solve: jsSvmSolve,
  async cross(kernel, q, rows, v, m, d) {
    const out = new Float64Array(rows * m);
    crossInto(kernel, q, rows, v, m, d, out);
    return out;
  },
};

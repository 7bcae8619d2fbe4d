/**
 * The native svm family: LIBSVM's solver in C++ (native/kernels/svm), small problems inline,
 * larger ones on a libuv worker. An abort sets the stop flag the solver polls every 1,000
 * iterations; the call then rejects with the signal's reason.
 */
import { checkSvmSolveArgs, type SvmKernelKind, type SvmKernels, type SvmQ } from '../contract/svm.js';
import { callNative, INLINE_MAX_FLOPS, type NativeAddon } from './addon.js';

const INLINE_MAX_ROWS = 512;
const Q: Record<SvmQ, number> = { class: 0, oneClass: 1, regression: 2 };
const KERNEL: Record<SvmKernelKind, number> = { linear: 0, poly: 1, rbf: 2, sigmoid: 3 };

export function nativeSvm(addon: NativeAddon): SvmKernels {
  return {
    async solve(a, signal) {
      checkSvmSolveArgs(a);
      signal?.throwIfAborted();
      const alpha = new Float64Array(a.alpha.length),
        info = new Float64Array(5),
        stop = new Int32Array(1);
      const args = [
        a.x,
        a.n,
        a.d,
        a.rows,
        Q[a.q],
        KERNEL[a.kernel.kernel],
        a.kernel.gamma,
        a.kernel.degree,
        a.kernel.coef0,
        a.y,
        a.p,
        a.alpha,
        a.C,
        a.eps,
        a.shrinking,
        a.maxIter,
        a.nu,
        a.cacheBytes,
        stop,
        alpha,
        info,
      ] as const;
      // small problems (Platt's folds, the pairs of a many-class fit) inline: SMO's iteration count
      // grows with l, so the bound is on l, not on the work of one kernel row
      const l = a.rows.length;
      if (l <= INLINE_MAX_ROWS && l * a.d <= INLINE_MAX_FLOPS / 1024) callNative('svmSolve', () => addon.svmSolveSync(...args));
      else {
        const onAbort = () => {
          stop[0] = 1;
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await callNative('svmSolve', () => addon.svmSolve(...args));
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      }
      signal?.throwIfAborted();
      return { alpha, rho: info[0], r: info[1], obj: info[2], nIter: info[3] };
    },
    async cross(kernel, q, rows, v, m, d) {
      const out = new Float64Array(rows * m);
      const args = [q, rows, d, v, m, KERNEL[kernel.kernel], kernel.gamma, kernel.degree, kernel.coef0, out] as const;
      if (2 * rows * m * d <= INLINE_MAX_FLOPS) callNative('svmCross', () => addon.svmCrossSync(...args));
      else await callNative('svmCross', () => addon.svmCross(...args));
      return out;
    },
  };
}

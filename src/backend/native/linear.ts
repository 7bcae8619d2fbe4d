/** The native linear family (f64 kernels). */
import { SGD_LOSSES, SGD_RATES, type LinearKernels } from '../contract/linear.js';
import { callNative, INLINE_MAX_ELEMENTS, INLINE_MAX_FLOPS, type NativeAddon } from './addon.js';

export function nativeLinear(addon: NativeAddon): LinearKernels {
  return {
    async weightedGram(x, n, p, y, t, w, center) {
      const xMean = new Float64Array(p),
        yMean = new Float64Array(t),
        gram = new Float64Array(p * p);
      const xty = new Float64Array(p * t),
        wSum = new Float64Array(1);
      const args = [x, n, p, y, t, w, center, xMean, yMean, gram, xty, wSum] as const;
      if (n * p * p <= INLINE_MAX_FLOPS) callNative('weightedGram', () => addon.weightedGramSync(...args));
      else await callNative('weightedGram', () => addon.weightedGram(...args));
      return { xMean, yMean, gram, xty, wSum: wSum[0] };
    },
    async logisticLossGrad(x, n, p, y, classes, coef, fitIntercept, w) {
      const grad = new Float64Array(coef.length),
        loss = new Float64Array(1);
      const args = [x, n, p, y, classes, coef, fitIntercept, w, grad, loss] as const;
      if (n * p * classes <= INLINE_MAX_ELEMENTS) callNative('logisticLossGrad', () => addon.logisticLossGradSync(...args));
      else await callNative('logisticLossGrad', () => addon.logisticLossGrad(...args));
      return { loss: loss[0], grad };
    },
    async logisticLossGradHess(x, n, p, y, coef, fitIntercept, w, hessian) {
      const stride = p + 1;
      const grad = new Float64Array(stride),
        hess = hessian ? new Float64Array(stride * stride) : null,
        loss = new Float64Array(1);
      const args = [x, n, p, y, coef, fitIntercept, w, grad, hess, loss] as const;
      // inline only when small: by the Hessian's multiply-adds, or without it by the elements read
      if (hessian ? n * stride * stride <= INLINE_MAX_FLOPS : n * stride <= INLINE_MAX_ELEMENTS)
        callNative('logisticLossGradHess', () => addon.logisticLossGradHessSync(...args));
      else await callNative('logisticLossGradHess', () => addon.logisticLossGradHess(...args));
      return { loss: loss[0], grad, hess };
    },
    async sgdEpoch(a) {
      const args = [
        a.x,
        a.n,
        a.p,
        a.y,
        a.models,
        a.order,
        a.w,
        SGD_LOSSES.indexOf(a.loss),
        a.epsilon,
        a.alpha,
        a.l1Ratio,
        SGD_RATES.indexOf(a.rate),
        a.eta0,
        a.powerT,
        a.optimalInit,
        a.fitIntercept,
        a.coef,
        a.t,
        a.lossSum,
      ] as const;
      if (a.n * a.p * a.models <= INLINE_MAX_ELEMENTS) callNative('sgdEpoch', () => addon.sgdEpochSync(...args));
      else await callNative('sgdEpoch', () => addon.sgdEpoch(...args));
    },
    async svmDualCd(a) {
      const args = [
        a.x,
        a.n,
        a.p,
        a.y,
        a.models,
        a.squaredHinge,
        a.C,
        a.interceptScaling,
        a.maxIter,
        a.tol,
        a.seed >>> 0,
        a.coef,
        a.iterations,
        a.weight,
      ] as const;
      if (a.n * a.p * a.models <= INLINE_MAX_ELEMENTS) callNative('svmDualCd', () => addon.svmDualCdSync(...args));
      else await callNative('svmDualCd', () => addon.svmDualCd(...args));
    },
    async affineColumns(x, rows, cols, shift, scale, fill) {
      const out = new Float64Array(rows * cols);
      const args = [x, rows, cols, shift, scale, fill, out] as const;
      if (rows * cols <= INLINE_MAX_ELEMENTS) callNative('affineColumns', () => addon.affineColumnsSync(...args));
      else await callNative('affineColumns', () => addon.affineColumns(...args));
      return out;
    },
  };
}

/** The native mlp family: each epoch runs every mini-batch in C++. */
import { MLP_ACTIVATIONS, type MlpSyncKernels } from '../contract/mlp.js';
import { callNative, INLINE_MAX_ELEMENTS, type NativeAddon } from './addon.js';

export function nativeMlp(addon: NativeAddon): MlpSyncKernels {
  return {
    async epoch(a) {
      const loss = new Float64Array(1);
      const net = a.net;
      await callNative('mlpEpoch', () =>
        addon.mlpEpoch(
          net.sizes,
          MLP_ACTIVATIONS.indexOf(net.hidden),
          net.output === 'softmax' ? 0 : 1,
          net.params,
          a.data.x,
          a.data.n,
          a.data.labels,
          a.data.targets,
          a.order,
          a.batch,
          a.dropout,
          a.seed >>> 1,
          a.solver === 'adam' ? 1 : 0,
          a.lr,
          a.alpha,
          a.weightDecay,
          a.momentum,
          a.nesterov,
          a.beta1,
          a.beta2,
          a.eps,
          a.m,
          a.v,
          a.step,
          loss,
          a.data.weights ?? null,
        ),
      );
      return loss[0];
    },
    async forward(net, x, n) {
      const out = new Float32Array(n * net.sizes[net.sizes.length - 1]);
      const args = [net.sizes, MLP_ACTIVATIONS.indexOf(net.hidden), net.output === 'softmax' ? 0 : 1, net.params, x, n, out] as const;
      if (x.length <= INLINE_MAX_ELEMENTS) callNative('mlpForward', () => addon.mlpForwardSync(...args));
      else await callNative('mlpForward', () => addon.mlpForward(...args));
      return out;
    },
    lossGrad(net, data, alpha) {
      const grad = new Float32Array(net.params.length),
        loss = new Float64Array(1);
      callNative('mlpLossGrad', () =>
        addon.mlpLossGradSync(
          net.sizes,
          MLP_ACTIVATIONS.indexOf(net.hidden),
          net.output === 'softmax' ? 0 : 1,
          net.params,
          data.x,
          data.n,
          data.labels,
          data.targets,
          alpha,
          grad,
          loss,
          data.weights ?? null,
        ),
      );
      return { loss: loss[0], grad };
    },
  };
}

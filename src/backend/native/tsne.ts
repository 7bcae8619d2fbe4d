/** The native tsne family: the Barnes-Hut gradient in C++ (quadtree per call, threads over points), on the calling thread. */
import { checkTsneGradientArgs, type TsneKernels } from '../contract/tsne.js';
import { callNative, type NativeAddon } from './addon.js';

export function nativeTsne(addon: NativeAddon): TsneKernels {
  const kl = new Float64Array(1);
  return {
    gradientSync(a) {
      checkTsneGradientArgs(a);
      const { P } = a;
      callNative('tsneGradient', () =>
        addon.tsneGradientSync(P.indptr, P.indices, P.values, a.y, a.n, a.angle, a.exaggeration, a.grad, a.computeError ? kl : null),
      );
      return a.computeError ? kl[0] : 0;
    },
  };
}

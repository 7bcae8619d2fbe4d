/**
 * The native backend: the C++ addon (addon.ts loads it), one file per kernel family.
 * Work below a size runs inline on the calling thread, larger work on a libuv worker.
 */
import { fromNativeError } from '../../core/errors.js';
import type { CpuBackend } from '../backend.js';
import { NATIVE_OUTPUT_BYTES, type NativeAddon } from './addon.js';
import { nativeElementwise } from './elementwise.js';
import { nativeGemm } from './gemm.js';
import { nativeGroup } from './group.js';
import { nativeHist } from './hist.js';
import { nativeKmeans } from './kmeans.js';
import { nativeKnn } from './knn.js';
import { nativeLinalg } from './linalg.js';
import { nativeLinear } from './linear.js';
import { nativeMlp } from './mlp.js';
import { nativeOrder } from './order.js';
import { nativeReduce } from './reduce.js';
import { nativeSvm } from './svm.js';
import { nativeTsne } from './tsne.js';

export { loadNativeAddon, nativeAddon, type NativeAddon } from './addon.js';

export class NativeBackend implements CpuBackend {
  readonly name = 'native' as const;
  readonly gemm;
  readonly reduce;
  readonly elementwise;
  readonly knn;
  readonly linear;
  readonly mlp;
  readonly hist;
  readonly group;
  readonly order;
  readonly kmeans;
  readonly linalg;
  readonly svm;
  readonly tsne;
  private externalAllowed = true;

  constructor(readonly addon: NativeAddon) {
    const alloc = (length: number, opts: { overwritten?: boolean }) => this.allocF32(length, opts);
    this.gemm = nativeGemm(addon);
    this.reduce = nativeReduce(addon);
    this.elementwise = nativeElementwise(addon, alloc);
    this.knn = nativeKnn(addon, alloc);
    this.linear = nativeLinear(addon);
    this.mlp = nativeMlp(addon);
    this.hist = nativeHist(addon);
    this.group = nativeGroup(addon);
    this.order = nativeOrder(addon);
    this.kmeans = nativeKmeans(addon);
    this.linalg = nativeLinalg(addon);
    this.svm = nativeSvm(addon);
    this.tsne = nativeTsne(addon);
  }

  allocF32(length: number, opts: { overwritten?: boolean } = {}): Float32Array {
    if (length * 4 >= NATIVE_OUTPUT_BYTES && this.externalAllowed) {
      try {
        return this.addon.allocFloat32(length, !opts.overwritten);
      } catch (e) {
        if ((e as { code?: string }).code === 'E_ALLOC') throw fromNativeError(e, 'native allocFloat32');
        this.externalAllowed = false; // e.g. Electron forbids external buffers: use JS memory from now on
      }
    }
    if (opts.overwritten && length >= 4096) {
      // Skips the zero fill (~5% of a 256³ sgemm): the kernel writes every element.
      const b = Buffer.allocUnsafeSlow(length * 4);
      return new Float32Array(b.buffer, b.byteOffset, length);
    }
    return new Float32Array(length);
  }

  describe(): string {
    const i = this.addon.info();
    return `C++ ${i.simd} kernels (sgemm ${i.gemmKernel}), ${i.threads} thread${i.threads === 1 ? '' : 's'}`;
  }
}

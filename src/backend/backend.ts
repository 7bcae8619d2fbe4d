/**
 * The Backend interface: the only door from the TypeScript layer to kernels. A backend
 * exposes one object per kernel family it runs (its capabilities); the argument types,
 * shared constants and checks of each family live in contract/<family>.ts. Kernel
 * arguments are raw typed arrays plus shapes; the ops layer validates user input before
 * it gets here, and each backend re-checks what it must. Models do not pick a backend
 * themselves: select.ts resolves the family they need (resolveKernels).
 */
import type { ElementwiseKernels, ElementwiseSyncKernels } from './contract/elementwise.js';
import type { GemmKernels, GemmSyncKernels } from './contract/gemm.js';
import type { GroupKernels } from './contract/group.js';
import type { HistDeviceKernels, HistSyncKernels } from './contract/hist.js';
import type { KmeansKernels } from './contract/kmeans.js';
import type { TsneKernels } from './contract/tsne.js';
import type { KnnKernels } from './contract/knn.js';
import type { LinalgKernels, LinalgSyncKernels } from './contract/linalg.js';
import type { LinearKernels } from './contract/linear.js';
import type { MlpKernels, MlpSyncKernels } from './contract/mlp.js';
import type { BackendName } from './contract/names.js';
import type { OrderKernels } from './contract/order.js';
import type { ReduceKernels, ReduceSyncKernels } from './contract/reduce.js';
import type { SvmKernels } from './contract/svm.js';

export * from './contract/names.js';
export * from './contract/gemm.js';
export * from './contract/reduce.js';
export * from './contract/elementwise.js';
export * from './contract/knn.js';
export * from './contract/linear.js';
export * from './contract/mlp.js';
export * from './contract/hist.js';
export * from './contract/group.js';
export * from './contract/order.js';
export * from './contract/kmeans.js';
export * from './contract/tsne.js';
export * from './contract/linalg.js';
export * from './contract/svm.js';

export interface Backend {
  readonly name: BackendName;
  /**
   * An f32 output buffer in memory that suits this backend (huge pages on native).
   * Zeroed, unless `overwritten` promises that a kernel writes every element before
   * anyone reads it (its contents are then undefined).
   */
  allocF32(length: number, opts?: { overwritten?: boolean }): Float32Array;
  // Every backend runs these families.
  readonly gemm: GemmKernels;
  readonly reduce: ReduceKernels;
  readonly elementwise: ElementwiseKernels;
  readonly knn: KnnKernels;
  // Capabilities: absent where the backend does not run the family.
  readonly linear?: LinearKernels;
  readonly mlp?: MlpKernels;
  readonly hist?: HistSyncKernels;
  readonly kmeans?: KmeansKernels;
  /** A device's share of the hist family; the rest runs on the fallback (see HistDeviceKernels). */
  readonly histDevice?: HistDeviceKernels;
  readonly group?: GroupKernels;
  readonly order?: OrderKernels;
  /** Dense f64 factorisations (CPU backends only). */
  readonly linalg?: LinalgSyncKernels;
  /** LIBSVM's SMO solver (CPU backends only). */
  readonly svm?: SvmKernels;
  /** Barnes-Hut t-SNE's gradient (CPU backends only). */
  readonly tsne?: TsneKernels;
}

/** A CPU backend (native, js): every family, each with its calling-thread variants. */
export interface CpuBackend extends Backend {
  readonly name: 'native' | 'js';
  readonly gemm: GemmSyncKernels;
  readonly reduce: ReduceSyncKernels;
  readonly elementwise: ElementwiseSyncKernels;
  readonly linear: LinearKernels;
  readonly mlp: MlpSyncKernels;
  readonly hist: HistSyncKernels;
  readonly group: GroupKernels;
  readonly order: OrderKernels;
  readonly kmeans: KmeansKernels;
  readonly linalg: LinalgSyncKernels;
  readonly svm: SvmKernels;
  readonly tsne: TsneKernels;
}

/** The kernel families, by the name resolveKernels takes. */
export interface KernelFamilies {
  gemm: GemmKernels;
  reduce: ReduceKernels;
  elementwise: ElementwiseKernels;
  knn: KnnKernels;
  linear: LinearKernels;
  mlp: MlpKernels;
  hist: HistSyncKernels;
  group: GroupKernels;
  order: OrderKernels;
  kmeans: KmeansKernels;
  linalg: LinalgKernels;
  svm: SvmKernels;
  tsne: TsneKernels;
}
export type KernelFamily = keyof KernelFamilies;

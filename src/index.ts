/**
 * kiln: machine learning for Node.js on native (C++ SIMD + threads) and WebGPU kernels.
 */
export * from './core/index.js';
export {
  backends,
  dispose,
  getBackend,
  getThreads,
  GpuMatrix,
  onKernelEvent,
  setBackend,
  setThreads,
  type Backend,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
  type KernelEvent,
} from './backend/index.js';
export * from './ops/index.js';
export * from './metrics/index.js';
export * from './models/neighbors/index.js';
export * from './models/svm/index.js';
export * from './models/linear/index.js';
export * from './models/naive-bayes/index.js';
export * from './models/dummy/index.js';
export * from './models/tree/index.js';
export * from './models/ensemble/index.js';
export * from './models/isotonic/index.js';
export * from './training/index.js';
export * from './models/neural/index.js';
export * from './preprocessing/index.js';
export * from './data/split/index.js';
export * from './compose/index.js';
export * from './data/index.js';
export * from './imbalance/index.js';
export * from './cluster/index.js';
export * from './deploy/index.js';
export * from './benchmark/index.js';
export * from './monitor/index.js';
export * from './explore/index.js';
export { barSpec, boxSpec, heatmapSpec, histogramSpec, lineSpec, renderChart, scatterSpec, type ChartSpec } from './report/index.js';
export * from './interop/index.js';
export * from './stats/index.js';
export * from './decomposition/index.js';
export * from './selection/index.js';
export * from './distributed/index.js';

// The composition root wires nJobs (selection) to the worker pool (distributed, a layer above it).
import { sharedWorkerPool } from './distributed/worker-pool.js';
import { registerParallelExecutor } from './selection/executor.js';
registerParallelExecutor(sharedWorkerPool);
import { registerModuleObjective } from './selection/study/module-objective.js';
import { workerModuleObjective } from './distributed/study-objective.js';
registerModuleObjective(workerModuleObjective);

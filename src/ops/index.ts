export { matmul, matmulSync, type MatmulOptions } from './matmul.js';
export {
  columnMax,
  columnMean,
  columnMin,
  columnStats,
  columnStatsSync,
  columnSum,
  columnVariance,
  type ColumnStats,
  type ColumnStatsOptions,
} from './column-stats.js';
export { rowNorms, type RowNormsOptions } from './row-norms.js';
export {
  add,
  argmax,
  clamp,
  div,
  mul,
  relu,
  scale,
  sigmoid,
  softmax,
  sub,
  tanh,
  type ElementwiseOptions,
} from './elementwise.js';
export { isGpu, toGpu } from './gpu.js';

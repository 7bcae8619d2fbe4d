export { matmul, matmulSync, type MatmulOptions } from './matmul.js';
export {
  columnMax, columnMean, columnMin, columnStats, columnStatsSync, columnSum, columnVariance,
  type ColumnStats, type ColumnStatsOptions,
} from './column-stats.js';

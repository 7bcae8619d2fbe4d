/** The native reduce family: column statistics and row norms. */
import type { FloatArray } from '../../core/matrix.js';
import { STATS_FIELDS, unpackStats, type RawColumnStats, type ReduceSyncKernels } from '../contract/reduce.js';
import { callNative, INLINE_MAX_ELEMENTS, type NativeAddon } from './addon.js';

export function nativeReduce(addon: NativeAddon): ReduceSyncKernels {
  const columnStatsSync = (x: FloatArray, rows: number, cols: number): RawColumnStats => {
    const out = new Float64Array(STATS_FIELDS.length * cols);
    callNative('columnStats', () => addon.columnStatsSync(x, rows, cols, out));
    return unpackStats(out, cols);
  };
  const rowNormsSync = (x: FloatArray, rows: number, cols: number, squared: boolean): Float64Array => {
    const out = new Float64Array(rows);
    callNative('rowNorms', () => addon.rowNormsSync(x, rows, cols, squared, out));
    return out;
  };
  return {
    columnStatsSync,
    rowNormsSync,
    async columnStats(x, rows, cols) {
      if (x.length <= INLINE_MAX_ELEMENTS) return columnStatsSync(x, rows, cols);
      const out = new Float64Array(STATS_FIELDS.length * cols);
      await callNative('columnStats', () => addon.columnStats(x, rows, cols, out));
      return unpackStats(out, cols);
    },
    async rowNorms(x, rows, cols, squared) {
      if (x.length <= INLINE_MAX_ELEMENTS) return rowNormsSync(x, rows, cols, squared);
      const out = new Float64Array(rows);
      await callNative('rowNorms', () => addon.rowNorms(x, rows, cols, squared, out));
      return out;
    },
  };
}

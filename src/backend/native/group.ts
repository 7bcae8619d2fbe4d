/** The native group family: per-group sums and counts in C++ (threads over blocks of rows). */
import { checkGroupArgs, checkRowGroupsArgs, type GroupKernels } from '../contract/group.js';
import { callNative, type NativeAddon } from './addon.js';

export function nativeGroup(addon: NativeAddon): GroupKernels {
  return {
    groupSums(values, codes, groups) {
      checkGroupArgs(values, codes, groups, 'groupSums');
      const sum = new Float64Array(groups),
        count = new Float64Array(groups);
      callNative('groupSums', () => addon.groupSumsSync(values, codes, groups, sum, count));
      return { sum, count };
    },
    rowGroups(columns, rows) {
      checkRowGroupsArgs(columns, rows, 'rowGroups');
      const codes = new Int32Array(rows);
      const n = callNative('rowGroups', () => addon.rowGroupsSync(columns, rows, codes));
      return { codes, n };
    },
  };
}

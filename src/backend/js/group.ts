/** The group family's reference: one pass with Kahan sums per group (pandas' group_sum). */
import { ParamError } from '../../core/errors.js';
import { checkGroupArgs, type GroupKernels, type GroupSums } from '../contract/group.js';

export const jsGroup: GroupKernels = {
  groupSums(values: Float64Array, codes: Int32Array, groups: number): GroupSums {
    checkGroupArgs(values, codes, groups, 'groupSums');
    const sum = new Float64Array(groups),
      comp = new Float64Array(groups),
      count = new Float64Array(groups);
    for (let r = 0; r < values.length; r++) {
      const g = codes[r],
        x = values[r];
      if (g < 0 || g >= groups) {
        if (g < -1 || g >= groups) throw new ParamError(`groupSums: codes[${r}] is ${g}, outside [-1, ${groups})`);
        continue;
      }
      if (x !== x) continue;
      const y = x - comp[g],
        t = sum[g] + y;
      comp[g] = t - sum[g] - y;
      sum[g] = t;
      count[g]++;
    }
    return { sum, count };
  },
};

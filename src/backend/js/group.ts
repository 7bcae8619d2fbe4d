/**
 * The group family's reference: one pass with Kahan sums per group (pandas' group_sum), and
 * whole-row groups by one hash of each row over all its columns and one open-addressing table.
 */
import { ParamError } from '../../core/errors.js';
import { checkGroupArgs, checkRowGroupsArgs, type GroupKernels, type GroupSums, type KeyColumn, type RowGroups } from '../contract/group.js';

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

  rowGroups(columns: readonly KeyColumn[], rows: number): RowGroups {
    checkRowGroupsArgs(columns, rows, 'rowGroups');
    let cap = 16;
    while (cap < rows * 2) cap *= 2;
    const mask = cap - 1,
      slots = new Int32Array(cap).fill(-1),
      slotHash = new Int32Array(cap),
      codes = new Int32Array(rows);
    let n = 0;
    for (let r = 0; r < rows; r++) {
      let h = 0x2545f491;
      for (const c of columns) h = mixValue(h, c, r);
      let s = h & mask;
      for (;;) {
        const q = slots[s];
        if (q < 0) {
          slots[s] = r;
          slotHash[s] = h;
          codes[r] = n++;
          break;
        }
        if (slotHash[s] === h && sameRow(columns, r, q)) {
          codes[r] = codes[q];
          break;
        }
        s = (s + 1) & mask;
      }
    }
    return { codes, n };
  },
};

const rowBits = new Float64Array(1);
const rowWords = new Uint32Array(rowBits.buffer);

/** One column's value at a row as a 32-bit word pair mixed into h (−0 as 0, every NaN alike, every missing code alike). */
function mixValue(h: number, col: KeyColumn, r: number): number {
  let lo: number, hi: number;
  if (col instanceof Int32Array) {
    lo = col[r] < 0 ? -1 : col[r];
    hi = 0x7ff80001;
  } else {
    const v = col[r];
    rowBits[0] = v !== v ? Number.NaN : v === 0 ? 0 : v;
    lo = rowWords[0];
    hi = rowWords[1];
  }
  h = Math.imul(h ^ lo, 0x9e3779b1);
  h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  h = Math.imul(h ^ hi, 0x85ebca6b);
  return (h ^ (h >>> 16)) | 0;
}

/** Rows r and q hold the same values (NaN equal to NaN, missing codes equal). */
function sameRow(columns: readonly KeyColumn[], r: number, q: number): boolean {
  for (const c of columns) {
    const a = c[r],
      b = c[q];
    if (c instanceof Int32Array) {
      if (a !== b && (a >= 0 || b >= 0)) return false;
    } else if (a !== b && (a === a || b === b)) return false;
  }
  return true;
}

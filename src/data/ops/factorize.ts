/**
 * Key columns to integer group codes, once, so that every later pass (aggregations, counts,
 * joins, sorting, duplicates) indexes flat arrays by group: pandas' factorize + compress.
 * Categorical keys reuse their dictionary codes (no hashing); numeric keys go through
 * DoubleHash; several keys combine pairwise as a·n_b + b (order-preserving) and are compacted.
 */
import type { GroupKernels } from '../../backend/contract/group.js';
import type { BackendChoice } from '../../backend/contract/names.js';
import { resolveCpuBackendSync } from '../../backend/select.js';
import { ParamError } from '../../core/errors.js';
import type { FrameColumn } from '../column.js';
import { labelRanks } from '../column.js';
import { DoubleHash } from './double-hash.js';

/** The group kernels on the CPU: the option, or the process-wide choice with 'webgpu' read as 'auto' (no GPU kernel here). */
export function groupKernels(choice: BackendChoice | undefined, owner: string): GroupKernels {
  if (choice !== undefined && choice !== 'auto' && choice !== 'native' && choice !== 'js')
    throw new ParamError(`${owner}: backend must be 'auto', 'native' or 'js' (the group kernels run on the CPU), got ${JSON.stringify(choice)}`);
  return resolveCpuBackendSync(choice, owner).group;
}

export interface KeyOrder {
  /** Ids in ascending key order (true) or in order of first appearance (false). */
  sort: boolean;
  /** Rows with a missing key get code −1 (true) or a group of their own (false). */
  dropna: boolean;
  /** With sort: descending key order. */
  descending?: boolean;
  /** With sort and dropna false: the missing group first instead of last. */
  naFirst?: boolean;
}

export interface Codes {
  /** Dense id of each row in [0, n), −1 for a dropped row. */
  codes: Int32Array;
  n: number;
}

export interface Grouping extends Codes {
  /** The first row of each group (where its key values are read). */
  first: Int32Array;
}

/** One column's codes under the given order. */
export function factorizeColumn(col: FrameColumn, order: KeyOrder): Codes {
  return col.kind === 'categorical' ? factorizeCategorical(col.codes, col.labels, order) : factorizeNumeric(col.values, order);
}

function factorizeNumeric(values: Float64Array, order: KeyOrder): Codes {
  const rows = values.length,
    raw = new Int32Array(rows),
    hash = new DoubleHash(64);
  let missingAt = -1;
  for (let r = 0; r < rows; r++) {
    const v = values[r];
    if (v !== v) {
      raw[r] = -1;
      if (missingAt < 0) missingAt = hash.size;
    } else raw[r] = hash.id(v);
  }
  const n = hash.size;
  let rank: Int32Array | null = null;
  if (order.sort) {
    const sorted = hash.keys.slice(0, n).sort();
    rank = new Int32Array(n);
    for (let id = 0; id < n; id++) {
      const v = hash.keys[id];
      let lo = 0,
        hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      rank[id] = order.descending ? n - 1 - lo : lo;
    }
  }
  return placeMissing(raw, n, rank, missingAt, order);
}

function factorizeCategorical(codes: Int32Array, labels: readonly string[], order: KeyOrder): Codes {
  const L = labels.length,
    rows = codes.length,
    rank = new Int32Array(L).fill(-1);
  let n = 0,
    missingAt = -1;
  if (order.sort) {
    const present = new Uint8Array(L);
    for (let r = 0; r < rows; r++) {
      const c = codes[r];
      if (c >= 0) present[c] = 1;
      else if (missingAt < 0) missingAt = 0;
    }
    const ranks = labelRanks(labels),
      byRank = new Int32Array(L).fill(-1);
    for (let c = 0; c < L; c++) if (present[c]) byRank[ranks[c]] = c;
    for (let k = 0; k < L; k++) if (byRank[k] >= 0) rank[byRank[k]] = n++;
    if (order.descending) for (let c = 0; c < L; c++) if (rank[c] >= 0) rank[c] = n - 1 - rank[c];
  } else {
    for (let r = 0; r < rows; r++) {
      const c = codes[r];
      if (c < 0) {
        if (missingAt < 0) missingAt = n;
      } else if (rank[c] < 0) rank[c] = n++;
    }
  }
  // every label present, in rank order, none missing (or dropped): the codes already are the ids
  let identity = missingAt < 0 || order.dropna;
  for (let c = 0; identity && c < L; c++) identity = rank[c] === c;
  if (identity) return { codes, n };
  return placeMissing(codes, n, rank, missingAt, order);
}

/**
 * Final codes from raw ids (−1 missing) and a rank per raw id (null: identity): the missing
 * group, when kept, goes last or first (sorted) or where it first appeared (unsorted).
 */
function placeMissing(raw: Int32Array, n: number, rank: Int32Array | null, missingAt: number, order: KeyOrder): Codes {
  const rows = raw.length,
    out = new Int32Array(rows);
  const keepMissing = missingAt >= 0 && !order.dropna;
  const missingId = !keepMissing ? -1 : !order.sort ? missingAt : order.naFirst ? 0 : n;
  const shiftFrom = !keepMissing ? n : order.sort ? (order.naFirst ? 0 : n) : missingAt;
  for (let r = 0; r < rows; r++) {
    const c = raw[r];
    if (c < 0) out[r] = missingId;
    else {
      const k = rank === null ? c : rank[c];
      out[r] = k >= shiftFrom ? k + 1 : k;
    }
  }
  return { codes: out, n: keepMissing ? n + 1 : n };
}

/** Two code arrays as one (a·n_b + b, compacted): lexicographic when both are sorted and `sort`. */
export function combineCodes(a: Codes, b: Codes, sort: boolean): Codes {
  const rows = a.codes.length,
    product = a.n * b.n,
    out = new Int32Array(rows);
  if (product <= Math.max(1 << 20, rows * 4)) {
    const id = new Int32Array(product).fill(-1);
    let n = 0;
    if (sort) {
      for (let r = 0; r < rows; r++) if (a.codes[r] >= 0 && b.codes[r] >= 0) id[a.codes[r] * b.n + b.codes[r]] = 0;
      for (let k = 0; k < product; k++) if (id[k] === 0) id[k] = n++ + 1;
      for (let k = 0; k < product; k++) id[k] -= 1; // ids were stored +1 so that 0 meant "seen"
    }
    for (let r = 0; r < rows; r++) {
      const ca = a.codes[r],
        cb = b.codes[r];
      if (ca < 0 || cb < 0) {
        out[r] = -1;
        continue;
      }
      const k = ca * b.n + cb;
      if (!sort && id[k] < 0) id[k] = n++;
      out[r] = id[k];
    }
    return { codes: out, n };
  }
  // a sparse product (many groups on each side): hash the combined value (exact below 2^53)
  const hash = new DoubleHash(1024);
  for (let r = 0; r < rows; r++) {
    const ca = a.codes[r],
      cb = b.codes[r];
    out[r] = ca < 0 || cb < 0 ? -1 : hash.id(ca * b.n + cb);
  }
  if (!sort) return { codes: out, n: hash.size };
  const n = hash.size,
    keys = hash.keys.slice(0, n),
    sorted = keys.slice().sort(),
    rank = new Int32Array(n);
  for (let id = 0; id < n; id++) {
    let lo = 0,
      hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < keys[id]) lo = mid + 1;
      else hi = mid;
    }
    rank[id] = lo;
  }
  for (let r = 0; r < rows; r++) if (out[r] >= 0) out[r] = rank[out[r]];
  return { codes: out, n };
}

/**
 * Group codes of whole rows in order of first appearance, a missing value equal to another
 * (factorizeKeys with sort and dropna off, as duplicated needs it): one hash of each row over
 * all its columns, in the group kernels (native on long frames).
 */
export function rowGroups(cols: readonly FrameColumn[], kernels: GroupKernels): Codes {
  const rows = cols.length ? (cols[0].kind === 'categorical' ? cols[0].codes.length : cols[0].values.length) : 0;
  return kernels.rowGroups(
    cols.map((c) => (c.kind === 'categorical' ? c.codes : c.values)),
    rows,
  );
}

/** Group codes of several key columns (each ordered per `orders[i]`, or `order` for all). */
export function factorizeKeys(cols: readonly FrameColumn[], order: KeyOrder, orders?: readonly KeyOrder[]): Grouping {
  let acc = factorizeColumn(cols[0], orders?.[0] ?? order);
  for (let i = 1; i < cols.length; i++) acc = combineCodes(acc, factorizeColumn(cols[i], orders?.[i] ?? order), order.sort);
  return { ...acc, first: firstRows(acc) };
}

export function firstRows({ codes, n }: Codes): Int32Array {
  const first = new Int32Array(n).fill(-1);
  let found = 0;
  for (let r = 0; r < codes.length && found < n; r++) {
    const g = codes[r];
    if (g >= 0 && first[g] < 0) {
      first[g] = r;
      found++;
    }
  }
  return first;
}

/** Rows ordered by group, stable within a group (counting sort): offsets[g]..offsets[g+1] index into rows. */
export function groupRows({ codes, n }: Codes): { offsets: Int32Array; rows: Int32Array } {
  const offsets = new Int32Array(n + 1);
  for (let r = 0; r < codes.length; r++) if (codes[r] >= 0) offsets[codes[r] + 1]++;
  for (let g = 0; g < n; g++) offsets[g + 1] += offsets[g];
  const next = offsets.slice(0, n),
    rows = new Int32Array(offsets[n]);
  for (let r = 0; r < codes.length; r++) {
    const g = codes[r];
    if (g >= 0) rows[next[g]++] = r;
  }
  return { offsets, rows };
}

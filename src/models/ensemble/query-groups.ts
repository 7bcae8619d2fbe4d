/**
 * Query groups of a learning-to-rank data set, as offsets (queries + 1, from 0 to n): from
 * LightGBM's `group` (the sizes of consecutive queries) or XGBoost's `qid` (one query id per
 * row, each query's rows together).
 */
import { LengthError, ParamError } from '../../core/errors.js';

export interface QueryGroups {
  /** Sizes of consecutive queries (LightGBM's group), summing to the rows. */
  group?: ArrayLike<number>;
  /** One query id per row (XGBoost's qid); each query's rows must be contiguous (sorted by qid works). */
  qid?: ArrayLike<number>;
}

/** The query offsets of n rows; `name` prefixes the errors (e.g. 'GradientBoostingRanker.fit'). */
export function queryOffsets(g: QueryGroups | undefined, n: number, name: string): Int32Array {
  const group = g?.group,
    qid = g?.qid;
  if (group !== undefined && qid !== undefined) throw new ParamError(`${name}: give either group or qid, not both`);
  if (group === undefined && qid === undefined)
    throw new ParamError(`${name}: ranking needs the query groups: pass { group } (query sizes, LightGBM) or { qid } (a query id per row, XGBoost)`);
  if (group !== undefined) {
    if (group === null || typeof group !== 'object' || typeof group.length !== 'number') throw new ParamError(`${name}: group must be an array of query sizes`);
    const offsets = new Int32Array(group.length + 1);
    for (let q = 0; q < group.length; q++) {
      const size = group[q];
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 1)
        throw new ParamError(`${name}: group[${q}] = ${String(size)}; query sizes must be integers >= 1`);
      offsets[q + 1] = offsets[q] + size;
      if (offsets[q + 1] > n) break;
    }
    let total = 0;
    for (let q = 0; q < group.length; q++) total += group[q];
    if (group.length === 0 || total !== n)
      throw new LengthError(`${name}: group sizes sum to ${total} but X has ${n} rows; give one size per query, covering every row in order`);
    return offsets;
  }
  if (qid === null || typeof qid !== 'object' || typeof qid.length !== 'number')
    throw new ParamError(`${name}: qid must be an array of query ids, one per row`);
  if (qid.length !== n) throw new LengthError(`${name}: qid has ${qid.length} entries but X has ${n} rows; give one query id per row`);
  const seen = new Set<number>(),
    offsets = [0];
  for (let i = 0; i < n; i++) {
    const id = qid[i];
    if (typeof id !== 'number' || !Number.isFinite(id)) throw new ParamError(`${name}: qid[${i}] = ${String(id)} is not a finite number`);
    if (i > 0 && id === qid[i - 1]) continue;
    if (seen.has(id))
      throw new ParamError(
        `${name}: qid ${id} comes back at row ${i} after other queries; each query's rows must be contiguous (sort X, y and qid by qid first)`,
      );
    seen.add(id);
    if (i > 0) offsets.push(i);
  }
  if (n > 0) offsets.push(n);
  return Int32Array.from(offsets);
}

/** Rows of the queries `queries` (ascending) with their new offsets. */
export function rowsOfQueries(offsets: Int32Array, queries: Int32Array): { rows: Int32Array; offsets: Int32Array } {
  const out = new Int32Array(queries.length + 1);
  queries.forEach((q, j) => {
    out[j + 1] = out[j] + offsets[q + 1] - offsets[q];
  });
  const rows = new Int32Array(out[queries.length]);
  queries.forEach((q, j) => {
    for (let r = offsets[q]; r < offsets[q + 1]; r++) rows[out[j] + r - offsets[q]] = r;
  });
  return { rows, offsets: out };
}

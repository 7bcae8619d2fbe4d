/**
 * Hash join of two frames on key columns, as pandas' merge: one-to-one, many-to-one and
 * many-to-many; missing keys match each other (pandas does); 'left' keeps every left row in
 * order (unmatched ones get missing right values), 'inner' keeps the matched ones, also in left
 * order (pandas' documented order, which pandas ≥ 2.2 follows), each with its right matches in
 * right order. Keys are factorized into one id space for both sides: categorical keys by label
 * (no per-row hashing), numeric keys through DoubleHash.
 */
import { DTypeError, ParamError } from '../../core/errors.js';
import { checkOptions } from '../../core/validate.js';
import type { ColumnSource, FrameColumn } from '../column.js';
import { nameList, requireColumns, takeColumn, newColumns } from '../column.js';
import { DoubleHash } from './double-hash.js';
import { type Codes, combineCodes, groupRows } from './factorize.js';

export interface JoinOptions {
  /** Key column(s), present in both frames. Default: the columns the two frames share. */
  on?: string | string[];
  /** 'inner' keeps matched rows only; 'left' keeps every row of this frame. Default: 'inner'. */
  how?: 'inner' | 'left';
  /** Appended to the names of non-key columns the two frames share. Default: ['_x', '_y']. */
  suffixes?: [string, string];
}

export function join(left: ColumnSource, right: ColumnSource, opts: JoinOptions = {}): Record<string, FrameColumn> {
  checkOptions(opts, ['on', 'how', 'suffixes'], 'join');
  const how = opts.how ?? 'inner';
  if (how !== 'inner' && how !== 'left') throw new ParamError(`join: how must be 'inner' or 'left', got ${JSON.stringify(how)}`);
  const suffixes = opts.suffixes ?? ['_x', '_y'];
  if (!Array.isArray(suffixes) || suffixes.length !== 2 || suffixes.some((s) => typeof s !== 'string') || suffixes[0] === suffixes[1])
    throw new ParamError("join: suffixes must be two different strings, such as ['_x', '_y']");
  const shared = left.columnNames.filter((n) => right.columnNames.includes(n));
  const on = opts.on === undefined ? shared : nameList(opts.on, 'on', 'join');
  if (on.length === 0) throw new ParamError(`join: the frames share no column; pass on (this frame has ${left.columnNames.join(', ')})`);
  const lk = requireColumns(left, on, 'join (this frame)'),
    rk = requireColumns(right, on, 'join (other frame)');
  let codes: Codes | undefined;
  on.forEach((name, i) => {
    const c = jointCodes(lk[i], rk[i], name);
    codes = codes ? combineCodes(codes, c, false) : c;
  });
  const { leftIdx, rightIdx } = matchRows(codes!, left.rows, how);

  const out = newColumns();
  const identity = leftIdx.length === left.rows && leftIdx.every((r, i) => r === i);
  const clash = new Set(shared.filter((n) => !on.includes(n)));
  for (const n of left.columnNames) {
    const c = left.column(n);
    out[clash.has(n) ? n + suffixes[0] : n] = identity ? c : takeColumn(c, leftIdx);
  }
  for (const n of right.columnNames) {
    if (on.includes(n)) continue;
    const name = clash.has(n) ? n + suffixes[1] : n;
    if (Object.hasOwn(out, name)) throw new ParamError(`join: the output would have two columns named '${name}'; pass other suffixes`);
    out[name] = takeColumn(right.column(n), rightIdx);
  }
  return out;
}

/** Ids of one key over the rows of both frames (left rows first), missing values one id of their own. */
function jointCodes(l: FrameColumn, r: FrameColumn, name: string): Codes {
  if (l.kind !== r.kind)
    throw new DTypeError(`join: key '${name}' is ${l.kind} in this frame and ${r.kind} in the other; convert one side so both have the same type`);
  const nl = l.kind === 'categorical' ? l.codes.length : l.values.length;
  const nr = r.kind === 'categorical' ? r.codes.length : r.values.length;
  const codes = new Int32Array(nl + nr);
  if (l.kind === 'categorical' && r.kind === 'categorical') {
    // right labels mapped onto left label ids; labels only the right has get ids after them
    const byLabel = new Map(l.labels.map((s, i) => [s, i]));
    let next = l.labels.length;
    const rightId = Int32Array.from(r.labels, (s) => byLabel.get(s) ?? next++);
    const missing = next;
    for (let i = 0; i < nl; i++) codes[i] = l.codes[i] < 0 ? missing : l.codes[i];
    for (let i = 0; i < nr; i++) codes[nl + i] = r.codes[i] < 0 ? missing : rightId[r.codes[i]];
    return { codes, n: missing + 1 };
  }
  const hash = new DoubleHash(Math.min(nl + nr, 1 << 16));
  let hasMissing = false;
  const put = (values: Float64Array, at: number) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === v) codes[at + i] = hash.id(v);
      else {
        codes[at + i] = -1;
        hasMissing = true;
      }
    }
  };
  put((l as { values: Float64Array }).values, 0);
  put((r as { values: Float64Array }).values, nl);
  const n = hash.size;
  if (!hasMissing) return { codes, n };
  for (let i = 0; i < codes.length; i++) if (codes[i] < 0) codes[i] = n; // missing matches missing, as in pandas
  return { codes, n: n + 1 };
}

/** Row pairs of the join: each left row with its right matches in right order (−1: none, 'left' only). */
function matchRows(all: Codes, nl: number, how: 'inner' | 'left'): { leftIdx: Int32Array; rightIdx: Int32Array } {
  const leftCodes = all.codes.subarray(0, nl),
    rightCodes = all.codes.subarray(nl);
  const { offsets, rows } = groupRows({ codes: rightCodes, n: all.n });
  let total = 0;
  for (let i = 0; i < nl; i++) {
    const g = leftCodes[i],
      m = offsets[g + 1] - offsets[g];
    total += m > 0 ? m : how === 'left' ? 1 : 0;
  }
  const leftIdx = new Int32Array(total),
    rightIdx = new Int32Array(total);
  let k = 0;
  for (let i = 0; i < nl; i++) {
    const g = leftCodes[i],
      a = offsets[g],
      b = offsets[g + 1];
    if (a === b) {
      if (how === 'left') {
        leftIdx[k] = i;
        rightIdx[k++] = -1;
      }
      continue;
    }
    for (let j = a; j < b; j++) {
      leftIdx[k] = i;
      rightIdx[k++] = rows[j];
    }
  }
  return { leftIdx, rightIdx };
}

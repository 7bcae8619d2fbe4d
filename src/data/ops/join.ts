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
  let keys: SideCodes | undefined;
  on.forEach((name, i) => {
    const k = jointCodes(lk[i], rk[i], name);
    keys = keys ? combineSides(keys, k) : k;
  });
  const { leftIdx, rightIdx } = matchRows(keys!, how);

  const out = newColumns();
  const clash = new Set(shared.filter((n) => !on.includes(n)));
  for (const n of left.columnNames) {
    const c = left.column(n);
    out[clash.has(n) ? n + suffixes[0] : n] = leftIdx === null ? c : takeColumn(c, leftIdx);
  }
  for (const n of right.columnNames) {
    if (on.includes(n)) continue;
    const name = clash.has(n) ? n + suffixes[1] : n;
    if (Object.hasOwn(out, name)) throw new ParamError(`join: the output would have two columns named '${name}'; pass other suffixes`);
    out[name] = takeColumn(right.column(n), rightIdx);
  }
  return out;
}

/** Key ids of both frames' rows in one id space [0, n); missing values share an id (they match, as in pandas). */
interface SideCodes {
  left: Int32Array;
  right: Int32Array;
  n: number;
}

function jointCodes(l: FrameColumn, r: FrameColumn, name: string): SideCodes {
  if (l.kind !== r.kind)
    throw new DTypeError(`join: key '${name}' is ${l.kind} in this frame and ${r.kind} in the other; convert one side so both have the same type`);
  if (l.kind === 'categorical' && r.kind === 'categorical') {
    // right labels mapped onto left label ids; labels only the right has get ids after them
    const byLabel = new Map(l.labels.map((s, i) => [s, i]));
    let next = l.labels.length;
    const rightId = Int32Array.from(r.labels, (s) => byLabel.get(s) ?? next++);
    const missing = next;
    let left = l.codes;
    for (let i = 0; i < left.length; i++)
      if (left[i] < 0) {
        left = l.codes.map((k) => (k < 0 ? missing : k)); // copied only when a key is missing
        break;
      }
    const right = r.codes.map((k) => (k < 0 ? missing : rightId[k]));
    return { left, right, n: missing + 1 };
  }
  const lv = (l as { values: Float64Array }).values,
    rv = (r as { values: Float64Array }).values;
  const hash = new DoubleHash(Math.min(rv.length, 1 << 16));
  const right = new Int32Array(rv.length),
    left = new Int32Array(lv.length);
  for (let i = 0; i < rv.length; i++) right[i] = rv[i] === rv[i] ? hash.id(rv[i]) : -1;
  for (let i = 0; i < lv.length; i++) left[i] = lv[i] === lv[i] ? hash.id(lv[i]) : -1;
  const n = hash.size;
  for (const side of [left, right]) for (let i = 0; i < side.length; i++) if (side[i] < 0) side[i] = n;
  return { left, right, n: n + 1 };
}

/** Two keys as one: combined over both sides at once, so that equal pairs get equal ids. */
function combineSides(a: SideCodes, b: SideCodes): SideCodes {
  const nl = a.left.length,
    cat = (x: SideCodes) => {
      const all = new Int32Array(nl + x.right.length);
      all.set(x.left);
      all.set(x.right, nl);
      return { codes: all, n: x.n } satisfies Codes;
    };
  const both = combineCodes(cat(a), cat(b), false);
  return { left: both.codes.subarray(0, nl), right: both.codes.subarray(nl), n: both.n };
}

/**
 * Row pairs of the join: each left row with its right matches in right order (−1: none, 'left'
 * only). leftIdx null: the left rows as they are (a left join where no key repeats on the right).
 */
function matchRows({ left, right, n }: SideCodes, how: 'inner' | 'left'): { leftIdx: Int32Array | null; rightIdx: Int32Array } {
  const nl = left.length;
  const { offsets, rows } = groupRows({ codes: right, n });
  let unique = true;
  for (let g = 0; g < n && unique; g++) unique = offsets[g + 1] - offsets[g] <= 1;
  if (unique && how === 'left') {
    // many-to-one: one pass, every left row once
    const only = new Int32Array(n).fill(-1);
    for (let g = 0; g < n; g++) if (offsets[g + 1] > offsets[g]) only[g] = rows[offsets[g]];
    const rightIdx = new Int32Array(nl);
    for (let i = 0; i < nl; i++) rightIdx[i] = only[left[i]];
    return { leftIdx: null, rightIdx };
  }
  let total = 0;
  for (let i = 0; i < nl; i++) {
    const g = left[i],
      m = offsets[g + 1] - offsets[g];
    total += m > 0 ? m : how === 'left' ? 1 : 0;
  }
  const leftIdx = new Int32Array(total),
    rightIdx = new Int32Array(total);
  let k = 0;
  for (let i = 0; i < nl; i++) {
    const g = left[i],
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

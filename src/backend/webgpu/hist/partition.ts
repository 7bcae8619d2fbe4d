/**
 * The rows of the tree on the device, in leaf order: row indices and packed quantised gradients
 * per position, partitioned at each split by a stable stream compaction (part_side marks each
 * position's side from its bins, part_count / part_scan give each block's offsets, part_scatter
 * moves them) into scratch buffers and copied back. Large data is bound in windows of rows
 * (bins) and of positions (indices, gradients) that each fit one binding.
 */
import type { HistGrowArgs } from '../../contract/hist.js';
import type { GpuRunner } from '../runner.js';
import { binsOnDevice } from './bins.js';
import { PART_ROWS, SPLIT_WORDS } from './layout.js';
import type { Binding, Recorder } from './recorder.js';
import type { TNode } from './tree-node.js';

export class RowPartition {
  /** u32 words per row of packed bins. */
  readonly words: number;
  /** Row windows of the bins, and position windows of the per-position buffers, that fit a binding. */
  readonly binWindows: [number, number][];
  readonly posWindows: [number, number][];
  bins!: GPUBuffer;
  idx!: GPUBuffer;
  gh!: GPUBuffer;
  private tmpIdx!: GPUBuffer;
  private tmpGh!: GPUBuffer;
  private side!: GPUBuffer;
  private iotaDone = false;

  /** m: the positions (rows grown from). */
  constructor(
    private readonly r: GpuRunner,
    private readonly a: HistGrowArgs,
    private readonly m: number,
  ) {
    this.words = Math.ceil(a.p / 4);
    this.binWindows = r.rowBlocks('hist bins', a.n, [this.words * 4, 1]);
    this.posWindows = r.rowBlocks('hist row indices', m, [4]);
  }

  /** The resident bins and the tree's row buffers, filled with the rows and their packed gradients. */
  allocate(keep: (b: GPUBuffer) => GPUBuffer, packedGradients: Int32Array): void {
    const r = this.r,
      a = this.a,
      m = this.m;
    this.bins = binsOnDevice(r, a.bins, a.n, a.p).buffer;
    this.idx = keep(r.alloc('hist row indices', m * 4));
    this.gh = keep(r.alloc('hist gradients', m * 4));
    this.tmpIdx = keep(r.alloc('hist partition indices', m * 4));
    this.tmpGh = keep(r.alloc('hist partition gradients', m * 4));
    this.side = keep(r.alloc('hist partition sides', m * 4));
    if (a.rows) r.write(this.idx, 0, a.rows, m * 4);
    r.write(this.gh, 0, packedGradients, m * 4);
  }

  /** Without a row subset, position j holds row j: written on the device in the first round. */
  recordIota(rec: Recorder): void {
    if (this.a.rows || this.iotaDone) return;
    for (const [p0, p1] of this.posWindows) {
      rec.dispatch('iota', { count: p1 - p0, pos0: p0 }, { 14: [this.idx, (p1 - p0) * 4, p0 * 4] }, Math.ceil((p1 - p0) / 256));
    }
    this.iotaDone = true;
  }

  /** Records a stable partition of each splitting node's positions by its split (left rows first). */
  recordPartition(rec: Recorder, splitting: TNode[]): void {
    const sorted = [...splitting].sort((x, y) => x.begin - y.begin);
    const splits = new Uint32Array(sorted.length * SPLIT_WORDS);
    const items: number[] = [];
    const bounds = this.posWindows.map(([, e]) => e);
    sorted.forEach((t, si) => {
      const s = t.split!,
        o = si * SPLIT_WORDS;
      splits.set([s.feature, s.threshold, (s.defaultLeft ? 1 : 0) | (s.categorical ? 2 : 0), t.begin, s.ln], o);
      splits.set(s.catBits, o + 8);
      const first = items.length / 4;
      let w = 0;
      for (let b = t.begin; b < t.end; ) {
        while (bounds[w] <= b) w++;
        const e = Math.min(t.end, b + PART_ROWS, bounds[w]);
        items.push(b, e, si, first);
        b = e;
      }
    });
    const count = items.length / 4;
    const itemBuf = rec.data('hist partition items', Uint32Array.from(items));
    const splitBuf = rec.data('hist splits', splits);
    const offs = rec.data('hist partition offsets', new Uint32Array(count));
    const W = this.words;
    // item ranges per position window (items are in position order and never straddle a window)
    const ranges = this.posWindows.map(([p0, p1]) => {
      let i0 = count,
        i1 = 0;
      for (let i = 0; i < count; i++)
        if (items[4 * i] >= p0 && items[4 * i] < p1) {
          i0 = Math.min(i0, i);
          i1 = i + 1;
        }
      return { p0, p1, i0, i1 };
    });
    for (const { p0, p1, i0, i1 } of ranges) {
      if (i1 <= i0) continue;
      const win: Binding = [this.idx, (p1 - p0) * 4, p0 * 4];
      for (const [r0, r1] of this.binWindows) {
        rec.dispatch(
          'part_side',
          { count: i1, base: i0, words: W, row0: r0, row1: r1, pos0: p0, pos1: p1 },
          {
            1: [this.bins, (r1 - r0) * W * 4, r0 * W * 4],
            2: win,
            4: [itemBuf, count * 16],
            11: [splitBuf, splits.byteLength],
            12: [this.side, (p1 - p0) * 4, p0 * 4],
          },
          i1 - i0,
        );
      }
      rec.dispatch(
        'part_count',
        { count: i1, base: i0, pos0: p0, pos1: p1 },
        {
          4: [itemBuf, count * 16],
          12: [this.side, (p1 - p0) * 4, p0 * 4],
          13: [offs, count * 4],
        },
        i1 - i0,
      );
    }
    rec.dispatch('part_scan', { count }, { 13: [offs, count * 4] }, 1);
    for (const { p0, p1, i0, i1 } of ranges) {
      if (i1 <= i0) continue;
      for (const [d0, d1] of this.posWindows) {
        rec.dispatch(
          'part_scatter',
          { count: i1, base: i0, row0: d0, row1: d1, pos0: p0, pos1: p1 },
          {
            2: [this.idx, (p1 - p0) * 4, p0 * 4],
            3: [this.gh, (p1 - p0) * 4, p0 * 4],
            12: [this.side, (p1 - p0) * 4, p0 * 4],
            4: [itemBuf, count * 16],
            11: [splitBuf, splits.byteLength],
            13: [offs, count * 4],
            14: [this.tmpIdx, (d1 - d0) * 4, d0 * 4],
            15: [this.tmpGh, (d1 - d0) * 4, d0 * 4],
          },
          i1 - i0,
        );
      }
    }
    for (const t of sorted) {
      rec.copy(this.tmpIdx, t.begin * 4, this.idx, t.begin * 4, (t.end - t.begin) * 4);
      rec.copy(this.tmpGh, t.begin * 4, this.gh, t.begin * 4, (t.end - t.begin) * 4);
    }
  }
}

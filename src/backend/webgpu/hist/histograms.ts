/**
 * Leaf histograms on the device: built from blocks of a leaf's positions into var<workgroup>
 * integer histograms per feature group (atomicAdd), flushed into the pool slot as 64-bit lo/hi
 * pairs with carry (hist_build); the larger child is its parent minus the smaller child
 * (hist_subtract, in place in the parent's slot).
 */
import { BUILD_ROWS } from './layout.js';
import type { FeaturePlan } from './features.js';
import type { HistogramPool } from './histogram-pool.js';
import type { RowPartition } from './partition.js';
import type { Binding, Recorder } from './recorder.js';
import type { Build, Subtraction } from './tree-node.js';

/** Records the builds (their slots must have been cleared in the same submission). */
export function recordBuilds(rec: Recorder, plan: FeaturePlan, pool: HistogramPool, rows: RowPartition, builds: Build[]): void {
  const groups = plan.buildGroups.length / 4;
  if (!builds.length || groups === 0) return;
  const groupBuf = rec.data('hist feature groups', plan.buildGroups);
  const featBuf = rec.data('hist build features', plan.buildFeats);
  const W = rows.words;
  for (let pg = 0; pg < pool.pages.length; pg++) {
    const mine = builds.filter((b) => pool.pageOf(b.slot) === pg);
    if (!mine.length) continue;
    for (const [p0, p1] of rows.posWindows) {
      const items: number[] = [];
      for (const b of mine) {
        const lo = Math.max(b.begin, p0),
          hi = Math.min(b.end, p1);
        for (let j = lo; j < hi; j += BUILD_ROWS) items.push(pool.slotWord(b.slot), j, Math.min(hi, j + BUILD_ROWS), 0);
      }
      if (!items.length) continue;
      const count = items.length / 4;
      const itemBuf = rec.data('hist build items', Uint32Array.from(items));
      for (const [r0, r1] of rows.binWindows) {
        rec.dispatch(
          'hist_build',
          { count, groups, words: W, row0: r0, row1: r1, pos0: p0, pos1: p1 },
          {
            1: [rows.bins, (r1 - r0) * W * 4, r0 * W * 4],
            2: [rows.idx, (p1 - p0) * 4, p0 * 4],
            3: [rows.gh, (p1 - p0) * 4, p0 * 4],
            4: [itemBuf, count * 16],
            5: [groupBuf, plan.buildGroups.byteLength],
            6: [featBuf, plan.buildFeats.byteLength],
            7: [pool.pages[pg], pool.pageBytes[pg]],
          },
          count * groups,
          { CAP: plan.cap },
        );
      }
    }
  }
}

/** Records dst −= src for each subtraction, batched per pair of pages. */
export function recordSubtractions(rec: Recorder, plan: FeaturePlan, pool: HistogramPool, subs: Subtraction[]): void {
  const blocks = Math.ceil(plan.B / 256);
  const byPages = new Map<string, number[]>();
  for (const s of subs) {
    const key = `${pool.pageOf(s.dst)}:${pool.pageOf(s.src)}`;
    let list = byPages.get(key);
    if (!list) byPages.set(key, (list = []));
    list.push(pool.slotWord(s.dst), pool.slotWord(s.src), 0, 0);
  }
  for (const [key, items] of byPages) {
    const [dp, sp] = key.split(':').map(Number);
    const count = items.length / 4;
    const itemBuf = rec.data('hist subtraction items', Uint32Array.from(items));
    const bindings: Record<number, Binding> = { 4: [itemBuf, count * 16], 8: [pool.pages[dp], pool.pageBytes[dp]] };
    if (dp !== sp) bindings[9] = [pool.pages[sp], pool.pageBytes[sp]];
    rec.dispatch(dp === sp ? 'hist_subtract_same' : 'hist_subtract', { count, words: plan.B, groups: blocks }, bindings, count * blocks);
  }
}

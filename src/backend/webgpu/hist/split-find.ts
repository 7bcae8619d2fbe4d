/**
 * The split search of the new leaves. Integer histograms are exact, but WGSL has no f64, and
 * native ranks candidates by an f64 gain: the device (split_find) runs exact 64-bit prefix scans
 * per (leaf, numerical feature) and returns every candidate that an f32 ranking key with a proven
 * error bound cannot rule out (usually one), with its exact integer left sums; the host re-scores
 * them in f64 (hist/split-search.ts). Where the bound cannot decide (more than KMAX candidates,
 * zero hessians without L2, overflow) the feature's histogram comes back and the host scans it in
 * f64, as it always does for categorical features. Everything comes back in one readback (two
 * when a feature needs its histogram).
 */
import { BackendLimitError } from '../../../core/errors.js';
import type { HistGrowArgs } from '../../contract/hist.js';
import type { Bins, Candidate } from '../../hist/split-search.js';
import type { GpuRunner } from '../runner.js';
import type { FeaturePlan } from './features.js';
import type { HistogramPool } from './histogram-pool.js';
import { histGpuStats, KMAX, readBack, REC_WORDS, SLOT_WORDS } from './layout.js';
import { Recorder } from './recorder.js';
import type { SearchData, TNode } from './tree-node.js';

export class SplitFinder {
  /** The minimum hessian sum as an integer threshold (lo, hi words). */
  private readonly l0: [number, number];

  constructor(
    private readonly r: GpuRunner,
    private readonly a: HistGrowArgs,
    private readonly plan: FeaturePlan,
    private readonly pool: HistogramPool,
    private readonly q: { gScale: number; hScale: number },
  ) {
    // lh >= l0  <=>  lh * h_scale >= minSumHessian (in f64)
    this.l0 = hessianThreshold(a.params.minSumHessianInLeaf, q.hScale);
  }

  /** Records the search of `nodes` into one readback buffer: candidate records, then the histograms the host scans. */
  record(rec: Recorder, nodes: TNode[]): { buffer: GPUBuffer; bytes: number; catOffset: number } | null {
    if (!nodes.length) return null;
    const nNum = this.plan.numFeats.length,
      recBytes = REC_WORDS * 4;
    const perNode = nNum * recBytes;
    const catOffset = nodes.length * perNode;
    let catBytes = 0;
    for (const f of this.plan.catFeats) catBytes += this.a.binCount[f] * SLOT_WORDS * 4;
    const total = catOffset + nodes.length * catBytes;
    if (total === 0) return null;
    const buffer = this.r.alloc('hist search results', total);
    if (nNum > 0) {
      const featBuf = rec.data('hist search features', this.plan.searchFeats);
      // per page, runs of nodes whose records fit one binding (bound from an aligned offset)
      const align = this.r.offsetAlignment,
        maxBytes = this.r.maxBindingBytes;
      if (perNode + align > maxBytes) {
        throw new BackendLimitError(
          `webgpu hist: the split candidates of one leaf (${perNode} bytes) exceed this device's binding limit; use backend 'native'`,
        );
      }
      for (let pg = 0; pg < this.pool.pages.length; pg++) {
        const mine = nodes.map((t, i) => ({ t, i })).filter(({ t }) => this.pool.pageOf(t.slot) === pg);
        for (let k = 0; k < mine.length; ) {
          const start = Math.floor((mine[k].i * perNode) / align) * align;
          let e = k + 1;
          while (e < mine.length && (mine[e].i + 1) * perNode - start <= maxBytes) e++;
          const items: number[] = [];
          for (let q = k; q < e; q++) items.push(this.pool.slotWord(mine[q].t.slot), (mine[q].i * perNode - start) / 4, 0, 0);
          const cnt = e - k;
          const itemBuf = rec.data('hist search items', Uint32Array.from(items));
          rec.dispatch(
            'split_find',
            {
              count: cnt,
              nfeat: nNum,
              minData: Math.max(0, Math.min(this.a.params.minDataInLeaf, 0xffffffff)),
              l0Lo: this.l0[0],
              l0Hi: this.l0[1],
              flags: this.a.params.lambdaL1 > 0 ? 1 : 0,
              lam1: this.a.params.lambdaL1 / this.q.gScale,
              lam2: this.a.params.lambdaL2 / this.q.hScale,
            },
            {
              4: [itemBuf, cnt * 16],
              6: [featBuf, this.plan.searchFeats.byteLength],
              9: [this.pool.pages[pg], this.pool.pageBytes[pg]],
              10: [buffer, (mine[e - 1].i + 1) * perNode - start, start],
            },
            cnt * nNum,
            { KMAX, REC_WORDS },
          );
          k = e;
        }
      }
    }
    nodes.forEach((t, i) => {
      let off = catOffset + i * catBytes;
      for (const f of this.plan.catFeats) {
        const bytes = this.a.binCount[f] * SLOT_WORDS * 4;
        rec.copy(this.pool.page(t.slot), (this.pool.slotWord(t.slot) + this.plan.binOff[f] * SLOT_WORDS) * 4, buffer, off, bytes);
        off += bytes;
      }
    });
    return { buffer, bytes: total, catOffset };
  }

  async parse(nodes: TNode[], u: Uint32Array, catOffset: number): Promise<void> {
    const nNum = this.plan.numFeats.length;
    const fallback: { t: TNode; f: number }[] = [];
    let catBytes = 0;
    for (const f of this.plan.catFeats) catBytes += this.a.binCount[f] * SLOT_WORDS * 4;
    nodes.forEach((t, i) => {
      const data: SearchData = { numerical: new Map(), categorical: new Map() };
      for (let k = 0; k < nNum; k++) {
        const f = this.plan.numFeats[k],
          o = (i * nNum + k) * REC_WORDS;
        const kept = u[o],
          flags = u[o + 1];
        if (flags & 2) {
          fallback.push({ t, f });
          continue;
        }
        const cands: Candidate[] = [];
        for (let c = 0; c < kept; c++) {
          const w = o + 2 + 6 * c;
          cands.push({
            t: u[w] & 0xffff,
            missingLeft: u[w] >>> 16 !== 0,
            ln: u[w + 1],
            lg: (u[w + 3] | 0) * 4294967296 + u[w + 2],
            lh: u[w + 5] * 4294967296 + u[w + 4],
          });
        }
        cands.sort((x, y) => x.t - y.t || Number(x.missingLeft) - Number(y.missingLeft));
        histGpuStats.candidates += cands.length;
        data.numerical.set(f, { hasMissing: (flags & 1) !== 0, cands });
      }
      let off = (catOffset + i * catBytes) / 4;
      for (const f of this.plan.catFeats) {
        data.categorical.set(f, decodeBins(u, off, this.a.binCount[f]));
        off += this.a.binCount[f] * SLOT_WORDS;
      }
      t.search = data;
    });
    if (!fallback.length) return;
    // the features whose candidates the f32 bound could not narrow down: scan their histograms in f64
    histGpuStats.fallbackFeatures += fallback.length;
    let bytes = 0;
    for (const { f } of fallback) bytes += this.a.binCount[f] * SLOT_WORDS * 4;
    const buffer = this.r.alloc('hist fallback histograms', bytes);
    try {
      const rec = new Recorder(this.r);
      let off = 0;
      for (const { t, f } of fallback) {
        const b = this.a.binCount[f] * SLOT_WORDS * 4;
        rec.copy(this.pool.page(t.slot), (this.pool.slotWord(t.slot) + this.plan.binOff[f] * SLOT_WORDS) * 4, buffer, off, b);
        off += b;
      }
      rec.submit();
      const w = new Uint32Array(await readBack(this.r, buffer, bytes));
      off = 0;
      for (const { t, f } of fallback) {
        t.search!.numerical.set(f, { bins: decodeBins(w, off, this.a.binCount[f]) });
        off += this.a.binCount[f] * SLOT_WORDS;
      }
    } finally {
      this.r.release(buffer);
    }
  }
}

export function decodeBins(u: Uint32Array, off: number, nb: number): Bins {
  const g = new Float64Array(nb),
    h = new Float64Array(nb),
    n = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    const o = off + b * SLOT_WORDS;
    g[b] = (u[o + 1] | 0) * 4294967296 + u[o];
    h[b] = u[o + 3] * 4294967296 + u[o + 2];
    n[b] = u[o + 4];
  }
  return { g, h, n };
}

/** Smallest integer L with L * hScale >= minSum in f64 (as lo, hi words), so the device can test exactly. */
export function hessianThreshold(minSum: number, hScale: number): [number, number] {
  if (!(minSum > 0)) return [0, 0];
  let L = Math.ceil(minSum / hScale);
  if (!Number.isFinite(L) || L > 2 ** 52) L = 2 ** 52;
  while (L > 0 && (L - 1) * hScale >= minSum) L--;
  while (L < 2 ** 52 && L * hScale < minSum) L++;
  return [L % 4294967296, Math.floor(L / 4294967296)];
}

/**
 * The tree learner on the host side of shaders/hist.wgsl: native's growth (grow.cc) replayed over
 * speculative device rounds. Native splits the leaf with the largest gain next. Here each round
 * expands, in one submission and one readback, every leaf that can still be split before
 * maxLeaves is reached (the top `maxLeaves - leaves` frontier leaves by gain: whichever native
 * splits next are among them); the host then replays native's best-first order over the known
 * gains and only asks for another round when the next leaf to split was not expanded yet. Node
 * ids (which seed per-node feature sampling) are assigned during the replay, so the split of a
 * node is decided on the host from its stored candidates once its id is known.
 */
import type { HistGrowArgs, HistTreeParams, QuantizedGradients } from '../../contract/hist.js';
import { childGroups, interactionOf, nodeFeatures, openFeatures, type Interaction } from '../../hist/node-features.js';
import { giveScratch } from '../../hist/quantize.js';
import { childBounds, clearSplit, leafValue, Searcher, type Split, type SplitContext } from '../../hist/split-search.js';
import type { GpuRunner } from '../runner.js';
import { FeaturePlan } from './features.js';
import { HistogramPool } from './histogram-pool.js';
import { recordBuilds, recordSubtractions } from './histograms.js';
import { envInt, histGpuStats, readBack } from './layout.js';
import { RowPartition } from './partition.js';
import { Recorder } from './recorder.js';
import { routeRows } from './route.js';
import { SplitFinder } from './split-find.js';
import { TNode, type Build, type Subtraction } from './tree-node.js';

/** What one round does for one expanded leaf. */
interface Expansion {
  node: TNode;
  builds: Build[];
  subtract: Subtraction | null;
}

export class Grower {
  private readonly p: HistTreeParams;
  private readonly m: number;
  private readonly pool: HistogramPool;
  private readonly rows: RowPartition;
  private readonly q: QuantizedGradients;
  private readonly ctx: SplitContext;
  private readonly plan: FeaturePlan;
  private readonly finder: SplitFinder;
  private readonly expandCap: number;
  private readonly owned: GPUBuffer[] = [];
  private numNodes = 0;
  private readonly interaction: Interaction | null;

  constructor(
    private readonly r: GpuRunner,
    private readonly a: HistGrowArgs,
    quantize: (gradHess: Float64Array, rows: Int32Array | null, n: number, seed: number) => QuantizedGradients,
  ) {
    this.p = a.params;
    this.m = a.rows ? a.rows.length : a.n;
    let B = 0;
    for (let f = 0; f < a.p; f++) B += a.binCount[f];
    this.pool = new HistogramPool(r, B, a.params.maxLeaves);
    this.rows = new RowPartition(r, a, this.m);
    this.q = quantize(a.gradHess, a.rows, a.n, a.params.seed);
    const monotone = a.monotone?.some((c) => c !== 0) ? a.monotone : null;
    this.interaction = interactionOf(a);
    this.ctx = { params: a.params, gScale: this.q.gScale, hScale: this.q.hScale, binCount: a.binCount, channels: 1, monotone };
    // The device ranks candidates with lambda_l1 / g_scale and lambda_l2 / h_scale in f32: where those
    // leave the f32 range, the host scans every histogram instead.
    const f32ok = (x: number) => x === 0 || (Math.fround(x) !== 0 && Number.isFinite(Math.fround(x)));
    // Monotonic constraints rank splits by bounded values the device's f32 key does not model: the host scans.
    const hostSearch =
      monotone !== null ||
      process.env.KILN_WEBGPU_HIST_SEARCH === 'host' ||
      !f32ok(a.params.lambdaL1 / this.q.gScale) ||
      !f32ok(a.params.lambdaL2 / this.q.hScale);
    this.plan = new FeaturePlan(r, a, hostSearch);
    this.finder = new SplitFinder(r, a, this.plan, this.pool, this.q);
    this.expandCap = envInt('KILN_WEBGPU_HIST_EXPAND') ?? Infinity;
  }

  /** The device side: resident bins, per-tree row buffers, the histogram pool (release() frees what was made). */
  allocate(): void {
    const keep = (b: GPUBuffer) => (this.owned.push(b), b);
    this.rows.allocate(keep, this.q.gh);
    this.pool.allocate(keep);
  }

  release(): void {
    this.r.release(...this.owned);
    giveScratch(this.q.gh);
  }

  private splittable(t: TNode): boolean {
    const p = this.p;
    if (p.maxDepth > 0 && t.depth >= p.maxDepth) return false;
    return t.N >= Math.max(2 * Math.max(1, p.minDataInLeaf), p.minDataToSplit);
  }

  private decide(t: TNode): Split | null {
    if (!this.splittable(t) || !t.search) return null;
    const features = nodeFeatures(openFeatures(this.plan.allowed, this.interaction, t.groups), this.p.featureFractionByNode, this.p.seed, t.id);
    const s = new Searcher(this.ctx, Float64Array.of(t.G), t.H, t.N, t.lower, t.upper);
    for (let f = 0; f < this.a.p; f++) {
      if (!features[f] || this.a.binCount[f] < 2) continue;
      const cat = t.search.categorical.get(f);
      if (this.a.categorical[f]) {
        s.categorical(f, cat!);
      } else if (cat) {
        s.numericalBins(f, cat);
      } else {
        const d = t.search.numerical.get(f)!;
        if ('bins' in d) s.numericalBins(f, d.bins);
        else s.numericalCandidates(f, d.hasMissing, d.cands);
      }
    }
    return s.result();
  }

  private writeLeaf(t: TNode): void {
    const o = this.a.out,
      id = t.id,
      p = this.p;
    clearSplit(o, id);
    const h = t.H * this.q.hScale;
    o.value[id] = leafValue(t.G * this.q.gScale, h, p.lambdaL1, p.lambdaL2, t.lower, t.upper);
    o.cover[id] = h;
    o.count[id] = t.N;
    o.depth[id] = t.depth;
  }

  private writeSplit(t: TNode, s: Split, left: number, right: number): void {
    const o = this.a.out,
      id = t.id;
    o.feature[id] = s.feature;
    o.threshold[id] = s.threshold;
    o.defaultLeft[id] = s.defaultLeft ? 1 : 0;
    o.isCategorical[id] = s.categorical ? 1 : 0;
    o.catBits.set(s.catBits, 8 * id);
    o.gain[id] = s.gain;
    o.left[id] = left;
    o.right[id] = right;
  }

  async grow(): Promise<void> {
    histGpuStats.trees++;
    const root = new TNode(0, this.m, 0, this.q.G, this.q.H, this.m);
    if (this.interaction) root.groups = new Uint8Array(this.interaction.groups).fill(1);
    root.id = this.numNodes++;
    this.writeLeaf(root);
    if (this.splittable(root)) {
      const slot = this.pool.free.shift()!;
      this.pool.hold(slot, root);
      await this.round([], [{ slot, begin: 0, end: this.m }], [], [root]);
    }
    root.split = this.decide(root);
    const leaves: TNode[] = [root];
    while (leaves.length < this.p.maxLeaves) {
      let best = -1;
      for (let i = 0; i < leaves.length; i++) {
        const s = leaves[i].split;
        if (s && (best < 0 || s.gain > leaves[best].split!.gain)) best = i;
      }
      if (best < 0) break;
      const x = leaves[best];
      if (!x.kids) await this.expand(leaves);
      leaves.splice(best, 1);
      const [l, rt] = x.kids!;
      l.id = this.numNodes++;
      rt.id = this.numNodes++;
      this.writeSplit(x, x.split!, l.id, rt.id);
      this.writeLeaf(l);
      this.writeLeaf(rt);
      l.split = this.decide(l);
      rt.split = this.decide(rt);
      leaves.push(l, rt);
    }
    this.a.out.numNodes[0] = this.numNodes;
    await routeRows(this.r, this.a, this.rows, this.numNodes, leaves);
  }

  /** One round: expands the frontier leaves that native could split next (see the header). */
  private async expand(leaves: TNode[]): Promise<void> {
    const order = leaves.filter((t) => t.split && !t.kids);
    order.sort((x, y) => y.split!.gain - x.split!.gain); // stable: ties keep the leaves' order
    const limit = Math.min(this.p.maxLeaves - leaves.length, this.expandCap);
    const pinned = new Set<TNode>(order.slice(0, limit));
    const pending: number[] = []; // slots freed by this round, reusable after it
    const exps: Expansion[] = [];
    const kidsToSearch: TNode[] = [];
    for (const x of order.slice(0, limit)) {
      const s = x.split!;
      const left = new TNode(x.begin, x.begin + s.ln, x.depth + 1, s.lg[0], s.lh, s.ln);
      const right = new TNode(x.begin + s.ln, x.end, x.depth + 1, x.G - s.lg[0], x.H - s.lh, x.N - s.ln);
      const b = childBounds(this.ctx, s, x.G, x.H, x.lower, x.upper);
      [left.lower, left.upper, right.lower, right.upper] = [...b.left, ...b.right];
      left.groups = right.groups = childGroups(this.interaction, x.groups, s.feature, this.a.p);
      const sl = this.splittable(left),
        sr = this.splittable(right);
      const small = s.ln <= x.N - s.ln ? left : right,
        large = small === left ? right : left;
      const needSlots = !(sl || sr) ? 0 : x.slot >= 0 ? 1 : (sl ? 1 : 0) + (sr ? 1 : 0);
      const got: number[] = [];
      while (got.length < needSlots) {
        const slot = this.pool.take(pinned);
        if (slot < 0) break;
        got.push(slot);
      }
      if (got.length < needSlots) {
        this.pool.free.push(...got);
        if (exps.length > 0) break;
        throw new Error('webgpu hist: histogram pool exhausted'); // cannot happen: the pool holds >= 3 slots
      }
      pinned.add(left).add(right);
      const e: Expansion = { node: x, builds: [], subtract: null };
      if (needSlots === 0) {
        if (x.slot >= 0) {
          this.pool.drop(x.slot);
          pending.push(x.slot);
          x.slot = -1;
        }
      } else if (x.slot >= 0) {
        const sSmall = this.splittable(small),
          sLarge = this.splittable(large);
        const s1 = got[0];
        e.builds.push({ slot: s1, begin: small.begin, end: small.end });
        if (sLarge) {
          e.subtract = { dst: x.slot, src: s1 };
          this.pool.hold(x.slot, large);
        } else {
          this.pool.drop(x.slot);
          pending.push(x.slot);
        }
        x.slot = -1;
        if (sSmall) this.pool.hold(s1, small);
        else pending.push(s1);
      } else {
        let k = 0;
        for (const [c, ok] of [
          [left, sl],
          [right, sr],
        ] as const) {
          if (!ok) continue;
          this.pool.hold(got[k++], c);
          e.builds.push({ slot: c.slot, begin: c.begin, end: c.end });
        }
      }
      x.kids = [left, right];
      if (sl) kidsToSearch.push(left);
      if (sr) kidsToSearch.push(right);
      exps.push(e);
    }
    await this.round(
      exps.map((e) => e.node),
      exps.flatMap((e) => e.builds),
      exps.flatMap((e) => (e.subtract ? [e.subtract] : [])),
      kidsToSearch,
    );
    this.pool.free.push(...pending);
  }

  /**
   * One submission: partitions the expanded leaves' rows, builds and subtracts histograms,
   * searches the new leaves; then one readback (two when a feature needs its histogram scanned).
   */
  private async round(splitting: TNode[], builds: Build[], subtracts: Subtraction[], searched: TNode[]): Promise<void> {
    histGpuStats.rounds++;
    const rec = new Recorder(this.r);
    this.rows.recordIota(rec);
    if (splitting.length) this.rows.recordPartition(rec, splitting);
    for (const b of builds) rec.clear(this.pool.page(b.slot), this.pool.slotWord(b.slot) * 4, this.pool.slotBytes);
    recordBuilds(rec, this.plan, this.pool, this.rows, builds);
    recordSubtractions(rec, this.plan, this.pool, subtracts);
    const readback = this.finder.record(rec, searched);
    rec.submit();
    if (!readback) return;
    const words = new Uint32Array(await readBack(this.r, readback.buffer, readback.bytes));
    this.r.release(readback.buffer);
    await this.finder.parse(searched, words, readback.catOffset);
  }
}

/**
 * Gradient-boosted trees on WebGPU: the host side of shaders/hist.wgsl. One call grows one tree
 * with the native engine's exact semantics (native/kernels/hist: grow.cc, split.cc), so that
 * with quantised gradients and the same seed both engines grow identical trees.
 *
 * What runs where:
 * - Quantisation runs here on the host, with the same f64 operations as grow.cc's quantize()
 *   (scales g_max / 127 and h_max / 127 over the grown-from rows, stochastic rounding with
 *   row_hash(seed32, row)): identical integers by construction. WGSL has no f64, so the device
 *   could not reproduce floor(g / scale + u) bit for bit.
 * - On the device, resident: the bins (uploaded once per bins array and device, 4 per u32), and
 *   for the tree the row indices and the packed integer gradients in leaf order. Histograms are
 *   built from blocks of a leaf's rows into var<workgroup> integer histograms (atomicAdd), flushed
 *   as 64-bit lo/hi pairs with carry; the larger child is the parent minus the smaller child; rows
 *   are partitioned by a stable stream compaction; the split search runs per (leaf, numerical
 *   feature) as exact 64-bit prefix scans.
 * - The split choice: integer histograms are exact, but WGSL has no f64, and native ranks
 *   candidates by an f64 gain. The device therefore returns, per (leaf, feature), every
 *   candidate that an f32 ranking key with a proven error bound cannot rule out (usually one),
 *   with its exact integer left sums; the host re-scores those in f64 with native's formula and
 *   tie rules (strict >, features and thresholds in order, missing right before missing left).
 *   A candidate ruled out has a candidate of the same feature with a strictly larger gain, so the
 *   host's choice is native's. Where the bound cannot decide (more than KMAX candidates, zero
 *   hessians without L2, overflow) the feature's histogram comes back and the host scans it in f64,
 *   as it always does for categorical features (ordering categories by an f64 ratio).
 * - Growth order: native splits the leaf with the largest gain next. Here each round expands, in
 *   one submission and one readback, every leaf that can still be split before maxLeaves is
 *   reached (the top `maxLeaves - leaves` frontier leaves by gain: whichever native splits next
 *   are among them), speculatively; the host then replays native's best-first order over the
 *   known gains and only asks for another round when the next leaf to split was not expanded yet.
 *   Node ids (which seed per-node feature sampling) are assigned during the replay, so the split of
 *   a node is decided on the host from its stored candidates once its id is known.
 * - After the tree, one routing pass gives each row's leaf (a byte per row up to 256 leaves), and
 *   the host adds scale * leaf value to the f64 scores like native does.
 */
import { BackendLimitError, ParamError, ShapeError } from '../../core/errors.js';
import type { HistGrowArgs, HistKernels, HistTreeParams } from '../contract/hist.js';
import { giveScratch, quantizeGradientsJs } from '../hist/quantize.js';
import { bindSize, type GpuRunner } from './runner.js';

const UNIFORM = 0x40, COPY_DST = 0x08;
const BUILD_ROWS = 4096; // positions per hist_build work item (4096 x 127 < 2^19: the packed hessian sums stay exact)
const PART_ROWS = 1024; // positions per partition block (4 per invocation)
const KMAX = 8; // candidates returned per (leaf, feature)
const REC_WORDS = 52; // 2 + 6 * KMAX, padded to 16 bytes
const SLOT_WORDS = 5; // per bin slot: g lo, g hi, h lo, h hi, count
const SPLIT_WORDS = 16;
const NODE_WORDS = 16;
const QUANT_MAX = 127;
/** Rows per tree with quantised gradients (the native engine's limit, for the same reason). */
export const HIST_GPU_MAX_ROWS = 16_000_000;
const POOL_BYTES = 512 * 1024 * 1024; // bound on pooled leaf histograms

/** Counters for tests and benchmarks (cumulative). */
export const histGpuStats = { trees: 0, rounds: 0, readbacks: 0, fallbackFeatures: 0, candidates: 0, binsUploads: 0 };

const M64 = (1n << 64n) - 1n;

function envInt(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined;
}

// ---- resident bins ----------------------------------------------------------------------------

interface ResidentBins {
  runner: GpuRunner;
  buffer: GPUBuffer;
  words: number;
}

const residentBins = new WeakMap<Uint8Array, ResidentBins>();
// When the host array is collected, its device copy goes back to the pool (dispose() frees it with the device).
const releaseBins = new FinalizationRegistry<{ runner: GpuRunner; buffer: GPUBuffer }>(({ runner, buffer }) => {
  if (!runner.ctx.lost) runner.release(buffer);
});

/** The bins on the device, uploaded once per array and device (the arrays of a fit are never modified). */
function binsOnDevice(r: GpuRunner, bins: Uint8Array, n: number, p: number): ResidentBins {
  const hit = residentBins.get(bins);
  if (hit && hit.runner === r) return hit;
  const words = Math.ceil(p / 4);
  let packed = bins;
  if (p % 4 !== 0) {
    packed = new Uint8Array(n * words * 4);
    for (let i = 0; i < n; i++) packed.set(bins.subarray(i * p, i * p + p), i * words * 4);
  }
  histGpuStats.binsUploads++;
  const buffer = r.alloc('hist bins', packed.byteLength);
  r.device.queue.writeBuffer(buffer, 0, packed.buffer, packed.byteOffset, packed.byteLength);
  const entry = { runner: r, buffer, words };
  residentBins.set(bins, entry);
  releaseBins.register(bins, { runner: r, buffer });
  return entry;
}

// ---- quantisation (grow.cc's quantize(), in the same f64 operations) ---------------------------

type Quantized = ReturnType<HistKernels['quantize']>;

// ---- per-node feature sampling (grow.cc's node_features) --------------------------------------

function splitmix(state: { s: bigint }): bigint {
  state.s = (state.s + 0x9e3779b97f4a7c15n) & M64;
  let z = state.s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

function nodeFeatures(allowed: Uint8Array, fraction: number, seed: number, node: number): Uint8Array {
  if (!(fraction < 1)) return allowed;
  const pool: number[] = [];
  for (let f = 0; f < allowed.length; f++) if (allowed[f]) pool.push(f);
  const x = fraction * pool.length, fl = Math.floor(x);
  const k = Math.max(1, x - fl >= 0.5 ? fl + 1 : fl); // llround, x >= 0
  const state = { s: (BigInt(seed) * 0x100000001b3n + BigInt(node) * 0x9e3779b97f4a7c15n) & M64 };
  for (let i = 0; i < k && i < pool.length; i++) {
    const j = i + Number(splitmix(state) % BigInt(pool.length - i));
    const t = pool[i]; pool[i] = pool[j]; pool[j] = t;
  }
  const chosen = new Uint8Array(allowed.length);
  for (let i = 0; i < k && i < pool.length; i++) chosen[pool[i]] = 1;
  return chosen;
}

// ---- split search on the host (split.cc, in f64) ----------------------------------------------

interface Split {
  feature: number;
  threshold: number;
  defaultLeft: boolean;
  categorical: boolean;
  catBits: Uint32Array;
  gain: number;
  lg: number;
  lh: number;
  ln: number;
}

/** One feature's bins in integer units. */
interface Bins {
  g: Float64Array;
  h: Float64Array;
  n: Float64Array;
}

interface Candidate {
  t: number;
  missingLeft: boolean;
  ln: number;
  lg: number;
  lh: number;
}

type NumericalResult = { bins: Bins } | { hasMissing: boolean; cands: Candidate[] };

interface SearchData {
  numerical: Map<number, NumericalResult>;
  categorical: Map<number, Bins>;
}

interface SplitContext {
  params: HistTreeParams;
  gScale: number;
  hScale: number;
  binCount: Int32Array;
}

function shrink(g: number, l1: number): number {
  if (l1 <= 0) return g;
  return g > l1 ? g - l1 : g < -l1 ? g + l1 : 0;
}

/** Native's Searcher over a subset of candidates (all of them where a histogram is at hand). */
class Searcher {
  best: Split = { feature: -1, threshold: 0, defaultLeft: false, categorical: false, catBits: new Uint32Array(8), gain: 0, lg: 0, lh: 0, ln: 0 };
  valid = false;
  private readonly catL2: number;

  constructor(private readonly ctx: SplitContext, private readonly G: number, private readonly H: number, private readonly N: number) {
    this.best.gain = Math.max(0, ctx.params.minGainToSplit);
    this.catL2 = ctx.params.lambdaL2 + ctx.params.catL2;
  }

  score(g: number, h: number, l2: number): number {
    const denom = h * this.ctx.hScale + l2;
    if (denom <= 0) return 0;
    const t = shrink(g * this.ctx.gScale, this.ctx.params.lambdaL1);
    return (t * t) / denom;
  }

  private consider(l2: number, parent: number, lg: number, lh: number, ln: number): boolean {
    const p = this.ctx.params;
    const rn = this.N - ln, rh = this.H - lh;
    if (ln < p.minDataInLeaf || rn < p.minDataInLeaf) return false;
    if (lh * this.ctx.hScale < p.minSumHessianInLeaf || rh * this.ctx.hScale < p.minSumHessianInLeaf) return false;
    const gain = this.score(lg, lh, l2) + this.score(this.G - lg, rh, l2) - parent;
    if (!(gain > this.best.gain) || !(gain > 1e-10 * Math.abs(parent))) return false;
    this.valid = true;
    this.best.gain = gain;
    this.best.lg = lg;
    this.best.lh = lh;
    this.best.ln = ln;
    return true;
  }

  private setNumerical(f: number, t: number, defaultLeft: boolean): void {
    const b = this.best;
    b.feature = f;
    b.threshold = t;
    b.defaultLeft = defaultLeft;
    b.categorical = false;
  }

  numericalBins(f: number, bins: Bins): void {
    const l2 = this.ctx.params.lambdaL2, nb = this.ctx.binCount[f];
    const parent = this.score(this.G, this.H, l2);
    const hasMissing = bins.n[0] > 0;
    let lg = 0, lh = 0, ln = 0;
    for (let t = 1; t < nb; t++) {
      lg += bins.g[t];
      lh += bins.h[t];
      ln += bins.n[t];
      if (t < nb - 1 || hasMissing) {
        if (this.consider(l2, parent, lg, lh, ln)) this.setNumerical(f, t, hasMissing ? false : ln >= this.N - ln);
      }
      if (hasMissing && t < nb - 1) {
        if (this.consider(l2, parent, lg + bins.g[0], lh + bins.h[0], ln + bins.n[0])) this.setNumerical(f, t, true);
      }
    }
  }

  numericalCandidates(f: number, hasMissing: boolean, cands: Candidate[]): void {
    const l2 = this.ctx.params.lambdaL2;
    const parent = this.score(this.G, this.H, l2);
    for (const c of cands) {
      if (!this.consider(l2, parent, c.lg, c.lh, c.ln)) continue;
      this.setNumerical(f, c.t, c.missingLeft ? true : hasMissing ? false : c.ln >= this.N - c.ln);
    }
  }

  categorical(f: number, bins: Bins): void {
    const p = this.ctx.params, nb = this.ctx.binCount[f], l2 = this.catL2;
    const parent = this.score(this.G, this.H, l2);
    const present: number[] = [];
    for (let b = 0; b < nb; b++) if (bins.n[b] > 0) present.push(b);
    if (present.length < 2) return;
    if (present.length <= p.maxCatToOnehot) {
      for (const b of present) {
        if (this.consider(l2, parent, bins.g[b], bins.h[b], bins.n[b])) this.setCategorical(f, [b]);
      }
      return;
    }
    const { gScale, hScale } = this.ctx;
    const ratio = (b: number) => (bins.g[b] * gScale) / (bins.h[b] * hScale + p.catSmooth);
    present.sort((a, b) => { // stable, as std::stable_sort with `ratio(a) < ratio(b)`
      const ra = ratio(a), rb = ratio(b);
      return ra < rb ? -1 : rb < ra ? 1 : 0;
    });
    let lg = 0, lh = 0, ln = 0;
    for (let k = 0; k + 1 < present.length; k++) {
      const b = present[k];
      lg += bins.g[b];
      lh += bins.h[b];
      ln += bins.n[b];
      if (this.consider(l2, parent, lg, lh, ln)) this.setCategorical(f, present.slice(0, k + 1));
    }
  }

  private setCategorical(f: number, left: number[]): void {
    const b = this.best;
    b.feature = f;
    b.threshold = 0;
    b.categorical = true;
    b.catBits = new Uint32Array(8);
    for (const x of left) b.catBits[x >> 5] |= (1 << (x & 31)) >>> 0;
    b.defaultLeft = (b.catBits[0] & 1) !== 0;
  }

  result(): Split | null {
    return this.valid ? this.best : null;
  }
}

// ---- nodes ------------------------------------------------------------------------------------

class TNode {
  id = -1;
  slot = -1;
  search: SearchData | null = null;
  split: Split | null = null;
  kids: [TNode, TNode] | null = null;
  constructor(readonly begin: number, readonly end: number, readonly depth: number,
              readonly G: number, readonly H: number, readonly N: number) {}
}

// ---- command recording ------------------------------------------------------------------------

interface ParamFields {
  count?: number; words?: number; groups?: number; row0?: number; row1?: number; pos0?: number; pos1?: number;
  minData?: number; l0Lo?: number; l0Hi?: number; flags?: number; lam1?: number; lam2?: number; nfeat?: number; base?: number;
}

type Binding = [GPUBuffer, number, number?];

/** One command buffer: dispatches of hist.wgsl, clears and copies; temporaries released after submit. */
class Recorder {
  private enc: GPUCommandEncoder;
  private temps: GPUBuffer[] = [];

  constructor(private readonly r: GpuRunner) {
    this.enc = r.device.createCommandEncoder();
  }

  data(name: string, a: Uint32Array): GPUBuffer {
    const b = this.r.alloc(name, Math.max(16, a.byteLength));
    if (a.byteLength) this.r.device.queue.writeBuffer(b, 0, a.buffer, a.byteOffset, a.byteLength);
    this.temps.push(b);
    return b;
  }

  dispatch(entry: string, f: ParamFields, bindings: Record<number, Binding>, workgroups: number,
           constants: Record<string, number> = {}): void {
    if (workgroups <= 0) return;
    const r = this.r, max = r.ctx.limits.maxComputeWorkgroupsPerDimension;
    const x = Math.min(workgroups, max), y = Math.ceil(workgroups / x);
    if (y > max) throw new BackendLimitError(`webgpu hist: ${workgroups} workgroups exceed the dispatch limit; use the native backend`);
    const params = new ArrayBuffer(64);
    new Uint32Array(params, 0, 12).set([f.count ?? 0, x, f.words ?? 0, f.groups ?? 0, f.row0 ?? 0, f.row1 ?? 0, f.pos0 ?? 0,
      f.pos1 ?? 0, f.minData ?? 0, f.l0Lo ?? 0, f.l0Hi ?? 0, f.flags ?? 0]);
    new Float32Array(params, 48, 2).set([f.lam1 ?? 0, f.lam2 ?? 0]);
    new Uint32Array(params, 56, 2).set([f.nfeat ?? 0, f.base ?? 0]);
    const u = r.pool.acquire(64, UNIFORM | COPY_DST);
    r.device.queue.writeBuffer(u, 0, params);
    this.temps.push(u);
    const pipeline = r.pipelines.get('hist', entry, constants);
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: u, size: 64 } }];
    for (const [binding, [buffer, bytes, offset]] of Object.entries(bindings)) {
      entries.push({ binding: Number(binding), resource: { buffer, offset: offset ?? 0, size: bindSize(bytes) } });
    }
    const pass = this.enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, r.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(x, y, 1);
    pass.end();
  }

  clear(buffer: GPUBuffer, offset: number, bytes: number): void {
    if (bytes > 0) this.enc.clearBuffer(buffer, offset, bytes);
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    if (bytes > 0) this.enc.copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  submit(): void {
    this.r.device.queue.submit([this.enc.finish()]);
    this.r.release(...this.temps);
    this.temps = [];
  }
}

// ---- the grower -------------------------------------------------------------------------------

interface Expansion {
  node: TNode;
  builds: { slot: number; begin: number; end: number }[];
  subtract: { dst: number; src: number } | null;
}

/** Throws unless the arguments are consistent (the native binding checks the same). */
function checkArgs(a: HistGrowArgs): void {
  const { n, p } = a;
  if (!(n >= 1 && p >= 1)) throw new ShapeError('histGrow needs at least one row and one feature');
  if (a.bins.length !== n * p) throw new ShapeError(`histGrow: bins has ${a.bins.length} entries, expected n × p = ${n * p}`);
  if (a.binCount.length !== p || a.categorical.length !== p) throw new ShapeError('histGrow: binCount and categorical need p entries');
  for (let f = 0; f < p; f++) if (!(a.binCount[f] >= 1 && a.binCount[f] <= 256)) throw new ParamError('binCount must be in [1, 256]');
  if (a.gradHess.length < 2 * n) throw new ShapeError(`histGrow: gradHess has ${a.gradHess.length} entries, expected ${2 * n}`);
  if (a.featureAllowed && a.featureAllowed.length !== p) throw new ShapeError('histGrow: featureAllowed needs p entries');
  if (a.rows) {
    if (a.rows.length === 0) throw new ShapeError('histGrow: rows is empty');
    for (let i = 0; i < a.rows.length; i++) if (!(a.rows[i] >= 0 && a.rows[i] < n)) throw new ParamError('rows holds an index outside [0, n)');
  }
  if (!(a.params.maxLeaves >= 1)) throw new ParamError('maxLeaves must be at least 1');
  if (a.out.feature.length < 2 * a.params.maxLeaves - 1) throw new ShapeError('histGrow: out arrays need 2 · maxLeaves − 1 nodes');
  if (a.scores && (a.scoreColumn >= a.scoreStride || a.scores.length < n * a.scoreStride)) {
    throw new ParamError('scoreColumn must be below scoreStride and scores must hold n × scoreStride values');
  }
  if (a.leafOfRow && a.leafOfRow.length < n) throw new ShapeError('histGrow: leafOfRow needs n entries');
}

/** Why the webgpu engine cannot grow this tree (null when it can). */
export function histGpuUnsupported(a: HistGrowArgs): string | null {
  if (a.params.quantized !== 1 || a.channels !== 1) {
    return "webgpu grows trees with quantised gradients only (one gradient channel): use quantizedGradients: true, or backend 'native'";
  }
  return null;
}

export async function histGrowGpu(r: GpuRunner, a: HistGrowArgs, quantize: HistKernels['quantize']): Promise<void> {
  const why = histGpuUnsupported(a);
  if (why) throw new BackendLimitError(why);
  checkArgs(a);
  const m = a.rows ? a.rows.length : a.n;
  if (m > HIST_GPU_MAX_ROWS) {
    throw new ParamError('quantised gradients support at most 16,000,000 rows per tree (integer sums would overflow)');
  }
  const grower = new Grower(r, a, process.env.KILN_WEBGPU_QUANTIZE === 'js' ? quantizeGradientsJs : quantize);
  try {
    grower.allocate();
    await grower.grow();
  } finally {
    grower.release();
  }
}

class Grower {
  private readonly p: HistTreeParams;
  private readonly n: number;
  private readonly m: number;
  private readonly words: number;
  private binsBuf!: GPUBuffer;
  private readonly binOff: Int32Array;
  private readonly B: number;
  private readonly allowed: Uint8Array;
  private readonly numFeats: number[] = [];
  private readonly catFeats: number[] = [];
  private readonly hostSearch: boolean;
  private readonly ctx: SplitContext;
  private readonly q: Quantized;
  private readonly owned: GPUBuffer[] = [];
  private idxBuf!: GPUBuffer;
  private ghBuf!: GPUBuffer;
  private tmpIdx!: GPUBuffer;
  private tmpGh!: GPUBuffer;
  private sideBuf!: GPUBuffer;
  private readonly binWindows: [number, number][];
  private readonly posWindows: [number, number][];
  // histogram pool
  private readonly slotBytes: number;
  private readonly slots: number;
  private readonly pageSlots: number;
  private readonly pages: GPUBuffer[] = [];
  private readonly pageBytes: number[] = [];
  private readonly free: number[] = [];
  private readonly holders = new Map<number, TNode>();
  // hist_build tables
  private readonly cap: number;
  private readonly buildGroups: Uint32Array;
  private readonly buildFeats: Uint32Array;
  private readonly searchFeats: Uint32Array;
  private readonly l0: [number, number];
  private readonly expandCap: number;
  private numNodes = 0;
  private iotaDone = false;

  constructor(private readonly r: GpuRunner, private readonly a: HistGrowArgs, quantize: HistKernels['quantize']) {
    this.p = a.params;
    this.n = a.n;
    this.m = a.rows ? a.rows.length : a.n;
    const p = a.p;
    this.binOff = new Int32Array(p + 1);
    for (let f = 0; f < p; f++) this.binOff[f + 1] = this.binOff[f] + a.binCount[f];
    this.B = this.binOff[p];
    this.slotBytes = this.B * SLOT_WORDS * 4;
    if (this.slotBytes > r.maxBindingBytes) {
      throw new BackendLimitError(`webgpu hist: one leaf histogram (${this.slotBytes} bytes) exceeds this device's binding limit ` +
        `of ${r.maxBindingBytes} bytes; use fewer features or bins, or backend 'native'`);
    }
    this.words = Math.ceil(p / 4);
    this.binWindows = r.rowBlocks('hist bins', a.n, [this.words * 4, 1]);
    this.posWindows = r.rowBlocks('hist row indices', this.m, [4]);
    const wanted = Math.max(3, 2 * a.params.maxLeaves + 2);
    this.slots = Math.max(3, Math.min(wanted, Math.floor(POOL_BYTES / this.slotBytes)));
    this.pageSlots = Math.min(this.slots, Math.floor(r.maxBindingBytes / this.slotBytes));

    this.q = quantize(a.gradHess, a.rows, a.n, a.params.seed);
    this.ctx = { params: a.params, gScale: this.q.gScale, hScale: this.q.hScale, binCount: a.binCount };
    // The device ranks candidates with lambda_l1 / g_scale and lambda_l2 / h_scale in f32: where those
    // leave the f32 range, the host scans every histogram instead.
    const f32ok = (x: number) => x === 0 || (Math.fround(x) !== 0 && Number.isFinite(Math.fround(x)));
    this.hostSearch = process.env.KILN_WEBGPU_HIST_SEARCH === 'host' ||
      !f32ok(a.params.lambdaL1 / this.q.gScale) || !f32ok(a.params.lambdaL2 / this.q.hScale);
    this.expandCap = envInt('KILN_WEBGPU_HIST_EXPAND') ?? Infinity;
    this.allowed = new Uint8Array(p).fill(1);
    if (a.featureAllowed) for (let f = 0; f < p; f++) this.allowed[f] = a.featureAllowed[f] ? 1 : 0;
    for (let f = 0; f < p; f++) {
      if (!this.allowed[f] || a.binCount[f] < 2) continue;
      (a.categorical[f] || this.hostSearch ? this.catFeats : this.numFeats).push(f);
    }

    // feature groups whose bins fit the workgroup histograms
    const wgBytes = Math.min(r.ctx.limits.maxComputeWorkgroupStorageSize, 65536);
    this.cap = Math.max(256, Math.min(envInt('KILN_WEBGPU_HIST_WG_SLOTS') ?? Infinity, Math.floor(wgBytes / 8)));
    const feats: number[] = [], groups: number[] = [];
    let local = 0, first = 0;
    for (let f = 0; f < p; f++) {
      if (!this.allowed[f] || a.binCount[f] < 2) continue;
      const nb = a.binCount[f];
      if (local + nb > this.cap) {
        groups.push(first, feats.length / 4, local, 0);
        first = feats.length / 4;
        local = 0;
      }
      feats.push(f, this.binOff[f], local, nb);
      local += nb;
    }
    if (feats.length > first * 4) groups.push(first, feats.length / 4, local, 0);
    this.buildFeats = Uint32Array.from(feats);
    this.buildGroups = Uint32Array.from(groups);
    this.searchFeats = Uint32Array.from(this.numFeats.flatMap((f, k) => [f, this.binOff[f], k, a.binCount[f]]));

    // the minimum hessian sum as an integer threshold: lh >= l0  <=>  lh * h_scale >= minSumHessian (in f64)
    this.l0 = hessianThreshold(a.params.minSumHessianInLeaf, this.q.hScale);
  }

  /** The device side: resident bins, per-tree row buffers, the histogram pool (release() frees what was made). */
  allocate(): void {
    const r = this.r, a = this.a, m = this.m;
    this.binsBuf = binsOnDevice(r, a.bins, a.n, a.p).buffer;
    const keep = (b: GPUBuffer) => (this.owned.push(b), b);
    this.idxBuf = keep(r.alloc('hist row indices', m * 4));
    this.ghBuf = keep(r.alloc('hist gradients', m * 4));
    this.tmpIdx = keep(r.alloc('hist partition indices', m * 4));
    this.tmpGh = keep(r.alloc('hist partition gradients', m * 4));
    this.sideBuf = keep(r.alloc('hist partition sides', m * 4));
    if (a.rows) r.device.queue.writeBuffer(this.idxBuf, 0, a.rows.buffer, a.rows.byteOffset, m * 4);
    r.device.queue.writeBuffer(this.ghBuf, 0, this.q.gh.buffer, 0, m * 4);
    for (let s = 0; s < this.slots; s += this.pageSlots) {
      const bytes = Math.min(this.pageSlots, this.slots - s) * this.slotBytes;
      this.pages.push(keep(r.alloc('hist leaf histograms', bytes)));
      this.pageBytes.push(bytes);
    }
    for (let s = 0; s < this.slots; s++) this.free.push(s);
  }

  release(): void {
    this.r.release(...this.owned);
    giveScratch(this.q.gh);
  }

  // ---- slots

  private page(slot: number): GPUBuffer {
    return this.pages[Math.floor(slot / this.pageSlots)];
  }
  private slotWord(slot: number): number {
    return (slot % this.pageSlots) * this.B * SLOT_WORDS;
  }

  // ---- tree logic (grow.cc)

  private splittable(t: TNode): boolean {
    const p = this.p;
    if (p.maxDepth > 0 && t.depth >= p.maxDepth) return false;
    return t.N >= Math.max(2 * Math.max(1, p.minDataInLeaf), p.minDataToSplit);
  }

  private decide(t: TNode): Split | null {
    if (!this.splittable(t) || !t.search) return null;
    const features = nodeFeatures(this.allowed, this.p.featureFractionByNode, this.p.seed, t.id);
    const s = new Searcher(this.ctx, t.G, t.H, t.N);
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
    const o = this.a.out, id = t.id, p = this.p;
    o.feature[id] = -1;
    o.threshold[id] = 0;
    o.defaultLeft[id] = 0;
    o.isCategorical[id] = 0;
    o.catBits.fill(0, 8 * id, 8 * id + 8);
    o.left[id] = -1;
    o.right[id] = -1;
    const g = t.G * this.q.gScale, h = t.H * this.q.hScale;
    const denom = h + p.lambdaL2;
    o.value[id] = denom > 0 ? -shrink(g, p.lambdaL1) / denom : 0;
    o.gain[id] = 0;
    o.cover[id] = h;
    o.count[id] = t.N;
    o.depth[id] = t.depth;
  }

  private writeSplit(t: TNode, s: Split, left: number, right: number): void {
    const o = this.a.out, id = t.id;
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
    root.id = this.numNodes++;
    this.writeLeaf(root);
    if (this.splittable(root)) {
      const slot = this.free.shift()!;
      root.slot = slot;
      this.holders.set(slot, root);
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
    await this.finish(leaves);
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
      const left = new TNode(x.begin, x.begin + s.ln, x.depth + 1, s.lg, s.lh, s.ln);
      const right = new TNode(x.begin + s.ln, x.end, x.depth + 1, x.G - s.lg, x.H - s.lh, x.N - s.ln);
      const sl = this.splittable(left), sr = this.splittable(right);
      const small = s.ln <= x.N - s.ln ? left : right, large = small === left ? right : left;
      const needSlots = !(sl || sr) ? 0 : x.slot >= 0 ? 1 : (sl ? 1 : 0) + (sr ? 1 : 0);
      const got: number[] = [];
      while (got.length < needSlots) {
        const slot = this.takeSlot(pinned);
        if (slot < 0) break;
        got.push(slot);
      }
      if (got.length < needSlots) {
        this.free.push(...got);
        if (exps.length > 0) break;
        throw new Error('webgpu hist: histogram pool exhausted'); // cannot happen: the pool holds >= 3 slots
      }
      pinned.add(left).add(right);
      const e: Expansion = { node: x, builds: [], subtract: null };
      if (needSlots === 0) {
        if (x.slot >= 0) { this.holders.delete(x.slot); pending.push(x.slot); x.slot = -1; }
      } else if (x.slot >= 0) {
        const sSmall = this.splittable(small), sLarge = this.splittable(large);
        const s1 = got[0];
        e.builds.push({ slot: s1, begin: small.begin, end: small.end });
        if (sLarge) {
          e.subtract = { dst: x.slot, src: s1 };
          large.slot = x.slot;
          this.holders.set(x.slot, large);
        } else {
          this.holders.delete(x.slot);
          pending.push(x.slot);
        }
        x.slot = -1;
        if (sSmall) { small.slot = s1; this.holders.set(s1, small); } else pending.push(s1);
      } else {
        let k = 0;
        for (const [c, ok] of [[left, sl], [right, sr]] as const) {
          if (!ok) continue;
          c.slot = got[k++];
          this.holders.set(c.slot, c);
          e.builds.push({ slot: c.slot, begin: c.begin, end: c.end });
        }
      }
      x.kids = [left, right];
      if (sl) kidsToSearch.push(left);
      if (sr) kidsToSearch.push(right);
      exps.push(e);
    }
    await this.round(exps.map((e) => e.node), exps.flatMap((e) => e.builds), exps.flatMap((e) => (e.subtract ? [e.subtract] : [])),
      kidsToSearch);
    this.free.push(...pending);
  }

  /** A free histogram slot, or one taken from an unpinned holder (it will rebuild its children directly). */
  private takeSlot(pinned: Set<TNode>): number {
    if (this.free.length) return this.free.shift()!;
    let victim: TNode | undefined;
    for (const t of this.holders.values()) {
      if (pinned.has(t)) continue;
      if (!victim || t.N < victim.N) victim = t;
    }
    if (!victim) return -1;
    const s = victim.slot;
    this.holders.delete(s);
    victim.slot = -1;
    return s;
  }

  /**
   * One submission: partitions the expanded leaves' rows, builds and subtracts histograms,
   * searches the new leaves; then one readback (two when a feature needs its histogram scanned).
   */
  private async round(splitting: TNode[], builds: { slot: number; begin: number; end: number }[],
                      subtracts: { dst: number; src: number }[], searched: TNode[]): Promise<void> {
    histGpuStats.rounds++;
    const rec = new Recorder(this.r);
    if (!this.a.rows && !this.iotaDone) {
      for (const [p0, p1] of this.posWindows) {
        rec.dispatch('iota', { count: p1 - p0, pos0: p0 }, { 14: [this.idxBuf, (p1 - p0) * 4, p0 * 4] }, Math.ceil((p1 - p0) / 256));
      }
      this.iotaDone = true;
    }
    if (splitting.length) this.recordPartition(rec, splitting);
    for (const b of builds) rec.clear(this.page(b.slot), this.slotWord(b.slot) * 4, this.slotBytes);
    this.recordBuilds(rec, builds);
    this.recordSubtractions(rec, subtracts);
    const readback = this.recordSearch(rec, searched);
    rec.submit();
    if (!readback) return;
    const words = new Uint32Array(await this.read(readback.buffer, readback.bytes));
    this.r.release(readback.buffer);
    await this.parseSearch(searched, words, readback.catOffset);
  }

  private async read(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    histGpuStats.readbacks++;
    return this.r.read(buffer, bytes);
  }

  private recordPartition(rec: Recorder, splitting: TNode[]): void {
    const sorted = [...splitting].sort((x, y) => x.begin - y.begin);
    const splits = new Uint32Array(sorted.length * SPLIT_WORDS);
    const items: number[] = [];
    const bounds = this.posWindows.map(([, e]) => e);
    sorted.forEach((t, si) => {
      const s = t.split!, o = si * SPLIT_WORDS;
      splits.set([s.feature, s.threshold, (s.defaultLeft ? 1 : 0) | (s.categorical ? 2 : 0), t.begin, s.ln], o);
      splits.set(s.catBits, o + 8);
      const first = items.length / 4;
      let w = 0;
      for (let b = t.begin; b < t.end;) {
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
      let i0 = count, i1 = 0;
      for (let i = 0; i < count; i++) if (items[4 * i] >= p0 && items[4 * i] < p1) { i0 = Math.min(i0, i); i1 = i + 1; }
      return { p0, p1, i0, i1 };
    });
    for (const { p0, p1, i0, i1 } of ranges) {
      if (i1 <= i0) continue;
      const win: Binding = [this.idxBuf, (p1 - p0) * 4, p0 * 4];
      for (const [r0, r1] of this.binWindows) {
        rec.dispatch('part_side', { count: i1, base: i0, words: W, row0: r0, row1: r1, pos0: p0, pos1: p1 }, {
          1: [this.binsBuf, (r1 - r0) * W * 4, r0 * W * 4], 2: win, 4: [itemBuf, count * 16], 11: [splitBuf, splits.byteLength],
          12: [this.sideBuf, (p1 - p0) * 4, p0 * 4],
        }, i1 - i0);
      }
      rec.dispatch('part_count', { count: i1, base: i0, pos0: p0, pos1: p1 }, {
        4: [itemBuf, count * 16], 12: [this.sideBuf, (p1 - p0) * 4, p0 * 4], 13: [offs, count * 4],
      }, i1 - i0);
    }
    rec.dispatch('part_scan', { count }, { 13: [offs, count * 4] }, 1);
    for (const { p0, p1, i0, i1 } of ranges) {
      if (i1 <= i0) continue;
      for (const [d0, d1] of this.posWindows) {
        rec.dispatch('part_scatter', { count: i1, base: i0, row0: d0, row1: d1, pos0: p0, pos1: p1 }, {
          2: [this.idxBuf, (p1 - p0) * 4, p0 * 4], 3: [this.ghBuf, (p1 - p0) * 4, p0 * 4], 12: [this.sideBuf, (p1 - p0) * 4, p0 * 4],
          4: [itemBuf, count * 16], 11: [splitBuf, splits.byteLength], 13: [offs, count * 4],
          14: [this.tmpIdx, (d1 - d0) * 4, d0 * 4], 15: [this.tmpGh, (d1 - d0) * 4, d0 * 4],
        }, i1 - i0);
      }
    }
    for (const t of sorted) {
      rec.copy(this.tmpIdx, t.begin * 4, this.idxBuf, t.begin * 4, (t.end - t.begin) * 4);
      rec.copy(this.tmpGh, t.begin * 4, this.ghBuf, t.begin * 4, (t.end - t.begin) * 4);
    }
  }

  private recordBuilds(rec: Recorder, builds: { slot: number; begin: number; end: number }[]): void {
    const groups = this.buildGroups.length / 4;
    if (!builds.length || groups === 0) return;
    const groupBuf = rec.data('hist feature groups', this.buildGroups);
    const featBuf = rec.data('hist build features', this.buildFeats);
    const W = this.words;
    for (let pg = 0; pg < this.pages.length; pg++) {
      const mine = builds.filter((b) => Math.floor(b.slot / this.pageSlots) === pg);
      if (!mine.length) continue;
      for (const [p0, p1] of this.posWindows) {
        const items: number[] = [];
        for (const b of mine) {
          const lo = Math.max(b.begin, p0), hi = Math.min(b.end, p1);
          for (let j = lo; j < hi; j += BUILD_ROWS) items.push(this.slotWord(b.slot), j, Math.min(hi, j + BUILD_ROWS), 0);
        }
        if (!items.length) continue;
        const count = items.length / 4;
        const itemBuf = rec.data('hist build items', Uint32Array.from(items));
        for (const [r0, r1] of this.binWindows) {
          rec.dispatch('hist_build', { count, groups, words: W, row0: r0, row1: r1, pos0: p0, pos1: p1 }, {
            1: [this.binsBuf, (r1 - r0) * W * 4, r0 * W * 4], 2: [this.idxBuf, (p1 - p0) * 4, p0 * 4],
            3: [this.ghBuf, (p1 - p0) * 4, p0 * 4], 4: [itemBuf, count * 16], 5: [groupBuf, this.buildGroups.byteLength],
            6: [featBuf, this.buildFeats.byteLength], 7: [this.pages[pg], this.pageBytes[pg]],
          }, count * groups, { CAP: this.cap });
        }
      }
    }
  }

  private recordSubtractions(rec: Recorder, subs: { dst: number; src: number }[]): void {
    const blocks = Math.ceil(this.B / 256);
    const byPages = new Map<string, number[]>();
    for (const s of subs) {
      const key = `${Math.floor(s.dst / this.pageSlots)}:${Math.floor(s.src / this.pageSlots)}`;
      let list = byPages.get(key);
      if (!list) byPages.set(key, (list = []));
      list.push(this.slotWord(s.dst), this.slotWord(s.src), 0, 0);
    }
    for (const [key, items] of byPages) {
      const [dp, sp] = key.split(':').map(Number);
      const count = items.length / 4;
      const itemBuf = rec.data('hist subtraction items', Uint32Array.from(items));
      const bindings: Record<number, Binding> = { 4: [itemBuf, count * 16], 8: [this.pages[dp], this.pageBytes[dp]] };
      if (dp !== sp) bindings[9] = [this.pages[sp], this.pageBytes[sp]];
      rec.dispatch(dp === sp ? 'hist_subtract_same' : 'hist_subtract', { count, words: this.B, groups: blocks }, bindings, count * blocks);
    }
  }

  /** Records the search of `nodes` into one readback buffer: candidate records, then the histograms the host scans. */
  private recordSearch(rec: Recorder, nodes: TNode[]): { buffer: GPUBuffer; bytes: number; catOffset: number } | null {
    if (!nodes.length) return null;
    const nNum = this.numFeats.length, recBytes = REC_WORDS * 4;
    const perNode = nNum * recBytes;
    const catOffset = nodes.length * perNode;
    let catBytes = 0;
    for (const f of this.catFeats) catBytes += this.a.binCount[f] * SLOT_WORDS * 4;
    const total = catOffset + nodes.length * catBytes;
    if (total === 0) return null;
    const buffer = this.r.alloc('hist search results', total);
    if (nNum > 0) {
      const featBuf = rec.data('hist search features', this.searchFeats);
      // per page, runs of nodes whose records fit one binding (bound from an aligned offset)
      const align = this.r.offsetAlignment, maxBytes = this.r.maxBindingBytes;
      if (perNode + align > maxBytes) {
        throw new BackendLimitError(`webgpu hist: the split candidates of one leaf (${perNode} bytes) exceed this device's binding limit; use backend 'native'`);
      }
      for (let pg = 0; pg < this.pages.length; pg++) {
        const mine = nodes.map((t, i) => ({ t, i })).filter(({ t }) => Math.floor(t.slot / this.pageSlots) === pg);
        for (let k = 0; k < mine.length;) {
          const start = Math.floor((mine[k].i * perNode) / align) * align;
          let e = k + 1;
          while (e < mine.length && (mine[e].i + 1) * perNode - start <= maxBytes) e++;
          const items: number[] = [];
          for (let q = k; q < e; q++) items.push(this.slotWord(mine[q].t.slot), (mine[q].i * perNode - start) / 4, 0, 0);
          const cnt = e - k;
          const itemBuf = rec.data('hist search items', Uint32Array.from(items));
          rec.dispatch('split_find', {
            count: cnt, nfeat: nNum, minData: Math.max(0, Math.min(this.p.minDataInLeaf, 0xffffffff)), l0Lo: this.l0[0], l0Hi: this.l0[1],
            flags: this.p.lambdaL1 > 0 ? 1 : 0, lam1: this.p.lambdaL1 / this.q.gScale, lam2: this.p.lambdaL2 / this.q.hScale,
          }, {
            4: [itemBuf, cnt * 16], 6: [featBuf, this.searchFeats.byteLength], 9: [this.pages[pg], this.pageBytes[pg]],
            10: [buffer, (mine[e - 1].i + 1) * perNode - start, start],
          }, cnt * nNum, { KMAX, REC_WORDS });
          k = e;
        }
      }
    }
    nodes.forEach((t, i) => {
      let off = catOffset + i * catBytes;
      for (const f of this.catFeats) {
        const bytes = this.a.binCount[f] * SLOT_WORDS * 4;
        rec.copy(this.page(t.slot), (this.slotWord(t.slot) + this.binOff[f] * SLOT_WORDS) * 4, buffer, off, bytes);
        off += bytes;
      }
    });
    return { buffer, bytes: total, catOffset };
  }

  private async parseSearch(nodes: TNode[], u: Uint32Array, catOffset: number): Promise<void> {
    const nNum = this.numFeats.length;
    const fallback: { t: TNode; f: number }[] = [];
    let catBytes = 0;
    for (const f of this.catFeats) catBytes += this.a.binCount[f] * SLOT_WORDS * 4;
    nodes.forEach((t, i) => {
      const data: SearchData = { numerical: new Map(), categorical: new Map() };
      for (let k = 0; k < nNum; k++) {
        const f = this.numFeats[k], o = (i * nNum + k) * REC_WORDS;
        const kept = u[o], flags = u[o + 1];
        if (flags & 2) {
          fallback.push({ t, f });
          continue;
        }
        const cands: Candidate[] = [];
        for (let c = 0; c < kept; c++) {
          const w = o + 2 + 6 * c;
          cands.push({ t: u[w] & 0xffff, missingLeft: u[w] >>> 16 !== 0, ln: u[w + 1], lg: (u[w + 3] | 0) * 4294967296 + u[w + 2],
            lh: u[w + 5] * 4294967296 + u[w + 4] });
        }
        cands.sort((x, y) => x.t - y.t || Number(x.missingLeft) - Number(y.missingLeft));
        histGpuStats.candidates += cands.length;
        data.numerical.set(f, { hasMissing: (flags & 1) !== 0, cands });
      }
      let off = (catOffset + i * catBytes) / 4;
      for (const f of this.catFeats) {
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
        rec.copy(this.page(t.slot), (this.slotWord(t.slot) + this.binOff[f] * SLOT_WORDS) * 4, buffer, off, b);
        off += b;
      }
      rec.submit();
      const w = new Uint32Array(await this.read(buffer, bytes));
      off = 0;
      for (const { t, f } of fallback) {
        t.search!.numerical.set(f, { bins: decodeBins(w, off, this.a.binCount[f]) });
        off += this.a.binCount[f] * SLOT_WORDS;
      }
    } finally {
      this.r.release(buffer);
    }
  }

  /** Routes every row to its leaf on the device; the host adds the leaf values to the scores. */
  private async finish(leaves: TNode[]): Promise<void> {
    const a = this.a;
    if (!a.scores && !a.leafOfRow) return;
    const o = a.out, nodes = this.numNodes;
    const table = new Uint32Array(nodes * NODE_WORDS);
    const leafNode = new Int32Array(leaves.length);
    leaves.forEach((t, k) => { leafNode[k] = t.id; });
    const ordinal = new Map(leaves.map((t, k) => [t.id, k]));
    for (let id = 0; id < nodes; id++) {
      const w = id * NODE_WORDS;
      if (o.feature[id] < 0) {
        table[w] = 0xffffffff;
        table[w + 5] = ordinal.get(id)!;
      } else {
        table.set([o.feature[id], o.threshold[id], (o.defaultLeft[id] ? 1 : 0) | (o.isCategorical[id] ? 2 : 0), o.left[id], o.right[id]], w);
        table.set(o.catBits.subarray(8 * id, 8 * id + 8), w + 8);
      }
    }
    const bits = leaves.length <= 256 ? 8 : leaves.length <= 65536 ? 16 : 32;
    const per = 32 / bits, n = this.n, W = this.words;
    const outBytes = Math.ceil(n / per) * 4;
    const out = this.r.alloc('hist leaf of row', outBytes);
    let words: Uint32Array;
    try {
      const rec = new Recorder(this.r);
      const nodeBuf = rec.data('hist tree', table);
      for (const [r0, r1] of this.binWindows) {
        const count = Math.ceil((r1 - r0) / per);
        rec.dispatch('route', { count, groups: bits, words: W, row0: r0, row1: r1, nfeat: nodes }, {
          1: [this.binsBuf, (r1 - r0) * W * 4, r0 * W * 4], 16: [nodeBuf, table.byteLength], 17: [out, count * 4, (r0 / per) * 4],
        }, Math.ceil(count / 256));
      }
      rec.submit();
      words = new Uint32Array(await this.read(out, outBytes));
    } finally {
      this.r.release(out);
    }
    const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    const leafOf = (row: number) => leafNode[bits === 32 ? words[row] : (words[(row / per) | 0] >>> ((row % per) * bits)) & mask];
    if (a.leafOfRow) {
      if (a.rows) {
        a.leafOfRow.fill(-1, 0, n);
        for (const row of a.rows) a.leafOfRow[row] = leafOf(row);
      } else {
        for (let row = 0; row < n; row++) a.leafOfRow[row] = leafOf(row);
      }
    }
    if (a.scores) {
      const { scores, scoreStride: stride, scoreColumn: col, scale } = a;
      const v = new Float64Array(leaves.length);
      leaves.forEach((t, k) => { v[k] = scale * o.value[t.id]; });
      if (bits === 8) {
        const bytes = new Uint8Array(words.buffer, 0, n);
        for (let row = 0; row < n; row++) scores[row * stride + col] += v[bytes[row]];
      } else {
        for (let row = 0; row < n; row++) {
          const k = bits === 32 ? words[row] : (words[(row / per) | 0] >>> ((row % per) * bits)) & mask;
          scores[row * stride + col] += v[k];
        }
      }
    }
  }
}

function decodeBins(u: Uint32Array, off: number, nb: number): Bins {
  const g = new Float64Array(nb), h = new Float64Array(nb), n = new Float64Array(nb);
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

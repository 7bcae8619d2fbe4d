/**
 * Forest prediction on the device (shaders/forest.wgsl): the forest is uploaded once per
 * `HistForest.nodes` array (cached per runner, freed when the nodes array is collected or the
 * backend disposed), x goes up in row windows that fit one binding, and each window comes back
 * as f32 score sums per (row, output column) and/or leaf indices.
 *
 * Only f32 inputs come here: for an f32 value x, x <= thr (f64) is exactly x <= the largest f32
 * not greater than thr, so the device takes the same branches — and reaches the same leaves — as
 * the CPU kernels. f64 inputs stay on the CPU (rounded to f32 they could cross a threshold).
 * Scores differ from the CPU's f64 sums by f32 rounding only: each tree adds f32(weight) ·
 * f32(value) into an f32 accumulator.
 */
import { HIST_NODE_CATEGORICAL, type HistForest, type HistPredictArgs } from '../contract/hist.js';
import type { GpuRunner } from './runner.js';
import { countDeviceBytes } from './counters.js';

const STORAGE = 0x80,
  COPY_DST = 0x08;
const WORKGROUP = 64;

/**
 * Rows × trees below which a call stays on the CPU (KILN_WEBGPU_FOREST_MIN_WORK overrides): the
 * upload, dispatch and readback cost about as much as the native kernels' walk of this many.
 */
export const FOREST_MIN_WORK = 1 << 20;
/**
 * Fewer trees per call stay on the CPU: training adds one tree (a leaf refit) or one round at a
 * time into its f64 scores, which must match the native engine's bit for bit.
 */
export const FOREST_MIN_TREES = 16;

/** Whether histPredict on webgpu should run this call on the device. */
export function forestOnDevice(a: HistPredictArgs): boolean {
  const span = a.treeEnd - a.treeBegin;
  if (!(a.x instanceof Float32Array) || a.n === 0 || span < FOREST_MIN_TREES || (!a.out && !a.leafIndex)) return false;
  const override = Number(process.env.KILN_WEBGPU_FOREST_MIN_WORK);
  return a.n * span >= (override > 0 ? override : FOREST_MIN_WORK);
}

/** Device counters (tests read them). */
export const forestGpuStats = { uploads: 0, dispatches: 0, windows: 0 };

interface GpuForest {
  runner: GpuRunner;
  nodes: GPUBuffer;
  cat: GPUBuffer;
  value: GPUBuffer;
  trees: GPUBuffer;
  bytes: { nodes: number; cat: number; value: number; trees: number };
  shape: string;
  freed: boolean;
}

function free(f: GpuForest): void {
  if (f.freed) return;
  f.freed = true;
  for (const b of [f.nodes, f.cat, f.value, f.trees]) countDeviceBytes(-b.size), b.destroy();
}

/** The forests a backend has uploaded: per nodes array, freed on collection or dispose(). */
export class ForestCache {
  private readonly byNodes = new WeakMap<Float64Array, GpuForest>();
  private readonly live = new Set<GpuForest>();
  private readonly registry = new FinalizationRegistry<GpuForest>((f) => {
    this.live.delete(f);
    free(f);
  });

  /** The device copy of `forest` on runner `r` (uploaded now unless cached); null when it does not fit a binding. */
  get(r: GpuRunner, forest: HistForest): GpuForest | null {
    const shape = `${forest.nodes.length}:${forest.value.length}:${forest.catBits.length}:${forest.roots.length}:${forest.channels}`;
    const cached = this.byNodes.get(forest.nodes);
    if (cached && !cached.freed && cached.runner === r && cached.shape === shape) return cached;
    if (cached) this.drop(forest.nodes, cached);
    const packed = packForest(forest);
    const sizes = { nodes: packed.nodes.byteLength, cat: packed.cat.byteLength, value: packed.value.byteLength, trees: packed.trees.byteLength };
    if (Math.max(sizes.nodes, sizes.cat, sizes.value, sizes.trees) > r.maxBindingBytes) return null;
    const up = (label: string, data: Uint32Array | Float32Array) => {
      const size = Math.max(16, Math.ceil(data.byteLength / 16) * 16);
      const buffer = r.device.createBuffer({ label, size, usage: STORAGE | COPY_DST });
      countDeviceBytes(size);
      r.write(buffer, 0, data);
      return buffer;
    };
    const f: GpuForest = {
      runner: r,
      nodes: up('forest nodes', packed.nodes),
      cat: up('forest cat', packed.cat),
      value: up('forest values', packed.value),
      trees: up('forest trees', packed.trees),
      bytes: sizes,
      shape,
      freed: false,
    };
    forestGpuStats.uploads++;
    this.byNodes.set(forest.nodes, f);
    this.live.add(f);
    this.registry.register(forest.nodes, f, f);
    return f;
  }

  private drop(nodes: Float64Array, f: GpuForest): void {
    this.byNodes.delete(nodes);
    this.live.delete(f);
    this.registry.unregister(f);
    free(f);
  }

  /** Frees every uploaded forest. */
  clear(): void {
    for (const f of this.live) {
      this.registry.unregister(f);
      free(f);
    }
    this.live.clear();
  }
}

/** The largest f32 not greater than t (t not NaN). */
export function f32AtMost(t: number): number {
  const f = Math.fround(t);
  if (f <= t) return f;
  const b = new Float32Array([f]),
    u = new Uint32Array(b.buffer);
  if (f === 0)
    u[0] = 0x80000001; // below +0: the smallest negative subnormal
  else if (f > 0) u[0] -= 1;
  else u[0] += 1;
  return b[0];
}

const keyScratch = new Float32Array(1),
  keyBits = new Uint32Array(keyScratch.buffer);
/** The order key of an f32 (see shaders/forest.wgsl): monotone in the value, -0 folded to +0. */
export function orderKey(v: number): number {
  keyScratch[0] = v;
  let b = keyBits[0];
  if (b === 0x80000000) b = 0;
  return (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
}

/** The device records of a forest (layout in shaders/forest.wgsl). */
export function packForest(f: HistForest): { nodes: Uint32Array; cat: Uint32Array; value: Float32Array; trees: Uint32Array } {
  const count = f.nodes.length >> 1;
  const words = new Int32Array(f.nodes.buffer, f.nodes.byteOffset, count * 4);
  const nodes = new Uint32Array(count * 4);
  for (let j = 0; j < count; j++) {
    const word = words[4 * j + 2];
    const categorical = word >= 0 && (word & HIST_NODE_CATEGORICAL) !== 0;
    nodes[4 * j] = categorical ? f.catOffset[j] : orderKey(f32AtMost(f.nodes[2 * j]));
    nodes[4 * j + 1] = word;
    nodes[4 * j + 2] = words[4 * j + 3];
    nodes[4 * j + 3] = categorical ? f.catWords[j] : 0;
  }
  const cat = new Uint32Array(Math.max(1, f.catBits.length));
  cat.set(f.catBits);
  const value = new Float32Array(Math.max(1, f.value.length));
  value.set(f.value);
  const T = f.roots.length;
  const trees = new Uint32Array(Math.max(1, T) * 4),
    weights = new Float32Array(trees.buffer);
  for (let t = 0; t < T; t++) {
    trees[4 * t] = f.roots[t];
    trees[4 * t + 1] = f.treeColumn[t];
    weights[4 * t + 2] = f.treeWeight[t];
  }
  return { nodes, cat, value, trees };
}

/**
 * Runs one histPredict call on the device; false (nothing done) when the forest does not fit a
 * binding. Call inside the context's error scopes (device loss surfaces from there).
 */
export async function forestPredictGpu(r: GpuRunner, a: HistPredictArgs, cache: ForestCache): Promise<boolean> {
  const gf = cache.get(r, a.forest);
  if (!gf) return false;
  const x = a.x as Float32Array,
    p = a.p,
    span = a.treeEnd - a.treeBegin,
    cols = a.outCols;
  const rowBytes = [p * 4];
  if (a.out) rowBytes.push(cols * 4);
  if (a.leafIndex) rowBytes.push(span * 4);
  const maxRows = r.ctx.limits.maxComputeWorkgroupsPerDimension * WORKGROUP;
  const windows = r.rowBlocks('forest prediction', a.n, rowBytes).flatMap(([r0, r1]) => {
    const w: [number, number][] = [];
    for (let s = r0; s < r1; s += maxRows) w.push([s, Math.min(r1, s + maxRows)]);
    return w;
  });
  const dummy = r.alloc('forest unused output', 4);
  try {
    for (const [r0, r1] of windows) {
      const rows = r1 - r0;
      const xb = r.upload('forest x', x.subarray(r0 * p, r1 * p));
      const outBytes = rows * cols * 4,
        leafBytes = rows * span * 4;
      const ob = a.out ? r.alloc('forest scores', outBytes) : dummy;
      const lb = a.leafIndex ? r.alloc('forest leaves', leafBytes) : dummy;
      try {
        if (a.out) r.zero(ob, outBytes);
        const params = new Uint32Array([rows, p, a.treeBegin, a.treeEnd, cols, a.forest.channels, (a.out ? 1 : 0) | (a.leafIndex ? 2 : 0), 0]);
        r.dispatch(
          'forest',
          'forest_predict',
          params.buffer,
          {
            1: [xb, rows * p * 4],
            2: [gf.nodes, gf.bytes.nodes],
            3: [gf.cat, gf.bytes.cat],
            4: [gf.value, gf.bytes.value],
            5: [gf.trees, gf.bytes.trees],
            6: [ob, a.out ? outBytes : 4],
            7: [lb, a.leafIndex ? leafBytes : 4],
          },
          [Math.ceil(rows / WORKGROUP), 1, 1],
        );
        forestGpuStats.dispatches++;
        if (a.out) {
          const s = new Float32Array(await r.read(ob, outBytes)),
            out = a.out,
            o0 = r0 * cols;
          for (let i = 0; i < s.length; i++) if (s[i] !== 0) out[o0 + i] += s[i];
        }
        if (a.leafIndex) a.leafIndex.set(new Int32Array(await r.read(lb, leafBytes)), r0 * span);
      } finally {
        r.release(xb, a.out ? ob : undefined, a.leafIndex ? lb : undefined);
      }
    }
    forestGpuStats.windows += windows.length;
  } finally {
    r.release(dummy);
  }
  return true;
}

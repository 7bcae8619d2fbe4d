/**
 * Gradient-boosted trees on WebGPU: the host side of shaders/hist.wgsl, one file per part as in
 * LightGBM's cuda learner (layout, bins, recorder, partition, histogram-pool, histograms,
 * split-find, route, grower; the f64 split search and the quantiser are the hist family's, in
 * src/backend/hist/). One call grows one tree
 * with the native engine's exact semantics (native/kernels/hist: grow.cc, split.cc), so that
 * with quantised gradients and the same seed both engines grow identical trees.
 *
 * What runs where:
 * - Quantisation runs on the host, on the fallback backend's quantize kernel (native's quantize.h,
 *   or its TS copy in src/backend/hist/quantize.ts; select.ts passes it in): identical integers
 *   by construction. WGSL has no f64, so the device could not reproduce floor(g / scale + u)
 *   bit for bit.
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
import { BackendLimitError, ParamError } from '../../../core/errors.js';
import { checkHistGrowArgs, type HistGrowArgs, type HistKernels } from '../../contract/hist.js';
import { quantizeGradientsJs } from '../../hist/quantize.js';
import type { GpuRunner } from '../runner.js';
import { Grower } from './grower.js';
import { HIST_GPU_MAX_ROWS } from './layout.js';

export { histGpuStats, HIST_GPU_MAX_ROWS } from './layout.js';
export { hessianThreshold } from './split-find.js';

/** Why the webgpu engine cannot grow this tree (null when it can). */
export function histGpuUnsupported(a: HistGrowArgs): string | null {
  if (a.params.randomThresholds) return "webgpu grows boosting trees only, not random-threshold (extra) trees: use backend 'native'";
  if (a.params.quantized !== 1 || a.channels !== 1) {
    return "webgpu grows trees with quantised gradients only (one gradient channel): use quantizedGradients: true, or backend 'native'";
  }
  return null;
}

export async function histGrowGpu(r: GpuRunner, a: HistGrowArgs, quantize: HistKernels['quantize']): Promise<void> {
  const why = histGpuUnsupported(a);
  if (why) throw new BackendLimitError(why);
  checkHistGrowArgs(a);
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

/**
 * The TS side of the hist engine: choosing a backend that can grow trees, binning the
 * training matrix, and growing one tree into fresh output arrays. Shared by gradient
 * boosting, random forests and decision trees.
 */
import { ParamError, ShapeError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { resolveKernels } from '../../backend/select.js';
import type { BackendChoice, HistKernels, HistSyncKernels, HistTreeOut, HistTreeParams } from '../../backend/backend.js';
import { bool, int, list, nullable, union } from '../../core/params.js';
import { fromLineage } from '../../core/row-lineage.js';
import { binSpec, fitBinMapper, type BinMapper } from './binning.js';

/** categoricalFeatures: column indices, a boolean mask, or null (whether they fit X is checked at fit). */
export const CATEGORICAL_FEATURES = nullable(union(list(int({ min: 0 })), list(bool())));

/** A tree model's randomState: the hist engine takes a 32-bit unsigned seed. */
export const TREE_SEED = int({ min: 0, max: 0xffffffff });

/** The hist kernels a tree model trains and predicts with. */
export type TreeBackend = HistSyncKernels;

/**
 * The hist family for training. Every backend grows trees (js: the reference grower); the
 * WebGPU engine grows single-channel trees from quantised gradients only, so for any other
 * mode 'auto' grows on the CPU fallback and an explicit 'webgpu' is a BackendLimitError at
 * the first tree (select.ts, resolveKernels).
 */
export async function treeBackend(choice: BackendChoice, work: number, owner: string): Promise<TreeBackend> {
  return (await resolveKernels('hist', choice, work, owner)).kernels;
}

/** The hist family for prediction (webgpu walks large f32 batches on the device, the fallback the rest). */
export async function predictBackend(choice: BackendChoice, work: number, owner: string): Promise<TreeBackend> {
  return (await resolveKernels('hist', choice, work, owner)).kernels;
}

/** categoricalFeatures (column indices or a boolean mask) as a 0/1 mask. */
export function categoricalMask(spec: readonly number[] | readonly boolean[] | null, p: number, owner: string): Uint8Array {
  const mask = new Uint8Array(p);
  if (spec === null || spec.length === 0) return mask;
  if (typeof spec[0] === 'boolean') {
    if (spec.length !== p) throw new ShapeError(`${owner}: categoricalFeatures is a mask of ${spec.length} entries but X has ${p} features`);
    spec.forEach((b, f) => {
      mask[f] = b ? 1 : 0;
    });
    return mask;
  }
  for (const f of spec as readonly number[]) {
    if (!Number.isInteger(f) || f < 0 || f >= p) throw new ParamError(`${owner}: categoricalFeatures names column ${f}, outside [0, ${p})`);
    mask[f] = 1;
  }
  return mask;
}

export interface BinnedData {
  bins: Uint8Array;
  columns: Uint8Array | null;
  n: number;
  p: number;
  mapper: BinMapper;
}

export async function binMatrix(backend: TreeBackend, X: Matrix, mapper: BinMapper): Promise<BinnedData> {
  const { bins, columns } = await backend.bin(X.data, X.rows, X.cols, binSpec(mapper));
  return { bins, columns, n: X.rows, p: X.cols, mapper };
}

const backendIds = new WeakMap<TreeBackend, number>();
let lastBackendId = 0;
const backendId = (b: TreeBackend): number => {
  let id = backendIds.get(b);
  if (id === undefined) backendIds.set(b, (id = ++lastBackendId));
  return id;
};

/**
 * X's training bins: the bin mapper fitted on X, then X binned. Fits on the same rows of one
 * cross-validation run (a search's candidates on one fold) share them (core/row-lineage.ts):
 * they depend only on X, the backend, maxBins, the seed and the categorical mask, and the
 * growers only read them.
 */
export function trainingBins(backend: TreeBackend, X: Matrix, categorical: Uint8Array, maxBins: number, seed: number, owner: string): Promise<BinnedData> {
  const key = `hist-bins:${backendId(backend)}:${maxBins}:${seed}:${categorical.join('')}`;
  const sample: HistKernels['binSample'] = (...a) => backend.binSample(...a);
  return fromLineage(X, key, 2 * X.rows * X.cols, () => binMatrix(backend, X, fitBinMapper(X, categorical, maxBins, seed, owner, sample)));
}

export function treeOut(maxLeaves: number, channels: number): HistTreeOut {
  const cap = 2 * maxLeaves - 1;
  return {
    feature: new Int32Array(cap),
    threshold: new Int32Array(cap),
    defaultLeft: new Uint8Array(cap),
    isCategorical: new Uint8Array(cap),
    catBits: new Uint32Array(8 * cap),
    left: new Int32Array(cap),
    right: new Int32Array(cap),
    value: new Float64Array(cap * channels),
    gain: new Float64Array(cap),
    cover: new Float64Array(cap),
    count: new Int32Array(cap),
    depth: new Int32Array(cap),
    numNodes: new Int32Array(1),
  };
}

export interface GrowOptions {
  rows?: Int32Array | null;
  featureAllowed?: Uint8Array | null;
  scores?: Float64Array | null;
  scoreStride?: number;
  scoreColumn?: number;
  scale?: number;
  leafOfRow?: Int32Array | null;
  /** Monotonic constraints per feature (-1, 0, 1), or null: none. */
  monotone?: Int8Array | null;
  /** Interaction constraints: groups × p flags (see HistGrowArgs.interaction), or null: none. */
  interaction?: { flags: Uint8Array; groups: number } | null;
}

export async function growTree(
  backend: TreeBackend,
  data: BinnedData,
  gradHess: Float64Array,
  channels: number,
  params: HistTreeParams,
  opts: GrowOptions = {},
): Promise<HistTreeOut> {
  const out = treeOut(params.maxLeaves, channels);
  await backend.grow({
    bins: data.bins,
    columns: data.columns,
    n: data.n,
    p: data.p,
    binCount: data.mapper.binCount,
    categorical: data.mapper.categorical,
    gradHess,
    channels,
    rows: opts.rows ?? null,
    featureAllowed: opts.featureAllowed ?? null,
    params,
    out,
    scores: opts.scores ?? null,
    scoreStride: opts.scoreStride ?? 1,
    scoreColumn: opts.scoreColumn ?? 0,
    scale: opts.scale ?? 1,
    leafOfRow: opts.leafOfRow ?? null,
    ...(opts.monotone ? { monotone: opts.monotone } : {}),
    ...(opts.interaction ? { interaction: opts.interaction.flags, interactionGroups: opts.interaction.groups } : {}),
  });
  return out;
}

/**
 * The js backend's reference tree grower (src/backend/js/hist-grow.ts) is the oracle of the hist
 * family: from the same bins and gradients, native's and webgpu's trees are compared to it node by
 * node — features, thresholds, default directions, categorical bitsets, children, gains, covers,
 * counts, depths and leaf values exactly (quantised gradients make every sum an exact integer),
 * and the scores and leaf of every row. Datasets: numerical only, with missing values, with
 * categorical features that have missing values too (one-vs-rest and ordered-prefix splits), each under several parameter sets
 * (bagged rows, feature subsets, per-node sampling, depth limits, L1/L2, minimum gain). Float
 * gradients (one and three channels) grow the same structure with values equal up to f64 rounding.
 */
import { HIST_TREE_BASE } from '../helpers/hist-params.js';
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, GradientBoostingClassifier, GradientBoostingRegressor, Rng } from '../../src/index.js';
import { resolveKernels } from '../../src/backend/select.js';
import type { HistGrowArgs, HistSyncKernels, HistTreeOut, HistTreeParams } from '../../src/backend/backend.js';
import { histGrowRef } from '../../src/backend/js/hist-grow.js';
import { treeOut } from '../../src/models/tree/engine.js';
import { hasNative, hasWebgpu } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });

afterAll(async () => {
  await dispose();
});

const base = HIST_TREE_BASE;

type Kind = 'numeric' | 'missing' | 'categorical';

/** Bins (0 = missing) and gradients whose signal runs through several features, as a boosting round sees them. */
function growArgs(
  kind: Kind,
  n: number,
  seed: number,
  params: HistTreeParams,
  opts: { rows?: Int32Array | null; channels?: number; allowed?: Uint8Array | null; monotone?: Int8Array; interaction?: Uint8Array } = {},
): HistGrowArgs {
  const p = 6,
    C = opts.channels ?? 1,
    rng = new Rng(seed);
  const binCount = Int32Array.from([33, 9, 256, 13, 64, 40]);
  const categorical = Uint8Array.from(kind === 'categorical' ? [0, 0, 0, 1, 0, 1] : [0, 0, 0, 0, 0, 0]);
  const bins = new Uint8Array(n * p),
    gh = new Float64Array(n * (C + 1));
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < p; f++) {
      const missing =
        (kind === 'missing' && (f === 0 || f === 2) && rng.random() < 0.15) || (kind === 'categorical' && (f === 3 || f === 5) && rng.random() < 0.1); // a missing category goes where its bit says
      bins[i * p + f] = missing ? 0 : 1 + rng.int(binCount[f] - 1);
    }
    const b = (f: number) => bins[i * p + f];
    const x = (b(0) === 0 ? 9 : b(0) / 3) + (b(3) % 4 === 1 ? 4 : 0) + (b(3) === 6 ? 6 : 0) - b(2) / 40 + (b(5) % 7 === 3 ? 2.5 : 0) + Math.sin(b(4) / 5);
    for (let c = 0; c < C; c++) gh[i * (C + 1) + c] = Math.tanh(x - 6 + c) + 0.3 * rng.normal();
    gh[i * (C + 1) + C] = 0.1 + rng.random();
  }
  return {
    bins,
    n,
    p,
    binCount,
    categorical,
    gradHess: gh,
    channels: C,
    rows: opts.rows ?? null,
    featureAllowed: opts.allowed ?? null,
    ...(opts.monotone ? { monotone: opts.monotone } : {}),
    ...(opts.interaction ? { interaction: opts.interaction, interactionGroups: opts.interaction.length / p } : {}),
    params,
    out: treeOut(params.maxLeaves, C),
    scores: new Float64Array(2 * n),
    scoreStride: 2,
    scoreColumn: 1,
    scale: 0.1,
    leafOfRow: new Int32Array(n),
  };
}

function copyArgs(a: HistGrowArgs): HistGrowArgs {
  return { ...a, out: treeOut(a.params.maxLeaves, a.channels), scores: a.scores && new Float64Array(a.scores.length), leafOfRow: new Int32Array(a.n) };
}

/** Grow arguments for given bins and gradients: numerical features, every row, a fresh output with scores and leaves (one channel). */
function plainArgs(bins: Uint8Array, p: number, binCount: Int32Array, gradHess: Float64Array, channels: number, params: HistTreeParams): HistGrowArgs {
  const n = bins.length / p;
  return {
    bins,
    n,
    p,
    binCount,
    categorical: new Uint8Array(p),
    gradHess,
    channels,
    rows: null,
    featureAllowed: null,
    params,
    out: treeOut(params.maxLeaves, channels),
    scores: channels === 1 ? new Float64Array(n) : null,
    scoreStride: 1,
    scoreColumn: 0,
    scale: 0.1,
    leafOfRow: new Int32Array(n),
  };
}

/** Categorical splits of a grown tree: how many send one category left, how many a set of them. */
function categoricalSplits(o: HistTreeOut): { single: number; sets: number } {
  let single = 0,
    sets = 0;
  for (let id = 0; id < o.numNodes[0]; id++) {
    if (!o.isCategorical[id]) continue;
    let bits = 0;
    for (let w = 0; w < 8; w++) for (let v = o.catBits[8 * id + w]; v; v >>>= 1) bits += v & 1;
    if (bits === 1) single++;
    else sets++;
  }
  return { single, sets };
}

function expectSameTree(got: HistGrowArgs, want: HistGrowArgs, what: string): void {
  for (const k of Object.keys(want.out) as (keyof HistTreeOut)[]) {
    expect(Array.from(got.out[k]), `${what}: ${k}`).toEqual(Array.from(want.out[k]));
  }
  expect(got.scores && Array.from(got.scores), `${what}: scores`).toEqual(want.scores && Array.from(want.scores));
  expect(Array.from(got.leafOfRow!), `${what}: leafOfRow`).toEqual(Array.from(want.leafOfRow!));
}

const n = 1500;
const bagged = Int32Array.from({ length: 1100 }, (_, i) => Math.floor((i * n) / 1100));
const cases: [string, Partial<HistTreeParams>, { rows?: Int32Array; allowed?: Uint8Array; monotone?: Int8Array; interaction?: Uint8Array }][] = [
  ['defaults', {}, {}],
  ['tiny leaves, no hessian floor, 255 leaves', { minDataInLeaf: 1, minSumHessianInLeaf: 0, maxLeaves: 255 }, {}],
  ['bagged rows, L1 and L2, minimum gain and rows to split', { lambdaL1: 2, lambdaL2: 1, minGainToSplit: 3, minDataToSplit: 100 }, { rows: bagged }],
  [
    'depth limit, per-node feature sampling, a feature left out',
    { maxDepth: 3, maxLeaves: 63, featureFractionByNode: 0.5, seed: 2 ** 31 - 1 },
    { allowed: Uint8Array.from([1, 1, 1, 1, 0, 1]) },
  ],
  ['one category against the rest', { maxCatToOnehot: 64, catSmooth: 1, catL2: 0 }, {}],
  ['monotonic constraints', { maxLeaves: 63, lambdaL2: 1 }, { monotone: Int8Array.from([1, -1, 0, 0, 1, 0]) }],
  // groups {0, 3}, {1, 2, 5}, {4, 5}: six features, three rows of flags
  [
    'interaction constraints, per-node sampling',
    { maxLeaves: 63, featureFractionByNode: 0.7 },
    { interaction: Uint8Array.from([1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1]) },
  ],
];
/** Extra trees' random thresholds (the CPU growers only: the device grows boosting trees). */
const randomCases: typeof cases = [
  ['random thresholds', { randomThresholds: 1, minDataInLeaf: 5 }, {}],
  ['random thresholds, bagged rows, per-node sampling', { randomThresholds: 1, featureFractionByNode: 0.5, maxLeaves: 63 }, { rows: bagged }],
];
const kinds: Kind[] = ['numeric', 'missing', 'categorical'];

describe('the js grower', () => {
  it('is what the js backend runs, and it splits: a real tree, rows routed to its leaves', async () => {
    const js = (await resolveKernels('hist', 'js', 0, 'test')).kernels;
    const a = growArgs('missing', n, 1, base);
    await js.grow(a);
    const nodes = a.out.numNodes[0];
    expect(nodes).toBe(2 * base.maxLeaves - 1); // this signal supports every split asked for
    let leafRows = 0;
    for (let id = 0; id < nodes; id++) if (a.out.feature[id] < 0) leafRows += a.out.count[id];
    expect(leafRows).toBe(n);
    for (let r = 0; r < n; r++) {
      const leaf = a.leafOfRow![r];
      expect(a.out.feature[leaf]).toBe(-1);
      expect(a.scores![2 * r + 1]).toBe(0.1 * a.out.value[leaf]);
    }
  });

  it('refuses inconsistent arguments with coded errors', async () => {
    const a = growArgs('numeric', 100, 2, base);
    expect(() => histGrowRef({ ...a, bins: a.bins.subarray(1) })).toThrow(code('E_SHAPE'));
    expect(() => histGrowRef({ ...a, rows: Int32Array.of(0, 100) })).toThrow(code('E_PARAM'));
    expect(() => histGrowRef({ ...a, channels: 2 })).toThrow(code('E_PARAM')); // quantised needs one channel
    expect(() => histGrowRef({ ...a, out: treeOut(4, 1) })).toThrow(code('E_SHAPE'));
    expect(() =>
      histGrowRef({ ...a, channels: 2, params: { ...base, quantized: 0 }, gradHess: new Float64Array(300), out: treeOut(base.maxLeaves, 2) }),
    ).toThrow(code('E_PARAM')); // scores: one channel
  });
});

describe.runIf(hasNative)("native trees equal the js grower's, node by node", () => {
  it('refuses row lists that leave [0, n), as the reference does', async () => {
    const { kernels } = await resolveKernels('hist', 'native', 0, 'test');
    const a = growArgs('numeric', 100, 2, base);
    for (const rows of [Int32Array.of(0, 100), Int32Array.of(5, -1, 7), Int32Array.of(-2147483648)]) {
      await expect(kernels.grow({ ...copyArgs(a), rows })).rejects.toThrow(code('E_PARAM'));
    }
    await expect(kernels.grow({ ...copyArgs(a), rows: Int32Array.of(0, 99) })).resolves.toBeUndefined();
  });

  for (const kind of kinds) {
    it(`${kind} data, quantised gradients`, async () => {
      const [js, native] = await Promise.all(['js', 'native'].map(async (b) => (await resolveKernels('hist', b as 'js', 0, 'test')).kernels));
      for (const [name, over, extra] of [...cases, ...randomCases]) {
        const want = growArgs(kind, n, 3, { ...base, ...over }, extra),
          got = copyArgs(want);
        await js.grow(want);
        await native.grow(got);
        expectSameTree(got, want, `${kind} / ${name}`);
        // The categorical data exercises both kinds of categorical split (else this test would prove less).
        if (kind === 'categorical' && name === 'defaults') expect(categoricalSplits(want.out).sets).toBeGreaterThan(0);
        if (kind === 'categorical' && name === 'one category against the rest') expect(categoricalSplits(want.out).single).toBeGreaterThan(0);
      }
    });
  }

  for (const channels of [1, 3]) {
    it(`float gradients, ${channels} channel${channels > 1 ? 's' : ''}: the same splits, values within f64 rounding`, async () => {
      const [js, native] = await Promise.all(['js', 'native'].map(async (b) => (await resolveKernels('hist', b as 'js', 0, 'test')).kernels));
      for (const kind of kinds) {
        // Scores are for single-channel trees (the binding refuses them otherwise).
        const scoreless = (a: HistGrowArgs) => (channels === 1 ? a : { ...a, scores: null });
        for (const randomThresholds of [0, 1]) {
          const want = scoreless(growArgs(kind, n, 4, { ...base, quantized: 0, randomThresholds }, { channels })),
            got = scoreless(copyArgs(want));
          await js.grow(want);
          await native.grow(got);
          const o = want.out,
            g = got.out,
            what = `${kind}, ${channels} channels, random thresholds ${randomThresholds}`;
          for (const k of ['feature', 'threshold', 'defaultLeft', 'isCategorical', 'catBits', 'left', 'right', 'count', 'depth', 'numNodes'] as const) {
            expect(Array.from(g[k]), `${what}: ${k}`).toEqual(Array.from(o[k]));
          }
          for (const k of ['value', 'gain', 'cover'] as const) {
            o[k].forEach((v, i) => expect(Math.abs(g[k][i] - v), `${what}: ${k}[${i}]`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v))));
          }
        }
      }
    });
  }

  // Past 65,536 leaves the native grower adds the leaf values to the scores through a 4-byte
  // leaf-of-row table instead of a 2-byte one; the leaf of each row comes from the leaves' row
  // lists apart from it. (The js grower takes a minute on a tree this large, so no comparison.)
  it('a tree of more than 65,536 leaves adds each row its own leaf value', async () => {
    const { kernels } = await resolveKernels('hist', 'native', 0, 'test');
    const a = growArgs('numeric', 80_000, 5, { ...base, quantized: 0, minDataInLeaf: 1, minSumHessianInLeaf: 0, maxLeaves: 70_000 });
    await kernels.grow(a);
    expect((a.out.numNodes[0] + 1) / 2).toBeGreaterThan(65_536);
    const bad = a.leafOfRow!.findIndex((leaf, r) => a.out.feature[leaf] !== -1 || a.scores![2 * r + 1] !== 0.1 * a.out.value[leaf] || a.scores![2 * r] !== 0);
    expect(bad, `row ${bad}`).toBe(-1);
  });

  // The partition places both sides by the split's left count: rows that disagree with it (here a
  // feature-major copy that does not hold the bins' values) are refused, never written past their side.
  it('refuses a feature-major copy that disagrees with the bins, inline and queued, with E_INTERNAL', async () => {
    const { kernels } = await resolveKernels('hist', 'native', 0, 'test');
    for (const rows of [6000, 400_000]) {
      const p = 2,
        bins = new Uint8Array(rows * p),
        columns = new Uint8Array(rows * p),
        gh = new Float64Array(2 * rows);
      for (let i = 0; i < rows; i++) {
        bins[i * p] = 1 + (i % 50);
        bins[i * p + 1] = 1 + (i % 7);
        columns[i] = 1 + ((i * 7) % 50); // feature 0 scrambled in the copy
        columns[rows + i] = bins[i * p + 1];
        gh[2 * i] = (i % 50) / 25 - 1;
        gh[2 * i + 1] = 1;
      }
      const args = () => plainArgs(bins, p, Int32Array.of(51, 8), gh, 1, { ...base, quantized: 0 });
      await expect(kernels.grow({ ...args(), columns }), `${rows} rows`).rejects.toThrow(code('E_INTERNAL'));
      await expect(kernels.grow(args()), `${rows} rows, no copy`).resolves.toBeUndefined();
    }
  });

  // The native grower reads the root of a tree on every row as the range 0..n-1 (no row list) and
  // compiles the histogram loop for each feature count up to 8: the same sums in the same order as
  // a list of those rows, so the trees must match bit for bit. Sizes reach the row-chunked
  // parallel build (n >= 16384) and, at 40 features, the feature-blocked one.
  it('a tree on every row equals the tree on the row list 0..n-1, bit for bit, whatever the feature count and histogram mode', async () => {
    const { kernels } = await resolveKernels('hist', 'native', 0, 'test');
    for (const [p, rows, channels, quantized] of [
      [1, 20000, 1, 0],
      [5, 40000, 1, 0],
      [8, 30000, 1, 1],
      [9, 20000, 1, 0],
      [6, 20000, 3, 0],
      [40, 20000, 1, 0],
    ] as const) {
      const rng = new Rng(p * 7 + channels),
        bins = new Uint8Array(rows * p),
        gh = new Float64Array(rows * (channels + 1));
      const binCount = Int32Array.from({ length: p }, (_, f) => [6, 200, 24, 256][f % 4]);
      for (let i = 0; i < rows; i++) {
        for (let f = 0; f < p; f++) bins[i * p + f] = rng.random() < 0.05 ? 0 : 1 + rng.int(binCount[f] - 1);
        const x = bins[i * p] / 2 - (p > 1 ? bins[i * p + 1] / 60 : 0) + (p > 2 && bins[i * p + 2] % 5 === 1 ? 2 : 0);
        for (let c = 0; c < channels; c++) gh[i * (channels + 1) + c] = Math.tanh(x - 2 + c) + 0.3 * rng.normal();
        gh[i * (channels + 1) + channels] = 0.05 + rng.random() / 4;
      }
      const args = () => plainArgs(bins, p, binCount, gh, channels, { ...base, quantized, minDataInLeaf: 50 });
      const range = args(),
        list = { ...args(), rows: Int32Array.from({ length: rows }, (_, i) => i) };
      await kernels.grow(range);
      await kernels.grow(list);
      const what = `${p} features, ${rows} rows, ${channels} channel(s), quantised ${quantized}`;
      expect(range.out.numNodes[0], what).toBeGreaterThanOrEqual(11); // a real tree: 6 leaves at least
      expectSameTree(list, range, what);
    }
  });

  it('gradient boosting on js equals gradient boosting on native (quantised): same trees, same predictions', async () => {
    const rng = new Rng(5),
      X: number[][] = [],
      y: number[] = [];
    for (let i = 0; i < 600; i++) {
      const a = rng.normal(),
        c = rng.int(9),
        d = rng.random() < 0.1 ? NaN : rng.random() * 4;
      X.push([a, c, d]);
      y.push(a + (c % 3 === 0 ? 1 : 0) - (Number.isNaN(d) ? 2 : Math.sin(d)) + 0.2 * rng.normal());
    }
    const opts = { nEstimators: 5, quantizedGradients: true, categoricalFeatures: [1], subsample: 0.8, randomState: 3 };
    const nat = await new GradientBoostingRegressor({ ...opts, backend: 'native' }).fit(X, y);
    const js = await new GradientBoostingRegressor({ ...opts, backend: 'js' }).fit(X, y);
    expect(js.ensemble.trees).toBe(5);
    for (const k of ['feature', 'threshold', 'flags', 'left', 'right'] as const) {
      expect(Array.from((js.ensemble as unknown as Record<string, ArrayLike<number>>)[k])).toEqual(
        Array.from((nat.ensemble as unknown as Record<string, ArrayLike<number>>)[k]),
      );
    }
    const a = await nat.predict(X),
      b = await js.predict(X);
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 10));
  });
});

describe.runIf(hasWebgpu)("webgpu trees equal the js grower's, node by node", () => {
  for (const kind of kinds) {
    it(`${kind} data, quantised gradients`, async () => {
      const js = (await resolveKernels('hist', 'js', 0, 'test')).kernels;
      const gpu = (await resolveKernels('hist', 'webgpu', 0, 'test')).kernels;
      for (const [name, over, extra] of cases) {
        const want = growArgs(kind, n, 3, { ...base, ...over }, extra),
          got = copyArgs(want);
        await js.grow(want);
        await gpu.grow(got);
        expectSameTree(got, want, `${kind} / ${name}`);
      }
    });
  }

  it('refuses random-threshold (extra) trees: the device grows boosting trees only', async () => {
    const gpu = (await resolveKernels('hist', 'webgpu', 0, 'test')).kernels;
    await expect(gpu.grow(growArgs('numeric', 200, 6, { ...base, randomThresholds: 1 }))).rejects.toThrow(code('E_BACKEND_LIMIT'));
  });

  it('says which backend runs each hist operation: the device grows and predicts, the fallback bins', async () => {
    const r = await resolveKernels('hist', 'webgpu', 0, 'test');
    const cpu = hasNative ? 'native' : 'js';
    expect(r.backend).toBe('webgpu');
    expect(r.ops.grow).toEqual(['webgpu']);
    expect(r.ops.predict).toEqual(['webgpu', cpu]);
    expect(r.ops.bin).toEqual([cpu]);
    expect(r.ops.gradients).toEqual([cpu]);
    expect(r.ops.quantize).toEqual([cpu]);
    // A mode the device does not grow is refused for an explicit 'webgpu' (never silently moved).
    const k: HistSyncKernels = r.kernels;
    await expect(k.grow(growArgs('numeric', 200, 6, { ...base, quantized: 0 }))).rejects.toThrow(code('E_BACKEND_LIMIT'));
    const clf = new GradientBoostingClassifier({ nEstimators: 1, backend: 'webgpu' });
    await expect(clf.fit([[1], [2], [3], [4]], [0, 1, 0, 1])).rejects.toThrow(code('E_BACKEND_LIMIT'));
  });
});

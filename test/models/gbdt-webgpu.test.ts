/**
 * Gradient boosting on WebGPU (src/backend/webgpu/hist/, shaders/hist.wgsl), on whatever
 * adapter is here (lavapipe in CI): with quantised gradients and the same seed, the WebGPU
 * engine grows the same trees as the native engine — features, thresholds, default directions,
 * categorical bitsets, gains, covers, counts and leaf values, compared exactly — for binary,
 * multiclass and regression losses, missing values, categoricals, row and feature subsampling;
 * per-split and level-batched rounds agree; data split over several dispatches agrees;
 * unsupported modes and device loss are KilnErrors. Forest prediction on the device (webgpu/forest.ts,
 * shaders/forest.wgsl) for f32 batches reaches the same leaves as native, with scores within f32
 * rounding, over one or many row windows; f64 and small inputs stay on the CPU.
 */
import { HIST_TREE_BASE } from '../helpers/hist-params.js';
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, GradientBoostingClassifier, GradientBoostingRegressor, Matrix, RandomForestClassifier, Rng } from '../../src/index.js';
import { resolveBackend, resolveKernels } from '../../src/backend/select.js';
import { HIST_NODE_CATEGORICAL, HIST_NODE_FEATURE_MASK, type HistForest, type HistGrowArgs, type HistTreeParams } from '../../src/backend/backend.js';
import { f32AtMost, forestGpuStats, orderKey } from '../../src/backend/webgpu/forest.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/backend.js';
import { histGpuStats } from '../../src/backend/webgpu/hist/index.js';
import type { TreeEnsemble } from '../../src/models/tree/ensemble.js';
import { treeOut } from '../../src/models/tree/engine.js';
import { hasNative, hasWebgpu } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });

afterAll(async () => {
  await dispose();
});

/** Three numerical features (one with missing values), one categorical with 12 codes, one with 40. */
function dataset(n: number, seed: number, opts: { missing?: boolean; classes?: number } = {}) {
  const rng = new Rng(seed),
    X: number[][] = [],
    y: number[] = [],
    v: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal(),
      b = rng.normal(),
      c = rng.int(12),
      d = rng.random() * 10,
      e = rng.int(40);
    const logit = 1.5 * a - b * b + (c % 3 === 0 ? 1 : -0.5) + (e % 7 === 2 ? 0.8 : 0) + Math.sin(d);
    X.push([opts.missing && rng.random() < 0.15 ? NaN : a, b, c, d, e]);
    const classes = opts.classes ?? 2;
    y.push(
      classes === 2 ? (rng.random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0) : Math.min(classes - 1, Math.max(0, Math.floor(logit + 1.5 + rng.normal() * 0.5))),
    );
    v.push(logit + 0.3 * rng.normal());
  }
  return { X, y, v };
}

/** Every node array of two ensembles, compared exactly. */
function expectSameTrees(a: TreeEnsemble, b: TreeEnsemble): void {
  expect(b.trees).toBe(a.trees);
  expect(b.nodes).toBe(a.nodes);
  const slice = (e: TreeEnsemble, k: keyof TreeEnsemble, len: number) => Array.from(e[k] as ArrayLike<number>).slice(0, len);
  for (const k of ['feature', 'threshold', 'flags', 'left', 'right', 'gain', 'cover', 'count'] as const) {
    expect(slice(b, k, b.nodes), k).toEqual(slice(a, k, a.nodes));
  }
  expect(slice(b, 'value', b.nodes * b.channels), 'value').toEqual(slice(a, 'value', a.nodes * a.channels));
  expect(slice(b, 'catBits', b.catUsed), 'catBits').toEqual(slice(a, 'catBits', a.catUsed));
  for (const k of ['roots', 'treeColumn', 'treeWeight'] as const) expect(slice(b, k, b.trees), k).toEqual(slice(a, k, a.trees));
}

async function withEnv<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe.runIf(hasWebgpu && hasNative)('gradient boosting on webgpu: the same trees as native', () => {
  it('binary log-loss with missing values and categorical features', async () => {
    const { X, y } = dataset(1500, 1, { missing: true });
    const opts = { nEstimators: 8, quantizedGradients: true, categoricalFeatures: [2, 4], randomState: 7 };
    const nat = await new GradientBoostingClassifier({ ...opts, backend: 'native' }).fit(X, y);
    const uploads = histGpuStats.binsUploads;
    const gpu = await new GradientBoostingClassifier({ ...opts, backend: 'webgpu' }).fit(X, y);
    expect(histGpuStats.binsUploads - uploads).toBe(1); // resident for the whole fit, not once per tree
    expectSameTrees(nat.ensemble, gpu.ensemble);
    expect(gpu.ensemble.flags.slice(0, gpu.ensemble.nodes).some((f) => (f & 2) !== 0)).toBe(true); // categorical splits happened
    expect(Array.from((await gpu.predictProba(X)).data)).toEqual(Array.from((await nat.predictProba(X)).data));
    expect(gpu.evalHistory.train).toEqual(nat.evalHistory.train);
  });

  it('multiclass softmax (one tree per class per round)', async () => {
    const { X, y } = dataset(1200, 2, { classes: 3 });
    const opts = { nEstimators: 5, quantizedGradients: true, categoricalFeatures: [2], maxLeaves: 15, randomState: 3 };
    const nat = await new GradientBoostingClassifier({ ...opts, backend: 'native' }).fit(X, y);
    const gpu = await new GradientBoostingClassifier({ ...opts, backend: 'webgpu' }).fit(X, y);
    expect(gpu.ensemble.trees).toBe(15);
    expectSameTrees(nat.ensemble, gpu.ensemble);
  });

  it('regression: squared error, Huber and absolute error (leaf refits from leafOfRow), with L1/L2', async () => {
    const { X, v } = dataset(1200, 3, { missing: true });
    for (const extra of [{ loss: 'squared_error' as const, lambdaL2: 2 }, { loss: 'huber' as const, lambdaL1: 0.5 }, { loss: 'absolute_error' as const }]) {
      const opts = { nEstimators: 5, quantizedGradients: true, categoricalFeatures: [4], maxCatToOnehot: 8, randomState: 11, ...extra };
      const nat = await new GradientBoostingRegressor({ ...opts, backend: 'native' }).fit(X, v);
      const gpu = await new GradientBoostingRegressor({ ...opts, backend: 'webgpu' }).fit(X, v);
      expectSameTrees(nat.ensemble, gpu.ensemble);
    }
  });

  it('row subsets (subsample < 1), feature fractions per tree and per node, depth limit, early stopping', async () => {
    const { X, y } = dataset(1500, 4, { missing: true });
    const opts = {
      nEstimators: 12,
      quantizedGradients: true,
      categoricalFeatures: [2],
      subsample: 0.7,
      featureFraction: 0.8,
      featureFractionByNode: 0.7,
      maxDepth: 5,
      maxLeaves: 24,
      earlyStoppingRounds: 3,
      randomState: 5,
    };
    const nat = await new GradientBoostingClassifier({ ...opts, backend: 'native' }).fit(X, y);
    const gpu = await new GradientBoostingClassifier({ ...opts, backend: 'webgpu' }).fit(X, y);
    expectSameTrees(nat.ensemble, gpu.ensemble);
    expect(gpu.bestIteration).toBe(nat.bestIteration);
    expect(gpu.evalHistory.valid).toEqual(nat.evalHistory.valid);
  });

  it('GOSS: the same sampled rows and trees as native (top rows and drawn rows in two runs)', async () => {
    const { X, y } = dataset(1500, 7, { missing: true });
    // learningRate 0.25: sampling from round 4 of 12.
    const opts = {
      nEstimators: 12,
      learningRate: 0.25,
      quantizedGradients: true,
      categoricalFeatures: [2],
      dataSampleStrategy: 'goss' as const,
      randomState: 6,
    };
    const nat = await new GradientBoostingClassifier({ ...opts, backend: 'native' }).fit(X, y);
    const gpu = await new GradientBoostingClassifier({ ...opts, backend: 'webgpu' }).fit(X, y);
    expectSameTrees(nat.ensemble, gpu.ensemble);
    expect(nat.ensemble.count[nat.ensemble.roots[8]]).toBeLessThan(1500 * 0.45); // grown from a sample
  });

  it('grows the same tree per split, per level batch and with host-side search; level batches need fewer readbacks', async () => {
    const { X, y } = dataset(1500, 6, { missing: true });
    const opts = { nEstimators: 3, quantizedGradients: true, categoricalFeatures: [2, 4], maxLeaves: 31, minDataInLeaf: 5, randomState: 9 };
    const nat = await new GradientBoostingClassifier({ ...opts, backend: 'native' }).fit(X, y);
    const count = async (env: Record<string, string>) =>
      withEnv(env, async () => {
        const before = histGpuStats.readbacks;
        const m = await new GradientBoostingClassifier({ ...opts, backend: 'webgpu' }).fit(X, y);
        expectSameTrees(nat.ensemble, m.ensemble);
        return histGpuStats.readbacks - before;
      });
    const level = await count({});
    const perSplit = await count({ KILN_WEBGPU_HIST_EXPAND: '1' });
    await count({ KILN_WEBGPU_HIST_SEARCH: 'host' });
    // per split: one readback per split plus the root's and the routing pass, per tree
    expect(perSplit).toBeGreaterThanOrEqual(3 * 30);
    expect(level).toBeLessThan(perSplit * 0.75);
  });

  it('splits large data over several dispatches (binding windows, histogram pages, feature groups) with the same trees', async () => {
    const { X, y } = dataset(7000, 8, { missing: true });
    const opts = { nEstimators: 3, quantizedGradients: true, categoricalFeatures: [2, 4], subsample: 0.9, randomState: 2 };
    const nat = await new GradientBoostingClassifier({ ...opts, backend: 'native' }).fit(X, y);
    // With 24 KiB bindings: bins (7000 rows x 8 bytes = 56 KB) span 3 windows, row indices and gradients
    // (6300 x 4 bytes) 2; a leaf histogram (~820 bins x 20 bytes) fills a binding alone, so the pool
    // spans one page per slot; workgroup histograms of 256 bins put each wide feature in its own group.
    await withEnv({ KILN_WEBGPU_MAX_BINDING_BYTES: String(24 * 1024), KILN_WEBGPU_HIST_WG_SLOTS: '256' }, async () => {
      const gpu = await new GradientBoostingClassifier({ ...opts, backend: 'webgpu' }).fit(X, y);
      expectSameTrees(nat.ensemble, gpu.ensemble);
    });
  });
});

describe.runIf(hasWebgpu && hasNative)('webgpu histGrow against native histGrow', () => {
  const base = HIST_TREE_BASE;

  function treeArgs(n: number, p: number, seed: number, params: HistTreeParams, rows: Int32Array | null): HistGrowArgs {
    const rng = new Rng(seed);
    const binCount = Int32Array.from({ length: p }, (_, f) => [17, 9, 256, 5, 33, 2, 64, 12][f % 8]);
    const categorical = Uint8Array.from({ length: p }, (_, f) => (f % 8 === 3 || f % 8 === 7 ? 1 : 0));
    const bins = new Uint8Array(n * p),
      gh = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < p; f++) bins[i * p + f] = rng.random() < 0.1 ? 0 : 1 + rng.int(binCount[f] - 1);
      const x = bins[i * p] + (bins[i * p + 3] === 2 ? 5 : 0) - bins[i * p + 2] / 30 + (bins[i * p + 7] % 3);
      gh[2 * i] = Math.tanh(x - 8) + 0.3 * rng.normal();
      gh[2 * i + 1] = rng.random() < 0.05 ? 0 : 0.2 + rng.random(); // some zero hessians
    }
    return {
      bins,
      n,
      p,
      binCount,
      categorical,
      gradHess: gh,
      channels: 1,
      rows,
      featureAllowed: null,
      params,
      out: treeOut(params.maxLeaves, 1),
      scores: new Float64Array(2 * n),
      scoreStride: 2,
      scoreColumn: 1,
      scale: 0.1,
      leafOfRow: new Int32Array(n),
    };
  }

  it('edge parameters: tiny leaves and zero hessian floors, stumps, minimum gain, min data to split, bagged rows', async () => {
    const native = (await resolveKernels('hist', 'native', 0, 'test')).kernels,
      gpu = (await resolveKernels('hist', 'webgpu', 0, 'test')).kernels;
    const cases: [Partial<HistTreeParams>, boolean][] = [
      [{ minDataInLeaf: 1, minSumHessianInLeaf: 0, maxLeaves: 255 }, false],
      [{ maxLeaves: 2 }, false],
      [{ minGainToSplit: 5, minDataToSplit: 100, lambdaL1: 2, lambdaL2: 1 }, true],
      [{ maxDepth: 3, maxLeaves: 63, featureFractionByNode: 0.5, seed: 2 ** 31 - 1 }, true],
    ];
    for (const [over, bagged] of cases) {
      const params = { ...base, ...over };
      const n = 2000;
      const rows = bagged ? Int32Array.from({ length: 1300 }, (_, i) => Math.floor((i * n) / 1300)) : null;
      const a = treeArgs(n, 8, 5, params, rows),
        b = treeArgs(n, 8, 5, params, rows);
      await native.grow(a);
      await gpu.grow(b);
      for (const k of Object.keys(a.out) as (keyof typeof a.out)[]) expect(Array.from(b.out[k]), `${JSON.stringify(over)} ${k}`).toEqual(Array.from(a.out[k]));
      expect(Array.from(b.scores!)).toEqual(Array.from(a.scores!));
      expect(Array.from(b.leafOfRow!)).toEqual(Array.from(a.leafOfRow!));
    }
  });
});

describe.runIf(hasWebgpu)('gradient boosting on webgpu: limits and errors', () => {
  it('modes the WebGPU engine does not run are E_BACKEND_LIMIT errors that name the fix', async () => {
    const { X, y } = dataset(200, 9);
    const err = await new GradientBoostingClassifier({ nEstimators: 2, backend: 'webgpu' }).fit(X, y).catch((e) => e);
    expect(err).toEqual(code('E_BACKEND_LIMIT'));
    expect(String(err.message)).toMatch(/quantizedGradients: true/);
    expect(String(err.message)).toMatch(/native/);
    await expect(new RandomForestClassifier({ nEstimators: 2, backend: 'webgpu' }).fit(X, y)).rejects.toThrowError(code('E_BACKEND_LIMIT'));
  });

  it.runIf(hasNative)('a device lost mid-tree is E_DEVICE_LOST; the estimator then refits on native, and on a new device', async () => {
    const { X, y } = dataset(800, 10);
    const opts = { nEstimators: 3, quantizedGradients: true, randomState: 1 };
    const backend = (await resolveBackend('webgpu', 0)) as WebGpuBackend;
    const r = await backend.runner();
    const read = r.read.bind(r);
    let calls = 0;
    r.read = async (src, bytes) => {
      if (++calls === 3) r.ctx.device.destroy(); // in the middle of the first tree
      return read(src, bytes);
    };
    const model = new GradientBoostingClassifier({ ...opts, backend: 'webgpu' });
    await expect(model.fit(X, y)).rejects.toThrowError(code('E_DEVICE_LOST'));
    const nat = await model.setParams({ backend: 'native' }).fit(X, y);
    const again = await new GradientBoostingClassifier({ ...opts, backend: 'webgpu' }).fit(X, y);
    expect(await backend.runner()).not.toBe(r);
    expectSameTrees(nat.ensemble, again.ensemble);
  });
});

describe.runIf(hasWebgpu && hasNative)('forest prediction on the webgpu device (f32 inputs, large batches)', () => {
  /** f32 rows of dataset() with edge values: unseen, negative, fractional and non-finite codes; ±∞; exact thresholds. */
  function rows32(n: number, seed: number, forest: HistForest): Float32Array {
    const { X } = dataset(n, seed, { missing: true });
    const x = Float32Array.from(X.flat());
    const words = new Int32Array(forest.nodes.buffer, forest.nodes.byteOffset, forest.nodes.length * 2);
    const splits: [number, number][] = [];
    for (let j = 0; j < forest.nodes.length / 2; j++) {
      const w = words[4 * j + 2];
      if (w >= 0 && (w & HIST_NODE_CATEGORICAL) === 0) splits.push([w & HIST_NODE_FEATURE_MASK, forest.nodes[2 * j]]);
    }
    const rng = new Rng(seed + 1),
      odd = [12, 13, 39, 40, 63, 64, 1000, 1e9, -1, -0, 2.5, Infinity, -Infinity, NaN];
    const ulp = (v: number, d: number) => {
      const f = new Float32Array([v]);
      new Int32Array(f.buffer)[0] += f[0] >= 0 ? d : -d;
      return f[0];
    };
    for (let i = 0; i < n; i++) {
      const r = rng.random();
      if (r < 0.1) x[i * 5 + (rng.random() < 0.5 ? 2 : 4)] = odd[rng.int(odd.length)];
      else if (r < 0.15) x[i * 5 + [0, 1, 3][rng.int(3)]] = [Infinity, -Infinity, NaN, -0][rng.int(4)];
      else if (r < 0.4 && splits.length) {
        // a split's threshold as an f32, and its f32 neighbours
        const [f, t] = splits[rng.int(splits.length)];
        x[i * 5 + f] = ulp(Math.fround(t), rng.int(3) - 1);
      }
    }
    return x;
  }

  async function both(forest: HistForest, x: Float32Array | Float64Array, n: number, outCols: number, env: Record<string, string> = {}) {
    const native = (await resolveKernels('hist', 'native', 0, 'test')).kernels,
      gpu = (await resolveKernels('hist', 'webgpu', 0, 'test')).kernels;
    const trees = forest.roots.length;
    const run = async (b: typeof native) => {
      const out = new Float64Array(n * outCols).fill(0.25),
        leafIndex = new Int32Array(n * trees);
      await b.predict({ x, n, p: 5, forest, treeBegin: 0, treeEnd: trees, out, outCols, leafIndex });
      return { out, leafIndex };
    };
    const nat = await run(native);
    const before = { ...forestGpuStats };
    const dev = await withEnv({ KILN_WEBGPU_FOREST_MIN_WORK: '1', ...env }, () => run(gpu));
    return { nat, dev, dispatches: forestGpuStats.dispatches - before.dispatches, windows: forestGpuStats.windows - before.windows };
  }

  /**
   * Same leaves exactly; scores within f32 rounding: each tree adds f32(weight)·f32(value) to an f32
   * sum, so |device − native| ≤ (trees + 4)·2⁻²⁴·Σ|weight·value| per (row, column).
   */
  function expectClose(forest: HistForest, n: number, outCols: number, r: Awaited<ReturnType<typeof both>>) {
    const trees = forest.roots.length,
      C = forest.channels;
    expect(r.dev.leafIndex).toEqual(r.nat.leafIndex);
    const mass = new Float64Array(n * outCols);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < trees; t++) {
        const leaf = r.nat.leafIndex[i * trees + t];
        for (let c = 0; c < C; c++) mass[i * outCols + forest.treeColumn[t] + c] += Math.abs(forest.treeWeight[t] * forest.value[leaf * C + c]);
      }
    let worst = 0;
    for (let i = 0; i < n * outCols; i++) {
      const err = Math.abs(r.dev.out[i] - r.nat.out[i]),
        tol = (trees + 4) * 2 ** -24 * mass[i] + 1e-300;
      worst = Math.max(worst, err / tol);
    }
    expect(worst).toBeLessThanOrEqual(1);
  }

  it('thresholds: the largest f32 not above the f64 threshold, ordered by integer keys', () => {
    const max = 3.4028234663852886e38,
      tiny = 2 ** -149;
    const cases: [number, number][] = [
      [Infinity, Infinity],
      [1e300, max],
      [max, max],
      [-1e300, -Infinity],
      [-Infinity, -Infinity],
      [-max, -max],
      [0, 0],
      [-0, -0],
      [1e-50, 0],
      [-1e-50, -tiny],
      [0.1, 0.09999999403953552],
      [-0.1, -0.10000000149011612],
      [1.5, 1.5],
    ];
    for (const [t, want] of cases) expect(Object.is(f32AtMost(t), want), `${t}`).toBe(true);
    const vals = [-Infinity, -max, -1, -tiny, -0, 0, tiny, 1, max, Infinity];
    for (const a of vals) for (const b of vals) expect(orderKey(a) <= orderKey(b), `${a} <= ${b}`).toBe(a <= b);
  });

  it('multiclass gradient boosting with categoricals and NaNs: same leaves, scores within f32 rounding', async () => {
    const { X, y } = dataset(1500, 12, { missing: true, classes: 3 });
    const model = await new GradientBoostingClassifier({ nEstimators: 8, categoricalFeatures: [2, 4], randomState: 4, backend: 'native' }).fit(X, y);
    const forest = model.ensemble.forest(),
      n = 5000;
    expect(forest.roots.length).toBe(24);
    expect(Array.from(model.ensemble.flags.slice(0, model.ensemble.nodes)).some((f) => (f & 2) !== 0)).toBe(true);
    const x = rows32(n, 13, forest);
    const r = await both(forest, x, n, 3);
    expect(r.dispatches).toBeGreaterThan(0);
    expectClose(forest, n, 3, r);
    // the model's own probabilities on webgpu: the device path, f32-close to native's
    const X32 = new Matrix(x, n, 5);
    const natP = (await model.predictProba(X32)).data;
    const before = forestGpuStats.dispatches;
    const gpuP = await withEnv({ KILN_WEBGPU_FOREST_MIN_WORK: '1' }, async () => (await model.setParams({ backend: 'webgpu' }).predictProba(X32)).data);
    expect(forestGpuStats.dispatches).toBeGreaterThan(before);
    let worst = 0;
    for (let i = 0; i < natP.length; i++) worst = Math.max(worst, Math.abs(gpuP[i] - natP[i]));
    expect(worst).toBeLessThan(1e-5);
  });

  it('a random forest with several channels per tree, over several row windows', async () => {
    const { X, y } = dataset(1200, 14, { missing: true, classes: 4 });
    const model = await new RandomForestClassifier({ nEstimators: 20, maxDepth: 8, categoricalFeatures: [2], randomState: 2, backend: 'native' }).fit(X, y);
    const forest = model.ensemble.forest(),
      n = 3000,
      outCols = model.ensemble.outputs;
    expect(forest.channels).toBeGreaterThan(1);
    const x = rows32(n, 15, forest);
    const whole = await both(forest, x, n, outCols);
    expect(whole.windows).toBe(1);
    expectClose(forest, n, outCols, whole);
    // bindings just large enough for the forest: x, scores and leaves span many windows
    const limit = Math.ceil(Math.max(forest.nodes.length * 8, forest.value.length * 4) / 256) * 256;
    const split = await both(forest, x, n, outCols, { KILN_WEBGPU_MAX_BINDING_BYTES: String(limit) });
    expect(split.windows).toBeGreaterThan(2);
    expect(split.dev.leafIndex).toEqual(whole.dev.leafIndex);
    expect(split.dev.out).toEqual(whole.dev.out);
  });

  it('f64 inputs, small batches and forests over a binding stay on the CPU and match native exactly', async () => {
    const { X, y } = dataset(800, 16, { missing: true, classes: 3 });
    const model = await new GradientBoostingClassifier({ nEstimators: 6, categoricalFeatures: [2, 4], randomState: 1, backend: 'native' }).fit(X, y);
    const forest = model.ensemble.forest(),
      n = 1000;
    const x64 = Float64Array.from(rows32(n, 17, forest), (v, i) => (i % 7 === 0 ? v + 1e-9 : v));
    for (const [x, env] of [
      [x64, {}],
      [Float32Array.from(x64), { KILN_WEBGPU_FOREST_MIN_WORK: String(n * 18 + 1) }],
      [Float32Array.from(x64), { KILN_WEBGPU_MAX_BINDING_BYTES: '1024' }],
    ] as const) {
      const r = await both(forest, x, n, 3, env);
      expect(r.dispatches).toBe(0);
      expect(r.dev.leafIndex).toEqual(r.nat.leafIndex);
      expect(r.dev.out).toEqual(r.nat.out);
    }
  });

  it('a device lost during prediction is E_DEVICE_LOST; the next call runs on a new device', async () => {
    const { X, y } = dataset(600, 18, { classes: 3 });
    const model = await new GradientBoostingClassifier({ nEstimators: 6, randomState: 1, backend: 'native' }).fit(X, y);
    const forest = model.ensemble.forest(),
      n = 500;
    const x = rows32(n, 19, forest);
    const backend = (await resolveBackend('webgpu', 0)) as WebGpuBackend;
    const r = await backend.runner();
    const read = r.read.bind(r);
    r.read = async (src, bytes) => {
      r.ctx.device.destroy();
      return read(src, bytes);
    };
    const args = { x, n, p: 5, forest, treeBegin: 0, treeEnd: 18, out: new Float64Array(n * 3), outCols: 3, leafIndex: null };
    await withEnv({ KILN_WEBGPU_FOREST_MIN_WORK: '1' }, async () => {
      await expect(backend.histDevice.predict(args)).rejects.toThrowError(code('E_DEVICE_LOST'));
      const again = await both(forest, x, n, 3);
      expect(await backend.runner()).not.toBe(r);
      expectClose(forest, n, 3, again);
    });
  });
});

describe.runIf(hasNative)('quantised gradients: the native kernel and the TypeScript copy agree', () => {
  it('same integers, sums and scales for all rows and for a row subset', async () => {
    const { quantizeGradientsJs } = await import('../../src/backend/hist/quantize.js');
    const { nativeQuantizer } = await import('../../src/backend/native/hist.js');
    const { nativeAddon } = await import('../../src/backend/native/index.js');
    const quantizeGradients = nativeQuantizer(nativeAddon());
    const n = 5000,
      gh = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      gh[2 * i] = Math.sin(i) * 3;
      gh[2 * i + 1] = 0.01 + Math.abs(Math.cos(i)) / 4;
    }
    const rows = Int32Array.from({ length: 1700 }, (_, j) => j * 2 + 5);
    for (const r of [null, rows]) {
      const a = quantizeGradients(gh, r, n, 123456),
        aGh = Array.from(a.gh);
      const b = quantizeGradientsJs(gh, r, n, 123456);
      expect(aGh).toEqual(Array.from(b.gh));
      expect([a.G, a.H, a.gScale, a.hScale]).toEqual([b.G, b.H, b.gScale, b.hScale]);
    }
  });
});

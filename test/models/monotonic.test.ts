/**
 * monotonicConstraints on the boosting models, held by their invariant on every backend:
 * along each constrained feature, on a grid with the other features fixed at sampled rows, the
 * predictions never move against the constraint (exactly: every tree is monotone and float
 * addition keeps order), while the unconstrained model on the same data does. The constrained
 * split search itself is compared node by node across backends (webgpu's included) in
 * test/backend/hist-grow.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor, Rng } from '../../src/index.js';
import { available, hasWebgpu } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });
const cpu = available.filter((b) => b !== 'webgpu') as ('native' | 'js')[];

/** y rises with x0 and falls with x1 overall, with wiggles against both; x2 is free. */
function data(n: number, seed: number) {
  const rng = new Rng(seed),
    X: number[][] = [],
    v: number[] = [],
    y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.random() * 4,
      b = rng.random() * 4,
      c = rng.normal();
    X.push([a, b, c]);
    const t = a + Math.sin(4 * a) - b - 0.8 * Math.cos(5 * b) + c + 0.3 * rng.normal();
    v.push(Math.exp(t / 3));
    y.push(t > 0 ? 1 : 0);
  }
  return { X, v, y };
}

/** The largest move against the constraint along each constrained feature (0 when monotone). */
async function violation(predict: (X: number[][]) => Promise<ArrayLike<number>>, X: number[][], constraints: number[]): Promise<number> {
  let worst = 0;
  for (const [f, dir] of constraints.entries()) {
    if (dir === 0) continue;
    for (const base of X.slice(0, 25)) {
      const grid = Array.from({ length: 81 }, (_, i) => base.map((x, j) => (j === f ? -0.5 + (i * 5) / 80 : x)));
      const p = await predict(grid);
      for (let i = 1; i < p.length; i++) worst = Math.max(worst, dir * (p[i - 1] - p[i]));
    }
  }
  return worst;
}

const CONSTRAINTS = [1, -1, 0];

describe('monotonicConstraints hold on every CPU backend', () => {
  const { X, v, y } = data(1500, 4);
  for (const backend of cpu) {
    for (const [name, make, target] of [
      ['regressor, squared error', (m: number[] | null) => new GradientBoostingRegressor({ nEstimators: 40, monotonicConstraints: m, backend }), v],
      ['regressor, poisson', (m: number[] | null) => new GradientBoostingRegressor({ loss: 'poisson', nEstimators: 40, monotonicConstraints: m, backend }), v],
      [
        'regressor, quantised gradients, L2',
        (m: number[] | null) => new GradientBoostingRegressor({ nEstimators: 30, quantizedGradients: true, lambdaL2: 1, monotonicConstraints: m, backend }),
        v,
      ],
      ['binary classifier (probabilities)', (m: number[] | null) => new GradientBoostingClassifier({ nEstimators: 40, monotonicConstraints: m, backend }), y],
    ] as const) {
      it(`${backend}: ${name}`, async () => {
        const predict = (m: GradientBoostingRegressor | GradientBoostingClassifier) => async (G: number[][]) =>
          m instanceof GradientBoostingClassifier ? (await m.predictProba(G)).data.filter((_, i) => i % 2 === 1) : m.predict(G);
        const free = await make(null).fit(X, target as number[]);
        expect(await violation(predict(free), X, CONSTRAINTS)).toBeGreaterThan(0); // the data pulls against the constraint
        const held = await make(CONSTRAINTS).fit(X, target as number[]);
        expect(await violation(predict(held), X, CONSTRAINTS)).toBe(0);
        // still a model of the data: it tracks the target about as well as the free one
        if (held instanceof GradientBoostingRegressor) expect(await held.score(X, v)).toBeGreaterThan(0.5);
      });
    }
  }
});

describe.runIf(hasWebgpu)("monotonicConstraints hold on webgpu (quantised gradients), with native's trees", () => {
  it('regressor: monotone on the grid, the same trees as native', async () => {
    const { X, v } = data(1500, 4);
    const opts = { nEstimators: 15, quantizedGradients: true, lambdaL2: 1, monotonicConstraints: CONSTRAINTS };
    const gpu = await new GradientBoostingRegressor({ ...opts, backend: 'webgpu' }).fit(X, v);
    expect(await violation((G) => gpu.predict(G), X, CONSTRAINTS)).toBe(0);
    if (cpu.includes('native')) {
      const nat = await new GradientBoostingRegressor({ ...opts, backend: 'native' }).fit(X, v);
      expect(JSON.parse(JSON.stringify(gpu.ensemble))).toEqual(JSON.parse(JSON.stringify(nat.ensemble)));
    }
  });
});

describe("monotonicConstraints against scikit-learn's monotonic_cst", () => {
  it('ten rounds on the objectives fixture data: the same predictions (scikit-learn sums in f32)', async () => {
    const fx = JSON.parse(readFileSync(new URL('../fixtures/sklearn/objectives.json', import.meta.url), 'utf8'));
    const m = fx.monotonic as { constraints: number[]; rounds: number; y: number[]; pred: number[] };
    const Xtr = fx.X.slice(0, fx.n_train),
      Xte = fx.X.slice(fx.n_train);
    for (const backend of cpu) {
      const k = await new GradientBoostingRegressor({ nEstimators: m.rounds, monotonicConstraints: m.constraints, backend }).fit(Xtr, m.y.slice(0, fx.n_train));
      const p = await k.predict(Xte);
      p.forEach((v, i) => expect(Math.abs(v - m.pred[i])).toBeLessThan(1e-6));
    }
    // without the constraints the model is another one: the fixture tests the rule, not the data
    const free = await new GradientBoostingRegressor({ nEstimators: m.rounds }).fit(Xtr, m.y.slice(0, fx.n_train));
    const pf = await free.predict(Xte);
    expect(Math.max(...Array.from(pf, (v, i) => Math.abs(v - m.pred[i])))).toBeGreaterThan(0.1);
  });
});

describe('monotonicConstraints: refusals', () => {
  const { X, v, y } = data(100, 1);
  it('refuses what the constraints cannot hold, with E_PARAM', async () => {
    await expect(new GradientBoostingRegressor({ monotonicConstraints: [1, 0] }).fit(X, v)).rejects.toThrow(/2 entries but X has 3/);
    await expect(new GradientBoostingRegressor({ monotonicConstraints: [1, 0, 0], loss: 'quantile' }).fit(X, v)).rejects.toThrow(code('E_PARAM'));
    await expect(
      new GradientBoostingRegressor({ monotonicConstraints: [1, 0, 0], categoricalFeatures: [0] }).fit(
        X.map(([a, b, c]) => [Math.floor(a), b, c]),
        v,
      ),
    ).rejects.toThrow(/feature 0 is categorical/);
    const multi = y.map((c, i) => (i % 3 === 0 ? 2 : c));
    await expect(new GradientBoostingClassifier({ monotonicConstraints: [1, 0, 0] }).fit(X, multi)).rejects.toThrow(/multiclass/);
    expect(() => new GradientBoostingRegressor({ monotonicConstraints: [2, 0, 0] })).toThrow(code('E_PARAM'));
  });
});

/**
 * interactionConstraints on the boosting models: every root-to-leaf path of every tree splits only
 * on features of one group (features in no group forming one more), on every backend; ten rounds
 * score within 2% of scikit-learn 1.2's HistGradientBoostingRegressor(interaction_cst) on held-out
 * rows (fixture from test/fixtures-scripts/gen_objectives.py); the search is compared node by node across
 * backends in test/backend/hist-grow.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor, meanSquaredError, type TreeEnsemble } from '../../src/index.js';
import { available } from '../helpers/backends.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/sklearn/objectives.json', import.meta.url), 'utf8'));
const it0 = fx.interaction as { groups: number[][]; rounds: number; y: number[]; pred: number[] };
const code = (c: string) => expect.objectContaining({ code: c });
const Xtr: number[][] = fx.X.slice(0, fx.n_train),
  ytr = it0.y.slice(0, fx.n_train);

/** The feature sets of every root-to-leaf path of every tree. */
function pathFeatures(e: TreeEnsemble): Set<number>[] {
  const t = JSON.parse(JSON.stringify(e)) as { roots: number[]; feature: number[]; left: number[]; right: number[] };
  const out: Set<number>[] = [];
  const walk = (node: number, used: Set<number>) => {
    if (t.feature[node] < 0 || t.left[node] < 0) return void out.push(used);
    const next = new Set(used).add(t.feature[node]);
    walk(t.left[node], next);
    walk(t.right[node], next);
  };
  for (const r of t.roots) walk(r, new Set());
  return out;
}

const GROUPS = [[0, 1], [2, 3], [4]];
const inOneGroup = (s: Set<number>) => GROUPS.some((g) => [...s].every((f) => g.includes(f)));

describe('interactionConstraints', () => {
  for (const backend of available) {
    it(`${backend}: every path stays inside one group`, async () => {
      const opts = { nEstimators: 8, interactionConstraints: it0.groups, backend, quantizedGradients: backend === 'webgpu' };
      for (const m of [
        await new GradientBoostingRegressor(opts).fit(Xtr, ytr),
        await new GradientBoostingClassifier(opts).fit(
          Xtr,
          ytr.map((v) => (v > 0 ? 1 : 0)),
        ),
      ]) {
        const paths = pathFeatures(m.ensemble);
        expect(paths.some((s) => s.size >= 2)).toBe(true); // interactions within a group do happen
        for (const s of paths) expect(inOneGroup(s), [...s].join(',')).toBe(true);
      }
      if (backend !== 'webgpu') {
        // the free model does cross the groups on this target
        const free = await new GradientBoostingRegressor({ nEstimators: 8, backend }).fit(Xtr, ytr);
        expect(pathFeatures(free.ensemble).some((s) => !inOneGroup(s))).toBe(true);
      }
    });
  }

  // scikit-learn sums gradients in f32: near-tied cuts can fall the other way, so held-out errors are compared, not trees.
  it("ten rounds: held-out squared error within 2% of scikit-learn's interaction_cst model", async () => {
    const Xte: number[][] = fx.X.slice(fx.n_train),
      yte = it0.y.slice(fx.n_train);
    const sk = meanSquaredError(yte, it0.pred);
    for (const backend of available.filter((b) => b !== 'webgpu')) {
      const m = await new GradientBoostingRegressor({ nEstimators: it0.rounds, interactionConstraints: it0.groups, backend }).fit(Xtr, ytr);
      expect(Math.abs(meanSquaredError(yte, await m.predict(Xte)) - sk) / sk).toBeLessThan(0.02);
    }
  });

  it('refuses a feature index outside X', async () => {
    await expect(new GradientBoostingRegressor({ interactionConstraints: [[0, 7]] }).fit(Xtr, ytr)).rejects.toThrow(code('E_PARAM'));
    expect(() => new GradientBoostingRegressor({ interactionConstraints: [[-1]] })).toThrow(code('E_PARAM'));
  });
});

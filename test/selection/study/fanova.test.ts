/**
 * fANOVA importances: the tree decomposition equals Optuna 3.1's _FanovaTree on scikit-learn trees
 * (test/fixtures/optuna/gen_fanova.py → fanova.json) and a hand-made tree's closed form; on whole
 * studies, a parameter that explains all the variance gets nearly all the importance and an
 * additive objective's shares match a²·var(x) / Σ.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStudy, paramImportances, RandomSampler } from '../../../src/index.js';
import { FanovaTree } from '../../../src/selection/study/fanova.js';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/optuna/fanova.json', import.meta.url), 'utf8'));

describe('FanovaTree', () => {
  it('a hand-made tree: variance and marginals in closed form', () => {
    // x <= 0.5 → 0; else y <= 0.5 → 1, else 3 (box [0,1]²)
    const t = new FanovaTree(
      { feature: [0, -1, 1, -1, -1], threshold: [0.5, 0, 0.5, 0, 0], left: [1, -1, 3, -1, -1], right: [2, -1, 4, -1, -1], value: [0, 0, 0, 1, 3] },
      [
        [0, 1],
        [0, 1],
      ],
    );
    expect(t.variance).toBeCloseTo(1.5, 14); // E = 1, E[f²] = 0.25 + 0.25·9 = 2.5
    expect(t.marginalVariance([0])).toBeCloseTo(1, 14); // marginal in x: 0 or 2
    expect(t.marginalVariance([1])).toBeCloseTo(0.25, 14); // marginal in y: 0.5 or 1.5
  });

  expect(fx.optuna).toBe('3.1.0');
  for (const c of fx.cases) {
    it(`= Optuna 3.1 on the scikit-learn tree '${c.name}'`, () => {
      const t = new FanovaTree(c, c.bounds);
      expect(Math.abs(t.variance - c.variance)).toBeLessThanOrEqual(1e-12 * c.variance);
      c.groups.forEach((g: number[], k: number) => {
        expect(Math.abs(t.marginalVariance(g) - c.marginalVariance[k]), `group ${g}`).toBeLessThanOrEqual(1e-12 * Math.max(1, c.marginalVariance[k]));
      });
    });
  }
});

describe("paramImportances({ evaluator: 'fanova' })", () => {
  it('gives a parameter that explains all the variance > 0.9', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', -2, 2);
        t.suggestFloat('noise', 0, 1);
        t.suggestCategorical('k', ['a', 'b', 'c']);
        return x * x;
      },
      { nTrials: 120 },
    );
    const imp = await paramImportances(study, { evaluator: 'fanova', seed: 0 });
    expect(Object.keys(imp)[0]).toBe('x');
    expect(imp.x).toBeGreaterThan(0.9);
    expect(imp.x + imp.noise + imp.k).toBeCloseTo(1, 12);
    // seeded: the same forest, the same importances
    expect(await paramImportances(study, { evaluator: 'fanova', seed: 0 })).toEqual(imp);
  });

  it('an additive objective a·x + b·y gets shares a²var(x) : b²var(y)', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize((t) => 2 * t.suggestFloat('x', 0, 1) + t.suggestFloat('y', 0, 1), { nTrials: 300 });
    const imp = await paramImportances(study, { evaluator: 'fanova', seed: 0 });
    // var(2x) = 4/12, var(y) = 1/12: shares 0.8 and 0.2
    expect(Math.abs(imp.x - 0.8)).toBeLessThan(0.03);
    expect(Math.abs(imp.y - 0.2)).toBeLessThan(0.03);
  });

  it('refuses an unknown evaluator', async () => {
    const study = await createStudy();
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    await expect(paramImportances(study, { evaluator: 'shap' as never })).rejects.toThrowError(/evaluator must be 'fanova' or 'mdi'/);
  });
});

/**
 * Multivariate TPE = Optuna 3.1's (test/fixtures/optuna/gen_multivariate.py → multivariate.json):
 * from fixed past trials, the intersection search space, the good/other split and each joint
 * Parzen estimator's kernels (means, Scott's-rule sigmas, categorical rows, shared weights) and
 * joint log densities.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStudy, TPESampler, type FrozenTrial, type StudyDistribution, type StudyView } from '../../../src/index.js';
import { intersectionSpace } from '../../../src/selection/study/samplers/tpe.js';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/optuna/multivariate.json', import.meta.url), 'utf8'));

function close(actual: ArrayLike<number>, expected: readonly number[], rtol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(expected[i])));
  }
}

interface FxTrial {
  state: 'COMPLETE' | 'PRUNED';
  value: number | null;
  params: Record<string, string | number>;
  distributions: Record<string, StudyDistribution>;
  intermediate: Record<string, number>;
}

function viewOf(c: { direction: 'minimize' | 'maximize'; trials: FxTrial[] }): StudyView {
  const rows: FrozenTrial[] = c.trials.map((t, number) => ({
    number,
    state: t.state,
    value: t.value,
    params: t.params,
    distributions: t.distributions,
    intermediateValues: Object.fromEntries(Object.entries(t.intermediate).map(([s, v]) => [Number(s), v])),
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  }));
  return {
    direction: c.direction,
    getTrials: (states) => (states ? rows.filter((r) => states.includes(r.state)) : rows),
    stop: () => {},
    setTrialSystemAttr: () => {},
  };
}

describe('multivariate TPE = Optuna 3.1 on fixed trials', () => {
  expect(fx.optuna).toBe('3.1.0');
  for (const c of fx.cases) {
    it(c.name, () => {
      const view = viewOf(c);
      const space = intersectionSpace(view);
      expect(Object.keys(space).sort()).toEqual(Object.keys(c.space).sort());
      for (const [k, d] of Object.entries(c.space)) expect(space[k]).toEqual(d);
      const est = new TPESampler({ multivariate: true, seed: 0 }).relativeEstimators(view, space);
      if (!est) throw new Error('expected estimators after the startup trials');
      for (const [side, mpe] of [
        ['below', est.below],
        ['above', est.above],
      ] as const) {
        const want = c[side];
        close(mpe.weights, want.weights, 1e-12, `${side} weights`);
        for (const [name, p] of Object.entries(want.params) as [string, Record<string, number[] | number>][]) {
          const pe = mpe.estimators[name];
          if (p.categoricalWeights) {
            (p.categoricalWeights as unknown as number[][]).forEach((row, k) => close(pe.categoricalWeights[k], row, 1e-12, `${side} ${name} row ${k}`));
          } else {
            close(pe.mus, p.mus as number[], 1e-12, `${side} ${name} mus`);
            close(pe.sigmas, p.sigmas as number[], 1e-12, `${side} ${name} sigmas`);
            expect(pe.low).toBeCloseTo(p.low as number, 12);
            expect(pe.high).toBeCloseTo(p.high as number, 12);
          }
        }
      }
      close(est.below.logPdf(c.points), c.logPdfBelow, 1e-9, 'logPdf below');
      close(est.above.logPdf(c.points), c.logPdfAbove, 1e-9, 'logPdf above');
    });
  }
});

describe('TPESampler({ multivariate: true }) in a study', () => {
  const objective = (t: import('../../../src/index.js').Trial) => {
    const x = t.suggestFloat('x', -5, 10);
    const y = t.suggestFloat('y', 0, 15);
    const k = t.suggestCategorical('k', ['a', 'b']);
    const extra = t.number % 2 === 0 ? t.suggestInt('extra', 1, 5) : 0; // not in every trial: sampled on its own
    return (
      (y - (5.1 / (4 * Math.PI ** 2)) * x * x + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10 + (k === 'a' ? 0 : 1) + extra
    );
  };

  it('is deterministic given a seed, keeps samples in range, and improves on its random start', async () => {
    const run = async () => {
      const s = await createStudy({ sampler: new TPESampler({ multivariate: true, seed: 4 }) });
      await s.optimize(objective, { nTrials: 40 });
      return s;
    };
    const a = await run(),
      b = await run();
    expect(a.trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
    for (const t of a.trials) {
      expect(t.params.x).toBeGreaterThanOrEqual(-5);
      expect(t.params.x).toBeLessThanOrEqual(10);
      expect(['a', 'b']).toContain(t.params.k);
      if ('extra' in t.params) expect(Number.isInteger(t.params.extra)).toBe(true);
    }
    const startup = Math.min(...a.trials.slice(0, 10).map((t) => t.value as number));
    expect(a.bestValue).toBeLessThan(startup);
  });

  it('refuses a non-boolean multivariate', () => {
    expect(() => new TPESampler({ multivariate: 1 as never })).toThrowError(/multivariate must be a boolean/);
  });
});

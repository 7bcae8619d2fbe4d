/**
 * Parity with Optuna 3.1 (test/fixtures/optuna/gen_study.py → study.json): the TPE's Parzen
 * estimator (kernels and densities), the truncated normal, and the pruners' decisions on fixed
 * learning curves.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createStudy,
  MedianPruner,
  PercentilePruner,
  RandomSampler,
  SuccessiveHalvingPruner,
  TrialPruned,
  type StudyDistribution as Distribution,
  type Pruner,
} from '../../../src/index.js';
import { defaultWeights, ParzenEstimator } from '../../../src/selection/study/samplers/parzen.js';
import { logGaussMass, truncnormPpf } from '../../../src/selection/study/samplers/truncnorm.js';

const special: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };
const fx = JSON.parse(readFileSync(new URL('../../fixtures/optuna/study.json', import.meta.url), 'utf8'), (_k, v) =>
  typeof v === 'string' && v in special ? special[v] : v,
);

const PARZEN = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: defaultWeights };

function close(actual: ArrayLike<number>, expected: readonly number[], rtol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i],
      a = actual[i];
    if (!Number.isFinite(e)) expect(a, `${what}[${i}]`).toBe(e);
    else expect(Math.abs(a - e), `${what}[${i}]: ${a} vs ${e}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(e)));
  }
}

describe('Parzen estimator = Optuna 3.1', () => {
  expect(fx.optuna).toBe('3.1.0');
  for (const c of fx.parzen) {
    it(c.name, () => {
      const d = c.distribution as Distribution;
      const pe = new ParzenEstimator(c.observations, d, PARZEN);
      close(pe.weights, c.weights, 1e-12, 'weights');
      if (d.type !== 'categorical') {
        close(pe.mus, c.mus, 1e-12, 'mus');
        close(pe.sigmas, c.sigmas, 1e-12, 'sigmas');
        expect(pe.low).toBeCloseTo(c.low, 12);
        expect(pe.high).toBeCloseTo(c.high, 12);
      }
      close(pe.logPdf(c.points), c.logPdf, 1e-9, 'logPdf');
    });
  }
});

describe('truncated normal = Optuna 3.1', () => {
  it('ppf', () => {
    for (const t of fx.truncnormPpf) {
      const v = truncnormPpf(t.q, t.a, t.b);
      expect(Math.abs(v - t.ppf), `ppf(${t.q}; ${t.a}, ${t.b}) = ${v} vs ${t.ppf}`).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(t.ppf)));
    }
  });
  it('log Gaussian mass', () => {
    for (const t of fx.logGaussMass) {
      const v = logGaussMass(t.a, t.b);
      expect(Math.abs(v - t.logMass), `mass(${t.a}, ${t.b})`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(t.logMass)));
    }
  });
});

function makePruner(kind: string, o: Record<string, number>): Pruner {
  if (kind === 'median') return new MedianPruner(o);
  if (kind === 'percentile') {
    const { percentile, ...rest } = o;
    return new PercentilePruner(percentile, rest);
  }
  return new SuccessiveHalvingPruner(o);
}

describe('pruner decisions = Optuna 3.1 on fixed learning curves', () => {
  for (const p of fx.pruners) {
    it(`${p.kind} ${JSON.stringify(p.options)} ${p.direction}`, async () => {
      const study = await createStudy({ direction: p.direction, pruner: makePruner(p.kind, p.options), sampler: new RandomSampler({ seed: 0 }) });
      const sign = p.direction === 'minimize' ? 1 : -1;
      const prunedAt: (number | null)[] = [];
      await study.optimize(
        (trial) => {
          const c: number[] = fx.curves[trial.number];
          for (let s = 0; s < c.length; s++) {
            trial.report(sign * c[s], s);
            if (trial.shouldPrune()) {
              prunedAt.push(s);
              throw new TrialPruned();
            }
          }
          prunedAt.push(null);
          return Number.isNaN(c[c.length - 1]) ? 0 : sign * c[c.length - 1];
        },
        { nTrials: fx.curves.length },
      );
      expect(prunedAt).toEqual(p.prunedAt);
      expect(study.trials.filter((t) => t.state === 'PRUNED').length).toBe(p.prunedAt.filter((s: number | null) => s !== null).length);
    });
  }
});

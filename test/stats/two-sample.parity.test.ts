/**
 * andersonKsamp, cramervonmises2samp and eppsSingleton2samp against scipy 1.10
 * (test/fixtures/stats/two_sample.json, written by test/fixtures-scripts/gen_two_sample.py):
 * statistics and p-values on seeded samples with ties, unequal sizes, the exact and asymptotic
 * Cramér–von Mises paths and the Epps–Singleton small-sample correction.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { andersonKsamp, cramervonmises2samp, eppsSingleton2samp } from '../../src/index.js';

interface Pair {
  name: string;
  x: number[];
  y: number[];
  anderson: { statistic: number; pvalue: number; critical: number[] };
  anderson_right: { statistic: number; pvalue: number };
  cvm: { statistic: number; pvalue: number };
  cvm_asymptotic: { statistic: number; pvalue: number };
  cvm_exact?: { statistic: number; pvalue: number };
  es: { statistic: number; pvalue: number };
  es_t3: { statistic: number; pvalue: number };
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/stats/two_sample.json', import.meta.url)), 'utf8')) as {
  pairs: Pair[];
  ksamp: { samples: number[][]; midrank: boolean; statistic: number; pvalue: number; critical: number[] }[];
};

/** |a − b| ≤ tol · max(1, |b|). */
function close(a: number, b: number, tol: number): void {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

describe.each(fixture.pairs)('$name', (c) => {
  it('andersonKsamp: statistic, critical values and p-value (both versions)', () => {
    const a = andersonKsamp([c.x, c.y]);
    close(a.statistic, c.anderson.statistic, 1e-10);
    close(a.pvalue, c.anderson.pvalue, 1e-9);
    c.anderson.critical.forEach((v, i) => close(a.criticalValues[i], v, 1e-12));
    const right = andersonKsamp([c.x, c.y], { midrank: false });
    close(right.statistic, c.anderson_right.statistic, 1e-10);
    close(right.pvalue, c.anderson_right.pvalue, 1e-9);
  });

  it('cramervonmises2samp: auto, asymptotic and (small samples) exact', () => {
    const auto = cramervonmises2samp(c.x, c.y);
    close(auto.statistic, c.cvm.statistic, 1e-12);
    close(auto.pvalue, c.cvm.pvalue, 1e-9);
    const asym = cramervonmises2samp(c.x, c.y, { method: 'asymptotic' });
    close(asym.pvalue, c.cvm_asymptotic.pvalue, 1e-9);
    if (c.cvm_exact) expect(cramervonmises2samp(c.x, c.y, { method: 'exact' }).pvalue).toBeCloseTo(c.cvm_exact.pvalue, 12);
  });

  it('eppsSingleton2samp: default t and three points', () => {
    const e = eppsSingleton2samp(c.x, c.y);
    close(e.statistic, c.es.statistic, 1e-8);
    close(e.pvalue, c.es.pvalue, 1e-8);
    const e3 = eppsSingleton2samp(c.x, c.y, { t: [0.2, 0.5, 0.9] });
    close(e3.statistic, c.es_t3.statistic, 1e-8);
    close(e3.pvalue, c.es_t3.pvalue, 1e-8);
  });
});

describe('andersonKsamp with three samples', () => {
  it.each(fixture.ksamp)('midrank $midrank', (k) => {
    const a = andersonKsamp(k.samples, { midrank: k.midrank });
    close(a.statistic, k.statistic, 1e-10);
    close(a.pvalue, k.pvalue, 1e-9);
    k.critical.forEach((v, i) => close(a.criticalValues[i], v, 1e-12));
  });
});

describe('bad input', () => {
  it('names the argument and the minimum', () => {
    expect(() => andersonKsamp([[1, 2, 3]])).toThrow(/at least two samples/);
    expect(() =>
      andersonKsamp([
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(/more than one distinct/);
    expect(() => cramervonmises2samp([1], [1, 2])).toThrowError(expect.objectContaining({ code: 'E_SAMPLE_SIZE' }));
    expect(() => cramervonmises2samp([1, 2], [1, 2], { method: 'fast' as never })).toThrowError(expect.objectContaining({ code: 'E_PARAM' }));
    expect(() => eppsSingleton2samp([1, 2, 3, 4], [1, 2, 3, 4, 5])).toThrow(/x has 4 usable value\(s\); the test needs at least 5/);
    expect(() => eppsSingleton2samp([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], { t: [0] })).toThrow(/t must be a non-empty list of positive numbers/);
    expect(() => eppsSingleton2samp([1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 2])).toThrow(/inter-quartile range is 0/);
    expect(() => eppsSingleton2samp([1, 2, 3, 4, Infinity], [1, 2, 3, 4, 5])).toThrow(/x\[4\] is Infinity/);
  });

  it('NaN follows nanPolicy', () => {
    expect(cramervonmises2samp([1, NaN, 3], [1, 2, 4]).pvalue).toBeNaN();
    expect(cramervonmises2samp([1, NaN, 3, 5], [1, 2, 4], { nanPolicy: 'omit' }).statistic).toBeCloseTo(
      cramervonmises2samp([1, 3, 5], [1, 2, 4]).statistic,
      15,
    );
    expect(() =>
      andersonKsamp(
        [
          [1, NaN, 3],
          [1, 2],
        ],
        { nanPolicy: 'raise' },
      ),
    ).toThrowError(expect.objectContaining({ code: 'E_NONFINITE' }));
  });
});

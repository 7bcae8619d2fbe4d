/**
 * Drift distances against scipy/numpy on the same samples (test/fixtures/drift, written by
 * test/fixtures-scripts/drift_fixtures.py): Evidently's Sturges binning, empty-bin fill, normed
 * Wasserstein, Jensen–Shannon, PSI, KL and Hellinger; closed forms and bad input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  categoricalShares,
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  normedWasserstein,
  numericShares,
  psi,
  sturgesEdges,
  wassersteinDistance,
} from '../../src/monitor/drift-distances.js';
import { root } from '../helpers/dist.js';

interface Case {
  name: string;
  kind: 'numeric' | 'categorical';
  reference: (number | string)[];
  current: (number | string)[];
  edges?: number[];
  labels?: string[];
  reference_shares: number[];
  current_shares: number[];
  wasserstein?: number;
  normed_wasserstein?: number;
  jensenshannon: number;
  psi: number;
  kl: number;
  hellinger: number;
}
const { cases } = JSON.parse(readFileSync(join(root, 'test/fixtures/drift/distances.json'), 'utf8')) as { cases: Case[] };

const close = (a: number, b: number, rtol = 1e-10) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(b)));

describe('drift distances match scipy', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const shares = c.kind === 'numeric' ? numericShares(c.reference as number[], c.current as number[]) : categoricalShares(c.reference, c.current);
    if (c.kind === 'numeric') {
      const edges = sturgesEdges(Float64Array.from(c.reference as number[]), Float64Array.from(c.current as number[]));
      expect(edges.length).toBe(c.edges!.length);
      edges.forEach((e, i) => close(e, c.edges![i], 1e-12));
      close(wassersteinDistance(c.reference as number[], c.current as number[]), c.wasserstein!);
      close(normedWasserstein(c.reference as number[], c.current as number[]), c.normed_wasserstein!);
    } else {
      expect(shares.labels).toEqual(c.labels);
    }
    shares.reference.forEach((v, i) => close(v, c.reference_shares[i], 1e-12));
    shares.current.forEach((v, i) => close(v, c.current_shares[i], 1e-12));
    close(jensenShannonDistance(shares.reference, shares.current), c.jensenshannon);
    close(psi(shares.reference, shares.current), c.psi);
    close(klDivergence(shares.reference, shares.current), c.kl);
    close(hellingerDistance(shares.reference, shares.current), c.hellinger);
  });

  it('the fixtures cover drift and no drift', () => {
    const js = Object.fromEntries(cases.map((c) => [c.name, c.jensenshannon]));
    expect(js['same distribution']).toBeLessThan(0.1);
    expect(js['mean shift 0.5']).toBeGreaterThan(0.1);
  });
});

describe('closed forms and bad input', () => {
  it('identical samples are at distance 0; disjoint shares at the maxima', () => {
    expect(wassersteinDistance([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(wassersteinDistance([0, 0], [1, 1])).toBe(1); // moving all mass one unit
    close(wassersteinDistance([0], [0, 10]), 5);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.LN2), 12);
    expect(hellingerDistance([1, 0], [0, 1])).toBeCloseTo(1, 12);
    expect(klDivergence([1, 0], [0, 1])).toBe(Infinity);
    expect(psi([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(normedWasserstein([2, 2, 2], [2, 2])).toBe(0);
    expect(normedWasserstein([2, 2, 2], [3])).toBe(Infinity);
    // NaN (missing) values are left out of the numeric distances
    expect(wassersteinDistance([1, Number.NaN, 2], [1, 2])).toBe(0);
  });

  it('refuses empty or invalid input with E_PARAM', () => {
    expect(() => wassersteinDistance([], [1])).toThrow(/u has no finite values/);
    expect(() => numericShares([Number.NaN], [1])).toThrow(/reference has no finite values/);
    expect(() => categoricalShares([null, null], ['a'])).toThrow(/reference has no values \(all missing\)/);
    expect(() => jensenShannonDistance([1, 2], [1])).toThrow(/p has 2 shares but q has 1/);
    expect(() => jensenShannonDistance([-1, 2], [1, 1])).toThrow(/p\[0\] is -1/);
    expect(() => klDivergence([0, 0], [1, 1])).toThrow(/p sums to 0/);
    expect(() => psi([0, 1], [0.5, 0.5])).toThrow(/fill empty bins first/);
  });
});

/**
 * fairnessReport on a hand-counted example (every rate a closed form), the four-fifths rule,
 * seeded bootstrap intervals that contain the point estimates, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { fairnessReport } from '../../src/monitor/fairness.js';

// group a: 6 rows, group b: 4 rows
//        a: y = 1 1 1 0 0 0   pred = 1 1 0 1 0 0  → tp 2 fn 1 fp 1 tn 2
//        b: y = 1 1 0 0       pred = 1 0 0 0      → tp 1 fn 1 fp 0 tn 2
const yTrue = [1, 1, 1, 0, 0, 0, 1, 1, 0, 0];
const yPred = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0];
const sensitive = ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'];

describe('fairnessReport', () => {
  it('computes per-group rates, differences and ratios exactly', () => {
    const r = fairnessReport(yTrue, yPred, { sensitive, nBootstrap: 0 });
    expect(r.positiveLabel).toBe('1');
    expect(r.groups).toEqual([
      { group: 'a', count: 6, selectionRate: 3 / 6, truePositiveRate: 2 / 3, falsePositiveRate: 1 / 3, precision: 2 / 3, accuracy: 4 / 6 },
      { group: 'b', count: 4, selectionRate: 1 / 4, truePositiveRate: 1 / 2, falsePositiveRate: 0, precision: 1, accuracy: 3 / 4 },
    ]);
    expect(r.demographicParityDifference).toBeCloseTo(0.25, 15);
    expect(r.demographicParityRatio).toBeCloseTo(0.5, 15);
    expect(r.equalOpportunityDifference).toBeCloseTo(2 / 3 - 1 / 2, 15);
    expect(r.equalizedOddsDifference).toBeCloseTo(1 / 3, 15); // the FPR gap (1/3) beats the TPR gap (1/6)
    expect(r.difference.precision).toBeCloseTo(1 / 3, 15);
    expect(r.ratio.accuracy).toBeCloseTo(4 / 6 / (3 / 4), 15);
    expect(r.fourFifthsRule).toEqual({ ratio: 0.5, passes: false });
    expect(r.confidence).toBeUndefined();
  });

  it('names the favourable label and passes the four-fifths rule when selection rates are close', () => {
    const r = fairnessReport(['hire', 'hire', 'no', 'no', 'hire', 'no', 'no', 'hire'], ['hire', 'no', 'hire', 'no', 'hire', 'hire', 'no', 'no'], {
      sensitive: ['x', 'x', 'x', 'x', 'y', 'y', 'y', 'y'],
      positiveLabel: 'hire',
      nBootstrap: 0,
    });
    expect(r.groups.map((g) => g.selectionRate)).toEqual([0.5, 0.5]);
    expect(r.fourFifthsRule).toEqual({ ratio: 1, passes: true });
  });

  it('gives seeded bootstrap intervals that hold the point estimate', () => {
    const n = 2000;
    const s = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'g1' : 'g2'));
    const y = Array.from({ length: n }, (_, i) => (i * 7919) % 5 < 2);
    const p = Array.from({ length: n }, (_, i) => (i * 104729) % 7 < (s[i] === 'g1' ? 4 : 3) === true);
    const a = fairnessReport(y, p, { sensitive: s, nBootstrap: 200, randomState: 1 });
    const b = fairnessReport(y, p, { sensitive: s, nBootstrap: 200, randomState: 1 });
    expect(a.confidence).toEqual(b.confidence);
    const [lo, hi] = a.confidence!.intervals.demographicParityDifference;
    expect(lo).toBeLessThanOrEqual(a.demographicParityDifference);
    expect(hi).toBeGreaterThanOrEqual(a.demographicParityDifference);
    expect(hi - lo).toBeGreaterThan(0);
    expect(hi - lo).toBeLessThan(0.2);
  });

  it('refuses bad input with E_PARAM', () => {
    expect(() => fairnessReport([], [], { sensitive: [] })).toThrow(/yTrue is empty/);
    expect(() => fairnessReport([1], [1, 0], { sensitive: ['a'] })).toThrow(/yTrue has 1 labels but yPred has 2/);
    expect(() => fairnessReport([1, 0], [1, 0], { sensitive: ['a'] })).toThrow(/sensitive has 1 values for 2 rows/);
    expect(() => fairnessReport([0, 1, 2], [0, 1, 2], { sensitive: ['a', 'a', 'b'] })).toThrow(/not binary/);
    expect(() => fairnessReport([0, 1], [0, 1], { sensitive: ['a', null] })).toThrow(/sensitive\[1\] is missing/);
    expect(() => fairnessReport([0, 1], [0, 1], { sensitive: ['a', 'b'], positiveLabel: 'yes' })).toThrow(/positiveLabel "yes" is not one of the labels/);
    expect(() => fairnessReport([0, 1], [0, 1], { sensitive: ['a', 'b'], nBootstrap: -1 })).toThrow(/nBootstrap/);
    expect(() => fairnessReport([0, 1], [0, 1], undefined as never)).toThrow(/options.sensitive/);
  });
});

/**
 * Streaming drift detectors on seeded streams with one change point: no drift before it, drift
 * soon after, detectors that restart after a drift, ADWIN's window shrinking to the new regime;
 * bad parameters and values refused.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/prng.js';
import { ADWIN, DDM, EDDM, PageHinkley, type DriftDetector } from '../../src/monitor/detectors.js';

/** The steps at which `d` reported drift over the stream. */
function drifts(d: DriftDetector, stream: number[]): number[] {
  const at: number[] = [];
  stream.forEach((x, i) => {
    if (d.update(x).drift) at.push(i);
  });
  return at;
}

const rng = new Rng(42);
const bernoulli = (n: number, p: number) => Array.from({ length: n }, () => (rng.random() < p ? 1 : 0));
const gaussian = (n: number, mean: number, sd = 1) => Array.from({ length: n }, () => mean + sd * rng.normal());

describe('drift detectors', () => {
  const errors = [...bernoulli(3000, 0.1), ...bernoulli(1000, 0.45)];

  it('DDM: silent while the error rate holds, drift soon after it jumps', () => {
    const at = drifts(new DDM(), errors);
    expect(at.length).toBeGreaterThan(0);
    expect(at[0]).toBeGreaterThanOrEqual(3000);
    expect(at[0]).toBeLessThan(3300);
  });

  it('EDDM: silent while errors are spread out, drift once they come close together', () => {
    const at = drifts(new EDDM(), errors);
    expect(at.length).toBeGreaterThan(0);
    expect(at[0]).toBeGreaterThanOrEqual(3000);
    expect(at[0]).toBeLessThan(3500);
  });

  it('Page-Hinkley: an upward shift of the mean, only in the modes that watch it', () => {
    const stream = [...gaussian(2000, 0, 0.2), ...gaussian(500, 1, 0.2)];
    const at = drifts(new PageHinkley(), stream);
    expect(at[0]).toBeGreaterThanOrEqual(2000);
    expect(at[0]).toBeLessThan(2060);
    expect(drifts(new PageHinkley({ mode: 'down' }), stream).filter((i) => i < 2100)).toEqual([]);
    expect(drifts(new PageHinkley({ mode: 'down' }), [...gaussian(2000, 0, 0.2), ...gaussian(500, -1, 0.2)])[0]).toBeGreaterThanOrEqual(2000);
  });

  it('ADWIN: keeps the whole stable window, cuts it to the new regime after a shift', () => {
    const d = new ADWIN();
    const before = drifts(d, gaussian(2000, 0, 0.2));
    expect(before).toEqual([]);
    expect(d.windowWidth).toBe(2000);
    expect(Math.abs(d.estimation)).toBeLessThan(0.03);
    const after = drifts(d, gaussian(1000, 1, 0.2));
    expect(after.length).toBeGreaterThan(0);
    expect(after[0]).toBeLessThan(100);
    expect(d.windowWidth).toBeLessThan(1100);
    expect(d.estimation).toBeGreaterThan(0.95);
    expect(d.estimation).toBeLessThan(1.05);
  });

  it('start afresh after a drift, and reset() clears them', () => {
    const d = new DDM({ warmStart: 10 });
    drifts(d, errors);
    d.reset();
    expect(d.driftDetected).toBe(false);
    expect(d.update(0)).toEqual({ drift: false, warning: false });
  });

  it('refuse bad parameters and values with E_PARAM', () => {
    expect(() => new DDM({ driftThreshold: 1, warningThreshold: 2 })).toThrow(/driftThreshold must be >= warningThreshold/);
    expect(() => new EDDM({ alpha: 0.8, beta: 0.9 })).toThrow(/beta < alpha/);
    expect(() => new PageHinkley({ mode: 'sideways' as never })).toThrow(/mode/);
    expect(() => new ADWIN({ delta: 2 })).toThrow(/delta must be in \(0, 1\)/);
    expect(() => new DDM().update(0.5)).toThrow(/x must be 0 \(right\) or 1/);
    expect(() => new PageHinkley().update(Number.NaN)).toThrow(/finite number/);
    expect(() => new ADWIN().update(Number.POSITIVE_INFINITY)).toThrow(/finite number/);
  });
});

/** Samples to the figures kiln bench reports: median and spread, and latency percentiles. */
import { percentile } from '../core/numeric.js';

export interface Spread {
  /** The median, the figure to compare. */
  median: number;
  min: number;
  max: number;
  /** (max − min) / median: how much the repetitions disagree (0.1 = 10 %). */
  relativeRange: number;
  samples: number;
}

export function spread(values: readonly number[]): Spread {
  const s = Float64Array.from(values).sort();
  const median = percentile(s, 50);
  return { median, min: s[0], max: s[s.length - 1], relativeRange: median > 0 ? (s[s.length - 1] - s[0]) / median : 0, samples: s.length };
}

export interface Latency {
  p50: number;
  p99: number;
  p999: number;
  mean: number;
  samples: number;
}

/** Percentiles of single-call latencies (in the unit given). */
export function latency(values: readonly number[]): Latency {
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of s) sum += v;
  return { p50: percentile(s, 50), p99: percentile(s, 99), p999: percentile(s, 99.9), mean: sum / s.length, samples: s.length };
}

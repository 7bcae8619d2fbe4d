/**
 * Requests over time for the dashboard: 10-second buckets (the last hour kept) of answered
 * requests, errors and latencies; each bucket keeps at most 512 latencies (a uniform reservoir)
 * for its percentiles, so memory stays bounded at any traffic.
 */
import { percentile } from '../../core/numeric.js';

export const BUCKET_MS = 10_000;
const KEEP = 360;
const SAMPLE = 512;

interface Bucket {
  start: number;
  requests: number;
  errors: number;
  latencies: number[];
}

export interface SeriesPoint {
  /** Bucket start, ms since the epoch. */
  t: number;
  requests: number;
  errors: number;
  /** Latency percentiles of the bucket, seconds (NaN without requests). */
  p50: number;
  p99: number;
}

export class RequestSeries {
  private buckets: Bucket[] = [];
  private seed = 0x9e3779b9;

  private current(now: number): Bucket {
    const start = now - (now % BUCKET_MS);
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.start !== start) {
      b = { start, requests: 0, errors: 0, latencies: [] };
      this.buckets.push(b);
      if (this.buckets.length > KEEP) this.buckets.shift();
    }
    return b;
  }

  /** One answered request: its latency in seconds and whether it failed. */
  record(seconds: number, failed: boolean, now = Date.now()): void {
    const b = this.current(now);
    b.requests++;
    if (failed) b.errors++;
    if (b.latencies.length < SAMPLE) b.latencies.push(seconds);
    else {
      // reservoir: keep each of the n latencies with probability SAMPLE / n (xorshift, no Math.random per request)
      this.seed ^= this.seed << 13;
      this.seed ^= this.seed >>> 17;
      this.seed ^= this.seed << 5;
      const j = (this.seed >>> 0) % b.requests;
      if (j < SAMPLE) b.latencies[j] = seconds;
    }
  }

  points(): SeriesPoint[] {
    return this.buckets.map((b) => {
      const s = Float64Array.from(b.latencies).sort();
      return { t: b.start, requests: b.requests, errors: b.errors, p50: percentile(s, 50), p99: percentile(s, 99) };
    });
  }
}

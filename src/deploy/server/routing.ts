/**
 * A/B and canary routing: a share of traffic goes to the candidate. A request with a key
 * (header `x-kiln-key` or a body field) always lands in the same bucket — a stable hash, the
 * same in every process and after restarts — so a user sees one variant; a request without one
 * is drawn at random.
 */
import { fmix32 } from '../../core/prng.js';
import type { Variant } from './types.js';

export const BUCKETS = 10_000;

/** FNV-1a over the UTF-16 code units, then murmur3's finaliser so nearby keys spread: 32 bits. */
export function stableHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** The bucket in [0, BUCKETS) of a key. */
export function bucketOf(key: string): number {
  return stableHash(key) % BUCKETS;
}

/**
 * Which variant serves a request: candidate when one is live and the key's bucket (or a random
 * draw) falls under percent% of the buckets.
 */
export function chooseVariant(key: string | undefined, percent: number, hasCandidate: boolean): Variant {
  if (!hasCandidate || percent <= 0) return 'primary';
  if (percent >= 100) return 'candidate';
  const bucket = key === undefined ? Math.floor(Math.random() * BUCKETS) : bucketOf(key);
  return bucket < percent * (BUCKETS / 100) ? 'candidate' : 'primary';
}

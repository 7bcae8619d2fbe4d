/**
 * quantize.h's row_hash in TypeScript: a stateless 32-bit hash of (seed, row) (u32 multiply, xor,
 * shift only), the noise of quantised gradients and the draws of row sampling on every backend.
 */
import { fmix32 } from '../../core/prng.js';

export function rowHash(seed32: number, row: number): number {
  return fmix32(seed32 ^ Math.imul(row, 0x9e3779b1));
}

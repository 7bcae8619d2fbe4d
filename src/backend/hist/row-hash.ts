/**
 * quantize.h's row_hash in TypeScript: a stateless 32-bit hash of (seed, row) (u32 multiply, xor,
 * shift only), the noise of quantised gradients and the draws of row sampling on every backend.
 */
export function rowHash(seed32: number, row: number): number {
  let x = seed32 ^ Math.imul(row, 0x9e3779b1);
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

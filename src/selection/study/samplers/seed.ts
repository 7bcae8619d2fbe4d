/** A sampler's generator: kiln's seeded Rng, or a fresh seed when none is given. */
import { ParamError } from '../../../core/errors.js';
import { Rng } from '../../../core/prng.js';

export function samplerRng(owner: string, seed: number | undefined): Rng {
  if (seed === undefined) return new Rng(Math.floor(Math.random() * 0x100000000));
  if (!Number.isInteger(seed)) throw new ParamError(`${owner}: seed must be an integer, got ${seed}; pass e.g. { seed: 42 }`);
  return new Rng(seed);
}

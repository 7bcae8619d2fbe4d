/** A sampler's generator: kiln's seeded Rng, or a fresh seed when none is given. */
import { ParamError } from '../../../core/errors.js';
import { Rng } from '../../../core/prng.js';

export function samplerRng(owner: string, seed: number | undefined): Rng {
  return new Rng(samplerSeed(owner, seed));
}

/** `seed` checked, or a fresh random one when left out. */
export function samplerSeed(owner: string, seed: number | undefined): number {
  if (seed === undefined) return Math.floor(Math.random() * 0x100000000);
  if (!Number.isInteger(seed)) throw new ParamError(`${owner}: seed must be an integer, got ${seed}; pass e.g. { seed: 42 }`);
  return seed;
}

/**
 * The generator of one parameter of one trial, derived from (seed, trial number, name) alone: a
 * trial's draws do not depend on which other trials ran before or beside it, so a seeded random
 * sampler gives the same parameters whatever optimize's nJobs is.
 */
export function trialRng(seed: number, trial: number, name: string): Rng {
  let h = 0x811c9dc5; // FNV-1a of the name
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  const mixed = new Rng((seed ^ Math.imul(trial + 1, 0x9e3779b9)) | 0).nextUint32();
  return new Rng((mixed ^ h) | 0);
}

/**
 * The hist engine's seeded draws, as native/kernels/hist makes them: per-node feature sampling
 * (grow.cc, node_features) and extra trees' random thresholds (split.h, random_threshold).
 */

const M64 = (1n << 64n) - 1n;

function splitmix(state: { s: bigint }): bigint {
  state.s = (state.s + 0x9e3779b97f4a7c15n) & M64;
  let z = state.s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/** The features node `node` may split on: `fraction` of the allowed ones (all when fraction >= 1). */
export function nodeFeatures(allowed: Uint8Array, fraction: number, seed: number, node: number): Uint8Array {
  if (!(fraction < 1)) return allowed;
  const pool: number[] = [];
  for (let f = 0; f < allowed.length; f++) if (allowed[f]) pool.push(f);
  const x = fraction * pool.length,
    fl = Math.floor(x);
  const k = Math.max(1, x - fl >= 0.5 ? fl + 1 : fl); // llround, x >= 0
  const state = { s: (BigInt(seed) * 0x100000001b3n + BigInt(node) * 0x9e3779b97f4a7c15n) & M64 };
  for (let i = 0; i < k && i < pool.length; i++) {
    const j = i + Number(splitmix(state) % BigInt(pool.length - i));
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  const chosen = new Uint8Array(allowed.length);
  for (let i = 0; i < k && i < pool.length; i++) chosen[pool[i]] = 1;
  return chosen;
}

/** The allowed-feature flags of a grow call (all features when featureAllowed is null). */
export function allowedFeatures(p: number, featureAllowed: Uint8Array | null): Uint8Array {
  const allowed = new Uint8Array(p).fill(1);
  if (featureAllowed) for (let f = 0; f < p; f++) allowed[f] = featureAllowed[f] ? 1 : 0;
  return allowed;
}

/** Extra trees: the threshold tried for feature f at node `node`, a bin uniform in [lo, hi) (bins lo..t go left). */
export function randomThreshold(seed: number, node: number, f: number, lo: number, hi: number): number {
  const state = { s: (BigInt(seed) * 0x100000001b3n + BigInt(node) * 0x9e3779b97f4a7c15n + BigInt(f + 1) * 0xd1b54a32d192ed03n) & M64 };
  return lo + Number(splitmix(state) % BigInt(hi - lo));
}

/** Interaction constraints of a grow call: `groups` rows of p flags (native's GrowArgs.interaction). */
export interface Interaction {
  flags: Uint8Array;
  groups: number;
}

/** The allowed features narrowed to the union of the interaction groups still open to a node (`open`: one flag per group). */
export function openFeatures(allowed: Uint8Array, it: Interaction | null, open: Uint8Array | null): Uint8Array {
  if (!it || !open) return allowed;
  const p = allowed.length,
    out = new Uint8Array(p);
  for (let g = 0; g < it.groups; g++) if (open[g]) for (let f = 0; f < p; f++) out[f] |= allowed[f] & (it.flags[g * p + f] ? 1 : 0);
  return out;
}

/** The groups open below a split on feature f: those of the parent's that hold f. */
export function childGroups(it: Interaction | null, open: Uint8Array | null, f: number, p: number): Uint8Array | null {
  if (!it || !open) return null;
  return open.map((o, g) => o & (it.flags[g * p + f] ? 1 : 0));
}

/** A grow call's interaction constraints, or null; and the root's open groups (all). */
export function interactionOf(a: { interaction?: Uint8Array | null; interactionGroups?: number }): Interaction | null {
  return a.interaction && a.interactionGroups ? { flags: a.interaction, groups: a.interactionGroups } : null;
}

/**
 * Successive halving's schedule, as scikit-learn 1.2 computes it (_successive_halving.py): how
 * many rounds, and each round's resource (rows, or a parameter such as nEstimators) and number of
 * candidates. Each round keeps the best ceil(n / factor) candidates for the next.
 */

export interface HalvingSchedule {
  /** The resource of each round. */
  nResources: number[];
  /** The candidates evaluated in each round. */
  nCandidates: number[];
  nIterations: number;
  nPossibleIterations: number;
  nRequiredIterations: number;
  /** The resource of the first round (after 'exhaust' raised it). */
  minResources: number;
  maxResources: number;
}

/** Python's math.log(x, base) (log x / log base), floored as scikit-learn does. */
const floorLog = (x: number, base: number) => Math.floor(Math.log(x) / Math.log(base));

export function halvingSchedule(o: {
  nCandidates: number;
  minResources: number;
  maxResources: number;
  factor: number;
  exhaust: boolean;
  aggressiveElimination: boolean;
}): HalvingSchedule {
  const { factor, maxResources } = o;
  const nRequired = 1 + floorLog(o.nCandidates, factor);
  let minResources = o.minResources;
  if (o.exhaust) minResources = Math.max(minResources, Math.floor(maxResources / factor ** (nRequired - 1)));
  const nPossible = 1 + floorLog(Math.floor(maxResources / minResources), factor);
  const nIterations = o.aggressiveElimination ? nRequired : Math.min(nPossible, nRequired);
  const nResources: number[] = [];
  const nCandidates: number[] = [];
  let left = o.nCandidates;
  for (let itr = 0; itr < nIterations; itr++) {
    const power = o.aggressiveElimination ? Math.max(0, itr - nRequired + nPossible) : itr;
    nResources.push(Math.min(Math.trunc(factor ** power * minResources), maxResources));
    nCandidates.push(left);
    left = Math.ceil(left / factor);
  }
  return { nResources, nCandidates, nIterations, nPossibleIterations: nPossible, nRequiredIterations: nRequired, minResources, maxResources };
}

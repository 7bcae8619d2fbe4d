/** The candidates of a search's required paramGrid / paramDistributions option, with the error when it is missing. */
import { ParamError } from '../../core/errors.js';
import { ParameterGrid, type ParamGridSpec } from './parameter-grid.js';
import { sampleParameters, type ParamDistributions } from './parameter-sampler.js';

export function requiredGrid(grid: ParamGridSpec | readonly ParamGridSpec[] | undefined, fn: string): Record<string, unknown>[] {
  if (grid === undefined) throw new ParamError(`${fn}: paramGrid is required, e.g. { paramGrid: { alpha: [0.1, 1, 10] } }`);
  try {
    return new ParameterGrid(grid).toArray();
  } catch (e) {
    throw new ParamError(`${fn}: ${(e as Error).message}`);
  }
}

export function requiredSample(
  d: ParamDistributions | readonly ParamDistributions[] | undefined,
  nIter: number,
  seed: number,
  fn: string,
): Record<string, unknown>[] {
  if (d === undefined) throw new ParamError(`${fn}: paramDistributions is required, e.g. { paramDistributions: { C: loguniform(1e-3, 1e3) } }`);
  try {
    return sampleParameters(d, nIter, seed);
  } catch (e) {
    throw new ParamError(`${fn}: ${(e as Error).message}`);
  }
}

/** Reading k independent samples (ANOVA-type tests) under a NaN policy. */
import { sumInOrder } from '../core/passes.js';
import { ParamError } from '../core/errors.js';
import { type NanPolicy, readSample, requireSize, type Sample } from './sample.js';

/** The samples as f64 arrays; `nan` is true when one holds a NaN under 'propagate'. Needs at least two groups. */
export function readGroups(samples: readonly Sample[], fn: string, policy: NanPolicy, minEach = 1): { groups: Float64Array[]; nan: boolean } {
  if (!Array.isArray(samples)) throw new ParamError(`${fn}: pass the samples as an array of arrays`);
  if (samples.length < 2) throw new ParamError(`${fn}: needs at least two samples, got ${samples.length}`);
  let nan = false;
  const groups = samples.map((s, i) => {
    const r = readSample(s, fn, `samples[${i}]`, policy);
    nan ||= r.nan;
    requireSize(r.values.length, minEach, fn, `samples[${i}]`);
    return r.values;
  });
  return { groups, nan };
}

export const meanOf = (v: ArrayLike<number>) => sumInOrder(v) / v.length;

/**
 * Checks, before anything is fitted, that every parameter a search sets exists on the estimator
 * (own parameters and '__' paths into a Pipeline's steps or a parameter's estimator); an unknown
 * name is E_PARAM listing the valid ones.
 */
import { ParamError } from '../../core/errors.js';
import { deepParams, type Parameterised } from '../../compose/params-path.js';

export function checkParamNames(estimator: unknown, candidates: readonly Record<string, unknown>[], fn: string): void {
  if (typeof (estimator as Partial<Parameterised>)?.getParams !== 'function') {
    throw new ParamError(`${fn}: the estimator has no getParams, so a search cannot set its parameters`);
  }
  const valid = new Set(Object.keys(deepParams(estimator as Parameterised)));
  for (const c of candidates) {
    for (const key of Object.keys(c)) {
      if (valid.has(key)) continue;
      // a path under a parameter the same candidate replaces (a grid over whole steps) is checked when set
      const parts = key.split('__');
      if (parts.slice(1).some((_, i) => parts.slice(0, i + 1).join('__') in c)) continue;
      throw new ParamError(`${fn}: the estimator has no parameter '${key}'; valid names are ${[...valid].join(', ')} (nested parameters as 'step__param')`);
    }
  }
}

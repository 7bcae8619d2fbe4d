/** Models held in memory: serve fitted estimators directly, and swap them by hand with set(). */
import { ParamError } from '../../core/errors.js';
import type { ModelSource, ServedModel, SourceState, Variant } from './types.js';

export interface StaticSource extends ModelSource {
  /** Replaces (or, for the candidate, removes with undefined) a variant's model; the server swaps to it. */
  set(variant: Variant, model: ServedModel | undefined): void;
}

export function checkServed(m: ServedModel, what: string): ServedModel {
  if (m === null || typeof m !== 'object') throw new ParamError(`${what} must be { name, version, model, inputSchema? }`);
  if (typeof m.name !== 'string' || m.name === '') throw new ParamError(`${what}.name must be a non-empty string`);
  if (typeof m.version !== 'number' && typeof m.version !== 'string') throw new ParamError(`${what}.version must be a number or a string`);
  if (typeof m.model?.predict !== 'function') throw new ParamError(`${what}.model must be a fitted estimator or pipeline (it has no predict method)`);
  return m;
}

export function staticSource(primary: ServedModel, candidate?: ServedModel): StaticSource {
  let state: SourceState = { primary: checkServed(primary, 'model'), ...(candidate ? { candidate: checkServed(candidate, 'candidate') } : {}) };
  const listeners = new Set<() => void>();
  return {
    async resolve() {
      return state;
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    set(variant, model) {
      if (variant === 'primary') {
        if (!model) throw new ParamError('staticSource.set: the primary model cannot be removed');
        state = { ...state, primary: checkServed(model, 'model') };
      } else if (variant === 'candidate') {
        const { candidate: _, ...rest } = state;
        state = model ? { ...rest, candidate: checkServed(model, 'candidate') } : rest;
      } else {
        throw new ParamError(`staticSource.set: variant must be 'primary' or 'candidate', got ${String(variant)}`);
      }
      for (const l of listeners) l();
    },
    describe() {
      return { source: 'memory' };
    },
  };
}

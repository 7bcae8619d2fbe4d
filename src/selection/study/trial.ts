/**
 * The handle an objective gets (Optuna's Trial): it suggests parameters through the study's
 * sampler, reports intermediate values and asks the pruner whether to stop. A parameter
 * suggested twice in one trial returns the same value; an enqueued trial's fixed values are used
 * as they are.
 */
import { ParamError } from '../../core/errors.js';
import {
  categoricalDistribution,
  checkCompatible,
  contains,
  floatDistribution,
  intDistribution,
  isSingle,
  sameDistribution,
  type SuggestFloatOptions,
  type SuggestIntOptions,
} from './distributions.js';
import type { CategoricalChoice, Distribution, FrozenTrial, ParamValue, Pruner, Sampler, StudyStorage, StudyView } from './types.js';

/** What a Trial needs of its study. */
export interface TrialContext {
  readonly storage: StudyStorage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly view: StudyView;
}

export class Trial {
  constructor(
    private readonly ctx: TrialContext,
    /** The trial's number in its study (0, 1, …). */
    readonly number: number,
  ) {}

  /** The trial's row as stored now. */
  get frozen(): FrozenTrial {
    return this.ctx.storage.getTrial(this.number);
  }

  /** The parameters suggested so far. */
  get params(): Readonly<Record<string, ParamValue>> {
    return this.frozen.params;
  }

  get datetimeStart(): Date | null {
    return this.frozen.datetimeStart;
  }

  private suggest(name: string, d: Distribution): ParamValue {
    if (typeof name !== 'string' || name === '') throw new ParamError('Trial.suggest: name must be a non-empty string');
    const me = this.frozen;
    if (name in me.params) {
      if (!sameDistribution(me.distributions[name], d)) {
        throw new ParamError(
          `Trial ${this.number}: parameter '${name}' was already suggested with another range in this trial; suggest it the same way each time`,
        );
      }
      return me.params[name];
    }
    for (const t of this.ctx.view.getTrials()) {
      const prev = t.distributions[name];
      if (prev) {
        checkCompatible(`Trial ${this.number}`, name, prev, d);
        break;
      }
    }
    let value: ParamValue;
    const fixed = me.systemAttrs.fixedParams as Record<string, ParamValue> | undefined;
    if (fixed && name in fixed) {
      value = fixed[name];
      if (!contains(d, value)) {
        throw new ParamError(
          `Trial ${this.number}: the enqueued value ${JSON.stringify(value)} of '${name}' is not in the suggested range ${JSON.stringify(d)}`,
        );
      }
    } else if (isSingle(d)) {
      value = d.type === 'categorical' ? d.choices[0] : d.low;
    } else {
      value = this.ctx.sampler.sampleIndependent(this.ctx.view, me, name, d);
    }
    this.ctx.storage.setTrialParam(this.number, name, value, d);
    return value;
  }

  /** A float in [low, high], on a log scale with `log`, on the grid low + k·step with `step`. */
  suggestFloat(name: string, low: number, high: number, opts: SuggestFloatOptions = {}): number {
    return this.suggest(name, floatDistribution(`Trial.suggestFloat('${name}')`, low, high, opts)) as number;
  }

  /** An integer in [low, high] (on the grid low + k·step; on a log scale with `log`). */
  suggestInt(name: string, low: number, high: number, opts: SuggestIntOptions = {}): number {
    return this.suggest(name, intDistribution(`Trial.suggestInt('${name}')`, low, high, opts)) as number;
  }

  /** One of `choices` (strings, numbers, booleans or null). */
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalDistribution(`Trial.suggestCategorical('${name}')`, choices)) as T;
  }

  /** Records the objective's intermediate `value` at `step` (an integer >= 0) for the pruner. A step reported twice keeps its first value. */
  report(value: number, step: number): void {
    if (typeof value !== 'number') throw new ParamError(`Trial.report: value must be a number, got ${typeof value}`);
    if (!(Number.isInteger(step) && step >= 0)) throw new ParamError(`Trial.report: step must be an integer >= 0, got ${step}`);
    if (step in this.frozen.intermediateValues) return;
    this.ctx.storage.setTrialIntermediateValue(this.number, step, value);
  }

  /** Whether the pruner says to stop this trial now (then throw `new TrialPruned()`). */
  shouldPrune(): boolean {
    return this.ctx.pruner.prune(this.ctx.view, this.frozen);
  }

  /** Stores a JSON value with the trial (shown in `study.trials` as userAttrs). */
  setUserAttr(key: string, value: unknown): void {
    this.ctx.storage.setTrialUserAttr(this.number, key, value);
  }
}

/**
 * The scikit-learn estimator contract, in TypeScript idiom: parameters given to the
 * constructor (camelCase), getParams / setParams / clone, fitted state readable only
 * after fit. Subclasses declare their defaults (constructor) and one constraint per parameter
 * (`paramSpecs`, built from core/params.ts); both are checked on construction and setParams.
 */
import { NotFittedError, ParamError } from './errors.js';
import { checkParamSpecs, type ParamSpecs } from './params.js';
import { snapshotFitted } from './rollback.js';
import { checkOptions, checkSignal } from './validate.js';
import { predictStream, type PredictedBatch, type PredictStreamOptions } from './predict-stream.js';

/** What every long call accepts: an AbortSignal that rejects it with the signal's reason. */
export interface CallOptions {
  /** Aborting rejects the call with `signal.reason` and leaves the estimator as it was before the call. */
  signal?: AbortSignal;
}

/** fit's options for estimators that weight rows. */
export interface WeightedFitOptions extends CallOptions {
  /** One non-negative number per row, scaling its loss (scikit-learn's sample_weight). */
  sampleWeight?: ArrayLike<number>;
}

/** The option keys of a call that only takes a signal, and of a weighted fit. */
export const SIGNAL_ONLY = ['signal'] as const;
export const WEIGHTED_FIT = ['sampleWeight', 'signal'] as const;

export abstract class Estimator<P extends object> {
  private current: P;

  protected constructor(
    private readonly defaults: P,
    params: Partial<P> = {},
  ) {
    this.current = this.merged(params);
  }

  /**
   * One spec per parameter (core/params.ts), checked on construction and setParams. A getter on
   * the class, returning a module constant: instance fields are what a model file saves, and a
   * loaded model is rebuilt without running its constructor.
   */
  protected abstract get paramSpecs(): ParamSpecs<P>;

  /**
   * Rules between parameters (e.g. "strategy 'constant' needs constant"), run once every
   * parameter has passed its spec; throws a ParamError. None by default.
   */
  protected checkTogether(_params: P): void {}

  /** A copy of the parameters. */
  getParams(): P {
    return { ...this.current };
  }

  /** Changes parameters; a fitted estimator keeps its fitted state until the next fit. */
  setParams(params: Partial<P>): this {
    this.current = this.merged({ ...this.current, ...params });
    return this;
  }

  /** An unfitted estimator with the same parameters. */
  clone(): this {
    const Ctor = this.constructor as new (params: P) => this;
    return new Ctor(this.getParams());
  }

  protected get params(): Readonly<P> {
    return this.current;
  }

  /**
   * Checks a call's options: an unknown key (a typo such as sampleWieght) is a ParamError naming it
   * and the known ones, and `signal` must be an AbortSignal that is not aborted yet.
   */
  protected callOptions<O extends CallOptions>(method: string, opts: O | undefined, allowed: readonly string[]): O {
    const fn = `${this.constructor.name}.${method}`;
    checkOptions(opts, allowed, fn);
    const o = opts ?? ({} as O);
    checkSignal(o.signal, fn);
    return o;
  }

  /**
   * Runs a state-changing call (fit, partialFit) as a transaction: if `work` throws, or `signal`
   * aborts before it is done, the fitted state is put back as it was and the call rejects.
   */
  protected async transaction(signal: AbortSignal | undefined, work: () => Promise<unknown>): Promise<this> {
    const restore = snapshotFitted(this);
    try {
      await work();
      signal?.throwIfAborted();
    } catch (err) {
      restore();
      throw err;
    }
    return this;
  }

  /** Predictions over a stream of rows or batches, one result per batch (see predictStream); for estimators with predict. */
  predictStream(source: AsyncIterable<unknown> | Iterable<unknown>, opts?: PredictStreamOptions): AsyncGenerator<PredictedBatch, void, undefined> {
    return predictStream(this as unknown as Parameters<typeof predictStream>[0], source, opts);
  }

  /** Runs a read-only call (predict, transform): it rejects with the signal's reason if aborted before it is done. */
  protected async reading<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    const out = await work();
    signal?.throwIfAborted();
    return out;
  }

  /** The fitted value, or NotFittedError naming the estimator. */
  protected fitted<T>(value: T | undefined): T {
    if (value === undefined) throw new NotFittedError(this.constructor.name);
    return value;
  }

  private merged(params: Partial<P>): P {
    if (params === null || typeof params !== 'object') {
      throw new ParamError(`${this.constructor.name}: parameters must be an object, got ${String(params)}`);
    }
    for (const key of Object.keys(params)) {
      if (!(key in this.defaults)) {
        throw new ParamError(`${this.constructor.name}: unknown parameter '${key}'; known parameters are ${Object.keys(this.defaults).join(', ')}`);
      }
    }
    const p = { ...this.defaults, ...params } as P;
    for (const key of Object.keys(p) as (keyof P)[]) if (p[key] === undefined) p[key] = this.defaults[key];
    checkParamSpecs(this.constructor.name, p, this.paramSpecs);
    this.checkTogether(p);
    return p;
  }
}

/**
 * The scikit-learn estimator contract, in TypeScript idiom: parameters given to the
 * constructor (camelCase), getParams / setParams / clone, fitted state readable only
 * after fit. Subclasses declare their defaults and check their parameters.
 */
import { NotFittedError, ParamError } from './errors.js';

export abstract class Estimator<P extends object> {
  private current: P;

  protected constructor(private readonly defaults: P, params: Partial<P> = {}) {
    this.current = this.merged(params);
  }

  /** Throws a ParamError for an invalid parameter set (called on construction and setParams). */
  protected abstract checkParams(params: P): void;

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
        throw new ParamError(
          `${this.constructor.name}: unknown parameter '${key}'; known parameters are ${Object.keys(this.defaults).join(', ')}`,
        );
      }
    }
    const p = { ...this.defaults, ...params } as P;
    for (const key of Object.keys(p) as (keyof P)[]) if (p[key] === undefined) p[key] = this.defaults[key];
    this.checkParams(p);
    return p;
  }
}

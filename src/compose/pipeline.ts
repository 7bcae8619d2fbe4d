/**
 * Pipeline (scikit-learn's): transformers applied in order, then a final estimator. Fitting
 * fits each transformer on the output of the previous one — on the training data only — so a
 * pipeline can be cross-validated without leaking test statistics.
 */
import { NotFittedError, ParamError } from '../core/errors.js';
import { checkNames, cloneStep, fitTransformStep, isTransformer, type FinalStep, type StepOutput, type TransformerStep } from './steps.js';

export type PipelineStep = readonly [name: string, step: TransformerStep | FinalStep];

export class Pipeline {
  readonly steps: PipelineStep[];
  private fittedOnce = false;

  constructor(steps: readonly PipelineStep[]) {
    if (!Array.isArray(steps) || steps.length === 0) throw new ParamError('Pipeline: steps must be a non-empty array of [name, step] pairs');
    checkNames(steps.map((s) => s?.[0]), 'Pipeline');
    steps.forEach(([name, step], i) => {
      if (typeof (step as FinalStep)?.fit !== 'function') throw new ParamError(`Pipeline: step '${name}' has no fit method`);
      if (i < steps.length - 1 && !isTransformer(step)) throw new ParamError(`Pipeline: step '${name}' is not last, so it must have fit and transform`);
    });
    this.steps = steps.map(([n, s]) => [n, s] as const);
  }

  get namedSteps(): Record<string, TransformerStep | FinalStep> {
    return Object.fromEntries(this.steps);
  }

  private get final(): FinalStep { return this.steps[this.steps.length - 1][1]; }

  /** Fits every step; `opts` (e.g. sampleWeight) goes to the final estimator's fit. */
  async fit(X: unknown, y?: unknown, opts?: unknown): Promise<this> {
    let data = X;
    for (const [, step] of this.steps.slice(0, -1)) data = await fitTransformStep(step as TransformerStep, data, y);
    await (opts === undefined ? this.final.fit(data, y) : this.final.fit(data, y, opts));
    this.fittedOnce = true;
    return this;
  }

  /** The data as the final estimator sees it (all transformers applied). */
  private async through(X: unknown): Promise<unknown> {
    if (!this.fittedOnce) throw new NotFittedError('Pipeline');
    let data = X;
    for (const [, step] of this.steps.slice(0, -1)) data = await (step as TransformerStep).transform(data);
    return data;
  }

  private need<K extends keyof FinalStep>(method: K): NonNullable<FinalStep[K]> {
    const f = this.final[method];
    if (typeof f !== 'function') throw new ParamError(`Pipeline: the final step '${this.steps[this.steps.length - 1][0]}' has no ${String(method)} method`);
    return (f as Function).bind(this.final) as NonNullable<FinalStep[K]>;
  }

  async predict(X: unknown): Promise<unknown> { return this.need('predict')(await this.through(X)); }
  async predictProba(X: unknown): Promise<unknown> { return this.need('predictProba')(await this.through(X)); }
  async decisionFunction(X: unknown): Promise<unknown> { return this.need('decisionFunction')(await this.through(X)); }
  async score(X: unknown, y: unknown): Promise<number> { return this.need('score')(await this.through(X), y); }
  /** When the last step is a transformer too: the whole chain as one transform. */
  async transform(X: unknown): Promise<StepOutput> { return this.need('transform')(await this.through(X)); }

  /**
   * Every step's fitTransform in one pass (no second pass over the training data, and a
   * cross-fitting step such as TargetEncoder gives its cross-fitted output, as in scikit-learn).
   */
  async fitTransform(X: unknown, y?: unknown): Promise<StepOutput> {
    this.need('transform');
    let data = X;
    for (const [, step] of this.steps) data = await fitTransformStep(step as TransformerStep, data, y);
    this.fittedOnce = true;
    return data as StepOutput;
  }

  /** An unfitted pipeline with clones of every step. */
  clone(): Pipeline {
    return new Pipeline(this.steps.map(([n, s]) => [n, cloneStep(s as FinalStep)] as const));
  }
}

/**
 * Pipeline (scikit-learn's): transformers applied in order, then a final estimator. Fitting
 * fits each transformer on the output of the previous one — on the training data only — so a
 * pipeline can be cross-validated without leaking test statistics.
 */
import { NotFittedError, ParamError } from '../core/errors.js';
import { snapshotFitted } from '../core/rollback.js';
import { cloneDeep, deepParams, groupParamPaths, setParamPaths, type Parameterised } from './params-path.js';
import { predictStream, type PredictedBatch, type PredictStreamOptions } from '../core/predict-stream.js';
import {
  checkNames,
  cloneStep,
  fitTransformStep,
  isTransformer,
  signalIn,
  stepOptions,
  type FinalStep,
  type StepOutput,
  type TransformerStep,
} from './steps.js';

export type PipelineStep = readonly [name: string, step: TransformerStep | FinalStep];

export class Pipeline {
  readonly steps: PipelineStep[];
  private fittedOnce = false;

  constructor(steps: readonly PipelineStep[]) {
    if (!Array.isArray(steps) || steps.length === 0) throw new ParamError('Pipeline: steps must be a non-empty array of [name, step] pairs');
    checkNames(
      steps.map((s) => s?.[0]),
      'Pipeline',
    );
    steps.forEach(([name, step], i) => {
      if (typeof (step as FinalStep)?.fit !== 'function') throw new ParamError(`Pipeline: step '${name}' has no fit method`);
      if (i < steps.length - 1 && !isTransformer(step)) throw new ParamError(`Pipeline: step '${name}' is not last, so it must have fit and transform`);
    });
    this.steps = steps.map(([n, s]) => [n, s] as const);
  }

  get namedSteps(): Record<string, TransformerStep | FinalStep> {
    return Object.fromEntries(this.steps);
  }

  private get final(): FinalStep {
    return this.steps[this.steps.length - 1][1];
  }

  /**
   * Fits every step; `opts` (e.g. sampleWeight) goes to the final estimator's fit, and its
   * `signal` to every step. A failed or aborted fit leaves every step as it was.
   */
  async fit(X: unknown, y?: unknown, opts?: unknown): Promise<this> {
    const signal = signalIn(opts, 'Pipeline.fit');
    await this.transaction(async () => {
      let data = X;
      for (const [, step] of this.steps.slice(0, -1)) data = await fitTransformStep(step as TransformerStep, data, y, signal);
      await (opts === undefined ? this.final.fit(data, y) : this.final.fit(data, y, opts));
      signal?.throwIfAborted();
      this.fittedOnce = true;
    });
    return this;
  }

  /** Runs `work`; if it throws, every step's fitted state is put back. */
  private async transaction(work: () => Promise<void>): Promise<void> {
    const restores = this.steps.map(([, step]) => snapshotFitted(step));
    try {
      await work();
    } catch (err) {
      for (const restore of restores) restore();
      throw err;
    }
  }

  /** The data as the final estimator sees it (all transformers applied). */
  private async through(X: unknown, signal?: AbortSignal): Promise<unknown> {
    if (!this.fittedOnce) throw new NotFittedError('Pipeline');
    let data = X;
    for (const [, step] of this.steps.slice(0, -1)) data = await (step as TransformerStep).transform(data, ...stepOptions(signal));
    return data;
  }

  /** Runs the final step's `method` on the transformed data; `opts` (e.g. `{ signal }`) goes to every step. */
  private async finalCall(method: 'predict' | 'predictProba' | 'decisionFunction' | 'transform', X: unknown, opts: unknown): Promise<any> {
    const signal = signalIn(opts, `Pipeline.${method}`);
    const f = this.need(method);
    const data = await this.through(X, signal);
    return opts === undefined ? f(data) : f(data, opts);
  }

  private need<K extends keyof FinalStep>(method: K): NonNullable<FinalStep[K]> {
    const f = this.final[method];
    if (typeof f !== 'function') throw new ParamError(`Pipeline: the final step '${this.steps[this.steps.length - 1][0]}' has no ${String(method)} method`);
    return (f as (...args: unknown[]) => unknown).bind(this.final) as NonNullable<FinalStep[K]>;
  }

  /** Predictions over a stream of rows or batches, one result per batch (see predictStream). */
  predictStream(source: AsyncIterable<unknown> | Iterable<unknown>, opts?: PredictStreamOptions): AsyncGenerator<PredictedBatch, void, undefined> {
    return predictStream(this as never, source, opts);
  }

  async predict(X: unknown, opts?: unknown): Promise<unknown> {
    return this.finalCall('predict', X, opts);
  }
  async predictProba(X: unknown, opts?: unknown): Promise<unknown> {
    return this.finalCall('predictProba', X, opts);
  }
  async decisionFunction(X: unknown, opts?: unknown): Promise<unknown> {
    return this.finalCall('decisionFunction', X, opts);
  }
  async score(X: unknown, y: unknown): Promise<number> {
    return this.need('score')(await this.through(X), y);
  }
  /** When the last step is a transformer too: the whole chain as one transform. */
  async transform(X: unknown, opts?: unknown): Promise<StepOutput> {
    return this.finalCall('transform', X, opts);
  }

  /**
   * Every step's fitTransform in one pass (no second pass over the training data, and a
   * cross-fitting step such as TargetEncoder gives its cross-fitted output, as in scikit-learn).
   */
  async fitTransform(X: unknown, y?: unknown, opts?: unknown): Promise<StepOutput> {
    this.need('transform');
    const signal = signalIn(opts, 'Pipeline.fitTransform');
    let data = X;
    await this.transaction(async () => {
      for (const [, step] of this.steps) data = await fitTransformStep(step as TransformerStep, data, y, signal);
      this.fittedOnce = true;
    });
    return data as StepOutput;
  }

  /** An unfitted pipeline with clones of every step (estimators held by a step's parameters cloned too). */
  clone(): Pipeline {
    return new Pipeline(this.steps.map(([n, s]) => [n, typeof s.clone === 'function' ? cloneDeep(s) : cloneStep(s as FinalStep)] as const));
  }

  /**
   * scikit-learn's get_params(deep=true): `steps`, each step by its name, and every step's
   * parameters as 'name__param' (nested pipelines and estimators held by parameters recursively).
   */
  getParams(): Record<string, unknown> {
    const out: Record<string, unknown> = { steps: this.steps.map(([n, s]) => [n, s] as const) };
    for (const [name, step] of this.steps) {
      out[name] = step;
      if (typeof (step as { getParams?: unknown }).getParams !== 'function') continue;
      const inner = step instanceof Pipeline ? step.getParams() : deepParams(step as unknown as Parameterised);
      for (const [k, v] of Object.entries(inner)) out[`${name}__${k}`] = v;
    }
    return out;
  }

  /**
   * Sets step parameters by scikit-learn's double-underscore paths (`{ model__alpha: 0.1 }`,
   * `{ sel__estimator__C: 2 }`), or replaces a step by its name (`{ model: new Ridge() }`), in
   * place. Every key is checked before anything changes: an unknown step is E_PARAM naming the steps.
   */
  setParams(params: Record<string, unknown>): this {
    const { direct, nested } = groupParamPaths(params, 'Pipeline');
    const names = this.steps.map(([n]) => n);
    for (const key of [...Object.keys(direct), ...nested.keys()]) {
      if (!names.includes(key))
        throw new ParamError(`Pipeline: unknown step '${key}' in setParams; the steps are ${names.join(', ')} (address a step's parameter as 'step__param')`);
    }
    const replaced = this.steps.map(([n, s]) => [n, (n in direct ? direct[n] : s) as TransformerStep | FinalStep] as const);
    new Pipeline(replaced); // the same checks as the constructor, before anything changes
    for (const [name, sub] of nested) setParamPaths(replaced[names.indexOf(name)][1], sub, `Pipeline step '${name}'`);
    replaced.forEach((s, i) => {
      this.steps[i] = s;
    });
    return this;
  }
}

/** The duck-typed step contracts composition relies on (any kiln transformer or estimator fits them). */
import { ParamError } from '../core/errors.js';
import { checkSignal } from '../core/validate.js';
import type { CsrMatrix } from '../core/csr.js';
import type { Matrix } from '../core/matrix.js';
import type { Table } from '../data/table.js';

/**
 * Table input: a numeric Matrix, rows of numbers and strings, or a column table such as
 * readParquet returns (columns addressed by name).
 */
export type TableInput = Matrix | readonly (readonly unknown[])[] | Table;

/** A step's output: dense, or sparse (a one-hot encoder with sparseOutput). */
export type StepOutput = Matrix<Float64Array> | CsrMatrix;

export interface TransformerStep {
  fit(X: any, y?: any, opts?: any): Promise<unknown>;
  transform(X: any, opts?: any): Promise<StepOutput>;
  fitTransform?(X: any, y?: any, opts?: any): Promise<StepOutput>;
  clone?(): TransformerStep;
}

export interface FinalStep {
  fit(X: any, y?: any, opts?: any): Promise<unknown>;
  predict?(X: any, opts?: any): Promise<unknown>;
  predictProba?(X: any, opts?: any): Promise<unknown>;
  decisionFunction?(X: any, opts?: any): Promise<unknown>;
  score?(X: any, y: any): Promise<number>;
  transform?(X: any, opts?: any): Promise<StepOutput>;
  clone?(): FinalStep;
}

export function isTransformer(step: unknown): step is TransformerStep {
  return typeof (step as TransformerStep)?.fit === 'function' && typeof (step as TransformerStep)?.transform === 'function';
}

/** `{ signal }` for a step's call when there is a signal, else nothing (a user's own step may take no options). */
export function stepOptions(signal: AbortSignal | undefined): [] | [{ signal: AbortSignal }] {
  return signal ? [{ signal }] : [];
}

export async function fitTransformStep(step: TransformerStep, X: unknown, y?: unknown, signal?: AbortSignal): Promise<StepOutput> {
  const o = stepOptions(signal);
  if (step.fitTransform) return step.fitTransform(X, y, ...o);
  await step.fit(X, y, ...o);
  signal?.throwIfAborted();
  return step.transform(X, ...o);
}

/** The `signal` in a composite's call options (the rest goes to the final step, which checks it). */
export function signalIn(opts: unknown, fn: string): AbortSignal | undefined {
  if (opts === undefined) return undefined;
  if (opts === null || typeof opts !== 'object') throw new ParamError(`${fn}: options must be an object, got ${opts === null ? 'null' : typeof opts}`);
  return checkSignal((opts as { signal?: unknown }).signal, fn);
}

/** Names must be unique non-empty strings: they address steps in namedSteps and errors. */
export function checkNames(names: string[], owner: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string' || n === '') throw new ParamError(`${owner}: every step needs a non-empty string name`);
    if (seen.has(n)) throw new ParamError(`${owner}: step name '${n}' is used twice; names must be unique`);
    seen.add(n);
  }
}

export function cloneStep<T extends { clone?(): T }>(step: T): T {
  return typeof step.clone === 'function' ? step.clone() : step;
}

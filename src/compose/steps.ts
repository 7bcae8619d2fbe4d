/** The duck-typed step contracts composition relies on (any kiln transformer or estimator fits them). */
import { ParamError } from '../core/errors.js';
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
  fit(X: any, y?: any): Promise<unknown>;
  transform(X: any): Promise<StepOutput>;
  fitTransform?(X: any, y?: any): Promise<StepOutput>;
  clone?(): TransformerStep;
}

export interface FinalStep {
  fit(X: any, y?: any, opts?: any): Promise<unknown>;
  predict?(X: any): Promise<unknown>;
  predictProba?(X: any): Promise<unknown>;
  decisionFunction?(X: any): Promise<unknown>;
  score?(X: any, y: any): Promise<number>;
  transform?(X: any): Promise<StepOutput>;
  clone?(): FinalStep;
}

export function isTransformer(step: unknown): step is TransformerStep {
  return typeof (step as TransformerStep)?.fit === 'function' && typeof (step as TransformerStep)?.transform === 'function';
}

export async function fitTransformStep(step: TransformerStep, X: unknown, y?: unknown): Promise<StepOutput> {
  return step.fitTransform ? step.fitTransform(X, y) : (await step.fit(X, y), step.transform(X));
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

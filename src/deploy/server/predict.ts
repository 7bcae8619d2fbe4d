/**
 * Running a served model: the synchronous path (predictSync / predictProbaSync) for small
 * batches when the model has one, else the Promise path; outputs as plain JSON arrays.
 */
import { Matrix } from '../../core/matrix.js';
import type { Predictor } from './types.js';

export interface Capabilities {
  /** predictProba exists and works (for a pipeline: its final step has it). */
  proba: boolean;
  sync: boolean;
  probaSync: boolean;
  /** Class labels in probability column order, when the model exposes them. */
  classes: unknown[] | undefined;
}

function finalStep(model: Predictor): Record<string, unknown> {
  const steps = (model as { steps?: unknown }).steps;
  if (Array.isArray(steps) && steps.length > 0 && Array.isArray(steps[steps.length - 1])) {
    return steps[steps.length - 1][1] as Record<string, unknown>;
  }
  return model as unknown as Record<string, unknown>;
}

export function capabilities(model: Predictor): Capabilities {
  const last = finalStep(model);
  let classes: unknown[] | undefined;
  try {
    const c = (last as { classes?: unknown }).classes;
    if (Array.isArray(c)) classes = [...c];
  } catch { /* not fitted or not a classifier */ }
  return {
    proba: typeof model.predictProba === 'function' && typeof last.predictProba === 'function',
    sync: typeof model.predictSync === 'function',
    probaSync: typeof model.predictProbaSync === 'function',
    classes,
  };
}

/** Predictions as JSON: labels or numbers per row, or one array per row for several outputs. */
export function toJson(out: unknown): unknown {
  if (out instanceof Matrix) return out.toArray();
  if (ArrayBuffer.isView(out)) return Array.from(out as unknown as ArrayLike<number>);
  if (Array.isArray(out)) return out;
  return out;
}

export interface PredictResult {
  predictions: unknown;
  probabilities?: unknown;
}

/** Whether the synchronous path applies; `syncMaxRows` bounds how long it may block the event loop. */
export function predictSyncPossible(caps: Capabilities, rows: number, syncMaxRows: number, withProba: boolean): boolean {
  return caps.sync && rows <= syncMaxRows && (!withProba || caps.probaSync);
}

export function predictNow(model: Predictor, X: unknown, withProba: boolean): PredictResult {
  const predictions = toJson(model.predictSync!(X));
  return withProba ? { predictions, probabilities: toJson(model.predictProbaSync!(X)) } : { predictions };
}

export async function predictLater(model: Predictor, X: unknown, withProba: boolean): Promise<PredictResult> {
  if (!withProba) return { predictions: toJson(await model.predict(X)) };
  const [p, q] = await Promise.all([model.predict(X), model.predictProba!(X)]);
  return { predictions: toJson(p), probabilities: toJson(q) };
}

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
  /** predict is exactly classes[argmax(predictProba)]: one pass gives both. */
  labelsFromProba: boolean;
}

/**
 * Classifiers whose predict is literally labelsOfMaxScore(classes, predictProba(X)) (first maximum
 * wins): for them the server runs the model (or the whole pipeline) once, not twice.
 */
const ARGMAX_OF_PROBA = new Set([
  'LogisticRegression',
  'KNeighborsClassifier',
  'GradientBoostingClassifier',
  'RandomForestClassifier',
  'DecisionTreeClassifier',
]);

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
  } catch {
    /* not fitted or not a classifier */
  }
  const proba = typeof model.predictProba === 'function' && typeof last.predictProba === 'function';
  return {
    proba,
    sync: typeof model.predictSync === 'function',
    probaSync: typeof model.predictProbaSync === 'function',
    classes,
    labelsFromProba: proba && classes !== undefined && ARGMAX_OF_PROBA.has((last as { constructor?: { name?: string } }).constructor?.name ?? ''),
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

/** classes[argmax] per row of a probability matrix (the first maximum, as labelsOfMaxScore). */
function argmaxLabels(classes: unknown[], p: Matrix): unknown[] {
  const { data, rows, cols } = p;
  const out = new Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < cols; k++) if (data[r * cols + k] > data[r * cols + best]) best = k;
    out[r] = classes[best];
  }
  return out;
}

/** Both outputs from one probability pass, when the model allows it (see ARGMAX_OF_PROBA). */
function fromProba(caps: Capabilities, proba: unknown): PredictResult | undefined {
  if (!(proba instanceof Matrix) || proba.cols !== caps.classes!.length) return undefined;
  return { predictions: argmaxLabels(caps.classes!, proba), probabilities: proba.toArray() };
}

/** Whether the synchronous path applies; `syncMaxRows` bounds how long it may block the event loop. */
export function predictSyncPossible(caps: Capabilities, rows: number, syncMaxRows: number, withProba: boolean): boolean {
  return caps.sync && rows <= syncMaxRows && (!withProba || caps.probaSync);
}

export function predictNow(model: Predictor, caps: Capabilities, X: unknown, withProba: boolean): PredictResult {
  if (withProba && caps.labelsFromProba) {
    const q = model.predictProbaSync!(X);
    return fromProba(caps, q) ?? { predictions: toJson(model.predictSync!(X)), probabilities: toJson(q) };
  }
  const predictions = toJson(model.predictSync!(X));
  return withProba ? { predictions, probabilities: toJson(model.predictProbaSync!(X)) } : { predictions };
}

export async function predictLater(model: Predictor, caps: Capabilities, X: unknown, withProba: boolean): Promise<PredictResult> {
  if (!withProba) return { predictions: toJson(await model.predict(X)) };
  if (caps.labelsFromProba) {
    const q = await model.predictProba!(X);
    return fromProba(caps, q) ?? { predictions: toJson(await model.predict(X)), probabilities: toJson(q) };
  }
  const [p, q] = await Promise.all([model.predict(X), model.predictProba!(X)]);
  return { predictions: toJson(p), probabilities: toJson(q) };
}

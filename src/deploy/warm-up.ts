/**
 * The warm-up a model version passes before it goes live (registry `promote`, the server's hot
 * swap): one prediction on a row built from the version's input schema — each column's minimum
 * (or maximum, or 0), its first known value, or null/'' — read through the same input reader the
 * server uses for requests. Without a schema, a row of zeros as wide as the model's input.
 * A warm-up that throws, or predicts a non-finite number, keeps the version from going live.
 */
import { ModelFormatError } from '../core/errors.js';
import type { Schema } from '../data/schema.js';
import type { ModelManifest } from './manifest.js';
import { compileInput, type InputReader } from './server/input.js';
import type { Predictor, ServedModel } from './server/types.js';

/** The input schema a served model is read with: the manifest's, or numeric nullable columns named by its feature names. */
export function servedSchema(manifest: ModelManifest): Schema | undefined {
  if (manifest.inputSchema) return manifest.inputSchema;
  if (!Array.isArray(manifest.featureNames)) return undefined;
  // feature names alone: numeric columns in that order; nothing says missing values are fine, so none are
  return Object.fromEntries(manifest.featureNames.map((f) => [f, { type: 'number' as const, nullable: false }]));
}

/** The warm-up request body for a model: one row from its schema, or one instance of zeros. */
export function warmUpBody(schema: Schema | undefined, model: Predictor): unknown {
  if (schema) {
    const row: Record<string, unknown> = {};
    for (const [name, c] of Object.entries(schema)) {
      const value = c.type === 'number' ? (c.min ?? c.max ?? 0) : (c.values?.[0] ?? (c.nullable ? null : ''));
      // an own key even for columns named __proto__ or constructor (plain assignment would set the prototype)
      Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return { row };
  }
  let width: unknown;
  try {
    width = (model as { nFeaturesIn?: unknown }).nFeaturesIn;
  } catch {
    width = undefined; // a model that does not know its width (or is unfitted): nothing to build
  }
  return Number.isSafeInteger(width) && (width as number) > 0 ? { instances: [new Array(width as number).fill(0)] } : undefined;
}

function finiteOutput(out: unknown): boolean {
  const data = ArrayBuffer.isView(out) ? out : (out as { data?: unknown })?.data;
  if (data instanceof Float64Array || data instanceof Float32Array) return data.every(Number.isFinite);
  return true; // labels: strings or numbers as fitted
}

/**
 * Runs the warm-up prediction of a served model; throws what the prediction threw (or a
 * ModelFormatError for a non-finite prediction). `read` is the server's compiled reader when it has one.
 */
export async function warmUp(served: ServedModel, read?: InputReader): Promise<void> {
  const body = warmUpBody(served.inputSchema, served.model);
  if (body === undefined || typeof served.model.predict !== 'function') return;
  const reader = read ?? compileInput(served, { maxRows: 1, checkRanges: false, extraFields: 'ignore' });
  const out = await served.model.predict(reader(body).X);
  if (!finiteOutput(out)) throw new ModelFormatError(`${served.name} v${served.version}: the warm-up prediction is not finite`);
}

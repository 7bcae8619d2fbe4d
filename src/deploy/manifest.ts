/**
 * The model-file manifest: what a model file says about itself, readable without loading the
 * model (readManifest) — format, versions, class, parameters, input schema, metrics, lineage,
 * the model-card text, and the per-array SHA-256 the container adds.
 */
import { preview, type ContainerArrayEntry } from '../core/container.js';
import { ModelFormatError, ParamError } from '../core/errors.js';
import type { Schema } from '../data/schema.js';
import { ColumnTransformer } from '../compose/column-transformer.js';
import { Pipeline } from '../compose/pipeline.js';
import { kilnVersion } from './version.js';

export const MODEL_FORMAT = 'kiln-model';
export const MODEL_FORMAT_VERSION = 1;
/** The container array that holds the model's structure (kiln-plain JSON, utf-8). */
export const BODY_ARRAY = 'body';

/** Where a model came from. Any other JSON-safe keys may be added. */
export interface Lineage {
  /** A hash of the training data (see `dataFingerprint`). */
  dataFingerprint?: string;
  /** The registry version this model was derived from (retrained, fine-tuned, …). */
  parentVersion?: number;
  /** Training rows and columns, for the model card. */
  rows?: number;
  columns?: number;
  /** Where the training data came from (a path, a table, a query). */
  dataSource?: string;
  [key: string]: unknown;
}

/** The human part of a model card. */
export interface CardText {
  description?: string;
  intendedUse?: string;
  limitations?: string | string[];
  fairness?: string | string[];
}

/** What `save` (and the registry) may record next to the model. */
export interface ModelMeta extends CardText {
  /** Input column names in order; without inputSchema they become numeric, nullable columns. */
  featureNames?: string[];
  /** The input table's schema (see inferSchema); its keys are the feature names when featureNames is absent. */
  inputSchema?: Schema;
  /** Evaluation results, name → finite number. */
  metrics?: Record<string, number>;
  lineage?: Lineage;
  tags?: Record<string, string>;
  /** The monitoring reference (monitor's referenceProfile): carried as JSON, checked by the monitor when read. */
  reference?: object;
}

export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  kilnVersion: string;
  className: string;
  /** getParams() (JSON-safe: functions and live objects as descriptive strings); steps for a Pipeline / ColumnTransformer. */
  params: Record<string, unknown>;
  featureNames?: string[];
  inputSchema?: Schema;
  nFeaturesIn?: number;
  /** A classifier's class labels, in the order of predictProba's columns. */
  classes?: (string | number | boolean)[];
  metrics: Record<string, number>;
  lineage: Lineage;
  card: CardText;
  tags: Record<string, string>;
  /** The monitoring reference profile, when the model was saved with one. */
  reference?: Record<string, unknown>;
  createdAt: string;
  /** The container's entries: name, dtype, length, offset and SHA-256 of each array. */
  arrays: ContainerArrayEntry[];
}

/** A JSON-safe rendering of a parameter value, for reading (not for rebuilding). */
export function describeValue(v: unknown, depth = 0): unknown {
  if (v === undefined) return undefined;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
  if (typeof v !== 'object') return String(v);
  if (depth > 8) return '[…]';
  if (ArrayBuffer.isView(v)) {
    const a = v as unknown as ArrayLike<number>;
    return a.length <= 64 ? Array.from(a, (x) => describeValue(x)) : `[${v.constructor.name}(${a.length})]`;
  }
  if (Array.isArray(v)) return v.slice(0, 256).map((x) => describeValue(x, depth + 1) ?? null);
  if (v instanceof Map) return Object.fromEntries([...v].slice(0, 256).map(([k, x]) => [String(k), describeValue(x, depth + 1)]));
  if (v instanceof Set) return [...v].slice(0, 256).map((x) => describeValue(x, depth + 1) ?? null);
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    const name = (v as object).constructor?.name ?? 'object';
    return typeof (v as { getParams?: unknown }).getParams === 'function' ? { className: name, params: describeParams(v) } : `[${name}]`;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const d = describeValue(x, depth + 1);
    if (d !== undefined) out[k] = d;
  }
  return out;
}

const classNameOf = (v: unknown): string => (v === null || typeof v !== 'object' ? typeof v : (v.constructor?.name ?? 'Object'));

/** The parameters of a model, a Pipeline (its steps) or a ColumnTransformer (its transformers). */
export function describeParams(model: unknown): Record<string, unknown> {
  const m = model as { getParams?: () => unknown };
  if (model instanceof Pipeline) {
    return { steps: model.steps.map(([name, step]) => ({ name, className: classNameOf(step), params: describeParams(step) })) };
  }
  if (model instanceof ColumnTransformer) {
    return {
      transformers: model.transformers.map(([name, t, columns]) => ({
        name,
        className: typeof t === 'string' ? t : classNameOf(t),
        columns: describeValue(columns),
        params: typeof t === 'string' ? {} : describeParams(t),
      })),
      remainder: model.remainder,
    };
  }
  if (m && typeof m === 'object' && typeof m.getParams === 'function') {
    try {
      return (describeValue(m.getParams()) ?? {}) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return {};
}

/** A fitted getter's value, or undefined when it throws (not fitted) or is absent. */
function tryGet(o: unknown, key: string): unknown {
  try {
    return o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

export function outputsOf(model: unknown): { classes?: (string | number | boolean)[]; nFeaturesIn?: number } {
  const last = model instanceof Pipeline ? model.steps[model.steps.length - 1]?.[1] : model;
  const first = model instanceof Pipeline ? model.steps[0]?.[1] : model;
  const classes = tryGet(last, 'classes');
  const nFeaturesIn = tryGet(first, 'nFeaturesIn');
  return {
    ...(Array.isArray(classes) && classes.every((c) => ['string', 'number', 'boolean'].includes(typeof c))
      ? { classes: describeValue(classes) as (string | number)[] }
      : {}),
    ...(Number.isSafeInteger(nFeaturesIn) ? { nFeaturesIn: nFeaturesIn as number } : {}),
  };
}

/** JSON-safe copy of user metadata; refuses what JSON cannot hold faithfully. */
function plainJson(v: unknown, what: string): unknown {
  try {
    return JSON.parse(
      JSON.stringify(v, (_k, x) => {
        if (typeof x === 'number' && !Number.isFinite(x)) throw new ParamError(`${what}: ${x} is not a finite number`);
        if (typeof x === 'bigint' || typeof x === 'function' || typeof x === 'symbol') throw new ParamError(`${what}: a ${typeof x} cannot be recorded`);
        return x;
      }) ?? 'null',
    );
  } catch (e) {
    if (e instanceof ParamError) throw e;
    throw new ParamError(`${what}: must be JSON data (${(e as Error).message})`);
  }
}

function textOrList(v: unknown, what: string): string | string[] | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) return v;
  throw new ParamError(`${what}: must be a string or an array of strings`);
}

const META_KEYS = ['featureNames', 'inputSchema', 'metrics', 'lineage', 'tags', 'reference', 'description', 'intendedUse', 'limitations', 'fairness'];

/** The manifest for `model` (without `arrays`, which the container adds). */
export function buildManifest(model: unknown, meta: ModelMeta = {}): Omit<ModelManifest, 'arrays'> {
  if (!meta || typeof meta !== 'object') throw new ParamError('save: meta must be an object');
  for (const k of Object.keys(meta))
    if (!META_KEYS.includes(k)) throw new ParamError(`save: unknown meta field '${k}'; known fields are ${META_KEYS.join(', ')}`);
  let featureNames = meta.featureNames;
  if (featureNames !== undefined && (!Array.isArray(featureNames) || !featureNames.every((n) => typeof n === 'string'))) {
    throw new ParamError('save: meta.featureNames must be an array of strings');
  }
  if (featureNames && new Set(featureNames).size !== featureNames.length) throw new ParamError('save: meta.featureNames has duplicate names');
  let inputSchema = meta.inputSchema === undefined ? undefined : (plainJson(meta.inputSchema, 'save: meta.inputSchema') as Schema);
  if (inputSchema !== undefined && (!inputSchema || typeof inputSchema !== 'object' || Array.isArray(inputSchema))) {
    throw new ParamError('save: meta.inputSchema must be a schema object { column: { type, nullable, … } } (see inferSchema)');
  }
  if (!featureNames && inputSchema) featureNames = Object.keys(inputSchema);
  if (featureNames && !inputSchema) inputSchema = Object.fromEntries(featureNames.map((n) => [n, { type: 'number' as const, nullable: true }]));
  const metrics = (plainJson(meta.metrics ?? {}, 'save: meta.metrics') ?? {}) as Record<string, unknown>;
  for (const [k, x] of Object.entries(metrics))
    if (typeof x !== 'number') throw new ParamError(`save: meta.metrics.${k} must be a finite number, got ${JSON.stringify(x)}`);
  const tags = (plainJson(meta.tags ?? {}, 'save: meta.tags') ?? {}) as Record<string, unknown>;
  for (const [k, x] of Object.entries(tags)) if (typeof x !== 'string') throw new ParamError(`save: meta.tags.${k} must be a string`);
  const lineage = (plainJson(meta.lineage ?? {}, 'save: meta.lineage') ?? {}) as Lineage;
  if (typeof lineage !== 'object' || Array.isArray(lineage)) throw new ParamError('save: meta.lineage must be an object');
  const reference = meta.reference === undefined ? undefined : (plainJson(meta.reference, 'save: meta.reference') as Record<string, unknown>);
  if (reference !== undefined && !isObj(reference)) throw new ParamError('save: meta.reference must be a reference profile object (see referenceProfile)');
  const card: CardText = {};
  if (meta.description !== undefined) card.description = textOrList(meta.description, 'save: meta.description') as string;
  if (meta.intendedUse !== undefined) card.intendedUse = textOrList(meta.intendedUse, 'save: meta.intendedUse') as string;
  if (meta.limitations !== undefined) card.limitations = textOrList(meta.limitations, 'save: meta.limitations');
  if (meta.fairness !== undefined) card.fairness = textOrList(meta.fairness, 'save: meta.fairness');
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    kilnVersion: kilnVersion(),
    className: classNameOf(model),
    params: describeParams(model),
    ...(featureNames ? { featureNames: [...featureNames] } : {}),
    ...(inputSchema ? { inputSchema } : {}),
    ...outputsOf(model),
    metrics: metrics as Record<string, number>,
    lineage,
    card,
    tags: tags as Record<string, string>,
    ...(reference ? { reference } : {}),
    createdAt: new Date().toISOString(),
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Checks that a loaded model has the classes and input width its manifest declares (save writes both from the model). */
export function checkManifestAgrees(m: ModelManifest, model: unknown, what: string): void {
  const has = outputsOf(model);
  if (JSON.stringify(has.classes) !== JSON.stringify(m.classes)) {
    throw new ModelFormatError(`${what}: the manifest declares classes ${preview(m.classes, 80)} but the model has ${preview(has.classes, 80)}`);
  }
  if (has.nFeaturesIn !== m.nFeaturesIn)
    throw new ModelFormatError(`${what}: the manifest declares ${m.nFeaturesIn} input columns but the model takes ${has.nFeaturesIn}`);
}

/** Checks a decoded manifest's shape; anything off is a ModelFormatError naming the field. */
export function checkManifest(m: Record<string, any>, what: string): ModelManifest {
  if (m.format !== MODEL_FORMAT)
    throw new ModelFormatError(`${what}: not a kiln model file (its format is ${preview(m.format, 80)}, expected '${MODEL_FORMAT}')`);
  const v = m.formatVersion;
  if (!Number.isSafeInteger(v) || v < 1) throw new ModelFormatError(`${what}: malformed format version ${preview(v, 40)}`);
  if (v > MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(
      `${what}: model format version ${v} is newer than this kiln reads (up to ${MODEL_FORMAT_VERSION}; the file was written by kiln ${String(m.kilnVersion).slice(0, 40)}); upgrade kiln to load it`,
    );
  }
  const bad = (field: string, expected: string) => new ModelFormatError(`${what}: manifest field '${field}' should be ${expected}`);
  if (typeof m.kilnVersion !== 'string') throw bad('kilnVersion', 'a string');
  if (typeof m.className !== 'string' || m.className.length === 0) throw bad('className', 'a non-empty string');
  if (typeof m.createdAt !== 'string') throw bad('createdAt', 'an ISO date string');
  for (const f of ['params', 'metrics', 'lineage', 'card', 'tags']) if (!isObj(m[f])) throw bad(f, 'an object');
  for (const [k, x] of Object.entries(m.metrics)) if (typeof x !== 'number') throw bad(`metrics.${k}`, 'a number');
  if (m.featureNames !== undefined && !(Array.isArray(m.featureNames) && m.featureNames.every((n: unknown) => typeof n === 'string')))
    throw bad('featureNames', 'an array of strings');
  if (m.inputSchema !== undefined && !isObj(m.inputSchema)) throw bad('inputSchema', 'an object');
  if (m.reference !== undefined && !isObj(m.reference)) throw bad('reference', 'an object');
  if (m.classes !== undefined && !Array.isArray(m.classes)) throw bad('classes', 'an array');
  const body = (m.arrays as { name?: unknown; dtype?: unknown }[]).find((e) => e?.name === BODY_ARRAY);
  if (body?.dtype !== 'uint8') throw new ModelFormatError(`${what}: the manifest lists no '${BODY_ARRAY}' array (uint8) holding the model`);
  return m as ModelManifest;
}

/**
 * The fitted state of every class a model file can hold, and the check `load` runs on every object
 * of a loaded graph before anything predicts with it. Each family states its classes' schemas in
 * deploy/schemas/<family>.ts (in the vocabulary of fitted-schema.ts); this file joins them into
 * one list, which the loader and the round-trip test read whole. A class with no entry cannot be
 * loaded (the model-file round-trip test enumerates every exported estimator, so a new class
 * cannot forget one).
 *
 * Each entry lists `fitted` fields (all absent: an unfitted model, which predict refuses with
 * E_NOT_FITTED; otherwise each as stated) and `always` fields. An estimator's parameters are
 * checked by its own constructor (`new Class(params)`), the code that checks them on `fit`.
 */
import { ModelFormatError } from '../core/errors.js';
import { Estimator } from '../core/estimator.js';
import { Matrix } from '../core/matrix.js';
import { Rng } from '../core/prng.js';
import { TreeEnsemble } from '../models/tree/index.js';
import { absent, checkFields, type Dims, type Fields, rule } from './fitted-schema.js';
import { type Class, type ColumnCounts, type ModelSchema, rebuildWith, setNestedCheck } from './schemas/shared.js';
import { MODELS_SCHEMAS } from './schemas/models.js';
import { PREPROCESSING_SCHEMAS } from './schemas/preprocessing.js';
import { CLUSTER_SCHEMAS } from './schemas/cluster.js';
import { COMPOSE_SCHEMAS } from './schemas/compose.js';
import { SELECTION_SCHEMAS } from './schemas/selection.js';
import { IMBALANCE_SCHEMAS } from './schemas/imbalance.js';
import { DECOMPOSITION_SCHEMAS } from './schemas/decomposition.js';

const schemas = new Map<Class, ModelSchema>([
  ...MODELS_SCHEMAS,
  ...PREPROCESSING_SCHEMAS,
  ...CLUSTER_SCHEMAS,
  ...COMPOSE_SCHEMAS,
  ...SELECTION_SCHEMAS,
  ...IMBALANCE_SCHEMAS,
  ...DECOMPOSITION_SCHEMAS,
]);
setNestedCheck(checkModel);

/** The schema of an object's class, or undefined when kiln has none (it cannot be a model). */
export function schemaOf(o: object): ModelSchema | undefined {
  const proto = Object.getPrototypeOf(o);
  const Ctor = proto?.constructor as Class | undefined;
  return Ctor && Ctor.prototype === proto ? schemas.get(Ctor) : undefined; // exactly the class: a subclass states its own
}

/**
 * The classes a saved object graph may hold, by name: every model class with a schema and the
 * data classes inside them. toPlain writes, and fromPlain / load rebuild, only these.
 */
export const SAVABLE_CLASSES: ReadonlyMap<string, Class> = new Map([...schemas.keys(), Matrix, Rng, TreeEnsemble].map((Ctor) => [Ctor.name, Ctor] as const));

/** Every class with a schema (for the test that enumerates saveable classes). */
export function classesWithSchemas(): Class[] {
  return [...schemas.keys()];
}

/**
 * Checks a loaded model (estimator, transformer, Pipeline, ColumnTransformer) and everything in
 * it; returns its input and output column counts where its schema states them.
 */
export function checkModel(o: unknown, at: string): ColumnCounts {
  const s = o !== null && typeof o === 'object' ? schemaOf(o) : undefined;
  if (!s) {
    const what = o !== null && typeof o === 'object' ? `a ${(o as object).constructor?.name ?? 'plain object'}` : preview(o);
    throw new ModelFormatError(`${at} is ${what}, not a kiln estimator, transformer or pipeline`);
  }
  const fields = o as Record<string, unknown>;
  const Ctor = (o as object).constructor as new (p: unknown) => object;
  const params: Fields =
    o instanceof Estimator
      ? { defaults: rule('the parameter defaults (an object)', plainObject), current: rule('the parameters (an object)', plainObject) }
      : {};
  const dims: Dims = new Map();
  const fitted = Object.keys(s.fitted).some((k) => fields[k] !== undefined);
  checkFields(fields, { ...(s.always ?? {}), ...(fitted ? s.fitted : Object.fromEntries(Object.keys(s.fitted).map((k) => [k, absent]))), ...params }, at, dims);
  if (o instanceof Estimator) {
    // the parameters pass the class's own checks; the defaults are this kiln's, never the file's
    const built = rebuildWith(() => new Ctor(fields.current), at) as Record<string, unknown>;
    fields.defaults = built.defaults;
  }
  const composite = fitted || Object.keys(s.fitted).length === 0 ? s.check?.(o, at, dims) : undefined;
  if (composite) return composite;
  const outputs = typeof s.outputs === 'function' ? s.outputs(o, dims) : s.outputs !== undefined ? dims.get(s.outputs) : undefined;
  return { inputs: s.inputs !== undefined ? dims.get(s.inputs) : undefined, outputs };
}

function plainObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

function preview(v: unknown): string {
  return v === undefined ? 'nothing' : (JSON.stringify(v)?.slice(0, 60) ?? typeof v);
}

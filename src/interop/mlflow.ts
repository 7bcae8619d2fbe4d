/**
 * MLflow-style model directories: `toMlflow(model, dir)` writes
 *   MLmodel             YAML as MLflow documents it: flavors (a `kiln` flavor naming the model
 *                       file, its SHA-256 and kiln's version), model_uuid, utc_time_created,
 *                       signature (column-based inputs from the model's input schema, outputs from
 *                       its kind), saved_input_example_info, metadata;
 *   model.kiln          the model file (src/deploy/model-file.ts);
 *   input_example.json  one or more input rows in pandas' "split" orient ({ columns, data });
 *   package.json        what to install to load it (the npm twin of requirements.txt);
 * and `fromMlflow(dir)` loads it back, checking the flavor, the path and the file's SHA-256.
 * There is no python_function flavor: the model runs on Node, not in an MLflow Python process.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { IoError, ModelFormatError, NotFoundError, ParamError } from '../core/errors.js';
import type { Schema } from '../data/schema.js';
import { writeFileAtomic } from '../deploy/atomic-write.js';
import type { ModelManifest, ModelMeta } from '../deploy/manifest.js';
import { encodeModel, loadWithManifest } from '../deploy/model-file.js';
import type { AnyModelRegistry } from '../deploy/registry/index.js';
import { kilnVersion } from '../deploy/version.js';

const MODEL_FILE = 'model.kiln';

export interface MlflowOptions extends ModelMeta {
  /** Rows for input_example.json (arrays in the schema's column order, or objects by column name). Default: one row made from the schema. */
  inputExample?: readonly (readonly unknown[] | Record<string, unknown>)[];
}

function columnsOf(manifest: ModelManifest): { names: string[]; schema: Schema | undefined } {
  if (manifest.inputSchema) return { names: Object.keys(manifest.inputSchema), schema: manifest.inputSchema };
  if (manifest.featureNames) return { names: manifest.featureNames, schema: undefined };
  const p = manifest.nFeaturesIn ?? 0;
  return { names: Array.from({ length: p }, (_, i) => `x${i}`), schema: undefined };
}

/** MLflow's column-based signature: a JSON string per side, as MLmodel stores it. */
function signature(manifest: ModelManifest, names: string[], schema: Schema | undefined) {
  const inputs = names.map((name) => ({
    type: schema?.[name]?.type === 'string' ? 'string' : 'double',
    name,
    required: !(schema?.[name]?.nullable ?? true),
  }));
  const classes = manifest.classes;
  const outType = classes ? (classes.every((c) => typeof c === 'string') ? 'string' : classes.every((c) => Number.isInteger(c)) ? 'long' : 'double') : 'double';
  return { inputs: JSON.stringify(inputs), outputs: JSON.stringify([{ type: outType, required: true }]), params: null };
}

function exampleRows(names: string[], schema: Schema | undefined, given: MlflowOptions['inputExample']): unknown[][] {
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length === 0) throw new ParamError('toMlflow: inputExample must be a non-empty array of rows');
    return given.map((r, i) => {
      if (Array.isArray(r)) {
        if (r.length !== names.length) throw new ParamError(`toMlflow: inputExample[${i}] has ${r.length} values for ${names.length} columns`);
        return [...r];
      }
      if (typeof r !== 'object' || r === null) throw new ParamError(`toMlflow: inputExample[${i}] must be an array or an object`);
      return names.map((n) => (r as Record<string, unknown>)[n] ?? null);
    });
  }
  return [names.map((n) => (schema?.[n]?.type === 'string' ? (schema[n].values?.[0] ?? '') : (schema?.[n]?.min ?? 0)))];
}

/** Writes the model as an MLflow model directory (created if needed; refused if it already holds an MLmodel). */
export async function toMlflow(model: unknown, dir: string, opts: MlflowOptions = {}): Promise<{ dir: string; manifest: ModelManifest }> {
  if (typeof dir !== 'string' || dir === '') throw new ParamError('toMlflow: dir must be a directory path');
  const { inputExample, ...meta } = opts;
  const { bytes, manifest } = await encodeModel(model, meta);
  try {
    await mkdir(dir, { recursive: true });
    if ((await readdir(dir)).includes('MLmodel')) throw new ParamError(`toMlflow: ${dir} already holds an MLmodel; write to a new directory`);
  } catch (e) {
    if (e instanceof ParamError) throw e;
    throw new IoError(`toMlflow: creating ${dir}`, { cause: e });
  }
  const { names, schema } = columnsOf(manifest);
  const rows = exampleRows(names, schema, inputExample);
  const YAML = await import('yaml');
  const mlmodel = {
    artifact_path: 'model',
    flavors: {
      kiln: {
        kiln_version: kilnVersion(),
        model_file: MODEL_FILE,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        class_name: manifest.className,
        format_version: manifest.formatVersion,
      },
    },
    model_uuid: randomUUID().replaceAll('-', ''),
    utc_time_created: new Date().toISOString().replace('T', ' ').replace('Z', '000'),
    signature: signature(manifest, names, schema),
    saved_input_example_info: { artifact_path: 'input_example.json', type: 'dataframe', pandas_orient: 'split' },
    metadata: { kiln_version: kilnVersion() },
  };
  const pkg = { name: 'kiln-mlflow-model', private: true, type: 'module', dependencies: { kiln: `^${kilnVersion()}` } };
  const enc = new TextEncoder();
  await writeFileAtomic(join(dir, MODEL_FILE), bytes, `toMlflow: writing ${MODEL_FILE}`);
  await writeFileAtomic(join(dir, 'input_example.json'), enc.encode(JSON.stringify({ columns: names, data: rows })), 'toMlflow: writing input_example.json');
  await writeFileAtomic(join(dir, 'package.json'), enc.encode(`${JSON.stringify(pkg, null, 2)}\n`), 'toMlflow: writing package.json');
  await writeFileAtomic(join(dir, 'MLmodel'), enc.encode(YAML.stringify(mlmodel)), 'toMlflow: writing MLmodel');
  return { dir, manifest };
}

/** The kiln flavor of an MLflow model directory: the model file's path and digest, checked. */
export async function readMlflow(dir: string): Promise<{ modelPath: string; sha256: string; mlmodel: Record<string, unknown> }> {
  if (typeof dir !== 'string' || dir === '') throw new ParamError('fromMlflow: dir must be a directory path');
  let text: string;
  try {
    text = await readFile(join(dir, 'MLmodel'), 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT' || (e as { code?: string }).code === 'ENOTDIR')
      throw new NotFoundError(`fromMlflow: ${dir} has no MLmodel file`, { cause: e });
    throw new IoError(`fromMlflow: reading ${join(dir, 'MLmodel')}`, { cause: e });
  }
  if (text.length > 1 << 20) throw new ModelFormatError('fromMlflow: MLmodel is larger than 1 MiB');
  const YAML = await import('yaml');
  let doc: unknown;
  try {
    doc = YAML.parse(text, { maxAliasCount: 0 });
  } catch (e) {
    throw new ModelFormatError(`fromMlflow: MLmodel is not YAML (${(e as Error).message})`);
  }
  const flavor = (doc as { flavors?: { kiln?: { model_file?: unknown; sha256?: unknown } } })?.flavors?.kiln;
  if (!flavor || typeof flavor !== 'object')
    throw new ModelFormatError(
      `fromMlflow: MLmodel has no kiln flavor (flavors: ${Object.keys((doc as { flavors?: object })?.flavors ?? {}).join(', ') || 'none'})`,
    );
  const file = flavor.model_file;
  if (typeof file !== 'string' || file === '' || isAbsolute(file) || normalize(file).startsWith('..')) {
    throw new ModelFormatError(`fromMlflow: the kiln flavor's model_file must be a path inside the directory, got ${JSON.stringify(file)}`);
  }
  if (typeof flavor.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(flavor.sha256))
    throw new ModelFormatError('fromMlflow: the kiln flavor has no sha256 of its model file');
  return { modelPath: join(dir, normalize(file)), sha256: flavor.sha256, mlmodel: doc as Record<string, unknown> };
}

/** Loads the kiln model of an MLflow model directory written by toMlflow. */
export async function fromMlflow<T = unknown>(dir: string): Promise<T> {
  const { modelPath, sha256 } = await readMlflow(dir);
  return (await loadWithManifest<T>(modelPath, { sha256 })).model;
}

/** Registers the model of an MLflow model directory as a new version of `name`; returns the version. */
export async function registerMlflow(
  registry: AnyModelRegistry,
  name: string,
  dir: string,
  opts: { description?: string; tags?: Record<string, string> } = {},
): Promise<number> {
  const { modelPath, sha256 } = await readMlflow(dir);
  await loadWithManifest(modelPath, { sha256 }); // the digest and the model's structure, before the registry copies it
  return registry.register(name, { artifact: modelPath, ...opts, tags: { ...(opts.tags ?? {}), source: 'mlflow' } });
}

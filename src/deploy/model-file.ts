/**
 * Model files: a fitted estimator, transformer, Pipeline or ColumnTransformer in one file that
 * loads without executing code. The file is a kiln container (src/core/container.ts): the
 * manifest (manifest.ts) in JSON, the model's structure as kiln-plain JSON in the array 'body',
 * and every typed array of the model in the binary section, bit for bit, each with its SHA-256.
 * Writes are atomic; anything truncated, tampered with or from a newer format is E_MODEL_FORMAT.
 */
import { promises as fsp } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  CONTAINER_HEADER_BYTES,
  decodeContainer,
  decodeContainerHeader,
  decodeContainerManifest,
  encodeContainer,
  type ContainerArray,
} from '../core/container.js';
import { BackendUnavailableError, DeviceLostError, IoError, KilnError, ModelFormatError, NotFoundError, ParamError } from '../core/errors.js';
import { fromPlain, toPlain } from './plain.js';
import { ioError, writeFileAtomic } from './atomic-write.js';
import { checkModel, SAVABLE_CLASSES, schemaOf } from './fitted-schemas.js';
import { checkDigest, verifyDigest } from './registry/store.js';
import { extractArrays, restoreArrays } from './graph.js';
import { BODY_ARRAY, buildManifest, checkManifest, checkManifestAgrees, type ModelManifest, type ModelMeta } from './manifest.js';

/** A model in the model-file format, in memory (what `save` writes). */
export async function encodeModel(model: unknown, meta: ModelMeta = {}): Promise<{ bytes: Uint8Array; manifest: ModelManifest }> {
  if (model === null || typeof model !== 'object')
    throw new ParamError(`save: model must be an object (a fitted estimator, transformer or pipeline), got ${model === null ? 'null' : typeof model}`);
  if (!schemaOf(model))
    throw new ParamError(
      `save: model must be a kiln estimator, transformer, Pipeline or ColumnTransformer, got a ${model.constructor?.name ?? 'plain object'} (load accepts nothing else)`,
    );
  const head = buildManifest(model, meta);
  const { value, arrays } = extractArrays(model, SAVABLE_CLASSES);
  let plain: unknown;
  try {
    plain = await toPlain(value);
  } catch (e) {
    if (e instanceof KilnError) throw new ParamError(`save: ${e.message.replace(/^toPlain: value/, 'the model')}`);
    throw e;
  }
  const body = new TextEncoder().encode(JSON.stringify(plain));
  const bytes = encodeContainer(head as unknown as Record<string, unknown>, { [BODY_ARRAY]: body, ...arrays });
  const header = decodeContainerHeader(bytes.subarray(0, CONTAINER_HEADER_BYTES), bytes.length, 'save');
  const manifest = decodeContainerManifest(header, bytes.subarray(CONTAINER_HEADER_BYTES, CONTAINER_HEADER_BYTES + header.manifestBytes), 'save');
  return { bytes, manifest: manifest as ModelManifest }; // the manifest as written, with the container's array entries
}

/** Errors that mean "this file's contents are wrong" rather than "this machine cannot run it". */
function asFormatError(e: unknown, what: string): unknown {
  if (e instanceof ModelFormatError || e instanceof BackendUnavailableError || e instanceof DeviceLostError || e instanceof IoError) return e;
  const msg = (e as Error)?.message ?? String(e);
  if (e instanceof RangeError && /call stack/i.test(msg)) return new ModelFormatError(`${what}: the model data is nested too deeply`, { cause: e });
  return new ModelFormatError(`${what}: the model data is malformed (${msg})`, { cause: e });
}

/**
 * Verifies bytes in the model-file format — every checksum, the layout, the manifest's fields —
 * without rebuilding the model, and returns the manifest.
 */
export function checkModelBytes(bytes: Uint8Array, what = 'model'): ModelManifest {
  try {
    const { manifest, containerVersion } = decodeContainer(bytes, what);
    if (containerVersion < 2) throw new ModelFormatError(`${what}: a version-${containerVersion} container (a checkpoint?), not a model file`);
    return checkManifest(manifest, what);
  } catch (e) {
    throw asFormatError(e, what);
  }
}

/** A model and its manifest from bytes in the model-file format (what `load` reads). */
export async function decodeModel<T = any>(bytes: Uint8Array, what = 'model'): Promise<{ model: T; manifest: ModelManifest }> {
  let model: unknown, manifest: ModelManifest;
  try {
    const { manifest: raw, arrays, containerVersion } = decodeContainer(bytes, what);
    if (containerVersion < 2) throw new ModelFormatError(`${what}: a version-${containerVersion} container (a checkpoint?), not a model file`);
    manifest = checkManifest(raw, what);
    const body = arrays[BODY_ARRAY] as ContainerArray;
    if (!(body instanceof Uint8Array)) throw new ModelFormatError(`${what}: the '${BODY_ARRAY}' array should be uint8`);
    const plain = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    model = await restoreArrays(await fromPlain(plain), arrays, new Set([BODY_ARRAY]), (root) => {
      const cls = root !== null && typeof root === 'object' ? (root.constructor?.name ?? 'Object') : typeof root;
      if (cls !== manifest.className) throw new ModelFormatError(`${what}: the manifest says ${manifest.className} but the file holds a ${cls}`);
      try {
        checkModel(root, 'model');
      } catch (e) {
        throw e instanceof ModelFormatError ? new ModelFormatError(`${what}: ${e.message}`, { cause: e }) : e;
      }
    });
    checkManifestAgrees(manifest, model, what);
  } catch (e) {
    throw asFormatError(e, what);
  }
  return { model: model as T, manifest };
}

/**
 * Writes `model` (fitted estimator, transformer, Pipeline, ColumnTransformer) to `path`,
 * atomically: a reader sees the previous file or the new one, and a failed write leaves the
 * previous file intact. `meta` goes into the manifest (schema, metrics, lineage, card text).
 * Returns the manifest written.
 */
export async function save(model: unknown, path: string, meta: ModelMeta = {}): Promise<ModelManifest> {
  if (typeof path !== 'string' || path.length === 0) throw new ParamError('save: path must be a non-empty string');
  const { bytes, manifest } = await encodeModel(model, meta);
  await writeFileAtomic(path, bytes, `save: writing ${path}`);
  return manifest;
}

async function readAll(path: string, what: string): Promise<Uint8Array> {
  if (typeof path !== 'string' || path.length === 0) throw new ParamError(`${what}: path must be a non-empty string`);
  try {
    return await fsp.readFile(path);
  } catch (e) {
    const err = ioError(e, `${what} ${path}`);
    if (err instanceof NotFoundError) throw new NotFoundError(`${what}: no model file at ${resolvePath(path)}`, { cause: e });
    throw err;
  }
}

/** Loads a model file; never executes code from it. The result is the saved object, fitted. */
export async function load<T = any>(path: string): Promise<T> {
  return (await loadWithManifest<T>(path)).model;
}

/**
 * Loads a model file and returns the model with its manifest (one read of the file). With
 * `sha256`, the file's bytes must have that digest (as the registry recorded it) before anything decodes them.
 */
export async function loadWithManifest<T = any>(path: string, opts: { sha256?: string } = {}): Promise<{ model: T; manifest: ModelManifest }> {
  const bytes = await readAll(path, 'load');
  if (opts.sha256 !== undefined) verifyDigest(bytes, checkDigest(opts.sha256, `load ${path}`), `model file ${path}`);
  return decodeModel<T>(bytes, `model file ${path}`);
}

/** The manifest of a model file, reading only the header and the manifest (checked against its SHA-256). */
export async function readManifest(path: string): Promise<ModelManifest> {
  if (typeof path !== 'string' || path.length === 0) throw new ParamError('readManifest: path must be a non-empty string');
  const what = `model file ${path}`;
  let fh: Awaited<ReturnType<typeof fsp.open>> | undefined;
  try {
    fh = await fsp.open(path, 'r');
    const size = (await fh.stat()).size;
    const head = new Uint8Array(Math.min(size, CONTAINER_HEADER_BYTES));
    await fh.read(head, 0, head.length, 0);
    const header = decodeContainerHeader(head, size, what);
    if (header.version < 2) throw new ModelFormatError(`${what}: a version-${header.version} container (a checkpoint?), not a model file`);
    const mbytes = new Uint8Array(header.manifestBytes); // checked against the file size by decodeContainerHeader
    const { bytesRead } = await fh.read(mbytes, 0, mbytes.length, CONTAINER_HEADER_BYTES);
    if (bytesRead !== mbytes.length) throw new ModelFormatError(`${what}: truncated manifest`);
    return checkManifest(decodeContainerManifest(header, mbytes, what), what);
  } catch (e) {
    if (e instanceof KilnError) throw e;
    if (typeof (e as NodeJS.ErrnoException)?.code !== 'string') throw asFormatError(e, what); // e.g. a manifest nested too deeply
    const err = ioError(e, `readManifest ${path}`);
    if (err instanceof NotFoundError) throw new NotFoundError(`readManifest: no model file at ${resolvePath(path)}`, { cause: e });
    throw err;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

export { save as saveModel, load as loadModel };

/**
 * The registry calls that do more than one transaction — register (artifact into the store,
 * then the version row), promote (load and warm up, then move the alias), load and verify —
 * written once over a backend that runs operations (ops.ts) synchronously or asynchronously.
 */
import { promises as fsp } from 'node:fs';
import { ParamError, RegistryError } from '../../core/errors.js';
import { ioError } from '../atomic-write.js';
import type { Lineage, ModelManifest } from '../manifest.js';
import { checkModelBytes, decodeModel, encodeModel } from '../model-file.js';
import type { Predictor } from '../server/types.js';
import { servedSchema, warmUp } from '../warm-up.js';
import { checkAlias, checkName, checkVersion, jsonColumn } from './checks.js';
import * as ops from './ops.js';
import { type ArtifactStore, checkDigest } from './store.js';
import type { ActorOption, ModelVersion, RegisterOptions } from './types.js';

/** What a registry class gives the shared calls: its context, store, and how it runs a read or a write. */
export interface Backend {
  ctx: ops.OpsContext;
  store: ArtifactStore;
  actor: string;
  read<T>(what: string, op: ops.Op<T>): T | Promise<T>;
  write<T>(what: string, op: ops.Op<T>): T | Promise<T>;
}

const REGISTER_OPTIONS = ['artifact', 'params', 'metrics', 'tags', 'lineage', 'description', 'meta', 'actor'];

export async function register(b: Backend, name: string, opts: RegisterOptions): Promise<number> {
  checkName(name, 'register');
  if (!opts || typeof opts !== 'object') throw new ParamError('register: options { artifact, … } are required');
  for (const k of Object.keys(opts))
    if (!REGISTER_OPTIONS.includes(k)) throw new ParamError(`register: unknown option '${k}'; known options are ${REGISTER_OPTIONS.join(', ')}`);
  const actor = ops.actorOf(opts, b.actor, 'register');
  const lineageIn = opts.lineage ?? {};
  if (typeof lineageIn !== 'object' || Array.isArray(lineageIn)) throw new ParamError('register: lineage must be an object');
  if (lineageIn.parentVersion !== undefined) checkVersion(lineageIn.parentVersion, 'register: lineage.parentVersion');
  if (opts.description !== undefined && typeof opts.description !== 'string') throw new ParamError('register: description must be a string');

  let bytes: Uint8Array, manifest: ModelManifest;
  const { artifact } = opts;
  if (typeof artifact === 'string') {
    try {
      bytes = await fsp.readFile(artifact);
    } catch (e) {
      throw ioError(e, `register: reading ${artifact}`);
    }
    manifest = checkModelBytes(bytes, `register: model file ${artifact}`); // every checksum and the manifest
  } else if (artifact && typeof artifact === 'object') {
    ({ bytes, manifest } = await encodeModel(artifact, {
      ...(opts.meta ?? {}),
      metrics: opts.metrics,
      lineage: opts.lineage,
      tags: opts.tags,
      description: opts.description,
    }));
  } else {
    throw new ParamError('register: artifact must be a model-file path or a fitted model');
  }
  const params = jsonColumn(opts.params ?? manifest.params, 'register: params');
  const metrics = jsonColumn(opts.metrics ?? manifest.metrics, 'register: metrics');
  for (const [k, v] of Object.entries(JSON.parse(metrics))) if (typeof v !== 'number') throw new ParamError(`register: metrics.${k} must be a finite number`);
  const tags = jsonColumn(opts.tags ?? manifest.tags, 'register: tags');
  for (const [k, v] of Object.entries(JSON.parse(tags))) if (typeof v !== 'string') throw new ParamError(`register: tags.${k} must be a string`);
  const lineage: Lineage = { ...manifest.lineage, ...lineageIn };
  const lineageJson = jsonColumn(lineage, 'register: lineage');
  const description = opts.description ?? manifest.card?.description ?? null;

  // the file first (content-addressed, idempotent), then the rows in one transaction: a writer killed in between leaves an unreferenced file, never a version without one
  const sha256 = await b.store.put(bytes);
  return b.write(
    'register',
    ops.register({ name, actor, sha256, bytes: bytes.length, className: manifest.className, params, metrics, tags, lineage, lineageJson, description }),
  );
}

export async function decodeVersion<T>(b: Backend, v: ModelVersion): Promise<{ model: T; manifest: ModelManifest }> {
  const what = `registry model '${v.name}' v${v.version}`;
  return decodeModel<T>(await b.store.read(v.artifactSha256, what), what);
}

export async function promote(b: Backend, name: string, version: number, alias: string, opts: ActorOption & { warmUp?: boolean }): Promise<void> {
  checkName(name, 'promote');
  checkAlias(alias, 'promote');
  checkVersion(version, 'promote');
  if (opts.warmUp !== undefined && typeof opts.warmUp !== 'boolean')
    throw new ParamError(`promote: warmUp must be a boolean, got ${JSON.stringify(opts.warmUp)}`);
  const actor = ops.actorOf(opts, b.actor, 'promote');
  const rec = await b.read('getVersion', ops.getVersion(b.ctx, name, version)); // E_NOT_FOUND before any load
  if (rec.status === 'retired') throw new RegistryError(`promote: version ${version} of '${name}' is retired and cannot be aliased`);
  try {
    const { model, manifest } = await decodeVersion<Predictor>(b, rec);
    if (opts.warmUp !== false) await warmUp({ name, version, model, inputSchema: servedSchema(manifest) });
  } catch (e) {
    const now = await b.read('promote', ops.aliasNow(name, alias));
    if (e instanceof Error)
      e.message = `promote: version ${version} of '${name}' failed to load or warm up, so '${alias}' still points to ${now !== undefined ? `v${now}` : 'no version'}: ${e.message}`;
    throw e;
  }
  await b.write('promote', ops.moveAlias(b.ctx, name, alias, version, 'promote', actor, 'promote'));
}

/** The checks before an alias moves (setAlias), then the move. */
export function setAlias(b: Backend, name: string, alias: string, version: number, opts: ActorOption): void | Promise<void> {
  checkName(name, 'setAlias');
  checkAlias(alias, 'setAlias');
  checkVersion(version, 'setAlias');
  const actor = ops.actorOf(opts, b.actor, 'setAlias');
  return b.write('setAlias', ops.moveAlias(b.ctx, name, alias, version, 'set_alias', actor, 'setAlias'));
}

export async function load<T>(
  b: Backend,
  name: string,
  aliasOrVersion: string | number,
): Promise<{ model: T; manifest: ModelManifest; version: ModelVersion }> {
  const v = await b.read('resolve', ops.resolve(b.ctx, name, aliasOrVersion));
  return { ...(await decodeVersion<T>(b, v)), version: v };
}

/** Every version's model file present in the store with its recorded SHA-256, after the database's own check. */
export async function verify(b: Backend, databaseProblems: string[]): Promise<{ ok: boolean; problems: string[] }> {
  const problems = [...databaseProblems];
  for (const r of await b.read('verify', ops.artifacts())) {
    try {
      checkDigest(r.artifact_sha256, 'verify');
    } catch (e) {
      problems.push(`${r.name} v${r.version}: ${(e as Error).message}`);
      continue;
    }
    const path = b.store.pathOf(r.artifact_sha256);
    if (!(await b.store.intact(path, r.artifact_sha256, Number(r.artifact_bytes)))) {
      problems.push(`${r.name} v${r.version}: model file ${path} is missing or does not match its SHA-256`);
    }
  }
  return { ok: problems.length === 0, problems };
}

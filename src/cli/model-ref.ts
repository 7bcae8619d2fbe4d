/**
 * `--model`: a model file, or with `--registry DB` a registered model as `name`, `name@alias` or
 * `name@version` (default alias: production). Also reads back how `kiln train` typed the
 * model's input columns (the `kiln.cli` tag), for evaluate and predict.
 */
import { resolve } from 'node:path';
import { ModelFormatError, ParamError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import type { Table } from '../data/table.js';
import type { Schema } from '../data/schema.js';
import type { ModelManifest } from '../deploy/manifest.js';
import { readManifest } from '../deploy/model-file.js';
import { openModelRegistry } from '../deploy/registry/index.js';
import { registryLocation } from '../deploy/registry/open.js';
import { featureNames, type FeatureSpec } from './data.js';

export const SPEC_TAG = 'kiln.cli';

export interface ModelRef {
  /** The model file to load. */
  path: string;
  /** What to call it in messages. */
  label: string;
  manifest: ModelManifest;
  /** The SHA-256 the registry recorded: the file's bytes are checked against it when loaded. */
  sha256?: string;
  registry?: { name: string; version: number; aliases: string[]; status: string };
}

/** Splits `name@alias` / `name@3`. */
export function parseRegistryRef(ref: string): { name: string; at: string | number } {
  const i = ref.lastIndexOf('@');
  const name = i < 0 ? ref : ref.slice(0, i);
  const at = i < 0 ? 'production' : ref.slice(i + 1);
  if (!name || !at) throw new ParamError(`--model: ${JSON.stringify(ref)} should be name, name@alias or name@version`);
  return { name, at: /^\d+$/.test(at) ? Number(at) : at };
}

export async function resolveModel(model: string, registryPath?: string): Promise<ModelRef> {
  if (!registryPath) {
    const path = resolve(model);
    return { path, label: model, manifest: await readManifest(path) };
  }
  const { name, at } = parseRegistryRef(model);
  const reg = await openModelRegistry(registryLocation(registryPath), { readonly: true });
  try {
    const v = await reg.resolve(name, at);
    return {
      path: v.artifactPath,
      label: `${name} v${v.version}`,
      manifest: await readManifest(v.artifactPath),
      sha256: v.artifactSha256,
      registry: { name, version: v.version, aliases: v.aliases, status: v.status },
    };
  } finally {
    await reg.close();
  }
}

/**
 * How the model's inputs are read: the spec `kiln train` recorded, or for a model saved from code,
 * one built from its input schema (numbers numeric, text categorical) or feature names.
 */
export function featureSpecOf(m: ModelManifest, label: string): FeatureSpec {
  const tag = m.tags?.[SPEC_TAG];
  if (tag) {
    try {
      const spec = JSON.parse(tag) as FeatureSpec;
      if (Array.isArray(spec.numeric) && Array.isArray(spec.categorical) && Array.isArray(spec.datetime)) return spec;
    } catch {
      /* fall through to the error */
    }
    throw new ModelFormatError(`${label}: its '${SPEC_TAG}' tag is not a feature spec`);
  }
  const schema: Schema | undefined =
    m.inputSchema ?? (m.featureNames ? Object.fromEntries(m.featureNames.map((n) => [n, { type: 'number' as const, nullable: true }])) : undefined);
  if (!schema) throw new ParamError(`${label} records no input columns (no feature names or input schema); save it with featureNames to score files with it`);
  const entries = Object.entries(schema);
  return {
    numeric: entries.filter(([, c]) => c.type === 'number').map(([n]) => n),
    categorical: entries.filter(([, c]) => c.type === 'string').map(([n]) => n),
    datetime: [],
    missing: [],
    categoricalMissing: '(missing)',
    target: m.tags?.target ?? '',
    task: m.classes ? 'classification' : 'regression',
  };
}

/** The column order the model was fitted with (the manifest's feature names when present). */
export function inputOrder(m: ModelManifest, spec: FeatureSpec): string[] {
  return m.featureNames ?? featureNames(spec);
}

/**
 * Rows as the model takes them, in feature order: a column table when some input is text, else a
 * Float64 Matrix (pipelines kiln train writes take both, as the HTTP server sends them).
 */
export function modelInput(t: Table, m: ModelManifest, spec: FeatureSpec): Table | Matrix<Float64Array> {
  const order = inputOrder(m, spec);
  if (spec.categorical.length) return { rows: t.rows, columns: Object.fromEntries(order.map((n) => [n, t.columns[n]])) };
  const out = new Float64Array(t.rows * order.length);
  order.forEach((n, j) => {
    const col = t.columns[n] as Float64Array;
    for (let r = 0; r < t.rows; r++) out[r * order.length + j] = col[r];
  });
  return new Matrix(out, t.rows, order.length);
}

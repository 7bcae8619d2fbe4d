/** What fromOnnx's readers share: its errors, the node shape, threshold and input-width helpers. */
import { ModelFormatError, UnsupportedError } from '../../core/errors.js';

export const SOURCE = 'fromOnnx';

export const bad = (msg: string): never => {
  throw new ModelFormatError(`${SOURCE}: ${msg}`);
};

export const unsupported = (msg: string): never => {
  throw new UnsupportedError(`${SOURCE}: ${msg}`);
};

export type Attrs = Map<string, { f?: number; i?: number; s?: string; floats?: number[]; ints?: number[]; strings?: string[]; t?: Record<string, any> }>;

export interface Node {
  opType: string;
  domain: string;
  input: string[];
  output: string[];
  attrs: Attrs;
}

export const utf8 = new TextDecoder();

/** The largest f32 below t (t an f32): x < t exactly when x <= this, for f32 x. */
export function belowF32(t: number): number {
  if (!Number.isFinite(t)) return t;
  const f = new Float32Array([t]),
    u = new Uint32Array(f.buffer);
  if (t > 0) u[0] -= 1;
  else if (t === 0) u[0] = 0x80000001;
  else u[0] += 1;
  return f[0];
}

export function inputFeatures(graph: Record<string, any>, name: string, fallback: number): number {
  const input =
    (graph.input ?? []).find((i: Record<string, any>) => i.name === name) ??
    bad(`the operator reads ${name}, which is not a graph input (a preprocessing step before it?)`);
  const dims = input.type?.tensorType?.shape?.dim;
  const p = dims?.[1]?.dimValue;
  return typeof p === 'number' && p > 0 ? p : fallback;
}

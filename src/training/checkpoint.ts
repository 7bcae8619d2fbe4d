/** Checkpoint files: written atomically (temp file + rename), verified on load. */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { decodeContainer, encodeContainer } from '../core/container.js';
import { ModelFormatError } from '../core/errors.js';

export const CHECKPOINT_FORMAT = 'kiln-checkpoint';
export const CHECKPOINT_VERSION = 1;

type Arrays = Record<string, Float32Array | Float64Array | Int32Array>;

export async function writeCheckpoint(path: string, kind: string, state: Record<string, unknown>, arrays: Arrays): Promise<void> {
  const bytes = encodeContainer({ format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, kind, state }, arrays);
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path); // atomic on POSIX: readers see the old file or the new one
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export async function readCheckpoint(path: string, kind: string): Promise<{ state: Record<string, any>; arrays: Arrays }> {
  const { manifest, arrays } = decodeContainer(new Uint8Array(await readFile(path)), `checkpoint ${path}`);
  if (manifest.format !== CHECKPOINT_FORMAT) throw new ModelFormatError(`checkpoint ${path}: not a checkpoint (format ${JSON.stringify(manifest.format)})`);
  if (manifest.version !== CHECKPOINT_VERSION) {
    throw new ModelFormatError(`checkpoint ${path}: format version ${manifest.version} is not supported (this kiln reads ${CHECKPOINT_VERSION}); upgrade kiln`);
  }
  if (manifest.kind !== kind) throw new ModelFormatError(`checkpoint ${path}: holds a ${manifest.kind}, not a ${kind}`);
  for (const [name, a] of Object.entries(arrays)) {
    if (!(a instanceof Float32Array || a instanceof Float64Array || a instanceof Int32Array)) {
      throw new ModelFormatError(`checkpoint ${path}: array '${name}' is ${a.constructor.name}; checkpoints hold float32, float64 or int32 arrays`);
    }
  }
  return { state: manifest.state, arrays: arrays as Arrays };
}

/**
 * The registry's artifact store: model files kept by the SHA-256 of their bytes
 * (<store>/sha256/ab/abcdef….kiln), written atomically, shared by every version with the same
 * content, never modified once written.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModelFormatError, NotFoundError, RegistryError } from '../../core/errors.js';
import { ioError, writeFileAtomic } from '../atomic-write.js';

export const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const DIGEST = /^[0-9a-f]{64}$/;

/** A SHA-256 as the store names files by: 64 lowercase hex digits, nothing that could walk out of the store. */
export function checkDigest(sha256: unknown, what: string): string {
  if (typeof sha256 !== 'string' || !DIGEST.test(sha256)) {
    throw new RegistryError(
      `${what}: the recorded artifact digest ${JSON.stringify(sha256)?.slice(0, 80)} is not a SHA-256 (64 lowercase hex digits); the registry database was modified`,
    );
  }
  return sha256;
}

/** Refuses bytes whose SHA-256 is not the one recorded for them (E_MODEL_FORMAT). */
export function verifyDigest(bytes: Uint8Array, sha256: string, what: string): void {
  const actual = sha256Hex(bytes);
  if (actual !== sha256) {
    throw new ModelFormatError(
      `${what}: the file's SHA-256 is ${actual}, not the ${sha256} recorded for it; it was modified or damaged after it was registered`,
    );
  }
}

export class ArtifactStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** The absolute path of the artifact with this SHA-256 (E_REGISTRY for anything but a hex digest). */
  pathOf(sha256: string): string {
    checkDigest(sha256, 'registry store');
    return join(this.dir, 'sha256', sha256.slice(0, 2), `${sha256}.kiln`);
  }

  /** The artifact's bytes, checked against its SHA-256 (and recorded size) before anyone decodes them. */
  async read(sha256: string, what: string): Promise<Uint8Array> {
    const path = this.pathOf(sha256);
    let bytes: Uint8Array;
    try {
      bytes = await fsp.readFile(path);
    } catch (e) {
      const err = ioError(e, `${what}: reading ${path}`);
      if (err instanceof NotFoundError) throw new NotFoundError(`${what}: the model file ${path} is missing from the registry's store`, { cause: e });
      throw err;
    }
    verifyDigest(bytes, sha256, `${what}: model file ${path}`);
    return bytes;
  }

  /** Stores the bytes (once: an intact copy already there is kept) and returns their SHA-256. */
  async put(bytes: Uint8Array): Promise<string> {
    const sha = sha256Hex(bytes);
    const path = this.pathOf(sha);
    if (await this.intact(path, sha, bytes.length)) return sha;
    try {
      await fsp.mkdir(join(this.dir, 'sha256', sha.slice(0, 2)), { recursive: true });
    } catch (e) {
      throw ioError(e, `registry store: creating ${this.dir}`);
    }
    await writeFileAtomic(path, bytes, `registry store: writing ${path}`);
    return sha;
  }

  /** Whether the artifact exists with exactly these bytes (its digest already checked by pathOf). */
  async intact(path: string, sha: string, size?: number): Promise<boolean> {
    try {
      const st = await fsp.stat(path);
      if (size !== undefined && st.size !== size) return false;
      return sha256Hex(await fsp.readFile(path)) === sha;
    } catch {
      return false;
    }
  }
}

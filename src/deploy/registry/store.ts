/**
 * The registry's artifact store: model files kept by the SHA-256 of their bytes
 * (<store>/sha256/ab/abcdef….kiln), written atomically, shared by every version with the same
 * content, never modified once written.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { ioError, writeFileAtomic } from '../atomic-write.js';

export const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export class ArtifactStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** The absolute path of the artifact with this SHA-256. */
  pathOf(sha256: string): string {
    return join(this.dir, 'sha256', sha256.slice(0, 2), `${sha256}.kiln`);
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

  /** Whether the artifact exists with exactly these bytes. */
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

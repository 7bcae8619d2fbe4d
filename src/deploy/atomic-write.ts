/**
 * Atomic file replacement: the bytes go to a temporary file in the same directory, are flushed
 * to disk (fsync), and the temporary file is renamed over the target. Readers see the old file
 * or the new one, never a mix; a failure at any step leaves the old file as it was and removes
 * the temporary file.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IoError, KilnError, NotFoundError } from '../core/errors.js';

/** A system error (ENOENT, EACCES, ENOSPC, …) as a KilnError naming the operation. */
export function ioError(e: unknown, what: string): KilnError {
  if (e instanceof KilnError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return new NotFoundError(`${what}: no such file or directory (${err.path ?? ''})`, { cause: e });
  return new IoError(`${what}: ${err?.message ?? String(e)}`, { cause: e });
}

export async function writeFileAtomic(path: string, bytes: Uint8Array, what = `writing ${path}`): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fh: Awaited<ReturnType<typeof fsp.open>> | undefined;
  try {
    fh = await fsp.open(tmp, 'wx', 0o644);
    await fh.writeFile(bytes);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await fsp.rename(tmp, path);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw ioError(e, what);
  }
  await syncDir(dir);
}

/** Flushes a directory entry (the rename) to disk; best effort where the platform cannot. */
export async function syncDir(dir: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof fsp.open>> | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows and some file systems cannot fsync a directory; the rename itself is still atomic.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

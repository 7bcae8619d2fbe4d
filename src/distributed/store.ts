/**
 * The content-addressed data store the queue workers read a run's data from: bytes are stored
 * under the sha256 of their content, so a digest names one exact dataset, writing the same data
 * twice is free, and a reader can verify what it got. `directoryStore` keeps them in a directory
 * (a shared mount for several machines); an object store (S3, GCS) implements the same three
 * methods.
 */
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataFormatError, NotFoundError, ParamError } from '../core/errors.js';
import { ioError, writeFileAtomic } from '../deploy/atomic-write.js';
import { dataDigest } from './data-codec.js';

export interface DataStore {
  /** Stores `bytes` (if not already there) and returns their sha256 digest (hex). */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes of `digest`; E_NOT_FOUND when the store lacks them, E_DATA_FORMAT when they do not hash to it. */
  get(digest: string): Promise<Uint8Array>;
  has(digest: string): Promise<boolean>;
  /** Where the store is, for messages and for workers ('dir:/mnt/kiln-data'). */
  readonly location: string;
}

const DIGEST = /^[0-9a-f]{64}$/;

function checkDigest(digest: unknown, fn: string): string {
  if (typeof digest !== 'string' || !DIGEST.test(digest))
    throw new ParamError(`${fn}: digest must be 64 lowercase hex characters (a sha256), got ${String(digest)}`);
  return digest;
}

export interface DirectoryStoreOptions {
  /** Bytes kept in memory by digest after a read or write (read-through cache). Default: 512 MiB. */
  cacheBytes?: number;
}

/**
 * A data store in a directory: each dataset is one file `<dir>/<digest[0:2]>/<digest>`, written
 * atomically (temporary file, fsync, rename), so concurrent writers of the same data and readers
 * on other machines never see a partial file. Reads are cached in memory by digest.
 */
export function directoryStore(dir: string, opts: DirectoryStoreOptions = {}): DataStore {
  if (typeof dir !== 'string' || dir.length === 0) throw new ParamError('directoryStore: dir must be a directory path, e.g. directoryStore("/mnt/kiln-data")');
  const root = resolve(dir);
  const limit = opts.cacheBytes ?? 512 * 1024 * 1024;
  if (!Number.isFinite(limit) || limit < 0) throw new ParamError(`directoryStore: cacheBytes must be a number >= 0, got ${String(opts.cacheBytes)}`);
  const cache = new Map<string, Uint8Array>(); // insertion order = least recently used first
  let cached = 0;
  const remember = (digest: string, bytes: Uint8Array) => {
    if (bytes.length > limit || cache.has(digest)) return;
    cache.set(digest, bytes);
    cached += bytes.length;
    for (const [k, v] of cache) {
      if (cached <= limit) break;
      cache.delete(k);
      cached -= v.length;
    }
  };
  const pathOf = (digest: string) => join(root, digest.slice(0, 2), digest);
  return {
    location: `dir:${root}`,
    async put(bytes) {
      if (!(bytes instanceof Uint8Array)) throw new ParamError('directoryStore.put: bytes must be a Uint8Array');
      const digest = dataDigest(bytes);
      if (cache.has(digest)) return digest;
      const path = pathOf(digest);
      const there = await fsp.stat(path).then(
        (s) => s.size === bytes.length,
        () => false,
      );
      if (!there) {
        await fsp.mkdir(join(root, digest.slice(0, 2)), { recursive: true }).catch((e) => {
          throw ioError(e, `directoryStore: creating ${root}`);
        });
        await writeFileAtomic(path, bytes, `directoryStore: writing ${digest}`);
      }
      remember(digest, bytes);
      return digest;
    },
    async get(digest) {
      checkDigest(digest, 'directoryStore.get');
      const hit = cache.get(digest);
      if (hit) {
        cache.delete(digest); // most recently used goes last
        cache.set(digest, hit);
        return hit;
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await fsp.readFile(pathOf(digest)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') {
          throw new NotFoundError(`directoryStore: no data ${digest} in ${root}; the producer writes it there first — do both sides use the same directory?`);
        }
        throw ioError(e, `directoryStore: reading ${digest}`);
      }
      if (dataDigest(bytes) !== digest)
        throw new DataFormatError(`directoryStore: ${pathOf(digest)} does not hash to its name; the file is damaged, delete it`);
      remember(digest, bytes);
      return bytes;
    },
    async has(digest) {
      checkDigest(digest, 'directoryStore.has');
      if (cache.has(digest)) return true;
      return fsp.stat(pathOf(digest)).then(
        () => true,
        () => false,
      );
    },
  };
}

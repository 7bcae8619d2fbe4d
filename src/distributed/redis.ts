/**
 * Redis for the queue: a connection given as a URL or as host/port options, checked once with a
 * short timeout before BullMQ (which retries forever) is handed it — so an unreachable server or
 * wrong credentials are a clear E_IO, not a hang. BullMQ and ioredis are optional peers, loaded
 * only when the distributed executor is used.
 */
import { IoError, ParamError } from '../core/errors.js';

export interface RedisOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
}

/** A Redis connection: 'redis://user:pass@host:6379/0' or { host, port, password, db }. */
export type RedisConnection = string | RedisOptions;

/** The connection as ioredis options (BullMQ needs maxRetriesPerRequest null on blocking connections). */
export function redisOptions(c: RedisConnection, fn: string): RedisOptions & { maxRetriesPerRequest: null } {
  if (typeof c === 'string') {
    let u: URL;
    try {
      u = new URL(c);
    } catch {
      throw new ParamError(`${fn}: connection '${c}' is not a URL; write redis://host:port (or pass { host, port })`);
    }
    if (u.protocol !== 'redis:') throw new ParamError(`${fn}: connection must be a redis:// URL, got ${u.protocol}//`);
    const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
    if (db !== undefined && !(Number.isInteger(db) && db >= 0))
      throw new ParamError(`${fn}: the database in ${c} must be an integer, e.g. redis://host:6379/0`);
    return {
      host: u.hostname || '127.0.0.1',
      port: u.port ? Number(u.port) : 6379,
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(db !== undefined ? { db } : {}),
      maxRetriesPerRequest: null,
    };
  }
  if (c === null || typeof c !== 'object') throw new ParamError(`${fn}: connection must be a redis:// URL or { host, port }, got ${String(c)}`);
  if (c.port !== undefined && !(Number.isInteger(c.port) && c.port > 0 && c.port < 65536))
    throw new ParamError(`${fn}: connection.port must be a TCP port, got ${String(c.port)}`);
  return { ...c, maxRetriesPerRequest: null };
}

const where = (o: RedisOptions) => `redis://${o.host ?? '127.0.0.1'}:${o.port ?? 6379}${o.db ? `/${o.db}` : ''}`;

/** Loads an optional peer, or says how to install it. */
export async function peer<T>(name: 'bullmq' | 'ioredis', fn: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (e) {
    throw new ParamError(`${fn} needs the optional package '${name}': npm install bullmq ioredis (${(e as Error).message})`);
  }
}

/** Connects once, authenticates and pings within `timeoutMs`; E_IO naming the server and the cause otherwise. */
export async function probeRedis(o: RedisOptions, timeoutMs: number, fn: string): Promise<void> {
  const { Redis } = await peer<typeof import('ioredis')>('ioredis', fn);
  const client = new Redis({
    ...o,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  client.on('error', (e: Error) => {
    lastError ??= e; // the first cause (WRONGPASS, ECONNREFUSED); connect() then only says the connection closed
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      timeout,
    ]);
  } catch (e) {
    const msg = lastError?.message ?? (e as Error)?.message ?? String(e);
    const auth = /NOAUTH|WRONGPASS|invalid password|AUTH/i.test(msg);
    throw new IoError(
      auth
        ? `${fn}: Redis at ${where(o)} refused the credentials (${msg}); check the password/username in the connection`
        : `${fn}: cannot reach Redis at ${where(o)} (${msg}); start redis-server there or fix the connection (redis://host:port)`,
      { cause: e },
    );
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

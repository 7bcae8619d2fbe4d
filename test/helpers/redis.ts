/**
 * A real redis-server for the queue tests: started on a free loopback port with its data in a
 * temporary directory, stopped (and the directory removed) at the end. Without redis-server the
 * tests fail, never skip: CI sets KILN_REQUIRE_REDIS=1 and installs Debian's redis-server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = process.env.KILN_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** Starts redis-server (extra config lines such as 'requirepass secret' go in `args`). */
export async function startRedis(args: string[] = []): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `redis-server is not installed at ${REDIS_SERVER} (apt-get install redis-server); the queue tests need it${process.env.KILN_REQUIRE_REDIS === '1' ? ' (KILN_REQUIRE_REDIS=1)' : ''}`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'kiln-redis-'));
  const port = await freePort();
  const proc: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...args], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  for (let i = 0; i < 200 && !(await accepts(port)); i++) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode} before listening on ${port}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

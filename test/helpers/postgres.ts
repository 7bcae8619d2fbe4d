/**
 * A real, throwaway PostgreSQL for tests: Debian's binaries (/usr/lib/postgresql/<major>/bin),
 * a data directory in a temporary folder, a free TCP port on loopback and the unix socket in the
 * same folder; stopped and deleted by `stop()` (or at process exit, or by a detached watchdog
 * when the test process is killed outright). initdb refuses to run as root, so when the tests
 * run as root (here and in CI) the server runs as the `postgres` user (or `nobody`) over a
 * chowned folder. Password authentication is on for TCP (scram), so wrong credentials are refused.
 *
 * When PostgreSQL is not installed the caller gets `null` plus the reason — unless
 * KILN_REQUIRE_POSTGRES=1 (CI), where the absence throws instead.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPostgres {
  /** postgres://kiln:secret@127.0.0.1:<port>/<db> */
  url(db?: string): string;
  port: number;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

const PASSWORD = 'kiln-test-secret';

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? join(root, majors[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Who runs initdb and postgres: ourselves, or an unprivileged user when we are root. */
function runAs(): { uid: number; gid: number; user: string } | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', user], { encoding: 'utf8' });
    const g = spawnSync('id', ['-g', user], { encoding: 'utf8' });
    if (r.status === 0 && g.status === 0) return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()), user };
  }
  throw new Error('tests run as root, and neither a postgres nor a nobody user exists to run PostgreSQL');
}

function exec(bin: string, args: string[], as: ReturnType<typeof runAs>): void {
  const [cmd, argv] = as ? ['setpriv', [`--reuid=${as.uid}`, `--regid=${as.gid}`, '--clear-groups', bin, ...args]] : [bin, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, timeout: 60_000 });
}

/** Starts a PostgreSQL, or returns the reason it cannot (throws instead under KILN_REQUIRE_POSTGRES=1). */
export async function startPostgres(): Promise<TestPostgres | { unavailable: string }> {
  const bin = binDir();
  if (!bin) {
    const reason = 'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; apt-get install postgresql)';
    if (process.env.KILN_REQUIRE_POSTGRES === '1') throw new Error(`PostgreSQL is required here (KILN_REQUIRE_POSTGRES=1) but unavailable: ${reason}`);
    return { unavailable: reason };
  }
  const as = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'kiln-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${PASSWORD}\n`);
  if (as) {
    chownSync(dir, as.uid, as.gid);
    chownSync(pwfile, as.uid, as.gid);
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  exec(join(bin, 'initdb'), ['-D', data, '-U', 'kiln', '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync'], as);
  exec(
    join(bin, 'pg_ctl'),
    [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60`,
      'start',
    ],
    as,
  );
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      exec(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], as);
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  // a test worker killed outright runs no exit handler: a detached watchdog stops the server once this process is gone
  const ctl = as ? `setpriv --reuid=${as.uid} --regid=${as.gid} --clear-groups ${join(bin, 'pg_ctl')}` : join(bin, 'pg_ctl');
  spawn(
    'sh',
    ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; if [ -d '${data}' ]; then ${ctl} -D '${data}' -m immediate stop; rm -rf '${dir}'; fi`],
    { detached: true, stdio: 'ignore' },
  ).unref();
  const url = (db = 'postgres') => `postgres://kiln:${PASSWORD}@127.0.0.1:${port}/${db}`;
  const { default: pg } = await import('pg');
  return {
    port,
    url,
    stop,
    async createDatabase(name: string) {
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name}"`);
      } finally {
        await c.end();
      }
      return url(name);
    },
  };
}

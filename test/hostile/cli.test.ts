/**
 * The built `kiln` CLI (`node dist/cli/index.js`) in child processes, given what careless users
 * and hostile files give it: a port out of range, a port in use, a YAML alias bomb, a directory
 * for a file. Every failure is exit 1 with one clear line (the stack only with KILN_DEBUG=1).
 * And `kiln serve`: 127.0.0.1 by default, a warning when open to the network without a token,
 * KILN_REGISTRY honoured like the other commands.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer as netServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogisticRegression, ModelRegistry, save } from '../../src/index.js';
import { requireDist, root } from '../helpers/dist.js';
import { freePort } from '../helpers/redis.js';

const cli = join(root, 'dist', 'cli', 'index.js');
let dir: string;

function kiln(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const clean = { ...process.env, KILN_DEBUG: '', KILN_REGISTRY: '', KILN_SERVER_TOKEN: '', PORT: '' };
  return spawnSync(process.execPath, [cli, ...args], { cwd: dir, env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
}

/** One line on stderr, no stack frames. */
function expectOneLine(r: SpawnSyncReturns<string>, text: string | RegExp): void {
  expect(r.status, r.stderr).toBe(1);
  const lines = r.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('(kiln <command> --help'));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(text);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

/** Whether a TCP connection to host:port opens. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, host);
    s.setTimeout(2_000, () => {
      s.destroy();
      done(false);
    });
    s.on('connect', () => {
      s.destroy();
      done(true);
    });
    s.on('error', () => done(false));
  });
}

/** Starts `kiln serve`, waits for its address line, stops it with SIGTERM; its stderr and exit code. */
async function serveOnce(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  during?: (port: number) => Promise<void>,
): Promise<{ stderr: string; url: string; code: number | null }> {
  const clean = { ...process.env, KILN_DEBUG: '', KILN_REGISTRY: '', KILN_SERVER_TOKEN: '', PORT: '' };
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--log-level', 'silent', ...args], { cwd: dir, env: { ...clean, ...env } });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    const url = await new Promise<string>((done, fail) => {
      child.stderr.on('data', (d: string) => {
        stderr += d;
        const m = / at (http:\/\/\S+)\n/.exec(stderr);
        if (m) done(m[1]);
      });
      child.on('exit', () => fail(new Error(`serve exited: ${stderr}`)));
    });
    const health = await fetch(`${url.replace('0.0.0.0', '127.0.0.1')}/health`);
    expect(health.status).toBe(200);
    await during?.(Number(new URL(url).port));
    return { stderr, url, code: null };
  } finally {
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, stderr).toBe(0);
  }
}

beforeAll(async () => {
  requireDist();
  dir = mkdtempSync(join(tmpdir(), 'kiln-hostile-cli-'));
  const model = await new LogisticRegression().fit(
    [
      [0, 1],
      [1, 0],
      [0, 2],
      [2, 0],
    ],
    ['a', 'b', 'a', 'b'],
  );
  await save(model, join(dir, 'm.kiln'), {
    inputSchema: { a: { type: 'number', nullable: false, min: 0, max: 2 }, b: { type: 'number', nullable: false, min: 0, max: 2 } },
  });
  const reg = await ModelRegistry.open(join(dir, 'reg.db'));
  await reg.promote('toy', await reg.register('toy', { artifact: join(dir, 'm.kiln') }));
  reg.close();
  mkdirSync(join(dir, 'adir'));
  // each level nine aliases of the one before: 9^6 ≈ 530,000 values once expanded
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (const [prev, name] of [
    ['a', 'b'],
    ['b', 'c'],
    ['c', 'd'],
    ['d', 'e'],
    ['e', 'f'],
  ])
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  writeFileSync(join(dir, 'bomb.yaml'), `${levels.join('\n')}\n`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('failures are exit 1 with one clear line', () => {
  it('--port out of range names the range', () => {
    expectOneLine(kiln(['serve', '-m', 'm.kiln', '--port', '99999']), /--port must be an integer from 0 to 65535/);
  });

  it('an env PORT out of range is E_PARAM naming PORT', () => {
    expectOneLine(kiln(['serve', '-m', 'm.kiln'], { PORT: '99999' }), /^E_PARAM: listen: port must be an integer from 0 to 65535, got env PORT="99999"$/);
  });

  it('kiln worker: no --redis is E_PARAM, an unreachable Redis is E_IO naming it, --concurrency 0 a usage error', async () => {
    expectOneLine(kiln(['worker'], { KILN_REDIS: '' }), /^E_PARAM: kiln worker: --redis is required/);
    const port = await freePort();
    expectOneLine(
      kiln(['worker', '--redis', `redis://127.0.0.1:${port}`]),
      new RegExp(`^E_IO: startKilnWorker: cannot reach Redis at redis://127\\.0\\.0\\.1:${port}`),
    );
    expectOneLine(kiln(['worker', '--redis', 'redis://127.0.0.1:1', '--concurrency', '0']), /--concurrency must be an integer >= 1/);
  });

  it('a port in use is one line (kiln: listen EADDRINUSE …) and the process exits; KILN_DEBUG=1 adds the stack', async () => {
    const blocker: Server = netServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = String((blocker.address() as { port: number }).port);
    try {
      const r = kiln(['serve', '-m', 'm.kiln', '--port', port, '--log-level', 'silent']);
      expectOneLine(r, new RegExp(`^kiln: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port} \\(KILN_DEBUG=1 shows where it failed\\)$`));
      const debug = kiln(['serve', '-m', 'm.kiln', '--port', port, '--log-level', 'silent'], { KILN_DEBUG: '1' });
      expect(debug.status).toBe(1);
      expect(debug.stderr).toMatch(/^kiln: listen EADDRINUSE/);
      expect(debug.stderr).toMatch(/^\s+at /m);
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });

  it('a YAML alias bomb in a config is refused at once as E_DATA_FORMAT', () => {
    const started = performance.now();
    const r = kiln(['train', 'bomb.yaml']);
    expectOneLine(r, /^E_DATA_FORMAT: bomb\.yaml: refused: .*alias.*; write the values out instead of nesting aliases$/);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('a directory or a missing file given as a file says which', () => {
    expectOneLine(kiln(['train', 'adir']), /^E_PARAM: .*adir is a directory, not a config file/);
    expectOneLine(kiln(['train', 'nope.yaml']), /^E_PARAM: no config file at .*nope\.yaml \(ENOENT\); check the path$/);
    expectOneLine(kiln(['serve', '-m', 'adir']), /^E_IO: .*adir: EISDIR/);
    expectOneLine(
      kiln(['serve', '-m', 'toy']),
      /^E_PARAM: --model: no model file at .*toy; to serve a registered model give --registry DB \(or set KILN_REGISTRY\)$/,
    );
  });
});

describe('kiln serve', () => {
  it('listens on 127.0.0.1 by default, without a warning', async () => {
    // 127.0.0.2 is this machine too (Linux routes all of 127/8 to lo), but not the address bound:
    // a server on 0.0.0.0 would accept it
    const r = await serveOnce(['-m', 'm.kiln'], {}, async (port) => {
      expect(await reachable('127.0.0.1', port)).toBe(true);
      expect(await reachable('127.0.0.2', port)).toBe(false);
    });
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.stderr).not.toContain('warning');
  });

  it('warns on stderr when --host opens it to the network without a token, not with one', async () => {
    const open = await serveOnce(['-m', 'm.kiln', '--host', '0.0.0.0'], {}, async (port) => {
      if (process.platform === 'linux') expect(await reachable('127.0.0.2', port)).toBe(true);
    });
    expect(open.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(open.stderr).toContain('kiln serve: warning: listening on 0.0.0.0 without a token');
    const tokened = await serveOnce(['-m', 'm.kiln', '--host', '0.0.0.0'], { KILN_SERVER_TOKEN: 's3cret' });
    expect(tokened.stderr).not.toContain('warning');
  });

  it('--check-ranges warn answers values outside the training ranges and lists them; a bad mode is exit 1', async () => {
    await serveOnce(['-m', 'm.kiln', '--check-ranges', 'warn'], {}, async (port) => {
      const res = await fetch(`http://127.0.0.1:${port}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ row: { a: 9, b: 1 } }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-kiln-warnings')).toBe('1');
      expect(((await res.json()) as { warnings: string[] }).warnings).toEqual(["row: 'a' is 9, above the schema's maximum 2"]);
    });
    expectOneLine(
      kiln(['serve', '-m', 'm.kiln', '--check-ranges', 'maybe']),
      /--check-ranges <mode>' argument 'maybe' is invalid\. must be off, refuse or warn/,
    );
  });

  it('serves from KILN_REGISTRY when --registry is not given (a model file is still served as one)', async () => {
    const fromEnv = await serveOnce(['-m', 'toy'], { KILN_REGISTRY: 'reg.db' });
    expect(fromEnv.stderr).toContain('kiln serve: toy v1 at http://127.0.0.1:');
    const file = await serveOnce(['-m', 'm.kiln'], { KILN_REGISTRY: 'reg.db' });
    expect(file.stderr).toMatch(/kiln serve: m v[0-9a-f]{12} at /);
  });
});

describe('Ctrl-C during a long job', () => {
  /** A 60,000-row, 6-feature classification CSV: enough for a fit or a scoring run to take seconds. */
  function writeBigCsv(path: string): void {
    const lines = ['a,b,c,d,e,f,y'];
    let s = 7;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let i = 0; i < 60_000; i++) {
      const v = Array.from({ length: 6 }, rand);
      lines.push(`${v.map((x) => x.toFixed(5)).join(',')},${v[0] + v[1] * v[2] > 0.7 ? 'yes' : 'no'}`);
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
  }

  /** Runs the CLI, sends SIGINT `delayMs` after stderr matches `ready` (after the start when null); its exit code and stderr. */
  /** Sends SIGINT `delayMs` after the job is ready: a line on stderr matches, or (a function) it says so when polled. */
  function interrupt(args: string[], ready: RegExp | (() => boolean), delayMs: number): Promise<{ code: number | null; stderr: string }> {
    const clean = { ...process.env, KILN_DEBUG: '', KILN_REGISTRY: '' };
    const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: clean });
    let stderr = '',
      sent = typeof ready === 'function';
    if (typeof ready === 'function') {
      // polled rather than a fixed delay: under load the CLI can take seconds to install its handler
      const poll = setInterval(() => {
        if (!ready()) return;
        clearInterval(poll);
        setTimeout(() => child.kill('SIGINT'), delayMs);
      }, 20);
      child.on('exit', () => clearInterval(poll));
    }
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      if (!sent && (ready as RegExp).test(stderr)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), delayMs);
      }
    });
    return new Promise((done) => child.on('exit', (code) => done({ code, stderr })));
  }

  beforeAll(() => {
    writeBigCsv(join(dir, 'big.csv'));
    // ten times the rows for scoring, so that a run in batches of 2 rows takes several seconds
    const [header, ...body] = readFileSync(join(dir, 'big.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'huge.csv'), `${[header, ...Array.from({ length: 10 }, () => body.join('\n'))].join('\n')}\n`);
    writeFileSync(
      join(dir, 'long.yaml'),
      [
        'data: { source: big.csv }',
        'target: y',
        'task: classification',
        'features: { numeric: [a, b, c, d, e, f] }',
        'model: { class: GradientBoostingClassifier, params: { nEstimators: 5000, learningRate: 0.01, maxLeaves: 63 } }',
        'output: long.kiln',
        'register: { name: long }',
      ].join('\n'),
    );
  });

  it('kiln train: exit 130, the fit stops, no model file and no registry entry', async () => {
    const started = Date.now();
    const r = await interrupt(['train', 'long.yaml', '--registry', 'ctrlc.db'], /data: big\.csv/, 300);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/kiln: interrupted by SIGINT; stopped before writing anything/);
    expect(Date.now() - started).toBeLessThan(30_000); // 5,000 rounds would take minutes
    expect(existsSync(join(dir, 'long.kiln'))).toBe(false);
    expect(existsSync(join(dir, 'ctrlc.db'))).toBe(false);
  });

  it('kiln predict: exit 130 between batches, no output file and no temporary file left', async () => {
    requireDist();
    // 300,000 batches of 2 rows take several seconds, so the signal lands mid-run: once the
    // temporary output exists, batches are being written
    const writing = () => readdirSync(dir).some((f) => f.startsWith('scored'));
    const r = await interrupt(['predict', '-m', 'm.kiln', '-i', 'huge.csv', '-o', 'scored.csv', '-b', '2', '--no-progress'], writing, 200);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/kiln: interrupted by SIGINT; stopped before writing anything/);
    expect(readdirSync(dir).filter((f) => f.startsWith('scored'))).toEqual([]);
  });
});

/**
 * HTTP serving load test: `createServer` in a child process serving a penguins pipeline
 * (ColumnTransformer: impute + scale the four measurements, one-hot island and sex; then
 * LogisticRegression), single-row POST /predict bodies on 127.0.0.1. Bounded runs of 10 s each:
 * a steady 2,000 req/s from a paced open-loop client (target p99 ≤ 5 ms), autocannon unthrottled
 * (32 connections), and autocannon with overallRate 2,000 (bursty: see paced()). Every
 * prediction is logged (pino, JSON lines to stdout — a pipe, as under a container runtime) and counted in the
 * server's Prometheus metrics. Zero errors and zero non-2xx responses are required.
 * Run: npm run bench -- serve   (or npx tsx bench/serve.bench.ts; results in bench/results/serve.json)
 * Options (env): SERVE_SECONDS (default 10), SERVE_RATE (default 2000), SERVE_CONNECTIONS (default 32),
 * SERVE_NODE_FLAGS (extra node flags for the server processes, e.g. --cpu-prof or --trace-gc),
 * SERVE_LOG (stdout | file | off: where the server's prediction log goes), SERVE_DRIFT_MS (the monitored
 * server's drift interval, default 60000: a shorter one puts drift runs inside the measured phase),
 * SERVE_FLUSH_MS (how often the monitored server's queued log rows cross to the log's thread, default 200).
 * A third server runs with monitoring on (every request in the SQLite prediction log, drift every
 * minute against the model's reference profile): its paced p99 is compared with plain kiln's.
 * A fourth runs with adaptive micro-batching (microBatch: true): paced and unthrottled, against plain kiln.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResults } from './lib.js';

const SELF = fileURLToPath(import.meta.url);
const LOG = process.env.SERVE_LOG ?? 'stdout';
const PENGUINS = fileURLToPath(new URL('../node_modules/vega-datasets/data/penguins.json', import.meta.url));
const NUM = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const CAT = ['Island', 'Sex'];

function penguinRows(): { rows: Record<string, unknown>[]; species: string[] } {
  const all = JSON.parse(readFileSync(PENGUINS, 'utf8')) as Record<string, unknown>[];
  const clean = all.filter((p) => [...NUM, ...CAT].every((c) => p[c] !== null && p[c] !== undefined));
  return { rows: clean.map((p) => Object.fromEntries([...NUM, ...CAT].map((c) => [c, p[c]]))), species: clean.map((p) => p.Species as string) };
}

/** Answers the parent's IPC: CPU time used so far (µs), and a graceful close. */
function childIpc(close: () => Promise<void>): void {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  process.on('message', async (m: { cmd?: string }) => {
    if (m?.cmd === 'cpu') {
      const u = process.cpuUsage();
      process.send!({ cpu: u.user + u.system, loopMaxMs: loop.max / 1e6, loopP99Ms: loop.percentile(99) / 1e6 });
      loop.reset();
    } else if (m?.cmd === 'close') {
      await close();
      process.send!({ closed: true }, () => process.exit(0));
    }
  });
}

/** The child: fit the pipeline, serve it, report the address, close gracefully on request. */
async function runServer(): Promise<void> {
  const kiln = await import('../src/index.js');
  const { rows, species } = penguinRows();
  const table = kiln.fromRecords(rows);
  const model = await new kiln.Pipeline([
    [
      'prep',
      new kiln.ColumnTransformer([
        [
          'num',
          new kiln.Pipeline([
            ['impute', new kiln.SimpleImputer()],
            ['scale', new kiln.StandardScaler()],
          ]),
          NUM,
        ],
        ['cat', new kiln.OneHotEncoder({ handleUnknown: 'ignore' }), CAT],
      ]),
    ],
    ['clf', new kiln.LogisticRegression({ maxIter: 500 })],
  ]).fit(table, species);
  const monitored = process.env.KILN_BENCH_MONITOR === '1';
  const server = await kiln.createServer({
    model: {
      name: 'penguins',
      version: 1,
      model,
      inputSchema: kiln.inferSchema(table),
      ...(monitored ? { reference: kiln.referenceProfile(table, { predictions: species }) as never } : {}),
    },
    ...(monitored
      ? {
          predictionLog: {
            path: process.env.KILN_BENCH_LOG_DB!,
            maxBytes: 256 * 2 ** 20,
            ...(process.env.SERVE_FLUSH_MS ? { flushMs: Number(process.env.SERVE_FLUSH_MS) } : {}),
          },
          drift: { everyMs: Number(process.env.SERVE_DRIFT_MS ?? 60_000) },
        }
      : {}),
    ...(process.env.KILN_BENCH_MICROBATCH === '1' ? { microBatch: true } : {}),
    // stdout (a pipe, as under a container runtime) unless SERVE_LOG=file (a temp file) or off
    logger: LOG === 'off' ? false : { level: 'info', destination: LOG === 'file' ? process.env.KILN_BENCH_LOG! : 1 },
  });
  await server.loaded;
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  childIpc(() => server.close());
  process.send!({ url });
}

/**
 * The baseline child: bare fastify answering POST /predict with a fixed response of the same
 * shape (no model, no checks, no metrics, no logs) — the floor that HTTP on this machine sets.
 */
async function runBare(): Promise<void> {
  const { default: fastify } = await import('fastify');
  const app = fastify({ logger: false });
  const answer = {
    predictions: ['Adelie'],
    probabilities: [[0.98, 0.015, 0.005]],
    classes: ['Adelie', 'Chinstrap', 'Gentoo'],
    model: { name: 'penguins', version: 1 },
    variant: 'primary',
  };
  app.post('/predict', async () => answer);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  childIpc(() => app.close());
  process.send!({ url });
}

interface RunFigures {
  label: string;
  targetRate: number | null;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSec: number;
  /** Client-side latency (ms, exact from every response time). */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /** autocannon's own p99 (whole ms, corrected for coordinated omission at a fixed rate). */
  autocannonP99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

function pct(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function load(url: string, bodies: string[], label: string, seconds: number, connections: number, rate?: number): Promise<RunFigures> {
  const name = 'autocannon'; // untyped package: imported by a variable name so tsc leaves it as any
  const { default: autocannon } = await import(name);
  let times = new Float64Array(1 << 16),
    n = 0,
    next = 0;
  const instance = autocannon({
    url: `${url}/predict`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        setupRequest: (req: any) => {
          req.body = bodies[next++ % bodies.length];
          return req;
        },
      },
    ],
  } as any);
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (n === times.length) {
      const t = new Float64Array(n * 2);
      t.set(times);
      times = t;
    }
    times[n++] = ms;
  });
  const r: any = await instance;
  const sorted = times.slice(0, n).sort();
  return {
    label,
    targetRate: rate ?? null,
    connections,
    seconds: r.duration,
    requests: r.requests.total,
    requestsPerSec: Math.round(r.requests.total / r.duration),
    p50: pct(sorted, 0.5),
    p90: pct(sorted, 0.9),
    p99: pct(sorted, 0.99),
    p999: pct(sorted, 0.999),
    max: sorted[n - 1],
    autocannonP99: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

/**
 * A paced open-loop client: request i is due at t0 + i / rate and goes out when due on an idle
 * keep-alive connection (a new one is opened when all are busy), whatever is still in flight, so
 * the server sees a steady rate. Raw sockets and pre-built request bytes keep the client's own
 * cost per request low (it shares the machine with the server). autocannon's overallRate instead
 * gives each connection a budget per second, spent as fast as the connection goes, then idles
 * until the next second: bursts, not a rate (reported separately). Latency: from the actual send
 * (what the server and network add) and from the due time (also counts any lag of this client's
 * timer: corrected for coordinated omission).
 */
async function paced(url: string, bodies: string[], rate: number, seconds: number): Promise<RunFigures & { p99FromDue: number; sockets: number }> {
  const net = await import('node:net');
  const { hostname, port } = new URL(url);
  const requests = bodies.map((b) =>
    Buffer.from(`POST /predict HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`),
  );
  const total = Math.round(rate * seconds);
  const service = new Float64Array(total),
    fromDue = new Float64Array(total);
  let sent = 0,
    done = 0,
    errors = 0,
    non2xx = 0,
    closedInFlight = 0;
  interface Conn {
    sock: import('node:net').Socket;
    i: number;
    start: number;
    buf: Buffer | null;
  }
  const idle: Conn[] = [],
    all: Conn[] = [];
  const t0 = performance.now();
  let finished!: (wall: number) => void;
  const wall = new Promise<number>((r) => {
    finished = r;
  });
  const complete = (c: Conn, ok: boolean, status: number) => {
    const t = performance.now();
    if (!ok) errors++;
    else if (status !== 200) non2xx++;
    service[c.i] = t - c.start;
    fromDue[c.i] = t - (t0 + (c.i * 1000) / rate);
    c.i = -1;
    c.buf = null;
    idle.push(c);
    if (++done === total) finished((performance.now() - t0) / 1000);
  };
  const open = (): Conn => {
    const c: Conn = { sock: net.connect(Number(port), hostname), i: -1, start: 0, buf: null };
    c.sock.setNoDelay(true);
    c.sock.on('data', (chunk: Buffer) => {
      c.buf = c.buf ? Buffer.concat([c.buf, chunk]) : chunk;
      const head = c.buf.indexOf('\r\n\r\n');
      if (head < 0) return;
      const m = /content-length: *(\d+)/i.exec(c.buf.toString('latin1', 0, head));
      if (!m || c.buf.length < head + 4 + Number(m[1])) return;
      complete(c, true, Number(c.buf.toString('latin1', 9, 12)));
    });
    c.sock.on('error', () => {
      if (c.i >= 0) complete(c, false, 0);
    });
    // a connection the server ends with a request in flight is that request's error, not a hang
    c.sock.on('close', () => {
      const at = idle.indexOf(c);
      if (at >= 0) idle.splice(at, 1);
      if (c.i >= 0) {
        closedInFlight++;
        complete(c, false, 0);
        idle.pop(); // complete() handed the dead socket back: drop it again
      }
    });
    all.push(c);
    return c;
  };
  const fire = (i: number) => {
    const c = idle.pop() ?? open();
    c.i = i;
    c.start = performance.now();
    c.sock.write(requests[i % requests.length]);
  };
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    while (sent < due) fire(sent++);
    if (sent < total) setTimeout(tick, 0);
  };
  for (let k = 0; k < 8; k++) idle.push(open());
  tick();
  const seconds_ = await wall;
  if (closedInFlight > 0) console.warn(`paced ${url}: ${closedInFlight} connection(s) closed by the server with a request in flight`);
  for (const c of all) c.sock.removeAllListeners('close').destroy();
  const sv = service.slice().sort(),
    d = fromDue.slice().sort();
  return {
    label: `paced ${rate} req/s`,
    targetRate: rate,
    connections: 0,
    seconds: seconds_,
    requests: total,
    requestsPerSec: Math.round(total / seconds_),
    p50: pct(sv, 0.5),
    p90: pct(sv, 0.9),
    p99: pct(sv, 0.99),
    p999: pct(sv, 0.999),
    max: sv[sv.length - 1],
    autocannonP99: NaN,
    p99FromDue: pct(d, 0.99),
    sockets: all.length,
    errors,
    timeouts: 0,
    non2xx,
  };
}

/** p50/p99 estimated from the server's own histogram (bucket upper bounds), seconds → ms. */
function serverQuantiles(metrics: string): { count: number; p50: string; p99: string } {
  const buckets = [...metrics.matchAll(/kiln_predict_duration_seconds_bucket\{le="([^"]+)"[^}]*variant="primary"\} (\d+)/g)].map(
    (m) => [m[1], Number(m[2])] as const,
  );
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  const at = (q: number) => {
    const b = buckets.find(([, c]) => c >= q * total);
    return b ? (b[0] === '+Inf' ? '> 2500' : `≤ ${Number(b[0]) * 1000}`) : '?';
  };
  return { count: total, p50: at(0.5), p99: at(0.99) };
}

/**
 * A server child. The kiln child's stdout (its JSON log lines) is a pipe into `grep -c`, which
 * counts the prediction lines without this process (the load generator) reading them.
 */
async function startChild(kind: 'kiln' | 'bare', logPath: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const counter = kind === 'kiln' && LOG === 'stdout' ? spawn('grep', ['-c', '"event":"predict"'], { stdio: ['pipe', 'pipe', 'inherit'] }) : undefined;
  const child = fork(SELF, [], {
    env: { ...process.env, KILN_BENCH_SERVE_CHILD: kind, KILN_BENCH_LOG: logPath, ...extraEnv },
    execArgv: ['--import', 'tsx', ...(process.env.SERVE_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])],
    stdio: ['ignore', counter ? counter.stdin! : 'inherit', 'inherit', 'ipc'],
  });
  counter?.stdin?.destroy(); // the child holds the pipe now
  let counted = '';
  counter?.stdout?.on('data', (d) => {
    counted += d;
  });
  const counterDone = counter ? once(counter, 'close') : Promise.resolve();
  const [{ url }] = (await once(child, 'message')) as [{ url: string }];
  return {
    child,
    url,
    async cpu() {
      child.send({ cmd: 'cpu' });
      const [m] = (await once(child, 'message')) as [{ cpu: number; loopMaxMs: number }];
      return m;
    },
    async close() {
      child.send({ cmd: 'close' });
      await once(child, 'exit');
    },
    /** Prediction lines logged (after close). */
    async logged(): Promise<number> {
      if (LOG === 'off') return 0;
      if (LOG === 'file')
        return existsSync(logPath)
          ? readFileSync(logPath, 'utf8')
              .split('\n')
              .filter((l) => l.includes('"event":"predict"')).length
          : 0;
      await counterDone;
      return Number(counted.trim());
    },
  };
}

export async function benchServe(): Promise<void> {
  const seconds = Number(process.env.SERVE_SECONDS ?? 10);
  const rate = Number(process.env.SERVE_RATE ?? 2000);
  const connections = Number(process.env.SERVE_CONNECTIONS ?? 32);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-serve-'));
  const logPath = join(dir, 'predictions.log');
  const children: ChildProcess[] = [];
  try {
    const kiln = await startChild('kiln', logPath);
    children.push(kiln.child);
    const bare = await startChild('bare', logPath);
    children.push(bare.child);
    const logDb = join(dir, 'predictions.db');
    const monitored = await startChild('kiln', join(dir, 'monitored.log'), { KILN_BENCH_MONITOR: '1', KILN_BENCH_LOG_DB: logDb, SERVE_LOG: 'off' });
    children.push(monitored.child);
    const batched = await startChild('kiln', join(dir, 'batched.log'), { KILN_BENCH_MICROBATCH: '1', SERVE_LOG: 'off' });
    children.push(batched.child);
    const { rows } = penguinRows();
    const bodies = rows.map((row) => JSON.stringify({ row }));
    await load(kiln.url, bodies, 'warm-up', 3, connections); // JIT, connection setup
    await load(bare.url, bodies, 'warm-up', 3, connections);
    await load(monitored.url, bodies, 'warm-up', 3, connections);
    await load(batched.url, bodies, 'warm-up', 3, connections);
    /** A run with the server's CPU time per request measured around it. */
    const measured = async <T extends RunFigures>(
      srv: typeof kiln,
      name: string,
      run: () => Promise<T>,
    ): Promise<T & { server: string; cpuUsPerRequest: number; serverLoopMaxMs: number }> => {
      const c0 = await srv.cpu();
      const r = await run();
      const c1 = await srv.cpu();
      return { ...r, server: name, cpuUsPerRequest: (c1.cpu - c0.cpu) / r.requests, serverLoopMaxMs: c1.loopMaxMs };
    };
    const runs = [
      await measured(bare, 'bare fastify', () => paced(bare.url, bodies, rate, seconds)),
      await measured(kiln, 'kiln', () => paced(kiln.url, bodies, rate, seconds)),
      await measured(monitored, 'kiln + monitoring', () => paced(monitored.url, bodies, rate, seconds)),
      await measured(bare, 'bare fastify', () => load(bare.url, bodies, 'autocannon, unthrottled', seconds, connections)),
      await measured(kiln, 'kiln', () => load(kiln.url, bodies, 'autocannon, unthrottled', seconds, connections)),
      await measured(kiln, 'kiln', () => load(kiln.url, bodies, `autocannon, overallRate ${rate}`, seconds, connections, rate)),
      await measured(batched, 'kiln + micro-batching', () => paced(batched.url, bodies, rate, seconds)),
      await measured(batched, 'kiln + micro-batching', () => load(batched.url, bodies, 'autocannon, unthrottled', seconds, connections)),
    ];
    const metrics = await (await fetch(`${kiln.url}/metrics`)).text();
    const server = serverQuantiles(metrics);
    await kiln.close();
    await bare.close();
    await monitored.close();
    await batched.close();
    const logBytes = existsSync(logDb) ? statSync(logDb).size : 0;
    const logged = await kiln.logged();
    console.log(
      '| server | run | connections | requests | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | server CPU µs/req | server event-loop max delay ms | errors / non-2xx |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const f of runs) {
      console.log(
        `| ${f.server} | ${f.label} | ${f.connections || 'open loop'} | ${f.requests} | ${f.requestsPerSec} | ${f.p50.toFixed(2)} | ${f.p90.toFixed(2)} | ${f.p99.toFixed(2)} | ${f.p999.toFixed(2)} | ${f.max.toFixed(1)} | ${f.cpuUsPerRequest.toFixed(0)} | ${f.serverLoopMaxMs.toFixed(1)} | ${f.errors + f.timeouts} / ${f.non2xx} |`,
      );
    }
    const fixed = runs[1] as (typeof runs)[1] & { p99FromDue: number; sockets: number };
    const withMonitoring = runs[2];
    console.log(
      `monitoring on (prediction log + drift every minute): paced p99 ${withMonitoring.p99.toFixed(2)} ms vs ${fixed.p99.toFixed(2)} ms off (${((withMonitoring.p99 / fixed.p99 - 1) * 100).toFixed(1)} %), prediction log ${(logBytes / 2 ** 20).toFixed(1)} MiB`,
    );
    console.log(
      `kiln paced run: p99 from due time (coordinated-omission corrected) ${fixed.p99FromDue.toFixed(2)} ms over ${fixed.sockets} connections; autocannon's own p99 (whole ms): ${runs
        .slice(3)
        .map((r) => `${r.server} ${r.label} ${r.autocannonP99}`)
        .join(', ')}`,
    );
    const [batchedPaced, batchedOpen] = runs.slice(6);
    console.log(
      `micro-batching: paced p99 ${batchedPaced.p99.toFixed(2)} ms vs ${fixed.p99.toFixed(2)} ms without; unthrottled ${batchedOpen.requestsPerSec} req/s vs ${runs[4].requestsPerSec} without`,
    );
    console.log(`kiln server histogram (all runs, ${server.count} predictions): p50 ${server.p50} ms, p99 ${server.p99} ms; prediction log lines: ${logged}`);
    const failed = runs.filter((f) => f.errors + f.timeouts + f.non2xx > 0);
    const path = writeResults('serve', { runs, server, logged, logBytes, rate, seconds, connections, passed: failed.length === 0 && fixed.p99 <= 5 });
    console.log(`results: ${path}`);
    if (failed.length) throw new Error(`serve bench: errors in ${failed.map((f) => `${f.server} ${f.label}`).join(', ')}`);
    if (LOG !== 'off' && logged !== server.count) throw new Error(`serve bench: ${server.count} predictions but ${logged} log lines`);
    if (fixed.p99 > 5) console.log(`WARNING: kiln p99 ${fixed.p99.toFixed(2)} ms at ${rate} req/s is over the 5 ms target`);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.KILN_BENCH_SERVE_CHILD === 'kiln') await runServer();
else if (process.env.KILN_BENCH_SERVE_CHILD === 'bare') await runBare();
else if (process.argv[1] === SELF) await benchServe();

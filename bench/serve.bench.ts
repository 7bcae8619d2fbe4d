/**
 * HTTP serving load test: `createServer` in a child process serving a penguins pipeline
 * (ColumnTransformer: impute + scale the four measurements, one-hot island and sex; then
 * LogisticRegression), single-row POST /predict bodies on 127.0.0.1. Bounded runs of 10 s each:
 * a steady 2,000 req/s from a paced open-loop client (target p99 ≤ 5 ms), autocannon unthrottled
 * (32 connections), and autocannon with overallRate 2,000 (bursty: see paced()). Every
 * prediction is logged (pino, JSON lines to a temp file, as in production) and counted in the
 * server's Prometheus metrics. Zero errors and zero non-2xx responses are required.
 * Run: npm run bench -- serve   (or npx tsx bench/serve.bench.ts; results in bench/results/serve.json)
 * Options (env): SERVE_SECONDS (default 10), SERVE_RATE (default 2000), SERVE_CONNECTIONS (default 32).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResults } from './lib.js';

const SELF = fileURLToPath(import.meta.url);
const PENGUINS = fileURLToPath(new URL('../node_modules/vega-datasets/data/penguins.json', import.meta.url));
const NUM = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const CAT = ['Island', 'Sex'];

function penguinRows(): { rows: Record<string, unknown>[]; species: string[] } {
  const all = JSON.parse(readFileSync(PENGUINS, 'utf8')) as Record<string, unknown>[];
  const clean = all.filter((p) => [...NUM, ...CAT].every((c) => p[c] !== null && p[c] !== undefined));
  return { rows: clean.map((p) => Object.fromEntries([...NUM, ...CAT].map((c) => [c, p[c]]))), species: clean.map((p) => p.Species as string) };
}

/** The child: fit the pipeline, serve it, report the port, close gracefully on request. */
async function runServer(): Promise<void> {
  const kiln = await import('../src/index.js');
  const { rows, species } = penguinRows();
  const table = kiln.fromRecords(rows);
  const model = await new kiln.Pipeline([
    ['prep', new kiln.ColumnTransformer([
      ['num', new kiln.Pipeline([['impute', new kiln.SimpleImputer()], ['scale', new kiln.StandardScaler()]]), NUM],
      ['cat', new kiln.OneHotEncoder({ handleUnknown: 'ignore' }), CAT],
    ])],
    ['clf', new kiln.LogisticRegression({ maxIter: 500 })],
  ]).fit(table, species);
  const server = await kiln.createServer({
    model: { name: 'penguins', version: 1, model, inputSchema: kiln.inferSchema(table) },
    logger: { level: 'info', destination: process.env.KILN_BENCH_LOG! },
  });
  await server.loaded;
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  process.send!({ url });
  process.on('message', async (m: { cmd?: string }) => {
    if (m?.cmd !== 'close') return;
    await server.close();
    process.send!({ closed: true }, () => process.exit(0));
  });
}

interface RunFigures {
  label: string;
  targetRate: number | null;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSec: number;
  /** Client-side latency (ms, exact from every response time). */
  p50: number; p90: number; p99: number; p999: number; max: number;
  /** autocannon's own p99 (whole ms, corrected for coordinated omission at a fixed rate). */
  autocannonP99: number;
  errors: number; timeouts: number; non2xx: number;
}

function pct(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function load(url: string, bodies: string[], label: string, seconds: number, connections: number, rate?: number): Promise<RunFigures> {
  const { default: autocannon } = await import('autocannon');
  let times = new Float64Array(1 << 16), n = 0, next = 0;
  const instance = autocannon({
    url: `${url}/predict`, method: 'POST', headers: { 'content-type': 'application/json' },
    connections, duration: seconds, ...(rate ? { overallRate: rate } : {}),
    requests: [{ setupRequest: (req: any) => { req.body = bodies[next++ % bodies.length]; return req; } }],
  } as any);
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (n === times.length) { const t = new Float64Array(n * 2); t.set(times); times = t; }
    times[n++] = ms;
  });
  const r: any = await instance;
  const sorted = times.slice(0, n).sort();
  return {
    label, targetRate: rate ?? null, connections, seconds: r.duration, requests: r.requests.total,
    requestsPerSec: Math.round(r.requests.total / r.duration),
    p50: pct(sorted, 0.5), p90: pct(sorted, 0.9), p99: pct(sorted, 0.99), p999: pct(sorted, 0.999), max: sorted[n - 1],
    autocannonP99: r.latency.p99,
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx,
  };
}

/**
 * A paced open-loop client: request i is due at t0 + i / rate and sent when due, whatever is still
 * in flight (keep-alive sockets, up to 256), so the server sees a steady rate. autocannon's
 * overallRate instead gives each connection a budget per second, spent as fast as the connection
 * goes, then idles until the next second: bursts, not a rate (reported separately below).
 * Latency: from the actual send (service time as the client sees it) and from the due time
 * (includes any lag of this client's own timer, i.e. corrected for coordinated omission).
 */
async function paced(url: string, bodies: string[], rate: number, seconds: number): Promise<RunFigures & { p99FromDue: number }> {
  const http = await import('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const { hostname, port } = new URL(url);
  const total = Math.round(rate * seconds);
  const service = new Float64Array(total), fromDue = new Float64Array(total);
  let sent = 0, done = 0, errors = 0, non2xx = 0;
  const t0 = performance.now();
  const wall = await new Promise<number>((resolve) => {
    const finish = () => { if (++done === total) resolve((performance.now() - t0) / 1000); };
    const fire = (i: number) => {
      const due = t0 + (i * 1000) / rate, start = performance.now();
      const body = bodies[i % bodies.length];
      const req = http.request({ agent, hostname, port, path: '/predict', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        if (res.statusCode !== 200) non2xx++;
        res.resume();
        res.on('end', () => { const t = performance.now(); service[i] = t - start; fromDue[i] = t - due; finish(); });
      });
      req.on('error', () => { errors++; service[i] = fromDue[i] = NaN; finish(); });
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, 0);
    };
    tick();
  });
  agent.destroy();
  const s = service.filter((x) => !Number.isNaN(x)).sort(), d = fromDue.filter((x) => !Number.isNaN(x)).sort();
  return {
    label: `paced ${rate} req/s`, targetRate: rate, connections: 0, seconds: wall, requests: total,
    requestsPerSec: Math.round(total / wall),
    p50: pct(s, 0.5), p90: pct(s, 0.9), p99: pct(s, 0.99), p999: pct(s, 0.999), max: s[s.length - 1],
    autocannonP99: NaN, p99FromDue: pct(d, 0.99),
    errors, timeouts: 0, non2xx,
  };
}

/** p50/p99 estimated from the server's own histogram (bucket upper bounds), seconds → ms. */
function serverQuantiles(metrics: string): { count: number; p50: string; p99: string } {
  const buckets = [...metrics.matchAll(/kiln_predict_duration_seconds_bucket\{le="([^"]+)"[^}]*variant="primary"\} (\d+)/g)].map((m) => [m[1], Number(m[2])] as const);
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  const at = (q: number) => {
    const b = buckets.find(([, c]) => c >= q * total);
    return b ? (b[0] === '+Inf' ? '> 2500' : `≤ ${Number(b[0]) * 1000}`) : '?';
  };
  return { count: total, p50: at(0.5), p99: at(0.99) };
}

export async function benchServe(): Promise<void> {
  const seconds = Number(process.env.SERVE_SECONDS ?? 10);
  const rate = Number(process.env.SERVE_RATE ?? 2000);
  const connections = Number(process.env.SERVE_CONNECTIONS ?? 32);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-serve-'));
  const logPath = join(dir, 'predictions.log');
  const child: ChildProcess = fork(SELF, [], {
    env: { ...process.env, KILN_BENCH_SERVE_CHILD: '1', KILN_BENCH_LOG: logPath },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const [{ url }] = (await once(child, 'message')) as [{ url: string }];
    const { rows } = penguinRows();
    const bodies = rows.map((row) => JSON.stringify({ row }));
    await load(url, bodies, 'warm-up', 3, connections); // JIT, connection setup
    const fixed = await paced(url, bodies, rate, seconds);
    const open = await load(url, bodies, 'autocannon, unthrottled', seconds, connections);
    const bursty = await load(url, bodies, `autocannon, overallRate ${rate}`, seconds, connections, rate);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const server = serverQuantiles(metrics);
    child.send({ cmd: 'close' });
    await once(child, 'message');
    await once(child, 'exit');
    const logged = readFileSync(logPath, 'utf8').split('\n').filter((l) => l.includes('"event":"predict"')).length;
    const runs = [fixed, open, bursty];
    console.log('| run | connections | requests | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors / non-2xx |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const f of runs) {
      console.log(`| ${f.label} | ${f.connections || 'open loop'} | ${f.requests} | ${f.requestsPerSec} | ${f.p50.toFixed(2)} | ${f.p90.toFixed(2)} | ${f.p99.toFixed(2)} | ${f.p999.toFixed(2)} | ${f.max.toFixed(1)} | ${f.errors + f.timeouts} / ${f.non2xx} |`);
    }
    console.log(`paced run p99 from due time (coordinated-omission corrected): ${fixed.p99FromDue.toFixed(2)} ms; autocannon p99 (whole ms): unthrottled ${open.autocannonP99}, overallRate ${bursty.autocannonP99}`);
    console.log(`server histogram (all runs, ${server.count} predictions): p50 ${server.p50} ms, p99 ${server.p99} ms; prediction log lines: ${logged}`);
    const failed = runs.filter((f) => f.errors + f.timeouts + f.non2xx > 0);
    const path = writeResults('serve', { runs, server, logged, rate, seconds, connections, passed: failed.length === 0 && fixed.p99 <= 5 });
    console.log(`results: ${path}`);
    if (failed.length) throw new Error(`serve bench: errors in ${failed.map((f) => f.label).join(', ')}`);
    if (fixed.p99 > 5) console.log(`WARNING: p99 ${fixed.p99.toFixed(2)} ms at ${rate} req/s is over the 5 ms target`);
  } finally {
    if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.KILN_BENCH_SERVE_CHILD === '1') await runServer();
else if (process.argv[1] === SELF) await benchServe();

/**
 * The HTTP model server over real HTTP on 127.0.0.1 (port 0), serving LogisticRegression models
 * fitted on vega-datasets' penguins: input checks, limits, auth, readiness, metrics, A/B routing,
 * hot swap under load, graceful close.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServer,
  fromRecords,
  GradientBoostingClassifier,
  inferSchema,
  LogisticRegression,
  ModelRegistry,
  staticSource,
  type KilnServer,
  type ModelSource,
  type Predictor,
  type Schema,
  type ServedModel,
  type SourceState,
} from '../../src/index.js';

const penguins = JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/vega-datasets/data/penguins.json', import.meta.url)), 'utf8')) as Record<
  string,
  unknown
>[];
const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const rows = penguins
  .filter((p) => FEATURES.every((f) => typeof p[f] === 'number'))
  .map((p) => Object.fromEntries(FEATURES.map((f) => [f, p[f]])) as Record<string, number>);
const species = penguins.filter((p) => FEATURES.every((f) => typeof p[f] === 'number')).map((p) => p.Species as string);

let v1: ServedModel, v2: ServedModel, schema: Schema;
const servers: KilnServer[] = [];

beforeAll(async () => {
  const X = rows.map((r) => FEATURES.map((f) => r[f]));
  schema = inferSchema(fromRecords(rows));
  v1 = { name: 'penguins', version: 1, model: await new LogisticRegression({ maxIter: 300 }).fit(X, species), inputSchema: schema };
  v2 = { name: 'penguins', version: 2, model: await new LogisticRegression({ maxIter: 300, C: 0.1 }).fit(X, species), inputSchema: schema };
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function start(opts: Parameters<typeof createServer>[0]): Promise<{ server: KilnServer; url: string }> {
  const server = await createServer({ logger: false, defaultMetrics: false, ...opts });
  servers.push(server);
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, url };
}

/** A response body as JSON, typed loosely: tests assert its shape. */
async function json(res: Response): Promise<any> {
  return res.json();
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** Runs `n` tasks with `concurrency` workers. */
async function pool<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A model that takes `ms` per call (and counts calls), around a real one. */
function slow(inner: ServedModel, ms: number): ServedModel & { calls: () => number } {
  let calls = 0;
  const m = inner.model as Required<Pick<Predictor, 'predict' | 'predictProba'>>;
  const model: Predictor = {
    async predict(X) {
      calls++;
      await sleep(ms);
      return m.predict(X);
    },
    async predictProba(X) {
      await sleep(ms);
      return m.predictProba(X);
    },
  };
  return { ...inner, model, calls: () => calls };
}

describe('loading', () => {
  it("import 'kiln' loads none of fastify, pino, prom-client; createServer loads them", () => {
    const code = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const heavy = () => [...new Set(Object.keys(require.cache).map((p) => /node_modules\\/(fastify|pino|prom-client)\\//.exec(p)?.[1]).filter(Boolean))].sort();
      const kiln = await import(${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)});
      const before = heavy();
      const s = await kiln.createServer({ model: { name: 'x', version: 1, model: { predict: async () => [1] } }, logger: false });
      await s.close();
      console.log(JSON.stringify({ before, after: heavy() }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ before: [], after: ['fastify', 'prom-client'] });
  });
});

describe('POST /predict', () => {
  it('answers rows, a row and instances with predictions, probabilities, model and variant', async () => {
    const { url } = await start({ model: v1 });
    const a = await post(url, { rows: rows.slice(0, 3) });
    expect(a.status).toBe(200);
    expect(a.json.predictions).toEqual(await (v1.model as LogisticRegression).predict(rows.slice(0, 3).map((r) => FEATURES.map((f) => r[f]))));
    expect(a.json.probabilities).toHaveLength(3);
    expect(a.json.probabilities[0]).toHaveLength(3);
    expect(a.json.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(a.json.model).toEqual({ name: 'penguins', version: 1 });
    expect(a.json.variant).toBe('primary');
    const b = await post(url, { row: rows[0] });
    expect(b.json.predictions).toEqual([a.json.predictions[0]]);
    const c = await post(url, { instances: [FEATURES.map((f) => rows[0][f])], probabilities: false });
    expect(c.json.predictions).toEqual([a.json.predictions[0]]);
    expect(c.json.probabilities).toBeUndefined();
  });

  it('answers exactly what the model predicts, for every row (one probability pass gives both outputs)', async () => {
    const { url } = await start({ model: v1 });
    const X = rows.map((r) => FEATURES.map((f) => r[f]));
    const lr = v1.model as LogisticRegression;
    const r = await post(url, { rows });
    expect(r.json.predictions).toEqual(await lr.predict(X));
    expect(r.json.probabilities).toEqual((await lr.predictProba(X)).toArray());
  });

  it('uses the synchronous path of a model that has one (gradient boosting)', async () => {
    const X = rows.map((r) => FEATURES.map((f) => r[f]));
    const gb = await new GradientBoostingClassifier({ nEstimators: 20, randomState: 0 }).fit(X, species);
    let sync = 0;
    const model = {
      predict: (x: unknown) => gb.predict(x as number[][]),
      predictProba: (x: unknown) => gb.predictProba(x as number[][]),
      predictSync: (x: unknown) => {
        sync++;
        return gb.predictSync(x as number[][]);
      },
      predictProbaSync: (x: unknown) => {
        sync++;
        return gb.predictProbaSync(x as number[][]);
      },
    };
    const { url } = await start({ model: { name: 'gb', version: 1, model, inputSchema: schema }, syncMaxRows: 8 });
    const small = await post(url, { rows: rows.slice(0, 8) });
    expect(small.json.predictions).toEqual(await gb.predict(X.slice(0, 8)));
    expect(sync).toBeGreaterThan(0);
    const before = sync;
    const big = await post(url, { rows: rows.slice(0, 50) });
    expect(big.json.predictions).toEqual(await gb.predict(X.slice(0, 50)));
    expect(sync).toBe(before); // over syncMaxRows: the Promise path
  });

  it('refuses a schema violation with 400 naming the row and the field', async () => {
    const { url } = await start({ model: v1 });
    const wrongType = await post(url, { rows: [rows[0], { ...rows[1], 'Body Mass (g)': 'heavy' }] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.error).toMatchObject({ code: 'E_DTYPE', row: 1, field: 'Body Mass (g)', problem: 'wrong_type' });
    expect(wrongType.json.error.message).toContain("'Body Mass (g)'");
    expect(wrongType.json.error.message).toContain('rows[1]');

    const { 'Beak Depth (mm)': _, ...missing } = rows[2];
    const miss = await post(url, { rows: [rows[0], rows[1], missing] });
    expect(miss.status).toBe(400);
    expect(miss.json.error).toMatchObject({ code: 'E_PARAM', row: 2, field: 'Beak Depth (mm)', problem: 'missing' });

    const extra = await post(url, { row: { ...rows[0], 'Beak length': 40 } });
    expect(extra.status).toBe(400);
    expect(extra.json.error).toMatchObject({ row: 0, field: 'Beak length', problem: 'unknown_field' });

    const shortInstance = await post(url, { instances: [[1, 2, 3]] });
    expect(shortInstance.status).toBe(400);
    expect(shortInstance.json.error).toMatchObject({ code: 'E_PARAM', row: 0, problem: 'wrong_length' });

    for (const body of [{}, { rows: [] }, { rows: 'x' }, { row: rows[0], rows: [rows[0]] }, [1, 2]]) {
      const r = await post(url, body);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toMatch(/^E_/);
    }
    const badJson = await post(url, '{"rows": [');
    expect(badJson.status).toBe(400);
    expect(badJson.json.error.code).toBe('E_DATA_FORMAT');
  });

  it('checks ranges and allowed values only when asked (checkRanges)', async () => {
    const { url } = await start({ model: v1, checkRanges: true });
    const r = await post(url, { row: { ...rows[0], 'Flipper Length (mm)': 400 } });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ field: 'Flipper Length (mm)', problem: 'above_max' });
    const { url: lax } = await start({ model: v1 });
    expect((await post(lax, { row: { ...rows[0], 'Flipper Length (mm)': 400 } })).status).toBe(200);
  });

  it('answers 413 with a JSON error body for an oversized request', async () => {
    const { url } = await start({ model: v1, bodyLimit: 2048 });
    const r = await post(url, { rows: rows.slice(0, 100) });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('E_BODY_TOO_LARGE');
    expect((await post(url, { rows: rows.slice(0, 5) })).status).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { url } = await start({ model: v1 });
    const res = await fetch(`${url}/nope`);
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('E_NOT_FOUND');
  });
});

describe('bearer-token auth', () => {
  it('401 on a missing or wrong token; /health and /ready stay open', async () => {
    const { url } = await start({ model: v1, token: 's3cret' });
    const none = await post(url, { row: rows[0] });
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('E_UNAUTHORIZED');
    const wrong = await post(url, { row: rows[0] }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('E_UNAUTHORIZED');
    expect((await post(url, { row: rows[0] }, { authorization: 'Bearer s3cret' })).status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/models`)).status).toBe(401);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });

  it('takes the token from KILN_SERVER_TOKEN', async () => {
    process.env.KILN_SERVER_TOKEN = 'from-env';
    try {
      const { url } = await start({ model: v1 });
      expect((await post(url, { row: rows[0] })).status).toBe(401);
      expect((await post(url, { row: rows[0] }, { authorization: 'Bearer from-env' })).status).toBe(200);
    } finally {
      delete process.env.KILN_SERVER_TOKEN;
    }
  });
});

describe('health and readiness', () => {
  it('/ready is 503 until a model is loaded, then 200; /health is always 200', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const source: ModelSource = {
      async resolve(): Promise<SourceState> {
        await gate;
        return { primary: v1 };
      },
      subscribe: () => () => {},
    };
    const { server, url } = await start({ source });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const before = await fetch(`${url}/ready`);
    expect(before.status).toBe(503);
    expect((await json(before)).error.code).toBe('E_NOT_READY');
    const early = await post(url, { row: rows[0] });
    expect(early.status).toBe(503);
    expect(early.json.error.code).toBe('E_NOT_READY');
    expect(server.ready).toBe(false);
    open();
    await server.loaded;
    const after = await fetch(`${url}/ready`);
    expect(after.status).toBe(200);
    expect((await json(after)).primary).toEqual({ name: 'penguins', version: 1 });
    expect((await post(url, { row: rows[0] })).status).toBe(200);
  });
});

describe('GET /metrics and /models', () => {
  it('counts requests, rows, latency and errors by model version and variant', async () => {
    const { url } = await start({ model: v1 });
    for (let i = 0; i < 5; i++) await post(url, { rows: rows.slice(i, i + 2) });
    await post(url, { row: { ...rows[0], 'Body Mass (g)': null } });
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('kiln_predict_requests_total{model="penguins",version="1",variant="primary",status="200"} 5');
    expect(text).toContain('kiln_predict_requests_total{model="penguins",version="1",variant="primary",status="400"} 1');
    expect(text).toContain('kiln_predict_rows_total{model="penguins",version="1",variant="primary"} 10');
    expect(text).toContain('kiln_predict_duration_seconds_count{model="penguins",version="1",variant="primary"} 6');
    expect(text).toMatch(/kiln_predict_duration_seconds_bucket\{le="0.005",model="penguins",version="1",variant="primary"\} \d/);
    expect(text).toContain('kiln_errors_total{model="penguins",version="1",variant="primary",code="E_PARAM"} 1');
    expect(text).toContain('kiln_model_info{model="penguins",version="1",variant="primary"} 1');
  });

  it("keeps each server's metrics apart", async () => {
    const a = await start({ model: v1 }),
      b = await start({ model: v2 });
    await post(a.url, { row: rows[0] });
    const tb = await (await fetch(`${b.url}/metrics`)).text();
    expect(tb).not.toContain('version="1"');
  });

  it('/models lists the variants, versions and weights', async () => {
    const { url } = await start({ model: v1, candidate: v2, candidatePercent: 25 });
    const m = await json(await fetch(`${url}/models`));
    expect(m.ready).toBe(true);
    expect(m.variants.map((v: any) => [v.variant, v.version, v.weight])).toEqual([
      ['primary', 1, 0.75],
      ['candidate', 2, 0.25],
    ]);
    expect(m.variants[0].classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  });
});

describe('A/B and canary routing', () => {
  it('sends about candidatePercent of keys to the candidate, the same key always to the same variant', async () => {
    const { url } = await start({ model: v1, candidate: v2, candidatePercent: 20 });
    const n = 2000;
    const variants = await pool(n, 16, async (i) => (await post(url, { row: rows[i % rows.length] }, { 'x-kiln-key': `user-${i}` })).json.variant as string);
    const share = variants.filter((v) => v === 'candidate').length / n;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    // sticky: the same keys again, by header and by body field, land where they did
    for (let i = 0; i < 100; i++) {
      expect((await post(url, { row: rows[0] }, { 'x-kiln-key': `user-${i}` })).json.variant).toBe(variants[i]);
      const byField = await post(url, { row: rows[0], key: `user-${i}` });
      expect(byField.json.variant).toBe(variants[i]);
      expect(byField.json.model.version).toBe(variants[i] === 'candidate' ? 2 : 1);
    }
    // per-variant metrics
    const text = await (await fetch(`${url}/metrics`)).text();
    const count = (variant: string, version: number) =>
      Number(new RegExp(`kiln_predict_requests_total\\{model="penguins",version="${version}",variant="${variant}",status="200"\\} (\\d+)`).exec(text)?.[1]);
    expect(count('primary', 1) + count('candidate', 2)).toBe(n + 200);
    expect(count('candidate', 2)).toBe(variants.filter((v) => v === 'candidate').length + 2 * variants.slice(0, 100).filter((v) => v === 'candidate').length);
  });

  it('draws unkeyed requests at random, and sends everything to primary without a candidate', async () => {
    const { url } = await start({ model: v1, candidate: v2, candidatePercent: 50 });
    const variants = await pool(400, 8, async () => (await post(url, { row: rows[0] })).json.variant);
    const share = variants.filter((v) => v === 'candidate').length / 400;
    expect(share).toBeGreaterThan(0.38);
    expect(share).toBeLessThan(0.62);
    const { url: solo } = await start({ model: v1, candidatePercent: 50 });
    expect((await post(solo, { row: rows[0] }, { 'x-kiln-key': 'k' })).json.variant).toBe('primary');
  });
});

describe('hot swap', () => {
  it('switches versions under a steady stream of requests without dropping one', async () => {
    const source = staticSource(v1);
    const { server, url } = await start({ source });
    await server.loaded;
    let promotedAt = -1,
      swappedAt = -1,
      done = 0;
    const results = await pool(2000, 16, async (i) => {
      if (i === 600) {
        promotedAt = done;
        source.set('primary', v2); // the promotion: the server loads v2, then switches
        server.reload().then(() => {
          swappedAt = done;
        });
      }
      const r = await post(url, { row: rows[i % rows.length] }, { 'x-kiln-key': String(i) });
      done++;
      return r;
    });
    expect(results.every((r) => r.status === 200)).toBe(true);
    const versions = results.map((r) => r.json.model.version);
    expect(new Set(versions)).toEqual(new Set([1, 2]));
    expect(versions.slice(0, 500).every((v) => v === 1)).toBe(true);
    expect(versions.slice(-500).every((v) => v === 2)).toBe(true);
    expect(promotedAt).toBeGreaterThan(0);
    expect(swappedAt).toBeGreaterThanOrEqual(promotedAt);
    expect(server.live.primary).toEqual({ name: 'penguins', version: 2 });
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('kiln_model_swaps_total 1');
    expect(text).toContain('kiln_model_info{model="penguins",version="2",variant="primary"} 1');
    expect(text).not.toContain('kiln_model_info{model="penguins",version="1"');
  });

  it('lets in-flight requests finish on the version they started on', async () => {
    const slowV1 = slow(v1, 150);
    const source = staticSource(slowV1);
    const { server, url } = await start({ source });
    await server.loaded;
    const calls = slowV1.calls();
    const inflight = post(url, { row: rows[0] });
    while (slowV1.calls() === calls) await sleep(2);
    source.set('primary', v2);
    await server.reload();
    const fresh = await post(url, { row: rows[0] });
    expect(fresh.json.model.version).toBe(2);
    const old = await inflight;
    expect(old.status).toBe(200);
    expect(old.json.model.version).toBe(1);
  });

  it('loads a new version fully before switching (a slow load keeps the old one serving)', async () => {
    let release!: () => void;
    let state: SourceState = { primary: v1 };
    const listeners = new Set<() => void>();
    const source: ModelSource = {
      async resolve() {
        const s = state;
        if (s.primary === v2)
          await new Promise<void>((r) => {
            release = r;
          });
        return s;
      },
      subscribe(fn) {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    };
    const { server, url } = await start({ source });
    await server.loaded;
    state = { primary: v2 };
    const swap = server.reload();
    for (let i = 0; i < 20; i++) expect((await post(url, { row: rows[i] })).json.model.version).toBe(1);
    release();
    await swap;
    expect((await post(url, { row: rows[0] })).json.model.version).toBe(2);
  });
});

describe('graceful close', () => {
  it('finishes in-flight requests, then refuses connections', async () => {
    const slowV1 = slow(v1, 300);
    const { server, url } = await start({ model: slowV1 });
    await server.loaded;
    const calls = slowV1.calls();
    const pending = Array.from({ length: 6 }, (_, i) => post(url, { row: rows[i] }));
    while (slowV1.calls() < calls + 6) await sleep(2);
    const t0 = performance.now();
    await server.close();
    expect(performance.now() - t0).toBeGreaterThan(100);
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.every((a) => a.json.model.version === 1)).toBe(true);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});

describe('registry-backed serving', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-server-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function registryWith(db: string): Promise<ModelRegistry> {
    const reg = await ModelRegistry.open(join(dir, db));
    await reg.register('penguins', { artifact: v1.model, meta: { inputSchema: schema } });
    await reg.register('penguins', { artifact: v2.model, meta: { inputSchema: schema } });
    return reg;
  }

  it('serves name@production and follows a promotion under a steady stream of requests', async () => {
    const reg = await registryWith('promote.db');
    try {
      await reg.promote('penguins', 1);
      const { server, url } = await start({ registry: join(dir, 'promote.db'), name: 'penguins', pollMs: 100 });
      await server.loaded;
      expect(server.live.primary).toEqual({ name: 'penguins', version: 1 });
      const results = await pool(2000, 16, async (i) => {
        if (i === 400) await reg.promote('penguins', 2); // another connection, as another process would
        return post(url, { row: rows[i % rows.length] });
      });
      expect(results.filter((r) => r.status !== 200)).toEqual([]);
      const versions = results.map((r) => r.json.model.version);
      expect(versions.slice(0, 400).every((v) => v === 1)).toBe(true);
      const first2 = versions.indexOf(2);
      expect(first2).toBeGreaterThanOrEqual(400);
      expect(first2).toBeLessThan(1800);
      // once v2 answered, only requests already in flight (16 clients) may still answer v1
      expect(versions.slice(first2 + 16).every((v) => v === 2)).toBe(true);
      const models = await json(await fetch(`${url}/models`));
      expect(models.variants[0]).toMatchObject({ variant: 'primary', version: 2, info: { className: 'LogisticRegression' } });
      expect(models.source.registry.versions.map((v: any) => v.version)).toEqual([1, 2]);
      expect(models.source.registry.aliases).toEqual([expect.objectContaining({ alias: 'production', version: 2, previousVersion: 1 })]);
    } finally {
      reg.close();
    }
  });

  it('routes to the candidate alias when it exists; reload() picks up alias moves at once', async () => {
    const reg = await registryWith('canary.db');
    try {
      await reg.promote('penguins', 1);
      const { server, url } = await start({ registry: join(dir, 'canary.db'), name: 'penguins', candidatePercent: 30, pollMs: 60_000 });
      await server.loaded;
      expect(server.live.candidate).toBeUndefined();
      reg.setAlias('penguins', 'candidate', 2);
      await server.reload();
      expect(server.live).toEqual({ primary: { name: 'penguins', version: 1 }, candidate: { name: 'penguins', version: 2 } });
      const answers = await pool(300, 8, async (i) => (await post(url, { row: rows[0] }, { 'x-kiln-key': `k${i}` })).json);
      const cand = answers.filter((a) => a.variant === 'candidate');
      expect(cand.every((a) => a.model.version === 2)).toBe(true);
      expect(cand.length / 300).toBeGreaterThan(0.2);
      expect(cand.length / 300).toBeLessThan(0.4);
      reg.deleteAlias('penguins', 'candidate');
      await server.reload();
      expect(server.live.candidate).toBeUndefined();
    } finally {
      reg.close();
    }
  });

  it('is not ready while the alias is missing, and becomes ready once it is set', async () => {
    const reg = await registryWith('late.db');
    try {
      const { server, url } = await start({ registry: join(dir, 'late.db'), name: 'penguins', pollMs: 50 });
      await expect(server.loaded).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      expect((await fetch(`${url}/ready`)).status).toBe(503);
      await reg.promote('penguins', 2);
      for (let i = 0; i < 100 && !server.ready; i++) await sleep(20);
      expect((await fetch(`${url}/ready`)).status).toBe(200);
      expect((await post(url, { row: rows[0] })).json.model.version).toBe(2);
    } finally {
      reg.close();
    }
  });
});

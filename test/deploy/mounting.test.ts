/**
 * kiln inside other services: kilnPlugin in a host fastify app and kilnMiddleware in an Express
 * app answer kiln's routes with kiln's checks and leave the host's own routes, hooks and 404s
 * alone; GET /openapi.json is a valid OpenAPI 3.1 document whose example request succeeds and
 * whose row schema accepts and refuses what the server does.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import express from 'express';
import fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, fromRecords, inferSchema, kilnMiddleware, kilnPlugin, LogisticRegression, type ServedModel } from '../../src/index.js';

const penguins = JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/vega-datasets/data/penguins.json', import.meta.url)), 'utf8')) as Record<
  string,
  unknown
>[];
const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const complete = penguins.filter((p) => FEATURES.every((f) => typeof p[f] === 'number'));
const rows = complete.map((p) => Object.fromEntries(FEATURES.map((f) => [f, p[f]])) as Record<string, number>);
const species = complete.map((p) => p.Species as string);

let served: ServedModel;
let expected: unknown[];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const X = rows.map((r) => FEATURES.map((f) => r[f]));
  const model = await new LogisticRegression({ maxIter: 300 }).fit(X, species);
  served = { name: 'penguins', version: 3, model, inputSchema: inferSchema(fromRecords(rows)) };
  expected = Array.from((await model.predict(X.slice(0, 5))) as ArrayLike<unknown>);
});

afterAll(async () => {
  for (const c of closers) await c();
});

describe('kilnPlugin in a host fastify app', () => {
  async function host() {
    const app = fastify({ logger: false });
    let hostHookSaw = 0;
    app.addHook('onRequest', async (req) => {
      if (req.url.startsWith('/ml/')) hostHookSaw++;
    });
    app.get('/own', async () => ({ host: true }));
    await app.register(kilnPlugin, { model: served, prefix: '/ml', logger: false, defaultMetrics: false });
    await app.ready();
    closers.push(() => app.close());
    return { app, seen: () => hostHookSaw };
  }

  it('answers /ml/predict with the model and leaves the host routes, hooks and 404 alone', async () => {
    const { app, seen } = await host();
    const res = await app.inject({ method: 'POST', url: '/ml/predict', payload: { rows: rows.slice(0, 5) } });
    expect(res.statusCode).toBe(200);
    expect(res.json().predictions).toEqual(expected);
    expect(res.json().model).toEqual({ name: 'penguins', version: 3 });
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(seen()).toBe(1); // the host's hook ran for kiln's route too
    expect((await app.inject({ url: '/own' })).json()).toEqual({ host: true });
    // the host's 404, not kiln's JSON one
    const missing = await app.inject({ url: '/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).not.toHaveProperty('requestId');
    // kiln's input checks and error shape
    const bad = await app.inject({ method: 'POST', url: '/ml/predict', payload: { rows: [{ ...rows[0], 'Body Mass (g)': 'heavy' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'E_DTYPE', row: 0, field: 'Body Mass (g)', problem: 'wrong_type' });
    // kiln's body rules inside its context only: text/plain is 415 there
    const text = await app.inject({ method: 'POST', url: '/ml/predict', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    // a column named __proto__ is a plain key for kiln's parser, as on kiln's own server
    const proto = await app.inject({
      method: 'POST',
      url: '/ml/predict',
      headers: { 'content-type': 'application/json' },
      payload: '{"row": {"__proto__": 1}}',
    });
    expect(proto.statusCode).toBe(400);
    expect(proto.json().error.code).toBe('E_PARAM');
  });

  it('takes the token option as kiln server does, and closing the host closes kiln', async () => {
    const app = fastify({ logger: false });
    await app.register(kilnPlugin, { model: served, prefix: '/ml', token: 's3cret', logger: false, defaultMetrics: false });
    await app.ready();
    expect((await app.inject({ method: 'POST', url: '/ml/predict', payload: { row: rows[0] } })).statusCode).toBe(401);
    const ok = await app.inject({ method: 'POST', url: '/ml/predict', headers: { authorization: 'Bearer s3cret' }, payload: { row: rows[0] } });
    expect(ok.json().predictions).toEqual(expected.slice(0, 1));
    expect((await app.inject({ url: '/ml/health' })).statusCode).toBe(200); // open, as on kiln's server
    await app.close();
  });

  it('refuses connection settings (the host owns them) and unknown options, naming them', async () => {
    const app = fastify({ logger: false });
    await expect(app.register(kilnPlugin, { model: served, requestTimeout: 5 } as never).ready()).rejects.toThrow(
      /kilnPlugin: requestTimeout is a connection setting/,
    );
    const app2 = fastify({ logger: false });
    await expect(app2.register(kilnPlugin, { model: served, modle: 1 } as never).ready()).rejects.toMatchObject({ code: 'E_PARAM' });
  });
});

describe('kilnMiddleware in an Express app', () => {
  async function listen(app: express.Express): Promise<string> {
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    closers.push(() => new Promise((r) => server.close(r)));
    const a = server.address() as { port: number };
    return `http://127.0.0.1:${a.port}`;
  }

  it.each([false, true])('answers below its mount path (express.json() before it: %s) and passes other requests on', async (parsedFirst) => {
    const kiln = kilnMiddleware({ model: served, logger: false, defaultMetrics: false });
    closers.push(() => kiln.close());
    const app = express();
    if (parsedFirst) app.use(express.json());
    app.use('/ml', kiln);
    app.get('/ml/extra', (_req, res) => {
      res.json({ fromExpress: true });
    });
    const url = await listen(app);
    await kiln.loaded;
    const res = await fetch(`${url}/ml/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows: rows.slice(0, 5) }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { predictions: unknown }).predictions).toEqual(expected);
    expect(await (await fetch(`${url}/ml/extra`)).json()).toEqual({ fromExpress: true });
    const bad = await fetch(`${url}/ml/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: [{}] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: unknown }).error).toMatchObject({ code: 'E_PARAM', row: 0, problem: 'missing' });
    expect((await fetch(`${url}/ml/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${url}/ml/metrics`)).text();
    expect(metrics).toMatch(/kiln_predict_rows_total\{[^}]*model="penguins"[^}]*\} 5/);
  });

  it('refuses bad options when it is made, not at the first request', () => {
    expect(() => kilnMiddleware({ model: served, maxRows: 0 })).toThrow(/kilnMiddleware: maxRows must be a positive integer/);
    expect(() => kilnMiddleware({ model: served, idleTimeout: 1 } as never)).toThrow(/connection setting/);
  });

  it('answers 503 once closed', async () => {
    const kiln = kilnMiddleware({ model: served, logger: false, defaultMetrics: false });
    const app = express();
    app.use(kiln);
    const url = await listen(app);
    await kiln.loaded;
    await kiln.close();
    const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ row: rows[0] }) });
    expect(res.status).toBe(503);
  });
});

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document; its example succeeds; its row schema agrees with the server', async () => {
    const app = fastify({ logger: false });
    await app.register(kilnPlugin, { model: served, prefix: '/ml', checkRanges: true, logger: false, defaultMetrics: false });
    closers.push(() => app.close());
    const doc = (await app.inject({ url: '/ml/openapi.json' })).json();
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/ml' }]);
    expect(doc.info.version).toBe('3');
    const row = doc.components.schemas.Row;
    expect(Object.keys(row.properties)).toEqual(FEATURES);
    expect(row.properties['Body Mass (g)']).toMatchObject({ type: 'number', minimum: 2700, maximum: 6300 });
    expect(row.additionalProperties).toBe(false);

    const example = doc.paths['/predict'].post.requestBody.content['application/json'].example;
    const res = await app.inject({ method: 'POST', url: `${doc.servers[0].url}/predict`, payload: example });
    expect(res.statusCode).toBe(200);
    expect(res.json().predictions).toHaveLength(1);
    expect(doc.components.schemas.PredictResponse.properties.predictions.items.enum).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);

    // the document's request schema accepts what the server accepts and refuses what it refuses
    const ajv = new Ajv2020({ strict: false });
    for (const [name, s] of Object.entries(doc.components.schemas)) ajv.addSchema(s as object, `#/components/schemas/${name}`);
    const check = ajv.compile({ $ref: '#/components/schemas/PredictRequest' });
    const cases = [
      example,
      { row: { ...rows[0], 'Body Mass (g)': 9000 } },
      { row: { ...rows[0], extra: 1 } },
      { rows: [] },
      { row: { ...rows[0], 'Beak Depth (mm)': 'x' } },
    ];
    for (const body of cases) {
      const answered = await app.inject({ method: 'POST', url: '/ml/predict', payload: body });
      expect(check(body), JSON.stringify(body)).toBe(answered.statusCode === 200);
    }
  });

  it('on kiln own server, for a model without an input schema: instances only, still a valid document', async () => {
    const server = await createServer({ model: { ...served, inputSchema: undefined }, logger: false, defaultMetrics: false, token: 't' });
    closers.push(() => server.close());
    await server.loaded;
    expect((await server.app.inject({ url: '/openapi.json' })).statusCode).toBe(401); // behind auth, like /models
    const doc = (await server.app.inject({ url: '/openapi.json', headers: { authorization: 'Bearer t' } })).json();
    expect((await new Validator().validate(doc)).valid).toBe(true);
    expect(doc.servers).toBeUndefined();
    expect(doc.components.schemas.PredictRequest.oneOf).toHaveLength(1);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/predict'].post.security).toEqual([{ bearer: [] }]);
  });
});

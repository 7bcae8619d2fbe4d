/**
 * The server with a prediction log: every served row logged with its request id (row-suffixed for
 * batches), routing key, version, variant and latency; POST /feedback by request id and by key
 * (matched and unmatched counted in /metrics); bad feedback refused with nothing queued; the log
 * written on close; requests never wait on a slow log thread, and one that dies is counted and
 * replaced; and POST /feedback without a log answers 404.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInBrowser } from '../helpers/browser.js';
import {
  createServer,
  fromRecords,
  inferSchema,
  LogisticRegression,
  ModelRegistry,
  ParquetPredictionLog,
  PredictionLog,
  referenceProfile,
  Rng,
  save,
  type AlertEvent,
  type ServedModel,
} from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-srvmon-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = Array.from({ length: 60 }, (_, i) => ({ a: (i % 10) - 5, b: Math.floor(i / 10) }));
const labels = rows.map((r) => (r.a + r.b > 1 ? 'hi' : 'lo'));
let served: ServedModel;

beforeAll(async () => {
  served = {
    name: 'toy',
    version: 4,
    model: await new LogisticRegression().fit(
      rows.map((r) => [r.a, r.b]),
      labels,
    ),
    inputSchema: inferSchema(fromRecords(rows)),
  };
});

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('server monitoring', () => {
  it('logs each served row and takes feedback by request id and by key', async () => {
    const path = join(dir, 'log.db');
    const server = await createServer({ model: served, logger: false, defaultMetrics: false, predictionLog: { path, flushMs: 20 } });
    const url = await server.listen({ port: 0 });
    let answered: { predictions: string[] } = { predictions: [] };
    try {
      const one = await post(url, '/predict', { row: { a: 3, b: 2 } }, { 'x-kiln-key': 'order-1' });
      expect(one.status).toBe(200);
      const id = one.headers.get('x-request-id')!;
      const batch = await post(url, '/predict', {
        rows: [
          { a: -4, b: 0 },
          { a: 4, b: 5 },
        ],
      });
      const batchId = batch.headers.get('x-request-id')!;
      answered = (await batch.json()) as { predictions: string[] };

      let res = await post(url, '/feedback', { requestId: id, actual: 'hi' });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: 1 });
      res = await post(url, '/feedback', {
        items: [
          { requestId: `${batchId}:1`, actual: 'hi' },
          { key: 'order-1', actual: 'hi' },
          { requestId: 'never-served', actual: 'lo' },
        ],
      });
      expect(await res.json()).toEqual({ accepted: 3 });

      // nothing is queued from a batch with one bad item
      for (const [body, message] of [
        [{ items: [{ requestId: id, actual: 'hi' }, { requestId: id }] }, /items\[1\] has no actual/],
        [{ actual: 'x' }, /names no prediction: give requestId/],
        [{ items: [] }, /items is empty/],
        [[1, 2], /must be a JSON object/],
      ] as const) {
        const r = await post(url, '/feedback', body);
        expect(r.status).toBe(400);
        expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(message);
      }

      await new Promise((r) => setTimeout(r, 60)); // the log writes every 20 ms
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/kiln_prediction_log_rows_total\{outcome="written"\} 3/);
      expect(metrics).toMatch(/kiln_feedback_rows_total\{matched="true"\} 3/);
      expect(metrics).toMatch(/kiln_feedback_rows_total\{matched="false"\} 1/);
      expect(metrics).toMatch(/kiln_prediction_log_bytes \d+/);
    } finally {
      await server.close();
    }
    const log = await PredictionLog.open(path);
    const logged = log.query();
    log.close();
    expect(logged).toHaveLength(3);
    const [first, b0, b1] = logged;
    expect(first.requestId).not.toContain(':');
    expect(first).toMatchObject({ key: 'order-1', model: 'toy', version: 4, variant: 'primary', input: { a: 3, b: 2 }, actual: 'hi' });
    expect(first.probabilities).toHaveLength(2);
    expect(first.latencyMs).toBeGreaterThan(0);
    expect(b0.requestId).toMatch(/:0$/);
    expect(b0.actual).toBeUndefined();
    expect(b1).toMatchObject({ input: { a: 4, b: 5 }, actual: 'hi' });
    expect([b0.prediction, b1.prediction]).toEqual(answered.predictions);
    expect(b1.requestId.split(':')[0]).toBe(b0.requestId.split(':')[0]);
  });

  it('logs to a Parquet directory with predictionLog.format, feedback joined when read', async () => {
    const path = join(dir, 'log-parquet');
    const server = await createServer({ model: served, logger: false, defaultMetrics: false, predictionLog: { path, format: 'parquet', flushMs: 20 } });
    const url = await server.listen({ port: 0 });
    try {
      const one = await post(
        url,
        '/predict',
        {
          rows: [
            { a: 3, b: 2 },
            { a: -4, b: 0 },
          ],
        },
        { 'x-kiln-key': 'order-9' },
      );
      expect(one.status).toBe(200);
      expect((await post(url, '/feedback', { requestId: `${one.headers.get('x-request-id')}:1`, actual: 'lo' })).status).toBe(202);
      expect((await post(url, '/feedback', { requestId: 'never-served', actual: 'lo' })).status).toBe(202);
      await new Promise((r) => setTimeout(r, 60));
      expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/kiln_prediction_log_rows_total\{outcome="written"\} 2/);
    } finally {
      await server.close();
    }
    const log = await ParquetPredictionLog.open(path);
    const logged = await log.query();
    expect(logged.map((r) => [r.input, r.key, r.version, r.actual])).toEqual([
      [{ a: 3, b: 2 }, 'order-9', 4, undefined],
      [{ a: -4, b: 0 }, 'order-9', 4, 'lo'],
    ]);
    expect(log.stats().feedbackUnmatched).toBe(1);
    log.close();
  });

  it('computes drift of the logged window against the reference profile, into /metrics', async () => {
    const rng = new Rng(2);
    const train = Array.from({ length: 400 }, () => ({ a: rng.normal(), b: rng.normal() }));
    const y = train.map((r) => (r.a + r.b > 0 ? 'hi' : 'lo'));
    const model = await new LogisticRegression().fit(
      train.map((r) => [r.a, r.b]),
      y,
    );
    const reference = referenceProfile(fromRecords(train), { predictions: y });
    const alerts: AlertEvent[] = [];
    const server = await createServer({
      model: { name: 'drifty', version: 1, model, inputSchema: inferSchema(fromRecords(train)), reference: reference as never },
      logger: false,
      defaultMetrics: false,
      predictionLog: { path: join(dir, 'drift.db') },
      drift: { everyMs: 3_600_000, minRows: 50 },
      alerts: {
        rules: [
          { name: 'a-drift', metric: 'drift.detected.a', op: '==', threshold: 1, severity: 'critical' },
          { name: 'b-drift', metric: 'drift.detected.b', op: '==', threshold: 1 },
        ],
        onAlert: (e) => {
          alerts.push(e);
        },
      },
    });
    const url = await server.listen({ port: 0 });
    try {
      // too few rows yet: the variant is skipped
      expect(await server.checkDrift()).toEqual([]);
      const shifted = Array.from({ length: 300 }, () => ({ a: rng.normal() + 1.5, b: rng.normal() }));
      for (let i = 0; i < shifted.length; i += 50) expect((await post(url, '/predict', { rows: shifted.slice(i, i + 50) })).status).toBe(200);
      const [snap] = await server.checkDrift();
      expect(snap).toMatchObject({ model: 'drifty', version: '1', variant: 'primary', rows: 300 });
      expect(snap.drift.features.map((f) => [f.column, f.method, f.drifted])).toEqual([
        ['a', 'ks', true],
        ['b', 'ks', false],
      ]);
      expect(snap.drift.prediction?.drifted).toBe(true); // far more 'hi' now
      expect(snap.quality.find((q) => q.column === 'a')!.outOfRangeShare).toBeGreaterThan(0);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/kiln_drift_detected\{model="drifty",version="1",variant="primary",feature="a"\} 1/);
      expect(metrics).toMatch(/kiln_drift_detected\{model="drifty",version="1",variant="primary",feature="b"\} 0/);
      expect(metrics).toMatch(/kiln_drift_window_rows\{model="drifty",version="1",variant="primary"\} 300/);
      expect(metrics).toMatch(/kiln_drift_score\{model="drifty",version="1",variant="primary",feature="a",method="ks"\} [0-9.e-]+/);
      // exactly the shifted feature's alert fired, once, even after another run
      await server.checkDrift();
      await server.settleAlerts();
      expect(alerts.map((e) => [e.rule, e.status, e.severity])).toEqual([['a-drift', 'firing', 'critical']]);
      expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/kiln_alert_firing\{rule="a-drift"\} 1/);
    } finally {
      await server.close();
    }
    await expect(createServer({ model: served, logger: false, drift: true })).rejects.toMatchObject({ code: 'E_PARAM', message: /drift needs predictionLog/ });
    await expect(createServer({ model: served, logger: false, predictionLog: { path: join(dir, 'a.db') }, alerts: { rules: [] } })).rejects.toMatchObject({
      code: 'E_PARAM',
      message: /alerts need drift/,
    });
  });

  it('serves a dashboard that fills itself in a real browser: traffic, drift, performance, a firing alert', async () => {
    const rng = new Rng(9);
    const train = Array.from({ length: 300 }, () => ({ a: rng.normal(), b: rng.normal() }));
    const y = train.map((r) => (r.a - r.b > 0 ? 'hi' : 'lo'));
    const model = await new LogisticRegression().fit(
      train.map((r) => [r.a, r.b]),
      y,
    );
    const server = await createServer({
      model: {
        name: 'dash',
        version: 2,
        model,
        inputSchema: inferSchema(fromRecords(train)),
        reference: referenceProfile(fromRecords(train), { predictions: y }) as never,
      },
      logger: false,
      defaultMetrics: false,
      token: 'secret-token',
      predictionLog: { path: join(dir, 'dash.db') },
      drift: { everyMs: 3_600_000, minRows: 20 },
      alerts: { rules: [{ name: 'a-shifted', metric: 'drift.detected.a', op: '==', threshold: 1, severity: 'critical' }] },
    });
    const url = await server.listen({ port: 0 });
    const auth = { authorization: 'Bearer secret-token' };
    try {
      for (let i = 0; i < 6; i++) {
        const rows = Array.from({ length: 40 }, () => ({ a: rng.normal() + 2, b: rng.normal() }));
        const res = await post(url, '/predict', { rows }, auth);
        const ids = Array.from({ length: 40 }, (_, k) => `${res.headers.get('x-request-id')}:${k}`);
        await post(url, '/feedback', { items: ids.slice(0, 10).map((requestId) => ({ requestId, actual: 'hi' })) }, auth);
      }
      await server.checkDrift();
      // the data behind the page is protected; the page itself holds none
      expect((await fetch(`${url}/dashboard/data`)).status).toBe(401);
      const data = (await (await fetch(`${url}/dashboard/data`, { headers: auth })).json()) as { alerts: { firing: string[] } };
      expect(data.alerts.firing).toEqual(['a-shifted']);
      const page = await openInBrowser(`${url}/dashboard#token=secret-token`, 'dashboard.png', { waitFor: 'section#drift' });
      expect(page.consoleErrors).toEqual([]);
      expect(page.pageErrors).toEqual([]);
      expect(page.requests).toEqual([]);
      expect(page.headings).toEqual(['Live models', 'Traffic and latency', 'Alerts', 'Drift, data quality and performance']);
      expect(page.chartMarks.length).toBeGreaterThanOrEqual(4); // requests, latency, prediction shares (reference and window)
      for (const m of page.chartMarks) expect(m).toBeGreaterThan(0);
      expect(page.text).toMatch(/FIRING: a-shifted/);
      expect(page.text).toMatch(/accuracy on 60 rows with feedback/);
    } finally {
      await server.close();
    }
  });

  it('rolls the alias back to the previous version when a critical alert fires, and reloads', async () => {
    const rng = new Rng(4);
    const train = Array.from({ length: 300 }, () => ({ a: rng.normal(), b: rng.normal() }));
    const y = train.map((r) => (r.a + r.b > 0 ? 'hi' : 'lo'));
    const table = fromRecords(train);
    const model = await new LogisticRegression().fit(
      train.map((r) => [r.a, r.b]),
      y,
    );
    const file = join(dir, 'rb.kiln');
    await save(model, file, { inputSchema: inferSchema(table), reference: referenceProfile(table, { predictions: y }) });
    const regPath = join(dir, 'rb.db');
    const reg = await ModelRegistry.open(regPath);
    await reg.register('rb', { artifact: file });
    await reg.promote('rb', 1);
    await reg.register('rb', { artifact: file });
    await reg.promote('rb', 2); // the release that will misbehave
    reg.close();
    const server = await createServer({
      registry: regPath,
      name: 'rb',
      logger: false,
      defaultMetrics: false,
      predictionLog: { path: join(dir, 'rb-log.db') },
      drift: { everyMs: 3_600_000, minRows: 30 },
      alerts: { rules: [{ name: 'inputs-moved', metric: 'drift.dataset', op: '==', threshold: 1, severity: 'critical' }], rollbackOn: 'critical' },
    });
    await server.loaded;
    const url = await server.listen({ port: 0 });
    try {
      expect(server.live.primary).toEqual({ name: 'rb', version: 2 });
      const rows = Array.from({ length: 80 }, () => ({ a: rng.normal() + 2, b: rng.normal() - 2 }));
      expect((await post(url, '/predict', { rows })).status).toBe(200);
      await server.checkDrift();
      await server.settleAlerts();
      expect(server.live.primary).toEqual({ name: 'rb', version: 1 });
    } finally {
      await server.close();
    }
    const after = await ModelRegistry.open(regPath);
    try {
      expect(after.resolve('rb', 'production').version).toBe(1);
      const last = after.audit('rb').at(-1)!;
      expect(last).toMatchObject({ action: 'rollback', actor: 'kiln-monitor' });
    } finally {
      after.close();
    }
    await expect(
      createServer({ model: served, logger: false, predictionLog: { path: join(dir, 'x2.db') }, drift: true, alerts: { rules: [], rollbackOn: 'critical' } }),
    ).rejects.toMatchObject({ code: 'E_PARAM', message: /rollbackOn needs a registry source/ });
  });

  it('answers requests while the log thread is slow, keeps every answered row on close, and survives the thread dying', async () => {
    const path = join(dir, 'slow.db');
    // every batch write takes 150 ms in the log's thread: in process it would stall the next request
    let server = await createServer({
      model: served,
      logger: false,
      defaultMetrics: false,
      predictionLog: { path, flushMs: 5, testHooks: { writeDelayMs: 150 } },
    });
    let url = await server.listen({ port: 0 });
    let worst = 0;
    try {
      for (let i = 0; i < 12; i++) {
        const t = performance.now();
        expect((await post(url, '/predict', { row: { a: i % 7, b: 1 } })).status).toBe(200);
        worst = Math.max(worst, performance.now() - t);
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await server.close(); // waits for the slow thread to write every queued row
    }
    expect(worst).toBeLessThan(100);
    const log = await PredictionLog.open(path);
    expect(log.query().map((r) => (r.input as { a: number }).a)).toEqual(Array.from({ length: 12 }, (_, i) => i % 7));
    log.close();

    // the thread dies on its second batch: that row is lost and counted, a new thread logs the next
    const path2 = join(dir, 'dies.db');
    server = await createServer({
      model: served,
      logger: false,
      defaultMetrics: false,
      predictionLog: { path: path2, flushMs: 5, testHooks: { exitOnBatch: 2 } },
    });
    url = await server.listen({ port: 0 });
    const metricsUntil = async (re: RegExp) => {
      for (let k = 0; k < 500; k++) {
        const m = await (await fetch(`${url}/metrics`)).text();
        if (re.test(m)) return m;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`/metrics never matched ${re}`);
    };
    try {
      expect((await post(url, '/predict', { row: { a: 1, b: 1 } })).status).toBe(200);
      await metricsUntil(/kiln_prediction_log_rows_total\{outcome="written"\} 1/);
      expect((await post(url, '/predict', { row: { a: 2, b: 1 } })).status).toBe(200);
      const m = await metricsUntil(/kiln_prediction_log_worker_restarts_total 1/);
      expect(m).toMatch(/kiln_prediction_log_rows_total\{outcome="write_error"\} 1/);
      expect((await post(url, '/predict', { row: { a: 3, b: 1 } })).status).toBe(200);
      await metricsUntil(/kiln_prediction_log_rows_total\{outcome="written"\} 2/);
    } finally {
      await server.close();
    }
    const log2 = await PredictionLog.open(path2);
    expect(log2.query().map((r) => (r.input as { a: number }).a)).toEqual([1, 3]);
    log2.close();
  });

  it('takes an open log instead of a path: written and drift computed in process, left open on close', async () => {
    const rng = new Rng(5);
    const train = Array.from({ length: 200 }, () => ({ a: rng.normal(), b: rng.normal() }));
    const y = train.map((r) => (r.a > 0 ? 'hi' : 'lo'));
    const model = await new LogisticRegression().fit(
      train.map((r) => [r.a, r.b]),
      y,
    );
    const log = await PredictionLog.open(join(dir, 'handed.db'), { flushMs: 10_000 });
    const server = await createServer({
      model: {
        name: 'handed',
        version: 1,
        model,
        inputSchema: inferSchema(fromRecords(train)),
        reference: referenceProfile(fromRecords(train), { predictions: y }) as never,
      },
      logger: false,
      defaultMetrics: false,
      predictionLog: log,
      drift: { everyMs: 3_600_000, minRows: 10 },
    });
    const url = await server.listen({ port: 0 });
    try {
      const rows = Array.from({ length: 40 }, () => ({ a: rng.normal() + 3, b: rng.normal() }));
      expect((await post(url, '/predict', { rows })).status).toBe(200);
      const [snap] = await server.checkDrift();
      expect(snap.rows).toBe(40);
      expect(snap.drift.features.find((f) => f.column === 'a')!.drifted).toBe(true);
    } finally {
      await server.close();
    }
    expect(log.query()).toHaveLength(40); // still open: the caller owns it
    log.close();
  });

  it('without a prediction log, POST /feedback answers 404 saying how to enable it', async () => {
    const server = await createServer({ model: served, logger: false, defaultMetrics: false });
    const url = await server.listen({ port: 0 });
    try {
      const r = await post(url, '/feedback', { requestId: 'x', actual: 1 });
      expect(r.status).toBe(404);
      expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/start it with predictionLog/);
    } finally {
      await server.close();
    }
  });

  it('refuses a malformed predictionLog option', async () => {
    await expect(createServer({ model: served, logger: false, predictionLog: { sampleRate: 2 } as never })).rejects.toMatchObject({ code: 'E_PARAM' });
    await expect(createServer({ model: served, logger: false, predictionLog: { path: join(dir, 'x.db'), sampleRate: 2 } })).rejects.toMatchObject({
      code: 'E_PARAM',
      message: /sampleRate/,
    });
  });
});

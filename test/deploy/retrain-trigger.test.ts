/**
 * The server's retraining trigger: the job runs once when a drift run finds the dataset drifted,
 * again only after its cooldown, on a firing alert of the chosen severity, and on demand; a
 * failing job is counted and the server keeps serving; bad settings are E_PARAM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServer,
  fromRecords,
  inferSchema,
  LogisticRegression,
  referenceProfile,
  Rng,
  type RetrainTrigger,
  type ServedModel,
  type ServerOptions,
} from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-retrain-trigger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rng = new Rng(9);
const train = Array.from({ length: 400 }, () => ({ a: rng.normal(), b: rng.normal() }));
const y = train.map((r) => (r.a + r.b > 0 ? 'hi' : 'lo'));
let served: ServedModel;
let logs = 0;

beforeAll(async () => {
  const model = await new LogisticRegression().fit(
    train.map((r) => [r.a, r.b]),
    y,
  );
  served = {
    name: 'm',
    version: 1,
    model,
    inputSchema: inferSchema(fromRecords(train)),
    reference: referenceProfile(fromRecords(train), { predictions: y }) as never,
  };
});

async function start(extra: Partial<ServerOptions>) {
  const server = await createServer({
    model: served,
    logger: false,
    defaultMetrics: false,
    predictionLog: { path: join(dir, `log-${logs++}.db`) },
    drift: { everyMs: 3_600_000, minRows: 50 },
    ...extra,
  });
  await server.loaded;
  return server;
}

const shifted = () => Array.from({ length: 120 }, () => ({ a: rng.normal() + 2, b: rng.normal() - 2 }));
const unshifted = () => Array.from({ length: 120 }, () => ({ a: rng.normal(), b: rng.normal() }));

describe('retrain trigger', () => {
  it('runs the job once when the dataset drifts, then waits out the cooldown', async () => {
    const triggers: RetrainTrigger[] = [];
    const server = await start({
      retrain: {
        cooldownMs: 3_600_000,
        run: async (t) => {
          triggers.push(t);
          return { candidate: 2 };
        },
      },
    });
    try {
      await server.app.inject({ method: 'POST', url: '/predict', payload: { rows: unshifted() } });
      await server.checkDrift();
      expect(triggers).toEqual([]); // nothing drifted
      await server.app.inject({ method: 'POST', url: '/predict', payload: { rows: shifted() } });
      await server.app.inject({ method: 'POST', url: '/predict', payload: { rows: shifted() } });
      await server.checkDrift();
      await new Promise((r) => setTimeout(r, 20));
      expect(triggers).toHaveLength(1);
      expect(triggers[0]).toMatchObject({ reason: 'drift', detail: '100% of the features drifted' });
      await server.checkDrift(); // still drifted, but within the cooldown
      expect(await server.retrain()).toBe('skipped');
      expect(triggers).toHaveLength(1);
      const metrics = await (await server.app.inject({ url: '/metrics' })).body;
      expect(metrics).toMatch(/kiln_retrain_runs_total\{reason="drift",outcome="ran"\} 1/);
      expect(metrics).toMatch(/kiln_retrain_runs_total\{reason="drift",outcome="skipped"\} 1/);
      expect(metrics).toMatch(/kiln_retrain_runs_total\{reason="manual",outcome="skipped"\} 1/);
    } finally {
      await server.close();
    }
  });

  it('runs on a firing alert of the chosen severity, not on a lesser one; a failing job is counted and serving goes on', async () => {
    const reasons: string[] = [];
    const server = await start({
      alerts: {
        rules: [
          { name: 'a-moved', metric: 'drift.detected.a', op: '==', threshold: 1, severity: 'warning' },
          { name: 'b-moved', metric: 'drift.detected.b', op: '==', threshold: 1, severity: 'critical' },
        ],
      },
      retrain: {
        onDrift: false,
        onAlert: 'critical',
        cooldownMs: 1,
        run: async (t) => {
          reasons.push(`${t.reason} ${t.detail}`);
          throw new Error('the training data is not there');
        },
      },
    });
    try {
      await server.app.inject({ method: 'POST', url: '/predict', payload: { rows: shifted() } });
      await server.checkDrift();
      await server.settleAlerts();
      await new Promise((r) => setTimeout(r, 20));
      expect(reasons).toEqual(['alert b-moved (critical)']);
      const metrics = (await server.app.inject({ url: '/metrics' })).body;
      expect(metrics).toMatch(/kiln_retrain_runs_total\{reason="alert",outcome="failed"\} 1/);
      expect((await server.app.inject({ method: 'POST', url: '/predict', payload: { row: { a: 0, b: 0 } } })).statusCode).toBe(200);
      expect(await server.retrain('by hand')).toBe('failed');
      expect(reasons.at(-1)).toBe('manual by hand');
    } finally {
      await server.close();
    }
  });

  it('runs on a schedule, and close() waits for a running job', async () => {
    let runs = 0,
      finished = 0;
    const server = await start({
      drift: undefined,
      predictionLog: undefined,
      retrain: {
        everyMs: 30,
        cooldownMs: 1,
        run: async () => {
          runs++;
          await new Promise((r) => setTimeout(r, 40));
          finished++;
        },
      },
    });
    await new Promise((r) => setTimeout(r, 100));
    await server.close();
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(finished).toBe(runs);
  });

  it('refuses bad settings, naming them', async () => {
    const base = { model: served, logger: false as const };
    await expect(createServer({ ...base, retrain: { run: async () => 1 } })).rejects.toThrow(/retrain needs drift .* or retrain.everyMs/);
    await expect(createServer({ ...base, retrain: { everyMs: 10 } as never })).rejects.toThrow(/retrain.run must be a function/);
    await expect(createServer({ ...base, retrain: { run: async () => 1, everyMs: 0 } })).rejects.toThrow(/retrain.everyMs must be a positive integer/);
    await expect(createServer({ ...base, retrain: { run: async () => 1, everyMs: 10, onAlert: 'loud' as never } })).rejects.toThrow(/onAlert must be/);
    await expect(createServer({ ...base, retrain: { run: async () => 1, everyMs: 10, cooldown: 5 } as never })).rejects.toThrow(/unknown option 'cooldown'/);
    const server = await createServer({ ...base });
    await expect(server.retrain()).rejects.toMatchObject({ code: 'E_PARAM' });
    await server.close();
  });
});

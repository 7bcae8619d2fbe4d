/**
 * Monitoring end to end: a registered model served with a prediction log, scheduled drift and
 * alert rules posting to a local webhook; 20,000 rows whose inputs (x1) and labels shift halfway,
 * with ground truth posted back. Exactly the shifted feature drifts, the performance alert fires
 * and the webhook receives each firing alert once; a retraining job on the new data produces a
 * candidate that is promoted because it beats the champion on the same holdout; the audit log
 * records each step.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { retrain } from '../../src/cli/retrain.js';
import { train } from '../../src/cli/train.js';
import { createServer, ModelRegistry, Rng, type AlertEvent } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-e2e-'));
let hook: Server | undefined;
afterAll(() => {
  hook?.close();
  rmSync(dir, { recursive: true, force: true });
});

const rng = new Rng(21);
/** Before the shift: y from x1 + x2; after: x1 moves by 1.5 and y follows x2 − x1. */
function row(shifted: boolean) {
  const x1 = rng.normal() + (shifted ? 1.5 : 0),
    x2 = rng.normal();
  const score = shifted ? x2 - (x1 - 1.5) : x1 + x2;
  return { x1, x2, y: score + 0.2 * rng.normal() > 0 ? 'yes' : 'no' };
}
const csv = (rows: { x1: number; x2: number; y: string }[]) => `x1,x2,y\n${rows.map((r) => `${r.x1},${r.x2},${r.y}`).join('\n')}\n`;
const CONFIG = `data: { source: data.csv }
target: y
task: classification
features: { numeric: [x1, x2] }
split: { method: random, testSize: 0.25, seed: 1, stratify: true }
model: { class: LogisticRegression }
metrics: [accuracy]
output: model.kiln
`;

describe('monitoring end to end', () => {
  it('detects the shift, alerts once, and a retrain is promoted only because it is better', async () => {
    const quiet = () => {};
    // the champion, trained on the old world, registered and promoted by kiln train
    writeFileSync(join(dir, 'data.csv'), csv(Array.from({ length: 2000 }, () => row(false))));
    writeFileSync(join(dir, 'm.yaml'), CONFIG);
    const registry = join(dir, 'reg.db');
    await train(join(dir, 'm.yaml'), { register: 'churn', registry, promote: true, progress: false }, quiet);

    const received: AlertEvent[] = [];
    hook = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook!.listen(0, '127.0.0.1', r));
    const server = await createServer({
      registry,
      name: 'churn',
      logger: false,
      defaultMetrics: false,
      predictionLog: { path: join(dir, 'log.db') },
      drift: { everyMs: 3_600_000, windowMs: 3_600_000, minRows: 100 },
      alerts: {
        rules: [
          { name: 'accuracy-drop', metric: 'performance.accuracy', op: '<', threshold: 0.85, severity: 'critical' },
          { name: 'x1-drift', metric: 'drift.detected.x1', op: '==', threshold: 1 },
          { name: 'x2-drift', metric: 'drift.detected.x2', op: '==', threshold: 1 },
        ],
        webhooks: [{ url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts` }],
      },
    });
    await server.loaded;
    const url = await server.listen({ port: 0 });
    const newWorld: { x1: number; x2: number; y: string }[] = [];
    try {
      // 20,000 rows in 200 requests of 100; the second half shifted; every label posted back
      for (let b = 0; b < 200; b++) {
        const shifted = b >= 100;
        const rows = Array.from({ length: 100 }, () => row(shifted));
        if (shifted) newWorld.push(...rows);
        const res = await fetch(`${url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ rows: rows.map(({ x1, x2 }) => ({ x1, x2 })) }),
        });
        expect(res.status).toBe(200);
        const id = res.headers.get('x-request-id');
        const fb = await fetch(`${url}/feedback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ items: rows.map((r, i) => ({ requestId: `${id}:${i}`, actual: r.y })) }),
        });
        expect(fb.status).toBe(202);
      }
      const [snap] = await server.checkDrift();
      expect(snap.rows).toBe(20_000);
      expect(snap.drift.features.map((f) => [f.column, f.drifted])).toEqual([
        ['x1', true],
        ['x2', false],
      ]);
      expect(snap.performance.rows).toBe(20_000);
      expect(snap.performance.value!).toBeLessThan(0.85);
      await server.checkDrift(); // still firing: no second notification
      await server.settleAlerts();
      expect(received.map((e) => `${e.rule}:${e.status}`).sort()).toEqual(['accuracy-drop:firing', 'x1-drift:firing']);
    } finally {
      await server.close();
    }

    // the retraining job on the new world's data: better on the same holdout, so promoted
    writeFileSync(join(dir, 'data.csv'), csv(newWorld));
    const r = await retrain(join(dir, 'm.yaml'), { registry, name: 'churn', reason: 'accuracy-drop alert' }, quiet);
    expect(r).toMatchObject({ champion: { version: 1 }, candidate: { version: 2 }, passed: true, promoted: true });
    expect(r.candidate.metrics.accuracy).toBeGreaterThan(r.champion!.metrics.accuracy + 0.2);
    const reg = await ModelRegistry.open(registry);
    try {
      expect(reg.resolve('churn', 'production').version).toBe(2);
      expect(reg.getVersion('churn', 2).lineage).toMatchObject({ parentVersion: 1, trigger: 'accuracy-drop alert' });
      expect(reg.audit('churn').map((e) => `${e.action}:${e.version}`)).toEqual(['create_model:null', 'register:1', 'promote:1', 'register:2', 'promote:2']);
    } finally {
      reg.close();
    }
  }, 120_000);
});

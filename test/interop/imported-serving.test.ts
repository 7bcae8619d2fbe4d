/**
 * An imported model is a kiln model: an XGBoost model read by fromXGBoost registers, loads from
 * the registry and answers HTTP predictions on kiln's server with XGBoost's own probabilities.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, fromXGBoost, type GradientBoostingClassifier, ModelRegistry } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-imported-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an imported XGBoost model in the registry and on the server', () => {
  it('registers, loads and serves XGBoost probabilities', async () => {
    const fixtures = new URL('../fixtures/xgboost/', import.meta.url);
    const model = fromXGBoost(readFileSync(new URL('iris.multi_softprob.model.json', fixtures), 'utf8')) as GradientBoostingClassifier;
    const expected = JSON.parse(readFileSync(new URL('iris.multi_softprob.expected.json', fixtures), 'utf8')) as { X_test: number[][]; prediction: number[][] };
    const reg = await ModelRegistry.open(join(dir, 'reg.db'));
    let loaded: GradientBoostingClassifier;
    try {
      await reg.register('iris-xgb', { artifact: model, tags: { source: 'xgboost' } });
      loaded = (await reg.load<GradientBoostingClassifier>('iris-xgb', 1)).model;
    } finally {
      reg.close();
    }
    const server = await createServer({ model: { name: 'iris-xgb', version: 1, model: loaded }, logger: false, defaultMetrics: false });
    try {
      const url = await server.listen({ port: 0, host: '127.0.0.1' });
      const res = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instances: expected.X_test }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { predictions: number[]; probabilities: number[][] };
      expect(body.predictions).toEqual(expected.prediction.map((r) => r.indexOf(Math.max(...r))));
      body.probabilities.flat().forEach((p, i) => expect(Math.abs(p - expected.prediction.flat()[i])).toBeLessThan(1e-6));
    } finally {
      await server.close();
    }
  });
});

/**
 * `kiln retrain`: a champion registered by `kiln train`, a candidate trained on refreshed data,
 * the gate on the same held-out rows, promotion only when the candidate is not worse, lineage and
 * the audit log; bad gate syntax refused.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { ModelRegistry } from '../../src/index.js';
import { requireDist, root } from '../helpers/dist.js';
import { retrainConfig, writeRetrainData } from '../helpers/retrain-data.js';

let dir: string;
function kiln(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(root, 'dist/cli/index.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
}

const writeData = (file: string, n: number, seed: number, flip: number) => writeRetrainData(dir, file, n, seed, flip);
const config = retrainConfig;

beforeAll(() => {
  requireDist();
  dir = mkdtempSync(join(tmpdir(), 'kiln-retrain-'));
  writeData('fresh.csv', 1200, 7, 0.02);
  writeFileSync(join(dir, 'fresh.yaml'), config('fresh.csv'));
  // the champion: trained on a few noisy rows
  writeData('old.csv', 60, 9, 0.3);
  writeFileSync(join(dir, 'old.yaml'), config('old.csv'));
  const r = kiln(['train', 'old.yaml', '--register', 'm', '--registry', 'reg.db', '--promote']);
  expect(r.status, r.stderr).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kiln retrain', () => {
  it('promotes a candidate that beats the champion on the same holdout, with lineage and audit', async () => {
    const r = kiln(['retrain', 'fresh.yaml', '--registry', 'reg.db', '--name', 'm', '--reason', 'drift on x1', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ name: 'm', champion: { version: 1 }, candidate: { version: 2 }, passed: true, promoted: true, alias: 'production' });
    const acc = out.gate.find((g: { metric: string }) => g.metric === 'accuracy');
    expect(acc.candidate).toBeGreaterThan(acc.champion);
    expect(acc.gain).toBeCloseTo(acc.candidate - acc.champion, 12);
    const loss = out.gate.find((g: { metric: string }) => g.metric === 'logLoss');
    expect(loss.gain).toBeCloseTo(loss.champion - loss.candidate, 12); // lower is better
    const reg = await ModelRegistry.open(join(dir, 'reg.db'));
    try {
      expect(reg.resolve('m', 'production').version).toBe(2);
      const v2 = reg.getVersion('m', 2);
      expect(v2.lineage).toMatchObject({ parentVersion: 1, trigger: 'drift on x1', dataSource: 'fresh.csv' });
      expect(v2.lineage.dataFingerprint).toMatch(/^sha256:/);
      const actions = reg.audit('m').map((e) => `${e.action}:${e.version}`);
      expect(actions.slice(-2)).toEqual(['register:2', 'promote:2']);
    } finally {
      reg.close();
    }
  });

  it('registers but does not promote a candidate that is worse', () => {
    writeFileSync(join(dir, 'worse.yaml'), config('old.csv', ', limit: 40'));
    const r = kiln(['retrain', 'worse.yaml', '--registry', 'reg.db', '--name', 'm', '--require-gain', 'accuracy=0.05', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ champion: { version: 2 }, candidate: { version: 3 }, passed: false, promoted: false });
    const table = kiln(['registry', 'list', 'm', '--registry', 'reg.db', '--json']);
    expect(JSON.parse(table.stdout).find((v: { version: number }) => v.version === 2).aliases).toEqual(['production']);
  });

  it('refuses a malformed gate and an unknown model', () => {
    const a = kiln(['retrain', 'fresh.yaml', '--registry', 'reg.db', '--name', 'm', '--require-gain', 'accuracy>0.1']);
    expect(a.status).toBe(1);
    expect(a.stderr).toMatch(/E_PARAM: --require-gain "accuracy>0\.1": write metric=delta/);
    const b = kiln(['retrain', 'fresh.yaml', '--registry', 'reg.db', '--name', 'm', '--require-gain', 'rocAuc=0.1']);
    expect(b.stderr).toMatch(/rocAuc is not among the config's metrics/);
  });
});

describe('kiln serve --retrain', () => {
  it('retrains from the config when the served inputs drift, and the server swaps to the promoted candidate', async () => {
    const t = kiln(['train', 'old.yaml', '--register', 'm', '--registry', 'serve-reg.db', '--promote']);
    expect(t.status, t.stderr).toBe(0);
    const server = await startServer({
      model: 'm',
      registry: join(dir, 'serve-reg.db'),
      port: 0,
      logLevel: 'silent',
      pollMs: 50,
      predictionLog: join(dir, 'serve-log.db'),
      driftEvery: 3_600_000,
      retrain: join(dir, 'fresh.yaml'),
    });
    try {
      expect(server.live.primary).toEqual({ name: 'm', version: 1 });
      // inputs far from the training range
      const rows = Array.from({ length: 200 }, (_, i) => ({ x1: 3 + (i % 7) / 7, x2: -3 - (i % 5) / 5 }));
      const res = await fetch(`${server.address}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows }) });
      expect(res.status).toBe(200);
      const [snap] = await server.checkDrift();
      expect(snap.drift.datasetDrift).toBe(true);
      for (let i = 0; i < 200 && server.live.primary?.version !== 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(server.live.primary).toEqual({ name: 'm', version: 2 });
    } finally {
      await server.close();
    }
    const reg = await ModelRegistry.open(join(dir, 'serve-reg.db'));
    try {
      expect(reg.getVersion('m', 2).lineage).toMatchObject({ parentVersion: 1, trigger: 'drift: 100% of the features drifted' });
    } finally {
      reg.close();
    }
  });

  it('refuses --retrain without a registry or without a trigger', async () => {
    await expect(startServer({ model: join(dir, 'm.kiln'), retrain: 'fresh.yaml', port: 0 } as never)).rejects.toThrow(/serve from a registry/);
    await expect(startServer({ model: 'm', registry: join(dir, 'reg.db'), retrain: 'fresh.yaml', port: 0 } as never)).rejects.toThrow(/say when/);
    await expect(startServer({ model: 'm', registry: join(dir, 'reg.db'), driftEvery: 10, port: 0 } as never)).rejects.toThrow(/add --prediction-log/);
  });
});

/**
 * `kiln train --register` and `kiln retrain` on a PostgreSQL registry (a postgres:// URL through
 * openModelRegistry), against a real throwaway PostgreSQL (test/helpers/postgres.ts): the version
 * numbers, promotion, lineage and audit are the SQLite registry's; the password never reaches the log.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModelRegistry } from '../../src/index.js';
import { startPostgres } from '../helpers/postgres.js';
import { retrainConfig, writeRetrainData } from '../helpers/retrain-data.js';

const root = new URL('../../', import.meta.url).pathname;
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const server = await startPostgres();
if ('unavailable' in server) console.warn(`[kiln tests] kiln train/retrain on PostgreSQL not tested: ${server.unavailable}`);
let dir: string;
let url: string;

function kiln(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', TSX, join(root, 'src/cli/index.ts'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, KILN_REGISTRY_STORE: join(dir, 'artifacts') },
  });
}

const writeData = (file: string, n: number, seed: number, flip: number) => writeRetrainData(dir, file, n, seed, flip);
const config = retrainConfig;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-pg-cli-'));
  if ('unavailable' in server) return;
  url = await server.createDatabase('clireg');
  writeData('old.csv', 60, 9, 0.3);
  writeFileSync(join(dir, 'old.yaml'), config('old.csv'));
  writeData('fresh.csv', 1200, 7, 0.02);
  writeFileSync(join(dir, 'fresh.yaml'), config('fresh.csv'));
}, 60_000);

afterAll(() => {
  if (!('unavailable' in server)) server.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf('unavailable' in server)('kiln train and retrain on a postgres:// registry', () => {
  it('train registers and promotes v1; retrain registers v2 with lineage and promotes it', async () => {
    const t = kiln(['train', 'old.yaml', '--register', 'm', '--registry', url, '--promote']);
    expect(t.status, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/registered m v1 in postgres:\/\/kiln:\*\*\*@127\.0\.0\.1:\d+\/clireg; production → v1/);
    expect(t.stderr).not.toContain(new URL(url).password);
    const r = kiln(['retrain', 'fresh.yaml', '--registry', url, '--name', 'm', '--reason', 'drift on x1', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ champion: { version: 1 }, candidate: { version: 2 }, passed: true, promoted: true });
    const reg = await openModelRegistry(url);
    try {
      expect((await reg.resolve('m', 'production')).version).toBe(2);
      expect((await reg.getVersion('m', 2)).lineage).toMatchObject({ parentVersion: 1, trigger: 'drift on x1', dataSource: 'fresh.csv' });
      expect((await reg.audit('m')).map((e) => `${e.action}:${e.version}`)).toEqual([
        'create_model:null',
        'register:1',
        'promote:1',
        'register:2',
        'promote:2',
      ]);
    } finally {
      await reg.close();
    }
  });
});

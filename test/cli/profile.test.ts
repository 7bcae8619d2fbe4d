/** `kiln profile`: a data file profiled to HTML and JSON from the command line; bad input exits 1. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireDist, root } from '../helpers/dist.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-profile-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kiln = (args: string[]) => spawnSync(process.execPath, [join(root, 'dist/cli/index.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });

describe('kiln profile', () => {
  it('profiles a file with a target and a time column to HTML and JSON', () => {
    requireDist();
    const r = kiln(['profile', 'vega-datasets:seattle-weather.csv', '--target', 'weather', '--time', 'date', '-o', 'w.html', '--json', 'w.json']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^vega-datasets:seattle-weather\.csv: 1461 rows × 6 columns, 0 missing cells, 0 duplicate rows; 2 alerts/);
    expect(r.stdout).toMatch(/imbalance: the rarest class of weather \(snow\) is 1\.8% of rows/);
    const json = JSON.parse(readFileSync(join(dir, 'w.json'), 'utf8'));
    expect(json.target.column).toBe('weather');
    expect(json.timeSeries.column).toBe('date');
    expect(readFileSync(join(dir, 'w.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('refuses an unknown target and a missing file', () => {
    const a = kiln(['profile', 'vega-datasets:cars.json', '--target', 'nope', '--no-progress', '--json', 'x.json']);
    expect(a.status).toBe(1);
    expect(a.stderr).toMatch(/E_PARAM: profile: target "nope" is not a column/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
    const b = kiln(['profile', 'missing.csv']);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/missing\.csv/);
  });
});

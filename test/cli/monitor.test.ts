/**
 * `kiln monitor`: a model trained by `kiln train` (so it carries its reference profile), a
 * prediction log with one shifted feature and some feedback, and the report the command prints:
 * exactly the shifted feature drifts, data quality counts the out-of-range and unseen values,
 * performance is computed on the rows with feedback; bad input exits 1 with the fix.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParquetPredictionLog, PredictionLog, Rng } from '../../src/index.js';
import { requireDist, root } from '../helpers/dist.js';

const cli = join(root, 'dist', 'cli', 'index.js');
let dir: string;

function kiln(args: string[]): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { ...r, stderr: r.stderr.replace(/^Warning: max\w+ artificially reduced .*\n/gm, '') };
}

const rng = new Rng(5);
const row = (shift: number) => {
  const x1 = rng.normal() + shift,
    x2 = rng.normal(),
    colour = ['red', 'green', 'blue'][rng.int(3)];
  return { x1, x2, colour, y: x1 + (colour === 'red' ? 0.5 : 0) + 0.3 * rng.normal() > 0.3 ? 'yes' : 'no' };
};

beforeAll(async () => {
  requireDist();
  dir = mkdtempSync(join(tmpdir(), 'kiln-monitor-'));
  const train = Array.from({ length: 700 }, () => row(0));
  writeFileSync(join(dir, 'train.csv'), ['x1,x2,colour,y', ...train.map((r) => `${r.x1},${r.x2},${r.colour},${r.y}`)].join('\n'));
  writeFileSync(
    join(dir, 'm.yaml'),
    `data: { source: train.csv }
target: y
task: classification
features: { numeric: [x1, x2], categorical: [colour] }
model: { class: LogisticRegression }
output: m.kiln
`,
  );
  expect(kiln(['train', 'm.yaml']).status).toBe(0);
  // 600 served rows, x1 shifted by one standard deviation; a few values training never saw
  // the same rows in a SQLite log and in a Parquet log directory
  const logs = [await PredictionLog.open(join(dir, 'log.db')), await ParquetPredictionLog.open(join(dir, 'log-parquet'), { rotateRows: 250 })];
  for (let i = 0; i < 600; i++) {
    const r = row(1);
    const input = { x1: i === 0 ? 1e6 : r.x1, x2: r.x2, colour: i < 6 ? 'purple' : r.colour };
    for (const log of logs) {
      log.record({ requestId: `r${i}`, model: 'm', version: null, variant: 'primary', input, prediction: i % 2 ? 'yes' : 'no', latencyMs: 1 });
      if (i < 100) log.feedback({ requestId: `r${i}` }, i % 2 ? 'yes' : i % 4 === 0 ? 'yes' : 'no'); // 75 of 100 right
      if (i % 100 === 99) log.flush();
    }
  }
  for (const log of logs) log.close();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kiln monitor', () => {
  it('reports drift of exactly the shifted feature, data quality and performance on the feedback', () => {
    const r = kiln(['monitor', '--model', 'm.kiln', '--log', 'log.db', '--json', '--html', 'drift.html']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.window.rows).toBe(600);
    expect(out.drift.features.map((f: { column: string; drifted: boolean }) => [f.column, f.drifted])).toEqual([
      ['x1', true],
      ['x2', false],
      ['colour', expect.any(Boolean)],
    ]);
    expect(out.drift.features[0].method).toBe('ks');
    const q = Object.fromEntries(out.quality.map((x: { column: string }) => [x.column, x]));
    expect(q.x1.outOfRangeShare).toBeGreaterThanOrEqual(1 / 600);
    expect(q.colour.unseenShare).toBeCloseTo(6 / 600, 12);
    expect(q.x2.missingShare).toBe(0);
    expect(out.performance).toMatchObject({ rows: 100, metric: 'accuracy', value: 0.75 });
    expect(out.performance.reference).toBeGreaterThan(0.5);
    expect(existsSync(join(dir, 'drift.html'))).toBe(true);
    expect(readFileSync(join(dir, 'drift.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('reads a Parquet log directory to the same report', () => {
    const fromSqlite = JSON.parse(kiln(['monitor', '--model', 'm.kiln', '--log', 'log.db', '--json']).stdout);
    const r = kiln(['monitor', '--model', 'm.kiln', '--log', 'log-parquet', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // the same rows and feedback; only the write times (from, to) may differ by a millisecond
    expect({ ...out, window: out.window.rows }).toEqual({ ...fromSqlite, window: fromSqlite.window.rows });
    expect(out.window.rows).toBe(600);
  });

  it('prints a table without --json', () => {
    const r = kiln(['monitor', '--model', 'm.kiln', '--log', 'log.db', '--since', '1d']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/600 predictions from/);
    expect(r.stdout).toMatch(/x1 +ks .* DRIFT/);
    expect(r.stdout).toMatch(/performance: accuracy 0\.75 on 100 rows with feedback/);
  });

  it('refuses bad input with the fix', () => {
    const cases: [string[], RegExp][] = [
      [['monitor', '--model', 'm.kiln', '--log', 'log.db', '--since', 'yesterday'], /--since: "yesterday" is neither a duration/],
      [['monitor', '--model', 'm.kiln', '--log', 'log.db', '--since', '2999-01-01'], /no predictions of m\.kiln in that window/],
    ];
    for (const [args, message] of cases) {
      const r = kiln(args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });
});

/**
 * `kiln bench`, run as users run it (a child process on dist/): a training config and a model
 * file, the JSON it writes, gates that fail the run (exit 1, E_BENCH_GATE) on an injected
 * slowdown or an unmet ratio, a backend that cannot run here, and bad arguments.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkResult } from '../../src/index.js';
import { requireDist, root } from '../helpers/dist.js';

const cli = join(root, 'dist', 'cli', 'index.js');
let dir: string;

/** Runs kiln; stderr without Dawn's own notes about lavapipe's limits (printed when the machine description probes the adapter). */
function kiln(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { ...r, stderr: r.stderr.replace(/^Warning: max\w+ artificially reduced .*\n/gm, '') };
}

const CONFIG = `
data: { source: "vega-datasets:penguins.json" }
target: Species
task: classification
features:
  numeric: ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"]
  categorical: [Island]
model: { class: GradientBoostingClassifier, params: { nEstimators: 20 } }
output: penguins.kiln
`;

const QUICK = ['--repeat', '1', '--latency-calls', '20'];

beforeAll(() => {
  requireDist();
  dir = mkdtempSync(join(tmpdir(), 'kiln-bench-'));
  writeFileSync(join(dir, 'penguins.yaml'), CONFIG);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as BenchmarkResult;

describe('kiln bench', () => {
  it('times a training config on each backend asked for and writes the JSON result', () => {
    const r = kiln(['bench', 'penguins.yaml', '--backend', 'native,js', ...QUICK, '--json', 'run.json']);
    expect(r.stderr).not.toMatch(/E_/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^GradientBoostingClassifier \(penguins\.yaml\): .* cores/);
    expect(r.stdout).toMatch(/backend +threads +fit ms/);
    const res = read('run.json');
    expect(res.kind).toBe('kiln-benchmark');
    expect(res.steps.map((s) => s.backend)).toEqual(['native', 'js']);
    // penguins: 344 rows, split into train and test rows
    expect(res.rows.fit! + res.rows.predict!).toBe(344);
    expect(res.rows.predict).toBeLessThan(res.rows.fit!);
    for (const s of res.steps) {
      expect(s.fitMs!.median).toBeGreaterThan(0);
      expect(s.predictMs!.median).toBeGreaterThan(0);
    }
  });

  it('fails the run when a metric is slower than the baseline beyond --max-slowdown, and passes without', () => {
    const run = read('run.json');
    // a baseline ten times faster than this machine: every metric "regressed"
    const faster = structuredClone(run);
    for (const s of faster.steps) for (const k of ['fitMs', 'predictMs'] as const) if (s[k]) s[k]!.median /= 10;
    writeFileSync(join(dir, 'fast.json'), JSON.stringify(faster));
    const bad = kiln(['bench', 'penguins.yaml', '--backend', 'native', ...QUICK, '--baseline', 'fast.json', '--max-slowdown', '50%']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/slower than the baseline by more than 50%:\nbackend +threads +metric +baseline +now +slower/);
    expect(bad.stdout).toMatch(/native +\d+ +fit /);
    expect(bad.stderr).toMatch(/^E_BENCH_GATE: \d+ metrics? slower than the baseline/);
    // a baseline a hundred times slower: nothing regressed
    const slower = structuredClone(run);
    for (const s of slower.steps) {
      for (const k of ['fitMs', 'predictMs'] as const) if (s[k]) s[k]!.median *= 100;
      if (s.latencyUs) (s.latencyUs.p50 *= 100), (s.latencyUs.p99 *= 100);
    }
    writeFileSync(join(dir, 'slow.json'), JSON.stringify(slower));
    const ok = kiln(['bench', 'penguins.yaml', '--backend', 'native', ...QUICK, '--baseline', 'slow.json']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
  });

  it('checks ratios between backends measured in the same run', () => {
    const r = kiln(['bench', 'penguins.yaml', '--backend', 'native,js', ...QUICK, '--require', 'js >= 1000x native on fit']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL js >= 1000x native on fit: fit: \d+\.\d\dx/);
    expect(r.stderr).toMatch(/^E_BENCH_GATE: 1 requirement not met \(js >= 1000x native on fit\)/);
  });

  it('benchmarks a saved model on the bundled example it was trained on, and on --data', () => {
    expect(kiln(['train', 'penguins.yaml']).status).toBe(0);
    const a = kiln(['bench', 'penguins.kiln', '--backend', 'native', ...QUICK, '--json', 'model.json']);
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    const res = read('model.json');
    expect(res.rows).toEqual({ predict: 344, features: 5 }); // 4 measurements and the island
    expect(res.steps[0].fitMs).toBeUndefined();
    writeFileSync(
      join(dir, 'rows.csv'),
      'Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g)\nBiscoe,45,15,210,4800\nDream,40,18,190,3700\n',
    );
    const b = kiln(['bench', 'penguins.kiln', '--data', 'rows.csv', '--backend', 'js', ...QUICK, '--json', 'rows.json']);
    expect(b.status).toBe(0);
    expect(read('rows.json').rows.predict).toBe(2);
  });

  it('reports a backend that cannot run here with the reason instead of failing', () => {
    // no Vulkan driver: Dawn finds no adapter
    const r = kiln(['bench', 'penguins.kiln', '--backend', 'webgpu,js', ...QUICK, '--json', 'nogpu.json'], { VK_ICD_FILENAMES: '/nonexistent.json' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/webgpu@\d+ did not run: .*no adapter found/);
    const res = read('nogpu.json');
    expect(res.steps[0]).toMatchObject({ backend: 'webgpu', available: false, reason: expect.stringMatching(/no adapter found/) });
    expect(res.steps[1].predictMs!.median).toBeGreaterThan(0);
  });

  it('asks for --data when the model was not trained on a bundled example', () => {
    writeFileSync(join(dir, 'small.csv'), `a,b,y\n${Array.from({ length: 40 }, (_, i) => `${i},${i % 7},${i % 2 ? 'u' : 'v'}`).join('\n')}\n`);
    writeFileSync(
      join(dir, 'small.yaml'),
      'data: { source: small.csv }\ntarget: y\ntask: classification\nfeatures: { numeric: [a, b] }\nmodel: { class: LogisticRegression }\noutput: small.kiln\n',
    );
    expect(kiln(['train', 'small.yaml']).status).toBe(0);
    const r = kiln(['bench', 'small.kiln', '--backend', 'js']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^E_PARAM: --data: small\.kiln was not trained on a bundled example .*give the rows to predict with --data FILE/);
  });

  it('refuses bad arguments with a clear error and exit code 1', () => {
    const cases: [string[], RegExp][] = [
      [['bench', 'penguins.kiln', '--backend', 'cuda'], /^E_PARAM: --backend: unknown backend "cuda"/],
      [['bench', 'penguins.kiln', '--threads', '0'], /^E_PARAM: --threads: "0" is not an integer >= 1/],
      [['bench', 'penguins.kiln', '--require', 'native is faster'], /^E_PARAM: --require "native is faster": write it as/],
      [['bench', 'penguins.kiln', '--max-slowdown', '5%'], /^E_PARAM: --max-slowdown: compare against a file given with --baseline/],
      [['bench', 'penguins.kiln', '--baseline', 'nowhere.json'], /^E_PARAM: --baseline: cannot read .*nowhere\.json/],
      [['bench', 'penguins.kiln', '--baseline', 'penguins.yaml'], /^E_PARAM: --baseline: penguins\.yaml is not JSON/],
      [['bench', 'missing.kiln'], /^(E_IO|E_NOT_FOUND|E_MODEL_FORMAT|E_PARAM|kiln): .*missing\.kiln/],
      [['bench', 'penguins.kiln', '--repeat', '0'], /--repeat must be an integer >= 1/],
    ];
    for (const [args, message] of cases) {
      const r = kiln(args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});

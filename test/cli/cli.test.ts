/**
 * The `kiln` CLI, run as users run it: `node dist/cli/index.js …` in a child process (npm test
 * builds dist/ first), on small data written to a temp folder. Also the quickstart, end to end.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { load, readManifest, readParquet, readReference } from '../../src/index.js';
import { ProgressBar, progressBar } from '../../src/cli/progress.js';
import { reportError } from '../../src/cli/run.js';
import { requireDist, root } from '../helpers/dist.js';

const cli = join(root, 'dist', 'cli', 'index.js');
let dir: string;

function kiln(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: opts.cwd ?? dir,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/** A deterministic toy problem: y depends on x1 and colour; x2 is noise; some cells are missing. */
function rows(n: number, seed: number): { id: number; x1: number | null; x2: number | null; colour: string | null; y: string }[] {
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const colours = ['red', 'green', 'blue'];
  return Array.from({ length: n }, (_, id) => {
    const x1 = rand() * 2 - 1,
      x2 = rand(),
      colour = colours[Math.floor(rand() * 3)];
    const score = x1 + (colour === 'red' ? 0.8 : 0) + (rand() - 0.5) * 0.3;
    return { id, x1: rand() < 0.05 ? null : x1, x2: rand() < 0.05 ? null : x2, colour: rand() < 0.05 ? null : colour, y: score > 0.3 ? 'yes' : 'no' };
  });
}

function writeCsv(path: string, data: Record<string, unknown>[], columns = Object.keys(data[0])): void {
  const lines = [columns.join(',')];
  for (const r of data) lines.push(columns.map((c) => (r[c] === null ? '' : String(r[c]))).join(','));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const CONFIG = `
data:
  source: train.csv
  testSource: test.csv
target: y
task: classification
features:
  numeric: [x1, x2]
  categorical: [colour]
model:
  class: GradientBoostingClassifier
  params: { nEstimators: 30, learningRate: 0.2, minDataInLeaf: 5 }
metrics: [accuracy, f1Macro, logLoss, rocAuc]
output: toy.kiln
card:
  intendedUse: Tests only.
`;

beforeAll(() => {
  requireDist();
  if (!existsSync(cli)) throw new Error('dist/cli/index.js is missing: run `npm run build:ts` (npm test does it first)');
  dir = mkdtempSync(join(tmpdir(), 'kiln-cli-'));
  writeCsv(join(dir, 'train.csv'), rows(600, 1));
  writeCsv(join(dir, 'test.csv'), rows(200, 2));
  writeFileSync(join(dir, 'toy.yaml'), CONFIG);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kiln train and evaluate', () => {
  let trained: { output: string; metrics: Record<string, number>; trainRows: number; testRows: number };

  beforeAll(() => {
    const r = kiln(['train', 'toy.yaml', '--json']);
    expect(r.status, r.stderr).toBe(0);
    trained = JSON.parse(r.stdout);
  });

  it('writes the model file with its metrics, schema, lineage and the CLI feature spec', async () => {
    expect(trained.output).toBe(join(dir, 'toy.kiln'));
    expect(existsSync(trained.output)).toBe(true);
    expect(trained.trainRows).toBe(600);
    expect(trained.testRows).toBe(200);
    expect(trained.metrics.accuracy).toBeGreaterThan(0.8);
    const m = await readManifest(trained.output);
    expect(m.metrics).toEqual(trained.metrics);
    expect(m.featureNames).toEqual(['x1', 'x2', 'colour']);
    expect(m.inputSchema!.colour.type).toBe('string');
    // the pipeline imputes missing categories (a SimpleImputer before the encoder), so null is allowed there
    expect(m.inputSchema!.colour.nullable).toBe(true);
    expect(m.params).toMatchObject({
      steps: [
        {
          name: 'prep',
          params: {
            transformers: expect.arrayContaining([
              expect.objectContaining({
                name: 'categorical',
                className: 'Pipeline',
                params: {
                  steps: [
                    expect.objectContaining({ className: 'SimpleImputer', params: expect.objectContaining({ strategy: 'constant', fillValue: '(missing)' }) }),
                    expect.objectContaining({ name: 'encode' }),
                  ],
                },
              }),
            ]),
          },
        },
        expect.anything(),
      ],
    });
    expect(m.lineage.dataSource).toBe('train.csv');
    expect(m.lineage.dataFingerprint).toMatch(/^sha256:/);
    expect(JSON.parse(m.tags['kiln.cli'])).toMatchObject({ target: 'y', task: 'classification', categorical: ['colour'] });
    expect(m.card.intendedUse).toBe('Tests only.');
    // the monitoring reference: the 600 training rows, their predictions and target, the holdout metrics
    const ref = readReference(m.reference);
    expect(ref.rows).toBe(600);
    expect(Object.keys(ref.features)).toEqual(['x1', 'x2', 'colour']);
    expect(ref.features.x1).toMatchObject({ kind: 'numeric', count: 600 });
    expect(ref.features.colour.kind).toBe('categorical');
    const freq = (ref.target as { frequencies: Record<string, number> }).frequencies;
    expect(freq.yes + freq.no).toBe(600);
    expect(Object.values((ref.prediction as { frequencies: Record<string, number> }).frequencies).reduce((a, b) => a + b, 0)).toBe(600);
    expect(ref.metrics).toEqual(trained.metrics);
  });

  it('prints a metrics table without --json', () => {
    const r = kiln(['train', 'toy.yaml', '--out', 'toy2.kiln']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^metric\s+value\n-+\s+-+\naccuracy\s+0\.\d+\nf1Macro\s+/);
    expect(r.stderr).toContain('600 train / 200 test rows');
    expect(r.stderr).not.toContain('\r'); // no progress bar: stderr is not a terminal
    expect(existsSync(join(dir, 'toy2.kiln'))).toBe(true);
  });

  it('evaluate on the test file reproduces the training metrics exactly', () => {
    const r = kiln(['evaluate', '--model', 'toy.kiln', '--data', 'test.csv', '--target', 'y', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toBe(200);
    expect(out.metrics).toEqual(trained.metrics);
    const table = kiln(['evaluate', '-m', 'toy.kiln', '-d', 'test.csv', '--metrics', 'accuracy,mcc']);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/accuracy\s+0\.\d+\nmcc\s+/);
  });

  it('a random split, a time split, and a regression config train too', () => {
    writeFileSync(
      join(dir, 'split.yaml'),
      CONFIG.replace('  testSource: test.csv\n', '').replace('output: toy.kiln', 'output: split.kiln\nsplit: { testSize: 0.25, seed: 7 }'),
    );
    const a = kiln(['train', 'split.yaml', '--json']);
    expect(a.status, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ trainRows: 450, testRows: 150 });
    writeFileSync(
      join(dir, 'time.yaml'),
      `
data: { source: train.csv }
target: x2
task: regression
features: { numeric: [x1], categorical: [colour, y] }
clean: { dropMissingTarget: true }
split: { method: time, orderBy: id, testSize: 0.2 }
model: { class: Ridge, params: { alpha: 1 } }
output: time.kiln
`,
    );
    const b = kiln(['train', 'time.yaml', '--json']);
    expect(b.status, b.stderr).toBe(0);
    const res = JSON.parse(b.stdout);
    expect(Object.keys(res.metrics)).toEqual(['mae', 'rmse', 'r2']);
    expect(res.clean.missingTarget).toBeGreaterThan(0); // x2 has gaps: those rows are dropped
    expect(res.trainRows + res.testRows).toBe(600 - res.clean.missingTarget);
  });
});

describe('kiln train: bad configs', () => {
  const bad = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return kiln(['train', name]);
  };

  it.each([
    [
      'testSize out of range',
      `${CONFIG.replace('  testSource: test.csv\n', '')}split: { testSize: 1.5 }\n`,
      'E_PARAM',
      'split.testSize: must be a number in (0, 1), got 1.5',
    ],
    ['unknown key', `${CONFIG}splitt: {}\n`, 'E_PARAM', 'splitt: unknown key'],
    ['unknown model parameter', CONFIG.replace('nEstimators: 30', 'nEstimatorz: 30'), 'E_PARAM', "model.params.nEstimatorz: unknown parameter 'nEstimatorz'"],
    [
      'bad model parameter value',
      CONFIG.replace('nEstimators: 30', 'nEstimators: 0'),
      'E_PARAM',
      'model.params.nEstimators: nEstimators must be an integer >= 1',
    ],
    [
      'a class outside the allow-list',
      CONFIG.replace('GradientBoostingClassifier', 'Function'),
      'E_PARAM',
      'model.class: "Function" is not an estimator kiln trains',
    ],
    ['a regressor for classification', CONFIG.replace('GradientBoostingClassifier', 'Ridge'), 'E_PARAM', 'model.class: Ridge is for regression'],
    [
      'a column the data lacks',
      CONFIG.replace('[x1, x2]', '[x1, x3]'),
      'E_PARAM',
      'features.numeric[1]: no column "x3" in train.csv; it has id, x1, x2, colour, y',
    ],
    ['an unknown metric', CONFIG.replace('rocAuc]', 'rocAuc, r2]'), 'E_PARAM', 'metrics[4]: r2 is a regression metric'],
    ['the target as a feature', CONFIG.replace('[colour]', '[colour, y]'), 'E_PARAM', 'features.categorical[1]: column "y" is the target'],
    ['not YAML', 'data: [1,\n  x: y', 'E_DATA_FORMAT', 'not valid YAML (line 2'],
  ])('%s → exit 1 naming the key', (_name, text, code, message) => {
    const r = bad(`bad-${Math.random().toString(36).slice(2)}.yaml`, text);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${code}: bad-`);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('a missing config file is E_PARAM', () => {
    const r = kiln(['train', 'nowhere.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^E_PARAM: no config file at .*nowhere\.yaml/);
  });
});

describe('kiln predict', () => {
  beforeAll(() => {
    if (!existsSync(join(dir, 'toy.kiln'))) expect(kiln(['train', 'toy.yaml']).status).toBe(0);
    writeCsv(join(dir, 'big.csv'), rows(60_000, 3), ['id', 'x1', 'x2', 'colour']);
  });

  it('streams a 60,000-row CSV in batches of the given size, in row order, matching the model', async () => {
    const r = kiln(['predict', '-m', 'toy.kiln', '-i', 'big.csv', '-o', 'preds.csv', '--batch-size', '5000', '--keep', 'id', '--proba', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ rows: 60_000, batches: 12, batchSize: 5000, maxBatchRows: 5000, format: 'csv' });
    expect(s.peakBufferedRows).toBeLessThanOrEqual(5000); // the reader never held more than one batch
    expect(s.rowsPerSecond).toBeGreaterThan(0);
    expect(s.peakRssMb).toBeGreaterThan(0);
    expect(s.cpuSeconds).toBeGreaterThan(0);
    const lines = readFileSync(join(dir, 'preds.csv'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(60_001);
    expect(lines[0]).toBe('id,prediction,proba_no,proba_yes');
    expect(lines.slice(1).every((l, i) => l.startsWith(`${i},`))).toBe(true);
    // the same predictions as the model in this process, on the first rows
    const model = await load(join(dir, 'toy.kiln'));
    const first = rows(60_000, 3).slice(0, 50);
    const table = {
      rows: 50,
      columns: {
        x1: Float64Array.from(first, (x) => x.x1 ?? NaN),
        x2: Float64Array.from(first, (x) => x.x2 ?? NaN),
        colour: first.map((x) => x.colour),
      },
    };
    expect(table.columns.colour).toContain(null); // the model fills missing colours itself
    const expected = await model.predict(table);
    expect(await model.predict({ ...table, columns: { ...table.columns, colour: first.map((x) => x.colour ?? '(missing)') } })).toEqual(expected);
    expect(lines.slice(1, 51).map((l) => l.split(',')[1])).toEqual(expected);
  });

  it('a batch larger than the file is one batch; --limit stops early; .parquet output is Parquet, one row group per batch', async () => {
    const one = kiln(['predict', '-m', 'toy.kiln', '-i', 'test.csv', '-o', 'one.csv', '--json']);
    expect(one.status, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ rows: 200, batches: 1 });
    const lim = kiln(['predict', '-m', 'toy.kiln', '-i', 'big.csv', '-o', 'lim.parquet', '--limit', '7000', '-b', '3000', '--json']);
    expect(lim.status, lim.stderr).toBe(0);
    const s = JSON.parse(lim.stdout);
    expect(s).toMatchObject({ rows: 7000, batches: 3, output: join(dir, 'lim.parquet'), format: 'parquet' });
    const back = await readParquet(join(dir, 'lim.parquet'));
    expect(back.rows).toBe(7000);
    const asCsv = kiln(['predict', '-m', 'toy.kiln', '-i', 'big.csv', '-o', 'lim.csv', '--limit', '7000', '-b', '3000', '--json']);
    expect(asCsv.status, asCsv.stderr).toBe(0);
    const csvPredictions = readFileSync(join(dir, 'lim.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').at(-1));
    expect(Array.from(back.columns.prediction as ArrayLike<unknown>, String)).toEqual(csvPredictions);
    const { parquetMetadataAsync } = await import('hyparquet');
    const buf = readFileSync(join(dir, 'lim.parquet'));
    const meta = await parquetMetadataAsync(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([3000, 3000, 1000]);
  });

  it('streams Parquet by row groups, cut into batches (flights, with a datetime feature)', () => {
    writeFileSync(
      join(dir, 'flights.yaml'),
      `
data: { source: "vega-datasets:flights-3m.parquet", limit: 5000 }
target: delay
task: regression
features: { numeric: [distance], categorical: [origin], datetime: [date] }
split: { method: time, orderBy: date }
preprocessing: { dateParts: [hour, dayOfWeek] }
model: { class: GradientBoostingRegressor, params: { nEstimators: 10 } }
output: flights.kiln
`,
    );
    const t = kiln(['train', 'flights.yaml', '--json']);
    expect(t.status, t.stderr).toBe(0);
    const r = kiln([
      'predict',
      '-m',
      'flights.kiln',
      '-i',
      join(root, 'node_modules/vega-datasets/data/flights-3m.parquet'),
      '-o',
      'fl.csv',
      '--limit',
      '100000',
      '-b',
      '30000',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 100_000, batches: 4, maxBatchRows: 30_000 });
    expect(readFileSync(join(dir, 'fl.csv'), 'utf8').trimEnd().split('\n').length).toBe(100_001);
  });

  it('input errors are E_PARAM with what the model needs', () => {
    writeCsv(join(dir, 'nocolour.csv'), rows(10, 4), ['id', 'x1', 'x2']);
    const r = kiln(['predict', '-m', 'toy.kiln', '-i', 'nocolour.csv', '-o', 'x.csv']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^E_PARAM: --in: no column "colour" in nocolour\.csv; the model needs x1, x2, colour/);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });
});

describe('kiln registry, card and serve', () => {
  const reg = ['--registry', 'reg.db'];
  beforeAll(() => {
    if (!existsSync(join(dir, 'toy.kiln'))) expect(kiln(['train', 'toy.yaml']).status).toBe(0);
  });

  it('register, list, promote, alias, rollback, retire and audit round-trip', () => {
    const ok = (args: string[]) => {
      const r = kiln(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    expect(ok(['registry', 'register', 'toy', 'toy.kiln', ...reg, '--promote'])).toBe('registered toy v1; production → v1\n');
    expect(JSON.parse(ok(['registry', 'register', 'toy', 'toy.kiln', ...reg, '--json']))).toEqual({ name: 'toy', version: 2, alias: null });
    expect(JSON.parse(ok(['registry', 'list', ...reg, '--json']))).toMatchObject([{ name: 'toy', versions: 2, latestVersion: 2, aliases: { production: 1 } }]);
    expect(ok(['registry', 'promote', 'toy', '2', ...reg])).toBe('toy: production → v2\n');
    expect(ok(['registry', 'alias', 'toy', 'candidate', '1', ...reg])).toBe('toy: candidate → v1\n');
    expect(ok(['registry', 'alias', 'toy', 'candidate', ...reg])).toBe('toy: candidate → v1\n');
    expect(ok(['registry', 'rollback', 'toy', ...reg])).toBe('toy: production rolled back → v1\n');
    const versions = JSON.parse(ok(['registry', 'list', 'toy', ...reg, '--json']));
    expect(versions.map((v: { version: number; aliases: string[] }) => [v.version, v.aliases.sort()])).toEqual([
      [1, ['candidate', 'production']],
      [2, []],
    ]);
    expect(ok(['registry', 'list', 'toy', ...reg])).toMatch(/version\s+status\s+aliases[\s\S]*\n\s+1\s+active\s+candidate production/);
    // retiring an aliased version needs --force
    const refused = kiln(['registry', 'retire', 'toy', '1', ...reg]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^E_REGISTRY: .*pass --force/);
    expect(ok(['registry', 'retire', 'toy', '2', ...reg])).toBe('toy: v2 retired\n');
    expect(ok(['registry', 'alias', 'toy', 'candidate', ...reg, '--delete'])).toBe('toy: alias candidate deleted\n');
    const audit = JSON.parse(ok(['registry', 'audit', 'toy', ...reg, '--json', '--actor', 'ignored-on-reads']));
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'create_model',
      'register',
      'promote',
      'register',
      'promote',
      'set_alias',
      'rollback',
      'retire',
      'delete_alias',
    ]);
    const missing = kiln(['registry', 'promote', 'nope', '1', ...reg]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^E_NOT_FOUND: /);
    const badVersion = kiln(['registry', 'promote', 'toy', 'two', ...reg]);
    expect(badVersion.status).toBe(1);
    expect(badVersion.stderr).toMatch(/^E_PARAM: version: must be a version number/);
  });

  it('card writes Markdown, from a file or a registered version', () => {
    const r = kiln(['card', '--model', 'toy.kiln', '--out', 'card.md']);
    expect(r.status, r.stderr).toBe(0);
    const md = readFileSync(join(dir, 'card.md'), 'utf8');
    expect(md.startsWith('# Model card: toy.kiln (GradientBoostingClassifier)\n')).toBe(true);
    for (const s of ['## Model details', '## Intended use', 'Tests only.', '## Training data', '## Metrics', '| accuracy |', '## Fairness considerations'])
      expect(md).toContain(s);
    const fromRegistry = kiln(['card', '-m', 'toy@production', '--registry', 'reg.db']);
    expect(fromRegistry.status, fromRegistry.stderr).toBe(0);
    expect(fromRegistry.stdout).toContain('# Model card: toy v1 (GradientBoostingClassifier)');
    expect(fromRegistry.stdout).toMatch(/\| Registry version \| 1 \|/);
  });

  it('serve answers /predict for the production version and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '-m', 'toy', '--registry', 'reg.db', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'], {
      cwd: dir,
    });
    let err = '';
    child.stderr.setEncoding('utf8');
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((done, fail) => {
        child.stderr.on('data', (d: string) => {
          err += d;
          const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
          if (m) done(m[1]);
        });
        child.on('exit', () => fail(new Error(`serve exited: ${err}`)));
      });
      expect(err).toContain('kiln serve: toy v1 at');
      const res = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          rows: [
            { x1: 0.9, x2: 0.5, colour: 'red' },
            { x1: -0.9, x2: null, colour: 'blue' },
          ],
        }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { predictions: string[]; model: { version: number } };
      expect(body.predictions).toEqual(['yes', 'no']);
      expect(body.model.version).toBe(1);
      // a null (or absent) categorical value is imputed by the model: 200, not a schema 400
      const nulls = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          rows: [
            { x1: 0.9, x2: 0.5, colour: null },
            { x1: 0.9, x2: 0.5, colour: '(missing)' },
            { x1: -0.9, x2: 0.1 },
          ],
        }),
      });
      expect(nulls.status).toBe(200);
      const nb = (await nulls.json()) as { predictions: string[] };
      expect(nb.predictions).toHaveLength(3);
      expect(nb.predictions[0]).toBe(nb.predictions[1]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('exit codes and messages', () => {
  it('usage errors exit 1, --version and --help exit 0', () => {
    const unknown = kiln(['bogus']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("unknown command 'bogus'");
    const missing = kiln(['predict', '-m', 'toy.kiln']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("required option '-i, --in <path>' not specified");
    const badInt = kiln(['predict', '-m', 'a', '-i', 'b', '-o', 'c', '--batch-size', '0']);
    expect(badInt.status).toBe(1);
    expect(badInt.stderr).toContain('--batch-size must be an integer >= 1');
    expect(kiln(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = kiln(['predict', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--batch-size <rows>');
  });

  it('KilnErrors print code: message, anything else one line (stack only with KILN_DEBUG=1); both give 1', () => {
    const out: string[] = [];
    const err = Object.assign(new Error('no such model'), { code: 'E_NOT_FOUND' });
    expect(reportError(err, (s) => out.push(s), {})).toBe(1);
    expect(out.pop()).toBe('E_NOT_FOUND: no such model\n');
    expect(reportError(new TypeError('x is undefined'), (s) => out.push(s), {})).toBe(1);
    expect(out).toEqual(['kiln: x is undefined (KILN_DEBUG=1 shows where it failed)\n']);
    out.length = 0;
    expect(reportError(new TypeError('x is undefined'), (s) => out.push(s), { KILN_DEBUG: '1' })).toBe(1);
    expect(out[0]).toBe('kiln: x is undefined\n');
    expect(out[1]).toMatch(/^TypeError: x is undefined\n\s+at /);
    expect(reportError(new CommanderError(0, 'commander.helpDisplayed', ''), (s) => out.push(s))).toBe(0);
    expect(reportError(new CommanderError(1, 'commander.unknownOption', ''), (s) => out.push(s))).toBe(1);
  });
});

describe('progress bar', () => {
  it('draws only on a TTY, in place, and ends its line', () => {
    expect(progressBar({ label: 'x', total: 10 }, { isTTY: false, write: () => true })).toBeUndefined();
    let text = '';
    const bar = progressBar(
      { label: 'training', total: 4, unit: 'rounds', intervalMs: 0 },
      {
        isTTY: true,
        columns: 80,
        write: (s: string) => {
          text += s;
          return true;
        },
      },
    ) as ProgressBar;
    expect(bar).toBeInstanceOf(ProgressBar);
    bar.update(2, 'loss 0.5');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the bar's terminal escape is what is tested
    expect(text).toMatch(/^\r\x1b\[2Ktraining \[█+░+\] 2\/4 rounds {2}loss 0\.5 {2}\d+\.\d s$/);
    bar.update(4);
    bar.finish();
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('4/4 rounds');
  });
});

describe('quickstart', () => {
  it('runs the whole lifecycle on penguins and exits by itself', () => {
    requireDist();
    const out = mkdtempSync(join(tmpdir(), 'kiln-quickstart-'));
    try {
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [join(root, 'examples', 'quickstart.mjs')], {
        cwd: root,
        env: { ...process.env, KILN_QUICKSTART_DIR: out },
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(r.error, 'the quickstart did not exit within 90 s').toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      expect(Date.now() - t0).toBeLessThan(60_000);
      for (const s of [
        '1. load',
        '344 rows',
        '5. train',
        'round 100/100',
        'accuracy',
        'registered penguins v1; production → v1',
        'POST /predict (4 rows) → 200',
        'served by penguins v1',
        'server closed',
      ]) {
        expect(r.stdout).toContain(s);
      }
      expect(r.stdout).toMatch(/row 0: Adelie[\s\S]*row 1: Chinstrap[\s\S]*row 2: Gentoo/);
      expect(readFileSync(join(out, 'penguins-card.md'), 'utf8')).toContain('# Model card: penguin species');
      expect(existsSync(join(out, 'registry.db'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

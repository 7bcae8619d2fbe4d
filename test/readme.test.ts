/**
 * Every ```js block of README.md runs verbatim, as a user would paste it: an ES module importing
 * 'kiln' (resolved through the package's own exports), in a fresh working directory. Blocks whose
 * comments promise an output are also checked for it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/** The ```js blocks with the README line each starts on. */
function jsBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```js') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** Output that a block's comments promise, keyed by a line unique to that block. */
const promised: [marker: string, output: string[]][] = [
  ['matmul(a, b)', ['[ [ 58, 64 ], [ 139, 154 ] ]', 'Float64Array(3) [ 2.5, 3.5, 4.5 ]']],
  ["enc.featureNamesOut(['colour'])", ['[ [ 1, 0 ], [ 0, 0 ] ]', "[ 'colour_blue', 'colour_red' ]"]],
  ['flights-3m.parquet', ['1000 33 LAS', '158 81 LAS']],
  ['flights-200k.arrow', ['200000 delay distance time 171', "[ 'Bergen', 'Oslo' ] [ 1, 0, -1, 1 ]"]],
  [
    "crosstab('Species', 'Island'",
    [
      'Float64Array(3) [ 168, 124, 52 ]',
      "{ Species: 'All', Biscoe: 168, Dream: 124, Torgersen: 52, All: 344 }",
      "'Body Mass (g)_count': 151",
      '334 1.290',
      'Float64Array(3) [ 17.4, 2.2, NaN ]',
      '2026-12-05T20:50:00.000Z',
    ],
  ],
  ['nn.kneighbors', ["[ 'a', 'b' ]"]],
  ["loss: 'poisson', nEstimators: 50", ['true\ntrue']],
  ['new ExtraTreesClassifier({ nEstimators: 50', ['true\n2']],
  ['new RandomForestRegressor({ nEstimators: 30, randomState: 0 })', ['true 3 true']],
  ['new GradientBoostingRanker({ nEstimators: 30', ['10 true']],
  ['monotonicConstraints: [1, 0] })', ['true']],
  ['interactionConstraints: [[0, 1]] })', ['20']],
  ['model.predictSync([4, 6, 1]);', ['true true']],
  ['paramGrid: { select__k: [1, 2, 4], model__C: [0.1, 1, 10] }', ['27 fits', "[ 'yes', 'yes', 'yes' ]"]],
  ['new OneClassSVM({ nu: 0.1', ["[ 'a', 'b' ]", 'Int32Array(2) [ 1, -1 ]']],
  ['trainTestSplit(X, y', ["9 3 [ 'b', 'a', 'b' ]", '6 3 3', '[ [ 2, [ 3, 4, 5 ] ], [ 5, [ 6, 7, 8 ] ], [ 8, [ 9, 10, 11 ] ] ]']],
  ['f1Score(yTrue, yPred', ['0.8666666666666667', '0.75', 'Float64Array(2) [ 0, 0.5 ]']],
  ["load('churn.kiln')", ["[ 'yes' ]"]],
  ['benchmark({', ['true true sync']],
  ['driftReport(reference, current)', ['age ks true', 'plan z false', 'dataset drift: true']],
  ['const bytes = toOnnx(model);', ["[ 'no', 'yes', 'no' ] [ 'no', 'yes', 'no' ]"]],
  ["join(mkdtempSync(join(tmpdir(), 'mlflow-')), 'model')", ['[ 0, 1 ]']],
  ['fromLightGBM(`tree', ['GradientBoostingClassifier [', 'Float64Array(3) [ 10, 20, 10 ]']],
  ['bullmqExecutor({ connection: url', ['true true']],
  [
    'copyRegistry(',
    ['true { models: 1, versions: 1, aliases: 1, alias_history: 0, audit: 3 }', "{ name: 'churn', version: 2 } create_model register promote register promote"],
  ],
  ['predict({ rows:', ["predictions: [ 'yes', 'no' ]", "code: 'E_DTYPE'", "[ [ 'primary', 1, 0.9 ], [ 'candidate', 2, 0.1 ] ]"]],
];

const blocks = jsBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
// Modules live inside the package (so `import 'kiln'` resolves to this checkout by self-reference);
// each runs in its own empty working directory, which sees the installed packages (vega-datasets).
const moduleDir = join(root, '.kiln', 'readme-blocks');
const workRoot = mkdtempSync(join(tmpdir(), 'kiln-readme-'));
// blocks that read process.env.DATABASE_URL get a fresh database on a throwaway PostgreSQL
let postgres: Promise<TestPostgres> | undefined;
afterAll(async () => {
  if (postgres) (await postgres.catch(() => undefined))?.stop();
  rmSync(workRoot, { recursive: true, force: true });
});
async function databaseFor(n: number): Promise<string> {
  postgres ??= startPostgres().then((pg) => {
    if ('unavailable' in pg) throw new Error(`this README block needs PostgreSQL: ${pg.unavailable}`);
    return pg;
  });
  return (await postgres).createDatabase(`readme_block_${n}`);
}

describe('README code blocks run verbatim', () => {
  it('README has js examples to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  it.each(blocks.map((b, i) => [i + 1, b.line, b.code] as const))('block %i (README line %i)', async (n, _line, code) => {
    mkdirSync(moduleDir, { recursive: true });
    const file = join(moduleDir, `block-${n}.mjs`);
    writeFileSync(file, code);
    const cwd = join(workRoot, `block-${n}`);
    mkdirSync(cwd);
    symlinkSync(join(root, 'node_modules'), join(cwd, 'node_modules'), 'dir');
    const env = code.includes('process.env.DATABASE_URL') ? { ...process.env, DATABASE_URL: await databaseFor(n) } : process.env;
    const { stdout } = await run(process.execPath, [file], { cwd, env, timeout: 120_000, maxBuffer: 16 << 20 });
    for (const [marker, outputs] of promised) {
      if (!code.includes(marker)) continue;
      for (const out of outputs) expect(stdout, `block ${n} promises ${out}`).toContain(out);
    }
  });

  it('every promised output belongs to a block', () => {
    for (const [marker] of promised)
      expect(
        blocks.some((b) => b.code.includes(marker)),
        marker,
      ).toBe(true);
  });
});

#!/usr/bin/env node
/**
 * kiln quickstart (`npm start`): a model's whole lifecycle on a real data set, in one script.
 *
 *   load → clean → split → preprocess → train (progress bar) → evaluate → model card
 *   → register and promote (SQLite registry) → serve over HTTP → score rows → shut down
 *
 * Data: the Palmer penguins of vega-datasets — 344 penguins of three species, four body
 * measurements with gaps, and two categorical columns (island, sex). The task: tell the species.
 * Files go to ./.kiln/quickstart (or $KILN_QUICKSTART_DIR); run it again to register v2, v3, …
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  ColumnTransformer,
  GradientBoostingClassifier,
  ModelRegistry,
  OneHotEncoder,
  Pipeline,
  SimpleImputer,
  accuracyScore,
  balancedAccuracyScore,
  classificationReport,
  createServer,
  dataFingerprint,
  f1Score,
  filterRows,
  fromRecords,
  inferSchema,
  logLoss,
  modelCard,
  save,
  trainTestSplit,
} from 'kiln';

const started = performance.now();
const dir = resolve(process.env.KILN_QUICKSTART_DIR ?? '.kiln/quickstart');
await mkdir(dir, { recursive: true });
const step = (n, what) => console.log(`\n${n}. ${what}`);

// 1. load ---------------------------------------------------------------------------------------
step(1, 'load: Palmer penguins (vega-datasets)');
const vega = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..'); // the package folder
const raw = fromRecords(JSON.parse(await readFile(join(vega, 'data', 'penguins.json'), 'utf8')));
const numeric = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const categorical = ['Island', 'Sex'];
console.log(`   ${raw.rows} rows; columns: ${Object.keys(raw.columns).join(', ')}`);

// 2. clean --------------------------------------------------------------------------------------
step(2, 'clean');
// a penguin with no measurement at all carries no signal; '.' in Sex is a data-entry gap
const measured = Uint8Array.from({ length: raw.rows }, (_, r) => (numeric.some((c) => !Number.isNaN(raw.columns[c][r])) ? 1 : 0));
const kept = filterRows(raw, measured);
let sexGaps = 0;
// categorical encoders take no missing values: a gap in Sex becomes its own category
const sex = kept.columns.Sex.map((v) => (v === null || v === '.' ? (sexGaps++, 'unknown') : v));
const X = { rows: kept.rows, columns: { ...Object.fromEntries(numeric.map((c) => [c, kept.columns[c]])), Island: kept.columns.Island, Sex: sex } };
const y = kept.columns.Species;
const numericGaps = numeric.reduce((n, c) => n + X.columns[c].filter(Number.isNaN).length, 0);
console.log(
  `   dropped ${raw.rows - kept.rows} rows without measurements; ${sexGaps} unknown sexes → 'unknown'; ${numericGaps} measurement gaps left for the imputer`,
);

// 3. split --------------------------------------------------------------------------------------
step(3, 'split: 80% train / 20% test, stratified by species');
const [trainIdx, testIdx] = trainTestSplit(
  Int32Array.from({ length: X.rows }, (_, i) => i),
  { testSize: 0.2, stratify: y, randomState: 42 },
);
const rowsOf = (t, idx) => {
  const mask = new Uint8Array(t.rows);
  for (const i of idx) mask[i] = 1;
  return filterRows(t, mask);
};
const train = rowsOf(X, trainIdx),
  test = rowsOf(X, testIdx);
const yTrain = rowsOf({ rows: X.rows, columns: { y } }, trainIdx).columns.y,
  yTest = rowsOf({ rows: X.rows, columns: { y } }, testIdx).columns.y;
console.log(`   ${train.rows} train rows, ${test.rows} test rows`);

// 4. preprocess + 5. train ----------------------------------------------------------------------
step(4, 'preprocess: median imputation of measurements, one-hot island and sex (ColumnTransformer)');
const nEstimators = 100;
const model = new Pipeline([
  [
    'prep',
    new ColumnTransformer([
      ['measurements', new SimpleImputer({ strategy: 'median' }), numeric],
      ['categories', new OneHotEncoder({ handleUnknown: 'ignore' }), categorical],
    ]),
  ],
  ['gbdt', new GradientBoostingClassifier({ nEstimators, learningRate: 0.1, maxLeaves: 15, minDataInLeaf: 5, randomState: 0 })],
]);
step(5, `train: GradientBoostingClassifier, ${nEstimators} rounds`);
const onProgress = ({ round, rounds, trainLoss }) => {
  if (process.stderr.isTTY) {
    const width = 30,
      done = Math.round((round / rounds) * width);
    process.stderr.write(
      `\r   [${'█'.repeat(done)}${'░'.repeat(width - done)}] ${round}/${rounds} rounds  loss ${trainLoss.toFixed(4)}${round === rounds ? '\n' : ''}`,
    );
  } else if (round % 25 === 0 || round === rounds) {
    console.log(`   round ${round}/${rounds}  loss ${trainLoss.toFixed(4)}`);
  }
};
const t0 = performance.now();
await model.fit(train, yTrain, { onProgress });
console.log(`   trained in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

// 6. evaluate -----------------------------------------------------------------------------------
step(6, 'evaluate on the test rows');
const predicted = await model.predict(test);
const proba = await model.predictProba(test);
const classes = model.namedSteps.gbdt.classes;
const metrics = {
  accuracy: accuracyScore(yTest, predicted),
  balancedAccuracy: balancedAccuracyScore(yTest, predicted),
  f1Macro: f1Score(yTest, predicted, { average: 'macro' }),
  logLoss: logLoss(yTest, proba, { labels: classes }),
};
console.log('   metric            value');
console.log('   ----------------  ------');
for (const [k, v] of Object.entries(metrics)) console.log(`   ${k.padEnd(16)}  ${v.toFixed(4)}`);
console.log(classificationReport(yTest, predicted).text.replace(/^/gm, '   '));

// 7. model file + model card --------------------------------------------------------------------
step(7, 'save the model and write its model card');
const modelPath = join(dir, 'penguins.kiln');
const inputSchema = inferSchema(train);
for (const c of numeric) inputSchema[c].nullable = true; // the imputer fills gaps, also when serving
await save(model, modelPath, {
  inputSchema,
  metrics,
  lineage: {
    dataSource: 'vega-datasets:penguins.json',
    rows: train.rows,
    columns: numeric.length + categorical.length,
    dataFingerprint: dataFingerprint(train),
  },
  description: 'Gradient-boosted trees telling Adelie, Chinstrap and Gentoo penguins apart from body measurements, island and sex.',
  intendedUse: 'A demonstration of the kiln model lifecycle; not for field research.',
  limitations: [
    'Trained on 270-odd penguins from three islands of the Palmer Archipelago (2007–2009).',
    'Species outside these three are always classed as one of them.',
  ],
  fairness: 'Not applicable to people; per-island accuracy was not examined.',
});
const cardPath = join(dir, 'penguins-card.md');
await writeFile(cardPath, await modelCard(modelPath, { title: 'Model card: penguin species' }));
console.log(`   model → ${modelPath}\n   card  → ${cardPath}`);

// 8. register + promote -------------------------------------------------------------------------
step(8, 'register in the model registry (SQLite) and promote to production');
const registryPath = join(dir, 'registry.db');
const registry = await ModelRegistry.open(registryPath);
const version = await registry.register('penguins', { artifact: modelPath, description: 'quickstart' });
await registry.promote('penguins', version);
console.log(`   registered penguins v${version}; production → v${version}  (${registryPath})`);

// 9. serve + score over HTTP --------------------------------------------------------------------
step(9, 'serve penguins@production over HTTP and score a few rows');
const server = await createServer({ registry: registryPath, name: 'penguins', logger: false });
await server.loaded;
const url = await server.listen({ port: 0, host: '127.0.0.1' });
console.log(`   listening on ${url}`);
const picks = classes.map((c) => yTest.indexOf(c)); // one test penguin of each species
const rows = picks.map((i) =>
  Object.fromEntries(
    Object.keys(test.columns).map((c) => {
      const v = test.columns[c][i];
      return [c, typeof v === 'number' && Number.isNaN(v) ? null : v];
    }),
  ),
);
rows.push({ ...rows[2], 'Body Mass (g)': null }); // a gap: the imputer fills it
picks.push(picks[2]);
const response = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows }) });
const body = await response.json();
console.log(`   POST /predict (${rows.length} rows) → ${response.status}`);
body.predictions.forEach((p, i) => {
  const best = Math.max(...body.probabilities[i]);
  console.log(`     row ${i}: ${p.padEnd(9)} p = ${best.toFixed(3)}  (true: ${yTest[picks[i]]}${i === 3 ? ', body mass missing' : ''})`);
});
console.log(`   served by ${body.model.name} v${body.model.version} (${body.variant})`);
const health = await fetch(`${url}/health`);
console.log(`   GET /health → ${health.status} ${JSON.stringify(await health.json())}`);

// 10. shut down ---------------------------------------------------------------------------------
step(10, 'shut down');
await server.close();
registry.close();
console.log(`   server closed; done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log('\nNext: the same steps from the command line — see "Command line" in README.md (kiln train / evaluate / predict / serve).');

/**
 * MLflow model directories: the files toMlflow writes (MLmodel checked against MLflow's
 * documented fields), fromMlflow's round trip, registry import, and refusal of broken or hostile directories.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { fromMlflow, GradientBoostingClassifier, ModelRegistry, registerMlflow, toMlflow } from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'kiln-mlflow-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const code = (c: string) => expect.objectContaining({ code: c });

const X = Array.from({ length: 60 }, (_, i) => [i % 7, (i * 3) % 5]);
const y = X.map(([a, b]) => (a + b > 5 ? 'high' : 'low'));
const MLFLOW_TYPES = new Set(['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime']);

describe('toMlflow / fromMlflow', () => {
  it('writes MLmodel, the model file, an input example and package.json, and reads the model back', async () => {
    const model = await new GradientBoostingClassifier({ nEstimators: 5, minDataInLeaf: 2 }).fit(X, y);
    const dir = join(root, 'm1');
    await toMlflow(model, dir, {
      inputSchema: { a: { type: 'number', nullable: false, min: 0, max: 6 }, b: { type: 'number', nullable: true } },
      inputExample: [[1, 2], { a: 6, b: 4 }],
    });
    const ml = YAML.parse(readFileSync(join(dir, 'MLmodel'), 'utf8'));
    // MLflow's documented MLmodel fields
    expect(Object.keys(ml).sort()).toEqual(
      ['artifact_path', 'flavors', 'metadata', 'model_uuid', 'saved_input_example_info', 'signature', 'utc_time_created'].sort(),
    );
    expect(ml.model_uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(ml.utc_time_created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(ml.flavors.kiln).toMatchObject({ model_file: 'model.kiln', class_name: 'GradientBoostingClassifier' });
    expect(ml.flavors.kiln.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ml.saved_input_example_info).toEqual({ artifact_path: 'input_example.json', type: 'dataframe', pandas_orient: 'split' });
    const inputs = JSON.parse(ml.signature.inputs);
    expect(inputs).toEqual([
      { type: 'double', name: 'a', required: true },
      { type: 'double', name: 'b', required: false },
    ]);
    for (const c of [...inputs, ...JSON.parse(ml.signature.outputs)]) expect(MLFLOW_TYPES.has(c.type)).toBe(true);
    expect(JSON.parse(ml.signature.outputs)).toEqual([{ type: 'string', required: true }]);
    expect(JSON.parse(readFileSync(join(dir, 'input_example.json'), 'utf8'))).toEqual({
      columns: ['a', 'b'],
      data: [
        [1, 2],
        [6, 4],
      ],
    });
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies.kiln).toMatch(/^\^\d/);

    const back = await fromMlflow<GradientBoostingClassifier>(dir);
    expect(await back.predict(X)).toEqual(await model.predict(X));
    await expect(toMlflow(model, dir)).rejects.toThrow(code('E_PARAM')); // never over an existing MLmodel
  });

  it('imports into the registry', async () => {
    const model = await new GradientBoostingClassifier({ nEstimators: 3, minDataInLeaf: 2 }).fit(X, y);
    const dir = join(root, 'm2');
    await toMlflow(model, dir);
    const reg = await ModelRegistry.open(join(root, 'reg.db'));
    try {
      expect(await registerMlflow(reg, 'churn', dir)).toBe(1);
      const { model: loaded, version } = await reg.load<GradientBoostingClassifier>('churn', 1);
      expect(version.tags).toMatchObject({ source: 'mlflow' });
      expect(await loaded.predict(X)).toEqual(await model.predict(X));
    } finally {
      reg.close();
    }
  });

  it('refuses missing, foreign, escaping and tampered directories', async () => {
    await expect(fromMlflow(join(root, 'nothing'))).rejects.toThrow(code('E_NOT_FOUND'));
    const model = await new GradientBoostingClassifier({ nEstimators: 2, minDataInLeaf: 2 }).fit(X, y);
    const dir = join(root, 'm3');
    await toMlflow(model, dir);
    const mlmodel = readFileSync(join(dir, 'MLmodel'), 'utf8');
    const write = (text: string) => writeFileSync(join(dir, 'MLmodel'), text);
    write(mlmodel.replace('kiln:', 'sklearn:'));
    await expect(fromMlflow(dir)).rejects.toThrow(/no kiln flavor/);
    write(mlmodel.replace('model_file: model.kiln', 'model_file: ../../etc/passwd'));
    await expect(fromMlflow(dir)).rejects.toThrow(code('E_MODEL_FORMAT'));
    write(mlmodel.replace(/sha256: [0-9a-f]+/, `sha256: ${'0'.repeat(64)}`));
    await expect(fromMlflow(dir)).rejects.toThrow(code('E_MODEL_FORMAT'));
    write('flavors: [unclosed');
    await expect(fromMlflow(dir)).rejects.toThrow(code('E_MODEL_FORMAT'));
  });
});

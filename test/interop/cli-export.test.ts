/** `kiln export`: a model file or a registered version → ONNX that onnxruntime runs; bad arguments exit 1 with the error's code. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, save } from '../../src/index.js';
import { requireDist, root } from '../helpers/dist.js';
import { parityData, runOnnx } from './onnx-helpers.js';

const cli = join(root, 'dist', 'cli', 'index.js');
let dir: string;
const kiln = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });

describe('kiln export', () => {
  const d = parityData('iris', 'logistic_regression');
  let model: GradientBoostingClassifier;
  beforeAll(async () => {
    requireDist();
    dir = mkdtempSync(join(tmpdir(), 'kiln-export-'));
    model = await new GradientBoostingClassifier({ nEstimators: 10 }).fit(d.X, d.y);
    await save(model, join(dir, 'iris.kiln'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes ONNX from a model file, and from a registered version', async () => {
    const r = kiln(['export', 'iris.kiln', '--format', 'onnx', '-o', 'iris.onnx', '--input-name', 'rows']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/iris\.kiln → .*iris\.onnx \(ONNX, \d+ bytes\)/);
    const out = await runOnnx(readFileSync(join(dir, 'iris.onnx')), d.f32, d.test.rows, d.test.cols, 'rows');
    expect(out.label.data).toEqual(await model.predict(d.test));

    expect(kiln(['registry', 'register', 'iris', 'iris.kiln', '--registry', 'reg.db', '--promote']).status).toBe(0);
    const fromRegistry = kiln(['export', 'iris@production', '--registry', 'reg.db', '--format', 'onnx', '-o', 'reg.onnx']);
    expect(fromRegistry.status, fromRegistry.stderr).toBe(0);
    const again = await runOnnx(readFileSync(join(dir, 'reg.onnx')), d.f32, d.test.rows, d.test.cols);
    expect(again.label.data).toEqual(out.label.data);
  });

  it('refuses bad arguments and files with the error code', () => {
    const format = kiln(['export', 'iris.kiln', '--format', 'pmml', '-o', 'x.pmml']);
    expect(format.status).toBe(1);
    expect(format.stderr).toMatch(/^E_PARAM: --format must be 'onnx'/);
    expect(kiln(['export', 'iris.kiln', '--format', 'onnx', '-o', 'x.onnx', '--opset', 'seven']).stderr).toMatch(/^E_PARAM: --opset/);
    expect(kiln(['export', 'iris.kiln', '--format', 'onnx', '-o', 'x.onnx', '--opset', '7']).stderr).toMatch(/^E_PARAM: toOnnx: opset/);
    writeFileSync(join(dir, 'junk.kiln'), 'not a model');
    const junk = kiln(['export', 'junk.kiln', '--format', 'onnx', '-o', 'x.onnx']);
    expect(junk.status).toBe(1);
    expect(junk.stderr).toMatch(/^E_MODEL_FORMAT/);
  });
});

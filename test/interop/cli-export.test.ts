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

describe('kiln train → kiln export', () => {
  it('a trained pipeline (imputer, scaler, one-hot, ordinal) exports with one input per feature, named as the features', async () => {
    requireDist();
    const work = mkdtempSync(join(tmpdir(), 'kiln-export-train-'));
    try {
      let s = 3;
      const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
      const colours = ['red', 'green', 'blue'];
      const make = (n: number) =>
        Array.from({ length: n }, () => {
          const x1 = Math.fround(rand() * 2 - 1),
            x2 = Math.fround(rand()),
            colour = colours[Math.floor(rand() * 3)],
            size = ['S', 'M', 'L'][Math.floor(rand() * 3)];
          const y = x1 + (colour === 'red' ? 0.8 : 0) + (size === 'L' ? 0.3 : 0) > 0.3 ? 'yes' : 'no';
          return { x1: rand() < 0.05 ? null : x1, x2, colour, size, y };
        });
      const csv = (rows: Record<string, unknown>[]) =>
        `${Object.keys(rows[0]).join(',')}\n${rows
          .map((r) =>
            Object.values(r)
              .map((v) => (v === null ? '' : String(v)))
              .join(','),
          )
          .join('\n')}\n`;
      const train = make(400),
        test = make(60);
      writeFileSync(join(work, 'train.csv'), csv(train));
      for (const [encode, className] of [
        ['onehot', 'LogisticRegression'],
        ['ordinal', 'GradientBoostingClassifier'],
      ]) {
        writeFileSync(
          join(work, `${encode}.yaml`),
          `data:\n  source: train.csv\ntarget: y\ntask: classification\nfeatures:\n  numeric: [x1, x2]\n  categorical: [colour, size]\npreprocessing:\n  encode: ${encode}\n  scale: standard\nmodel:\n  class: ${className}\n  params: {}\noutput: ${encode}.kiln\n`,
        );
        const trained = spawnSync(process.execPath, [cli, 'train', `${encode}.yaml`], { cwd: work, encoding: 'utf8', timeout: 120_000 });
        expect(trained.status, trained.stderr).toBe(0);
        const exported = spawnSync(process.execPath, [cli, 'export', `${encode}.kiln`, '--format', 'onnx', '-o', `${encode}.onnx`, '--target-opset', '5'], {
          cwd: work,
          encoding: 'utf8',
        });
        expect(exported.status, exported.stderr).toBe(0);
        const ort = await import('onnxruntime-node');
        const session = await ort.InferenceSession.create(readFileSync(join(work, `${encode}.onnx`)));
        expect([...session.inputNames].sort()).toEqual(['colour', 'size', 'x1', 'x2']);
        const n = test.length;
        const out = await session.run({
          x1: new ort.Tensor(
            'float32',
            Float32Array.from(test, (r) => (r.x1 === null ? NaN : r.x1)),
            [n, 1],
          ),
          x2: new ort.Tensor(
            'float32',
            Float32Array.from(test, (r) => r.x2),
            [n, 1],
          ),
          colour: new ort.Tensor(
            'string',
            test.map((r) => r.colour),
            [n, 1],
          ),
          size: new ort.Tensor(
            'string',
            test.map((r) => r.size),
            [n, 1],
          ),
        });
        await session.release();
        const { load, fromRecords } = await import('../../src/index.js');
        const model = await load(join(work, `${encode}.kiln`));
        const want = await model.predict(fromRecords(test.map(({ y: _y, ...r }) => r)));
        expect(Array.from(out.label.data as ArrayLike<string>)).toEqual(want);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

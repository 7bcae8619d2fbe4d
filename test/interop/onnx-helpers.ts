/**
 * Running an exported model in onnxruntime-node (the CPU runtime the package ships) and the
 * parity data (test/fixtures/sklearn) as f32 values, so kiln and onnxruntime see the same numbers.
 */
import * as ort from 'onnxruntime-node';
import { Matrix } from '../../src/index.js';
import { loadFixture, withNaN } from '../helpers/fixtures.js';

export interface Data {
  X: Matrix<Float64Array>;
  y: number[];
  test: Matrix<Float64Array>;
  f32: Float32Array;
}

function asF32Matrix(rows: number[][]): { m: Matrix<Float64Array>; f32: Float32Array } {
  const f32 = Float32Array.from(rows.flat());
  return { m: new Matrix(Float64Array.from(f32), rows.length, rows[0].length), f32 };
}

/** X, y and the test rows of a parity fixture, rounded to f32. */
export function parityData(dataset: string, op: string): Data {
  const f = loadFixture(dataset, op);
  const train = asF32Matrix(withNaN(f.input.X));
  const test = asF32Matrix(withNaN(f.input.X_test));
  return { X: train.m, y: f.input.y as number[], test: test.m, f32: test.f32 };
}

export const CLASSIFICATION: [string, string][] = [
  ['iris', 'logistic_regression'],
  ['wine', 'logistic_regression'],
  ['breast_cancer', 'logistic_regression'],
];

/** Runs the model on rows × cols floats; every output as a plain array (int64 labels as numbers). */
export async function runOnnx(
  bytes: Uint8Array,
  x: Float32Array,
  rows: number,
  cols: number,
  inputName = 'X',
): Promise<Record<string, { data: number[] | string[]; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ [inputName]: new ort.Tensor('float32', x, [rows, cols]) });
    const result: Record<string, { data: number[] | string[]; dims: readonly number[] }> = {};
    for (const [k, t] of Object.entries(out)) {
      const d = t.data as ArrayLike<number | bigint | string>;
      result[k] = { data: Array.from(d, (v) => (typeof v === 'bigint' ? Number(v) : v)) as number[] | string[], dims: t.dims };
    }
    return result;
  } finally {
    await session.release();
  }
}

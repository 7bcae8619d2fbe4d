/**
 * Transferring (detaching) a buffer while an async kernel uses it. A reference to a
 * TypedArray does not keep a transferred backing store alive: before the fix the kernel
 * read or wrote memory that now belonged to the receiver (wrong results, a segfault once
 * that memory was freed). Every async kernel family is run with each of its inputs and
 * outputs transferred mid-call, and the receiver scribbling over what it received: the
 * call must give exactly the result of an undisturbed call, or reject with a coded error.
 */
import { spawnSync } from 'node:child_process';
import { receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { nativeAddon, type NativeAddon } from '../../src/backend/native/index.js';
import { KilnError, Matrix, columnStats, matmul } from '../../src/index.js';
import { hasNative } from '../helpers/backends.js';
import { requireDist, root } from '../helpers/dist.js';

type Typed = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

/** One async call: the arrays it reads and writes, and how to run it (Promise form or Sync form). */
interface Call {
  inputs: Record<string, Typed>;
  outputs: Record<string, Typed>;
  run(sync: boolean): Promise<void> | void;
}

function seeded(n: number, seed: number): (i: number) => number {
  return (i) => Math.sin(i * 12.9898 + seed * 78.233 + n) * 0.5;
}
const f32 = (n: number, seed = 1) => Float32Array.from({ length: n }, (_, i) => seeded(n, seed)(i));
const f64 = (n: number, seed = 1) => Float64Array.from({ length: n }, (_, i) => seeded(n, seed)(i));

/** One async entry point per kernel family (native/binding/*.cc), sized to take milliseconds. */
const families: Record<string, (a: NativeAddon) => Call> = {
  gemm: (a) => {
    const m = 384,
      n = 384,
      k = 384;
    const x = f32(m * k, 1),
      y = f32(k * n, 2),
      c = new Float32Array(m * n);
    return { inputs: { a: x, b: y }, outputs: { c }, run: (s) => (s ? a.sgemmSync : a.sgemm)(false, false, m, n, k, 1, x, y, 0, c) };
  },
  reduce: (a) => {
    const rows = 20000,
      cols = 32,
      x = f32(rows * cols),
      out = new Float64Array(7 * cols);
    return { inputs: { x }, outputs: { out }, run: (s) => (s ? a.columnStatsSync : a.columnStats)(x, rows, cols, out) };
  },
  elementwise: (a) => {
    const rows = 1000,
      cols = 512,
      x = f32(rows * cols, 1),
      y = f32(cols, 2),
      out = new Float32Array(rows * cols);
    return { inputs: { a: x, b: y }, outputs: { out }, run: (s) => (s ? a.binarySync : a.binary)(0, x, rows, cols, y, 1, cols, out) };
  },
  knn: (a) => {
    const n = 4000,
      d = 16,
      nq = 300,
      k = 5;
    const base = f32(n * d, 1),
      queries = f32(nq * d, 2),
      dist = new Float64Array(nq * k),
      idx = new Int32Array(nq * k);
    return {
      inputs: { base, queries },
      outputs: { dist, idx },
      run: (s) => (s ? a.knnSearchSync : a.knnSearch)(base, n, d, queries, nq, k, 0, false, 1 << 24, dist, idx),
    };
  },
  linear: (a) => {
    const n = 20000,
      p = 12,
      x = f64(n * p, 1),
      y = f64(n, 2);
    const xMean = new Float64Array(p),
      yMean = new Float64Array(1),
      gram = new Float64Array(p * p),
      xty = new Float64Array(p),
      wSum = new Float64Array(1);
    return {
      inputs: { x, y },
      outputs: { gram, xty },
      run: (s) => (s ? a.weightedGramSync : a.weightedGram)(x, n, p, y, 1, null, true, xMean, yMean, gram, xty, wSum),
    };
  },
  mlp: (a) => {
    const sizes = Int32Array.of(16, 64, 4),
      n = 4000;
    const params = f32(16 * 64 + 64 + 64 * 4 + 4, 3),
      x = f32(n * 16, 4),
      out = new Float32Array(n * 4);
    return {
      inputs: { params, x },
      outputs: { out },
      run: (s) => (s ? a.mlpForwardSync : a.mlpForward)(sizes, 1, 0, params, x, n, out),
    };
  },
  'hist (gradients)': (a) => {
    const n = 200000,
      y = f64(n, 1),
      scores = f64(n, 2),
      gradHess = new Float64Array(2 * n),
      sum = new Float64Array(1),
      gossKeys = new Uint32Array(n);
    return {
      inputs: { y, scores },
      outputs: { gradHess, sum, gossKeys },
      run: (s) => (s ? a.histGradientsSync : a.histGradients)(2, n, 1, y, scores, null, 1, gradHess, sum, gossKeys),
    };
  },
  'hist (rank gradients)': (a) => {
    const n = 200000,
      y = Float64Array.from({ length: n }, (_, i) => (i * 7) % 4),
      scores = f64(n, 2),
      queryOffset = Int32Array.from({ length: n / 20 + 1 }, (_, q) => 20 * q),
      gradHess = new Float64Array(2 * n),
      sum = new Float64Array(1);
    return {
      inputs: { y, scores, queryOffset },
      outputs: { gradHess, sum },
      run: (s) => (s ? a.histRankGradientsSync : a.histRankGradients)(n, y, scores, queryOffset, 1, 30, true, 10, gradHess, sum),
    };
  },
  'hist (row sampling, GOSS)': (a) => {
    const n = 400000,
      gradHess = f64(2 * n, 3).map(Math.abs),
      out = new Int32Array(n),
      count = new Float64Array(1);
    return {
      inputs: {},
      outputs: { gradHess, out, count },
      run: (s) => (s ? a.histSampleRowsSync : a.histSampleRows)(gradHess, n, 1, true, 1, 0.2, 0.1, 7, out, count),
    };
  },
  'hist (row sampling, GOSS from given keys)': (a) => {
    const n = 400000,
      gradHess = f64(2 * n, 3).map(Math.abs),
      keys = Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 1),
      out = new Int32Array(n),
      count = new Float64Array(1);
    return {
      inputs: { keys },
      outputs: { gradHess, out, count },
      run: (s) => (s ? a.histSampleRowsSync : a.histSampleRows)(gradHess, n, 1, true, 1, 0.2, 0.1, 7, out, count, keys),
    };
  },
  'hist (binning)': (a) => {
    const n = 100000,
      p = 4,
      x = f64(n * p);
    const edges = Float64Array.from({ length: p * 7 }, (_, i) => (i % 7) / 7 - 0.5);
    const edgeOffset = Int32Array.from({ length: p + 1 }, (_, f) => 7 * f);
    const out = new Uint8Array(n * p),
      columns = new Uint8Array(n * p);
    const categorical = new Uint8Array(p),
      catTable = new Uint8Array(0),
      catOffset = new Int32Array(p + 1);
    return {
      inputs: { x, edges },
      outputs: { out, columns },
      run: (s) => (s ? a.histBinSync : a.histBin)(x, n, p, edges, edgeOffset, categorical, catTable, catOffset, out, columns),
    };
  },
};

const snapshot = (c: Call) => Object.fromEntries(Object.entries(c.outputs).map(([k, v]) => [k, Array.from(v)]));

/** Detaches `t`'s buffer the way a caller would, and has the receiver overwrite all of it. */
function transferAndScribble(t: Typed, how: 'structuredClone' | 'postMessage'): void {
  const buffer = t.buffer as ArrayBuffer;
  let moved: ArrayBuffer;
  if (how === 'structuredClone') {
    moved = structuredClone(buffer, { transfer: [buffer] });
  } else {
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(buffer, [buffer]);
    moved = receiveMessageOnPort(port2)!.message as ArrayBuffer;
    port1.close();
  }
  new Uint8Array(moved).fill(0xff); // NaN as floats, -1 as int32
}

describe.runIf(hasNative)('async kernels with a buffer transferred mid-call', () => {
  if (!hasNative) return; // collection only: runIf skips the cases
  const addon = nativeAddon();

  for (const [family, make] of Object.entries(families)) {
    const reference = make(addon);
    reference.run(true);
    const expected = snapshot(reference);
    const names = [...Object.keys(reference.inputs).map((k) => ['input', k]), ...Object.keys(reference.outputs).map((k) => ['output', k])];

    it.each(names)(`${family}: %s %s transferred (structuredClone) gives the undisturbed result or a coded error`, async (kind, name) => {
      const call = make(addon);
      const target = kind === 'input' ? call.inputs[name] : call.outputs[name];
      const pending = call.run(false) as Promise<void>;
      transferAndScribble(target, 'structuredClone');
      try {
        await pending;
      } catch (e) {
        expect(typeof (e as { code?: unknown }).code).toBe('string');
        return;
      }
      expect(snapshot(call)).toEqual(expected);
    });
  }

  it('postMessage with a transfer list leaves an output the kernel writes intact', async () => {
    const call = families.gemm(addon);
    const pending = call.run(false) as Promise<void>;
    transferAndScribble(call.outputs.c, 'postMessage');
    await pending;
    const reference = families.gemm(addon);
    reference.run(true);
    expect(snapshot(call)).toEqual(snapshot(reference));
  });

  it('public matmul and columnStats: the caller transferring an input once the kernel runs changes nothing', async () => {
    const n = 1024;
    const a = new Matrix(f32(n * n, 1), n, n),
      b = new Matrix(f32(n * n, 2), n, n);
    const expected = await matmul(new Matrix(a.data.slice(), n, n), new Matrix(b.data.slice(), n, n), { backend: 'native' });
    const pending = matmul(a, b, { backend: 'native' });
    await new Promise((r) => setImmediate(r)); // the native call has been made: the kernel runs
    transferAndScribble(a.data, 'structuredClone');
    transferAndScribble(b.data, 'structuredClone');
    expect(Array.from((await pending).data)).toEqual(Array.from(expected.data));

    const x = new Matrix(f64(4_000_000, 3), 1_000_000, 4);
    const stats = await columnStats(new Matrix(x.data.slice(), 1_000_000, 4), { backend: 'native' });
    const pendingStats = columnStats(x, { backend: 'native' });
    await new Promise((r) => setImmediate(r));
    transferAndScribble(x.data, 'structuredClone');
    expect(await pendingStats).toEqual(stats);
  });

  it('an input detached before the native call is a clean E_PARAM naming it', async () => {
    const a = new Matrix(f32(512 * 512), 512, 512);
    const pending = matmul(a, a, { backend: 'native' });
    structuredClone(a.data.buffer, { transfer: [a.data.buffer as ArrayBuffer] }); // before the backend is resolved
    await expect(pending).rejects.toMatchObject({ code: 'E_PARAM', message: expect.stringMatching(/a's ArrayBuffer is detached/) });
  });

  it('a view of a resizable ArrayBuffer is refused by async calls (it could shrink under the kernel)', async () => {
    const Resizable = ArrayBuffer as unknown as new (bytes: number, o: { maxByteLength: number }) => ArrayBuffer;
    const x = new Float32Array(new Resizable(4 * 64, { maxByteLength: 4 * 128 }), 0, 64);
    let err: unknown;
    try {
      await addon.columnStats(x, 8, 8, new Float64Array(56));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KilnError);
    expect(err).toMatchObject({ code: 'E_PARAM', message: expect.stringMatching(/resizable ArrayBuffer/) });
  });

  it('with KILN_MALLOC_TUNING=0 (freed memory returned to the OS), a transferred and collected input does not crash', () => {
    requireDist();
    const program = `
      import { Matrix, matmul } from ${JSON.stringify(`${root}dist/index.js`)};
      const n = 1024, fill = (s) => Float32Array.from({ length: n * n }, (_, i) => Math.sin(i * 0.37 + s));
      const expected = await matmul(new Matrix(fill(1), n, n), new Matrix(fill(2), n, n), { backend: 'native' });
      for (let round = 0; round < 3; round++) {
        const a = new Matrix(fill(1), n, n), b = new Matrix(fill(2), n, n);
        const pending = matmul(a, b, { backend: 'native' });
        await new Promise((r) => setImmediate(r)); // the kernel runs
        structuredClone(a.data.buffer, { transfer: [a.data.buffer] });
        structuredClone(b.data.buffer, { transfer: [b.data.buffer] });
        globalThis.gc();
        const c = await pending;
        if (!c.data.every((v, i) => v === expected.data[i])) { console.log('wrong result'); process.exit(1); }
      }
      console.log('ok');
    `;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', program], {
      env: { ...process.env, KILN_MALLOC_TUNING: '0' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: r.status, signal: r.signal, stdout: r.stdout.trim() }).toEqual({ status: 0, signal: null, stdout: 'ok' });
  });
});

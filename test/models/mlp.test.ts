import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR,
  EarlyStopping,
  MLPClassifier,
  MLPRegressor,
  Matrix,
  ReduceLROnPlateau,
  Rng,
  StepLR,
  type TrainingControl,
} from '../../src/index.js';
import { type CpuBackend, type MlpActivation, type MlpNetwork, mlpLayout, mlpParamCount } from '../../src/backend/backend.js';
import { mlpLossGradRef } from '../../src/backend/js/mlp.js';
import { resolveBackend } from '../../src/backend/select.js';
import { available, hasNative } from '../helpers/backends.js';
import { randomMatrix } from '../helpers/random.js';
import { onThreadCounts } from '../helpers/threads.js';

const code = (c: string) => expect.objectContaining({ code: c });
const cpu = available.filter((b) => b !== 'webgpu');

function smallNet(rng: Rng, hidden: MlpActivation, output: 'softmax' | 'identity'): MlpNetwork {
  const sizes = Int32Array.from([4, 5, 3]);
  const params = Float32Array.from({ length: 4 * 5 + 5 + 5 * 3 + 3 }, () => rng.normal() * 0.7);
  return { sizes, hidden, output, params };
}

function blobs(rng: Rng, n: number) {
  const X = new Float32Array(n * 2),
    y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    X[i * 2] = [-2, 2, 0][k] + 0.5 * rng.normal();
    X[i * 2 + 1] = [0, 0, 3][k] + 0.5 * rng.normal();
    y.push(k);
  }
  return { X: new Matrix(X, n, 2), y };
}

describe('MLP gradients', () => {
  for (const output of ['softmax', 'identity'] as const) {
    for (const hidden of ['relu', 'tanh', 'logistic', 'identity'] as const) {
      it(`analytic = finite differences (${hidden} hidden, ${output} output, L2)`, () => {
        const rng = new Rng(hidden.length * 7 + output.length);
        const net = smallNet(rng, hidden, output);
        const n = 6,
          x = Float32Array.from({ length: n * 4 }, () => rng.normal());
        const data = { x, n, labels: Int32Array.from({ length: n }, (_, i) => i % 3), targets: Float32Array.from({ length: n * 3 }, () => rng.normal()) };
        const alpha = 0.3;
        const { grad } = mlpLossGradRef(net, data, alpha);
        const h = 1e-3;
        for (let i = 0; i < net.params.length; i++) {
          const keep = net.params[i];
          net.params[i] = keep + h;
          const up = mlpLossGradRef(net, data, alpha).loss;
          net.params[i] = keep - h;
          const down = mlpLossGradRef(net, data, alpha).loss;
          net.params[i] = keep;
          const fd = (up - down) / (Math.fround(keep + h) - Math.fround(keep - h));
          expect(Math.abs(fd - grad[i]), `param ${i}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
        }
      });
    }
  }

  it.runIf(hasNative)('the native loss and gradient equal the reference', async () => {
    const native = await resolveBackend('native', 1);
    for (const hidden of ['relu', 'tanh', 'logistic'] as const) {
      for (const output of ['softmax', 'identity'] as const) {
        const rng = new Rng(3);
        const net = smallNet(rng, hidden, output);
        const n = 40,
          x = Float32Array.from({ length: n * 4 }, () => rng.normal());
        const data = { x, n, labels: Int32Array.from({ length: n }, (_, i) => i % 3), targets: Float32Array.from({ length: n * 3 }, () => rng.normal()) };
        const a = (native as CpuBackend).mlp.lossGrad(net, data, 0.1),
          b = mlpLossGradRef(net, data, 0.1);
        expect(a.loss).toBeCloseTo(b.loss, 5);
        for (let i = 0; i < a.grad.length; i++) expect(a.grad[i]).toBeCloseTo(b.grad[i], 5);
      }
    }
  });
});

describe.runIf(hasNative)('native products of every shape', () => {
  // 600 and 530 inputs take sgemm (k > 512), the other products the pre-packed register
  // tile: wide (530 and 70 outputs), narrow (10 and 40 outputs: the 6x16 tile), and the
  // 10-class weight gradient computed transposed.
  it('give the reference loss and gradient', async () => {
    const native = await resolveBackend('native', 1);
    const sizes = Int32Array.from([600, 40, 530, 70, 10]);
    for (const hidden of ['relu', 'tanh'] as const) {
      const rng = new Rng(9);
      const params: number[] = [];
      for (let l = 0; l + 1 < sizes.length; l++) {
        for (let i = 0; i < sizes[l] * sizes[l + 1]; i++) params.push(rng.normal() / Math.sqrt(sizes[l]));
        for (let i = 0; i < sizes[l + 1]; i++) params.push(0.1 * rng.normal());
      }
      const net: MlpNetwork = { sizes, hidden, output: 'softmax', params: Float32Array.from(params) };
      const n = 37,
        x = Float32Array.from({ length: n * 600 }, () => rng.normal());
      const data = { x, n, labels: Int32Array.from({ length: n }, (_, i) => (i * 7) % 10), targets: new Float32Array(n * 10) };
      const a = (native as CpuBackend).mlp.lossGrad(net, data, 0.1),
        b = mlpLossGradRef(net, data, 0.1);
      expect(a.loss).toBeCloseTo(b.loss, 4);
      const scale = Math.max(...Array.from(b.grad, Math.abs));
      let worst = 0;
      for (let i = 0; i < a.grad.length; i++) worst = Math.max(worst, Math.abs(a.grad[i] - b.grad[i]));
      expect(worst / scale).toBeLessThan(1e-4);
    }
  });
});

describe.runIf(hasNative)('native and js training loops', () => {
  it('agree over a few epochs with the same seed (Adam and SGD with Nesterov)', async () => {
    for (const solver of ['adam', 'sgd', 'adamw'] as const) {
      const { X, y } = blobs(new Rng(4), 150);
      const opts = { hiddenLayerSizes: [8], maxIter: 4, tol: null, batchSize: 32, solver, learningRateInit: 0.01 };
      const a = await new MLPClassifier({ ...opts, backend: 'native' }).fit(X, y);
      const b = await new MLPClassifier({ ...opts, backend: 'js' }).fit(X, y);
      a.history.forEach((h, i) => expect(h.loss).toBeCloseTo(b.history[i].loss, 4));
      a.coefs.forEach((c, l) => c.data.forEach((v, i) => expect(Math.abs(v - b.coefs[l].data[i])).toBeLessThan(1e-4)));
    }
  });

  // An epoch trains copies of the weights and moments (placed for the caches) up to 2^20 parameters
  // and the caller's arrays past it. Either way one full-batch SGD step without momentum or L2 is
  // params - lr * gradient, the gradient as lossGrad gives it for the same rows.
  it('take one full-batch SGD step as params - lr * gradient, below and past 2^20 parameters', async () => {
    const native = (await resolveBackend('native', 1)) as CpuBackend;
    for (const widths of [
      [64, 128, 3],
      [1024, 1025, 2],
    ]) {
      const sizes = Int32Array.from(widths),
        rng = new Rng(12);
      const total = mlpParamCount(sizes);
      if (widths[0] === 1024) expect(total).toBeGreaterThan(2 ** 20);
      const net: MlpNetwork = { sizes, hidden: 'relu', output: 'softmax', params: Float32Array.from({ length: total }, () => 0.05 * rng.normal()) };
      const n = 64,
        k = widths[widths.length - 1];
      const data = {
        x: Float32Array.from({ length: n * widths[0] }, () => rng.normal()),
        n,
        labels: Int32Array.from({ length: n }, (_, i) => i % k),
        targets: null,
      };
      const { grad } = native.mlp.lossGrad(net, data, 0);
      const before = Float32Array.from(net.params);
      const common = { beta1: 0.9, beta2: 0.999, eps: 1e-8, m: new Float32Array(total), v: new Float32Array(total), step: new Float64Array(1) };
      await native.mlp.epoch({
        net,
        data,
        order: Int32Array.from({ length: n }, (_, i) => i),
        batch: n,
        dropout: 0,
        seed: 1,
        solver: 'sgd',
        lr: 0.1,
        alpha: 0,
        weightDecay: 0,
        momentum: 0,
        nesterov: false,
        ...common,
      });
      let worst = 0;
      for (let i = 0; i < total; i++) worst = Math.max(worst, Math.abs(net.params[i] - (before[i] - 0.1 * grad[i])));
      expect(worst, `sizes ${widths}`).toBeLessThan(1e-6);
      expect(
        net.params.some((v, i) => v !== before[i]),
        `sizes ${widths}`,
      ).toBe(true);
    }
  });

  // A batch's parts and their gradient sums are fixed by the batch size; the optimiser step of a
  // network past 8,192 parameters is spread over the threads in fixed blocks (a split that moved
  // with the thread count sent some elements through the vectorised loop's remainder on one
  // thread count and not on the other: different last bits). One thread and two must train the
  // same network, bit for bit: the mlp bench's shape, 26,122 parameters.
  it('train the same network on one thread and two, bit for bit (the optimiser step split over threads)', async () => {
    const n = 1000,
      d = 64,
      X = randomMatrix(new Rng(8), n, d);
    const y = Array.from({ length: n }, (_, i) => (X.data[i * d] + X.data[i * d + 1] > 0 ? 1 : 0) + (X.data[i * d + 2] > 0.5 ? 1 : 0));
    const opts = { hiddenLayerSizes: [128, 128], maxIter: 3, tol: null, batchSize: 256, alpha: 1e-3, backend: 'native' as const };
    const [one, two] = await onThreadCounts(() => new MLPClassifier(opts).fit(X, y));
    expect(one.coefs.reduce((s, c) => s + c.data.length, 0) + 128 + 128 + 3).toBeGreaterThan(8192);
    expect(two.history.map((h) => h.loss)).toEqual(one.history.map((h) => h.loss));
    two.coefs.forEach((c, l) => expect(Array.from(c.data)).toEqual(Array.from(one.coefs[l].data)));
  });

  // The reported loss of a batch carries alpha/2 ||W||^2 / rows; past 8,192 parameters the step sums
  // ||W||^2 block by block as it replaces the weights. With lr 0 the weights stay put, so the epoch's
  // loss is the row-weighted mean of lossGrad's loss on each batch's rows, L2 term included.
  it('report each batch loss with its L2 term when the step is split into blocks', async () => {
    const native = (await resolveBackend('native', 1)) as CpuBackend;
    const sizes = Int32Array.from([64, 128, 64, 3]),
      rng = new Rng(31),
      total = mlpParamCount(sizes);
    expect(total).toBeGreaterThan(2 * 8192);
    const net: MlpNetwork = { sizes, hidden: 'relu', output: 'softmax', params: Float32Array.from({ length: total }, () => 0.1 * rng.normal()) };
    const n = 300,
      batch = 128,
      alpha = 0.5;
    const x = Float32Array.from({ length: n * 64 }, () => rng.normal()),
      labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3);
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    let expected = 0;
    for (let start = 0; start < n; start += batch) {
      const rows = order.subarray(start, Math.min(n, start + batch));
      const bx = new Float32Array(rows.length * 64);
      rows.forEach((r, i) => bx.set(x.subarray(r * 64, (r + 1) * 64), i * 64));
      const part = native.mlp.lossGrad(net, { x: bx, n: rows.length, labels: Int32Array.from(rows, (r) => labels[r]), targets: null }, alpha);
      expected += part.loss * rows.length;
    }
    expected /= n;
    const lay = mlpLayout(sizes);
    let norm2 = 0;
    lay.w.forEach((o, l) => {
      for (let i = o; i < lay.b[l]; i++) norm2 += net.params[i] ** 2;
    });
    const l2 = (0.5 * alpha * norm2) / batch;
    expect(l2).toBeGreaterThan(0.1 * expected); // the L2 term is a large share of what is checked
    const before = Float32Array.from(net.params);
    const loss = await native.mlp.epoch({
      net,
      data: { x, n, labels, targets: null },
      order,
      batch,
      dropout: 0,
      seed: 1,
      solver: 'sgd',
      lr: 0,
      alpha,
      weightDecay: 0,
      momentum: 0,
      nesterov: false,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      m: new Float32Array(total),
      v: new Float32Array(total),
      step: new Float64Array(1),
    });
    expect(Array.from(net.params)).toEqual(Array.from(before));
    expect(Math.abs(loss - expected) / expected).toBeLessThan(1e-6);
  });
});

describe.runIf(available.includes('webgpu'))('the WebGPU training loop', () => {
  it('agrees with the native loop over a few epochs (Adam, SGD, weights, regression) with one readback per epoch', async () => {
    const { resolveBackend } = await import('../../src/backend/select.js');
    for (const solver of ['adam', 'sgd'] as const) {
      const { X, y } = blobs(new Rng(11), 150);
      const opts = { hiddenLayerSizes: [8, 5], maxIter: 4, tol: null, batchSize: 32, solver, learningRateInit: 0.01 };
      const sampleWeight = Array.from({ length: 150 }, (_, i) => 1 + (i % 3));
      const native = await new MLPClassifier({ ...opts, backend: 'native' }).fit(X, y, { sampleWeight });
      const runner = await ((await resolveBackend('webgpu', 0)) as import('../../src/backend/webgpu/backend.js').WebGpuBackend).runner();
      const before = runner.readbacks;
      const gpu = await new MLPClassifier({ ...opts, backend: 'webgpu' }).fit(X, y, { sampleWeight });
      expect(runner.readbacks - before).toBe(4); // one per epoch
      native.history.forEach((h, i) => expect(Math.abs(h.loss - gpu.history[i].loss)).toBeLessThan(1e-4));
      native.coefs.forEach((c, l) => c.data.forEach((v, i) => expect(Math.abs(v - gpu.coefs[l].data[i])).toBeLessThan(1e-4)));
      expect(await gpu.predict([[2, 0]])).toEqual(await native.predict([[2, 0]]));
    }
    const rng = new Rng(12),
      n = 100;
    const Xr = new Matrix(
      new Float32Array(n * 2).map(() => rng.normal()),
      n,
      2,
    );
    const yr = Array.from({ length: n }, (_, i) => Xr.data[i * 2] * Xr.data[i * 2 + 1]);
    const o = { hiddenLayerSizes: [6], maxIter: 3, tol: null, batchSize: 25, activation: 'tanh' as const };
    const a = await new MLPRegressor({ ...o, backend: 'native' }).fit(Xr, yr);
    const b = await new MLPRegressor({ ...o, backend: 'webgpu' }).fit(Xr, yr);
    a.history.forEach((h, i) => expect(Math.abs(h.loss - b.history[i].loss)).toBeLessThan(1e-4));
    await expect(new MLPClassifier({ dropout: 0.2, backend: 'webgpu' }).fit([[0], [1]], [0, 1])).rejects.toThrowError(code('E_BACKEND_LIMIT'));
  });
});

describe.each(cpu)('MLP estimators on %s', (backend) => {
  it('learn blobs and a nonlinear regression; training is reproducible', async () => {
    const { X, y } = blobs(new Rng(5), 300);
    const m = await new MLPClassifier({ hiddenLayerSizes: [16], maxIter: 60, backend, learningRateInit: 0.01 }).fit(X, y);
    expect(await m.score(X, y)).toBeGreaterThan(0.95);
    const again = await new MLPClassifier({ hiddenLayerSizes: [16], maxIter: 60, backend, learningRateInit: 0.01 }).fit(X, y);
    expect(Array.from(again.coefs[0].data)).toEqual(Array.from(m.coefs[0].data));
    const p = await m.predictProba([[2, 0]]);
    expect(p.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const rng = new Rng(6),
      n = 400;
    const Xr = new Float32Array(n).map(() => rng.random() * 4 - 2),
      yr = Array.from(Xr, (v) => v * v);
    const reg = await new MLPRegressor({ hiddenLayerSizes: [32], activation: 'tanh', maxIter: 300, learningRateInit: 0.01, backend }).fit(
      new Matrix(Xr, n, 1),
      yr,
    );
    expect(await reg.score(new Matrix(Xr, n, 1), yr)).toBeGreaterThan(0.9);
  });

  it('partialFit learns online; callbacks and cancellation control the loop', async () => {
    const rng = new Rng(7);
    const m = new MLPClassifier({ hiddenLayerSizes: [8], learningRateInit: 0.02, backend });
    await expect(m.partialFit([[0, 0]], [0])).rejects.toThrow(/needs \{ classes/);
    for (let i = 0; i < 30; i++) {
      const { X, y } = blobs(rng, 30);
      await m.partialFit(X, y, { classes: [0, 1, 2] });
    }
    expect(m.nIter).toBe(30);
    expect(await m.score(blobs(rng, 90).X, blobs(new Rng(7), 90).y)).toBeGreaterThan(0);
    await expect(m.partialFit([[0, 0]], [9])).rejects.toThrow(/not one of the classes/);
    // an AbortSignal rejects the fit and keeps nothing; a callback that sets stop keeps the model so far
    const controller = new AbortController();
    const stopper = {
      onEpochEnd: (logs: { epoch: number }) => {
        if (logs.epoch === 2) controller.abort();
      },
    };
    const { X, y } = blobs(rng, 60);
    const aborted = new MLPClassifier({ hiddenLayerSizes: [4], maxIter: 50, tol: null, callbacks: [stopper], backend });
    await expect(aborted.fit(X, y, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(aborted.nIter).toBe(0);
    expect(() => aborted.coefs).toThrowError(code('E_NOT_FITTED'));
    const halted = await new MLPClassifier({
      hiddenLayerSizes: [4],
      maxIter: 50,
      tol: null,
      backend,
      callbacks: [
        {
          onEpochEnd: (l: { epoch: number }, ctl: { stop: boolean }) => {
            if (l.epoch === 2) ctl.stop = true;
          },
        },
      ],
    }).fit(X, y);
    expect(halted.nIter).toBe(3);
    const step = await new MLPClassifier({
      hiddenLayerSizes: [4],
      maxIter: 5,
      tol: null,
      learningRateInit: 0.1,
      callbacks: [new StepLR({ stepSize: 2, gamma: 0.5 })],
      backend,
    }).fit(X, y);
    expect(step.history.map((h) => h.lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('rejects bad input', async () => {
    expect(() => new MLPClassifier({ hiddenLayerSizes: [0] })).toThrowError(code('E_PARAM'));
    expect(() => new MLPClassifier({ batchSize: 0 })).toThrowError(code('E_PARAM'));
    await expect(new MLPClassifier({ backend }).fit([[NaN, 1]], [0])).rejects.toThrowError(code('E_NONFINITE'));
    await expect(new MLPClassifier({ backend }).fit([[1], [2]], [0])).rejects.toThrowError(code('E_SHAPE'));
    const m = await new MLPClassifier({ hiddenLayerSizes: [2], maxIter: 1, backend }).fit([[0], [1]], [0, 1]);
    await expect(m.predict([[1, 2]])).rejects.toThrowError(code('E_SHAPE'));
  });
});

describe('training callbacks on crafted loss curves', () => {
  const control = () => {
    let weights: Float32Array = new Float32Array([0]);
    const c: TrainingControl & { w: Float32Array } = {
      lr: 1,
      stop: false,
      snapshot: () => Float32Array.from(weights),
      restore: (w: Float32Array) => {
        weights = w;
      },
      saveCheckpoint: async () => {},
      get w() {
        return weights;
      },
      set w(v) {
        weights = v;
      },
    };
    return c;
  };

  it('EarlyStopping stops after patience epochs without improvement and restores the best weights', () => {
    const c = control();
    const es = new EarlyStopping({ patience: 2, minDelta: 0.01 });
    const losses = [1, 0.5, 0.495, 0.6, 0.49];
    for (let e = 0; e < losses.length && !c.stop; e++) {
      c.w = new Float32Array([e]);
      es.onEpochEnd({ epoch: e, epochs: 10, loss: losses[e], lr: 1 }, c);
    }
    expect(es.stoppedEpoch).toBe(4);
    es.onTrainEnd(c);
    expect(Array.from(c.w)).toEqual([1]); // weights of the best epoch (loss 0.5)
  });

  it('ReduceLROnPlateau and CosineAnnealingLR follow their schedules', () => {
    const c = control();
    const r = new ReduceLROnPlateau({ factor: 0.5, patience: 1, minDelta: 0 });
    [1, 1, 1, 1, 1].forEach((l, e) => r.onEpochEnd({ epoch: e, epochs: 10, loss: l, lr: c.lr }, c));
    expect(c.lr).toBe(0.25);
    const c2 = control();
    const cos = new CosineAnnealingLR({ tMax: 4, etaMin: 0 });
    const lrs: number[] = [];
    for (let e = 0; e < 4; e++) {
      cos.onEpochEnd({ epoch: e, epochs: 10, loss: 1, lr: c2.lr }, c2);
      lrs.push(c2.lr);
    }
    expect(lrs.map((v) => +v.toFixed(6))).toEqual([0.853553, 0.5, 0.146447, 0]);
    expect(() => new EarlyStopping({ patience: -1 })).toThrowError(code('E_PARAM'));
  });
});

describe.each(cpu)('MLP checkpoints, validation and weights on %s', (backend) => {
  it('checkpoint → resume gives exactly the uninterrupted result', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { ModelCheckpoint } = await import('../../src/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'kiln-ckpt-'));
    try {
      const { X, y } = blobs(new Rng(8), 120);
      const base = { hiddenLayerSizes: [6], batchSize: 32, tol: null, learningRateInit: 0.01, backend };
      const whole = await new MLPClassifier({ ...base, maxIter: 6 }).fit(X, y);
      const path = join(dir, 'mlp.ckpt');
      const stopAt3 = {
        onEpochEnd: (l: { epoch: number }, c: { stop: boolean }) => {
          if (l.epoch === 2) c.stop = true;
        },
      };
      await new MLPClassifier({ ...base, maxIter: 6, callbacks: [new ModelCheckpoint({ path }), stopAt3] }).fit(X, y);
      const resumed = await new MLPClassifier({ ...base, maxIter: 6 }).fit(X, y, { resumeFrom: path });
      expect(resumed.nIter).toBe(6);
      whole.coefs.forEach((c, l) => expect(Array.from(resumed.coefs[l].data)).toEqual(Array.from(c.data)));
      expect(resumed.history.map((h) => h.loss)).toEqual(whole.history.map((h) => h.loss));
      // damaged or foreign files are refused with E_MODEL_FORMAT
      const { readFileSync, writeFileSync } = await import('node:fs');
      const bytes = readFileSync(path);
      bytes[bytes.length - 3] ^= 0xff;
      writeFileSync(join(dir, 'flipped.ckpt'), bytes);
      await expect(new MLPClassifier(base).fit(X, y, { resumeFrom: join(dir, 'flipped.ckpt') })).rejects.toThrowError(code('E_MODEL_FORMAT'));
      writeFileSync(join(dir, 'short.ckpt'), bytes.subarray(0, 40));
      await expect(new MLPClassifier(base).fit(X, y, { resumeFrom: join(dir, 'short.ckpt') })).rejects.toThrowError(code('E_MODEL_FORMAT'));
      await expect(new MLPRegressor(base).fit(X, [1], { resumeFrom: path })).rejects.toThrow(/holds a MLPClassifier/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports validation loss, and class weights shift predictions', async () => {
    const { X, y } = blobs(new Rng(9), 150);
    const v = blobs(new Rng(10), 60);
    const m = await new MLPClassifier({ hiddenLayerSizes: [8], maxIter: 5, tol: null, backend }).fit(X, y, { validationData: [v.X, v.y] });
    expect(m.history.every((h) => typeof h.valLoss === 'number' && h.valLoss > 0)).toBe(true);
    const share = async (mm: MLPClassifier) =>
      (
        await mm.predict(
          new Matrix(
            new Float32Array(200).map((_, i) => (i % 2 ? 1.5 : 0) - 0.7),
            100,
            2,
          ),
        )
      ).filter((c) => c === 2).length;
    const plain = await new MLPClassifier({ hiddenLayerSizes: [8], maxIter: 30, backend, learningRateInit: 0.01 }).fit(X, y);
    const heavy = await new MLPClassifier({ hiddenLayerSizes: [8], maxIter: 30, backend, learningRateInit: 0.01, classWeight: { 2: 20 } }).fit(X, y);
    expect(await share(heavy)).toBeGreaterThanOrEqual(await share(plain));
    await expect(new MLPClassifier({ backend }).fit(X, y, { sampleWeight: [1] })).rejects.toThrowError(code('E_SHAPE'));
  });
});

describe('ProgressReporter', () => {
  it('writes a line per epoch to a terminal and nothing otherwise', async () => {
    const { ProgressReporter } = await import('../../src/index.js');
    const lines: string[] = [];
    const tty = new ProgressReporter({ isTTY: true, write: (s: string) => lines.push(s) });
    const pipe = new ProgressReporter({ isTTY: false, write: (s: string) => lines.push(`pipe ${s}`) });
    tty.onEpochEnd({ epoch: 0, epochs: 3, loss: 0.5, lr: 0.001 });
    pipe.onEpochEnd({ epoch: 0, epochs: 3, loss: 0.5, lr: 0.001 });
    expect(lines).toEqual(['epoch 1/3  loss 0.50000  lr 0.00100\n']);
  });
});

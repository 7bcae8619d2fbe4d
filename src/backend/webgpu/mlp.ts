/**
 * The MLP training loop on the GPU: one submission per epoch. Parameters and
 * optimiser state are uploaded at the epoch's start, every mini-batch (gather,
 * forward GEMMs + bias/activation, loss, backward GEMMs, optimiser step) is recorded
 * into one command buffer, and one readback returns the parameters, the optimiser
 * state and the epoch loss. The training data stays resident across epochs.
 */
import { BackendLimitError } from '../../core/errors.js';
import { MLP_ACTIVATIONS, type MlpEpochArgs, type MlpKernels, type MlpNetwork, mlpLayout } from '../contract/mlp.js';
import type { GpuHost } from './host.js';
import * as kern from './kernels.js';
import type { GpuRunner } from './runner.js';

const resident = new WeakMap<Float32Array, { runner: GpuRunner; buffer: GPUBuffer }>();
// When the host array is collected, its device copy goes back to the pool.
const releaseResident = new FinalizationRegistry<{ runner: GpuRunner; buffer: GPUBuffer }>(({ runner, buffer }) => {
  if (!runner.ctx.lost) runner.release(buffer);
});

/** The training inputs on the device, uploaded once per array and device (epochs reuse it). */
function residentX(r: GpuRunner, x: Float32Array): GPUBuffer {
  const hit = resident.get(x);
  if (hit && hit.runner === r) return hit.buffer;
  const buffer = r.upload('MLP training data', x);
  resident.set(x, { runner: r, buffer });
  releaseResident.register(x, { runner: r, buffer });
  return buffer;
}

function params64(f: Partial<Record<'count' | 'rows' | 'cols' | 'start' | 'code' | 'flag' | 'batch', number>>, g: number[] = []): ArrayBuffer {
  const buf = new ArrayBuffer(64);
  new Uint32Array(buf, 0, 8).set([f.count ?? 0, f.rows ?? 0, f.cols ?? 0, f.start ?? 0, f.code ?? 0, f.flag ?? 0, f.batch ?? 0, 0]);
  new Float32Array(buf, 32, 8).set([...g, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 8));
  return buf;
}

interface Layers {
  W: GPUBuffer[];
  b: GPUBuffer[];
  owned: GPUBuffer[];
}

/** Per-layer weight and bias buffers copied out of a packed region (layout as params) at `base` bytes. */
function splitLayers(r: GpuRunner, packed: GPUBuffer, sizes: Int32Array, name: string, base = 0): Layers {
  const lay = mlpLayout(sizes);
  const out: Layers = { W: [], b: [], owned: [] };
  for (let l = 0; l + 1 < sizes.length; l++) {
    const wBytes = sizes[l] * sizes[l + 1] * 4,
      bBytes = sizes[l + 1] * 4;
    const W = r.alloc(`${name} W${l}`, wBytes),
      b = r.alloc(`${name} b${l}`, bBytes);
    r.copy(packed, base + lay.w[l] * 4, W, 0, wBytes);
    r.copy(packed, base + lay.b[l] * 4, b, 0, bBytes);
    out.W.push(W);
    out.b.push(b);
    out.owned.push(W, b);
  }
  return out;
}

function joinLayers(r: GpuRunner, layers: Layers, sizes: Int32Array, packed: GPUBuffer, packedOffset: number): void {
  const lay = mlpLayout(sizes);
  for (let l = 0; l + 1 < sizes.length; l++) {
    r.copy(layers.W[l], 0, packed, packedOffset + lay.w[l] * 4, sizes[l] * sizes[l + 1] * 4);
    r.copy(layers.b[l], 0, packed, packedOffset + lay.b[l] * 4, sizes[l + 1] * 4);
  }
}

/** Records the forward pass of `rows` rows already in acts[0]; leaves outputs in acts[L]. */
function recordForward(r: GpuRunner, net: MlpNetwork, P: Layers, acts: GPUBuffer[], rows: number): void {
  const L = net.sizes.length - 1,
    hidden = MLP_ACTIVATIONS.indexOf(net.hidden);
  for (let l = 0; l < L; l++) {
    const din = net.sizes[l],
      dout = net.sizes[l + 1];
    kern.sgemm(r, { transA: false, transB: false, m: rows, n: dout, k: din, alpha: 1, beta: 0 }, acts[l], P.W[l], acts[l + 1]);
    if (l + 1 === L && net.output === 'softmax') {
      r.dispatch('mlp', 'bias_softmax', params64({ count: rows, cols: dout }), { 1: [P.b[l], dout * 4], 3: [acts[l + 1], rows * dout * 4] }, r.grid(rows, 64));
    } else {
      r.dispatch(
        'mlp',
        'bias_act',
        params64({ count: rows * dout, cols: dout, code: l + 1 === L ? 0 : hidden }),
        { 1: [P.b[l], dout * 4], 3: [acts[l + 1], rows * dout * 4] },
        r.grid(rows * dout, 64),
      );
    }
  }
}

export async function mlpEpochGpu(r: GpuRunner, a: MlpEpochArgs): Promise<number> {
  if (a.dropout > 0) throw new BackendLimitError("webgpu: dropout is not implemented in the GPU loop; use backend 'native'");
  const net = a.net,
    sizes = net.sizes,
    L = sizes.length - 1,
    n = a.data.n,
    lay = mlpLayout(sizes);
  const total = lay.total,
    B = Math.min(a.batch, n),
    k = sizes[L];
  const widest = Math.max(...sizes);
  const own: GPUBuffer[] = [];
  const keep = (b: GPUBuffer) => (own.push(b), b);
  const ctx = r.ctx;
  try {
    return await ctx.guarded('mlp epoch', async () => {
      const X = residentX(r, a.data.x);
      const order = keep(r.upload('MLP order', a.order));
      const labels = a.data.labels ? keep(r.upload('MLP labels', a.data.labels)) : undefined;
      const targets = a.data.targets ? keep(r.upload('MLP targets', a.data.targets)) : undefined;
      const weights = a.data.weights ? keep(r.upload('MLP weights', a.data.weights)) : undefined;
      const state = keep(r.alloc('MLP state', (3 * total + 1) * 4)); // params | m | v | loss: read back at once
      r.write(state, 0, a.net.params);
      r.write(state, total * 4, a.m);
      r.write(state, 2 * total * 4, a.v);
      r.beginBatch();
      const P = splitLayers(r, state, sizes, 'params'),
        M = splitLayers(r, state, sizes, 'm', total * 4);
      const V = splitLayers(r, state, sizes, 'v', 2 * total * 4);
      [P, M, V].forEach((x) => own.push(...x.owned));
      const acts = Array.from({ length: L + 1 }, (_, l) => keep(r.alloc(`activations ${l}`, B * sizes[l] * 4)));
      let delta = keep(r.alloc('delta', B * widest * 4)),
        prev = keep(r.alloc('prev', B * widest * 4));
      const gW = Array.from({ length: L }, (_, l) => keep(r.alloc(`gW${l}`, sizes[l] * sizes[l + 1] * 4)));
      const gb = Array.from({ length: L }, (_, l) => keep(r.alloc(`gb${l}`, sizes[l + 1] * 4)));
      const yb = keep(r.alloc('batch targets', B * (targets ? k : 1) * 4)),
        wb = keep(r.alloc('batch weights', B * 4));
      const lossRows = keep(r.alloc('row losses', n * 4)),
        lossSum = keep(r.alloc('loss', 4));
      const hidden = MLP_ACTIVATIONS.indexOf(net.hidden);
      const dummyI32 = labels ?? order;
      const dummyF32 = targets ?? X; // unused when there are no targets, but every binding needs a buffer
      for (let start = 0; start < n; start += B) {
        const rows = Math.min(B, n - start);
        r.dispatch(
          'mlp',
          'gather',
          params64({ count: rows * sizes[0], cols: sizes[0], start }),
          { 1: [X, n * sizes[0] * 4], 2: [order, n * 4], 3: [acts[0], rows * sizes[0] * 4] },
          r.grid(rows * sizes[0], 64),
        );
        r.dispatch(
          'mlp',
          'gather_meta',
          params64({ count: rows, cols: k, start, flag: targets ? 1 : 0 }),
          { 2: [order, n * 4], 4: [dummyI32, n * 4], 5: [dummyF32, (targets ? n * k : 1) * 4], 6: [yb, rows * (targets ? k : 1) * 4], 7: [wb, rows * 4] },
          r.grid(rows, 64),
        );
        if (weights) {
          r.dispatch(
            'mlp',
            'gather',
            params64({ count: rows, cols: 1, start }),
            { 1: [weights, n * 4], 2: [order, n * 4], 3: [wb, rows * 4] },
            r.grid(rows, 64),
          );
        }
        recordForward(r, net, P, acts, rows);
        r.dispatch(
          'mlp',
          'loss_delta',
          params64({ count: rows, cols: k, start, batch: rows, code: net.output === 'softmax' ? 0 : 1 }),
          { 1: [acts[L], rows * k * 4], 5: [yb, rows * (targets ? k : 1) * 4], 3: [delta, rows * k * 4], 6: [lossRows, n * 4], 7: [wb, rows * 4] },
          r.grid(rows, 64),
        );
        for (let l = L - 1; l >= 0; l--) {
          const din = sizes[l],
            dl = sizes[l + 1];
          kern.sgemm(r, { transA: true, transB: false, m: din, n: dl, k: rows, alpha: 1, beta: 0 }, acts[l], delta, gW[l]);
          r.dispatch('mlp', 'col_sum', params64({ count: dl, rows, cols: dl }), { 1: [delta, rows * dl * 4], 3: [gb[l], dl * 4] }, r.grid(dl, 64));
          if (l > 0) {
            kern.sgemm(r, { transA: false, transB: true, m: rows, n: din, k: dl, alpha: 1, beta: 0 }, delta, P.W[l], prev);
            r.dispatch(
              'mlp',
              'act_grad',
              params64({ count: rows * din, code: hidden }),
              { 1: [acts[l], rows * din * 4], 3: [prev, rows * din * 4] },
              r.grid(rows * din, 64),
            );
            [delta, prev] = [prev, delta];
          }
        }
        const adam = a.solver === 'adam';
        let lrT = a.lr;
        if (adam) {
          const t = ++a.step[0];
          lrT = (a.lr * Math.sqrt(1 - a.beta2 ** t)) / (1 - a.beta1 ** t);
        }
        const g = [a.lr, adam ? lrT : a.momentum, a.beta1, a.beta2, a.eps, a.alpha / rows, 1 - a.lr * a.weightDecay];
        for (let l = 0; l < L; l++) {
          for (const [dst, grad, m, v, count, weight] of [
            [P.W[l], gW[l], M.W[l], V.W[l], sizes[l] * sizes[l + 1], true],
            [P.b[l], gb[l], M.b[l], V.b[l], sizes[l + 1], false],
          ] as const) {
            r.dispatch(
              'mlp',
              'update',
              params64({ count, code: adam ? 1 : 0, flag: (weight ? 1 : 0) | (a.nesterov ? 2 : 0) }, weight ? g : [...g.slice(0, 5), 0, 1]),
              { 1: [grad, count * 4], 3: [dst, count * 4], 6: [m, count * 4], 7: [v, count * 4] },
              r.grid(count, 64),
            );
          }
        }
      }
      r.dispatch('mlp', 'reduce_loss', params64({ count: n }), { 6: [lossRows, n * 4], 7: [lossSum, 4] }, [1, 1, 1]);
      joinLayers(r, P, sizes, state, 0);
      joinLayers(r, M, sizes, state, total * 4);
      joinLayers(r, V, sizes, state, 2 * total * 4);
      r.copy(lossSum, 0, state, 3 * total * 4, 4);
      r.endBatch();
      const back = new Float32Array(await r.read(state, (3 * total + 1) * 4));
      a.net.params.set(back.subarray(0, total));
      a.m.set(back.subarray(total, 2 * total));
      a.v.set(back.subarray(2 * total, 3 * total));
      return back[3 * total] / n;
    });
  } finally {
    r.endBatch();
    r.release(...own);
  }
}

/** Network outputs for n rows (one readback). */
export async function mlpForwardGpu(r: GpuRunner, net: MlpNetwork, x: Float32Array, n: number): Promise<Float32Array> {
  const sizes = net.sizes,
    L = sizes.length - 1,
    k = sizes[L];
  const own: GPUBuffer[] = [];
  const keep = (b: GPUBuffer) => (own.push(b), b);
  try {
    return await r.ctx.guarded('mlp forward', async () => {
      const packed = keep(r.upload('MLP params', net.params));
      const P = splitLayers(r, packed, sizes, 'params');
      own.push(...P.owned);
      const acts = Array.from(sizes, (d, l) => keep(r.alloc(`activations ${l}`, n * d * 4)));
      r.write(acts[0], 0, x, n * sizes[0] * 4);
      recordForward(r, net, P, acts, n);
      return new Float32Array(await r.read(acts[L], n * k * 4));
    });
  } finally {
    r.release(...own);
  }
}

/** The webgpu mlp family: one submission per epoch, forward passes on the device (no loss gradient: a CPU check). */
export function gpuMlp(host: GpuHost): MlpKernels {
  return {
    epoch: async (args) => mlpEpochGpu(await host.runner(), args),
    forward: async (net, x, n) => mlpForwardGpu(await host.runner(), net, x, n),
  };
}

/** Device-resident matrices: chains without readbacks, lifetime, device loss, split operands. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  GpuMatrix,
  type Matrix,
  Rng,
  add,
  argmax,
  clamp,
  columnStats,
  matmul,
  mul,
  relu,
  rowNorms,
  scale,
  sigmoid,
  softmax,
  sub,
  tanh,
  toGpu,
} from '../../src/index.js';
import { resolveBackend } from '../../src/backend/select.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/backend.js';
import { hasWebgpu } from '../helpers/backends.js';
import { requireDist, script } from '../helpers/dist.js';
import { randomMatrix } from '../helpers/random.js';

const code = (c: string) => expect.objectContaining({ code: c });

async function runner() {
  return ((await resolveBackend('webgpu', 0)) as WebGpuBackend).runner();
}

/** The same 10-op chain on host matrices or device matrices. */
async function chain(x: any, w1: any, b1: any, w2: any): Promise<any> {
  let h = await matmul(x, w1); // 1
  h = await add(h, b1); // 2 (row-vector bias)
  h = await relu(h); // 3
  h = await scale(h, 0.5); // 4
  h = await matmul(h, w2); // 5
  h = await tanh(h); // 6
  h = await mul(h, h); // 7
  h = await sub(h, 0.25); // 8
  h = await clamp(h, -0.2, 0.6); // 9
  return softmax(h); // 10
}

describe.runIf(hasWebgpu)('GpuMatrix', () => {
  it('runs a chain of 10 dependent ops with a single readback, matching the host chain', async () => {
    const rng = new Rng(21);
    const x = randomMatrix(rng, 97, 31),
      w1 = randomMatrix(rng, 31, 45),
      b1 = randomMatrix(rng, 1, 45),
      w2 = randomMatrix(rng, 45, 13);
    const host = (await chain(x, w1, b1, w2)) as Matrix<Float32Array>;
    const [gx, gw1, gb1, gw2] = await Promise.all([toGpu(x), toGpu(w1), toGpu(b1), toGpu(w2)]);
    const r = await runner();
    const before = r.readbacks;
    const out = await chain(gx, gw1, gb1, gw2);
    expect(out).toBeInstanceOf(GpuMatrix);
    expect(r.readbacks).toBe(before); // nothing came back yet
    const back = await out.toMatrix();
    expect(r.readbacks).toBe(before + 1);
    expect([back.rows, back.cols]).toEqual([97, 13]);
    for (let i = 0; i < host.data.length; i++) expect(Math.abs(back.data[i] - host.data[i])).toBeLessThan(2e-5);
  });

  it('mixes device and host operands, and reduces on the device', async () => {
    const g = await toGpu([
      [1, 2],
      [3, 4],
    ]);
    expect((await (await add(g, [[10, 20]])).toMatrix()).toArray()).toEqual([
      [11, 22],
      [13, 24],
    ]);
    expect((await (await matmul([[1, 0]], g)).toMatrix()).toArray()).toEqual([[1, 2]]);
    expect((await (await sigmoid(g)).toMatrix()).data[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(Array.from(await argmax(g))).toEqual([1, 1]);
    expect((await rowNorms(g, { squared: true }))[1]).toBe(25);
    expect(Array.from((await columnStats(g)).mean)).toEqual([2, 3]);
    const c = await toGpu([[1, 1]]);
    expect((await (await matmul([[1, 0]], g, { c, beta: 2 })).toMatrix()).toArray()).toEqual([[3, 4]]);
  });

  it('checks shapes and the backend option, and refuses disposed matrices', async () => {
    const g = await toGpu([[1, 2, 3]]);
    await expect(matmul(g, g)).rejects.toThrowError(code('E_SHAPE'));
    await expect(add(g, [[1, 2]])).rejects.toThrowError(code('E_SHAPE'));
    await expect(relu(g, { backend: 'native' })).rejects.toThrowError(code('E_PARAM'));
    // a device result stays on the device: no host out
    await expect(add(g, g, { out: new Float32Array(3) })).rejects.toThrowError(/out is for host operands/);
    await expect(relu(g, { out: new Float32Array(3) })).rejects.toThrowError(/out is for host operands/);
    await expect(toGpu([[NaN]])).rejects.toThrowError(code('E_NONFINITE'));
    g.dispose();
    g.dispose(); // idempotent
    await expect(relu(g)).rejects.toThrowError(code('E_PARAM'));
    await expect(g.toMatrix()).rejects.toThrow(/disposed/);
  });

  it('reuses pooled buffers: dispose returns them', async () => {
    const r = await runner();
    const g = await toGpu(randomMatrix(new Rng(1), 64, 64));
    const idle = r.pool.idle;
    g.dispose();
    expect(r.pool.idle).toBeGreaterThan(idle);
  });

  it('returns forgotten buffers to the pool once collected (FinalizationRegistry)', () => {
    requireDist();
    const res = spawnSync(process.execPath, ['--expose-gc', script('gpu-backstop.mjs')], { encoding: 'utf8', timeout: 60_000 });
    expect(res.status, res.stderr).toBe(0);
    const { before, after } = JSON.parse(res.stdout.trim().split('\n').pop()!);
    expect(after).toBeGreaterThan(before);
  });

  it('after a device loss, old matrices fail with E_DEVICE_LOST and new work re-initialises', async () => {
    const g = await toGpu([[1, 2]]);
    (await runner()).ctx.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    await expect(relu(g)).rejects.toThrowError(code('E_DEVICE_LOST'));
    const fresh = await toGpu([[3, -4]]);
    expect((await (await relu(fresh)).toMatrix()).toArray()).toEqual([[3, 0]]);
    expect(await runner()).not.toBe(g.runner);
  });

  it('splits operands larger than one binding into row blocks with the same results', async () => {
    const rng = new Rng(5);
    const a = randomMatrix(rng, 700, 96),
      w = randomMatrix(rng, 96, 64),
      v = randomMatrix(rng, 1, 96);
    const whole = {
      mm: await matmul(a, w, { backend: 'webgpu' }),
      sum: await add(a, v, { backend: 'webgpu' }),
      sm: await softmax(a, { backend: 'webgpu' }),
      st: await columnStats(a, { backend: 'webgpu' }),
      am: await argmax(a, { backend: 'webgpu' }),
      rn: await rowNorms(a, { backend: 'webgpu' }),
    };
    const saved = process.env.KILN_WEBGPU_MAX_BINDING_BYTES;
    process.env.KILN_WEBGPU_MAX_BINDING_BYTES = String(48 * 1024); // a is 262 KiB: ≥ 6 blocks
    try {
      expect(Array.from((await matmul(a, w, { backend: 'webgpu' })).data)).toEqual(Array.from(whole.mm.data));
      expect(Array.from((await add(a, v, { backend: 'webgpu' })).data)).toEqual(Array.from(whole.sum.data));
      expect(Array.from((await softmax(a, { backend: 'webgpu' })).data)).toEqual(Array.from(whole.sm.data));
      expect(Array.from(await argmax(a, { backend: 'webgpu' }))).toEqual(Array.from(whole.am));
      expect(Array.from(await rowNorms(a, { backend: 'webgpu' }))).toEqual(Array.from(whole.rn));
      const st = await columnStats(a, { backend: 'webgpu' });
      for (let c = 0; c < 96; c++) expect(st.mean[c]).toBeCloseTo(whole.st.mean[c], 6);
    } finally {
      if (saved === undefined) delete process.env.KILN_WEBGPU_MAX_BINDING_BYTES;
      else process.env.KILN_WEBGPU_MAX_BINDING_BYTES = saved;
    }
  });
});

/**
 * Ending a worker_thread while one of its kernels runs on the native pool. Before the
 * fix, the job's completion called into the dying environment and a Napi::Error escaped
 * (`terminate called after throwing an instance of 'Napi::Error'`, exit 134), taking the
 * whole process down. Each scenario runs in a child process that must then still compute
 * correctly on its main thread and exit 0. Also: `auto` must not load Dawn (the webgpu
 * package) when the WebGPU backend cannot be chosen.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasNative } from '../helpers/backends.js';
import { requireDist, root } from '../helpers/dist.js';

const kiln = JSON.stringify(`${root}dist/index.js`);

/** Runs an ES module in a child process; returns its exit status, signal and output. */
function runChild(program: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
    env: { ...process.env, XDG_RUNTIME_DIR: '/tmp', ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout.trim(), stderr: r.stderr };
}

/** What the worker does once kiln is loaded: start a long kernel, say 'started', then maybe end itself. */
const workloads: Record<string, string> = {
  matmul: `const n = 1536, a = new Matrix(new Float32Array(n * n).fill(0.5), n, n);
           const p = matmul(a, a, { backend: 'native' });`,
  columnStats: `const rows = 4000000, x = new Matrix(new Float32Array(rows * 8).fill(1), rows, 8);
                const p = (async () => { for (let i = 0; i < 50; i++) await columnStats(x, { backend: 'native' }); })();`,
  'a fit (MLPClassifier)': `const n = 20000, d = 32, X = new Matrix(Float32Array.from({ length: n * d }, (_, i) => Math.sin(i)), n, d);
                const y = Array.from({ length: n }, (_, i) => i % 3);
                const p = new MLPClassifier({ hiddenLayerSizes: [256, 256], maxIter: 50, backend: 'native' }).fit(X, y);`,
};

/** The parent: start a worker running `workload`, end it (`how`) mid-kernel, three times, then compute on the main thread. */
function scenario(workload: string, how: 'terminate' | 'process.exit'): string {
  // eval workers of an ES-module parent are ES modules too
  const worker = `
    import { parentPort } from 'node:worker_threads';
    import { Matrix, matmul, columnStats, MLPClassifier } from ${kiln};
    ${workload}
    p.catch(() => {});
    parentPort.postMessage('started');
    ${how === 'process.exit' ? 'setTimeout(() => process.exit(3), 20);' : ''}`;
  return `
    import { Worker } from 'node:worker_threads';
    import { Matrix, matmul } from ${kiln};
    for (let round = 0; round < 3; round++) {
      const w = new Worker(${JSON.stringify(worker)}, { eval: true });
      const exited = new Promise((resolve) => w.once('exit', resolve));
      await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
      ${how === 'terminate' ? 'await new Promise((r) => setTimeout(r, 20)); await w.terminate();' : ''}
      await exited;
    }
    const c = await matmul(new Matrix(new Float32Array(64 * 64).fill(1), 64, 64), new Matrix(new Float32Array(64 * 64).fill(2), 64, 64));
    console.log(c.data.every((v) => v === 128) ? 'ok' : 'wrong');`;
}

describe.runIf(hasNative)('ending a worker with a kernel in flight', () => {
  for (const [name, workload] of Object.entries(workloads)) {
    for (const how of ['terminate', 'process.exit'] as const) {
      it(`${how} while ${name} runs: the process carries on and exits 0`, () => {
        requireDist();
        const r = runChild(scenario(workload, how));
        expect({ status: r.status, signal: r.signal, stdout: r.stdout }, r.stderr).toEqual({ status: 0, signal: null, stdout: 'ok' });
      });
    }
  }
});

describe('auto does not load Dawn when WebGPU cannot be chosen', () => {
  /** Whether the webgpu package's dawn.node is mapped into the process after `work` under auto. */
  function dawnLoadedAfter(work: string, inWorker: boolean): string {
    const body = `
      const { Matrix, matmul, columnStats } = await import(${kiln});
      ${work}
      const { readFileSync } = await import('node:fs');
      return readFileSync('/proc/self/maps', 'utf8').includes('dawn.node') ? 'dawn loaded' : 'dawn not loaded';`;
    if (!inWorker) return runChild(`console.log(await (async () => { ${body} })());`).stdout;
    const worker = `import { parentPort } from 'node:worker_threads'; parentPort.postMessage(await (async () => { ${body} })());`;
    return runChild(`
      import { Worker } from 'node:worker_threads';
      const w = new Worker(${JSON.stringify(worker)}, { eval: true });
      console.log(await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); }));
      await w.terminate();`).stdout;
  }
  const small = `await matmul(new Matrix(new Float32Array(16), 4, 4), new Matrix(new Float32Array(16), 4, 4));`;
  // 2 · 1024³ multiply-adds is above AUTO_GPU_MIN_WORK: before the fix, auto probed (and loaded Dawn) to look for a GPU
  const large = `await matmul(new Matrix(new Float32Array(1024 * 1024), 1024, 1024), new Matrix(new Float32Array(1024 * 1024), 1024, 1024));`;
  // about GPU-less hosts (this machine, CI): with a GPU device, auto may rightly load Dawn for large work
  const gpuLess = process.platform === 'linux' && !['/dev/dri', '/dev/nvidiactl', '/dev/dxg'].some((p) => existsSync(p));

  it.runIf(gpuLess)('on a host without a GPU device, neither small nor large calls load it (main thread and worker)', () => {
    requireDist();
    expect(dawnLoadedAfter(small, false)).toBe('dawn not loaded');
    expect(dawnLoadedAfter(large, false)).toBe('dawn not loaded');
    expect(dawnLoadedAfter(large, true)).toBe('dawn not loaded');
  });

  it.runIf(process.platform === 'linux')('explicitly choosing webgpu still loads it (the check above can see Dawn)', () => {
    requireDist();
    const out = dawnLoadedAfter(
      `try { await matmul(new Matrix(new Float32Array(16), 4, 4), new Matrix(new Float32Array(16), 4, 4), { backend: 'webgpu' }); } catch {}`,
      false,
    );
    expect(out).toBe('dawn loaded');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { backends, getBackend, matmul, setBackend } from '../../src/index.js';
import { resolveBackend, AUTO_GPU_MIN_WORK } from '../../src/backend/select.js';
import { hasNative, hasWebgpu } from '../helpers/backends.js';

describe('backend selection', () => {
  const saved = process.env.KILN_BACKEND;
  afterEach(() => {
    setBackend('auto');
    if (saved === undefined) delete process.env.KILN_BACKEND;
    else process.env.KILN_BACKEND = saved;
  });

  it('backends() lists all three with availability and a description', async () => {
    const list = await backends();
    expect(list.map((b) => b.name)).toEqual(['native', 'webgpu', 'js']);
    for (const b of list) {
      expect(typeof b.description).toBe('string');
      if (!b.available) expect(b.reason).toBeTruthy();
    }
    expect(list.find((b) => b.name === 'js')!.available).toBe(true);
  });

  it('setBackend picks the process-wide backend; the per-call option wins over it', async () => {
    setBackend('js');
    expect(getBackend()).toBe('js');
    expect((await resolveBackend(undefined, 1)).name).toBe('js');
    if (hasNative) expect((await resolveBackend('native', 1)).name).toBe('native');
  });

  it('KILN_BACKEND sets the default when setBackend was not called', async () => {
    delete process.env.KILN_BACKEND;
    setBackend('auto');
    // setBackend('auto') is an explicit choice; the env applies only without one, so test the parser directly
    process.env.KILN_BACKEND = 'nonsense';
    const fresh = await import('../../src/backend/select.js?fresh=1' as string);
    expect(() => fresh.getBackend()).toThrowError(expect.objectContaining({ code: 'E_UNKNOWN_BACKEND' }));
    expect(() => fresh.getBackend()).toThrow(/KILN_BACKEND/);
    process.env.KILN_BACKEND = 'js';
    expect(fresh.getBackend()).toBe('js');
    expect((await fresh.resolveBackend(undefined, 1)).name).toBe('js');
  });

  it('auto is native for small work, and a CPU adapter never wins it for large work', async () => {
    const list = await backends();
    const gpu = list.find((b) => b.name === 'webgpu')!;
    const small = await resolveBackend('auto', 10);
    expect(small.name).toBe(hasNative ? 'native' : 'js');
    const large = await resolveBackend('auto', AUTO_GPU_MIN_WORK * 2);
    const expected = hasWebgpu && gpu.hardware ? 'webgpu' : hasNative ? 'native' : 'js';
    expect(large.name).toBe(expected);
  });

  it('computes the same product through setBackend as through the option', async () => {
    setBackend('js');
    const viaGlobal = await matmul([[1, 2]], [[3], [4]]);
    expect(Array.from(viaGlobal.data)).toEqual([11]);
  });
});

/**
 * The backend contracts: constants one family shares across languages agree with their TS
 * definition (src/backend/contract/hist.ts: the packed forest node layout, also written in
 * native/kernels/hist/hist.h and shaders/forest.wgsl), and the resolver (select.ts,
 * resolveKernels) gives each family from the backend chosen, says which backend runs each
 * operation, and refuses a family the chosen backend does not run.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { dispose } from '../../src/index.js';
import { resolveKernels } from '../../src/backend/select.js';
import { HIST_MAX_BINS, HIST_NODE_CATEGORICAL, HIST_NODE_FEATURE_MASK, HIST_NODE_LEAF, HIST_NODE_MISSING_LEFT } from '../../src/backend/contract/hist.js';
import { QUANT_MAX } from '../../src/backend/hist/quantize.js';
import { hasNative, hasWebgpu } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

afterAll(async () => {
  await dispose();
});

/** Evaluates a C++/WGSL integer constant expression of the shapes these files use. */
function evalConst(expr: string): number {
  const js = expr.replace(/INT32_MIN/g, '(-(2 ** 31))').replace(/\b(0x[0-9a-f]+|\d+)u\b/gi, '$1');
  if (!/^[\s\d()|<>\-*xa-fA-F]+$/.test(js)) throw new Error(`unexpected constant expression: ${expr}`);
  return Function(`return (${js}) | 0;`)() as number;
}

function constants(text: string, pattern: RegExp): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(pattern)) out.set(m[1], evalConst(m[2]));
  return out;
}

describe('the packed forest node layout has one definition', () => {
  const h = constants(read('native/kernels/hist/hist.h'), /constexpr\s+int(?:32_t)?\s+(k\w+)\s*=\s*([^;]+);/g);
  const wgsl = constants(read('shaders/forest.wgsl'), /const\s+(\w+)\s*:\s*u32\s*=\s*([^;]+);/g);

  it('hist.h agrees with contract/hist.ts', () => {
    expect(h.get('kNodeCategorical')).toBe(HIST_NODE_CATEGORICAL);
    expect(h.get('kNodeMissingLeft')).toBe(HIST_NODE_MISSING_LEFT);
    expect(h.get('kNodeFeatureMask')).toBe(HIST_NODE_FEATURE_MASK);
    expect(h.get('kNodeLeaf')).toBe(HIST_NODE_LEAF);
    expect(h.get('kMaxBins')).toBe(HIST_MAX_BINS);
  });

  it('forest.wgsl agrees with contract/hist.ts', () => {
    expect(wgsl.get('CATEGORICAL')).toBe(HIST_NODE_CATEGORICAL);
    expect(wgsl.get('MISSING_LEFT')).toBe(HIST_NODE_MISSING_LEFT);
    expect(wgsl.get('FEATURE_MASK')).toBe(HIST_NODE_FEATURE_MASK);
  });

  it('the quantiser range agrees with quantize.h', () => {
    const q = constants(read('native/kernels/hist/quantize.h'), /constexpr\s+int(?:32_t)?\s+(k\w+)\s*=\s*([^;]+);/g);
    expect(q.get('kQuantMax')).toBe(QUANT_MAX);
  });

  it('the reader evaluates what the files write (a changed bit would be seen)', () => {
    expect(evalConst('INT32_MIN | (1 << 29)')).toBe(-(2 ** 31) + 2 ** 29);
    expect(evalConst('0x40000000u')).toBe(1 << 30);
    expect(evalConst('(1 << 24) - 1')).toBe(0xffffff);
  });
});

describe('resolveKernels', () => {
  it('gives the js backend every family, each run by js', async () => {
    for (const family of ['gemm', 'reduce', 'elementwise', 'knn', 'linear', 'mlp', 'hist'] as const) {
      const r = await resolveKernels(family, 'js', 1, 'test');
      expect(r.backend).toBe('js');
      expect(Object.keys(r.ops).length).toBeGreaterThan(0);
      for (const ran of Object.values(r.ops)) expect(ran).toEqual(['js']);
    }
    const hist = (await resolveKernels('hist', 'js', 1, 'test')).kernels;
    expect(Object.keys(hist).sort()).toEqual([
      'bin',
      'binSample',
      'gradients',
      'grow',
      'predict',
      'predictSync',
      'quantize',
      'rankGradients',
      'rowPredictor',
      'sampleRows',
    ]);
  });

  it.runIf(hasNative)('gives native its own kernels', async () => {
    const r = await resolveKernels('linear', 'native', 1, 'test');
    expect(r.backend).toBe('native');
    expect(r.ops.weightedGram).toEqual(['native']);
  });

  it.runIf(hasWebgpu)("refuses a family webgpu does not run when 'webgpu' is asked for", async () => {
    await expect(resolveKernels('linear', 'webgpu', 1, 'LinearRegression')).rejects.toThrow(code('E_BACKEND_LIMIT'));
    await expect(resolveKernels('linear', 'webgpu', 1, 'LinearRegression')).rejects.toThrow(
      /LinearRegression: the linear kernels run on 'native' or 'js', not 'webgpu'/,
    );
    const mlp = await resolveKernels('mlp', 'webgpu', 1, 'test');
    expect(mlp.backend).toBe('webgpu');
    expect(mlp.ops).toEqual({ epoch: ['webgpu'], forward: ['webgpu'] });
  });

  it("'auto' gives every family from the CPU backend auto picks for small work", async () => {
    const cpu = hasNative ? 'native' : 'js';
    for (const family of ['gemm', 'linear', 'mlp', 'hist'] as const) {
      const r = await resolveKernels(family, 'auto', 1, 'test');
      expect(r.backend).toBe(cpu);
      for (const ran of Object.values(r.ops)) expect(ran).toEqual([cpu]);
    }
  });

  it('rejects an unknown backend name with E_UNKNOWN_BACKEND', async () => {
    await expect(resolveKernels('gemm', 'cuda' as never, 1, 'test')).rejects.toThrow(code('E_UNKNOWN_BACKEND'));
  });
});

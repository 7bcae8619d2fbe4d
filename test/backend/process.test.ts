/** Whole-process behaviour: exiting by itself, and degrading when a backend is missing. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasNative, hasWebgpu } from '../helpers/backends.js';
import { requireDist, root, script } from '../helpers/dist.js';

function run(file: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [file], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('process lifecycle', () => {
  it.runIf(hasNative)('a script that used native and webgpu exits by itself', () => {
    requireDist();
    const r = run(script('gpu-then-exit.mjs'));
    expect(r.error, 'the process did not exit within 60 s').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(hasWebgpu ? 'done: native,webgpu' : 'done: native');
  });

  it('with no GPU adapter, webgpu is unavailable with a reason and E_BACKEND_UNAVAILABLE', () => {
    requireDist();
    // An ICD list naming no driver: the Vulkan loader finds no device, as on a machine without a GPU.
    const r = run(script('report-backends.mjs'), { VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    const gpu = out.list.find((b: any) => b.name === 'webgpu');
    expect(gpu.available).toBe(false);
    expect(gpu.reason).toMatch(/webgpu: /);
    expect(out.webgpuError.code).toBe('E_BACKEND_UNAVAILABLE');
    expect(out.js).toEqual([11]);
    expect(out.auto).toEqual([11]);
  });

  it('without the native addon, kiln still imports, says why, and computes on js', () => {
    requireDist();
    // A copy of the package with no build/ folder: the addon cannot be found.
    const dir = mkdtempSync(join(tmpdir(), 'kiln-noaddon-'));
    try {
      cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
      cpSync(join(root, 'shaders'), join(dir, 'shaders'), { recursive: true });
      cpSync(join(root, 'test', 'fixtures-scripts'), join(dir, 'test', 'fixtures-scripts'), { recursive: true });
      // the dependencies as an install has them (kiln's own modules import some at load, e.g. the stats room's)
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
      const r = run(join(dir, 'test', 'fixtures-scripts', 'report-backends.mjs'));
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
      const native = out.list.find((b: any) => b.name === 'native');
      expect(native.available).toBe(false);
      expect(native.reason).toMatch(/kiln\.node \(not found\).*npm run build:native/);
      expect(out.nativeError.code).toBe('E_BACKEND_UNAVAILABLE');
      expect(out.js).toEqual([11]);
      expect(out.auto).toEqual([11]); // auto falls back to js
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The package as a user installs it: what `npm pack` ships, how `import`/`require`
 * resolve, where the addon loader looks (a prebuilt platform package first), and
 * what the install script does with and without one. The full install into a
 * consumer project without a compiler is scripts/consumer-smoke.sh (CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findAddon, INSTALL_FAILURE_FILE, nativeTarget, prebuiltPackageName } from '../../src/backend/native/addon-loader.js';
import { requireDist, root } from '../helpers/dist.js';

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, Record<string, string> | string>;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  napi: { binaryName: string; targets: string[] };
};

const temps: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-package-test-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A stand-in platform package: plain JS in place of the .node file (require loads either). */
function fakePrebuilt(nodeModules: string, name: string, body: string): void {
  const dir = join(nodeModules, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.0', main: 'addon.cjs' }));
  writeFileSync(join(dir, 'addon.cjs'), body);
}

describe('the packed file list', () => {
  let files: string[];
  beforeAll(() => {
    requireDist();
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    files = (JSON.parse(out) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
  }, 60_000);

  it('has LICENSE (MIT, the kiln authors) and no source maps', () => {
    expect(files).toContain('LICENSE');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the kiln authors\n/);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('holds every file the manifest points at, and no tests, benchmarks or repository tooling', () => {
    const targets = [
      manifest.main,
      manifest.types,
      ...Object.values(manifest.bin),
      ...Object.values(manifest.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e))),
    ];
    for (const t of targets) expect(files, t).toContain(t.replace(/^\.\//, ''));
    expect(files).toContain('scripts/build-native.mjs'); // the install script
    expect(files.filter((f) => /^(src|test|bench|npm|build)\//.test(f) || (f.startsWith('scripts/') && f !== 'scripts/build-native.mjs'))).toEqual([]);
  });
});

describe('the manifest', () => {
  it('has no build tools among the runtime dependencies (a prebuilt install needs none)', () => {
    for (const tool of ['cmake-js', 'node-addon-api', 'node-api-headers']) {
      expect(manifest.dependencies).not.toHaveProperty(tool);
      expect(manifest.optionalDependencies).not.toHaveProperty(tool);
    }
  });

  it('publishes .d.ts that compile in a strict consumer (skipLibCheck: false) with neither DOM nor WebGPU types', () => {
    requireDist();
    const program = ts.createProgram([join(root, 'dist/index.d.ts')], {
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
    expect(program.getSourceFiles().some((f) => f.fileName.includes('@webgpu/types'))).toBe(false);
  }, 180_000);

  it('lays out one npm/<platform> package per napi target, named as the loader looks for it', () => {
    const dirs = readdirSync(join(root, 'npm'));
    expect(dirs.length).toBe(manifest.napi.targets.length);
    for (const dir of dirs) {
      const p = JSON.parse(readFileSync(join(root, 'npm', dir, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
        main: string;
        os: string[];
        cpu: string[];
        libc?: string[];
      };
      expect(p.name).toBe(prebuiltPackageName(dir));
      expect(p.version).toBe(manifest.version);
      expect(p.main).toBe(`${manifest.napi.binaryName}.${dir}.node`);
      expect(nativeTarget(p.os[0], p.cpu[0], p.libc?.[0] === 'glibc')).toBe(dir);
    }
  });
});

describe('exports', () => {
  it('resolve for import and for require (require(esm)) to the same API', () => {
    requireDist();
    const app = temp();
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(root, join(app, 'node_modules', manifest.name), 'dir');
    const keys = (code: string, type: 'module' | 'commonjs') =>
      execFileSync(process.execPath, ['--input-type', type, '-e', code], { cwd: app, encoding: 'utf8' }).trim();
    const esm = keys("const k = await import('kiln'); console.log(Object.keys(k).sort().join(','))", 'module');
    const cjs = keys("const k = require('kiln'); console.log(Object.keys(k).filter((n) => n !== 'module.exports').sort().join(','))", 'commonjs');
    expect(esm.split(',')).toContain('GradientBoostingClassifier');
    expect(cjs).toBe(esm);
  }, 60_000);
});

describe('the addon loader', () => {
  it('prefers the prebuilt platform package to a source build', () => {
    const dir = temp();
    const pkg = join(dir, 'kiln');
    mkdirSync(join(pkg, 'build', 'Release'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}');
    writeFileSync(join(pkg, 'build', 'Release', 'kiln.node'), 'not reached');
    fakePrebuilt(join(dir, 'node_modules'), 'kiln-test-target', "module.exports = { from: 'prebuilt' };");
    const r = findAddon<{ from: string }>({ packageRoot: pkg, target: 'test-target' });
    expect(r).toEqual({ addon: { from: 'prebuilt' }, from: 'kiln-test-target' });
  });

  it('falls back to the source build when no prebuilt package is installed', () => {
    const built = join(root, 'build', 'Release', 'kiln.node');
    expect(existsSync(built), 'build/Release/kiln.node (npm run build:native)').toBe(true);
    const pkg = temp();
    mkdirSync(join(pkg, 'build', 'Release'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}');
    copyFileSync(built, join(pkg, 'build', 'Release', 'kiln.node'));
    const r = findAddon<{ info(): { threads: number } }>({ packageRoot: pkg, target: 'test-target' });
    if (!('addon' in r)) throw new Error(r.error);
    expect(r.from).toBe(join(pkg, 'build', 'Release', 'kiln.node'));
    expect(r.addon.info().threads).toBeGreaterThan(0);
  });

  it('names every place tried, what the install reported, and the fix when nothing loads', () => {
    const dir = temp();
    const pkg = join(dir, 'kiln');
    mkdirSync(join(pkg, 'build'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}');
    writeFileSync(join(pkg, INSTALL_FAILURE_FILE), 'the source build failed (cmake-js exited with 1)\n');
    fakePrebuilt(join(dir, 'node_modules'), 'kiln-test-target', "throw new Error('wrong ELF class');");
    const r = findAddon({ packageRoot: pkg, target: 'test-target', overridePath: join(dir, 'custom.node') });
    if (!('error' in r)) throw new Error('expected no addon');
    expect(r.error).toContain(`${join(dir, 'custom.node')} (not found)`);
    expect(r.error).toContain('kiln-test-target (wrong ELF class)');
    expect(r.error).toContain(`${join(pkg, 'build', 'Release', 'kiln.node')} (not found)`);
    expect(r.error).toContain(`${join(pkg, 'build', 'Debug', 'kiln.node')} (not found)`);
    expect(r.error).toContain('The install said: the source build failed (cmake-js exited with 1).');
    expect(r.error).toContain('`npm install kiln-test-target`');
    expect(r.error).toContain('`npm rebuild kiln`');
  });

  it('names platforms the napi-rs way', () => {
    expect(nativeTarget('linux', 'x64', true)).toBe('linux-x64-gnu');
    expect(nativeTarget('linux', 'arm64', false)).toBe('linux-arm64-musl');
    expect(nativeTarget('darwin', 'arm64', false)).toBe('darwin-arm64');
    expect(nativeTarget('win32', 'x64', false)).toBe('win32-x64-msvc');
  });
});

describe('a kiln without its addon', () => {
  it('says why in backends() and in the error of the first call that needs native', () => {
    requireDist();
    const pkg = join(temp(), 'kiln');
    mkdirSync(join(pkg, 'build'), { recursive: true });
    copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
    execFileSync('cp', ['-r', join(root, 'dist'), join(pkg, 'dist')]);
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    writeFileSync(join(pkg, INSTALL_FAILURE_FILE), 'the source build failed (cmake-js exited with 1); fix: npm rebuild kiln\n');
    const code = `
      const k = await import(${JSON.stringify(join(pkg, 'dist', 'index.js'))});
      const reason = (await k.backends()).find((b) => b.name === 'native').reason;
      const error = await k.matmul([[1]], [[1]], { backend: 'native' }).then(() => null, (e) => ({ code: e.code, message: e.message }));
      const auto = await k.matmul([[2]], [[3]]);
      console.log(JSON.stringify({ reason, error, auto: auto.get(0, 0) }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: pkg,
      encoding: 'utf8',
      env: { ...process.env, KILN_NATIVE_PATH: '', KILN_BACKEND: '' },
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { reason: string; error: { code: string; message: string }; auto: number };
    const said = 'The install said: the source build failed (cmake-js exited with 1); fix: npm rebuild kiln.';
    expect(r.reason).toContain(said);
    expect(r.reason).toContain('kiln-linux-x64-gnu (prebuilt package not installed)'.replace('linux-x64-gnu', nativeTarget()));
    expect(r.error.code).toBe('E_BACKEND_UNAVAILABLE');
    expect(r.error.message).toContain(said);
    expect(r.auto).toBe(6); // auto falls back to the js backend
  }, 120_000);
});

describe('the install script', () => {
  /** A copy of kiln's install script in a package that can resolve neither cmake-js nor the repository's packages. */
  function installFixture(optional: Record<string, string>): { dir: string; pkg: string } {
    const dir = temp();
    const pkg = join(dir, 'kiln');
    mkdirSync(join(pkg, 'scripts'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'kiln', optionalDependencies: optional }));
    copyFileSync(join(root, 'scripts', 'build-native.mjs'), join(pkg, 'scripts', 'build-native.mjs'));
    return { dir, pkg };
  }
  // detached: no controlling terminal, so the box goes to stderr where the test reads it
  // (spawnSync honours it at run time; @types/node leaves it out of SpawnSyncOptions).
  const detached = { detached: true } as object;
  const install = (pkg: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(pkg, 'scripts', 'build-native.mjs')], {
      cwd: pkg,
      encoding: 'utf8',
      ...detached,
      env: { ...process.env, KILN_REQUIRE_NATIVE: '', ...env },
    });

  it('does not compile when a prebuilt platform package loads', () => {
    const { dir, pkg } = installFixture({ 'kiln-test-target': '0.1.0' });
    fakePrebuilt(join(dir, 'node_modules'), 'kiln-test-target', 'module.exports = {};');
    const r = install(pkg);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('kiln: using the prebuilt native addon from kiln-test-target');
    expect(existsSync(join(pkg, 'build'))).toBe(false);
  });

  it('prints a box with the cause and the fix when it cannot provide the addon, and records it for the loader', () => {
    const { pkg } = installFixture({ 'kiln-test-target': '0.1.0' });
    const r = install(pkg);
    expect(r.status).toBe(0); // kiln still installs and runs on the js backend
    expect(r.stderr).toMatch(/┌─+┐/);
    expect(r.stderr).toContain('kiln: the native addon is NOT available.');
    expect(r.stderr).toContain('the source build needs cmake-js, node-addon-api, node-api-headers');
    expect(r.stderr).toContain('npm install --save-dev cmake-js node-addon-api node-api-headers && npm rebuild kiln');
    const loaded = findAddon({ packageRoot: pkg, target: 'test-target' });
    expect('error' in loaded && loaded.error).toContain('The install said: no prebuilt package for');
    expect(install(pkg, { KILN_REQUIRE_NATIVE: '1' }).status).toBe(1);
  });
});

/**
 * Finds the C++ addon. Tried in order: KILN_NATIVE_PATH, the prebuilt platform
 * package (napi-rs layout: `kiln-<platform>-<arch>[-<abi>]`, an optional
 * dependency of the published kiln), then a source build in build/Release or
 * build/Debug. When none loads, the reason lists every place tried, what the
 * install reported, and the fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Where the install script records why it could not provide the addon (read back in the error). */
export const INSTALL_FAILURE_FILE = join('build', 'install-failure.txt');

/** The napi-rs platform name for this process, e.g. `linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`. */
export function nativeTarget(platform: string = process.platform, arch: string = process.arch, glibc = isGlibc()): string {
  if (platform === 'linux') return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

function isGlibc(): boolean {
  if (process.platform !== 'linux') return false;
  // ldd names its C library (a read of a few kB, where a diagnostic report takes tens of ms)
  try {
    const ldd = readFileSync('/usr/bin/ldd', 'latin1');
    if (ldd.includes('musl')) return false;
    if (ldd.includes('GNU C Library') || ldd.includes('GLIBC')) return true;
  } catch {
    // no ldd: ask Node below
  }
  // Node reports the glibc it runs on; musl builds have no such field.
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return typeof report?.header?.glibcVersionRuntime === 'string';
}

/** The prebuilt package name for a target. */
export function prebuiltPackageName(target: string = nativeTarget()): string {
  return `kiln-${target}`;
}

export interface AddonSearch {
  /** The kiln package root (holds package.json and build/). */
  packageRoot: string;
  /** Platform target; defaults to this process's. */
  target?: string;
  /** Explicit addon path (KILN_NATIVE_PATH), tried first. */
  overridePath?: string;
}

export type AddonLoad<T> = { addon: T; from: string } | { error: string };

/** A place to load from: its label, and a lookup giving the module path or undefined (recording why). */
type Candidate = [label: string, locate: () => string | undefined];

/** Loads the first addon that loads; never throws. */
export function findAddon<T>(search: AddonSearch): AddonLoad<T> {
  const require = createRequire(join(search.packageRoot, 'package.json'));
  const pkg = prebuiltPackageName(search.target);
  const tried: string[] = [];
  // Each candidate names itself and the module to require, or records why it has none.
  const fromFile = (path: string) => (): string | undefined => {
    if (existsSync(path)) return path;
    tried.push(`${path} (not found)`);
    return undefined;
  };
  const fromPackage = (): string | undefined => {
    try {
      return require.resolve(pkg);
    } catch {
      tried.push(`${pkg} (prebuilt package not installed)`);
      return undefined;
    }
  };
  const builds = ['Release', 'Debug'].map((dir) => join(search.packageRoot, 'build', dir, 'kiln.node'));
  const candidates: Candidate[] = [
    ...(search.overridePath ? [[search.overridePath, fromFile(search.overridePath)] satisfies Candidate] : []),
    [pkg, fromPackage],
    ...builds.map((path): Candidate => [path, fromFile(path)]),
  ];
  for (const [label, locate] of candidates) {
    const path = locate();
    if (path === undefined) continue;
    try {
      return { addon: require(path) as T, from: label };
    } catch (e) {
      tried.push(`${label} (${firstLine(e)})`);
    }
  }
  return { error: describeFailure(search.packageRoot, pkg, tried) };
}

function describeFailure(packageRoot: string, pkg: string, tried: string[]): string {
  let install = '';
  try {
    install = ` The install said: ${readFileSync(join(packageRoot, INSTALL_FAILURE_FILE), 'utf8').trim()}.`;
  } catch {
    // No record: the install script did not run (e.g. --ignore-scripts) or succeeded.
  }
  return (
    `native addon not loaded; tried ${tried.join('; ')}.${install} ` +
    `Fix: install the prebuilt package for this platform (\`npm install ${pkg}\`) or build from source with ` +
    '`npm rebuild kiln` (`npm run build:native` in a clone of kiln; needs cmake >= 3.15, a C++17 compiler and the ' +
    'packages cmake-js, node-addon-api and node-api-headers). Meanwhile the js backend works.'
  );
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

// Packs kiln and its prebuilt platform package(s) into tarballs, the napi-rs way:
// `napi create-npm-dirs` writes npm/<platform>/package.json from package.json's
// `napi` targets, `napi artifacts` copies kiln.<platform>.node into it, and kiln's
// packed package.json lists each platform package as an optional dependency at
// its own version (what `napi pre-publish` adds before publishing; the repository
// does not list them, so that `npm ci` here does not look for unpublished packages).
// Usage: node scripts/pack-packages.mjs <destination dir>   (needs build/Release/kiln.node)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const dest = resolve(process.argv[2] ?? join(root, 'packages'));
const built = join(root, 'build', 'Release', 'kiln.node');
if (!existsSync(built)) {
  console.error(`pack-packages: ${built} is missing; run \`npm run build:native\` first`);
  process.exit(1);
}
mkdirSync(dest, { recursive: true });
const napi = join(root, 'node_modules', '.bin', 'napi');
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

run(napi, ['create-npm-dirs']);
const platforms = readdirSync(join(root, 'npm'));
const artifacts = mkdtempSync(join(tmpdir(), 'kiln-artifacts-'));
try {
  // This machine builds one platform: the one whose directory the loader would look for.
  const { nativeTarget } = await import(join(root, 'dist', 'backend', 'native', 'addon-loader.js'));
  const target = nativeTarget();
  if (!platforms.includes(target)) throw new Error(`no npm/${target} for this machine; add its triple to package.json "napi".targets`);
  copyFileSync(built, join(artifacts, `kiln.${target}.node`));
  run(napi, ['artifacts', '--output-dir', artifacts]);
  // napi also drops a copy at the package root (its own loaders' local fallback); kiln's loader does not use one.
  rmSync(join(root, `kiln.${target}.node`), { force: true });
} finally {
  rmSync(artifacts, { recursive: true, force: true });
}

const pack = (dir) => JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], dir))[0].filename;
const packed = [];
const optional = {};
for (const platform of platforms) {
  const dir = join(root, 'npm', platform);
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!existsSync(join(dir, meta.main))) continue; // not built on this machine
  packed.push(pack(dir));
  optional[meta.name] = meta.version;
}
const manifestPath = join(root, 'package.json');
const manifest = readFileSync(manifestPath, 'utf8');
try {
  const pkg = JSON.parse(manifest);
  pkg.optionalDependencies = { ...optional, ...pkg.optionalDependencies };
  writeFileSync(manifestPath, `${JSON.stringify(pkg, null, 2)}\n`);
  packed.push(pack(root));
} finally {
  writeFileSync(manifestPath, manifest);
}
for (const file of packed) console.log(join(dest, file));

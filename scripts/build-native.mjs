// Provides the native addon during `npm install` (and `npm rebuild kiln`):
//  1. a prebuilt platform package (kiln-<platform>, an optional dependency) that
//     loads: nothing to build, no compiler needed;
//  2. else a source build with cmake-js (cmake-js, node-addon-api and
//     node-api-headers are development packages: a prebuilt install does not
//     need them);
//  3. else a box saying what failed and how to fix it. The install still
//     succeeds (kiln runs on the js backend, and `backends()` and the first
//     native call give the same reason, recorded in build/install-failure.txt)
//     unless KILN_REQUIRE_NATIVE=1 (CI), which makes it fatal.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const failureFile = join(root, 'build', 'install-failure.txt'); // src/backend/native/addon-loader.ts reads it
const require = createRequire(join(root, 'package.json'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function prebuilt() {
  // npm installs only the platform package whose os/cpu/libc match this machine.
  const names = Object.keys(pkg.optionalDependencies ?? {}).filter((n) => n.startsWith('kiln-'));
  const problems = [];
  for (const name of names) {
    try {
      require(name);
      return { name };
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') problems.push(`${name} did not load (${e.message.split('\n')[0]})`);
    }
  }
  return { problems };
}

function sourceBuild() {
  const missing = ['cmake-js/bin/cmake-js', 'node-addon-api', 'node-api-headers']
    .filter((m) => {
      try {
        require.resolve(m);
        return false;
      } catch {
        return true;
      }
    })
    .map((m) => m.split('/')[0]);
  if (missing.length > 0) {
    return {
      why: `no prebuilt package for ${process.platform}-${process.arch}, and the source build needs ${missing.join(', ')}`,
      fix: `npm install --save-dev ${missing.join(' ')} && npm rebuild kiln`,
    };
  }
  // KILN_WERROR=1 (CI) makes compiler warnings in kiln's own C++ fatal, as `npm run build:native` does.
  const werror = process.env.KILN_WERROR === '1' ? ['--CDKILN_WERROR=ON'] : [];
  const r = spawnSync(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), 'compile', '--release', ...werror], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status === 0) return undefined;
  return {
    why: `the source build failed (cmake-js exited with ${r.status ?? r.signal}; it needs cmake >= 3.15 and a C++17 compiler)`,
    fix: 'install cmake and g++ (or clang), then npm rebuild kiln',
  };
}

/** npm hides the output of a dependency's install script that succeeds: write to the terminal itself. */
function shout(text) {
  try {
    const fd = openSync('/dev/tty', 'w');
    writeSync(fd, text);
    closeSync(fd);
  } catch {
    process.stderr.write(text);
  }
}

function box(lines) {
  const width = Math.max(...lines.map((l) => l.length));
  const rule = '─'.repeat(width + 2);
  return `\n┌${rule}┐\n${lines.map((l) => `│ ${l.padEnd(width)} │`).join('\n')}\n└${rule}┘\n\n`;
}

const found = prebuilt();
const failure = found.name ? undefined : sourceBuild();
if (!failure) {
  rmSync(failureFile, { force: true });
  if (found.name) console.log(`kiln: using the prebuilt native addon from ${found.name}`);
  process.exit(0);
}
const why = [...(found.problems ?? []), failure.why].join('; ');
mkdirSync(dirname(failureFile), { recursive: true });
writeFileSync(failureFile, `${why}; fix: ${failure.fix}\n`);
shout(
  box([
    'kiln: the native addon is NOT available.',
    `What failed: ${why}.`,
    'kiln still works, on its slower js backend; backends() says why native is missing.',
    `To fix: ${failure.fix}`,
  ]),
);
process.exit(process.env.KILN_REQUIRE_NATIVE === '1' ? 1 : 0);

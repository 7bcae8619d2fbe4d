// Builds the native addon during `npm install`. A failed build does not fail the
// install: kiln then runs on the js backend and `backends()` says why native is
// missing. Set KILN_REQUIRE_NATIVE=1 (CI does) to make a failed build fatal.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let cmakeJs;
try {
  cmakeJs = require.resolve('cmake-js/bin/cmake-js');
} catch {
  cmakeJs = null;
}
const required = process.env.KILN_REQUIRE_NATIVE === '1';
const result = cmakeJs
  ? spawnSync(process.execPath, [cmakeJs, 'compile', '--release'], { stdio: 'inherit' })
  : { status: 1 };
if (result.status !== 0) {
  const why = cmakeJs ? 'cmake-js failed (needs cmake >= 3.15 and a C++17 compiler)' : 'cmake-js is not installed';
  console.warn(`kiln: native addon not built: ${why}. kiln still works on the js backend; ` +
    'fix the toolchain and run `npm run build:native`.');
  process.exit(required ? 1 : 0);
}

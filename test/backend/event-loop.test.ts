/** Long native work runs off the JS thread: timers keep firing while it runs. */
import { describe, expect, it } from 'vitest';
import { Rng, matmul } from '../../src/index.js';
import { hasNative } from '../helpers/backends.js';
import { randomMatrix } from '../helpers/random.js';

describe.runIf(hasNative)('native calls and the event loop', () => {
  it('keeps a 2 ms interval firing during large matmuls', async () => {
    const rng = new Rng(1);
    const n = 1024;
    const a = randomMatrix(rng, n, n),
      b = randomMatrix(rng, n, n);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    const t0 = performance.now();
    const p = matmul(a, b, { backend: 'native' });
    const ticksAtCall = ticks; // the call returned a Promise before doing the work
    await p;
    // Keep the native pool busy for a measurable time however fast the kernel is.
    for (let calls = 0; performance.now() - t0 < 300 && calls < 100; calls++) await matmul(a, b, { backend: 'native' });
    const elapsed = performance.now() - t0;
    clearInterval(timer);
    expect(ticksAtCall).toBe(0);
    // A blocked loop would give 0 ticks; allow for a loaded machine.
    expect(elapsed).toBeGreaterThan(10);
    expect(ticks).toBeGreaterThanOrEqual(Math.min(3, Math.floor(elapsed / 20)));
  });
});

/** Runs under each of several pool sizes, for tests that a result does not depend on the thread count. */
import { getThreads, setThreads } from '../../src/index.js';

/** fn's result on each thread count in turn (1 and 2 by default); the pool's size is restored after, also on a throw. */
export async function onThreadCounts<T>(fn: () => Promise<T>, counts: readonly number[] = [1, 2]): Promise<T[]> {
  const before = getThreads();
  const out: T[] = [];
  try {
    for (const t of counts) {
      setThreads(t);
      out.push(await fn());
    }
  } finally {
    setThreads(before);
  }
  return out;
}

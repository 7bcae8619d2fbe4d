/**
 * BullMQ 6's sandboxed child pool, made safe while a child starts. Its Child drops every listener
 * when the process exits, the one that would fail a child still loading the processor included: a
 * child that dies while it starts (killed, out of memory, a crash while a native addon loads) left
 * its job waiting forever, its lock still renewed, and the worker one slot short. This replaces the
 * pool's `retain` on one worker's pool with the same steps plus a race against the child's exit,
 * so that attempt fails and BullMQ retries the job on a new child. The pool and Child are BullMQ's
 * exported classes; the fields used (`opts`, `retained`, `getFree`, `remove`, `kill`) are its
 * runtime ones, and test/distributed/child-start.test.ts fails if they change.
 */
type Bull = typeof import('bullmq');

interface PoolInternals {
  opts: ConstructorParameters<Bull['ChildPool']>[0] & { mainFile: string };
  retained: Record<number, InstanceType<Bull['Child']>>;
  getFree(processFile: string): InstanceType<Bull['Child']>[];
  remove(child: InstanceType<Bull['Child']>): void;
  kill(child: InstanceType<Bull['Child']>, signal?: NodeJS.Signals): Promise<void>;
  retain(processFile: string): Promise<InstanceType<Bull['Child']>>;
}

export function makeStartSafe(bull: Bull, worker: object): void {
  const pool = (worker as unknown as { childPool?: PoolInternals }).childPool;
  if (!pool || typeof pool.getFree !== 'function' || typeof pool.remove !== 'function' || !pool.opts?.mainFile) {
    throw new Error('kiln worker: BullMQ changed its sandbox pool (childPool); kiln needs an update for this BullMQ version');
  }
  pool.retain = async (processFile: string) => {
    const free = pool.getFree(processFile).pop();
    if (free) {
      pool.retained[free.pid] = free;
      return free;
    }
    const { mainFile, useWorkerThreads, workerForkOptions, workerThreadsOptions } = pool.opts;
    const child = new bull.Child(mainFile, processFile, { useWorkerThreads, workerForkOptions, workerThreadsOptions });
    child.on('exit', () => pool.remove(child));
    const exited = new Promise<never>((_, reject) =>
      child.on('exit', (code: number | null, signal: string | null) =>
        reject(new Error(`the job's child process exited while it was starting (exit code ${code}, signal ${signal})`)),
      ),
    );
    exited.catch(() => {}); // a child that starts and exits later is the sandbox's business
    try {
      await Promise.race([child.init(), exited]);
      if (child.exitCode !== null || child.signalCode !== null) throw new Error("the job's child process exited before it could take the job");
      pool.retained[child.pid] = child;
      return child;
    } catch (e) {
      if (!child.hasProcessExited()) pool.kill(child, 'SIGKILL').catch(() => {});
      throw e;
    }
  };
}

/**
 * serve: createServer + listen (127.0.0.1 unless `host` says otherwise, env PORT or 8080) + graceful shutdown on SIGTERM and
 * SIGINT — what `kiln serve` and the container run. A second signal exits at once.
 */
import { ParamError } from '../../core/errors.js';
import type { ListenOptions, ServerOptions } from './options.js';
import { createServer, type KilnServer } from './server.js';

export interface ServeOptions extends ServerOptions, ListenOptions {}

export interface RunningServer extends KilnServer {
  /** Where it listens, e.g. http://127.0.0.1:8080. */
  readonly address: string;
}

export async function serve(opts: ServeOptions): Promise<RunningServer> {
  if (opts === null || typeof opts !== 'object') throw new ParamError('serve: options must be an object');
  const { port, host, ...rest } = opts;
  const server = await createServer(rest);
  // this machine only unless asked: a server open to the network is a choice (containers: host '0.0.0.0')
  let address: string;
  try {
    address = await server.listen({ port, host: host ?? '127.0.0.1' });
  } catch (e) {
    await server.close().catch(() => undefined); // a port in use: release the model source too
    throw e;
  }
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(signal === 'SIGINT' ? 130 : 143);
    signalled = true;
    server.close().then(
      () => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      },
      (err) => {
        console.error(`kiln serve: error while closing: ${(err as Error)?.message ?? err}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    get app() {
      return server.app;
    },
    get loaded() {
      return server.loaded;
    },
    get ready() {
      return server.ready;
    },
    get metrics() {
      return server.metrics;
    },
    get live() {
      return server.live;
    },
    address,
    listen: (l?: ListenOptions) => server.listen(l),
    reload: () => server.reload(),
    retrain: (detail?: string) => server.retrain(detail),
    checkDrift: () => server.checkDrift(),
    settleAlerts: () => server.settleAlerts(),
    async close() {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await server.close();
    },
  };
}

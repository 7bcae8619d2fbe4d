/**
 * createServer: kiln's own HTTP model server — a fastify instance with kiln's routes
 * (server-core.ts) and the connection rules a public server needs: body limit, slow-client
 * timeouts, request ids, a JSON 404, graceful close. fastify, prom-client and pino are imported
 * on first use, so `import 'kiln'` stays light.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { ParamError } from '../../core/errors.js';
import { isLoopback } from './auth.js';
import { clientErrorHandler } from './client-errors.js';
import type { DriftSnapshot } from './drift-schedule.js';
import type { ListenOptions, ServerOptions } from './options.js';
import { createKilnCore } from './server-core.js';

export interface KilnServer {
  /** The fastify instance (for inject() in tests, or extra routes). */
  readonly app: FastifyInstance;
  /** Resolves once the first models are loaded and /ready answers 200; rejects if that load fails. */
  readonly loaded: Promise<void>;
  /** Whether a model is live (what /ready says). */
  readonly ready: boolean;
  /** The server's private Prometheus registry. */
  readonly metrics: Registry;
  /** What each variant serves now. */
  readonly live: { primary?: { name: string; version: number | string }; candidate?: { name: string; version: number | string } };
  /** Starts listening; resolves to the address, e.g. http://127.0.0.1:8080. */
  listen(opts?: ListenOptions): Promise<string>;
  /** Reads the model source again now (e.g. right after a promotion) and swaps once the new version is loaded. */
  reload(): Promise<void>;
  /** Stops accepting requests, lets in-flight ones finish, then releases the source and flushes logs. */
  close(): Promise<void>;
  /** With `retrain`: runs the retraining job now (resolves 'skipped' while one runs or the cooldown holds). */
  retrain(detail?: string): Promise<'ran' | 'failed' | 'skipped'>;
  /** With `drift`: computes drift of the logged window now (the schedule does it every drift.everyMs). */
  checkDrift(): Promise<DriftSnapshot[]>;
  /** Waits until alert notifications under way (webhook retries included) are delivered or given up. */
  settleAlerts(): Promise<void>;
}

/** How often Node looks for connections past their timeouts: often enough to cut a slow client near its deadline. */
function checkEveryMs(headersTimeout: number): number {
  return Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4)));
}

/** Builds the server and starts loading its models; call listen() to take traffic. */
export async function createServer(opts: ServerOptions): Promise<KilnServer> {
  const core = await createKilnCore(opts, 'createServer');
  const o = core.options;
  const log = core.log;
  const { default: fastify } = await import('fastify');
  const app = fastify({
    logger: false,
    bodyLimit: o.bodyLimit,
    return503OnClosing: false, // answered by kiln's onRequest hook, as a JSON error like every other
    forceCloseConnections: 'idle',
    // slow clients: Node answers 408 and disconnects when headers or the whole request arrive too
    // late (a body trickled a byte at a time included); its check runs every checkMs
    requestTimeout: o.requestTimeout,
    keepAliveTimeout: o.keepAliveTimeout,
    connectionTimeout: o.idleTimeout,
    http: { headersTimeout: o.headersTimeout, connectionsCheckingInterval: checkEveryMs(o.headersTimeout) },
    clientErrorHandler: clientErrorHandler(log, o),
    genReqId: () => randomUUID(),
    // JSON.parse makes "__proto__" and "constructor" plain own keys (nothing here merges request
    // objects into others), so schema columns with those names work; fastify's default refuses them
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
  });
  core.routes(app, true);
  let closing: Promise<void> | undefined;

  return {
    app,
    loaded: core.loaded,
    get ready() {
      return core.ready;
    },
    metrics: core.metrics,
    get live() {
      return core.live;
    },
    async listen(l: ListenOptions = {}) {
      const port = l.port ?? (process.env.PORT ? Number(process.env.PORT) : 8080);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new ParamError(
          `listen: port must be an integer from 0 to 65535, got ${l.port !== undefined ? String(l.port) : `env PORT=${JSON.stringify(process.env.PORT)}`}`,
        );
      }
      await app.listen({ port, host: l.host ?? '127.0.0.1' });
      // the address bound (fastify names one of the machine's addresses for 0.0.0.0, hiding that every interface listens)
      const bound = app.server.address() as AddressInfo;
      const address = `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
      log?.info({ event: 'listening', address, auth: o.token !== undefined, candidatePercent: o.candidatePercent }, 'kiln server listening');
      if (o.token === undefined && !isLoopback(bound.address))
        log?.warn({ event: 'unprotected', address }, 'listening beyond this machine without a token: set token or KILN_SERVER_TOKEN');
      return address;
    },
    reload: () => core.reload(),
    retrain: (detail?: string) => core.retrain(detail),
    settleAlerts: () => core.settleAlerts(),
    checkDrift: () => core.checkDrift(),
    close() {
      closing ??= (async () => {
        core.beginClose();
        // stops accepting and waits for in-flight requests; a keep-alive connection would then hold
        // close() until its keepAliveTimeout (72 s), so idle ones are closed as requests finish
        const closed = app.close();
        const sweep = setInterval(() => app.server.closeIdleConnections(), 10);
        try {
          await closed;
        } finally {
          clearInterval(sweep);
        }
        await core.close();
      })();
      return closing;
    },
  };
}

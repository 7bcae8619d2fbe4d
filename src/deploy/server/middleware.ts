/**
 * kiln inside an Express or Connect app: `app.use('/ml', kilnMiddleware({ model }))` answers
 * kiln's routes (POST /predict, /feedback; GET /health, /ready, /metrics, /models, /dashboard,
 * /openapi.json) below the mount path and passes every other request to `next()`. Inside, a
 * fastify instance (never listening) runs kiln's routes, so checks, metrics, hot swap and errors are
 * those of kiln's server. Mount it before a body parser; if one ran already (`req.body` is set), the
 * parsed body is re-sent to kiln's routes as JSON.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { resolveOptions, type ServerOptions } from './options.js';
import { createKilnCore, type KilnCore } from './server-core.js';
import type { KilnPluginOptions } from './plugin.js';

export interface KilnMiddleware {
  (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /** Resolves once the first models are loaded; rejects if that load fails. */
  readonly loaded: Promise<void>;
  /** Reads the model source again now and swaps once the new version is loaded. */
  reload(): Promise<void>;
  /** Answers 503 to new requests, waits for in-flight ones, then releases the model source and logs. */
  close(): Promise<void>;
}

type Mounted = { app: FastifyInstance; core: KilnCore };

/** Copies an inject() answer onto the host's response. */
function send(res: ServerResponse, r: { statusCode: number; headers: Record<string, unknown>; rawPayload: Buffer }): void {
  for (const [k, v] of Object.entries(r.headers)) {
    if (v !== undefined && k !== 'transfer-encoding' && k !== 'connection') res.setHeader(k, v as string | string[]);
  }
  res.statusCode = r.statusCode;
  res.end(r.rawPayload);
}

export function kilnMiddleware(opts: Omit<KilnPluginOptions, 'prefix'>): KilnMiddleware {
  resolveOptions(opts as ServerOptions, 'kilnMiddleware'); // bad options throw here, not at the first request
  const mounted: Promise<Mounted> = (async () => {
    const core = await createKilnCore(opts as ServerOptions, 'kilnMiddleware');
    const { default: fastify } = await import('fastify');
    const app = fastify({
      logger: false,
      bodyLimit: core.options.bodyLimit,
      return503OnClosing: false,
      genReqId: () => randomUUID(),
      onProtoPoisoning: 'ignore',
      onConstructorPoisoning: 'ignore',
    });
    core.routes(app, true);
    await app.ready();
    return { app, core };
  })();
  mounted.catch(() => undefined); // reported by loaded and by each request
  let closing: Promise<void> | undefined;

  const handle = ((req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => {
    mounted.then(
      ({ app }) => {
        const method = (req.method ?? 'GET').toUpperCase();
        const url = req.url ?? '/';
        const path = url.split('?')[0];
        if (!app.hasRoute({ method: method as 'GET', url: path })) {
          if (next) next();
          else {
            res.statusCode = 404;
            res.end();
          }
          return;
        }
        const parsed = (req as IncomingMessage & { body?: unknown }).body;
        if (parsed === undefined || !req.readableEnded) {
          app.routing(req, res);
          return;
        }
        // a body parser ran before kiln: send its result on as JSON
        const headers = { ...req.headers, 'content-type': 'application/json' };
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        app
          .inject({ method: method as 'POST', url, headers, payload: typeof parsed === 'string' ? parsed : JSON.stringify(parsed) })
          .then((r) => send(res, r), next ?? (() => res.destroy()));
      },
      (err) => {
        if (next) next(err);
        else {
          res.statusCode = 500;
          res.end();
        }
      },
    );
  }) as KilnMiddleware;
  Object.defineProperty(handle, 'loaded', { get: () => mounted.then(({ core }) => core.loaded) });
  handle.reload = () => mounted.then(({ core }) => core.reload());
  handle.close = () => {
    closing ??= mounted.then(
      async ({ app, core }) => {
        core.beginClose();
        await app.close();
        await core.close();
      },
      () => undefined,
    );
    return closing;
  };
  return handle;
}

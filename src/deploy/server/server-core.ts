/**
 * What kiln serves, whoever owns the HTTP server: the model source and its live versions,
 * Prometheus metrics, the prediction log, scheduled drift and alerts, and the routes (POST
 * /predict, /feedback; GET /health, /ready, /metrics, /models, /dashboard, /openapi.json). createServer
 * mounts the routes on its own fastify instance; kilnPlugin and kilnMiddleware mount them inside
 * a host app, where fastify's encapsulation keeps kiln's hooks (auth, shutdown), error handler and
 * body parsers to kiln's routes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ParamError } from '../../core/errors.js';
import { bearerAuth } from './auth.js';
import { HttpError, toErrorResponse } from './errors.js';
import { compileInput } from './input.js';
import { LiveModels, type LiveVariant, type Snapshot } from './live.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { resolveOptions, type Mount, type ResolvedOptions, type ServerOptions } from './options.js';
import { capabilities, predictLater, predictNow, predictSyncPossible, type Capabilities } from './predict.js';
import { MicroBatcher } from './micro-batch.js';
import { registrySource } from './registry-source.js';
import { describeRegistry, loadArtifact, openRegistry } from './registry-open.js';
import { chooseVariant } from './routing.js';
import { staticSource } from './static-source.js';
import { feedbackRoute, logMetrics, openMonitoring, type Monitoring } from './monitoring.js';
import { alertValues, scheduleDrift, type DriftSchedule, type DriftSnapshot } from './drift-schedule.js';
import { AlertManager } from '../../monitor/alerts.js';
import { rollbackAction } from './rollback-action.js';
import { retrainScheduler } from './retrain-trigger.js';
import { dashboardRoutes } from './dashboard.js';
import { openApiDocument } from './openapi.js';
import { RequestSeries } from './request-series.js';
import type { ModelSource, ServedModel, Variant } from './types.js';

export interface KilnCore {
  readonly options: ResolvedOptions;
  readonly log: Logger | null;
  /** The server's private Prometheus registry. */
  readonly metrics: Registry;
  /** Resolves once the first models are loaded; rejects if that load fails. */
  readonly loaded: Promise<void>;
  /** Whether a model is live and the core is not closing. */
  readonly ready: boolean;
  readonly live: { primary?: { name: string; version: number | string }; candidate?: { name: string; version: number | string } };
  /** Registers kiln's hooks and routes on `app`; `ownsApp` when it is kiln's own server (404 handler, app-level parsers). */
  routes(app: FastifyInstance, ownsApp: boolean): void;
  /** From now on kiln's routes answer 503 E_SHUTTING_DOWN and the source stops watching for changes. */
  beginClose(): void;
  /** Once the HTTP side has stopped: waits for in-flight predictions, releases the source, stops drift, flushes logs. */
  close(): Promise<void>;
  reload(): Promise<void>;
  /** Runs the retraining job now (unless one runs or the cooldown holds). */
  retrain(detail?: string): Promise<'ran' | 'failed' | 'skipped'>;
  checkDrift(): Promise<DriftSnapshot[]>;
  settleAlerts(): Promise<void>;
}

/** JSON bodies as kiln's server reads them: plain JSON.parse ("__proto__" stays an own key; nothing merges request objects). */
function parseJsonBody(_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text === '') {
    done(new HttpError(400, 'E_PARAM', 'the request body is empty; send a JSON object such as { "rows": [{...}] }'));
    return;
  }
  try {
    done(null, JSON.parse(text));
  } catch (e) {
    done(new HttpError(400, 'E_PARAM', `the request body is not valid JSON: ${(e as Error).message}`));
  }
}

/** A variant's two micro-batchers (with and without probabilities), made on first use. */
function batchersFor(served: ServedModel, caps: Capabilities, o: { maxRows: number; maxWaitMs: number }): (withProba: boolean) => MicroBatcher {
  const made: (MicroBatcher | undefined)[] = [undefined, undefined];
  return (withProba) => (made[withProba ? 1 : 0] ??= new MicroBatcher(served.model, caps, withProba, o.maxRows, o.maxWaitMs));
}

async function makeSource(opts: ServerOptions, onError: (err: unknown) => void): Promise<ModelSource> {
  if (opts.source) return opts.source;
  if (opts.model) return staticSource(opts.model, opts.candidate);
  const owns = typeof opts.registry === 'string';
  const registry = owns ? await openRegistry(opts.registry as string) : (opts.registry as Exclude<ServerOptions['registry'], string | undefined>);
  return registrySource({
    registry: registry!,
    name: opts.name!,
    alias: opts.alias,
    candidateAlias: opts.candidateAlias,
    pollMs: opts.pollMs,
    loadModel: opts.loadModel ?? loadArtifact,
    ownsRegistry: owns,
    onError,
    describe: describeRegistry(registry!, opts.name!),
  });
}

/** Loads what kiln serves (starting with the models) and returns it, ready to be mounted. */
export async function createKilnCore(opts: ServerOptions, fn: Mount): Promise<KilnCore> {
  const o = resolveOptions(opts, fn);
  const [prom, logging] = await Promise.all([import('prom-client'), createLogger(opts.logger)]);
  const log: Logger | null = logging.log;
  let inflight = 0;
  const metrics = createMetrics(prom.default ?? prom, { defaultMetrics: o.defaultMetrics, inflight: () => inflight });
  const reportError = (err: unknown) => log?.error({ err }, 'model source error');
  const monitoring: Monitoring | undefined = opts.predictionLog ? await openMonitoring(opts.predictionLog) : undefined;
  if (monitoring) {
    logMetrics(prom.default ?? prom, metrics.registry, monitoring);
    monitoring.log.onError = (err) => log?.error({ err, event: 'prediction-log' }, 'prediction log write failed; the batch is counted as lost');
  }
  if (opts.drift && !monitoring) throw new ParamError(`${fn}: drift needs predictionLog (drift is computed over the logged rows)`);
  if (opts.alerts && !opts.drift) throw new ParamError(`${fn}: alerts need drift (rules are evaluated after each drift run)`);
  const retrainer = opts.retrain ? retrainScheduler(opts.retrain, { log, prom: prom.default ?? prom, registry: metrics.registry, fn }) : undefined;
  if (opts.retrain && !opts.drift && opts.retrain.everyMs === undefined)
    throw new ParamError(`${fn}: retrain needs drift (its runs and alerts trigger the job) or retrain.everyMs (a schedule)`);
  const rollback = opts.alerts?.rollbackOn ? rollbackAction(opts, opts.alerts.rollbackOn, log, () => live.refresh()) : undefined;
  const userOnAlert = opts.alerts?.onAlert;
  const alerts = opts.alerts
    ? new AlertManager(opts.alerts.rules, {
        webhooks: opts.alerts.webhooks,
        onAlert:
          userOnAlert || rollback || retrainer
            ? async (e) => {
                await rollback?.onAlert(e);
                retrainer?.onAlert(e);
                await userOnAlert?.(e);
              }
            : undefined,
        log: (e) => log?.[e.status === 'firing' && e.severity === 'critical' ? 'error' : 'warn']({ event: 'alert', alert: e }, `alert ${e.rule} ${e.status}`),
      })
    : undefined;
  if (alerts) {
    const p = prom.default ?? prom;
    new p.Gauge({
      name: 'kiln_alert_firing',
      help: '1 for each alert rule firing now',
      labelNames: ['rule'],
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const rule of alerts.firing()) this.set({ rule }, 1);
      },
    });
  }
  const source = await makeSource(opts, reportError);
  const auth = bearerAuth(o.token);
  const inputOpts = { maxRows: o.maxRows, checkRanges: o.checkRanges, extraFields: o.extraFields };

  const live = new LiveModels(source, {
    compile(served, variant): LiveVariant {
      const caps = capabilities(served.model);
      const version = String(served.version);
      return {
        variant,
        served,
        version,
        ref: { name: served.name, version: served.version },
        read: compileInput(served, inputOpts),
        caps,
        batcher: o.microBatch ? batchersFor(served, caps, o.microBatch) : undefined,
        metrics: metrics.forModel(served.name, version, variant),
      };
    },
    onSwap(prev: Snapshot | undefined, next: Snapshot) {
      const liveList = [next.primary, next.candidate].filter((v): v is LiveVariant => v !== undefined);
      metrics.setLive(liveList.map((v) => ({ model: v.served.name, version: v.version, variant: v.variant })));
      if (prev) metrics.swapped();
      log?.info(
        {
          event: prev ? 'swap' : 'loaded',
          primary: { name: next.primary.served.name, version: next.primary.served.version },
          candidate: next.candidate ? { name: next.candidate.served.name, version: next.candidate.served.version } : null,
          previous: prev ? { primary: prev.primary.served.version, candidate: prev.candidate?.served.version ?? null } : undefined,
        },
        prev ? 'models swapped' : 'models loaded',
      );
    },
    onError: reportError,
  });

  let closing = false;
  const series = new RequestSeries();

  const drift: DriftSchedule | undefined =
    opts.drift && monitoring
      ? scheduleDrift(opts.drift === true ? {} : opts.drift, {
          compute: (specs, window) => monitoring.drift(specs, window),
          live: () => [live.current?.primary, live.current?.candidate].filter((v): v is LiveVariant => v !== undefined),
          prom: prom.default ?? prom,
          registry: metrics.registry,
          onError: (err) => log?.error({ err, event: 'drift' }, 'scheduled drift failed'),
          onRun: (snaps) => {
            const primary = snaps.find((s) => s.variant === 'primary');
            if (alerts && primary) alerts.evaluate(alertValues(primary));
            if (primary) retrainer?.onDrift(primary.drift.datasetDrift, primary.drift.driftedShare);
          },
        })
      : undefined;

  /** kiln's hooks and routes on `app`: its own server's root, or a host app's encapsulated plugin context. */
  function routes(app: FastifyInstance, ownsApp: boolean): void {
    // only JSON bodies: text/plain (which fastify parses by default) and anything else answer 415
    app.removeContentTypeParser('text/plain');
    // inside a host app: kiln's own JSON parser in kiln's context, so bodies are read as by kiln's
    // server (its body limit; "__proto__" and "constructor" plain keys, see createServer)
    if (!ownsApp) {
      app.removeContentTypeParser('application/json');
      app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: o.bodyLimit }, parseJsonBody);
    }
    // arrival time of each request, for the latency metric and logs (fastify measures it only with its own logger on)
    app.decorateRequest('kilnStart', 0);
    const elapsedMs = (req: FastifyRequest) => performance.now() - (req as FastifyRequest & { kilnStart: number }).kilnStart;

    // before the body is read: note the arrival time, refuse new work once closing (the connection
    // closes after the answer), then auth; routes marked open skip auth
    // (callback style: no Promise per request)
    app.addHook('onRequest', (req, reply, done) => {
      (req as FastifyRequest & { kilnStart: number }).kilnStart = performance.now();
      reply.header('x-request-id', req.id);
      if (closing) {
        reply.header('connection', 'close');
        done(new HttpError(503, 'E_SHUTTING_DOWN', 'the server is shutting down; retry on another instance'));
        return;
      }
      if (auth && !(req.routeOptions.config as { open?: boolean } | undefined)?.open) {
        try {
          auth(req.headers.authorization);
        } catch (err) {
          done(err as Error);
          return;
        }
      }
      done();
    });

    const sendError = (reply: FastifyReply, err: unknown, variant: LiveVariant | undefined, isPredict: boolean) => {
      const requestId = String(reply.request.id);
      const { status, body } = toErrorResponse(err, requestId);
      if (isPredict) series.record(elapsedMs(reply.request) / 1000, true);
      if (variant) variant.metrics.error(body.error.code, status, elapsedMs(reply.request) / 1000);
      else metrics.unrouted(body.error.code, status, isPredict);
      if (log) {
        const entry = {
          event: 'error',
          requestId,
          status,
          code: body.error.code,
          message: body.error.message,
          variant: variant?.variant,
          version: variant?.served.version,
        };
        // a 500's own message goes to the log only (the response names the request id)
        if (status >= 500) log.error({ ...entry, message: (err as Error)?.message ?? String(err), err }, 'request failed');
        else log.warn(entry, 'request refused');
      }
      return reply.code(status).type('application/json; charset=utf-8').send(body);
    };

    app.setErrorHandler((err, req, reply) => sendError(reply, err, undefined, req.routeOptions.url === '/predict'));
    // a host app answers its own unknown routes
    if (ownsApp)
      app.setNotFoundHandler((req, reply) =>
        sendError(
          reply,
          new HttpError(
            404,
            'E_NOT_FOUND',
            `no route ${req.method} ${req.url}; routes: POST /predict, /feedback, GET /health, /ready, /metrics, /models, /dashboard, /openapi.json`,
          ),
          undefined,
          false,
        ),
      );

    app.get('/health', { config: { open: true } }, async () => ({ status: 'ok' }));

    app.get('/ready', { config: { open: true } }, async (_req, reply) => {
      if (closing) return sendError(reply, new HttpError(503, 'E_SHUTTING_DOWN', 'the server is shutting down'), undefined, false);
      const snap = live.current;
      if (!snap) return sendError(reply, new HttpError(503, 'E_NOT_READY', 'no model is loaded yet'), undefined, false);
      return { status: 'ready', primary: snap.primary.ref, candidate: snap.candidate?.ref ?? null };
    });

    app.get('/metrics', async (_req, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    });

    app.get('/models', async () => {
      const snap = live.current;
      const weight = (variant: Variant) => (variant === 'candidate' ? o.candidatePercent / 100 : snap?.candidate ? 1 - o.candidatePercent / 100 : 1);
      const describe = (v: LiveVariant | undefined) =>
        v && {
          variant: v.variant,
          name: v.served.name,
          version: v.served.version,
          weight: weight(v.variant),
          inputSchema: v.served.inputSchema ?? null,
          probabilities: v.caps.proba,
          classes: v.caps.classes ?? null,
          info: v.served.info ?? {},
        };
      return {
        ready: snap !== undefined,
        since: snap?.since.toISOString() ?? null,
        candidatePercent: o.candidatePercent,
        routingKey: { header: o.keyHeader, field: o.keyField },
        variants: [describe(snap?.primary), describe(snap?.candidate)].filter(Boolean),
        source: (await source.describe?.()) ?? null,
      };
    });

    app.get('/openapi.json', async () => {
      const p = live.current?.primary;
      return openApiDocument({
        model: p?.served,
        classes: p?.caps.classes,
        probabilities: p?.caps.proba ?? false,
        options: o,
        prefix: app.prefix,
        feedback: monitoring !== undefined,
      });
    });

    const keyHeader = o.keyHeader,
      keyField = o.keyField,
      percent = o.candidatePercent,
      syncMaxRows = o.syncMaxRows;
    const logPredictions = o.logPredictions;
    app.post('/predict', async (req: FastifyRequest, reply: FastifyReply) => {
      const snap = live.current;
      if (!snap) return sendError(reply, new HttpError(503, 'E_NOT_READY', 'no model is loaded yet; retry when GET /ready answers 200'), undefined, true);
      const body = req.body as Record<string, unknown> | null;
      const h = req.headers[keyHeader];
      let key: string | undefined = typeof h === 'string' ? h : undefined;
      if (key === undefined && body !== null && typeof body === 'object') {
        const k = body[keyField];
        if (typeof k === 'string' || typeof k === 'number') key = String(k);
      }
      const v = chooseVariant(key, percent, snap.candidate !== undefined) === 'candidate' ? snap.candidate! : snap.primary;
      inflight++;
      try {
        const { X, rows, warnings } = v.read(body);
        const withProba = v.caps.proba && body!.probabilities !== false;
        const res = predictSyncPossible(v.caps, rows, syncMaxRows, withProba)
          ? predictNow(v.served.model, v.caps, X, withProba)
          : v.batcher
            ? await v.batcher(withProba).submit(X, rows)
            : await predictLater(v.served.model, v.caps, X, withProba);
        const out: Record<string, unknown> = { predictions: res.predictions };
        if (res.probabilities !== undefined) {
          out.probabilities = res.probabilities;
          if (v.caps.classes) out.classes = v.caps.classes;
        }
        out.model = v.ref;
        out.variant = v.variant;
        if (warnings) {
          out.warnings = warnings;
          reply.header('x-kiln-warnings', String(warnings.length));
        }
        if (closing) reply.header('connection', 'close');
        const ms = elapsedMs(req);
        v.metrics.ok(ms / 1000, rows);
        series.record(ms / 1000, false);
        monitoring?.record({
          requestId: String(req.id),
          key,
          model: v.served.name,
          version: v.served.version,
          variant: v.variant,
          body: body!,
          predictions: res.predictions,
          probabilities: res.probabilities,
          latencyMs: ms,
        });
        if (log) {
          const entry: Record<string, unknown> = {
            event: 'predict',
            requestId: req.id,
            model: v.served.name,
            version: v.served.version,
            variant: v.variant,
            rows,
            ms: Math.round(ms * 1000) / 1000,
          };
          if (logPredictions) {
            entry.input = body!.rows ?? body!.row ?? body!.instances;
            entry.predictions = res.predictions;
          }
          log.info(entry);
        }
        return out;
      } catch (err) {
        return sendError(reply, err, v, true);
      } finally {
        inflight--;
      }
    });

    if (monitoring) feedbackRoute(app, monitoring);
    else
      app.post('/feedback', (_req, reply) =>
        sendError(
          reply,
          new HttpError(404, 'E_NOT_FOUND', 'this server keeps no prediction log: start it with predictionLog to take feedback'),
          undefined,
          false,
        ),
      );

    dashboardRoutes(app, () => ({
      generatedAt: new Date().toISOString(),
      live: [live.current?.primary, live.current?.candidate]
        .filter((v): v is LiveVariant => v !== undefined)
        .map((v) => ({ variant: v.variant, name: v.served.name, version: v.served.version })),
      series: series.points(),
      drift: drift ? { latest: drift.latest, history: drift.history } : null,
      alerts: alerts ? { firing: alerts.firing(), recent: alerts.recent() } : null,
    }));
  }

  const loaded = live.start();
  loaded.catch((err) => log?.error({ err }, 'first model load failed; /ready stays 503 until the source changes or reload() succeeds'));

  return {
    options: o,
    log,
    metrics: metrics.registry,
    loaded,
    get ready() {
      return live.current !== undefined && !closing;
    },
    get live() {
      const s = live.current;
      return { ...(s ? { primary: s.primary.ref } : {}), ...(s?.candidate ? { candidate: s.candidate.ref } : {}) };
    },
    routes,
    beginClose() {
      closing = true;
      live.stop();
    },
    async close() {
      closing = true;
      live.stop();
      while (inflight > 0) await new Promise((r) => setTimeout(r, 5));
      await source.close?.();
      drift?.stop();
      await retrainer?.close();
      await alerts?.settle();
      await rollback?.close();
      await monitoring?.close().catch((err) => log?.error({ err, event: 'prediction-log' }, 'prediction log did not close cleanly'));
      log?.info({ event: 'closed' }, 'kiln server closed');
      logging.flush();
    },
    reload() {
      return live.refresh();
    },
    retrain(detail = 'asked for') {
      if (!retrainer) return Promise.reject(new ParamError(`${fn}: retrain() needs the retrain option (the job to run)`));
      return retrainer.trigger({ reason: 'manual', detail, at: Date.now() });
    },
    async settleAlerts() {
      await alerts?.settle();
    },
    checkDrift() {
      if (!drift) return Promise.reject(new ParamError('checkDrift: the server was created without drift (and predictionLog)'));
      // what is queued goes to the log first, so the window holds every answered request
      monitoring!.log.flush();
      return drift.run();
    },
  };
}

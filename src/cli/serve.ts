/**
 * `kiln serve --registry DB --model NAME` (or `--model file.kiln` without a registry): the HTTP
 * model server until SIGTERM / SIGINT, which close it gracefully (in-flight requests finish).
 * The registry defaults to env KILN_REGISTRY like the other commands; it listens on 127.0.0.1
 * unless --host says otherwise, and warns when it is reachable from the network without a token.
 */
import { statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { ParamError } from '../core/errors.js';
import { loadWithManifest } from '../deploy/model-file.js';
import { registryLocation } from '../deploy/registry/open.js';
import { isLoopback } from '../deploy/server/auth.js';
import { serve, type RunningServer, type ServeOptions } from '../deploy/server/index.js';
import type { Predictor } from '../deploy/server/types.js';
import { parseRegistryRef } from './model-ref.js';

export interface ServeFlags {
  model: string;
  registry?: string;
  alias?: string;
  port?: number;
  host?: string;
  token?: string;
  /** Percent of traffic for the candidate alias. */
  canary?: number;
  candidateAlias?: string;
  pollMs?: number;
  logLevel?: string;
  /** Values outside the training ranges: let through (false), refused (true) or reported ('warn'). */
  checkRanges?: boolean | 'warn';
  /** Log every served row here (SQLite) and take POST /feedback; kiln monitor reads it. */
  predictionLog?: string;
  /** The prediction log's format: 'sqlite' (default) or 'parquet' (default for an existing directory). */
  predictionLogFormat?: 'sqlite' | 'parquet';
  /** Gather concurrent requests to a busy model into one call. */
  microBatch?: boolean;
  /** Drift of the logged window every this many ms. */
  driftEvery?: number;
  /** A training config: retrain from it on drift (and on retrainEvery), through the quality gate. */
  retrain?: string;
  retrainEvery?: number;
  retrainCooldown?: number;
  /** Run the retraining jobs on `kiln worker`s taking jobs from this Redis. */
  redis?: string;
  queue?: string;
}

/** The registry to serve from: --registry, else env KILN_REGISTRY unless --model is a model file. */
function servedRegistry(flags: Pick<ServeFlags, 'model' | 'registry'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flags.registry) return flags.registry;
  const fromEnv = env.KILN_REGISTRY;
  if (!fromEnv) return undefined;
  const isFile = statSync(resolve(flags.model), { throwIfNoEntry: false })?.isFile() === true;
  return isFile ? undefined : fromEnv;
}

export async function startServer(flags: ServeFlags): Promise<RunningServer> {
  const host = flags.host ?? '127.0.0.1';
  const token = flags.token ?? process.env.KILN_SERVER_TOKEN;
  if (!isLoopback(host) && !token) {
    process.stderr.write(
      `kiln serve: warning: listening on ${host} without a token — anyone who can reach this address can call every route; set --token or KILN_SERVER_TOKEN, or --host 127.0.0.1\n`,
    );
  }
  const registry = servedRegistry(flags);
  const common: Partial<ServeOptions> = {
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    host,
    ...(flags.token !== undefined ? { token: flags.token } : {}),
    ...(flags.canary !== undefined ? { candidatePercent: flags.canary } : {}),
    ...(flags.checkRanges !== undefined ? { checkRanges: flags.checkRanges } : {}),
    ...(flags.microBatch ? { microBatch: true } : {}),
    logger: { level: flags.logLevel ?? 'info' },
    ...(flags.predictionLog !== undefined
      ? { predictionLog: { path: resolve(flags.predictionLog), ...(flags.predictionLogFormat ? { format: flags.predictionLogFormat } : {}) } }
      : {}),
  };
  if (flags.predictionLogFormat !== undefined && flags.predictionLog === undefined)
    throw new ParamError('--prediction-log-format: add --prediction-log <path> (where the log goes)');
  if (flags.driftEvery !== undefined) {
    if (flags.predictionLog === undefined) throw new ParamError('--drift-every: drift is computed over the prediction log; add --prediction-log');
    common.drift = { everyMs: flags.driftEvery };
  }
  if (flags.redis !== undefined && flags.retrain === undefined)
    throw new ParamError('--redis: the server sends its retraining jobs there; add --retrain <config>');
  let opts: ServeOptions;
  if (registry) {
    const { name, at } = parseRegistryRef(flags.model);
    if (flags.retrain !== undefined) {
      if (flags.driftEvery === undefined && flags.retrainEvery === undefined)
        throw new ParamError('--retrain: say when: --drift-every (retrain when the dataset drifts) and/or --retrain-every');
      const config = resolve(flags.retrain);
      const alias = String(flags.alias ?? at ?? 'production');
      common.retrain = {
        onDrift: flags.driftEvery !== undefined,
        ...(flags.retrainEvery !== undefined ? { everyMs: flags.retrainEvery } : {}),
        ...(flags.retrainCooldown !== undefined ? { cooldownMs: flags.retrainCooldown } : {}),
        run: async (t) => {
          const rf = { registry: registryLocation(registry), name, alias, reason: `${t.reason}: ${t.detail}` };
          const r = flags.redis
            ? await (await import('./retrain-queue.js')).retrainOnQueue(config, rf, { redis: flags.redis, ...(flags.queue ? { queue: flags.queue } : {}) })
            : await (await import('./retrain.js')).retrain(config, rf, () => undefined);
          return { candidate: r.candidate.version, passed: r.passed, promoted: r.promoted, ...(flags.redis ? { on: 'queue' } : {}) };
        },
      };
    }
    opts = {
      ...common,
      registry: registryLocation(registry),
      name,
      alias: flags.alias ?? at,
      ...(flags.candidateAlias !== undefined ? { candidateAlias: flags.candidateAlias } : {}),
      ...(flags.pollMs !== undefined ? { pollMs: flags.pollMs } : {}),
    };
  } else {
    if (flags.retrain !== undefined) throw new ParamError('--retrain: retraining registers and promotes versions; serve from a registry (--registry)');
    if (!statSync(resolve(flags.model), { throwIfNoEntry: false })) {
      throw new ParamError(`--model: no model file at ${resolve(flags.model)}; to serve a registered model give --registry DB (or set KILN_REGISTRY)`);
    }
    const { model, manifest } = await loadWithManifest(resolve(flags.model));
    const body = manifest.arrays.find((a) => a.name === 'body');
    opts = {
      ...common,
      model: {
        name: basename(flags.model, extname(flags.model)),
        version: body?.sha256.slice(0, 12) ?? manifest.createdAt,
        model: model as Predictor,
        inputSchema: manifest.inputSchema,
        info: { className: manifest.className, metrics: manifest.metrics, createdAt: manifest.createdAt },
        ...(manifest.reference ? { reference: manifest.reference } : {}),
      },
    };
  }
  const server = await serve(opts);
  try {
    await server.loaded;
  } catch (e) {
    await server.close().catch(() => undefined);
    throw e;
  }
  return server;
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const server = await startServer(flags);
  const live = server.live;
  const what = (v?: { name: string; version: number | string }) => (v ? `${v.name} v${v.version}` : 'nothing');
  process.stderr.write(
    `kiln serve: ${what(live.primary)}${live.candidate ? ` (candidate ${what(live.candidate)}, ${flags.canary ?? 0}%)` : ''} at ${server.address}\n`,
  );
}

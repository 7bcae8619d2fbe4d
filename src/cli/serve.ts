/**
 * `kiln serve --registry DB --model NAME` (or `--model file.kiln` without a registry): the HTTP
 * model server until SIGTERM / SIGINT, which close it gracefully (in-flight requests finish).
 */
import { basename, extname, resolve } from 'node:path';
import { loadWithManifest } from '../deploy/model-file.js';
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
}

export async function startServer(flags: ServeFlags): Promise<RunningServer> {
  const common: Partial<ServeOptions> = {
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.token !== undefined ? { token: flags.token } : {}),
    ...(flags.canary !== undefined ? { candidatePercent: flags.canary } : {}),
    logger: { level: flags.logLevel ?? 'info' },
  };
  let opts: ServeOptions;
  if (flags.registry) {
    const { name, at } = parseRegistryRef(flags.model);
    opts = {
      ...common, registry: resolve(flags.registry), name, alias: flags.alias ?? at,
      ...(flags.candidateAlias !== undefined ? { candidateAlias: flags.candidateAlias } : {}),
      ...(flags.pollMs !== undefined ? { pollMs: flags.pollMs } : {}),
    };
  } else {
    const { model, manifest } = await loadWithManifest(resolve(flags.model));
    const body = manifest.arrays.find((a) => a.name === 'body');
    opts = {
      ...common,
      model: {
        name: basename(flags.model, extname(flags.model)), version: body?.sha256.slice(0, 12) ?? manifest.createdAt,
        model: model as Predictor, inputSchema: manifest.inputSchema,
        info: { className: manifest.className, metrics: manifest.metrics, createdAt: manifest.createdAt },
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
  process.stderr.write(`kiln serve: ${what(live.primary)}${live.candidate ? ` (candidate ${what(live.candidate)}, ${flags.canary ?? 0}%)` : ''} at ${server.address}\n`);
}

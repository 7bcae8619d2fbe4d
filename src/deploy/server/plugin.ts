/**
 * kiln inside a host fastify app: `await app.register(kilnPlugin, { model, prefix: '/ml' })`
 * mounts POST /predict (with the same input checks, metrics, hot swap, A/B routing, monitoring) and
 * the other routes under the prefix. The plugin is encapsulated: kiln's hooks, error handler and
 * body parser apply to its routes only, while the host's own hooks (its auth, say) registered
 * before it apply to kiln's routes too. Closing the host app closes kiln's model source and logs.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerOptions } from './options.js';
import { createKilnCore } from './server-core.js';

/** createServer's options, less the connection settings a host app owns, plus fastify's own register options. */
export interface KilnPluginOptions extends Omit<ServerOptions, 'requestTimeout' | 'headersTimeout' | 'keepAliveTimeout' | 'idleTimeout'> {
  /** Where kiln's routes go, e.g. '/ml' (fastify's register option). */
  prefix?: string;
}

// fastify passes its own register options along with the plugin's
const FASTIFY_REGISTER_KEYS = new Set(['prefix', 'logLevel', 'logSerializers']);

export async function kilnPlugin(instance: FastifyInstance, opts: KilnPluginOptions): Promise<void> {
  const own = Object.fromEntries(Object.entries(opts ?? {}).filter(([k]) => !FASTIFY_REGISTER_KEYS.has(k))) as ServerOptions;
  const core = await createKilnCore(own, 'kilnPlugin');
  core.routes(instance, false);
  instance.addHook('preClose', (done) => {
    core.beginClose();
    done();
  });
  instance.addHook('onClose', async () => {
    await core.close();
  });
}

/**
 * The automatic rollback of a registry-served model when a serious alert fires: the served alias
 * goes back to its previous version (the registry keeps the history; the audit log records the
 * move, by actor 'kiln-monitor', with the alert as the reason), and the server reloads at once.
 */
import type { Logger } from 'pino';
import { ParamError } from '../../core/errors.js';
import type { AlertEvent, Severity } from '../../monitor/alerts.js';
import type { ServerOptions } from './options.js';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

interface Rollbackable {
  rollback(name: string, alias?: string, toVersion?: number, opts?: { actor?: string }): number | Promise<number>;
  close?(): void;
}

export function rollbackAction(
  opts: ServerOptions,
  threshold: Severity,
  log: Logger | null,
  reload: () => Promise<void>,
): { onAlert: (e: AlertEvent) => Promise<void>; close: () => Promise<void> } {
  if (!(threshold in RANK)) throw new ParamError(`createServer: alerts.rollbackOn must be info, warning or critical, got ${JSON.stringify(threshold)}`);
  if (opts.registry === undefined || !opts.name)
    throw new ParamError('createServer: alerts.rollbackOn needs a registry source (registry and name): a model in memory has no previous version');
  const alias = typeof opts.alias === 'string' ? opts.alias : 'production';
  let handle: Promise<Rollbackable> | undefined;
  const registry = (): Promise<Rollbackable> => {
    if (typeof opts.registry !== 'string') {
      const r = opts.registry as unknown as Partial<Rollbackable>;
      if (typeof r.rollback !== 'function') throw new ParamError('createServer: alerts.rollbackOn needs a registry with rollback() (a ModelRegistry)');
      return Promise.resolve(r as Rollbackable);
    }
    // a handle of its own, opened on first use (the source's stays read-mostly)
    handle ??= import('../registry/index.js').then(({ ModelRegistry }) => ModelRegistry.open(opts.registry as string));
    return handle;
  };
  const onAlert = async (e: AlertEvent) => {
    if (e.status !== 'firing' || RANK[e.severity] < RANK[threshold]) return;
    try {
      const reg = await registry();
      const version = await reg.rollback(opts.name!, alias, undefined, { actor: 'kiln-monitor' });
      log?.warn({ event: 'rollback', alias, version, alert: e.rule }, `alert ${e.rule}: ${alias} rolled back to v${version}`);
      await reload();
    } catch (err) {
      log?.error({ err, event: 'rollback', alert: e.rule }, 'automatic rollback failed');
      throw err;
    }
  };
  const close = async () => {
    if (handle) (await handle.catch(() => undefined))?.close?.();
  };
  return { onAlert, close };
}

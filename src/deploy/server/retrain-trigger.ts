/**
 * The retraining trigger of a served model: a job (yours, or kiln's retrain with its quality gate
 * from `kiln serve --retrain`) runs when a scheduled drift run finds the dataset drifted, when an
 * alert of a given severity fires (a performance drop is an alert rule on performance.*), or on a
 * fixed schedule. At most one job runs at a time, and at most one per cooldown; a trigger that
 * arrives meanwhile is counted as skipped. A failing job is logged and counted, never thrown at
 * the server. A job that registers and promotes a better model reaches the server through the
 * registry's hot swap.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ParamError } from '../../core/errors.js';
import { checkOptions } from '../../core/validate.js';
import type { AlertEvent, Severity } from '../../monitor/alerts.js';

export type RetrainReason = 'drift' | 'alert' | 'schedule' | 'manual';

export interface RetrainTrigger {
  reason: RetrainReason;
  /** What set it off: the alert rule, the drifted share, or the schedule. */
  detail: string;
  at: number;
}

export interface RetrainOptions {
  /** The job. Its resolved value is logged; a rejection is logged and counted. */
  run(trigger: RetrainTrigger): Promise<unknown>;
  /** Run when a scheduled drift run finds the dataset drifted. Default: true. */
  onDrift?: boolean;
  /** Run when an alert of at least this severity fires. Default: none. */
  onAlert?: Severity;
  /** Also run every everyMs milliseconds. Default: none. */
  everyMs?: number;
  /** Least time between the starts of two jobs, in ms. Default: 3,600,000 (one hour). */
  cooldownMs?: number;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export interface RetrainScheduler {
  /** A scheduled drift run finished: `drifted` is the primary's dataset verdict. */
  onDrift(drifted: boolean, share: number): void;
  onAlert(e: AlertEvent): void;
  /** Runs the job now unless one is running or the cooldown holds; resolves when it is done (or skipped). */
  trigger(t: RetrainTrigger): Promise<'ran' | 'failed' | 'skipped'>;
  /** Waits for a running job, then stops the schedule. */
  close(): Promise<void>;
}

export function retrainScheduler(
  opts: RetrainOptions,
  deps: { log: Logger | null; prom: typeof import('prom-client'); registry: Registry; fn: string },
): RetrainScheduler {
  const { fn } = deps;
  if (opts === null || typeof opts !== 'object') throw new ParamError(`${fn}: retrain must be an object { run, onDrift, onAlert, everyMs, cooldownMs }`);
  checkOptions(opts, ['run', 'onDrift', 'onAlert', 'everyMs', 'cooldownMs'], `${fn}: retrain`);
  if (typeof opts.run !== 'function') throw new ParamError(`${fn}: retrain.run must be a function (trigger) => Promise, the retraining job`);
  if (opts.onAlert !== undefined && !(opts.onAlert in RANK))
    throw new ParamError(`${fn}: retrain.onAlert must be info, warning or critical, got ${JSON.stringify(opts.onAlert)}`);
  for (const k of ['everyMs', 'cooldownMs'] as const) {
    const v = opts[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1))
      throw new ParamError(`${fn}: retrain.${k} must be a positive integer of milliseconds, got ${String(v)}`);
  }
  const onDrift = opts.onDrift ?? true;
  const cooldownMs = opts.cooldownMs ?? 3_600_000;
  const runs = new deps.prom.Counter({
    name: 'kiln_retrain_runs_total',
    help: 'Retraining jobs by trigger and outcome (ran, failed, skipped: one was running or the cooldown held)',
    labelNames: ['reason', 'outcome'],
    registers: [deps.registry],
  });
  let running: Promise<unknown> | undefined;
  let lastStart = -Infinity;
  let closed = false;

  const trigger = async (t: RetrainTrigger): Promise<'ran' | 'failed' | 'skipped'> => {
    if (closed || running || Date.now() - lastStart < cooldownMs) {
      runs.inc({ reason: t.reason, outcome: 'skipped' });
      deps.log?.info({ event: 'retrain', trigger: t, outcome: 'skipped' }, `retraining not started (${running ? 'a job is running' : 'cooldown'})`);
      return 'skipped';
    }
    lastStart = Date.now();
    deps.log?.warn({ event: 'retrain', trigger: t }, `retraining: ${t.reason} (${t.detail})`);
    const job = Promise.resolve().then(() => opts.run(t));
    running = job;
    try {
      const result = await job;
      runs.inc({ reason: t.reason, outcome: 'ran' });
      deps.log?.warn({ event: 'retrain', trigger: t, outcome: 'ran', result }, 'retraining job done');
      return 'ran';
    } catch (err) {
      runs.inc({ reason: t.reason, outcome: 'failed' });
      deps.log?.error({ err, event: 'retrain', trigger: t, outcome: 'failed' }, 'retraining job failed');
      return 'failed';
    } finally {
      running = undefined;
    }
  };
  const timer = opts.everyMs
    ? setInterval(() => void trigger({ reason: 'schedule', detail: `every ${opts.everyMs} ms`, at: Date.now() }), opts.everyMs)
    : undefined;
  timer?.unref();
  return {
    onDrift(drifted, share) {
      if (onDrift && drifted) void trigger({ reason: 'drift', detail: `${(share * 100).toFixed(0)}% of the features drifted`, at: Date.now() });
    },
    onAlert(e) {
      if (opts.onAlert !== undefined && e.status === 'firing' && RANK[e.severity] >= RANK[opts.onAlert])
        void trigger({ reason: 'alert', detail: `${e.rule} (${e.severity})`, at: Date.now() });
    },
    trigger,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * Alert rules over monitoring values, with Prometheus Alertmanager's life cycle: a rule whose
 * condition holds is pending, and fires once it has held for `for` ms; a firing alert notifies
 * once (deduplicated), and again as resolved when the condition stops holding; after resolving it
 * stays quiet for `cooldownMs`. Sinks: a callback, the log, and webhooks (a JSON POST with a
 * timeout and retries with exponential backoff; a sink that fails is counted, never thrown into
 * the caller). Values are named strings, e.g. `drift.dataset`, `drift.feature.age`,
 * `quality.missing.age`, `performance.accuracy`, `latency.p99`, `errors.rate`.
 */
import { ParamError } from '../core/errors.js';

export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type Severity = 'info' | 'warning' | 'critical';

export interface AlertRule {
  name: string;
  /** The monitored value the rule watches (see the module comment for names). */
  metric: string;
  op: Comparison;
  threshold: number;
  /** How long the condition must hold before the alert fires, ms. Default: 0. */
  for?: number;
  severity?: Severity;
  /** After resolving, the rule does not fire again for this long, ms. Default: 0. */
  cooldownMs?: number;
  /** Free text sent with the notification. */
  description?: string;
}

export interface AlertEvent {
  rule: string;
  status: 'firing' | 'resolved';
  severity: Severity;
  metric: string;
  value: number | null;
  threshold: number;
  op: Comparison;
  /** When the condition started holding (firing) or stopped (resolved), ms since the epoch. */
  since: number;
  at: number;
  description?: string;
}

export interface WebhookSink {
  url: string;
  /** Per attempt, ms. Default: 5,000. */
  timeoutMs?: number;
  /** Attempts after the first. Default: 3. */
  retries?: number;
  /** First backoff, doubled each retry, ms. Default: 200. */
  backoffMs?: number;
  headers?: Record<string, string>;
}

export interface AlertSinks {
  onAlert?: (e: AlertEvent) => void | Promise<void>;
  log?: (e: AlertEvent) => void;
  webhooks?: WebhookSink[];
}

export interface AlertStats {
  notified: number;
  sinkFailures: number;
}

const OPS: Record<Comparison, (a: number, b: number) => boolean> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

interface RuleState {
  state: 'ok' | 'pending' | 'firing';
  since: number;
  quietUntil: number;
}

function checkRule(r: AlertRule, i: number): Required<Omit<AlertRule, 'description'>> & { description?: string } {
  const at = `alert rule ${i} (${JSON.stringify(r?.name)})`;
  if (!r || typeof r !== 'object') throw new ParamError(`alert rule ${i} must be an object { name, metric, op, threshold }`);
  if (typeof r.name !== 'string' || r.name === '') throw new ParamError(`alert rule ${i}: name must be a non-empty string`);
  if (typeof r.metric !== 'string' || r.metric === '') throw new ParamError(`${at}: metric must name a monitored value`);
  if (!(r.op in OPS)) throw new ParamError(`${at}: op must be one of ${Object.keys(OPS).join(' ')}, got ${JSON.stringify(r.op)}`);
  if (typeof r.threshold !== 'number' || !Number.isFinite(r.threshold)) throw new ParamError(`${at}: threshold must be a finite number`);
  const forMs = r.for ?? 0,
    cooldownMs = r.cooldownMs ?? 0;
  if (!(forMs >= 0) || !(cooldownMs >= 0)) throw new ParamError(`${at}: for and cooldownMs must be >= 0 ms`);
  const severity = r.severity ?? 'warning';
  if (!['info', 'warning', 'critical'].includes(severity)) throw new ParamError(`${at}: severity must be info, warning or critical`);
  return { ...r, for: forMs, cooldownMs, severity };
}

async function postWebhook(w: WebhookSink, e: AlertEvent): Promise<void> {
  const retries = w.retries ?? 3,
    timeoutMs = w.timeoutMs ?? 5000;
  let backoff = w.backoffMs ?? 200;
  let last: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    try {
      const res = await fetch(w.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(w.headers ?? {}) },
        body: JSON.stringify(e),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return;
      last = new Error(`webhook ${w.url} answered ${res.status}`);
      if (res.status < 500 && res.status !== 429) break; // the receiver refuses it: retrying will not help
    } catch (err) {
      last = err;
    }
    if (attempt < retries) {
      await new Promise((r) => setTimeout(r, backoff));
      backoff *= 2;
    }
  }
  throw last;
}

export class AlertManager {
  private readonly rules: ReturnType<typeof checkRule>[];
  private readonly states = new Map<string, RuleState>();
  private readonly counts: AlertStats = { notified: 0, sinkFailures: 0 };
  private readonly pending = new Set<Promise<void>>();
  private readonly history: AlertEvent[] = [];

  constructor(
    rules: readonly AlertRule[],
    private readonly sinks: AlertSinks = {},
  ) {
    if (!Array.isArray(rules)) throw new ParamError('AlertManager: rules must be an array');
    this.rules = rules.map(checkRule);
    const names = new Set<string>();
    for (const r of this.rules) {
      if (names.has(r.name)) throw new ParamError(`AlertManager: two rules are named ${JSON.stringify(r.name)}; names identify alerts`);
      names.add(r.name);
    }
    for (const w of sinks.webhooks ?? []) {
      if (!w || typeof w.url !== 'string' || !/^https?:\/\//.test(w.url))
        throw new ParamError(`AlertManager: webhook url must be an http(s) URL, got ${JSON.stringify(w?.url)}`);
    }
  }

  /**
   * Evaluates every rule on the current values (a missing value leaves its rule as it is) and
   * notifies the transitions; returns the events sent.
   */
  evaluate(values: Readonly<Record<string, number>>, now = Date.now()): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const r of this.rules) {
      const v = values[r.metric];
      if (v === undefined || Number.isNaN(v)) continue;
      const s = this.states.get(r.name) ?? { state: 'ok', since: now, quietUntil: 0 };
      const holds = OPS[r.op](v, r.threshold);
      if (holds) {
        if (s.state === 'ok') {
          if (now < s.quietUntil) continue;
          s.state = 'pending';
          s.since = now;
        }
        if (s.state === 'pending' && now - s.since >= r.for) {
          s.state = 'firing';
          events.push(this.event(r, 'firing', v, s.since, now));
        }
      } else if (s.state === 'firing') {
        events.push(this.event(r, 'resolved', v, now, now));
        s.state = 'ok';
        s.quietUntil = now + r.cooldownMs;
      } else s.state = 'ok';
      this.states.set(r.name, s);
    }
    for (const e of events) this.notify(e);
    return events;
  }

  /** The latest notifications (at most 50), newest last. */
  recent(): AlertEvent[] {
    return [...this.history];
  }

  /** The rules firing now. */
  firing(): string[] {
    return [...this.states].filter(([, s]) => s.state === 'firing').map(([n]) => n);
  }

  stats(): AlertStats {
    return { ...this.counts };
  }

  /** Waits for notifications still being delivered (webhook retries included). */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private event(r: ReturnType<typeof checkRule>, status: AlertEvent['status'], value: number, since: number, at: number): AlertEvent {
    return {
      rule: r.name,
      status,
      severity: r.severity,
      metric: r.metric,
      value,
      threshold: r.threshold,
      op: r.op,
      since,
      at,
      ...(r.description ? { description: r.description } : {}),
    };
  }

  private notify(e: AlertEvent): void {
    this.counts.notified++;
    this.history.push(e);
    if (this.history.length > 50) this.history.shift();
    const fail = () => {
      this.counts.sinkFailures++;
    };
    try {
      this.sinks.log?.(e);
    } catch {
      fail();
    }
    const deliveries: Promise<unknown>[] = [];
    if (this.sinks.onAlert) deliveries.push(Promise.resolve().then(() => this.sinks.onAlert!(e)));
    for (const w of this.sinks.webhooks ?? []) deliveries.push(postWebhook(w, e));
    for (const d of deliveries) {
      const p: Promise<void> = d.then(
        () => undefined,
        () => fail(),
      );
      this.pending.add(p);
      p.finally(() => this.pending.delete(p));
    }
  }
}

/**
 * Alert rules: pending → firing after `for`, one notification per firing (deduplicated), resolved
 * notifications, the cooldown, webhooks delivered once to a local server, retried after a 503 and
 * counted as failed when the receiver hangs; bad rules refused.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertManager, type AlertEvent } from '../../src/monitor/alerts.js';

const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

/** A local webhook receiver answering with `status(n)` for the n-th request (0-based), or never answering. */
async function receiver(status: (n: number) => number | 'hang'): Promise<{ url: string; bodies: AlertEvent[] }> {
  const bodies: AlertEvent[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const s = status(n++);
      if (s === 'hang') return;
      if (s === 200) bodies.push(JSON.parse(text));
      res.writeHead(s).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

describe('AlertManager', () => {
  it('fires after `for`, notifies once, resolves, and stays quiet during the cooldown', () => {
    const seen: AlertEvent[] = [];
    const m = new AlertManager(
      [{ name: 'acc-drop', metric: 'performance.accuracy', op: '<', threshold: 0.8, for: 60_000, severity: 'critical', cooldownMs: 300_000 }],
      {
        log: (e) => seen.push(e),
      },
    );
    const t = 1_000_000;
    expect(m.evaluate({ 'performance.accuracy': 0.9 }, t)).toEqual([]);
    expect(m.evaluate({ 'performance.accuracy': 0.7 }, t + 1000)).toEqual([]); // pending
    expect(m.evaluate({ 'performance.accuracy': 0.7 }, t + 30_000)).toEqual([]);
    const fired = m.evaluate({ 'performance.accuracy': 0.65 }, t + 61_000);
    expect(fired).toEqual([
      {
        rule: 'acc-drop',
        status: 'firing',
        severity: 'critical',
        metric: 'performance.accuracy',
        value: 0.65,
        threshold: 0.8,
        op: '<',
        since: t + 1000,
        at: t + 61_000,
      },
    ]);
    expect(m.firing()).toEqual(['acc-drop']);
    expect(m.evaluate({ 'performance.accuracy': 0.6 }, t + 120_000)).toEqual([]); // still firing: no second notification
    expect(m.evaluate({}, t + 130_000)).toEqual([]); // no value: unchanged
    expect(m.evaluate({ 'performance.accuracy': 0.85 }, t + 140_000).map((e) => e.status)).toEqual(['resolved']);
    // inside the cooldown a new breach does not even go pending
    expect(m.evaluate({ 'performance.accuracy': 0.5 }, t + 200_000)).toEqual([]);
    expect(m.evaluate({ 'performance.accuracy': 0.5 }, t + 430_000)).toEqual([]); // the cooldown runs to t + 440,000
    expect(m.evaluate({ 'performance.accuracy': 0.5 }, t + 450_000)).toEqual([]); // pending again
    expect(m.evaluate({ 'performance.accuracy': 0.5 }, t + 509_000)).toEqual([]);
    expect(m.evaluate({ 'performance.accuracy': 0.5 }, t + 510_000).map((e) => e.status)).toEqual(['firing']);
    expect(seen.map((e) => e.status)).toEqual(['firing', 'resolved', 'firing']);
  });

  it('a pending condition that clears before `for` never notifies', () => {
    const m = new AlertManager([{ name: 'drift', metric: 'drift.dataset', op: '==', threshold: 1, for: 10_000 }]);
    expect(m.evaluate({ 'drift.dataset': 1 }, 0)).toEqual([]);
    expect(m.evaluate({ 'drift.dataset': 0 }, 5_000)).toEqual([]);
    expect(m.evaluate({ 'drift.dataset': 1 }, 6_000)).toEqual([]);
    expect(m.evaluate({ 'drift.dataset': 1 }, 15_000)).toEqual([]); // pending since 6,000: not yet 10 s
    expect(m.evaluate({ 'drift.dataset': 1 }, 16_000)).toHaveLength(1);
  });

  it('posts each notification once to a webhook, retrying a 503', async () => {
    const hook = await receiver((n) => (n === 0 ? 503 : 200));
    const m = new AlertManager([{ name: 'p99', metric: 'latency.p99', op: '>', threshold: 0.05 }], { webhooks: [{ url: hook.url, backoffMs: 10 }] });
    m.evaluate({ 'latency.p99': 0.2 }, 1);
    m.evaluate({ 'latency.p99': 0.3 }, 2);
    await m.settle();
    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({ rule: 'p99', status: 'firing', value: 0.2 });
    expect(m.stats()).toEqual({ notified: 1, sinkFailures: 0 });
  });

  it('counts a webhook that hangs or refuses as a failed delivery, without throwing', async () => {
    const hang = await receiver(() => 'hang');
    const refuse = await receiver(() => 400);
    const m = new AlertManager([{ name: 'x', metric: 'errors.rate', op: '>=', threshold: 0.1 }], {
      webhooks: [
        { url: hang.url, timeoutMs: 100, retries: 1, backoffMs: 10 },
        { url: refuse.url, retries: 3, backoffMs: 10 },
      ],
      onAlert: () => {
        throw new Error('a broken callback');
      },
    });
    expect(m.evaluate({ 'errors.rate': 0.5 })).toHaveLength(1);
    await m.settle();
    expect(m.stats()).toEqual({ notified: 1, sinkFailures: 3 });
    expect(refuse.bodies).toEqual([]);
  });

  it('refuses malformed rules with E_PARAM', () => {
    const ok = { name: 'a', metric: 'm', op: '>' as const, threshold: 1 };
    expect(() => new AlertManager([{ ...ok, op: '=>' as never }])).toThrow(/op must be one of/);
    expect(() => new AlertManager([{ ...ok, threshold: Number.NaN }])).toThrow(/threshold must be a finite number/);
    expect(() => new AlertManager([ok, ok])).toThrow(/two rules are named "a"/);
    expect(() => new AlertManager([{ ...ok, for: -1 }])).toThrow(/for and cooldownMs must be >= 0/);
    expect(() => new AlertManager([ok], { webhooks: [{ url: 'ftp://x' }] })).toThrow(/http\(s\) URL/);
    expect(() => new AlertManager([{ ...ok, severity: 'doom' as never }])).toThrow(/severity/);
  });
});

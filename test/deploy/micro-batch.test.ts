/**
 * Adaptive micro-batching: concurrent requests to a busy model are answered by fewer model calls,
 * each request gets exactly its own rows' answers (matrix and column-table inputs), a request the
 * model refuses fails alone, and an idle model answers at once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, Matrix, type KilnServer, type Predictor, type Schema } from '../../src/index.js';

const servers: KilnServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A slow asynchronous model (no sync path): each row's answer is a + 10 b (+ the length of `tag`); a = 666 makes it throw. */
function slowModel(): Predictor & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    async predict(X: Matrix | { rows: number; columns: Record<string, ArrayLike<unknown>> }) {
      await new Promise((r) => setTimeout(r, 15));
      const rows = X instanceof Matrix ? X.rows : X.rows;
      calls.push(rows);
      const a = (i: number) => (X instanceof Matrix ? X.data[i * X.cols] : (X.columns.a[i] as number));
      const b = (i: number) => (X instanceof Matrix ? X.data[i * X.cols + 1] : (X.columns.b[i] as number));
      const tag = (i: number) => (X instanceof Matrix ? 0 : String(X.columns.tag[i]).length);
      for (let i = 0; i < rows; i++) if (a(i) === 666) throw new Error('the model refuses 666');
      return Float64Array.from({ length: rows }, (_, i) => a(i) + 10 * b(i) + tag(i));
    },
  };
}

const numeric: Schema = { a: { type: 'number', nullable: false }, b: { type: 'number', nullable: false } };
const mixed: Schema = { ...numeric, tag: { type: 'string', nullable: false } };

async function start(schema: Schema, microBatch: boolean | object) {
  const model = slowModel();
  const server = await createServer({ model: { name: 'm', version: 1, model, inputSchema: schema }, microBatch, logger: false, defaultMetrics: false });
  servers.push(server);
  await server.loaded;
  model.calls.length = 0; // the warm-up call
  return { server, model };
}

const post = (s: KilnServer, body: object) => s.app.inject({ method: 'POST', url: '/predict', payload: body });

describe('microBatch', () => {
  it.each([
    ['matrix', numeric],
    ['column table', mixed],
  ] as const)('answers 30 concurrent requests (%s input) with fewer calls, each with its own rows', async (_name, schema) => {
    const { server, model } = await start(schema, true);
    const bodies = Array.from({ length: 30 }, (_, k) => ({
      rows: Array.from({ length: (k % 3) + 1 }, (_, j) => ({ a: k, b: j, ...(schema === mixed ? { tag: 'x'.repeat(j) } : {}) })),
    }));
    const answers = await Promise.all(bodies.map((b) => post(server, b)));
    answers.forEach((res, k) => {
      expect(res.statusCode).toBe(200);
      expect(res.json().predictions).toEqual(bodies[k].rows.map((_, j) => k + 10 * j + (schema === mixed ? j : 0)));
    });
    expect(model.calls.reduce((a, b) => a + b, 0)).toBe(bodies.reduce((a, b) => a + b.rows.length, 0));
    expect(model.calls.length).toBeLessThan(10); // the first alone, the rest gathered while it ran
    expect(model.calls[0]).toBe(1);
  });

  it('without it, every request is its own model call', async () => {
    const { server, model } = await start(numeric, false);
    await Promise.all(Array.from({ length: 10 }, (_, k) => post(server, { row: { a: k, b: 1 } })));
    expect(model.calls).toEqual(new Array(10).fill(1));
  });

  it('caps a gathered call at maxRows', async () => {
    const { server, model } = await start(numeric, { maxRows: 4, maxWaitMs: 1000 });
    await Promise.all(Array.from({ length: 13 }, (_, k) => post(server, { row: { a: k, b: 0 } })));
    expect(Math.max(...model.calls)).toBeLessThanOrEqual(4);
    expect(model.calls.reduce((a, b) => a + b, 0)).toBe(13);
  });

  it('a request the model refuses fails alone; the others in its batch are answered', async () => {
    const { server } = await start(numeric, true);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, k) => post(server, { row: { a: k === 5 ? 666 : k, b: 2 } })));
    answers.forEach((res, k) => {
      if (k === 5) expect(res.statusCode).toBe(500);
      else expect(res.json().predictions).toEqual([k + 20]);
    });
  });

  it('refuses bad settings, naming them', async () => {
    const model = { name: 'm', version: 1, model: slowModel(), inputSchema: numeric };
    await expect(createServer({ model, microBatch: { maxRows: 0 } })).rejects.toThrow(/microBatch.maxRows must be a positive integer/);
    await expect(createServer({ model, microBatch: { maxWaitMs: -1 } })).rejects.toThrow(/microBatch.maxWaitMs/);
    await expect(createServer({ model, microBatch: { maxWait: 1 } as never })).rejects.toThrow(/unknown option 'maxWait'/);
    await expect(createServer({ model, microBatch: 'yes' as never })).rejects.toMatchObject({ code: 'E_PARAM' });
  });
});

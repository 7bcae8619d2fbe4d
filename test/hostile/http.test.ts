/**
 * The HTTP server against hostile and careless clients, over real sockets on 127.0.0.1: slow
 * headers and bodies (slowloris), idle keep-alive sockets, oversized and deeply nested bodies,
 * non-JSON content types, schema columns named like Object.prototype keys, booleans for numbers,
 * 500s that must not leak internals, /models without paths; and one input contract for training
 * and serving (ISO dates, missing values only where training had them, range checks).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train } from '../../src/cli/train.js';
import { startServer } from '../../src/cli/serve.js';
import { createServer, LogisticRegression, ModelRegistry, readManifest, type KilnServer, type Predictor, type ServedModel } from '../../src/index.js';

const servers: { close(): Promise<void> }[] = [];
let dir: string;
let model: LogisticRegression;
const X = [
  [0, 1],
  [1, 0],
  [0, 2],
  [2, 0],
  [0, 3],
  [3, 0],
];
const y = ['a', 'b', 'a', 'b', 'a', 'b'];
const twoCols = { a: { type: 'number' as const, nullable: false }, b: { type: 'number' as const, nullable: false } };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-hostile-http-'));
  model = await new LogisticRegression().fit(X, y);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(opts: Partial<Parameters<typeof createServer>[0]> = {}, served?: ServedModel): Promise<{ server: KilnServer; url: string; port: number }> {
  const server = await createServer({ logger: false, defaultMetrics: false, model: served ?? { name: 'm', version: 1, model, inputSchema: twoCols }, ...opts });
  servers.push(server);
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  await server.loaded;
  return { server, url, port: Number(new URL(url).port) };
}

async function post(url: string, body: string, contentType = 'application/json'): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

/** A raw connection: what the server wrote before closing it, and after how many ms. */
function rawSession(port: number, drive: (socket: Socket) => void): Promise<{ text: string; ms: number }> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    const started = performance.now();
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      text += d;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => done({ text, ms: performance.now() - started }));
    drive(socket);
  });
}

/** Writes `data` one byte every `everyMs` until the socket closes. */
function trickle(socket: Socket, data: string, everyMs: number): void {
  let i = 0;
  const t = setInterval(() => {
    if (socket.destroyed || i >= data.length) {
      clearInterval(t);
      return;
    }
    socket.write(data[i++]);
  }, everyMs);
}

const jsonOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));

describe('slow clients and idle connections', () => {
  it('has safe timeouts by default: 30 s per request, 10 s for headers, 5 s keep-alive', async () => {
    const { server } = await start();
    expect(server.app.server.requestTimeout).toBe(30_000);
    expect(server.app.server.headersTimeout).toBe(10_000);
    expect(server.app.server.keepAliveTimeout).toBe(5_000);
  });

  it('cuts off a client trickling its body one byte per 50 ms with a 408 JSON error', async () => {
    const { port } = await start({ requestTimeout: 600, headersTimeout: 300 });
    const body = JSON.stringify({ rows: [{ a: 1, b: 2 }] });
    const r = await rawSession(port, (s) => {
      s.write(`POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      trickle(s, body, 50);
    });
    // the body would take 50 ms × 22 bytes = 1.1 s; the server closes near its 600 ms deadline
    expect(r.ms).toBeLessThan(1_100);
    expect(r.ms).toBeGreaterThan(500);
    expect(r.text.startsWith('HTTP/1.1 408 ')).toBe(true);
    expect(jsonOf(r.text).error.code).toBe('E_TIMEOUT');
  });

  it('cuts off a client trickling its headers (slowloris), and one that connects and sends nothing', async () => {
    const { port } = await start({ requestTimeout: 2_000, headersTimeout: 300 });
    const headers = await rawSession(port, (s) => {
      s.write('GET /health HTTP/1.1\r\nHost: x\r\n');
      trickle(s, 'X-Slow: 1\r\n'.repeat(200), 20);
    });
    expect(headers.ms).toBeLessThan(1_500);
    expect(headers.text.startsWith('HTTP/1.1 408 ')).toBe(true);
    expect(jsonOf(headers.text).error.message).toContain('headers within 300 ms');
    const silent = await rawSession(port, () => undefined);
    expect(silent.ms).toBeLessThan(1_500);
    expect(silent.text.startsWith('HTTP/1.1 408 ')).toBe(true);
  });

  it('closes many idle keep-alive sockets after keepAliveTimeout, and still answers', async () => {
    const { port, url, server } = await start({ keepAliveTimeout: 200 });
    const body = JSON.stringify({ row: { a: 1, b: 0 } });
    const sessions = Array.from({ length: 50 }, () =>
      rawSession(port, (s) => {
        s.write(`POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      }),
    );
    const done = await Promise.all(sessions);
    for (const r of done) {
      expect(r.text.startsWith('HTTP/1.1 200 ')).toBe(true);
      // Node keeps an idle socket for keepAliveTimeout plus its own one-second margin
      expect(r.ms).toBeLessThan(200 + 1_000 + 1_500);
    }
    const open = await new Promise<number>((res) => server.app.server.getConnections((_e, n) => res(n)));
    expect(open).toBe(0);
    expect((await post(url, body)).status).toBe(200);
  });

  it('refuses timeouts that are not positive integers, and headersTimeout above requestTimeout', async () => {
    await expect(createServer({ model: { name: 'm', version: 1, model }, logger: false, requestTimeout: 0 })).rejects.toMatchObject({
      code: 'E_PARAM',
      message: expect.stringContaining('requestTimeout'),
    });
    await expect(createServer({ model: { name: 'm', version: 1, model }, logger: false, requestTimeout: 1_000, headersTimeout: 2_000 })).rejects.toMatchObject({
      code: 'E_PARAM',
      message: expect.stringContaining('headersTimeout'),
    });
  });
});

describe('hostile bodies', () => {
  it('answers text/plain, form and unlabelled bodies with 415 E_MEDIA_TYPE', async () => {
    const { url } = await start();
    const body = JSON.stringify({ row: { a: 1, b: 0 } });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream']) {
      const r = await post(url, body, type);
      expect(r.status, type).toBe(415);
      expect(r.json.error.code).toBe('E_MEDIA_TYPE');
    }
    const bare = await fetch(`${url}/predict`, { method: 'POST', body: new Uint8Array(Buffer.from(body)) });
    expect(bare.status).toBe(415);
  });

  it('answers oversized bodies (declared or chunked) with 413 and keeps serving', async () => {
    const { url, port } = await start({ bodyLimit: 1_000 });
    const big = JSON.stringify({ rows: Array.from({ length: 200 }, () => ({ a: 1, b: 2 })) });
    const declared = await post(url, big);
    expect(declared.status).toBe(413);
    expect(declared.json.error.code).toBe('E_BODY_TOO_LARGE');
    expect(declared.json.error.requestId).toBe(declared.headers.get('x-request-id'));
    const chunked = await rawSession(port, (s) => {
      s.write('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n');
      for (let i = 0; i < 5; i++) s.write(`${(big.length / 5).toString(16)}\r\n${big.slice((i * big.length) / 5, ((i + 1) * big.length) / 5)}\r\n`);
      s.write('0\r\n\r\n');
    });
    expect(chunked.text.startsWith('HTTP/1.1 413 ')).toBe(true);
    expect(jsonOf(chunked.text).error).toMatchObject({ code: 'E_BODY_TOO_LARGE', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await post(url, JSON.stringify({ row: { a: 1, b: 0 } }))).status).toBe(200);
  });

  it('answers deeply nested JSON with a 400 naming the row, with a request id, and keeps serving', async () => {
    const { url } = await start({ bodyLimit: 4 << 20 });
    for (const depth of [1_000, 200_000]) {
      const arrays = await post(url, `{"rows":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      expect(arrays.status).toBe(400);
      expect(arrays.json.error).toMatchObject({ code: 'E_DTYPE', row: 0, problem: 'wrong_type' });
      const objects = await post(url, `{"rows":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`);
      expect(objects.status).toBe(400);
      expect(objects.json.error).toMatchObject({ code: 'E_DTYPE', row: 0, field: 'a' });
      // every error names its request, as the x-request-id header does
      expect(objects.json.error.requestId).toBe(objects.headers.get('x-request-id'));
      expect(objects.json.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await post(url, JSON.stringify({ row: { a: 1, b: 0 } }))).status).toBe(200);
  });

  it('refuses true and false for a numeric field with 400 naming the field', async () => {
    const { url } = await start();
    for (const v of [true, false]) {
      const r = await post(
        url,
        JSON.stringify({
          rows: [
            { a: 1, b: 0 },
            { a: v, b: 0 },
          ],
        }),
      );
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'E_DTYPE', row: 1, field: 'a', problem: 'wrong_type' });
      expect(r.json.error.message).toContain(`'a' must be a number, got boolean ${v}`);
    }
  });

  it('serves schema columns named constructor, toString, __proto__ and hasOwnProperty, end to end', async () => {
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
    const Xp = [
      [0, 1, 0, 1],
      [1, 0, 1, 0],
      [0, 2, 0, 2],
      [2, 0, 2, 0],
      [0, 3, 1, 2],
      [3, 0, 2, 1],
    ];
    const fitted = await new LogisticRegression().fit(Xp, y);
    // JSON.parse, as a manifest is read: each name is an own key of the schema
    const inputSchema = JSON.parse(`{${names.map((n) => `"${n}": { "type": "number", "nullable": false }`).join(',')}}`);
    const { url } = await start({}, { name: 'proto', version: 1, model: fitted, inputSchema });
    const rowText = (r: number[]) => `{${names.map((n, j) => `"${n}": ${r[j]}`).join(',')}}`;
    const ok = await post(url, `{"rows":[${Xp.map(rowText).join(',')}]}`);
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.predictions).toEqual(await fitted.predict(Xp));
    // a row without them: each is missing, not read from Object.prototype
    for (const n of names) {
      const without = `{${names
        .filter((m) => m !== n)
        .map((m) => `"${m}": 1`)
        .join(',')}}`;
      const r = await post(url, `{"row":${without}}`);
      expect(r.status, n).toBe(400);
      expect(r.json.error).toMatchObject({ field: n, problem: 'missing' });
    }
  });

  it('hands a column table with Object.prototype-named columns to the model as own keys', async () => {
    let seen: Record<string, unknown> | undefined;
    const echo: Predictor = {
      predict(t: { columns: Record<string, unknown> }) {
        seen = t.columns;
        return ['ok'];
      },
    };
    const inputSchema = JSON.parse('{"__proto__": { "type": "string", "nullable": false }, "toString": { "type": "number", "nullable": false }}');
    const { url } = await start({}, { name: 'table', version: 1, model: echo, inputSchema });
    const r = await post(url, '{"row":{"__proto__":"red","toString":2}}');
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(Object.keys(seen!).sort()).toEqual(['__proto__', 'toString']);
    expect(Object.getOwnPropertyDescriptor(seen, '__proto__')?.value).toEqual(['red']);
    expect(Array.from(seen!.toString as unknown as Float64Array)).toEqual([2]);
  });
});

describe('fuzzed request bodies', () => {
  it('answers 1,000 mutated bodies with 200 or a JSON 4xx naming its request, never a 500', async () => {
    const { url } = await start({ bodyLimit: 64 << 10 });
    let seed = 12345;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const hostile = [
      'true',
      'false',
      'null',
      '"1"',
      '""',
      '"NaN"',
      '1e309',
      '-1e309',
      '-0',
      '5e-324',
      '[]',
      '{}',
      '[1,2]',
      '{"a":1}',
      `"${'x'.repeat(5_000)}"`,
      '"__proto__"',
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      `${'['.repeat(500)}${']'.repeat(500)}`,
      '1.5',
      '-3',
      '0',
    ];
    const keys = ['a', 'b', '__proto__', 'constructor', 'toString', 'rows', 'row', 'instances', 'probabilities', 'key', ''];
    const field = () => (rand() < 0.7 ? String(Math.round(rand() * 40 - 20) / 4) : pick(hostile));
    const rowText = () => {
      const parts = [];
      if (rand() < 0.9) parts.push(`"a":${field()}`);
      if (rand() < 0.9) parts.push(`"b":${field()}`);
      if (rand() < 0.2) parts.push(`${JSON.stringify(pick(keys))}:${pick(hostile)}`);
      return `{${parts.join(',')}}`;
    };
    const bodyText = () => {
      const n = 1 + Math.floor(rand() * 4);
      const rows = Array.from({ length: n }, rowText).join(',');
      const shapes = [
        `{"rows":[${rows}]}`,
        `{"row":${rowText()}}`,
        `{"instances":[[${field()},${field()}]]}`,
        `{"rows":[${rows}],"row":${rowText()}}`,
        `{"rows":${pick(hostile)}}`,
        pick(hostile),
        `[${rows}]`,
        `{"rows":[${rows}],"probabilities":${pick(hostile)},"key":${pick(hostile)}}`,
      ];
      let text = pick(shapes);
      const r = rand();
      if (r < 0.08)
        text = text.slice(0, Math.floor(rand() * text.length)); // truncated
      else if (r < 0.14) {
        const at = Math.floor(rand() * text.length);
        text = text.slice(0, at) + pick(['\u0000', '"', '}', ',', '\\', '\u00ff', '\ud800']) + text.slice(at);
      }
      return text;
    };
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 1_000; i++) {
      const text = bodyText();
      const r = await post(url, text);
      const code = r.status === 200 ? 'ok' : r.json?.error?.code;
      outcomes[`${r.status} ${code}`] = (outcomes[`${r.status} ${code}`] ?? 0) + 1;
      expect([200, 400, 413], text.slice(0, 200)).toContain(r.status);
      if (r.status === 200) {
        expect(Array.isArray(r.json.predictions)).toBe(true);
        for (const p of r.json.predictions) expect(['a', 'b']).toContain(p);
      } else {
        expect(typeof r.json.error.code, text.slice(0, 200)).toBe('string');
        expect(r.json.error.requestId).toBe(r.headers.get('x-request-id'));
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // both kinds of outcome occur: the fuzz reaches the model and the checks
    expect(outcomes['200 ok']).toBeGreaterThan(50);
    expect(Object.keys(outcomes).filter((k) => k.startsWith('400')).length).toBeGreaterThan(2);
    console.log('fuzzed bodies:', JSON.stringify(outcomes));
  });
});

describe('server failures', () => {
  it('answers 500 with a request id only; the message goes to the log under that id', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      {
        write: (s: string) => {
          lines.push(s);
        },
      },
    );
    let calls = 0; // the warm-up prediction succeeds; the request's fails
    const broken: Predictor = {
      predict() {
        if (calls++ > 0) throw new TypeError("cannot read '/srv/secret/weights.bin' (fd 17)");
        return new Float64Array([0]);
      },
    };
    const { url } = await start({ logger }, { name: 'broken', version: 1, model: broken, inputSchema: twoCols });
    const r = await post(url, JSON.stringify({ row: { a: 1, b: 0 } }));
    expect(r.status).toBe(500);
    expect(r.json.error.code).toBe('E_INTERNAL');
    const id = r.headers.get('x-request-id')!;
    expect(r.json.error.requestId).toBe(id);
    expect(JSON.stringify(r.json)).not.toMatch(/secret|weights|TypeError|fd 17/);
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.requestId === id);
    expect(logged).toMatchObject({ status: 500, message: "cannot read '/srv/secret/weights.bin' (fd 17)" });
  });

  it('logs a warning when it listens beyond this machine without a token, and not on loopback or with one', async () => {
    const events = async (host: string, token?: string) => {
      const lines: string[] = [];
      const logger = pino(
        { level: 'info' },
        {
          write: (s: string) => {
            lines.push(s);
          },
        },
      );
      const server = await createServer({ model: { name: 'm', version: 1, model }, logger, defaultMetrics: false, ...(token ? { token } : {}) });
      servers.push(server);
      await server.listen({ port: 0, host });
      return lines.map((l) => JSON.parse(l).event as string);
    };
    expect(await events('0.0.0.0')).toContain('unprotected');
    expect(await events('0.0.0.0', 's3cret')).not.toContain('unprotected');
    expect(await events('127.0.0.1')).toEqual(expect.arrayContaining(['listening']));
    expect(await events('127.0.0.1')).not.toContain('unprotected');
  });

  it('/models shows no absolute paths', async () => {
    const regPath = join(dir, 'models.db');
    const reg = await ModelRegistry.open(regPath);
    await reg.promote('m', await reg.register('m', { artifact: model, meta: { inputSchema: twoCols } }));
    reg.close();
    const server = await createServer({ registry: regPath, name: 'm', logger: false, defaultMetrics: false });
    servers.push(server);
    const url = await server.listen({ port: 0 });
    await server.loaded;
    const text = await (await fetch(`${url}/models`)).text();
    expect(JSON.parse(text).variants[0].version).toBe(1);
    expect(text).not.toContain(dir);
    expect(text).not.toMatch(/"\/[^"]*\.(kiln|db)"/);
  });
});

describe('one input contract for training and serving', () => {
  let path: string;

  beforeAll(async () => {
    // x never missing, colour sometimes missing, when an ISO timestamp; y from x and the hour
    const lines = ['when,x,colour,y'];
    for (let i = 0; i < 160; i++) {
      const hour = i % 24,
        x = ((i * 37) % 100) / 50 - 1;
      const colour = i % 11 === 0 ? '' : ['red', 'green', 'blue'][i % 3];
      lines.push(
        `2024-03-${String(1 + (i % 28)).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z,${x},${colour},${x + (hour >= 12 ? 0.8 : 0) > 0.4 ? 'yes' : 'no'}`,
      );
    }
    writeFileSync(join(dir, 'dated.csv'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(dir, 'dated.yaml'),
      [
        'data: { source: dated.csv }',
        'target: y',
        'task: classification',
        'features: { numeric: [x], categorical: [colour], datetime: [when] }',
        'preprocessing: { dateParts: [hour] }',
        'model: { class: GradientBoostingClassifier, params: { nEstimators: 15, minDataInLeaf: 3 } }',
        'metrics: [accuracy]',
        'output: dated.kiln',
      ].join('\n'),
    );
    path = (await train(join(dir, 'dated.yaml'), { progress: false }, () => undefined)).output;
  });

  it('records which columns held missing values and which are dates', async () => {
    const schema = (await readManifest(path)).inputSchema!;
    expect(schema.x).toMatchObject({ type: 'number', nullable: false });
    expect(schema.colour).toMatchObject({ type: 'string', nullable: true });
    expect(schema.when).toMatchObject({ type: 'number', nullable: false, datetime: true });
  });

  it('/predict takes ISO dates as training read them, and refuses omissions where training had none', async () => {
    const server = await startServer({ model: path, port: 0, logLevel: 'silent' });
    servers.push(server);
    const url = server.address;
    const rows = [
      { when: '2024-03-05T15:00:00Z', x: 0.1, colour: 'red' },
      { when: '2024-03-05T03:00:00Z', x: 0.1, colour: null },
      { when: '2024-03-06T20:30:00.000Z', x: -0.5 }, // colour omitted: training had missing colours
    ];
    const iso = await post(url, JSON.stringify({ rows }));
    expect(iso.status, JSON.stringify(iso.json)).toBe(200);
    // the same rows with the dates as epoch ms answer the same
    const ms = await post(url, JSON.stringify({ rows: rows.map((r) => ({ ...r, when: Date.parse(r.when) })) }));
    expect(ms.json.predictions).toEqual(iso.json.predictions);
    expect(ms.json.probabilities).toEqual(iso.json.probabilities);
    expect(iso.json.predictions.slice(0, 2)).toEqual(['yes', 'no']); // afternoon vs night, same x

    const omitted = await post(url, JSON.stringify({ row: { when: '2024-03-05T15:00:00Z', colour: 'red' } }));
    expect(omitted.status).toBe(400);
    expect(omitted.json.error).toMatchObject({ field: 'x', problem: 'missing' });
    const nullDate = await post(url, JSON.stringify({ row: { when: null, x: 0.1, colour: 'red' } }));
    expect(nullDate.status).toBe(400);
    expect(nullDate.json.error).toMatchObject({ field: 'when', problem: 'nulls' });
    const badDate = await post(url, JSON.stringify({ row: { when: 'next tuesday', x: 0.1, colour: 'red' } }));
    expect(badDate.status).toBe(400);
    expect(badDate.json.error).toMatchObject({ code: 'E_DTYPE', field: 'when', problem: 'wrong_type' });
  });

  it("checkRanges 'warn' answers and lists values outside the training ranges; true refuses them", async () => {
    const schema = { a: { type: 'number' as const, nullable: false, min: 0, max: 3 }, b: { type: 'number' as const, nullable: false, min: 0, max: 3 } };
    const served = { name: 'm', version: 1, model, inputSchema: schema };
    const body = JSON.stringify({
      rows: [
        { a: 1, b: 2 },
        { a: 9, b: -1 },
      ],
    });
    const warn = await post((await start({ checkRanges: 'warn' }, served)).url, body);
    expect(warn.status).toBe(200);
    expect(warn.json.predictions).toHaveLength(2);
    expect(warn.headers.get('x-kiln-warnings')).toBe('2');
    expect(warn.json.warnings).toEqual(["rows[1]: 'a' is 9, above the schema's maximum 3", "rows[1]: 'b' is -1, below the schema's minimum 0"]);
    const strict = await post((await start({ checkRanges: true }, served)).url, body);
    expect(strict.status).toBe(400);
    expect(strict.json.error).toMatchObject({ row: 1, field: 'a', problem: 'above_max' });
    const off = await post((await start({}, served)).url, body);
    expect(off.status).toBe(200);
    expect(off.json.warnings).toBeUndefined();
  });
});

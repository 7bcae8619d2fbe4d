/**
 * A registry whose store or database was tampered with: artifact bytes that are not the ones
 * registered, digests in crafted rows that would walk out of the store, and promotions of a
 * version that cannot predict. Nothing tampered is loaded, nothing outside the store is read,
 * and a version that fails its warm-up never goes live.
 */
import { createRequire } from 'node:module';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, encodeModel, LogisticRegression, ModelRegistry } from '../../src/index.js';
import { loadArtifact } from '../../src/deploy/server/registry-open.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-hostile-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const Database = createRequire(import.meta.url)('better-sqlite3');
const code = (c: string) => expect.objectContaining({ code: c });

const X = [
    [1, 2],
    [2, 1],
    [3, 4],
    [4, 3],
    [5, 6],
    [6, 5],
  ],
  y = ['no', 'no', 'no', 'yes', 'yes', 'yes'];
const inputSchema = { tenure: { type: 'number' as const, nullable: false }, spend: { type: 'number' as const, nullable: false } };
let n = 0;
async function registryWithVersion(): Promise<{ reg: ModelRegistry; path: string }> {
  const path = join(dir, `r${n++}.db`);
  const reg = await ModelRegistry.open(path);
  await reg.register('churn', { artifact: await new LogisticRegression().fit(X, y), meta: { inputSchema } });
  return { reg, path };
}

/** Rewrites a version's row the way someone with write access to the database file could. */
function craftRow(path: string, version: number, sha: string): void {
  const raw = new Database(path);
  raw.prepare('UPDATE versions SET artifact_sha256 = ? WHERE version = ?').run(sha, version);
  raw.close();
}

describe('hostile: registry artifacts', () => {
  it('bytes that are not the registered ones are E_MODEL_FORMAT on every load path, even when they form a valid model file', async () => {
    const { reg } = await registryWithVersion();
    try {
      const v = reg.resolve('churn', 1);
      // a different, intact model file in place of the registered one: only the recorded SHA-256 can tell
      const other = await encodeModel(
        await new LogisticRegression({ C: 0.01 }).fit(
          X,
          y.map((c) => (c === 'no' ? 'yes' : 'no')),
        ),
        { inputSchema },
      );
      writeFileSync(v.artifactPath, other.bytes);
      await expect(reg.load('churn', 1)).rejects.toThrowError(code('E_MODEL_FORMAT'));
      await expect(reg.load('churn', 1)).rejects.toThrowError(/SHA-256 .* not the .* recorded/);
      await expect(loadArtifact(v.artifactPath, v)).rejects.toThrowError(code('E_MODEL_FORMAT')); // what the server loads with
      await expect(reg.promote('churn', 1)).rejects.toThrowError(code('E_MODEL_FORMAT'));
      expect(reg.listAliases('churn')).toEqual([]); // nothing was promoted
      expect((await reg.verify()).problems.join('\n')).toMatch(/does not match its SHA-256/);
    } finally {
      reg.close();
    }
  });

  it('a crafted row whose digest is a path (relative or absolute) never resolves outside the store: E_REGISTRY', async () => {
    const { reg, path } = await registryWithVersion();
    const outside = join(dir, 'outside.kiln');
    copyFileSync(reg.resolve('churn', 1).artifactPath, outside); // a readable model file outside the store
    reg.close();
    for (const sha of [
      `${'../'.repeat(18)}etc/passwd`, // 64 characters: the column's length check alone lets it through
      `${outside.slice(0, -'.kiln'.length)}`.padEnd(64, '/').slice(0, 64),
      'A'.repeat(64), // hex-looking, but not the store's lowercase digests
    ]) {
      expect(sha).toHaveLength(64);
      craftRow(path, 1, sha);
      const r = await ModelRegistry.open(path, { readonly: true });
      try {
        expect(() => r.resolve('churn', 1)).toThrowError(code('E_REGISTRY'));
        expect(() => r.resolve('churn', 1)).toThrowError(/not a SHA-256/);
        await expect(r.load('churn', 1)).rejects.toThrowError(code('E_REGISTRY'));
        const { ok, problems } = await r.verify();
        expect(ok).toBe(false);
        expect(problems.join('\n')).toMatch(/churn v1: .*not a SHA-256/);
      } finally {
        r.close();
      }
    }
  });
});

describe('hostile: promote and hot swap with a failing warm-up', () => {
  // v2 is intact but was saved with a schema that does not fit it: 3 columns for a model fitted on 2
  const badSchema = { ...inputSchema, extra: { type: 'number' as const, nullable: false } };

  it('promote refuses a version whose warm-up prediction fails; the old version stays aliased and the caller gets the error', async () => {
    const { reg } = await registryWithVersion();
    try {
      await reg.promote('churn', 1);
      const v2 = await reg.register('churn', { artifact: await new LogisticRegression().fit(X, y), meta: { inputSchema: badSchema } });
      const err = await reg.promote('churn', v2).then(
        () => ({ code: 'none', message: 'promote resolved' }),
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err).toEqual(code('E_SHAPE')); // the prediction's own error
      expect(err.message).toMatch(/promote: version 2 of 'churn' failed to load or warm up, so 'production' still points to v1/);
      expect(reg.resolve('churn', 'production').version).toBe(1);
      expect(
        reg
          .audit('churn')
          .filter((e) => e.action === 'promote')
          .map((e) => e.version),
      ).toEqual([1]);
      // a version with a fitting schema warms up and is promoted
      const v3 = await reg.register('churn', { artifact: await new LogisticRegression({ C: 2 }).fit(X, y), meta: { inputSchema } });
      await reg.promote('churn', v3);
      expect(reg.resolve('churn', 'production').version).toBe(3);
    } finally {
      reg.close();
    }
  });

  it('the server keeps serving the old version when the alias moves to one whose warm-up fails', async () => {
    const { reg, path } = await registryWithVersion();
    const errors: unknown[] = [];
    const server = await createServer({ registry: path, name: 'churn', logger: false, defaultMetrics: false, pollMs: 60_000 });
    try {
      await reg.promote('churn', 1);
      await server.reload();
      expect(server.live.primary).toEqual({ name: 'churn', version: 1 });
      const v2 = await reg.register('churn', { artifact: await new LogisticRegression({ C: 3 }).fit(X, y), meta: { inputSchema: badSchema } });
      reg.setAlias('churn', 'production', v2); // moved by something that skipped promote's warm-up (another tool, an older kiln)
      await server.reload().catch((e: unknown) => errors.push(e));
      expect(errors).toHaveLength(1);
      expect(String((errors[0] as Error).message)).toMatch(/warm-up of churn v2 failed, so it was not put live/);
      expect(server.live.primary).toEqual({ name: 'churn', version: 1 });
      const url = await server.listen({ port: 0, host: '127.0.0.1' });
      const res = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ row: { tenure: 5, spend: 6 } }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { model: unknown }).model).toEqual({ name: 'churn', version: 1 });
    } finally {
      await server.close();
      reg.close();
    }
  });
});

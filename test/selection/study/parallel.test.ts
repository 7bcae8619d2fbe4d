/**
 * optimize({ nJobs }): trials run concurrently in one process (the objective awaits), sharing the
 * study's storage; failures, aborts and a killed process behave as with nJobs 1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudy, GridSampler, RandomSampler, TPESampler, type Trial } from '../../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-pstudy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { onWarning: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('optimize with nJobs', () => {
  it('runs nTrials with trials overlapping in time, and stores them consistently in SQLite', async () => {
    const path = join(dir, 'p.db');
    const study = await createStudy({ storage: path, studyName: 'p', sampler: new RandomSampler({ seed: 1 }) });
    const spans: [number, number][] = [];
    let running = 0,
      peak = 0;
    await study.optimize(
      async (t) => {
        const start = performance.now();
        peak = Math.max(peak, ++running);
        const x = t.suggestFloat('x', -1, 1);
        t.report(x, 0);
        await sleep(20 + (t.number % 3) * 10);
        running--;
        spans.push([start, performance.now()]);
        return x * x;
      },
      { nTrials: 9, nJobs: 3 },
    );
    expect(peak).toBe(3);
    spans.sort((a, b) => a[0] - b[0]);
    const overlaps = spans.slice(1).filter((s, i) => s[0] < spans[i][1]).length;
    expect(overlaps).toBeGreaterThan(0);
    const rows = study.trials;
    expect(rows.map((r) => r.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.every((r) => r.state === 'COMPLETE' && r.value === (r.params.x as number) ** 2 && r.intermediateValues[0] === r.params.x)).toBe(true);
    // the file holds the same rows, as a second connection reads them
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path, { readonly: true });
    const states = db.prepare('SELECT state, COUNT(*) AS n FROM trials GROUP BY state').all();
    expect(states).toEqual([{ state: 'COMPLETE', n: 9 }]);
    expect((db.prepare('SELECT COUNT(*) AS n FROM trial_params').get() as { n: number }).n).toBe(9);
    db.close();
    const again = await createStudy({ storage: path, studyName: 'p', loadIfExists: true });
    expect(again.trials).toEqual(rows);
    again.close();
    study.close();
  });

  it('a seeded random sampler gives each trial the same parameters whatever nJobs is; a grid runs every point', async () => {
    const objective = async (t: Trial) => {
      const x = t.suggestFloat('x', 0, 1);
      const k = t.suggestInt('k', 1, 9);
      await sleep((t.number * 7) % 5);
      return x + k;
    };
    const paramsOf = async (nJobs: number) => {
      const s = await createStudy({ sampler: new RandomSampler({ seed: 11 }) });
      await s.optimize(objective, { nTrials: 12, nJobs });
      return s.trials.map((r) => r.params);
    };
    const one = await paramsOf(1);
    expect(await paramsOf(4)).toEqual(one);
    const grid = async (nJobs: number) => {
      const s = await createStudy({ sampler: new GridSampler({ x: [0, 0.5, 1], k: [1, 2] }, { seed: 3 }) });
      await s.optimize(objective, { nTrials: 20, nJobs });
      return s.trials.map((r) => `${r.params.x}/${r.params.k}`);
    };
    // every point runs; as with Optuna's n_jobs, a point still running when the free ones are
    // used up may be run again by a concurrent trial before the study stops
    const g = await grid(3);
    expect(new Set(g)).toEqual(new Set(await grid(1)));
    expect(new Set(g).size).toBe(6);
    expect(g.length).toBeLessThanOrEqual(6 + 2);
  });

  it('a throwing trial is marked FAIL while the others go on; catch: false rejects after the running trials end', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    const warnings: string[] = [];
    await study.optimize(
      async (t) => {
        const x = t.suggestFloat('x', 0, 1);
        await sleep(5);
        if (t.number === 2) throw new Error('boom');
        return x;
      },
      { nTrials: 6, nJobs: 2, onWarning: (m) => void warnings.push(m) },
    );
    expect(study.trials.map((r) => r.state)).toEqual(['COMPLETE', 'COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
    expect(warnings).toEqual([expect.stringMatching(/Trial 2 failed: boom/)]);

    const strict = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    const run = strict.optimize(
      async (t) => {
        if (t.number === 1) throw new Error('fatal');
        await sleep(30);
        return t.suggestFloat('x', 0, 1);
      },
      { nTrials: 10, nJobs: 3, catch: false },
    );
    await expect(run).rejects.toThrow('fatal');
    const rows = strict.trials;
    expect(rows.every((r) => r.state !== 'RUNNING')).toBe(true);
    expect(rows[1].state).toBe('FAIL');
    expect(rows.length).toBe(3); // no trial started after the failure
  });

  it('an AbortSignal stops every loop: no trial starts after it, the running ones end FAIL, optimize rejects with its reason', async () => {
    const ac = new AbortController();
    const study = await createStudy({ sampler: new RandomSampler({ seed: 5 }) });
    let abortedAt = 0;
    const run = study.optimize(
      async (t) => {
        const x = t.suggestFloat('x', 0, 1);
        if (t.number === 5) {
          abortedAt = Date.now();
          ac.abort(new Error('stop now'));
        }
        await sleep(10);
        return x;
      },
      { signal: ac.signal, nJobs: 3, ...quiet },
    );
    await expect(run).rejects.toThrow('stop now');
    const rows = study.trials;
    expect(rows.every((r) => r.state === 'COMPLETE' || r.state === 'FAIL')).toBe(true);
    expect(rows.filter((r) => r.state === 'FAIL').length).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => (r.datetimeStart as Date).getTime() <= abortedAt)).toBe(true);
    expect(rows.length).toBeLessThanOrEqual(8);
  });

  it('multivariate TPE keeps each running trial its own joint draw', async () => {
    const study = await createStudy({ sampler: new TPESampler({ seed: 3, multivariate: true, nStartupTrials: 3 }) });
    await study.optimize(
      async (t) => {
        const x = t.suggestFloat('x', -1, 1);
        await sleep(3 + (t.number % 4));
        const y = t.suggestFloat('y', -1, 1); // suggested after other trials have finished meanwhile
        return x * x + y * y;
      },
      { nTrials: 15, nJobs: 3 },
    );
    const rows = study.trials;
    expect(rows.every((r) => r.state === 'COMPLETE' && r.value === (r.params.x as number) ** 2 + (r.params.y as number) ** 2)).toBe(true);
    expect(rows.every((r) => Math.abs(r.params.x as number) <= 1 && Math.abs(r.params.y as number) <= 1)).toBe(true);
  });

  it('a module objective runs its trials in worker threads: CPU-bound trials overlap, pruned and failed trials are kept', async () => {
    const mod = join(dir, 'objective.mjs');
    writeFileSync(
      mod,
      `import { threadId } from 'node:worker_threads';
export function busy(trial) {
  const x = trial.suggestFloat('x', -1, 1);
  const k = trial.suggestCategorical('k', ['a', 'b']);
  const start = Date.now();
  while (Date.now() - start < 60) {} // CPU-bound: only threads overlap this
  trial.setUserAttr('span', [start, Date.now(), threadId]);
  trial.report(x, 0);
  if (trial.number === 3) { const e = new Error('pruned here'); e.name = 'TrialPruned'; throw e; }
  if (trial.number === 4) throw new Error('boom in a thread');
  return x * x + (k === 'a' ? 0 : 1);
}
`,
    );
    const study = await createStudy({ sampler: new RandomSampler({ seed: 9 }) });
    await study.optimize({ module: mod, export: 'busy' }, { nTrials: 6, nJobs: 2, ...quiet });
    const rows = study.trials;
    expect(rows.map((r) => r.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'PRUNED', 'FAIL', 'COMPLETE']);
    expect(rows[4].systemAttrs.failReason).toBe('boom in a thread');
    expect(rows[3].value).toBe(rows[3].params.x);
    for (const r of rows.filter((t) => t.state === 'COMPLETE')) expect(r.value).toBe((r.params.x as number) ** 2 + (r.params.k === 'a' ? 0 : 1));
    // the same parameters as the seeded sampler gives in this thread
    const local = await createStudy({ sampler: new RandomSampler({ seed: 9 }) });
    await local.optimize((t) => t.suggestFloat('x', -1, 1) + (t.suggestCategorical('k', ['a', 'b']) === 'a' ? 0 : 1), { nTrials: 6 });
    expect(rows.map((r) => r.params)).toEqual(local.trials.map((r) => r.params));
    const spans = rows.map((r) => r.userAttrs.span as [number, number, number]).sort((a, b) => a[0] - b[0]);
    expect(new Set(spans.map((s) => s[2])).size).toBe(2);
    expect(spans.slice(1).some((s, i) => s[0] < spans[i][1])).toBe(true);
    await expect(study.optimize({ module: mod, export: 'missing' }, { nTrials: 1, catch: false })).rejects.toThrowError(/exports no function named 'missing'/);
    await expect(study.optimize({ module: 3 } as never, { nTrials: 1 })).rejects.toThrowError(/module/);
  }, 60_000);

  it('aborting ends the threads of a module objective that never returns', async () => {
    const mod = join(dir, 'forever.mjs');
    writeFileSync(mod, 'export default (trial) => { trial.suggestFloat("x", 0, 1); for (;;) {} };\n');
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    const ac = new AbortController();
    // aborted once both threads are inside their objective (their start takes long under load)
    const started = setInterval(() => {
      if (study.trials.filter((r) => typeof r.params.x === 'number').length === 2) {
        clearInterval(started);
        ac.abort(new Error('enough'));
      }
    }, 20);
    await expect(study.optimize({ module: mod }, { nTrials: 4, nJobs: 2, signal: ac.signal, ...quiet })).rejects.toThrow('enough');
    clearInterval(started);
    expect(study.trials.map((r) => r.state)).toEqual(['FAIL', 'FAIL']);
    expect(study.trials.every((r) => typeof r.params.x === 'number')).toBe(true);
  }, 30_000);

  it('refuses a bad nJobs', async () => {
    const study = await createStudy();
    await expect(study.optimize(() => 1, { nTrials: 1, nJobs: 0 })).rejects.toThrowError(
      expect.objectContaining({ code: 'E_PARAM', message: expect.stringMatching(/nJobs/) }),
    );
    await expect(study.optimize(() => 1, { nTrials: 1, nJobs: 1.5 })).rejects.toThrowError(/nJobs must be an integer/);
  });

  it('a process killed by SIGKILL with several trials running resumes: the running ones are FAIL, the rest kept', async () => {
    const path = join(dir, 'kill.db');
    const script = join(dir, 'child.mts');
    const src = new URL('../../../src/index.ts', import.meta.url).pathname;
    writeFileSync(
      script,
      `import { createStudy, RandomSampler } from ${JSON.stringify(src)};
const study = await createStudy({ storage: ${JSON.stringify(path)}, studyName: 'k', loadIfExists: true, sampler: new RandomSampler({ seed: 3 }) });
await study.optimize(async (t) => {
  const x = t.suggestFloat('x', 0, 1);
  t.report(x, 0);
  process.stdout.write('trial ' + t.number + '\\n');
  await new Promise((r) => setTimeout(r, t.number >= 4 ? 60_000 : 5)); // killed while trials 4 and 5 run
  return x;
}, { nTrials: 10, nJobs: 2 });
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env } });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('trial 4') && out.includes('trial 5')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`child ended early (${code}): ${out}`)));
    });
    await new Promise((r) => child.once('exit', r));
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.message);
    process.on('warning', onWarning);
    const study = await createStudy({ storage: path, studyName: 'k', loadIfExists: true, sampler: new RandomSampler({ seed: 4 }) });
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    expect(warnings.some((w) => /trials 4, 5 were RUNNING in a process that ended/.test(w))).toBe(true);
    const rows = study.trials;
    expect(rows.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL', 'FAIL']);
    expect(rows[5].params.x).toBe(rows[5].intermediateValues[0]);
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 6, nJobs: 2 });
    expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(10);
    study.close();
  }, 60_000);
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudy, GridSampler, RandomSampler, SuccessiveHalvingPruner, TPESampler, TrialPruned } from '../../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-study-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite storage', () => {
  it('persists every trial field and resumes by name', async () => {
    const path = join(dir, 'a.db');
    const s1 = await createStudy({ storage: `sqlite:///${path}`, studyName: 'demo', direction: 'maximize', sampler: new RandomSampler({ seed: 1 }) });
    s1.enqueueTrial({ lr: 0.5 });
    await s1.optimize(
      (t) => {
        const lr = t.suggestFloat('lr', 1e-3, 1, { log: true });
        const k = t.suggestCategorical('k', ['a', null, true, 3]);
        t.setUserAttr('note', { n: t.number });
        t.report(lr, 0);
        t.report(Number.NaN, 1);
        if (t.number === 2) throw new TrialPruned();
        if (t.number === 3) throw new Error('bad');
        return lr + (k === 'a' ? 1 : 0);
      },
      { nTrials: 5, onWarning: () => {} },
    );
    const before = s1.trials;
    s1.close();
    const s2 = await createStudy({ storage: path, studyName: 'demo', direction: 'maximize', loadIfExists: true });
    const after = s2.trials;
    expect(after).toEqual(before);
    expect(after.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'PRUNED', 'FAIL', 'COMPLETE']);
    expect(after[0].params.lr).toBe(0.5);
    expect(Number.isNaN(after[1].intermediateValues[1])).toBe(true);
    expect(after[2].value).toBeNull(); // its last reported value is NaN, so no value (as Optuna)
    expect(after[3].systemAttrs.failReason).toBe('bad');
    expect(after[4].userAttrs.note).toEqual({ n: 4 });
    expect(s2.bestTrial).toEqual(s1.bestTrial);
    await s2.optimize((t) => t.suggestFloat('lr', 1e-3, 1, { log: true }), { nTrials: 2 });
    expect(s2.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    s2.close();
  });

  it('refuses to reuse a name without loadIfExists, a changed direction, and foreign files', async () => {
    const path = join(dir, 'b.db');
    (await createStudy({ storage: path, studyName: 's' })).close();
    await expect(createStudy({ storage: path, studyName: 's' })).rejects.toThrowError(/already exists.*loadIfExists/);
    await expect(createStudy({ storage: path, studyName: 's', direction: 'maximize', loadIfExists: true })).rejects.toThrowError(/minimize/);
    await expect(createStudy({ storage: path, loadIfExists: true })).rejects.toThrowError(/studyName/);
    const other = await createStudy({ storage: path, studyName: 'other' });
    expect(other.trials).toEqual([]);
    other.close();
    const foreign = join(dir, 'foreign.db');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(foreign);
    db.exec('CREATE TABLE t (x)');
    db.close();
    await expect(createStudy({ storage: foreign, studyName: 's' })).rejects.toThrowError(/not a kiln study file/);
  });

  it('keeps successive-halving rungs and the TPE history across a resume', async () => {
    const path = join(dir, 'c.db');
    const objective = (t: import('../../../src/index.js').Trial) => {
      const x = t.suggestFloat('x', 0, 1);
      for (let s = 0; s < 8; s++) {
        t.report(x + 1 / (s + 1), s);
        if (t.shouldPrune()) throw new TrialPruned();
      }
      return x;
    };
    const s1 = await createStudy({
      storage: path,
      studyName: 'r',
      sampler: new TPESampler({ seed: 2 }),
      pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
    });
    await s1.optimize(objective, { nTrials: 6 });
    const rungs = s1.trials.map((t) => Object.keys(t.systemAttrs).filter((k) => k.startsWith('completedRung')));
    s1.close();
    const s2 = await createStudy({
      storage: path,
      studyName: 'r',
      loadIfExists: true,
      pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
    });
    expect(s2.trials.map((t) => Object.keys(t.systemAttrs).filter((k) => k.startsWith('completedRung')))).toEqual(rungs);
    expect(rungs.flat().length).toBeGreaterThan(0);
    s2.close();
  });

  it("two connections to one study see each other's trials; a grid resumes with the points left", async () => {
    const path = join(dir, 'shared.db');
    const a = await createStudy({ storage: path, studyName: 'g', sampler: new GridSampler({ x: [1, 2, 3, 4, 5] }, { seed: 1 }) });
    const b = await createStudy({ storage: path, studyName: 'g', loadIfExists: true, sampler: new GridSampler({ x: [1, 2, 3, 4, 5] }, { seed: 2 }) });
    const objective = (t: import('../../../src/index.js').Trial) => t.suggestInt('x', 1, 5);
    await a.optimize(objective, { nTrials: 2 });
    await b.optimize(objective, { nTrials: 1 });
    expect(b.trials.map((t) => t.number)).toEqual([0, 1, 2]);
    a.close();
    b.close();
    const c = await createStudy({ storage: path, studyName: 'g', loadIfExists: true, sampler: new GridSampler({ x: [1, 2, 3, 4, 5] }, { seed: 3 }) });
    await c.optimize(objective, { nTrials: 50 });
    // the grid's 5 points, each once, across three connections; then the study stopped itself
    expect(c.trials.map((t) => t.params.x).sort()).toEqual([1, 2, 3, 4, 5]);
    c.close();
  });

  it('a process killed by SIGKILL mid-study resumes with nothing lost', async () => {
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
  if (t.number === 4) await new Promise((r) => setTimeout(r, 60_000)); // killed while trial 4 runs
  return x;
}, { nTrials: 10 });
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env } });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('trial 4')) {
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
    expect(warnings.some((w) => /trials 4 were RUNNING in a process that ended/.test(w))).toBe(true);
    const rows = study.trials;
    expect(rows.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL']);
    // the killed trial kept what it had written: its parameter and reported value
    expect(rows[4].params.x).toBe(rows[4].intermediateValues[0]);
    expect(rows[4].systemAttrs.failReason).toMatch(/process .* ended/);
    for (const r of rows.slice(0, 4)) expect(r.value).toBe(r.params.x);
    const done = rows.filter((t) => t.state === 'COMPLETE').length;
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 10 - done });
    expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(10);
    study.close();
  }, 60_000);
});

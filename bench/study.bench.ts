/**
 * Optuna-style studies: TPE (and random search) on Branin (2-d, minimum 0.397887) and Hartmann
 * (6-d, minimum −3.32237) — best value after 50 trials, median over 10 seeds — against Optuna 3.1's
 * TPESampler / RandomSampler (bench/peers/optuna_tpe.py) with the same budget in the same run;
 * then the time per trial of a 100-trial TPE study on Branin (the objective costs microseconds, so
 * this is the sampler and study overhead), over all 100 trials and over the last 10, and the time
 * inside the sampler alone (independent and multivariate TPE, Branin and Hartmann-6). The third
 * objective (bench/study-gb.ts) is a 5-fold CV of gradient boosting over 5 parameters: kiln's
 * GradientBoostingClassifier against scikit-learn's HistGradientBoostingClassifier under Optuna
 * (bench/peers/optuna_gb.py) — different models, so each side also reports its floor (the best
 * value any of its trials reached) and the median regret above it.
 * Run: npm run bench -- study   (KILN_STUDY_SEEDS=3 for a smoke run, KILN_STUDY_GB_SEEDS for the
 * third objective alone; results in bench/results/study.json)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudy, RandomSampler, TPESampler, type Sampler, type Trial } from '../src/index.js';
import { runPeer, writeResults } from './lib.js';
import { GB_FEATURES, GB_ROWS, gbData, gbObjective, writeGbData } from './study-gb.js';

const A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));
const ALPHA = [1.0, 1.2, 3.0, 3.2];

function branin(trial: Trial): number {
  const x = trial.suggestFloat('x', -5, 10),
    y = trial.suggestFloat('y', 0, 15);
  const b = 5.1 / (4 * Math.PI ** 2),
    c = 5 / Math.PI,
    t = 1 / (8 * Math.PI);
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10;
}

function hartmann6(trial: Trial): number {
  const x = Array.from({ length: 6 }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
  let f = 0;
  for (let i = 0; i < 4; i++) {
    let s = 0;
    for (let j = 0; j < 6; j++) s += A[i][j] * (x[j] - P[i][j]) ** 2;
    f -= ALPHA[i] * Math.exp(-s);
  }
  return f;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A sampler whose calls are timed: perTrial[i] is the ms trial i spent inside it. */
function timedSampler(inner: Sampler): { sampler: Sampler; perTrial: number[]; endTrial: () => void } {
  const perTrial: number[] = [];
  let acc = 0;
  const time = <T>(f: () => T): T => {
    const t0 = performance.now();
    const r = f();
    acc += performance.now() - t0;
    return r;
  };
  const sampler: Sampler = {
    beforeTrial: (s, t) => time(() => inner.beforeTrial?.(s, t)),
    sampleIndependent: (s, t, n, d) => time(() => inner.sampleIndependent(s, t, n, d)),
    afterTrial: (s, t) => time(() => inner.afterTrial?.(s, t)),
  };
  return {
    sampler,
    perTrial,
    endTrial: () => {
      perTrial.push(acc);
      acc = 0;
    },
  };
}

export async function benchStudy(): Promise<void> {
  const trials = 50;
  const seeds = Number(process.env.KILN_STUDY_SEEDS ?? 10);
  const samplers: Record<string, (seed: number) => Sampler> = {
    tpe: (seed) => new TPESampler({ seed }),
    tpe_multivariate: (seed) => new TPESampler({ seed, multivariate: true }),
    random: (seed) => new RandomSampler({ seed }),
  };
  const kiln: Record<string, number[]> = {};
  for (const [name, fn] of [
    ['branin', branin],
    ['hartmann6', hartmann6],
  ] as const) {
    for (const [sname, make] of Object.entries(samplers)) {
      const bests: number[] = [];
      for (let seed = 0; seed < seeds; seed++) {
        const study = await createStudy({ sampler: make(seed) });
        await study.optimize(fn, { nTrials: trials });
        bests.push(study.bestValue);
      }
      kiln[`${name}_${sname}`] = bests;
    }
  }
  // Overhead: 100-trial TPE studies on Branin.
  const perTrial: number[] = [],
    last10: number[] = [];
  for (let seed = 0; seed < 3; seed++) {
    const stamps: number[] = [];
    const study = await createStudy({ sampler: new TPESampler({ seed }) });
    await study.optimize(branin, { nTrials: 100, callbacks: [() => void stamps.push(performance.now())] });
    perTrial.push((stamps[99] - stamps[0]) / 99);
    last10.push((stamps[99] - stamps[89]) / 10);
  }
  // Time inside the sampler alone (its calls wrapped), per trial of 100-trial studies.
  const samplerMs: Record<string, { all: number; last10: number }> = {};
  for (const [name, fn] of [
    ['branin', branin],
    ['hartmann6', hartmann6],
  ] as const) {
    for (const multivariate of [false, true]) {
      const all: number[] = [],
        tail: number[] = [];
      for (let seed = 0; seed < 3; seed++) {
        const timed = timedSampler(new TPESampler({ seed, multivariate }));
        const study = await createStudy({ sampler: timed.sampler });
        await study.optimize(fn, { nTrials: 100, callbacks: [() => timed.endTrial()] });
        all.push(timed.perTrial.reduce((a, b) => a + b, 0) / 100);
        tail.push(timed.perTrial.slice(90).reduce((a, b) => a + b, 0) / 10);
      }
      samplerMs[`${name}_${multivariate ? 'tpe_multivariate' : 'tpe'}`] = { all: median(all), last10: median(tail) };
    }
  }
  // The third objective: best CV log loss after 50 trials of gradient boosting.
  const gbSeeds = Number(process.env.KILN_STUDY_GB_SEEDS ?? seeds);
  const data = gbData();
  const objective = gbObjective(data);
  const gbBests: number[] = [];
  let gbFloor = Infinity;
  const gbStart = performance.now();
  for (let seed = 0; seed < gbSeeds; seed++) {
    const study = await createStudy({ sampler: new TPESampler({ seed }) });
    await study.optimize(objective, { nTrials: trials });
    gbBests.push(study.bestValue);
    gbFloor = Math.min(gbFloor, study.bestValue);
  }
  const gbSeconds = (performance.now() - gbStart) / 1000;
  const dir = mkdtempSync(join(tmpdir(), 'kiln-study-bench-'));
  const dataPath = join(dir, 'gb.bin');
  writeGbData(dataPath, data);
  const [gbPeer] = runPeer('Optuna (gradient boosting)', 'optuna_gb.py', [dataPath, String(GB_ROWS), String(GB_FEATURES), String(trials), String(gbSeeds)]);
  rmSync(dir, { recursive: true, force: true });
  const peerBests: number[] | undefined = gbPeer?.gb_tpe;
  const peerFloor = peerBests ? Math.min(...peerBests) : null;
  const gb = {
    seeds: gbSeeds,
    kiln: { medianBest: median(gbBests), floor: gbFloor, medianRegret: median(gbBests) - gbFloor, seconds: gbSeconds, bests: gbBests },
    optuna: peerBests
      ? { medianBest: median(peerBests), floor: peerFloor, medianRegret: median(peerBests) - (peerFloor as number), seconds: gbPeer.seconds, bests: peerBests }
      : null,
  };
  const [peer] = runPeer('Optuna', 'optuna_tpe.py', [String(trials), String(seeds)]);
  const summary: Record<string, { kiln: number; optuna: number | null }> = {};
  for (const k of Object.keys(kiln)) summary[k] = { kiln: median(kiln[k]), optuna: peer?.[k] ? median(peer[k]) : null };
  const out = {
    trials,
    seeds,
    medianBest: summary,
    msPerTrial100: { kiln: median(perTrial), optuna: peer?.msPerTrial100 ?? null },
    msPerTrialLast10: { kiln: median(last10), optuna: peer?.msPerTrialLast10 ?? null },
    samplerMsPerTrial100: samplerMs,
    gradientBoostingCV: gb,
    kiln,
    optuna: peer ?? null,
  };
  console.log(
    JSON.stringify(
      {
        medianBest: out.medianBest,
        msPerTrial100: out.msPerTrial100,
        msPerTrialLast10: out.msPerTrialLast10,
        samplerMsPerTrial100: samplerMs,
        gradientBoostingCV: { seeds: gbSeeds, kiln: { ...gb.kiln, bests: undefined }, optuna: gb.optuna ? { ...gb.optuna, bests: undefined } : null },
      },
      null,
      1,
    ),
  );
  writeResults('study', out);
}

/** Small model files for the registry tests (SQLite and PostgreSQL): fitted in milliseconds, distinct by their scale. */
import { join } from 'node:path';
import { LogisticRegression, save, StandardScaler } from '../../src/index.js';

export const X = [
  [1, 2],
  [3, 5],
  [4, 4],
  [6, 1],
  [7, 3],
  [9, 9],
];
export const y = [0, 0, 1, 1, 0, 1];

/** A StandardScaler fitted on X × scale, saved with `meta` (model-card fields). */
export async function scalerFile(dir: string, scale = 1, meta = {}): Promise<string> {
  const path = join(dir, `scaler-${scale}.kiln`);
  await save(await new StandardScaler().fit(X.map((r) => r.map((v) => v * scale))), path, meta);
  return path;
}

/** A LogisticRegression with C = scale (a model a server can answer with). */
export async function logisticFile(dir: string, scale = 1): Promise<string> {
  const path = join(dir, `lr-${scale}.kiln`);
  await save(await new LogisticRegression({ C: scale }).fit(X, y), path);
  return path;
}

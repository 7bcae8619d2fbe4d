/**
 * A study persisted in one SQLite file (better-sqlite3, the registry's embedded database, loaded
 * on first use). Every change to a trial is one transaction in WAL mode with synchronous FULL, so
 * a process killed at any point (even by SIGKILL) leaves every finished write on disk and nothing
 * half-written. Several studies can share a file, by name. Trials keep the host and pid of the
 * process running them: reopening the study marks the RUNNING trials of a process that is gone as
 * FAIL (Optuna uses a heartbeat for this; a pid is enough on one machine).
 */
import { hostname } from 'node:os';
import { dirname, resolve as resolvePath } from 'node:path';
import { mkdirSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { loadBetterSqlite3, requireWal } from '../../../core/sqlite.js';
import { IoError, KilnError, NotFoundError, ParamError } from '../../../core/errors.js';
import type { Distribution, FrozenTrial, NewTrial, ParamValue, StudyDirection, StudyStorage, TrialState } from '../types.js';
import { attrJson, checkRunning, newRecord, TrialTable, type TrialRecord } from './rows.js';

/** 'KSTD' in ASCII: marks a kiln study file. */
const APPLICATION_ID = 0x4b535444;
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS studies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  direction TEXT NOT NULL CHECK (direction IN ('minimize', 'maximize')),
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS trials (
  study_id INTEGER NOT NULL REFERENCES studies(id),
  number INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')),
  value REAL,
  datetime_start TEXT,
  datetime_complete TEXT,
  host TEXT,
  pid INTEGER,
  PRIMARY KEY (study_id, number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS trial_params (
  study_id INTEGER NOT NULL,
  number INTEGER NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  distribution TEXT NOT NULL,
  PRIMARY KEY (study_id, number, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS trial_values (
  study_id INTEGER NOT NULL,
  number INTEGER NOT NULL,
  step INTEGER NOT NULL,
  value REAL,
  PRIMARY KEY (study_id, number, step)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS trial_attrs (
  study_id INTEGER NOT NULL,
  number INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'system')),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (study_id, number, kind, key)
) WITHOUT ROWID;
`;

/** 'sqlite:///relative.db', 'sqlite:////absolute.db' (Optuna's URLs) or a plain file path → an absolute path. */
export function sqlitePath(storage: string): string {
  const path = storage.startsWith('sqlite:///') ? storage.slice('sqlite:///'.length) : storage;
  if (path === '' || path === ':memory:' || path.startsWith('file:') || /^[a-z]+:\/\//i.test(path)) {
    throw new ParamError(
      `createStudy: storage must be 'sqlite:///path.db' or a database file path, got ${JSON.stringify(storage)}; leave it out for an in-memory study`,
    );
  }
  return resolvePath(path);
}

function fail(e: unknown, what: string): never {
  if (e instanceof KilnError) throw e;
  throw new IoError(`study storage: ${what} failed (${(e as Error).message})`, { cause: e });
}

function processGone(host: string | null, pid: number | null): boolean {
  if (host !== hostname() || pid === null) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

interface TrialRow {
  number: number;
  state: TrialState;
  value: number | null;
  datetime_start: string | null;
  datetime_complete: string | null;
  host: string | null;
  pid: number | null;
}

export class SqliteStorage implements StudyStorage {
  private readonly table = new TrialTable();
  /** PRAGMA data_version when the trials were last read: it changes when another connection commits. */
  private dataVersion = -1;
  private readonly stmts: Record<string, BetterSqlite3.Statement>;

  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly studyId: number,
    readonly studyName: string,
    readonly direction: StudyDirection,
    readonly path: string,
  ) {
    const q = (sql: string) => db.prepare(sql);
    this.stmts = {
      insertTrial: q('INSERT INTO trials (study_id, number, state, datetime_start, host, pid) VALUES (?, ?, ?, ?, ?, ?)'),
      nextNumber: q('SELECT COALESCE(MAX(number) + 1, 0) AS n FROM trials WHERE study_id = ?'),
      firstWaiting: q("SELECT number FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1"),
      start: q("UPDATE trials SET state = 'RUNNING', datetime_start = ?, host = ?, pid = ? WHERE study_id = ? AND number = ? AND state = 'WAITING'"),
      param: q('INSERT OR REPLACE INTO trial_params (study_id, number, name, value, distribution) VALUES (?, ?, ?, ?, ?)'),
      value: q('INSERT OR REPLACE INTO trial_values (study_id, number, step, value) VALUES (?, ?, ?, ?)'),
      attr: q('INSERT OR REPLACE INTO trial_attrs (study_id, number, kind, key, value) VALUES (?, ?, ?, ?, ?)'),
      finish: q("UPDATE trials SET state = ?, value = ?, datetime_complete = ? WHERE study_id = ? AND number = ? AND state = 'RUNNING'"),
    };
  }

  /** Opens (creating when needed) the study `studyName` in the file at `path`. */
  static async open(
    path: string,
    studyName: string,
    direction: StudyDirection,
    loadIfExists: boolean,
  ): Promise<{ storage: SqliteStorage; loaded: boolean; failedOnResume: number[] }> {
    const Database = await loadBetterSqlite3('createStudy', IoError);
    let db: BetterSqlite3.Database | undefined;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: 10_000 });
      const appId = db.pragma('application_id', { simple: true }) as number;
      const tables = (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
      if (appId !== APPLICATION_ID && (appId !== 0 || tables > 0)) {
        throw new ParamError(`createStudy: ${path} is an SQLite file but not a kiln study file; pick another storage path`);
      }
      requireWal(db, 'createStudy', path, IoError);
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 10000');
      const conn = db;
      conn
        .transaction(() => {
          if ((conn.pragma('user_version', { simple: true }) as number) === 0) {
            conn.exec(SCHEMA);
            conn.pragma(`application_id = ${APPLICATION_ID}`);
            conn.pragma(`user_version = ${SCHEMA_VERSION}`);
          }
        })
        .immediate();
      const version = conn.pragma('user_version', { simple: true }) as number;
      if (version !== SCHEMA_VERSION)
        throw new ParamError(`createStudy: ${path} is a study file of schema ${version}; this kiln reads schema ${SCHEMA_VERSION}`);
      const found = conn
        .transaction(() => {
          const row = conn.prepare('SELECT id, direction FROM studies WHERE name = ?').get(studyName) as { id: number; direction: StudyDirection } | undefined;
          if (row) return { ...row, loaded: true };
          const id = conn.prepare('INSERT INTO studies (name, direction, created_at) VALUES (?, ?, ?)').run(studyName, direction, new Date().toISOString())
            .lastInsertRowid as number;
          return { id: Number(id), direction, loaded: false };
        })
        .immediate();
      if (found.loaded && !loadIfExists) {
        throw new ParamError(`createStudy: a study named '${studyName}' already exists in ${path}; pass loadIfExists: true to resume it, or another studyName`);
      }
      if (found.loaded && found.direction !== direction) {
        throw new ParamError(`createStudy: the study '${studyName}' in ${path} was created to ${found.direction}, not ${direction}`);
      }
      const storage = new SqliteStorage(conn, found.id, studyName, found.direction, path);
      const failedOnResume = storage.failOrphans();
      storage.refresh();
      return { storage, loaded: found.loaded, failedOnResume };
    } catch (e) {
      try {
        db?.close();
      } catch {
        /* already failing */
      }
      if (!(e instanceof KilnError) && (e as { code?: string })?.code === 'SQLITE_CANTOPEN') {
        throw new NotFoundError(`createStudy: cannot open ${path}`);
      }
      return fail(e, `opening ${path}`);
    }
  }

  /** Marks FAIL the RUNNING trials whose process on this host is gone; returns their numbers. */
  private failOrphans(): number[] {
    const running = this.db.prepare("SELECT number, host, pid FROM trials WHERE study_id = ? AND state = 'RUNNING'").all(this.studyId) as {
      number: number;
      host: string | null;
      pid: number | null;
    }[];
    const gone = running.filter((r) => processGone(r.host, r.pid)).map((r) => r.number);
    const now = new Date().toISOString();
    for (const n of gone) {
      this.db.transaction(() => {
        this.stmts.finish.run('FAIL', null, now, this.studyId, n);
        this.stmts.attr.run(this.studyId, n, 'system', 'failReason', JSON.stringify('the process running this trial ended before it finished'));
      })();
    }
    return gone;
  }

  private write(what: string, work: () => void): void {
    try {
      this.db.transaction(work).immediate();
    } catch (e) {
      fail(e, what);
    }
  }

  createTrial(trial: NewTrial): number {
    let number = -1;
    const now = new Date();
    this.write('creating a trial', () => {
      number = (this.stmts.nextNumber.get(this.studyId) as { n: number }).n;
      const running = trial.state === 'RUNNING';
      this.stmts.insertTrial.run(
        this.studyId,
        number,
        trial.state,
        running ? now.toISOString() : null,
        running ? hostname() : null,
        running ? process.pid : null,
      );
      for (const [k, v] of Object.entries(trial.systemAttrs ?? {})) this.stmts.attr.run(this.studyId, number, 'system', k, attrJson(k, v));
    });
    if (number === this.table.length) {
      const r = newRecord(number, trial.state, trial.systemAttrs);
      r.datetimeStart = trial.state === 'RUNNING' ? now : null;
      this.table.push(r);
    }
    // Another process may have added trials meanwhile: re-read them.
    this.refresh();
    return number;
  }

  popWaitingTrial(): number | null {
    let number: number | null = null;
    const now = new Date();
    this.write('starting an enqueued trial', () => {
      const row = this.stmts.firstWaiting.get(this.studyId) as { number: number } | undefined;
      if (!row) return;
      this.stmts.start.run(now.toISOString(), hostname(), process.pid, this.studyId, row.number);
      number = row.number;
    });
    this.refresh();
    const r = number === null ? undefined : this.table.record(number);
    if (r && r.state === 'WAITING') {
      r.state = 'RUNNING';
      r.datetimeStart = now;
      this.table.changed(r.number);
    }
    return number;
  }

  setTrialParam(trial: number, name: string, value: ParamValue, distribution: Distribution): void {
    const r = checkRunning(this.table.record(trial), trial, 'take parameters');
    this.write('saving a parameter', () => this.stmts.param.run(this.studyId, trial, name, JSON.stringify(value), JSON.stringify(distribution)));
    r.params[name] = value;
    r.distributions[name] = distribution;
    this.table.changed(trial);
  }

  setTrialIntermediateValue(trial: number, step: number, value: number): void {
    const r = checkRunning(this.table.record(trial), trial, 'report values');
    this.write('saving a reported value', () => this.stmts.value.run(this.studyId, trial, step, Number.isNaN(value) ? null : value));
    r.intermediateValues[step] = value;
    this.table.changed(trial);
  }

  setTrialSystemAttr(trial: number, key: string, value: unknown): void {
    const r = checkRunning(this.table.record(trial), trial, 'take attributes');
    const json = attrJson(key, value);
    this.write('saving an attribute', () => this.stmts.attr.run(this.studyId, trial, 'system', key, json));
    r.systemAttrs[key] = value;
    this.table.changed(trial);
  }

  setTrialUserAttr(trial: number, key: string, value: unknown): void {
    const r = checkRunning(this.table.record(trial), trial, 'take attributes');
    const json = attrJson(key, value);
    this.write('saving an attribute', () => this.stmts.attr.run(this.studyId, trial, 'user', key, json));
    r.userAttrs[key] = value;
    this.table.changed(trial);
  }

  finishTrial(trial: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', value: number | null): void {
    const r = checkRunning(this.table.record(trial), trial, 'finish');
    const now = new Date();
    this.write('finishing a trial', () => {
      const changed = this.stmts.finish.run(state, value, now.toISOString(), this.studyId, trial).changes;
      if (changed !== 1) throw new ParamError(`study storage: trial ${trial} is no longer RUNNING in ${this.path} (another process finished it)`);
    });
    r.state = state;
    r.value = value;
    r.datetimeComplete = now;
    this.table.changed(trial);
  }

  getTrial(trial: number): FrozenTrial {
    return this.table.rows()[trial];
  }

  getTrials(): readonly FrozenTrial[] {
    return this.table.rows();
  }

  /** Re-reads every trial of the study from the file when another connection has written to it. */
  refresh(force = false): void {
    try {
      const version = this.db.pragma('data_version', { simple: true }) as number;
      if (!force && version === this.dataVersion) return;
      this.dataVersion = version;
      const id = this.studyId;
      const rows = this.db
        .prepare('SELECT number, state, value, datetime_start, datetime_complete, host, pid FROM trials WHERE study_id = ? ORDER BY number')
        .all(id) as TrialRow[];
      const out: TrialRecord[] = rows.map((t) => {
        const r = newRecord(t.number, t.state);
        r.value = t.value === null && (t.state === 'COMPLETE' || t.state === 'PRUNED') ? null : t.value;
        r.datetimeStart = t.datetime_start ? new Date(t.datetime_start) : null;
        r.datetimeComplete = t.datetime_complete ? new Date(t.datetime_complete) : null;
        return r;
      });
      for (const p of this.db.prepare('SELECT number, name, value, distribution FROM trial_params WHERE study_id = ?').all(id) as {
        number: number;
        name: string;
        value: string;
        distribution: string;
      }[]) {
        out[p.number].params[p.name] = JSON.parse(p.value);
        out[p.number].distributions[p.name] = JSON.parse(p.distribution);
      }
      for (const v of this.db.prepare('SELECT number, step, value FROM trial_values WHERE study_id = ? ORDER BY step').all(id) as {
        number: number;
        step: number;
        value: number | null;
      }[]) {
        out[v.number].intermediateValues[v.step] = v.value ?? Number.NaN;
      }
      for (const a of this.db.prepare('SELECT number, kind, key, value FROM trial_attrs WHERE study_id = ?').all(id) as {
        number: number;
        kind: 'user' | 'system';
        key: string;
        value: string;
      }[]) {
        (a.kind === 'user' ? out[a.number].userAttrs : out[a.number].systemAttrs)[a.key] = JSON.parse(a.value);
      }
      this.table.replaceAll(out);
    } catch (e) {
      fail(e, `reading ${this.path}`);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * The registry's SQLite schema (its tables in tables.ts, shared with PostgreSQL) and its migrations, numbered by `PRAGMA user_version`. A
 * migration runs inside one IMMEDIATE transaction that re-reads the version first, so two
 * processes opening a fresh file at once migrate it exactly once. The file is marked with
 * `PRAGMA application_id` so that kiln never migrates someone else's database.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { RegistryError } from '../../core/errors.js';
import { registryTablesV1, SQLITE_DIALECT } from './tables.js';

/** 'KILN' in ASCII. */
export const APPLICATION_ID = 0x4b494c4e;

const V1 = `${registryTablesV1(SQLITE_DIALECT)}
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its rows cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its rows cannot be deleted'); END;

-- A retired version can never be aliased, whoever writes the row.
CREATE TRIGGER aliases_not_retired_insert BEFORE INSERT ON aliases
  WHEN (SELECT status FROM versions WHERE model_id = NEW.model_id AND version = NEW.version) = 'retired'
  BEGIN SELECT RAISE(ABORT, 'a retired version cannot be aliased'); END;
CREATE TRIGGER aliases_not_retired_update BEFORE UPDATE OF version ON aliases
  WHEN (SELECT status FROM versions WHERE model_id = NEW.model_id AND version = NEW.version) = 'retired'
  BEGIN SELECT RAISE(ABORT, 'a retired version cannot be aliased'); END;

CREATE TRIGGER changes_version_insert AFTER INSERT ON versions BEGIN UPDATE changes SET counter = counter + 1 WHERE id = 1; END;
CREATE TRIGGER changes_version_update AFTER UPDATE ON versions BEGIN UPDATE changes SET counter = counter + 1 WHERE id = 1; END;
CREATE TRIGGER changes_alias_insert AFTER INSERT ON aliases BEGIN UPDATE changes SET counter = counter + 1 WHERE id = 1; END;
CREATE TRIGGER changes_alias_update AFTER UPDATE ON aliases BEGIN UPDATE changes SET counter = counter + 1 WHERE id = 1; END;
CREATE TRIGGER changes_alias_delete AFTER DELETE ON aliases BEGIN UPDATE changes SET counter = counter + 1 WHERE id = 1; END;
`;

/** MIGRATIONS[i] takes the schema from version i to i + 1. */
const MIGRATIONS: readonly string[] = [V1];
export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: BetterSqlite3.Database, path: string): void {
  const run = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (version === 0) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").get() as { n: number };
      if (tables.n > 0 || (appId !== 0 && appId !== APPLICATION_ID)) {
        throw new RegistryError(`ModelRegistry.open: ${path} is an SQLite database but not a kiln registry (it has other tables); use another path`);
      }
      db.pragma(`application_id = ${APPLICATION_ID}`);
    } else if (appId !== APPLICATION_ID) {
      throw new RegistryError(`ModelRegistry.open: ${path} is an SQLite database but not a kiln registry (application_id ${appId})`);
    }
    if (version > SCHEMA_VERSION) {
      throw new RegistryError(
        `ModelRegistry.open: ${path} has registry schema version ${version}, newer than this kiln knows (${SCHEMA_VERSION}); upgrade kiln`,
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]);
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  run.immediate();
}

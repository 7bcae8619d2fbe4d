/**
 * The registry's PostgreSQL schema and its migrations: the same tables and columns as the SQLite
 * schema (both written once in tables.ts), so the operations in ops.ts run unchanged on both, plus what PostgreSQL
 * adds — triggers that refuse any UPDATE, DELETE or TRUNCATE of the audit log, and a NOTIFY on
 * channel `kiln_registry` (delivered at commit) whenever a version or an alias changes, which
 * servers LISTEN to instead of polling. The schema version lives in `kiln_registry_meta`; a
 * migration runs in one transaction under the registry's advisory lock, so two processes opening
 * a fresh database at once migrate it exactly once, and a database with registry-named tables but
 * no meta table (someone else's) is refused rather than migrated.
 */
import type pg from 'pg';
import { RegistryError } from '../../core/errors.js';
import { POSTGRES_DIALECT, registryTablesV1 } from './tables.js';

/** The key of the transaction-scoped advisory lock every registry write takes first: 'KILN'. */
export const PG_LOCK_KEY = 0x4b494c4e;
/** The LISTEN/NOTIFY channel; the payload is the new change counter. */
export const PG_CHANNEL = 'kiln_registry';

const V1 = `${registryTablesV1(POSTGRES_DIALECT)}
CREATE FUNCTION kiln_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: its rows cannot be %', CASE TG_OP WHEN 'UPDATE' THEN 'changed' ELSE 'deleted' END
    USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION kiln_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION kiln_audit_append_only();

-- A retired version can never be aliased, whoever writes the row.
CREATE FUNCTION kiln_aliases_not_retired() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT status FROM versions WHERE model_id = NEW.model_id AND version = NEW.version) = 'retired' THEN
    RAISE EXCEPTION 'a retired version cannot be aliased' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER aliases_not_retired BEFORE INSERT OR UPDATE OF version ON aliases FOR EACH ROW EXECUTE FUNCTION kiln_aliases_not_retired();

-- The change counter moves with every change to versions or aliases, with a notification (sent at commit) that it moved.
CREATE FUNCTION kiln_registry_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c BIGINT;
BEGIN
  UPDATE changes SET counter = counter + 1 WHERE id = 1 RETURNING counter INTO c;
  PERFORM pg_notify('${PG_CHANNEL}', c::text);
  RETURN NULL;
END $$;
CREATE TRIGGER changes_versions AFTER INSERT OR UPDATE ON versions FOR EACH STATEMENT EXECUTE FUNCTION kiln_registry_changed();
CREATE TRIGGER changes_aliases AFTER INSERT OR UPDATE OR DELETE ON aliases FOR EACH STATEMENT EXECUTE FUNCTION kiln_registry_changed();
`;

/** MIGRATIONS[i] takes the schema from version i to i + 1. */
const MIGRATIONS: readonly string[] = [V1];
export const PG_SCHEMA_VERSION = MIGRATIONS.length;
const TABLES = ['models', 'versions', 'aliases', 'alias_history', 'audit', 'changes'];

async function metaVersion(c: pg.PoolClient): Promise<{ version: number; storeDir: string | null } | null> {
  const has = await c.query("SELECT to_regclass('kiln_registry_meta') IS NOT NULL AS has");
  if (!has.rows[0].has) return null;
  const rows = (await c.query('SELECT key, value FROM kiln_registry_meta')).rows as { key: string; value: string }[];
  const get = (k: string) => rows.find((r) => r.key === k)?.value ?? null;
  return { version: Number(get('schema_version') ?? 0), storeDir: get('store_dir') };
}

/**
 * Checks (and unless read-only, creates or migrates) the schema; returns the store directory the
 * registry recorded when it was created (null when it recorded none).
 */
export async function pgMigrate(c: pg.PoolClient, where: string, readonly: boolean, storeDir: string): Promise<string | null> {
  if (readonly) {
    const meta = await metaVersion(c);
    if (!meta)
      throw new RegistryError(`ModelRegistry.open: ${where} is not a kiln registry (no kiln_registry_meta table); open it once without readonly to create it`);
    if (meta.version > PG_SCHEMA_VERSION)
      throw new RegistryError(
        `ModelRegistry.open: ${where} has registry schema version ${meta.version}, newer than this kiln knows (${PG_SCHEMA_VERSION}); upgrade kiln`,
      );
    return meta.storeDir;
  }
  await c.query('BEGIN');
  try {
    await c.query('SELECT pg_advisory_xact_lock($1)', [PG_LOCK_KEY]);
    let meta = await metaVersion(c);
    if (!meta) {
      const taken = (await c.query('SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL', [TABLES])).rows.map((r) => r.t as string);
      if (taken.length > 0) {
        throw new RegistryError(
          `ModelRegistry.open: ${where} already has tables named ${taken.join(', ')} that are not a kiln registry's; use another database or schema (search_path)`,
        );
      }
      await c.query('CREATE TABLE kiln_registry_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      await c.query("INSERT INTO kiln_registry_meta (key, value) VALUES ('schema_version', '0'), ('store_dir', $1)", [storeDir]);
      meta = { version: 0, storeDir };
    }
    if (meta.version > PG_SCHEMA_VERSION) {
      throw new RegistryError(
        `ModelRegistry.open: ${where} has registry schema version ${meta.version}, newer than this kiln knows (${PG_SCHEMA_VERSION}); upgrade kiln`,
      );
    }
    for (let v = meta.version; v < PG_SCHEMA_VERSION; v++) await c.query(MIGRATIONS[v]);
    if (meta.version !== PG_SCHEMA_VERSION) await c.query("UPDATE kiln_registry_meta SET value = $1 WHERE key = 'schema_version'", [String(PG_SCHEMA_VERSION)]);
    await c.query('COMMIT');
    return meta.storeDir;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

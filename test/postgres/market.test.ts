import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Market, type MarketOrder } from '../../src/index.js';
import { PostgresLedger, PostgresMarket } from '../../src/postgres/index.js';
import { T0 } from '../helpers/books.js';

function ts(second: number): string {
  return new Date(Date.parse(T0) + second * 1000).toISOString().replace('.000Z', 'Z');
}

type Op =
  | { type: 'submit'; order: MarketOrder }
  | { type: 'cancel'; side: 'offer' | 'bid'; id: string }
  | { type: 'cycle'; step: number };

const decimal = (max: number) =>
  fc.integer({ min: 0, max: max * 100 }).map((n) => (n / 100).toFixed(2));
const order: fc.Arbitrary<MarketOrder> = fc.oneof(
  fc.record({
    side: fc.constant('offer' as const),
    id: fc.constantFrom('s1', 's2', 's3', 's4'),
    participant: fc.constantFrom('p1', 'p2', 'h1'),
    carrier: fc.constantFrom('electricity' as const, 'heat' as const),
    quantity: decimal(9).filter((q) => q !== '0.00'),
    price: decimal(1),
  }),
  fc.record(
    {
      side: fc.constant('bid' as const),
      id: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
      participant: fc.constantFrom('h1', 'h2', 'p1'),
      carrier: fc.constantFrom('electricity' as const, 'heat' as const),
      quantity: decimal(9),
      price: decimal(1),
      allOrNone: fc.boolean(),
      expiresAt: fc.integer({ min: 0, max: 300 }).map(ts),
    },
    { requiredKeys: ['side', 'id', 'participant', 'carrier', 'quantity', 'price'] },
  ),
  fc.record({
    side: fc.constant('storage' as const),
    id: fc.constantFrom('l1', 'l2'),
    carrier: fc.constantFrom('electricity' as const, 'heat' as const),
    quantity: decimal(5).filter((q) => q !== '0.00'),
    price: decimal(1),
  }),
) as fc.Arbitrary<MarketOrder>;
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: order.map((o) => ({ type: 'submit' as const, order: o })) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('cancel' as const),
      side: fc.constantFrom('offer' as const, 'bid' as const),
      id: fc.constantFrom('s1', 'c1', 'c2'),
    }),
  },
  // A PostgresMarket names a cycle by its timestamp (one block per market and timestamp), so the
  // stream's cycles are at least a second apart.
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1, max: 40 }).map((step) => ({ type: 'cycle' as const, step })),
  },
);

describe('PostgresMarket on PGlite', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = new PGlite();
    await new PostgresLedger(db).migrate();
  });
  afterAll(async () => {
    await db.close();
  });

  it('gives the blocks the in-memory Market gives on the same random order streams, and its journal replays to them', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 25 }),
        fc.constantFrom({}, { idleCyclesBeforePool: 2 }, { mechanism: 'uniform-price' as const }),
        async (ops, config) => {
          const key = `prop-${run++}`;
          const memory = new Market(config);
          const stored = await PostgresMarket.open(db, key, { config });
          let second = 0;
          const hashes: string[] = [];
          for (const o of ops) {
            if (o.type === 'submit') {
              expect(await stored.submit(o.order)).toEqual(memory.submit(o.order));
            } else if (o.type === 'cancel') {
              expect(await stored.cancel(o.side, o.id)).toBe(memory.cancel(o.side, o.id));
            } else {
              second += o.step;
              const a = memory.runCycle(ts(second));
              const b = await stored.runCycle(ts(second));
              expect(b.status).toBe('cleared');
              expect(b.block).toEqual(a.result.block);
              hashes.push(a.result.block.hash);
              if (b.status === 'cleared')
                expect(JSON.stringify(b.cycle.result)).toBe(JSON.stringify(a.result));
              // Asked again for the same timestamp: the same block, nothing cleared twice.
              expect(await stored.runCycle(ts(second))).toEqual({
                status: 'already-cleared',
                block: a.result.block,
              });
            }
          }
          expect(await stored.orders()).toEqual(memory.orders());
          const journal = await stored.journal();
          expect(journal).toEqual(memory.journal());
          expect(Market.replay(config, journal).cycles.map((c) => c.result.block.hash)).toEqual(
            hashes,
          );
          expect(await new PostgresLedger(db).verify(key)).toEqual({ ok: true });
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('stores the result with the block; refuses a second open with another config; nothing stored on a bad timestamp', async () => {
    const m = await PostgresMarket.open(db, 'one', { config: { pricing: { k: '0.25' } } });
    await m.submit({
      side: 'offer',
      id: 's1',
      participant: 'p1',
      carrier: 'heat',
      quantity: '3',
      price: '0.1',
    });
    await m.submit({
      side: 'bid',
      id: 'c1',
      participant: 'h1',
      carrier: 'heat',
      quantity: '2',
      price: '0.3',
    });
    const c = await m.runCycle(T0);
    expect(c.status).toBe('cleared');
    expect(JSON.parse((await m.result(0))!).block).toEqual(c.block);
    expect(await m.result(5)).toBeUndefined();
    await expect(PostgresMarket.open(db, 'one', { config: {} })).rejects.toMatchObject({
      code: 'invalid_option',
      message: /another config/,
    });
    await expect(PostgresMarket.open(db, 'nobody')).rejects.toMatchObject({
      code: 'invalid_option',
      message: /does not exist yet/,
    });
    expect((await PostgresMarket.open(db, 'one')).market).toBe('one');
    await expect(m.runCycle('2025-01-01T00:00:00Z')).rejects.toMatchObject({
      code: 'timestamp_before_previous',
    });
    await expect(m.runCycle('yesterday')).rejects.toMatchObject({ name: 'ValidationError' });
    expect((await m.journal()).map((e) => e.type)).toEqual(['submit', 'submit', 'cycle']);
  });

  it('clears scheduled cycles once each, oldest first, whatever order the wake-ups come in', async () => {
    const m = await PostgresMarket.open(db, 'scheduled', { config: {} });
    await m.submit({
      side: 'offer',
      id: 's1',
      participant: 'p1',
      carrier: 'heat',
      quantity: '3',
      price: '0.1',
    });
    await m.schedule([ts(60), ts(0), ts(30), ts(30)]);
    // A wake-up for the last comes first: it catches up on the two before it, in order.
    const first = await m.runScheduled(ts(60));
    expect(first.map((c) => [c.status, c.block.height, c.block.timestamp])).toEqual([
      ['cleared', 0, ts(0)],
      ['cleared', 1, ts(30)],
      ['cleared', 2, ts(60)],
    ]);
    // The late wake-ups find their cycles cleared.
    expect((await m.runScheduled(ts(0))).map((c) => c.status)).toEqual(['already-cleared']);
    expect((await m.runScheduled(ts(30))).map((c) => [c.status, c.block.height])).toEqual([
      ['already-cleared', 1],
    ]);
    expect(await m.runScheduled(ts(45))).toEqual([]);
    const memory = new Market();
    memory.submit({
      side: 'offer',
      id: 's1',
      participant: 'p1',
      carrier: 'heat',
      quantity: '3',
      price: '0.1',
    });
    expect(first.map((c) => c.block.hash)).toEqual(
      [0, 30, 60].map((s) => memory.runCycle(ts(s)).result.block.hash),
    );
    await expect(m.schedule(['noon'])).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('refuses to schedule into the past; a past cycle scheduled in a race leaves the schedule', async () => {
    const m = await PostgresMarket.open(db, 'late', { config: {} });
    await m.schedule([ts(30)]);
    expect((await m.runScheduled(ts(30))).map((c) => c.status)).toEqual(['cleared']);
    await expect(m.schedule([ts(0)])).rejects.toMatchObject({ code: 'timestamp_before_previous' });
    // As if scheduled by a process that read the tip before ts(30) was sealed:
    await db.query(`INSERT INTO microgrid.schedule (market, "timestamp") VALUES ('late', $1)`, [
      ts(10),
    ]);
    await m.schedule([ts(60)]);
    const next = await m.runScheduled(ts(60));
    expect(next.map((c) => [c.status, c.block.timestamp])).toEqual([['cleared', ts(60)]]);
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM microgrid.schedule WHERE market = 'late'`,
    );
    expect(rows[0]).toEqual({ n: 0 });
  });
});

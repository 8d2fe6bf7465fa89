/**
 * One suite, two engines: `clearCycle` (the fast engine) and `clearCycleReference` (docs/rules.md
 * as code) must give the same result — the same `JSON.stringify`, the same block hash — on every
 * conformance vector, the worked example, the fixtures' books and thousands of random books and
 * configs; and refuse the same bad inputs with the same error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ordersForHour, readDay } from '../../src/cli/demo.js';
import { Dec } from '../../src/decimal/decimal.js';
import {
  type Block,
  type ClearingConfig,
  type ClearOptions,
  type CommissionPolicy,
  type CycleResult,
  clearCycle,
  clearCycleReference,
  type OrderBook,
  verifyChain,
  verifyCycle,
} from '../../src/index.js';
import { nodeSha256Hasher } from '../../src/node/index.js';
import { bookArb, configArb, everyConfigArb } from '../helpers/arbitraries.js';
import { findEqBook, findEqCases, pymarketBooks, simplyBook } from '../helpers/auctions.js';
import { runs, T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { POLICIES, recordingPolicy } from '../helpers/policies.js';

type Clear = (
  book: OrderBook | string,
  config: ClearingConfig | undefined,
  options: ClearOptions,
) => CycleResult;
const ENGINES: ReadonlyArray<readonly [string, Clear]> = [
  ['clearCycle', clearCycle],
  ['clearCycleReference', clearCycleReference],
];

/** Clears with both engines and holds their results equal, byte for byte; gives the reference's. */
function expectSameCycle(
  book: unknown,
  config: ClearingConfig | undefined,
  options: ClearOptions,
): CycleResult {
  const fast = clearCycle(book as OrderBook, config, options);
  const reference = clearCycleReference(book as OrderBook, config, options);
  const fastJson = JSON.stringify(fast);
  const referenceJson = JSON.stringify(reference);
  // A readable diff first; then the bytes, key order included.
  if (referenceJson !== fastJson) expect(JSON.parse(referenceJson)).toEqual(JSON.parse(fastJson));
  expect(referenceJson).toBe(fastJson);
  expect(reference.block.hash).toBe(fast.block.hash);
  return reference;
}

/** What a call gives: its result's JSON, or the error it throws (class, code, message, issues). */
function outcome(run: () => CycleResult): unknown {
  try {
    return { json: JSON.stringify(run()) };
  } catch (err) {
    const e = err as Error & { code?: string; issues?: unknown };
    return { error: e.name, code: e.code, message: e.message, issues: e.issues };
  }
}

const CONFORMANCE = join(import.meta.dirname, '..', '..', 'conformance');
const vectors = readdirSync(CONFORMANCE).filter((f) => f.endsWith('.json'));

describe('both engines on the conformance vectors', () => {
  it('reads all of them', () => expect(vectors.length).toBe(12));

  it.each(vectors)('%s: the same result, which is the expected one', (file) => {
    const v = JSON.parse(readFileSync(join(CONFORMANCE, file), 'utf8'));
    const reference = expectSameCycle(v.book, v.config, { timestamp: v.timestamp });
    expect(JSON.parse(JSON.stringify(reference))).toEqual(v.expected);
    expect(verifyChain([reference.block])).toEqual({ ok: true });
    expect(verifyCycle(v.book, v.config, reference.block)).toEqual({ ok: true });
  });
});

describe('both engines on the conformance books under the welfare optimum', () => {
  it.each(vectors)('%s', (file) => {
    const v = JSON.parse(readFileSync(join(CONFORMANCE, file), 'utf8'));
    expectSameCycle(
      v.book,
      { ...v.config, mechanism: 'welfare-optimal' },
      {
        timestamp: v.timestamp,
      },
    );
  });
});

describe('both engines on the worked example (docs/rules.md §12)', () => {
  it('the reference gives the table and the settlement of §12', () => {
    const r = expectSameCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    expect(
      r.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price, t.amount, t.consumerFee]),
    ).toEqual([
      ['c2', 's1', '8', '0.325', '2.6', '0.013'],
      ['c3', 's3', '2', '0.55', '1.1', '0.01375'],
      ['c3', 's2', '1', '0.5', '0.5', '0.00625'],
      ['c1', 's2', '4', '0.425', '1.7', '0.034'],
    ]);
    expect(r.poolPurchases.map((p) => [p.offerId, p.quantity, p.amount])).toEqual([
      ['s1', '2', '0.86'],
    ]);
    const paid = Object.fromEntries(
      r.settlement.participants.map((a) => [a.participant, [a.paid, a.received]]),
    );
    expect(paid).toEqual({
      h1: ['1.734', '0'],
      h2: ['2.613', '0'],
      h3: ['1.62', '0'],
      p1: ['0', '3.447'],
      p2: ['0', '2.1598'],
      p3: ['0', '1.0862'],
    });
    expect(r.settlement.platform).toMatchObject({
      income: '-0.726',
      commissions: '0.134',
      poolPurchases: '0.86',
    });
  });

  it.each([
    ['unit-price ranking', { ranking: 'unit-price' }],
    ['ask pricing', { pricing: 'ask' }],
    ['k = 0.25', { pricing: { k: '0.25' } }],
    ['uniform price', { mechanism: 'uniform-price' }],
    ['the welfare optimum', { mechanism: 'welfare-optimal' }],
    [
      'the welfare optimum, unit-price ranking, bid pricing',
      {
        mechanism: 'welfare-optimal',
        ranking: 'unit-price',
        pricing: 'bid',
      },
    ],
    ['absorb all, capacity 1', { absorb: 'all', poolCapacity: { electricity: '1' } }],
    ['a grid', { gridPrice: '0.7', poolSellPrice: '0.2' }],
    [
      'flat commission, whole currency',
      { commission: { kind: 'flat', rate: '0.013' }, currencyScale: 0 },
    ],
  ] as const)('with %s', (_name, config) => {
    expectSameCycle(WORKED_EXAMPLE, config as ClearingConfig, { timestamp: T0 });
  });
});

describe('both engines on the fixtures', () => {
  const configs: ClearingConfig[] = [
    {},
    { ranking: 'unit-price' },
    { mechanism: 'uniform-price' },
    { mechanism: 'welfare-optimal', pricing: 'ask' },
    { pricing: 'bid', absorb: 'all', gridPrice: '100' },
  ];

  it.each(findEqCases().map((c) => [c.name, c] as const))('find-eq: %s', (_name, c) => {
    for (const config of configs) expectSameCycle(findEqBook(c), config, { timestamp: T0 });
  });

  it.each(pymarketBooks())('pymarket: %s', (_name, book) => {
    for (const config of configs) expectSameCycle(book, config, { timestamp: T0 });
  });

  it("simply's documented example", () => {
    for (const config of configs) expectSameCycle(simplyBook(), config, { timestamp: T0 });
  });

  it.each([
    ['jin2021', {}],
    ['welfare-optimal', { mechanism: 'welfare-optimal' }],
  ] as const)(
    "the demo's day of the Fontana microgrid, hour by hour and chained (%s)",
    (_name, mechanism) => {
      const rows = readDay();
      let previous: Block | undefined;
      for (let hour = 0; hour < 24; hour++) {
        const orders = ordersForHour(rows, hour, new Dec('10'));
        const strip = (side: string) =>
          orders
            .filter((o) => o.side === side)
            .map(({ side: _side, expiresAt: _expires, ...order }) => order);
        const book = { offers: strip('offer'), bids: strip('bid'), storage: strip('storage') };
        const timestamp = `2026-06-16T${String(hour).padStart(2, '0')}:00:30Z`;
        const config: ClearingConfig = {
          ...mechanism,
          fixedPrice: { electricity: '0.10', heat: '0.05', cold: '0.05' },
        };
        previous = expectSameCycle(book, config, { timestamp, previous }).block;
        expect(previous.height).toBe(hour);
      }
    },
  );
});

/** The previous block of a chain: none, a bare tip, or a real block (with its timestamp). */
const previousArb = fc.constantFrom<ClearOptions['previous']>(
  undefined,
  { height: 7, hash: 'ab'.repeat(32) },
  clearCycle(WORKED_EXAMPLE, {}, { timestamp: '2026-01-01T00:00:00Z' }).block,
);

describe('both engines on random books', () => {
  it('agree on every config value, all four carriers, storage, a previous block, custom policies and JSON text', () => {
    fc.assert(
      fc.property(
        bookArb({ allCarriers: true }),
        everyConfigArb,
        previousArb,
        fc.option(fc.constantFrom(...POLICIES), { nil: undefined }),
        fc.constantFrom(undefined, nodeSha256Hasher),
        fc.boolean(),
        (book, config, previous, commission, hasher, asText) => {
          const options: ClearOptions = { timestamp: T0, previous, commission, hasher };
          expectSameCycle(asText ? JSON.stringify(book) : book, config, options);
        },
      ),
      runs(1500),
    );
  });

  it('agree on dense two-carrier books (ties, all-or-none, self-trade pairs) under every mechanism', () => {
    fc.assert(
      fc.property(
        bookArb({ max: 30 }),
        configArb,
        fc.constantFrom('jin2021' as const, 'uniform-price' as const, 'welfare-optimal' as const),
        (book, config, mechanism) => {
          expectSameCycle(book, { ...config, mechanism }, { timestamp: T0 });
        },
      ),
      runs(500),
    );
  });

  it('call a custom policy with the same trades and contexts, in the same order', () => {
    fc.assert(
      fc.property(bookArb({ allCarriers: true }), everyConfigArb, (book, config) => {
        const fastCalls: string[] = [];
        const referenceCalls: string[] = [];
        const fast = clearCycle(book, config, {
          timestamp: T0,
          commission: recordingPolicy(fastCalls),
        });
        const reference = clearCycleReference(book, config, {
          timestamp: T0,
          commission: recordingPolicy(referenceCalls),
        });
        expect(referenceCalls).toEqual(fastCalls);
        expect(fastCalls).toHaveLength(fast.trades.length + fast.poolTrades.length);
        expect(JSON.stringify(reference)).toBe(JSON.stringify(fast));
      }),
      runs(300),
    );
  });

  it('chain the same blocks, cycle after cycle', () => {
    fc.assert(
      fc.property(
        fc.array(bookArb({ allCarriers: true, max: 6 }), { minLength: 2, maxLength: 4 }),
        (books) => {
          const chain: Block[] = [];
          let fastTip: Block | undefined;
          books.forEach((book, i) => {
            const timestamp = `2026-01-01T00:0${i}:30Z`;
            const fast = clearCycle(book, {}, { timestamp, previous: fastTip });
            const reference = clearCycleReference(book, {}, { timestamp, previous: chain.at(-1) });
            expect(reference.block).toEqual(fast.block);
            fastTip = fast.block;
            chain.push(reference.block);
          });
          expect(verifyChain(chain)).toEqual({ ok: true });
        },
      ),
      runs(100),
    );
  });
});

describe('both engines refuse the same inputs with the same error', () => {
  const good = { offers: WORKED_EXAMPLE.offers, bids: WORKED_EXAMPLE.bids };
  const policy = (id: string, fees: CommissionPolicy['fees']): CommissionPolicy => ({ id, fees });
  const cases: Array<[string, unknown, unknown, unknown]> = [
    ['options that are no object', good, {}, null],
    ['no timestamp', good, {}, {}],
    [
      'a bad timestamp and a bad book',
      { offers: [{ id: 's' }], bids: [] },
      {},
      { timestamp: 'noon' },
    ],
    [
      'a bad timestamp and a bad config',
      good,
      { currencyScale: -1 },
      { timestamp: '2026-02-30T00:00:00Z' },
    ],
    [
      'a number for a price',
      { offers: [{ ...good.offers[0], price: 0.3 }], bids: [] },
      {},
      { timestamp: T0 },
    ],
    ['book text that is not JSON', '{"offers": [', {}, { timestamp: T0 }],
    ['an unknown config field', good, { pricng: 'ask' }, { timestamp: T0 }],
    [
      'a previous block at 2^53 − 1',
      good,
      {},
      { timestamp: T0, previous: { height: Number.MAX_SAFE_INTEGER, hash: '0'.repeat(64) } },
    ],
    [
      'a malformed previous hash',
      good,
      {},
      { timestamp: T0, previous: { height: 1, hash: 'xyz' } },
    ],
    [
      'a timestamp before the previous block',
      good,
      {},
      {
        timestamp: T0,
        previous: { height: 1, hash: 'ab'.repeat(32), timestamp: '2027-01-01T00:00:00Z' },
      },
    ],
    [
      'a custom policy without an id',
      good,
      {},
      { timestamp: T0, commission: policy('', () => ({ supplierFee: '0', consumerFee: '0' })) },
    ],
    [
      'a negative fee',
      good,
      {},
      {
        timestamp: T0,
        commission: policy('neg/v1', () => ({ supplierFee: '-0.1', consumerFee: '0' })),
      },
    ],
    [
      'a fee in exponent form',
      good,
      {},
      {
        timestamp: T0,
        commission: policy('exp/v1', () => ({ supplierFee: '0', consumerFee: '1e-3' })),
      },
    ],
    [
      'a fee that is a number',
      good,
      {},
      {
        timestamp: T0,
        commission: policy('num/v1', () => ({ supplierFee: 0, consumerFee: '0' }) as never),
      },
    ],
    [
      'no answer',
      good,
      {},
      { timestamp: T0, commission: policy('void/v1', () => undefined as never) },
    ],
    [
      'a supplier fee above the amount',
      good,
      {},
      {
        timestamp: T0,
        commission: policy('big/v1', (t) => ({ supplierFee: `${t.amount}1`, consumerFee: '0' })),
      },
    ],
    [
      'a supplier fee on a pool trade',
      {
        offers: [],
        bids: [good.bids[0]!],
        storage: [{ id: 'b', carrier: 'electricity', quantity: '1', price: '0.1' }],
      },
      {},
      {
        timestamp: T0,
        commission: policy('pool/v1', () => ({ supplierFee: '0.01', consumerFee: '0' })),
      },
    ],
  ];

  it.each(cases)('%s', (_name, book, config, options) => {
    const [fast, reference] = ENGINES.map(([, clear]) =>
      outcome(() => clear(book as OrderBook, config as ClearingConfig, options as ClearOptions)),
    );
    expect(fast).toHaveProperty('error');
    expect(reference).toEqual(fast);
  });
});

describe('the reference engine itself', () => {
  it('returns a frozen result', () => {
    const r = clearCycleReference(WORKED_EXAMPLE, {}, { timestamp: T0 });
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.trades[0])).toBe(true);
    expect(Object.isFrozen(r.settlement.participants[0]!.energy)).toBe(true);
  });

  it('never writes to its inputs', () => {
    const book = structuredClone(WORKED_EXAMPLE) as OrderBook;
    const before = JSON.stringify(book);
    clearCycleReference(Object.freeze(book), Object.freeze({}), Object.freeze({ timestamp: T0 }));
    expect(JSON.stringify(book)).toBe(before);
  });

  it('imports no computation of the fast engine or its optimiser: only types from their folders', () => {
    const dir = join(import.meta.dirname, '..', '..', 'src', 'reference');
    const fast =
      /from '\.\.\/(engine|matching|ranking|settlement|commission|memory|decimal|metrics)\//;
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text.split('\n').length, file).toBeLessThanOrEqual(500);
      for (const statement of text.match(/^import[\s\S]*?;$/gm) ?? []) {
        if (fast.test(statement)) expect(statement, file).toMatch(/^import type /);
      }
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateBook } from '../../src/cli/generators.js';
import { RANKED_TABLES_MIN } from '../../src/engine/p2p.js';
import { writeInputs } from '../../src/engine/records/inputs.js';
import { scattered } from '../../src/engine/records/seal.js';
import { FAST_JSON } from '../../src/engine/views.js';
import {
  type CommissionPolicy,
  canonicalJson,
  clearCycle,
  type OrderBook,
  parseConfig,
  sha256Hasher,
  toHex,
  transactionRecords,
} from '../../src/index.js';
import { HEAP } from '../../src/internal/arena.js';
import {
  ByteWriter,
  gatherTable,
  type JsonTable,
  jsonTable,
} from '../../src/internal/byte-writer.js';
import { MAX_DEPTH as MAX_JSON_DEPTH } from '../../src/ledger/canonical-json.js';
import { leafHashes, merkleRoot } from '../../src/ledger/merkle.js';
import { bookTables } from '../../src/ledger/records.js';
import { validateBook } from '../../src/validate/book.js';
import { bookArb, configArb } from '../helpers/arbitraries.js';
import { bid, offer, runs, T0 } from '../helpers/books.js';

/** A "hash" that is the bytes themselves: what was written can be read back. */
const identity = { id: 'identity', outputLen: 0, digest: (b: Uint8Array) => b.slice() };

/** Ids with quotes, backslashes, control characters, astral characters — but no lone surrogate. */
const nastyId = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
  .map((s) => `${s}"\\\u0001é😀`.slice(0, 12))
  .filter((s) => !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')));

function renamed(book: OrderBook, names: string[]): OrderBook {
  const name = (s: string) => `${names[s.length % names.length]}${s}`;
  return {
    offers: book.offers.map((o) => ({ ...o, id: name(o.id), participant: name(o.participant) })),
    bids: book.bids.map((b) => ({ ...b, id: name(b.id), participant: name(b.participant) })),
    storage: (book.storage ?? []).map((l) => ({ ...l, id: name(l.id) })),
  };
}

/**
 * A custom policy: the engine takes its fees as strings (canonical or not) and writes them into
 * the records. A supplier fee is at most the amount: here all of it (written with a trailing
 * zero) or nothing.
 */
const customPolicy: CommissionPolicy = {
  id: 'records/v1',
  fees: (t, ctx) =>
    ctx.scenario === 'p2p'
      ? {
          supplierFee:
            ctx.bidRank % 2 === 1 ? '0' : `${t.amount}${t.amount.includes('.') ? '0' : '.0'}`,
          consumerFee: t.quantity,
        }
      : { supplierFee: '0', consumerFee: '0.25' },
};

/** A book with nasty ids, a config, and built-in or custom commission. */
const nastyCycle = fc.tuple(
  bookArb(),
  configArb,
  fc.array(nastyId, { minLength: 1, maxLength: 4 }),
  fc.boolean(),
);

/** Clears what {@link nastyCycle} drew. */
function clearNasty([book, config, names, withCustom]: [
  OrderBook,
  Parameters<typeof clearCycle>[1],
  string[],
  boolean,
]) {
  const options = withCustom ? { timestamp: T0, commission: customPolicy } : { timestamp: T0 };
  return clearCycle(renamed(book, names), config, options);
}

describe('specialised serialisers write canonicalJson bytes', () => {
  it('for every trade, pool purchase and pool trade record, built-in or custom commission', () => {
    fc.assert(
      fc.property(nastyCycle, (args) => {
        const r = clearNasty(args);
        // What the engine sealed, written as bytes, is canonicalJson of every record.
        const expected = transactionRecords(r).map((t) => canonicalJson(t));
        expect(r.block.transactionCount).toBe(expected.length);
        const leaves = leafHashes(expected, r.block.leafSize, sha256Hasher);
        expect(r.block.merkleRoot).toBe(toHex(merkleRoot(leaves, sha256Hasher)));
      }),
      runs(1000),
    );
  });

  it('for the inputs the block commits to, in (seq, id) order whatever the input order', () => {
    fc.assert(
      fc.property(
        bookArb(),
        configArb,
        fc.array(nastyId, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (raw, config, names, withResting) => {
          const book = renamed(raw, names);
          const cfg = parseConfig(config);
          const parsed = validateBook(book, cfg.limits);
          const resting = withResting ? parsed.book.offers.map((o) => o.id).sort() : [];
          const w = new ByteWriter(identity);
          writeInputs(parsed, cfg, resting, bookTables(parsed), w);
          const text = new TextDecoder().decode(w.digest());
          const order = <T extends { id: string; seq?: number }>(xs: readonly T[]) =>
            xs.slice().sort((a, b) => a.seq! - b.seq! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
          const expected: Record<string, unknown> = {
            book: {
              bids: order(parsed.book.bids),
              offers: order(parsed.book.offers),
              storage: order(parsed.book.storage ?? []),
            },
            config: cfg,
          };
          if (resting.length > 0) expected['resting'] = resting;
          expect(text).toBe(canonicalJson(expected));
        },
      ),
      runs(1000),
    );
  });
});

describe('the fast JSON of a result’s trades and outcomes (what worker threads send)', () => {
  type Fast = { trades(): string; bidOutcomes(): string; offerOutcomes(): string };
  const fast = (r: object) => (r as Record<symbol, Fast>)[FAST_JSON]!;
  it('is JSON.stringify of each list, built-in and custom commission alike', () => {
    fc.assert(
      fc.property(nastyCycle, (args) => {
        const r = clearNasty(args);
        // Before and after the objects exist.
        const before = [fast(r).trades(), fast(r).bidOutcomes(), fast(r).offerOutcomes()];
        expect(before).toEqual([
          JSON.stringify(r.trades),
          JSON.stringify(r.bidOutcomes),
          JSON.stringify(r.offerOutcomes),
        ]);
        expect(fast(r).trades()).toBe(before[0]);
      }),
      runs(500),
    );
  });
});

describe('hashing without an incremental hasher', () => {
  it('gives the same inputsHash and block as a streaming one, past the 64 KiB chunk', () => {
    const offers = Array.from({ length: 800 }, (_, i) =>
      offer(`offer-with-a-long-id-${i}`, `supplier-${i}`, `${1 + (i % 7)}`, '0.2'),
    );
    const bids = Array.from({ length: 800 }, (_, i) =>
      bid(`bid-with-a-long-id-${i}`, `consumer-${i}`, `${1 + (i % 5)}`, '0.3'),
    );
    const oneShot = { id: 'sha256', outputLen: 32, digest: sha256Hasher.digest };
    const a = clearCycle({ offers, bids }, {}, { timestamp: T0 });
    const b = clearCycle({ offers, bids }, {}, { timestamp: T0, hasher: oneShot });
    expect(b.block.inputsHash).toBe(a.block.inputsHash);
    expect(b.block.hash).toBe(a.block.hash);
    // And the bytes hashed are more than one chunk.
    expect(JSON.stringify({ offers, bids }).length).toBeGreaterThan(1 << 16);
  });
});

describe('canonicalJson refuses what RFC 8785 cannot encode, saying why', () => {
  const nest = (levels: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = i % 2 === 0 ? [v] : { k: v };
    return v;
  };
  it('nesting: accepted up to the limit, refused one past it', () => {
    expect(() => canonicalJson(nest(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => canonicalJson(nest(MAX_JSON_DEPTH + 1))).toThrow(
      new TypeError(`"value" is nested deeper than ${MAX_JSON_DEPTH} levels (or holds a cycle)`),
    );
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(() => canonicalJson(cycle)).toThrow(/nested deeper/);
  });
  it('values outside JSON, with the reason', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(
      new RangeError('"value" expected a finite number, got NaN'),
    );
    expect(() => canonicalJson(() => 1)).toThrow(
      new TypeError('"value" expected a JSON value, got function'),
    );
    expect(() => canonicalJson(1n)).toThrow(
      new TypeError('"value" expected a JSON value, got bigint'),
    );
    expect(() => canonicalJson(new Map())).toThrow(
      new TypeError('"value" expected a plain object, got Map'),
    );
    expect(() => canonicalJson(Object.create({}))).toThrow(
      new TypeError('"value" expected a plain object, got Object'),
    );
    expect(() => canonicalJson(Object.create(Object.create(null)))).toThrow(
      new TypeError('"value" expected a plain object, got an object'),
    );
    expect(canonicalJson(Object.create(null))).toBe('{}');
    expect(() => canonicalJson({ a: undefined })).toThrow(
      new TypeError('"value" member "a" is undefined'),
    );
    expect(() => canonicalJson(['\ud800'])).toThrow(
      new RangeError('"value" holds a string with a lone UTF-16 surrogate'),
    );
  });
});

describe('the default hasher', () => {
  it('create() is the incremental form of digest()', () => {
    const a = new TextEncoder().encode('abc');
    const b = new TextEncoder().encode('defg');
    const whole = sha256Hasher.digest(new Uint8Array([...a, ...b]));
    const inc = sha256Hasher.create?.();
    if (inc === undefined) throw new Error('the default hasher has no incremental form');
    inc.update(a);
    inc.update(b);
    expect(inc.digest()).toEqual(whole);
  });
});

describe('a carrier with many fills: ids and parties copied in rank order first', () => {
  it('gatherTable(table, order) holds entry order[k] of table at k, repeats and all', () => {
    fc.assert(
      fc.property(
        fc.array(nastyId, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 80 }),
        (texts, picks) => {
          const table = jsonTable(texts.length, (i) => texts[i]!);
          const order = Int32Array.from(picks, (p) => p % texts.length);
          const gathered = gatherTable(table, order, HEAP);
          const entry = (t: JsonTable, k: number) =>
            new TextDecoder().decode(t.bytes.subarray(t.start[k], t.start[k + 1]));
          expect(gathered.start.length).toBe(order.length + 1);
          for (let k = 0; k < order.length; k++)
            expect(entry(gathered, k)).toBe(JSON.stringify(texts[order[k]!]));
        },
      ),
      runs(300),
    );
  });

  it('seals the same records as canonicalJson of the result, past RANKED_TABLES_MIN fills', () => {
    // ~1.4 fills a bid: 31,000 a side of electricity make more fills than the threshold, 3,000 a
    // side of heat fewer (the carrier after it reads the book's tables again); 68,000 orders take
    // the cycle arena's path (copies in reused scratch memory). Ids and names need escaping.
    const raw = generateBook({ kind: 'random', size: 34_000, seed: 7, carriers: ['electricity'] });
    const heat = <T extends { carrier: string }>(o: T, i: number) =>
      i >= 31_000 ? { ...o, carrier: 'heat' as const } : o;
    const two = { offers: raw.offers.map(heat), bids: raw.bids.map(heat) } as OrderBook;
    const book = renamed(two, ['q"\\', 'é😀', 'plain']);
    for (const options of [{ timestamp: T0 }, { timestamp: T0, commission: customPolicy }]) {
      const r = clearCycle(book, { limits: { maxOrders: 100_000 } }, options);
      const fills = r.carriers.map((c) => c.counters.p2pTrades);
      expect(fills[0]).toBeGreaterThanOrEqual(RANKED_TABLES_MIN);
      expect(fills[1]).toBeGreaterThan(0);
      expect(fills[1]).toBeLessThan(RANKED_TABLES_MIN);
      const expected = transactionRecords(r).map((t) => canonicalJson(t));
      const leaves = leafHashes(expected, r.block.leafSize, sha256Hasher);
      expect(r.block.merkleRoot).toBe(toHex(merkleRoot(leaves, sha256Hasher)));
    }
  }, 60_000);

  it('reads in place a table that rank order reads in order, and copies the others', () => {
    // The bids and offers of electricity given in rank order (the ranks a policy is told), after
    // 3,000 a side of heat: their ids are read from the book's tables by input index (which is
    // not the rank), their participants (scattered) from copies by rank.
    const raw = generateBook({ kind: 'random', size: 34_000, seed: 11, carriers: ['electricity'] });
    const heat = <T extends { carrier: string }>(o: T, i: number) =>
      i < 3_000 ? { ...o, carrier: 'heat' as const } : o;
    const mixed = renamed({ offers: raw.offers.map(heat), bids: raw.bids.map(heat) } as OrderBook, [
      'q"\\',
      'é😀',
    ]);
    /** Each traded electricity bid's and offer's rank, as a policy is told them. */
    const ranksOf = (b: OrderBook) => {
      const bids = new Map<string, number>();
      const offers = new Map<string, number>();
      const ranks: CommissionPolicy = {
        id: 'ranks',
        fees: (t, ctx) => {
          if (ctx.scenario === 'p2p' && t.carrier === 'electricity') {
            bids.set(t.bidId, ctx.bidRank);
            offers.set(t.supplyId, ctx.supplyRank);
          }
          return { supplierFee: '0', consumerFee: '0' };
        },
      };
      clearCycle(b, { limits: { maxOrders: 100_000 } }, { timestamp: T0, commission: ranks });
      return { bids, offers };
    };
    const ranks = ranksOf(mixed);
    // Heat first, then electricity by rank; orders that never traded after those that did.
    const byRank = <T extends { id: string; carrier: string }>(
      os: readonly T[],
      rank: Map<string, number>,
    ) =>
      [...os].sort(
        (a, b) =>
          Number(a.carrier !== 'heat') - Number(b.carrier !== 'heat') ||
          (rank.get(a.id) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.id) ?? Number.MAX_SAFE_INTEGER),
      );
    const book = {
      offers: byRank(mixed.offers, ranks.offers),
      bids: byRank(mixed.bids, ranks.bids),
    };
    // In this book traded orders' ranks grow with their input index…
    const again = ranksOf(book);
    expect(again.bids.size).toBeGreaterThan(RANKED_TABLES_MIN / 2);
    for (const [orders, rank] of [
      [book.bids, again.bids],
      [book.offers, again.offers],
    ] as const) {
      const traded = orders.flatMap((o, i): [number, number][] =>
        rank.has(o.id) ? [[i, rank.get(o.id)!]] : [],
      );
      for (let k = 1; k < traded.length; k++)
        expect(traded[k]![1]).toBeGreaterThan(traded[k - 1]![1]);
      // …and are not their input index: a record that read ids by rank would be wrong.
      const moved = traded.filter(([i, at]) => at !== i).length;
      expect(moved).toBeGreaterThan(0.9 * traded.length);
    }
    for (const options of [{ timestamp: T0 }, { timestamp: T0, commission: customPolicy }]) {
      const r = clearCycle(book, { limits: { maxOrders: 100_000 } }, options);
      expect(r.carriers[0]!.counters.p2pTrades).toBeGreaterThanOrEqual(RANKED_TABLES_MIN);
      const expected = transactionRecords(r).map((t) => canonicalJson(t));
      const leaves = leafHashes(expected, r.block.leafSize, sha256Hasher);
      expect(r.block.merkleRoot).toBe(toHex(merkleRoot(leaves, sha256Hasher)));
    }
  }, 60_000);

  it('scattered(order): more than one step in four further than 16 entries', () => {
    expect(scattered(Int32Array.from({ length: 1000 }, (_, k) => k))).toBe(false);
    expect(scattered(Int32Array.from({ length: 1000 }, (_, k) => 1000 - k))).toBe(false);
    // Steps of 17 are far; steps of 16 are near.
    expect(scattered(Int32Array.from({ length: 1000 }, (_, k) => 17 * k))).toBe(true);
    expect(scattered(Int32Array.from({ length: 1000 }, (_, k) => 16 * k))).toBe(false);
    // One far step in four is not enough; one more is.
    const quarter = (farSteps: number) =>
      Int32Array.from({ length: 101 }, (_, k) =>
        k <= farSteps ? 100 * k : 100 * farSteps + k - farSteps,
      );
    expect(scattered(quarter(25))).toBe(false);
    expect(scattered(quarter(26))).toBe(true);
  });
});

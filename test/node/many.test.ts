import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generateBook } from '../../src/cli/generators.js';

// clearMany starts worker threads from the built files: these tests load dist (npm test builds
// first), typed by the sources so type-checking does not need a build. The main entry is its Node
// build, as Node resolves the package: the one that shares its error classes with `./node`.
const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url).href;
const { ClearingError, clearCycle, ValidationError } = (await import(
  dist('index.node.js')
)) as typeof import('../../src/index.js');
const { ClearingPool, clearMany, nodeSha256Hasher } = (await import(
  dist('node.js')
)) as typeof import('../../src/node/index.js');
type ValidationError = import('../../src/index.js').ValidationError;
type ClearingError = import('../../src/index.js').ClearingError;

const T = '2026-01-01T00:00:30Z';
const book = (seed: number, size: number) =>
  generateBook({ kind: 'random', size, seed, carriers: ['electricity', 'heat'] });

/** The issues clearCycle gives `b` in this thread, and those `pool` gives it (paths unprefixed). */
async function bothIssues(pool: InstanceType<typeof ClearingPool>, b: unknown) {
  let local: unknown;
  try {
    clearCycle(b as never, undefined, { timestamp: T });
  } catch (err) {
    local = (err as ValidationError).issues;
  }
  const err = await pool.clear([{ book: b, timestamp: T }]).catch((e: unknown) => e);
  const pooled =
    err instanceof ValidationError
      ? err.issues.map((i) => ({ ...i, path: i.path.replace('markets[0].', '') }))
      : err;
  return { local, pooled };
}

describe('clearMany', () => {
  it('gives each market the bytes clearCycle gives it, in input order', async () => {
    const markets = [1, 2, 3, 4, 5].map((seed) => ({
      book: book(seed, 50 * seed),
      config: seed % 2 === 0 ? { pricing: 'ask' as const } : undefined,
      timestamp: T,
    }));
    const results = await clearMany(markets, { workers: 2 });
    expect(results).toHaveLength(5);
    results.forEach((r, i) => {
      const m = markets[i]!;
      const expected = clearCycle(m.book, m.config, { timestamp: T, hasher: nodeSha256Hasher });
      expect(JSON.stringify(r)).toBe(JSON.stringify(expected));
      // The large lists arrive as their own texts, parsed on first read: equal and frozen too.
      expect(r).toEqual(expected);
      expect(Object.keys(r)).toEqual(Object.keys(expected));
      expect(Object.keys(r.settlement)).toEqual(Object.keys(expected.settlement));
      for (const x of [
        r,
        r.settlement,
        r.trades,
        r.trades[0],
        r.settlement.participants[0],
        r.bidOutcomes,
        r.bidOutcomes[0],
        r.offerOutcomes[0],
      ])
        expect(Object.isFrozen(x)).toBe(true);
      expect(r.bidOutcomes).toBe(r.bidOutcomes);
      expect(r.trades).toBe(r.trades);
    });
  });

  it('sends the trades as columns: equal to clearCycle past 2^53, with any ids, read by resultColumns', async () => {
    const { resultColumns } = (await import(
      dist('index.node.js')
    )) as typeof import('../../src/index.js');
    // Amounts and fees past 2^53 (kept aside as bigints by the log), ids that need escaping or
    // are not ASCII, participants on both sides, bids and offers filled by several trades.
    const big: import('../../src/index.js').OrderBook = {
      offers: [
        { id: 'o"1', participant: 'pv-ä', carrier: 'heat', quantity: '999999999', price: '999999' },
        { id: 'o2', participant: 'home-1', carrier: 'heat', quantity: '3.5', price: '0.1' },
        { id: 'o3', participant: 'pv-ä', carrier: 'gas', quantity: '2', price: '0.2' },
      ],
      bids: [
        {
          id: 'b\\1',
          participant: 'home-1',
          carrier: 'heat',
          quantity: '1000000000',
          price: '1000000',
        },
        { id: 'b2 ☀', participant: 'home-2', carrier: 'heat', quantity: '1', price: '0.3' },
        { id: 'b3', participant: 'home-2', carrier: 'gas', quantity: '5', price: '0.25' },
      ],
    };
    const config = {
      limits: { maxQuantity: '1000000000', maxPrice: '1000000', quantityScale: 6, priceScale: 3 },
    };
    // Energy sums past 2^53 in quantity units (ten trades of ~10^15 to one account).
    const many = (side: string, party: string) =>
      Array.from({ length: 10 }, (_, k) => ({
        id: `${side}${k}`,
        participant: party,
        carrier: 'electricity' as const,
        quantity: '999999999.999999',
        price: '1',
      }));
    const markets = [
      { book: big, config, timestamp: T },
      { book: book(11, 300), timestamp: T },
      { book: { offers: [], bids: [] }, timestamp: T },
      { book: { offers: many('o', 'pv'), bids: many('b', 'home') }, config, timestamp: T },
    ];
    const pool = new ClearingPool({ workers: 2 });
    try {
      const results = await pool.clear(markets);
      results.forEach((r, i) => {
        const m = markets[i]!;
        const expected = clearCycle(m.book, m.config, { timestamp: T, hasher: nodeSha256Hasher });
        const columns = resultColumns(r).trades;
        // Read before the list is built: the columns come from the transferred arrays.
        const rows = Array.from({ length: columns.length }, (_, k) => columns.at(k));
        expect(Object.getPrototypeOf(columns)).toBe(
          Object.getPrototypeOf(resultColumns(expected).trades),
        );
        expect(rows).toEqual(expected.trades);
        if (columns.length > 0)
          expect(columns.amount(columns.length - 1)).toBe(expected.trades.at(-1)!.amount);
        expect(JSON.stringify(r)).toBe(JSON.stringify(expected));
        expect(Object.isFrozen(r.trades)).toBe(true);
      });
      expect(results[0]!.trades[0]!.amount).toBe('999999499000000.5');
      expect(results[2]!.trades).toEqual([]);
      // The accounts come as columns too, their energy sums past 2^53 exact.
      const [home] = results[3]!.settlement.participants;
      expect(home?.participant).toBe('home');
      expect(home?.energy.electricity?.bought).toBe('9999999999.99999');
    } finally {
      await pool.close();
    }
  });

  it('a worker sends the trades, outcomes and accounts as transferred columns, not as text', async () => {
    const { Worker } = await import('node:worker_threads');
    type Reply = import('../../src/node/protocol.js').WorkerReply;
    const worker = new Worker(new URL(dist('worker.js')));
    try {
      const market = { book: book(5, 200), timestamp: T };
      const reply = await new Promise<Reply>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({ index: 0, mode: 'parts', market });
      });
      if (!reply.ok || typeof reply.result === 'string') throw new Error('expected parts');
      const { parts, lists } = reply.result;
      // The pool's lists are JSON text; the trades, the outcomes and the accounts are not.
      expect(Object.keys(parts).sort()).toEqual([
        '.consumerIdRest',
        '.poolPurchases',
        '.poolTrades',
        '.supplyIdPool',
        '.unsold',
      ]);
      expect(lists?.accounts.names.length).toBeGreaterThan(0);
      expect(lists?.accounts.paidAt).toBeInstanceOf(Float64Array);
      expect(lists?.trades.log.qty.length).toBeGreaterThan(0);
    } finally {
      await worker.terminate();
    }
  });

  it('chains: a market given its previous block seals on top of it', async () => {
    const first = clearCycle(book(7, 20), {}, { timestamp: T, hasher: nodeSha256Hasher });
    const [next] = await clearMany(
      [{ book: book(8, 20), timestamp: '2026-01-01T00:01:00Z', previous: first.block }],
      { workers: 1 },
    );
    expect(next!.block.height).toBe(first.block.height + 1);
    expect(next!.block.previousHash).toBe(first.block.hash);
  });

  it('lists every invalid market in one ValidationError, paths prefixed', async () => {
    const bad = {
      offers: [],
      bids: [{ id: 'c1', participant: 'h', carrier: 'heat', quantity: '-1', price: '0.1' }],
    };
    const err = await clearMany([
      { book: book(1, 10), timestamp: T },
      { book: bad, timestamp: T },
      { book: book(2, 10), timestamp: 'yesterday' },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
      ['markets[1].bids[0].quantity', 'negative'],
      ['markets[2].timestamp', 'invalid_timestamp'],
    ]);
  });

  it('refuses what is not a market, bad worker counts and functions it cannot send', async () => {
    const notMarket = await clearMany([{ book: book(1, 5), timestamp: T }, 7 as never]).catch(
      (e: unknown) => e,
    );
    expect((notMarket as ValidationError).issues[0]).toMatchObject({
      path: 'markets[1]',
      code: 'invalid_type',
    });
    for (const workers of [0, 1.5, -1]) {
      await expect(clearMany([], { workers })).rejects.toMatchObject({ code: 'invalid_option' });
    }
    const fn = await clearMany([
      { book: book(1, 5), timestamp: T, config: { x: () => 1 } as never },
    ]).catch((e: unknown) => e);
    expect(fn).toBeInstanceOf(ClearingError);
    expect((fn as ClearingError).code).toBe('invalid_option');
    expect((fn as ClearingError).message).toMatch(/^markets\[0\]: /);
  });

  it('returns an empty list for no markets', async () => {
    expect(await clearMany([])).toEqual([]);
  });
});

describe('ClearingPool', () => {
  it('reuses its threads across cycles, chaining blocks, then closes', async () => {
    const pool = new ClearingPool({ workers: 2 });
    const first = await pool.clear([
      { book: book(1, 30), timestamp: T },
      { book: book(2, 30), timestamp: T },
    ]);
    // Two calls at once run one after the other, each in input order.
    const [a, b] = await Promise.all([
      pool.clear([
        { book: book(3, 30), timestamp: '2026-01-01T00:01:00Z', previous: first[0]!.block },
      ]),
      pool.clear([
        { book: book(4, 30), timestamp: '2026-01-01T00:01:00Z', previous: first[1]!.block },
      ]),
    ]);
    expect(a![0]!.block.previousHash).toBe(first[0]!.block.hash);
    expect(b![0]!.block.previousHash).toBe(first[1]!.block.hash);
    const expected = clearCycle(book(4, 30), undefined, {
      timestamp: '2026-01-01T00:01:00Z',
      previous: first[1]!.block,
      hasher: nodeSha256Hasher,
    });
    expect(JSON.stringify(b![0])).toBe(JSON.stringify(expected));
    await pool.close();
    await expect(pool.clear([])).rejects.toMatchObject({ code: 'invalid_option' });
  });

  it("sends a book its JSON text says exactly as that text's bytes, any other book as it is", async () => {
    const { Worker } = await import('node:worker_threads');
    type Request = import('../../src/node/protocol.js').WorkerRequest;
    const sent: (Request & { text: string | undefined })[] = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: InstanceType<typeof Worker>, m, t) {
      const r = m as Request;
      // Read now: the bytes are transferred, and gone from this side once posted.
      const bytes = r.bookBytes;
      sent.push({ ...r, text: bytes && Buffer.from(bytes).toString('latin1') });
      post.call(this, m, t);
    };
    const plain = book(3, 20);
    const special = { ...plain, bids: plain.bids.map((b) => ({ ...b, allOrNone: undefined })) };
    const pool = new ClearingPool({ workers: 1 });
    try {
      await pool.clear([
        { book: plain, timestamp: T },
        { book: special, timestamp: T },
        { book: JSON.stringify(plain), timestamp: T },
        {
          book: JSON.stringify({ ...plain, bids: [{ ...plain.bids[0], id: 'Zürich' }] }),
          timestamp: T,
        },
      ]);
    } finally {
      Worker.prototype.postMessage = post;
      await pool.close();
    }
    const byIndex = sent.sort((a, b) => a.index - b.index);
    expect(byIndex.map((r) => r.market.book === undefined)).toEqual([true, false, true, false]);
    expect(byIndex[0]!.text).toBe(JSON.stringify(plain));
    expect(byIndex[2]!.text).toBe(JSON.stringify(plain));
    expect(byIndex[1]!.market.book).toEqual(special);
  });

  it('gives every book the outcome clearCycle gives it, however it crossed', async () => {
    class Order {
      constructor(
        readonly id: string,
        readonly participant: string,
      ) {}
      carrier = 'heat';
      quantity = '2';
      price = '0.2';
    }
    const plain = book(4, 30);
    const over = { offers: plain.offers.slice(0, 3), bids: [] };
    const markets = [
      // Its text would be refused sooner, with another message: "more than 2 orders".
      { book: over, config: { limits: { maxOrders: 2 } }, timestamp: T },
      // An offer has no allOrNone: the text, which would drop the field, would clear.
      { book: { offers: [{ ...plain.offers[0], allOrNone: undefined }], bids: [] }, timestamp: T },
      { book: { ...plain, bids: [{ ...plain.bids[0], quantity: -0 }] }, timestamp: T },
      { book: { offers: [new Order('s1', 'pv')], bids: [] }, timestamp: T },
      { book: { ...plain, bids: [{ ...plain.bids[0], id: 'Zürich 😀' }] }, timestamp: T },
      { book: { ...plain, bids: [{ ...plain.bids[0], price: 'x' }] }, timestamp: T },
    ];
    const outcome = (run: () => unknown) => {
      try {
        return JSON.stringify(run());
      } catch (err) {
        return err instanceof ValidationError ? err.issues : String(err);
      }
    };
    const pool = new ClearingPool({ workers: 2 });
    try {
      for (const [i, m] of markets.entries()) {
        const expected = outcome(() =>
          clearCycle(m.book as never, m.config, { timestamp: T, hasher: nodeSha256Hasher }),
        );
        const got = await pool.clear([m]).then(
          ([r]) => JSON.stringify(r),
          (err: unknown) =>
            err instanceof ValidationError
              ? err.issues.map((x) => ({ ...x, path: x.path.replace(/^markets\[0\]\.?/, '') }))
              : String(err),
        );
        expect(got, `market ${i}`).toEqual(expected);
      }
    } finally {
      await pool.close();
    }
  });

  it('refuses a book it cannot read with invalid_option, in any place, and stays usable', async () => {
    const throwing = Object.defineProperty({ offers: [], bids: [] }, 'storage', {
      enumerable: true,
      get() {
        throw new Error('getter boom');
      },
    });
    const revoked = Proxy.revocable([], {});
    revoked.revoke();
    const pool = new ClearingPool({ workers: 1 });
    try {
      for (const bad of [throwing, { offers: revoked.proxy, bids: [] }]) {
        // Third on one thread: sent from the reply handler of the first, not from clear().
        const markets = [book(1, 5), book(2, 5), bad].map((b) => ({ book: b, timestamp: T }));
        const err = await pool.clear(markets).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ClearingError);
        expect((err as ClearingError).code).toBe('invalid_option');
        expect((err as ClearingError).message).toMatch(/^markets\[2\]: cannot be sent/);
      }
      const [ok] = await pool.clear([{ book: book(3, 5), timestamp: T }]);
      expect(ok!.block.height).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('gives a proxied book the issues clearCycle gives it, though it cannot be cloned', async () => {
    const plain = book(5, 10);
    const bad = { ...plain, offers: [{ ...plain.offers[0], price: 'x' }] };
    const proxied = new Proxy(bad, {});
    const pool = new ClearingPool({ workers: 1 });
    try {
      const { local, pooled } = await bothIssues(pool, proxied);
      expect(local).toBeDefined();
      expect(pooled).toEqual(local);
    } finally {
      await pool.close();
    }
  });

  it('refuses, as clearCycle does, a hole that an index on Array.prototype fills', async () => {
    const plain = book(6, 10);
    const offers: unknown[] = [...plain.offers];
    offers.length += 1;
    const holey = { ...plain, offers };
    const arrays = Array.prototype as unknown as Record<number, unknown>;
    arrays[offers.length - 1] = { ...plain.offers[0], id: 'from-the-prototype' };
    const pool = new ClearingPool({ workers: 1 });
    try {
      const { local, pooled } = await bothIssues(pool, holey);
      expect(local).toBeDefined();
      expect(pooled).toEqual(local);
    } finally {
      delete arrays[offers.length - 1];
      await pool.close();
    }
  });

  it('an invalid market fails its call, not the pool', async () => {
    const pool = new ClearingPool({ workers: 1 });
    await expect(pool.clear([{ book: {}, timestamp: T }])).rejects.toBeInstanceOf(ValidationError);
    const [ok] = await pool.clear([{ book: book(5, 10), timestamp: T }]);
    expect(ok!.block.height).toBe(0);
    await pool.close();
  });

  it('clearToJson gives JSON.stringify of the result clearCycle gives', async () => {
    const pool = new ClearingPool({ workers: 2 });
    const texts = await pool.clearToJson([
      { book: book(6, 40), timestamp: T },
      { book: book(7, 40), config: { pricing: 'bid' }, timestamp: T },
    ]);
    await pool.close();
    expect(texts[1]).toBe(
      JSON.stringify(
        clearCycle(book(7, 40), { pricing: 'bid' }, { timestamp: T, hasher: nodeSha256Hasher }),
      ),
    );
    expect(JSON.parse(texts[0]!).block.height).toBe(0);
  });

  it('refuses a bad worker count when made', () => {
    expect(() => new ClearingPool({ workers: 0 })).toThrow(ClearingError);
  });

  it('does not keep the process alive when left open and idle', () => {
    const script = `import { ClearingPool } from ${JSON.stringify(dist('node.js'))};
const pool = new ClearingPool({ workers: 1 });
await pool.clear([{ book: { offers: [], bids: [] }, timestamp: '2026-01-01T00:00:00Z' }]);
console.log('cleared');`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(out.trim()).toBe('cleared');
  });

  it('starts its threads under flags a worker thread refuses, keeping the others', () => {
    const script = `import { ClearingPool } from ${JSON.stringify(dist('node.js'))};
const pool = new ClearingPool({ workers: 1 });
const [r] = await pool.clear([{ book: { offers: [], bids: [] }, timestamp: '2026-01-01T00:00:00Z' }]);
await pool.close();
console.log(typeof gc, r.block.height);`;
    // Loaded by --import on every thread: says so on the worker's.
    const preload = `data:text/javascript,import { isMainThread } from 'node:worker_threads'; if (!isMainThread) console.log('imported in the worker');`;
    const flags = [
      ['--expose-gc', '--max-old-space-size=512', '--input-type=module'],
      // Refused with a value of its own, before the flags that must be kept.
      ['--title', 'clearing', '--expose-gc', '--input-type', 'module'],
    ];
    for (const before of flags) {
      const out = execFileSync(process.execPath, [...before, '--import', preload, '-e', script], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(out.trim().split('\n').sort(), before.join(' ')).toEqual([
        'function 0',
        'imported in the worker',
      ]);
    }
  });
});

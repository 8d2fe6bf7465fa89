// bench/peers-orders.ts and bench/peers-worker.ts: the peer benchmark feeds every system the same
// orders and counts their fills alike. Benchmarks are never pass/fail on time; these tests hold
// the bench's inputs and counts honest.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OrderBook as HftBook } from 'hft-limit-order-book';
import { OrderBook as NodejsBook } from 'nodejs-order-book';
import { describe, expect, it } from 'vitest';
import {
  type ContinuousBook,
  decimal,
  type LimitOrder,
  limitOrders,
  type Outcome,
  peerBook,
  peerOrders,
  runClear,
  runContinuous,
  SYSTEMS,
  units,
} from '../../bench/peers-orders.js';
import type { Measurement } from '../../bench/peers-worker.js';
import { clearCycle } from '../../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BOOKS: readonly [string, new () => ContinuousBook][] = [
  ['hft-limit-order-book', HftBook],
  ['nodejs-order-book', NodejsBook],
];

/**
 * Price-time priority by brute force, for the bench's order flow (every sell, then every buy):
 * each buy takes the cheapest ask, the earliest first among equal prices, while its price
 * reaches it; a fill is one such take.
 */
function priceTimeReference(orders: readonly LimitOrder[]): Outcome {
  const asks: { price: number; left: number }[] = [];
  let trades = 0;
  let matched = 0;
  let buys = 0;
  for (const o of orders) {
    if (o.side === 'sell') {
      expect(buys, 'every sell comes before any buy').toBe(0);
      asks.push({ price: o.price, left: o.size });
      continue;
    }
    buys++;
    let left = o.size;
    for (;;) {
      let best: { price: number; left: number } | undefined;
      for (const a of asks)
        if (a.left > 0 && (best === undefined || a.price < best.price)) best = a;
      if (left === 0 || best === undefined || best.price > o.price) break;
      const q = Math.min(left, best.left);
      best.left -= q;
      left -= q;
      trades++;
      matched += q;
    }
  }
  return { trades, matched };
}

describe('the peer benchmark', () => {
  it('feeds every system the same orders, from a seed', () => {
    const o = peerOrders(400, 7);
    const limits = limitOrders(o);
    const book = peerBook(o);
    expect(limits).toHaveLength(800);
    expect(book.offers).toHaveLength(400);
    expect(book.bids).toHaveLength(400);
    for (let i = 0; i < 400; i++) {
      const [sell, offer] = [limits[i]!, book.offers[i]!];
      expect([sell.id, sell.side, sell.size, sell.price]).toEqual([
        offer.id,
        'sell',
        units(offer.quantity),
        units(offer.price),
      ]);
      const [buy, bid] = [limits[400 + i]!, book.bids[i]!];
      expect([buy.id, buy.side, buy.size, buy.price]).toEqual([
        bid.id,
        'buy',
        units(bid.quantity),
        units(bid.price),
      ]);
      expect(offer.participant).toMatch(/^p\d+$/);
      expect(bid.participant).toMatch(/^h\d+$/);
    }
    // Float-exact sizes and prices, so the float books leave no dust.
    expect(limits.every((l) => Number.isInteger(l.size) && Number.isInteger(l.price))).toBe(true);
    expect(peerOrders(400, 7)).toEqual(o);
    expect(peerOrders(400, 8).sellPrice).not.toEqual(o.sellPrice);
    // `overlap`: some buys are priced below some sells; `full`: none.
    const lowestBuy = (c: 'overlap' | 'full') => Math.min(...peerOrders(400, 7, c).buyPrice);
    const highestSell = (c: 'overlap' | 'full') => Math.max(...peerOrders(400, 7, c).sellPrice);
    expect(lowestBuy('overlap')).toBeLessThan(highestSell('overlap'));
    expect(lowestBuy('full')).toBeGreaterThan(highestSell('full'));
    // A coarser tick: prices on multiples of 0.001, still within the sells' range.
    const coarse = peerOrders(400, 7, 'overlap', 1000);
    expect(coarse.sellPrice.every((p) => p % 1000 === 0 && p >= 50_000 && p < 550_000)).toBe(true);
    expect(new Set(coarse.sellPrice).size).toBeLessThanOrEqual(500);
  });

  it('reads decimals as whole millionths exactly', () => {
    expect(units('12.5')).toBe(12_500_000);
    expect(units('4')).toBe(4_000_000);
    expect(units('0.000001')).toBe(1);
    expect(units('99.999999')).toBe(99_999_999);
    expect(decimal(1_500_000)).toBe('1.500000');
    expect(decimal(1)).toBe('0.000001');
    expect(() => units('0.0000001')).toThrow(RangeError);
  });

  it('counts the continuous books’ fills as price-time priority makes them', () => {
    for (const crossing of ['overlap', 'full'] as const) {
      const limits = limitOrders(peerOrders(300, 11, crossing));
      const reference = priceTimeReference(limits);
      expect(reference.trades).toBeGreaterThan(300);
      for (const [name, Book] of BOOKS)
        expect(runContinuous(new Book(), limits), `${name}, ${crossing}`).toEqual(reference);
    }
  });

  it('agrees across all systems on the volume when every buy crosses every sell', () => {
    const size = 500;
    const o = peerOrders(size, 3, 'full');
    const sum = (xs: Int32Array) => xs.reduce((a, b) => a + b, 0);
    const volume = Math.min(sum(o.sellQuantity), sum(o.buyQuantity));
    const limits = limitOrders(o);
    const book = peerBook(o);
    const outcomes: [string, Outcome][] = [
      ...BOOKS.map(([name, Book]): [string, Outcome] => [name, runContinuous(new Book(), limits)]),
      ['clearCycle', runClear(clearCycle, book, false)],
      ['clearCycle all-in', runClear(clearCycle, book, true)],
    ];
    for (const [name, outcome] of outcomes) {
      expect(outcome.matched, name).toBe(volume);
      // Each fill exhausts its buy or its sell, and the shorter side is exhausted whole.
      expect(outcome.trades, name).toBeGreaterThanOrEqual(size);
      expect(outcome.trades, name).toBeLessThanOrEqual(2 * size - 1);
    }
    // The cycle's counters and its trades, read one by one, say the same.
    expect(outcomes[2]![1]).toEqual(outcomes[3]![1]);
  });

  it('runs each system in its own process and reports what it ran', async () => {
    const run = promisify(execFile);
    const size = 200;
    const o = peerOrders(size, 5, 'overlap');
    const expected: Record<string, Outcome> = {
      'hft-limit-order-book': runContinuous(new HftBook(), limitOrders(o)),
      'nodejs-order-book': runContinuous(new NodejsBook(), limitOrders(o)),
      clearCycle: runClear(clearCycle, peerBook(o), false),
      'clearCycle all-in': runClear(clearCycle, peerBook(o), true),
    };
    const measured = await Promise.all(
      SYSTEMS.map(async (system) => {
        const { stdout } = await run(
          process.execPath,
          ['--import', 'tsx', 'bench/peers-worker.ts', system, String(size), '5', 'overlap'],
          { cwd: ROOT },
        );
        return JSON.parse(stdout) as Measurement;
      }),
    );
    for (const m of measured) {
      expect({ trades: m.trades, matched: m.matched }, m.system).toEqual(expected[m.system]);
      expect(m.size).toBe(size);
      // clearCycle as a Node user gets it: the `node` build (node:crypto), not the browsers' one.
      if (m.system.startsWith('clearCycle')) expect(m.module).toMatch(/dist\/index\.node\.js$/);
      else expect(m.module).toContain(`node_modules/${m.system}/`);
      expect(m.wallMs).toBeGreaterThan(0);
      expect(m.cpuMs).toBeGreaterThan(0);
      expect(m.rssMiB).toBeGreaterThan(10);
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrderBook } from '../../src/index.js';

/** A unit-demand competitive-equilibrium case of mrpg/find-eq (test/fixtures/auctions/find-eq.json). */
export interface FindEqCase {
  name: string;
  bids: string[];
  asks: string[];
  expected: null | { quantity: number; price_min: string; price_max: string };
}

export const AUCTIONS = join(import.meta.dirname, '..', 'fixtures', 'auctions');

/** The 23 cases. */
export function findEqCases(): FindEqCase[] {
  return (
    JSON.parse(readFileSync(join(AUCTIONS, 'find-eq.json'), 'utf8')) as { cases: FindEqCase[] }
  ).cases;
}

/** A case as a book: every order one unit, every participant distinct. */
export function findEqBook(c: FindEqCase): OrderBook {
  return {
    offers: c.asks.map((p, i) => ({
      id: `a${i}`,
      participant: `seller${i}`,
      carrier: 'electricity',
      quantity: '1',
      price: p,
    })),
    bids: c.bids.map((p, i) => ({
      id: `b${i}`,
      participant: `buyer${i}`,
      carrier: 'electricity',
      quantity: '1',
      price: p,
    })),
  };
}

/** The order books of pymarket's datasets (test/fixtures/auctions/pymarket.json), by name. */
export function pymarketBooks(): Array<[string, OrderBook]> {
  const data = JSON.parse(readFileSync(join(AUCTIONS, 'pymarket.json'), 'utf8')) as {
    datasets: Record<
      string,
      {
        bids?: Array<{
          index: number;
          quantity: string;
          price: string;
          user: number;
          side: string;
        }>;
      }
    >;
  };
  return Object.entries(data.datasets)
    .filter(([, d]) => Array.isArray(d.bids))
    .map(([name, d]) => {
      // Rows without pymarket's `index` are named by their place in the list.
      const rows = d.bids!.map((b, i) => ({ ...b, index: b.index ?? i }));
      const side = (s: string, prefix: string) =>
        rows
          .filter((b) => b.side === s)
          .map((b) => ({
            id: `${prefix}${b.index}`,
            participant: `u${b.user}`,
            carrier: 'electricity' as const,
            quantity: b.quantity,
            price: b.price,
          }));
      return [name, { offers: side('sell', 'o'), bids: side('buy', 'b') }];
    });
}

/** simply's documented example (test/fixtures/auctions/simply-doc-example.json) as a book. */
export function simplyBook(): OrderBook {
  const d = JSON.parse(readFileSync(join(AUCTIONS, 'simply-doc-example.json'), 'utf8')) as {
    orders: Array<{ order_id: number; type: string; actor: number; energy: string; price: string }>;
  };
  const side = (type: string) =>
    d.orders
      .filter((o) => o.type === type)
      .map((o) => ({
        id: String(o.order_id),
        participant: `a${o.actor}`,
        carrier: 'electricity' as const,
        quantity: o.energy,
        price: o.price,
      }));
  return { offers: side('ask'), bids: side('bid') };
}

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

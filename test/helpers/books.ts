import type { Bid, Offer, OrderBook } from '../../src/index.js';

/** The SPEC §10 worked example. */
export const WORKED_EXAMPLE: OrderBook = {
  offers: [
    { id: 's1', participant: 'p1', carrier: 'electricity', quantity: '10', price: '0.30' },
    { id: 's2', participant: 'p2', carrier: 'electricity', quantity: '5', price: '0.40' },
    { id: 's3', participant: 'p3', carrier: 'electricity', quantity: '2', price: '0.50' },
  ],
  bids: [
    { id: 'c1', participant: 'h1', carrier: 'electricity', quantity: '4', price: '0.45' },
    { id: 'c2', participant: 'h2', carrier: 'electricity', quantity: '8', price: '0.35' },
    { id: 'c3', participant: 'h3', carrier: 'electricity', quantity: '3', price: '0.60' },
  ],
};

export const T0 = '2026-01-01T00:00:30Z';

export function offer(
  id: string,
  participant: string,
  quantity: string,
  price: string,
  extra: Partial<Offer> = {},
): Offer {
  return { id, participant, carrier: 'electricity', quantity, price, ...extra };
}

export function bid(
  id: string,
  participant: string,
  quantity: string,
  price: string,
  extra: Partial<Bid> = {},
): Bid {
  return { id, participant, carrier: 'electricity', quantity, price, ...extra };
}

/** Deep-freezes a value so a test can prove the code never writes to its inputs. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * fast-check settings for `n` runs: the full count normally; a twentieth (at least 30) under
 * mutation testing (`STRYKER=1`), where every surviving mutant reruns the covering tests.
 */
export function runs(n: number): { numRuns: number } {
  return { numRuns: process.env['STRYKER'] ? Math.max(30, Math.round(n / 20)) : n };
}

import type { Bid, Offer } from '../../src/index.js';

/** The worked example of docs/rules.md §12, as the demo clears it. */
export { WORKED_EXAMPLE } from '../../src/cli/demo.js';

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
 * fast-check settings for `n` runs: the full count normally; a fiftieth (at least 10) under
 * mutation testing (`STRYKER=1`), where every surviving mutant reruns the covering tests.
 */
export function runs(n: number): { numRuns: number } {
  return { numRuns: process.env['STRYKER'] ? Math.max(10, Math.round(n / 50)) : n };
}

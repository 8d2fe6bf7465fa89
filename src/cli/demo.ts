/**
 * `npm run demo`: clears the SPEC §10 worked example and prints it.
 *
 * @module
 * @internal
 */
import { clearCycle, type OrderBook } from '../index.js';
import type { Io } from './commands.js';
import { formatResult } from './format.js';

/** SPEC §10. */
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

export function runDemo(io: Io): number {
  io.out(
    'SPEC §10 worked example, default config (value ranking, midpoint pricing, priority commission)\n',
  );
  io.out(formatResult(clearCycle(WORKED_EXAMPLE, {}, { timestamp: '2026-01-01T00:00:30Z' })));
  return 0;
}

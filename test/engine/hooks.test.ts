import { describe, expect, it } from 'vitest';
import { PHASES } from '../../src/cli/bench.js';
import { clearWith } from '../../src/engine/clear.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';

describe('phase marks (what the benchmark times)', () => {
  it('marks every phase in pipeline order, carrier by carrier', () => {
    const seen: string[] = [];
    const book = {
      offers: [
        ...WORKED_EXAMPLE.offers,
        { id: 'h1', participant: 'hp', carrier: 'heat' as const, quantity: '1', price: '0.1' },
      ],
      bids: WORKED_EXAMPLE.bids,
    };
    clearWith(book, {}, { timestamp: T0 }, { mark: (p) => seen.push(p) });
    const carrier = ['validate', 'rank', 'match', 'trades', 'pool'];
    expect(seen).toEqual([
      'validate',
      ...carrier, // electricity
      ...carrier, // heat
      'settle',
      'records',
      'seal',
    ]);
    // The benchmark's table has a column for each.
    expect([...new Set(seen)].sort()).toEqual([...PHASES].sort());
  });
});

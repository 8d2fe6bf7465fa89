/**
 * Repeated ids (docs/rules.md §2): ids are numbered in a hash table of typed arrays, not a `Map`.
 * These tests hold the issues to what a plain `Map` of first uses gives, order included, on small
 * sides, on a side large enough for the cycle arena, and on ids whose hashes are equal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearCycle, type Issue, safeParseBook } from '../../src/index.js';
import { fnv1a } from '../../src/internal/string-table.js';
import { runs, T0 } from '../helpers/books.js';

const offer = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  participant: `p${id}`,
  carrier: 'electricity' as const,
  quantity: '1',
  price: '0.5',
  ...extra,
});

function issuesOf(input: unknown): Array<[string, string, string]> {
  const r = safeParseBook(input, { maxOrders: 10_000_000 });
  return r.success ? [] : r.issues.map((i: Issue) => [i.path, i.code, i.message]);
}

/** What the issues of a side of ids must be: each repeat at its order, naming the first use. */
function expectedRepeats(ids: readonly string[]): Array<[string, string, string]> {
  const first = new Map<string, number>();
  const out: Array<[string, string, string]> = [];
  ids.forEach((id, i) => {
    const at = first.get(id);
    if (at === undefined) first.set(id, i);
    else
      out.push([
        `offers[${i}].id`,
        'duplicate_id',
        `id ${JSON.stringify(id)} is already used by offers[${at}]`,
      ]);
  });
  return out;
}

/** Two different ids with the same 32-bit FNV-1a hash (found by a search over `id0`, `id1`, …). */
const COLLIDING: [string, string] = ['id522789', 'id739192'];

describe('repeated ids', () => {
  it('reports every repeat at its order, naming the first use, among the other issues', () => {
    const offers = [
      offer('a'),
      offer('b', { price: '-1' }),
      offer('a'),
      offer('c', { carrier: 'steam' }),
      offer('b'),
      offer('a', { quantity: '0' }),
    ];
    expect(issuesOf({ offers, bids: [] }).map(([p, c]) => [p, c])).toEqual([
      ['offers[1].price', 'negative'],
      ['offers[2].id', 'duplicate_id'],
      ['offers[3].carrier', 'unknown_carrier'],
      ['offers[4].id', 'duplicate_id'],
      ['offers[5].quantity', 'not_positive'],
      ['offers[5].id', 'duplicate_id'],
    ]);
    expect(issuesOf({ offers, bids: [] }).filter(([, c]) => c === 'duplicate_id')).toEqual(
      expectedRepeats(offers.map((o) => o.id)),
    );
  });

  it('accepts different ids whose hashes are equal', () => {
    const [x, y] = COLLIDING;
    expect(x).not.toBe(y);
    expect(fnv1a(x)).toBe(fnv1a(y));
    const book = { offers: [offer(x), offer(y)], bids: [] };
    expect(issuesOf(book)).toEqual([]);
    expect(issuesOf({ offers: [offer(x), offer(y), offer(x)], bids: [] })).toEqual(
      expectedRepeats([x, y, x]),
    );
  });

  it('finds one repeat in a side large enough for the cycle arena (2^16 orders and more)', () => {
    const n = 70_000;
    const offers = Array.from({ length: n }, (_, i) => offer(`s${i}`));
    expect(issuesOf({ offers, bids: [] })).toEqual([]);
    const repeated = offers.slice();
    repeated[n - 1] = offer('s12345');
    repeated[n - 2] = offer(`s${n - 2}`, { price: 'x' });
    expect(issuesOf({ offers: repeated, bids: [] })).toEqual([
      [`offers[${n - 2}].price`, 'invalid_decimal', expect.any(String)],
      [`offers[${n - 1}].id`, 'duplicate_id', 'id "s12345" is already used by offers[12345]'],
    ]);
  });

  it('keeps every id of an accepted book, in input order, in the results', () => {
    const r = clearCycle(
      { offers: [offer('z'), offer('y'), offer('x')], bids: [] },
      {},
      { timestamp: T0 },
    );
    expect(r.offerOutcomes.map((o) => o.offerId)).toEqual(['z', 'y', 'x']);
  });

  it('property: the issues of any side of ids are those of a Map of first uses', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 12 }),
        (ids) => {
          expect(issuesOf({ offers: ids.map((id) => offer(id)), bids: [] })).toEqual(
            expectedRepeats(ids),
          );
        },
      ),
      runs(200),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsortKeys } from '../../src/internal/radix-sort.js';
import { OrderColumns, type OrderRow } from '../../src/model/columns.js';
import {
  compareIds,
  type LotRow,
  rankBids,
  rankingPolicy,
  rankLots,
  rankOffers,
} from '../../src/ranking/ranking.js';
import { runs } from '../helpers/books.js';

// Magnitudes that make float products collide while the exact products differ (near 2^53), small
// ones that tie exactly, and zeros.
const magnitude = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 1, max: 2 ** 20 }),
  fc.integer({ min: 2 ** 52 - 64, max: Number.MAX_SAFE_INTEGER }),
);

const rowsArb = (min: number) =>
  fc
    .array(
      fc.tuple(
        magnitude,
        magnitude,
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 9 }),
      ),
      {
        minLength: min,
        maxLength: min + 300,
      },
    )
    .map((list) =>
      list.map(
        ([q, p, seq, id], index): OrderRow => ({
          index,
          id: `o${id}-${index}`, // unique per side, as validation ensures
          participant: `p${index % 5}`,
          party: index % 5,
          carrier: 'electricity',
          q,
          p,
          seq,
          allOrNone: false,
        }),
      ),
    );

/** The rows as a validated side's columns. */
function sideOf(rows: readonly OrderRow[]): OrderColumns {
  const side = new OrderColumns(rows.length);
  side.id = rows.map((r) => r.id);
  rows.forEach((r, i) => {
    side.participant.push(r.participant);
    side.party[i] = r.party;
    side.q[i] = r.q;
    side.p[i] = r.p;
    side.seq[i] = r.seq;
  });
  return side;
}

/** Every other index and then some: ranking works on a carrier's subset of a side. */
const subsetOf = (n: number, pick: number) =>
  Array.from({ length: n }, (_, i) => i).filter((i) => (i * 7 + pick) % 3 !== 0);

describe('ranking sort: radix on a float key, exact on its ties', () => {
  for (const name of ['value', 'unit-price'] as const) {
    const policy = rankingPolicy(name);
    it(`${name}: bids and offers in the comparator's order, past the radix threshold`, () => {
      fc.assert(
        fc.property(rowsArb(384), fc.nat(2), (rows, pick) => {
          const side = sideOf(rows);
          const subset = subsetOf(rows.length, pick);
          const chosen = subset.map((i) => rows[i]!);
          const asRows = (ranked: number[]) => ranked.map((i) => side.row(i));
          expect(asRows(rankBids(side, subset, policy))).toEqual(
            chosen.slice().sort(policy.compareBids),
          );
          expect(asRows(rankOffers(side, subset, policy))).toEqual(
            chosen.slice().sort(policy.compareOffers),
          );
        }),
        runs(60),
      );
    });
    it(`${name}: lots in Eq. 3 order with the grid last`, () => {
      fc.assert(
        fc.property(rowsArb(256), fc.boolean(), (rows, grid) => {
          const lots: LotRow[] = rows.map((r) => ({
            id: r.id,
            kind: (r.seq % 2) as 0 | 1,
            q: r.q,
            p: r.p,
          }));
          if (grid) lots.splice(lots.length >> 1, 0, { id: 'grid', kind: 2, q: Infinity, p: 1 });
          const ranked = rankLots(lots, policy);
          expect(ranked).toEqual(lots.slice().sort(policy.compareLots));
          if (grid) expect(ranked.at(-1)?.kind).toBe(2);
        }),
        runs(60),
      );
    });
  }
  it('argsortKeys is a stable ascending argsort', () => {
    const key = fc.oneof(
      fc.double({ min: 0, max: 1e300, noNaN: true }),
      fc.integer({ min: 0, max: 5 }),
      fc.constant(Number.POSITIVE_INFINITY),
    );
    fc.assert(
      fc.property(fc.array(key, { maxLength: 2000 }), (keys) => {
        const order = Array.from(argsortKeys(Float64Array.from(keys)));
        const expected = keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
        // Infinity − Infinity is NaN: compare those by index.
        const fixed = expected.sort((a, b) =>
          keys[a] === keys[b] ? a - b : keys[a]! < keys[b]! ? -1 : 1,
        );
        expect(order).toEqual(fixed);
      }),
      runs(200),
    );
  });
  it('never reorders its input, below the radix threshold too', () => {
    const policy = rankingPolicy('value');
    fc.assert(
      fc.property(rowsArb(0), (rows) => {
        const side = sideOf(rows);
        const all = rows.map((_, i) => i);
        // A frozen array: sorting it in place would throw.
        const frozen = Object.freeze(all.slice());
        const asRows = (ranked: number[]) => ranked.map((i) => side.row(i));
        expect(asRows(rankBids(side, frozen, policy))).toEqual(
          rows.slice().sort(policy.compareBids),
        );
        expect(asRows(rankOffers(side, frozen, policy))).toEqual(
          rows.slice().sort(policy.compareOffers),
        );
        expect(frozen).toEqual(all);
      }),
      runs(100),
    );
  });
  it('compareIds is UTF-16 code-unit order: -1, 0 or 1, never locale order', () => {
    expect(compareIds('a', 'a')).toBe(0);
    expect(compareIds('a', 'b')).toBe(-1);
    expect(compareIds('b', 'a')).toBe(1);
    // Locale order would put é before z; code units put it after, and an astral character
    // (surrogates 0xD83D…) before U+FFEE.
    expect(compareIds('z', 'é')).toBe(-1);
    expect(compareIds('\u{1F600}', '\uFFEE')).toBe(-1);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(compareIds(a, b)).toBe(-compareIds(b, a) || 0);
        expect(compareIds(a, b) === 0).toBe(a === b);
      }),
      runs(200),
    );
  });
});

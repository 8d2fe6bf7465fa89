/**
 * docs/ledger.md says how `inputsHash` is made, precisely enough for an independent verifier to
 * rebuild it: this test follows the doc with plain objects, `canonicalJson` and SHA-256 only, and
 * gets every block's `inputsHash` on random books (any order, explicit and implicit seqs).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, clearCycle, type OrderBook, parseConfig } from '../../src/index.js';
import { T0 } from '../helpers/books.js';

type Order = {
  id: string;
  participant?: string | undefined;
  carrier: string;
  quantity: string;
  price: string;
  seq?: number | undefined;
  allOrNone?: boolean | undefined;
};

/** The doc's recipe, step by step. */
function inputsHashPerDoc(
  book: { offers: Order[]; bids: Order[]; storage?: Order[] },
  config: object,
): string {
  const side = (orders: Order[], kind: 'bid' | 'offer' | 'storage') =>
    orders
      .map((o, i) => ({
        ...(kind === 'bid' ? { allOrNone: o.allOrNone ?? false } : {}),
        carrier: o.carrier,
        id: o.id,
        ...(kind === 'storage' ? {} : { participant: o.participant }),
        price: canonicalDecimal(o.price),
        quantity: canonicalDecimal(o.quantity),
        seq: o.seq ?? i,
      }))
      .sort((a, b) => (a.seq !== b.seq ? a.seq - b.seq : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const inputs = {
    book: {
      bids: side(book.bids, 'bid'),
      offers: side(book.offers, 'offer'),
      storage: side(book.storage ?? [], 'storage'),
    },
    config: parseConfig(config),
  };
  return createHash('sha256').update(canonicalJson(inputs), 'utf8').digest('hex');
}

/** A decimal string in its canonical form: no exponent, no leading zeros, no trailing zeros. */
function canonicalDecimal(text: string): string {
  const [int, frac = ''] = text.split('.');
  const f = frac.replace(/0+$/, '');
  const i = int!.replace(/^0+(?=\d)/, '');
  return f === '' ? i : `${i}.${f}`;
}

const decimal = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 9999 }))
  .map(([i, f]) => `${i}.${String(f).padStart(4, '0')}`);
const order = (prefix: string) =>
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }).map((s) => `${prefix}${s}`),
    participant: fc.constantFrom('p1', 'p2', 'h1', 'h2', 'ü'),
    carrier: fc.constantFrom('electricity', 'heat'),
    quantity: decimal.filter((d) => Number(d) > 0),
    price: decimal,
    seq: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    allOrNone: fc.option(fc.boolean(), { nil: undefined }),
  });
const uniqueIds = <T extends { id: string }>(a: T[]) =>
  a.filter((o, i) => a.findIndex((x) => x.id === o.id) === i);

describe('inputsHash as docs/ledger.md describes it', () => {
  it('is rebuilt from the doc alone on random books and configs', () => {
    fc.assert(
      fc.property(
        fc.array(order('s'), { maxLength: 6 }).map(uniqueIds),
        fc.array(order('c'), { maxLength: 6 }).map(uniqueIds),
        fc.array(order('l'), { maxLength: 2 }).map(uniqueIds),
        fc.constantFrom(
          {},
          { pricing: { k: '0.25' } },
          { mechanism: 'uniform-price' },
          { fixedPrice: '0.4', commission: { kind: 'flat', rate: '0.01' } },
        ),
        (offers, bids, lots, config) => {
          const book = {
            offers: offers.map(({ allOrNone: _a, ...o }) => o),
            bids,
            storage: lots.map(({ allOrNone: _a, participant: _p, ...o }) => o),
          };
          const { block } = clearCycle(book as OrderBook, config, { timestamp: T0 });
          expect(inputsHashPerDoc(book, config)).toBe(block.inputsHash);
        },
      ),
      { numRuns: 150 },
    );
  });
});

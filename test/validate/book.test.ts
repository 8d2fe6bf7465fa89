import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clearCycle,
  type Issue,
  parseBook,
  safeParseBook,
  ValidationError,
} from '../../src/index.js';
import { runs, T0, WORKED_EXAMPLE } from '../helpers/books.js';

function issuesOf(
  input: unknown,
  limits?: Parameters<typeof parseBook>[1],
): Array<[string, string]> {
  const r = safeParseBook(input, limits);
  if (r.success) return [];
  return r.issues.map((i: Issue) => [i.path, i.code]);
}

const good = { id: 'x', participant: 'p', carrier: 'electricity', quantity: '1', price: '0.5' };

describe('parseBook', () => {
  it('returns canonical decimals and fills in seq', () => {
    const b = parseBook(WORKED_EXAMPLE);
    expect(b.offers[0]).toEqual({
      id: 's1',
      participant: 'p1',
      carrier: 'electricity',
      quantity: '10',
      price: '0.3',
      seq: 0,
    });
    expect(b.bids[2]).toMatchObject({ id: 'c3', allOrNone: false, seq: 2 });
    expect(Object.isFrozen(b.offers[0])).toBe(true);
  });

  it('reads JSON text, with or without a byte-order mark', () => {
    const text = JSON.stringify(WORKED_EXAMPLE);
    expect(parseBook(text)).toEqual(parseBook(WORKED_EXAMPLE));
    expect(parseBook(`\uFEFF${text}`)).toEqual(parseBook(WORKED_EXAMPLE));
    expect(issuesOf('{"offers": [}')).toEqual([['', 'invalid_json']]);
  });

  it('lists every problem with its path and code, not just the first', () => {
    const input = {
      offers: [
        { ...good, quantity: '0' },
        { ...good, id: 'y', price: '-1', carrier: 'steam' },
        { ...good, id: 'x' },
      ],
      bids: [
        { ...good, price: 0.45 },
        { ...good, id: 'b2', quantity: '1e3', allOrNone: 'yes' },
        { id: 'b3' },
        { ...good, id: 'b4', price: '0.1234567' },
        { ...good, id: 'b5', quantity: '1000000001' },
        { ...good, id: 'b6', allOrNon: true },
      ],
      extra: 1,
    };
    expect(issuesOf(input)).toEqual([
      ['extra', 'unknown_field'],
      ['offers[0].quantity', 'not_positive'],
      ['offers[1].carrier', 'unknown_carrier'],
      ['offers[1].price', 'negative'],
      ['offers[2].id', 'duplicate_id'],
      ['bids[0].price', 'number_not_allowed'],
      ['bids[1].quantity', 'invalid_decimal'],
      ['bids[1].allOrNone', 'invalid_type'],
      ['bids[2].participant', 'required'],
      ['bids[2].carrier', 'required'],
      ['bids[2].quantity', 'required'],
      ['bids[2].price', 'required'],
      ['bids[3].price', 'too_many_decimals'],
      ['bids[4].quantity', 'too_large'],
      ['bids[5].allOrNon', 'unknown_field'],
    ]);
  });

  it('tells the user to quote a number, and never lets a binary float through', () => {
    const r = safeParseBook({ offers: [{ ...good, price: 0.5900000000000003 }], bids: [] });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.issues[0]!.message).toContain('quote it');
  });

  it('checks ids: empty, too long, lone surrogates', () => {
    expect(issuesOf({ offers: [{ ...good, id: '' }], bids: [] })).toEqual([
      ['offers[0].id', 'invalid_id'],
    ]);
    expect(issuesOf({ offers: [{ ...good, id: 'a'.repeat(257) }], bids: [] })).toEqual([
      ['offers[0].id', 'invalid_id'],
    ]);
    expect(issuesOf({ offers: [{ ...good, id: 'a'.repeat(256) }], bids: [] })).toEqual([]);
    expect(issuesOf({ offers: [{ ...good, participant: '\uD800' }], bids: [] })).toEqual([
      ['offers[0].participant', 'invalid_id'],
    ]);
  });

  it('refuses a book over the order cap before reading any order', () => {
    const offers = [{ ...good }, { id: 1 }, { id: 2 }];
    expect(issuesOf({ offers, bids: [] }, { maxOrders: 2 })).toEqual([['', 'too_many_orders']]);
    expect(issuesOf({ offers: offers.slice(0, 1), bids: [{ ...good }] }, { maxOrders: 2 })).toEqual(
      [],
    );
  });

  it('applies configured scales and magnitudes: at the limit accepted, past it refused', () => {
    const limits = { quantityScale: 2, maxQuantity: '100' };
    expect(issuesOf({ offers: [{ ...good, quantity: '100' }], bids: [] }, limits)).toEqual([]);
    expect(issuesOf({ offers: [{ ...good, quantity: '100.01' }], bids: [] }, limits)).toEqual([
      ['offers[0].quantity', 'too_large'],
    ]);
    expect(issuesOf({ offers: [{ ...good, quantity: '1.001' }], bids: [] }, limits)).toEqual([
      ['offers[0].quantity', 'too_many_decimals'],
    ]);
  });

  it('is all-or-nothing: clearCycle on a bad book throws and seals nothing', () => {
    const bad = {
      offers: WORKED_EXAMPLE.offers,
      bids: [...WORKED_EXAMPLE.bids, { ...good, price: 'abc' }],
    };
    expect(() => clearCycle(bad as never, {}, { timestamp: T0 })).toThrow(ValidationError);
  });

  it('throws only ValidationError, whatever the input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          parseBook(v);
        } catch (err) {
          expect(err).toBeInstanceOf(ValidationError);
        }
      }),
      runs(2000),
    );
  });

  it('is not fooled by __proto__ keys', () => {
    const text = '{"offers":[],"bids":[],"__proto__":{"polluted":true}}';
    expect(issuesOf(text)).toEqual([['__proto__', 'unknown_field']]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiBytes, JsonBytes, plainJsonBytes } from '../../src/node/plain-json.js';
import { runs } from '../helpers/books.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const hasNegativeZero = (v: unknown): boolean =>
  Object.is(v, -0) ||
  (typeof v === 'object' && v !== null && Object.values(v).some(hasNegativeZero));

describe('plainJsonBytes', () => {
  it('writes ASCII JSON that parses back to the very value, in JSON.stringify key order', () => {
    const scratch = new JsonBytes();
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, key) => {
        // Any string, lone surrogates included, as a key and as a value.
        const holder = { [key]: value, s: key };
        const bytes = plainJsonBytes(holder, scratch);
        if (hasNegativeZero(value)) {
          expect(bytes).toBeUndefined();
          return;
        }
        expect(bytes).toBeDefined();
        expect(bytes!.every((b) => b < 0x80)).toBe(true);
        const back: unknown = JSON.parse(text(bytes!));
        expect(back).toStrictEqual(holder);
        expect(JSON.stringify(back)).toBe(JSON.stringify(holder));
      }),
      runs(300),
    );
  });

  it('refuses what a JSON text cannot say, anywhere in the value', () => {
    class Order {
      id = 'a';
    }
    const holey: unknown[] = [];
    holey[1] = 'x';
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = [deep];
    const order = { id: 's1', quantity: '1' };
    const notPlain: Record<string, unknown> = {
      undefined: undefined,
      'a function': () => 1,
      'a bigint': 1n,
      'a symbol': Symbol('x'),
      NaN: Number.NaN,
      infinity: Number.POSITIVE_INFINITY,
      'negative zero': -0,
      'a date': new Date(0),
      'a map': new Map(),
      'a class instance': new Order(),
      'a typed array': new Uint8Array(2),
      'an array hole': holey,
      'a toJSON method': { toJSON: () => 'x' },
      'nesting deeper than a book': deep,
    };
    for (const [what, v] of Object.entries(notPlain)) {
      expect(plainJsonBytes({ offers: [{ ...order, price: v }], bids: [] }), what).toBeUndefined();
    }
    // A null prototype is plain: its text says it (JSON.parse gives an ordinary object, which the
    // validator reads the same).
    const bare = Object.assign(Object.create(null) as object, order);
    expect(text(plainJsonBytes({ offers: [bare], bids: [] })!)).toBe(
      JSON.stringify({ offers: [order], bids: [] }),
    );
  });

  it('refuses a book while Object.prototype has an enumerable key', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = '1';
    try {
      expect(plainJsonBytes({ offers: [], bids: [] })).toBeUndefined();
    } finally {
      delete proto.polluted;
    }
    expect(plainJsonBytes({ offers: [], bids: [] })).toBeDefined();
  });

  it('grows past its first buffer and keeps no bytes of the book before', () => {
    const scratch = new JsonBytes();
    const big = { offers: Array.from({ length: 5000 }, (_, i) => ({ id: `s${i}` })), bids: [] };
    expect(text(plainJsonBytes(big, scratch)!)).toBe(JSON.stringify(big));
    expect(text(plainJsonBytes({ bids: [] }, scratch)!)).toBe('{"bids":[]}');
  });
});

describe('asciiBytes', () => {
  it('gives the bytes of an ASCII text and nothing for any other', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const bytes = asciiBytes(s);
        if ([...s].every((c) => c.charCodeAt(0) < 0x80)) expect(text(bytes!)).toBe(s);
        else expect(bytes).toBeUndefined();
      }),
      runs(300),
    );
  });
});

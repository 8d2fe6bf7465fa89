import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesIfAscii, JsonBytes, plainJsonBytes } from '../../src/node/plain-json.js';
import { runs } from '../helpers/books.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const hasNegativeZero = (v: unknown): boolean =>
  Object.is(v, -0) ||
  (typeof v === 'object' && v !== null && Object.values(v).some(hasNegativeZero));

describe('plainJsonBytes', () => {
  it('writes ASCII JSON that parses back to the very book, in JSON.stringify key order', () => {
    const scratch = new JsonBytes();
    const text16 = fc.string({ unit: 'binary' });
    // What an order's fields can hold: any string (lone surrogates too), number, boolean, null.
    const field = fc.oneof(
      text16,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const side = fc.array(fc.dictionary(text16, field, { maxKeys: 6 }), { maxLength: 4 });
    fc.assert(
      fc.property(side, side, text16, field, (offers, bids, key, extra) => {
        // Any key, `__proto__` included, with any field beside the sides.
        const book = { offers, bids, [key]: extra };
        const bytes = plainJsonBytes(book, scratch);
        if (hasNegativeZero(book)) {
          expect(bytes).toBeUndefined();
          return;
        }
        expect(bytes).toBeDefined();
        expect(bytes!.every((b) => b < 0x80)).toBe(true);
        const back: unknown = JSON.parse(text(bytes!));
        expect(back).toEqual(book);
        expect(JSON.stringify(back)).toBe(JSON.stringify(book));
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
    const deep = { nested: ['x'] };
    const throwing = Object.defineProperty({}, 'id', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
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
      'nesting deeper than an order field': deep,
      'a getter that throws': throwing,
      'a revoked proxy': revoked.proxy,
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

  it('walks a graph of shared objects in time linear in the book, refusing it', () => {
    let shared: unknown = 'leaf';
    // Its text would be 2^40 leaves long.
    for (let i = 0; i < 40; i++) shared = [shared, shared];
    expect(plainJsonBytes({ offers: [], bids: [], x: shared })).toBeUndefined();
  });

  it('refuses a hole that an inherited index fills, enumerable or not', () => {
    const holey = (): unknown[] => {
      const a: unknown[] = [{ id: 's1' }];
      a.length = 2;
      return a;
    };
    const arrays = Array.prototype as unknown as Record<string, unknown>;
    arrays[1] = { id: 'from the prototype' };
    try {
      expect(plainJsonBytes({ offers: holey(), bids: [] })).toBeUndefined();
    } finally {
      delete arrays[1];
    }
    Object.defineProperty(Object.prototype, '1', { value: { id: 'x' }, configurable: true });
    try {
      expect(plainJsonBytes({ offers: holey(), bids: [] })).toBeUndefined();
    } finally {
      delete (Object.prototype as Record<string, unknown>)[1];
    }
  });

  it('lets go of a scratch buffer a large book grew, and keeps a small one', () => {
    const scratch = new JsonBytes();
    const small = { offers: [{ id: 'é'.repeat(50_000) }], bids: [] };
    expect(text(plainJsonBytes(small, scratch)!)).toBe(
      JSON.stringify(small).replaceAll('é', '\\u00e9'),
    );
    const kept = scratch.buf;
    expect(kept.length).toBeGreaterThanOrEqual(300_000);
    plainJsonBytes({ bids: [] }, scratch);
    expect(scratch.buf).toBe(kept);
    const large = { offers: [{ id: 'x'.repeat(1 << 24) }], bids: [] };
    expect(plainJsonBytes(large, scratch)!.length).toBe((1 << 24) + 32);
    expect(scratch.buf.length).toBeLessThan(1 << 20);
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

describe('bytesIfAscii', () => {
  it('gives the bytes of an ASCII text and nothing for any other', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const bytes = bytesIfAscii(s);
        if ([...s].every((c) => c.charCodeAt(0) < 0x80)) expect(text(bytes!)).toBe(s);
        else expect(bytes).toBeUndefined();
      }),
      runs(300),
    );
  });
});

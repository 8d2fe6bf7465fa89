import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateBook } from '../../src/cli/generators.js';
import { clearCycle, type OrderBook, ValidationError } from '../../src/index.js';
import { HEAP_ARENA } from '../../src/internal/arena.js';
import type { OrderColumns, ParsedBook } from '../../src/model/columns.js';
import { validateBook, validateBookValue } from '../../src/validate/book.js';
import { readBookText } from '../../src/validate/book-text.js';
import { fromJson } from '../../src/validate/common.js';
import { parseConfig } from '../../src/validate/config.js';
import { DEFAULT_LIMITS } from '../../src/validate/defaults.js';
import { bookArb } from '../helpers/arbitraries.js';
import { runs, T0 } from '../helpers/books.js';

const side = (s: OrderColumns) => ({
  id: [...s.id],
  participant: [...s.participant],
  party: [...s.party],
  carrier: [...s.carrier],
  q: [...s.q],
  p: [...s.p],
  seq: [...s.seq],
  allOrNone: [...s.allOrNone],
});

/** Everything a parsed book holds, as plain data. */
function contents(p: ParsedBook) {
  return {
    offers: side(p.offers),
    bids: side(p.bids),
    storage: side(p.storage),
    parties: [...p.parties.names],
    book: p.book,
  };
}

type Outcome = { ok: ReturnType<typeof contents> } | { issues: unknown };

function outcome(run: () => ParsedBook): Outcome {
  try {
    return { ok: contents(run()) };
  } catch (err) {
    if (err instanceof ValidationError) return { issues: err.issues };
    throw err;
  }
}

/**
 * The general path: strict JSON.parse (its first pass counting the sides' orders against
 * `maxOrders`), then the value's validation.
 */
const general = (text: string, limits = DEFAULT_LIMITS) =>
  outcome(() =>
    validateBookValue(
      fromJson(text, 'book', {
        keys: new Set(['offers', 'bids', 'storage']),
        max: limits.maxOrders,
      }),
      limits,
    ),
  );

const SMALL_LIMITS = parseConfig({ limits: { maxOrders: 6, maxIdLength: 4 } }).limits;

/** Ids and participants: plain, non-ASCII, needing escapes, a surrogate pair, empty, long. */
const name = fc.constantFrom(
  'a',
  'home-7',
  'Zürich',
  '東京',
  'x"y',
  'back\\slash',
  'tab\there',
  '😀',
  '',
  'abcdefghij',
  '~ok~',
);

/** A book whose orders have some of these names, in a shuffled key order. */
const textArb = fc
  .tuple(
    bookArb({ max: 5 }),
    fc.array(name, { minLength: 3, maxLength: 3 }),
    fc.boolean(),
    fc.boolean(),
    fc.nat(),
  )
  .map(([book, names, pretty, renameIds, seed]) => {
    let k = seed;
    const pick = () => names[k++ % names.length]!;
    const reorder = (o: Record<string, unknown>) => {
      const keys = Object.keys(o);
      const shift = k++ % keys.length;
      return Object.fromEntries(
        [...keys.slice(shift), ...keys.slice(0, shift)].map((key) => [key, o[key]]),
      );
    };
    const orders = (list: readonly object[] | undefined) =>
      (list ?? []).map((o) => {
        const copy: Record<string, unknown> = { ...o };
        if (renameIds && k % 3 === 0) copy['id'] = `${pick()}${k}`;
        if ('participant' in copy && k % 2 === 0) copy['participant'] = pick();
        k++;
        return reorder(copy);
      });
    const out: Record<string, unknown> = { bids: orders(book.bids), offers: orders(book.offers) };
    if ((book.storage ?? []).length > 0 || k % 2 === 0) out['storage'] = orders(book.storage);
    return JSON.stringify(reorder(out), null, pretty ? 2 : undefined);
  });

/** A text with one edit: a character dropped, or a token put in. */
const editedArb = fc
  .tuple(
    textArb,
    fc.nat(),
    fc.option(
      fc.constantFrom(
        '"',
        '\\',
        ',',
        '}',
        ']',
        '{',
        ' ',
        '\n',
        '1',
        '-',
        '.5',
        'e1',
        '"seq":1,',
        '"allOrNone":true,',
        '"id":"s0",',
        '"x":1,',
        'é',
        '\u0000',
        '\ud800',
        '\ufeff',
        'null',
      ),
      { nil: undefined },
    ),
  )
  .map(([text, at, token]) => {
    const i = at % (text.length + 1);
    return token === undefined
      ? text.slice(0, i) + text.slice(i + 1)
      : text.slice(0, i) + token + text.slice(i);
  });

describe('a book given as JSON text is read as JSON.parse and the value validation would read it', () => {
  it('gives the same rows, or the same issues, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(textArb, editedArb), fc.boolean(), (text, small) => {
        const limits = small ? SMALL_LIMITS : DEFAULT_LIMITS;
        expect(outcome(() => validateBook(text, limits))).toEqual(general(text, limits));
      }),
      runs(3000),
    );
  });

  it('reads the plain form itself (no JSON.parse): any whitespace, any key order, any script', () => {
    // 'À' is C3 80 in UTF-8: the lowest continuation byte.
    const names = fc.constantFrom('a', 'home-7', 'Zürich', '東京', 'ƒ', 'x y', '~', 'À', '\u007f');
    fc.assert(
      fc.property(
        bookArb({ max: 8 }),
        names,
        names,
        fc.constantFrom(undefined, 2, '\t'),
        fc.boolean(),
        fc.boolean(),
        (book, who, what, indent, bom, crlf) => {
          const renamed: OrderBook = {
            offers: book.offers.map((o, i) => ({ ...o, id: `${what}${i}`, participant: who })),
            bids: book.bids.map((b, i) =>
              i % 2 === 0 ? { ...b, participant: `${who}${what}` } : b,
            ),
            ...(book.storage === undefined ? {} : { storage: book.storage }),
          };
          const json = JSON.stringify(renamed, null, indent);
          const text = (bom ? '\ufeff' : '') + (crlf ? json.replace(/\n/g, '\r\n') : json);
          const fast = readBookText(text, DEFAULT_LIMITS, () => HEAP_ARENA);
          expect(fast).toBeDefined();
          expect({ ok: contents(fast!) }).toEqual(general(text));
        },
      ),
      runs(500),
    );
  });

  it.each([
    [
      'an escape in an id',
      '{"offers":[{"id":"s\\u0030","participant":"a","carrier":"heat","quantity":"1","price":"1"}],"bids":[]}',
    ],
    [
      'a duplicate key',
      '{"offers":[{"id":"s0","id":"s1","participant":"a","carrier":"heat","quantity":"1","price":"1"}],"bids":[]}',
    ],
    [
      'an unknown field',
      '{"offers":[{"id":"s0","participant":"a","carrier":"heat","quantity":"1","price":"1","x":1}],"bids":[]}',
    ],
    [
      'allOrNone on an offer',
      '{"offers":[{"id":"s0","participant":"a","carrier":"heat","quantity":"1","price":"1","allOrNone":true}],"bids":[]}',
    ],
    [
      'a participant on a lot',
      '{"offers":[],"bids":[],"storage":[{"id":"b0","participant":"a","carrier":"heat","quantity":"1","price":"1"}]}',
    ],
    [
      'a number quantity',
      '{"offers":[{"id":"s0","participant":"a","carrier":"heat","quantity":1,"price":"1"}],"bids":[]}',
    ],
    [
      'a decimal off the plain form',
      '{"offers":[{"id":"s0","participant":"a","carrier":"heat","quantity":"01.5","price":"1"}],"bids":[]}',
    ],
    [
      'a fractional seq',
      '{"offers":[{"id":"s0","participant":"a","carrier":"heat","quantity":"1","price":"1","seq":1.0}],"bids":[]}',
    ],
    [
      'a negative seq',
      '{"offers":[{"id":"s0","participant":"a","carrier":"heat","quantity":"1","price":"1","seq":-1}],"bids":[]}',
    ],
    [
      'a seq past 15 digits',
      '{"offers":[{"id":"s0","participant":"a","carrier":"heat","quantity":"1","price":"1","seq":1234567890123456}],"bids":[]}',
    ],
    [
      'allOrNone null',
      '{"offers":[],"bids":[{"id":"c0","participant":"a","carrier":"heat","quantity":"1","price":"1","allOrNone":null}]}',
    ],
    [
      'a missing participant',
      '{"offers":[{"id":"s0","carrier":"heat","quantity":"1","price":"1"}],"bids":[]}',
    ],
    [
      'an unknown carrier',
      '{"offers":[{"id":"s0","participant":"a","carrier":"steam","quantity":"1","price":"1"}],"bids":[]}',
    ],
    [
      'an empty participant',
      '{"offers":[{"id":"s0","participant":"","carrier":"heat","quantity":"1","price":"1"}],"bids":[]}',
    ],
    [
      'an empty id',
      '{"offers":[{"id":"","participant":"a","carrier":"heat","quantity":"1","price":"1"}],"bids":[]}',
    ],
    [
      'a repeated id',
      '{"offers":[{"id":"s0","participant":"a","carrier":"heat","quantity":"1","price":"1"},{"id":"s0","participant":"a","carrier":"heat","quantity":"2","price":"1"}],"bids":[]}',
    ],
    [
      'a zero quantity',
      '{"offers":[{"id":"s0","participant":"a","carrier":"heat","quantity":"0","price":"1"}],"bids":[]}',
    ],
    [
      'a lone surrogate',
      '{"offers":[{"id":"s\ud800","participant":"a","carrier":"heat","quantity":"1","price":"1"}],"bids":[]}',
    ],
    ['storage null', '{"offers":[],"bids":[],"storage":null}'],
    ['no bids', '{"offers":[]}'],
    ['an unknown top-level key', '{"offers":[],"bids":[],"resting":[]}'],
    ['a repeated side', '{"offers":[],"bids":[],"offers":[]}'],
    ['text after the book', '{"offers":[],"bids":[]} x'],
    ['an order that is not an object', '{"offers":[1],"bids":[]}'],
    ['an empty order', '{"offers":[{}],"bids":[]}'],
    [
      'a raw control character in a string',
      '{"offers":[{"id":"s\u0001","participant":"a","carrier":"heat","quantity":"1","price":"1"}],"bids":[]}',
    ],
    ['an unclosed string', '{"offers":[{"id":"s'],
    [
      'a seq cut off',
      '{"offers":[{"id":"s0","participant":"a","carrier":"heat","quantity":"1","price":"1","seq":4',
    ],
  ])('leaves %s to the general path, which reports it', (_, text) => {
    expect(readBookText(text, DEFAULT_LIMITS, () => HEAP_ARENA)).toBeUndefined();
    expect(outcome(() => validateBook(text, DEFAULT_LIMITS))).toEqual(general(text));
  });

  it('refuses a book over the order limit itself, and leaves an over-long id to the general path', () => {
    const text = JSON.stringify(
      generateBook({ kind: 'random', size: 4, seed: 1, carriers: ['heat'] }),
    );
    expect(readBookText(text, DEFAULT_LIMITS, () => HEAP_ARENA)).toBeDefined();
    const limits = parseConfig({ limits: { maxOrders: 7 } }).limits;
    expect(outcome(() => readBookText(text, limits, () => HEAP_ARENA)!)).toEqual({
      issues: [
        {
          path: '',
          code: 'too_many_orders',
          message: 'the book holds more than 7 orders; the limit is 7',
        },
      ],
    });
    expect(outcome(() => validateBook(text, limits))).toEqual(general(text, limits));
    const eight = parseConfig({ limits: { maxOrders: 8 } }).limits;
    expect(readBookText(text, eight, () => HEAP_ARENA)).toBeDefined();
    const ids = parseConfig({ limits: { maxIdLength: 1 } }).limits;
    expect(readBookText(text, ids, () => HEAP_ARENA)).toBeUndefined();
    expect(outcome(() => validateBook(text, ids))).toEqual(general(text, ids));
    // An id within the limit, a participant at it, then one past it.
    const one = (participant: string) =>
      `{"offers":[{"id":"s1","participant":"${participant}","carrier":"heat","quantity":"1","price":"1"}],"bids":[]}`;
    const four = parseConfig({ limits: { maxIdLength: 4 } }).limits;
    expect(readBookText(one('home'), four, () => HEAP_ARENA)).toBeDefined();
    expect(readBookText(one('homes'), four, () => HEAP_ARENA)).toBeUndefined();
    expect(outcome(() => validateBook(one('homes'), four))).toEqual(general(one('homes'), four));
  });

  it('reads every feature of the plain form itself', () => {
    // CR LF, tabs, a byte-order mark, every script, seq 0 and 15 digits, allOrNone both ways,
    // storage first, keys in odd orders, an id of exactly the length limit.
    const text =
      '\ufeff{\r\n\t"storage" :\t[ {"price":"0.5","carrier":"heat","id":"b0","quantity":"2","seq":0} ] ,\r\n' +
      ' "bids":[{"allOrNone":true,"id":"c0","participant":"Zürich","carrier":"gas","quantity":"1.5","price":"0.25"},\n' +
      '  {"id":"c1","participant":"東京","carrier":"cold","quantity":"3","price":"0","allOrNone":false,"seq":123456789012345}],\n' +
      ' "offers":[{"id":"ÀÀÀÀ","participant":"a\u007f","carrier":"electricity","quantity":"0.000001","price":"1"}]\r\n}\r\n';
    const limits = parseConfig({ limits: { maxIdLength: 6 } }).limits;
    const fast = readBookText(text, limits, () => HEAP_ARENA);
    expect(fast).toBeDefined();
    expect({ ok: contents(fast!) }).toEqual(general(text, limits));
    expect(fast!.bids.seq[1]).toBe(123456789012345);
    expect([...fast!.bids.allOrNone]).toEqual([1, 0]);
    expect(fast!.storage.seq[0]).toBe(0);
    expect(fast!.offers.id).toEqual(['ÀÀÀÀ']);
    expect(fast!.parties.names).toEqual(['a\u007f', 'Zürich', '東京']);
  });

  it('agrees with the general path on every one-character edit of a small book', () => {
    const text =
      '{"offers":[{"id":"s0","participant":"é","carrier":"heat","quantity":"1","price":"0.5","seq":2}],' +
      '"bids":[{"id":"c0","participant":"b","carrier":"heat","quantity":"2","price":"0.7","allOrNone":true},' +
      '{"id":"c1","participant":"é","carrier":"heat","quantity":"1","price":"0.6"}],"storage":[]}';
    expect(readBookText(text, DEFAULT_LIMITS, () => HEAP_ARENA)).toBeDefined();
    const tokens = ['', '"', ',', ':', '{', '}', '[', ']', ' ', '0', '1', '.', 'e', '-', 'x', '\\'];
    let fastTaken = 0;
    for (let i = 0; i <= text.length; i++) {
      for (const token of tokens) {
        // '' drops the character at i; anything else is put in before it, or in its place.
        const edits =
          token === ''
            ? [text.slice(0, i) + text.slice(i + 1)]
            : [
                text.slice(0, i) + token + text.slice(i),
                text.slice(0, i) + token + text.slice(i + 1),
              ];
        for (const edited of edits) {
          if (readBookText(edited, DEFAULT_LIMITS, () => HEAP_ARENA) !== undefined) fastTaken++;
          expect(
            outcome(() => validateBook(edited, DEFAULT_LIMITS)),
            edited,
          ).toEqual(general(edited));
        }
      }
    }
    // Some edits keep the book plain (a space, a digit in a decimal or an id): those are read fast.
    expect(fastTaken).toBeGreaterThan(100);
  });

  it('tells ids of one hash apart: distinct is read, repeated is left to the general path', () => {
    // FNV-1a (32 bits) maps both of these to 3107931433.
    const order = (id: string) =>
      `{"id":"${id}","participant":"a","carrier":"heat","quantity":"1","price":"1"}`;
    const distinct = `{"offers":[${order('id-5pvux')},${order('id-c3eax')}],"bids":[]}`;
    const fast = readBookText(distinct, DEFAULT_LIMITS, () => HEAP_ARENA);
    expect(fast?.offers.id).toEqual(['id-5pvux', 'id-c3eax']);
    const repeated = `{"offers":[${order('id-5pvux')},${order('id-c3eax')},${order('id-5pvux')}],"bids":[]}`;
    expect(readBookText(repeated, DEFAULT_LIMITS, () => HEAP_ARENA)).toBeUndefined();
    expect(outcome(() => validateBook(repeated, DEFAULT_LIMITS))).toEqual(general(repeated));
  });

  it('reads books of short orders (more orders than it first made room for)', () => {
    const order = (i: number) =>
      `{"id":"${i}","participant":"p${i % 7}","carrier":"gas","quantity":"1","price":"0.${i % 10}"}`;
    const text = `{"bids":[],"offers":[${Array.from({ length: 300 }, (_, i) => order(i)).join(',')}]}`;
    expect(text.length / 300).toBeLessThan(100);
    const fast = readBookText(text, DEFAULT_LIMITS, () => HEAP_ARENA);
    expect(fast?.offers.length).toBe(300);
    expect({ ok: contents(fast!) }).toEqual(general(text));
  });

  it('seals the same block as the book given as objects', () => {
    const book = generateBook({
      kind: 'all-or-none',
      size: 300,
      seed: 3,
      carriers: ['electricity', 'heat'],
    });
    const text = JSON.stringify(book, null, 1);
    expect(readBookText(text, DEFAULT_LIMITS, () => HEAP_ARENA)).toBeDefined();
    const fromText = clearCycle(text, undefined, { timestamp: T0 });
    const fromObjects = clearCycle(book, undefined, { timestamp: T0 });
    expect(fromText.block.hash).toBe(fromObjects.block.hash);
    expect(JSON.stringify(fromText)).toBe(JSON.stringify(fromObjects));
  });
});

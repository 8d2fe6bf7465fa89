/**
 * `limits.maxOrders` on a book given as JSON text is enforced as the text is read: as soon as its
 * sides hold one order more than the limit, the book is refused, before the rest of the text is
 * read (docs/rules.md: "refused before any order is read" beyond the limit), on the fast path
 * (the plain form) and on the general path (before `JSON.parse` builds an object per order).
 */
import { describe, expect, it } from 'vitest';
import { type Issue, safeParseBook } from '../../src/index.js';

const order = (i: number, id = `s${i}`) =>
  `{"id":"${id}","participant":"p","carrier":"heat","quantity":"1","price":"0.1"}`;
const orders = (n: number, escaped = false) =>
  Array.from({ length: n }, (_, i) => order(i, escaped && i === 0 ? 's\\u0030' : `s${i}`)).join(
    ',',
  );

function issues(text: string, maxOrders: number): Array<[string, string, string]> {
  const r = safeParseBook(text, { maxOrders });
  return r.success ? [] : r.issues.map((i: Issue) => [i.path, i.code, i.message]);
}

const REFUSED = ['', 'too_many_orders', 'the book holds more than 2 orders; the limit is 2'];

describe('maxOrders on a book text', () => {
  it('refuses a plain text as soon as the count passes, whatever follows', () => {
    // Three orders, then the text breaks off: the limit is met before the break is.
    const cut = `{"offers":[${orders(3)},{"id":"s9","participant":"p","carri`;
    expect(issues(cut, 2)).toEqual([REFUSED]);
    // Counted over the sides: two offers and one bid.
    expect(issues(`{"offers":[${orders(2)}],"bids":[${order(7, 'c')}], "junk`, 2)).toEqual([
      REFUSED,
    ]);
  });

  it('refuses a text that is not plain before JSON.parse reads it', () => {
    // An escape sends the text to the general path; the count is made in its first pass.
    const cut = `{"offers":[${orders(3, true)}, {"id": 1, 2, 3`;
    expect(issues(cut, 2)).toEqual([REFUSED]);
    const notObjects = '{"storage":[1,2,3, !!!';
    expect(issues(notObjects, 2)).toEqual([REFUSED]);
  });

  it('takes a text at the limit, and counts only the sides of the book', () => {
    expect(issues(`{"offers":[${orders(2)}],"bids":[]}`, 2)).toEqual([]);
    expect(issues(`{"offers":[${orders(2, true)}],"bids":[]}`, 2)).toEqual([]);
    // Arrays elsewhere are not orders: an unknown field is reported as such.
    expect(issues(`{"offers":[],"bids":[],"other":[1,2,3]}`, 2).map((i) => i[1])).toEqual([
      'unknown_field',
    ]);
  });

  it('still names the count of a book given as a value', () => {
    const book = JSON.parse(`{"offers":[${orders(3)}],"bids":[]}`);
    expect(safeParseBook(book, { maxOrders: 2 })).toEqual({
      success: false,
      issues: [
        { path: '', code: 'too_many_orders', message: 'the book holds 3 orders; the limit is 2' },
      ],
    });
  });
});

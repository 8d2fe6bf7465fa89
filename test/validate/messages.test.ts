import { describe, expect, it } from 'vitest';
import { type Issue, safeParseBook, safeParseConfig } from '../../src/index.js';

function issues(input: unknown): readonly Issue[] {
  const r = safeParseBook(input);
  if (r.success) throw new Error('expected the book to be refused');
  return r.issues;
}

const good = { id: 'x', participant: 'p', carrier: 'electricity', quantity: '1', price: '0.5' };

describe('issue messages', () => {
  it('name the type of what was found in plain English', () => {
    expect(issues({ bids: [] })[0]?.message).toBe('expected an array of orders, got undefined');
    expect(issues({ offers: [], bids: [{ ...good, id: true }] })[0]?.message).toBe(
      'expected a string, got a boolean',
    );
    expect(issues({ offers: {}, bids: [] })[0]?.message).toBe(
      'expected an array of orders, got an object',
    );
    expect(issues([])[0]?.message).toBe(
      'expected a book object { offers, bids, storage? }, got an array',
    );
    expect(issues({ offers: [], bids: [{ ...good, price: 10n }] })[0]?.message).toBe(
      'expected a decimal string, got a bigint',
    );
    expect(issues({ offers: [], bids: [{ ...good, id: () => 'x' }] })[0]?.message).toBe(
      'expected a string, got a function',
    );
    const cfg = safeParseConfig({ ranking: null });
    expect(cfg.success === false && cfg.issues[0]?.message).toMatch(/got null$/);
  });

  it('never echo a number JSON could not carry exactly (a seq past 2^53 − 1)', () => {
    // 9007199254740993 reads as 9007199254740992: echoing that would name a value never sent.
    const text =
      '{"offers":[{"id":"s1","participant":"p1","carrier":"heat","quantity":"1","price":"0.1","seq":9007199254740993}],"bids":[]}';
    const [issue] = issues(text);
    expect(issue?.path).toBe('offers[0].seq');
    expect(issue?.code).toBe('invalid_type');
    expect(issue?.message).not.toMatch(/900719925474099/);
    expect(issue?.message).toMatch(/not a safe integer/);
    // A price given as such a number is not echoed either (quoting the rounded value would mislead).
    const [price] = issues(
      '{"offers":[],"bids":[{"id":"c1","participant":"h1","carrier":"heat","quantity":"1","price":9007199254740993}]}',
    );
    expect(price?.code).toBe('number_not_allowed');
    expect(price?.message).not.toMatch(/900719925474099/);
    // A safe number is still echoed, so the message says what to quote.
    expect(issues({ offers: [], bids: [{ ...good, seq: -1 }] })[0]?.message).toBe(
      'expected a non-negative integer, got the number -1',
    );
  });
});

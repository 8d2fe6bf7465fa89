/**
 * One leading byte-order mark is skipped, never two: on a book's plain and general paths, a
 * config, and a market state. (A reader that decodes bytes must not strip one itself first:
 * `TextDecoder` does unless given `ignoreBOM: true`.)
 */
import { describe, expect, it } from 'vitest';
import { Market, safeParseBook, safeParseConfig } from '../../src/index.js';

const PLAIN =
  '{"offers":[{"id":"s1","participant":"p","carrier":"heat","quantity":"1","price":"0.1"}],"bids":[]}';
const GENERAL = PLAIN.replace('"s1"', '"s\\u0031"');

const codes = (r: { success: boolean; issues?: readonly { code: string }[] }) =>
  r.success ? [] : r.issues!.map((i) => i.code);

describe('byte-order marks', () => {
  it.each([
    ['a plain book', (t: string) => codes(safeParseBook(t)), PLAIN],
    ['a book off the plain form', (t: string) => codes(safeParseBook(t)), GENERAL],
    ['a config', (t: string) => codes(safeParseConfig(t)), '{"pricing":"ask"}'],
  ])('skips one before %s, and refuses two', (_what, read, text) => {
    expect(read(text)).toEqual([]);
    expect(read(`\ufeff${text}`)).toEqual([]);
    expect(read(`\ufeff\ufeff${text}`)).toEqual(['invalid_json']);
    expect(read(`\ufeff \ufeff${text}`)).toEqual(['invalid_json']);
  });

  it('skips one before a market state, and refuses two', () => {
    const state = JSON.stringify(new Market().exportState());
    expect(() => Market.restore(`\ufeff${state}`)).not.toThrow();
    expect(() => Market.restore(`\ufeff\ufeff${state}`)).toThrow(/not valid JSON/);
  });
});

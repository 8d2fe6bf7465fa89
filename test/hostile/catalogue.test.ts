import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeParseBook } from '../../src/index.js';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'quality.md'), 'utf8');

/** The rows `| `value` | outcome |` of the table under a heading. */
function rows(heading: string): Array<[string, string]> {
  const section = DOC.slice(DOC.indexOf(heading));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|---')));
  return table
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const m = /^\| `(.*)` \| (.*) \|$/.exec(l);
      if (m === null) throw new Error(`unreadable row: ${l}`);
      return [m[1]!, m[2]!];
    });
}

/** A value written in the table: JSON, or `"x".repeat(n)`. */
function value(text: string): unknown {
  const rep = /^"(.)"\.repeat\((\d+)\)$/.exec(text);
  if (rep !== null) return rep[1]!.repeat(Number(rep[2]));
  return JSON.parse(text);
}

/** `accepted …` or `refused: `code` …`. */
function expectOutcome(result: ReturnType<typeof safeParseBook>, outcome: string): void {
  if (outcome.startsWith('accepted')) {
    expect(result.success, JSON.stringify(result)).toBe(true);
    return;
  }
  const code = /^refused: `(\w+)`/.exec(outcome)?.[1];
  expect(code, outcome).toBeDefined();
  expect(result.success).toBe(false);
  if (!result.success) expect(result.issues.map((i) => i.code)).toEqual([code]);
}

const offer = { id: 's1', participant: 'p', carrier: 'electricity', quantity: '1', price: '0.4' };

describe('docs/quality.md catalogue holds', () => {
  const decimals = rows('### Decimals');
  const ids = rows('### Identities');
  const structure = rows('### Structure');
  it('has its tables', () => {
    expect(decimals.length).toBeGreaterThan(25);
    expect(ids.length).toBeGreaterThan(6);
    expect(structure.length).toBeGreaterThan(12);
  });

  it.each(decimals)('price %s → %s', (text, outcome) => {
    expectOutcome(safeParseBook({ offers: [{ ...offer, price: value(text) }], bids: [] }), outcome);
    if (
      /refused: `(invalid_decimal|negative|number_not_allowed|invalid_type|too_many_decimals)`/.test(
        outcome,
      )
    ) {
      // Quantities follow the same format rules (their magnitude limit is maxQuantity).
      expect(
        safeParseBook({ offers: [{ ...offer, quantity: value(text) }], bids: [] }).success,
      ).toBe(false);
    }
  });

  it.each(ids)('id %s → %s', (text, outcome) => {
    expectOutcome(safeParseBook({ offers: [{ ...offer, id: value(text) }], bids: [] }), outcome);
  });

  it('two ids that differ only by Unicode normalisation are two ids', () => {
    const r = safeParseBook({
      offers: [
        { ...offer, id: 'é' },
        { ...offer, id: 'e\u0301' },
      ],
      bids: [],
    });
    expect(r.success).toBe(true);
  });

  it.each(structure)('book %s → %s', (text, outcome) => {
    const json =
      text === '[[[[…64 levels…]]]]'
        ? `${'['.repeat(65)}${']'.repeat(65)}`
        : text.replace('\\ufeff', '\ufeff');
    expectOutcome(safeParseBook(json), outcome);
  });

  it('leaves the prototype alone', () => {
    safeParseBook('{"offers":[],"bids":[],"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

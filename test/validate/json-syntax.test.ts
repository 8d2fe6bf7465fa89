import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntaxErrorAt } from '../../src/validate/json-syntax.js';

/** Whether `JSON.parse` takes `text`: the grammar the walk must agree with. */
function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('syntaxErrorAt', () => {
  it.each([
    ['{"a":1,}', 7],
    ['[1,]', 3],
    ['{"a" 1}', 5],
    ['[1 2]', 3],
    ['"abc', 4],
    ['{"a":tru}', 5],
    ['01', 1],
    ['-', 0],
    ['"\\x"', 2],
    ['"\u0001"', 1],
    ['', 0],
    ['[', 1],
    ['[1]]', 3],
    ['{"a":[1,{"b":null}],"c":-0.5E-3} ', -1],
  ])('%j → %i', (text, at) => {
    expect(syntaxErrorAt(text)).toBe(at);
  });

  it('finds an error exactly when JSON.parse refuses the text (JSON texts, then broken ones)', () => {
    const texts = fc
      .tuple(fc.jsonValue(), fc.constantFrom(undefined, 1, '\t'))
      .map(([v, indent]) => JSON.stringify(v, null, indent));
    const mutated = fc
      .tuple(
        texts,
        fc.nat(),
        fc.constantFrom('', ',', ']', '}', '"', ':', '\\', 'x', ' ', '0', '-'),
      )
      .map(([t, at, s]) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + s + t.slice(i + (s === '' ? 1 : 0));
      });
    fc.assert(
      fc.property(fc.oneof(texts, mutated), (text) => {
        const at = syntaxErrorAt(text);
        expect(at === -1).toBe(parses(text));
        expect(at).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });
});

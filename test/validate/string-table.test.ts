import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a, StringTable } from '../../src/internal/string-table.js';
import { runs } from '../helpers/books.js';

/** What the table must do: a Map numbering strings by first appearance. */
function byMap(xs: readonly string[]): number[] {
  const m = new Map<string, number>();
  return xs.map((s) => {
    let id = m.get(s);
    if (id === undefined) {
      id = m.size;
      m.set(s, id);
    }
    return id;
  });
}

/** `count` distinct strings whose hashes agree in their low `bits` bits. */
function colliding(count: number, bits: number): string[] {
  const want = fnv1a('x0') & ((1 << bits) - 1);
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const s = `x${i}`;
    if ((fnv1a(s) & ((1 << bits) - 1)) === want) out.push(s);
  }
  return out;
}

describe('StringTable numbers strings as a Map would', () => {
  it('any strings, repeats included, past the expected count', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom('a', 'b')),
          {
            maxLength: 300,
          },
        ),
        fc.integer({ min: 0, max: 50 }),
        (xs, expected) => {
          const t = new StringTable(expected);
          expect(xs.map((s) => t.add(s))).toEqual(byMap(xs));
          expect(t.size).toBe(new Set(xs).size);
          expect(t.names).toEqual([...new Set(xs)]);
          for (const s of xs) expect(t.get(s)).toBe(byMap(xs)[xs.indexOf(s)]);
          expect(t.get('\u0000absent')).toBe(-1);
        },
      ),
      runs(300),
    );
  });

  it('colliding strings move it to a Map, and it numbers on the same', () => {
    const xs = colliding(200, 12);
    const t = new StringTable(xs.length);
    const ids = xs.map((s) => t.add(s));
    expect(t.degraded).toBe(true);
    expect(ids).toEqual(xs.map((_, i) => i));
    expect(xs.map((s) => t.add(s))).toEqual(ids);
    expect(t.get(xs[150]!)).toBe(150);
    expect(t.get('absent')).toBe(-1);
    // Fewer collisions than the probe limit stay in the table.
    const few = new StringTable(40);
    for (const s of colliding(40, 12)) few.add(s);
    expect(few.degraded).toBe(false);
  });

  it('addSpan numbers a span of a text as add numbers its slice, returning the first string', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'ab', 'b', 'ba', 'abc', 'é', '東', ''), { maxLength: 60 }),
        fc.integer({ min: 0, max: 20 }),
        fc.boolean(),
        (xs, expected, mixed) => {
          const text = `[${xs.join('|')}]`;
          const t = new StringTable(expected);
          let at = 1;
          const ids = xs.map((s, i) => {
            const from = at;
            at += s.length + 1;
            // Some by slice: the two ways must share one numbering.
            return mixed && i % 3 === 0 ? t.add(s) : t.addSpan(text, from, from + s.length);
          });
          expect(ids).toEqual(byMap(xs));
          expect(t.names).toEqual([...new Set(xs)]);
        },
      ),
      runs(300),
    );
  });

  it('addSpan on colliding names moves the table to a Map too', () => {
    const xs = colliding(200, 12);
    const text = xs.join('');
    const t = new StringTable(xs.length);
    let at = 0;
    const ids = xs.map((s) => {
      at += s.length;
      return t.addSpan(text, at - s.length, at);
    });
    expect(t.degraded).toBe(true);
    expect(ids).toEqual(xs.map((_, i) => i));
    at = 0;
    expect(
      xs.map((s) => {
        at += s.length;
        return t.addSpan(text, at - s.length, at);
      }),
    ).toEqual(ids);
  });

  it('addSpan walks a run of names of the same slot to the name, past the others', () => {
    // Three names whose hashes agree in the low 5 bits: one run of three slots in a 32-slot table.
    const xs = colliding(3, 5);
    const text = xs.join('');
    const t = new StringTable(2);
    const spans = xs.map(
      (s, i) => [i === 0 ? 0 : xs.slice(0, i).join('').length, s.length] as const,
    );
    const ids = spans.map(([from, n]) => t.addSpan(text, from, from + n));
    expect(ids).toEqual([0, 1, 2]);
    expect(spans.map(([from, n]) => t.addSpan(text, from, from + n))).toEqual([0, 1, 2]);
    expect(t.degraded).toBe(false);
  });

  it('tells apart two names of the same 32-bit hash', () => {
    // FNV-1a maps both to 3107931433.
    expect(fnv1a('id-5pvux')).toBe(fnv1a('id-c3eax'));
    const t = new StringTable(4);
    expect([t.add('id-5pvux'), t.add('id-c3eax'), t.add('id-5pvux')]).toEqual([0, 1, 0]);
    expect([t.get('id-c3eax'), t.get('id-5pvux')]).toEqual([1, 0]);
    const text = 'id-5pvuxid-c3eax';
    const u = new StringTable(4);
    expect([u.addSpan(text, 0, 8), u.addSpan(text, 8, 16), u.addSpan(text, 0, 8)]).toEqual([
      0, 1, 0,
    ]);
  });

  it('a table grown from a small start keeps every number', () => {
    const t = new StringTable(0);
    const xs = Array.from({ length: 5000 }, (_, i) => `p${i % 3000}`);
    expect(xs.map((s) => t.add(s))).toEqual(byMap(xs));
    expect(t.degraded).toBe(false);
  });
});

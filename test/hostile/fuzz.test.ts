import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clearCycle,
  isValidationError,
  Market,
  type MarketOrder,
  parseBook,
  parseConfig,
} from '../../src/index.js';
import { bookArb, configArb } from '../helpers/arbitraries.js';
import { T0 } from '../helpers/books.js';

/** `npm run fuzz` raises this; CI runs enough to matter in a few seconds. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 500);

/** Replaces one field somewhere in a value with an arbitrary JSON value (or deletes it). */
function mutate(
  value: unknown,
  path: readonly number[],
  replacement: unknown,
  del: boolean,
): unknown {
  if (typeof value !== 'object' || value === null || path.length === 0) return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[path[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(value)
    ? ([...value] as unknown as Record<string, unknown>)
    : { ...value };
  if (del && path.length === 1 && !Array.isArray(value)) delete copy[key];
  else copy[key] = mutate((value as Record<string, unknown>)[key], path.slice(1), replacement, del);
  return copy;
}

const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '',
    '-1',
    '1e5',
    '0x1',
    '\ud800',
    '__proto__',
    Number.POSITIVE_INFINITY,
    Number.NaN,
    -0,
  ),
);

function onlyValidationErrors(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    expect(isValidationError(err), String(err)).toBe(true);
  }
}

describe('fuzzing', () => {
  it(`malformed books: only ValidationError comes out (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        bookArb(),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        anyJson,
        fc.boolean(),
        (book, path, replacement, del) => {
          const bad = mutate(book, path, replacement, del);
          onlyValidationErrors(() => parseBook(bad));
          onlyValidationErrors(() => clearCycle(bad as never, {}, { timestamp: T0 }));
          onlyValidationErrors(() => parseBook(JSON.stringify(bad)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`malformed configs: only ValidationError comes out (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        configArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        anyJson,
        fc.boolean(),
        (config, path, replacement, del) => {
          onlyValidationErrors(() => parseConfig(mutate(config, path, replacement, del)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`malformed orders at Market.submit are refused alone (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
        anyJson,
        fc.boolean(),
        (path, replacement, del) => {
          const m = new Market();
          const good: MarketOrder = {
            side: 'bid',
            id: 'c',
            participant: 'h',
            carrier: 'heat',
            quantity: '1',
            price: '0.5',
          };
          const before = JSON.stringify(m.exportState());
          const r = m.submit(mutate(good, path, replacement, del) as MarketOrder);
          if (!r.accepted) expect(JSON.stringify(m.exportState())).toBe(before);
          expect(() => m.runCycle(T0)).not.toThrow();
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`valid books: money is conserved after rounding (${RUNS} runs)`, async () => {
    const { Decimal } = await import('decimal.js');
    fc.assert(
      fc.property(bookArb(), configArb, (book, config) => {
        const s = clearCycle(book, config, { timestamp: T0 }).settlement;
        expect(
          new Decimal(s.paidByConsumers).eq(
            new Decimal(s.receivedBySuppliers).plus(s.platform.income),
          ),
        ).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * A block's height is a safe integer (verifyChain refuses any other), so a previous block at
 * 2^53 − 1 can have no successor: clearCycle refuses it up front, before the cycle runs.
 */
import { describe, expect, it } from 'vitest';
import { ClearingError, clearCycle, Market, ValidationError } from '../../src/index.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { thrown } from '../helpers/thrown.js';

const hash = 'ab'.repeat(32);

describe('the previous block height', () => {
  it("refuses 2^53 − 1 with a ValidationError on previous.height, listed with a bad book's problems", () => {
    for (const [book, more] of [
      [WORKED_EXAMPLE, 0],
      [{ offers: 'x' }, 1],
    ] as const) {
      const err = thrown(() =>
        clearCycle(book as never, {}, { timestamp: T0, previous: { height: 2 ** 53 - 1, hash } }),
      );
      expect(err).toBeInstanceOf(ValidationError);
      const issues = (err as ValidationError).issues.map((i) => [i.path, i.code]);
      expect(issues[0]).toEqual(['previous.height', 'out_of_range']);
      expect(issues.length).toBeGreaterThan(more);
      if (more === 0) expect(issues).toHaveLength(1);
    }
  });

  it('seals the last safe height after 2^53 − 2', () => {
    const r = clearCycle(
      WORKED_EXAMPLE,
      {},
      { timestamp: T0, previous: { height: 2 ** 53 - 2, hash } },
    );
    expect(r.block.height).toBe(Number.MAX_SAFE_INTEGER);
    // A market whose chain reached it refuses the next cycle alike, and stays as it was.
    const m = new Market({}, { tip: { height: r.block.height - 1, hash } });
    m.runCycle(T0);
    expect(m.chainTip()?.height).toBe(Number.MAX_SAFE_INTEGER);
    expect(thrown(() => m.runCycle(T0))).toBeInstanceOf(ValidationError);
    expect(m.chainTip()?.height).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('keeps a malformed previous block a ClearingError', () => {
    const err = thrown(() =>
      clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0, previous: { height: -1, hash } }),
    );
    expect(err).toBeInstanceOf(ClearingError);
    expect((err as ClearingError).code).toBe('invalid_previous');
  });
});

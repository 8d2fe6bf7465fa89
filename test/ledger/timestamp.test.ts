import { describe, expect, it } from 'vitest';
import { compareTimestamps, timestampProblem } from '../../src/ledger/timestamp.js';

describe('timestamps (docs/ledger.md)', () => {
  it.each([
    '2026-01-01T00:00:30Z',
    '2024-02-29T23:59:59Z', // leap year
    '2000-02-29T00:00:00Z', // divisible by 400
    '2026-04-30T12:00:00Z',
    '2026-12-31T00:00:00.123456789Z',
    '2026-01-31T00:00:00Z',
  ])('accepts %s', (ts) => expect(timestampProblem(ts)).toBeUndefined());

  it.each([
    [42, /^expected an ISO 8601 UTC string such as "2026-01-01T00:00:30Z"$/],
    ['2026-01-01T00:00:30', /got "2026-01-01T00:00:30"$/],
    ['2026-01-01T00:00:30+01:00', /got/],
    ['2026-01-01T00:00:30.1234567890Z', /got/],
    [' 2026-01-01T00:00:30Z', /got " 2026-01-01T00:00:30Z"$/],
    ['2026-01-01T00:00:30Z ', /got "2026-01-01T00:00:30Z "$/],
    ['2026-00-10T00:00:00Z', /^month 0 is out of range$/],
    ['2026-13-10T00:00:00Z', /^month 13 is out of range$/],
    ['2026-01-00T00:00:00Z', /^day 0 is out of range for 2026-01$/],
    ['2026-01-32T00:00:00Z', /^day 32 is out of range for 2026-01$/],
    ['2026-04-31T00:00:00Z', /^day 31 is out of range for 2026-04$/],
    ['2026-02-29T00:00:00Z', /^day 29 is out of range for 2026-02$/],
    ['1900-02-29T00:00:00Z', /^day 29/], // divisible by 100, not by 400
    ['2026-01-01T24:00:00Z', /^time of day is out of range$/],
    ['2026-01-01T00:60:00Z', /^time of day is out of range$/],
    ['2026-01-01T00:00:60Z', /^time of day is out of range$/],
  ])('refuses %s', (ts, reason) => expect(timestampProblem(ts)).toMatch(reason));

  it('quotes at most 40 characters of a bad value', () => {
    expect(timestampProblem('x'.repeat(100))).toBe(
      `expected an ISO 8601 UTC string such as "2026-01-01T00:00:30Z", got "${'x'.repeat(40)}"`,
    );
  });

  it('orders by instant, fractions of a second included', () => {
    expect(compareTimestamps('2026-01-01T00:00:30Z', '2026-01-01T00:00:30.000Z')).toBe(0);
    expect(compareTimestamps('2026-01-01T00:00:30.5Z', '2026-01-01T00:00:30.49Z')).toBe(1);
    expect(compareTimestamps('2026-01-01T00:00:30.05Z', '2026-01-01T00:00:30.5Z')).toBe(-1);
    expect(compareTimestamps('2026-01-01T00:00:29.999999999Z', '2026-01-01T00:00:30Z')).toBe(-1);
    expect(compareTimestamps('2026-01-01T00:00:31Z', '2026-01-01T00:00:30.9Z')).toBe(1);
  });
});

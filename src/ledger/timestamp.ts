/**
 * Caller-given ISO 8601 UTC timestamps (docs/ledger.md). Checked and compared as text: the core never
 * builds a `Date` and never reads a clock.
 *
 * @module
 * @internal
 */

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** Why a timestamp is refused, or `undefined` when it is valid. */
export function timestampProblem(value: unknown): string | undefined {
  if (typeof value !== 'string')
    return 'expected an ISO 8601 UTC string such as "2026-01-01T00:00:30Z"';
  const m = ISO_UTC.exec(value);
  if (m === null)
    return `expected an ISO 8601 UTC string such as "2026-01-01T00:00:30Z", got ${JSON.stringify(value.slice(0, 40))}`;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return `month ${month} is out of range`;
  if (day < 1 || day > daysIn(year, month))
    return `day ${day} is out of range for ${year}-${String(month).padStart(2, '0')}`;
  if (hour > 23 || minute > 59 || second > 59) return 'time of day is out of range';
  return undefined;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Orders two valid timestamps: negative when `a` is earlier. */
export function compareTimestamps(a: string, b: string): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function sortKey(ts: string): string {
  const dot = ts.indexOf('.');
  // Stryker disable next-line EqualityOperator: a valid timestamp never starts with its dot
  if (dot < 0) return `${ts.slice(0, 19)}.000000000`;
  return `${ts.slice(0, 19)}.${ts.slice(dot + 1, ts.length - 1).padEnd(9, '0')}`;
}

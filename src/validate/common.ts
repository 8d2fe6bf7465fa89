/**
 * Shared field checks for books and configs. Each check records every problem it finds in an
 * {@link IssueList} and returns `undefined` for a bad value, so a walk reports all issues at once.
 *
 * @module
 * @internal
 */

import { MAX_UNIT_SCALE, readDecimal, scaledFromParts, UNITS } from '../decimal/decimal.js';
import { type IssueList, type PathLike, ValidationError } from '../errors.js';
import type { Limits } from '../model/types.js';
import { type ElementCap, readJsonText } from './json.js';

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The own property `key` of `record`, or `undefined`: never one inherited from a prototype, so a
 * polluted `Object.prototype.price` cannot fill in a field an input left out. No allocation, so
 * the book walk can read every field of a million orders through it.
 */
export function own(record: object, key: string | number): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string | number, unknown>)[key] : undefined;
}

/**
 * A copy of `value`'s own enumerable properties, each read once, on no prototype: what a
 * validator reads of a small input (a config, a market state), so nothing inherited is read and a
 * getter cannot answer one thing to a check and another to a later read.
 */
export function ownRecord(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) out[key] = (value as Record<string, unknown>)[key];
  return out;
}

/**
 * Reads JSON text strictly (or passes a value through): bad JSON, duplicate keys and excessive
 * nesting are one `invalid_json` issue; with a `cap`, text whose capped arrays hold more elements
 * is one `too_many_orders` issue, found before any element is parsed. A leading byte-order mark
 * is ignored.
 */
export function fromJson(input: unknown, what: string, cap?: ElementCap): unknown {
  if (typeof input !== 'string') return input;
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const r = readJsonText(text, what, cap);
  if (!r.ok) throw new ValidationError([r.issue]);
  return r.value;
}

/** Refuses fields not in `allowed`. */
export function checkFields(
  value: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  path: PathLike,
  issues: IssueList,
): void {
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (!allowed.has(key)) {
      issues.add(join(String(path), key), 'unknown_field', `unknown field ${JSON.stringify(key)}`);
    }
  }
}

/** `path.key`, or `key` at the top. */
export function join(path: string, key: string): string {
  const safe = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : null;
  if (safe === null) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Whether a string holds a lone UTF-16 surrogate (not representable in UTF-8 or RFC 8785). */
export function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      return true;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** An identifier: a non-empty string within `maxLength`, with no lone surrogate. */
export function checkId(
  value: unknown,
  path: PathLike,
  maxLength: number,
  issues: IssueList,
): string | undefined {
  if (value === undefined) {
    issues.add(path, 'required', 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    issues.add(path, 'invalid_type', `expected a string, got ${describe(value)}`);
    return undefined;
  }
  if (value.length === 0) {
    issues.add(path, 'invalid_id', 'must not be empty');
    return undefined;
  }
  if (value.length > maxLength) {
    issues.add(path, 'invalid_id', `is ${value.length} characters long; the limit is ${maxLength}`);
    return undefined;
  }
  if (hasLoneSurrogate(value)) {
    issues.add(path, 'invalid_id', 'holds a lone UTF-16 surrogate');
    return undefined;
  }
  return value;
}

/** Rules for one decimal field. */
export interface DecimalRule {
  /** Most decimals. */
  readonly scale: number;
  /** Largest scaled value (≤ 2^53 − 1), or `undefined` for no limit check in safe-integer space. */
  readonly maxScaled: number;
  /** Whether zero is allowed (prices) or not (quantities). */
  readonly allowZero: boolean;
}

/**
 * A non-negative decimal string within a scale and a limit, returned as its scaled integer.
 */
export function checkDecimal(
  value: unknown,
  path: PathLike,
  rule: DecimalRule,
  issues: IssueList,
): number | undefined {
  if (value === undefined) {
    issues.add(path, 'required', 'is required');
    return undefined;
  }
  if (typeof value === 'number') {
    const exact = Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER;
    issues.add(
      path,
      'number_not_allowed',
      `expected a decimal string, got ${describe(value)}: quote it ("${exact ? String(value) : '…'}") so no binary float slips in`,
    );
    return undefined;
  }
  if (typeof value !== 'string') {
    issues.add(path, 'invalid_type', `expected a decimal string, got ${describe(value)}`);
    return undefined;
  }
  const fast = plainScaled(value, rule.scale);
  if (withinRule(fast, rule)) return fast;
  const r = readDecimal(value);
  if (!r.ok) {
    issues.add(path, 'invalid_decimal', r.reason);
    return undefined;
  }
  const zero = r.int === '0' && r.frac === '';
  if (r.negative) {
    issues.add(path, 'negative', `must not be negative, got ${value}`);
    return undefined;
  }
  if (zero && !rule.allowZero) {
    issues.add(path, 'not_positive', 'must be greater than 0');
    return undefined;
  }
  if (r.frac.length > rule.scale) {
    issues.add(
      path,
      'too_many_decimals',
      `has ${r.frac.length} decimals; the configured scale allows ${rule.scale}`,
    );
    return undefined;
  }
  // Digits beyond 16 cannot be ≤ maxScaled (< 2^53 < 10^16): refuse before converting.
  if (
    r.int.length + rule.scale > 16 ||
    scaledFromParts(r.int, r.frac, rule.scale) > rule.maxScaled
  ) {
    issues.add(path, 'too_large', `${value} is above the configured limit`);
    return undefined;
  }
  return scaledFromParts(r.int, r.frac, rule.scale);
}

/** Whether a {@link plainScaled} value (-1: not plain) is one `rule` accepts as it is. */
export function withinRule(scaled: number, rule: DecimalRule): boolean {
  return scaled >= 0 && scaled <= rule.maxScaled && (scaled > 0 || rule.allowZero);
}

/**
 * The common case of {@link checkDecimal} in one pass: a plain decimal of at most 15 characters
 * (`0` or digits without a leading zero, then optionally `.` and digits) with at most `scale`
 * decimals once trailing zeros are dropped, as its scaled integer; -1 for anything else, which
 * then takes the full check (and gets its issue). Never accepts what the full check refuses.
 */
export function plainScaled(text: string, scale: number): number {
  return plainScaledAt(text, 0, text.length, scale);
}

/** {@link plainScaled} of the characters of `text` from `from` up to `to`. */
export function plainScaledAt(text: string, from: number, to: number, scale: number): number {
  const n = to - from;
  if (n <= 0 || n > 15 || scale > MAX_UNIT_SCALE) return -1;
  let v = 0;
  let i = from;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  // No digits, or a leading zero before more digits ("01").
  if (i === from || (i > from + 1 && text.charCodeAt(from) === 48)) return -1;
  let places = 0;
  if (i < to) {
    if (text.charCodeAt(i) !== 46 || i === to - 1) return -1;
    for (i++; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return -1;
      v = v * 10 + (c - 48);
      places++;
    }
    while (places > scale && v % 10 === 0) {
      v /= 10;
      places--;
    }
    if (places > scale) return -1;
  }
  // Exact when the true product is a safe integer; past 2^53 the float is too, and is refused.
  const scaled = v * UNITS[scale - places]!;
  return scaled <= Number.MAX_SAFE_INTEGER ? scaled : -1;
}

/** An integer in `[min, max]`. */
export function checkInteger(
  value: unknown,
  path: PathLike,
  min: number,
  max: number,
  issues: IssueList,
): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    issues.add(path, 'invalid_type', `expected an integer, got ${describe(value)}`);
    return undefined;
  }
  if (value < min || value > max) {
    issues.add(path, 'out_of_range', `must be between ${min} and ${max}, got ${value}`);
    return undefined;
  }
  return value;
}

/**
 * A short description of a value's type for messages, to follow "got": `undefined`, `null`,
 * `an array`, `an object`, `a boolean`, `the number 3`, `the string "x"`. An integer beyond
 * 2^53 − 1 is not echoed: it may not be the number that was sent (JSON's `9007199254740993`
 * reads as `…992`).
 */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return describeNumber(value);
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `the number 3`, or, past 2^53 − 1, a number that may have been rounded (not echoed). */
function describeNumber(value: number): string {
  return Number.isFinite(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER
    ? 'a number that is not a safe integer (beyond 2^53 − 1, it may have been rounded)'
    : `the number ${String(value)}`;
}

/** @internal The decimal rules of a book's quantities and prices. */
export function rulesOf(limits: Limits): { quantityRule: DecimalRule; priceRule: DecimalRule } {
  return {
    quantityRule: {
      scale: limits.quantityScale,
      maxScaled: scaledLimit(limits.maxQuantity, limits.quantityScale),
      allowZero: false,
    },
    priceRule: {
      scale: limits.priceScale,
      maxScaled: scaledLimit(limits.maxPrice, limits.priceScale),
      allowZero: true,
    },
  };
}

/** A decimal limit as a scaled integer. */
function scaledLimit(text: string, scale: number): number {
  const dot = text.indexOf('.');
  const int = dot < 0 ? text : text.slice(0, dot);
  const frac = dot < 0 ? '' : text.slice(dot + 1);
  return Number(int + frac.padEnd(scale, '0'));
}

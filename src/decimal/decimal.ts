/**
 * Exact decimals: strict parsing of decimal strings, scaled-integer conversion, canonical
 * formatting, and the library's private decimal.js clone.
 *
 * Quantities and prices are parsed once into scaled integers (`"12.5"` at scale 6 is
 * `12_500_000`). The validated limits keep every scaled value below 2^53, so matching works on
 * plain numbers exactly; products and sums that can pass 2^53 go through `bigint` or `Dec`.
 *
 * @module
 * @internal
 */
import { Decimal } from 'decimal.js';

/**
 * The library's own decimal.js constructor. Never `Decimal.set`: the global stays the user's.
 * 1000 significant digits is far beyond any product of validated inputs (docs/rules.md §2 limits), so
 * arithmetic on `Dec` values is exact; rounding happens only where a rule says so.
 */
export const Dec = /* @__PURE__ */ Decimal.clone({
  precision: 1000,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
/** A decimal.js value of the private clone. */
export type Dec = InstanceType<typeof Dec>;

/** Plain decimal notation (docs/rules.md §1): optional minus, no exponent, no hex, no `_`, no leading `+` or `.`, no leading zeros. */
const DECIMAL_SYNTAX = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

/** Result of a strict syntax check. */
export type DecimalSyntax =
  | { readonly ok: true; readonly negative: boolean; readonly int: string; readonly frac: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks the syntax of a decimal string without interpreting it.
 *
 * @param text - the candidate.
 * @returns its sign, integer digits and fraction digits (trailing zeros removed), or why it is refused.
 */
export function readDecimal(text: string): DecimalSyntax {
  if (text.length > 400) return { ok: false, reason: 'is longer than 400 characters' };
  if (!DECIMAL_SYNTAX.test(text)) {
    return {
      ok: false,
      reason: `expected a plain decimal string such as "0.43", got ${quote(text)}`,
    };
  }
  const negative = text.charCodeAt(0) === 45;
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const int = dot < 0 ? body : body.slice(0, dot);
  let frac = dot < 0 ? '' : body.slice(dot + 1);
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  if (negative && int === '0' && frac === '')
    return { ok: false, reason: '"-0" is not a canonical decimal' };
  return { ok: true, negative, int, frac };
}

/**
 * The scaled integer of a non-negative decimal whose syntax was read by {@link readDecimal}.
 * The caller has checked `frac.length <= scale` and the magnitude, so the result is a safe integer.
 */
export function scaledFromParts(int: string, frac: string, scale: number): number {
  return Number(int + frac.padEnd(scale, '0'));
}

/** The scaled integer of a canonical non-negative decimal string, exact for any size. */
export function scaledBigInt(text: string, scale: number): bigint {
  const dot = text.indexOf('.');
  const int = dot < 0 ? text : text.slice(0, dot);
  const frac = dot < 0 ? '' : text.slice(dot + 1);
  return BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
}

/**
 * Formats a scaled integer as a canonical decimal string: no exponent, no trailing zeros,
 * `"0"` for zero.
 *
 * @param value - the scaled integer (a safe integer or a bigint).
 * @param scale - how many decimals the integer carries.
 */
export function formatScaled(value: number | bigint, scale: number): string {
  if (typeof value === 'number' && scale <= MAX_UNIT_SCALE && Number.isSafeInteger(value)) {
    return formatSafe(value, scale);
  }
  const digits = typeof value === 'bigint' ? value.toString() : BigInt(value).toString();
  return digits.charCodeAt(0) === 45
    ? formatDigits('-', digits.slice(1), scale)
    : formatDigits('', digits, scale);
}

/**
 * {@link formatScaled} of `(hi × 10^8 + lo) / 10^scale` for safe integers `hi ≥ 0` and
 * `0 ≤ lo < 10^8` (the limbs of {@link mulLimbs}), without a bigint.
 */
export function formatLimbs(hi: number, lo: number, scale: number): string {
  if (hi === 0) return formatScaled(lo, scale);
  return formatDigits('', `${hi}${String(lo).padStart(8, '0')}`, scale);
}

/** `sign` and the decimal `digits` of a scaled integer (no sign, no leading zeros) as text. */
function formatDigits(sign: string, text: string, scale: number): string {
  let digits = text;
  if (scale === 0) return sign + digits;
  if (digits.length <= scale) digits = digits.padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  let frac = digits.slice(digits.length - scale);
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  if (int === '0' && frac === '') return '0';
  return frac === '' ? sign + int : `${sign}${int}.${frac}`;
}

/** @internal 10^s as exact numbers, s ≤ {@link MAX_UNIT_SCALE}. */
export const UNITS: readonly number[] = [
  1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];
/** @internal The largest scale {@link UNITS} holds: 15. */
export const MAX_UNIT_SCALE = UNITS.length - 1;

/**
 * {@link formatScaled} of a safe integer with scale ≤ 15, in number arithmetic: `%` is exact on
 * doubles, and so is dividing an exact multiple of a power of ten by it.
 */
function formatSafe(value: number, scale: number): string {
  if (scale === 0 || value === 0) return String(value);
  const magnitude = value < 0 ? -value : value;
  const unit = UNITS[scale]!;
  let frac = magnitude % unit;
  const int = (magnitude - frac) / unit;
  const sign = value < 0 ? '-' : '';
  if (frac === 0) return sign + String(int);
  let places = scale;
  while (frac % 10 === 0) {
    frac /= 10;
    places--;
  }
  const digits = String(frac);
  const pad = places - digits.length;
  return `${sign}${int}.${pad > 0 ? '0'.repeat(pad) : ''}${digits}`;
}

/**
 * Canonical string of a decimal.js value: plain notation, no trailing zeros, `"0"` for zero.
 */
export function formatDec(value: Dec): string {
  if (value.isZero()) return '0';
  return value.toFixed();
}

/**
 * Canonical form of a valid decimal string (trailing zeros dropped).
 */
export function canonicalDecimal(text: string): string {
  const r = readDecimal(text);
  if (!r.ok) throw new RangeError(`"decimal" ${r.reason}`);
  const body = r.frac === '' ? r.int : `${r.int}.${r.frac}`;
  return r.negative ? `-${body}` : body;
}

/** Rounds half-even to `places` decimals, exactly. */
export function roundHalfEven(value: Dec, places: number): Dec {
  return value.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
}

function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}

/**
 * Exact comparison of two products of safe non-negative integers, `a1 × a2` against `b1 × b2`.
 * Uses the float products when they are far enough apart to be decided, `bigint` otherwise.
 *
 * @returns negative, zero or positive.
 */
export function compareProducts(a1: number, a2: number, b1: number, b2: number): number {
  const x = a1 * a2;
  const y = b1 * b2;
  // Each float product is within 2^-53 (relative) of the exact one; a gap wider than 2^-50 of
  // the larger decides the order. Below 2^53 both products are exact.
  if (x <= 9007199254740991 && y <= 9007199254740991) return x < y ? -1 : x > y ? 1 : 0;
  if (Math.abs(x - y) > Math.max(x, y) * 8.881784197001252e-16) return x < y ? -1 : 1;
  const ex = BigInt(a1) * BigInt(a2);
  const ey = BigInt(b1) * BigInt(b2);
  return ex < ey ? -1 : ex > ey ? 1 : 0;
}

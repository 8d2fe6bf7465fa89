/**
 * Decimals for the reference engine (docs/rules.md §1), on plain decimal.js: every quantity,
 * price, amount and fee is a decimal.js value, and rounding happens only where a rule says so.
 *
 * @module
 * @internal
 */
import { Decimal } from 'decimal.js';

/**
 * The reference's own decimal.js constructor (never `Decimal.set`: the global stays the user's).
 * 1000 significant digits hold every product and sum of validated inputs exactly
 * (docs/configuration.md `limits`), so arithmetic never rounds.
 */
export const Dec = /* @__PURE__ */ Decimal.clone({
  precision: 1000,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
/** A decimal.js value of {@link Dec}. */
export type Dec = InstanceType<typeof Dec>;

/** Zero. */
export const ZERO: Dec = /* @__PURE__ */ new Dec(0);

/** The value of a decimal string. */
export function dec(text: string): Dec {
  return new Dec(text);
}

/**
 * A decimal as results carry it (docs/rules.md §1): plain notation, no trailing zeros, `"0"` for
 * zero (never `"-0"`).
 */
export function canonical(value: Dec): string {
  return value.isZero() ? '0' : value.toFixed();
}

/** Σ values, exactly. */
export function sum(values: readonly Dec[]): Dec {
  return values.reduce((total, v) => total.plus(v), ZERO);
}

/** The smaller of two decimals. */
export function min(a: Dec, b: Dec): Dec {
  return a.lte(b) ? a : b;
}

/** The larger of two decimals. */
export function max(a: Dec, b: Dec): Dec {
  return a.gte(b) ? a : b;
}

/**
 * Whether `text` is a decimal string ≥ 0 in the plain notation of docs/rules.md §1: digits, at
 * most one `.` followed by digits, no sign, exponent, leading zero or `"-0"`; at most 400
 * characters (the library's bound on any decimal string it reads).
 */
export function isDecimalAtLeastZero(text: unknown): text is string {
  return (
    typeof text === 'string' && text.length <= 400 && /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/.test(text)
  );
}

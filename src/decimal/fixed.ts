/**
 * Exact fixed-point money on `bigint`: a value `v / 10^s`. Prices, amounts, fees and sums of a
 * cycle stay exact and cost a few integer operations each, where decimal.js objects cost
 * microseconds and garbage (docs/rules.md §1: computed exactly; decimal.js remains the tests' reference).
 *
 * @module
 * @internal
 */

import { keepShape } from '../internal/shapes.js';
import { formatScaled, readDecimal } from './decimal.js';

/** `v / 10^s`, exactly. */
export interface Fixed {
  readonly v: bigint;
  readonly s: number;
}

const POW10: bigint[] = [1n];
/** 10^n as a bigint, cached. */
export function pow10(n: number): bigint {
  for (let i = POW10.length; i <= n; i++) POW10.push(POW10[i - 1]! * 10n);
  return POW10[n]!;
}

export const ZERO: Fixed = Object.freeze({ v: 0n, s: 0 });

/** a + b, at the larger scale. */
export function add(a: Fixed, b: Fixed): Fixed {
  if (a.s === b.s) return { v: a.v + b.v, s: a.s };
  return a.s > b.s
    ? { v: a.v + b.v * pow10(a.s - b.s), s: a.s }
    : { v: a.v * pow10(b.s - a.s) + b.v, s: b.s };
}

/** a − b. */
export function sub(a: Fixed, b: Fixed): Fixed {
  return add(a, { v: -b.v, s: b.s });
}

/** a × b. */
export function mul(a: Fixed, b: Fixed): Fixed {
  return { v: a.v * b.v, s: a.s + b.s };
}

/** Compares a and b: negative, zero or positive. */
export function compare(a: Fixed, b: Fixed): number {
  const d = sub(a, b).v;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** num / den rounded half-even to an integer (den > 0): the one rounding rule of the library. */
export function divHalfEven(num: bigint, den: bigint): bigint {
  let q = num / den; // truncates toward zero
  const r = num - q * den;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice > den || (twice === den && q % 2n !== 0n)) q += num < 0n ? -1n : 1n;
  return q;
}

/** Rounds half-even to `places` decimals (no-op when the value has no more). */
export function roundHalfEven(a: Fixed, places: number): Fixed {
  if (a.s <= places) return a;
  return { v: divHalfEven(a.v, pow10(a.s - places)), s: places };
}

/** a / b rounded half-even to `places` decimals (b > 0). */
export function divide(a: Fixed, b: Fixed, places: number): Fixed {
  return { v: divHalfEven(a.v * pow10(places + b.s), b.v * pow10(a.s)), s: places };
}

/** The canonical decimal string. */
export function format(a: Fixed): string {
  return formatScaled(a.v, a.s);
}

/** A decimal string (validated by the caller, or checked here) as a Fixed. */
export function parse(text: string): Fixed {
  const r = readDecimal(text);
  if (!r.ok) throw new RangeError(`"decimal" ${r.reason}`);
  const v = BigInt(r.int + r.frac);
  return { v: r.negative ? -v : v, s: r.frac.length };
}

/**
 * A running sum that grows in place. Values that arrive as safe integers at the sum's scale add
 * as numbers (no allocation) until the next one would leave the safe range; then the number part
 * moves into the bigint part. Exact either way.
 */
export class Sum {
  private big = 0n;
  private small = 0;
  /** Units of 10^8 at scale `s`, added by {@link addLimbs}. */
  private high = 0;
  s = 0;

  constructor() {
    keepShape(this);
  }

  /** Adds a Fixed. */
  add(x: Fixed): void {
    this.addScaled(x.v, x.s);
  }

  /** Adds `v / 10^s`. */
  addScaled(v: number | bigint, s: number): void {
    if (s > this.s) this.rescale(s);
    else if (s < this.s) {
      this.big += BigInt(v) * pow10(this.s - s);
      return;
    }
    if (typeof v === 'bigint') {
      this.big += v;
      return;
    }
    const t = this.small + v;
    if (t <= Number.MAX_SAFE_INTEGER && t >= -Number.MAX_SAFE_INTEGER) this.small = t;
    else {
      this.big += BigInt(this.small);
      this.small = v;
    }
  }

  /** Adds `(hi × 10^8 + lo) / 10^s` for safe integers `hi` and `lo`, in number arithmetic. */
  addLimbs(hi: number, lo: number, s: number): void {
    if (s !== this.s) {
      this.addScaled(BigInt(hi) * LIMB_N + BigInt(lo), s);
      return;
    }
    this.addScaled(lo, s);
    const t = this.high + hi;
    if (t <= Number.MAX_SAFE_INTEGER && t >= -Number.MAX_SAFE_INTEGER) this.high = t;
    else {
      this.big += BigInt(this.high) * LIMB_N;
      this.high = hi;
    }
  }

  private rescale(s: number): void {
    this.big = this.v * pow10(s - this.s);
    this.small = 0;
    this.high = 0;
    this.s = s;
  }

  get v(): bigint {
    return this.big + BigInt(this.small) + BigInt(this.high) * LIMB_N;
  }

  get value(): Fixed {
    return { v: this.v, s: this.s };
  }
}

/** The base of the low limb in {@link Sum.addLimbs} and {@link mulLimbs}: 10^8. */
export const LIMB = 100_000_000;
const LIMB_N = 100_000_000n;

/**
 * `⌊v / 10^8⌋` for a safe integer `v ≥ 0` (only: past 2^53 the quotient may round), exactly; the
 * low limb is then `v − hi × 10^8`, also exact (`hi × 10^8` is a multiple of 256 below 2^53). So
 * a value splits into limbs without `%` on a double, which V8 hands to C's `fmod` (~20–40 ns
 * here, against ~3 ns for this). The float quotient's floor is exact: below 2^53 the quotient is
 * under 2^27, where half an ulp (2^-27) is less than the 10^-8 between a quotient that is not
 * whole and the next whole one, so rounding never reaches it.
 */
export function highLimb(v: number): number {
  return Math.floor(v / LIMB);
}

/**
 * `a × b` for non-negative safe integers (both splits by {@link highLimb} need them) as two
 * limbs, `hi × 10^8 + lo` with `0 ≤ lo < 10^8`,
 * computed in number arithmetic: `lo` is returned and `hi` written to `out[0]`. Returns -1 (and
 * leaves `out` alone) when a partial product would pass 2^53; the caller then multiplies bigints.
 */
export function mulLimbs(a: number, b: number, out: Float64Array): number {
  if (!(a >= 0 && b >= 0)) return -1;
  const bHi = highLimb(b);
  const loProduct = a * (b - bHi * LIMB);
  const hiProduct = a * bHi;
  if (!(loProduct <= Number.MAX_SAFE_INTEGER && hiProduct <= Number.MAX_SAFE_INTEGER)) return -1;
  const carry = highLimb(loProduct);
  const lo = loProduct - carry * LIMB;
  const hi = hiProduct + carry;
  if (!(hi <= Number.MAX_SAFE_INTEGER)) return -1;
  out[0] = hi;
  return lo;
}

/**
 * `a × b` for safe integers: a number when the product is a safe integer (then it is exact), the
 * exact bigint product otherwise.
 */
export function mulScaled(a: number, b: number): number | bigint {
  const p = a * b;
  return Number.isSafeInteger(p) ? p : BigInt(a) * BigInt(b);
}

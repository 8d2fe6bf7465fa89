/**
 * One exact sum per participant in typed-array columns, for the accounts of docs/rules.md §9.
 *
 * @module
 * @internal
 */
import { type Fixed, format, highLimb, LIMB, Sum, ZERO } from '../decimal/fixed.js';
import { type Allocator, HEAP } from '../internal/arena.js';
import type { ByteWriter } from '../internal/byte-writer.js';
import { keepShape } from '../internal/shapes.js';

/** The fraction's exponent in {@link SumColumn.roundedWith}: 10^-23, past any scale it meets. */
const FRACTION = 23;
/** 10^0 … 10^15, exact. */
const POW10 = /* @__PURE__ */ Array.from({ length: 16 }, (_, k) => 10 ** k);
/** 10^(FRACTION − 8): the fraction's high limb's bound (10^15, safe). */
const FRACTION_HIGH = POW10[FRACTION - 8]!;
/** Half of 10^FRACTION, in units of 10^8. */
const HALF_HIGH = FRACTION_HIGH / 2;

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * One exact sum per participant number, in columns: a safe-integer part at the column's scale
 * (the scale of its first term), a high limb (units of 10^8 at that scale) and, for the rare term
 * that fits neither (another scale, a bigint, a sum past 2^53), a {@link Sum} of its own. No object
 * per participant unless one is needed.
 */
export class SumColumn {
  private readonly small: Float64Array;
  /** Made on the first term with a high limb (fees); purchases and sales never need it. */
  private high: Float64Array | undefined;
  // Stryker disable next-line UnaryOperator: any starting scale is exact; terms at another scale take the Sum fallback
  private scale = -1;
  private readonly other = new Map<number, Sum>();
  /** Set by {@link limbs}: a sum's high and low limb. */
  private hi = 0;
  private lo = 0;
  /** Set by {@link parts}: a sum's whole part and its fraction's two limbs. */
  private w = 0;
  private fh = 0;
  private fl = 0;

  /**
   * @param size - how many participants (party numbers 0 … size − 1).
   * @param memory - where the columns come from.
   */
  constructor(
    private readonly size: number,
    private readonly memory: Allocator = HEAP,
  ) {
    keepShape(this);
    this.small = memory.f64(size);
  }

  /** A column holding `d`'s sums (see {@link SumColumn.data}); it keeps `d`'s arrays. */
  static restore(d: SumColumnData): SumColumn {
    const c = new SumColumn(0);
    Object.assign(c, { size: d.small.length, small: d.small, high: d.high, scale: d.scale });
    for (const [party, v] of d.other) {
      const sum = new Sum();
      sum.add(v);
      c.other.set(party, sum);
    }
    return c;
  }

  /** The sums of participants `parties[0]`, `parties[1]`, … as plain data, in that order (copied). */
  data(parties: Int32Array): SumColumnData {
    const other = new Map<number, Fixed>();
    for (let k = 0; k < parties.length && this.other.size > 0; k++) {
      const sum = this.other.get(parties[k]!);
      if (sum !== undefined) other.set(k, sum.value);
    }
    return {
      small: pickAt(this.small, parties),
      high: this.high === undefined ? undefined : pickAt(this.high, parties),
      scale: this.scale,
      other,
    };
  }

  /** Adds `(hi × 10^8 + v) / 10^s` to participant `party` (`hi` only with a safe-integer `v`). */
  add(party: number, v: number | bigint, s: number, hi: number): void {
    if (this.scale === -1) this.scale = s;
    if (s === this.scale && typeof v === 'number') {
      const t = this.small[party]! + v;
      if (hi !== 0) this.high ??= this.memory.f64(this.size);
      const h = this.high === undefined ? 0 : this.high[party]! + hi;
      if (t <= MAX && t >= -MAX && h <= MAX && h >= -MAX) {
        this.small[party] = t;
        if (this.high !== undefined) this.high[party] = h;
        return;
      }
    }
    let sum = this.other.get(party);
    if (sum === undefined) {
      sum = new Sum();
      this.other.set(party, sum);
    }
    // Stryker disable next-line ConditionalExpression: addLimbs with a zero high limb adds the same value
    if (hi !== 0) sum.addLimbs(hi, v as number, s);
    else sum.addScaled(v, s);
  }

  /** Writes participant `party`'s exact sum as canonical text (what `format(value(party))` spells). */
  write(w: ByteWriter, party: number): void {
    const small = this.small[party]!;
    const high = this.high === undefined ? 0 : this.high[party]!;
    if (high === 0 && (this.other.size === 0 || !this.other.has(party))) {
      w.decimal(small, this.scale);
      return;
    }
    if (this.limbs(party)) w.limbs(this.hi, this.lo, this.scale);
    else w.text(format(this.value(party)));
  }

  /** Whether participant `party`'s sum is zero with no term beside the number part (no account has it). */
  isZero(party: number): boolean {
    return (
      this.small[party] === 0 &&
      (this.high === undefined || this.high[party] === 0) &&
      (this.other.size === 0 || !this.other.has(party))
    );
  }

  /**
   * round-half-even((this sum + `sign` × `other`'s sum) / 10^-`places`) of participant `party`, as
   * a safe integer at `places` decimals — a payment (docs/rules.md §9) in number arithmetic — or
   * NaN when a part falls outside what that covers (a `Sum` term, a negative part, a scale below
   * `places` or over `places` + 23, a result past 2^53): the caller then takes the exact path.
   */
  roundedWith(other: SumColumn, sign: 1 | -1, party: number, places: number): number {
    if (!this.parts(party, places) || !other.parts(party, places)) return Number.NaN;
    const { w: wA, fh: hA, fl: lA } = this;
    const { w: wB, fh: hB, fl: lB } = other;
    // Both fractions over 10^E, E = FRACTION, as limbs: F = h × 10^8 + l, 0 ≤ l < 10^8.
    let w: number;
    let h: number;
    let l: number;
    if (sign === 1) {
      w = wA + wB;
      h = hA + hB;
      l = lA + lB;
      if (l >= LIMB) {
        l -= LIMB;
        h += 1;
      }
      if (h >= FRACTION_HIGH) {
        h -= FRACTION_HIGH;
        w += 1;
      }
    } else {
      w = wA - wB;
      h = hA - hB;
      l = lA - lB;
      if (l < 0) {
        l += LIMB;
        h -= 1;
      }
      if (h < 0) {
        h += FRACTION_HIGH;
        w -= 1;
      }
    }
    // w + F / 10^E with 0 ≤ F < 10^E: half is (10^(E−8) / 2) × 10^8. Floor, then half-even: the
    // same as rounding the signed value half-even away from the truncation (symmetric).
    if (h > HALF_HIGH || (h === HALF_HIGH && l > 0) || (h === HALF_HIGH && l === 0 && w % 2 !== 0))
      w += 1;
    return Number.isSafeInteger(w) ? w : Number.NaN;
  }

  /**
   * Sets {@link hi} and {@link lo} to participant `party`'s sum as `hi × 10^8 + lo` (at the
   * column's scale), both safe, `0 ≤ lo < 10^8`: the low limb's whole units of 10^8 carried into
   * the high one ({@link highLimb}). False for a
   * negative part, a `Sum` term, or a high limb past 2^53.
   */
  private limbs(party: number): boolean {
    if (this.other.size > 0 && this.other.has(party)) return false;
    const small = this.small[party]!;
    const high = this.high === undefined ? 0 : this.high[party]!;
    if (small < 0 || high < 0) return false;
    const carry = highLimb(small);
    this.hi = high + carry;
    this.lo = small - carry * LIMB;
    return this.hi <= MAX;
  }

  /**
   * Sets {@link w}, {@link fh} and {@link fl} to participant `party`'s sum as a whole part at
   * `places` decimals and the rest as a fraction over 10^FRACTION in two limbs: value = w + (fh ×
   * 10^8 + fl) / 10^FRACTION, all safe, 0 ≤ fl < 10^8, 0 ≤ fh < 10^(FRACTION−8). False when not
   * covered (see {@link roundedWith}). Fields, not a returned tuple: two calls an account.
   */
  private parts(party: number, places: number): boolean {
    // No term yet: zero at any scale.
    if (this.scale === -1) {
      this.w = 0;
      this.fh = 0;
      this.fl = 0;
      return true;
    }
    const d = this.scale - places;
    if (d < 0 || d > FRACTION || !this.limbs(party)) return false;
    const { hi, lo } = this;
    let w: number;
    let fh: number;
    let fl: number;
    if (d >= 8) {
      // value / 10^d = hi / 10^(d−8) + lo / 10^d: the whole part from hi alone (the floor of a
      // float quotient of safe integers is their integer quotient).
      const unit = POW10[d - 8]!;
      w = Math.floor(hi / unit);
      fh = hi - w * unit;
      fl = lo;
    } else {
      const unit = POW10[d]!;
      const q = Math.floor(lo / unit);
      w = hi * POW10[8 - d]! + q;
      fh = 0;
      // The rest, (lo − q·10^d) / 10^d, over 10^8.
      fl = (lo - q * unit) * POW10[8 - d]!;
    }
    // The fraction (fh × 10^8 + fl) is over 10^max(d, 8): times 10^k, it is over 10^FRACTION.
    const k = FRACTION - Math.max(d, 8);
    if (k >= 8) {
      fh = fh * POW10[k]! + fl * POW10[k - 8]!;
      fl = 0;
    } else if (k > 0) {
      const split = POW10[8 - k]!;
      const lh = Math.floor(fl / split);
      fh = fh * POW10[k]! + lh;
      fl = (fl - lh * split) * POW10[k]!;
    }
    this.w = w;
    this.fh = fh;
    this.fl = fl;
    return Number.isSafeInteger(w);
  }

  /** Participant `party`'s exact sum. */
  value(party: number): Fixed {
    const small = this.small[party]!;
    const high = this.high === undefined ? 0 : this.high[party]!;
    const other = this.other.get(party);
    if (high === 0 && other === undefined) {
      return small === 0 ? ZERO : { v: BigInt(small), s: this.scale };
    }
    const sum = new Sum();
    sum.addLimbs(high, small, this.scale);
    if (other !== undefined) sum.add(other.value);
    return sum.value;
  }
}

/** @internal `a[parties[0]]`, `a[parties[1]]`, … */
export function pickAt(a: Float64Array, parties: Int32Array): Float64Array {
  const out = new Float64Array(parties.length);
  for (let k = 0; k < parties.length; k++) out[k] = a[parties[k]!]!;
  return out;
}

/** @internal A {@link SumColumn} as plain data (structured-clone safe). */
export interface SumColumnData {
  readonly small: Float64Array;
  readonly high: Float64Array | undefined;
  readonly scale: number;
  readonly other: ReadonlyMap<number, Fixed>;
}

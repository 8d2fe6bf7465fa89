/**
 * One exact sum per participant in typed-array columns, for the accounts of docs/rules.md §9.
 *
 * @module
 * @internal
 */
import { type Fixed, format, LIMB, Sum, ZERO } from '../decimal/fixed.js';
import { type Allocator, HEAP } from '../internal/arena.js';
import type { ByteWriter } from '../internal/byte-writer.js';
import { keepShape } from '../internal/shapes.js';

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
    if (this.other.size === 0 || !this.other.has(party)) {
      if (high === 0) {
        w.decimal(small, this.scale);
        return;
      }
      // Both limbs non-negative (fees): carry the low limb's whole units of 10^8 into the high
      // one, so it is below 10^8 as `limbs` wants. `%` and the division of the exact multiple are
      // exact on doubles.
      if (small >= 0 && high > 0) {
        const lo = small % LIMB;
        const hi = high + (small - lo) / LIMB;
        if (hi <= MAX) {
          w.limbs(hi, lo, this.scale);
          return;
        }
      }
    }
    w.text(format(this.value(party)));
  }

  /** Whether participant `party`'s sum is zero with no term beside the number part (no account has it). */
  isZero(party: number): boolean {
    return (
      this.small[party] === 0 &&
      (this.high === undefined || this.high[party] === 0) &&
      (this.other.size === 0 || !this.other.has(party))
    );
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

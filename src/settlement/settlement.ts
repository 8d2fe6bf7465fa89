/**
 * Settlement (docs/rules.md §9–10): per-participant accounts, the platform's account, and rounding that
 * never creates or destroys money.
 *
 * @module
 * @internal
 */
import { MAX_UNIT_SCALE, UNITS } from '../decimal/decimal.js';
import { add, type Fixed, format, roundHalfEven, Sum, sub, ZERO } from '../decimal/fixed.js';
import { type Allocator, HEAP } from '../internal/arena.js';
import { sortByKey } from '../internal/radix-sort.js';
import { keepShape } from '../internal/shapes.js';
import type { ParticipantAccount, Settlement } from '../model/result.js';
import type { Carrier } from '../model/types.js';
import { participantList } from './participant-texts.js';
import { pickAt, SumColumn, type SumColumnData } from './sum-column.js';

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * `f` as a scaled integer at `scale` (≥ f.s), when that is a safe integer; NaN otherwise. Exact:
 * a safe integer times a power of ten whose product stays safe.
 */
function atScale(f: Fixed, scale: number): number {
  const v = Number(f.v);
  const k = scale - f.s;
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: NaN sends the caller to the exact path (speed only)
  if (!Number.isSafeInteger(v) || k < 0 || k > MAX_UNIT_SCALE) return Number.NaN;
  const x = v * UNITS[k]!;
  return Number.isSafeInteger(x) ? x : Number.NaN;
}

/** Characters of a name in its {@link nameKey}. */
const KEY_CHARS = 7;

/**
 * @internal A number that orders names as their UTF-16 code units do, though not strictly: a
 * name's first {@link KEY_CHARS} code units as base-128 digits (below 2^53, so exact), a missing
 * one as 0; a code unit of 127 or more is cut to 127 and ends the key (the digits after it 0). If
 * `a < b` by code units, `nameKey(a) ≤ nameKey(b)`: at the first unit where they differ, or where
 * one ends, `a`'s digit is at most `b`'s, and when the two digits are equal (two units cut to 127)
 * both keys end there. Names with equal keys are compared as strings.
 */
export function nameKey(name: string): number {
  let key = 0;
  let cut = false;
  for (let i = 0; i < KEY_CHARS; i++) {
    let c = cut || i >= name.length ? 0 : name.charCodeAt(i);
    if (c >= 127) {
      c = 127;
      cut = true;
    }
    key = key * 128 + c;
  }
  return key;
}

/** Carrier numbers: index in CARRIERS. */
export const CARRIER_INDEX: Readonly<Record<Carrier, number>> = {
  electricity: 0,
  heat: 1,
  cold: 2,
  gas: 3,
};

/**
 * @internal The open accounts of a settled cycle as plain data, for another thread: numbered
 * 0, 1, … in the order of their names (the participants list's order), typed arrays copied
 * (structured-clone safe; their buffers can be transferred).
 */
export interface AccountsData {
  readonly names: readonly string[];
  readonly currencyScale: number;
  readonly quantityScale: number;
  readonly purchases: SumColumnData;
  readonly sales: SumColumnData;
  readonly consumerFees: SumColumnData;
  readonly supplierFees: SumColumnData;
  /** By flow as {@link Accounts}' energy columns; `undefined` for a flow no one had. */
  readonly energy: readonly (Float64Array | undefined)[];
  /** Keyed by `8 × account + flow`. */
  readonly energyOverflow: ReadonlyMap<number, bigint>;
  readonly paidAt: Float64Array;
  readonly receivedAt: Float64Array;
}

/** What {@link Accounts.settle} keeps for the participants list, built when first read. */
interface Settled {
  readonly currencyScale: number;
  readonly quantityScale: number;
  /** The open accounts' party numbers in UTF-16 code-unit order of their names. */
  readonly order: () => Int32Array;
  readonly paidAt: Float64Array;
  readonly receivedAt: Float64Array;
}

/** Accumulates exact amounts during a cycle, then settles. Participants are numbered by the caller. */
export class Accounts {
  /** 1 for each participant (by number) that traded: only they have an account. */
  private readonly opened: Uint8Array;
  private readonly purchases: SumColumn;
  private readonly sales: SumColumn;
  private readonly consumerFees: SumColumn;
  private readonly supplierFees: SumColumn;
  /**
   * Scaled energy by flow (0–3 bought, 4–7 sold, by carrier number), then by participant, as safe
   * integers; what would pass 2^53 moves to `energyOverflow` (rarely made), so sums stay exact. A
   * flow's column is made on its first use: a one-carrier book holds two, not eight.
   */
  private readonly energy: (Float64Array | undefined)[] = new Array(8).fill(undefined);
  /** Keyed by `8 × party + flow`. */
  private readonly energyOverflow = new Map<number, bigint>();
  readonly commissions = new Sum();
  readonly poolPurchases = new Sum();
  readonly poolSales = new Sum();
  readonly storageSales = new Sum();
  readonly gridSales = new Sum();
  private settled: Settled | undefined;

  /**
   * @param partyNames - every participant's name by party number (distinct). The columns are
   *   sized for all of them at once: growing them as accounts open would leave copies behind, and
   *   V8 runs a full collection per 64 MB of buffers.
   * @param memory - where the columns come from (they live as long as the settlement).
   * @param restored - settled accounts' columns to hold instead (every account open, numbered as
   *   `partyNames`), for {@link participantsOf}.
   */
  constructor(
    private readonly partyNames: readonly string[],
    private readonly memory: Allocator = HEAP,
    restored?: AccountsData,
  ) {
    keepShape(this);
    const n = partyNames.length;
    this.opened = memory.u8(n);
    const column = (d: SumColumnData | undefined) =>
      d === undefined ? new SumColumn(n, memory) : SumColumn.restore(d);
    this.purchases = column(restored?.purchases);
    this.sales = column(restored?.sales);
    this.consumerFees = column(restored?.consumerFees);
    this.supplierFees = column(restored?.supplierFees);
    if (restored === undefined) return;
    this.opened.fill(1);
    restored.energy.forEach((c, flow) => {
      this.energy[flow] = c;
    });
    for (const [key, v] of restored.energyOverflow) this.energyOverflow.set(key, v);
  }

  /** Adds q to participant `party`'s energy `flow`, exactly. */
  private addEnergy(flow: number, party: number, q: number): void {
    let column = this.energy[flow];
    if (column === undefined) {
      column = this.memory.f64(this.opened.length);
      this.energy[flow] = column;
    }
    const t = column[party]! + q;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the exact fallback gives the same sum (speed only)
    if (t <= MAX) {
      column[party] = t;
      return;
    }
    const k = 8 * party + flow;
    this.energyOverflow.set(k, (this.energyOverflow.get(k) ?? 0n) + BigInt(column[party]!));
    column[party] = q;
  }

  /** Energy slot k: a number unless it overflowed past 2^53. */
  private energyOf(flow: number, party: number): number | bigint {
    const v = this.energy[flow]?.[party] ?? 0;
    if (this.energyOverflow.size === 0) return v;
    const over = this.energyOverflow.get(8 * party + flow);
    return over === undefined ? v : BigInt(v) + over;
  }

  /**
   * Participant number `party` (named `participant`) bought `q` (scaled) of carrier number
   * `carrier` for `amount / 10^amountScale` and pays `(feeHigh × 10^8 + fee) / 10^feeScale`
   * (`feeHigh` non-zero only with a safe-integer `fee` below 10^8: the limbs of `mulLimbs`).
   */
  buy(
    party: number,
    carrier: number,
    q: number,
    amount: number | bigint,
    amountScale: number,
    fee: number | bigint,
    feeScale: number,
    feeHigh = 0,
  ): void {
    this.opened[party] = 1;
    this.purchases.add(party, amount, amountScale, 0);
    this.addEnergy(carrier, party, q);
    this.fee(this.consumerFees, party, fee, feeScale, feeHigh);
  }

  /** Participant number `party` sold `q` (scaled) of carrier number `carrier`; as {@link buy}. */
  sell(
    party: number,
    carrier: number,
    q: number,
    amount: number | bigint,
    amountScale: number,
    fee: number | bigint,
    feeScale: number,
    feeHigh = 0,
  ): void {
    this.opened[party] = 1;
    this.sales.add(party, amount, amountScale, 0);
    this.addEnergy(4 + carrier, party, q);
    this.fee(this.supplierFees, party, fee, feeScale, feeHigh);
  }

  /** Adds `(feeHigh × 10^8 + fee) / 10^scale` to a participant's fees and the commissions. */
  private fee(
    fees: SumColumn,
    party: number,
    fee: number | bigint,
    scale: number,
    feeHigh: number,
  ): void {
    if (feeHigh === 0 && (fee === 0 || fee === 0n)) return;
    fees.add(party, fee, scale, feeHigh);
    if (feeHigh !== 0) this.commissions.addLimbs(feeHigh, fee as number, scale);
    else this.commissions.addScaled(fee, scale);
  }

  /** Participant `party`'s purchases + consumer fees and sales − supplier fees, rounded half-even. */
  private payments(party: number, currencyScale: number): { paid: Fixed; received: Fixed } {
    return {
      paid: this.exactPayment(this.purchases, this.consumerFees, 1, party, currencyScale),
      received: this.exactPayment(this.sales, this.supplierFees, -1, party, currencyScale),
    };
  }

  /**
   * round-half-even(`a` + `sign` × `b`) of participant `party` at the currency scale, exactly: a
   * payment (purchases + consumer fees, or sales − supplier fees). Zero without arithmetic for the
   * side an account never traded on (most accounts only buy or only sell).
   */
  private exactPayment(
    a: SumColumn,
    b: SumColumn,
    sign: 1 | -1,
    party: number,
    currencyScale: number,
  ): Fixed {
    if (a.isZero(party) && b.isZero(party)) return ZERO;
    const x = a.value(party);
    const y = b.value(party);
    return roundHalfEven(sign === 1 ? add(x, y) : sub(x, y), currencyScale);
  }

  /**
   * A payment as {@link exactPayment}, as a scaled integer at the currency scale (NaN past 2^53),
   * added to `total`: in number arithmetic where that covers the sums, else exactly.
   */
  private payment(
    a: SumColumn,
    b: SumColumn,
    sign: 1 | -1,
    party: number,
    currencyScale: number,
    total: Sum,
  ): number {
    const n = a.roundedWith(b, sign, party, currencyScale);
    if (!Number.isNaN(n)) {
      total.addScaled(n, currencyScale);
      return n;
    }
    const exact = this.exactPayment(a, b, sign, party, currencyScale);
    total.add(exact);
    return exact === ZERO ? 0 : atScale(exact, currencyScale);
  }

  /**
   * Rounds each participant's payments half-even; the platform takes the residue. The totals are
   * computed here; the per-participant list (a million objects and strings in a large cycle) is
   * built when first read, and kept.
   */
  settle(currencyScale: number, quantityScale: number): Settlement {
    const paidTotal = new Sum();
    const receivedTotal = new Sum();
    // Each account's rounded payments at the currency scale, kept for the participants list when
    // they are safe integers (NaN otherwise): that list then rounds nothing again.
    const paidAt = this.memory.f64(this.opened.length);
    const receivedAt = this.memory.f64(this.opened.length);
    const { purchases, consumerFees, sales, supplierFees } = this;
    for (let party = 0; party < this.opened.length; party++) {
      if (this.opened[party] === 0) continue;
      paidAt[party] = this.payment(purchases, consumerFees, 1, party, currencyScale, paidTotal);
      receivedAt[party] = this.payment(
        sales,
        supplierFees,
        -1,
        party,
        currencyScale,
        receivedTotal,
      );
    }
    const income = sub(paidTotal.value, receivedTotal.value);
    const lotSales = add(add(this.poolSales.value, this.storageSales.value), this.gridSales.value);
    const exact = sub(add(this.commissions.value, lotSales), this.poolPurchases.value);
    // Each settlement's list reads what it was settled with, even if this is settled again.
    let parties: Int32Array | undefined;
    const order = () => (parties ??= this.openParties());
    const settled: Settled = { currencyScale, quantityScale, order, paidAt, receivedAt };
    this.settled = settled;
    let participants: readonly ParticipantAccount[] | undefined;
    const out: Record<string, unknown> = {};
    Object.defineProperty(out, 'participants', {
      enumerable: true,
      get: () => {
        participants ??= this.participants(settled);
        return participants;
      },
    });
    out['platform'] = Object.freeze({
      commissions: format(this.commissions.value),
      poolPurchases: format(this.poolPurchases.value),
      poolSales: format(this.poolSales.value),
      storageSales: format(this.storageSales.value),
      gridSales: format(this.gridSales.value),
      roundingResidue: format(sub(income, exact)),
      income: format(income),
    });
    out['paidByConsumers'] = format(paidTotal.value);
    out['receivedBySuppliers'] = format(receivedTotal.value);
    out['currencyScale'] = currencyScale;
    return Object.freeze(out) as unknown as Settlement;
  }

  /** The open accounts' party numbers, in UTF-16 code-unit order of their names. */
  private openParties(): Int32Array {
    const names = this.partyNames;
    let open = 0;
    for (let party = 0; party < this.opened.length; party++) open += this.opened[party]!;
    const parties = new Int32Array(open);
    for (let party = 0, k = 0; party < this.opened.length; party++)
      if (this.opened[party] === 1) parties[k++] = party;
    // Sorted by a number made of each name's first characters, then each run of names with the
    // same number by comparing them: no names sorted as strings and looked up again, which was a
    // quarter of building the list (distinct names: the comparator never returns 0).
    const sorted = sortByKey(
      parties,
      (party) => nameKey(names[party]!),
      false,
      (a, b) => (names[a]! < names[b]! ? -1 : 1),
    );
    for (let k = 0; k < open; k++) parties[k] = sorted[k]!;
    return parties;
  }

  /** @internal The settled accounts as {@link AccountsData} (after {@link settle}). */
  data(): AccountsData {
    const { currencyScale, quantityScale, order, paidAt, receivedAt } = this.settled!;
    const parties = order();
    const names = Array.from(parties, (party) => this.partyNames[party]!);
    const pick = (a: Float64Array) => pickAt(a, parties);
    const energyOverflow = new Map<number, bigint>();
    for (let k = 0; k < parties.length && this.energyOverflow.size > 0; k++)
      for (let flow = 0; flow < 8; flow++) {
        const over = this.energyOverflow.get(8 * parties[k]! + flow);
        if (over !== undefined) energyOverflow.set(8 * k + flow, over);
      }
    return {
      names,
      currencyScale,
      quantityScale,
      purchases: this.purchases.data(parties),
      sales: this.sales.data(parties),
      consumerFees: this.consumerFees.data(parties),
      supplierFees: this.supplierFees.data(parties),
      energy: this.energy.map((column) => (column === undefined ? undefined : pick(column))),
      energyOverflow,
      paidAt: pick(paidAt),
      receivedAt: pick(receivedAt),
    };
  }

  /**
   * @internal The participants list of settled accounts given as {@link AccountsData} (from
   * another thread): the same accounts, texts and order as the list of the cycle that made them.
   */
  static participantsOf(d: AccountsData): readonly ParticipantAccount[] {
    const a = new Accounts(d.names, HEAP, d);
    // Numbered in the list's order already: account k is the k-th name.
    const order = Int32Array.from(d.names, (_, k) => k);
    const settled: Settled = {
      currencyScale: d.currencyScale,
      quantityScale: d.quantityScale,
      order: () => order,
      paidAt: d.paidAt,
      receivedAt: d.receivedAt,
    };
    return a.participants(settled);
  }

  /** Every participant's account, in UTF-16 code-unit order of names (after {@link settle}). */
  private participants(settled: Settled): readonly ParticipantAccount[] {
    const { currencyScale } = settled;
    return participantList({
      ...settled,
      order: settled.order(),
      names: this.partyNames,
      purchases: this.purchases,
      sales: this.sales,
      consumerFees: this.consumerFees,
      supplierFees: this.supplierFees,
      energyOf: (flow, party) => this.energyOf(flow, party),
      payments: (party) => this.payments(party, currencyScale),
    });
  }
}

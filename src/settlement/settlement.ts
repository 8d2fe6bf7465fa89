/**
 * Settlement (SPEC §5–§6): per-participant accounts, the platform's account, and rounding that
 * never creates or destroys money.
 *
 * @module
 * @internal
 */
import { formatScaled } from '../decimal/decimal.js';
import { add, format, roundHalfEven, Sum, sub, ZERO } from '../decimal/fixed.js';
import type { EnergyFlow, ParticipantAccount, Settlement } from '../model/result.js';
import { CARRIERS, type Carrier } from '../model/types.js';

interface Account {
  readonly participant: string;
  readonly purchases: Sum;
  readonly sales: Sum;
  readonly consumerFees: Sum;
  readonly supplierFees: Sum;
  /**
   * Scaled energy bought (0–3) and sold (4–7) by carrier number, as safe integers; what would
   * pass 2^53 moves to `energyOverflow` (rarely made), so the sum stays exact.
   */
  readonly energy: Float64Array;
  energyOverflow: bigint[] | undefined;
}

/** Adds q to slot k of an account's energy, exactly. */
function addEnergy(a: Account, k: number, q: number): void {
  const t = a.energy[k]! + q;
  if (t <= Number.MAX_SAFE_INTEGER) {
    a.energy[k] = t;
    return;
  }
  a.energyOverflow ??= new Array<bigint>(8).fill(0n);
  a.energyOverflow[k]! += BigInt(a.energy[k]!);
  a.energy[k] = q;
}

/** Slot k of an account's energy. */
function energyOf(a: Account, k: number): bigint {
  return BigInt(a.energy[k]!) + (a.energyOverflow?.[k] ?? 0n);
}

/** Carrier numbers: index in CARRIERS. */
export const CARRIER_INDEX: Readonly<Record<Carrier, number>> = {
  electricity: 0,
  heat: 1,
  cold: 2,
  gas: 3,
};

/** Accumulates exact amounts during a cycle, then settles. Participants are numbered by the caller. */
export class Ledger {
  private readonly accounts: (Account | undefined)[] = [];
  readonly commissions = new Sum();
  readonly poolPurchases = new Sum();
  readonly poolSales = new Sum();
  readonly storageSales = new Sum();
  readonly gridSales = new Sum();

  private account(party: number, participant: string): Account {
    let a = this.accounts[party];
    if (a === undefined) {
      a = {
        participant,
        purchases: new Sum(),
        sales: new Sum(),
        consumerFees: new Sum(),
        supplierFees: new Sum(),
        energy: new Float64Array(8),
        energyOverflow: undefined,
      };
      // Grown densely: a sparse write would turn the array into a dictionary.
      while (this.accounts.length < party) this.accounts.push(undefined);
      this.accounts[party] = a;
    }
    return a;
  }

  /**
   * Participant number `party` (named `participant`) bought `q` (scaled) of carrier number
   * `carrier` for `amount / 10^amountScale` and pays `(feeHigh × 10^8 + fee) / 10^feeScale`
   * (`feeHigh` non-zero only with a safe-integer `fee` below 10^8: the limbs of `mulLimbs`).
   */
  buy(
    party: number,
    participant: string,
    carrier: number,
    q: number,
    amount: number | bigint,
    amountScale: number,
    fee: number | bigint,
    feeScale: number,
    feeHigh = 0,
  ): void {
    const a = this.account(party, participant);
    a.purchases.addScaled(amount, amountScale);
    addEnergy(a, carrier, q);
    this.fee(a.consumerFees, fee, feeScale, feeHigh);
  }

  /** Participant number `party` sold `q` (scaled) of carrier number `carrier`; as {@link buy}. */
  sell(
    party: number,
    participant: string,
    carrier: number,
    q: number,
    amount: number | bigint,
    amountScale: number,
    fee: number | bigint,
    feeScale: number,
    feeHigh = 0,
  ): void {
    const a = this.account(party, participant);
    a.sales.addScaled(amount, amountScale);
    addEnergy(a, 4 + carrier, q);
    this.fee(a.supplierFees, fee, feeScale, feeHigh);
  }

  /** Adds `(feeHigh × 10^8 + fee) / 10^scale` to an account's fees and the commissions. */
  private fee(fees: Sum, fee: number | bigint, scale: number, feeHigh: number): void {
    if (feeHigh !== 0) {
      fees.addLimbs(feeHigh, fee as number, scale);
      this.commissions.addLimbs(feeHigh, fee as number, scale);
      return;
    }
    // biome-ignore lint/suspicious/noDoubleEquals: 0 and 0n alike
    if (fee == 0) return;
    fees.addScaled(fee, scale);
    this.commissions.addScaled(fee, scale);
  }

  /** Rounds each participant's payments half-even; the platform takes the residue. */
  settle(
    currencyScale: number,
    quantityScale: number,
    numberOf: (participant: string) => number | undefined,
  ): Settlement {
    // Participants in UTF-16 code-unit order: the default sort compares strings exactly so, and
    // runs natively (several times faster than a comparator on a million names).
    const names: string[] = [];
    for (const a of this.accounts) if (a !== undefined) names.push(a.participant);
    names.sort();
    const accounts = names.map((name) => this.accounts[numberOf(name)!]!);
    let paidTotal = ZERO;
    let receivedTotal = ZERO;
    const participants: ParticipantAccount[] = accounts.map((a) => {
      const participant = a.participant;
      const paid = roundHalfEven(add(a.purchases.value, a.consumerFees.value), currencyScale);
      const received = roundHalfEven(sub(a.sales.value, a.supplierFees.value), currencyScale);
      paidTotal = add(paidTotal, paid);
      receivedTotal = add(receivedTotal, received);
      const energy: Partial<Record<Carrier, EnergyFlow>> = {};
      CARRIERS.forEach((c, i) => {
        const b = energyOf(a, i);
        const s = energyOf(a, 4 + i);
        if (b === 0n && s === 0n) return;
        energy[c] = Object.freeze({
          bought: formatScaled(b, quantityScale),
          sold: formatScaled(s, quantityScale),
        });
      });
      return Object.freeze({
        participant,
        energy: Object.freeze(energy),
        purchases: format(a.purchases.value),
        sales: format(a.sales.value),
        consumerFees: format(a.consumerFees.value),
        supplierFees: format(a.supplierFees.value),
        paid: format(paid),
        received: format(received),
        net: format(sub(received, paid)),
      });
    });
    const income = sub(paidTotal, receivedTotal);
    const sales = add(add(this.poolSales.value, this.storageSales.value), this.gridSales.value);
    const exact = sub(add(this.commissions.value, sales), this.poolPurchases.value);
    return Object.freeze({
      participants: Object.freeze(participants),
      platform: Object.freeze({
        commissions: format(this.commissions.value),
        poolPurchases: format(this.poolPurchases.value),
        poolSales: format(this.poolSales.value),
        storageSales: format(this.storageSales.value),
        gridSales: format(this.gridSales.value),
        roundingResidue: format(sub(income, exact)),
        income: format(income),
      }),
      paidByConsumers: format(paidTotal),
      receivedBySuppliers: format(receivedTotal),
      currencyScale,
    });
  }
}

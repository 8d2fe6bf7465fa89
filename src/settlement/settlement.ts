/**
 * Settlement (SPEC §5–§6): per-participant accounts, the platform's account, and rounding that
 * never creates or destroys money.
 *
 * @module
 * @internal
 */
import { formatScaled } from '../decimal/decimal.js';
import { add, type Fixed, format, roundHalfEven, Sum, sub, ZERO } from '../decimal/fixed.js';
import type { EnergyFlow, ParticipantAccount, Settlement } from '../model/result.js';
import { CARRIERS, type Carrier } from '../model/types.js';
import { compareIds } from '../ranking/ranking.js';

interface Account {
  readonly participant: string;
  readonly purchases: Sum;
  readonly sales: Sum;
  readonly consumerFees: Sum;
  readonly supplierFees: Sum;
  /** Scaled energy bought and sold, by carrier index (CARRIERS order). */
  readonly bought: bigint[];
  readonly sold: bigint[];
}

const CARRIER_INDEX: Readonly<Record<Carrier, number>> = {
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
        bought: [0n, 0n, 0n, 0n],
        sold: [0n, 0n, 0n, 0n],
      };
      this.accounts[party] = a;
    }
    return a;
  }

  /** Participant number `party` (named `participant`) bought `q` (scaled) for `amount` and pays `fee`. */
  buy(
    party: number,
    participant: string,
    carrier: Carrier,
    q: number,
    amount: Fixed,
    fee: Fixed,
  ): void {
    const a = this.account(party, participant);
    this.book(a.purchases, a.consumerFees, a.bought, carrier, q, amount, fee);
  }

  /** Participant number `party` sold `q` (scaled) for `amount` and pays `fee`. */
  sell(
    party: number,
    participant: string,
    carrier: Carrier,
    q: number,
    amount: Fixed,
    fee: Fixed,
  ): void {
    const a = this.account(party, participant);
    this.book(a.sales, a.supplierFees, a.sold, carrier, q, amount, fee);
  }

  private book(
    money: Sum,
    fees: Sum,
    energy: bigint[],
    carrier: Carrier,
    q: number,
    amount: Fixed,
    fee: Fixed,
  ): void {
    money.add(amount);
    if (fee.v !== 0n) {
      fees.add(fee);
      this.commissions.add(fee);
    }
    const c = CARRIER_INDEX[carrier];
    energy[c] = energy[c]! + BigInt(q);
  }

  /** Rounds each participant's payments half-even; the platform takes the residue. */
  settle(currencyScale: number, quantityScale: number): Settlement {
    const accounts = this.accounts
      .filter((a): a is Account => a !== undefined)
      .sort((x, y) => compareIds(x.participant, y.participant));
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
        const b = a.bought[i]!;
        const s = a.sold[i]!;
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

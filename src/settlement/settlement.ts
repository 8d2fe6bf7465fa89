/**
 * Settlement (SPEC §5–§6): per-participant accounts, the platform's account, and rounding that
 * never creates or destroys money.
 *
 * @module
 * @internal
 */
import { Dec, formatDec, formatScaled, roundHalfEven } from '../decimal/decimal.js';
import type { EnergyFlow, ParticipantAccount, Settlement } from '../model/result.js';
import { CARRIERS, type Carrier } from '../model/types.js';
import { compareIds } from '../ranking/ranking.js';

const ZERO = /* @__PURE__ */ new Dec(0);

interface Account {
  purchases: Dec;
  sales: Dec;
  consumerFees: Dec;
  supplierFees: Dec;
  readonly bought: Map<Carrier, bigint>;
  readonly sold: Map<Carrier, bigint>;
}

/** Accumulates exact amounts during a cycle, then settles. */
export class Ledger {
  private readonly accounts = new Map<string, Account>();
  commissions: Dec = ZERO;
  poolPurchases: Dec = ZERO;
  poolSales: Dec = ZERO;
  storageSales: Dec = ZERO;
  gridSales: Dec = ZERO;

  private account(participant: string): Account {
    let a = this.accounts.get(participant);
    if (a === undefined) {
      a = {
        purchases: ZERO,
        sales: ZERO,
        consumerFees: ZERO,
        supplierFees: ZERO,
        bought: new Map(),
        sold: new Map(),
      };
      this.accounts.set(participant, a);
    }
    return a;
  }

  /** A consumer bought `q` (scaled) for `amount` and pays `fee`. */
  buy(participant: string, carrier: Carrier, q: number, amount: Dec, fee: Dec): void {
    const a = this.account(participant);
    a.purchases = a.purchases.plus(amount);
    a.consumerFees = a.consumerFees.plus(fee);
    a.bought.set(carrier, (a.bought.get(carrier) ?? 0n) + BigInt(q));
    this.commissions = this.commissions.plus(fee);
  }

  /** A supplier sold `q` (scaled) for `amount` and pays `fee`. */
  sell(participant: string, carrier: Carrier, q: number, amount: Dec, fee: Dec): void {
    const a = this.account(participant);
    a.sales = a.sales.plus(amount);
    a.supplierFees = a.supplierFees.plus(fee);
    a.sold.set(carrier, (a.sold.get(carrier) ?? 0n) + BigInt(q));
    this.commissions = this.commissions.plus(fee);
  }

  /** Rounds each participant's payments half-even; the platform takes the residue. */
  settle(currencyScale: number, quantityScale: number): Settlement {
    const names = [...this.accounts.keys()].sort(compareIds);
    let paidTotal = ZERO;
    let receivedTotal = ZERO;
    const participants: ParticipantAccount[] = names.map((participant) => {
      const a = this.accounts.get(participant)!;
      const paid = roundHalfEven(a.purchases.plus(a.consumerFees), currencyScale);
      const received = roundHalfEven(a.sales.minus(a.supplierFees), currencyScale);
      paidTotal = paidTotal.plus(paid);
      receivedTotal = receivedTotal.plus(received);
      const energy: Partial<Record<Carrier, EnergyFlow>> = {};
      for (const c of CARRIERS) {
        const b = a.bought.get(c);
        const s = a.sold.get(c);
        if (b === undefined && s === undefined) continue;
        energy[c] = Object.freeze({
          bought: formatScaled(b ?? 0n, quantityScale),
          sold: formatScaled(s ?? 0n, quantityScale),
        });
      }
      return Object.freeze({
        participant,
        energy: Object.freeze(energy),
        purchases: formatDec(a.purchases),
        sales: formatDec(a.sales),
        consumerFees: formatDec(a.consumerFees),
        supplierFees: formatDec(a.supplierFees),
        paid: formatDec(paid),
        received: formatDec(received),
        net: formatDec(received.minus(paid)),
      });
    });
    const income = paidTotal.minus(receivedTotal);
    const exact = this.commissions
      .plus(this.poolSales)
      .plus(this.storageSales)
      .plus(this.gridSales)
      .minus(this.poolPurchases);
    return Object.freeze({
      participants: Object.freeze(participants),
      platform: Object.freeze({
        commissions: formatDec(this.commissions),
        poolPurchases: formatDec(this.poolPurchases),
        poolSales: formatDec(this.poolSales),
        storageSales: formatDec(this.storageSales),
        gridSales: formatDec(this.gridSales),
        roundingResidue: formatDec(income.minus(exact)),
        income: formatDec(income),
      }),
      paidByConsumers: formatDec(paidTotal),
      receivedBySuppliers: formatDec(receivedTotal),
      currencyScale,
    });
  }
}

/**
 * Settlement, docs/rules.md §9: every participant's account from the cycle's trades, pool
 * purchases and scenario 2 trades, rounded once per participant; the platform takes the
 * residue, so money is conserved to the last digit.
 *
 * @module
 * @internal
 */
import type {
  EnergyFlow,
  ParticipantAccount,
  PoolPurchase,
  PoolTrade,
  Settlement,
  Trade,
} from '../model/result.js';
import { CARRIERS, type Carrier } from '../model/types.js';
import { canonical, Dec, dec, sum, ZERO } from './decimal.js';
import { compareIds } from './ranking.js';

/** One participant's exact sums while the cycle's records are read. */
interface Account {
  purchases: Dec;
  sales: Dec;
  consumerFees: Dec;
  supplierFees: Dec;
  readonly bought: Map<Carrier, Dec>;
  readonly sold: Map<Carrier, Dec>;
}

/**
 * docs/rules.md §9: per participant, `purchases` (Σ amounts bought, P2P and scenario 2), `sales`
 * (Σ amounts sold, P2P and to the pool), `consumerFees` and `supplierFees`, all exact; then
 * `paid = round(purchases + consumerFees)` and `received = round(sales − supplierFees)`, half-even
 * to `currencyScale`, and `net = received − paid`. Only participants that traded have an account,
 * listed in UTF-16 code-unit order. The platform's `income = Σ paid − Σ received` exactly, and
 * `roundingResidue` is what rounding left it beyond
 * `commissions + poolSales + storageSales + gridSales − poolPurchases`.
 */
export function settle(
  trades: readonly Trade[],
  poolPurchases: readonly PoolPurchase[],
  poolTrades: readonly PoolTrade[],
  currencyScale: number,
): Settlement {
  const accounts = new Map<string, Account>();
  const account = (participant: string): Account => {
    let a = accounts.get(participant);
    if (a === undefined) {
      a = {
        purchases: ZERO,
        sales: ZERO,
        consumerFees: ZERO,
        supplierFees: ZERO,
        bought: new Map(),
        sold: new Map(),
      };
      accounts.set(participant, a);
    }
    return a;
  };
  const add = (flows: Map<Carrier, Dec>, carrier: Carrier, quantity: string) =>
    flows.set(carrier, (flows.get(carrier) ?? ZERO).plus(dec(quantity)));

  for (const t of trades) {
    const buyer = account(t.buyer);
    buyer.purchases = buyer.purchases.plus(dec(t.amount));
    buyer.consumerFees = buyer.consumerFees.plus(dec(t.consumerFee));
    add(buyer.bought, t.carrier, t.quantity);
    const seller = account(t.seller);
    seller.sales = seller.sales.plus(dec(t.amount));
    seller.supplierFees = seller.supplierFees.plus(dec(t.supplierFee));
    add(seller.sold, t.carrier, t.quantity);
  }
  for (const p of poolPurchases) {
    const seller = account(p.seller);
    seller.sales = seller.sales.plus(dec(p.amount));
    add(seller.sold, p.carrier, p.quantity);
  }
  for (const t of poolTrades) {
    const buyer = account(t.buyer);
    buyer.purchases = buyer.purchases.plus(dec(t.amount));
    buyer.consumerFees = buyer.consumerFees.plus(dec(t.consumerFee));
    add(buyer.bought, t.carrier, t.quantity);
  }

  const round = (x: Dec) => x.toDecimalPlaces(currencyScale, Dec.ROUND_HALF_EVEN);
  const participants: ParticipantAccount[] = [];
  let paidTotal = ZERO;
  let receivedTotal = ZERO;
  for (const participant of [...accounts.keys()].sort(compareIds)) {
    const a = accounts.get(participant)!;
    const paid = round(a.purchases.plus(a.consumerFees));
    const received = round(a.sales.minus(a.supplierFees));
    paidTotal = paidTotal.plus(paid);
    receivedTotal = receivedTotal.plus(received);
    const energy: Partial<Record<Carrier, EnergyFlow>> = {};
    for (const carrier of CARRIERS) {
      const bought = a.bought.get(carrier) ?? ZERO;
      const sold = a.sold.get(carrier) ?? ZERO;
      if (bought.isZero() && sold.isZero()) continue;
      energy[carrier] = { bought: canonical(bought), sold: canonical(sold) };
    }
    participants.push({
      participant,
      energy,
      purchases: canonical(a.purchases),
      sales: canonical(a.sales),
      consumerFees: canonical(a.consumerFees),
      supplierFees: canonical(a.supplierFees),
      paid: canonical(paid),
      received: canonical(received),
      net: canonical(received.minus(paid)),
    });
  }

  const commissions = sum([
    ...trades.flatMap((t) => [dec(t.supplierFee), dec(t.consumerFee)]),
    ...poolTrades.map((t) => dec(t.consumerFee)),
  ]);
  const purchased = sum(poolPurchases.map((p) => dec(p.amount)));
  const salesFrom = (source: PoolTrade['source']) =>
    sum(poolTrades.filter((t) => t.source === source).map((t) => dec(t.amount)));
  const poolSales = salesFrom('pool');
  const storageSales = salesFrom('storage');
  const gridSales = salesFrom('grid');
  const income = paidTotal.minus(receivedTotal);
  const beforeRounding = commissions
    .plus(poolSales)
    .plus(storageSales)
    .plus(gridSales)
    .minus(purchased);
  return {
    participants,
    platform: {
      commissions: canonical(commissions),
      poolPurchases: canonical(purchased),
      poolSales: canonical(poolSales),
      storageSales: canonical(storageSales),
      gridSales: canonical(gridSales),
      roundingResidue: canonical(income.minus(beforeRounding)),
      income: canonical(income),
    },
    paidByConsumers: canonical(paidTotal),
    receivedBySuppliers: canonical(receivedTotal),
    currencyScale,
  };
}

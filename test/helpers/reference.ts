/**
 * A brute-force reference clearing, obviously right and slow (O(N·M) per scan), on decimal.js.
 * It shares no code with src/ beyond the public types, so a differential test against it catches
 * mistakes in ranking, the segment tree, the all-or-none capacity, the pool and scenario 2.
 */
import { Decimal } from 'decimal.js';
import type {
  Bid,
  Carrier,
  Offer,
  OrderBook,
  ResolvedConfig,
  StorageLot,
} from '../../src/index.js';

const D = Decimal.clone({ precision: 200 });
type D = InstanceType<typeof D>;
const CARRIER_ORDER: Carrier[] = ['electricity', 'heat', 'cold', 'gas'];

export interface RefResult {
  trades: Array<{
    bidId: string;
    offerId: string;
    carrier: Carrier;
    quantity: string;
    price: string;
  }>;
  poolPurchases: Array<{ offerId: string; quantity: string }>;
  poolTrades: Array<{
    bidId: string;
    lotId: string;
    source: string;
    quantity: string;
    price: string;
  }>;
  unsold: Array<{ offerId: string; quantity: string }>;
  consumerIdRest: string[];
  supplyIdPool: string[];
}

const s = (d: D) => (d.isZero() ? '0' : d.toFixed());
const cmpId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const seqOf = (o: { seq?: number }, i: number) => o.seq ?? i;

interface RefOrder {
  id: string;
  participant: string;
  q: D;
  p: D;
  seq: number;
  aon: boolean;
  left: D;
}

export function referenceClear(book: OrderBook, cfg: ResolvedConfig): RefResult {
  const out: RefResult = {
    trades: [],
    poolPurchases: [],
    poolTrades: [],
    unsold: [],
    consumerIdRest: [],
    supplyIdPool: [],
  };
  const k = new D(cfg.pricingK);
  const value = cfg.ranking === 'value';
  const bidCmp = (a: RefOrder, b: RefOrder) =>
    (value ? b.q.times(b.p).comparedTo(a.q.times(a.p)) : 0) ||
    b.p.comparedTo(a.p) ||
    a.seq - b.seq ||
    cmpId(a.id, b.id);
  const offerCmp = (a: RefOrder, b: RefOrder) =>
    (value ? a.q.times(a.p).comparedTo(b.q.times(b.p)) : 0) ||
    a.p.comparedTo(b.p) ||
    a.seq - b.seq ||
    cmpId(a.id, b.id);
  const toRef = (o: Offer | Bid, i: number): RefOrder => ({
    id: o.id,
    participant: o.participant,
    q: new D(o.quantity),
    p: new D(o.price),
    seq: seqOf(o, i),
    aon: 'allOrNone' in o && o.allOrNone === true,
    left: new D(o.quantity),
  });
  const allOffers = book.offers.map((o, i) => ({ o: toRef(o, i), carrier: o.carrier }));
  const allBids = book.bids.map((b, i) => ({ o: toRef(b, i), carrier: b.carrier }));
  const allLots = (book.storage ?? []).map((l: StorageLot) => ({ l, carrier: l.carrier }));

  for (const carrier of CARRIER_ORDER) {
    const offers = allOffers
      .filter((x) => x.carrier === carrier)
      .map((x) => x.o)
      .sort(offerCmp);
    const bids = allBids
      .filter((x) => x.carrier === carrier)
      .map((x) => x.o)
      .sort(bidCmp);
    // Scenario 1.
    for (const b of bids) {
      const compatible = offers.filter((o) => b.p.gte(o.p) && o.participant !== b.participant);
      if (b.aon) {
        const total = compatible.reduce((acc, o) => acc.plus(o.left), new D(0));
        if (total.lt(b.q)) continue;
      }
      for (const o of compatible) {
        if (b.left.isZero()) break;
        if (o.left.isZero()) continue;
        const take = D.min(b.left, o.left);
        b.left = b.left.minus(take);
        o.left = o.left.minus(take);
        out.trades.push({
          bidId: b.id,
          offerId: o.id,
          carrier,
          quantity: s(take),
          price: s(o.p.plus(k.times(b.p.minus(o.p)))),
        });
      }
    }
    // Pool.
    const buy = new D(cfg.poolBuyPrice[carrier]);
    const sell = new D(cfg.poolSellPrice[carrier]);
    let cap = cfg.poolCapacity[carrier] === null ? null : new D(cfg.poolCapacity[carrier]!);
    const lots: Array<{ id: string; kind: number; q: D | null; p: D; left: D | null }> = [];
    for (const o of offers) {
      if (o.left.isZero()) continue;
      let take = new D(0);
      if (cfg.absorb === 'all' || o.p.lte(buy)) take = cap === null ? o.left : D.min(o.left, cap);
      if (take.gt(0)) {
        if (cap !== null) cap = cap.minus(take);
        out.poolPurchases.push({ offerId: o.id, quantity: s(take) });
        out.supplyIdPool.push(o.id);
        lots.push({ id: o.id, kind: 0, q: take, p: sell, left: take });
      }
      if (o.left.gt(take)) out.unsold.push({ offerId: o.id, quantity: s(o.left.minus(take)) });
    }
    for (const { l } of allLots.filter((x) => x.carrier === carrier)) {
      lots.push({
        id: l.id,
        kind: 1,
        q: new D(l.quantity),
        p: new D(l.price),
        left: new D(l.quantity),
      });
    }
    if (cfg.gridPrice[carrier] !== null)
      lots.push({ id: 'grid', kind: 2, q: null, p: new D(cfg.gridPrice[carrier]!), left: null });
    lots.sort((a, b) => {
      if (a.kind === 2 || b.kind === 2) return a.kind - b.kind;
      return (
        (value ? a.q!.times(a.p).comparedTo(b.q!.times(b.p)) : 0) ||
        a.p.comparedTo(b.p) ||
        a.kind - b.kind ||
        cmpId(a.id, b.id)
      );
    });
    // Scenario 2.
    for (const b of bids) {
      if (b.left.isZero()) continue;
      const compatible = lots.filter((l) => b.p.gte(l.p));
      if (b.aon) {
        const unlimited = compatible.some((l) => l.left === null);
        const total = compatible.reduce(
          (acc, l) => (l.left === null ? acc : acc.plus(l.left)),
          new D(0),
        );
        if (!unlimited && total.lt(b.left)) {
          out.consumerIdRest.push(b.id);
          continue;
        }
      }
      for (const l of compatible) {
        if (b.left.isZero()) break;
        if (l.left?.isZero()) continue;
        const take = l.left === null ? b.left : D.min(b.left, l.left);
        b.left = b.left.minus(take);
        if (l.left !== null) l.left = l.left.minus(take);
        out.poolTrades.push({
          bidId: b.id,
          lotId: l.id,
          source: ['pool', 'storage', 'grid'][l.kind]!,
          quantity: s(take),
          price: s(l.p),
        });
      }
      if (b.left.gt(0)) out.consumerIdRest.push(b.id);
    }
  }
  return out;
}

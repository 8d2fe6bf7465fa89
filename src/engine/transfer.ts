/**
 * A result's long lists between threads: a worker sends the cycle log's trade columns, the orders'
 * fates and the settled accounts (typed arrays, copied, then their buffers transferred) with only
 * the strings they name; the receiving thread reads them with the same code as the cycle's own
 * result — objects made on first read of `result.trades`, the outcome lists or
 * `settlement.participants`, columns for `resultColumns` —
 * instead of parsing JSON text the worker would have had to write.
 *
 * @module
 * @internal
 */
import type { AccountsData } from '../settlement/settlement.js';
import type { CycleContext } from './context.js';
import { type OrderFates, TradeLog, type TradeLogData } from './log.js';

/** @internal What a worker sends of a result's lists: trades, the orders' fates, the accounts. */
export interface ResultTransfer {
  readonly trades: TradesTransfer;
  readonly outcomes: OutcomesTransfer;
  /** The settled accounts, which `settlement.participants` is built from on first read. */
  readonly accounts: AccountsData;
}

/**
 * @internal Every order's fate, by input index, as the outcome lists read it (docs/file-formats.md,
 * RESULT): the orders' ids, quantities and carriers, and what the cycle log says of each.
 */
export interface OutcomesTransfer {
  readonly quantityScale: number;
  readonly book: {
    readonly bids: OrderFacts;
    readonly offers: OrderFacts;
  };
  /** The cycle log's orders' fates, their arrays copied. */
  readonly log: { readonly orders: OrderFates };
}

/** @internal One side's ids, scaled quantities and carrier numbers, by input index. */
export interface OrderFacts {
  readonly length: number;
  readonly id: readonly string[];
  readonly q: Float64Array;
  readonly carrier: Uint8Array;
}

/** @internal A cycle's lists as a {@link ResultTransfer}. */
export function resultTransfer(cx: CycleContext): ResultTransfer {
  const { bids, offers } = cx.book;
  const o = cx.log.orders;
  const facts = (side: typeof bids): OrderFacts => ({
    length: side.length,
    id: side.id.slice(0, side.length),
    q: side.q.slice(0, side.length),
    carrier: side.carrier.slice(0, side.length),
  });
  const n = bids.length;
  const m = offers.length;
  return {
    trades: tradesTransfer(cx),
    accounts: cx.accounts.data(),
    outcomes: {
      quantityScale: cx.quantityScale,
      book: { bids: facts(bids), offers: facts(offers) },
      log: {
        orders: {
          bidP2pLeft: o.bidP2pLeft.slice(0, n),
          bidFinalLeft: o.bidFinalLeft.slice(0, n),
          bidReason: o.bidReason.slice(0, n),
          bidPoolReason: o.bidPoolReason.slice(0, n),
          offerP2pLeft: o.offerP2pLeft.slice(0, m),
          offerAbsorbed: o.offerAbsorbed.slice(0, m),
          offerReason: o.offerReason.slice(0, m),
        },
      },
    },
  };
}

import { type TradeBook, TradeCursor } from './records/cursors.js';

/**
 * @internal A result's trades as plain data: the log's columns, their `bid` and `offer` numbering
 * the bids and offers that traded (not the book's input indices), and what those name.
 */
export interface TradesTransfer {
  readonly log: TradeLogData;
  readonly quantityScale: number;
  /** The traded bids: id, participant (in {@link parties}) and carrier number. */
  readonly bidIds: readonly string[];
  readonly bidParty: Int32Array;
  readonly bidCarrier: Uint8Array;
  /** The traded offers: id and participant. */
  readonly offerIds: readonly string[];
  readonly offerParty: Int32Array;
  /** The participants that traded. */
  readonly parties: readonly string[];
}

/** The trades of a cycle as a {@link TradesTransfer}. */
function tradesTransfer(cx: CycleContext): TradesTransfer {
  const { bids, offers, parties } = cx.book;
  const log = cx.log.trades.data();
  const partyIndex = new Int32Array(parties.names.length).fill(-1);
  const partyNames: string[] = [];
  const party = (p: number) => {
    if (partyIndex[p] === -1) {
      partyIndex[p] = partyNames.length;
      partyNames.push(parties.names[p]!);
    }
    return partyIndex[p]!;
  };
  // Renumbers a side's input indices in `column` to the order they first trade in.
  const renumber = (column: Int32Array, ids: readonly string[], parties: Int32Array) => {
    const index = new Int32Array(ids.length).fill(-1);
    const traded: number[] = [];
    for (let i = 0; i < column.length; i++) {
      const o = column[i]!;
      if (index[o] === -1) {
        index[o] = traded.length;
        traded.push(o);
      }
      column[i] = index[o]!;
    }
    return {
      ids: traded.map((o) => ids[o]!),
      party: Int32Array.from(traded, (o) => party(parties[o]!)),
      traded,
    };
  };
  const b = renumber(log.bid, bids.id, bids.party);
  const o = renumber(log.offer, offers.id, offers.party);
  return {
    log,
    quantityScale: cx.quantityScale,
    bidIds: b.ids,
    bidParty: b.party,
    bidCarrier: Uint8Array.from(b.traded, (i) => bids.carrier[i]!),
    offerIds: o.ids,
    offerParty: o.party,
    parties: partyNames,
  };
}

/** @internal The buffers of a {@link ResultTransfer}: `postMessage`'s transfer list. */
export function transferList(t: ResultTransfer): ArrayBuffer[] {
  const { log } = t.trades;
  const { book, log: fates } = t.outcomes;
  const accounts = t.accounts;
  const sums = [accounts.purchases, accounts.sales, accounts.consumerFees, accounts.supplierFees];
  return [
    ...sums.flatMap((c) => [c.small, c.high]),
    ...accounts.energy,
    accounts.paidAt,
    accounts.receivedAt,
    log.bid,
    log.offer,
    log.qty,
    log.price,
    log.amount,
    log.feeLo,
    log.feeHi,
    log.feeScale,
    log.supplierLo,
    log.supplierScale,
    log.priceScale,
    t.trades.bidParty,
    t.trades.bidCarrier,
    t.trades.offerParty,
    book.bids.q,
    book.bids.carrier,
    book.offers.q,
    book.offers.carrier,
    ...Object.values(fates.orders),
  ].flatMap((a) => (a === undefined ? [] : [a.buffer as ArrayBuffer]));
}

/**
 * @internal A cursor over transferred trades: `at(i)` points it at trade `i`, whose fields it
 * reads as texts (the {@link TradeCursor} of the cycle's own result, over the transferred data).
 */
export function transferredCursor(t: TradesTransfer): TradeCursor {
  const book: TradeBook = {
    bids: { id: t.bidIds, party: t.bidParty, carrier: t.bidCarrier },
    offers: { id: t.offerIds, party: t.offerParty },
    parties: { names: t.parties },
    limits: { quantityScale: t.quantityScale },
  };
  return new TradeCursor(book, undefined, TradeLog.from(t.log));
}

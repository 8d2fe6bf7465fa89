/**
 * A result's trades between threads: a worker sends the cycle log's trade columns (typed arrays,
 * their buffers transferred, not copied) and only the strings those trades name; the receiving
 * thread reads them with the same cursor as the cycle's own result — objects made on first read
 * of `result.trades`, columns for `resultColumns` — instead of parsing JSON text.
 *
 * @module
 * @internal
 */
import type { CycleContext } from './context.js';
import { TradeLog, type TradeLogData } from './log.js';
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

/** @internal The trades of a cycle as a {@link TradesTransfer}. */
export function tradesTransfer(cx: CycleContext): TradesTransfer {
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

/** @internal The buffers of a {@link TradesTransfer}: `postMessage`'s transfer list. */
export function transferList(t: TradesTransfer): ArrayBuffer[] {
  const { log } = t;
  return [
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
    t.bidParty,
    t.bidCarrier,
    t.offerParty,
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

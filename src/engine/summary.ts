/**
 * A carrier's summary and the cycle's counters (docs/file-formats.md, `carriers`, `counters`).
 *
 * @module
 * @internal
 */
import { formatScaled } from '../decimal/decimal.js';
import { exactSum } from '../internal/column.js';
import type { CarrierSummary, Counters } from '../model/result.js';
import { CARRIERS } from '../model/types.js';
import type { Absorbed } from '../pool/absorb.js';
import type { Served } from '../pool/scenario2.js';
import type { RankedCarrier } from './p2p.js';

/** @internal A carrier's summary from what its phases returned. */
export function carrierSummary(
  r: RankedCarrier,
  qs: number,
  p2pVolume: bigint,
  p2pTrades: number,
  pool: Absorbed,
  served: Served,
): CarrierSummary {
  const fmt = (v: bigint) => formatScaled(v, qs);
  return Object.freeze({
    carrier: CARRIERS[r.carrier]!,
    offered: fmt(exactSum(r.askQty)),
    demanded: fmt(exactSum(r.bidQty)),
    p2pVolume: fmt(p2pVolume),
    absorbed: fmt(pool.absorbed),
    unsold: fmt(pool.unsold),
    poolVolume: fmt(served.volumes[0]),
    storageVolume: fmt(served.volumes[1]),
    gridVolume: fmt(served.volumes[2]),
    unserved: fmt(served.unserved),
    counters: Object.freeze({
      p2pTrades,
      p2pFailedBids: served.failedBids,
      poolTrades: served.trades,
      unservedBids: served.unservedBids,
    }),
  });
}

/** @internal The cycle's counters: the carriers' added up. */
export function sumCounters(list: readonly Counters[]): Counters {
  const out = { p2pTrades: 0, p2pFailedBids: 0, poolTrades: 0, unservedBids: 0 };
  for (const c of list) {
    out.p2pTrades += c.p2pTrades;
    out.p2pFailedBids += c.p2pFailedBids;
    out.poolTrades += c.poolTrades;
    out.unservedBids += c.unservedBids;
  }
  return Object.freeze(out);
}

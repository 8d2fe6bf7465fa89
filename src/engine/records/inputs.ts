/**
 * The inputs the block commits to (docs/ledger.md, "Blocks"), written as the RFC 8785 bytes
 * `canonicalJson` would make straight into a {@link ByteWriter}: each side's orders by the writer
 * generated from their description (`schema.ts`), the config and the resting ids by
 * `canonicalJson`. A differential property in the tests proves the bytes equal.
 *
 * @module
 * @internal
 */
import type { ByteWriter } from '../../internal/byte-writer.js';
import { canonicalJson } from '../../ledger/canonical-json.js';
import type { BookTables } from '../../ledger/records.js';
import type { OrderColumns, ParsedBook } from '../../model/columns.js';
import type { ResolvedConfig } from '../../model/types.js';
import {
  type InputSide,
  writeBidInputs,
  writeOfferInputs,
  writeStorageInputs,
} from './generated-inputs.js';

/**
 * Writes `canonicalJson({ book, config, resting? })` where the book's orders are in (seq, id)
 * order: the same book in any input order gives the same bytes. A book already in that order is
 * not sorted again. Orders are written field by field into the writer's bytes, no string an order.
 */
export function writeInputs(
  parsed: ParsedBook,
  cfg: ResolvedConfig,
  resting: readonly string[],
  tables: BookTables,
  w: ByteWriter,
): void {
  const side = (orders: OrderColumns, ids: BookTables['bids']): InputSide => ({
    orders,
    order: inOrder(orders),
    ids,
    parties: tables.parties,
    priceScale: parsed.limits.priceScale,
    quantityScale: parsed.limits.quantityScale,
  });
  w.text('{"book":{"bids":[');
  writeBidInputs(w, side(parsed.bids, tables.bids));
  w.text('],"offers":[');
  writeOfferInputs(w, side(parsed.offers, tables.offers));
  w.text('],"storage":[');
  writeStorageInputs(w, side(parsed.storage, tables.storage));
  w.text(`]},"config":${canonicalJson(cfg)}`);
  if (resting.length > 0) w.text(`,"resting":${canonicalJson(resting)}`);
  w.text('}');
}

/** A side's input indices in (seq, id) order; `null` when the side is already in that order. */
function inOrder(side: OrderColumns): number[] | null {
  const seq = side.seq;
  const id = side.id;
  const before = (a: number, b: number) =>
    seq[a]! < seq[b]! || (seq[a] === seq[b] && id[a]! < id[b]!);
  let sorted = true;
  for (let i = 1; i < side.length && sorted; i++) if (!before(i - 1, i)) sorted = false;
  if (sorted) return null;
  return Array.from({ length: side.length }, (_, i) => i).sort((a, b) =>
    before(a, b) ? -1 : before(b, a) ? 1 : 0,
  );
}

/**
 * The inputs the block commits to (docs/ledger.md, "Blocks"), written as the RFC 8785 bytes
 * `canonicalJson` would make straight into a {@link ByteWriter}: each order by the writer generated
 * from its description (`schema.ts`), the config and the resting ids by `canonicalJson`. A
 * differential property in the tests proves the bytes equal.
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
  type BidInputFields,
  type OfferInputFields,
  type StorageInputFields,
  writeBidInput,
  writeOfferInput,
  writeStorageInput,
} from './generated-inputs.js';

/** One order of a side's columns, read field by field by the generated writers. */
class OrderCursor implements BidInputFields, OfferInputFields, StorageInputFields {
  i = 0;

  constructor(
    private readonly side: OrderColumns,
    private readonly ids: BookTables['bids'],
    private readonly tables: BookTables,
    private readonly priceScale: number,
    private readonly quantityScale: number,
  ) {}

  id(w: ByteWriter): void {
    w.entry(this.ids, this.i);
  }
  participant(w: ByteWriter): void {
    w.entry(this.tables.parties, this.side.party[this.i]!);
  }
  carrier(): number {
    return this.side.carrier[this.i]!;
  }
  quantity(w: ByteWriter): void {
    w.decimal(this.side.q[this.i]!, this.quantityScale);
  }
  price(w: ByteWriter): void {
    w.decimal(this.side.p[this.i]!, this.priceScale);
  }
  allOrNone(): number {
    return this.side.allOrNone[this.i] === 1 ? 1 : 0;
  }
  seq(w: ByteWriter): void {
    w.decimal(this.side.seq[this.i]!, 0);
  }
}

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
  const { priceScale: ps, quantityScale: qs } = parsed.limits;
  const side = (
    orders: OrderColumns,
    ids: BookTables['bids'],
    write: (w: ByteWriter, f: OrderCursor, first: boolean) => void,
  ) => {
    const cursor = new OrderCursor(orders, ids, tables, ps, qs);
    inOrder(orders, (i, first) => {
      cursor.i = i;
      write(w, cursor, first);
    });
  };
  w.text('{"book":{"bids":[');
  side(parsed.bids, tables.bids, writeBidInput);
  w.text('],"offers":[');
  side(parsed.offers, tables.offers, writeOfferInput);
  w.text('],"storage":[');
  side(parsed.storage, tables.storage, writeStorageInput);
  w.text(`]},"config":${canonicalJson(cfg)}`);
  if (resting.length > 0) w.text(`,"resting":${canonicalJson(resting)}`);
  w.text('}');
}

/** Visits a side's orders in (seq, id) order; a side already in that order is not sorted. */
function inOrder(side: OrderColumns, visit: (i: number, first: boolean) => void): void {
  const seq = side.seq;
  const id = side.id;
  const before = (a: number, b: number) =>
    seq[a]! < seq[b]! || (seq[a] === seq[b] && id[a]! < id[b]!);
  let sorted = true;
  for (let i = 1; i < side.length && sorted; i++) if (!before(i - 1, i)) sorted = false;
  if (sorted) {
    for (let i = 0; i < side.length; i++) visit(i, i === 0);
    return;
  }
  const order = Array.from({ length: side.length }, (_, i) => i).sort((a, b) =>
    before(a, b) ? -1 : before(b, a) ? 1 : 0,
  );
  for (let k = 0; k < order.length; k++) visit(order[k]!, k === 0);
}

/**
 * The inputs the block commits to, written as the RFC 8785 bytes `canonicalJson` would make (keys
 * in code-unit order, each string escaped by `JSON.stringify`, decimals canonical) straight into
 * a {@link ByteWriter}; a differential property in the tests proves the bytes equal. Ids and
 * participants are validated free of lone surrogates, so `JSON.stringify` of them is their RFC
 * 8785 form. The engine writes its transaction records the same way.
 *
 * @module
 * @internal
 */

import { asciiBytes, type ByteWriter, type JsonTable, jsonTable } from '../internal/byte-writer.js';
import type { OrderColumns, ParsedBook } from '../model/columns.js';
import { CARRIERS, type ResolvedConfig } from '../model/types.js';
import { canonicalJson } from './canonical-json.js';

/** @internal The JSON literals of a book's ids and participants, by input index and party number. */
export interface BookTables {
  readonly bids: JsonTable;
  readonly offers: JsonTable;
  readonly storage: JsonTable;
  readonly parties: JsonTable;
}

/** @internal Builds a book's {@link BookTables}, reading its strings in input order. */
export function bookTables(parsed: ParsedBook): BookTables {
  const names = parsed.parties.names;
  const memory = parsed.arena.keep;
  return {
    bids: jsonTable(parsed.bids.length, (i) => parsed.bids.id[i]!, memory),
    offers: jsonTable(parsed.offers.length, (i) => parsed.offers.id[i]!, memory),
    storage: jsonTable(parsed.storage.length, (i) => parsed.storage.id[i]!, memory),
    parties: jsonTable(names.length, (i) => names[i]!, memory),
  };
}

/** The fixed parts of the inputs text, in canonical key order. */
const CARRIER_ID = CARRIERS.map((c) => asciiBytes(`"carrier":"${c}","id":`));
const FIRST = asciiBytes('{');
const NEXT = asciiBytes(',{');
const AON_TRUE = asciiBytes('"allOrNone":true,');
const AON_FALSE = asciiBytes('"allOrNone":false,');
const PARTICIPANT = asciiBytes(',"participant":');
const PRICE = asciiBytes(',"price":"');
const QUANTITY = asciiBytes('","quantity":"');
const SEQ = asciiBytes('","seq":');
const CLOSE = asciiBytes('}');

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
  const qs = parsed.limits.quantityScale;
  const ps = parsed.limits.priceScale;
  const order = (side: OrderColumns, i: number, first: boolean, kind: 0 | 1 | 2) => {
    w.bytes(first ? FIRST : NEXT);
    if (kind === 0) w.bytes(side.allOrNone[i] === 1 ? AON_TRUE : AON_FALSE);
    w.bytes(CARRIER_ID[side.carrier[i]!]!);
    w.entry(kind === 0 ? tables.bids : kind === 1 ? tables.offers : tables.storage, i);
    if (kind !== 2) {
      w.bytes(PARTICIPANT);
      w.entry(tables.parties, side.party[i]!);
    }
    w.bytes(PRICE);
    w.decimal(side.p[i]!, ps);
    w.bytes(QUANTITY);
    w.decimal(side.q[i]!, qs);
    w.bytes(SEQ);
    w.decimal(side.seq[i]!, 0);
    w.bytes(CLOSE);
  };
  w.text('{"book":{"bids":[');
  inOrder(parsed.bids, (i, first) => order(parsed.bids, i, first, 0));
  w.text('],"offers":[');
  inOrder(parsed.offers, (i, first) => order(parsed.offers, i, first, 1));
  w.text('],"storage":[');
  inOrder(parsed.storage, (i, first) => order(parsed.storage, i, first, 2));
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

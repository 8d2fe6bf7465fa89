/**
 * The JSON literals of a book's ids and participants, which the sealed records and the inputs
 * text (`engine/records/`) copy as bytes. Ids and participants are validated free of lone
 * surrogates, so `JSON.stringify` of them is their RFC 8785 form.
 *
 * @module
 * @internal
 */

import { type JsonTable, jsonTable } from '../internal/byte-writer.js';
import type { ParsedBook } from '../model/columns.js';

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

/**
 * Reading a book given as JSON text straight into columns, without `JSON.parse` and without an
 * object per order: the fast path of `validateBook` for text. It reads the *plain form* only —
 * what `JSON.stringify` of an ordinary book writes, with any whitespace and keys in any order — and
 * says "not plain" for anything else (an escape in a string, a duplicate or unknown key, a number
 * where a string goes, …), which then takes the general path and gets its issues there. So it
 * never decides an error, only whether it can read the text itself.
 *
 * @module
 * @internal
 */
import { ValidationError } from '../errors.js';
import type { Allocator, Arena } from '../internal/arena.js';
import { keepShape } from '../internal/shapes.js';
import { fnv1aAt, StringTable } from '../internal/string-table.js';
import { OrderColumns, type ParsedBook, parsedBook } from '../model/columns.js';
import { CARRIERS, type Limits } from '../model/types.js';
import { type DecimalRule, plainScaledAt, rulesOf, withinRule } from './common.js';

/** The fields an order can have, by number; an order's value positions are kept by number. */
export const F_ID = 0;
export const F_PARTICIPANT = 1;
export const F_CARRIER = 2;
export const F_QUANTITY = 3;
export const F_PRICE = 4;
export const F_SEQ = 5;
export const F_ALL_OR_NONE = 6;
const FIELD_NAMES = ['id', 'participant', 'carrier', 'quantity', 'price', 'seq', 'allOrNone'];
const FIELD_COUNT = FIELD_NAMES.length;

/** Which fields a side's orders may have, as a bit set by field number. */
export const OFFER_MASK = 0b0111111;
export const BID_MASK = 0b1111111;
export const LOT_MASK = 0b0111101;
/** The fields an order must have (of those it may have). */
const REQUIRED = 0b0011111;

/** Where a side's orders are in the {@link FieldPositions}: the first's number and how many. */
export interface SideSpan {
  readonly first: number;
  readonly count: number;
}

/** The sides of a plain book text (`storage` absent: no lots). */
export interface BookLayout {
  readonly offers: SideSpan;
  readonly bids: SideSpan;
  readonly storage: SideSpan | undefined;
  /** Every order's field positions, offers', bids' and lots' as the text has them. */
  readonly fields: FieldPositions;
}

/** What the readers below return for text that is not in the plain form (never a position). */
const NOT_PLAIN = -1;

/** Ints kept per order: a start and an end per field. */
export const PER_ORDER = 2 * FIELD_COUNT;

/**
 * @internal The field values' positions of every order read, order `k`'s field `f` at
 * `pos[PER_ORDER * k + 2f]` (start) and `+ 1` (end), as *character* positions in the text: a
 * string's characters between its quotes, or `seq`'s digits; for `allOrNone` the end is 1 for
 * `true` and 0 for `false`. A start of -1: the order has no such field.
 */
export class FieldPositions {
  pos: Int32Array;
  count = 0;

  constructor(expected: number) {
    keepShape(this);
    // Stryker disable next-line MethodExpression: any first size gives the same positions (it grows)
    this.pos = new Int32Array(PER_ORDER * Math.max(16, expected));
  }

  /**
   * Room for one more order; returns where it starts, its optional fields absent (a read that
   * succeeds sets every required field of its side; a lot's participant is never read).
   */
  next(): number {
    const at = PER_ORDER * this.count;
    // Stryker disable next-line EqualityOperator: growing one order earlier keeps the same positions (memory only)
    if (at + PER_ORDER > this.pos.length) {
      const pos = new Int32Array(2 * this.pos.length);
      pos.set(this.pos);
      this.pos = pos;
    }
    this.pos[at + 2 * F_SEQ] = -1;
    this.pos[at + 2 * F_ALL_OR_NONE] = -1;
    return at;
  }
}

/**
 * @internal A book text as UTF-8 bytes, read by position: indexing bytes is several times faster
 * than `charCodeAt` on a long string. Every byte of the JSON structure is ASCII, so only strings
 * can hold more bytes than characters: `delta` (bytes read less UTF-16 code units read) keeps a
 * byte position's character position, `at - delta`, for slicing ids out of the text.
 */
export class BookBytes {
  delta = 0;

  /** `undefined` when the text holds a surrogate (which UTF-8 cannot always carry). */
  static of(text: string): BookBytes | undefined {
    const bytes = ENCODER.encode(text);
    if (bytes.length !== text.length && /[\ud800-\udfff]/.test(text)) return undefined;
    return new BookBytes(bytes);
  }

  private constructor(readonly bytes: Uint8Array) {
    keepShape(this);
  }

  /** Skips JSON whitespace. */
  ws(i: number): number {
    const b = this.bytes;
    for (;;) {
      const c = b[i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
      i++;
    }
  }

  /**
   * The position of the `"` that closes a string whose bytes begin at `i`; -1 when the string
   * holds an escape or a control character (plain strings are without them). Counts the string's
   * extra UTF-8 bytes into {@link delta}.
   */
  stringEnd(i: number): number {
    const b = this.bytes;
    for (;;) {
      const c = b[i]!;
      if (c === 0x22) return i;
      // Past the end, `c` is undefined: it fails every comparison but this one.
      if (!(c >= 0x20) || c === 0x5c) return NOT_PLAIN;
      // Each continuation byte is a byte more than code units (no 4-byte sequence: a text with a
      // surrogate is not read here).
      if (c >= 0x80 && c < 0xc0) this.delta++;
      i++;
    }
  }

  /** Whether the bytes from `from` up to `to` are the ASCII `name`. */
  is(name: string, from: number, to: number): boolean {
    if (to - from !== name.length) return false;
    const b = this.bytes;
    for (let k = 0; k < name.length; k++) if (b[from + k] !== name.charCodeAt(k)) return false;
    return true;
  }

  /**
   * The end of the digits of a JSON integer `0` or `[1-9][0-9]*` of at most 15 digits (a safe
   * integer) at `i`, else -1. A fraction or an exponent after them is refused by the caller, which
   * expects `,` or `}` there.
   */
  integerEnd(i: number): number {
    const b = this.bytes;
    const from = i;
    for (;;) {
      const c = b[i]!;
      if (!(c >= 0x30 && c <= 0x39)) break;
      i++;
    }
    const digits = i - from;
    if (digits === 0 || digits > 15 || (digits > 1 && b[from] === 0x30)) return NOT_PLAIN;
    return i;
  }
}

const ENCODER = /* @__PURE__ */ new TextEncoder();

/**
 * @internal Reads order objects one at a time into {@link FieldPositions}.
 */
export class OrderCursor {
  constructor(
    private readonly b: BookBytes,
    readonly fields: FieldPositions,
  ) {
    keepShape(this);
  }

  /**
   * Reads the order object whose `{` is at byte `at`, allowing the fields of `mask`, as the next
   * order of {@link fields}; returns the byte after its `}`, or -1 when the object is not plain.
   */
  read(at: number, mask: number): number {
    const b = this.b;
    const bytes = b.bytes;
    const base = this.fields.next();
    const pos = this.fields.pos;
    let seen = 0;
    let i = b.ws(at + 1);
    for (;;) {
      if (bytes[i] !== 0x22) return NOT_PLAIN;
      const close = b.stringEnd(i + 1);
      if (close < 0) return NOT_PLAIN;
      const f = nameOf(b, FIELD_NAMES, i + 1, close);
      if (f < 0 || ((mask >> f) & 1) === 0 || ((seen >> f) & 1) === 1) return NOT_PLAIN;
      seen |= 1 << f;
      i = b.ws(close + 1);
      if (bytes[i] !== 0x3a) return NOT_PLAIN;
      i = b.ws(i + 1);
      const at = base + 2 * f;
      if (f === F_SEQ) {
        const digitsEnd = b.integerEnd(i);
        if (digitsEnd < 0) return NOT_PLAIN;
        pos[at] = i - b.delta;
        pos[at + 1] = digitsEnd - b.delta;
        i = digitsEnd;
      } else if (f === F_ALL_OR_NONE) {
        if (b.is('true', i, i + 4)) {
          pos[at + 1] = 1;
          i += 4;
        } else if (b.is('false', i, i + 5)) {
          pos[at + 1] = 0;
          i += 5;
        } else return NOT_PLAIN;
        pos[at] = 0;
      } else {
        if (bytes[i] !== 0x22) return NOT_PLAIN;
        pos[at] = i + 1 - b.delta;
        const valueEnd = b.stringEnd(i + 1);
        if (valueEnd < 0) return NOT_PLAIN;
        pos[at + 1] = valueEnd - b.delta;
        i = valueEnd + 1;
      }
      i = b.ws(i);
      const next = bytes[i];
      if (next === 0x7d) break;
      if (next !== 0x2c) return NOT_PLAIN;
      i = b.ws(i + 1);
    }
    if ((seen & REQUIRED & mask) !== (REQUIRED & mask)) return NOT_PLAIN;
    this.fields.count++;
    return i + 1;
  }
}

/** What {@link layoutBook} returns for a text whose sides hold more orders than allowed. */
export const TOO_MANY_ORDERS = 'too-many-orders';

/**
 * @internal The layout of a plain book text (see the module): its top-level object holds
 * `offers`, `bids` and optionally `storage`, each once, each an array of plain order objects;
 * nothing follows it but whitespace. `undefined` when the text is not plain (up to where it is
 * read); {@link TOO_MANY_ORDERS} as soon as order `maxOrders + 1` begins, before it or anything
 * after it is read.
 */
export function layoutBook(
  text: string,
  maxOrders = Number.POSITIVE_INFINITY,
): BookLayout | undefined | typeof TOO_MANY_ORDERS {
  const b = BookBytes.of(text);
  if (b === undefined) return undefined;
  const bytes = b.bytes;
  // An order is at least ~50 characters: room for every order of an ordinary book up front.
  // Stryker disable next-line ArithmeticOperator: any first size gives the same positions (it grows)
  const cursor = new OrderCursor(b, new FieldPositions(Math.ceil(bytes.length / 100)));
  // Stryker disable next-line ArrayDeclaration: an empty array reads undefined at every side too
  const spans: (SideSpan | undefined)[] = [undefined, undefined, undefined];
  // A byte-order mark, as UTF-8.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bom) b.delta = 2;
  let i = b.ws(bom ? 3 : 0);
  if (bytes[i] !== 0x7b) return undefined;
  i = b.ws(i + 1);
  for (;;) {
    if (bytes[i] !== 0x22) return undefined;
    const close = b.stringEnd(i + 1);
    if (close < 0) return undefined;
    const side = nameOf(b, SIDE_NAMES, i + 1, close);
    if (side < 0 || spans[side] !== undefined) return undefined;
    i = b.ws(close + 1);
    if (bytes[i] !== 0x3a) return undefined;
    i = b.ws(i + 1);
    if (bytes[i] !== 0x5b) return undefined;
    const first = cursor.fields.count;
    const mask = side === 0 ? OFFER_MASK : side === 1 ? BID_MASK : LOT_MASK;
    let count = 0;
    i = b.ws(i + 1);
    if (bytes[i] !== 0x5d) {
      for (;;) {
        if (bytes[i] !== 0x7b) return undefined;
        if (cursor.fields.count === maxOrders) return TOO_MANY_ORDERS;
        i = cursor.read(i, mask);
        if (i < 0) return undefined;
        count++;
        i = b.ws(i);
        const c = bytes[i];
        if (c === 0x5d) break;
        if (c !== 0x2c) return undefined;
        i = b.ws(i + 1);
      }
    }
    spans[side] = { first, count };
    i = b.ws(i + 1);
    const c = bytes[i];
    if (c === 0x7d) break;
    if (c !== 0x2c) return undefined;
    i = b.ws(i + 1);
  }
  if (b.ws(i + 1) !== bytes.length) return undefined;
  const [offers, bids, storage] = spans;
  if (offers === undefined || bids === undefined) return undefined;
  return { offers, bids, storage, fields: cursor.fields };
}

const SIDE_NAMES = ['offers', 'bids', 'storage'];

/**
 * The index in `names` of the key from byte `from` up to `to` (a field number in
 * `FIELD_NAMES`, a side in `SIDE_NAMES`: 0 `offers`, 1 `bids`, 2 `storage`), or -1.
 */
function nameOf(b: BookBytes, names: readonly string[], from: number, to: number): number {
  for (let k = 0; k < names.length; k++) if (b.is(names[k]!, from, to)) return k;
  return NOT_PLAIN;
}

/**
 * @internal The fast path of {@link validateBook} for JSON text (see `book-text.ts`): a book in the plain
 * form read straight into columns, with no `JSON.parse` and no object per order. `undefined` when
 * the text is not plain or an order would have an issue: the general path then reads it and
 * reports every issue. What it accepts, it reads exactly as the general path would (a property
 * test holds the two equal).
 * @throws {@link ValidationError} `too_many_orders` as soon as the sides hold more than
 *   `limits.maxOrders` orders, as the general path's first pass does.
 */
export function readBookText(
  text: string,
  limits: Limits,
  makeArena: (orders: number) => Arena,
): ParsedBook | undefined {
  const layout = layoutBook(text, limits.maxOrders);
  if (layout === TOO_MANY_ORDERS) {
    const max = limits.maxOrders;
    throw new ValidationError([
      {
        path: '',
        code: 'too_many_orders',
        message: `the book holds more than ${max} orders; the limit is ${max}`,
      },
    ]);
  }
  if (layout === undefined) return undefined;
  const storageSpan = layout.storage ?? { first: 0, count: 0 };
  const total = layout.offers.count + layout.bids.count + storageSpan.count;
  const arena = makeArena(total);
  // The table lives while the sides are read (parsedBook gives its memory back).
  const validating = arena.scratch.mark();
  const parties = new StringTable(total, arena.scratch);
  const ctx: TextContext = {
    text,
    pos: layout.fields.pos,
    limits,
    ...rulesOf(limits),
    parties,
    arena,
  };
  const offers = readSideText(ctx, layout.offers, OFFER_MASK);
  if (offers === undefined) return undefined;
  const bids = readSideText(ctx, layout.bids, BID_MASK);
  if (bids === undefined) return undefined;
  const storage = readSideText(ctx, storageSpan, LOT_MASK);
  if (storage === undefined) return undefined;
  return parsedBook(offers, bids, storage, limits, parties, arena, validating);
}

interface TextContext {
  readonly text: string;
  /** The orders' field positions ({@link FieldPositions}). */
  readonly pos: Int32Array;
  readonly limits: Limits;
  readonly quantityRule: DecimalRule;
  readonly priceRule: DecimalRule;
  readonly parties: StringTable;
  readonly arena: Arena;
}

/** {@link readSide} for a side of a plain book text; `undefined` when an order would have an issue. */
function readSideText(ctx: TextContext, span: SideSpan, mask: number): OrderColumns | undefined {
  const { text, pos, limits, quantityRule, priceRule } = ctx;
  const hasParticipant = mask !== LOT_MASK;
  const side = new OrderColumns(span.count, ctx.arena.keep);
  const scratch = ctx.arena.scratch.mark();
  // Ids are checked for repeats after the side, by sorting their hashes (no table to probe).
  const ids: string[] = [];
  const idHash = ctx.arena.scratch.u32(span.count);
  let k = 0;
  for (; k < span.count; k++) {
    const at = PER_ORDER * (span.first + k);
    const idFrom = pos[at + 2 * F_ID]!;
    const idTo = pos[at + 2 * F_ID + 1]!;
    if (idTo === idFrom || idTo - idFrom > limits.maxIdLength) break;
    ids.push(text.slice(idFrom, idTo));
    idHash[k] = fnv1aAt(text, idFrom, idTo);
    const carrier = carrierAt(text, pos[at + 2 * F_CARRIER]!, pos[at + 2 * F_CARRIER + 1]!);
    if (carrier < 0) break;
    const qAt = at + 2 * F_QUANTITY;
    const q = plainScaledAt(text, pos[qAt]!, pos[qAt + 1]!, quantityRule.scale);
    if (!withinRule(q, quantityRule)) break;
    const pAt = at + 2 * F_PRICE;
    const p = plainScaledAt(text, pos[pAt]!, pos[pAt + 1]!, priceRule.scale);
    if (!withinRule(p, priceRule)) break;
    let participant = '';
    let party = -1;
    if (hasParticipant) {
      const from = pos[at + 2 * F_PARTICIPANT]!;
      const to = pos[at + 2 * F_PARTICIPANT + 1]!;
      if (to === from || to - from > limits.maxIdLength) break;
      party = ctx.parties.addSpan(text, from, to);
      participant = ctx.parties.names[party]!;
    }
    const seqAt = at + 2 * F_SEQ;
    const aonAt = at + 2 * F_ALL_OR_NONE;
    side.set(
      k,
      participant,
      party,
      carrier,
      q,
      p,
      pos[seqAt]! < 0 ? k : Number(text.slice(pos[seqAt], pos[seqAt + 1])),
      pos[aonAt]! < 0 ? 0 : pos[aonAt + 1]!,
    );
  }
  const repeats = k < span.count || hasRepeat(ids, idHash, ctx.arena.scratch);
  ctx.arena.scratch.release(scratch);
  if (repeats) return undefined;
  side.id = ids;
  return side;
}

/**
 * Whether two of `ids` are equal, given each one's hash: the hashes sorted, and only the ids of a
 * hash that occurs twice compared as strings (about n² / 2^33 pairs of n distinct ids).
 */
function hasRepeat(ids: readonly string[], hash: Uint32Array, scratch: Allocator): boolean {
  const sorted = scratch.u32(hash.length);
  sorted.set(hash);
  sorted.sort();
  const twice = new Set<number>();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) twice.add(sorted[i]!);
  if (twice.size === 0) return false;
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    if (!twice.has(hash[i]!)) continue;
    if (seen.has(ids[i]!)) return true;
    seen.add(ids[i]!);
  }
  return false;
}

/** The index in `CARRIERS` of the carrier named between `from` and `to`, or -1. */
function carrierAt(text: string, from: number, to: number): number {
  for (let c = 0; c < CARRIERS.length; c++) {
    const name = CARRIERS[c]!;
    if (name.length === to - from && text.startsWith(name, from)) return c;
  }
  return -1;
}

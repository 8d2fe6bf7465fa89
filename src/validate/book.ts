/**
 * Order-book validation (docs/rules.md §2): every problem with its path, all-or-nothing.
 *
 * @module
 */

import { formatScaled } from '../decimal/decimal.js';
import { IssueList, OrderPath, type PathLike, ValidationError } from '../errors.js';
import { type Allocator, type Arena, HEAP, HEAP_ARENA } from '../memory/arena.js';
import {
  type Bid,
  CARRIERS,
  type Carrier,
  type Limits,
  type Offer,
  type OrderBook,
  type StorageLot,
} from '../model/types.js';
import {
  BID_MASK,
  F_ALL_OR_NONE,
  F_CARRIER,
  F_ID,
  F_PARTICIPANT,
  F_PRICE,
  F_QUANTITY,
  F_SEQ,
  LOT_MASK,
  layoutBook,
  OFFER_MASK,
  PER_ORDER,
  type SideSpan,
  TOO_MANY_ORDERS,
} from './book-text.js';
import {
  checkDecimal,
  checkFields,
  checkId,
  type DecimalRule,
  describe,
  fromJson,
  isRecord,
  own,
  plainScaledAt,
  withinRule,
} from './common.js';
import { DEFAULT_LIMITS, parseConfig, type SafeParseResult } from './config.js';
import { fnv1aAt, StringTable } from './string-table.js';

const BOOK_FIELDS = new Set(['offers', 'bids', 'storage']);
const OFFER_FIELDS = new Set(['id', 'participant', 'carrier', 'quantity', 'price', 'seq']);
const BID_FIELDS = new Set([
  'id',
  'participant',
  'carrier',
  'quantity',
  'price',
  'seq',
  'allOrNone',
]);
const LOT_FIELDS = new Set(['id', 'carrier', 'quantity', 'price', 'seq']);
const CARRIER_INDEX: ReadonlyMap<string, number> = new Map(CARRIERS.map((c, i) => [c, i]));

/** @internal One order of an {@link OrderSide} as an object, for paths that are not hot. */
export interface OrderRow {
  /** Its position in the input array. */
  readonly index: number;
  readonly id: string;
  /** `''` for storage lots. */
  readonly participant: string;
  /** The participant's number in {@link ParsedBook.parties}; `-1` for storage lots. */
  readonly party: number;
  readonly carrier: Carrier;
  /** Quantity scaled by 10^quantityScale. */
  readonly q: number;
  /** Price scaled by 10^priceScale. */
  readonly p: number;
  readonly seq: number;
  readonly allOrNone: boolean;
}

/**
 * @internal One side of a validated book in columns, by input index: no object per order (a
 * million orders a side would be a million objects for the garbage collector to mark, all cycle).
 */
export class OrderSide {
  /** The ids, by input index. */
  id: readonly string[] = [];
  /** The participants (`''` for storage lots), by input index. */
  readonly participant: string[] = [];
  /** The participants' numbers in {@link ParsedBook.parties}; `-1` for storage lots. */
  readonly party: Int32Array;
  /** Index into `CARRIERS`. */
  readonly carrier: Uint8Array;
  /** Quantity scaled by 10^quantityScale. */
  readonly q: Float64Array;
  /** Price scaled by 10^priceScale. */
  readonly p: Float64Array;
  readonly seq: Float64Array;
  readonly allOrNone: Uint8Array;

  constructor(
    readonly length: number,
    memory: Allocator = HEAP,
  ) {
    this.party = memory.i32(length);
    this.carrier = memory.u8(length);
    this.q = memory.f64(length);
    this.p = memory.f64(length);
    this.seq = memory.f64(length);
    this.allOrNone = memory.u8(length);
  }

  /** Writes order `i` (`participant` `''` and `party` -1 for a storage lot). */
  set(
    i: number,
    participant: string,
    party: number,
    carrier: number,
    q: number,
    p: number,
    seq: number,
    allOrNone: number,
  ): void {
    this.participant.push(participant);
    this.party[i] = party;
    this.carrier[i] = carrier;
    this.q[i] = q;
    this.p[i] = p;
    this.seq[i] = seq;
    this.allOrNone[i] = allOrNone;
  }

  /** Order `i` as an object. */
  row(i: number): OrderRow {
    return {
      index: i,
      id: this.id[i]!,
      participant: this.participant[i]!,
      party: this.party[i]!,
      carrier: CARRIERS[this.carrier[i]!]!,
      q: this.q[i]!,
      p: this.p[i]!,
      seq: this.seq[i]!,
      allOrNone: this.allOrNone[i] === 1,
    };
  }

  /** Every order as an object, in input order. */
  rows(): OrderRow[] {
    const out: OrderRow[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.row(i));
    return out;
  }
}

/** @internal A validated book: the canonical public form and the scaled rows. */
export interface ParsedBook {
  readonly book: OrderBook;
  readonly offers: OrderSide;
  readonly bids: OrderSide;
  readonly storage: OrderSide;
  readonly limits: Limits;
  /**
   * Participants numbered 0, 1, … in order of first appearance (offers, then bids): numbered once
   * here, while each name is at hand, rather than looked up again in rank order.
   */
  readonly parties: StringTable;
  /** Where the cycle over this book takes its arrays from (the validated columns came from it). */
  readonly arena: Arena;
}

/**
 * Validates an order book.
 *
 * @param input - an {@link OrderBook} object, or its JSON text (read without `JSON.parse` when
 *   it is in the form `JSON.stringify` writes).
 * @param limits - input limits (scales, magnitudes, counts). @defaultValue {@link DEFAULT_LIMITS}
 * @returns a frozen copy with canonical decimals (`"0.30"` → `"0.3"`) and every `seq` filled in.
 * @throws {@link ValidationError} listing every problem (`bids[3].price`, `invalid_decimal`).
 * @remarks docs/rules.md §2. Unknown fields are refused (a typo such as `allOrNon` must not pass silently).
 * @example
 * ```ts
 * import { parseBook } from 'microgrid-clearing';
 * const book = parseBook('{"offers":[{"id":"s1","participant":"p1","carrier":"heat","quantity":"10.50","price":"0.1"}],"bids":[]}');
 * book.offers[0]?.quantity; // '10.5'
 * ```
 */
export function parseBook(input: unknown, limits?: Partial<Limits>): OrderBook {
  return validateBook(input, resolveLimits(limits)).book;
}

/**
 * Like {@link parseBook}, but returns the issues instead of throwing.
 *
 * @param input - an {@link OrderBook} object, or its JSON text (read without `JSON.parse` when
 *   it is in the form `JSON.stringify` writes).
 * @param limits - input limits.
 * @returns `{ success: true, output }` or `{ success: false, issues }`.
 * @example
 * ```ts
 * import { safeParseBook } from 'microgrid-clearing';
 * const r = safeParseBook({ offers: [], bids: [{ id: 'c1' }] });
 * if (!r.success) console.log(r.issues.map((i) => i.path)); // ['bids[0].participant', 'bids[0].carrier', ...]
 * ```
 */
export function safeParseBook(
  input: unknown,
  limits?: Partial<Limits>,
): SafeParseResult<OrderBook> {
  try {
    return { success: true, output: validateBook(input, resolveLimits(limits)).book };
  } catch (err) {
    if (err instanceof ValidationError) return { success: false, issues: err.issues };
    throw err;
  }
}

/** Limits given to parseBook are checked like a config's. */
function resolveLimits(limits: Partial<Limits> | undefined): Limits {
  return limits === undefined ? DEFAULT_LIMITS : parseConfig({ limits }).limits;
}

/**
 * @internal Validates and converts to scaled rows in one pass. JSON text in the plain form is read
 * straight into the rows ({@link readBookText}); other text is parsed, then validated as a value.
 */
export function validateBook(
  input: unknown,
  limits: Limits,
  makeArena: (orders: number) => Arena = () => HEAP_ARENA,
): ParsedBook {
  if (typeof input === 'string') {
    const fast = readBookText(input, limits, makeArena);
    if (fast !== undefined) return fast;
  }
  // Text is counted in the first pass over it, before JSON.parse makes an object of any order.
  const cap = { keys: BOOK_FIELDS, max: limits.maxOrders };
  return validateBookValue(fromJson(input, 'book', cap), limits, makeArena);
}

/** @internal {@link validateBook} of a value (not text): every issue of every order at once. */
export function validateBookValue(
  value: unknown,
  limits: Limits,
  makeArena: (orders: number) => Arena = () => HEAP_ARENA,
): ParsedBook {
  const issues = new IssueList();
  if (!isRecord(value)) {
    issues.add(
      '',
      'invalid_type',
      `expected a book object { offers, bids, storage? }, got ${describe(value)}`,
    );
    issues.throwIfAny();
  }
  const record = value as Record<string, unknown>;
  checkFields(record, BOOK_FIELDS, '', issues);
  // Own properties only, here and in every order: a polluted `Object.prototype.storage` must not
  // add a side (nor `Object.prototype.price` a price).
  const offersIn = own(record, 'offers');
  const bidsIn = own(record, 'bids');
  const storageIn = own(record, 'storage');
  const sides: Array<[string, unknown, boolean]> = [
    ['offers', offersIn, true],
    ['bids', bidsIn, true],
    ['storage', storageIn, false],
  ];
  let total = 0;
  let structural = false;
  for (const [name, side, required] of sides) {
    if (side === undefined && !required) continue;
    if (!Array.isArray(side)) {
      issues.add(
        name,
        side === undefined ? 'required' : 'invalid_type',
        `expected an array of orders, got ${describe(side)}`,
      );
      structural = true;
    } else total += side.length;
  }
  // Refuse an oversized book before looking at a single order.
  if (total > limits.maxOrders) {
    issues.add(
      '',
      'too_many_orders',
      `the book holds ${total} orders; the limit is ${limits.maxOrders}`,
    );
    structural = true;
  }
  if (structural) issues.throwIfAny();

  const { quantityRule, priceRule } = rulesOf(limits);
  const arena = makeArena(total);
  const parties = new StringTable(total, arena.keep);
  const ctx = { issues, limits, quantityRule, priceRule, parties, arena };
  const offers = readSide(offersIn as unknown[], 'offers', OFFER_FIELDS, true, false, ctx);
  const bids = readSide(bidsIn as unknown[], 'bids', BID_FIELDS, true, true, ctx);
  const storage = readSide(
    (storageIn ?? []) as unknown[],
    'storage',
    LOT_FIELDS,
    false,
    false,
    ctx,
  );
  issues.throwIfAny();

  return parsedBook(offers, bids, storage, limits, parties, arena);
}

/** The decimal rules of a book's quantities and prices. */
function rulesOf(limits: Limits): { quantityRule: DecimalRule; priceRule: DecimalRule } {
  return {
    quantityRule: {
      scale: limits.quantityScale,
      maxScaled: scaledLimit(limits.maxQuantity, limits.quantityScale),
      allowZero: false,
    },
    priceRule: {
      scale: limits.priceScale,
      maxScaled: scaledLimit(limits.maxPrice, limits.priceScale),
      allowZero: true,
    },
  };
}

/** A {@link ParsedBook} of validated sides. */
function parsedBook(
  offers: OrderSide,
  bids: OrderSide,
  storage: OrderSide,
  limits: Limits,
  parties: StringTable,
  arena: Arena,
): ParsedBook {
  let book: OrderBook | undefined;
  return {
    // The canonical copy costs an object and two strings an order: made only when asked for.
    get book(): OrderBook {
      book ??= canonicalBook(offers, bids, storage, limits);
      return book;
    },
    offers,
    bids,
    storage,
    limits,
    parties,
    arena,
  };
}

/** The public form of validated sides: canonical decimals, every `seq` filled in, frozen. */
function canonicalBook(
  offers: OrderSide,
  bids: OrderSide,
  storage: OrderSide,
  limits: Limits,
): OrderBook {
  const qs = limits.quantityScale;
  const ps = limits.priceScale;
  const list = <T>(side: OrderSide, make: (r: OrderRow) => T) => {
    const out: T[] = [];
    for (let i = 0; i < side.length; i++) out.push(make(side.row(i)));
    return Object.freeze(out);
  };
  return Object.freeze({
    offers: list(
      offers,
      (r): Offer =>
        Object.freeze({
          id: r.id,
          participant: r.participant,
          carrier: r.carrier,
          quantity: formatScaled(r.q, qs),
          price: formatScaled(r.p, ps),
          seq: r.seq,
        }),
    ),
    bids: list(
      bids,
      (r): Bid =>
        Object.freeze({
          id: r.id,
          participant: r.participant,
          carrier: r.carrier,
          quantity: formatScaled(r.q, qs),
          price: formatScaled(r.p, ps),
          allOrNone: r.allOrNone,
          seq: r.seq,
        }),
    ),
    storage: list(
      storage,
      (r): StorageLot =>
        Object.freeze({
          id: r.id,
          carrier: r.carrier,
          quantity: formatScaled(r.q, qs),
          price: formatScaled(r.p, ps),
          seq: r.seq,
        }),
    ),
  });
}

function scaledLimit(text: string, scale: number): number {
  const dot = text.indexOf('.');
  const int = dot < 0 ? text : text.slice(0, dot);
  const frac = dot < 0 ? '' : text.slice(dot + 1);
  return Number(int + frac.padEnd(scale, '0'));
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
  const parties = new StringTable(total, arena.keep);
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
  return parsedBook(offers, bids, storage, limits, parties, arena);
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
function readSideText(ctx: TextContext, span: SideSpan, mask: number): OrderSide | undefined {
  const { text, pos, limits, quantityRule, priceRule } = ctx;
  const hasParticipant = mask !== LOT_MASK;
  const side = new OrderSide(span.count, ctx.arena.keep);
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

/** Whether `Object.prototype` holds none of `names` (nothing inherited can pose as a field). */
function prototypeClean(names: ReadonlySet<string>): boolean {
  for (const name of names) if (name in Object.prototype) return false;
  return true;
}

/** A field of an order: read directly when `direct` (see readSide), else only if it is own. */
function field(item: Record<string, unknown>, key: string, direct: boolean): unknown {
  return direct ? item[key] : own(item, key);
}

/** The index in `CARRIERS` of the carrier named between `from` and `to`, or -1. */
function carrierAt(text: string, from: number, to: number): number {
  for (let c = 0; c < CARRIERS.length; c++) {
    const name = CARRIERS[c]!;
    if (name.length === to - from && text.startsWith(name, from)) return c;
  }
  return -1;
}

interface SideContext {
  readonly issues: IssueList;
  readonly limits: Limits;
  readonly quantityRule: DecimalRule;
  readonly priceRule: DecimalRule;
  readonly parties: StringTable;
  readonly arena: Arena;
}

function readSide(
  items: readonly unknown[],
  name: string,
  fields: ReadonlySet<string>,
  hasParticipant: boolean,
  isBid: boolean,
  ctx: SideContext,
): OrderSide {
  const { issues } = ctx;
  const side = new OrderSide(items.length, ctx.arena.keep);
  // Ids numbered as they come; `firstAt[n]` is where id number n was first seen. The table's
  // slots are needed only here; its names become the side's ids.
  const scratch = ctx.arena.scratch.mark();
  const seen = new StringTable(items.length, ctx.arena.scratch);
  const firstAt = ctx.arena.scratch.i32(items.length);
  // One path object for the whole side: a string is spelled only when an issue is reported.
  const path = new OrderPath(name);
  // A plain object's field read directly is its own field, unless Object.prototype itself holds
  // that name (a polluted prototype): only then, or for objects on other prototypes, is each read
  // checked with Object.hasOwn (seven calls an order, measurable at 10^6 orders).
  const clean = prototypeClean(fields);
  for (let i = 0; i < items.length; i++) {
    path.index = i;
    // A hole in a sparse side reads as nothing, not as an index some prototype holds.
    const item = own(items, i);
    if (!isRecord(item)) {
      issues.add(path.at(''), 'invalid_type', `expected an order object, got ${describe(item)}`);
      continue;
    }
    checkFields(item, fields, path.at(''), issues);
    const direct = clean && Object.getPrototypeOf(item) === Object.prototype;
    const id = checkId(field(item, 'id', direct), path.at('id'), ctx.limits.maxIdLength, issues);
    const participant = hasParticipant
      ? checkId(
          field(item, 'participant', direct),
          path.at('participant'),
          ctx.limits.maxIdLength,
          issues,
        )
      : '';
    const carrier = readCarrier(field(item, 'carrier', direct), path.at('carrier'), issues);
    const q = checkDecimal(
      field(item, 'quantity', direct),
      path.at('quantity'),
      ctx.quantityRule,
      issues,
    );
    const p = checkDecimal(field(item, 'price', direct), path.at('price'), ctx.priceRule, issues);
    let seq = i;
    const rawSeq = field(item, 'seq', direct);
    if (rawSeq !== undefined) {
      if (typeof rawSeq !== 'number' || !Number.isSafeInteger(rawSeq) || rawSeq < 0) {
        issues.add(
          path.at('seq'),
          'invalid_type',
          `expected a non-negative integer, got ${describe(rawSeq)}`,
        );
      } else seq = rawSeq;
    }
    let allOrNone = false;
    const rawAllOrNone = isBid ? field(item, 'allOrNone', direct) : undefined;
    if (rawAllOrNone !== undefined) {
      if (typeof rawAllOrNone !== 'boolean') {
        issues.add(
          path.at('allOrNone'),
          'invalid_type',
          `expected true or false, got ${describe(rawAllOrNone)}`,
        );
      } else allOrNone = rawAllOrNone;
    }
    if (id !== undefined) {
      const count = seen.size;
      const n = seen.add(id);
      if (n < count) {
        const first = firstAt[n];
        issues.add(
          path.at('id'),
          'duplicate_id',
          `id ${JSON.stringify(id)} is already used by ${name}[${first}]`,
        );
      } else firstAt[n] = i;
    }
    if (
      id === undefined ||
      participant === undefined ||
      carrier === undefined ||
      q === undefined ||
      p === undefined
    )
      continue;
    // Written at i: when any order is skipped, the book is refused below and the side never read.
    side.set(
      i,
      participant,
      hasParticipant ? ctx.parties.add(participant) : -1,
      CARRIER_INDEX.get(carrier)!,
      q,
      p,
      seq,
      allOrNone ? 1 : 0,
    );
  }
  // The id table holds every id in input order.
  side.id = seen.names;
  ctx.arena.scratch.release(scratch);
  return side;
}

function readCarrier(value: unknown, path: PathLike, issues: IssueList): Carrier | undefined {
  if (value === undefined) {
    issues.add(path, 'required', 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    issues.add(path, 'invalid_type', `expected a carrier name, got ${describe(value)}`);
    return undefined;
  }
  if (!CARRIER_INDEX.has(value)) {
    issues.add(
      path,
      'unknown_carrier',
      `unknown carrier ${JSON.stringify(value)}; expected one of ${CARRIERS.join(', ')}`,
    );
    return undefined;
  }
  return value as Carrier;
}

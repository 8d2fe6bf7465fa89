/**
 * Order-book validation (docs/rules.md §2): every problem with its path, all-or-nothing.
 *
 * @module
 */

import { IssueList, OrderPath, type PathLike, ValidationError } from '../errors.js';
import { type Arena, HEAP_ARENA } from '../internal/arena.js';
import { StringTable } from '../internal/string-table.js';
import { OrderColumns, type ParsedBook, parsedBook } from '../model/columns.js';
import { CARRIERS, type Carrier, type Limits, type OrderBook } from '../model/types.js';
import { readBookText } from './book-text.js';
import {
  checkDecimal,
  checkFields,
  checkId,
  type DecimalRule,
  describe,
  fromJson,
  isRecord,
  own,
  rulesOf,
} from './common.js';
import { parseConfig, type SafeParseResult } from './config.js';
import { DEFAULT_LIMITS } from './defaults.js';

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
  // The table lives while the sides are read (parsedBook gives its memory back).
  const validating = arena.scratch.mark();
  const parties = new StringTable(total, arena.scratch);
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
  return parsedBook(offers, bids, storage, limits, parties, arena, validating);
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
): OrderColumns {
  const { issues } = ctx;
  const side = new OrderColumns(items.length, ctx.arena.keep);
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

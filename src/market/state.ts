/**
 * Reading a market's inputs once and checking them whole: a submitted order (its own properties,
 * read once) and an exported state (config, tip, resting orders, journal), every problem with its
 * path in one list. `Market` (market.ts) applies the rules; this module only reads.
 *
 * @module
 * @internal
 */
import type { CommissionPolicy } from '../commission/commission.js';
import { ClearingError, type Issue, IssueList, ValidationError } from '../errors.js';
import { type ChainTip, isHexDigest } from '../ledger/block.js';
import type { BlockHasher } from '../ledger/hasher.js';
import { timestampProblem } from '../ledger/timestamp.js';
import type { ClearingConfig, Limits, ResolvedConfig } from '../model/types.js';
import { validateBook } from '../validate/book.js';
import {
  checkFields,
  checkInteger,
  describe,
  isRecord,
  own,
  ownRecord,
} from '../validate/common.js';
import { safeParseConfig } from '../validate/config.js';
import type { JournalEntry, MarketOrder, OrderSide } from './model.js';

export const SIDES: readonly OrderSide[] = ['offer', 'bid', 'storage'];

/** A resting order as a market holds it. */
export interface Entry {
  order: MarketOrder;
  seq: number;
  idleCycles: number;
}

/**
 * Every problem of one order (a {@link snapshotOrder}) on its own, paths relative to it: its
 * side, its expiry, and its fields as a book's order under `limits`.
 */
export function orderIssues(order: MarketOrder | undefined, limits: Limits): Issue[] {
  const issues = new IssueList();
  if (order === undefined) {
    issues.add('', 'invalid_type', 'expected an order object with a "side"');
    return issues.items;
  }
  const side = own(order, 'side') as OrderSide;
  const expiresAt = own(order, 'expiresAt');
  const {
    side: _side,
    expiresAt: _expiresAt,
    ...fields
  } = order as MarketOrder & Record<string, unknown>;
  if (!SIDES.includes(side)) {
    issues.add('side', 'invalid_value', 'expected "offer", "bid" or "storage"');
    return issues.items;
  }
  if (expiresAt !== undefined) {
    const p = timestampProblem(expiresAt);
    if (p !== undefined) issues.add('expiresAt', 'invalid_timestamp', p);
  }
  const list = side === 'offer' ? 'offers' : side === 'bid' ? 'bids' : 'storage';
  try {
    validateBook(
      { offers: [], bids: [], [list]: [fields] },
      { ...limits, maxOrders: Number.MAX_SAFE_INTEGER },
    );
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    for (const i of err.issues)
      issues.items.push({ ...i, path: i.path.replace(/^\w+\[0\]\.?/, '') });
  }
  return issues.items;
}

/**
 * Whether every resting order of a state is valid as {@link orderIssues} checks it, in one
 * validation of a book holding them all; `false` means "check them one by one".
 */
function ordersValid(items: readonly unknown[], limits: Limits): boolean {
  const book: Record<'offers' | 'bids' | 'storage', unknown[]> = {
    offers: [],
    bids: [],
    storage: [],
  };
  for (let i = 0; i < items.length; i++) {
    const item = own(items, i);
    if (!isRecord(item)) return false;
    const { seq: _seq, idleCycles: _idle, ...rest } = ownRecord(item);
    const order = snapshotOrder(rest as MarketOrder);
    if (order === undefined) return false;
    const side = own(order, 'side') as OrderSide;
    const expiresAt = own(order, 'expiresAt');
    if (!SIDES.includes(side)) return false;
    if (expiresAt !== undefined && timestampProblem(expiresAt) !== undefined) return false;
    const {
      side: _side,
      expiresAt: _expiresAt,
      ...fields
    } = order as MarketOrder & Record<string, unknown>;
    book[side === 'offer' ? 'offers' : side === 'bid' ? 'bids' : 'storage'].push(fields);
  }
  try {
    validateBook(book, { ...limits, maxOrders: Number.MAX_SAFE_INTEGER });
    return true;
  } catch (err) {
    if (err instanceof ValidationError) return false;
    throw err;
  }
}

/** Whether a state's field is an array; records the issue when it is not. */
function isArrayAt(
  value: unknown,
  path: string,
  what: string,
  issues: IssueList,
): value is unknown[] {
  if (Array.isArray(value)) return true;
  issues.add(
    path,
    value === undefined ? 'required' : 'invalid_type',
    `expected an array of ${what}, got ${describe(value)}`,
  );
  return false;
}

/** The fields of an exported state. */
export const STATE_FIELDS = new Set(['version', 'config', 'nextSeq', 'tip', 'orders', 'journal']);

/**
 * The highest height a tip may have: the next block's height, one more, must be a safe integer
 * (`verifyChain` refuses any other).
 */
const MAX_TIP_HEIGHT = Number.MAX_SAFE_INTEGER - 1;

/** `path` then `sub` (a path relative to it): `orders[0]` and `price` give `orders[0].price`. */
function under(path: string, sub: string): string {
  if (sub === '') return path;
  return sub.startsWith('[') ? `${path}${sub}` : `${path}.${sub}`;
}

/** A required integer in [0, 2^53 − 1]. */
export function requiredInt(value: unknown, path: string, issues: IssueList): number | undefined {
  if (value === undefined) {
    issues.add(path, 'required', 'is required');
    return undefined;
  }
  return checkInteger(value, path, 0, Number.MAX_SAFE_INTEGER, issues);
}

/**
 * A chain tip read by own properties, once: a height in [0, 2^53 − 2], a lower-case hex hash of
 * the hasher's length, an optional timestamp; `undefined` for none (`undefined`, or `null` when
 * `nullable`). The copy keeps every own field, so an exported state round-trips byte for byte.
 */
export function readTip(
  value: unknown,
  path: string,
  hasher: BlockHasher,
  issues: IssueList,
  nullable = false,
): ChainTip | undefined {
  if (value === undefined && !nullable) return undefined;
  if (!isRecord(value)) {
    issues.add(
      path,
      value === undefined ? 'required' : 'invalid_type',
      `expected a block's { height, hash, timestamp? }${nullable ? ' or null' : ''}, got ${describe(value)}`,
    );
    return undefined;
  }
  const tip = ownRecord(value);
  const before = issues.size;
  const height = requiredInt(tip['height'], `${path}.height`, issues);
  if (height !== undefined && height > MAX_TIP_HEIGHT) {
    issues.add(
      `${path}.height`,
      'out_of_range',
      `must be at most 2^53 − 2: the next block's height must be a safe integer`,
    );
  }
  const hash = tip['hash'];
  if (hash === undefined) issues.add(`${path}.hash`, 'required', 'is required');
  else if (typeof hash !== 'string' || !isHexDigest(hash, hasher)) {
    issues.add(
      `${path}.hash`,
      'invalid_value',
      `expected a ${hasher.outputLen * 2}-digit lower-case hex hash, got ${describe(hash)}`,
    );
  }
  const timestamp = tip['timestamp'];
  if (timestamp !== undefined) {
    const p = timestampProblem(timestamp);
    if (p !== undefined) issues.add(`${path}.timestamp`, 'invalid_timestamp', p);
  }
  return issues.size > before ? undefined : (Object.freeze({ ...tip }) as unknown as ChainTip);
}

/** A state's config: an object that resolves (a custom commission's policy in `commission`). */
export function restoreConfig(
  value: unknown,
  commission: CommissionPolicy | undefined,
  issues: IssueList,
): ResolvedConfig | undefined {
  if (!isRecord(value)) {
    issues.add(
      'config',
      value === undefined ? 'required' : 'invalid_type',
      `expected a config object, got ${describe(value)}`,
    );
    return undefined;
  }
  const r = safeParseConfig(withoutCustom(value as ClearingConfig, commission));
  if (r.success) return r.output;
  for (const i of r.issues) issues.items.push({ ...i, path: under('config', i.path) });
  return undefined;
}

/**
 * A state's resting orders: each an order {@link Market.submit} would take (when the config is
 * known: its limits apply), once per side and id, with a distinct `seq` and `idleCycles` ≥ 0.
 */
export function restoreOrders(
  value: unknown,
  limits: Limits | undefined,
  issues: IssueList,
): { entries: Entry[]; maxSeq: number } | undefined {
  if (!isArrayAt(value, 'orders', 'resting orders', issues)) return undefined;
  const entries: Entry[] = [];
  const seqAt = new Map<number, number>();
  const idAt = new Map<string, number>();
  let maxSeq = -1;
  // One book of every order checked at once; only when it has a problem is each order checked
  // alone, for the problems' paths (a restore of thousands of orders costs one validation).
  const allValid = limits !== undefined && ordersValid(value, limits);
  for (let i = 0; i < value.length; i++) {
    const path = `orders[${i}]`;
    const item = own(value, i);
    if (!isRecord(item)) {
      issues.add(path, 'invalid_type', `expected a resting order, got ${describe(item)}`);
      continue;
    }
    const { seq: rawSeq, idleCycles: rawIdle, ...rest } = ownRecord(item);
    const seq = requiredInt(rawSeq, `${path}.seq`, issues);
    if (seq !== undefined) {
      const first = seqAt.get(seq);
      if (first !== undefined)
        issues.add(
          `${path}.seq`,
          'invalid_value',
          `seq ${seq} is already used by orders[${first}]`,
        );
      else seqAt.set(seq, i);
      maxSeq = Math.max(maxSeq, seq);
    }
    const idleCycles = requiredInt(rawIdle, `${path}.idleCycles`, issues);
    const order = snapshotOrder(rest as MarketOrder)!;
    if (limits === undefined) continue;
    const found = allValid ? [] : orderIssues(order, limits);
    for (const x of found) issues.items.push({ ...x, path: under(path, x.path) });
    if (found.length > 0 || seq === undefined || idleCycles === undefined) continue;
    const k = key(order.side, order.id);
    const first = idAt.get(k);
    if (first !== undefined) {
      issues.add(
        `${path}.id`,
        'duplicate_id',
        `a resting ${order.side} already has id ${JSON.stringify(order.id)} (orders[${first}])`,
      );
      continue;
    }
    idAt.set(k, i);
    entries.push({ order, seq, idleCycles });
  }
  if (limits !== undefined && value.length > limits.maxOrders) {
    issues.add(
      'orders',
      'too_many_orders',
      `the state holds ${value.length} orders; the limit is ${limits.maxOrders}`,
    );
  }
  return { entries, maxSeq };
}

const ENTRY_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  submit: new Set(['type', 'order']),
  cancel: new Set(['type', 'side', 'id']),
  cycle: new Set(['type', 'timestamp']),
};

/** A state's journal: every entry of a known type and form, copied (frozen) once. */
export function restoreJournal(
  value: unknown,
  limits: Limits | undefined,
  issues: IssueList,
): JournalEntry[] | undefined {
  if (!isArrayAt(value, 'journal', 'journal entries', issues)) return undefined;
  const out: JournalEntry[] = [];
  for (let i = 0; i < value.length; i++) {
    const path = `journal[${i}]`;
    const item = own(value, i);
    if (!isRecord(item)) {
      issues.add(path, 'invalid_type', `expected a journal entry, got ${describe(item)}`);
      continue;
    }
    const entry = ownRecord(item);
    const type = entry['type'];
    const fields =
      typeof type === 'string' && Object.hasOwn(ENTRY_FIELDS, type)
        ? ENTRY_FIELDS[type]
        : undefined;
    if (fields === undefined) {
      issues.add(
        `${path}.type`,
        'invalid_value',
        `expected "submit", "cancel" or "cycle", got ${describe(type)}`,
      );
      continue;
    }
    checkFields(entry, fields, path, issues);
    if (type === 'submit') {
      const order = snapshotOrder(entry['order'] as MarketOrder);
      if (order === undefined) {
        issues.add(
          `${path}.order`,
          'invalid_type',
          `expected an order, got ${describe(entry['order'])}`,
        );
        continue;
      }
      // An order the journal took was valid under the same config (when that is known).
      const found = limits === undefined ? [] : orderIssues(order, limits);
      for (const x of found) issues.items.push({ ...x, path: under(`${path}.order`, x.path) });
      out.push(Object.freeze({ ...entry, order }) as JournalEntry);
    } else if (type === 'cancel') {
      if (!SIDES.includes(entry['side'] as OrderSide))
        issues.add(`${path}.side`, 'invalid_value', 'expected "offer", "bid" or "storage"');
      if (typeof entry['id'] !== 'string' || entry['id'] === '')
        issues.add(
          `${path}.id`,
          'invalid_type',
          `expected an order id, got ${describe(entry['id'])}`,
        );
      out.push(Object.freeze({ ...entry }) as JournalEntry);
    } else {
      const p = timestampProblem(entry['timestamp']);
      if (p !== undefined) issues.add(`${path}.timestamp`, 'invalid_timestamp', p);
      out.push(Object.freeze({ ...entry }) as JournalEntry);
    }
  }
  return out;
}

export function key(side: OrderSide, id: string): string {
  return `${side}\u0000${id}`;
}

/**
 * One reading of an order: its own enumerable string-keyed properties, each read once (a getter
 * gives its value once), as a frozen plain object; `undefined` for a value that is no object.
 * Nothing inherited is read, and later changes to the input change nothing.
 */
export function snapshotOrder(order: MarketOrder): MarketOrder | undefined {
  if (!isRecord(order)) return undefined;
  const entries: [string, unknown][] = [];
  for (const k of Object.keys(order)) entries.push([k, (order as Record<string, unknown>)[k]]);
  return Object.freeze(Object.fromEntries(entries)) as MarketOrder;
}

/**
 * A resolved config cleared with a custom commission carries only the policy's id: the market
 * takes the policy from its options, and it must be the one with that id.
 */
export function withoutCustom(
  config: ClearingConfig | ResolvedConfig,
  policy: CommissionPolicy | undefined,
): ClearingConfig | ResolvedConfig {
  if (!isRecord(config) || !Object.hasOwn(config, 'pricingK')) return config;
  const commission = own(config, 'commission');
  if (!isRecord(commission) || own(commission, 'kind') !== 'custom') return config;
  const id = own(commission, 'id');
  if (policy?.id !== id) {
    throw new ClearingError(
      'invalid_option',
      `this state was cleared with the commission policy ${JSON.stringify(id)}: pass it in the options`,
    );
  }
  return { ...config, commission: { kind: 'none' } };
}

/**
 * Serialisers specialised to the record shapes the engine seals: they write the same RFC 8785
 * bytes as `canonicalJson` (keys in code-unit order, each string escaped by `JSON.stringify`,
 * decimals already canonical), about ten times faster, and a differential property in the tests
 * proves the bytes equal. Ids and participants are validated free of lone surrogates, so
 * `JSON.stringify` of them is their RFC 8785 form.
 *
 * @module
 * @internal
 */

import { formatScaled } from '../decimal/decimal.js';
import type { PoolPurchase, PoolTrade } from '../model/result.js';
import type { ResolvedConfig } from '../model/types.js';
import type { OrderRow, ParsedBook } from '../validate/book.js';
import { canonicalJson, utf8 } from './canonical-json.js';
import type { BlockHasher } from './hasher.js';
import { toHex } from './hasher.js';

/**
 * `canonicalJson({ type: 'trade', ...t })` from its fields in canonical key order; ids and
 * participants as JSON string literals (the engine quotes each order's once), decimals canonical.
 */
export function tradeText(
  amount: string,
  bidId: string,
  buyer: string,
  carrier: string,
  consumerFee: string,
  offerId: string,
  price: string,
  quantity: string,
  seller: string,
  supplierFee: string,
): string {
  return `{"amount":"${amount}","bidId":${bidId},"buyer":${buyer},"carrier":"${carrier}","consumerFee":"${consumerFee}","offerId":${offerId},"price":"${price}","quantity":"${quantity}","seller":${seller},"supplierFee":"${supplierFee}","type":"trade"}`;
}

/** `canonicalJson({ type: 'poolPurchase', ...p })`, given its quoted offer id and seller. */
export function poolPurchaseText(p: PoolPurchase, offerId: string, seller: string): string {
  return `{"amount":"${p.amount}","carrier":"${p.carrier}","offerId":${offerId},"price":"${p.price}","quantity":"${p.quantity}","seller":${seller},"type":"poolPurchase"}`;
}

/** `canonicalJson({ type: 'poolTrade', ...p })`, given its quoted bid id, buyer and lot id. */
export function poolTradeText(p: PoolTrade, bidId: string, buyer: string, lotId: string): string {
  return `{"amount":"${p.amount}","bidId":${bidId},"buyer":${buyer},"carrier":"${p.carrier}","consumerFee":"${p.consumerFee}","lotId":${lotId},"price":"${p.price}","quantity":"${p.quantity}","source":"${p.source}","type":"poolTrade"}`;
}

/**
 * Writes `canonicalJson({ book, config, resting? })` where the book's orders are in (seq, id)
 * order: the same book in any input order gives the same text. A book already in that order is
 * not sorted again.
 */
export function writeInputs(
  parsed: ParsedBook,
  cfg: ResolvedConfig,
  resting: readonly string[],
  write: (text: string) => void,
): void {
  const q = JSON.stringify;
  const qs = parsed.limits.quantityScale;
  const ps = parsed.limits.priceScale;
  const num = (r: OrderRow) =>
    `"price":"${formatScaled(r.p, ps)}","quantity":"${formatScaled(r.q, qs)}","seq":${r.seq}}`;
  write('{"book":{"bids":[');
  inOrder(parsed.bids, (r, first) =>
    write(
      `${first ? '' : ','}{"allOrNone":${r.allOrNone},"carrier":"${r.carrier}","id":${q(r.id)},"participant":${q(r.participant)},${num(r)}`,
    ),
  );
  write('],"offers":[');
  inOrder(parsed.offers, (r, first) =>
    write(
      `${first ? '' : ','}{"carrier":"${r.carrier}","id":${q(r.id)},"participant":${q(r.participant)},${num(r)}`,
    ),
  );
  write('],"storage":[');
  inOrder(parsed.storage, (r, first) =>
    write(`${first ? '' : ','}{"carrier":"${r.carrier}","id":${q(r.id)},${num(r)}`),
  );
  write(`]},"config":${canonicalJson(cfg)}`);
  if (resting.length > 0) write(`,"resting":${canonicalJson(resting)}`);
  write('}');
}

/** Visits rows in (seq, id) order; a list already in that order is not sorted again. */
function inOrder(xs: readonly OrderRow[], visit: (x: OrderRow, first: boolean) => void): void {
  // Stryker disable next-line EqualityOperator: ids are unique within a side, so equal (seq, id) never meet
  const before = (a: OrderRow, b: OrderRow) => a.seq < b.seq || (a.seq === b.seq && a.id < b.id);
  // Stryker disable next-line BooleanLiteral: sorting a sorted list again gives the same list (speed only)
  let sorted = true;
  // Stryker disable next-line ConditionalExpression: scanning on after the first disorder finds it disordered still
  for (let i = 1; i < xs.length && sorted; i++) if (!before(xs[i - 1]!, xs[i]!)) sorted = false;
  const list = sorted ? xs : xs.slice().sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  for (let i = 0; i < list.length; i++) visit(list[i]!, i === 0);
}

/** Hashes text written in pieces: streaming when the hasher can, one digest otherwise. */
export function hashText(
  hasher: BlockHasher,
  produce: (write: (text: string) => void) => void,
): string {
  const stream = hasher.create?.();
  const pending: string[] = [];
  let size = 0;
  const parts: Uint8Array[] = [];
  const flush = () => {
    // Stryker disable next-line ConditionalExpression: hashing zero bytes changes no stream
    if (pending.length === 0) return;
    const bytes = utf8(pending.join(''));
    pending.length = 0;
    size = 0;
    if (stream !== undefined) stream.update(bytes);
    else parts.push(bytes);
  };
  produce((text) => {
    pending.push(text);
    // Stryker disable next-line AssignmentOperator: only decides where the text is cut into chunks; the hash is of the whole
    size += text.length;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: only decides where the text is cut into chunks; the hash is of the whole
    if (size >= 1 << 16) flush();
  });
  flush();
  if (stream !== undefined) return toHex(stream.digest());
  let total = 0;
  for (const p of parts) total += p.length;
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return toHex(hasher.digest(all));
}

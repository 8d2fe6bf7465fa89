/**
 * The block of a cycle, docs/rules.md §11 and docs/ledger.md: the transaction records as plain
 * objects through `canonicalJson`, the inputs the block commits to, and the sealing. The Merkle
 * tree and the header hash are the ledger's own (`src/ledger/`): sealing is the ledger's
 * specification, not a clearing rule.
 *
 * @module
 * @internal
 */
import { type ChainTip, sealBlock, type TransactionRecord } from '../ledger/block.js';
import { canonicalJson, utf8 } from '../ledger/canonical-json.js';
import { type BlockHasher, toHex } from '../ledger/hasher.js';
import { leafHashes } from '../ledger/merkle.js';
import type { Block, Counters, PoolPurchase, PoolTrade, Trade } from '../model/result.js';
import type { OrderBook, ResolvedConfig } from '../model/types.js';
import { canonical, dec } from './decimal.js';
import { compareIds } from './ranking.js';

/**
 * docs/ledger.md "Transaction records": the P2P trades, then the pool purchases, then the
 * scenario 2 trades, each in the result's order and tagged with its `type`.
 */
export function transactionRecords(
  trades: readonly Trade[],
  poolPurchases: readonly PoolPurchase[],
  poolTrades: readonly PoolTrade[],
): TransactionRecord[] {
  return [
    ...trades.map((t): TransactionRecord => ({ type: 'trade', ...t })),
    ...poolPurchases.map((p): TransactionRecord => ({ type: 'poolPurchase', ...p })),
    ...poolTrades.map((t): TransactionRecord => ({ type: 'poolTrade', ...t })),
  ];
}

/** An order as docs/ledger.md hashes it: its explicit `seq` or its position in its array. */
interface HashedOrder {
  readonly id: string;
  readonly seq: number;
}

/** docs/ledger.md: a side's orders sorted by `seq`, then `id` (UTF-16 code units). */
function bySeqThenId<T extends HashedOrder>(orders: readonly T[]): T[] {
  return [...orders].sort((a, b) => a.seq - b.seq || compareIds(a.id, b.id));
}

/**
 * The inputs a block commits to, docs/ledger.md "Blocks": `{ book: { bids, offers, storage },
 * config }`, each side sorted by `seq` then `id`, each order reduced to its hashed fields with
 * canonical decimals, and the resolved config; as canonical JSON.
 */
export function inputsText(book: OrderBook, cfg: ResolvedConfig): string {
  const decimal = (text: string) => canonical(dec(text));
  const bids = book.bids.map((b, i) => ({
    allOrNone: b.allOrNone ?? false,
    carrier: b.carrier,
    id: b.id,
    participant: b.participant,
    price: decimal(b.price),
    quantity: decimal(b.quantity),
    seq: b.seq ?? i,
  }));
  const offers = book.offers.map((o, i) => ({
    carrier: o.carrier,
    id: o.id,
    participant: o.participant,
    price: decimal(o.price),
    quantity: decimal(o.quantity),
    seq: o.seq ?? i,
  }));
  const storage = (book.storage ?? []).map((l, i) => ({
    carrier: l.carrier,
    id: l.id,
    price: decimal(l.price),
    quantity: decimal(l.quantity),
    seq: l.seq ?? i,
  }));
  return canonicalJson({
    book: { bids: bySeqThenId(bids), offers: bySeqThenId(offers), storage: bySeqThenId(storage) },
    config: cfg,
  });
}

/** What the block seals besides the records. */
export interface BlockInputs {
  readonly book: OrderBook;
  readonly config: ResolvedConfig;
  readonly timestamp: string;
  readonly previous: ChainTip | undefined;
  readonly hasher: BlockHasher;
  readonly counters: Counters;
}

/**
 * The cycle's block, docs/ledger.md: the records' canonical JSON in leaves of `leafSize` under
 * the Merkle root, `inputsHash = H(inputs)`, chained to `previous`.
 */
export function blockOf(records: readonly TransactionRecord[], inputs: BlockInputs): Block {
  const { config, hasher } = inputs;
  const texts = records.map((r) => canonicalJson(r));
  return sealBlock({
    leaves: leafHashes(texts, config.leafSize, hasher),
    transactionCount: records.length,
    inputsHash: toHex(hasher.digest(utf8(inputsText(inputs.book, config)))),
    timestamp: inputs.timestamp,
    counters: inputs.counters,
    leafSize: config.leafSize,
    previous: inputs.previous,
    hasher,
  });
}

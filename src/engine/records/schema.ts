/**
 * Each transaction record described once: its fields in the order of its object (the result's
 * `Trade`, `PoolPurchase`, `PoolTrade`) and, sorted by key with its `type`, in the canonical JSON
 * the block seals (docs/ledger.md). `scripts/gen-records.ts` derives from these descriptions the
 * writers of the canonical bytes, of the objects' JSON text, and the object views
 * (`records/generated.ts`); CI runs it with `--check`, so the three cannot drift apart. The
 * orders of the inputs text the block's `inputsHash` commits to are described here too.
 *
 * @module
 * @internal
 */

/**
 * @internal How a field's value is written: `string` a JSON string (an id, a participant),
 * `decimal` a canonical decimal in quotes, `integer` a whole number without quotes,
 * `carrier`/`source` one of a fixed list of names, `boolean` `false` or `true`.
 */
export type FieldKind = 'string' | 'decimal' | 'integer' | 'carrier' | 'source' | 'boolean';

/** @internal One field of a record. */
export interface FieldSpec {
  readonly key: string;
  readonly kind: FieldKind;
}

/** @internal A record: its name, the `type` it is sealed with, its fields in object order. */
export interface RecordSpec {
  /** The name of the generated functions (`writeTradeRecord`, `writeTradeJson`, `tradeObject`). */
  readonly name: string;
  /** The result's type of its object view. */
  readonly objectType: string;
  /** The `type` field of its sealed record. */
  readonly type: string;
  readonly fields: readonly FieldSpec[];
}

/** @internal The JSON texts an enumerated kind can take, in code order. */
export const ENUMS: Readonly<Record<'carrier' | 'source' | 'boolean', readonly string[]>> = {
  carrier: ['"electricity"', '"heat"', '"cold"', '"gas"'],
  source: ['"pool"', '"storage"', '"grid"'],
  boolean: ['false', 'true'],
};

/** @internal The three records a block seals (docs/ledger.md, "Records"). */
export const RECORDS: readonly RecordSpec[] = [
  {
    name: 'trade',
    objectType: 'Trade',
    type: 'trade',
    fields: [
      { key: 'bidId', kind: 'string' },
      { key: 'offerId', kind: 'string' },
      { key: 'buyer', kind: 'string' },
      { key: 'seller', kind: 'string' },
      { key: 'carrier', kind: 'carrier' },
      { key: 'quantity', kind: 'decimal' },
      { key: 'price', kind: 'decimal' },
      { key: 'amount', kind: 'decimal' },
      { key: 'supplierFee', kind: 'decimal' },
      { key: 'consumerFee', kind: 'decimal' },
    ],
  },
  {
    name: 'poolPurchase',
    objectType: 'PoolPurchase',
    type: 'poolPurchase',
    fields: [
      { key: 'offerId', kind: 'string' },
      { key: 'seller', kind: 'string' },
      { key: 'carrier', kind: 'carrier' },
      { key: 'quantity', kind: 'decimal' },
      { key: 'price', kind: 'decimal' },
      { key: 'amount', kind: 'decimal' },
    ],
  },
  {
    name: 'poolTrade',
    objectType: 'PoolTrade',
    type: 'poolTrade',
    fields: [
      { key: 'bidId', kind: 'string' },
      { key: 'buyer', kind: 'string' },
      { key: 'lotId', kind: 'string' },
      { key: 'source', kind: 'source' },
      { key: 'carrier', kind: 'carrier' },
      { key: 'quantity', kind: 'decimal' },
      { key: 'price', kind: 'decimal' },
      { key: 'amount', kind: 'decimal' },
      { key: 'consumerFee', kind: 'decimal' },
    ],
  },
];

/** @internal An order of the inputs text: its name and fields (written in canonical key order). */
export interface InputSpec {
  /** The name of the generated writer (`writeBidInput`). */
  readonly name: string;
  readonly fields: readonly FieldSpec[];
}

/**
 * @internal The orders of the inputs text, `{ book: { bids, offers, storage }, config, resting? }`
 * (docs/ledger.md, "Blocks"): each side's orders in (seq, id) order, one canonical object each.
 */
export const INPUTS: readonly InputSpec[] = [
  {
    name: 'bidInput',
    fields: [
      { key: 'id', kind: 'string' },
      { key: 'participant', kind: 'string' },
      { key: 'carrier', kind: 'carrier' },
      { key: 'quantity', kind: 'decimal' },
      { key: 'price', kind: 'decimal' },
      { key: 'allOrNone', kind: 'boolean' },
      { key: 'seq', kind: 'integer' },
    ],
  },
  {
    name: 'offerInput',
    fields: [
      { key: 'id', kind: 'string' },
      { key: 'participant', kind: 'string' },
      { key: 'carrier', kind: 'carrier' },
      { key: 'quantity', kind: 'decimal' },
      { key: 'price', kind: 'decimal' },
      { key: 'seq', kind: 'integer' },
    ],
  },
  {
    name: 'storageInput',
    fields: [
      { key: 'id', kind: 'string' },
      { key: 'carrier', kind: 'carrier' },
      { key: 'quantity', kind: 'decimal' },
      { key: 'price', kind: 'decimal' },
      { key: 'seq', kind: 'integer' },
    ],
  },
];

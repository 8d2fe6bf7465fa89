/**
 * Ranking (docs/rules.md §3, paper Eq. 1–3). Comparators are total and written once: every order has a
 * unique position given the same `seq`s, so the result never depends on input order.
 *
 * @module
 */
import { compareProducts } from '../decimal/decimal.js';
import { HEAP, type Scratch } from '../internal/arena.js';
import { sortByKey } from '../internal/radix-sort.js';
import { keepShape } from '../internal/shapes.js';
import type { OrderColumns, OrderRow } from '../model/columns.js';
import type { RankingName } from '../model/types.js';

/** UTF-16 code-unit order, never `localeCompare`. @internal */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** @internal A scenario 2 lot: a pool lot (an absorbed offer), a storage lot, or the grid. */
export interface LotRow {
  readonly id: string;
  /** 0 pool, 1 storage, 2 grid: the Eq. 3 tie-break "pool lots before storage lots", grid last. */
  readonly kind: 0 | 1 | 2;
  /** Scaled quantity; `Infinity` for the grid. */
  readonly q: number;
  /** Scaled price. */
  readonly p: number;
}

/** @internal What the order comparators read of an order. */
export type RankedOrder = Pick<OrderRow, 'q' | 'p' | 'seq' | 'id'>;

/** @internal A ranking policy over scaled rows. */
export interface RankingPolicy {
  readonly name: RankingName;
  /** Eq. 1: negative when `a` is served before `b`. */
  compareBids(a: RankedOrder, b: RankedOrder): number;
  /** Eq. 2: negative when `a` is signalled before `b`. */
  compareOffers(a: RankedOrder, b: RankedOrder): number;
  /** Eq. 3: negative when lot `a` is taken before `b`. */
  compareLots(a: LotRow, b: LotRow): number;
  /**
   * A float sort key consistent with the comparators: a larger key ranks a bid earlier, a smaller
   * key an offer or lot earlier; equal keys leave the decision to the comparator.
   */
  key(q: number, p: number): number;
}

/** The orders `indices` of `side` in Eq. 1 order (new array of input indices). */
export function rankBids(
  side: OrderColumns,
  indices: ArrayLike<number>,
  policy: RankingPolicy,
  memory: Scratch = HEAP,
): number[] {
  return rankIndices(side, indices, policy, true, policy.compareBids, memory);
}

/** The orders `indices` of `side` in Eq. 2 order (new array of input indices). */
export function rankOffers(
  side: OrderColumns,
  indices: ArrayLike<number>,
  policy: RankingPolicy,
  memory: Scratch = HEAP,
): number[] {
  return rankIndices(side, indices, policy, false, policy.compareOffers, memory);
}

function rankIndices(
  side: OrderColumns,
  indices: ArrayLike<number>,
  policy: RankingPolicy,
  descending: boolean,
  compare: (a: RankedOrder, b: RankedOrder) => number,
  memory: Scratch,
): number[] {
  const q = side.q;
  const p = side.p;
  // Two reusable views: the comparator reads orders without an object per comparison.
  const a = new RowView(side);
  const b = new RowView(side);
  return sortByKey(
    indices,
    (i) => policy.key(q[i]!, p[i]!),
    descending,
    (i, j) => {
      a.index = i;
      b.index = j;
      return compare(a, b);
    },
    memory,
  );
}

/** An order of an {@link OrderColumns} as the comparators see it; `index` says which. */
class RowView implements RankedOrder {
  index = 0;
  constructor(private readonly side: OrderColumns) {
    keepShape(this);
  }
  get id(): string {
    return this.side.id[this.index]!;
  }
  get q(): number {
    return this.side.q[this.index]!;
  }
  get p(): number {
    return this.side.p[this.index]!;
  }
  get seq(): number {
    return this.side.seq[this.index]!;
  }
}

/** `lots` in Eq. 3 order (new array); the grid (kind 2) last. */
export function rankLots(
  lots: readonly LotRow[],
  policy: RankingPolicy,
  memory: Scratch = HEAP,
): LotRow[] {
  return sortByKey(
    lots,
    (l) => (l.kind === 2 ? Number.POSITIVE_INFINITY : policy.key(l.q, l.p)),
    false,
    policy.compareLots,
    memory,
  );
}

function tieBreak(a: RankedOrder, b: RankedOrder): number {
  return a.seq - b.seq || compareIds(a.id, b.id);
}

function lotTail(a: LotRow, b: LotRow): number {
  return a.p - b.p || a.kind - b.kind || compareIds(a.id, b.id);
}

/** The paper's value ranking: Eq. 1 bids by q × p descending, Eq. 2 offers and Eq. 3 lots ascending. */
const VALUE: RankingPolicy = Object.freeze({
  name: 'value' as const,
  compareBids: (a: RankedOrder, b: RankedOrder) =>
    compareProducts(b.q, b.p, a.q, a.p) || b.p - a.p || tieBreak(a, b),
  compareOffers: (a: RankedOrder, b: RankedOrder) =>
    compareProducts(a.q, a.p, b.q, b.p) || a.p - b.p || tieBreak(a, b),
  compareLots: (a: LotRow, b: LotRow) => {
    if (a.kind === 2 || b.kind === 2) return a.kind - b.kind; // the unlimited grid is last
    return compareProducts(a.q, a.p, b.q, b.p) || lotTail(a, b);
  },
  key: (q: number, p: number) => q * p,
});

/** Merit order: bids by unit price descending, offers and lots ascending, then the same tie-breakers. */
const UNIT_PRICE: RankingPolicy = Object.freeze({
  name: 'unit-price' as const,
  compareBids: (a: RankedOrder, b: RankedOrder) => b.p - a.p || tieBreak(a, b),
  compareOffers: (a: RankedOrder, b: RankedOrder) => a.p - b.p || tieBreak(a, b),
  compareLots: (a: LotRow, b: LotRow) => {
    if (a.kind === 2 || b.kind === 2) return a.kind - b.kind;
    return lotTail(a, b);
  },
  key: (_q: number, p: number) => p,
});

/** @internal The policy of a name. */
export function rankingPolicy(name: RankingName): RankingPolicy {
  return name === 'unit-price' ? UNIT_PRICE : VALUE;
}

/**
 * The constrained welfare optimum of a book: the largest gains from trade, `Σ (bid price − offer
 * price) × quantity`, of any allocation that keeps the market's own rules (docs/rules.md §4) —
 * same carrier, bid price ≥ offer price, never a participant with itself, each order at most its
 * quantity, all-or-none bids filled whole or not at all — together with an allocation that attains
 * it, as pairs (offer, bid, quantity).
 *
 * **Without all-or-none bids** it is one greedy of `relaxation.ts`: exact by Edmonds' polymatroid
 * greedy, O((N + M) log(N + M)) with N bids and M offers (the sort; the sweep is O((N + M) log P)
 * for P participants), exact in scaled integers (`bigint` sums, no floating point), and no pair
 * list is ever built, so a book where every bid meets every offer costs the same. `pairing.ts`
 * then writes the flow out as pairs in O((N + M + K) log P) for K pairs.
 *
 * **With all-or-none bids** it is a best-first branch and bound over them (each in or out). A node
 * fixes some bids in (forced whole) or out and relaxes the rest to divisible; the greedy solves the
 * relaxation exactly, which bounds every allocation below the node (or shows that the bids forced
 * in cannot all fill whole). A relaxation that fills each free all-or-none bid whole or not at all
 * is feasible and optimal for its node. Otherwise the node is rounded — the bids it fills whole are
 * forced in, the other free ones left out, one more greedy — for a feasible allocation, and split
 * on its first all-or-none bid (in unit-price rank) filled in part. The search starts from the
 * allocation without any all-or-none bid, always feasible, and stops when no open node's bound
 * beats the best allocation found (`proven`) or after `maxNodes` greedies; then `bound` is the
 * largest open bound, and the true optimum lies between `gains` and `bound`.
 *
 * **Ties.** Among allocations with the same gains the search keeps one by a fixed rule
 * (`beats`): the one filling more of the first bid where they differ, element by element in the
 * greedy's order (prices from the highest; at one price bids before offers, which count by what
 * they keep). The greedy's answer to a relaxation is the first in that order of all its
 * allocations, so a node is pruned only when its bound cannot beat the best found on gains, or
 * ties it and its relaxation does not win the tie; the answer is then the same allocation
 * whatever path the search took (`proven`), and the `welfare-optimal` mechanism relies on it.
 *
 * Same book, same result: orders are taken in unit-price rank (price, then `seq`, then id; `seq`
 * defaults to the position in the book), participants in name order.
 *
 * @module
 */
import { formatScaled } from '../decimal/decimal.js';
import { format } from '../decimal/fixed.js';
import { ClearingError } from '../errors.js';
import type { ParsedBook } from '../model/columns.js';
import {
  CARRIERS,
  type Carrier,
  type ClearingConfig,
  type OrderBook,
  type ResolvedConfig,
} from '../model/types.js';
import { compareIds, rankBids, rankingPolicy, rankOffers } from '../ranking/ranking.js';
import { validateBook } from '../validate/book.js';
import { toResolvedConfig } from '../validate/config.js';
import { pairUp } from './pairing.js';
import {
  type CarrierOrders,
  EXCLUDED,
  FORCED,
  FREE,
  type Relaxation,
  relax,
} from './relaxation.js';

/**
 * One pair of an optimal allocation: `quantity` of the offer `offerId` goes to the bid `bidId`.
 *
 * @example
 * ```ts
 * const pair: OptimalPair = { offerId: 's1', bidId: 'c3', quantity: '3' };
 * ```
 */
export interface OptimalPair {
  /** The offer's id. */
  readonly offerId: string;
  /** The bid's id. */
  readonly bidId: string;
  /** Energy, a decimal string > 0. */
  readonly quantity: string;
}

/**
 * The constrained optimum of one carrier's market.
 *
 * @example
 * ```ts
 * const o: CarrierOptimum = {
 *   carrier: 'electricity', gains: '1.65', bound: '1.65', proven: true, volume: '10', nodes: 1,
 *   pairs: [{ offerId: 's1', bidId: 'c3', quantity: '3' }],
 * };
 * ```
 */
export interface CarrierOptimum {
  /** The market. */
  readonly carrier: Carrier;
  /** Gains from trade of `pairs`: the constrained optimum when `proven`. */
  readonly gains: string;
  /** No allocation keeping the rules gains more; equal to `gains` when `proven`. */
  readonly bound: string;
  /** Whether `gains` is the optimum (false only when the search stopped at `maxNodes`). */
  readonly proven: boolean;
  /** Energy traded by `pairs`. */
  readonly volume: string;
  /** Relaxations solved (1 without all-or-none bids). */
  readonly nodes: number;
  /**
   * The allocation: bids in unit-price rank (price descending, then `seq`, then id), each bid's
   * offers in unit-price rank. Every pair is compatible, no order exceeds its quantity, and every
   * all-or-none bid is absent or filled whole.
   */
  readonly pairs: readonly OptimalPair[];
}

/**
 * Options of {@link constrainedOptimum}.
 *
 * @example
 * ```ts
 * const options: OptimumOptions = { maxNodes: 500 };
 * ```
 */
export interface OptimumOptions {
  /**
   * Most relaxations the branch and bound over all-or-none bids solves per carrier; the first
   * two (the book, and the book without its all-or-none bids) are always solved.
   * @defaultValue 10000
   */
  readonly maxNodes?: number;
}

const DEFAULT_MAX_NODES = 10_000;

/**
 * The largest gains from trade any allocation keeping the market's rules could realise, carrier by
 * carrier, and an allocation that realises them.
 *
 * @param book - an {@link OrderBook}, or its JSON text.
 * @param config - the configuration (only its limits are read). @defaultValue `{}`
 * @param options - the branch-and-bound budget.
 * @returns one entry per carrier that has orders, in carrier order.
 * @throws {@link ValidationError} when the book or config is not valid.
 * @throws {@link ClearingError} `invalid_option` when `maxNodes` is not a whole number ≥ 1.
 * @remarks The rules are those of docs/rules.md §4: same carrier, bid price ≥ offer price,
 *   different participants, all-or-none bids whole or not at all. Exact without all-or-none bids
 *   in O((N + M) log(N + M)); with them, a branch and bound (see `proven`). Ties go by unit-price
 *   rank (docs/rules.md §3), so the same book gives the same pairs.
 * @example
 * ```ts
 * import { constrainedOptimum } from 'microgrid-clearing';
 * // p1 is the only seller at 0.1 but also the only keen buyer: it cannot buy its own offer.
 * const [o] = constrainedOptimum({
 *   offers: [
 *     { id: 's1', participant: 'p1', carrier: 'electricity', quantity: '1', price: '0.1' },
 *     { id: 's2', participant: 'p2', carrier: 'electricity', quantity: '1', price: '0.5' },
 *   ],
 *   bids: [
 *     { id: 'c1', participant: 'p1', carrier: 'electricity', quantity: '1', price: '0.6' },
 *     { id: 'c2', participant: 'p3', carrier: 'electricity', quantity: '1', price: '0.2' },
 *   ],
 * });
 * o?.gains; // '0.2': c1 buys s2 (0.1), c2 buys s1 (0.1)
 * o?.pairs; // [{ offerId: 's2', bidId: 'c1', quantity: '1' }, { offerId: 's1', bidId: 'c2', quantity: '1' }]
 * ```
 */
export function constrainedOptimum(
  book: OrderBook | unknown,
  config?: ClearingConfig | ResolvedConfig,
  options?: OptimumOptions,
): CarrierOptimum[] {
  const maxNodes = readMaxNodes(options);
  const cfg = toResolvedConfig(config);
  const parsed = validateBook(book, cfg.limits);
  const out: CarrierOptimum[] = [];
  for (const carrier of CARRIERS) {
    const o = carrierOptimum(parsed, carrier, maxNodes);
    if (o !== undefined) out.push(o.result);
  }
  return out;
}

/** @internal `options.maxNodes`, checked, or its default. */
export function readMaxNodes(options: OptimumOptions | undefined): number {
  const value: unknown = options?.maxNodes;
  if (value === undefined) return DEFAULT_MAX_NODES;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ClearingError(
      'invalid_option',
      `"maxNodes" expected a whole number ≥ 1, got ${typeof value === 'number' ? value : typeof value}`,
    );
  }
  return value;
}

/**
 * @internal The constrained optimum of one carrier of a validated book, and its gains scaled by
 * 10^(priceScale + quantityScale); `undefined` when the carrier has no orders.
 */
export function carrierOptimum(
  parsed: ParsedBook,
  carrier: Carrier,
  maxNodes: number,
): { readonly result: CarrierOptimum; readonly gains: bigint } | undefined {
  const prepared = carrierOrders(parsed, carrier);
  if (prepared === undefined) return undefined;
  const { orders, offers, bids, allOrNone } = prepared;
  const qs = parsed.limits.quantityScale;
  const ps = parsed.limits.priceScale;
  const O = parsed.offers;
  const B = parsed.bids;
  const search = branchAndBound(orders, allOrNone, maxNodes);
  const pairs = pairUp(orders, search.best);
  const order = pairs.bid.map((_, k) => k);
  order.sort((x, y) => pairs.bid[x]! - pairs.bid[y]! || pairs.offer[x]! - pairs.offer[y]!);
  let volume = 0n;
  for (const q of search.best.fill) volume += BigInt(q);
  const result: CarrierOptimum = Object.freeze({
    carrier,
    gains: format({ v: search.best.gains, s: ps + qs }),
    bound: format({ v: search.bound, s: ps + qs }),
    proven: search.proven,
    volume: formatScaled(volume, qs),
    nodes: search.nodes,
    pairs: Object.freeze(
      order.map((k) =>
        Object.freeze({
          offerId: O.id[offers[pairs.offer[k]!]!]!,
          bidId: B.id[bids[pairs.bid[k]!]!]!,
          quantity: formatScaled(pairs.qty[k]!, qs),
        }),
      ),
    ),
  });
  return { result, gains: search.best.gains };
}

/**
 * @internal One carrier's orders in the solvers' columns: both sides in unit-price rank, with their
 * input indices (`offers`, `bids`) and the rank positions of the all-or-none bids; `undefined` when
 * the carrier has no orders.
 */
export function carrierOrders(
  parsed: ParsedBook,
  carrier: Carrier,
):
  | {
      readonly orders: CarrierOrders;
      readonly offers: readonly number[];
      readonly bids: readonly number[];
      readonly allOrNone: readonly number[];
    }
  | undefined {
  const ci = CARRIERS.indexOf(carrier);
  const O = parsed.offers;
  const B = parsed.bids;
  const offerIn: number[] = [];
  const bidIn: number[] = [];
  for (let i = 0; i < O.length; i++) if (O.carrier[i] === ci) offerIn.push(i);
  for (let i = 0; i < B.length; i++) if (B.carrier[i] === ci) bidIn.push(i);
  if (offerIn.length + bidIn.length === 0) return undefined;
  const policy = rankingPolicy('unit-price');
  const offers = rankOffers(O, offerIn, policy);
  const bids = rankBids(B, bidIn, policy);
  const names = [
    ...new Set([...offers.map((i) => O.participant[i]!), ...bids.map((i) => B.participant[i]!)]),
  ].sort(compareIds);
  const party = new Map(names.map((name, k) => [name, k]));
  const orders: CarrierOrders = {
    parties: names.length,
    offerPrice: Float64Array.from(offers, (i) => O.p[i]!),
    offerQty: Float64Array.from(offers, (i) => O.q[i]!),
    offerParty: Int32Array.from(offers, (i) => party.get(O.participant[i]!)!),
    bidPrice: Float64Array.from(bids, (i) => B.p[i]!),
    bidQty: Float64Array.from(bids, (i) => B.q[i]!),
    bidParty: Int32Array.from(bids, (i) => party.get(B.participant[i]!)!),
  };
  const allOrNone: number[] = [];
  for (let k = 0; k < bids.length; k++) if (B.allOrNone[bids[k]!] === 1) allOrNone.push(k);
  return { orders, offers, bids, allOrNone };
}

/** @internal What the search found. */
export interface Search {
  /** The best allocation that keeps every rule. */
  readonly best: Relaxation;
  /** No allocation gains more. */
  readonly bound: bigint;
  /** Whether `best.gains` is the optimum. */
  readonly proven: boolean;
  readonly nodes: number;
}

/**
 * @internal Whether the allocation `a` beats `b`: larger gains, or the same gains and, element by
 * element in the greedy's order (`relaxation.ts`: prices from the highest; at one price bids in
 * rank before offers in reverse rank), more filled by the first bid where they differ or less sold
 * by the first offer. Among allocations of one relaxation the greedy's is the largest in this
 * order, which is what makes the search's answer one allocation, whatever path it took.
 */
export function beats(orders: CarrierOrders, a: Relaxation, b: Relaxation): boolean {
  if (a.gains !== b.gains) return a.gains > b.gains;
  const { bidPrice, offerPrice } = orders;
  const n = bidPrice.length;
  let i = 0;
  let j = offerPrice.length - 1;
  while (i < n || j >= 0) {
    if (j < 0 || (i < n && bidPrice[i]! >= offerPrice[j]!)) {
      if (a.fill[i] !== b.fill[i]) return a.fill[i]! > b.fill[i]!;
      i++;
    } else {
      if (a.sold[j] !== b.sold[j]) return a.sold[j]! < b.sold[j]!;
      j--;
    }
  }
  return false;
}

/** An open node: the decisions on its path and its relaxation's bound. */
interface OpenNode {
  readonly bound: bigint;
  /** Creation order, for ties. */
  readonly seq: number;
  readonly parent: OpenNode | undefined;
  /** The bid (rank position) this node fixed, and how; -1 at the root. */
  readonly at: number;
  readonly choice: number;
  /** The all-or-none bid to split on: the first its relaxation fills in part. */
  readonly split: number;
}

/**
 * @internal The branch and bound over a carrier's all-or-none bids (the module's notes): the best
 * allocation keeping every rule — largest gains, ties by {@link beats} — within `maxNodes`
 * relaxations.
 */
export function branchAndBound(
  orders: CarrierOrders,
  allOrNone: readonly number[],
  maxNodes: number,
): Search {
  const n = orders.bidPrice.length;
  let nodes = 0;
  const solve = (decision: Uint8Array): Relaxation | undefined => {
    nodes++;
    return relax(orders, decision);
  };
  /** The first free all-or-none bid filled in part, or -1 when the relaxation keeps every rule. */
  const partial = (r: Relaxation, decision: Uint8Array): number => {
    for (const k of allOrNone) {
      if (decision[k] === FREE && r.fill[k]! > 0 && r.fill[k]! < orders.bidQty[k]!) return k;
    }
    return -1;
  };
  const decisionOf = (node: OpenNode | undefined): Uint8Array => {
    const d = new Uint8Array(n);
    for (let x = node; x !== undefined; x = x.parent) if (x.at >= 0) d[x.at] = x.choice;
    return d;
  };

  const rootDecision = new Uint8Array(n);
  const root = solve(rootDecision)!; // nothing forced: always feasible
  if (partial(root, rootDecision) < 0)
    return { best: root, bound: root.gains, proven: true, nodes };
  const without = new Uint8Array(n);
  for (const k of allOrNone) without[k] = EXCLUDED;
  let best = solve(without)!;
  // Out of budget with `bound` the largest open bound: the best so far.
  const stop = (bound: bigint): Search => ({
    best,
    bound: bound > best.gains ? bound : best.gains,
    proven: bound <= best.gains,
    nodes,
  });

  const open = new NodeHeap();
  let seq = 0;
  // Rounds a relaxation that fills some all-or-none bids in part into one that keeps the rules.
  const round = (r: Relaxation, decision: Uint8Array): void => {
    const d = decision.slice();
    for (const k of allOrNone) {
      if (d[k] === FREE) d[k] = r.fill[k] === orders.bidQty[k] ? FORCED : EXCLUDED;
    }
    const rounded = solve(d); // feasible: r itself fills the forced ones whole
    if (rounded !== undefined && beats(orders, rounded, best)) best = rounded;
  };
  const consider = (
    r: Relaxation,
    decision: Uint8Array,
    node: Omit<OpenNode, 'bound' | 'seq' | 'split'>,
  ): void => {
    if (!beats(orders, r, best)) return;
    const split = partial(r, decision);
    if (split < 0) {
      best = r;
      return;
    }
    open.push({ ...node, bound: r.gains, seq: seq++, split });
  };

  if (nodes < maxNodes) round(root, rootDecision);
  consider(root, rootDecision, { parent: undefined, at: -1, choice: FREE });
  for (;;) {
    const node = open.peek();
    if (node === undefined || node.bound < best.gains) {
      return { best, bound: best.gains, proven: true, nodes };
    }
    if (nodes >= maxNodes) return stop(node.bound);
    open.pop();
    const decision = decisionOf(node);
    // A node whose bound only ties the best found since it was opened can win on the tie rule
    // alone: solve it again to see (its relaxation is the best of everything below it).
    if (node.bound === best.gains && !beats(orders, solve(decision)!, best)) continue;
    for (const choice of [FORCED, EXCLUDED]) {
      if (node.bound < best.gains) break;
      // The popped node had the largest bound of all open ones.
      if (nodes >= maxNodes) return stop(node.bound);
      const d = decision.slice();
      d[node.split] = choice;
      const r = solve(d);
      if (r === undefined || !beats(orders, r, best)) continue;
      if (partial(r, d) >= 0 && nodes < maxNodes) round(r, d);
      consider(r, d, { parent: node, at: node.split, choice });
    }
  }
}

/** Open nodes, largest bound first, then oldest first. */
class NodeHeap {
  private readonly items: OpenNode[] = [];

  private static before(a: OpenNode, b: OpenNode): boolean {
    return a.bound !== b.bound ? a.bound > b.bound : a.seq < b.seq;
  }

  peek(): OpenNode | undefined {
    return this.items[0];
  }

  push(node: OpenNode): void {
    const a = this.items;
    a.push(node);
    let i = a.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!NodeHeap.before(a[i]!, a[up]!)) break;
      [a[i], a[up]] = [a[up]!, a[i]!];
      i = up;
    }
  }

  pop(): void {
    const a = this.items;
    const last = a.pop()!;
    if (a.length === 0) return;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && NodeHeap.before(a[l]!, a[m]!)) m = l;
      if (r < a.length && NodeHeap.before(a[r]!, a[m]!)) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
}

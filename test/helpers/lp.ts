/**
 * An exact linear-programming reference for the tests: a dense two-phase simplex on bigint
 * fractions with Bland's rule (it cannot cycle), and on top of it the constrained welfare optimum
 * by brute force — every all-or-none bid in or out, one LP over all compatible pairs each. It
 * shares nothing with src/metrics (no price ladder, no greedy, no scaled integers): quantities and
 * prices are read as exact fractions straight from the decimal strings.
 */
import type { Bid, Carrier, Offer, OrderBook } from '../../src/index.js';

/** An exact fraction n / d with d > 0, in lowest terms. */
export interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function q(n: bigint, d = 1n): Q {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

const ZERO = q(0n);
export const add = (a: Q, b: Q): Q => q(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Q, b: Q): Q => q(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
export const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);
export const sign = (a: Q): number => (a.n > 0n ? 1 : a.n < 0n ? -1 : 0);
export const cmp = (a: Q, b: Q): number => sign(sub(a, b));

/** A plain decimal string ("12.75", "-0.5") as an exact fraction. */
export function fromDecimal(text: string): Q {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [int, frac = ''] = body.split('.');
  const v = q(BigInt(int! + frac), 10n ** BigInt(frac.length));
  return negative ? q(-v.n, v.d) : v;
}

/** A constraint `Σ a_j x_j ≤ b` or `= b`, with b ≥ 0. */
export interface Constraint {
  readonly a: readonly Q[];
  readonly kind: 'le' | 'eq';
  readonly b: Q;
}

/**
 * max c·x subject to the constraints and x ≥ 0; `undefined` when infeasible.
 * @throws when unbounded (never the case for bounded transportation problems).
 */
export function maximize(c: readonly Q[], rows: readonly Constraint[]): Q | undefined {
  const nv = c.length;
  const le = rows.filter((r) => r.kind === 'le').length;
  const eq = rows.length - le;
  const width = nv + le + eq; // then the right-hand side
  const isArtificial = (j: number) => j >= nv + le;
  const t: Q[][] = [];
  const basis: number[] = [];
  let slack = nv;
  let artificial = nv + le;
  for (const r of rows) {
    const row = new Array<Q>(width + 1).fill(ZERO);
    r.a.forEach((v, j) => {
      row[j] = v;
    });
    row[width] = r.b;
    if (r.kind === 'le') {
      row[slack] = q(1n);
      basis.push(slack++);
    } else {
      row[artificial] = q(1n);
      basis.push(artificial++);
    }
    t.push(row);
  }

  // obj[j] = z_j − c_j for the current basis; obj[width] = the objective's value.
  const objective = (cost: (j: number) => Q): Q[] => {
    const obj = new Array<Q>(width + 1).fill(ZERO);
    for (let j = 0; j <= width; j++) {
      let z = ZERO;
      t.forEach((row, r) => {
        z = add(z, mul(cost(basis[r]!), row[j]!));
      });
      obj[j] = j === width ? z : sub(z, cost(j));
    }
    return obj;
  };
  const pivot = (obj: Q[], r: number, j: number): void => {
    const p = t[r]![j]!;
    t[r] = t[r]!.map((v) => div(v, p));
    const pr = t[r]!;
    for (const row of [...t, obj]) {
      if (row === pr) continue;
      const f = row[j]!;
      if (f.n === 0n) continue;
      for (let k = 0; k <= width; k++) row[k] = sub(row[k]!, mul(f, pr[k]!));
    }
    basis[r] = j;
  };
  const run = (obj: Q[], allowed: (j: number) => boolean): void => {
    for (;;) {
      // Bland: the lowest-index improving column, then the lowest-index leaving variable.
      let enter = -1;
      for (let j = 0; j < width; j++) {
        if (allowed(j) && sign(obj[j]!) < 0) {
          enter = j;
          break;
        }
      }
      if (enter < 0) return;
      let leave = -1;
      let best: Q | undefined;
      t.forEach((row, r) => {
        if (sign(row[enter]!) <= 0) return;
        const ratio = div(row[width]!, row[enter]!);
        const c2 = best === undefined ? -1 : cmp(ratio, best);
        if (c2 < 0 || (c2 === 0 && basis[r]! < basis[leave]!)) {
          best = ratio;
          leave = r;
        }
      });
      if (leave < 0) throw new Error('unbounded LP');
      pivot(obj, leave, enter);
    }
  };

  if (eq > 0) {
    const phase1 = objective((j) => (isArtificial(j) ? q(-1n) : ZERO));
    run(phase1, () => true);
    if (sign(phase1[width]!) < 0) return undefined;
    // Drive artificial variables (at zero) out of the basis; a row with no other entry is redundant.
    for (let r = t.length - 1; r >= 0; r--) {
      if (!isArtificial(basis[r]!)) continue;
      const j = t[r]!.findIndex((v, k) => k < nv + le && v.n !== 0n);
      if (j >= 0) pivot(phase1, r, j);
      else {
        t.splice(r, 1);
        basis.splice(r, 1);
      }
    }
  }
  const obj = objective((j) => (j < nv ? c[j]! : ZERO));
  run(obj, (j) => !isArtificial(j));
  return obj[width]!;
}

/**
 * The constrained welfare optimum of one carrier: the largest `Σ (bid − offer) × x` over pairs of
 * the same carrier with bid price ≥ offer price and different participants, each order at most its
 * quantity, every all-or-none bid filled whole or not at all.
 */
export function referenceOptimum(book: OrderBook, carrier: Carrier): Q {
  const offers = book.offers.filter((o) => o.carrier === carrier);
  const bids = book.bids.filter((b) => b.carrier === carrier);
  const allOrNone = bids.flatMap((b, i) => (b.allOrNone === true ? [i] : []));
  if (allOrNone.length > 12) throw new Error('referenceOptimum: too many all-or-none bids');
  let best = ZERO;
  for (let mask = 0; mask < 1 << allOrNone.length; mask++) {
    const inSet = new Set(allOrNone.filter((_, k) => (mask >> k) & 1));
    const outSet = new Set(allOrNone.filter((_, k) => !((mask >> k) & 1)));
    const value = transport(offers, bids, inSet, outSet);
    if (value !== undefined && cmp(value, best) > 0) best = value;
  }
  return best;
}

/**
 * The divisible optimum of one carrier with the bids `whole` filled whole and the bids `out` left
 * out (by id); `undefined` when the bids in `whole` cannot all fill whole.
 */
export function referenceTransport(
  book: OrderBook,
  carrier: Carrier,
  whole: ReadonlySet<string>,
  out: ReadonlySet<string>,
): Q | undefined {
  const offers = book.offers.filter((o) => o.carrier === carrier);
  const bids = book.bids.filter((b) => b.carrier === carrier);
  const index = (ids: ReadonlySet<string>) =>
    new Set(bids.flatMap((b, i) => (ids.has(b.id) ? [i] : [])));
  return transport(offers, bids, index(whole), index(out));
}

function transport(
  offers: readonly Offer[],
  bids: readonly Bid[],
  whole: ReadonlySet<number>,
  out: ReadonlySet<number>,
): Q | undefined {
  const pairs: Array<[number, number]> = [];
  offers.forEach((o, j) => {
    bids.forEach((b, i) => {
      if (out.has(i) || b.participant === o.participant) return;
      if (cmp(fromDecimal(b.price), fromDecimal(o.price)) >= 0) pairs.push([j, i]);
    });
  });
  const c = pairs.map(([j, i]) => sub(fromDecimal(bids[i]!.price), fromDecimal(offers[j]!.price)));
  const rows: Constraint[] = [];
  offers.forEach((o, j) => {
    rows.push({
      a: pairs.map(([jj]) => (jj === j ? q(1n) : ZERO)),
      kind: 'le',
      b: fromDecimal(o.quantity),
    });
  });
  bids.forEach((b, i) => {
    if (out.has(i)) return;
    rows.push({
      a: pairs.map(([, ii]) => (ii === i ? q(1n) : ZERO)),
      kind: whole.has(i) ? 'eq' : 'le',
      b: fromDecimal(b.quantity),
    });
  });
  return maximize(c, rows);
}

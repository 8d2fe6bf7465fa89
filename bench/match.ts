/**
 * Matching alone (scenario 1), on books already validated and ranked: 10^5 … 10^6 orders a side,
 * random and adversarial, with the time ratio per doubling of N. Run: `npm run bench:match`.
 */

import { type BookKind, generateBook } from '../src/cli/generators.js';
import { match } from '../src/matching/match.js';
import { rankBids, rankingPolicy, rankOffers } from '../src/ranking/ranking.js';
import { validateBook } from '../src/validate/book.js';
import { DEFAULT_LIMITS } from '../src/validate/defaults.js';

function prepare(kind: BookKind, n: number) {
  const book = generateBook({ kind, size: n, seed: 42, carriers: ['electricity'] });
  const parsed = validateBook(book, { ...DEFAULT_LIMITS, maxOrders: 10_000_000 });
  const policy = rankingPolicy('value');
  const B = parsed.bids;
  const O = parsed.offers;
  const all = (n: number) => Array.from({ length: n }, (_, i) => i);
  const bids = rankBids(B, all(B.length), policy);
  const offers = rankOffers(O, all(O.length), policy);
  return {
    bidPrice: Float64Array.from(bids, (i) => B.p[i]!),
    bidQty: Float64Array.from(bids, (i) => B.q[i]!),
    bidParty: Int32Array.from(bids, (i) => B.party[i]!),
    bidAllOrNone: Uint8Array.from(bids, (i) => B.allOrNone[i]!),
    askPrice: Float64Array.from(offers, (i) => O.p[i]!),
    askQty: Float64Array.from(offers, (i) => O.q[i]!),
    askParty: Int32Array.from(offers, (i) => O.party[i]!),
  };
}

function time(input: ReturnType<typeof prepare>): { ms: number; fills: number } {
  let best = Number.POSITIVE_INFINITY;
  let fills = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    fills = match(input).fillCount;
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, fills };
}

const sizes = (process.argv[2] ?? '125000,250000,500000,1000000').split(',').map(Number);
const kinds: BookKind[] = ['random', 'adversarial', 'all-or-none'];
console.log(`matching alone, best of 3, Node ${process.version}`);
console.log('book          N/side    fills      ms   ratio per doubling');
for (const kind of kinds) {
  let prev: { n: number; ms: number } | undefined;
  for (const n of sizes) {
    const { ms, fills } = time(prepare(kind, n));
    const ratio = prev === undefined ? '' : (ms / prev.ms) ** (1 / Math.log2(n / prev.n));
    console.log(
      `${kind.padEnd(12)} ${String(n).padStart(8)} ${String(fills).padStart(8)} ${ms.toFixed(1).padStart(7)}   ${ratio === '' ? '' : ratio.toFixed(2)}`,
    );
    prev = { n, ms };
  }
}

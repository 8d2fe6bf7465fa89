/**
 * Matching alone (scenario 1), on books already validated and ranked: 10^5 … 10^6 orders a side,
 * random and adversarial, with the time ratio per doubling of N. Run: `npm run bench:match`.
 */

import { type BookKind, generateBook } from '../src/cli/generate.js';
import { match } from '../src/matching/match.js';
import { rankBids, rankingPolicy, rankOffers } from '../src/ranking/ranking.js';
import { validateBook } from '../src/validate/book.js';
import { DEFAULT_LIMITS } from '../src/validate/config.js';

function prepare(kind: BookKind, n: number) {
  const book = generateBook({ kind, size: n, seed: 42, carriers: ['electricity'] });
  const parsed = validateBook(book, { ...DEFAULT_LIMITS, maxOrders: 10_000_000 });
  const policy = rankingPolicy('value');
  const bids = rankBids(parsed.bids, policy);
  const offers = rankOffers(parsed.offers, policy);
  const ids = new Map<string, number>();
  const party = (s: string): number => {
    const known = ids.get(s);
    if (known !== undefined) return known;
    ids.set(s, ids.size);
    return ids.size - 1;
  };
  return {
    bidPrice: Float64Array.from(bids, (b) => b.p),
    bidQty: Float64Array.from(bids, (b) => b.q),
    bidParty: Int32Array.from(bids, (b) => party(b.participant)),
    bidAllOrNone: Uint8Array.from(bids, (b) => (b.allOrNone ? 1 : 0)),
    askPrice: Float64Array.from(offers, (o) => o.p),
    askQty: Float64Array.from(offers, (o) => o.q),
    askParty: Int32Array.from(offers, (o) => party(o.participant)),
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

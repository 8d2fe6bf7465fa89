/**
 * How the Merkle leaf size trades sealing time against proof size (docs/ledger.md asks the default to be
 * picked by measurement). Run: `npx tsx bench/leaf-size.ts [records]`.
 */
import { canonicalJson } from '../src/ledger/canonical-json.js';
import { sha256Hasher } from '../src/ledger/hasher.js';
import { leafHashes, merkleRoot } from '../src/ledger/merkle.js';
import { nodeSha256Hasher } from '../src/node/index.js';

const n = Number(process.argv[2] ?? 200_000);
const records = Array.from({ length: n }, (_, i) =>
  canonicalJson({
    type: 'trade',
    bidId: `c${i}`,
    offerId: `s${i * 7}`,
    buyer: `home-${i % 977}`,
    seller: `pv-${i % 331}`,
    carrier: 'electricity',
    quantity: '12.345678',
    price: '0.3125',
    amount: '3.8580243750',
    supplierFee: '0.0192901218',
    consumerFee: '0.0192901218',
  }),
);
const avg = records.reduce((a, r) => a + r.length, 0) / n;
console.log(`${n} trade records, ${avg.toFixed(0)} bytes each on average; Node ${process.version}`);
console.log('leafSize  noble ms  node:crypto ms  proof bytes (leaf + path)');
for (const size of [1, 4, 16, 64, 256, 1024]) {
  const time = (h: typeof sha256Hasher) => {
    let best = Number.POSITIVE_INFINITY;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      merkleRoot(leafHashes(records, size, h), h);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  const proof = Math.round(size * (avg + 1) + Math.ceil(Math.log2(Math.ceil(n / size))) * 64);
  console.log(
    `${String(size).padStart(8)}  ${time(sha256Hasher).toFixed(0).padStart(8)}  ${time(nodeSha256Hasher).toFixed(0).padStart(14)}  ${String(proof).padStart(10)}`,
  );
}

// Seal three cycles into a chain, verify it, prove one trade, and catch a forged block.
import {
  type Block,
  clearCycle,
  proveTransaction,
  verifyChain,
  verifyCycle,
  verifyProof,
} from 'microgrid-clearing';

const book = {
  offers: [
    {
      id: 's1',
      participant: 'pv-1',
      carrier: 'electricity' as const,
      quantity: '10',
      price: '0.30',
    },
  ],
  bids: [
    {
      id: 'c1',
      participant: 'home-1',
      carrier: 'electricity' as const,
      quantity: '4',
      price: '0.45',
    },
  ],
};
const blocks: Block[] = [];
let last = clearCycle(book, {}, { timestamp: '2026-03-01T12:00:00Z' });
blocks.push(last.block);
for (const timestamp of ['2026-03-01T12:00:30Z', '2026-03-01T12:01:00Z']) {
  last = clearCycle(book, {}, { timestamp, previous: last.block });
  blocks.push(last.block);
}
console.log('chain:', verifyChain(blocks));
console.log('re-executed cycle:', verifyCycle(book, {}, last.block));
console.log('proof of trade 0:', verifyProof(proveTransaction(last, 0), last.block));
const forged = blocks.map((b, i) => (i === 1 ? { ...b, timestamp: '2026-03-01T12:00:31Z' } : b));
console.log('forged chain:', verifyChain(forged));

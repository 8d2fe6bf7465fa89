import { clearCycle } from 'microgrid-clearing';

const result = clearCycle(
  {
    offers: [
      { id: 's1', participant: 'pv-1', carrier: 'electricity', quantity: '10', price: '0.30' },
      { id: 's2', participant: 'pv-2', carrier: 'electricity', quantity: '5', price: '0.40' },
    ],
    bids: [
      { id: 'c1', participant: 'home-1', carrier: 'electricity', quantity: '4', price: '0.45' },
    ],
  },
  { pricing: 'midpoint' }, // every config field is optional
  { timestamp: '2026-01-01T00:00:30Z' }, // the core never reads a clock
);

console.log(result.trades); // [{ bidId: 'c1', offerId: 's2', quantity: '4', price: '0.425', amount: '1.7', ... }]
console.log(result.poolPurchases); // the idle 1 of s2 and 10 of s1, bought by the pool at 0.43
console.log(result.settlement.participants); // every account, rounded half-even, money conserved exactly
console.log(result.block.hash); // the sealed, verifiable block

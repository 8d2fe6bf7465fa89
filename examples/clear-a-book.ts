// Clear one cycle of a small two-carrier book and print what happened to each order.
import { clearCycle, type OrderBook } from 'microgrid-clearing';

const book: OrderBook = {
  offers: [
    {
      id: 'pv-roof-7',
      participant: 'home-7',
      carrier: 'electricity',
      quantity: '3.2',
      price: '0.21',
    },
    {
      id: 'pv-roof-9',
      participant: 'home-9',
      carrier: 'electricity',
      quantity: '1.5',
      price: '0.25',
    },
    { id: 'heat-pump', participant: 'plant', carrier: 'heat', quantity: '40', price: '0.09' },
  ],
  bids: [
    { id: 'ev-3', participant: 'home-3', carrier: 'electricity', quantity: '6', price: '0.40' },
    { id: 'home-2-heat', participant: 'home-2', carrier: 'heat', quantity: '12.5', price: '0.12' },
  ],
  storage: [{ id: 'battery', carrier: 'electricity', quantity: '5', price: '0.38' }],
};

const result = clearCycle(book, { pricing: 'midpoint' }, { timestamp: '2026-03-01T12:00:00Z' });
for (const t of result.trades)
  console.log(`P2P  ${t.bidId} <- ${t.offerId}: ${t.quantity} @ ${t.price}`);
for (const t of result.poolTrades)
  console.log(`pool ${t.bidId} <- ${t.lotId} (${t.source}): ${t.quantity} @ ${t.price}`);
for (const b of result.bidOutcomes)
  console.log(`bid ${b.bidId}: ${b.status}${b.reason ? ` (${b.reason})` : ''}`);
console.log(`block ${result.block.height}: ${result.block.hash}`);

// A service's loop: orders arrive between cycles, one bad order is refused alone, every cycle is
// sealed and chained, and the state survives a restart.
import { Market, verifyChain } from 'microgrid-clearing';

const market = new Market({ idleCyclesBeforePool: 2 });
const at = (s: number) => `2026-03-01T12:00:${String(s).padStart(2, '0')}Z`;

market.submit({
  side: 'offer',
  id: 'pv-7',
  participant: 'home-7',
  carrier: 'electricity',
  quantity: '5',
  price: '0.20',
});
market.submit({
  side: 'bid',
  id: 'ev-3',
  participant: 'home-3',
  carrier: 'electricity',
  quantity: '2',
  price: '0.35',
});
const bad = market.submit({
  side: 'bid',
  id: 'ev-4',
  participant: 'home-4',
  carrier: 'electricity',
  quantity: '2',
  price: 'cheap',
});
console.log(
  'bad order:',
  bad.accepted ? 'accepted' : bad.issues.map((i) => `${i.path}: ${i.code}`).join(', '),
);

const first = market.runCycle(at(0));
console.log(
  'cycle 0 trades:',
  first.result.trades.map((t) => `${t.bidId} ${t.quantity} @ ${t.price}`),
);
console.log(
  'resting:',
  market.orders().map((o) => `${o.id} ${o.quantity}`),
);

// Restart: save the state, restore it, carry on.
const restored = Market.restore(JSON.stringify(market.exportState()));
restored.submit({
  side: 'bid',
  id: 'heat-1',
  participant: 'home-1',
  carrier: 'electricity',
  quantity: '1',
  price: '0.25',
});
const second = restored.runCycle(at(30));
console.log(
  'cycle 1 trades:',
  second.result.trades.map((t) => `${t.bidId} ${t.quantity} @ ${t.price}`),
);
console.log(
  'pool bought:',
  second.result.poolPurchases.map((p) => `${p.offerId} ${p.quantity}`),
);
console.log('chain:', verifyChain([first.result.block, second.result.block]));

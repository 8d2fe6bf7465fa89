// Plug a custom commission policy and a custom hasher (here Node's own SHA-256).
import { type CommissionPolicy, clearCycle, verifyChain } from 'microgrid-clearing';
import { nodeSha256Hasher } from 'microgrid-clearing/node';

// A flat 1 % on P2P trades for the supplier only, nothing on pool trades.
const supplierPays: CommissionPolicy = {
  id: 'supplier-pays-1pct/v1',
  fees: (trade, ctx) => {
    if (ctx.scenario !== 'p2p') return { supplierFee: '0', consumerFee: '0' };
    // Fees are decimal strings; move the decimal point to stay exact without floats.
    const [int = '0', frac = ''] = trade.amount.split('.');
    const cents = `${int.slice(0, -2) || '0'}.${int.slice(-2).padStart(2, '0')}${frac}`;
    return { supplierFee: cents, consumerFee: '0' };
  },
};

const result = clearCycle(
  {
    offers: [
      { id: 's1', participant: 'pv-1', carrier: 'electricity', quantity: '10', price: '0.30' },
    ],
    bids: [
      { id: 'c1', participant: 'home-1', carrier: 'electricity', quantity: '4', price: '0.50' },
    ],
  },
  {},
  { timestamp: '2026-03-01T12:00:00Z', commission: supplierPays, hasher: nodeSha256Hasher },
);
console.log(result.trades[0]);
console.log('verifies with the node hasher:', verifyChain([result.block], nodeSha256Hasher));

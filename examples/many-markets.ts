// Markets that do not interact — each carrier of each zone, every 30 s slot — cleared in parallel
// on worker threads that stay warm from one cycle to the next, each chained to its own last block.
import { verifyChain } from 'microgrid-clearing';
import { ClearingPool } from 'microgrid-clearing/node';

const zones = ['north', 'south', 'harbour'];
const carriers = ['electricity', 'heat'] as const;
const book = (zone: string, carrier: string, slot: number) => ({
  offers: [
    { id: `${zone}-s${slot}`, participant: `${zone}-pv`, carrier, quantity: '6', price: '0.20' },
  ],
  bids: [
    { id: `${zone}-c${slot}`, participant: `${zone}-home`, carrier, quantity: '4', price: '0.30' },
  ],
});

const pool = new ClearingPool({ workers: 2 });
const chains = new Map<string, Awaited<ReturnType<typeof pool.clear>>[number][]>();
try {
  for (let slot = 0; slot < 3; slot++) {
    const timestamp = `2026-03-01T12:${String(slot).padStart(2, '0')}:30Z`;
    const keys = zones.flatMap((z) => carriers.map((c) => ({ zone: z, carrier: c })));
    const results = await pool.clear(
      keys.map(({ zone, carrier }) => ({
        book: book(zone, carrier, slot),
        timestamp,
        previous: chains.get(`${zone}/${carrier}`)?.at(-1)?.block,
      })),
    );
    keys.forEach(({ zone, carrier }, i) => {
      const key = `${zone}/${carrier}`;
      chains.set(key, [...(chains.get(key) ?? []), results[i]!]);
    });
    console.log(
      `slot ${slot}: ${results.length} markets, ${results.reduce((n, r) => n + r.trades.length, 0)} trades`,
    );
  }
} finally {
  await pool.close();
}
const north = chains.get('north/heat')!;
console.log('north/heat price:', north[0]!.trades[0]!.price);
console.log('north/heat chain:', verifyChain(north.map((r) => r.block)));

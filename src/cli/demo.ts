/**
 * `npm run demo`: a day of a real microgrid (CityLearn 2022, Fontana: 17 homes with PV) cleared
 * hour by hour through a `Market`, with the chain written, verified and summarised. The
 * assumptions are in `docs/demo.md` and printed with the summary.
 *
 * @module
 * @internal
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dec, formatDec, roundHalfEven } from '../decimal/decimal.js';
import {
  type Carrier,
  type ChainEntry,
  type ClearingConfig,
  type CycleResult,
  clearCycle,
  Market,
  type MarketOrder,
  type OrderBook,
  transactionRecords,
  verifyChain,
} from '../index.js';
import { type ChartSpec, chart, type HourFlows } from './chart.js';
import type { Io } from './commands.js';
import { formatResult, table, type Units } from './format.js';

/** The demo's data are CityLearn's: energy in kWh, tariffs in $/kWh. */
const DEMO_UNITS: Units = { energy: 'kWh', money: '$' };

import { CliError, readText, writeAtomic } from './io.js';

/** The worked example of docs/rules.md §12. */
export const WORKED_EXAMPLE: OrderBook = {
  offers: [
    { id: 's1', participant: 'p1', carrier: 'electricity', quantity: '10', price: '0.30' },
    { id: 's2', participant: 'p2', carrier: 'electricity', quantity: '5', price: '0.40' },
    { id: 's3', participant: 'p3', carrier: 'electricity', quantity: '2', price: '0.50' },
  ],
  bids: [
    { id: 'c1', participant: 'h1', carrier: 'electricity', quantity: '4', price: '0.45' },
    { id: 'c2', participant: 'h2', carrier: 'electricity', quantity: '8', price: '0.35' },
    { id: 'c3', participant: 'h3', carrier: 'electricity', quantity: '3', price: '0.60' },
  ],
};

/** The demo's market configuration. */
export const DEMO_CONFIG: ClearingConfig = {
  // The pool buys idle energy like a feed-in tariff; it is "subject to the local tariff".
  fixedPrice: { electricity: '0.10', heat: '0.05', cold: '0.05' },
  idleCyclesBeforePool: 1,
};

/** Per-mille shares of a home's daily hot-water heat by hour (a typical morning/evening profile). */
export const HOT_WATER_SHARES = [
  10, 5, 5, 5, 10, 30, 80, 100, 80, 50, 40, 40, 40, 35, 30, 30, 40, 60, 80, 90, 70, 40, 20, 10,
] as const;

const BATTERY = {
  capacity: new Dec('40'),
  power: new Dec('10'),
  efficiency: new Dec('0.9'),
  price: '0.30',
  start: new Dec('10'),
};

export interface Row {
  readonly hour: number;
  readonly building: number;
  readonly load: string;
  readonly pv: string;
  readonly tariff: string;
}

/** The package folder (it holds `data/`), from this file's place in `src/cli` or `dist`. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'data', 'citylearn-fontana-2022'))) return dir;
    dir = dirname(dir);
  }
  throw new CliError('cannot find the bundled data folder (data/citylearn-fontana-2022)');
}

export function readDay(): Row[] {
  const lines = readText(join(packageRoot(), 'data', 'citylearn-fontana-2022', 'day-319.csv'))
    .trim()
    .split(/\r?\n/);
  return lines.slice(1).map((line) => {
    const [hour, building, , , load, pv, tariff] = line.split(',');
    return {
      hour: Number(hour),
      building: Number(building),
      load: load!,
      pv: pv!,
      tariff: tariff!,
    };
  });
}

/** Hourly surpluses and deficits of the bundled day, in thousandths of a kWh, for realistic books. */
export function dayProfile(): { surplus: number[]; deficit: number[]; tariffs: number[] } {
  const surplus: number[] = [];
  const deficit: number[] = [];
  const tariffs: number[] = [];
  for (const r of readDay()) {
    // Loads and PV carry exactly 3 decimals: as thousandths they are exact integers.
    const net = Number(r.load.replace('.', '')) - Number(r.pv.replace('.', ''));
    if (net > 0) deficit.push(net);
    else if (net < 0) surplus.push(-net);
    tariffs.push(Number(new Dec(r.tariff).times(1000).toFixed()));
  }
  return { surplus, deficit, tariffs };
}

const q3 = (d: Dec) => formatDec(roundHalfEven(d, 3));
const p4 = (d: Dec) => formatDec(roundHalfEven(d, 4));
const stamp = (hour: number) => `2026-06-16T${String(hour).padStart(2, '0')}:00:00Z`;

/** The orders of one hour: real electricity, synthetic heat and cold, the plants, the battery. */
export function ordersForHour(rows: readonly Row[], hour: number, battery: Dec): MarketOrder[] {
  const out: MarketOrder[] = [];
  // Energy of an hour cannot wait: every order expires when the next hour's cycle starts.
  const expiresAt = hour === 23 ? '2026-06-17T00:00:00Z' : stamp(hour + 1);
  const tariff = new Dec(rows.find((r) => r.hour === hour)!.tariff);
  for (const r of rows.filter((x) => x.hour === hour)) {
    const home = `home-${r.building}`;
    const net = new Dec(r.load).minus(r.pv);
    if (net.gt(0)) {
      out.push({
        side: 'bid',
        id: `e-${home}-h${hour}`,
        participant: home,
        carrier: 'electricity',
        quantity: q3(net),
        price: formatDec(tariff),
        expiresAt,
      });
    } else if (net.lt(0)) {
      const ask = new Dec('0.08').plus(new Dec('0.01').times(r.building % 5));
      out.push({
        side: 'offer',
        id: `pv-${home}-h${hour}`,
        participant: home,
        carrier: 'electricity',
        quantity: q3(net.neg()),
        price: formatDec(ask),
        expiresAt,
      });
    }
    // Synthetic: hot water 4–8 kWh a day by a fixed profile; the alternative is the home's own
    // heat-pump water heater at COP 2, so the bid is tariff / 2.
    const hotWater = new Dec(4 + (r.building % 5)).times(HOT_WATER_SHARES[hour]!).div(1000);
    if (hotWater.gt(0)) {
      out.push({
        side: 'bid',
        id: `h-${home}-h${hour}`,
        participant: home,
        carrier: 'heat',
        quantity: q3(hotWater),
        price: p4(tariff.div(2)),
        expiresAt,
      });
    }
    // Synthetic: cooling load ~ half the hour's PV output (sun means heat gain); own AC at COP 3.
    const cooling = new Dec(r.pv).div(2);
    if (cooling.gte('0.001')) {
      out.push({
        side: 'bid',
        id: `c-${home}-h${hour}`,
        participant: home,
        carrier: 'cold',
        quantity: q3(cooling),
        price: p4(tariff.div(3)),
        expiresAt,
      });
    }
  }
  // District plants sell at their electricity cost (tariff / COP) plus a margin of 0.01.
  out.push({
    side: 'offer',
    id: `heat-pump-h${hour}`,
    participant: 'heat-pump-plant',
    carrier: 'heat',
    quantity: '10',
    price: p4(tariff.div('3.5').plus('0.01')),
    expiresAt,
  });
  out.push({
    side: 'offer',
    id: `chiller-h${hour}`,
    participant: 'chiller-plant',
    carrier: 'cold',
    quantity: '12',
    price: p4(tariff.div('4.5').plus('0.01')),
    expiresAt,
  });
  const discharge = Dec.min(battery, BATTERY.power);
  if (discharge.gte('0.001')) {
    out.push({
      side: 'storage',
      id: `battery-h${hour}`,
      carrier: 'electricity',
      quantity: q3(discharge),
      price: BATTERY.price,
      expiresAt,
    });
  }
  return out;
}

interface CarrierTotals {
  offered: Dec;
  demanded: Dec;
  p2p: Dec;
  absorbed: Dec;
  storage: Dec;
  unserved: Dec;
  amount: Dec;
  fees: Dec;
  /** The carrier's market hour by hour, for the chart. */
  hourly: HourFlows[];
}

const CARRIERS: readonly Carrier[] = ['electricity', 'heat', 'cold'];

export function runDemo(io: Io, outDir = 'demo-output', progress = false): number {
  io.out('The worked example of docs/rules.md §12, default config\n');
  io.out(
    formatResult(clearCycle(WORKED_EXAMPLE, {}, { timestamp: '2026-01-01T00:00:30Z' }), DEMO_UNITS),
  );

  const rows = readDay();
  const market = new Market(DEMO_CONFIG);
  const totals = new Map<Carrier, CarrierTotals>(
    CARRIERS.map((c) => [
      c,
      {
        offered: new Dec(0),
        demanded: new Dec(0),
        p2p: new Dec(0),
        absorbed: new Dec(0),
        storage: new Dec(0),
        unserved: new Dec(0),
        amount: new Dec(0),
        fees: new Dec(0),
        hourly: [],
      },
    ]),
  );
  let battery = BATTERY.start;
  let platform = new Dec(0);
  const chain: ChainEntry[] = [];
  const refused: string[] = [];
  for (let hour = 0; hour < 24; hour++) {
    for (const order of ordersForHour(rows, hour, battery)) {
      const r = market.submit(order);
      if (!r.accepted)
        refused.push(`${order.id}: ${r.issues.map((i) => `${i.path} ${i.code}`).join(', ')}`);
    }
    const { result } = market.runCycle(stamp(hour));
    chain.push({ ...result.block, transactions: transactionRecords(result) });
    battery = nextBattery(battery, result);
    platform = platform.plus(result.settlement.platform.income);
    addTotals(totals, result);
    if (progress) io.err(`\r  clearing hour ${hour + 1}/24`);
  }
  if (progress) io.err('');
  if (refused.length > 0)
    throw new CliError(`the demo's own orders were refused:\n${refused.join('\n')}`);

  mkdirSync(outDir, { recursive: true });
  const chainPath = join(outDir, 'chain.jsonl');
  writeAtomic(chainPath, `${chain.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const svgPath = join(outDir, 'day-319.svg');
  writeAtomic(svgPath, chart(chartSpec(totals)));
  const verdict = verifyChain(chain);

  io.out(
    '\n\nA day of the Fontana microgrid (CityLearn 2022, 17 homes with PV, June day 319), cleared hour by hour through a Market',
  );
  io.out(
    'Electricity: real load, PV and tariff. Heat (hot water) and cold (cooling): synthetic, see docs/demo.md.\n',
  );
  io.out(
    table(
      [
        'carrier',
        'offered (kWh)',
        'demanded (kWh)',
        'P2P (kWh)',
        'avg P2P price ($/kWh)',
        'to pool (kWh)',
        'from storage (kWh)',
        'unserved (kWh)',
        'commission ($)',
      ],
      CARRIERS.map((c) => {
        const t = totals.get(c)!;
        return [
          c,
          q3(t.offered),
          q3(t.demanded),
          q3(t.p2p),
          t.p2p.isZero() ? '-' : p4(t.amount.div(t.p2p)),
          q3(t.absorbed),
          q3(t.storage),
          q3(t.unserved),
          p4(t.fees),
        ];
      }),
    ),
  );
  io.out(
    `\nplatform income over the day: ${p4(platform)} $ (commissions + pool and storage sales − pool purchases)`,
  );
  io.out('unserved demand is bought from the utility outside the market at the tariff');
  io.out(
    `chain: ${chain.length} blocks, last ${chain[chain.length - 1]!.hash}, ${verdict.ok ? 'verified' : `NOT verified: block ${verdict.height}: ${verdict.reason}`}`,
  );
  io.out(
    `wrote ${chainPath} (check it: microgrid-clearing verify ${chainPath}; from a clone, npm run cli -- verify ${chainPath}) and ${svgPath}`,
  );
  return verdict.ok ? 0 : 1;
}

/** The battery charges from pool energy it did not sell (at 90 %) and discharges what it sold. */
function nextBattery(level: Dec, r: CycleResult): Dec {
  let next = level;
  for (const t of r.poolTrades) if (t.source === 'storage') next = next.minus(t.quantity);
  let idle = new Dec(0);
  for (const p of r.poolPurchases) if (p.carrier === 'electricity') idle = idle.plus(p.quantity);
  for (const t of r.poolTrades)
    if (t.source === 'pool' && t.carrier === 'electricity') idle = idle.minus(t.quantity);
  return Dec.min(BATTERY.capacity, next.plus(idle.times(BATTERY.efficiency)));
}

function addTotals(totals: Map<Carrier, CarrierTotals>, r: CycleResult): void {
  for (const c of CARRIERS) {
    const t = totals.get(c)!;
    const s = r.carriers.find((x) => x.carrier === c);
    let amount = new Dec(0);
    for (const tr of r.trades) {
      if (tr.carrier !== c) continue;
      amount = amount.plus(tr.amount);
      t.fees = t.fees.plus(tr.supplierFee).plus(tr.consumerFee);
    }
    t.amount = t.amount.plus(amount);
    if (s !== undefined) {
      t.offered = t.offered.plus(s.offered);
      t.demanded = t.demanded.plus(s.demanded);
      t.p2p = t.p2p.plus(s.p2pVolume);
      t.absorbed = t.absorbed.plus(s.absorbed);
      t.storage = t.storage.plus(s.storageVolume);
      t.unserved = t.unserved.plus(s.unserved);
    }
    // A carrier with no order in the hour is not listed: its hour is all zeros.
    const v = (x: string | undefined) => new Dec(x ?? 0);
    t.hourly.push({
      offered: v(s?.offered),
      demanded: v(s?.demanded),
      p2p: v(s?.p2pVolume),
      pool: v(s?.poolVolume),
      storage: v(s?.storageVolume),
      grid: v(s?.gridVolume),
      unserved: v(s?.unserved),
      p2pAmount: amount,
    });
  }
}

/** The chart's texts and panels: what is real and what is assumed is said on the chart itself. */
function chartSpec(totals: Map<Carrier, CarrierTotals>): ChartSpec {
  const headings: Partial<Record<Carrier, string>> = {
    electricity: 'Electricity (real load, PV and tariff)',
    heat: 'Heat: hot water (synthetic)',
    cold: 'Cold: cooling (synthetic)',
  };
  return {
    title: "Fontana microgrid, 17 homes with PV, June day 319: how each hour's demand was served",
    subtitle:
      "Each bar is an hour's demand, stacked by how it was served (one kWh scale for all carriers); the black steps are the supply peers and plants offered.",
    source:
      'Data: CityLearn Challenge 2022 (doi:10.18738/T8/0YLJ6Q, MIT); heat and cold demand, plants, pool and battery assumed (docs/demo.md). Unserved demand is bought from the utility at the tariff.',
    panels: CARRIERS.map((c) => ({ heading: headings[c]!, hours: totals.get(c)!.hourly })),
  };
}

/**
 * This library's `clearCycle` beside the fastest published JavaScript order books,
 * `npm run bench:peers [-- --sizes 1e4,1e5,1e6 --runs 3 --seed 42 --crossing overlap --tick 0.000001 --out docs/performance.md]`:
 * the same seeded orders (bench/peers-orders.ts) through hft-limit-order-book, nodejs-order-book
 * and `clearCycle` from the build with its defaults — the cycle alone, and all-in (every trade of
 * the result read). Each system, size and run is one child process (bench/peers-worker.ts), so
 * peak RSS is its own; the runs of a size go round the systems in turn, so a change in the
 * machine's load falls on all of them; the table gives the medians. With `--out`, the table also
 * goes between the `peers` markers of that file.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { type Crossing, decimal, SYSTEMS, type System, units } from './peers-orders.js';
import type { Measurement } from './peers-worker.js';
import { writeBetweenMarkers } from './results.js';

interface Args {
  readonly sizes: number[];
  readonly runs: number;
  readonly seed: number;
  readonly crossing: Crossing;
  /** Price tick, in millionths per kWh. */
  readonly tick: number;
  readonly out: string | undefined;
}

function args(): Args {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(name);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const sizes = (get('--sizes') ?? '1e4,1e5').split(',').map((s) => Number(s.replace(/_/g, '')));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1))
    throw new Error(`--sizes takes whole numbers of orders a side, e.g. 1e4,1e5,1e6`);
  const crossing = get('--crossing') ?? 'overlap';
  if (crossing !== 'overlap' && crossing !== 'full')
    throw new Error('--crossing is overlap or full');
  const tick = units(get('--tick') ?? '0.000001');
  if (tick < 1) throw new Error('--tick is a price step of at least 0.000001, e.g. 0.001');
  return {
    sizes,
    runs: Number(get('--runs') ?? 3),
    seed: Number(get('--seed') ?? 42),
    crossing,
    tick,
    out: get('--out'),
  };
}

/** One run of `system` at `size` in a fresh process. */
function measure(system: System, size: number, a: Args): Measurement {
  const json = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--expose-gc',
      '--max-old-space-size=8192',
      new URL('./peers-worker.ts', import.meta.url).pathname,
      system,
      String(size),
      String(a.seed),
      a.crossing,
      String(a.tick),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(json) as Measurement;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** The medians of a system's runs at one size; fills and volume must not change between runs. */
interface Row {
  readonly system: System;
  readonly size: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly trades: number;
  readonly matched: number;
  readonly rssMiB: number;
}

function row(runs: readonly Measurement[]): Row {
  const first = runs[0]!;
  for (const r of runs)
    if (r.trades !== first.trades || r.matched !== first.matched)
      throw new Error(`${first.system} at ${first.size}: runs disagree on fills or volume`);
  return {
    system: first.system,
    size: first.size,
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    trades: first.trades,
    matched: first.matched,
    rssMiB: median(runs.map((r) => r.rssMiB)),
  };
}

const PEERS: readonly System[] = ['hft-limit-order-book', 'nodejs-order-book'];

function render(rows: readonly Row[], a: Args, load: readonly number[]): string {
  const cpu = cpus();
  const lines = [
    `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB; load average ${load.map((l) => l.toFixed(1)).join(' → ')} ` +
      `(start → end); seed ${a.seed}, crossing \`${a.crossing}\`, price tick ${decimal(a.tick)}; median of ${a.runs} run${a.runs === 1 ? '' : 's'}, each in ` +
      'its own process after 3 untimed warm-up runs on min(N, 10^4) orders a side of another seed',
    '',
    '| system | N a side | wall ms | CPU ms | trades (fills) | trades/s | matched kWh | peak RSS MiB | wall ÷ fastest peer | CPU ÷ fastest peer |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const size of a.sizes) {
    const at = rows.filter((r) => r.size === size);
    const peers = at.filter((r) => PEERS.includes(r.system));
    const fastest = Math.min(...peers.map((r) => r.wallMs));
    const leanest = Math.min(...peers.map((r) => r.cpuMs));
    for (const r of at) {
      lines.push(
        `| ${r.system} | ${size.toLocaleString('en-US')} | ${r.wallMs.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ` +
          `${r.trades.toLocaleString('en-US')} | ${Math.round((r.trades * 1000) / r.wallMs).toLocaleString('en-US')} | ` +
          `${(r.matched / 1e6).toFixed(0)} | ${r.rssMiB} | ${(r.wallMs / fastest).toFixed(2)} | ${(r.cpuMs / leanest).toFixed(2)} |`,
      );
    }
  }
  return lines.join('\n');
}

function main(): void {
  const a = args();
  const start = loadavg()[0]!;
  const rows: Row[] = [];
  for (const size of a.sizes) {
    const runs = new Map<System, Measurement[]>(SYSTEMS.map((s) => [s, []]));
    for (let run = 0; run < a.runs; run++) {
      for (const system of SYSTEMS) {
        const m = measure(system, size, a);
        runs.get(system)!.push(m);
        if (process.stderr.isTTY)
          process.stderr.write(`  ${system} ${size} run ${run + 1}: ${m.wallMs.toFixed(0)} ms\n`);
      }
    }
    for (const system of SYSTEMS) rows.push(row(runs.get(system)!));
  }
  const table = render(rows, a, [start, loadavg()[0]!]);
  console.log(table);
  if (a.out !== undefined) writeBetweenMarkers(a.out, 'peers', table);
}

main();

/**
 * One measurement of `npm run bench:peers`, alone in its process so that its peak RSS is its own:
 * `node --import tsx --expose-gc bench/peers-worker.ts <system> <size> <seed> <crossing> [<tick>]`
 * (tick in millionths, default 1).
 * Loads only the system it measures (clearCycle as a user's Node program gets it: `import
 * 'microgrid-clearing'`, resolved through the package's `exports` — its `node` condition, the
 * build whose default hasher is node:crypto), makes that system's input from the shared
 * generator, warms the system up on a smaller book of another seed, then times one run and prints
 * one JSON line: {@link Measurement}.
 */
import { fileURLToPath } from 'node:url';
import type { clearCycle as ClearCycle } from '../src/index.js';
import {
  type ContinuousBook,
  type Crossing,
  limitOrders,
  type Outcome,
  peerBook,
  peerOrders,
  runClear,
  runContinuous,
  type System,
} from './peers-orders.js';

/** What a worker prints. */
export interface Measurement extends Outcome {
  readonly system: System;
  /** The file the system was loaded from, as Node resolved it. */
  readonly module: string;
  readonly size: number;
  readonly wallMs: number;
  /** CPU time of the process during the run (user + system; a collector's threads count too). */
  readonly cpuMs: number;
  /** Peak resident set of the process (input, warm-up and run), MiB. */
  readonly rssMiB: number;
}

/** Untimed runs before the timed one, on min(size, 10^4) orders a side of seed + 1. */
const WARM_UP_RUNS = 3;
const WARM_UP_SIZE = 10_000;

/** Makes `system`'s input for `size` orders a side; the returned function runs it once. */
async function prepare(
  system: System,
  size: number,
  seed: number,
  crossing: Crossing,
  tick: number,
): Promise<() => Outcome> {
  const orders = peerOrders(size, seed, crossing, tick);
  if (system === 'clearCycle' || system === 'clearCycle all-in') {
    // By name, as a user imports it (the bench used to load `dist/index.js` by path: the
    // browsers' build, @noble/hashes, not what Node resolves).
    const { clearCycle } = (await import(moduleOf(system))) as { clearCycle: typeof ClearCycle };
    const book = peerBook(orders);
    return () => runClear(clearCycle, book, system === 'clearCycle all-in');
  }
  const { OrderBook } = (await import(moduleOf(system))) as {
    OrderBook: new () => ContinuousBook;
  };
  const limits = limitOrders(orders);
  return () => runContinuous(new OrderBook(), limits);
}

/** The package a system is imported from: the two books by name, `clearCycle` from this one. */
const PACKAGE = 'microgrid-clearing';
function moduleOf(system: System): string {
  return system === 'clearCycle' || system === 'clearCycle all-in' ? PACKAGE : system;
}

async function main(): Promise<void> {
  const [system, size, seed, crossing, tick] = process.argv.slice(2) as [
    System,
    string,
    string,
    Crossing,
    string | undefined,
  ];
  const n = Number(size);
  const s = Number(seed);
  const t = Number(tick ?? 1);
  const warmUp = await prepare(system, Math.min(n, WARM_UP_SIZE), s + 1, crossing, t);
  for (let i = 0; i < WARM_UP_RUNS; i++) warmUp();
  const run = await prepare(system, n, s, crossing, t);
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = run();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const measurement: Measurement = {
    system,
    module: fileURLToPath(import.meta.resolve(moduleOf(system))),
    size: n,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    ...outcome,
    rssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

await main();

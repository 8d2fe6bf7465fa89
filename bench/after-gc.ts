/**
 * `npm run bench:gc`: what a service clearing every 30 s sees — V8 collects an idle process fully
 * between two cycles — against cycles run back to back.
 *
 * Runs, each in its own process, the same 10^4-a-side book (`bench/peers-orders.ts`, seed 42)
 * cleared `--cycles` times, every trade read (all-in), with the defaults a Node user gets (node:crypto), in four ways: with
 * and without a full `gc()` before each cycle, with and without the engine's warm-up
 * (`src/internal/shapes.ts`; suppressed by marking it done before the first cycle). Prints a
 * markdown table: the median and least cycle time after the first four cycles.
 *
 * One run alone: `node --expose-gc --import tsx bench/after-gc.ts --run [--gc] [--no-keep]
 * [--size N] [--cycles C]` prints one line `cycle <i> <ms>` a cycle (with `--trace-deopt` the
 * test in test/engine/shapes.test.ts counts V8's deoptimisations between those lines).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WARM_UP_OBJECTS } from '../src/engine/clear.js';
import { clearCycle } from '../src/index.js';
import { keepShapesOnce } from '../src/internal/shapes.js';
import { nodeSha256Hasher } from '../src/node/index.js';
import { peerBook, peerOrders } from './peers-orders.js';

/** Cycles not counted: V8 tiers the code up over the first few whatever the collector does. */
const SETTLE = 4;

const { values } = parseArgs({
  options: {
    run: { type: 'boolean', default: false },
    gc: { type: 'boolean', default: false },
    'no-keep': { type: 'boolean', default: false },
    size: { type: 'string', default: '10000' },
    cycles: { type: 'string', default: '20' },
  },
});
const size = Number(values.size);
const cycles = Number(values.cycles);

function runOne(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (values.gc && collect === undefined) throw new Error('--gc needs node --expose-gc');
  // Marking the warm-up done before the first cycle leaves the engine as it was without it.
  if (values['no-keep']) keepShapesOnce(WARM_UP_OBJECTS, () => {});
  const book = peerBook(peerOrders(size, 42, 'overlap', 1));
  for (let i = 0; i < cycles; i++) {
    if (values.gc) collect?.();
    const t = performance.now();
    const result = clearCycle(
      book,
      {},
      { timestamp: '2026-01-01T00:00:00Z', hasher: nodeSha256Hasher },
    );
    // All-in: every trade read, as a user who stores them does.
    let chars = 0;
    for (const trade of result.trades) chars += trade.amount.length + trade.consumerFee.length;
    const ms = performance.now() - t;
    if (chars === 0) throw new Error('the bench book made no trade');
    console.log(`cycle ${i} ${ms.toFixed(2)}`);
  }
}

/** Times of the cycles after {@link SETTLE} of one run in its own process. */
function measure(gc: boolean, keep: boolean): number[] {
  const args = ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--run'];
  args.push('--size', String(size), '--cycles', String(cycles));
  if (gc) args.push('--gc');
  if (!keep) args.push('--no-keep');
  const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`bench run failed: ${out.stderr}`);
  return out.stdout
    .split('\n')
    .map((line) => /^cycle (\d+) ([\d.]+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) >= SETTLE)
    .map((m) => Number(m[2]))
    .sort((a, b) => a - b);
}

function main(): void {
  if (values.run) {
    runOne();
    return;
  }
  console.log(`| ${size} a side, ${cycles - SETTLE} cycles | median ms | least ms |`);
  console.log('|---|---:|---:|');
  for (const [gc, keep] of [
    [false, true],
    [true, true],
    [false, false],
    [true, false],
  ] as const) {
    const t = measure(gc, keep);
    const label = `${gc ? 'full gc() before each cycle' : 'back to back'}, warm-up ${keep ? 'on (default)' : 'off'}`;
    console.log(`| ${label} | ${t[t.length >> 1]!.toFixed(0)} | ${t[0]!.toFixed(0)} |`);
  }
}

main();

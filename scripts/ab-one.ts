/**
 * One side of one round of `scripts/ab-phases.mjs`: `tsx scripts/ab-one.ts ROOT KIND SIZE REPS`.
 * Clears the bench book KIND of SIZE a side with ROOT's engine (its `src/engine/clear.ts`, run
 * from source): one untimed call (V8 tiers its code up), then REPS timed calls, and prints each
 * phase's least time in ms as JSON (noise on a shared machine only ever adds time). The book and the hasher (node:crypto) come from this checkout, so
 * both sides of an A/B clear the same book with the same hasher.
 *
 * One engine a process, on purpose: with two engines loaded in one process the one loaded second
 * ran 10–15 % faster in some phases whichever build it was, so a paired run measures the order
 * of loading, not the code.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchKind, benchBookOptions } from '../src/cli/bench.js';
import { generateBook } from '../src/cli/generators.js';
import { nodeSha256Hasher } from '../src/node/hasher.js';

const [root, kind, sizeText, repsText] = process.argv.slice(2);
if (root === undefined || kind === undefined || sizeText === undefined) {
  console.error('usage: tsx scripts/ab-one.ts ROOT KIND SIZE [REPS]');
  process.exit(2);
}
const size = Number(sizeText);
const reps = Number(repsText ?? '5');
const engine = (await import(pathToFileURL(join(resolve(root), 'src/engine/clear.ts')).href)) as {
  clearWith: (...args: unknown[]) => { trades: readonly unknown[] };
};
const book = generateBook(benchBookOptions(kind as BenchKind, size));

function once(): Record<string, number> {
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  let last = t0;
  const result = engine.clearWith(
    book,
    { limits: { maxOrders: 10_000_000 } },
    { timestamp: '2026-01-01T00:00:00Z', hasher: nodeSha256Hasher },
    {
      mark: (phase: string) => {
        const now = performance.now();
        phases[phase] = (phases[phase] ?? 0) + (now - last);
        last = now;
      },
    },
  );
  phases.total = performance.now() - t0;
  // What a user who reads the trades pays on top (the old engine priced them again here).
  const read = performance.now();
  result.trades.length;
  phases.read = performance.now() - read;
  phases['all-in'] = phases.total + phases.read;
  return phases;
}

// A full collection before each call (node --expose-gc, as ab-phases runs it): the garbage of
// the call before is not collected inside a phase of this one.
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
const timed = () => {
  collect();
  return once();
};
timed();
const runs = Array.from({ length: reps }, timed);
// The least of each phase's times: noise on a shared machine only ever adds time.
process.stdout.write(
  JSON.stringify(
    Object.fromEntries(
      Object.keys(runs[0] ?? {}).map((n) => [n, Math.min(...runs.map((r) => r[n] ?? 0))]),
    ),
  ),
);

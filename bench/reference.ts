/**
 * The reference engine beside the fast one: `clearCycleReference` and `clearCycle` on the same
 * seeded books (one carrier, N orders a side), best of 3, and a check that both gave the same
 * block. Not part of pass/fail; the table goes into docs/reference.md.
 * Run: `npx tsx bench/reference.ts [sizes]`, e.g. `npx tsx bench/reference.ts 100,1000,3000`.
 */
import { type BookKind, generateBook } from '../src/cli/generators.js';
import { type CycleResult, clearCycle, clearCycleReference } from '../src/index.js';

const T = '2026-01-01T00:00:30Z';

function best(clear: () => CycleResult): { ms: number; hash: string } {
  let ms = Number.POSITIVE_INFINITY;
  let hash = '';
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    const result = clear();
    // Read every list, as JSON.stringify does: the fast engine builds some on first read.
    hash = `${result.block.hash}:${JSON.stringify(result).length}`;
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, hash };
}

const sizes = (process.argv[2] ?? '100,1000,3000').split(',').map(Number);
const kinds: BookKind[] = ['random', 'all-or-none'];
// Warm both engines up first, so the first size does not pay for the JIT.
const warm = generateBook({ kind: 'random', size: 300, seed: 1, carriers: ['electricity'] });
for (let i = 0; i < 5; i++) {
  clearCycle(warm, {}, { timestamp: T }).trades.length;
  clearCycleReference(warm, {}, { timestamp: T });
}
console.log(`best of 3, Node ${process.version}, one carrier, default config`);
console.log('| book | N/side | clearCycle ms | clearCycleReference ms | ratio |');
console.log('|---|---:|---:|---:|---:|');
for (const kind of kinds) {
  for (const n of sizes) {
    const book = generateBook({ kind, size: n, seed: 42, carriers: ['electricity'] });
    const fast = best(() => clearCycle(book, {}, { timestamp: T }));
    const reference = best(() => clearCycleReference(book, {}, { timestamp: T }));
    if (fast.hash !== reference.hash) throw new Error(`${kind} ${n}: the engines disagree`);
    console.log(
      `| ${kind} | ${n} | ${fast.ms.toFixed(1)} | ${reference.ms.toFixed(1)} | ${(reference.ms / fast.ms).toFixed(0)}× |`,
    );
  }
}

/**
 * One round of `scripts/ab-phases.mjs`: `tsx scripts/ab-pair.ts OLD_ROOT NEW_ROOT KIND SIZE REPS`.
 * Loads both checkouts' engines (each its own `src/engine/clear.ts`, run from source) into this
 * one process, clears the bench book KIND of SIZE a side with each — one untimed call each first
 * (V8 tiers its code up), then REPS timed calls each, alternating old/new and new/old — and prints
 * each phase's median in ms for both as JSON. The book and the hasher (node:crypto) come from this
 * checkout, so both clear the same book with the same hasher.
 *
 * Pairing the calls in one process puts both builds under the same heap, the same collections and
 * the same machine load: the ratio between them is far steadier than between two processes.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dayProfile } from '../src/cli/demo.js';
import { generateBook } from '../src/cli/generators.js';
import { nodeSha256Hasher } from '../src/node/hasher.js';

const [oldRoot, newRoot, kind, sizeText, repsText] = process.argv.slice(2);
if (
  oldRoot === undefined ||
  newRoot === undefined ||
  kind === undefined ||
  sizeText === undefined
) {
  console.error('usage: tsx scripts/ab-pair.ts OLD_ROOT NEW_ROOT KIND SIZE [REPS]');
  process.exit(2);
}
const size = Number(sizeText);
const reps = Number(repsText ?? '5');
const load = async (root: string) =>
  (await import(pathToFileURL(join(resolve(root), 'src/engine/clear.ts')).href)) as {
    clearWith: (...args: unknown[]) => unknown;
  };
const engines = { old: await load(oldRoot), new: await load(newRoot) };
const book = generateBook({
  kind: kind === 'four-carriers' ? 'random' : (kind as 'random'),
  size,
  seed: 42,
  carriers: kind === 'four-carriers' ? ['electricity', 'heat', 'cold', 'gas'] : ['electricity'],
  profile: kind === 'realistic' ? dayProfile() : undefined,
});

function once(which: 'old' | 'new'): Record<string, number> {
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  let last = t0;
  engines[which].clearWith(
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
  return phases;
}

once('old');
once('new');
const runs: Record<'old' | 'new', Record<string, number>[]> = { old: [], new: [] };
for (let r = 0; r < reps; r++) {
  for (const which of r % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const))
    runs[which].push(once(which));
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const summary = (rows: Record<string, number>[]) =>
  Object.fromEntries(
    Object.keys(rows[0] ?? {}).map((n) => [n, median(rows.map((r) => r[n] ?? 0))]),
  );
process.stdout.write(JSON.stringify({ old: summary(runs.old), new: summary(runs.new) }));

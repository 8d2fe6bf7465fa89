/**
 * What a Node user gets by default, before and after the `node` build of the main entry:
 * `npm run bench:default [-- --size 10000 --runs 5 --warm-up 5 --before path/to/dist/index.js]`. Clears one seeded
 * random book with `clearCycle(book, {}, { timestamp })` — no hasher given — through the pure build
 * (`dist/index.js` by path: @noble/hashes, what `import 'microgrid-clearing'` gave Node before)
 * and through the package as Node resolves it (`dist/index.node.js`: node:crypto), in one process,
 * the two interleaved. Warm: five untimed calls each, then the median of five (wall and CPU time).
 * Needs the build (the script runs it). Prints a markdown table.
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateBook } from '../src/cli/generators.js';
import type * as Core from '../src/index.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const size = Number(arg('--size') ?? 10_000);
const WARM_UP = Number(arg('--warm-up') ?? 5);
const RUNS = Number(arg('--runs') ?? 5);
const beforePath = resolve(
  arg('--before') ?? new URL('../dist/index.js', import.meta.url).pathname,
);
const PACKAGE = 'microgrid-clearing';

const builds: Array<{ name: string; core: typeof Core }> = [
  {
    name: `before: ${beforePath.endsWith('/dist/index.js') ? 'pure build' : beforePath}`,
    core: (await import(pathToFileURL(beforePath).href)) as typeof Core,
  },
  {
    name: "after: import('microgrid-clearing') in Node",
    // By name, resolved through the package's own `exports` (a variable: tsc needs no build).
    core: (await import(PACKAGE)) as typeof Core,
  },
];
const book = generateBook({ kind: 'random', size, seed: 42, carriers: ['electricity'] });
const timestamp = '2026-01-01T00:00:00Z';

// Wall and CPU time (user + system, this process): on a shared machine the CPU time moves less.
const times: number[][] = builds.map(() => []);
const cpu: number[][] = builds.map(() => []);
const hashes = new Set<string>();
for (let i = 0; i < WARM_UP + RUNS; i++) {
  for (const [b, { core }] of builds.entries()) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = core.clearCycle(book, {}, { timestamp });
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (i >= WARM_UP) {
      times[b]!.push(ms);
      cpu[b]!.push((c.user + c.system) / 1000);
    }
    hashes.add(result.block.hash);
  }
}
// Same bytes from both, or the comparison means nothing.
if (hashes.size !== 1) throw new Error(`the builds sealed different blocks: ${[...hashes]}`);

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
const before = median(times[0]!);
const beforeCpu = median(cpu[0]!);
console.log(
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; random ${size} × ${size}, warm: median of ${RUNS} after ${WARM_UP} untimed; block ${[...hashes][0]!.slice(0, 16)}…\n`,
);
console.log(
  '| build | default hasher | warm ms | fastest ms | vs before | CPU ms | vs before | runs ms |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---|');
for (const [b, { name, core }] of builds.entries()) {
  // A build from before `defaultHasher` existed had @noble/hashes as its only default.
  const noble = core.defaultHasher === undefined || core.defaultHasher === core.sha256Hasher;
  const hasher = noble ? '@noble/hashes' : 'node:crypto';
  const m = median(times[b]!);
  const c = median(cpu[b]!);
  console.log(
    `| ${name} | ${hasher} | ${m.toFixed(1)} | ${Math.min(...times[b]!).toFixed(1)} | ${(before / m).toFixed(2)}× | ${c.toFixed(1)} | ${(beforeCpu / c).toFixed(2)}× | ${times[b]!.map((t) => t.toFixed(0)).join(', ')} |`,
  );
}

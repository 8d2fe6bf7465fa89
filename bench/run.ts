/**
 * The benchmark runner, `npm run bench -- --size 1e6 [--kinds random,adversarial] [--hasher noble]`:
 * each kind and size is measured (see src/cli/bench.ts) in its own process, so peak RSS is its
 * own; the table goes to stdout and between the markers of docs/performance.md.
 *
 * It measures what a user who passes no hasher gets in Node: node:crypto, the Node build's
 * default. This runs from source, where the default is the pure build's (@noble/hashes: the
 * build swaps it, see tsup.config.ts), so that default is named here; `--hasher noble` measures
 * the browsers' default.
 */
import { execFileSync } from 'node:child_process';
import { BENCH_KINDS, type BenchKind, measure, type Row, render } from '../src/cli/bench.js';
import { sha256Hasher } from '../src/index.js';
import { nodeSha256Hasher } from '../src/node/index.js';
import { writeBetweenMarkers } from './results.js';

const HASHERS = { node: nodeSha256Hasher, noble: sha256Hasher };

function args(): {
  sizes: number[];
  kinds: string[];
  out: string | undefined;
  hasher: keyof typeof HASHERS;
} {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(name);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const size = get('--size');
  const sizes =
    size === undefined
      ? [1e3, 1e4, 1e5]
      : size.split(',').flatMap((s) => {
          const max = Number(s.replace(/_/g, ''));
          const out: number[] = [];
          for (let n = 1e3; n < max; n *= 10) out.push(n);
          return [...out, max];
        });
  const hasher = get('--hasher') ?? 'node';
  if (!Object.hasOwn(HASHERS, hasher))
    throw new RangeError(`--hasher must be node or noble, got "${hasher}"`);
  return {
    sizes: [...new Set(sizes)],
    kinds: get('--kinds')?.split(',') ?? [...BENCH_KINDS],
    out: get('--out'),
    hasher: hasher as keyof typeof HASHERS,
  };
}

function main(): void {
  if (process.argv[2] === '--one') {
    const hasher = HASHERS[process.argv[5] as keyof typeof HASHERS];
    process.stdout.write(
      JSON.stringify(measure(process.argv[3] as BenchKind, Number(process.argv[4]), hasher)),
    );
    return;
  }
  const { sizes, kinds, out, hasher } = args();
  const rows: Row[] = [];
  for (const kind of kinds) {
    for (const size of sizes) {
      const json = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--max-old-space-size=8192',
          import.meta.filename,
          '--one',
          kind,
          String(size),
          hasher,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      const row = JSON.parse(json) as Row;
      rows.push(row);
      if (process.stderr.isTTY)
        process.stderr.write(`  ${kind} ${size}: ${row.total.toFixed(0)} ms\n`);
    }
  }
  const table = render(rows, HASHERS[hasher]);
  console.log(table);
  if (out !== undefined) writeBetweenMarkers(out, 'bench', table);
}

main();

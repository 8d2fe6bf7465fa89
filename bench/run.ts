/**
 * The benchmark runner (`npm run bench -- --size 1e6`, or `microgrid-clearing bench`): clears
 * seeded books of each kind and size, times every phase of `clearCycle` (block included), records
 * peak RSS, and measures in the same process the floor — one pass reading every decimal string,
 * two native sorts of the rank keys, writing the trade records as text and one streaming SHA-256
 * over them. Each size runs in its own process, so peak RSS is its own. Never part of pass/fail.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dayProfile } from '../src/cli/demo.js';
import { type BookKind, generateBook } from '../src/cli/generate.js';
import { clearWith } from '../src/engine/clear.js';
import { type BlockHasher, type Carrier, sha256Hasher } from '../src/index.js';
import { nodeSha256Hasher } from '../src/node/index.js';

interface Row {
  kind: string;
  size: number;
  phases: Record<string, number>;
  total: number;
  floor: number;
  trades: number;
  rssMB: number;
}

const PHASES = [
  'validate',
  'rank',
  'match',
  'trades',
  'pool',
  'settle',
  'outcomes',
  'records',
  'seal',
];

/** One measurement, in this process. */
function measure(kind: BookKind | 'four-carriers', size: number, hasher: BlockHasher): Row {
  const carriers: Carrier[] =
    kind === 'four-carriers' ? ['electricity', 'heat', 'cold', 'gas'] : ['electricity'];
  const book = generateBook({
    kind: kind === 'four-carriers' ? 'random' : kind,
    size,
    seed: 42,
    carriers,
    profile: kind === 'realistic' ? dayProfile() : undefined,
  });
  const phases: Record<string, number> = Object.fromEntries(PHASES.map((p) => [p, 0]));
  let last = performance.now();
  const mark = (phase: string) => {
    const now = performance.now();
    phases[phase] = (phases[phase] ?? 0) + (now - last);
    last = now;
  };
  const t0 = performance.now();
  last = t0;
  const result = clearWith(
    book,
    { limits: { maxOrders: 10_000_000 } },
    { timestamp: '2026-01-01T00:00:00Z' },
    { mark },
  );
  const total = performance.now() - t0;
  const floor = measureFloor(book, result.trades.length, hasher);
  return {
    kind,
    size,
    phases,
    total,
    floor,
    trades: result.trades.length + result.poolTrades.length,
    rssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** The floor: read every decimal once, two native sorts of rank keys, trade records as text, one SHA-256. */
function measureFloor(
  book: ReturnType<typeof generateBook>,
  trades: number,
  hasher: BlockHasher,
): number {
  const t0 = performance.now();
  const n = book.offers.length;
  const offerKeys = new Float64Array(n);
  const bidKeys = new Float64Array(book.bids.length);
  for (let i = 0; i < n; i++)
    offerKeys[i] = Number(book.offers[i]!.quantity) * Number(book.offers[i]!.price);
  for (let i = 0; i < bidKeys.length; i++)
    bidKeys[i] = Number(book.bids[i]!.quantity) * Number(book.bids[i]!.price);
  offerKeys.sort();
  bidKeys.sort();
  const h = hasher.create!();
  const enc = new TextEncoder();
  let chunk = '';
  for (let i = 0; i < trades; i++) {
    chunk += `{"amount":"1.234567","bidId":"c${i}","buyer":"b${i}","carrier":"electricity","consumerFee":"0.0061728","offerId":"s${i}","price":"0.3456","quantity":"3.572","seller":"a${i}","supplierFee":"0.0061728","type":"trade"}\n`;
    if (chunk.length > 1 << 16) {
      h.update(enc.encode(chunk));
      chunk = '';
    }
  }
  h.update(enc.encode(chunk));
  h.digest();
  return performance.now() - t0;
}

function args(): { sizes: number[]; kinds: string[]; out: string | undefined; hasher: string } {
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
  return {
    sizes: [...new Set(sizes)],
    kinds: (get('--kinds') ?? 'random,realistic,adversarial,all-or-none,four-carriers').split(','),
    out: get('--out'),
    hasher: get('--hasher') ?? 'node',
  };
}

function main(): void {
  if (process.argv[2] === '--one') {
    const hasher = process.argv[5] === 'noble' ? sha256Hasher : nodeSha256Hasher;
    process.stdout.write(
      JSON.stringify(measure(process.argv[3] as BookKind, Number(process.argv[4]), hasher)),
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
  const table = render(rows, hasher);
  console.log(table);
  if (out !== undefined) writeFileSync(out, table);
}

function render(rows: Row[], hasher: string): string {
  const lines: string[] = [];
  lines.push(
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB; SHA-256 ${hasher === 'noble' ? '@noble/hashes (the core default)' : 'node:crypto (microgrid-clearing/node, the CLI default)'}`,
  );
  lines.push('');
  lines.push(
    `| book | N a side | trades | ${PHASES.join(' | ')} | total ms | floor ms | total / floor | ratio per ×10 | peak RSS MB |`,
  );
  lines.push(`|---|---:|---:|${PHASES.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|`);
  let prev: Row | undefined;
  for (const r of rows) {
    const perDecade =
      prev !== undefined && prev.kind === r.kind ? (r.total / prev.total).toFixed(1) : '';
    lines.push(
      `| ${r.kind} | ${r.size} | ${r.trades} | ${PHASES.map((p) => (r.phases[p] ?? 0).toFixed(0)).join(' | ')} | ${r.total.toFixed(0)} | ${r.floor.toFixed(0)} | ${(r.total / r.floor).toFixed(1)} | ${perDecade} | ${r.rssMB} |`,
    );
    prev = r;
  }
  return lines.join('\n');
}

main();

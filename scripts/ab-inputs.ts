/**
 * The inputs text alone, one build a process: `tsx scripts/ab-inputs.ts ROOT KIND SIZE REPS`.
 * Validates the bench book KIND with ROOT's validator, then times ROOT's `writeInputs` into a
 * node:crypto hash REPS times (one untimed first) and prints the least time in ms.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchKind, benchBookOptions } from '../src/cli/bench.js';
import { generateBook } from '../src/cli/generators.js';
import { nodeSha256Hasher } from '../src/node/hasher.js';

const [rootArg, kind = 'random', sizeText = '1e5', repsText = '12'] = process.argv.slice(2);
const root = resolve(rootArg ?? '.');
const load = async (...paths: string[]) => {
  const path = paths.find((p) => existsSync(join(root, p)))!;
  // biome-ignore lint/suspicious/noExplicitAny: either build's module, whatever its types
  return (await import(pathToFileURL(join(root, path)).href)) as Record<string, any>;
};
const { validateBook } = await load('src/validate/book.ts');
const { toResolvedConfig } = await load('src/validate/config.ts');
const { bookTables } = await load('src/ledger/records.ts');
const { writeInputs } = await load('src/engine/records/inputs.ts', 'src/ledger/records.ts');
const { ByteWriter } = await load('src/internal/byte-writer.ts', 'src/ledger/byte-writer.ts');
const size = Number(sizeText);
const book = generateBook(benchBookOptions(kind as BenchKind, size));
const cfg = toResolvedConfig({ limits: { maxOrders: 10_000_000 } });
const parsed = validateBook(book, cfg.limits);
const tables = bookTables(parsed);
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
const once = () => {
  collect();
  const t = performance.now();
  const w = new ByteWriter(nodeSha256Hasher);
  writeInputs(parsed, cfg, [], tables, w);
  w.digest();
  return performance.now() - t;
};
once();
const times = Array.from({ length: Number(repsText) }, once);
process.stdout.write(`${Math.min(...times).toFixed(2)}\n`);

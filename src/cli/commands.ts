/**
 * The CLI commands of SPEC §9: `clear`, `verify`, `demo`.
 *
 * @module
 * @internal
 */
import { existsSync } from 'node:fs';
import {
  type Block,
  type ChainEntry,
  type CycleResult,
  clearCycle,
  type Issue,
  isValidationError,
  type OrderBook,
  parseConfig,
  type ResolvedConfig,
  transactionRecords,
  ValidationError,
  verifyChain,
} from '../index.js';
import { nodeSha256Hasher } from '../node/index.js';
import { formatResult } from './format.js';
import { AtomicFile, CliError, parseJson, readJson, readText, writeAtomic } from './io.js';

/** Where the CLI writes: injectable so tests can capture it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  now(): string;
}

/** Issues as lines: `FILE: path: message (code)`. */
export function issueLines(file: string, issues: readonly Issue[]): string[] {
  return issues.map(
    (i) => `${file}: ${i.path === '' ? '(top level)' : i.path}: ${i.message} (${i.code})`,
  );
}

export interface ClearArgs {
  readonly book: string;
  readonly config?: string | undefined;
  readonly timestamp?: string | undefined;
  readonly previous?: string | undefined;
  readonly chain?: string | undefined;
  readonly out?: string | undefined;
  readonly format: 'json' | 'table';
  readonly skipInvalid: boolean;
}

/**
 * Writes the RESULT JSON of SPEC §9 in pieces: one top-level field a line, array elements one a
 * line. Never one giant string, so a million-trade result fits under V8's string limit.
 */
export function writeResult(r: CycleResult, write: (text: string) => void): void {
  const fields = Object.keys(r) as (keyof CycleResult)[];
  write('{\n');
  fields.forEach((key, i) => {
    const value = r[key];
    write(`${JSON.stringify(key)}: `);
    if (Array.isArray(value) && value.length > 0) {
      write('[\n');
      for (let k = 0; k < value.length; k++)
        write(`  ${JSON.stringify(value[k])}${k + 1 < value.length ? ',' : ''}\n`);
      write(']');
    } else write(JSON.stringify(value));
    write(i + 1 < fields.length ? ',\n' : '\n');
  });
  write('}\n');
}

export function runClear(args: ClearArgs, io: Io): number {
  let config: ResolvedConfig;
  try {
    config = parseConfig(args.config === undefined ? {} : readJson(args.config));
  } catch (err) {
    if (isValidationError(err)) return fail(io, issueLines(args.config ?? 'config', err.issues));
    throw err;
  }
  // The text itself: a book in the plain form is read straight into columns. On any issue it is
  // parsed here, so the issues (and --skip-invalid) are about the parsed book, as they always were.
  let book: unknown = readText(args.book);
  const previous =
    args.previous !== undefined
      ? readBlock(args.previous)
      : args.chain !== undefined
        ? chainTip(args.chain)
        : undefined;
  const timestamp = args.timestamp ?? io.now();
  let refused: string[] = [];
  let result: CycleResult;
  for (;;) {
    try {
      // Node's SHA-256: the same id and bytes as the default, about twice as fast.
      result = clearCycle(book, config, { timestamp, previous, hasher: nodeSha256Hasher });
      break;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      if (typeof book === 'string') {
        book = parseJson(args.book, book);
        continue;
      }
      const lines = issueLines(
        err.issues[0]?.path === 'timestamp' ? '--timestamp' : args.book,
        err.issues,
      );
      if (!args.skipInvalid) return fail(io, lines);
      const skipped = withoutRefused(book, err.issues);
      if (skipped === undefined) return fail(io, lines);
      refused = refused.concat(lines);
      book = skipped;
    }
  }
  for (const line of refused) io.err(`refused: ${line}`);
  if (args.chain !== undefined) {
    const entry: ChainEntry = { ...result.block, transactions: transactionRecords(result) };
    const old = existsSync(args.chain) ? readText(args.chain) : '';
    writeAtomic(
      args.chain,
      `${old}${old === '' || old.endsWith('\n') ? '' : '\n'}${JSON.stringify(entry)}\n`,
    );
  }
  if (args.out !== undefined) {
    const file = new AtomicFile(args.out);
    try {
      writeResult(result, (t) => file.write(t));
    } catch (err) {
      file.abort();
      throw err;
    }
    file.commit();
    io.err(
      `cleared ${result.counters.p2pTrades} P2P and ${result.counters.poolTrades} pool trades; block ${result.block.height} ${result.block.hash}; wrote ${args.out}`,
    );
  } else if (args.format === 'table') {
    io.out(formatResult(result));
  } else {
    const parts: string[] = [];
    writeResult(result, (t) => parts.push(t));
    io.out(parts.join('').trimEnd());
  }
  return 0;
}

/** The book without the orders an issue names, or `undefined` when an issue is not about one order. */
function withoutRefused(book: unknown, issues: readonly Issue[]): OrderBook | undefined {
  const drop = { offers: new Set<number>(), bids: new Set<number>(), storage: new Set<number>() };
  for (const i of issues) {
    const m = /^(offers|bids|storage)\[(\d+)\]/.exec(i.path);
    if (m === null) return undefined;
    drop[m[1] as keyof typeof drop].add(Number(m[2]));
  }
  const b = book as Record<string, unknown[] | undefined>;
  const keep = (name: keyof typeof drop) => (b[name] ?? []).filter((_, i) => !drop[name].has(i));
  return {
    ...(b as object),
    offers: keep('offers'),
    bids: keep('bids'),
    storage: keep('storage'),
  } as unknown as OrderBook;
}

function readBlock(path: string): Block {
  const value = readJson(path) as Record<string, unknown> | null;
  // Accept a block, a RESULT (its `block`), or a chain entry.
  const block =
    value !== null && typeof value === 'object' && 'block' in value ? value['block'] : value;
  if (block === null || typeof block !== 'object' || typeof (block as Block).hash !== 'string') {
    throw new CliError(`${path}: expected a block or a RESULT file with a "block"`);
  }
  return block as Block;
}

function chainTip(path: string): Block | undefined {
  if (!existsSync(path)) return undefined;
  const lines = readText(path)
    .split('\n')
    .filter((l) => l.trim() !== '');
  if (lines.length === 0) return undefined;
  try {
    return JSON.parse(lines[lines.length - 1]!) as Block;
  } catch {
    throw new CliError(
      `${path}: line ${lines.length} is not valid JSON; run "microgrid-clearing verify ${path}"`,
    );
  }
}

/** Reads a chain file: one block (optionally with its transactions) a line, oldest first. */
export function readChain(path: string): {
  entries: ChainEntry[];
  problem?: { height: number; reason: string };
} {
  const text = readText(path);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const entries: ChainEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    try {
      entries.push(JSON.parse(line) as ChainEntry);
    } catch {
      const last = i === lines.length - 1 && !text.endsWith('\n');
      return {
        entries,
        problem: {
          height: i,
          reason: `line ${i + 1} is not valid JSON${last ? ' (truncated last line?)' : ''}`,
        },
      };
    }
  }
  return { entries };
}

export function runVerify(path: string, io: Io): number {
  const { entries, problem } = readChain(path);
  const verdict = verifyChain(entries, nodeSha256Hasher);
  if (!verdict.ok) return fail(io, [`${path}: block ${verdict.height}: ${verdict.reason}`]);
  if (problem !== undefined)
    return fail(io, [`${path}: block ${problem.height}: ${problem.reason}`]);
  const withTx = entries.filter((e) => e.transactions !== undefined).length;
  io.out(
    `${path}: ok, ${entries.length} block${entries.length === 1 ? '' : 's'} verified (hashes and links; Merkle roots of ${withTx} with transactions)`,
  );
  return 0;
}

function fail(io: Io, lines: readonly string[]): number {
  for (const line of lines) io.err(line);
  return 1;
}

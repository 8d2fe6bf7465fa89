/**
 * The CLI commands of docs/file-formats.md: `clear`, `verify`, `demo`.
 *
 * @module
 * @internal
 */
import {
  type Block,
  ClearingError,
  type CycleResult,
  clearCycle,
  type Issue,
  isValidationError,
  type OrderBook,
  parseConfig,
  type ResolvedConfig,
  transactionRecords,
  ValidationError,
} from '../index.js';
import { nodeSha256Hasher } from '../node/index.js';
import { appendBlock, readChainFile } from './chain-file.js';
import { ChainLock } from './chain-lock.js';
import { formatResult, incomeWarning } from './format.js';
import {
  AtomicFile,
  ChunkSink,
  CliError,
  fileLabel,
  oneLine,
  parseJson,
  readJson,
  readText,
  sameFile,
} from './io.js';

/** Where the CLI writes: injectable so tests can capture it. */
export interface Io {
  /** A line to stdout. */
  out(text: string): void;
  /** A line to stderr. */
  err(text: string): void;
  /** Text to stdout as it is, for results written in pieces; absent, pieces are joined for `out`. */
  write?(text: string): void;
  now(): string;
}

/**
 * A cycle's issues as lines: the timestamp's as `--timestamp: message (code)`, the previous
 * block's under `--previous`, the book's as `BOOK: path: message (code)` (`stdin` for `-`).
 */
export function cycleIssueLines(book: string, issues: readonly Issue[]): string[] {
  return issues.map((i) =>
    // The option's own issue; a book's field named `timestamp` is the book's (`unknown_field`).
    i.path === 'timestamp' && i.code === 'invalid_timestamp'
      ? `--timestamp: ${oneLine(i.message)} (${i.code})`
      : i.path.startsWith('previous.')
        ? `--previous: ${i.path.slice('previous.'.length)}: ${oneLine(i.message)} (${i.code})`
        : issueLines(book, [i])[0]!,
  );
}

/**
 * A cycle's timestamp earlier than the chain's tip, named as the option's when `--timestamp` was
 * given and as the clock's when it was not (`message (code)`); any other error as it is.
 */
export function timestampError(err: unknown, given: string | undefined): unknown {
  if (!(err instanceof ClearingError) || err.code !== 'timestamp_before_previous') return err;
  const where = given === undefined ? "the clock's time (no --timestamp given)" : '--timestamp';
  return new CliError(`${where}: ${oneLine(err.message)} (${err.code})`);
}

/** The `--config` file resolved, or `undefined` after printing its problems one a line. */
export function readConfig(path: string | undefined, io: Io): ResolvedConfig | undefined {
  try {
    return parseConfig(path === undefined ? {} : readJson(path));
  } catch (err) {
    if (!isValidationError(err)) throw err;
    fail(io, issueLines(path ?? 'config', err.issues));
    return undefined;
  }
}

/** Issues as lines: `FILE: path: message (code)`. */
export function issueLines(file: string, issues: readonly Issue[]): string[] {
  return issues.map(
    (i) =>
      `${fileLabel(file)}: ${i.path === '' ? '(top level)' : oneLine(i.path)}: ${oneLine(i.message)} (${i.code})`,
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
  /** How long to wait for another process's lock on the chain, in milliseconds. */
  readonly lockTimeoutMs?: number | undefined;
}

/** How long `clear --chain` waits for another writer by default. */
export const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

/**
 * Writes the RESULT JSON of docs/file-formats.md in pieces: one top-level field a line, array elements one a
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

/**
 * `clear`: with `--chain`, under the chain's lock from reading its tip to appending the block; the
 * RESULT is written (to `--out` or stdout) before the block is appended, so a block in the chain
 * always has its result written (docs/operations.md).
 */
export function runClear(args: ClearArgs, io: Io): number {
  if (args.chain !== undefined) {
    if (args.previous !== undefined)
      throw new CliError(
        '--previous and --chain both name the block before this one: give one of them',
        2,
      );
    if (args.out !== undefined && sameFile(args.out, args.chain))
      throw new CliError(`--out and --chain name the same file (${args.out}): give two files`, 2);
  }
  const config = readConfig(args.config, io);
  if (config === undefined) return 1;
  // The text itself: a book in the plain form is read straight into columns. On any issue it is
  // parsed here, so the issues (and --skip-invalid) are about the parsed book, as they always were.
  const text = readText(args.book);
  if (args.chain === undefined) {
    const previous = args.previous === undefined ? undefined : readBlock(args.previous);
    return clearAndWrite(args, io, text, config, args.timestamp ?? io.now(), previous);
  }
  const chain = args.chain;
  const lock = ChainLock.acquire(chain, args.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  try {
    for (const note of lock.notes) io.err(note);
    const state = readChainFile(chain, nodeSha256Hasher, true);
    if (state.problem !== undefined)
      return fail(io, [
        `${chain}: block ${state.problem.height}: ${oneLine(state.problem.reason)}; nothing was cleared or appended (a block is only added to a chain that verifies)`,
      ]);
    // The clock is read with the lock held: a run that waited for another clears after it.
    return clearAndWrite(args, io, text, config, args.timestamp ?? io.now(), state.tip, chain);
  } finally {
    lock.release();
  }
}

function clearAndWrite(
  args: ClearArgs,
  io: Io,
  text: string,
  config: ResolvedConfig,
  timestamp: string,
  previous: Block | undefined,
  chain?: string,
): number {
  let book: unknown = text;
  let refused: string[] = [];
  let result: CycleResult;
  for (;;) {
    try {
      // Node's SHA-256: the same id and bytes as the default, about twice as fast.
      result = clearCycle(book as OrderBook | string, config, {
        timestamp,
        previous,
        hasher: nodeSha256Hasher,
      });
      break;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw timestampError(err, args.timestamp);
      if (typeof book === 'string') {
        book = parseJson(args.book, book);
        continue;
      }
      const lines = cycleIssueLines(args.book, err.issues);
      if (!args.skipInvalid) return fail(io, lines);
      const skipped = withoutRefused(book, err.issues);
      if (skipped === undefined) return fail(io, lines);
      refused = refused.concat(lines);
      book = skipped;
    }
  }
  for (const line of refused) io.err(`refused: ${line}`);
  // The result first: a block in the chain always has its result written.
  let summary = emitResult(result, args, io);
  warnIncome(result, args, io);
  if (chain !== undefined) {
    appendBlock(chain, result, transactionRecords(result));
    summary =
      summary === undefined
        ? `appended block ${result.block.height} to ${chain}`
        : `${summary}; appended it to ${chain}`;
  }
  if (summary !== undefined) io.err(summary);
  return 0;
}

/**
 * Prints the negative-income warning on stderr when the RESULT went out as JSON (a file or
 * stdout); a table on stdout says it itself.
 */
export function warnIncome(
  result: CycleResult,
  args: Pick<ClearArgs, 'out' | 'format'>,
  io: Io,
): void {
  const warning =
    args.format === 'table' && args.out === undefined ? undefined : incomeWarning(result);
  if (warning !== undefined) io.err(warning);
}

/**
 * Writes a RESULT where the arguments say: `--out` (whole or not at all), a table, or JSON on
 * stdout in pieces. Returns the summary line for `--out`, `undefined` otherwise.
 */
export function emitResult(
  result: CycleResult,
  args: Pick<ClearArgs, 'out' | 'format'>,
  io: Io,
): string | undefined {
  if (args.out !== undefined) {
    const file = new AtomicFile(args.out);
    try {
      writeResult(result, (t) => file.write(t));
    } catch (err) {
      file.abort();
      throw err;
    }
    file.commit();
    return `cleared ${result.counters.p2pTrades} P2P and ${result.counters.poolTrades} pool trades; block ${result.block.height} ${result.block.hash}; wrote ${args.out}${file.note === undefined ? '' : ` (${file.note})`}`;
  }
  if (args.format === 'table') io.out(formatResult(result));
  else if (io.write !== undefined) {
    const stdout = new ChunkSink(io.write.bind(io));
    writeResult(result, (t) => stdout.write(t));
    stdout.flush();
  } else {
    const parts: string[] = [];
    writeResult(result, (t) => parts.push(t));
    io.out(parts.join('').trimEnd());
  }
  return undefined;
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

/** `verify`: reads the chain line by line (memory bounded by its largest block). */
export function runVerify(path: string, io: Io): number {
  const state = readChainFile(path, nodeSha256Hasher);
  if (state.problem !== undefined)
    return fail(io, [`${path}: block ${state.problem.height}: ${oneLine(state.problem.reason)}`]);
  if (state.blocks === 0)
    return fail(io, [`${path}: holds no blocks; a chain has one block a line`]);
  io.out(
    `${path}: ok, ${state.blocks} block${state.blocks === 1 ? '' : 's'} verified (hashes and links; Merkle roots of ${state.withTransactions} with transactions)`,
  );
  return 0;
}

function fail(io: Io, lines: readonly string[]): number {
  for (const line of lines) io.err(line);
  return 1;
}

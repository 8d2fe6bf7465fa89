/**
 * Chain files (JSONL, one block a line, oldest first): read line by line, checked strictly, and
 * appended to under an exclusive lock. What each operation guarantees under concurrency and
 * crashes is in `docs/operations.md`.
 *
 * - **Reading** streams: the file is read in 1 MiB chunks and split into lines as bytes, so memory
 *   is bounded by the largest block, not the file (a chain may be many GiB).
 * - **Each line** is read with the books' strict JSON reader (a duplicate key, as in two
 *   `"transactions"` arrays, is refused) and checked by the same rules as `verifyChain`, which
 *   refuses fields the block hash does not cover.
 * - **Appending** writes one line to the end of the file (`O_APPEND`) and `fsync`s it; the file is
 *   never copied or rewritten.
 * - **The lock** around read-tip → clear → append is in `chain-lock.ts`.
 *
 * @module
 * @internal
 */
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Block, BlockHasher, ChainEntry, CycleResult } from '../index.js';
import { ChainChecker } from '../ledger/chain.js';
import { readJsonText } from '../validate/json.js';
import { ChunkSink, CliError, describeErrno, EXIT_IO, syncDir, writeFully } from './io.js';
import { readLongEntry } from './long-line.js';

/** Longest line read as one string: V8's string limit (2^29 − 24 UTF-16 units) with a margin. */
const MAX_LINE_BYTES = 2 ** 29 - 2 ** 20;
const CHUNK = 1 << 20;
// ignoreBOM: a byte-order mark is kept, so a line starting with one is not JSON and is refused.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** One line of a file, as bytes, with where it starts. */
interface Line {
  /** 1-based line number. */
  readonly number: number;
  /** Byte offset of its first byte. */
  readonly start: number;
  /** Its bytes without the newline, or `undefined` when it is longer than {@link MAX_LINE_BYTES}. */
  readonly bytes: Uint8Array | undefined;
  /** Its length in bytes, without the newline. */
  readonly length: number;
  /** Whether it ends with a newline (only the last line may not). */
  readonly complete: boolean;
}

/** The lines of a file, read in chunks: one line's bytes in memory at a time. */
function* lines(fd: number, maxLineBytes: number): Generator<Line> {
  const chunk = Buffer.allocUnsafe(CHUNK);
  let parts: Buffer[] = [];
  let partLength = 0;
  let tooLong = false;
  let lineStart = 0;
  let offset = 0;
  let number = 1;
  for (;;) {
    const n = readSync(fd, chunk, 0, CHUNK, null);
    if (n === 0) break;
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, from);
      const end = nl === -1 || nl >= n ? n : nl;
      if (!tooLong) {
        if (partLength + (end - from) > maxLineBytes) {
          tooLong = true;
          parts = [];
        } else parts.push(Buffer.from(chunk.subarray(from, end)));
      }
      partLength += end - from;
      if (end === n) break;
      yield {
        number,
        start: lineStart,
        bytes: tooLong ? undefined : parts.length === 1 ? parts[0]! : Buffer.concat(parts),
        length: partLength,
        complete: true,
      };
      number++;
      lineStart = offset + end + 1;
      parts = [];
      partLength = 0;
      tooLong = false;
      from = end + 1;
    }
    offset += n;
  }
  if (partLength > 0)
    yield {
      number,
      start: lineStart,
      bytes: tooLong ? undefined : Buffer.concat(parts),
      length: partLength,
      complete: false,
    };
}

/** What reading a chain file found. */
export interface ChainFileState {
  /** Blocks that hold, from height 0. */
  readonly blocks: number;
  /** How many of them carry their transactions (Merkle root checked). */
  readonly withTransactions: number;
  /** The last block that holds. */
  readonly tip: Block | undefined;
  /** The first problem: the height of the block it is at, and why. */
  readonly problem?: { readonly height: number; readonly reason: string } | undefined;
}

/**
 * Reads and checks a whole chain file, line by line: each line strictly parsed, every hash, link,
 * timestamp and Merkle root checked. Stops at the first problem. A missing file is an empty chain
 * only when `missingIsEmpty`.
 */
export function readChainFile(
  path: string,
  hasher: BlockHasher,
  missingIsEmpty = false,
  longLineBytes = MAX_LINE_BYTES,
): ChainFileState {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && missingIsEmpty)
      return { blocks: 0, withTransactions: 0, tip: undefined };
    throw new CliError(`${path}: ${describeErrno(err)}`, EXIT_IO);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new CliError(`${path}: is a directory`, EXIT_IO);
    const checker = new ChainChecker(hasher);
    let withTransactions = 0;
    const state = (problem?: { height: number; reason: string }): ChainFileState => ({
      blocks: checker.length,
      withTransactions,
      tip: checker.tip,
      problem,
    });
    for (const line of lines(fd, longLineBytes)) {
      const height = checker.length;
      const at = `line ${line.number}`;
      if (line.bytes === undefined) {
        // Longer than one string holds: read again from the file, a record at a time.
        const long = readLongEntry(fd, line.start, line.length, hasher, at);
        if (typeof long === 'string')
          return state({
            height,
            reason: line.complete
              ? long
              : `${long}; the line has no newline at its end, as when an append is cut short (docs/operations.md)`,
          });
        const reason = checker.push(long.header, () =>
          !long.hasTransactions
            ? undefined
            : long.count !== long.header.transactionCount
              ? `holds ${long.count} transactions; the header says ${long.header.transactionCount}`
              : long.merkleRoot !== long.header.merkleRoot
                ? 'merkleRoot does not match the transactions'
                : undefined,
        );
        if (reason !== undefined) return state({ height, reason });
        if (long.hasTransactions) withTransactions++;
        continue;
      }
      if (line.length === 0)
        return state({ height, reason: `${at} is empty; a chain holds one block a line` });
      if (line.bytes[line.bytes.length - 1] === 0x0d)
        return state({
          height,
          reason: `${at} ends with a carriage return (CRLF); a chain's lines end with a line feed alone`,
        });
      let text: string;
      try {
        text = UTF8.decode(line.bytes);
      } catch {
        return state({ height, reason: `${at} is not valid UTF-8` });
      }
      const parsed = readJsonText(text, at);
      if (!parsed.ok)
        return state({
          height,
          reason: line.complete
            ? `${parsed.issue.message}${parsed.issue.path === '' ? '' : ` (at ${parsed.issue.path})`}; a chain holds one block a line${line.number === 1 && /^\s*[{[]\s*$/.test(text) ? ' (this looks like pretty-printed JSON, a RESULT file say, not a chain)' : ''}`
            : `${at} is not valid JSON (truncated last line? it has no newline at its end, as when an append is cut short); the next "clear --chain" removes it if the lock its writer left says so, or cut the file to ${line.start} bytes (docs/operations.md)`,
        });
      const reason = checker.push(parsed.value);
      if (reason !== undefined) return state({ height, reason });
      if ((parsed.value as ChainEntry).transactions !== undefined) withTransactions++;
    }
    return state();
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends a cycle's block with its transactions as one line, written in pieces (a block of
 * millions of trades never becomes one string), then `fsync`s it. The bytes are those of
 * `JSON.stringify({ ...block, transactions })`. On a write error the file is cut back to where it
 * was, so it never ends in a partial line.
 */
export function appendBlock(
  chain: string,
  result: Pick<CycleResult, 'block'>,
  transactions: Iterable<unknown>,
): void {
  let fd: number;
  let created = false;
  try {
    try {
      fd = openSync(
        chain,
        constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL,
        0o644,
      );
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      fd = openSync(chain, constants.O_RDWR | constants.O_APPEND);
    }
  } catch (err) {
    throw new CliError(
      `${chain}: cannot append: ${describeErrno(err)}; nothing was appended`,
      EXIT_IO,
    );
  }
  const start = fstatSync(fd).size;
  try {
    const out = new ChunkSink((text) => writeFully(fd, Buffer.from(text, 'utf8')));
    // A last line written by hand without its newline is ended first, never glued to.
    if (start > 0 && !endsWithNewline(fd, start)) out.write('\n');
    const header = JSON.stringify(result.block);
    out.write(header.slice(0, -1));
    out.write(',"transactions":[');
    let first = true;
    for (const t of transactions) {
      out.write(first ? JSON.stringify(t) : `,${JSON.stringify(t)}`);
      first = false;
    }
    out.write(']}\n');
    out.flush();
    fsyncSync(fd);
    if (created) syncDir(dirname(chain));
  } catch (err) {
    try {
      ftruncateSync(fd, start);
      fsyncSync(fd);
    } catch {
      // the lock records where the append began: the next holder cuts it back
    }
    throw new CliError(
      `${chain}: cannot append the block: ${describeErrno(err)}; the chain is as it was`,
      EXIT_IO,
    );
  } finally {
    closeSync(fd);
  }
}

function endsWithNewline(fd: number, size: number): boolean {
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

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
 * - **The lock** is a lock file `CHAIN.lock` made with `O_EXCL`, holding the holder's pid, host
 *   and the chain's size when it took the lock. A lock whose holder no longer runs (same host,
 *   `kill(pid, 0)` says ESRCH) is stale: it is broken under a second `O_EXCL` file, and if its
 *   holder died mid-append, the partial last line it left is cut off at the recorded size.
 *
 * Why not `proper-lockfile`: it decides staleness by the lock's mtime, refreshed by a timer. A
 * `clear` of a large book is synchronous CPU work that can hold the event loop longer than any
 * sensible stale timeout, so the timer would not run and a live lock would be broken (a fork). A
 * pid check is exact for processes on one host, which is what a local file serves; machines that
 * share a ledger should share a database, not a file on a network mount.
 *
 * @module
 * @internal
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Block, BlockHasher, ChainEntry, CycleResult } from '../index.js';
import { ChainChecker } from '../ledger/block.js';
import { readJsonText } from '../validate/json.js';
import { ChunkSink, CliError, describeErrno, EXIT_IO, sleepMs, syncDir, writeFully } from './io.js';
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
  /** The file's size in bytes when read. */
  readonly size: number;
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
      return { blocks: 0, withTransactions: 0, tip: undefined, size: 0 };
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
      size: stat.size,
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

/** The lock's record, as its holder wrote it. */
interface LockRecord {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
  /** The chain's size in bytes when the lock was taken: where an interrupted append began. */
  readonly size: number;
}

/** How long a lock file may stay empty (its maker died before writing it) before it is stale. */
const EMPTY_LOCK_STALE_MS = 10_000;

/** An exclusive lock on a chain file, held from read-tip to append. */
export class ChainLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly record: LockRecord,
    /** Notes for the user (a stale lock broken, a partial line removed). */
    readonly notes: readonly string[],
  ) {}

  /**
   * The lock file's path for a chain: beside the file the path resolves to, so a chain reached
   * through a symbolic link (or a relative path) has the same lock as through its own name.
   */
  static pathOf(chain: string): string {
    let real: string;
    try {
      real = realpathSync(chain);
    } catch {
      try {
        real = join(realpathSync(dirname(chain)), basename(chain));
      } catch {
        real = chain;
      }
    }
    return `${real}.lock`;
  }

  /**
   * Takes the lock, waiting up to `timeoutMs` for a live holder; breaks a stale one (and cuts
   * off the partial line its holder may have left).
   */
  static acquire(chain: string, timeoutMs: number): ChainLock {
    const path = ChainLock.pathOf(chain);
    const started = Date.now();
    const notes: string[] = [];
    let delay = 5;
    for (;;) {
      let fd: number | undefined;
      try {
        fd = openSync(path, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new CliError(
            `${path}: cannot take the chain's lock: ${describeErrno(err)}`,
            EXIT_IO,
          );
      }
      if (fd !== undefined) {
        try {
          const record: LockRecord = {
            pid: process.pid,
            host: hostname(),
            nonce: randomBytes(8).toString('hex'),
            size: sizeOf(chain),
          };
          writeFully(fd, Buffer.from(`${JSON.stringify(record)}\n`));
          fsyncSync(fd);
          return new ChainLock(path, record, notes);
        } catch (err) {
          closeSync(fd);
          fd = undefined;
          unlinkQuiet(path);
          throw new CliError(
            `${path}: cannot write the chain's lock: ${describeErrno(err)}`,
            EXIT_IO,
          );
        } finally {
          if (fd !== undefined) closeSync(fd);
        }
      }
      const held = readLock(path);
      if (held === 'gone') continue;
      if (isStale(held, path)) {
        const note = breakStale(chain, path, held);
        if (note !== undefined) notes.push(note);
        continue;
      }
      const waited = Date.now() - started;
      if (waited >= timeoutMs) {
        const who =
          held === 'unreadable'
            ? 'another process'
            : `process ${held.pid} on ${held.host === hostname() ? 'this host' : held.host}`;
        throw new CliError(
          `${chain}: locked by ${who}; gave up after ${Math.round(waited / 1000)} s (--lock-timeout). Nothing was cleared or appended. If no such process runs, remove ${path}.`,
          EXIT_LOCKED,
        );
      }
      sleepMs(Math.min(delay, timeoutMs - waited));
      delay = Math.min(delay * 2, 100);
    }
  }

  /** Lets go of the lock (only if it is still ours). */
  release(): void {
    if (this.released) return;
    this.released = true;
    const now = readLock(this.path);
    if (typeof now === 'object' && now.nonce === this.record.nonce) unlinkQuiet(this.path);
  }
}

/** Exit status when the chain stayed locked past the timeout. */
export const EXIT_LOCKED = 75;

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

function readLock(path: string): LockRecord | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return 'unreadable';
  }
  try {
    const r = JSON.parse(text) as Partial<LockRecord>;
    if (
      Number.isSafeInteger(r.pid) &&
      typeof r.host === 'string' &&
      typeof r.nonce === 'string' &&
      Number.isSafeInteger(r.size)
    )
      return r as LockRecord;
  } catch {
    // an empty or half-written lock: its maker died before writing it, or is writing it now
  }
  return 'unreadable';
}

function isStale(held: LockRecord | 'unreadable', path: string): boolean {
  if (held === 'unreadable') {
    try {
      return Date.now() - statSync(path).mtimeMs > EMPTY_LOCK_STALE_MS;
    } catch {
      return false;
    }
  }
  if (held.host !== hostname()) return false;
  if (held.pid === process.pid) return false;
  try {
    process.kill(held.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Breaks a stale lock under a second `O_EXCL` file, so that two processes breaking the same lock
 * cannot remove each other's new one: the lock is read again inside and removed only if it is
 * still the stale one. A partial last line left by the dead holder is cut off at the size its
 * lock recorded.
 */
function breakStale(
  chain: string,
  path: string,
  held: LockRecord | 'unreadable',
): string | undefined {
  const breaker = `${path}.break`;
  let fd: number;
  try {
    fd = openSync(breaker, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new CliError(`${breaker}: ${describeErrno(err)}`, EXIT_IO);
    // Another process is breaking it; a breaker left by a crash is itself stale after a while.
    try {
      if (Date.now() - statSync(breaker).mtimeMs > EMPTY_LOCK_STALE_MS) unlinkQuiet(breaker);
    } catch {
      // gone already
    }
    sleepMs(5);
    return undefined;
  }
  closeSync(fd);
  try {
    const again = readLock(path);
    // An empty lock is the same stale one only if it is still old: one made a moment ago by a
    // process that just broke the old lock is fresh, and stays.
    const same =
      again === 'unreadable'
        ? held === 'unreadable' && isStale('unreadable', path)
        : typeof again === 'object' && typeof held === 'object' && again.nonce === held.nonce;
    if (!same) return undefined;
    let note = `${chain}: broke a stale lock (${held === 'unreadable' ? 'empty' : `process ${held.pid} no longer runs`})`;
    if (typeof held === 'object') {
      const cut = cutPartialAppend(chain, held.size);
      if (cut > 0)
        note += `; removed the ${cut} bytes of a block its holder was appending when it died`;
    }
    unlinkQuiet(path);
    return note;
  } finally {
    unlinkQuiet(breaker);
  }
}

/**
 * Cuts a chain back to `size` when the bytes after it are an append cut short (they do not end
 * with a newline). A whole line after it is a block its holder finished: it stays.
 */
function cutPartialAppend(chain: string, size: number): number {
  let fd: number;
  try {
    fd = openSync(chain, 'r+');
  } catch {
    return 0;
  }
  try {
    const now = fstatSync(fd).size;
    if (now <= size) return 0;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, now - 1);
    if (last[0] === 0x0a) return 0;
    ftruncateSync(fd, size);
    fsyncSync(fd);
    return now - size;
  } finally {
    closeSync(fd);
  }
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
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

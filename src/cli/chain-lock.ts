/**
 * The lock a chain file is appended under (`clear --chain`), held from reading the tip to
 * appending the block. What it guarantees and what it does not: `docs/operations.md`.
 *
 * The lock is a file `CHAIN.lock` beside the path the chain resolves to, made with `O_EXCL`,
 * holding the holder's pid, host and the chain's size when it took the lock. A lock whose holder
 * no longer runs (same host, `kill(pid, 0)` says ESRCH) is stale: it is broken under a second
 * `O_EXCL` file, and if its holder died mid-append, the partial last line it left is cut off at
 * the recorded size.
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
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { hostname } from 'node:os';
import {
  CliError,
  describeErrno,
  EXIT_IO,
  isRunning,
  realpathIfAny,
  sleepMs,
  writeFully,
} from './io.js';

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
    let real = chain;
    try {
      real = realpathIfAny(chain);
    } catch {
      // the directory does not exist: taking the lock will say so
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
  return held.host === hostname() && held.pid !== process.pid && !isRunning(held.pid);
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

/**
 * File helpers for the CLI: the only place in the package, with `chain-file.ts`, that touches
 * files. What each write guarantees under crashes is in `docs/operations.md`.
 *
 * @module
 * @internal
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readJsonText } from '../validate/json.js';

/** Exit status for a failed read or write of a file or of stdout (sysexits' EX_IOERR). */
export const EXIT_IO = 74;

/** A problem the CLI reports in one line and exits non-zero for. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EPIPE: 'the reader went away (broken pipe)',
  EFBIG: 'file too large',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
};

/** An operating-system error as a short phrase, without paths or stack: `no space left on device (ENOSPC)`. */
export function describeErrno(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return `${ERRNO_TEXT[code] ?? code.toLowerCase()} (${code})`;
  return err instanceof Error ? err.message : String(err);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` milliseconds (the CLI is synchronous). */
export function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * Writes all of `bytes` to a descriptor, synchronously: a descriptor set non-blocking by whoever
 * opened it (EAGAIN) is waited on, never given up on. Errors are thrown as they come.
 */
export function writeFully(fd: number, bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      sleepMs(1);
    }
  }
}

/**
 * Writes text to stdout or stderr synchronously, so that a write error is known before the CLI
 * goes on (appends a block, exits 0). A failure on stdout is a {@link CliError} with
 * {@link EXIT_IO}; on stderr it is ignored (there is nowhere left to say it).
 */
export function writeStd(fd: 1 | 2, text: string): void {
  try {
    writeFully(fd, Buffer.from(text, 'utf8'));
  } catch (err) {
    if (fd === 2) return;
    throw new CliError(`stdout: cannot write: ${describeErrno(err)}`, EXIT_IO);
  }
}

/** Reads a file's bytes (`-`: all of stdin), with a readable error when it cannot. */
function readBytes(path: string): Buffer {
  if (path === '-') {
    try {
      return readFileSync(0);
    } catch (err) {
      throw new CliError(`stdin: cannot read: ${describeErrno(err)}`, EXIT_IO);
    }
  }
  let size: number | undefined;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CliError(`${fileLabel(path)}: is a directory`, EXIT_IO);
    if (st.isFile()) size = st.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${fileLabel(path)}: ${describeErrno(err)}`, EXIT_IO);
  }
  // V8 holds at most 2^29 − 24 UTF-16 units in one string: say so rather than a false reason.
  if (size !== undefined && size > MAX_TEXT_BYTES)
    throw new CliError(
      `${fileLabel(path)}: is ${size} bytes; a JSON file read whole is limited to ${MAX_TEXT_BYTES} bytes (about 512 MiB) by the JavaScript engine`,
    );
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(`${fileLabel(path)}: ${describeErrno(err)}`, EXIT_IO);
  }
}

const MAX_TEXT_BYTES = 2 ** 29 - 24;
// ignoreBOM: a byte-order mark is kept, so the JSON reader skips one and refuses a second.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Reads a UTF-8 text file; bytes that are not UTF-8 are refused, never replaced. */
export function readText(path: string): string {
  const bytes = readBytes(path);
  try {
    return UTF8.decode(bytes);
  } catch (err) {
    if (bytes.length > MAX_TEXT_BYTES / 2)
      throw new CliError(
        `${fileLabel(path)}: is ${bytes.length} bytes; it does not fit in one JavaScript string (${(err as Error).message})`,
      );
    throw new CliError(`${fileLabel(path)}: not valid UTF-8`);
  }
}

/** Parses a JSON file strictly (no duplicate keys, bounded nesting), naming the file on a problem. */
export function readJson(path: string): unknown {
  return parseJson(path, readText(path));
}

/** {@link readJson} of a file's text already read. */
export function parseJson(path: string, text: string): unknown {
  const r = readJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'the file');
  if (!r.ok)
    throw new CliError(
      `${fileLabel(path)}: ${r.issue.path === '' ? '' : `${r.issue.path}: `}${oneLine(r.issue.message)} (invalid_json)`,
    );
  return r.value;
}

/** How messages name the file at `path`: `stdin` for `-`. */
export function fileLabel(path: string): string {
  return path === '-' ? 'stdin' : path;
}

/** Whether two paths name the same file (both existing), or the same path when either does not. */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    try {
      return realpathIfAny(a) === realpathIfAny(b);
    } catch {
      return false;
    }
  }
}

/**
 * The path a file resolves to (links followed); for a file not made yet, its resolved directory
 * and its name. Throws when the directory does not resolve either.
 */
export function realpathIfAny(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return join(realpathSync(dirname(path)), basename(path));
  }
}

/**
 * A file written whole or not at all, in pieces. For a regular file or a new path, text goes to a
 * temporary file beside the target (`.NAME.PID.HEX.tmp`), buffered; `commit` flushes it to disk
 * and renames it over the target, `abort` deletes it. A crash mid-write leaves the old file as it
 * was, and at worst a temporary file, which the next write to the same path removes once its
 * writer no longer runs.
 *
 * A symbolic link is followed: its target is replaced, the link kept (and {@link note} says so).
 * Anything else that exists — a FIFO, a character device such as `/dev/null`, a socket — is
 * written through as it is, never replaced by a regular file. A directory is refused.
 */
export class AtomicFile {
  private readonly tmp: string | undefined;
  private readonly target: string;
  private fd: number | undefined;
  private readonly out: ChunkSink;
  /** What the user should know about where the text went, or `undefined`. */
  readonly note: string | undefined;

  constructor(private readonly path: string) {
    let st: Stats | undefined;
    try {
      st = lstatSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new CliError(`${path}: cannot write: ${describeErrno(err)}`, EXIT_IO);
    }
    let target = path;
    let note: string | undefined;
    if (st?.isSymbolicLink()) {
      try {
        target = realpathSync(path);
      } catch (err) {
        throw new CliError(
          `${path}: is a symbolic link to nothing (${describeErrno(err)}); not written`,
          EXIT_IO,
        );
      }
      st = statSync(target);
      note = `through the symbolic link to ${target}`;
    }
    this.target = target;
    if (st?.isDirectory()) throw new CliError(`${path}: is a directory`, EXIT_IO);
    try {
      if (st === undefined || st.isFile()) {
        removeDeadTemps(target);
        this.tmp = join(
          dirname(target),
          `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
        );
        this.fd = openSync(this.tmp, 'wx', st === undefined ? 0o644 : st.mode & 0o7777);
      } else {
        // A FIFO, a device, a socket: written through, never replaced.
        this.fd = openSync(target, constants.O_WRONLY);
        note = note ?? 'written through: not a regular file';
      }
    } catch (err) {
      throw new CliError(`${path}: cannot write: ${describeErrno(err)}`, EXIT_IO);
    }
    this.note = note;
    const fd = this.fd;
    this.out = new ChunkSink((text) => writeFully(fd, Buffer.from(text, 'utf8')));
  }

  write(text: string): void {
    try {
      this.out.write(text);
    } catch (err) {
      this.abort();
      throw new CliError(`${this.path}: cannot write: ${describeErrno(err)}`, EXIT_IO);
    }
  }

  commit(): void {
    try {
      this.out.flush();
      if (this.tmp !== undefined) fsyncSync(this.fd!);
      closeSync(this.fd!);
      this.fd = undefined;
      if (this.tmp !== undefined) {
        renameSync(this.tmp, this.target);
        syncDir(dirname(this.target));
      }
    } catch (err) {
      this.abort();
      throw new CliError(`${this.path}: cannot write: ${describeErrno(err)}`, EXIT_IO);
    }
  }

  abort(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // closing after a failed write can fail the same way; the descriptor is gone either way
      }
    }
    this.fd = undefined;
    if (this.tmp !== undefined) rmSync(this.tmp, { force: true });
  }
}

/** Temporary files of earlier writes to `target` whose writer no longer runs. */
function removeDeadTemps(target: string): void {
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length - 1));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isRunning(pid)) continue;
    rmSync(join(dirname(target), name), { force: true });
  }
}

/** Whether a process runs on this host. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** `fsync` of a directory, so a file just created or renamed there survives a power loss. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a directory; the data itself is synced
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes a file whole or not at all (see {@link AtomicFile}). */
export function writeAtomic(path: string, content: string): void {
  const file = new AtomicFile(path);
  file.write(content);
  file.commit();
}

/** Text written in many small pieces, handed on about a megabyte at a time. */
export class ChunkSink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly sink: (text: string) => void) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.sink(text);
  }
}

/**
 * A message made safe for one line of a terminal: control characters (a newline quoted from a
 * file, say) are written as escapes, so one problem is always one line.
 */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters replaced
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

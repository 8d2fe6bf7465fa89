/**
 * File helpers for the CLI: the only place in the package that touches files.
 *
 * @module
 * @internal
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readJsonText } from '../validate/json.js';

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

/** Reads a file's bytes, with a readable error when it is missing. */
function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}`,
    );
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a UTF-8 text file; bytes that are not UTF-8 are refused, never replaced. */
export function readText(path: string): string {
  try {
    return UTF8.decode(readBytes(path));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${path}: not valid UTF-8`);
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
      `${path}: ${r.issue.path === '' ? '' : `${r.issue.path}: `}${r.issue.message} (invalid_json)`,
    );
  return r.value;
}

/**
 * A file written whole or not at all, in pieces: text goes to a temporary file beside the target,
 * buffered; `commit` flushes it to disk and renames it over the target, `abort` deletes it. A
 * crash mid-write leaves the old file as it was.
 */
export class AtomicFile {
  private readonly tmp: string;
  private fd: number | undefined;
  private chunks: string[] = [];
  private size = 0;

  constructor(private readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      this.fd = openSync(this.tmp, 'wx');
    } catch (err) {
      throw new CliError(`${path}: cannot write: ${(err as Error).message}`);
    }
  }

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }

  commit(): void {
    try {
      this.flush();
      fsyncSync(this.fd!);
      closeSync(this.fd!);
      this.fd = undefined;
      renameSync(this.tmp, this.path);
    } catch (err) {
      this.abort();
      throw new CliError(`${this.path}: cannot write: ${(err as Error).message}`);
    }
  }

  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    const buf = Buffer.from(this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.size = 0;
    let at = 0;
    while (at < buf.length) at += writeSync(this.fd!, buf, at, buf.length - at);
  }
}

/** Writes a file whole or not at all (see {@link AtomicFile}). */
export function writeAtomic(path: string, content: string): void {
  const file = new AtomicFile(path);
  try {
    file.write(content);
  } catch (err) {
    file.abort();
    throw err;
  }
  file.commit();
}

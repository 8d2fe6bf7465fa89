/**
 * Messages a new user met in a trial from a fresh clone (2026-12-06): each names the right thing,
 * where the problem is, and the code, in the one form every other problem is printed in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearCycle, verifyCycle } from '../../src/index.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { runCli } from '../helpers/cli.js';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

const run = (...argv: string[]) => runCli(argv);

const dir = () => mkdtempSync(join(tmpdir(), 'mgc-msg-'));

describe('CLI messages', () => {
  it("a book's own `timestamp` field is the book's problem, not the --timestamp option's", () => {
    const book = join(dir(), 'book.json');
    writeFileSync(book, JSON.stringify({ offers: [], bids: [], timestamp: 'x' }));
    const r = run('clear', book, '--timestamp', T0);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${book}: timestamp: unknown field "timestamp" (unknown_field)`);
  });

  it('a trailing comma is placed by line and column', () => {
    const book = join(dir(), 'comma.json');
    writeFileSync(book, '{"offers": [\n  {"id": "a"},\n ], "bids": []}\n');
    const r = run('clear', book, '--timestamp', T0);
    expect(r.code).toBe(1);
    // Line 3, column 2: the `]` after the comma.
    expect(r.err).toMatch(/\(line 3, column 2\) \(invalid_json\)$/);
  });

  it('a text cut short is placed at its end; text V8 quotes is not taken for a position', () => {
    const d = dir();
    const cut = join(d, 'cut.json');
    writeFileSync(cut, '{"a": nul');
    expect(run('clear', cut).err).toMatch(
      /end of JSON input \(line 1, column 10\) \(invalid_json\)$/,
    );
    const quoted = join(d, 'quoted.json');
    writeFileSync(quoted, '["at position 3",]');
    expect(run('clear', quoted).err).toMatch(/\(line 1, column 18\) \(invalid_json\)$/);
  });

  it('a book read from stdin is named `stdin`, not `-`', () => {
    const bad = spawnSync(process.execPath, [CLI, 'clear', '-', '--timestamp', T0], {
      input: '{"offers": [], "bids": [',
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^stdin: the file is not valid JSON: .*\(line 1, column 25\)/);
    const unknown = spawnSync(process.execPath, [CLI, 'clear', '-', '--timestamp', T0], {
      input: '{"offers": [], "bids": [], "extra": 1}',
      encoding: 'utf8',
    });
    expect(unknown.stderr.trim()).toBe('stdin: extra: unknown field "extra" (unknown_field)');
    const binary = spawnSync(process.execPath, [CLI, 'clear', '-', '--timestamp', T0], {
      input: Buffer.from([0x7b, 0xff, 0x7d]),
      encoding: 'utf8',
    });
    expect(binary.stderr.trim()).toBe('stdin: not valid UTF-8');
  });

  it('a timestamp before the chain tip is the option’s, printed as message (code)', () => {
    const d = dir();
    const book = join(d, 'book.json');
    const chain = join(d, 'chain.jsonl');
    writeFileSync(book, JSON.stringify({ offers: [], bids: [] }));
    expect(run('clear', book, '--timestamp', '2026-01-01T00:00:10Z', '--chain', chain).code).toBe(
      0,
    );
    const r = run('clear', book, '--timestamp', '2026-01-01T00:00:00Z', '--chain', chain);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^--timestamp: .*earlier than .* \(timestamp_before_previous\)$/);
    expect(readFileSync(chain, 'utf8').trim().split('\n')).toHaveLength(1);
    // With no --timestamp the clock's time (here T0, before the tip) is named, not the option.
    const late = join(d, 'late.jsonl');
    expect(run('clear', book, '--timestamp', '2026-06-01T00:00:00Z', '--chain', late).code).toBe(0);
    expect(run('clear', book, '--chain', late).err).toMatch(
      /^the clock's time \(no --timestamp given\): .* \(timestamp_before_previous\)$/,
    );
  });

  it('examples/book.json, the README’s starting book, clears', () => {
    const r = run('clear', join(ROOT, 'examples', 'book.json'), '--format', 'table');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^P2P trades \(4\)/);
    const book: unknown = JSON.parse(readFileSync(join(ROOT, 'examples', 'book.json'), 'utf8'));
    expect(book).toEqual(WORKED_EXAMPLE);
  });
});

describe('verifyCycle given something other than a block', () => {
  const result = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });

  it('says so for a whole result, and how to pass its block', () => {
    // A caller in plain JavaScript (TypeScript refuses this).
    const verdict = verifyCycle(WORKED_EXAMPLE, {}, result as never);
    expect(verdict).toEqual({
      ok: false,
      reason: 'expected a block, got a cycle result: pass its `block` (result.block)',
    });
  });

  it("says so for a market's cycle, and refuses a field the block hash does not cover", () => {
    expect(verifyCycle(WORKED_EXAMPLE, {}, { result } as never)).toEqual({
      ok: false,
      reason: "expected a block, got a market's cycle: pass `cycle.result.block`",
    });
    expect(verifyCycle(WORKED_EXAMPLE, {}, { ...result.block, note: 1 } as never)).toEqual({
      ok: false,
      reason: 'the block has the field "note", which the block hash does not cover',
    });
  });

  it('names the first missing field of anything else', () => {
    const { hash: _, ...headless } = result.block;
    expect(verifyCycle(WORKED_EXAMPLE, {}, headless as never)).toEqual({
      ok: false,
      reason: 'the block is missing "hash"',
    });
    expect(verifyCycle(WORKED_EXAMPLE, {}, result.block)).toEqual({ ok: true });
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, CliError, writeAtomic } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { type Block, clearCycle, verifyChain } from '../../src/index.js';
import { WORKED_EXAMPLE } from '../helpers/books.js';

describe('atomic files', () => {
  it('a write that never commits (a crash) leaves the old file and no temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-atomic-'));
    const path = join(dir, 'result.json');
    writeFileSync(path, 'old');
    const f = new AtomicFile(path);
    f.write('x'.repeat(3 << 20)); // flushed to the temp file in pieces
    expect(readFileSync(path, 'utf8')).toBe('old');
    f.abort();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['result.json']);
  });

  it('commits whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-atomic-'));
    const path = join(dir, 'r.json');
    writeAtomic(path, 'new content');
    expect(readFileSync(path, 'utf8')).toBe('new content');
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('a target in a missing folder is refused with a message, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-atomic-'));
    expect(() => writeAtomic(join(dir, 'nope', 'r.json'), 'x')).toThrow(CliError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('clear with a bad book leaves an existing result file as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-atomic-'));
    const out = join(dir, 'result.json');
    writeFileSync(out, 'previous result');
    writeFileSync(join(dir, 'book.json'), '{"offers":[],"bids":[{"id":"c"}]}');
    const code = main(['clear', join(dir, 'book.json'), '--out', out], {
      out: () => {},
      err: () => {},
      now: () => '2026-01-01T00:00:00Z',
    });
    expect(code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('previous result');
  });

  it('the CLI refuses a file that is not UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-utf8-'));
    writeFileSync(join(dir, 'book.json'), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    const err: string[] = [];
    expect(
      main(['clear', join(dir, 'book.json')], {
        out: () => {},
        err: (t) => err.push(t),
        now: () => '',
      }),
    ).toBe(1);
    expect(err.join()).toMatch(/not valid UTF-8/);
    expect(existsSync(join(dir, 'book.json'))).toBe(true);
  });
});

describe('chains', () => {
  function chain(seed: string): Block[] {
    const out: Block[] = [];
    let prev: Block | undefined;
    for (let i = 0; i < 3; i++) {
      const book = {
        ...WORKED_EXAMPLE,
        bids: WORKED_EXAMPLE.bids.map((b) => ({ ...b, id: `${seed}${b.id}` })),
      };
      prev = clearCycle(book, {}, { timestamp: `2026-01-01T00:0${i}:00Z`, previous: prev }).block;
      out.push(prev);
    }
    return out;
  }
  it('a spliced chain fails where the splice is', () => {
    const a = chain('a');
    const b = chain('b');
    expect(verifyChain(a)).toEqual({ ok: true });
    expect(verifyChain([a[0]!, a[1]!, b[2]!])).toMatchObject({
      ok: false,
      height: 2,
      reason: expect.stringMatching(/previousHash/),
    });
    expect(verifyChain([a[0]!, b[1]!, b[2]!])).toMatchObject({ ok: false, height: 1 });
  });
});

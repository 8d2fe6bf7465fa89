/**
 * Chain files and outputs under concurrency, crashes and hostile lines (docs/operations.md). The
 * races and crashes run the built CLI (`dist/cli.js`, made by `npm test` before the suite) as real
 * processes on one file.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'mgc-chain-'));
}

function run(...argv: string[]): { code: number; out: string; err: string; pieces: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const pieces: string[] = [];
  const code = main(argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    write: (t) => pieces.push(t),
    now: () => '2026-06-01T12:00:00Z',
  });
  if (typeof code !== 'number') throw new Error('a file command answered asynchronously');
  return { code, out: out.join('\n') + pieces.join(''), err: err.join('\n'), pieces };
}

function bookFile(dir: string): string {
  const path = join(dir, 'book.json');
  writeFileSync(path, JSON.stringify(WORKED_EXAMPLE));
  return path;
}

function chainLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/** Runs the built CLI as a process; resolves with its exit status and output. */
function spawnCli(
  args: string[],
  onSpawn?: (child: ChildProcess) => void,
): Promise<{ code: number | null; signal: string | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => {
      err += String(d);
    });
    onSpawn?.(child);
    child.on('close', (code, signal) => resolve({ code, signal, err }));
  });
}

function ts(second: number): string {
  return new Date(Date.parse(T0) + second * 1000).toISOString().replace('.000Z', 'Z');
}

/** A small deterministic generator for the crash test's delays. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('clear --chain under concurrency', () => {
  it('20 races of 3 processes on one chain: every run that exits 0 has its block in it, and it verifies', async () => {
    const dir = tmp();
    const book = bookFile(dir);
    const chain = join(dir, 'chain.jsonl');
    const hashes: string[] = [];
    for (let round = 0; round < 20; round++) {
      const runs = await Promise.all(
        [0, 1, 2].map(async (k) => {
          const out = join(dir, `r-${round}-${k}.json`);
          const r = await spawnCli([
            'clear',
            book,
            '--timestamp',
            ts(round),
            '--chain',
            chain,
            '--out',
            out,
          ]);
          return { ...r, out };
        }),
      );
      for (const r of runs) {
        expect(r.err).not.toMatch(/\n\s+at /);
        expect(r.code, r.err).toBe(0);
        hashes.push(JSON.parse(readFileSync(r.out, 'utf8')).block.hash);
      }
    }
    const lines = chainLines(chain);
    expect(lines).toHaveLength(60);
    const inChain = lines.map((l) => JSON.parse(l).hash);
    expect(new Set(inChain).size).toBe(60);
    for (const h of hashes) expect(inChain).toContain(h);
    expect(run('verify', chain)).toMatchObject({
      code: 0,
      out: expect.stringMatching(/ok, 60 blocks/),
    });
    expect(existsSync(`${chain}.lock`)).toBe(false);
  }, 120_000);

  it('a run that cannot get the lock in time exits 75 with one line and clears nothing', () => {
    const dir = tmp();
    const book = bookFile(dir);
    const chain = join(dir, 'chain.jsonl');
    expect(run('clear', book, '--timestamp', T0, '--chain', chain).code).toBe(0);
    const before = readFileSync(chain);
    // A live holder: this very test process, recorded as another pid that runs (our parent).
    writeFileSync(
      `${chain}.lock`,
      JSON.stringify({ pid: process.ppid, host: hostname(), nonce: 'x', size: before.length }),
    );
    const r = run('clear', book, '--timestamp', T0, '--chain', chain, '--lock-timeout', '0.2');
    expect(r.code).toBe(75);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/locked by process \d+ on this host; gave up after/);
    expect(readFileSync(chain)).toEqual(before);
  });
});

describe('clear --chain and kill -9', () => {
  it('killed at random moments, 12 times: the chain stays whole, verifies, and holds every block of a run that exited 0', async () => {
    const dir = tmp();
    const book = bookFile(dir);
    const chain = join(dir, 'chain.jsonl');
    const random = lcg(16);
    const done: string[] = [];
    let second = 0;
    for (let round = 0; round < 12; round++) {
      const out = join(dir, `k-${round}.json`);
      const heightBefore = existsSync(chain) ? chainLines(chain).length : 0;
      const delay = Math.floor(random() * 250);
      const killed = await spawnCli(
        ['clear', book, '--timestamp', ts(second++), '--chain', chain, '--out', out],
        (child) => setTimeout(() => child.kill('SIGKILL'), delay),
      );
      const after = existsSync(chain) ? chainLines(chain) : [];
      if (killed.code === 0) done.push(JSON.parse(readFileSync(out, 'utf8')).block.hash);
      // The result is written before the block is appended: a block in the chain has its result.
      if (after.length > heightBefore) {
        expect(existsSync(out)).toBe(true);
        expect(JSON.parse(readFileSync(out, 'utf8')).block.hash).toBe(
          JSON.parse(after.at(-1)!).hash,
        );
      }
      // What a kill leaves verifies as it is (a block appended whole, or none) …
      if (existsSync(chain)) expect(run('verify', chain).code, run('verify', chain).err).toBe(0);
      // … and the next run goes on from it, breaking the dead holder's lock.
      const next = join(dir, `n-${round}.json`);
      const r = await spawnCli([
        'clear',
        book,
        '--timestamp',
        ts(second++),
        '--chain',
        chain,
        '--out',
        next,
      ]);
      expect(r.code, r.err).toBe(0);
      done.push(JSON.parse(readFileSync(next, 'utf8')).block.hash);
    }
    const inChain = chainLines(chain).map((l) => JSON.parse(l).hash);
    for (const h of done) expect(inChain).toContain(h);
    expect(run('verify', chain).code).toBe(0);
    expect(existsSync(`${chain}.lock`)).toBe(false);
    // Temporary files of killed runs are removed by the next write to the same path.
    const stray = readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    for (const name of stray) expect(name).toMatch(/^\.k-\d+\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
  }, 120_000);

  it('a block cut short by a dead writer is removed at the size its lock recorded, then the new block appended', () => {
    const dir = tmp();
    const book = bookFile(dir);
    const chain = join(dir, 'chain.jsonl');
    expect(run('clear', book, '--timestamp', T0, '--chain', chain).code).toBe(0);
    const whole = readFileSync(chain);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(
      `${chain}.lock`,
      JSON.stringify({ pid: dead, host: hostname(), nonce: 'dead', size: whole.length }),
    );
    writeFileSync(chain, Buffer.concat([whole, Buffer.from('{"height":1,"previousHash":"ab')]));
    expect(run('verify', chain)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/block 1: line 2 is not valid JSON \(truncated last line\?/),
    });
    const r = run('clear', book, '--timestamp', ts(1), '--chain', chain);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /broke a stale lock \(process \d+ no longer runs\); removed the 30 bytes/,
    );
    expect(chainLines(chain)).toHaveLength(2);
    expect(run('verify', chain).code).toBe(0);
  });
});

describe('clear --chain checks the chain before it appends', () => {
  function chainOf3(dir: string, book: string): { chain: string; lines: string[] } {
    const chain = join(dir, 'chain.jsonl');
    for (let s = 0; s < 3; s++)
      expect(run('clear', book, '--timestamp', ts(s), '--chain', chain).code).toBe(0);
    return { chain, lines: chainLines(chain) };
  }

  const broken: [string, (lines: string[]) => string[], RegExp][] = [
    [
      'an edited amount',
      (l) => [l[0]!, l[1]!, l[2]!.replace('"amount":"2.6"', '"amount":"26"')],
      /block 2: merkleRoot does not match/,
    ],
    ['a deleted middle block', (l) => [l[0]!, l[2]!], /block 1: expected height 1/],
    ['a duplicated last block', (l) => [...l, l[2]!], /block 3: expected height 3/],
    ['a null line', (l) => [...l, 'null'], /block 3: is not a block object/],
  ];
  for (const [what, edit, reason] of broken) {
    it(`refuses to append to a chain with ${what}, and leaves it as it was`, () => {
      const dir = tmp();
      const book = bookFile(dir);
      const { chain, lines } = chainOf3(dir, book);
      writeFileSync(chain, `${edit(lines).join('\n')}\n`);
      const before = readFileSync(chain);
      const r = run('clear', book, '--timestamp', ts(9), '--chain', chain);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(reason);
      expect(r.err).toMatch(/nothing was cleared or appended/);
      expect(readFileSync(chain)).toEqual(before);
    });
  }

  it('appends one line and never rewrites the file (the old bytes stay where they were)', () => {
    const dir = tmp();
    const book = bookFile(dir);
    const { chain } = chainOf3(dir, book);
    const before = readFileSync(chain);
    const inode = statSync(chain).ino;
    expect(run('clear', book, '--timestamp', ts(5), '--chain', chain).code).toBe(0);
    const after = readFileSync(chain);
    expect(statSync(chain).ino).toBe(inode);
    expect(after.subarray(0, before.length)).toEqual(before);
    expect(after.subarray(before.length).toString('utf8').split('\n')).toHaveLength(2);
  });

  it('ends a last line written without its newline before appending', () => {
    const dir = tmp();
    const book = bookFile(dir);
    const { chain } = chainOf3(dir, book);
    writeFileSync(chain, readFileSync(chain, 'utf8').trimEnd());
    expect(run('clear', book, '--timestamp', ts(5), '--chain', chain).code).toBe(0);
    expect(chainLines(chain)).toHaveLength(4);
    expect(run('verify', chain).code).toBe(0);
  });

  it('refuses --previous with --chain, and --out naming the chain (also through a link)', () => {
    const dir = tmp();
    const book = bookFile(dir);
    const { chain } = chainOf3(dir, book);
    const before = readFileSync(chain);
    expect(run('clear', book, '--chain', chain, '--previous', chain)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/give one of them/),
    });
    expect(run('clear', book, '--chain', chain, '--out', chain)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--out and --chain name the same file/),
    });
    symlinkSync(chain, join(dir, 'alias.jsonl'));
    expect(run('clear', book, '--chain', chain, '--out', join(dir, 'alias.jsonl')).code).toBe(2);
    expect(readFileSync(chain)).toEqual(before);
  });
});

describe('chain lines are read strictly', () => {
  function oneBlockChain(dir: string): string {
    const chain = join(dir, 'chain.jsonl');
    expect(run('clear', bookFile(dir), '--timestamp', T0, '--chain', chain).code).toBe(0);
    return readFileSync(chain, 'utf8').trimEnd();
  }

  const hostile: [string, (line: string) => string, RegExp][] = [
    [
      'two "transactions" arrays (the first a fake)',
      (l) => l.replace('{"height"', '{"transactions":[{"type":"trade","fake":true}],"height"'),
      /duplicate key "transactions"/,
    ],
    [
      'a duplicate "hash"',
      (l) => l.replace('{"height"', `{"hash":"${'0'.repeat(64)}","height"`),
      /duplicate key "hash"/,
    ],
    [
      'an extra field the hash does not cover',
      (l) => l.replace('{"height"', '{"settlement":{"fake":true},"height"'),
      /has the field "settlement", which the block hash does not cover/,
    ],
    [
      'a __proto__ key',
      (l) => l.replace('{"height"', '{"__proto__":{"ok":true},"height"'),
      /has the field "__proto__"/,
    ],
    [
      'an extra counter',
      (l) => l.replace('"counters":{', '"counters":{"bonus":1,'),
      /"counters" has the field "bonus"/,
    ],
  ];
  for (const [what, edit, reason] of hostile) {
    it(`verify refuses a line with ${what}`, () => {
      const dir = tmp();
      const line = oneBlockChain(dir);
      const edited = edit(line);
      expect(edited).not.toBe(line);
      const path = join(dir, 'edited.jsonl');
      writeFileSync(path, `${edited}\n`);
      expect(run('verify', path)).toMatchObject({
        code: 1,
        err: expect.stringMatching(reason),
      });
    });
  }

  it('reads a chain line by line across read chunks, and names a line that is not UTF-8', () => {
    const dir = tmp();
    const book = join(dir, 'big.json');
    expect(run('gen', '--size', '4000', '--out', book).code).toBe(0);
    const chain = join(dir, 'chain.jsonl');
    for (let s = 0; s < 4; s++)
      expect(run('clear', book, '--timestamp', ts(s), '--chain', chain).code).toBe(0);
    const bytes = readFileSync(chain);
    // Blocks of several hundred kB: the file crosses the 1 MiB read chunk.
    expect(bytes.length).toBeGreaterThan(2 ** 20);
    expect(run('verify', chain)).toMatchObject({
      code: 0,
      out: expect.stringMatching(/ok, 4 blocks verified .*Merkle roots of 4/),
    });
    const bad = Buffer.concat([bytes, Buffer.from([0xff, 0x0a])]);
    writeFileSync(join(dir, 'bad.jsonl'), bad);
    expect(run('verify', join(dir, 'bad.jsonl')).err).toMatch(/block 4: line 5 is not valid UTF-8/);
  });
});

describe('--out never replaces what is not a regular file', () => {
  it('writes through a FIFO (a reader gets the RESULT; the FIFO stays a FIFO)', async () => {
    const dir = tmp();
    const book = bookFile(dir);
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reading = new Promise<string>((resolve) => {
      let text = '';
      createReadStream(fifo)
        .on('data', (d) => {
          text += String(d);
        })
        .on('end', () => resolve(text));
    });
    const r = await spawnCli(['clear', book, '--timestamp', T0, '--out', fifo]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(await reading).block.height).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(r.err).toMatch(/written through: not a regular file/);
  });

  it('follows a symbolic link: the link stays, its target is replaced whole', () => {
    const dir = tmp();
    const book = bookFile(dir);
    const target = join(dir, 'target.json');
    writeFileSync(target, 'old');
    const link = join(dir, 'latest.json');
    symlinkSync(target, link);
    const r = run('clear', book, '--timestamp', T0, '--out', link);
    expect(r.code, r.err).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).block.height).toBe(0);
    expect(r.err).toMatch(/through the symbolic link to .*target\.json/);
  });

  it('refuses a directory and a dangling link with one line, exit 74', () => {
    const dir = tmp();
    const book = bookFile(dir);
    expect(run('clear', book, '--timestamp', T0, '--out', dir)).toMatchObject({
      code: 74,
      err: expect.stringMatching(/is a directory$/),
    });
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(run('clear', book, '--timestamp', T0, '--out', join(dir, 'dangling'))).toMatchObject({
      code: 74,
      err: expect.stringMatching(/symbolic link to nothing/),
    });
  });

  it('a result that cannot be written leaves the chain without its block (the reader of a FIFO went away)', async () => {
    const dir = tmp();
    // More than a pipe holds (64 kB), so the writer is still writing when the reader leaves.
    const book = join(dir, 'big.json');
    expect(run('gen', '--size', '2000', '--out', book).code).toBe(0);
    const chain = join(dir, 'chain.jsonl');
    expect(run('clear', book, '--timestamp', T0, '--chain', chain).code).toBe(0);
    const before = readFileSync(chain);
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // A reader that opens and closes at once: the writer gets EPIPE.
    const opened = new Promise<void>((resolve) => {
      const s = createReadStream(fifo, { highWaterMark: 1 });
      s.once('open', () => {
        s.destroy();
        resolve();
      });
    });
    const r = await spawnCli([
      'clear',
      book,
      '--timestamp',
      ts(1),
      '--chain',
      chain,
      '--out',
      fifo,
    ]);
    await opened;
    expect(r.code).toBe(74);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/cannot write: the reader went away \(broken pipe\) \(EPIPE\)/);
    expect(readFileSync(chain)).toEqual(before);
  });
});

describe('stdout', () => {
  it('a full device (/dev/full): exit 74, one line, no stack, and no block appended', () => {
    const dir = tmp();
    const book = bookFile(dir);
    const chain = join(dir, 'chain.jsonl');
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(
        process.execPath,
        [CLI, 'clear', book, '--timestamp', T0, '--chain', chain],
        {
          stdio: ['ignore', full, 'pipe'],
          encoding: 'utf8',
        },
      );
      expect(r.status).toBe(74);
      expect(r.stderr.trim().split('\n')).toEqual([
        'stdout: cannot write: no space left on device (ENOSPC)',
      ]);
      expect(existsSync(chain) ? readFileSync(chain, 'utf8') : '').toBe('');
    } finally {
      closeSync(full);
    }
  });

  it('a large RESULT goes to stdout in pieces of about a megabyte, never one string', () => {
    const dir = tmp();
    const book = join(dir, 'big.json');
    expect(run('gen', '--size', '5000', '--out', book).code).toBe(0);
    const r = run('clear', book, '--timestamp', T0);
    expect(r.code, r.err).toBe(0);
    expect(r.pieces.length).toBeGreaterThan(1);
    for (const p of r.pieces) expect(p.length).toBeLessThan(1.5 * 2 ** 20);
    const result = JSON.parse(r.pieces.join(''));
    expect(result.trades.length).toBeGreaterThan(1000);
  });
});

describe('messages', () => {
  it('a parse error quoting a newline stays on one line', () => {
    const dir = tmp();
    const path = join(dir, 'book.json');
    writeFileSync(path, '{"offers": [\n\n  }');
    const r = run('clear', path, '--timestamp', T0);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it('a book with one byte-order mark is read; with two, refused', () => {
    const dir = tmp();
    const one = join(dir, 'one.json');
    writeFileSync(one, `\ufeff${JSON.stringify(WORKED_EXAMPLE)}`);
    expect(run('clear', one, '--timestamp', T0).code).toBe(0);
    const two = join(dir, 'two.json');
    writeFileSync(two, `\ufeff\ufeff${JSON.stringify(WORKED_EXAMPLE)}`);
    const r = run('clear', two, '--timestamp', T0);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/invalid_json/);
  });

  it('one lock for a chain reached through a symbolic link; the clock is read under the lock (no --timestamp, 5 races: all exit 0)', async () => {
    const dir = tmp();
    const book = bookFile(dir);
    const chain = join(dir, 'chain.jsonl');
    const link = join(dir, 'link.jsonl');
    writeFileSync(chain, '');
    symlinkSync(chain, link);
    for (let round = 0; round < 5; round++) {
      const runs = await Promise.all(
        [chain, link, link].map((path) => spawnCli(['clear', book, '--chain', path])),
      );
      for (const r of runs) expect(r.code, r.err).toBe(0);
    }
    expect(chainLines(chain)).toHaveLength(15);
    expect(run('verify', chain)).toMatchObject({
      code: 0,
      out: expect.stringMatching(/ok, 15 blocks/),
    });
    expect(existsSync(`${chain}.lock`) || existsSync(`${link}.lock`)).toBe(false);
  }, 60_000);

  it('refuses CRLF lines; verify of an empty chain fails; unreadable inputs exit 74', () => {
    const dir = tmp();
    const book = bookFile(dir);
    const chain = join(dir, 'chain.jsonl');
    expect(run('clear', book, '--timestamp', T0, '--chain', chain).code).toBe(0);
    const crlf = join(dir, 'crlf.jsonl');
    writeFileSync(crlf, readFileSync(chain, 'utf8').replace('\n', '\r\n'));
    expect(run('verify', crlf)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/block 0: line 1 ends with a carriage return/),
    });
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    expect(run('verify', empty)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/holds no blocks/),
    });
    expect(run('clear', join(dir, 'nope.json'), '--timestamp', T0)).toMatchObject({
      code: 74,
      err: expect.stringMatching(/no such file or directory \(ENOENT\)$/),
    });
    expect(run('clear', book, '--timestamp', T0, '--chain', dir)).toMatchObject({
      code: 74,
      err: expect.stringMatching(/is a directory$/),
    });
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayProfile } from '../../src/cli/demo.js';
import { BOOK_KINDS, generateBook, generateBookText } from '../../src/cli/generators.js';
import { type Carrier, verifyChain } from '../../src/index.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { runCli } from '../helpers/cli.js';

const run = (...argv: string[]) => runCli(argv, '2026-06-01T12:00:00Z');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'mgc-cli-'));
}

function write(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const RESULT_FIELDS = [
  'trades',
  'poolPurchases',
  'poolTrades',
  'unsold',
  'supplyIdPool',
  'consumerIdRest',
  'counters',
  'settlement',
  'block',
];

describe('microgrid-clearing clear', () => {
  it('writes the RESULT contract to --out, whole', () => {
    const dir = tmp();
    const book = write(dir, 'book.json', WORKED_EXAMPLE);
    const out = join(dir, 'result.json');
    const r = run('clear', book, '--timestamp', T0, '--out', out);
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    for (const f of RESULT_FIELDS) expect(result).toHaveProperty(f);
    expect(result.trades[0]).toEqual({
      bidId: 'c2',
      offerId: 's1',
      buyer: 'h2',
      seller: 'p1',
      carrier: 'electricity',
      quantity: '8',
      price: '0.325',
      amount: '2.6',
      supplierFee: '0.013',
      consumerFee: '0.013',
    });
    expect(result.block.hash).toBe(
      '390a62bbc58fd5b189949f573ce7e569ae707ea9d1d3696a919bb544a18717a2',
    );
  });

  it('prints a readable table with --format table', () => {
    const dir = tmp();
    const r = run(
      'clear',
      write(dir, 'book.json', WORKED_EXAMPLE),
      '--timestamp',
      T0,
      '--format',
      'table',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/c2\s+s1\s+electricity\s+8\s+0\.325/);
    expect(r.out).toContain('supplyIdPool [s1]');
  });

  it('uses the config file and the clock when no timestamp is given', () => {
    const dir = tmp();
    const r = run(
      'clear',
      write(dir, 'book.json', WORKED_EXAMPLE),
      '--config',
      write(dir, 'c.json', { pricing: 'ask' }),
    );
    const result = JSON.parse(r.out);
    expect(result.trades[0].price).toBe('0.3');
    expect(result.block.timestamp).toBe('2026-06-01T12:00:00Z');
  });

  it('prints every problem of a bad book on its own line, with its path, no stack, no result file', () => {
    const dir = tmp();
    const bad = {
      offers: [
        { id: 's1', participant: 'p1', carrier: 'electricity', quantity: '-1', price: '0.3' },
      ],
      bids: [{ id: 'c1', participant: 'h1', carrier: 'steam', quantity: '4', price: 0.45 }],
    };
    const out = join(dir, 'result.json');
    const r = run('clear', write(dir, 'book.json', bad), '--out', out);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/book\.json: offers\[0\]\.quantity: .*\(negative\)$/);
    expect(lines[1]).toMatch(/bids\[0\]\.carrier: .*\(unknown_carrier\)$/);
    expect(lines[2]).toMatch(/bids\[0\]\.price: .*quote it.*\(number_not_allowed\)$/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('names bad JSON, a missing file, a bad config, a bad timestamp and a bad option', () => {
    const dir = tmp();
    const book = write(dir, 'book.json', WORKED_EXAMPLE);
    expect(run('clear', write(dir, 'x.json', '{"offers": [')).err).toMatch(
      /x\.json: the file is not valid JSON.*invalid_json/,
    );
    expect(run('clear', join(dir, 'nope.json')).err).toMatch(/nope\.json: no such file/);
    expect(run('clear', book, '--config', write(dir, 'c.json', { fixedPrice: '1e3' })).err).toMatch(
      /c\.json: fixedPrice: .*invalid_decimal/,
    );
    expect(run('clear', book, '--timestamp', 'yesterday')).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^--timestamp: .*invalid_timestamp/),
    });
    expect(run('clear', book, '--bogus').code).toBe(2);
  });

  it('--skip-invalid clears the valid orders and lists the refused ones', () => {
    const dir = tmp();
    const book = {
      ...WORKED_EXAMPLE,
      bids: [
        ...WORKED_EXAMPLE.bids,
        { id: 'bad', participant: 'x', carrier: 'electricity', quantity: '1', price: 'free' },
      ],
    };
    const r = run('clear', write(dir, 'book.json', book), '--timestamp', T0, '--skip-invalid');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^refused: .*bids\[3\]\.price/);
    expect(JSON.parse(r.out).trades).toHaveLength(4);
  });

  it('--chain appends blocks that verify, and verify names a tampered block', () => {
    const dir = tmp();
    const book = write(dir, 'book.json', WORKED_EXAMPLE);
    const chain = join(dir, 'chain.jsonl');
    for (const t of ['2026-01-01T00:00:00Z', '2026-01-01T00:00:30Z', '2026-01-01T00:01:00Z']) {
      expect(
        run('clear', book, '--timestamp', t, '--chain', chain, '--out', join(dir, 'r.json')).code,
      ).toBe(0);
    }
    const lines = readFileSync(chain, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(verifyChain(lines.map((l) => JSON.parse(l)))).toEqual({ ok: true });
    expect(run('verify', chain)).toMatchObject({
      code: 0,
      out: expect.stringMatching(/ok, 3 blocks verified/),
    });

    const tampered = lines.map((l, i) =>
      i === 1 ? l.replace('"quantity":"8"', '"quantity":"9"') : l,
    );
    expect(run('verify', write(dir, 't.jsonl', `${tampered.join('\n')}\n`))).toMatchObject({
      code: 1,
      err: expect.stringMatching(/block 1: merkleRoot/),
    });
    expect(run('verify', write(dir, 'u.jsonl', `${lines.join('\n').slice(0, -20)}`))).toMatchObject(
      { code: 1, err: expect.stringMatching(/block 2: line 3 is not valid JSON \(truncated/) },
    );
    const backwards = lines
      .slice(0, 2)
      .concat(lines[2]!.replace('"2026-01-01T00:01:00Z"', '"2025-01-01T00:01:00Z"'));
    expect(run('verify', write(dir, 'v.jsonl', backwards.join('\n'))).err).toMatch(
      /block 2: timestamp .* is earlier/,
    );
    expect(run('clear', book, '--timestamp', '2025-01-01T00:00:00Z', '--chain', chain).err).toMatch(
      /timestamp_before_previous/,
    );
  });

  it('shows help for each command', () => {
    for (const c of ['clear', 'verify', 'demo'])
      expect(run(c, '--help')).toMatchObject({
        code: 0,
        out: expect.stringContaining(`Usage: microgrid-clearing ${c}`),
      });
    expect(run('frobnicate').code).toBe(2);
  });
});

describe('microgrid-clearing gen', () => {
  it('writes a seeded book that parses and clears; the same seed gives the same bytes', () => {
    const dir = tmp();
    for (const kind of ['random', 'adversarial', 'all-or-none', 'realistic']) {
      const a = join(dir, `${kind}-a.json`);
      const b = join(dir, `${kind}-b.json`);
      expect(
        run('gen', '--size', '500', '--kind', kind, '--carriers', 'electricity,heat', '--out', a)
          .code,
      ).toBe(0);
      expect(
        run('gen', '--size', '500', '--kind', kind, '--carriers', 'electricity,heat', '--out', b)
          .code,
      ).toBe(0);
      expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
      const r = run('clear', a, '--timestamp', T0, '--out', join(dir, `${kind}-r.json`));
      expect(r.code).toBe(0);
      const book = JSON.parse(readFileSync(a, 'utf8'));
      expect(book.offers).toHaveLength(500);
      expect(book.bids).toHaveLength(500);
    }
    const c = join(dir, 'c.json');
    run('gen', '--size', '500', '--seed', '7', '--out', c);
    expect(readFileSync(c, 'utf8')).not.toBe(readFileSync(join(dir, 'random-a.json'), 'utf8'));
  });

  it('makes the text of the book the benchmarks make as objects, byte for byte', () => {
    for (const kind of BOOK_KINDS) {
      const o = {
        kind,
        size: 400,
        seed: 9,
        carriers: ['electricity', 'gas'] as Carrier[],
        profile: kind === 'realistic' ? dayProfile() : undefined,
      };
      expect(generateBookText(o)).toBe(JSON.stringify(generateBook(o)));
    }
  });

  it('refuses bad arguments with usage status', () => {
    expect(run('gen', '--size', '0', '--out', 'x.json').code).toBe(2);
    expect(run('gen', '--kind', 'weird', '--out', 'x.json').code).toBe(2);
    expect(run('gen', '--carriers', 'steam', '--out', 'x.json').code).toBe(2);
    expect(run('gen').code).toBe(2);
  });
});

describe('microgrid-clearing bench', () => {
  it('times every phase of small books against the floor', () => {
    const r = run('bench', '--size', '1000', '--kinds', 'random,adversarial,random-text');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\| random \| 1000 \| 1375 \|/);
    expect(r.out).toMatch(/\| adversarial \| 1000 \|/);
    // The same book as JSON text: the same trades.
    expect(r.out).toMatch(/\| random-text \| 1000 \| 1375 \|/);
    expect(r.out).toContain('all-in / floor');
    expect(r.out).toContain('all-in by columns trades/s');
    // Every row has as many cells as the heading.
    const rows = r.out.split('\n').filter((l) => l.startsWith('| '));
    const cells = (l: string) => l.split('|').length;
    for (const row of rows) expect(cells(row)).toBe(cells(rows[0]!));
  });
  it('refuses bad arguments with usage status', () => {
    expect(run('bench', '--size', 'many').code).toBe(2);
    expect(run('bench', '--kinds', 'weird').code).toBe(2);
    expect(run('bench', 'extra').code).toBe(2);
  });
});

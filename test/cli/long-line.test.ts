/**
 * A chain line longer than one string holds is read a record at a time (src/cli/long-line.ts).
 * Forcing that path on every line (`longLineBytes` = 1) must give the verdicts the ordinary path
 * gives, on good chains and on damaged ones.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChainFile } from '../../src/cli/chain-file.js';
import { main } from '../../src/cli/main.js';
import { nodeSha256Hasher } from '../../src/node/index.js';
import { WORKED_EXAMPLE } from '../helpers/books.js';

function chainOf(dir: string): string {
  // Ids with quotes, backslashes, braces and non-ASCII: the scanner must keep to strings.
  const book = {
    offers: [
      ...WORKED_EXAMPLE.offers,
      { id: 's"}]{\\\\', participant: 'p{4}', carrier: 'electricity', quantity: '3', price: '0.2' },
    ],
    bids: [
      ...WORKED_EXAMPLE.bids,
      { id: 'c,[é]', participant: 'h"5', carrier: 'electricity', quantity: '2', price: '0.7' },
    ],
  };
  const bookPath = join(dir, 'book.json');
  writeFileSync(bookPath, JSON.stringify(book));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ leafSize: 2 }));
  const chain = join(dir, 'chain.jsonl');
  const io = { out: () => undefined, err: () => undefined, now: () => '' };
  for (let s = 0; s < 3; s++)
    expect(
      main(
        [
          'clear',
          bookPath,
          '--config',
          config,
          '--timestamp',
          `2026-01-01T00:00:0${s}Z`,
          '--chain',
          chain,
        ],
        io,
      ),
    ).toBe(0);
  return chain;
}

const both = (path: string) => ({
  ordinary: readChainFile(path, nodeSha256Hasher),
  long: readChainFile(path, nodeSha256Hasher, false, 1),
});

describe('chain lines read a record at a time', () => {
  it('give the ordinary verdict on a good chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-long-'));
    const { ordinary, long } = both(chainOf(dir));
    expect(ordinary.problem).toBeUndefined();
    expect(long).toEqual(ordinary);
    expect(long.blocks).toBe(3);
    expect(long.withTransactions).toBe(3);
  });

  const damage: [string, (line: string) => string][] = [
    ['an edited amount', (l) => l.replace(/"amount":"(\d)/, '"amount":"9$1')],
    ['an extra field', (l) => l.replace('{"height"', '{"settlement":{"x":1},"height"')],
    ['a duplicate hash', (l) => l.replace('{"height"', `{"hash":"${'0'.repeat(64)}","height"`)],
    ['a second transactions array', (l) => l.replace(/\]\}$/, '],"transactions":[]}')],
    [
      'a dropped record',
      (l) => {
        const e = JSON.parse(l);
        e.transactions.splice(1, 1);
        return JSON.stringify(e);
      },
    ],
    ['a record that is not an object', (l) => l.replace('"transactions":[', '"transactions":[1,')],
    ['an edited counter', (l) => l.replace('"p2pTrades":', '"p2pTrades":1')],
    ['a cut line', (l) => l.slice(0, -40)],
  ];
  for (const [what, edit] of damage) {
    it(`refuse ${what} at the same height`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'mgc-long-'));
      const chain = chainOf(dir);
      const lines = readFileSync(chain, 'utf8').trimEnd().split('\n');
      const edited = edit(lines[1]!);
      expect(edited).not.toBe(lines[1]);
      writeFileSync(chain, `${[lines[0], edited, lines[2]].join('\n')}\n`);
      const { ordinary, long } = both(chain);
      expect(ordinary.problem?.height).toBe(1);
      expect(long.problem?.height).toBe(1);
      expect(long.blocks).toBe(1);
    });
  }

  it('ask for leafSize before the records, where only the long path can read the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-long-'));
    const chain = chainOf(dir);
    const lines = readFileSync(chain, 'utf8').trimEnd().split('\n');
    const entry = JSON.parse(lines[0]!);
    const { transactions, ...header } = entry;
    writeFileSync(chain, `${JSON.stringify({ transactions, ...header })}\n`);
    expect(both(chain).ordinary.problem).toBeUndefined();
    expect(both(chain).long.problem?.reason).toMatch(
      /"leafSize" .* must come before "transactions"/,
    );
  });
});

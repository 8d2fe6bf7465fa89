/**
 * A chain file larger than one JavaScript string can hold (~512 MiB): `verify` and `clear --chain`
 * read it line by line. It writes ~580 MB to the temporary directory and takes about a minute, so
 * it runs when `LARGE_FILES=1` (`.ci/run` sets it); `npm test` alone says it skipped it.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerHash } from '../../src/ledger/block.js';
import { canonicalJson } from '../../src/ledger/canonical-json.js';
import { leafHashes, merkleRoot } from '../../src/ledger/merkle.js';
import { nodeSha256Hasher as hasher } from '../../src/node/index.js';
import { WORKED_EXAMPLE } from '../helpers/books.js';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const run = process.env['LARGE_FILES'] === '1';
if (!run) console.log('large-files.test.ts: skipped (set LARGE_FILES=1 to write a 580 MB chain)');

describe.runIf(run)('a chain file over 512 MiB', () => {
  it('verifies, and takes one more block, read line by line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-large-'));
    const chain = join(dir, 'chain.jsonl');
    try {
      // 12 blocks of one 48 MB record each: the same record, so its Merkle root is worked out once.
      const transactions = [{ type: 'note', text: 'x'.repeat(48_000_000) }];
      const root = Buffer.from(
        merkleRoot(leafHashes([canonicalJson(transactions[0])], 64, hasher), hasher),
      ).toString('hex');
      const fd = openSync(chain, 'w');
      let previousHash = '0'.repeat(64);
      for (let height = 0; height < 12; height++) {
        const header = {
          height,
          previousHash,
          timestamp: '2026-01-01T00:00:00Z',
          merkleRoot: root,
          inputsHash: '1'.repeat(64),
          hasher: hasher.id,
          leafSize: 64,
          transactionCount: 1,
          counters: { p2pTrades: 0, p2pFailedBids: 0, poolTrades: 0, unservedBids: 0 },
        };
        const hash = headerHash(header, hasher);
        writeSync(fd, `${JSON.stringify({ ...header, hash, transactions })}\n`);
        previousHash = hash;
      }
      closeSync(fd);
      expect(statSync(chain).size).toBeGreaterThan(2 ** 29);

      const verify = spawnSync(process.execPath, [CLI, 'verify', chain], { encoding: 'utf8' });
      expect(verify.stderr).toBe('');
      expect(verify.stdout).toMatch(/ok, 12 blocks verified/);
      expect(verify.status).toBe(0);

      const book = join(dir, 'book.json');
      writeFileSync(book, JSON.stringify(WORKED_EXAMPLE));
      const clear = spawnSync(
        process.execPath,
        [
          CLI,
          'clear',
          book,
          '--timestamp',
          '2026-01-01T00:00:30Z',
          '--chain',
          chain,
          '--out',
          join(dir, 'r.json'),
        ],
        { encoding: 'utf8' },
      );
      expect(clear.stderr).toMatch(/block 12 [0-9a-f]{64}; wrote .*; appended it to/);
      expect(clear.status).toBe(0);
      const again = spawnSync(process.execPath, [CLI, 'verify', chain], { encoding: 'utf8' });
      expect(again.stdout).toMatch(/ok, 13 blocks verified/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it('one block line over 512 MiB verifies, read a record at a time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-large-'));
    const chain = join(dir, 'chain.jsonl');
    try {
      // One block of 12 records of 48 MB, a leaf each: a 576 MB line, never one string.
      const record = { type: 'note', text: 'y'.repeat(48_000_000) };
      const leaf = leafHashes([canonicalJson(record)], 1, hasher)[0]!;
      const root = Buffer.from(merkleRoot(Array(12).fill(leaf), hasher)).toString('hex');
      const header = {
        height: 0,
        previousHash: '0'.repeat(64),
        timestamp: '2026-01-01T00:00:00Z',
        merkleRoot: root,
        inputsHash: '1'.repeat(64),
        hasher: hasher.id,
        leafSize: 1,
        transactionCount: 12,
        counters: { p2pTrades: 0, p2pFailedBids: 0, poolTrades: 0, unservedBids: 0 },
      };
      const block = { ...header, hash: headerHash(header, hasher) };
      const fd = openSync(chain, 'w');
      const text = JSON.stringify(record);
      writeSync(fd, `${JSON.stringify(block).slice(0, -1)},"transactions":[`);
      for (let k = 0; k < 12; k++) writeSync(fd, k === 0 ? text : `,${text}`);
      writeSync(fd, ']}\n');
      closeSync(fd);
      expect(statSync(chain).size).toBeGreaterThan(2 ** 29);
      const verify = spawnSync(process.execPath, [CLI, 'verify', chain], { encoding: 'utf8' });
      expect(verify.stderr).toBe('');
      expect(verify.stdout).toMatch(/ok, 1 block verified .*Merkle roots of 1/);
      // The same line with one record changed: found.
      const bad = openSync(chain, 'r+');
      writeSync(bad, 'z', statSync(chain).size - 10);
      closeSync(bad);
      const again = spawnSync(process.execPath, [CLI, 'verify', chain], { encoding: 'utf8' });
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/block 0: merkleRoot does not match the transactions/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});

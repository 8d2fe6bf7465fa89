#!/usr/bin/env node
// Block hashes of two builds on the same seeded books: `node scripts/compare-hashes.mjs OLD_ROOT
// [NEW_ROOT] [--size 1e5]`. Each ROOT is a checkout with its `dist/` built (`git worktree add
// /tmp/old <commit> && (cd /tmp/old && npm ci && npm run build)`). For every book kind the new
// build's `gen` writes the book, both builds' `clear` clear it at one timestamp, and the block
// hashes must be equal, and so must the whole RESULT files, byte for byte. Exits 1 on any
// difference.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const sizeAt = args.indexOf('--size');
const size = sizeAt >= 0 ? args.splice(sizeAt, 2)[1] : '1e5';
const [oldRoot, newRoot = '.'] = args.map((a) => resolve(a));
if (oldRoot === undefined) {
  console.error('usage: node scripts/compare-hashes.mjs OLD_ROOT [NEW_ROOT] [--size N]');
  process.exit(2);
}
const kinds = [
  ['random', 'electricity'],
  ['realistic', 'electricity'],
  ['adversarial', 'electricity'],
  ['all-or-none', 'electricity'],
  ['random', 'electricity,heat,cold,gas'],
];
const dir = mkdtempSync(join(tmpdir(), 'mgc-compare-'));
let differ = 0;
try {
  for (const [kind, carriers] of kinds) {
    const book = join(dir, `${kind}.json`);
    const cli = (root) => join(root, 'dist', 'cli.js');
    execFileSync(
      process.execPath,
      [cli(newRoot), 'gen', '--kind', kind, '--carriers', carriers, '--size', size, '--out', book],
      { stdio: 'ignore' },
    );
    const hashes = [oldRoot, newRoot].map((root) => {
      const out = join(dir, `${kind}-${root === oldRoot ? 'old' : 'new'}.json`);
      execFileSync(
        process.execPath,
        [
          '--max-old-space-size=8192',
          cli(root),
          'clear',
          book,
          '--timestamp',
          '2026-01-01T00:00:30Z',
          '--out',
          out,
        ],
        { stdio: ['ignore', 'ignore', 'ignore'] },
      );
      const bytes = readFileSync(out);
      const file = createHash('sha256').update(bytes).digest('hex');
      rmSync(out);
      // The block closes the RESULT; a 10^6 RESULT is too long for one string, so read its tail.
      const tail = bytes.subarray(Math.max(0, bytes.length - 4096)).toString('utf8');
      const block = /"block": ?\{.*"hash":"([0-9a-f]+)"/s.exec(tail)?.[1] ?? 'no block hash found';
      return { block, file };
    });
    const sameBlock = hashes[0].block === hashes[1].block;
    const sameFile = hashes[0].file === hashes[1].file;
    if (!sameBlock || !sameFile) differ++;
    console.log(
      `${sameBlock ? 'same block' : 'DIFFERENT block'}, ${sameFile ? 'same RESULT bytes' : 'DIFFERENT RESULT bytes'}  ${kind} (${carriers}) ${size}: ${hashes[0].block}${sameBlock ? '' : ` vs ${hashes[1].block}`}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(differ === 0 ? 0 : 1);

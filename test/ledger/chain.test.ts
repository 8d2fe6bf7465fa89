import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  type Block,
  type ChainEntry,
  ClearingError,
  type CycleResult,
  clearCycle,
  type OrderBook,
  proveTransaction,
  transactionRecords,
  verifyChain,
  verifyCycle,
  verifyProof,
} from '../../src/index.js';
import { bid, offer, T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { once } from '../helpers/once.js';

const STAMPS = [
  '2026-01-01T00:00:00Z',
  '2026-01-01T00:00:30Z',
  '2026-01-01T00:01:00Z',
  '2026-01-01T00:01:30Z',
  '2026-01-01T00:02:00Z',
];

function bookFor(i: number): OrderBook {
  return {
    offers: [
      offer('s1', 'p1', `${10 + i}`, '0.30'),
      offer('s2', 'p2', '5', '0.40'),
      offer('s3', 'p3', '2', '0.50'),
      offer('s4', 'p4', '3', '0.70'),
    ],
    bids: [
      bid('c1', 'h1', '4', '0.45'),
      bid('c2', 'h2', '8', '0.35'),
      bid('c3', 'h3', `${3 + i}`, '0.60'),
      bid('c4', 'h4', '9', '0.5'),
    ],
    storage: [{ id: 'bat', carrier: 'electricity', quantity: '2', price: '0.44' }],
  };
}

function buildChain(): { results: CycleResult[]; chain: ChainEntry[] } {
  const results: CycleResult[] = [];
  let previous: Block | undefined;
  for (let i = 0; i < STAMPS.length; i++) {
    const r = clearCycle(bookFor(i), { leafSize: 2 }, { timestamp: STAMPS[i]!, previous });
    results.push(r);
    previous = r.block;
  }
  return {
    results,
    chain: results.map((r) => ({ ...r.block, transactions: transactionRecords(r) })),
  };
}

describe('verifyChain', () => {
  const built = once(buildChain);

  it('accepts the honest chain, with and without transactions', () => {
    const { results, chain } = built();
    expect(verifyChain(chain)).toEqual({ ok: true });
    expect(verifyChain(results.map((r) => r.block))).toEqual({ ok: true });
    expect(chain[2]!.transactionCount).toBeGreaterThan(4); // several leaves of 2
  });

  const H = 2;
  const edit = (f: (e: ChainEntry) => ChainEntry) => () =>
    built().chain.map((e, i) => (i === H ? f(e) : e));
  const txs = (e: ChainEntry) => [...(e.transactions ?? [])];
  const cases: Array<[string, () => ChainEntry[], number, RegExp]> = [
    [
      'a changed transaction',
      edit((e) => ({
        ...e,
        transactions: txs(e).map((t, i) => (i === 1 ? { ...t, quantity: '999' } : t)),
      })),
      H,
      /merkleRoot/,
    ],
    [
      'a dropped transaction',
      edit((e) => ({ ...e, transactions: txs(e).slice(1) })),
      H,
      /transactions/,
    ],
    [
      'an added transaction',
      edit((e) => ({
        ...e,
        transactions: [...txs(e), txs(e)[0]!],
        transactionCount: e.transactionCount + 1,
      })),
      H,
      /hash/,
    ],
    [
      'a duplicated transaction replacing another',
      edit((e) => ({ ...e, transactions: txs(e).map((t, i, a) => (i === 1 ? a[0]! : t)) })),
      H,
      /merkleRoot/,
    ],
    [
      'reordered transactions',
      edit((e) => ({ ...e, transactions: [txs(e)[1]!, txs(e)[0]!, ...txs(e).slice(2)] })),
      H,
      /merkleRoot/,
    ],
    [
      'a changed timestamp',
      edit((e) => ({ ...e, timestamp: '2026-01-01T00:01:01Z' })),
      H,
      /hash does not match/,
    ],
    [
      'a timestamp going backwards',
      edit((e) => ({ ...e, timestamp: '2025-12-31T23:59:59Z' })),
      H,
      /earlier/,
    ],
    [
      'a changed previous hash',
      edit((e) => ({ ...e, previousHash: 'f'.repeat(64) })),
      H,
      /previousHash/,
    ],
    ['a changed height', edit((e) => ({ ...e, height: 7 })), H, /height/],
    [
      'a changed counter',
      edit((e) => ({ ...e, counters: { ...e.counters, p2pTrades: 0 } })),
      H,
      /hash does not match/,
    ],
    [
      'a shifted record boundary (leaf size)',
      edit((e) => ({ ...e, leafSize: 3 })),
      H,
      /hash does not match/,
    ],
    ['a removed block', () => built().chain.filter((_, i) => i !== H), H, /height/],
    ['a malformed hash', edit((e) => ({ ...e, hash: 'xyz' })), H, /hex/],
    ['a block from another hasher', edit((e) => ({ ...e, hasher: 'sha3-256' })), H, /hashed with/],
    ['a block that is not an object', edit(() => 'block' as never), H, /^is not a block object$/],
    ['an array for a block', edit(() => [] as never), H, /^is not a block object$/],
    [
      'a block without its merkleRoot',
      edit(({ merkleRoot: _, ...rest }) => rest as never),
      H,
      /^is missing "merkleRoot"$/,
    ],
    ['a negative height', edit((e) => ({ ...e, height: -1 })), H, /^"height" must be/],
    ['a leaf size of 0', edit((e) => ({ ...e, leafSize: 0 })), H, /^"leafSize" must be/],
    [
      'a fractional transaction count',
      edit((e) => ({ ...e, transactionCount: 1.5 })),
      H,
      /^"transactionCount" must be/,
    ],
    [
      'an upper-case hash',
      edit((e) => ({ ...e, inputsHash: e.inputsHash.toUpperCase() })),
      H,
      /^"inputsHash" is not a 64-digit lower-case hex hash$/,
    ],
    [
      'a hash one digit short',
      edit((e) => ({ ...e, merkleRoot: e.merkleRoot.slice(1) })),
      H,
      /^"merkleRoot" is not/,
    ],
    [
      'a numeric previous hash',
      edit((e) => ({ ...e, previousHash: 7 as never })),
      H,
      /^"previousHash"/,
    ],
    [
      'a malformed timestamp',
      edit((e) => ({ ...e, timestamp: '2026-01-01 00:01:00' })),
      H,
      /^"timestamp": /,
    ],
    [
      'counters that are not an object',
      edit((e) => ({ ...e, counters: 3 as never })),
      H,
      /^"counters" must be an object$/,
    ],
    [
      'null counters',
      edit((e) => ({ ...e, counters: null as never })),
      H,
      /^is missing "counters"$|^"counters" must be an object$/,
    ],
    [
      'a negative counter',
      edit((e) => ({ ...e, counters: { ...e.counters, poolTrades: -1 } })),
      H,
      /^"counters.poolTrades" must be a non-negative integer$/,
    ],
    [
      'a missing counter',
      edit((e) => ({ ...e, counters: { ...e.counters, unservedBids: undefined as never } })),
      H,
      /^"counters.unservedBids"/,
    ],
    [
      'transactions that are not an array',
      edit((e) => ({ ...e, transactions: { 0: txs(e)[0] } as never })),
      H,
      /^transactions must be an array$/,
    ],
    [
      'a transaction with no canonical JSON',
      edit((e) => ({
        ...e,
        transactions: txs(e).map((t, i) => (i === 0 ? { ...t, x: Number.NaN } : t)),
      })),
      H,
      /^a transaction is not canonical JSON: /,
    ],
    [
      'a transaction count that disagrees with the list',
      edit((e) => ({ ...e, transactions: [...txs(e), txs(e)[0]!] })),
      H,
      /^holds \d+ transactions; the header says \d+$/,
    ],
  ];
  it.each(cases)('names %s at its height, and nothing earlier', (_name, make, height, reason) => {
    const tampered = make();
    const v = verifyChain(tampered);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.height).toBe(height);
      expect(v.reason).toMatch(reason);
    }
    expect(verifyChain(tampered.slice(0, height))).toEqual({ ok: true });
  });

  it('refuses a chain that does not start at height 0', () => {
    expect(verifyChain(built().chain.slice(1))).toMatchObject({ ok: false, height: 0 });
  });
});

describe('sealing', () => {
  it('refuses a timestamp earlier than the previous block, and a malformed timestamp', () => {
    const a = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    expect(() =>
      clearCycle(WORKED_EXAMPLE, {}, { timestamp: '2026-01-01T00:00:29Z', previous: a.block }),
    ).toThrow(ClearingError);
    expect(() => clearCycle(WORKED_EXAMPLE, {}, { timestamp: '2026-02-30T00:00:00Z' })).toThrow(
      /day 30/,
    );
    expect(clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0, previous: a.block }).block.height).toBe(
      1,
    );
  });

  it('refuses a malformed previous block, and accepts a tip without a timestamp', () => {
    const a = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    const tip = { height: a.block.height, hash: a.block.hash };
    for (const previous of [
      { ...tip, height: -1 },
      { ...tip, height: 0.5 },
      { ...tip, hash: a.block.hash.slice(2) },
      { ...tip, hash: a.block.hash.toUpperCase() },
      { ...tip, hash: 42 as never },
    ]) {
      const err = (() => {
        try {
          clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0, previous });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ClearingError);
      expect((err as ClearingError).code).toBe('invalid_previous');
    }
    // Height and hash are enough: no timestamp, no ordering check; the same second is allowed.
    const b = clearCycle(WORKED_EXAMPLE, {}, { timestamp: '2025-01-01T00:00:00Z', previous: tip });
    expect(b.block).toMatchObject({ height: 1, previousHash: a.block.hash });
    expect(() =>
      clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0, previous: a.block }),
    ).not.toThrow();
  });

  it('pins the worked example: any change to the encoding shows here', () => {
    const r = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    expect(r.block).toMatchInlineSnapshot(`
      {
        "counters": {
          "p2pFailedBids": 0,
          "p2pTrades": 4,
          "poolTrades": 0,
          "unservedBids": 0,
        },
        "hash": "390a62bbc58fd5b189949f573ce7e569ae707ea9d1d3696a919bb544a18717a2",
        "hasher": "sha256",
        "height": 0,
        "inputsHash": "b5a20a8b2678c3b9af113d8a494af68351e08a42ff4e7318c8551ae5f1f2146a",
        "leafSize": 64,
        "merkleRoot": "40e515575f9618de178a89a81696e6caa70606b3173b7b9be26871d979be1d20",
        "previousHash": "0000000000000000000000000000000000000000000000000000000000000000",
        "timestamp": "2026-01-01T00:00:30Z",
        "transactionCount": 5,
      }
    `);
  });

  it.skipIf(process.env['STRYKER'])('gives the same hash in another process', () => {
    const here = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 }).block.hash;
    const script = `import { clearCycle } from './src/index.ts'; import { WORKED_EXAMPLE, T0 } from './test/helpers/books.ts'; console.log(clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 }).block.hash);`;
    const there = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    ).trim();
    expect(there).toBe(here);
  });
});

describe('verifyCycle', () => {
  const book = bookFor(1);
  const cleared = once(() => clearCycle(book, {}, { timestamp: T0 }));
  it('confirms an honest block', () =>
    expect(verifyCycle(book, {}, cleared().block)).toEqual({ ok: true }));
  it('catches another book, another config, a forged root', () => {
    const r = cleared();
    expect(verifyCycle({ ...book, bids: book.bids.slice(1) }, {}, r.block)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/inputsHash/),
    });
    expect(verifyCycle(book, { pricing: 'ask' }, r.block)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/inputsHash/),
    });
    expect(verifyCycle(book, {}, { ...r.block, merkleRoot: '0'.repeat(64) })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/hash/),
    });
  });
});

describe('proofs', () => {
  const cleared = once(() => clearCycle(bookFor(3), { leafSize: 2 }, { timestamp: T0 }));
  it('prove every transaction against the block alone', () => {
    const r = cleared();
    const n = r.block.transactionCount;
    for (let i = 0; i < n; i++)
      expect(verifyProof(proveTransaction(r, i), r.block)).toEqual({ ok: true });
  });
  it('fail on a changed transaction, a moved index, a shortened path, another block', () => {
    const r = cleared();
    const n = r.block.transactionCount;
    const p = proveTransaction(r, 1);
    expect(
      verifyProof({ ...p, transaction: { ...p.transaction, quantity: '1000' } }, r.block).ok,
    ).toBe(false);
    expect(verifyProof({ ...p, index: 0 }, r.block).ok).toBe(false);
    expect(verifyProof({ ...p, path: p.path.slice(1) }, r.block).ok).toBe(false);
    expect(verifyProof({ ...p, leaf: p.leaf.slice(0, 1) }, r.block).ok).toBe(false);
    const other = clearCycle(bookFor(4), { leafSize: 2 }, { timestamp: T0 });
    expect(verifyProof(p, other.block).ok).toBe(false);
    expect(() => proveTransaction(r, n)).toThrow(ClearingError);
  });
});

describe('Merkle encoding as documented', () => {
  it('leaf = H(0x00 ‖ record₁ \\n ‖ …), node = H(0x01 ‖ left ‖ right), odd node promoted', async () => {
    const { createHash } = await import('node:crypto');
    const { canonicalJson } = await import('../../src/index.js');
    const h = (...parts: Uint8Array[]) =>
      createHash('sha256').update(Buffer.concat(parts)).digest();
    const r = clearCycle(WORKED_EXAMPLE, { leafSize: 2 }, { timestamp: T0 });
    const recs = transactionRecords(r).map((t) => Buffer.from(`${canonicalJson(t)}\n`, 'utf8'));
    expect(recs).toHaveLength(5);
    const leaf = (xs: Buffer[]) => h(Buffer.from([0]), ...xs);
    const node = (a: Buffer, b: Buffer) => h(Buffer.from([1]), a, b);
    const l = [leaf(recs.slice(0, 2)), leaf(recs.slice(2, 4)), leaf(recs.slice(4))];
    expect(r.block.merkleRoot).toBe(node(node(l[0]!, l[1]!), l[2]!).toString('hex'));
    const empty = clearCycle({ offers: [], bids: [] }, {}, { timestamp: T0 });
    expect(empty.block.merkleRoot).toBe(h().toString('hex'));
  });
});

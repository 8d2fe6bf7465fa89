import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  type Block,
  type ChainEntry,
  ClearingError,
  type CycleResult,
  clearCycle,
  GENESIS_PREVIOUS_HASH,
  type OrderBook,
  proveTransaction,
  type TransactionProof,
  transactionRecords,
  verifyChain,
  verifyCycle,
  verifyProof,
} from '../../src/index.js';
import { bid, offer, T0, WORKED_EXAMPLE } from '../helpers/books.js';
import { once } from '../helpers/once.js';
import { thrown } from '../helpers/thrown.js';

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
      /^timestamp 2025-12-31T23:59:59Z is earlier than block 1's 2026-01-01T00:00:30Z$/,
    ],
    [
      'a changed previous hash',
      edit((e) => ({ ...e, previousHash: 'f'.repeat(64) })),
      H,
      /^previousHash does not match the hash of block 1$/,
    ],
    [
      'a changed height',
      edit((e) => ({ ...e, height: 7 })),
      H,
      /^expected height 2 after block 1, got 7$/,
    ],
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
    [
      'a removed block',
      () => built().chain.filter((_, i) => i !== H),
      H,
      /^expected height 2 after block 1, got 3$/,
    ],
    [
      'a malformed hash',
      edit((e) => ({ ...e, hash: 'xyz' })),
      H,
      /^"hash" is not a 64-digit lower-case hex hash$/,
    ],
    [
      'a block from another hasher',
      edit((e) => ({ ...e, hasher: 'sha3-256' })),
      H,
      /^was hashed with "sha3-256", not "sha256"$/,
    ],
    ['a block that is not an object', edit(() => 'block' as never), H, /^is not a block object$/],
    ['an array for a block', edit(() => [] as never), H, /^is not a block object$/],
    ['null for a block', edit(() => null as never), H, /^is not a block object$/],
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

  it('refuses a chain that does not start at height 0, or at the genesis hash', () => {
    const { chain } = built();
    expect(verifyChain(chain.slice(1))).toEqual({
      ok: false,
      height: 0,
      reason: 'the first block must have height 0, got 1',
    });
    const first = { ...chain[0]!, previousHash: 'a'.repeat(64) };
    expect(verifyChain([first])).toEqual({
      ok: false,
      height: 0,
      reason: "the first block's previousHash must be all zeros",
    });
    expect(chain[0]!.previousHash).toBe(GENESIS_PREVIOUS_HASH);
    expect(GENESIS_PREVIOUS_HASH).toBe('0'.repeat(64));
  });
});

describe('verifyChain reads strictly and streams', () => {
  const built = once(buildChain);

  it('takes any iterable, read once, entry by entry (a generator over a file, say)', () => {
    const { chain } = built();
    let pulled = 0;
    function* entries() {
      for (const e of chain) {
        pulled++;
        yield e;
      }
    }
    expect(verifyChain(entries())).toEqual({ ok: true });
    expect(pulled).toBe(chain.length);
    // It stops at the first bad block: nothing after it is read.
    pulled = 0;
    function* broken() {
      yield chain[0]!;
      pulled++;
      yield { ...chain[1]!, height: 7 };
      pulled++;
      yield chain[2]!;
      pulled++;
    }
    expect(verifyChain(broken())).toMatchObject({ ok: false, height: 1 });
    expect(pulled).toBe(1);
  });

  it('refuses a field the block hash does not cover, a __proto__ key and an unknown counter', () => {
    const { chain } = built();
    const extra = { ...chain[1]!, settlement: { fake: true } } as unknown as ChainEntry;
    expect(verifyChain([chain[0]!, extra])).toEqual({
      ok: false,
      height: 1,
      reason: 'has the field "settlement", which the block hash does not cover',
    });
    const proto = JSON.parse(
      JSON.stringify(chain[0]).replace('{', '{"__proto__":{"height":0},'),
    ) as ChainEntry;
    expect(verifyChain([proto])).toMatchObject({ ok: false, reason: /"__proto__"/ });
    const counters = { ...chain[0]!, counters: { ...chain[0]!.counters, bonus: 1 } };
    expect(verifyChain([counters as ChainEntry])).toMatchObject({
      ok: false,
      reason: '"counters" has the field "bonus", which no block has',
    });
    // An inherited field is not a field: a block built on a polluted prototype is still missing it.
    const { hash: _hash, ...rest } = chain[0]!;
    const inherits = Object.assign(Object.create({ hash: chain[0]!.hash }), rest) as ChainEntry;
    expect(verifyChain([inherits])).toMatchObject({ ok: false, reason: 'is missing "hash"' });
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
      const err = thrown(() => clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0, previous }));
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
    for (const index of [n, -1, 1.5]) {
      const err = thrown(() => proveTransaction(r, index));
      expect((err as ClearingError).code).toBe('invalid_option');
      expect((err as Error).message).toBe(`transaction index ${index} is out of range 0..${n - 1}`);
    }
  });
});

describe('verifyProof names what is wrong', () => {
  // 5 transactions in leaves of 2: leaves 0..2, the last holding one record.
  const cleared = once(() => clearCycle(bookFor(0), { leafSize: 2 }, { timestamp: T0 }));
  const reason = (p: TransactionProof, block?: Block) => {
    const v = verifyProof(p, block ?? cleared().block);
    return v.ok ? 'ok' : v.reason;
  };
  it('for each way a proof or its block can be wrong', () => {
    const r = cleared();
    const n = r.block.transactionCount;
    expect(n % 2).toBe(1); // a short last leaf
    const p = proveTransaction(r, 3); // leaf 1, second record
    const last = proveTransaction(r, n - 1);
    expect(reason(p)).toBe('ok');
    expect(reason(last)).toBe('ok');
    expect(reason(p, { ...r.block, merkleRoot: '0'.repeat(64) })).toBe(
      'the block hash does not match its header',
    );
    expect(reason({ ...p, blockHash: 'f'.repeat(64) })).toBe('the proof is for another block');
    for (const index of [1, 5, 3.5, -1]) {
      expect(reason({ ...p, index })).toBe('the index does not fall in the leaf');
    }
    expect(reason({ ...p, leaf: p.leaf.slice(0, 1) })).toBe('the index does not fall in the leaf');
    expect(
      reason({ ...last, index: n, leafIndex: (n - 1) / 2, leaf: [...last.leaf, last.leaf[0]!] }),
    ).toBe("the index is past the block's transactions");
    expect(reason({ ...p, transaction: { ...p.transaction, quantity: '1000' } })).toBe(
      'the transaction is not at its place in the leaf',
    );
    expect(reason({ ...last, leaf: [...last.leaf, last.leaf[0]!] })).toBe(
      'the leaf holds the wrong number of records',
    );
    const q = proveTransaction(r, 2); // leaf 1, first record
    expect(reason({ ...q, leaf: [q.leaf[0]!] })).toBe('the leaf holds the wrong number of records');
    expect(reason({ ...p, path: p.path.slice(1) })).toBe('the audit path has the wrong length');
    expect(reason({ ...p, path: [...p.path, p.path[0]!] })).toBe(
      'the audit path has the wrong length',
    );
    const bad = (hash: string) => ({
      ...p,
      path: [{ ...p.path[0]!, hash }, ...p.path.slice(1)],
    });
    expect(reason(bad('zz'.repeat(32)))).toBe('the audit path holds a malformed hash');
    expect(reason(bad('ab'))).toBe('the audit path holds a malformed hash');
    expect(reason(bad('a'.repeat(63)))).toBe('the audit path holds a malformed hash');
    expect(reason(bad(`${'0'.repeat(62)}zz`))).toBe('the audit path holds a malformed hash');
    expect(reason(bad(`zz${'0'.repeat(62)}`))).toBe('the audit path holds a malformed hash');
    expect(reason(bad('0'.repeat(64)))).toBe(
      "the audit path does not lead to the block's merkleRoot",
    );
    const flipped = {
      ...p,
      path: [
        { ...p.path[0]!, side: p.path[0]!.side === 'left' ? 'right' : 'left' },
        ...p.path.slice(1),
      ],
    } as TransactionProof;
    expect(reason(flipped)).toBe("the audit path does not lead to the block's merkleRoot");
    expect(reason({ ...p, leaf: null as never })).toMatch(/^the proof is malformed: /);
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

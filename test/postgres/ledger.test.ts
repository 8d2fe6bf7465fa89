import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChainEntry,
  type CycleResult,
  clearCycle,
  transactionRecords,
  verifyChain,
} from '../../src/index.js';
import { ChainConflictError, PostgresLedger, SCHEMA_VERSION } from '../../src/postgres/index.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';

function ts(second: number): string {
  return new Date(Date.parse(T0) + second * 1000).toISOString().replace('.000Z', 'Z');
}

/** A chain of `n` cycles of the worked example (leaf size 2, so blocks have several leaves). */
function cycles(n: number, config = { leafSize: 2 }): CycleResult[] {
  const out: CycleResult[] = [];
  for (let i = 0; i < n; i++)
    out.push(clearCycle(WORKED_EXAMPLE, config, { timestamp: ts(i), previous: out[i - 1]?.block }));
  return out;
}

describe('PostgresLedger on PGlite', () => {
  let db: PGlite;
  let ledger: PostgresLedger;
  beforeAll(async () => {
    db = new PGlite();
    ledger = new PostgresLedger(db, { pageSize: 2 });
    expect(await ledger.migrate()).toBe(SCHEMA_VERSION);
    expect(await ledger.migrate()).toBe(SCHEMA_VERSION); // idempotent
    expect(SCHEMA_VERSION).toBe(3);
  });
  afterAll(async () => {
    await db.close();
  });

  it('appends, answers a retry with duplicate, and streams blocks that verifyChain accepts', async () => {
    const chain = cycles(5);
    for (const r of chain)
      expect(await ledger.append('m1', r)).toEqual({ status: 'appended', height: r.block.height });
    expect(await ledger.append('m1', chain[3]!)).toEqual({ status: 'duplicate', height: 3 });
    expect((await ledger.tip('m1'))?.hash).toBe(chain[4]!.block.hash);
    expect(await ledger.tip('nobody')).toBeUndefined();
    const stored: ChainEntry[] = [];
    for await (const e of ledger.blocks('m1')) stored.push(e);
    expect(stored).toEqual(chain.map((r) => ({ ...r.block, transactions: transactionRecords(r) })));
    expect(verifyChain(stored)).toEqual({ ok: true });
    const some: number[] = [];
    for await (const e of ledger.blocks('m1', { from: 1, to: 3 })) some.push(e.height);
    expect(some).toEqual([1, 2, 3]);
    expect(await ledger.verify('m1')).toEqual({ ok: true });
  });

  it('refuses another block at a stored height, a wrong link and a gap, leaving the chain as it was', async () => {
    const chain = cycles(3);
    for (const r of chain) await ledger.append('m2', r);
    const other = clearCycle(
      WORKED_EXAMPLE,
      { leafSize: 2, fixedPrice: '0.4' },
      { timestamp: ts(1), previous: chain[0]!.block },
    );
    await expect(ledger.append('m2', other)).rejects.toMatchObject({
      name: 'ChainConflictError',
      reason: 'height_taken',
      height: 1,
      storedHash: chain[1]!.block.hash,
    });
    await expect(ledger.append('m2', other)).rejects.toBeInstanceOf(ChainConflictError);
    const fork = cycles(5, { leafSize: 3 });
    await expect(ledger.append('m2', fork[3]!)).rejects.toMatchObject({ reason: 'wrong_link' });
    await expect(ledger.append('m3', fork[2]!)).rejects.toMatchObject({ reason: 'gap' });
    const stored: ChainEntry[] = [];
    for await (const e of ledger.blocks('m2')) stored.push(e);
    expect(stored.map((e) => e.hash)).toEqual(chain.map((r) => r.block.hash));
  });

  it('refuses a block that does not hash to itself or whose records do not give its root', async () => {
    const [r] = cycles(1);
    const entry: ChainEntry = { ...r!.block, transactions: transactionRecords(r!) };
    await expect(
      ledger.append('m4', { ...entry, counters: { ...entry.counters, p2pTrades: 99 } }),
    ).rejects.toMatchObject({ code: 'invalid_block', message: /hash does not match/ });
    await expect(
      ledger.append('m4', { ...entry, transactions: entry.transactions!.slice().reverse() }),
    ).rejects.toMatchObject({ code: 'invalid_block', message: /Merkle root/ });
    expect(await ledger.tip('m4')).toBeUndefined();
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE of stored blocks and leaves', async () => {
    await ledger.append('m5', cycles(1)[0]!);
    for (const sql of [
      `UPDATE microgrid.blocks SET "timestamp" = 'x' WHERE market = 'm5'`,
      `DELETE FROM microgrid.blocks WHERE market = 'm5'`,
      `UPDATE microgrid.leaves SET records = 'x' WHERE market = 'm5'`,
      `DELETE FROM microgrid.leaves WHERE market = 'm5'`,
      'TRUNCATE microgrid.leaves',
    ])
      await expect(db.query(sql), sql).rejects.toThrow(/append-only/);
    // And a block that skips its parent, or links to the wrong one, by plain SQL.
    await expect(
      db.query(
        `INSERT INTO microgrid.blocks (market, height, hash, previous_hash, "timestamp", block) VALUES ('m5', 7, $1, $2, 't', '{}')`,
        ['a'.repeat(64), 'b'.repeat(64)],
      ),
    ).rejects.toThrow(/foreign key/);
    expect(await ledger.verify('m5')).toEqual({ ok: true });
  });

  it('verify finds a row altered by an administrator who disabled the triggers, at its height', async () => {
    const chain = cycles(4);
    for (const r of chain) await ledger.append('m6', r);
    await db.query('ALTER TABLE microgrid.leaves DISABLE TRIGGER USER');
    await db.query(
      `UPDATE microgrid.leaves SET records = replace(records, '"amount":"2.6"', '"amount":"26"') WHERE market = 'm6' AND height = 2`,
    );
    await db.query('ALTER TABLE microgrid.leaves ENABLE TRIGGER USER');
    expect(await ledger.verify('m6')).toEqual({
      ok: false,
      height: 2,
      reason: 'merkleRoot does not match the transactions',
    });
    await db.query('ALTER TABLE microgrid.blocks DISABLE TRIGGER USER');
    await db.query(
      `UPDATE microgrid.blocks SET block = replace(block, '"p2pTrades":4', '"p2pTrades":5') WHERE market = 'm6' AND height = 1`,
    );
    await db.query('ALTER TABLE microgrid.blocks ENABLE TRIGGER USER');
    expect(await ledger.verify('m6')).toEqual({
      ok: false,
      height: 1,
      reason: 'hash does not match the block header',
    });
  });
});

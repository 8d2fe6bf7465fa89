/**
 * `Market.restore` validates the whole state: one ValidationError listing every problem with its
 * path and code, or a market that works. `Market.replay` continues from the tip a journal started
 * from.
 */
import { describe, expect, it } from 'vitest';
import {
  type Issue,
  Market,
  type MarketOrder,
  type MarketState,
  ValidationError,
  verifyChain,
} from '../../src/index.js';
import { thrown } from '../helpers/thrown.js';

const ts = (s: number) => `2026-03-01T12:00:${String(s).padStart(2, '0')}Z`;
const order = (side: 'offer' | 'bid', id: string, price: string): MarketOrder => ({
  side,
  id,
  participant: `${side}-${id}`,
  carrier: 'heat',
  quantity: '3',
  price,
});

/** A state with resting orders of both sides, a tip and a journal, as plain JSON. */
function state(): Record<string, unknown> & { orders: Record<string, unknown>[] } {
  const m = new Market({ idleCyclesBeforePool: 3 });
  m.submit(order('offer', 's1', '0.9'));
  m.runCycle(ts(0));
  m.submit(order('bid', 'c1', '0.1'));
  return JSON.parse(JSON.stringify(m.exportState()));
}

function issuesOf(input: unknown): Array<[string, string]> {
  const err = thrown(() => Market.restore(input as MarketState));
  if (!(err instanceof ValidationError)) throw err;
  return err.issues.map((i: Issue) => [i.path, i.code]);
}

describe('Market.restore', () => {
  it('restores a good state that then works, byte for byte', () => {
    const json = JSON.stringify(state());
    const m = Market.restore(json);
    expect(JSON.stringify(m.exportState())).toBe(json);
    expect(m.runCycle(ts(30)).result.block.height).toBe(1);
  });

  it.each([
    [
      'a tip that is an empty object',
      { tip: {} },
      [
        ['tip.height', 'required'],
        ['tip.hash', 'required'],
      ],
    ],
    [
      'a tip with a bad hash and timestamp',
      { tip: { height: 0, hash: 'AB', timestamp: 'noon' } },
      [
        ['tip.hash', 'invalid_value'],
        ['tip.timestamp', 'invalid_timestamp'],
      ],
    ],
    [
      'a tip at the last safe height',
      { tip: { height: 2 ** 53 - 1, hash: '0'.repeat(64) } },
      [['tip.height', 'out_of_range']],
    ],
    ['a negative nextSeq', { nextSeq: -5 }, [['nextSeq', 'out_of_range']]],
    ['a nextSeq a resting order already has', { nextSeq: 1 }, [['nextSeq', 'out_of_range']]],
    ['a config that is a string', { config: 'x' }, [['config', 'invalid_type']]],
    [
      'a config with a bad field',
      { config: { pricingK: '2' } },
      [['config.pricing.k', 'out_of_range']],
    ],
    ['a missing config', { config: undefined }, [['config', 'required']]],
    ['an order that is null', { orders: [null] }, [['orders[0]', 'invalid_type']]],
    ['a journal entry that is null', { journal: [null] }, [['journal[0]', 'invalid_type']]],
    [
      'a journal cycle without a timestamp',
      { journal: [{ type: 'cycle' }] },
      [['journal[0].timestamp', 'invalid_timestamp']],
    ],
    [
      'a journal entry of an unknown type',
      { journal: [{ type: 'mint' }] },
      [['journal[0].type', 'invalid_value']],
    ],
    ['a version 2', { version: 2 }, [['version', 'invalid_value']]],
    ['an unknown field', { extra: 1 }, [['extra', 'unknown_field']]],
  ])('refuses %s with its path and code', (_name, change, expected) => {
    expect(issuesOf({ ...state(), ...change })).toEqual(expected);
  });

  it('refuses bad resting orders: idleCycles, seq, and the order itself', () => {
    const s = state();
    s.orders[0]!['idleCycles'] = 'x';
    s.orders[1]!['seq'] = 0;
    s.orders[1]!['price'] = 'cheap';
    expect(issuesOf(s)).toEqual([
      ['orders[0].idleCycles', 'invalid_type'],
      ['orders[1].seq', 'invalid_value'],
      ['orders[1].price', 'invalid_decimal'],
    ]);
  });

  it('lists every problem of a state in one ValidationError', () => {
    const s = { ...state(), tip: {}, nextSeq: -5, config: 'x', orders: [null], journal: [null] };
    expect(issuesOf(s)).toEqual([
      ['config', 'invalid_type'],
      ['nextSeq', 'out_of_range'],
      ['tip.height', 'required'],
      ['tip.hash', 'required'],
      ['orders[0]', 'invalid_type'],
      ['journal[0]', 'invalid_type'],
    ]);
  });

  it('refuses what is not a state object', () => {
    for (const v of [null, 1, '[]', '"x"']) expect(issuesOf(v)).toEqual([['', 'invalid_type']]);
  });

  it('takes its tip from the state, never from the options', () => {
    const tip = { height: 9, hash: 'ab'.repeat(32) };
    const m = Market.restore(JSON.stringify(new Market().exportState()), { tip } as never);
    expect(m.chainTip()).toBeUndefined();
  });
});

describe('Market tips', () => {
  it('refuse a tip past which no block can be verified, up front', () => {
    const err = thrown(
      () => new Market({}, { tip: { height: 2 ** 53 - 1, hash: 'ab'.repeat(32) } }),
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
      ['tip.height', 'out_of_range'],
    ]);
  });
});

describe('Market.replay', () => {
  it('continues from the tip the journal started from', () => {
    const first = new Market();
    const start = first.runCycle(ts(0)).result.block;
    const m = new Market({}, { tip: start });
    m.submit(order('offer', 's1', '0.1'));
    m.submit(order('bid', 'c1', '0.5'));
    const cycle = m.runCycle(ts(30));
    expect(cycle.result.block.height).toBe(1);
    const replay = Market.replay({}, m.journal(), { tip: start });
    expect(replay.cycles.map((c) => c.result.block.height)).toEqual([1]);
    expect(replay.cycles[0]?.result.block.hash).toBe(cycle.result.block.hash);
    expect(verifyChain([start, replay.cycles[0]!.result.block])).toEqual({ ok: true });
  });
});

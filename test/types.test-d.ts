import { describe, expectTypeOf, it } from 'vitest';
import {
  type Bid,
  type BlockHasher,
  type ChainVerdict,
  type CycleResult,
  clearCycle,
  type Issue,
  Market,
  type MarketOrder,
  type Offer,
  type parseBook,
  type SafeParseResult,
  type SubmitResult,
  safeParseBook,
  type ValidationError,
  verifyChain,
} from '../src/index.js';

describe('public types', () => {
  it('decimals are strings: a number does not type-check', () => {
    // @ts-expect-error a price must be a decimal string
    const bad: Offer = { id: 's', participant: 'p', carrier: 'heat', quantity: '1', price: 0.4 };
    void bad;
    // @ts-expect-error unknown carrier
    const steam: Bid = { id: 'c', participant: 'h', carrier: 'steam', quantity: '1', price: '1' };
    void steam;
  });

  it('clearCycle takes a typed book or its JSON text: an inline typo does not type-check', () => {
    const options = { timestamp: '2026-01-01T00:00:00Z' };
    const offer = { id: 's', participant: 'p', quantity: '1', price: '0.1' };
    // @ts-expect-error a misspelt carrier
    clearCycle({ offers: [{ ...offer, carrier: 'electrcity' }], bids: [] }, {}, options);
    // @ts-expect-error a quantity must be a decimal string
    clearCycle({ offers: [{ ...offer, carrier: 'heat', quantity: 10 }], bids: [] }, {}, options);
    // @ts-expect-error a book of unknown shape is cast on purpose (it is still validated at run time)
    clearCycle(JSON.parse('{}') as unknown, {}, options);
    expectTypeOf(clearCycle('{"offers":[],"bids":[]}', {}, options)).toEqualTypeOf<CycleResult>();
  });

  it('clearCycle returns a CycleResult with readonly lists', () => {
    const r = clearCycle({ offers: [], bids: [] }, {}, { timestamp: '2026-01-01T00:00:00Z' });
    expectTypeOf(r).toEqualTypeOf<CycleResult>();
    expectTypeOf(r.trades[0]!.price).toEqualTypeOf<string>();
    // @ts-expect-error results are readonly
    r.trades.push(r.trades[0]!);
  });

  it('the safe parsers return a discriminated union', () => {
    const r = safeParseBook({});
    expectTypeOf(r).toEqualTypeOf<SafeParseResult<ReturnType<typeof parseBook>>>();
    if (r.success) expectTypeOf(r.output.offers).toEqualTypeOf<readonly Offer[]>();
    else expectTypeOf(r.issues).toEqualTypeOf<readonly Issue[]>();
  });

  it('errors carry typed issues; verdicts narrow on ok', () => {
    expectTypeOf<ValidationError['issues']>().toEqualTypeOf<readonly Issue[]>();
    const v: ChainVerdict = verifyChain([]);
    if (!v.ok) expectTypeOf(v.height).toEqualTypeOf<number>();
  });

  it('market orders are tagged by side; allOrNone only on bids', () => {
    const bid: MarketOrder = {
      side: 'bid',
      id: 'c',
      participant: 'h',
      carrier: 'heat',
      quantity: '1',
      price: '1',
      allOrNone: true,
    };
    const lot: MarketOrder = {
      side: 'storage',
      id: 'b',
      // @ts-expect-error storage lots have no participant
      participant: 'x',
      carrier: 'heat',
      quantity: '1',
      price: '1',
    };
    void lot;
    expectTypeOf(new Market().submit(bid)).toEqualTypeOf<SubmitResult>();
  });

  it('a hasher is a small synchronous contract', () => {
    expectTypeOf<BlockHasher['digest']>().toEqualTypeOf<(bytes: Uint8Array) => Uint8Array>();
  });
});

import { describe, expect, it } from 'vitest';
import { parseConfig, safeParseConfig } from '../../src/index.js';

describe('parseConfig', () => {
  it('fills every default of docs/configuration.md', () => {
    expect(parseConfig({})).toEqual({
      mechanism: 'jin2021',
      ranking: 'value',
      pricingK: '0.5',
      poolBuyPrice: { electricity: '0.43', heat: '0.43', cold: '0.43', gas: '0.43' },
      poolSellPrice: { electricity: '0.43', heat: '0.43', cold: '0.43', gas: '0.43' },
      absorb: 'compatible',
      poolCapacity: { electricity: null, heat: null, cold: null, gas: null },
      gridPrice: { electricity: null, heat: null, cold: null, gas: null },
      commission: { kind: 'priority', minRate: '0.005', maxRate: '0.02' },
      currencyScale: 4,
      leafSize: 64,
      idleCyclesBeforePool: 1,
      limits: {
        quantityScale: 6,
        priceScale: 6,
        maxQuantity: '1000000000',
        maxPrice: '1000000',
        maxOrders: 5_000_000,
        maxIdLength: 256,
      },
    });
  });

  it('takes per-carrier prices, with buy and sell prices set apart', () => {
    const c = parseConfig({
      fixedPrice: { heat: '0.10' },
      poolSellPrice: '0.50',
      pricing: { k: '0.25' },
      gridPrice: { gas: '0.9' },
    });
    expect(c.poolBuyPrice).toEqual({ electricity: '0.43', heat: '0.1', cold: '0.43', gas: '0.43' });
    expect(c.poolSellPrice).toEqual({ electricity: '0.5', heat: '0.5', cold: '0.5', gas: '0.5' });
    expect(c.pricingK).toBe('0.25');
    expect(c.gridPrice.gas).toBe('0.9');
    expect(parseConfig({ pricing: 'ask' }).pricingK).toBe('0');
    expect(parseConfig({ pricing: 'bid' }).pricingK).toBe('1');
  });

  it('lists every problem', () => {
    const r = safeParseConfig({
      ranking: 'best',
      pricing: { k: '1.5' },
      fixedPrice: { steam: '1' },
      commission: { kind: 'flat' },
      currencyScale: 2.5,
      limits: { maxQuantity: '100000000000', quantityScale: 6 },
      colour: 'red',
    });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.issues.map((i) => [i.path, i.code])).toEqual([
        ['colour', 'unknown_field'],
        ['limits.maxQuantity', 'too_large'],
        ['ranking', 'invalid_value'],
        ['pricing.k', 'out_of_range'],
        ['fixedPrice.steam', 'unknown_carrier'],
        ['commission.rate', 'required'],
        ['currencyScale', 'invalid_type'],
      ]);
      expect(r.issues[1]!.message).toContain('2^53');
    }
  });

  it('reads JSON text', () => {
    expect(parseConfig('{"absorb":"all"}').absorb).toBe('all');
    expect(safeParseConfig('{absorb}').success).toBe(false);
  });
});

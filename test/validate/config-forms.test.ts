/**
 * A config is given in its input form (`pricing`) or as a resolved config read back (`pricingK`,
 * what `parseConfig` returns and `inputsHash` commits to), never as a mix of the two.
 */
import { describe, expect, it } from 'vitest';
import { type Issue, parseConfig, safeParseConfig } from '../../src/index.js';

function issues(input: unknown): Array<[string, string]> {
  const r = safeParseConfig(input);
  return r.success ? [] : r.issues.map((i: Issue) => [i.path, i.code]);
}

describe('the two forms of a config', () => {
  it('accepts a resolved config back, resolving to itself', () => {
    const resolved = parseConfig({ pricing: 'ask', gridPrice: { heat: '0.6' } });
    expect(parseConfig(JSON.parse(JSON.stringify(resolved)))).toEqual(resolved);
    expect(parseConfig({ pricingK: '0.25' }).pricingK).toBe('0.25');
  });

  it('refuses a config with both pricing and pricingK: neither silently wins', () => {
    expect(issues({ pricing: 'ask', pricingK: '1' })).toEqual([['pricingK', 'invalid_value']]);
    expect(issues('{"pricing":{"k":"0.5"},"pricingK":"0.5"}')).toEqual([
      ['pricingK', 'invalid_value'],
    ]);
    const resolved = JSON.parse(JSON.stringify(parseConfig({})));
    expect(issues({ ...resolved, pricing: 'bid' })).toEqual([['pricingK', 'invalid_value']]);
  });
});

describe('the priority commission', () => {
  it('refuses a minRate above the maxRate, stated or default', () => {
    expect(issues({ commission: { kind: 'priority', minRate: '0.03', maxRate: '0.02' } })).toEqual([
      ['commission.minRate', 'out_of_range'],
    ]);
    expect(issues({ commission: { kind: 'priority', minRate: '0.021' } })).toEqual([
      ['commission.minRate', 'out_of_range'],
    ]);
    expect(issues({ commission: { kind: 'priority', maxRate: '0.001' } })).toEqual([
      ['commission.minRate', 'out_of_range'],
    ]);
  });

  it('takes equal rates, and a rising pair', () => {
    expect(
      parseConfig({ commission: { kind: 'priority', minRate: '0.01', maxRate: '0.010' } })
        .commission,
    ).toEqual({
      kind: 'priority',
      minRate: '0.01',
      maxRate: '0.01',
    });
    expect(issues({ commission: { kind: 'priority', minRate: '0', maxRate: '1' } })).toEqual([]);
  });
});

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

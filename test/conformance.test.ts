import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearCycle, parseConfig, verifyChain, verifyCycle } from '../src/index.js';
import { referenceClear } from './helpers/reference.js';

const DIR = join(import.meta.dirname, '..', 'conformance');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('conformance vectors (published in the package)', () => {
  it('are all here', () => expect(files.length).toBe(12));

  it.each(files)('%s clears to its expected RESULT, byte for byte', (file) => {
    const v = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
    const result = clearCycle(v.book, v.config, { timestamp: v.timestamp });
    expect(JSON.parse(JSON.stringify(result))).toEqual(v.expected);
    expect(verifyChain([v.expected.block])).toEqual({ ok: true });
    expect(verifyCycle(v.book, v.config, v.expected.block)).toEqual({ ok: true });
    const cfg = parseConfig(v.config);
    if (cfg.mechanism === 'jin2021') {
      const ref = referenceClear(v.book, cfg);
      expect(result.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price])).toEqual(
        ref.trades.map((t) => [t.bidId, t.offerId, t.quantity, t.price]),
      );
      expect(result.poolTrades.map((t) => [t.bidId, t.lotId, t.quantity])).toEqual(
        ref.poolTrades.map((t) => [t.bidId, t.lotId, t.quantity]),
      );
    }
  });
});

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOT_WATER_SHARES, runDemo } from '../../src/cli/demo.js';
import { verifyChain } from '../../src/index.js';

describe('the demo', () => {
  it('clears the real day, writes a chain that verifies, and prints a summary per carrier', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgc-demo-'));
    const out: string[] = [];
    const code = runDemo(
      { out: (t) => out.push(t), err: () => {}, now: () => '2026-01-01T00:00:00Z' },
      dir,
    );
    expect(code).toBe(0);
    const text = out.join('\n');
    // The worked example first, every column with its unit.
    expect(text).toMatch(/quantity \(kWh\) +price \(\$\/kWh\) +amount \(\$\)/);
    expect(text).toMatch(/c2 +s1 +electricity +8 +0\.325 +2\.6 /);
    expect(text).toMatch(
      /offered \(kWh\) +demanded \(kWh\) +P2P \(kWh\) +avg P2P price \(\$\/kWh\)/,
    );
    expect(text).toMatch(/electricity\s+143\.517\s+333\.858\s+100\.664/); // real PV surplus and deficit
    expect(text).toMatch(/chain: 24 blocks, last [0-9a-f]{64}, verified/);
    const chain = readFileSync(join(dir, 'chain.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(chain).toHaveLength(24);
    expect(verifyChain(chain)).toEqual({ ok: true });
    expect(readFileSync(join(dir, 'day-319.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(existsSync(join(dir, 'chain.jsonl'))).toBe(true);
  });

  it('spreads hot water by shares that sum to the whole day', () => {
    expect(HOT_WATER_SHARES).toHaveLength(24);
    expect(HOT_WATER_SHARES.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const node = (args: string[]) =>
  execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' }).trim();
const CLEAR = `({ offers: [{ id: 's1', participant: 'p1', carrier: 'electricity', quantity: '10', price: '0.30' }], bids: [{ id: 'c2', participant: 'h2', carrier: 'electricity', quantity: '8', price: '0.35' }] }, {}, { timestamp: '2026-01-01T00:00:30Z' }).trades[0].price`;

describe('the built package (dist)', () => {
  it("works with require('microgrid-clearing')", () => {
    expect(
      node(['-e', `const m = require('microgrid-clearing'); console.log(m.clearCycle${CLEAR})`]),
    ).toBe('0.325');
    expect(
      node([
        '-e',
        `console.log(typeof require('microgrid-clearing/node').nodeSha256Hasher.digest)`,
      ]),
    ).toBe('function');
  });

  it("works with import('microgrid-clearing')", () => {
    expect(
      node([
        '--input-type=module',
        '-e',
        `const m = await import('microgrid-clearing'); console.log(m.clearCycle${CLEAR})`,
      ]),
    ).toBe('0.325');
  });

  it('keeps Node out of the core entry and every chunk it loads', () => {
    for (const entry of ['index.js', 'index.cjs']) {
      const seen = new Set<string>();
      const visit = (f: string) => {
        if (seen.has(f)) return;
        seen.add(f);
        const text = readFileSync(join(ROOT, 'dist', f), 'utf8');
        expect(text, f).not.toMatch(
          /["']node:|require\(["'](fs|crypto|path|os|worker_threads)["']\)/,
        );
        for (const m of text.matchAll(/(?:from |require\()["']\.\/([^"']+)["']/g)) visit(m[1]!);
      };
      visit(entry);
      expect(seen.size).toBeGreaterThan(1); // the shared chunks were followed
    }
  });

  it('ships a runnable bin', () => {
    expect(node(['dist/cli.js', '--help'])).toContain('Usage: microgrid-clearing');
  });
});

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

  it('keeps Node out of the pure build of "." and every chunk it loads', () => {
    // Any import of a Node built-in, with or without `node:`, static, dynamic or required.
    const NODE_IMPORT =
      /(?:from\s*|import\s*\(\s*|require\(\s*)["'](?:node:[\w/]+|(?:fs|crypto|path|os|worker_threads|module|child_process)(?:\/[\w/]*)?)["']/;
    const graph = (entry: string) => {
      const files = new Map<string, string>();
      const visit = (f: string) => {
        if (files.has(f)) return;
        const text = readFileSync(join(ROOT, 'dist', f), 'utf8');
        files.set(f, text);
        for (const m of text.matchAll(/(?:from |require\()["']\.\/([^"']+)["']/g)) visit(m[1]!);
      };
      visit(entry);
      return files;
    };
    for (const entry of ['index.js', 'index.cjs']) {
      for (const [f, text] of graph(entry)) expect(text, f).not.toMatch(NODE_IMPORT);
    }
    // The check can see a Node import: the Node build of "." has node:crypto, in its chunks.
    for (const entry of ['index.node.js', 'index.node.cjs']) {
      const files = graph(entry);
      expect(files.size).toBeGreaterThan(1);
      expect(
        [...files.values()].some((text) => NODE_IMPORT.test(text)),
        entry,
      ).toBe(true);
    }
  });

  it('ships a runnable bin', () => {
    expect(node(['dist/cli.js', '--help'])).toContain('Usage: microgrid-clearing');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every module of src/ and the relative modules it imports (values and types alike). */
function graph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(normalize(p));
    }
  };
  walk('src');
  const out = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/from\s+'(\.{1,2}\/[^']+)\.js'/g)].map((m) =>
      normalize(join(dirname(f), `${m[1]}.ts`)),
    );
    out.set(f, deps);
  }
  return out;
}

describe('src/ import structure (docs/architecture.md)', () => {
  const g = graph();

  it('resolves every relative import to a module of src/', () => {
    for (const [f, deps] of g) for (const d of deps) expect(g.has(d), `${f} → ${d}`).toBe(true);
  });

  it('has no import cycle', () => {
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (f: string) => {
      state.set(f, 1);
      stack.push(f);
      for (const d of g.get(f) ?? []) {
        if (state.get(d) === 1)
          cycles.push(
            [...stack.slice(stack.indexOf(d)), d].map((x) => relative('src', x)).join(' → '),
          );
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 2);
    };
    for (const f of g.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('keeps the core free of the Node-only, database and CLI rooms', () => {
    const outer = ['src/node/', 'src/postgres/', 'src/cli/'];
    for (const [f, deps] of g) {
      if (outer.some((o) => f.startsWith(o))) continue;
      for (const d of deps)
        expect(
          outer.some((o) => d.startsWith(o)),
          `${f} → ${d}`,
        ).toBe(false);
    }
  });

  it('keeps internal/ free of rules: it imports only decimal/, the hasher interface and itself', () => {
    const allowed = (d: string) =>
      d.startsWith('src/internal/') || d.startsWith('src/decimal/') || d === 'src/ledger/hasher.ts';
    for (const [f, deps] of g) {
      if (!f.startsWith('src/internal/')) continue;
      for (const d of deps) expect(allowed(d), `${f} → ${d}`).toBe(true);
    }
  });
});

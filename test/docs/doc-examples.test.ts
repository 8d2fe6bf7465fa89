import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'reports', 'doc-examples');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every ```ts block inside a TSDoc comment, with where it came from. */
function examples(): Array<{ where: string; code: string }> {
  const out: Array<{ where: string; code: string }> = [];
  for (const file of sources(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/@example\s*\n((?:\s*\*.*\n)+?)\s*\*\//g)) {
      const body = m[1]!
        .split('\n')
        .map((l) => l.replace(/^\s*\* ?/, ''))
        .join('\n');
      const code = /```ts\n([\s\S]*?)```/.exec(body)?.[1];
      if (code !== undefined)
        out.push({
          where: `${relative(ROOT, file)}:${text.slice(0, m.index).split('\n').length}`,
          code,
        });
    }
  }
  return out;
}

describe('TSDoc examples', () => {
  const all = examples();
  it('exist on the public API', () => expect(all.length).toBeGreaterThan(60));

  it('all type-check against the package', () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const names = Object.keys(api);
    const exported = [
      ...readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8').matchAll(
        /export (?:type )?\{([^}]*)\}/g,
      ),
    ]
      .flatMap((m) => m[1]!.split(','))
      .map((n) => n.replace(/\btype\b/, '').trim())
      .filter((n) => n !== '');
    const types = exported.filter((n) => !names.includes(n));
    const header = `import { ${names.join(', ')} } from '../../src/index.js';\nimport type { ${types.join(', ')} } from '../../src/index.js';\n`;
    all.forEach((ex, i) => {
      // Examples importing the package by name resolve through its exports; the rest get every export.
      const code = ex.code
        .replace(/from 'microgrid-clearing\/node'/g, "from '../../src/node/index.js'")
        .replace(/from 'microgrid-clearing'/g, "from '../../src/index.js'");
      const usesImports = /^import /m.test(code);
      writeFileSync(
        join(OUT, `ex${i}.ts`),
        `// ${ex.where}\n${usesImports ? '' : header}${code}\nexport {};\n`,
      );
    });
    writeFileSync(
      join(OUT, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false },
        include: ['*.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(OUT, 'tsconfig.json')],
        { encoding: 'utf8' },
      );
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    const located = output.replace(
      /reports\/doc-examples\/ex(\d+)\.ts/g,
      (_m, i) => all[Number(i)]!.where,
    );
    expect(located).toBe('');
  });
});

describe('every export', () => {
  it('has TSDoc with an @example on its declaration', () => {
    const index = readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8');
    const names = [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)]
      .flatMap((m) => m[1]!.split(','))
      .map((n) => n.replace(/\btype\b/, '').trim())
      .filter((n) => n !== '');
    const files = sources(join(ROOT, 'src')).map((f) => readFileSync(f, 'utf8'));
    const missing = names.filter((name) => {
      const decl = new RegExp(
        `(/\\*\\*(?:(?!\\*/)[\\s\\S])*?\\*/)\\s*export (?:const|function|class|interface|type) ${name}\\b`,
      );
      const doc = files.map((text) => decl.exec(text)?.[1]).find((d) => d !== undefined);
      return doc === undefined || !doc.includes('@example');
    });
    expect(names.length).toBeGreaterThan(80);
    expect(missing).toEqual([]);
  });
});

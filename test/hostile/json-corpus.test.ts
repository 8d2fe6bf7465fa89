import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { isValidationError, parseBook, parseConfig, safeParseBook } from '../../src/index.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'jsontestsuite', 'test_parsing');
const files = readdirSync(DIR).sort();
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Only a ValidationError may come out, and quickly. */
function refusedCleanly(run: () => unknown): 'parsed' | 'refused' {
  const t0 = performance.now();
  try {
    run();
    return 'parsed';
  } catch (err) {
    expect(isValidationError(err), String(err)).toBe(true);
    return 'refused';
  } finally {
    expect(performance.now() - t0).toBeLessThan(2000); // no hang; generous for a shared machine
  }
}

function cli(file: string): { code: number; err: string } {
  const err: string[] = [];
  const code = main(['clear', join(DIR, file), '--timestamp', '2026-01-01T00:00:00Z'], {
    out: () => {},
    err: (t) => err.push(t),
    now: () => '',
  });
  if (typeof code !== 'number') throw new Error('a file command answered asynchronously');
  return { code, err: err.join('\n') };
}

describe('JSONTestSuite corpus (nst/JSONTestSuite, test_parsing)', () => {
  it('holds the whole corpus', () => expect(files.length).toBe(318));

  it.each(files.filter((f) => f.startsWith('n_')))(
    '%s is refused, as a string and as a file',
    (file) => {
      const bytes = readFileSync(join(DIR, file));
      let text: string | undefined;
      try {
        text = UTF8.decode(bytes);
      } catch {
        text = undefined; // not UTF-8: only the file path applies
      }
      if (text !== undefined) {
        expect(refusedCleanly(() => parseBook(text))).toBe('refused');
        expect(refusedCleanly(() => parseConfig(text))).toBe('refused');
        const r = safeParseBook(text);
        expect(r.success).toBe(false);
        if (!r.success) expect(r.issues[0]!.code).toBe('invalid_json');
      }
      const run = cli(file);
      expect(run.code).toBe(1);
      expect(run.err).not.toMatch(/\n\s+at |internal error/);
    },
  );

  it.each(files.filter((f) => f.startsWith('y_') || f.startsWith('i_')))(
    '%s is parsed or refused by the schema, never a crash',
    (file) => {
      const bytes = readFileSync(join(DIR, file));
      let text: string | undefined;
      try {
        text = UTF8.decode(bytes);
      } catch {
        text = undefined;
      }
      if (text !== undefined) {
        refusedCleanly(() => parseBook(text));
        refusedCleanly(() => parseConfig(text));
      }
      const run = cli(file);
      expect([0, 1]).toContain(run.code);
      expect(run.err).not.toMatch(/\n\s+at |internal error/);
    },
  );
});

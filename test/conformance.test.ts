import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearCycle, clearCycleReference, verifyChain, verifyCycle } from '../src/index.js';

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
    // The rules as code clear it to the same bytes (test/reference/shared.test.ts holds both
    // engines equal everywhere; here, on what the package publishes).
    const reference = clearCycleReference(v.book, v.config, { timestamp: v.timestamp });
    expect(JSON.stringify(reference)).toBe(JSON.stringify(result));
  });
});

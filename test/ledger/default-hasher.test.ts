import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultHasher as pureDefault } from '../../src/ledger/default-hasher.js';
import { sha256Hasher, toHex } from '../../src/ledger/hasher.js';
import { defaultHasher as nodeDefault } from '../../src/node/default-hasher.js';
import { nodeSha256Hasher } from '../../src/node/hasher.js';
import { runs } from '../helpers/books.js';

// The two modules the builds choose between (tsup.config.ts); test/package checks which one each
// build of the package resolves.
describe('the default hasher', () => {
  it('is @noble/hashes in the pure build and node:crypto in the Node build', () => {
    expect(pureDefault).toBe(sha256Hasher);
    expect(nodeDefault).toBe(nodeSha256Hasher);
  });

  it('gives the same digests either way, whole or in pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const at = Math.min(cut, bytes.length);
        const whole = toHex(pureDefault.digest(bytes));
        expect(toHex(nodeDefault.digest(bytes))).toBe(whole);
        for (const h of [pureDefault, nodeDefault]) {
          const inc = h.create!();
          inc.update(bytes.subarray(0, at));
          inc.update(bytes.subarray(at));
          expect(toHex(inc.digest())).toBe(whole);
        }
        expect(pureDefault.id).toBe(nodeDefault.id);
        expect(pureDefault.outputLen).toBe(nodeDefault.outputLen);
      }),
      runs(300),
    );
  });
});

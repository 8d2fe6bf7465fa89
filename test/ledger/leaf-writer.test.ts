import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLimbs, formatScaled } from '../../src/decimal/decimal.js';
import { sha256Hasher, toHex } from '../../src/index.js';
import { asciiBytes, ByteWriter } from '../../src/internal/byte-writer.js';
import type { BlockHasher } from '../../src/ledger/hasher.js';
import { LeafStream, leafHash } from '../../src/ledger/merkle.js';
import { runs } from '../helpers/books.js';

/** A "hash" that is the leaf's bytes themselves: what was written can be read back. */
const identity: BlockHasher = { id: 'identity', outputLen: 0, digest: (b) => b.slice() };
const utf8 = (s: string) => new TextEncoder().encode(s);

/** The bytes of one leaf holding the one record `write` writes. */
function written(write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(identity);
  write(w);
  return w.digest();
}
const leafOf = (record: string) => utf8(record);

const safeInt = fc.oneof(
  fc.integer({ min: -(2 ** 31) - 5, max: 2 ** 31 + 5 }),
  fc.maxSafeInteger(),
  fc.integer({ min: 0, max: 60 }).map((k) => Number.MAX_SAFE_INTEGER - k),
  fc.integer({ min: 0, max: 15 }).map((k) => 10 ** k),
  fc.integer({ min: 1, max: 15 }).map((k) => 10 ** k - 1),
  fc.constant(0),
);

describe('ByteWriter and LeafStream write the bytes of the canonical text', () => {
  it('decimal(v, s) spells formatScaled(v, s): safe integers either sign, bigints, any scale', () => {
    fc.assert(
      fc.property(
        fc.oneof(safeInt, fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n })),
        fc.integer({ min: 0, max: 30 }),
        (v, scale) => {
          expect(written((w) => w.decimal(v, scale))).toEqual(leafOf(formatScaled(v, scale)));
        },
      ),
      runs(3000),
    );
  });

  it('limbs(hi, lo, s) spells formatLimbs(hi, lo, s)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant(0),
          fc.integer({ min: 0, max: 2 ** 31 + 5 }),
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        ),
        fc.oneof(fc.integer({ min: 0, max: 99_999_999 }), fc.constantFrom(0, 1, 10, 99_999_999)),
        fc.integer({ min: 0, max: 30 }),
        (hi, lo, scale) => {
          expect(written((w) => w.limbs(hi, lo, scale))).toEqual(
            leafOf(formatLimbs(hi, lo, scale)),
          );
        },
      ),
      runs(3000),
    );
  });

  it('json(s) spells JSON.stringify(s) for any string without a lone surrogate', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 12 }),
          fc.string({ unit: 'binary-ascii', maxLength: 12 }),
        ),
        (s) => {
          expect(written((w) => w.json(s))).toEqual(leafOf(JSON.stringify(s)));
        },
      ),
      runs(3000),
    );
  });

  it('writes at a buffer boundary: strings made only of escapes, numbers past 2^53, a tiny buffer', () => {
    // A one-byte buffer grows for every piece; each piece must land whole.
    const tiny = new ByteWriter(identity, 1);
    const pieces: [(w: ByteWriter) => void, string][] = [
      [(w) => w.json('"'), JSON.stringify('"')],
      [(w) => w.json('\\\\'), JSON.stringify('\\\\')],
      [(w) => w.json('abcdefgh'), JSON.stringify('abcdefgh')],
      [(w) => w.decimal(1e20, 3), formatScaled(BigInt(1e20), 3)],
      [(w) => w.decimal(-(2 ** 60), 0), formatScaled(-(2n ** 60n), 0)],
      [(w) => w.decimal(123456789, 4), formatScaled(123456789, 4)],
      [(w) => w.limbs(123456789012, 99, 10), formatLimbs(123456789012, 99, 10)],
    ];
    for (const [write] of pieces) write(tiny);
    expect(tiny.digest()).toEqual(utf8(pieces.map(([, text]) => text).join('')));
    for (const [write, text] of pieces) expect(written(write)).toEqual(utf8(text));
    // And from an empty buffer, one piece at a time: room for exactly what each writes.
    for (const [write, text] of pieces) {
      const empty = new ByteWriter(identity, 0);
      write(empty);
      expect(empty.digest()).toEqual(utf8(text));
    }
  });

  it('pieces written in turn are the joined text; records are cut into leaves of leafSize', () => {
    const w = new LeafStream(2, identity);
    const records = ['{"a":"1.5"}', '{"b":"é😀"}', '{"c":0}'];
    w.out.bytes(asciiBytes('{"a":"'));
    w.out.decimal(15, 1);
    w.out.bytes(asciiBytes('"}'));
    w.end();
    w.push(records[1]!);
    w.out.text('{"c":');
    w.out.limbs(0, 0, 3);
    w.out.text('}');
    w.end();
    expect(w.count).toBe(3);
    expect(w.finish()).toEqual([
      utf8(`\u0000${records[0]}\n${records[1]}\n`),
      utf8(`\u0000${records[2]}\n`),
    ]);
  });

  it('streams through one reused buffer: every piece fed is the text, leaf after leaf, from any first size', () => {
    // A streaming "hash" that copies what it is fed (as its contract asks) and returns it.
    const fed: number[] = [];
    const copying: BlockHasher = {
      id: 'copy',
      outputLen: 0,
      digest: (b) => b.slice(),
      create: () => {
        const parts: Uint8Array[] = [];
        return {
          update: (b: Uint8Array) => {
            fed.push(b.length);
            parts.push(b.slice());
          },
          digest: () => utf8(parts.map((p) => new TextDecoder().decode(p)).join('')),
        };
      },
    };
    for (const first of [4, 1 << 16]) {
      const w = new ByteWriter(copying, first);
      for (let leaf = 0; leaf < 2; leaf++) {
        let text = '';
        for (let i = 0; i < 30_000; i++) {
          const piece = `${leaf}:${i},`;
          w.text(piece);
          text += piece;
        }
        w.decimal(123456789, 4);
        text += '12345.6789';
        expect(new TextDecoder().decode(w.digest())).toBe(text);
      }
    }
    // More than one piece a leaf was fed: the bytes went through the streaming path.
    expect(fed.length).toBeGreaterThan(4);
  });

  it('a leaf past the 64 KiB buffer hashes the same streamed in pieces or grown whole', () => {
    const big = 'x'.repeat(40_000);
    // The second record does not fit beside the first (streamed, or grown without create());
    // the fourth is larger than the buffer on its own.
    const records = [`"${big}"`, `"${big}"`, '"é"', `"${big}${big}${big}"`, '"z"'];
    const oneShot: BlockHasher = { id: 'sha256', outputLen: 32, digest: sha256Hasher.digest };
    for (const hasher of [sha256Hasher, oneShot]) {
      const w = new LeafStream(3, hasher);
      for (const r of records) {
        w.out.json(JSON.parse(r) as string);
        w.end();
      }
      const got = w.finish().map(toHex);
      expect(got).toEqual([
        toHex(leafHash(records.slice(0, 3), sha256Hasher)),
        toHex(leafHash(records.slice(3), sha256Hasher)),
      ]);
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hasher, toHex } from '../../src/index.js';
import { nodeSha256Hasher } from '../../src/node/index.js';
import { runs } from '../helpers/books.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function nistVectors(file: string): Array<{ len: number; msg: string; md: string }> {
  const text = readFileSync(join(FIXTURES, 'nist-sha256', file), 'utf8');
  const out: Array<{ len: number; msg: string; md: string }> = [];
  let len = -1;
  let msg = '';
  for (const line of text.split(/\r?\n/)) {
    const m = /^(Len|Msg|MD) = (\w+)$/.exec(line.trim());
    if (m === null) continue;
    if (m[1] === 'Len') len = Number(m[2]);
    else if (m[1] === 'Msg') msg = m[2]!;
    else out.push({ len, msg: len === 0 ? '' : msg, md: m[2]! });
  }
  return out;
}

const hexBytes = (hex: string) =>
  Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));

describe('NIST CAVP SHA-256', () => {
  const vectors = [...nistVectors('SHA256ShortMsg.rsp'), ...nistVectors('SHA256LongMsg.rsp')];
  it('has all 129 vectors', () => expect(vectors).toHaveLength(129));
  it.each(vectors.map((v) => [v.len, v] as const))('Len = %i', (_len, v) => {
    const bytes = hexBytes(v.msg);
    expect(bytes.length * 8).toBe(v.len);
    expect(toHex(sha256Hasher.digest(bytes))).toBe(v.md);
    expect(toHex(nodeSha256Hasher.digest(bytes))).toBe(v.md);
  });
});

describe('RFC 8785 canonical JSON', () => {
  const names = readdirSync(join(FIXTURES, 'rfc8785', 'input'));
  it('has the 6 vectors', () => expect(names).toHaveLength(6));
  it.each(names)('%s', (name) => {
    const input = JSON.parse(readFileSync(join(FIXTURES, 'rfc8785', 'input', name), 'utf8'));
    const expected = readFileSync(join(FIXTURES, 'rfc8785', 'output', name));
    expect(Buffer.from(canonicalJson(input), 'utf8').equals(expected)).toBe(true);
  });

  it('equals a second implementation (canonicalize, by the RFC authors) on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ noUnicodeString: false }), (v) => {
        expect(canonicalJson(v)).toBe(canonicalize(v));
      }),
      runs(3000),
    );
  });

  it('refuses what has no single reading: lone surrogates, non-finite numbers, non-JSON values', () => {
    expect(() => canonicalJson({ a: '\uD800' })).toThrow(RangeError);
    expect(() => canonicalJson({ '\uDC00': 1 })).toThrow(RangeError);
    expect(() => canonicalJson([Number.NaN])).toThrow(RangeError);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => canonicalJson({ a: undefined })).toThrow(TypeError);
    expect(() => canonicalJson(1n)).toThrow(TypeError);
    expect(() => canonicalJson(new Map())).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });

  it('sorts keys by UTF-16 code units, not code points or locale', () => {
    // U+FFFD sorts after U+1F600's high surrogate (0xD83D) in UTF-16 order.
    expect(canonicalJson({ '\uFFFD': 1, '😀': 2, a: 3, B: 4 })).toBe(
      '{"B":4,"a":3,"😀":2,"\uFFFD":1}',
    );
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(1e21)).toBe('1e+21');
  });
});

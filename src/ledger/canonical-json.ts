/**
 * RFC 8785 JSON Canonicalization Scheme.
 *
 * Written here rather than taken from `canonicalize` (the RFC authors' package, used in the tests
 * as the differential reference) because that package serialises lone surrogates and non-finite
 * numbers instead of refusing them, and a ledger must never hash a value that has two readings.
 *
 * @module
 */
import { hasLoneSurrogate } from '../validate/common.js';

export const MAX_DEPTH = 512;

/**
 * Serialises a JSON value per RFC 8785: object members sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript shortest form (RFC 8785 §3.2.2.3), strings with the minimal
 * JSON escapes.
 *
 * @param value - `null`, a boolean, a finite number, a string, an array or a plain object of those.
 * @returns the canonical text; encode it as UTF-8 to hash it.
 * @throws `TypeError` for a value JSON cannot hold (`undefined`, a function, a bigint, a class
 *   instance, a cycle) and `RangeError` for NaN, ±Infinity or a string with a lone surrogate.
 * @example
 * ```ts
 * import { canonicalJson } from 'microgrid-clearing';
 * canonicalJson({ b: [1, 2.50, 'x'], a: null }); // '{"a":null,"b":[1,2.5,"x"]}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new RangeError(`"value" expected a finite number, got ${value}`);
      return JSON.stringify(value);
    case 'string':
      return quoteString(value);
    case 'object':
      break;
    default:
      throw new TypeError(`"value" expected a JSON value, got ${typeof value}`);
  }
  if (depth >= MAX_DEPTH)
    throw new TypeError(`"value" is nested deeper than ${MAX_DEPTH} levels (or holds a cycle)`);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i], depth + 1);
    }
    return `${out}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(
      `"value" expected a plain object, got ${proto?.constructor?.name ?? 'an object'}`,
    );
  }
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks for.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined)
      throw new TypeError(`"value" member ${JSON.stringify(key)} is undefined`);
    if (!first) out += ',';
    first = false;
    out += `${quoteString(key)}:${write(member, depth + 1)}`;
  }
  return `${out}}`;
}

/** JSON.stringify escapes exactly as RFC 8785 §3.2.2.2 asks, for well-formed strings. */
export function quoteString(text: string): string {
  if (hasLoneSurrogate(text))
    throw new RangeError('"value" holds a string with a lone UTF-16 surrogate');
  return JSON.stringify(text);
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return ENCODER.encode(text);
}

const ENCODER = /* @__PURE__ */ new TextEncoder();

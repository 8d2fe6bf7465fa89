/**
 * A book's JSON text as ASCII bytes, for the trip to a worker thread, when that text says exactly
 * what the object says.
 *
 * @module
 * @internal
 */

/** Deeper than any book: past it a value is sent as it is. */
const MAX_DEPTH = 32;

const HEX = '0123456789abcdef';

/**
 * @internal The bytes of a JSON text whose `JSON.parse` gives back `value` exactly — the same keys
 * in the same order, the same strings, numbers, booleans and nulls, plain objects and arrays —
 * with every character past ASCII written as a `\u` escape; or `undefined` when no JSON text can
 * say `value` (it holds `undefined`, a function, a bigint, a symbol, `NaN`, ±∞, `-0`, an array
 * hole, an object with a `toJSON` method or that is not a plain object or array, or it nests
 * deeper than any book).
 *
 * A book crosses to a worker thread as these bytes (transferred, not copied) and is read there by
 * the book reader's text path. Measured on a 10k-a-side book: its structured clone costs the
 * caller ~13 ms and the worker ~20 ms to rebuild, these bytes ~6 ms and the text path ~3 ms more
 * than the object path; `JSON.stringify` and the text's bytes would cost the caller ~18 ms (its
 * result is slow to read again) (docs/performance.md, "Many markets").
 */
export function plainJsonBytes(
  value: unknown,
  scratch: JsonBytes = new JsonBytes(),
): Uint8Array | undefined {
  // An enumerable key on Object.prototype: the validator could read it, the text would not say it.
  if (hasEnumerableKey(Object.prototype)) return undefined;
  scratch.at = 0;
  // A copy of the exact length: the scratch buffer, grown to the largest book, is kept.
  return scratch.value(value, 0) ? scratch.buf.slice(0, scratch.at) : undefined;
}

function hasEnumerableKey(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** @internal Where {@link plainJsonBytes} writes: one a pool, reused book after book. */
export class JsonBytes {
  buf = new Uint8Array(1 << 16);
  at = 0;

  /** Writes `value`; false when it is not plain JSON data (the bytes are then of no use). */
  value(value: unknown, depth: number): boolean {
    switch (typeof value) {
      case 'string':
        this.string(value);
        return true;
      case 'boolean':
        this.ascii(value ? 'true' : 'false');
        return true;
      case 'number':
        if (!Number.isFinite(value) || Object.is(value, -0)) return false;
        // String(n) is JSON.stringify(n) for every finite number.
        this.ascii(String(value));
        return true;
      case 'object':
        break;
      default:
        return false;
    }
    if (value === null) {
      this.ascii('null');
      return true;
    }
    if (depth === MAX_DEPTH) return false;
    if (Array.isArray(value)) {
      if (Object.getPrototypeOf(value) !== Array.prototype) return false;
      this.byte(0x5b);
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.byte(0x2c);
        if (!(i in value) || !this.value(value[i], depth + 1)) return false;
      }
      this.byte(0x5d);
      return true;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    const record = value as Record<string, unknown>;
    // JSON.stringify would call a toJSON, an inherited one too.
    if (record.toJSON !== undefined) return false;
    this.byte(0x7b);
    let first = true;
    // for-in walks the own keys in JSON.stringify's order (integer keys first, then as added):
    // the prototype, Object.prototype or none, has no enumerable key (checked first).
    for (const key in record) {
      if (!first) this.byte(0x2c);
      first = false;
      this.string(key);
      this.byte(0x3a);
      if (!this.value(record[key], depth + 1)) return false;
    }
    this.byte(0x7d);
    return true;
  }

  /** A JSON string literal, in ASCII: `"`, `\`, controls and all past ASCII escaped. */
  private string(s: string): void {
    this.room(6 * s.length + 2);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = 0x22;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) buf[at++] = c;
      else if (c === 0x22 || c === 0x5c) {
        buf[at++] = 0x5c;
        buf[at++] = c;
      } else {
        buf[at++] = 0x5c;
        buf[at++] = 0x75;
        buf[at++] = HEX.charCodeAt(c >> 12);
        buf[at++] = HEX.charCodeAt((c >> 8) & 15);
        buf[at++] = HEX.charCodeAt((c >> 4) & 15);
        buf[at++] = HEX.charCodeAt(c & 15);
      }
    }
    buf[at++] = 0x22;
    this.at = at;
  }

  private ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.at++] = s.charCodeAt(i);
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = 2 * this.buf.length;
    while (size < this.at + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.at));
    this.buf = grown;
  }
}

/** @internal The bytes of `text` when it is all ASCII (one byte a character), else `undefined`. */
export function asciiBytes(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(text.length);
  const { read, written } = new TextEncoder().encodeInto(text, bytes);
  // A character past ASCII takes two bytes or more: the buffer fills before the text ends.
  return read === text.length && written === text.length ? bytes : undefined;
}

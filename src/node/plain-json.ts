/**
 * A book's JSON text as ASCII bytes, for the trip to a worker thread, when that text says the book
 * as the thread's structured clone of it would.
 *
 * @module
 * @internal
 */

/**
 * As deep as a book goes: the book, a side's array, an order, its fields (strings, numbers,
 * booleans). Anything deeper is no book's (the validator refuses it) and is sent as it is: the
 * walk stays linear in the book, even for a graph of shared objects whose text would be
 * exponentially long.
 */
const MAX_DEPTH = 3;

/** A scratch buffer past this is let go after the book that grew it. */
const KEEP_BYTES = 1 << 24;

const HEX = '0123456789abcdef';

/**
 * @internal The bytes of a JSON text that says `value` as the worker thread's structured clone
 * of it would (its own enumerable keys in the same order, the same strings, numbers, booleans and
 * nulls, plain objects and arrays), every character past ASCII written as a `\u` escape; or
 * `undefined` when no such text is made: the value holds `undefined`, a function, a bigint, a
 * symbol, `NaN`, ±∞, `-0`, an array hole (even one an inherited index fills), an object with a
 * `toJSON` method or that is not a plain object or array; it nests deeper than a book's order
 * fields; `Object.prototype` has an enumerable key (for-in would write it as the object's own);
 * or reading it throws (a getter, a revoked proxy).
 *
 * A book crosses to a worker thread as these bytes (transferred, not copied) and is read there by
 * the book reader's text path. Measured on a 10k-a-side book: its structured clone costs the
 * caller ~13 ms and the worker ~20 ms to rebuild, these bytes ~5 ms and the text path ~3 ms more
 * than the object path; `JSON.stringify` and the text's bytes would cost the caller ~18 ms (its
 * result is slow to read again) (docs/performance.md, "Many markets").
 */
export function plainJsonBytes(
  value: unknown,
  scratch: JsonBytes = new JsonBytes(),
): Uint8Array | undefined {
  if (hasEnumerableKey(Object.prototype)) return undefined;
  scratch.at = 0;
  let plain: boolean;
  try {
    plain = scratch.value(value, 0);
  } catch {
    // A getter that throws, a revoked proxy: structured clone says why, as it did before.
    plain = false;
  }
  // A copy of the exact length: the scratch buffer is kept for the next book unless it is large.
  const bytes = plain ? scratch.buf.slice(0, scratch.at) : undefined;
  if (scratch.buf.length > KEEP_BYTES) scratch.buf = new Uint8Array(1 << 16);
  return bytes;
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
        // Own: a hole that an index on Array.prototype fills is no element to the validator.
        if (!Object.hasOwn(value, i) || !this.value(value[i], depth + 1)) return false;
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
    // for-in walks the own enumerable keys in JSON.stringify's order (integer keys first, then as
    // added), and no other: the prototype, Object.prototype or none, has no enumerable key.
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
    // Room for the plain case; an escape makes room for the rest as it comes.
    this.room(s.length + 2);
    let buf = this.buf;
    let at = this.at;
    buf[at++] = 0x22;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) {
        buf[at++] = c;
        continue;
      }
      this.at = at;
      this.room(6 + (s.length - i));
      buf = this.buf;
      if (c === 0x22 || c === 0x5c) {
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
export function bytesIfAscii(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(text.length);
  const { read, written } = new TextEncoder().encodeInto(text, bytes);
  // A character past ASCII takes two bytes or more: the buffer fills before the text ends.
  return read === text.length && written === text.length ? bytes : undefined;
}

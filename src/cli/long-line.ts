/**
 * A chain line too long for one JavaScript string (a block of millions of records): read from the
 * file in chunks, its records parsed and hashed one at a time into the Merkle root, its header
 * fields kept as text and parsed strictly at the end. Memory is one record and the leaf digests.
 *
 * @module
 * @internal
 */
import { readSync } from 'node:fs';
import type { Block, BlockHasher } from '../index.js';
import { canonicalJson } from '../ledger/canonical-json.js';
import { toHex } from '../ledger/hasher.js';
import { leafHash, merkleRoot } from '../ledger/merkle.js';
import { readJsonText } from '../validate/json.js';

const CHUNK = 1 << 20;
/** Longest header field kept as text (every field of a real header is far shorter). */
const MAX_FIELD_BYTES = 1 << 20;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What a long line holds: its header, and what its records hash to. */
export interface LongEntry {
  readonly header: Block;
  /** Whether it has a `transactions` array. */
  readonly hasTransactions: boolean;
  readonly count: number;
  readonly merkleRoot: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Reads the entry stored in bytes `[start, start + length)` of `fd`, or says why it is not one.
 * The same rules as a short line: strict JSON (duplicate keys refused), records canonicalised and
 * hashed in leaves of the header's `leafSize`, which must come before `transactions` here.
 */
export function readLongEntry(
  fd: number,
  start: number,
  length: number,
  hasher: BlockHasher,
  at: string,
): LongEntry | string {
  const chunk = Buffer.allocUnsafe(CHUNK);
  // Header fields: raw key text and raw value text, in order.
  const fields: string[] = [];
  let key: Buffer[] = [];
  let keyText = '';
  let value: Buffer[] = [];
  let valueLength = 0;
  // Where the scan is: depth of nesting, inside a string, after a backslash.
  let depth = 0;
  let inString = false;
  let escaped = false;
  // At depth 1: expecting a key, reading a key, expecting a value, reading a value.
  let mode: 'key' | 'in-key' | 'value' | 'in-value' | 'records' = 'key';
  let sawObject = false;
  let closed = false;
  // The records: each one's bytes, then its canonical text into the current leaf.
  let hasTransactions = false;
  let leafSize = 0;
  let record: Buffer[] = [];
  let inRecord = false;
  let leaf: string[] = [];
  const digests: Uint8Array[] = [];
  let count = 0;

  const takeRecord = (): string | undefined => {
    let text: string;
    try {
      text = UTF8.decode(record.length === 1 ? record[0]! : Buffer.concat(record));
    } catch {
      return `${at} is not valid UTF-8 (in transaction ${count})`;
    }
    record = [];
    const parsed = readJsonText(text, `transaction ${count} of ${at}`);
    if (!parsed.ok) return parsed.issue.message;
    try {
      leaf.push(canonicalJson(parsed.value));
    } catch (err) {
      return `a transaction is not canonical JSON: ${(err as Error).message}`;
    }
    count++;
    if (leaf.length === leafSize) {
      digests.push(leafHash(leaf, hasher));
      leaf = [];
    }
    return undefined;
  };

  let offset = 0;
  while (offset < length) {
    const n = readSync(fd, chunk, 0, Math.min(CHUNK, length - offset), start + offset);
    if (n === 0) return `${at} ended early`;
    let from = 0; // start of the bytes of this chunk not yet copied into a capture
    for (let i = 0; i < n; i++) {
      const c = chunk[i]!;
      if (closed) {
        if (c === 0x0d && offset + i + 1 === length)
          return `${at} ends with a carriage return (CRLF); a chain's lines end with a line feed alone`;
        if (!isSpace(c)) return `${at} holds more after its block object`;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (mode === 'in-key' && depth === 1) {
            key.push(Buffer.from(chunk.subarray(from, i + 1)));
            const raw = Buffer.concat(key).toString('utf8');
            key = [];
            try {
              keyText = JSON.parse(raw) as string;
            } catch {
              return `${at} is not valid JSON (a key)`;
            }
            fields.push(raw);
            mode = 'value';
          }
        }
        continue;
      }
      if (mode === 'records') {
        // Inside the transactions array (depth 2), or inside one record (depth > 2).
        if (c === QUOTE) {
          if (depth === 2 && !inRecord) return `${at}: transaction ${count} is not an object`;
          inString = true;
        } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          if (depth === 2 && !inRecord) {
            inRecord = true;
            from = i;
          }
          depth++;
        } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
          depth--;
          if (depth === 1) {
            // The array closed.
            if (inRecord || c !== CLOSE_ARRAY) return `${at} is not valid JSON (in transactions)`;
            mode = 'key';
            fields.push('[]');
            continue;
          }
          if (depth === 2 && inRecord) {
            record.push(Buffer.from(chunk.subarray(from, i + 1)));
            inRecord = false;
            const problem = takeRecord();
            if (problem !== undefined) return problem;
          }
        } else if (depth === 2 && !inRecord && !isSpace(c) && c !== COMMA)
          return `${at}: transaction ${count} is not an object`;
        continue;
      }
      if (depth === 0) {
        if (isSpace(c)) continue;
        if (c !== OPEN_OBJECT || sawObject) return `${at} is not a block object`;
        sawObject = true;
        depth = 1;
        continue;
      }
      if (depth === 1 && mode === 'value') {
        if (isSpace(c) || c === COLON) continue;
        if (keyText === 'transactions' && c === OPEN_ARRAY) {
          if (hasTransactions) return `${at} is not acceptable JSON: duplicate key "transactions"`;
          hasTransactions = true;
          const size = fieldValue(fields, 'leafSize');
          if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1)
            return `${at} is longer than one string holds, and there its "leafSize" (a positive integer) must come before "transactions"`;
          leafSize = size;
          mode = 'records';
          depth = 2;
          continue;
        }
        mode = 'in-value';
        value = [];
        valueLength = 0;
        from = i;
        if (c === QUOTE) {
          inString = true;
          continue;
        }
      }
      if (c === QUOTE) {
        inString = true;
        if (depth === 1 && mode === 'key') {
          mode = 'in-key';
          from = i;
        }
        continue;
      }
      if (mode === 'in-value') {
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
        else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && depth > 1) depth--;
        else if (depth === 1 && (c === COMMA || c === CLOSE_OBJECT)) {
          value.push(Buffer.from(chunk.subarray(from, i)));
          fields.push(Buffer.concat(value).toString('utf8').trim());
          value = [];
          mode = 'key';
          if (c === CLOSE_OBJECT) {
            depth = 0;
            closed = true;
          }
        }
        continue;
      }
      if (c === CLOSE_OBJECT && depth === 1) {
        depth = 0;
        closed = true;
        continue;
      }
      if (isSpace(c) || c === COMMA) continue;
      return `${at} is not valid JSON`;
    }
    // Carry what a capture holds across the chunk's end.
    if (!closed) {
      if (mode === 'in-key') key.push(Buffer.from(chunk.subarray(from, n)));
      else if (mode === 'in-value') {
        valueLength += n - from;
        if (valueLength > MAX_FIELD_BYTES)
          return `${at}: the field ${JSON.stringify(keyText)} is longer than a block's field can be`;
        value.push(Buffer.from(chunk.subarray(from, n)));
      } else if (mode === 'records' && inRecord) record.push(Buffer.from(chunk.subarray(from, n)));
    }
    offset += n;
  }
  if (!closed) return `${at} is not valid JSON (truncated?)`;
  if (leaf.length > 0) digests.push(leafHash(leaf, hasher));
  // The header: every field but the records, read strictly (a duplicate key is refused here).
  const pairs: string[] = [];
  for (let k = 0; k < fields.length; k += 2) pairs.push(`${fields[k]}:${fields[k + 1]}`);
  const parsed = readJsonText(`{${pairs.join(',')}}`, at);
  if (!parsed.ok) return parsed.issue.message;
  const { transactions: _records, ...header } = parsed.value as Record<string, unknown>;
  return {
    header: header as unknown as Block,
    hasTransactions,
    count,
    merkleRoot: toHex(merkleRoot(digests, hasher)),
  };
}

/** A header field's value, parsed, when it was read already. */
function fieldValue(fields: readonly string[], name: string): unknown {
  for (let k = 0; k + 1 < fields.length; k += 2) {
    try {
      if (JSON.parse(fields[k]!) === name) return JSON.parse(fields[k + 1]!);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Strict JSON text reading: `JSON.parse` (ECMA-404 syntax) plus what it lets through silently —
 * duplicate keys in an object (the last one wins, so `{"price":"1","price":"9"}` would hide a
 * value) and nesting deep enough to exhaust a stack. One pass over the text, no allocation but for
 * keys that hold escapes.
 *
 * @module
 * @internal
 */
import type { Issue } from '../errors.js';
import { syntaxErrorAt } from './json-syntax.js';

/** Deepest nesting accepted: far beyond any book or config, far below any stack limit. */
export const MAX_JSON_DEPTH = 64;

/**
 * A cap on the elements of some arrays of the top-level object (a book's sides), checked in the
 * scan: text past it is refused before `JSON.parse` makes an object of any element.
 */
export interface ElementCap {
  /** The keys of the top-level object whose arrays are counted, together. */
  readonly keys: ReadonlySet<string>;
  /** Most elements they may hold. */
  readonly max: number;
}

/** The value of JSON text, or the issue that refuses it. */
export function readJsonText(
  text: string,
  what: string,
  cap?: ElementCap,
): { ok: true; value: unknown } | { ok: false; issue: Issue } {
  const problem = scan(text, cap);
  if (problem === OVER_CAP)
    return {
      ok: false,
      issue: {
        path: '',
        code: 'too_many_orders',
        message: `the ${what} holds more than ${cap!.max} orders; the limit is ${cap!.max}`,
      },
    };
  if (problem !== undefined)
    return {
      ok: false,
      issue: {
        path: problem.path,
        code: 'invalid_json',
        message: `${what} is not acceptable JSON: ${problem.message}`,
      },
    };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return {
      ok: false,
      issue: {
        path: '',
        code: 'invalid_json',
        message: `${what} is not valid JSON: ${withLineColumn((err as Error).message, text)}`,
      },
    };
  }
}

/**
 * A `JSON.parse` message with the line and column (1-based) of the offset it names ("at position
 * N"), of the text's end for "Unexpected end of JSON input", or else of the token at which the
 * text stops being JSON ({@link syntaxErrorAt}): V8 mostly gives none, and a file's reader looks
 * for a line.
 */
export function withLineColumn(message: string, text: string): string {
  // Anchored at the end: the text V8 quotes in its message may itself say "at position 3".
  const at = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
  // Most messages name the token but not where it is (`[1,]`): found by a walk of our own.
  const offset =
    at !== null
      ? Number(at[1])
      : /end of JSON input/.test(message)
        ? text.length
        : syntaxErrorAt(text);
  if (offset < 0 || offset > text.length) return message;
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `${message} (line ${line}, column ${offset - lineStart + 1})`;
}

interface Frame {
  /** Keys seen so far (objects only). */
  keys: Set<string> | undefined;
  /** Path of this container. */
  path: string;
  /** Array index of the next element (arrays only). */
  index: number;
  /** Whether this array's elements count against the {@link ElementCap}. */
  capped: boolean;
  /** Whether the next non-blank character of this array starts an element. */
  fresh: boolean;
}

/** What {@link scan} returns for text whose capped arrays hold too many elements. */
const OVER_CAP = 'over-cap';

/**
 * Finds duplicate keys, excessive depth and, with a cap, too many elements in the capped arrays,
 * whichever comes first in the text. Syntax errors are left to `JSON.parse`, which names them
 * better; the scan only needs to stay in step with valid text.
 */
function scan(
  text: string,
  cap: ElementCap | undefined,
): { path: string; message: string } | typeof OVER_CAP | undefined {
  const stack: Frame[] = [];
  let expectKey = false;
  let lastKey = '';
  let elements = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (stack.length === 2) {
      // An element of a capped array begins at its first character that is not blank, `,` or `]`.
      const side = stack[1]!;
      if (side.capped && side.fresh && c > 0x20 && c !== 0x2c && c !== 0x5d) {
        side.fresh = false;
        if (++elements > cap!.max) return OVER_CAP;
      }
    }
    if (c === 0x22) {
      // A string: find its end, honouring escapes.
      const start = i;
      let escaped = false;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) {
          escaped = true;
          i++;
        } else if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys !== undefined) {
        const raw = text.slice(start, i + 1);
        let key: string;
        try {
          key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        } catch {
          return undefined; // malformed: JSON.parse will say where
        }
        if (top.keys.has(key))
          return {
            path: childPath(top.path, key),
            message: `duplicate key ${JSON.stringify(key)}`,
          };
        top.keys.add(key);
        lastKey = key;
        expectKey = false;
      }
    } else if (c === 0x7b || c === 0x5b) {
      const top = stack[stack.length - 1];
      const path =
        top === undefined
          ? ''
          : top.keys !== undefined
            ? childPath(top.path, lastKey)
            : `${top.path}[${top.index}]`;
      if (stack.length >= MAX_JSON_DEPTH)
        return { path, message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
      const capped =
        c === 0x5b &&
        cap !== undefined &&
        stack.length === 1 &&
        top?.keys !== undefined &&
        cap.keys.has(lastKey);
      stack.push({
        keys: c === 0x7b ? new Set() : undefined,
        path,
        index: 0,
        capped,
        fresh: true,
      });
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.keys !== undefined) expectKey = true;
      else if (top !== undefined) {
        top.index++;
        top.fresh = true;
      }
    }
  }
  return undefined;
}

function childPath(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

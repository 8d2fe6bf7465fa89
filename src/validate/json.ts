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

/** Deepest nesting accepted: far beyond any book or config, far below any stack limit. */
export const MAX_JSON_DEPTH = 64;

/** The value of JSON text, or the issue that refuses it. */
export function readJsonText(
  text: string,
  what: string,
): { ok: true; value: unknown } | { ok: false; issue: Issue } {
  const problem = scan(text);
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
        message: `${what} is not valid JSON: ${(err as Error).message}`,
      },
    };
  }
}

interface Frame {
  /** Keys seen so far (objects only). */
  keys: Set<string> | undefined;
  /** Path of this container. */
  path: string;
  /** Array index of the next element (arrays only). */
  index: number;
}

/**
 * Finds duplicate keys and excessive depth. Syntax errors are left to `JSON.parse`, which names
 * them better; the scan only needs to stay in step with valid text.
 */
function scan(text: string): { path: string; message: string } | undefined {
  const stack: Frame[] = [];
  let expectKey = false;
  let lastKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
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
      stack.push({ keys: c === 0x7b ? new Set() : undefined, path, index: 0 });
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.keys !== undefined) expectKey = true;
      else if (top !== undefined) top.index++;
    }
  }
  return undefined;
}

function childPath(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

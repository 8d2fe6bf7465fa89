/**
 * The worker thread of `clearMany`: clears the markets it is sent, one at a time, with the
 * `node:crypto` hasher, and posts back each result (or its error, as data).
 *
 * @module
 * @internal
 */
import { parentPort } from 'node:worker_threads';
import { clearCycle } from '../engine/clear.js';
import { ClearingError, ValidationError } from '../errors.js';
import type { CycleResult } from '../model/result.js';
import { nodeSha256Hasher } from './hasher.js';
import {
  type ErrorData,
  LAZY_PARTS,
  type ResultParts,
  type WorkerReply,
  type WorkerRequest,
} from './protocol.js';

const port = parentPort;
if (port !== null) {
  port.on('message', (req: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      const result = clearCycle(req.market.book, req.market.config, {
        timestamp: req.market.timestamp,
        previous: req.market.previous,
        hasher: nodeSha256Hasher,
      });
      // As JSON text: strings cross the thread (a copy), and JSON.parse on the other side beats
      // structured clone on an object graph of this shape.
      reply = {
        index: req.index,
        ok: true,
        result: req.mode === 'json' ? JSON.stringify(result) : toParts(result),
      };
    } catch (err) {
      reply = { index: req.index, ok: false, error: errorData(err) };
    }
    port.postMessage(reply);
  });
}

/** The result as a head and its large lists, each its own JSON text (see {@link ResultParts}). */
function toParts(result: CycleResult): ResultParts {
  const parts: Record<string, string> = {};
  const head = JSON.stringify(result, function (this: unknown, key: string, value: unknown) {
    for (const [parent, name] of LAZY_PARTS) {
      if (key !== name) continue;
      const holder =
        parent === '' ? result : (result as unknown as Record<string, unknown>)[parent];
      if (this !== holder) continue;
      parts[`${parent}.${name}`] = JSON.stringify(value);
      return 0;
    }
    return value;
  });
  return { head, parts };
}

function errorData(err: unknown): ErrorData {
  if (err instanceof ValidationError) return { kind: 'validation', issues: err.issues.slice() };
  if (err instanceof ClearingError)
    return { kind: 'clearing', code: err.code, message: err.message };
  return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
}

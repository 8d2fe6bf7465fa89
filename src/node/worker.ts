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
import { nodeSha256Hasher } from './hasher.js';
import type { ErrorData, WorkerReply, WorkerRequest } from './protocol.js';

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
      // As JSON text: one string crosses the thread (a copy), and JSON.parse on the other side
      // beats structured clone on an object graph of this shape.
      reply = { index: req.index, ok: true, result: JSON.stringify(result) };
    } catch (err) {
      reply = { index: req.index, ok: false, error: errorData(err) };
    }
    port.postMessage(reply);
  });
}

function errorData(err: unknown): ErrorData {
  if (err instanceof ValidationError) return { kind: 'validation', issues: err.issues.slice() };
  if (err instanceof ClearingError)
    return { kind: 'clearing', code: err.code, message: err.message };
  return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
}

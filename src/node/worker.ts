/**
 * The worker thread of `clearMany`: clears the markets it is sent, one at a time, with the
 * `node:crypto` hasher, and posts back each result (or its error, as data).
 *
 * @module
 * @internal
 */
import { parentPort } from 'node:worker_threads';
import { clearCycle } from '../engine/clear.js';
import { type ResultTransfer, transferList } from '../engine/transfer.js';
import { FAST_JSON, type FastJson, isTransferred, RESULT_TRANSFER } from '../engine/views.js';
import { ClearingError, ValidationError } from '../errors.js';
import type { CycleResult } from '../model/result.js';
import type { OrderBook } from '../model/types.js';
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
    let transfer: ArrayBuffer[] = [];
    try {
      const bytes = req.bookBytes;
      const book =
        bytes === undefined
          ? (req.market.book as OrderBook | string)
          : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
      const result = clearCycle(book, req.market.config, {
        timestamp: req.market.timestamp,
        previous: req.market.previous,
        hasher: nodeSha256Hasher,
      });
      // Never as an object graph (its structured clone is slow on both sides): the trades,
      // outcomes and accounts as typed arrays (transferred) and the rest as JSON text, parsed on
      // the other side only when read; or the whole result as JSON text (`clearToJson`).
      const parts = req.mode === 'json' ? undefined : toParts(result);
      reply = { index: req.index, ok: true, result: parts ?? toJson(result) };
      transfer = parts?.lists === undefined ? [] : transferList(parts.lists);
    } catch (err) {
      reply = { index: req.index, ok: false, error: errorData(err) };
    }
    port.postMessage(reply, transfer);
  });
}

/** `JSON.stringify(result)`, with the lists that have a fast text written from the cycle's columns. */
function toJson(result: CycleResult): string {
  const fast = fastOf(result);
  const object = (holder: Record<string, unknown>, parent: string): string => {
    const fields: string[] = [];
    for (const key of Object.keys(holder)) {
      let text: string | undefined;
      if (parent === '' && key === 'settlement')
        text = object(holder[key] as Record<string, unknown>, key);
      else if (parent === '' && isFast(key)) text = fast?.[key]();
      text ??= JSON.stringify(holder[key]);
      // Stryker disable next-line ConditionalExpression: results hold no undefined fields; JSON.stringify would drop one
      if (text !== undefined) fields.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${fields.join(',')}}`;
  };
  return object(result as unknown as Record<string, unknown>, '');
}

const isFast = (key: string): key is keyof FastJson =>
  key === 'trades' || key === 'bidOutcomes' || key === 'offerOutcomes';

const fastOf = (result: CycleResult) =>
  (result as unknown as Record<symbol, FastJson | undefined>)[FAST_JSON];

/**
 * The result as a head and its large lists, each its own JSON text (see {@link ResultParts}), the
 * trades, the order outcomes and the accounts as columns. A list is read only to be written
 * here; the trades, outcomes and accounts never become objects or text here.
 */
function toParts(result: CycleResult): ResultParts {
  const parts: Record<string, string> = {};
  const fast = fastOf(result);
  const lists = (result as unknown as Record<symbol, (() => ResultTransfer) | undefined>)[
    RESULT_TRANSFER
  ]?.();
  const split = (holder: Record<string, unknown>, parent: string) => {
    const head: Record<string, unknown> = {};
    for (const key of Object.keys(holder)) {
      if (!LAZY_PARTS.some(([p, k]) => p === parent && k === key)) {
        head[key] = holder[key];
        continue;
      }
      head[key] = 0;
      if (isTransferred(parent, key) && lists !== undefined) continue;
      const written = parent === '' && isFast(key) ? fast?.[key]() : undefined;
      parts[`${parent}.${key}`] = written ?? JSON.stringify(holder[key]);
    }
    return head;
  };
  const head = split(result as unknown as Record<string, unknown>, '');
  head['settlement'] = split(result.settlement as unknown as Record<string, unknown>, 'settlement');
  return { head: JSON.stringify(head), parts, lists };
}

function errorData(err: unknown): ErrorData {
  if (err instanceof ValidationError) return { kind: 'validation', issues: err.issues.slice() };
  if (err instanceof ClearingError)
    return { kind: 'clearing', code: err.code, message: err.message };
  return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
}

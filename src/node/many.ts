/**
 * `clearMany`: independent markets (carrier × zone × slot) cleared across worker threads.
 *
 * @module
 * @internal
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { defineTransferred, isTransferred } from '../engine/views.js';
import { ClearingError, type ClearingErrorCode, type Issue, ValidationError } from '../errors.js';
import type { CycleResult } from '../model/result.js';
import { bytesIfAscii, JsonBytes, plainJsonBytes } from './plain-json.js';
import type { ErrorData, MarketJob, ResultParts, WorkerReply, WorkerRequest } from './protocol.js';

/**
 * Options of {@link clearMany}.
 *
 * @example
 * ```ts
 * import type { ClearManyOptions } from 'microgrid-clearing/node';
 * const options: ClearManyOptions = { workers: 2 };
 * ```
 */
export interface ClearManyOptions {
  /**
   * How many worker threads to start (never more than there are markets).
   * @defaultValue `os.availableParallelism()`
   */
  readonly workers?: number | undefined;
}

/**
 * Clears independent markets in parallel on worker threads, each exactly as
 * `clearCycle(book, config, { timestamp, previous, hasher: nodeSha256Hasher })` would: the same
 * result, byte for byte, in the order of `markets`. Markets are handed out one at a time, so a
 * large market does not hold up the rest.
 *
 * @param markets - the markets: book, config, timestamp and previous block of each.
 * @param options - the number of worker threads.
 * @returns one frozen {@link CycleResult} per market, in input order.
 * @throws {@link index!ValidationError} listing every problem of every market, paths prefixed with
 *   `markets[i].` (e.g. `markets[2].bids[0].price`), when any market is invalid.
 * @throws {@link index!ClearingError} of the first market (by index) that failed to clear, its message
 *   prefixed with `markets[i]: `; `invalid_option` for bad options or a market that cannot be
 *   sent to a thread (a function inside it).
 * @remarks Node only (`microgrid-clearing/node`). A book crosses to its thread as the bytes of
 *   its JSON text when that text says it as a structured clone would (plain objects and arrays,
 *   strings, booleans, null, finite numbers other than `-0`, no deeper than an order's fields),
 *   else by structured clone, with the same results and errors either way; results come back as
 *   transferred columns.
 *   Custom commission policies and hashers are functions and cannot cross: use `clearCycle` for
 *   those.
 *   Worth it for several markets of thousands of orders; for a single market use `clearCycle`.
 *   Each call starts and stops its threads; a service clearing every cycle keeps a
 *   {@link ClearingPool} instead.
 * @example
 * ```ts
 * import { clearMany } from 'microgrid-clearing/node';
 * const offers = [{ id: 's1', participant: 'pv-1', carrier: 'heat', quantity: '5', price: '0.1' }];
 * const bids = [{ id: 'c1', participant: 'home-1', carrier: 'heat', quantity: '2', price: '0.2' }];
 * const results = await clearMany([
 *   { book: { offers, bids }, timestamp: '2026-01-01T00:00:30Z' },
 *   { book: { offers, bids }, config: { pricing: 'ask' }, timestamp: '2026-01-01T00:00:30Z' },
 * ]);
 * results.map((r) => r.trades[0]?.price); // ['0.15', '0.1']
 * ```
 */
export async function clearMany(
  markets: readonly MarketJob[],
  options: ClearManyOptions = {},
): Promise<readonly CycleResult[]> {
  const pool = new ClearingPool(options);
  try {
    return await pool.clear(markets);
  } finally {
    await pool.close();
  }
}

/**
 * Worker threads kept warm between cycles: a service clearing many markets every 30 s starts its
 * threads once (each costs a module load and a cold JIT) and reuses them. Calls to
 * {@link ClearingPool.clear} run one after another. Idle threads do not keep the process alive.
 *
 * @example
 * ```ts
 * import { ClearingPool } from 'microgrid-clearing/node';
 * const pool = new ClearingPool({ workers: 2 });
 * const book = { offers: [], bids: [] };
 * const first = await pool.clear([{ book, timestamp: '2026-01-01T00:00:30Z' }]);
 * const next = await pool.clear([
 *   { book, timestamp: '2026-01-01T00:01:00Z', previous: first[0]!.block },
 * ]);
 * await pool.close();
 * next[0]!.block.height; // 1
 * ```
 */
export class ClearingPool {
  private readonly size: number;
  private readonly workers: Worker[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Where each book's JSON bytes are written before they are copied out and sent. */
  private readonly bookBytes = new JsonBytes();

  /**
   * @param options - the number of worker threads (started on first use).
   * @throws {@link index!ClearingError} `invalid_option` for a worker count that is not a whole number ≥ 1.
   */
  constructor(options: ClearManyOptions = {}) {
    const requested = options?.workers ?? availableParallelism();
    if (!Number.isSafeInteger(requested) || requested < 1) {
      throw new ClearingError(
        'invalid_option',
        `workers must be a whole number ≥ 1, got ${String(options?.workers)}`,
      );
    }
    this.size = requested;
  }

  /**
   * Clears `markets` as {@link clearMany} does, on this pool's threads, two markets queued on
   * each. Each result's trades, order outcomes and accounts come back as typed-array columns
   * (transferred, not copied) and become objects on first read of `result.trades`,
   * `result.bidOutcomes`, `result.offerOutcomes` or `result.settlement.participants`;
   * `resultColumns(result)` reads the trades without making them. The pool lists come back as
   * JSON texts, parsed on first read.
   *
   * @param markets - the markets: book, config, timestamp and previous block of each.
   * @returns one frozen {@link CycleResult} per market, in input order.
   * @throws as {@link clearMany}; {@link index!ClearingError} `invalid_option` after {@link close}.
   */
  clear(markets: readonly MarketJob[]): Promise<readonly CycleResult[]> {
    return this.enqueue(() =>
      this.run(markets, 'parts', (result) => fromParts(result as ResultParts)),
    );
  }

  /**
   * Clears `markets` as {@link ClearingPool.clear} does, but returns each result as its JSON
   * text, `JSON.stringify(result)` (the CLI's RESULT file), made on the worker thread: a service
   * that writes or sends results saves the parse and freeze on its own thread.
   *
   * @param markets - the markets: book, config, timestamp and previous block of each.
   * @returns one JSON text per market, in input order.
   * @throws as {@link ClearingPool.clear}.
   * @example
   * ```ts
   * import { ClearingPool } from 'microgrid-clearing/node';
   * const pool = new ClearingPool({ workers: 1 });
   * const [text] = await pool.clearToJson([
   *   { book: { offers: [], bids: [] }, timestamp: '2026-01-01T00:00:30Z' },
   * ]);
   * await pool.close();
   * JSON.parse(text!).block.height; // 0
   * ```
   */
  clearToJson(markets: readonly MarketJob[]): Promise<readonly string[]> {
    return this.enqueue(() => this.run(markets, 'json', (result) => result as string));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the threads. The pool clears nothing after this. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private async run<T>(
    markets: readonly MarketJob[],
    mode: WorkerRequest['mode'],
    decode: (result: string | ResultParts) => T,
  ): Promise<readonly T[]> {
    if (this.closed) throw new ClearingError('invalid_option', 'this ClearingPool is closed');
    if (!Array.isArray(markets)) {
      throw new ClearingError('invalid_option', 'clear takes an array of markets');
    }
    const shapeIssues: Issue[] = [];
    markets.forEach((m, i) => {
      if (typeof m !== 'object' || m === null || Array.isArray(m)) {
        shapeIssues.push({
          path: `markets[${i}]`,
          code: 'invalid_type',
          message: 'expected a market { book, config?, timestamp, previous? }',
        });
      }
    });
    if (shapeIssues.length > 0) throw new ValidationError(shapeIssues);
    if (markets.length === 0) return Object.freeze([]);
    while (this.workers.length < Math.min(this.size, markets.length)) {
      this.workers.push(startWorker(new URL('./worker.js', import.meta.url)));
    }
    const workers = this.workers.slice(0, Math.min(this.size, markets.length));
    const results: (T | undefined)[] = new Array(markets.length);
    const errors: (ErrorData | undefined)[] = new Array(markets.length);
    const sentAsText: boolean[] = new Array(markets.length);
    const listeners: Array<() => void> = [];
    try {
      await new Promise<void>((resolve, reject) => {
        let next = 0;
        let done = 0;
        const finish = (w: Worker) => {
          done++;
          if (done === markets.length) resolve();
          else send(w);
        };
        const send = (w: Worker) => {
          if (next >= markets.length) return;
          const index = next++;
          const book = markets[index]!.book;
          // A book that a JSON text says exactly crosses as that text's bytes, transferred: far
          // cheaper to send and to read than its structured clone. Should its cycle fail, the book
          // itself is sent, so that every issue is the book's own, as clearCycle gives it.
          // A book given as ASCII text crosses as its bytes too: the same text, copied ~20× faster.
          let bytes: Uint8Array | undefined;
          if (typeof book === 'string') bytes = bytesIfAscii(book);
          else {
            bytes = plainJsonBytes(book, this.bookBytes);
            sentAsText[index] = bytes !== undefined;
          }
          post(w, index, bytes === undefined ? book : undefined, bytes);
        };
        /** Sends market `index`; when that fails, its error is `unsent` if given (a retry's). */
        const post = (
          w: Worker,
          index: number,
          book: unknown,
          bytes?: Uint8Array,
          unsent?: ErrorData,
        ) => {
          const m = markets[index]!;
          try {
            w.postMessage(
              {
                index,
                mode,
                market: { book, config: m.config, timestamp: m.timestamp, previous: m.previous },
                bookBytes: bytes,
              } satisfies WorkerRequest,
              bytes === undefined ? [] : [bytes.buffer as ArrayBuffer],
            );
          } catch (err) {
            errors[index] = unsent ?? {
              kind: 'clearing',
              code: 'invalid_option',
              message: `cannot be sent to a worker thread (${err instanceof Error ? err.message : String(err)})`,
            };
            finish(w);
          }
        };
        for (const w of workers) {
          const onMessage = (reply: WorkerReply) => {
            if (!reply.ok && sentAsText[reply.index] === true) {
              // Its outcome is the book's own: every issue with its path, as clearCycle gives.
              sentAsText[reply.index] = false;
              // A book that clones no better (a proxy) keeps the error its text had.
              post(w, reply.index, markets[reply.index]!.book, undefined, reply.error);
              return;
            }
            if (reply.ok) results[reply.index] = decode(reply.result);
            else errors[reply.index] = reply.error;
            finish(w);
          };
          const onExit = (code: number) =>
            reject(
              new Error(`a clearMany worker thread exited (code ${code}) before its work was done`),
            );
          w.on('message', onMessage);
          w.on('error', reject);
          w.on('exit', onExit);
          w.ref();
          listeners.push(() => {
            w.off('message', onMessage);
            w.off('error', reject);
            w.off('exit', onExit);
            // An idle pool does not hold the process open.
            w.unref();
          });
          send(w);
        }
        // A second market queued on each thread: it clears the next one as soon as it has posted
        // a result, not after this thread has read the reply and copied it another book.
        for (const w of workers) send(w);
      });
    } catch (err) {
      // Threads that failed are not reused: the pool closes.
      for (const off of listeners) off();
      this.closed = true;
      await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
      throw err;
    }
    for (const off of listeners) off();
    throwErrors(errors);
    return Object.freeze(results as T[]);
  }
}

/**
 * A worker thread with the process's flags (`--import` and the like load the same code there),
 * less those a thread refuses: `--input-type` (from `node -e`) would refuse a file, and options
 * that only a process takes (`--expose-gc`, `--max-old-space-size=…`, `--title x`; V8's flags hold
 * for every thread anyway) stop `new Worker` with `ERR_WORKER_INVALID_EXEC_ARGV`, which names them
 * (not their values). Each is left off with its value, given as the next argument.
 */
function startWorker(url: URL): Worker {
  let execArgv = withoutFlags(
    process.execArgv,
    (a) => a === '--input-type' || a.startsWith('--input-type='),
  );
  for (;;) {
    try {
      return new Worker(url, { execArgv });
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw err;
      const message = String((err as Error).message);
      const refused = new Set(message.slice(message.lastIndexOf(': ') + 2).split(', '));
      const kept = withoutFlags(execArgv, (a) => refused.has(a));
      // A message that names none of them: say so, rather than start a thread without them.
      if (kept.length === execArgv.length) throw err;
      execArgv = kept;
    }
  }
}

/**
 * `args` without each flag `drop` picks, and without its value when that is the next argument
 * (the flag has no `=`, the next argument no leading `-`: in `execArgv`, which holds no script,
 * such an argument is always the value of the flag before it).
 */
function withoutFlags(args: readonly string[], drop: (arg: string) => boolean): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!drop(a)) {
      kept.push(a);
      continue;
    }
    const next = args[i + 1];
    if (!a.includes('=') && next !== undefined && !next.startsWith('-')) i++;
  }
  return kept;
}

/** Every validation issue of every market at once; otherwise the first market's other error. */
function throwErrors(errors: readonly (ErrorData | undefined)[]): void {
  const issues: Issue[] = [];
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    if (e?.kind !== 'validation') continue;
    for (const issue of e.issues) {
      issues.push({
        ...issue,
        path: issue.path === '' ? `markets[${i}]` : `markets[${i}].${issue.path}`,
      });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    if (e === undefined || e.kind === 'validation') continue;
    if (e.kind === 'clearing')
      throw new ClearingError(e.code as ClearingErrorCode, `markets[${i}]: ${e.message}`);
    throw new Error(`markets[${i}]: ${e.message}`);
  }
}

/**
 * A frozen result from its {@link ResultParts}: the head parsed now, each large list parsed (and
 * frozen) on first read by an enumerable getter — the trades, outcomes and accounts built from
 * their transferred columns instead — so `JSON.stringify` and equality checks see the same fields in the same order as
 * `clearCycle`'s result, and `resultColumns` reads the trades' columns.
 */
function fromParts(result: ResultParts): CycleResult {
  const head = JSON.parse(result.head) as Record<string, unknown>;
  const lazy = (holder: Record<string, unknown>, parent: string) => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(holder)) {
      if (isTransferred(parent, key) && result.lists !== undefined) {
        defineTransferred(out, key, result.lists);
        continue;
      }
      const text = result.parts[`${parent}.${key}`];
      if (text === undefined) {
        out[key] = deepFreeze(holder[key]);
        continue;
      }
      let value: unknown;
      Object.defineProperty(out, key, {
        enumerable: true,
        get: () => {
          value ??= deepFreeze(JSON.parse(text));
          return value;
        },
      });
    }
    return Object.freeze(out);
  };
  const settlement = head['settlement'] as Record<string, unknown>;
  head['settlement'] = lazy(settlement, 'settlement');
  return lazy(head, '') as unknown as CycleResult;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

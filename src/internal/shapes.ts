/**
 * Keeps one small object of each of a cycle's classes alive, so that a full garbage collection
 * between two cycles does not throw away the engine's optimised code.
 *
 * Why: V8 gives each object layout a hidden class (a "map") and compiles hot functions against
 * the maps they have seen. Maps are held weakly: when a full collection finds no object of a map,
 * the map dies, and with it the type feedback and every optimised function that depended on it.
 * A cycle's objects (the cycle log, cursors, search trees, byte writers) all die when the cycle
 * ends, so a service clearing every 30 s — whose idle process V8 fully collects between cycles —
 * ran every cycle half cold: measured at 10^4 orders a side with a full `gc()` before each cycle,
 * 2–9 deoptimisations and ~2× the time of a cycle run back to back (docs/performance.md).
 *
 * The first time the engine clears, it first clears a small fixed book (see
 * `engine/exemplar.ts`) inside {@link keepShapesOnce}; while that runs, each class's constructor
 * passes its object to {@link keepShape}, and the first object of each class is kept for the life
 * of the process (measured: ~0.5 MiB more after a full collection, two 64 KiB byte buffers among
 * it), never read, never changed, so no result depends on it.
 *
 * @module
 * @internal
 */

/** Constructors whose first object is kept, and that object. Written only inside a warm-up. */
const kept = new Map<unknown, object>();
/** True only while {@link keepShapesOnce} runs a warm-up. */
let keeping = false;
/** The warm-ups that have run (or are running) in this process. */
const done = new Set<string>();

/**
 * @internal Called by the constructor of each class a cycle makes: during the warm-up, the first
 * object of each class is kept; otherwise nothing.
 */
export function keepShape(o: object): void {
  if (keeping && !kept.has(o.constructor)) kept.set(o.constructor, o);
}

/**
 * @internal Runs `warmUp` the first time it is called with `key` in this process, keeping the first
 * object of each class it makes ({@link keepShape}); later calls with `key` return at once. A
 * warm-up that throws leaves the process as if it had run (the caller's own cycle reports its own
 * problems).
 */
export function keepShapesOnce(key: string, warmUp: () => void): void {
  if (done.has(key)) return;
  done.add(key);
  const outer = keeping;
  keeping = true;
  try {
    warmUp();
  } catch (err) {
    // The warm-up only makes clearing faster: its failure must never fail a user's cycle. It is
    // kept for the tests, which fail on it.
    failures.push(err);
  } finally {
    keeping = outer;
  }
}

/** Errors thrown by warm-ups in this process (none, unless the engine has a bug). */
const failures: unknown[] = [];

/** @internal What warm-ups threw in this process (for tests). */
export function warmUpFailures(): readonly unknown[] {
  return failures;
}

/** @internal How many classes have an object kept (for tests). */
export function keptShapes(): number {
  return kept.size;
}

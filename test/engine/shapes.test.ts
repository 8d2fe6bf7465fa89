import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exemplarBook } from '../../src/engine/exemplar.js';
import { clearCycle } from '../../src/index.js';
import {
  keepShape,
  keepShapesOnce,
  keptShapes,
  warmUpFailures,
} from '../../src/internal/shapes.js';
import { CARRIERS } from '../../src/model/types.js';
import { T0, WORKED_EXAMPLE } from '../helpers/books.js';

// The engine keeps one object of each of a cycle's classes so that a full collection between
// cycles does not throw its optimised code away (src/internal/shapes.ts).

describe('the warm-up that keeps a cycle’s classes alive', () => {
  it('runs once per key, keeps objects only while it runs, and never throws', () => {
    class Probe {
      constructor() {
        keepShape(this);
      }
    }
    const before = keptShapes();
    new Probe(); // outside a warm-up: not kept
    expect(keptShapes()).toBe(before);
    let runs = 0;
    const warmUp = () => {
      runs++;
      new Probe();
      new Probe(); // a second object of the class is not kept again
    };
    keepShapesOnce('test-probe', warmUp);
    keepShapesOnce('test-probe', warmUp);
    expect(runs).toBe(1);
    expect(keptShapes()).toBe(before + 1);
    const failures = warmUpFailures().length;
    expect(() =>
      keepShapesOnce('test-throws', () => {
        throw new Error('a broken warm-up');
      }),
    ).not.toThrow();
    expect(warmUpFailures().length).toBe(failures + 1);
    new Probe(); // the failed warm-up ended: keeping is off again
    expect(keptShapes()).toBe(before + 1);
    // A warm-up inside another keeps the outer one keeping when it ends.
    keepShapesOnce('test-outer', () => {
      keepShapesOnce('test-inner', () => {});
      new (class Late {
        constructor() {
          keepShape(this);
        }
      })();
    });
    expect(keptShapes()).toBe(before + 2);
  });

  it('the first clear of a process keeps an object of each class a cycle makes', () => {
    const before = keptShapes();
    const failures = warmUpFailures().length;
    const result = clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    // The user's own cycle is cleared as ever (docs/rules.md §12).
    expect(result.trades.map((t) => t.price)).toEqual(['0.325', '0.55', '0.5', '0.425']);
    // Log, cursors, columns, trees, writers, fee rules, accounts…: 30-odd classes, and the
    // warm-up ran to its end (a failure is swallowed for the caller's sake, but recorded).
    expect(keptShapes() - before).toBeGreaterThanOrEqual(30);
    expect(warmUpFailures().slice(failures)).toEqual([]);
    const after = keptShapes();
    clearCycle(WORKED_EXAMPLE, {}, { timestamp: T0 });
    expect(keptShapes()).toBe(after);
    // A book given as JSON text takes the reader's text path: its first clear warms that up too
    // (the text reader's byte view, field positions and order cursor).
    const text = clearCycle(JSON.stringify(WORKED_EXAMPLE), {}, { timestamp: T0 });
    expect(text.block.hash).toBe(result.block.hash);
    expect(keptShapes() - after).toBeGreaterThanOrEqual(3);
  });

  it('the exemplar book makes every kind of record on every carrier', () => {
    const r = clearCycle(exemplarBook(), {}, { timestamp: T0 });
    for (const carrier of CARRIERS) {
      expect(r.trades.some((t) => t.carrier === carrier)).toBe(true);
      expect(r.poolPurchases.some((t) => t.carrier === carrier)).toBe(true);
      expect(r.poolTrades.some((t) => t.carrier === carrier)).toBe(true);
    }
    expect(r.counters.unservedBids).toBeGreaterThan(0);
  });

  it('a full collection between cycles costs far fewer deoptimisations with it than without', () => {
    // bench/after-gc.ts in a child process: a 3k-a-side book cleared 12 times, a gc() before each,
    // with --trace-deopt; count V8's deoptimisations in the last eight cycles. Counts, not times,
    // so a busy machine does not change the verdict.
    const script = fileURLToPath(new URL('../../bench/after-gc.ts', import.meta.url));
    const deopts = (keep: boolean): number => {
      const args = ['--expose-gc', '--trace-deopt', '--import', 'tsx', script, '--run', '--gc'];
      args.push('--size', '3000', '--cycles', '12');
      if (!keep) args.push('--no-keep');
      const out = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(out.status, out.stderr).toBe(0);
      let cycle = -1;
      let n = 0;
      for (const line of out.stdout.split('\n')) {
        const m = /^cycle (\d+) /.exec(line);
        if (m) cycle = Number(m[1]);
        else if (cycle >= 3 && /bailout|marking dependent code/.test(line)) n++;
      }
      return n;
    };
    const without = deopts(false);
    const withKeep = deopts(true);
    const counts = `${without} deoptimisations without the warm-up, ${withKeep} with it`;
    expect(without, counts).toBeGreaterThan(20);
    expect(withKeep * 2, counts).toBeLessThan(without);
  }, 120_000);
});

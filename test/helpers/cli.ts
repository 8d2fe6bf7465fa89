import { main } from '../../src/cli/main.js';
import { T0 } from './books.js';

/** Runs a file command of the CLI in this process, its output captured, at the clock `now`. */
export function runCli(
  argv: readonly string[],
  now: string = T0,
): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (t) => out.push(t), err: (t) => err.push(t), now: () => now });
  if (typeof code !== 'number') throw new Error('a file command answered asynchronously');
  return { code, out: out.join('\n'), err: err.join('\n') };
}
